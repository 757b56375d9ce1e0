"""Step 2 of the guided intake: collect and verify the file's data and its documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from db.enums import DocumentType, InterviewStep
from romah_desktop.changes import Change
from romah_desktop.checklists import expires
from romah_desktop.dates import format_dual
from romah_desktop.labels import label
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from ui.intake.base import (
    ERROR_STYLE,
    RESULT_STYLE,
    StepPage,
    error_label,
    on_edit,
    set_text_of,
    text_of,
)
from ui.intake.fields import field_choices, field_hint, field_label
from ui.intake.steps.widgets import enum_combo
from ui.qt import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.widgets.date_field import DualDateField


@dataclass
class DocumentRow:
    """One document on the checklist, as typed."""

    doc_type: DocumentType | None
    required: bool
    kind: QComboBox | None
    number: QLineEdit
    expiry: DualDateField
    status: QLabel
    error: QLabel

    def chosen_type(self) -> str:
        if self.kind is not None:
            return text_of(self.kind)
        assert self.doc_type is not None
        return self.doc_type.value

    def entry(self) -> gi.DocumentEntry:
        return gi.DocumentEntry(self.chosen_type(), self.number.text(), self.expiry.text())


class VerifyPage(StepPage):
    """The file's required fields, and each document's number and expiry date."""

    step = InterviewStep.COLLECT_VERIFY
    changes = frozenset({Change.BENEFICIARY, Change.DOCUMENT})

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "Complete the fields the request needs and check each document: its number and "
                "expiry date. An expired document is recorded and flagged, not refused."
            )
        )
        self.person = QLabel()
        self.person.setObjectName("verify_person")
        self.file_box = QGroupBox(self.tr("The file"))
        self.file_form = QFormLayout(self.file_box)
        self.file_inputs: dict[str, QWidget] = {}
        self.docs_box = QGroupBox(self.tr("Documents"))
        docs_layout = QVBoxLayout(self.docs_box)
        self.grid = QGridLayout()
        docs_layout.addLayout(self.grid)
        self.add_document = QPushButton(self.tr("Add another &document"))
        self.add_document.setObjectName("add_document")
        self.add_document.clicked.connect(lambda: self._add_row(None, False, focus=True))
        docs_layout.addWidget(self.add_document, 0, Qt.AlignmentFlag.AlignLeading)
        docs_layout.addStretch(1)
        self.rows: list[DocumentRow] = []
        self._loaded_for: str | None = None
        self._pending: dict[str, Any] | None = None
        self.body.addWidget(self.person)
        self.body.addWidget(self.file_box)
        self.body.addWidget(self.docs_box, 1)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        if self._loaded_for != self.record.get("request_id"):
            self.refresh()

    def refresh(self) -> None:
        request_id = self.record.get("request_id")
        if not request_id:
            return
        if self.rows or self.file_inputs:
            self._pending = self.dump()  # keep what was typed across a reload
        self._set_busy(True)
        self.ctx.run(
            lambda session, actor: iv.review_file(session, actor, request_id),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, review: iv.FileReview) -> None:
        self._set_busy(False)
        self._loaded_for = self.record.get("request_id")
        person = review.person
        if person.gender is not None:
            self.record["gender"] = person.gender.value
        self.person.setText(
            self.tr("{name} — ID {national_id} — file {file_number} — request: {kind}").format(
                name=person.full_name,
                national_id=person.national_id,
                file_number=person.file_number,
                kind=label(review.request_type),
            )
        )
        self._build_file(review.missing_fields)
        self._clear_rows()
        for entry in review.documents:
            row = self._add_row(entry.doc_type, entry.required)
            if entry.last_number:
                row.number.setText(entry.last_number)
            if entry.last_expiry is not None and entry.expires:
                row.expiry.setText(entry.last_expiry.isoformat())
        if self._pending is not None:
            self._apply(self._pending)
            self._pending = None
        if self.done():
            self.show_done()
        elif self.file_inputs:
            next(iter(self.file_inputs.values())).setFocus()
        elif self.rows:
            self.rows[0].number.setFocus()

    def _build_file(self, missing: tuple[str, ...]) -> None:
        while self.file_form.rowCount():
            self.file_form.removeRow(0)
        for name in list(self._errors):
            if name.startswith("file."):
                del self._errors[name]
        self.file_inputs = {}
        if not missing:
            self.file_form.addRow(QLabel(self.tr("The fields this request needs are filled in.")))
            return
        for name in missing:
            choices = field_choices(name, self.record.get("gender"))
            widget: QWidget
            if choices is None:
                edit = QLineEdit()
                edit.setPlaceholderText(field_hint(name))
                widget = edit
            else:
                combo = QComboBox()
                combo.addItem("", None)
                for value, text in choices:
                    combo.addItem(text, value)
                widget = combo
            widget.setObjectName(f"file_{name}")
            on_edit(widget, self.changed)
            self.file_inputs[name] = widget
            box = self.field(f"file.{name}", widget)
            self.file_form.addRow(field_label(name), box)
            box.show()

    def _clear_rows(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for name in list(self._errors):
            if name.startswith("documents."):
                del self._errors[name]
        self.rows = []
        headers = (
            self.tr("Document"),
            self.tr("Number"),
            self.tr("Expiry date"),
            self.tr("Status"),
        )
        for column, text in enumerate(headers):
            header = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(header, 0, column)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 4)
        self.grid.setColumnStretch(3, 2)

    def _add_row(
        self, doc_type: DocumentType | None, required: bool, focus: bool = False
    ) -> DocumentRow:
        index = len(self.rows)
        line = 1 + index * 2
        kind: QComboBox | None = None
        if doc_type is None:
            kind = enum_combo(list(DocumentType))
            kind.setObjectName(f"document_{index}_type")
            on_edit(kind, self.changed)
            self.grid.addWidget(kind, line, 0)
        else:
            name = label(doc_type)
            title = self.tr("{document} (required)").format(document=name) if required else name
            self.grid.addWidget(QLabel(title), line, 0)
        number = QLineEdit()
        number.setObjectName(f"document_{index}_number")
        on_edit(number, self.changed)
        expiry = DualDateField(field=f"document_{index}_expiry")
        on_edit(expiry, self.changed)
        status = QLabel()
        status.setObjectName(f"document_{index}_status")
        status.setWordWrap(True)
        error = error_label(f"document_{index}")
        row = DocumentRow(doc_type, required, kind, number, expiry, status, error)
        expiry.sig_date_changed.connect(lambda _day, row=row: self._show_validity(row))
        self.grid.addWidget(number, line, 1)
        self.grid.addWidget(expiry, line, 2)
        self.grid.addWidget(status, line, 3)
        self.grid.addWidget(error, line + 1, 0, 1, 4)
        # Shown now, not later by the layout, so that the focus can be put in them at once.
        for widget in (kind, number, expiry, status):
            if widget is not None:
                widget.show()
        if doc_type is not None and not expires(doc_type):
            expiry.edit.setPlaceholderText(self.tr("No expiry"))
        for part in ("number", "issue_date", "doc_type"):
            self.watch(
                f"documents.{index}.{part}", error, kind if part == "doc_type" and kind else number
            )
        self.watch(f"documents.{index}.expiry_date", expiry, expiry.edit)
        on_edit(number, lambda: self.clear_field_error(f"documents.{index}.number"))
        self.rows.append(row)
        if focus:
            (kind or number).setFocus()
            self.changed()
        return row

    def _show_validity(self, row: DocumentRow) -> None:
        day = row.expiry.date()
        if day is None:
            row.status.clear()
        elif day < date.today():
            row.status.setText(
                self.tr("Expired on {date}: it will be flagged").format(date=format_dual(day))
            )
            row.status.setStyleSheet(ERROR_STYLE)
        else:
            row.status.setText(self.tr("Valid today"))
            row.status.setStyleSheet(RESULT_STYLE)

    def commit(self) -> bool:
        if self._loaded_for is None:
            self.set_message(self.tr("The checklist is still loading…"))
            return False
        fields = {name: text_of(widget) for name, widget in self.file_inputs.items()}
        documents = [row.entry() for row in self.rows]
        ids = (self.record["interview_id"], self.record["request_id"])
        self.run_step(
            lambda session, actor: gi.verify_file(
                session,
                actor,
                interview_id=ids[0],
                request_id=ids[1],
                fields=fields,
                documents=documents,
            ),
            self._verified,
        )
        return False

    def _verified(self, results: list[gi.DocumentResult]) -> None:
        flagged = [r for r in results if not r.valid_on_submission]
        self.record["documents"] = [
            {
                "doc_type": r.doc_type.value,
                "valid": r.valid_on_submission,
                "expiry": r.expiry_date.isoformat() if r.expiry_date else None,
            }
            for r in results
        ]
        # A flagged document must be seen before moving on.
        self.auto_advance = not flagged

    def show_done(self) -> None:
        super().show_done()
        results = {d["doc_type"]: d for d in self.record.get("documents", [])}
        flagged = []
        for row in self.rows:
            result = results.get(row.chosen_type())
            if result is None:
                continue
            if result["valid"]:
                row.status.setText(self.tr("Recorded: valid"))
                row.status.setStyleSheet(RESULT_STYLE)
            else:
                row.status.setText(self.tr("Recorded: EXPIRED — flagged"))
                row.status.setStyleSheet(ERROR_STYLE)
                flagged.append(label(DocumentType(result["doc_type"])))
        if flagged:
            self.set_message(
                self.tr(
                    "Recorded. Flagged as expired on the day of submission: {documents}. "
                    "The registration cannot be completed until a valid one is checked."
                ).format(documents="، ".join(flagged)),
                problem=True,
            )
        else:
            self.set_message(self.tr("Recorded: the file and its documents were checked."))

    def reopen(self) -> None:
        """Check a document again (a renewed one): the rows stay as they were typed."""
        self.set_message("")

    def set_locked(self, locked: bool) -> None:
        for widget in self.file_inputs.values():
            widget.setEnabled(not locked)
        for row in self.rows:
            for widget in (row.kind, row.number, row.expiry):
                if widget is not None:
                    widget.setEnabled(not locked)
        self.add_document.setEnabled(not locked)

    def dump(self) -> dict[str, Any]:
        if self._pending is not None and not self.rows:
            return self._pending
        return {
            "fields": {name: text_of(widget) for name, widget in self.file_inputs.items()},
            "documents": [
                {
                    "doc_type": row.chosen_type(),
                    "extra": row.kind is not None,
                    "number": row.number.text(),
                    "expiry_date": row.expiry.text(),
                }
                for row in self.rows
            ],
        }

    def restore(self, data: dict[str, Any]) -> None:
        if self.rows:
            self._apply(data)
        else:
            self._pending = data

    def _apply(self, data: dict[str, Any]) -> None:
        for name, value in dict(data.get("fields", {})).items():
            if name in self.file_inputs:
                set_text_of(self.file_inputs[name], str(value))
        fixed = [row for row in self.rows if row.kind is None]
        for saved in data.get("documents", []):
            row = None
            if not saved.get("extra"):
                row = next((r for r in fixed if r.chosen_type() == saved.get("doc_type")), None)
                if row is not None:
                    fixed.remove(row)
            if row is None:
                row = self._add_row(None, False)
                assert row.kind is not None
                set_text_of(row.kind, str(saved.get("doc_type", "")))
            row.number.setText(str(saved.get("number", "")))
            row.expiry.setText(str(saved.get("expiry_date", "")))
