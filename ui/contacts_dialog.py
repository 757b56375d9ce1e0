"""Log a contact on one of the policy's eight channels, with a registered person or as an
inquiry from someone not yet registered."""

from __future__ import annotations

from db.enums import Channel
from romah_desktop.changes import Change
from romah_desktop.errors import FormErrors, NotFound, RomahError, ValidationError
from romah_desktop.labels import label
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.queues import person_line
from ui.context import AppContext, error_text
from ui.qt import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QRadioButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import ERROR_STYLE, DualDateField, ErrorLabel
from ui.widgets.form_rows import fit_to_screen
from ui.widgets.person_picker import PersonPicker
from ui.widgets.tables import follow_reading_side


class ContactDialog(QDialog):
    """Log a contact: the channel, who it was with, what it was about, a letter's reference
    and date, and when to follow it up (which puts it in Today on that day)."""

    sig_saved = Signal(str)
    """The contact was logged; the argument is its id."""

    def __init__(
        self, ctx: AppContext, beneficiary_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fixed_person = beneficiary_id
        self.person_id: str | None = beneficiary_id
        self.setObjectName("contact_dialog")
        self.setWindowTitle(self.tr("Log a contact"))
        self.resize(900, 420)
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}

        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for channel in Channel:
            self.channel.addItem(label(channel), channel)
        self.registered = QRadioButton(self.tr("A registered person"))
        self.registered.setObjectName("registered")
        self.inquiry = QRadioButton(self.tr("Someone not yet registered (an inquiry)"))
        self.inquiry.setObjectName("inquiry")
        self.who = QButtonGroup(self)
        self.who.addButton(self.registered)
        self.who.addButton(self.inquiry)
        self.registered.setChecked(True)
        self.picker = PersonPicker(ctx)
        self.picker.results.setMaximumHeight(110)
        self.person = QLabel()
        self.person.setObjectName("person_chosen")
        self.person.setWordWrap(True)
        self.inquirer_name = QLineEdit()
        self.inquirer_name.setObjectName("inquirer_name")
        self.inquirer_phone = QLineEdit()
        self.inquirer_phone.setObjectName("inquirer_phone")
        self.inquirer_phone.setPlaceholderText("05XXXXXXXX")
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        follow_reading_side(self.notes)
        self.notes.setMaximumHeight(90)
        self.letter_reference = QLineEdit()
        self.letter_reference.setObjectName("letter_reference")
        self.letter_date = DualDateField(field="letter_date")
        self.follow_up_on = DualDateField(field="follow_up_on")
        self.message = QLabel()
        self.message.setObjectName("contact_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_contact")

        who = QWidget()
        who_layout = QVBoxLayout(who)  # one above the other: the column stays narrow
        who_layout.setContentsMargins(0, 0, 0, 0)
        who_layout.setSpacing(2)
        who_layout.addWidget(self.registered)
        who_layout.addWidget(self.inquiry)
        person_box = QWidget()
        person_layout = QVBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.picker)
        person_layout.addWidget(self.person)

        # Two columns, so that the dialog fits a laptop at 150 %: who the contact was with on
        # the reading side, what it was about beside it (in the order Tab goes through them).
        self.form = QFormLayout()
        self.about = QFormLayout()
        for form in (self.form, self.about):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(self.tr("Channel"), self._with_error("channel", self.channel))
        self.form.addRow(self.tr("With"), who)
        self.form.addRow(self.tr("Person"), self._with_error("beneficiary_id", person_box))
        self.form.addRow(
            self.tr("Inquirer's name"), self._with_error("inquirer_name", self.inquirer_name)
        )
        self.form.addRow(
            self.tr("Inquirer's mobile"), self._with_error("inquirer_phone", self.inquirer_phone)
        )
        self.about.addRow(self.tr("Subject"), self._with_error("subject", self.subject))
        self.about.addRow(self.tr("Notes"), self._with_error("notes", self.notes))
        self.about.addRow(
            self.tr("Letter reference number"),
            self._with_error("letter_reference", self.letter_reference),
        )
        self.about.addRow(self.tr("Letter date"), self._with_error("letter_date", self.letter_date))
        self.about.addRow(
            self.tr("Follow up on"), self._with_error("follow_up_on", self.follow_up_on)
        )
        self.who_row = who
        columns = QHBoxLayout()
        columns.addLayout(self.form, 1)
        columns.addSpacing(16)
        columns.addLayout(self.about, 1)
        # The general message beside the buttons: always in sight, and no line of its own.
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(bottom)
        # Made the default once in the dialog, so that it stays the default after Tab has been
        # through the buttons: Enter in any field saves.
        self.save_button.setDefault(True)

        self.channel.currentIndexChanged.connect(lambda _i: self._arrange())
        self.registered.toggled.connect(lambda _on: self._arrange())
        self.picker.sig_picked.connect(self._picked)
        self.picker.query.installEventFilter(self)
        self.picker.results.installEventFilter(self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if beneficiary_id is not None:
            ctx.run(
                lambda session, actor: person_line(session, actor, beneficiary_id),
                self.person.setText,
                lambda error: self._show_error("beneficiary_id", error_text(error)),
                owner=self,
            )
        self._arrange()
        fit_to_screen(self)
        self.channel.setFocus()

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        """The field with its message under it (its line kept while there is none)."""
        self.inputs[field] = widget
        box = QWidget()
        box.setObjectName(f"{field}_row")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        if isinstance(widget, DualDateField):
            self.errors[field] = widget.error  # the date field shows its own message
            return box
        error = ErrorLabel(field)
        self.errors[field] = error
        layout.addWidget(error)
        return box

    def _row_visible(self, field: str, visible: bool) -> None:
        row = self.inputs[field].parentWidget()
        form = self.form if self.form.indexOf(row) >= 0 else self.about
        form.setRowVisible(row, visible)

    def _arrange(self) -> None:
        """Show the fields that apply: the person or the inquirer, a letter's details."""
        fixed = self.fixed_person is not None
        registered = fixed or self.registered.isChecked()
        self.form.setRowVisible(self.who_row, not fixed)
        self.picker.setVisible(not fixed)
        self._row_visible("beneficiary_id", registered)
        self._row_visible("inquirer_name", not registered)
        self._row_visible("inquirer_phone", not registered)
        letter = self.channel.currentData() == Channel.LETTER
        self._row_visible("letter_reference", letter)
        self._row_visible("letter_date", letter)
        layout = self.layout()
        if layout is not None:
            layout.activate()  # lay the rows out now, not at the next event

    def _picked(self, person_id: str, text: str) -> None:
        self.person_id = person_id
        self.person.setText(self.tr("Chosen: {person}").format(person=text))
        self._show_error("beneficiary_id", "")
        # After the Enter that picked has been dealt with (see eventFilter).
        QTimer.singleShot(0, self.subject.setFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Enter in the person search picks the person; it must not also press Save (the
        # dialog's default button, which Enter presses everywhere else).
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if watched is self.picker.query:
                self.picker.query.returnPressed.emit()
                return True
            item = self.picker.results.currentItem()
            if watched is self.picker.results and item is not None:
                self.picker.results.itemActivated.emit(item)
                return True
        return super().eventFilter(watched, event)

    def _show_error(self, field: str, text: str) -> None:
        error = self.errors.get(field)
        if error is None:
            self.message.setText(text)
            return
        error.setText(text)

    def clear_errors(self) -> None:
        for field in self.errors:
            self._show_error(field, "")
        self.message.clear()

    def save(self) -> None:
        """Log the contact on the worker; on bad input, show each message beside its field."""
        self.clear_errors()
        registered = self.fixed_person is not None or self.registered.isChecked()
        if registered and self.person_id is None:
            self._show_error(
                "beneficiary_id",
                self.tr(
                    "Search for the person and choose them from the list, or choose "
                    "“Someone not yet registered”."
                ),
            )
            self.picker.query.setFocus()
            return
        channel = self.channel.currentData()
        letter = channel == Channel.LETTER
        values = {
            "channel": channel,
            "subject": self.subject.text(),
            "beneficiary_id": self.person_id if registered else None,
            "inquirer_name": None if registered else self.inquirer_name.text(),
            "inquirer_phone": None if registered else self.inquirer_phone.text(),
            "notes": self.notes.toPlainText(),
            "letter_reference": self.letter_reference.text() if letter else None,
            "letter_date": self.letter_date.text() if letter else None,
            "follow_up_on": self.follow_up_on.text(),
        }
        self.save_button.setEnabled(False)
        self.message.setText(self.tr("Saving…"))
        self.message.setStyleSheet("")
        self.ctx.run(
            lambda session, actor: log_contact(session, actor, **values).id,
            self._saved,
            self._failed,
            changes={Change.CONTACT},
            owner=self,
        )

    def _saved(self, contact_id: str) -> None:
        self.save_button.setEnabled(True)
        self.message.clear()
        self.sig_saved.emit(contact_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.clear()
        self.message.setStyleSheet(ERROR_STYLE)
        problems: list[RomahError]
        if isinstance(error, FormErrors):
            problems = list(error.errors)
        elif isinstance(error, ValidationError):
            problems = [error]
        elif isinstance(error, NotFound):
            problems = [ValidationError("beneficiary_id", error.message, **error.params)]
        else:
            self.message.setText(error_text(error))
            return
        for problem in problems:
            self._show_error(getattr(problem, "field", ""), problem.text())
        # The first field to correct, from the top of the form.
        for field, widget in self.inputs.items():
            if self.errors[field].isVisibleTo(self) and widget.isVisibleTo(self):
                widget.setFocus()
                break
