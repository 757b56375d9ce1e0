"""Satisfaction, suggestions and complaints: surveys taken after a service or a contact on any
channel (anonymous if the person wishes), and suggestions and complaints followed up from
recording to assigning, answering and closing, each with its due date (overdue ones flagged).

Rating the service is the beneficiary's right and a tool for improvement, never for
punishment: nothing here names the member of staff who served the person.
"""

from __future__ import annotations

from datetime import date, timedelta

from db.enums import Channel, FeedbackKind, FeedbackStatus
from romah_desktop.changes import Change
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.feedback import (
    Colleague,
    FeedbackRow,
    SurveyRow,
    answer_feedback,
    assign_feedback,
    close_feedback,
    feedback_assignees,
    list_feedback,
    list_surveys,
    record_feedback,
)
from ui.context import AppContext, error_text
from ui.pages import PageEntry
from ui.pages.survey import SurveyDialog
from ui.qt import (
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.form_dialog import ERROR_STYLE, FormDialog
from ui.widgets.form_rows import beside, lines_high
from ui.widgets.numbers import NumberBox
from ui.widgets.person_picker import PersonPicker
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    follow_reading_side,
    make_table,
    page_title,
    stretch_columns,
)

FEEDBACK_CHANGES = frozenset({Change.FEEDBACK, Change.SURVEY})
# The surveys tab lists the last days' surveys (reports aggregate the rest).
SURVEY_DAYS = 90
LIST_LIMIT = 1000


# --- surveys ------------------------------------------------------------------------------


class SurveysModel(RowsModel[SurveyRow]):
    """Surveys: date, channel, the four ratings, what it was about, the person, the comment."""

    DATE, CHANNEL, OVERALL, SPEED, COURTESY, CLARITY, ABOUT, PERSON, COMMENT = range(9)

    def headers(self) -> list[str]:
        return [
            self.tr("Date"),
            self.tr("Channel"),
            self.tr("Overall"),
            self.tr("Speed"),
            self.tr("Courtesy"),
            self.tr("Clarity"),
            self.tr("About"),
            self.tr("Person"),
            self.tr("Comment"),
        ]

    def cell(self, row: SurveyRow, column: int) -> str:
        ratings = {
            self.OVERALL: row.overall,
            self.SPEED: row.speed,
            self.COURTESY: row.courtesy,
            self.CLARITY: row.clarity,
        }
        if column in ratings:
            value = ratings[column]
            return "" if value is None else str(value)
        if column == self.DATE:
            return dual(row.collected_on)
        if column == self.CHANNEL:
            return label(row.channel)
        if column == self.ABOUT:
            if row.request_number:
                return self.tr("Request {number}").format(number=row.request_number)
            return self.tr("A contact") if row.about_contact else ""
        if column == self.PERSON:
            return self.tr("Anonymous") if row.anonymous else row.person_name
        if column == self.COMMENT:
            return row.comment or ""
        return ""


# --- suggestions and complaints -------------------------------------------------------------


class FeedbackModel(RowsModel[FeedbackRow]):
    """Suggestions and complaints: kind, received, due, status, assigned to, the text."""

    KIND, RECEIVED, DUE, STATUS, ASSIGNED, PERSON, TEXT = range(7)

    def headers(self) -> list[str]:
        return [
            self.tr("Kind"),
            self.tr("Received"),
            self.tr("Answer due"),
            self.tr("Status"),
            self.tr("Assigned to"),
            self.tr("From"),
            self.tr("Text"),
        ]

    def cell(self, row: FeedbackRow, column: int) -> str:
        if column == self.KIND:
            return label(row.kind)
        if column == self.RECEIVED:
            return dual(row.received_on)
        if column == self.DUE:
            return dual(row.due_on)
        if column == self.STATUS:
            if row.overdue:
                return self.tr("{status} — overdue").format(status=label(row.status))
            return label(row.status)
        if column == self.ASSIGNED:
            return row.assigned_to
        if column == self.PERSON:
            return row.person_name or self.tr("Anonymous")
        if column == self.TEXT:
            return " ".join(row.text.split())
        return ""

    def tooltip(self, row: FeedbackRow, column: int) -> str | None:
        if row.overdue:
            return self.tr("The answer was due on {date}.").format(date=dual(row.due_on))
        return None

    def late(self, row: FeedbackRow) -> bool:
        return row.overdue


