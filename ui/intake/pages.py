"""The seven steps of the guided intake, one page each, in the policy's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from db.enums import (
    Channel,
    DocumentType,
    InterviewStep,
    RegistrationStatus,
    RequestStatus,
    RequestType,
    ServiceType,
)
from romah_desktop.changes import Change
from romah_desktop.checklists import expires
from romah_desktop.dates import format_dual
from romah_desktop.errors import Conflict
from romah_desktop.labels import label
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from romah_desktop.services.intake.interview import RegistrationIncomplete
from romah_desktop.validation import format_money
from ui.context import error_text
from ui.intake.base import (
    ERROR_STYLE,
    RESULT_STYLE,
    StepPage,
    buddy,
    error_label,
    on_edit,
    set_text_of,
    text_of,
)
from ui.intake.fields import declared_rows, field_choices, field_hint, field_label
from ui.printing import IntakePrintButton
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QEvent,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.person_picker import PersonPicker
from ui.widgets.signature_pad import SignaturePad

_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


def _text_box(height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit()
    # Tab moves on to the next field, as everywhere else in the intake.
    box.setTabChangesFocus(True)
    box.setMaximumHeight(height)
    return box


def _enum_combo(members: list[Any]) -> QComboBox:
    combo = QComboBox()
    for member in members:
        combo.addItem(label(member), member.value)
    return combo


# --- 1. receive -------------------------------------------------------------------------------


class ReceivePage(StepPage):
    """Who came, on which channel, and what they asked."""

    step = InterviewStep.RECEIVE
    changes = frozenset({Change.CONTACT, Change.INTERVIEW, Change.REQUEST})

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "Find the person who came (or register them), the channel and what they ask "
                "for. Next logs the contact, starts the interview and opens the request."
            )
        )
        self.picker = PersonPicker(self.ctx)
        self.picker.results.setMaximumHeight(110)
        self.picker.sig_picked.connect(self._picked)
        self.chosen = QLabel(self.tr("No one chosen yet."))
        self.chosen.setObjectName("chosen_person")
        self.chosen.setWordWrap(True)
        self.register_new = QPushButton(self.tr("&Register a new person…"))
        self.register_new.setObjectName("register_new_person")
        self.register_new.clicked.connect(self.register_person)
        self.channel = _enum_combo(list(Channel))
        self.channel.setObjectName("channel")
        self.request_type = _enum_combo(list(RequestType))
        self.request_type.setObjectName("request_type")
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("Needed for cash and rent, e.g. 1500"))
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.subject.setPlaceholderText(self.tr("In a few words, e.g. help with the rent"))
        self.justification = _text_box(90)
        self.justification.setObjectName("justification")
        self.justification.setPlaceholderText(
            self.tr("The person's situation and why they need support")
        )
        person = QWidget()
        person_layout = QVBoxLayout(person)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.picker)
        chosen_row = QHBoxLayout()
        chosen_row.addWidget(self.chosen, 1)
        chosen_row.addWidget(self.register_new)
        person_layout.addLayout(chosen_row)
        form = QFormLayout()
        form.addRow(
            buddy(self.tr("Find the &person"), self.picker.query),
            self.field("beneficiary_id", person, self.picker.query),
        )
        form.addRow(buddy(self.tr("C&hannel"), self.channel), self.field("channel", self.channel))
        form.addRow(
            buddy(self.tr("Request &type"), self.request_type),
            self.field("request_type", self.request_type),
        )
        form.addRow(
            buddy(self.tr("&Amount requested (riyals)"), self.amount),
            self.field("amount", self.amount),
        )
        form.addRow(
            buddy(self.tr("&What they asked"), self.subject), self.field("subject", self.subject)
        )
        form.addRow(
            buddy(self.tr("&Details"), self.justification),
            self.field("justification", self.justification),
        )
        self.body.addLayout(form)
        self.body.addStretch(1)
        for widget in (
            self.channel,
            self.request_type,
            self.amount,
            self.subject,
            self.justification,
        ):
            on_edit(widget, self.changed)
        self.picker.query.textEdited.connect(lambda _text: self.changed())
        # Enter in the search picks the person; it must not also press Next.
        self.picker.query.installEventFilter(self)
        self.picker.results.installEventFilter(self)
        self.setTabOrder(self.picker.query, self.picker.results)
        self.setTabOrder(self.picker.results, self.register_new)
        self.setTabOrder(self.register_new, self.channel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
        ):
            if watched is self.picker.query:
                self.picker.query.returnPressed.emit()
                return True
            if watched is self.picker.results and self.picker.results.currentItem() is not None:
                self.picker.results.itemActivated.emit(self.picker.results.currentItem())
                return True
        return super().eventFilter(watched, event)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        if not self.done():
            self.picker.query.setFocus()

    def _picked(self, beneficiary_id: str, text: str) -> None:
        self.record["beneficiary_id"] = beneficiary_id
        self.record["person_text"] = text
        self.chosen.setText(self.tr("Chosen: {person}").format(person=text))
        self.clear_field_error("beneficiary_id")
        self.intake.update_title()
        self.changed()
        self.channel.setFocus()

    def register_person(self) -> None:
        """Open the registration of a new person; once saved, they are the one who came."""
        try:
            from ui.profile.dialog import ProfileDialog
        except ImportError:
            self.set_message(
                self.tr("Registering a new person is not available here yet."), problem=True
            )
            return
        dialog = ProfileDialog(self.ctx, None, self)
        dialog.sig_saved.connect(self._registered)
        dialog.show()

    def _registered(self, beneficiary_id: str) -> None:
        self.ctx.run(
            lambda session, actor: iv.person_summary(session, actor, beneficiary_id),
            lambda person: self._picked(
                person.id, f"{person.full_name} — {person.national_id} — {person.file_number}"
            ),
            lambda error: self.set_message(error_text(error), problem=True),
            owner=self,
        )

    def commit(self) -> bool:
        values = {
            "beneficiary_id": self.record.get("beneficiary_id"),
            "channel": text_of(self.channel),
            "request_type": text_of(self.request_type),
            "amount": self.amount.text(),
            "subject": self.subject.text(),
            "justification": self.justification.toPlainText(),
        }
        self.run_step(
            lambda session, actor: gi.receive_person(session, actor, **values), self._received
        )
        return False

    def _received(self, reception: gi.Reception) -> None:
        self.record.update(
            contact_id=reception.contact_id,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            request_number=reception.request_number,
            request_type=text_of(self.request_type),
        )

    def show_done(self) -> None:
        super().show_done()
        self.chosen.setText(
            self.tr("Chosen: {person}").format(person=self.record.get("person_text", ""))
        )
        self.set_message(
            self.tr(
                "Recorded: the contact is logged, the interview started and request {number} "
                "opened."
            ).format(number=self.record.get("request_number", ""))
        )

    def set_locked(self, locked: bool) -> None:
        for widget in (
            self.picker,
            self.register_new,
            self.channel,
            self.request_type,
            self.amount,
            self.subject,
            self.justification,
        ):
            widget.setEnabled(not locked)

    def dump(self) -> dict[str, Any]:
        return {
            "query": self.picker.query.text(),
            "channel": text_of(self.channel),
            "request_type": text_of(self.request_type),
            "amount": self.amount.text(),
            "subject": self.subject.text(),
            "justification": self.justification.toPlainText(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.picker.query.setText(str(data.get("query", "")))
        for name in ("channel", "request_type", "amount", "subject", "justification"):
            if name in data:
                set_text_of(getattr(self, name), str(data[name]))
        if self.record.get("beneficiary_id"):
            self.chosen.setText(
                self.tr("Chosen: {person}").format(person=self.record.get("person_text", ""))
            )


# --- 2. collect and verify --------------------------------------------------------------------


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
            choices = field_choices(name)
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
            kind = _enum_combo(list(DocumentType))
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


# --- 3. refer ---------------------------------------------------------------------------------


class ReferPage(StepPage):
    """The referral to the social research officer, when the procedure is unclear."""

    step = InterviewStep.REFER
    changes = frozenset({Change.REFERRAL})

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "If the procedure is unclear to the person, refer their question to the social "
                "research officer: it appears in the officer's queue. Otherwise just go on."
            )
        )
        self.refer = QCheckBox(
            self.tr("&Refer to social research: the procedure is unclear to the person")
        )
        self.refer.setObjectName("refer")
        self.question = _text_box(100)
        self.question.setObjectName("question")
        self.question.setPlaceholderText(self.tr("What the person wants to understand"))
        self.officer = QComboBox()
        self.officer.setObjectName("officer")
        self.officer.addItem(self.tr("Any officer of the branch"), "")
        self._pending_officer = ""
        form = QFormLayout()
        form.addRow(self.refer)
        form.addRow(
            buddy(self.tr("The person's &question"), self.question),
            self.field("question", self.question),
        )
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

    def _toggled(self, on: bool) -> None:
        if not self.done():
            self.question.setEnabled(on)
            self.officer.setEnabled(on)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
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


# --- 4. declare -------------------------------------------------------------------------------


class DeclarePage(StepPage):
    """The declaration's text, the exact data declared, and the signature."""

    step = InterviewStep.DECLARE
    changes = frozenset({Change.DECLARATION})

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "Read the declaration and the data to the person. They confirm the data is "
                "correct and sign in the box; the signed declaration can never be changed."
            )
        )
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
        signing_layout.addWidget(buddy(self.tr("&Signed by"), self.signer))
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
                self.tr("The person signs in the box, or tick “Signed on paper instead”."),
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


