"""Today: the signed-in user's queue — follow-ups due, requests overdue or due soon, open
referrals to research and the requests awaiting the committee, for the parts of the work their
role does."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from romah_desktop.changes import Change
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.committee.watch import escalate_overdue
from romah_desktop.services.context import Actor
from romah_desktop.services.feedback import (
    FEEDBACK_DUE_SOON_DAYS,
    FeedbackDue,
    FeedbackRow,
    feedback_due,
)
from romah_desktop.services.intake.contacts import complete_follow_up
from romah_desktop.services.queues import (
    DUE_SOON_DAYS,
    TODAY_LIMIT,
    ContactRow,
    ReferralRow,
    Today,
    my_day,
)
from romah_desktop.validation import format_mobile_local
from ui.context import AppContext, error_text
from ui.pages.deadline_panel import DeadlinePanel, fit_rows
from ui.pages.feedback import FeedbackPage
from ui.pages.requests import RequestDetailsDialog, RequestsModel
from ui.qt import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.scrolling import fill_with_scrolled
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    make_table,
    page_title,
    stretch_columns,
)


class FollowUpsModel(RowsModel[ContactRow]):
    """Contacts whose follow-up is due: the date, the person, the channel and the subject."""

    DUE, PERSON, REACH, CHANNEL, SUBJECT = range(5)

    def headers(self) -> list[str]:
        return [
            self.tr("Follow up on"),
            self.tr("With"),
            self.tr("Mobile or file"),
            self.tr("Channel"),
            self.tr("Subject"),
        ]

    def cell(self, row: ContactRow, column: int) -> str:
        if column == self.DUE:
            return dual(row.follow_up_on)
        if column == self.PERSON:
            return row.person_name
        if column == self.REACH:
            if row.file_number:
                return row.file_number
            return format_mobile_local(row.inquirer_phone) if row.inquirer_phone else ""
        if column == self.CHANNEL:
            return label(row.channel)
        if column == self.SUBJECT:
            return row.subject
        return ""

    def tooltip(self, row: ContactRow, column: int) -> str | None:
        return row.notes if column == self.SUBJECT else None

    def late(self, row: ContactRow) -> bool:
        return row.follow_up_on is not None and row.follow_up_on < self.today


class ReferralsModel(RowsModel[ReferralRow]):
    """Open questions referred to social research."""

    REFERRED, PERSON, FILE, QUESTION, ASSIGNED = range(5)

    def headers(self) -> list[str]:
        return [
            self.tr("Referred on"),
            self.tr("Beneficiary"),
            self.tr("File number"),
            self.tr("Question"),
            self.tr("Assigned"),
        ]

    def cell(self, row: ReferralRow, column: int) -> str:
        if column == self.REFERRED:
            return dual(row.referred_at.astimezone().date())
        if column == self.PERSON:
            return row.person_name
        if column == self.FILE:
            return row.file_number
        if column == self.QUESTION:
            return " ".join(row.question.split())
        if column == self.ASSIGNED:
            return self.tr("To me") if row.assigned_to_me else self.tr("Not yet assigned")
        return ""

    def tooltip(self, row: ReferralRow, column: int) -> str | None:
        return row.question if column == self.QUESTION else None


class FeedbackDueModel(RowsModel[FeedbackRow]):
    """Suggestions and complaints waiting for their answer: when it is due, the kind, who
    follows it up and the text."""

    DUE, KIND, ASSIGNED, TEXT = range(4)

    def headers(self) -> list[str]:
        return [
            self.tr("Answer due"),
            self.tr("Kind"),
            self.tr("Assigned to"),
            self.tr("Text"),
        ]

    def cell(self, row: FeedbackRow, column: int) -> str:
        if column == self.DUE:
            return dual(row.due_on)
        if column == self.KIND:
            return label(row.kind)
        if column == self.ASSIGNED:
            return row.assigned_to or self.tr("Not yet assigned")
        if column == self.TEXT:
            return " ".join(row.text.split())
        return ""

    def tooltip(self, row: FeedbackRow, column: int) -> str | None:
        return row.text if column == self.TEXT else None

    def late(self, row: FeedbackRow) -> bool:
        return row.overdue


class _Section(QGroupBox):
    """One queue of the day: its table, or a line saying nothing is waiting."""

    def __init__(self, name: str, view: QTableView, empty: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.view = view
        self.empty = QLabel(empty)
        self.empty.setObjectName(f"{name}_empty")
        self.more = QLabel()
        self.more.setObjectName(f"{name}_more")
        self.more.setVisible(False)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.more)
        layout.addLayout(self.buttons)

    def show_count(self, title: str, count: int) -> None:
        self.setTitle(title)
        self.view.setVisible(count > 0)
        self.empty.setVisible(count == 0)


class TodayPage(QWidget):
    """The user's day, refreshed whenever it is shown and whenever records change."""

    sig_loaded = Signal(object)
    """The day's queues are on screen; the argument is the core's Today."""

    sig_feedback_loaded = Signal(object)
    """The feedback due is on screen; the argument is the core's FeedbackDue."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day: Today | None = None
        self.feedback: FeedbackDue | None = None
        self.limit = TODAY_LIMIT
        self.details: RequestDetailsDialog | None = None
        self.title = page_title()
        self.summary = QLabel()
        self.summary.setObjectName("today_summary")
        self.summary.setWordWrap(True)

        self.follow_ups = FollowUpsModel(self)
        self.overdue = RequestsModel(ctx, self)
        self.due_soon = RequestsModel(ctx, self)
        self.referrals = ReferralsModel(self)
        self.awaiting = RequestsModel(ctx, self)
        self.sections: dict[str, _Section] = {}
        for key, model, stretch, empty in (
            (
                "follow_ups",
                self.follow_ups,
                FollowUpsModel.SUBJECT,
                self.tr("No follow-up is due."),
            ),
            ("overdue", self.overdue, RequestsModel.PERSON, self.tr("No request is overdue.")),
            ("due_soon", self.due_soon, RequestsModel.PERSON, self.tr("No request is due soon.")),
            ("referrals", self.referrals, ReferralsModel.QUESTION, self.tr("No open referral.")),
            (
                "awaiting",
                self.awaiting,
                RequestsModel.PERSON,
                self.tr("No request awaits the committee."),
            ),
        ):
            view = make_table(f"today_{key}_table")
            view.setModel(model)
            view.setMinimumHeight(90)
            stretch_columns(view, stretch)
            if isinstance(model, RequestsModel):
                # Every request here is awaiting the committee: its status and amount say
                # nothing new, and the due date needs the room.
                view.setColumnHidden(RequestsModel.STATUS, True)
                view.setColumnHidden(RequestsModel.AMOUNT, True)
            self.sections[key] = _Section(f"today_{key}", view, empty)
        for key in ("overdue", "due_soon", "awaiting"):
            self.sections[key].view.activated.connect(self._open_request)
        self.done_button = QPushButton(self.tr("Follow-up done"))
        self.done_button.setObjectName("follow_up_done")
        self.done_button.clicked.connect(self.complete_selected_follow_up)
        self.sections["follow_ups"].buttons.addWidget(self.done_button)
        # Suggestions and complaints waiting for their answer, for those who follow them up.
        self.feedback_overdue = FeedbackDueModel(self)
        self.feedback_due_soon = FeedbackDueModel(self)
        self.feedback_sections: dict[str, _Section] = {}
        for key, model, empty in (
            (
                "feedback_overdue",
                self.feedback_overdue,
                self.tr("No suggestion or complaint is overdue."),
            ),
            (
                "feedback_due_soon",
                self.feedback_due_soon,
                self.tr("No suggestion or complaint is due soon."),
            ),
        ):
            view = make_table(f"today_{key}_table")
            view.setModel(model)
            stretch_columns(view, FeedbackDueModel.TEXT)
            view.activated.connect(self._open_feedback_index)
            section = _Section(f"today_{key}", view, empty)
            button = QPushButton(self.tr("Open in suggestions and complaints"))
            button.setObjectName(f"open_{key}")
            button.clicked.connect(lambda _checked=False, v=view: self._open_feedback_index(v))
            section.buttons.addWidget(button)
            section.setVisible(False)
            self.feedback_sections[key] = section
        self.message = QLabel()
        self.message.setObjectName("today_message")
        self.message.setWordWrap(True)

        # The day scrolls when its queues need more height than the screen has.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        for section in self.sections.values():
            layout.addWidget(section)
        for section in self.feedback_sections.values():
            layout.addWidget(section)
        self.deadlines = DeadlinePanel(ctx, self)
        layout.addWidget(self.deadlines)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._layout = layout
        fill_with_scrolled(self, content, "today_scroll")
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the day's queues for the signed-in user."""
        if not self.ctx.signed_in:
            return
        today = date.today()
        limit = self.limit
        self.summary.setText(self.tr("Loading…"))
        # Requests past the committee's due date are escalated before the day is read, so
        # that the manager finds them flagged without anyone acting.
        self.ctx.run(
            lambda session, actor: escalate_overdue(session, actor, today),
            self._escalated,
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )
        self.deadlines.refresh(today)
        self.ctx.run(
            lambda session, actor: my_day(session, actor, today, limit),
            self._show,
            lambda error: self.summary.setText(error_text(error)),
            owner=self,
        )
        if allowed(self.ctx.actor.role, Permission.MANAGE_FEEDBACK):
            self.ctx.run(
                lambda session, actor: feedback_due(session, actor, today),
                self._show_feedback,
                lambda error: self.message.setText(error_text(error)),
                owner=self,
            )

    def _escalated(self, request_ids: list[str]) -> None:
        # Only a write that escalated something is announced (the status bar, the committee's
        # pages look again); announcing none would reload Today for nothing.
        if request_ids:
            self.ctx.sig_changed.emit({Change.ESCALATION})

    def _show(self, day: Today) -> None:
        self.day = day
        self.title.setText(self.tr("Today, {date}").format(date=dual(day.day)))
        self.follow_ups.set_rows(day.follow_ups, day.day)
        self.overdue.set_rows(day.overdue, day.day)
        self.due_soon.set_rows(day.due_soon, day.day)
        self.referrals.set_rows(day.referrals, day.day)
        self.awaiting.set_rows(day.awaiting_committee, day.day)
        titles = {
            "follow_ups": self.tr("Follow-ups due ({count})"),
            "overdue": self.tr("Requests overdue for the committee's answer ({count})"),
            "due_soon": self.tr("Requests due within {days} ({count})"),
            "referrals": self.tr("Open referrals to social research ({count})"),
            "awaiting": self.tr("Requests awaiting the committee's decision ({count})"),
        }
        lists = {
            "follow_ups": "follow_ups",
            "overdue": "overdue",
            "due_soon": "due_soon",
            "referrals": "referrals",
            "awaiting": "awaiting_committee",
        }
        counts = {key: day.count(name) for key, name in lists.items()}
        shown = {key: len(getattr(day, name)) for key, name in lists.items()}
        applies = {
            "follow_ups": "follow_ups" in day.sections,
            "overdue": "requests" in day.sections,
            "due_soon": "requests" in day.sections,
            "referrals": "referrals" in day.sections,
            "awaiting": "committee" in day.sections,
        }
        for key, section in self.sections.items():
            title = titles[key].format(
                count=counts[key], days=count_phrase(DUE_SOON_DAYS, DAY, oblique=True)
            )
            section.show_count(title, counts[key])
            section.more.setVisible(shown[key] < counts[key])
            section.more.setText(
                self.tr("The {shown} most urgent are listed here.").format(shown=shown[key])
            )
            section.setVisible(applies[key])
            # Queues with something in them share the room; empty ones take one line.
            self._layout.setStretchFactor(section, 1 if counts[key] else 0)
        self.done_button.setEnabled(bool(day.follow_ups))
        self._summarise()
        self.sig_loaded.emit(day)

    def _summarise(self) -> None:
        """Say how much is waiting: the day's queues and the feedback due."""
        if self.day is None:
            return
        total = self.day.total + (self.feedback.total if self.feedback else 0)
        # With nothing waiting, the empty queues gather at the top.
        self._layout.setStretch(self._layout.count() - 1, 0 if total else 1)
        self._layout.activate()
        if total == 0:
            self.summary.setText(self.tr("Nothing is waiting for you today."))
        else:
            self.summary.setText(self.tr("Waiting for you: {count}.").format(count=total))

    def _show_feedback(self, due: FeedbackDue) -> None:
        self.feedback = due
        today = date.today()
        self.feedback_overdue.set_rows(due.overdue, today)
        self.feedback_due_soon.set_rows(due.due_soon, today)
        for key, rows, count, title in (
            (
                "feedback_overdue",
                due.overdue,
                due.overdue_count,
                self.tr("Suggestions and complaints overdue for an answer ({count})"),
            ),
            (
                "feedback_due_soon",
                due.due_soon,
                due.due_soon_count,
                self.tr("Suggestions and complaints due within {days} ({count})"),
            ),
        ):
            section = self.feedback_sections[key]
            days = count_phrase(FEEDBACK_DUE_SOON_DAYS, DAY, oblique=True)
            section.show_count(title.format(count=count, days=days), count)
            section.more.setVisible(len(rows) < count)
            section.more.setText(
                self.tr("The {shown} most urgent are listed here.").format(shown=len(rows))
            )
            for button in section.findChildren(QPushButton):
                button.setEnabled(count > 0)
            section.setVisible(True)
            # A short list takes a short space (these lists are cut at the core's limit).
            fit_rows(section.view, len(rows))
        self._summarise()
        self.sig_feedback_loaded.emit(due)

    def _open_feedback_index(self, where: QModelIndex | QTableView) -> None:
        """Open the activated item (or a section's selected one, else its first)."""
        if isinstance(where, QTableView):
            index = where.currentIndex()
            model = where.model()
            where = index if index.isValid() else model.index(0, 0)
        feedback_id = where.data(RowRole.ID) if where.isValid() else None
        self.open_feedback(str(feedback_id) if feedback_id else None)

    def open_feedback(self, feedback_id: str | None = None) -> None:
        """Show the Suggestions and complaints page, with the item selected if given."""
        # Today lives in the main window's pages; it brings another page to the front.
        window = self.window()
        page = getattr(window, "pages", {}).get("feedback")
        if not isinstance(page, FeedbackPage):
            return
        if feedback_id:
            page.show_item(feedback_id)
        window.show_page("feedback")

    def _changed(self, _kinds: set[Change]) -> None:
        # Nearly every record kind can change what is due; the day is cheap to reload.
        if self.isVisible():
            self.refresh()

    def _open_request(self, index: QModelIndex) -> None:
        request_id = index.data(RowRole.ID)
        if request_id:
            self.open_request(str(request_id))

    def open_request(self, request_id: str) -> RequestDetailsDialog:
        """Show a request read-only."""
        self.details = RequestDetailsDialog(self.ctx, request_id, self)
        self.details.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details.open()
        return self.details

    def complete_selected_follow_up(self) -> None:
        """Mark the selected follow-up (or the first one) done; it leaves the queue."""
        view = self.sections["follow_ups"].view
        index = view.currentIndex()
        row = index.row() if index.isValid() else 0
        if not 0 <= row < self.follow_ups.rowCount():
            return
        contact_id = self.follow_ups.row_at(row).id

        def done(session: Session, actor: Actor) -> None:
            complete_follow_up(session, actor, contact_id)

        self.message.clear()
        self.ctx.run(
            done,
            lambda _none: self.message.setText(self.tr("The follow-up is done.")),
            lambda error: self.message.setText(error_text(error)),
            changes={Change.CONTACT},
            owner=self,
        )