class FeedbackDialog(FormDialog):
    """Record a suggestion or a complaint, about a registered person's file or anonymous."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("feedback_dialog")
        self.setWindowTitle(self.tr("New suggestion or complaint"))
        self.resize(620, 640)
        self.person_id: str | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in FeedbackKind:
            self.kind.addItem(label(kind), kind)
        self.kind.setCurrentIndex(self.kind.findData(FeedbackKind.COMPLAINT))
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for channel in Channel:
            self.channel.addItem(label(channel), channel)
        self.picker = PersonPicker(ctx)
        self.picker.results.setMaximumHeight(90)
        # Two results and two lines of text at the least: the form fits a laptop at 150 %,
        # and they grow when the window has room.
        self.picker.results.setMinimumHeight(lines_high(self.picker.results, 2))
        self.person = QLabel(self.tr("Anonymous (no person chosen)"))
        self.person.setObjectName("feedback_person")
        self.person.setWordWrap(True)
        # Who it is from beside the search, level with it, not on a line of its own.
        person_box = QWidget()
        person_layout = QHBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.picker, 3)
        self.person.setMinimumHeight(self.picker.query.sizeHint().height())
        person_layout.addWidget(self.person, 2, Qt.AlignmentFlag.AlignTop)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(lines_high(self.text, 2))
        follow_reading_side(self.text)
        self.due_in_days = NumberBox()
        self.due_in_days.setObjectName("due_in_days")
        self.due_in_days.setRange(1, 365)
        self.due_in_days.setValue(14)
        self.due_in_days.setSuffix(self.tr(" days"))
        self.due_on = QLabel()
        self.due_on.setObjectName("feedback_due_on")
        due_box = QWidget()
        due_layout = QHBoxLayout(due_box)
        due_layout.setContentsMargins(0, 0, 0, 0)
        due_layout.addWidget(self.due_in_days)
        due_layout.addWidget(self.due_on, 1)
        kind_row = self.add_field("kind", self.tr("Kind"), self.kind)
        channel_row = self.add_field("channel", self.tr("Received through"), self.channel)
        self.add_field("beneficiary_id", self.tr("From (optional)"), person_box, self.picker.query)
        self.add_field("text", self.tr("Text"), self.text)
        self.add_field("due_in_days", self.tr("Answer within"), due_box, self.due_in_days)
        # The kind and the channel on one line: the form fits a laptop at 150 %.
        beside(self.form, kind_row, channel_row)
        self.finish_layout()
        self.picker.sig_picked.connect(self._picked)
        self.due_in_days.valueChanged.connect(lambda _v: self._show_due())
        self._show_due()
        self.kind.setFocus()

    def _show_due(self) -> None:
        due = date.today() + timedelta(days=self.due_in_days.value())
        self.due_on.setText(self.tr("due on {date}").format(date=dual(due)))

    def _picked(self, person_id: str, text: str) -> None:
        self.person_id = person_id
        self.person.setText(self.tr("From: {person}").format(person=text))
        self.text.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # Enter in the person search picks the person; it must not also save the form.
        focus = self.focusWidget()
        if (
            focus is not None
            and self.picker.isAncestorOf(focus)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def save(self) -> None:
        self.clear_errors()
        values = {
            "kind": self.kind.currentData(),
            "channel": self.channel.currentData(),
            "text": self.text.toPlainText(),
            "beneficiary_id": self.person_id,
            "due_in_days": self.due_in_days.value(),
        }
        self.submit(
            lambda session, actor: record_feedback(session, actor, **values).id, {Change.FEEDBACK}
        )


class AssignDialog(FormDialog):
    """Give a suggestion or complaint to a colleague of the branch to follow up."""

    sig_loaded = Signal(int)
    """The colleagues are listed; the argument is how many."""

    def __init__(
        self, ctx: AppContext, feedback: FeedbackRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.feedback = feedback
        self.setObjectName("assign_dialog")
        self.setWindowTitle(self.tr("Assign for follow-up"))
        self.user = QComboBox()
        self.user.setObjectName("user_id")
        self.add_field("user_id", self.tr("Follow-up by"), self.user)
        self.finish_layout()
        self.save_button.setEnabled(False)
        ctx.run(
            lambda session, actor: feedback_assignees(session, actor, feedback.id),
            self._show_users,
            lambda error: self.set_message(error_text(error), error=True),
            owner=self,
        )

    def _show_users(self, users: list[Colleague]) -> None:
        for user in users:
            self.user.addItem(user.full_name, user.user_id)
        if self.feedback.assigned_to_user_id:
            self.user.setCurrentIndex(self.user.findData(self.feedback.assigned_to_user_id))
        self.save_button.setEnabled(bool(users))
        self.user.setFocus()
        self.sig_loaded.emit(len(users))

    def save(self) -> None:
        self.clear_errors()
        user_id = self.user.currentData() or ""
        feedback_id = self.feedback.id
        self.submit(
            lambda session, actor: assign_feedback(session, actor, feedback_id, user_id).id,
            {Change.FEEDBACK},
        )


class AnswerDialog(FormDialog):
    """Record the response given to a suggestion or complaint."""

    def __init__(
        self, ctx: AppContext, feedback: FeedbackRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.feedback = feedback
        self.setObjectName("answer_dialog")
        self.setWindowTitle(self.tr("Answer"))
        self.resize(560, 420)
        what = QLabel(feedback.text)
        what.setObjectName("answered_text")
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.response = QPlainTextEdit()
        self.response.setObjectName("response")
        self.response.setTabChangesFocus(True)
        follow_reading_side(self.response)
        self.form.addRow(label(feedback.kind), what)
        self.add_field("response", self.tr("Response given"), self.response)
        self.finish_layout()
        self.response.setFocus()

    def save(self) -> None:
        self.clear_errors()
        text = self.response.toPlainText()
        feedback_id = self.feedback.id
        self.submit(
            lambda session, actor: answer_feedback(session, actor, feedback_id, text).id,
            {Change.FEEDBACK},
        )


class FeedbackPage(QWidget):
    """Suggestions and complaints to follow up, and the satisfaction surveys taken."""

    sig_loaded = Signal(int)
    """The suggestions and complaints are listed; the argument is how many."""

    sig_surveys_loaded = Signal(int)
    """The surveys are listed; the argument is how many."""

    sig_dialog_opened = Signal(object)
    """A form opened from the page; the argument is the dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: FormDialog | None = None
        self.wanted: str | None = None  # the item to select once the list is loaded
        self.tabs = QTabWidget()
        self.tabs.setObjectName("feedback_tabs")
        self.tabs.addTab(self._feedback_tab(), self.tr("Suggestions and complaints"))
        self.tabs.addTab(self._surveys_tab(), self.tr("Satisfaction surveys"))
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Satisfaction, suggestions and complaints")))
        layout.addWidget(self.tabs, 1)
        ctx.sig_changed.connect(self._changed)

    # --- building -------------------------------------------------------------------------

    def _feedback_tab(self) -> QWidget:
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("feedback_show_filter")
        self.show_filter.addItem(self.tr("Not closed"), True)
        self.show_filter.addItem(self.tr("All, closed too"), False)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("feedback_kind_filter")
        self.kind_filter.addItem(self.tr("Suggestions and complaints"), None)
        for kind in FeedbackKind:
            self.kind_filter.addItem(label(kind), kind)
        self.new_button = QPushButton(self.tr("&New…"))
        self.new_button.setObjectName("new_feedback")
        self.assign_button = QPushButton(self.tr("&Assign…"))
        self.assign_button.setObjectName("assign_feedback")
        self.answer_button = QPushButton(self.tr("A&nswer…"))
        self.answer_button.setObjectName("answer_feedback")
        self.close_button = QPushButton(self.tr("C&lose"))
        self.close_button.setObjectName("close_feedback")
        self.model = FeedbackModel(self)
        self.view = make_table("feedback_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, FeedbackModel.TEXT)
        self.details = QPlainTextEdit()
        self.details.setObjectName("feedback_details")
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        follow_reading_side(self.details)
        self.count = QLabel()
        self.count.setObjectName("feedback_count")
        self.count.setWordWrap(True)
        self.show_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button.clicked.connect(lambda: self.new_feedback())
        self.assign_button.clicked.connect(lambda: self.assign_current())
        self.answer_button.clicked.connect(lambda: self.answer_current())
        self.close_button.clicked.connect(self.close_current)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Show")))
        filters.addWidget(self.show_filter)
        filters.addWidget(self.kind_filter)
        filters.addStretch(1)
        filters.addWidget(self.new_button)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        for button in (self.assign_button, self.answer_button, self.close_button):
            actions.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        return tab

    def _surveys_tab(self) -> QWidget:
        self.survey_button = QPushButton(self.tr("New &survey…"))
        self.survey_button.setObjectName("new_survey")
        self.survey_button.clicked.connect(lambda: self.new_survey())
        self.surveys_model = SurveysModel(self)
        self.surveys_view = make_table("surveys_table")
        self.surveys_view.setModel(self.surveys_model)
        stretch_columns(self.surveys_view, SurveysModel.COMMENT)
        self.surveys_count = QLabel()
        self.surveys_count.setObjectName("surveys_count")
        top = QHBoxLayout()
        top.addWidget(
            QLabel(
                self.tr("Surveys of the last {days}.").format(
                    days=count_phrase(SURVEY_DAYS, DAY, oblique=True)
                )
            ),
            1,
        )
        top.addWidget(self.survey_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.surveys_view, 1)
        layout.addWidget(self.surveys_count)
        return tab

    # --- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Load both lists again."""
        if not self.ctx.signed_in:
            return
        role = self.ctx.actor.roles
        self.new_button.setEnabled(allowed(role, Permission.RECORD_FEEDBACK))
        self.survey_button.setEnabled(allowed(role, Permission.RECORD_SURVEY))
        today = date.today()
        open_only = bool(self.show_filter.currentData())
        kind = self.kind_filter.currentData()
        self.count.setText(self.tr("Loading…"))
        self.ctx.run(
            lambda session, actor: list_feedback(
                session, actor, today, open_only=open_only, kind=kind, limit=LIST_LIMIT
            ),
            lambda rows: self._show(rows, today),
            lambda error: self.count.setText(error_text(error)),
            owner=self,
        )
        if allowed(role, Permission.RECORD_SURVEY) or allowed(role, Permission.MANAGE_FEEDBACK):
            since = today - timedelta(days=SURVEY_DAYS)
            self.ctx.run(
                lambda session, actor: list_surveys(session, actor, since=since, limit=LIST_LIMIT),
                self._show_surveys,
                lambda error: self.surveys_count.setText(error_text(error)),
                owner=self,
            )
        else:
            self.tabs.setTabEnabled(1, False)

    def show_item(self, feedback_id: str) -> None:
        """Select the suggestion or complaint when the list next loads (e.g. opened from
        Today), showing every kind on the first tab."""
        self.wanted = feedback_id
        self.tabs.setCurrentIndex(0)
        self.kind_filter.setCurrentIndex(0)

    def _show(self, rows: list[FeedbackRow], today: date) -> None:
        current = self.wanted or self.view.currentIndex().data(RowRole.ID)
        self.wanted = None
        self.model.set_rows(rows, today)
        overdue = sum(1 for row in rows if row.overdue)
        if not rows:
            self.count.setText(self.tr("Nothing to follow up."))
        elif overdue:
            self.count.setText(
                self.tr("Listed: {count}; overdue: {overdue}.").format(
                    count=len(rows), overdue=overdue
                )
            )
            self.count.setStyleSheet(ERROR_STYLE)
        else:
            self.count.setText(self.tr("Listed: {count}.").format(count=len(rows)))
            self.count.setStyleSheet("")
        row = self.model.row_of(str(current)) if current else -1
        if rows:
            self.view.setCurrentIndex(self.model.index(max(row, 0), 0))
        self._current_changed(self.view.currentIndex())
        self.sig_loaded.emit(len(rows))

    def _show_surveys(self, rows: list[SurveyRow]) -> None:
        self.surveys_model.set_rows(rows)
        if rows:
            average = sum(r.overall for r in rows) / len(rows)
            self.surveys_count.setText(
                self.tr("Surveys: {count}; average overall rating: {average}.").format(
                    count=len(rows), average=f"{average:.1f}"
                )
            )
        else:
            self.surveys_count.setText(self.tr("No surveys in this period."))
        self.sig_surveys_loaded.emit(len(rows))

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & FEEDBACK_CHANGES and self.isVisible():
            self.refresh()

    # --- the selected item ----------------------------------------------------------------

    def current(self) -> FeedbackRow | None:
        row = self.view.currentIndex().data(RowRole.RECORD)
        return row if isinstance(row, FeedbackRow) else None

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = self.current()
        manager = allowed(self.ctx.actor.roles, Permission.MANAGE_FEEDBACK)
        waiting = row is not None and row.status in (FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED)
        mine = row is not None and row.assigned_to_user_id == self.ctx.actor.user_id
        self.assign_button.setEnabled(manager and waiting)
        self.answer_button.setEnabled(waiting and (manager or mine))
        self.close_button.setEnabled(
            manager and row is not None and row.status == FeedbackStatus.ANSWERED
        )
        if row is None:
            self.details.clear()
            return
        parts = [row.text]
        if row.overdue:
            parts.append(self.tr("The answer was due on {date}.").format(date=dual(row.due_on)))
        if row.response:
            parts.append(self.tr("Response: {response}").format(response=row.response))
        self.details.setPlainText("\n\n".join(parts))

    # --- actions --------------------------------------------------------------------------

    def _open(self, dialog: FormDialog) -> FormDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def new_feedback(self) -> FormDialog:
        return self._open(FeedbackDialog(self.ctx, self))

    def new_survey(self) -> FormDialog:
        return self._open(SurveyDialog(self.ctx, self))

    def assign_current(self) -> FormDialog | None:
        row = self.current()
        return None if row is None else self._open(AssignDialog(self.ctx, row, self))

    def answer_current(self) -> FormDialog | None:
        row = self.current()
        return None if row is None else self._open(AnswerDialog(self.ctx, row, self))

    def close_current(self) -> None:
        """Close the selected answered suggestion or complaint."""
        row = self.current()
        if row is None:
            return
        feedback_id = row.id
        self.close_button.setEnabled(False)
        self.ctx.run(
            lambda session, actor: close_feedback(session, actor, feedback_id).id,
            lambda _id: self.count.setText(self.tr("Closed.")),
            lambda error: self.count.setText(error_text(error)),
            changes={Change.FEEDBACK},
            owner=self,
        )


def feedback_pages(ctx: AppContext) -> list[PageEntry]:
    """The satisfaction and feedback page, for the roles that record or follow them up."""
    role = ctx.actor.roles
    if not (allowed(role, Permission.RECORD_FEEDBACK) or allowed(role, Permission.MANAGE_FEEDBACK)):
        return []
    name = QCoreApplication.translate("FeedbackPage", "Satisfaction and complaints")
    return [("feedback", name, FeedbackPage)]