# --- 5. submit --------------------------------------------------------------------------------


class SubmitPage(StepPage):
    """The request goes to the research committee, which answers by the date shown."""

    step = InterviewStep.INFORM
    changes = frozenset({Change.REQUEST})
    auto_advance = False  # the person is told the date before anything else
    refresh_on_entry = True

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "Tell the person that the request goes to the research committee, which answers "
                "with acceptance or rejection by the date below. Next submits the request."
            )
        )
        self.summary = QLabel()
        self.summary.setObjectName("request_summary")
        self.summary.setWordWrap(True)
        self.due = QLabel()
        self.due.setObjectName("committee_due")
        self.due.setWordWrap(True)
        font = self.due.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.due.setFont(font)
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sign_again = QPushButton(self.tr("Take a ne&w declaration"))
        self.sign_again.setObjectName("sign_again")
        self.sign_again.hide()
        self.sign_again.clicked.connect(lambda: self.intake.reopen(InterviewStep.DECLARE))
        self.body.addWidget(self.summary)
        self.body.addWidget(self.due)
        self.body.addWidget(self.sign_again, 0, Qt.AlignmentFlag.AlignLeading)
        self.print_button = IntakePrintButton(self.ctx)
        self.body.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.body.addStretch(1)

    def refresh(self) -> None:
        request_id = self.record.get("request_id")
        if not request_id:
            return

        def read(session: Any, actor: Any) -> tuple[iv.RequestReview, iv.CommitteeDue]:
            return iv.review_request(session, actor, request_id), iv.committee_due_preview(
                session, actor
            )

        self.ctx.run(read, self._show, self._failed, owner=self)

    def _show(self, found: tuple[iv.RequestReview, iv.CommitteeDue]) -> None:
        review, due = found
        amount = (
            self.tr("{amount} riyals").format(amount=format_money(review.amount_requested))
            if review.amount_requested is not None
            else self.tr("no amount")
        )
        self.summary.setText(
            self.tr(
                "Request {number}: {kind}, {amount}. Signed declaration: {fingerprint}…"
            ).format(
                number=review.request_number,
                kind=label(review.request_type),
                amount=amount,
                fingerprint=str(self.record.get("declaration_sha256", ""))[:12],
            )
        )
        if not self.done():
            self.due.setText(
                self.tr(
                    "If submitted today, the committee answers by {date} (in {days} days)."
                ).format(date=due.text, days=due.days)
            )

    def commit(self) -> bool:
        ids = (self.record["interview_id"], self.record["request_id"])
        self.sign_again.hide()
        self.run_step(
            lambda session, actor: gi.submit(
                session, actor, interview_id=ids[0], request_id=ids[1]
            ),
            self._submitted,
        )
        return False

    def _submitted(self, due: iv.CommitteeDue) -> None:
        self.record["committee_due"] = due.text
        self.record["committee_due_on"] = due.due_on.isoformat()

    def _failed(self, error: BaseException) -> None:
        super()._failed(error)
        if isinstance(error, Conflict):
            self.sign_again.show()
            self.sign_again.setFocus()

    def show_done(self) -> None:
        super().show_done()
        self.sign_again.hide()
        self.due.setText(
            self.tr("Submitted. The research committee answers by {date}.").format(
                date=self.record.get("committee_due", "")
            )
        )
        self.set_message(self.tr("Tell the person this date; it is printed on their receipt."))
        self.print_button.show_for(self.record)


