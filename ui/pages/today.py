"""Today: the signed-in user's day as cards — follow-ups due, requests overdue or due soon, open
referrals to research, the requests awaiting the committee and the feedback due, for the parts
of the work their role does. Each card says how many, names the most urgent and opens the full
list; the page holds no scrolling table of its own."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from db.enums import RequestStatus
from romah_desktop.changes import Change
from romah_desktop.dates import format_dual
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
    ContactRow,
    ReferralRow,
    Today,
    my_day,
)
from romah_desktop.validation import format_mobile_local
from ui.context import AppContext, error_text
from ui.pages.deadline_panel import DeadlinePanel
from ui.pages.feedback import FeedbackPage
from ui.pages.requests import RequestDetailsDialog, RequestsModel, RequestsPage
from ui.qt import (
    QColor,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLocale,
    QModelIndex,
    QPainter,
    QPaintEvent,
    QPen,
    QPushButton,
    QSize,
    QSizePolicy,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.style import (
    BORDER,
    CARD_PADDING,
    LATE,
    MARGIN,
    MUTED,
    SOON,
    SPACING,
    TEXT,
    icon,
    page_icon,
    tint,
)
from ui.widgets.page_header import PageHeader
from ui.widgets.scrolling import scrolled
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    make_table,
    stretch_columns,
)

# A card names this many of its most urgent items; the rest are in the full list it opens.
PREVIEW_ROWS = 3
# Cards side by side on a page at least this wide (device-independent pixels), else two.
THREE_COLUMNS_FROM = 960

_LRI, _RLI, _PDI = "\u2066", "\u2067", "\u2069"
# The colour of a card's count by how urgent its items are.
TONES = {"late": LATE, "soon": SOON}


def isolated_dual(day: date, right_to_left: bool) -> str:
    """`format_dual(day)` for a line of the given direction, each date isolated in it.

    Without isolation an English line scrambles it ("1448/06/26 (م 2026/12/06) هـ"): the
    Gregorian digits after "هـ" become Arabic numbers for the bidi algorithm and join the
    Arabic run. Isolated, each date keeps its suffix after its own number in both directions.
    """
    text = format_dual(day)
    start = _RLI if right_to_left else _LRI
    hijri, opening, rest = text.partition(" (")
    if not opening or not rest.endswith(")"):
        return f"{start}{text}{_PDI}"
    return f"{start}{hijri}{_PDI} ({start}{rest[:-1]}{_PDI})"


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


class _Card(QFrame):
    """One queue of the day: an icon, how many, what they are, the most urgent few (a table
    exactly as tall as its rows, so it never scrolls) and a button to the full list."""

    def __init__(
        self, name: str, icon_name: str, view: QTableView, empty: str, parent: QWidget
    ) -> None:
        # Made with its parent: a card shown before the grid takes it (the feedback cards,
        # once their queue is read) would otherwise open as a window of its own and take the
        # focus from the main window.
        super().__init__(parent)
        self.setObjectName(name)
        self.tone = ""
        self.icon = QLabel()
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(24, 24), self.devicePixelRatioF()))
        self.count = QLabel("0")
        self.count.setObjectName(f"{name}_count")
        font = self.count.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.9)
        self.count.setFont(font)
        self.heading = QLabel()
        self.heading.setObjectName(f"{name}_title")
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.view = view
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.empty = QLabel(empty)
        self.empty.setObjectName(f"{name}_empty")
        tint(self.empty, MUTED)
        self.empty.setWordWrap(True)
        self.more = QLabel()
        self.more.setObjectName(f"{name}_more")
        tint(self.more, MUTED)
        self.more.setWordWrap(True)
        self.more.setVisible(False)
        self.open_button = QPushButton(self.tr("Open the list"))
        self.open_button.setObjectName(f"open_{name}_list")
        self.open_button.setVisible(False)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(SPACING)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.open_button)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(CARD_PADDING, CARD_PADDING, CARD_PADDING, CARD_PADDING)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        layout.addWidget(self.more)
        layout.addStretch(1)
        layout.addLayout(self.buttons)

    def title(self) -> str:
        return self.heading.text()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        # A white card with a thin border (red when something in it is late), drawn here
        # rather than by a style sheet (see ui.style).
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(LATE if self.tone == "late" else BORDER), 1))
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 8, 8)
        painter.end()
        super().paintEvent(event)

    def show_count(self, title: str, count: int, tone: str = "") -> None:
        """Say how many (the tone colours a count that needs attention) and fit the table to
        the rows it holds."""
        self.heading.setText(title)
        # Latin digits, as everywhere else in the window.
        self.count.setText(str(count))
        self.tone = tone if count else ""
        tint(self.count, TONES.get(self.tone, MUTED if not count else TEXT))
        self.update()
        self.view.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        model = self.view.model()
        rows = model.rowCount() if model is not None else 0
        header = self.view.horizontalHeader()
        self.view.setFixedHeight(
            header.sizeHint().height()
            + max(rows, 1) * self.view.verticalHeader().defaultSectionSize()
            + 2 * self.view.frameWidth()
        )


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
        self.limit = PREVIEW_ROWS
        self.details: RequestDetailsDialog | None = None
        self.header = PageHeader()
        self.header.set_page(self.tr("Today"), "", page_icon("today"))
        self.summary = QLabel()
        self.summary.setObjectName("today_summary")
        self.summary.setWordWrap(True)

        self.follow_ups = FollowUpsModel(self)
        self.overdue = RequestsModel(ctx, self)
        self.due_soon = RequestsModel(ctx, self)
        self.referrals = ReferralsModel(self)
        self.awaiting = RequestsModel(ctx, self)
        # Each card shows the columns that say what an item is; the full list has the rest.
        person_and_days = (RequestsModel.PERSON, [RequestsModel.PERSON, RequestsModel.DAYS])
        self.sections: dict[str, _Card] = {}
        for key, model, (stretch, shown), icon_name, empty in (
            (
                "follow_ups",
                self.follow_ups,
                (FollowUpsModel.SUBJECT, [FollowUpsModel.PERSON, FollowUpsModel.SUBJECT]),
                "mdi6.phone-return-outline",
                self.tr("No follow-up is due."),
            ),
            (
                "overdue",
                self.overdue,
                person_and_days,
                "mdi6.clock-alert-outline",
                self.tr("No request is overdue."),
            ),
            (
                "due_soon",
                self.due_soon,
                person_and_days,
                "mdi6.calendar-clock",
                self.tr("No request is due soon."),
            ),
            (
                "referrals",
                self.referrals,
                (ReferralsModel.QUESTION, [ReferralsModel.PERSON, ReferralsModel.QUESTION]),
                "mdi6.account-question-outline",
                self.tr("No open referral."),
            ),
            (
                "awaiting",
                self.awaiting,
                person_and_days,
                "mdi6.scale-balance",
                self.tr("No request awaits the committee."),
            ),
        ):
            self.sections[key] = _Card(
                f"today_{key}", icon_name, self._preview(key, model, stretch, shown), empty, self
            )
        for key in ("overdue", "due_soon", "awaiting"):
            self.sections[key].view.activated.connect(self._open_request)
        self.done_button = QPushButton(self.tr("Follow-up done"))
        self.done_button.setObjectName("follow_up_done")
        self.done_button.clicked.connect(self.complete_selected_follow_up)
        self.sections["follow_ups"].buttons.insertWidget(0, self.done_button)
        # Suggestions and complaints waiting for their answer, for those who follow them up.
        self.feedback_overdue = FeedbackDueModel(self)
        self.feedback_due_soon = FeedbackDueModel(self)
        self.feedback_sections: dict[str, _Card] = {}
        for key, model, icon_name, empty in (
            (
                "feedback_overdue",
                self.feedback_overdue,
                "mdi6.message-alert-outline",
                self.tr("No suggestion or complaint is overdue."),
            ),
            (
                "feedback_due_soon",
                self.feedback_due_soon,
                "mdi6.message-reply-text-outline",
                self.tr("No suggestion or complaint is due soon."),
            ),
        ):
            shown = [FeedbackDueModel.KIND, FeedbackDueModel.TEXT]
            view = self._preview(key, model, FeedbackDueModel.TEXT, shown)
            view.activated.connect(self._open_feedback_index)
            section = _Card(f"today_{key}", icon_name, view, empty, self)
            button = QPushButton(self.tr("Open in suggestions and complaints"))
            button.setObjectName(f"open_{key}")
            button.clicked.connect(lambda _checked=False, v=view: self._open_feedback_index(v))
            section.buttons.insertWidget(0, button)
            section.setVisible(False)
            self.feedback_sections[key] = section
        for key, card in self.sections.items():
            card.open_button.clicked.connect(lambda _checked=False, k=key: self.open_list(k))
        self.message = QLabel()
        self.message.setObjectName("today_message")
        self.message.setWordWrap(True)

        # The cards sit in a grid; on a small screen (or a large font) the day scrolls as a
        # whole under its header, and nothing inside it scrolls on its own.
        self.grid = QGridLayout()
        self.grid.setSpacing(MARGIN)
        self._columns = 0
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setSpacing(MARGIN)
        layout.addWidget(self.summary)
        layout.addLayout(self.grid)
        self.deadlines = DeadlinePanel(ctx, self)
        layout.addWidget(self.deadlines)
        layout.addWidget(self.message)
        layout.addStretch(1)
        # The header stands where the main window's shared one stands on the other pages.
        inset = self.style().pixelMetric(self.style().PixelMetric.PM_LayoutLeftMargin)
        header_row = QVBoxLayout()
        header_row.setContentsMargins(inset, 0, inset, 0)
        header_row.addWidget(self.header)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(SPACING)
        outer.addLayout(header_row)
        outer.addWidget(scrolled(content, "today_scroll"), 1)
        self._place_cards()
        ctx.sig_changed.connect(self._changed)

    def _preview(self, key: str, model: RowsModel, stretch: int, shown: list[int]) -> QTableView:
        """A card's table of the most urgent items, with only the columns in `shown`."""
        view = make_table(f"today_{key}_table")
        view.setModel(model)
        stretch_columns(view, stretch)
        for column in range(model.columnCount()):
            view.setColumnHidden(column, column not in shown)
        return view

    def _cards(self) -> list[_Card]:
        return [*self.sections.values(), *self.feedback_sections.values()]

    def _place_cards(self) -> None:
        """Lay the cards that apply to this user in rows, three or two to a row by width."""
        columns = 3 if self.width() >= THREE_COLUMNS_FROM else 2
        cards = [card for card in self._cards() if not card.isHidden()]
        for card in self._cards():
            self.grid.removeWidget(card)
        for place, card in enumerate(cards):
            self.grid.addWidget(card, place // columns, place % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self._columns = columns

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if (3 if self.width() >= THREE_COLUMNS_FROM else 2) != self._columns:
            self._place_cards()

    def refresh(self) -> None:
        """Load the day's queues for the signed-in user."""
        if not self.ctx.signed_in:
            return
        today = date.today()
        limit = self.limit
        self._show_date(today)
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
        if allowed(self.ctx.actor.roles, Permission.MANAGE_FEEDBACK):
            self.ctx.run(
                lambda session, actor: feedback_due(session, actor, today),
                self._show_feedback,
                lambda error: self.message.setText(error_text(error)),
                owner=self,
            )

    def _show_date(self, day: date) -> None:
        """The header's line: the weekday, then the date in both calendars, each isolated so
        that it reads in order in an Arabic and in an English line alike."""
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        weekday = QLocale().dayName(day.isoweekday())
        comma = "، " if right_to_left else ", "
        line = f"{weekday}{comma}{isolated_dual(day, right_to_left)}"
        self.header.set_page(self.tr("Today"), line, page_icon("today"))

    def _escalated(self, request_ids: list[str]) -> None:
        # Only a write that escalated something is announced (the status bar, the committee's
        # pages look again); announcing none would reload Today for nothing.
        if request_ids:
            self.ctx.sig_changed.emit({Change.ESCALATION})

    def _show(self, day: Today) -> None:
        self.day = day
        self._show_date(day.day)
        self.follow_ups.set_rows(day.follow_ups, day.day)
        self.overdue.set_rows(day.overdue, day.day)
        self.due_soon.set_rows(day.due_soon, day.day)
        self.referrals.set_rows(day.referrals, day.day)
        self.awaiting.set_rows(day.awaiting_committee, day.day)
        titles = {
            "follow_ups": self.tr("Follow-ups due"),
            "overdue": self.tr("Requests overdue for the committee's answer"),
            "due_soon": self.tr("Requests due within {days}"),
            "referrals": self.tr("Open referrals to social research"),
            "awaiting": self.tr("Requests awaiting the committee's decision"),
        }
        tones = {"follow_ups": "soon", "overdue": "late", "due_soon": "soon"}
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
            title = titles[key].format(days=count_phrase(DUE_SOON_DAYS, DAY, oblique=True))
            section.show_count(title, counts[key], tones.get(key, ""))
            section.more.setVisible(shown[key] < counts[key])
            section.more.setText(
                self.tr("The {shown} most urgent are listed here.").format(shown=shown[key])
            )
            section.open_button.setVisible(self._list_of(key) is not None)
            section.setVisible(applies[key])
        self.done_button.setEnabled(bool(day.follow_ups))
        self._place_cards()
        self._summarise()
        self.sig_loaded.emit(day)

    def _summarise(self) -> None:
        """Say how much is waiting: the day's queues and the feedback due."""
        if self.day is None:
            return
        total = self.day.total + (self.feedback.total if self.feedback else 0)
        if total == 0:
            self.summary.setText(self.tr("Nothing is waiting for you today."))
        else:
            self.summary.setText(self.tr("Waiting for you: {count}.").format(count=total))

    def _show_feedback(self, due: FeedbackDue) -> None:
        self.feedback = due
        today = date.today()
        self.feedback_overdue.set_rows(due.overdue[: self.limit], today)
        self.feedback_due_soon.set_rows(due.due_soon[: self.limit], today)
        for key, rows, count, title, tone in (
            (
                "feedback_overdue",
                due.overdue,
                due.overdue_count,
                self.tr("Suggestions and complaints overdue for an answer"),
                "late",
            ),
            (
                "feedback_due_soon",
                due.due_soon,
                due.due_soon_count,
                self.tr("Suggestions and complaints due within {days}"),
                "soon",
            ),
        ):
            section = self.feedback_sections[key]
            days = count_phrase(FEEDBACK_DUE_SOON_DAYS, DAY, oblique=True)
            shown = min(len(rows), self.limit)
            section.show_count(title.format(days=days), count, tone)
            section.more.setVisible(shown < count)
            section.more.setText(
                self.tr("The {shown} most urgent are listed here.").format(shown=shown)
            )
            for button in section.findChildren(QPushButton):
                button.setEnabled(count > 0)
            section.setVisible(True)
        self._place_cards()
        self._summarise()
        self.sig_feedback_loaded.emit(due)

    def _list_of(self, key: str) -> str | None:
        """The page with the full list behind a card, if this user has it."""
        pages = getattr(self.window(), "pages", {})
        wanted = {
            "follow_ups": ["contacts"],
            "overdue": ["requests"],
            "due_soon": ["requests"],
            "referrals": ["research"],
            "awaiting": ["committee", "requests"],
        }[key]
        return next((page for page in wanted if page in pages), None)

    def open_list(self, key: str) -> None:
        """Show the full list behind the card `key`: the page, filtered where it can be."""
        window = self.window()
        target = self._list_of(key)
        if target is None:
            return
        page = window.pages[target]
        if isinstance(page, RequestsPage):
            # Overdue, due soon and awaiting are all requests submitted to the committee.
            page.status.setCurrentIndex(page.status.findData(RequestStatus.SUBMITTED))
        window.show_page(target)

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
