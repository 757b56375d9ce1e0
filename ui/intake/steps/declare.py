"""Step 4 of the guided intake: the declaration's text, the exact data declared, and the
signature."""

from __future__ import annotations

from typing import Any

from db.enums import InterviewStep
from romah_desktop.changes import Change
from romah_desktop.errors import Conflict
from romah_desktop.grammar import for_gender
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from ui.intake.base import StepPage, buddy, on_edit, set_text_of, text_of
from ui.intake.fields import declared_rows
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from ui.widgets.signature_pad import SignaturePad


class DeclarePage(StepPage):
    """The declaration's text, the exact data declared, and the signature."""

    step = InterviewStep.DECLARE
    changes = frozenset({Change.DECLARATION})

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.preview: iv.DeclarationPreview | None = None
        self.language = QComboBox()
        self.language.setObjectName("declaration_language")
        self.language.addItem("العربية", "ar")
        self.language.addItem("English", "en")
        self.language.currentIndexChanged.connect(lambda _index: self.refresh())
        self.text = QLabel()
        self.text.setObjectName("declaration_text")
        self.text.setWordWrap(True)
        self.text.setFrameShape(QFrame.Shape.StyledPanel)
        self.text.setMargin(8)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data = QTableWidget(0, 2)
        self.data.setObjectName("declared_data")
        self.data.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Declared value")])
        self.data.verticalHeader().hide()
        self.data.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.data.horizontalHeader().setStretchLastSection(True)
        self.data.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.data.setMinimumHeight(150)
        self.signer = QLineEdit()
        self.signer.setObjectName("signer_name")
        self.pad = SignaturePad()
        self.pad.setObjectName("signature_pad")
        self.pad.sig_changed.connect(self._signed_on_pad)
        self.clear_pad = QPushButton(self.tr("&Clear the signature"))
        self.clear_pad.setObjectName("clear_signature")
        self.clear_pad.clicked.connect(self.pad.clear)
        self.paper = QCheckBox(self.tr("Signed on &paper instead"))
        self.paper.setObjectName("signed_on_paper")
        self.paper.toggled.connect(self._paper_toggled)
        top = QHBoxLayout()
        top.addWidget(buddy(self.tr("Declaration &language"), self.language))
        top.addWidget(self.language)
        top.addStretch(1)
        pad_buttons = QHBoxLayout()
        pad_buttons.addWidget(self.clear_pad)
        pad_buttons.addWidget(self.paper)
        pad_buttons.addStretch(1)
        signing = QWidget()
        signing_layout = QVBoxLayout(signing)
        signing_layout.setContentsMargins(0, 0, 0, 0)
        self.signer_title = buddy("", self.signer)
        signing_layout.addWidget(self.signer_title)
        signing_layout.addWidget(self.field("signer_name", self.signer))
        signing_layout.addWidget(QLabel(self.tr("Signature")))
        signing_layout.addWidget(self.field("signature", self.pad, self.clear_pad))
        signing_layout.addLayout(pad_buttons)
        signing_layout.addStretch(1)
        # The data beside the signature: the person sees what they sign for.
        sides = QHBoxLayout()
        sides.addWidget(self.data, 1)
        sides.addWidget(signing)
        self.body.addLayout(top)
        self.body.addWidget(self.text)
        self.body.addLayout(sides, 1)
        on_edit(self.signer, self.changed)
        self.language.currentIndexChanged.connect(lambda _index: self.changed())
        self.paper.toggled.connect(lambda _on: self.changed())
        self._address()

    def _address(self) -> None:
        """Word the step for the person who signs: a woman is addressed in the feminine."""
        gender = self.record.get("gender")
        self.setSubTitle(
            for_gender(
                gender,
                self.tr(
                    "Read the declaration and the data to the person. They confirm the data is "
                    "correct and sign in the box; the signed declaration can never be changed."
                ),
                self.tr(
                    "Read the declaration and the data to the person. They confirm the data is "
                    "correct and sign in the box; the signed declaration can never be changed.",
                    "feminine",
                ),
            )
        )
        self.signer_title.setText(
            for_gender(gender, self.tr("&Signed by"), self.tr("&Signed by", "feminine"))
        )
        self.pad.address(gender)

    def _signed_on_pad(self) -> None:
        if not self.pad.is_empty():
            self.clear_field_error("signature")

    def _paper_toggled(self, on: bool) -> None:
        self.pad.setEnabled(not on and not self.done())
        self.clear_pad.setEnabled(not on and not self.done())

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self.refresh()
        if not self.done():
            self.signer.setFocus()

    def refresh(self) -> None:
        beneficiary_id = self.record.get("beneficiary_id")
        if not beneficiary_id:
            return
        lang = text_of(self.language)
        self._set_busy(True)
        self.ctx.run(
            lambda session, actor: iv.preview_declaration(session, actor, beneficiary_id, lang),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, preview: iv.DeclarationPreview) -> None:
        self._set_busy(False)
        self.preview = preview
        if preview.person.gender is not None:
            self.record["gender"] = preview.person.gender.value
        self._address()
        # The text the person signs, worded for their gender: the same words the printed
        # declaration carries (services.intake.views.declaration_text).
        self.text.setText(preview.text)
        # The declaration's own language reads in its own direction.
        self.text.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if preview.lang == "ar"
            else Qt.LayoutDirection.LeftToRight
        )
        rows = declared_rows(preview.declared_data)
        self.data.setRowCount(len(rows))
        for index, (name, value) in enumerate(rows):
            self.data.setItem(index, 0, QTableWidgetItem(name))
            self.data.setItem(index, 1, QTableWidgetItem(value))
        if not self.signer.text().strip():
            self.signer.setText(preview.person.full_name)

    def check(self) -> bool:
        if self.preview is None:
            self.set_message(self.tr("The declaration is still loading…"))
            return False
        if not self.paper.isChecked() and self.pad.is_empty():
            self.field_error(
                "signature",
                for_gender(
                    self.record.get("gender"),
                    self.tr("The person signs in the box, or tick “Signed on paper instead”."),
                    self.tr(
                        "The person signs in the box, or tick “Signed on paper instead”.",
                        "feminine",
                    ),
                ),
            )
            self.clear_pad.setFocus()
            return False
        return True

    def commit(self) -> bool:
        assert self.preview is not None
        values = {
            "interview_id": self.record["interview_id"],
            "request_id": self.record["request_id"],
            "signer_name": self.signer.text(),
            "lang": self.preview.lang,
            "shown_data": self.preview.declared_data,
            "signature_png": None if self.paper.isChecked() else self.pad.to_png(),
            "attachments_dir": self.ctx.workspace.attachments_dir,
        }
        self.run_step(lambda session, actor: gi.declare(session, actor, **values), self._signed)
        return False

    def _signed(self, signed: gi.SignedSummary) -> None:
        self.record["declaration_id"] = signed.id
        self.record["declaration_sha256"] = signed.content_sha256

    def _failed(self, error: BaseException) -> None:
        super()._failed(error)
        if isinstance(error, Conflict):
            # The file changed: the person must see (and sign) the new data.
            self.pad.clear()
            self.refresh()

    def show_done(self) -> None:
        super().show_done()
        self.set_message(
            self.tr("Signed. The declaration's fingerprint (SHA-256) is {sha}.").format(
                sha=self.record.get("declaration_sha256", "")
            )
        )

    def set_locked(self, locked: bool) -> None:
        for widget in (self.language, self.signer, self.paper):
            widget.setEnabled(not locked)
        self.pad.setEnabled(not locked and not self.paper.isChecked())
        self.clear_pad.setEnabled(not locked and not self.paper.isChecked())

    def reopen(self) -> None:
        """Take a new declaration: the file changed since the last one."""
        self.pad.clear()
        self.set_message("")
        self.refresh()

    def dump(self) -> dict[str, Any]:
        return {
            "lang": text_of(self.language),
            "signer_name": self.signer.text(),
            "paper": self.paper.isChecked(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        set_text_of(self.language, str(data.get("lang", "ar")))
        self.signer.setText(str(data.get("signer_name", "")))
        self.paper.setChecked(bool(data.get("paper")))
