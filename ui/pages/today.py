"""Today: the signed-in user's queue — follow-ups due, requests overdue or due soon, open
referrals to research and the requests awaiting the committee, for the parts of the work their
role does."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from romah_desktop.labels import label
from romah_desktop.services.contacts import complete_follow_up
from romah_desktop.services.context import Actor
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

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day: Today | None = None
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
        self.message = QLabel()
        self.message.setObjectName("today_message")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        for section in self.sections.values():
            layout.addWidget(section)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._layout = layout
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the day's queues for the signed-in user."""
        if not self.ctx.signed_in:
            return
        today = date.today()
        limit = self.limit
        self.summary.setText(self.tr("Loading…"))
        self.ctx.run(
            lambda session, actor: my_day(session, actor, today, limit),
            self._show,
            lambda error: self.summary.setText(error_text(error)),
            owner=self,
        )

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
            "due_soon": self.tr("Requests due within {days} days ({count})"),
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
            title = titles[key].format(count=counts[key], days=DUE_SOON_DAYS)
            section.show_count(title, counts[key])
            section.more.setVisible(shown[key] < counts[key])
            section.more.setText(
                self.tr("The {shown} most urgent are listed here.").format(shown=shown[key])
            )
            section.setVisible(applies[key])
            # Queues with something in them share the room; empty ones take one line.
            self._layout.setStretchFactor(section, 1 if counts[key] else 0)
        self._layout.setStretch(self._layout.count() - 1, 0 if day.total else 1)
        self._layout.activate()
        self.done_button.setEnabled(bool(day.follow_ups))
        if day.total == 0:
            self.summary.setText(self.tr("Nothing is waiting for you today."))
        else:
            self.summary.setText(self.tr("Waiting for you: {count}.").format(count=day.total))
        self.sig_loaded.emit(day)

    def _changed(self, _kinds: set[str]) -> None:
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
            changes={"contact"},
            owner=self,
        )