# --- 6. complete the registration -------------------------------------------------------------


class RegisterPage(StepPage):
    """The file's registration, once the file is complete."""

    step = InterviewStep.COMPLETE_REGISTRATION
    changes = frozenset({Change.BENEFICIARY})
    refresh_on_entry = True

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "Once the file is complete (a current signed declaration and valid documents), "
                "Next completes its registration."
            )
        )
        self.status = QLabel()
        self.status.setObjectName("registration_status")
        self.status.setWordWrap(True)
        self.gaps = QLabel()
        self.gaps.setObjectName("registration_gaps")
        self.gaps.setWordWrap(True)
        self.gaps.setStyleSheet(ERROR_STYLE)
        self.renew = QPushButton(self.tr("Check a renewed &document"))
        self.renew.setObjectName("renew_document")
        self.renew.hide()
        self.renew.clicked.connect(lambda: self.intake.reopen(InterviewStep.COLLECT_VERIFY))
        self.body.addWidget(self.status)
        self.body.addWidget(self.gaps)
        self.body.addWidget(self.renew, 0, Qt.AlignmentFlag.AlignLeading)
        self.body.addStretch(1)

    def refresh(self) -> None:
        beneficiary_id = self.record.get("beneficiary_id")
        if not beneficiary_id:
            return
        self.ctx.run(
            lambda session, actor: iv.review_registration(session, actor, beneficiary_id),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, review: iv.RegistrationReview) -> None:
        self.status.setText(self.tr("Registration: {status}").format(status=label(review.status)))
        if review.gaps:
            self.gaps.setText(
                "\n".join([self.tr("The file still needs:"), *(f"• {gap}" for gap in review.gaps)])
            )
            self.gaps.show()
            self.renew.setVisible(not self.done())
        else:
            self.gaps.hide()
            self.renew.hide()
            if not self.done():
                self.set_message("")  # what was missing before is there now

    def commit(self) -> bool:
        ids = (self.record["interview_id"], self.record["request_id"])
        self.run_step(
            lambda session, actor: gi.register(
                session, actor, interview_id=ids[0], request_id=ids[1]
            ),
            lambda status: self.record.update(registration=RegistrationStatus(status).value),
        )
        return False

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, RegistrationIncomplete):
            # What is missing is listed above; the headline is enough here.
            self.set_message(
                self.tr(
                    "The registration cannot be completed yet: the file still needs what is "
                    "listed above."
                ),
                problem=True,
            )
        else:
            super().show_error(error)

    def _failed(self, error: BaseException) -> None:
        super()._failed(error)
        self.refresh()

    def show_done(self) -> None:
        super().show_done()
        self.renew.hide()
        self.gaps.hide()
        self.status.setText(
            self.tr("Registration: {status}").format(status=label(RegistrationStatus.REGISTERED))
        )
        self.set_message(self.tr("The registration is complete."))


