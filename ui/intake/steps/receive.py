"""Step 1 of the guided intake: receive the person — who came, on which channel, and what they
asked."""

from __future__ import annotations

from typing import Any

from db.enums import Channel, Gender, InterviewStep, RequestType
from romah_desktop.changes import Change
from romah_desktop.grammar import for_gender
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from ui.context import error_text
from ui.intake.base import StepPage, buddy, on_edit, set_text_of, text_of
from ui.intake.steps.widgets import enum_combo, text_box
from ui.qt import (
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.widgets.person_picker import PersonPicker

_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


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
        self.picker.results.setMaximumHeight(88)
        self.picker.sig_picked.connect(self._picked)
        self.chosen = QLabel(self.tr("No one chosen yet."))
        self.chosen.setObjectName("chosen_person")
        self.chosen.setWordWrap(True)
        self.register_new = QPushButton(self.tr("&Register a new person…"))
        self.register_new.setObjectName("register_new_person")
        self.register_new.clicked.connect(self.register_person)
        self.channel = enum_combo(list(Channel))
        self.channel.setObjectName("channel")
        self.request_type = enum_combo(list(RequestType))
        self.request_type.setObjectName("request_type")
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("Needed for cash and rent, e.g. 1500"))
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.subject.setPlaceholderText(self.tr("In a few words, e.g. help with the rent"))
        self.justification = text_box(80)
        self.justification.setObjectName("justification")
        self._address()
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
        # The channel and the request's type share a line: the step fits a laptop's screen
        # without scrolling.
        kind = QWidget()
        kind_layout = QHBoxLayout(kind)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.addWidget(self.field("channel", self.channel), 1)
        type_label = buddy(self.tr("Request &type"), self.request_type)
        # As tall as the list beside it, so that the two read on one line above the messages.
        type_label.setMinimumHeight(self.request_type.sizeHint().height())
        kind_layout.addWidget(type_label, 0, Qt.AlignmentFlag.AlignTop)
        kind_layout.addWidget(self.field("request_type", self.request_type), 1)
        form.addRow(buddy(self.tr("C&hannel"), self.channel), kind)
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
        self.record.pop("gender", None)
        # The later steps address the person in their grammar (a woman in the feminine).
        self.ctx.run(
            lambda session, actor: iv.person_summary(session, actor, beneficiary_id),
            lambda person: self._learn_gender(person.id, person.gender),
            lambda _error: None,  # unknown, the steps read as for anyone
            owner=self,
        )
        self.chosen.setText(self.tr("Chosen: {person}").format(person=text))
        self.clear_field_error("beneficiary_id")
        self.intake.update_title()
        self.changed()
        self.channel.setFocus()

    def _learn_gender(self, beneficiary_id: str, gender: Gender | None) -> None:
        if self.record.get("beneficiary_id") == beneficiary_id and gender is not None:
            self.record["gender"] = gender.value
            self.intake.update_title()
            self._address()

    def _address(self) -> None:
        """Word the step for the person chosen: a woman is described in the feminine."""
        self.justification.setPlaceholderText(
            for_gender(
                self.record.get("gender"),
                self.tr("The person's situation and why they need support"),
                self.tr("The person's situation and why they need support", "feminine"),
            )
        )

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
        self._address()
        if self.record.get("beneficiary_id"):
            self.chosen.setText(
                self.tr("Chosen: {person}").format(person=self.record.get("person_text", ""))
            )
