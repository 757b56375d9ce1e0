"""The satisfaction survey: a short form taken after a service or a contact on any channel
(anonymous if the person wishes), worded for the person it is about.

Rating the service is the beneficiary's right and a tool for improvement, never for
punishment: nothing here names the member of staff who served the person.
"""

from __future__ import annotations

from datetime import date

from db.enums import Channel, Gender
from romah_desktop.changes import Change
from romah_desktop.grammar import for_gender
from romah_desktop.labels import label
from romah_desktop.services.feedback import (
    RATING_MAX,
    RATING_MIN,
    SurveySubject,
    record_survey,
    survey_subjects,
)
from romah_desktop.services.people.beneficiaries import get_beneficiary
from romah_desktop.services.queues import person_line
from ui.context import AppContext, error_text
from ui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QToolButton,
    QWidget,
    Signal,
)
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_rows import beside
from ui.widgets.tables import dual, follow_reading_side


class RatingField(QWidget):
    """A rating typed as a number (Arabic-Indic digits too) or chosen with its button 1–5.

    What was typed stays as typed: the core says when it is not a whole number from 1 to 5.
    """

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(field)
        self.edit.setMaxLength(4)
        self.edit.setMaximumWidth(90)
        self.edit.setPlaceholderText(
            self.tr("{min} to {max}").format(min=RATING_MIN, max=RATING_MAX)
        )
        self.buttons: list[QToolButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        for value in range(RATING_MIN, RATING_MAX + 1):
            button = QToolButton()
            button.setText(str(value))
            button.setObjectName(f"{field}_{value}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard types the number
            button.clicked.connect(lambda _checked=False, v=value: self._choose(v))
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def _choose(self, value: int) -> None:
        self.edit.setText(str(value))
        self.edit.textEdited.emit(self.edit.text())  # clears the old message, as typing does

    def text(self) -> str:
        return self.edit.text()


class SurveyDialog(FormDialog):
    """A short satisfaction survey: overall 1–5, speed, courtesy and clarity, a comment.

    Opened after a delivery or a contact it is about that (`request_id` / `contact_id` with
    `about`); opened alone, it offers the branch's recent contacts and services to choose from.
    """

    sig_subjects = Signal(int)
    """The recent contacts and services to choose from are listed; the argument is how many."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        channel: Channel | None = None,
        beneficiary_id: str | None = None,
        request_id: str | None = None,
        contact_id: str | None = None,
        about: str | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("survey_dialog")
        self.setWindowTitle(self.tr("Satisfaction survey"))
        self.resize(600, 620)
        self.beneficiary_id = beneficiary_id
        self.request_id = request_id
        self.contact_id = contact_id
        self.fixed = about is not None
        self.intro = QLabel()
        self.intro.setObjectName("survey_intro")
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.about_label = QLabel(about or "")
        self.about_label.setObjectName("survey_about")
        self.about_label.setWordWrap(True)
        self.subjects = QComboBox()
        self.subjects.setObjectName("survey_subject")
        self.subjects.addItem(self.tr("No particular contact or service"), None)
        # A long choice is elided, not widening the window past a laptop's screen.
        self.subjects.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.subjects.setMinimumContentsLength(24)
        self.person = QLabel()
        self.person.setObjectName("survey_person")
        self.person.setWordWrap(True)
        self.anonymous = QCheckBox()
        self.anonymous.setObjectName("anonymous")
        person_box = QWidget()
        person_layout = QHBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.person, 1)
        person_layout.addWidget(self.anonymous)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for member in Channel:
            self.channel.addItem(label(member), member)
        if channel is not None:
            self.channel.setCurrentIndex(self.channel.findData(channel))
        self.ratings = {
            "overall": RatingField("overall"),
            "speed": RatingField("speed"),
            "courtesy": RatingField("courtesy"),
            "clarity": RatingField("clarity"),
        }
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(100)
        follow_reading_side(self.comment)
        if self.fixed:
            about_row: QWidget = self.about_label
            self.form.addRow(self.tr("About"), self.about_label)
        else:
            about_row = self.add_field("contact_id", self.tr("About"), self.subjects)
        channel_row = self.add_field("channel", self.tr("Channel"), self.channel)
        self.person_row = self.add_field(
            "beneficiary_id", self.tr("Person"), person_box, self.person
        )
        titles = {
            "overall": self.tr("Overall (required)"),
            "speed": self.tr("Speed"),
            "courtesy": self.tr("Courtesy"),
            "clarity": self.tr("Clarity"),
        }
        rows = {}
        for field, widget in self.ratings.items():
            rows[field] = self.add_field(field, titles[field], widget, widget.edit)
            widget.edit.textEdited.connect(lambda _t, f=field: self.show_error(f, ""))
        self.add_field("comment", self.tr("Comment"), self.comment)
        # Two to a line (the channel with what the survey is about, the ratings in pairs):
        # one to a line the form was taller than a laptop at 150 % shows.
        beside(self.form, about_row, channel_row)
        moved = [
            beside(self.form, rows["overall"], rows["speed"]),
            beside(self.form, rows["courtesy"], rows["clarity"]),
        ]
        widest = max(t.sizeHint().width() for t in moved if t is not None)
        for title in moved:
            if title is not None:
                title.setMinimumWidth(widest)
        self.finish_layout()
        self._address(None)
        self.anonymous.toggled.connect(lambda _on: self._show_person())
        self.subjects.currentIndexChanged.connect(lambda _i: self._subject_chosen())
        self._person_text = ""
        if self.fixed:
            self._load_person()
        else:
            self.subjects.setEnabled(False)
            today = date.today()
            ctx.run(
                lambda session, actor: survey_subjects(session, actor, today),
                self._show_subjects,
                lambda error: self.set_message(error_text(error), error=True),
                owner=self,
            )
        self._show_person()
        self.ratings["overall"].setFocus()

    def _address(self, gender: Gender | None) -> None:
        """Word the survey for the person it is about: a woman is spoken of in the feminine
        (and anyone not named in the masculine, the wording for anyone)."""
        self.intro.setText(
            for_gender(
                gender,
                self.tr(
                    "Rating the service is the beneficiary's right and helps us improve; it is "
                    "never used to blame anyone. 1 = poor, 5 = excellent."
                ),
                self.tr(
                    "Rating the service is the beneficiary's right and helps us improve; it is "
                    "never used to blame anyone. 1 = poor, 5 = excellent.",
                    "feminine",
                ),
            )
        )
        self.anonymous.setText(
            for_gender(
                gender,
                self.tr("The person prefers to stay &anonymous"),
                self.tr("The person prefers to stay &anonymous", "feminine"),
            )
        )
        title = self.form.labelForField(self.person_row)
        if isinstance(title, QLabel):
            title.setText(for_gender(gender, self.tr("Person"), self.tr("Person", "feminine")))

    def _load_person(self) -> None:
        beneficiary_id = self.beneficiary_id
        if beneficiary_id is None:
            self._person_text = ""
            self._address(None)
            self._show_person()
            return
        self.ctx.run(
            lambda session, actor: (
                person_line(session, actor, beneficiary_id),
                get_beneficiary(session, actor, beneficiary_id).gender,
            ),
            self._person_loaded,
            lambda error: self.show_error("beneficiary_id", error_text(error)),
            owner=self,
        )

    def _person_loaded(self, loaded: tuple[str, Gender | None]) -> None:
        self._person_text, gender = loaded
        self._address(gender)
        self._show_person()

    def _load_gender(self, beneficiary_id: str) -> None:
        def shown(gender: Gender | None) -> None:
            if self.beneficiary_id == beneficiary_id:  # not another choice since
                self._address(gender)

        self.ctx.run(
            lambda session, actor: get_beneficiary(session, actor, beneficiary_id).gender,
            shown,
            lambda error: self.show_error("beneficiary_id", error_text(error)),
            owner=self,
        )

    def _show_subjects(self, subjects: list[SurveySubject]) -> None:
        for subject in subjects:
            if subject.kind == "delivery":
                text = self.tr("Service: {service}, request {number} — {person} — {date}").format(
                    service=label(subject.service_type) if subject.service_type else "",
                    number=subject.subject,
                    person=subject.person_name,
                    date=dual(subject.day),
                )
            else:
                text = self.tr("Contact by {channel}: {subject} — {person} — {date}").format(
                    channel=label(subject.channel),
                    subject=subject.subject,
                    person=subject.person_name or self.tr("an inquirer"),
                    date=dual(subject.day),
                )
            self.subjects.addItem(text, subject)
        self.subjects.setEnabled(True)
        self.sig_subjects.emit(len(subjects))

    def _subject_chosen(self) -> None:
        subject = self.subjects.currentData()
        if isinstance(subject, SurveySubject):
            self.beneficiary_id = subject.beneficiary_id
            self.request_id = subject.request_id
            self.contact_id = subject.id if subject.kind == "contact" else None
            self.channel.setCurrentIndex(self.channel.findData(subject.channel))
            self._person_text = subject.person_name if subject.beneficiary_id else ""
        else:
            self.beneficiary_id = self.request_id = self.contact_id = None
            self._person_text = ""
        self._address(None)
        if self.beneficiary_id is not None:
            self._load_gender(self.beneficiary_id)
        self._show_person()

    def _show_person(self) -> None:
        named = self.beneficiary_id is not None
        self.anonymous.setVisible(named)
        if named and not self.anonymous.isChecked():
            self.person.setText(self._person_text or self.tr("Loading…"))
        else:
            self.person.setText(self.tr("Anonymous: the survey does not record who answered it."))

    def save(self) -> None:
        self.clear_errors()
        anonymous = self.beneficiary_id is None or self.anonymous.isChecked()
        values = {
            "channel": self.channel.currentData(),
            "overall": self.ratings["overall"].text(),
            "speed": self.ratings["speed"].text(),
            "courtesy": self.ratings["courtesy"].text(),
            "clarity": self.ratings["clarity"].text(),
            "comment": self.comment.toPlainText(),
            "beneficiary_id": None if anonymous else self.beneficiary_id,
            "request_id": None if anonymous else self.request_id,
            # An anonymous survey keeps only an inquirer's contact (it names nobody).
            "contact_id": self.contact_id if not anonymous or self.beneficiary_id is None else None,
        }
        self.submit(
            lambda session, actor: record_survey(session, actor, **values).id, {Change.SURVEY}
        )


def open_survey(ctx: AppContext, parent: QWidget | None = None, **subject: object) -> SurveyDialog:
    """Open a satisfaction survey (about `subject`: channel, beneficiary_id, request_id,
    contact_id and its `about` text, when given)."""
    dialog = SurveyDialog(ctx, parent, **subject)  # type: ignore[arg-type]
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