# --- 7. deliver the service -------------------------------------------------------------------

_ANSWERED = frozenset(
    {
        RequestStatus.APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
        RequestStatus.FULFILLED,
    }
)


class DeliverPage(StepPage):
    """The service delivered on the approved request; the end of the intake."""

    step = InterviewStep.DELIVER_SERVICE
    changes = frozenset({Change.DELIVERY, Change.REQUEST, Change.INTERVIEW})
    auto_advance = False
    refresh_on_entry = True

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.setSubTitle(
            self.tr(
                "When the committee has approved the request, record the service delivered. "
                "Until it answers, close the window: the intake waits in your drafts."
            )
        )
        self.review: iv.RequestReview | None = None
        self._service_chosen = False
        self.status = QLabel()
        self.status.setObjectName("request_status")
        self.status.setWordWrap(True)
        self.check_again = QPushButton(self.tr("Check the committee's &answer again"))
        self.check_again.setObjectName("check_again")
        self.check_again.clicked.connect(self.refresh)
        self.service_type = _enum_combo(list(ServiceType))
        self.service_type.setObjectName("service_type")
        self.amount = QLineEdit()
        self.amount.setObjectName("service_amount")
        self.items = QLineEdit()
        self.items.setObjectName("service_items")
        self.items.setPlaceholderText(self.tr("e.g. a food basket for a family of five"))
        self.delivered_on = DualDateField(field="delivered_on")
        self.delivered_on.edit.setPlaceholderText(self.tr("Today, or a date such as 1446/02/25 هـ"))
        self.form_box = QGroupBox(self.tr("The service delivered"))
        form = QFormLayout(self.form_box)
        form.addRow(
            buddy(self.tr("&Service"), self.service_type),
            self.field("service_type", self.service_type),
        )
        form.addRow(
            buddy(self.tr("A&mount (riyals)"), self.amount), self.field("amount", self.amount)
        )
        form.addRow(buddy(self.tr("&Items"), self.items), self.field("items", self.items))
        form.addRow(buddy(self.tr("Delivered &on"), self.delivered_on.edit), self.delivered_on)
        self.watch("delivered_on", self.delivered_on, self.delivered_on.edit)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.check_again)
        self.print_button = IntakePrintButton(self.ctx)
        top.addWidget(self.print_button)
        self.body.addLayout(top)
        self.body.addWidget(self.form_box)
        self.body.addStretch(1)
        for widget in (self.service_type, self.amount, self.items, self.delivered_on):
            on_edit(widget, self.changed)
        self.form_box.setEnabled(False)

    def refresh(self) -> None:
        request_id = self.record.get("request_id")
        if not request_id:
            return
        self.ctx.run(
            lambda session, actor: iv.review_request(session, actor, request_id),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, review: iv.RequestReview) -> None:
        first = self.review is None
        self.print_button.show_for(self.record)  # what the person takes home today
        self.review = review
        status = label(review.status)
        if review.status == RequestStatus.APPROVED:
            approved = (
                self.tr("{amount} riyals").format(amount=format_money(review.approved_amount))
                if review.approved_amount is not None
                else self.tr("no amount")
            )
            text = self.tr("The committee approved the request: {amount}.").format(amount=approved)
            if review.delivered_total:
                text += " " + self.tr("Delivered so far: {amount} riyals.").format(
                    amount=format_money(review.delivered_total)
                )
        elif review.status in _ANSWERED:
            text = self.tr("The request is “{status}”: Finish closes the interview.").format(
                status=status
            )
            if review.reason:
                text += " " + review.reason
        else:
            text = self.tr(
                "The request is “{status}”. The committee answers by {date}; the service is "
                "recorded once it approves."
            ).format(status=status, date=review.committee_due or "—")
        self.status.setText(text)
        approved = review.status == RequestStatus.APPROVED
        self.form_box.setEnabled(approved and not self.done())
        if first and not self._service_chosen:
            set_text_of(self.service_type, iv.SERVICE_FOR[review.request_type].value)
        if approved and review.approved_amount is not None and not self.amount.text():
            self.amount.setText(format_money(review.approved_amount - review.delivered_total))
        if approved and not self.done():
            self.service_type.setFocus()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return super().isComplete() and self.review is not None and self.review.status in _ANSWERED

    def commit(self) -> bool:
        assert self.review is not None
        ids = (self.record["interview_id"], self.record["request_id"])
        if self.review.status == RequestStatus.APPROVED:
            values = {
                "service_type": text_of(self.service_type),
                "amount": self.amount.text(),
                "items": self.items.text(),
                "delivered_on": self.delivered_on.text(),
            }
            self.run_step(
                lambda session, actor: gi.deliver(
                    session, actor, interview_id=ids[0], request_id=ids[1], **values
                ),
                lambda delivery_id: self.record.update(delivery_id=delivery_id),
            )
        else:
            self.run_step(
                lambda session, actor: gi.close_interview(
                    session, actor, interview_id=ids[0], request_id=ids[1]
                ),
                lambda _none: self.record.update(delivery_id=None),
            )
        return False

    def _recorded(self, result: Any, on_done: Any) -> None:
        super()._recorded(result, on_done)
        self.intake.finish()

    def show_done(self) -> None:
        super().show_done()
        self.set_message(self.tr("Recorded. The intake is complete."))

    def set_locked(self, locked: bool) -> None:
        self.form_box.setEnabled(
            not locked and self.review is not None and self.review.status == RequestStatus.APPROVED
        )

    def dump(self) -> dict[str, Any]:
        return {
            "service_type": text_of(self.service_type),
            "amount": self.amount.text(),
            "items": self.items.text(),
            "delivered_on": self.delivered_on.text(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        for name in ("service_type", "amount", "items", "delivered_on"):
            if name in data:
                set_text_of(getattr(self, name), str(data[name]))
        # What the user chose before wins over the usual service of the request's kind.
        self._service_chosen = bool(data.get("service_type"))


PAGES: tuple[type[StepPage], ...] = (
    ReceivePage,
    VerifyPage,
    ReferPage,
    DeclarePage,
    SubmitPage,
    RegisterPage,
    DeliverPage,
)
