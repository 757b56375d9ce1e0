"""Step 3 of the guided intake: refer the file to the social research officer when the
procedure is unclear."""

from __future__ import annotations

from typing import Any

from db.enums import InterviewStep
from romah_desktop.changes import Change
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from ui.intake.base import StepPage, buddy, on_edit, set_text_of, text_of
from ui.intake.steps.widgets import text_box
from ui.qt import QCheckBox, QComboBox, QFormLayout


class ReferPage(StepPage):
    """The referral to the social research officer, when the procedure is unclear."""

    step = InterviewStep.REFER
    changes = frozenset({Change.REFERRAL})

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.refer = QCheckBox()
        self.refer.setObjectName("refer")
        self.question = text_box(100)
        self.question.setObjectName("question")
        self.officer = QComboBox()
        self.officer.setObjectName("officer")
        self.officer.addItem(self.tr("Any officer of the branch"), "")
        self._pending_officer = ""
        form = QFormLayout()
        form.addRow(self.refer)
        self.question_title = buddy("", self.question)
        form.addRow(self.question_title, self.field("question", self.question))
        form.addRow(
            buddy(self.tr("&Officer"), self.officer),
            self.field("assigned_to_user_id", self.officer),
        )
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.refer.toggled.connect(self._toggled)
        self.refer.toggled.connect(lambda _on: self.changed())
        on_edit(self.question, self.changed)
        on_edit(self.officer, self.changed)
        self._toggled(False)
        self._address()

    def _address(self) -> None:
        """Word the step for the person who came: a woman is described in the feminine."""
        gender = self.record.get("gender")
        self.setSubTitle(
            for_gender(
                gender,
                self.tr(
                    "If the procedure is unclear to the person, refer their question to the "
                    "social research officer: it appears in the officer's queue. Otherwise just "
                    "go on."
                ),
                self.tr(
                    "If the procedure is unclear to the person, refer their question to the "
                    "social research officer: it appears in the officer's queue. Otherwise just "
                    "go on.",
                    "feminine",
                ),
            )
        )
        self.refer.setText(
            for_gender(
                gender,
                self.tr("&Refer to social research: the procedure is unclear to the person"),
                self.tr(
                    "&Refer to social research: the procedure is unclear to the person", "feminine"
                ),
            )
        )
        self.question.setPlaceholderText(
            for_gender(
                gender,
                self.tr("What the person wants to understand"),
                self.tr("What the person wants to understand", "feminine"),
            )
        )
        self.question_title.setText(
            for_gender(
                gender,
                self.tr("The person's &question"),
                self.tr("The person's &question", "feminine"),
            )
        )

    def _toggled(self, on: bool) -> None:
        if not self.done():
            self.question.setEnabled(on)
            self.officer.setEnabled(on)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self._address()
        self.refresh()
        if not self.done():
            self.refer.setFocus()

    def refresh(self) -> None:
        self.ctx.run(iv.research_officers, self._officers, self._failed, owner=self)

    def _officers(self, officers: list[iv.Officer]) -> None:
        chosen = text_of(self.officer) or self._pending_officer
        while self.officer.count() > 1:
            self.officer.removeItem(1)
        for officer in officers:
            self.officer.addItem(f"{officer.full_name} — {label(officer.role)}", officer.user_id)
        set_text_of(self.officer, chosen)

    def commit(self) -> bool:
        if not self.refer.isChecked():
            self.record["referral_id"] = None
            return True
        ids = (self.record["interview_id"], self.record["request_id"])
        question = self.question.toPlainText()
        officer = text_of(self.officer) or None
        self.run_step(
            lambda session, actor: gi.refer(
                session,
                actor,
                interview_id=ids[0],
                request_id=ids[1],
                question=question,
                officer_id=officer,
            ),
            lambda referral_id: self.record.update(referral_id=referral_id),
        )
        return False

    def show_done(self) -> None:
        super().show_done()
        if self.record.get("referral_id"):
            self.set_message(self.tr("Referred: the question is in the social research queue."))
        else:
            self.set_message(self.tr("No referral was needed."))

    def set_locked(self, locked: bool) -> None:
        self.refer.setEnabled(not locked)
        self.question.setEnabled(not locked and self.refer.isChecked())
        self.officer.setEnabled(not locked and self.refer.isChecked())

    def dump(self) -> dict[str, Any]:
        return {
            "refer": self.refer.isChecked(),
            "question": self.question.toPlainText(),
            "officer": text_of(self.officer),
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.refer.setChecked(bool(data.get("refer")))
        self.question.setPlainText(str(data.get("question", "")))
        self._pending_officer = str(data.get("officer", ""))
        set_text_of(self.officer, self._pending_officer)
