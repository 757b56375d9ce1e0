"""Reports: the branch manager's dashboard over a period — requests by status and channel, the
committee's time to answer and its two-week deadline, services delivered, satisfaction trends
and open complaints — drawn with QtCharts, and saved to Excel or PDF with progress.

The period is a Hijri month or year, a Gregorian month, or two typed dates; a role that sees
every branch also picks the branch. The charts and tiles themselves live in ui/widgets/charts.py
and read in the window's direction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from romah_desktop.changes import Change
from romah_desktop.dates import HIJRI_MAX, HIJRI_MIN, hijri_month_name, to_hijri_parts
from romah_desktop.errors import ValidationError
from romah_desktop.grammar import (
    BENEFICIARY,
    COMPLAINT,
    DAY,
    ROW,
    SURVEY,
    count_phrase,
    noun_after,
)
from romah_desktop.i18n import current_language
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.complaints import ComplaintRow
from romah_desktop.services.reports.dashboard import Dashboard, dashboard
from romah_desktop.services.reports.export import (
    ExportResult,
    ReportKind,
    day_group_label,
    export_report,
    service_label,
)
from romah_desktop.services.reports.periods import (
    MonthCalendar,
    Period,
    gregorian_month,
    gregorian_month_name,
    hijri_month,
    hijri_year_period,
    make_period,
)
from romah_desktop.services.reports.scope import BranchChoice, report_branches, report_scope
from romah_desktop.validation import format_money
from ui.context import AppContext, error_text
from ui.pages import PageEntry
from ui.qt import (
    QComboBox,
    QCoreApplication,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.charts import ChartCard, FigureTile
from ui.widgets.date_field import ERROR_STYLE, DualDateField
from ui.widgets.numbers import NumberBox
from ui.widgets.scrolling import scrolled
from ui.widgets.tables import RowsModel, dual, make_table, page_title, stretch_columns

# Changes after which the dashboard is drawn again (the record kinds ctx.sig_changed names).
REPORT_CHANGES = frozenset(
    {
        Change.REQUEST,
        Change.DECISION,
        Change.DELIVERY,
        Change.SURVEY,
        Change.FEEDBACK,
        Change.BENEFICIARY,
        Change.MEETING,
    }
)
# Filters settle for this long before the dashboard is asked for again.
RELOAD_DELAY_MS = 250


def days_phrase(days: float) -> str:
    """A number of days that may have a half: «4 أيام», «12 يومًا», "4.5 days"; a fraction
    reads with the singular in Arabic («4.5 يوم»)."""
    if days == int(days):
        return count_phrase(int(days), DAY)
    return f"{days:g} {noun_after(0, DAY)}"


class ComplaintsModel(RowsModel[ComplaintRow]):
    """Complaints not closed: received, due, status, channel, days overdue and the text."""

    RECEIVED, DUE, STATUS, CHANNEL, OVERDUE, TEXT = range(6)

    def headers(self) -> list[str]:
        return [
            self.tr("Received on"),
            self.tr("Answer due"),
            self.tr("Status"),
            self.tr("Channel"),
            self.tr("Days overdue"),
            self.tr("Complaint"),
        ]

    def cell(self, row: ComplaintRow, column: int) -> str:
        if column == self.RECEIVED:
            return dual(row.received_on)
        if column == self.DUE:
            return dual(row.due_on)
        if column == self.STATUS:
            return label(row.status)
        if column == self.CHANNEL:
            return label(row.channel)
        if column == self.OVERDUE:
            return str(row.overdue_days) if row.overdue else ""
        if column == self.TEXT:
            return row.text
        return ""

    def late(self, row: ComplaintRow) -> bool:
        return row.overdue


class _ProgressRelay(QObject):
    """Carries an export's progress from the worker thread to the window."""

    sig_progress = Signal(int, int)
    """(done, total), emitted on the worker and delivered on the GUI thread."""


# --- the page ---------------------------------------------------------------------------------


class ReportsPage(QWidget):
    """The dashboard over a period and branch, with its charts and the exports."""

    sig_loaded = Signal(object)
    """The dashboard is drawn; the argument is the core's Dashboard."""

    sig_exported = Signal(object)
    """An export finished; the argument is the core's ExportResult."""

    sig_export_failed = Signal(str)
    """An export failed or was cancelled; the argument is the message shown."""

    HIJRI_MONTH, HIJRI_YEAR, GREGORIAN_MONTH, DATES = range(4)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board: Dashboard | None = None
        self.branches_loaded = False
        self._generation = 0
        self._cancel: threading.Event | None = None
        self._relay = _ProgressRelay(self)
        self._relay.sig_progress.connect(self._progress)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self.refresh)
        self._build_filters()
        self._build_tiles()
        self._build_tabs()
        self._build_exports()
        # More than a laptop at 150 % shows: the page scrolls as one (the charts at their
        # own size, nothing scrolling inside it) and the exports stay under it, on screen.
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        self.title = self.tr("Reports")
        body.addWidget(page_title(self.title))
        body.addLayout(self.filters)
        body.addLayout(self.tiles_row)
        body.addWidget(self.tabs)
        body.addStretch(1)
        self.scroll = scrolled(content, "reports_scroll")
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.export_row)
        ctx.sig_changed.connect(self._changed)

    # --- building -----------------------------------------------------------------------------

    def _build_filters(self) -> None:
        today = date.today()
        hijri_year, hijri_month_number, _day = to_hijri_parts(today)
        self.mode = QComboBox()
        self.mode.setObjectName("report_period_kind")
        self.mode.addItem(self.tr("Hijri month"), self.HIJRI_MONTH)
        self.mode.addItem(self.tr("Hijri year"), self.HIJRI_YEAR)
        self.mode.addItem(self.tr("Gregorian month"), self.GREGORIAN_MONTH)
        self.mode.addItem(self.tr("From date to date"), self.DATES)
        self.hijri_year = NumberBox()
        self.hijri_year.setObjectName("report_hijri_year")
        self.hijri_year.setRange(HIJRI_MIN[0], HIJRI_MAX[0])
        self.hijri_year.setValue(hijri_year)
        self.hijri_month = QComboBox()
        self.hijri_month.setObjectName("report_hijri_month")
        for number in range(1, 13):
            self.hijri_month.addItem(f"{number:02d} {hijri_month_name(number)}", number)
        self.hijri_month.setCurrentIndex(hijri_month_number - 1)
        self.year = NumberBox()
        self.year.setObjectName("report_year")
        self.year.setRange(1925, 2077)
        self.year.setValue(today.year)
        self.month = QComboBox()
        self.month.setObjectName("report_month")
        for number in range(1, 13):
            self.month.addItem(f"{number:02d} {gregorian_month_name(number)}", number)
        self.month.setCurrentIndex(today.month - 1)
        self.date_from = DualDateField(field="period_from")
        self.date_to = DualDateField(field="period_to")
        current = hijri_month(hijri_year, hijri_month_number)
        self.date_from.setDate(current.first)
        self.date_to.setDate(current.last)

        def row(*widgets: QWidget) -> QWidget:
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                line.addWidget(widget)
            line.addStretch(1)
            return holder

        def dates() -> QWidget:
            # The two dates one under the other: side by side they are wider than the page
            # may be on a laptop at 150 % (910 pixels for the window, its navigation too).
            holder = QWidget()
            lines = QGridLayout(holder)
            lines.setContentsMargins(0, 0, 0, 0)
            to = QLabel(self.tr("to"))
            to.setMinimumHeight(self.date_from.edit.sizeHint().height())
            lines.addWidget(self.date_from, 0, 0)
            lines.addWidget(to, 0, 1, Qt.AlignmentFlag.AlignTop)
            lines.addWidget(self.date_to, 1, 0)
            lines.setColumnStretch(2, 1)
            return holder

        self.year_for_month = NumberBox()  # the Hijri month's year (its own, to keep both)
        self.year_for_month.setObjectName("report_hijri_month_year")
        self.year_for_month.setRange(HIJRI_MIN[0], HIJRI_MAX[0])
        self.year_for_month.setValue(hijri_year)
        for spin in (self.hijri_year, self.year_for_month, self.year):
            spin.setMaximumWidth(110)
        self.period_stack = QStackedWidget()
        self.period_stack.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.period_stack.addWidget(row(self.hijri_month, self.year_for_month))
        self.period_stack.addWidget(row(self.hijri_year))
        self.period_stack.addWidget(row(self.month, self.year))
        self.period_stack.addWidget(dates())
        self.branch = QComboBox()
        self.branch.setObjectName("report_branch")
        self.branch.addItem(self.tr("All branches"), None)
        self.branch_label = QLabel(self.tr("Branch"))
        self.branch_label.setBuddy(self.branch)
        sees_all = self.ctx.signed_in and self.ctx.actor.visible_branch() is None
        self.branch.setVisible(sees_all)
        self.branch_label.setVisible(sees_all)
        # The branch on a line of its own, under the period: on one line the filters were
        # wider than a laptop's screen at 150 %.
        self.filters = QGridLayout()
        period_label = QLabel(self.tr("Period"))
        period_label.setBuddy(self.mode)
        # At the top of the two dates' lines, level with the first.
        period_label.setMinimumHeight(self.mode.sizeHint().height())
        self.filters.addWidget(period_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        self.filters.addWidget(self.mode, 0, 1, Qt.AlignmentFlag.AlignTop)
        # The period over both lines, so that the second of two dates is beside the branch.
        self.filters.addWidget(self.period_stack, 0, 2, 2, 1, Qt.AlignmentFlag.AlignTop)
        self.filters.addWidget(self.branch_label, 1, 0)
        self.filters.addWidget(self.branch, 1, 1)
        self.filters.setColumnStretch(3, 1)
        # The current Hijri month first: what a manager watches; a year is one choice away.
        self.mode.setCurrentIndex(self.HIJRI_MONTH)
        self._show_period(self.HIJRI_MONTH)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        for combo in (self.hijri_month, self.month, self.branch):
            combo.currentIndexChanged.connect(lambda _i: self.reload_soon())
        for spin in (self.hijri_year, self.year_for_month, self.year):
            spin.valueChanged.connect(lambda _v: self.reload_soon())
        for field in (self.date_from, self.date_to):
            field.sig_editing_finished.connect(self.reload_soon)

    def _build_tiles(self) -> None:
        self.tiles = {
            "requests": FigureTile("tile_requests", self.tr("Requests received")),
            "answer": FigureTile("tile_answer", self.tr("Median days to the committee's answer")),
            "on_time": FigureTile("tile_on_time", self.tr("Answered within the deadline")),
            "services": FigureTile("tile_services", self.tr("Services delivered")),
            "satisfaction": FigureTile("tile_satisfaction", self.tr("Overall satisfaction (1–5)")),
            "complaints": FigureTile("tile_complaints", self.tr("Complaints not closed")),
        }
        self.tiles_row = QHBoxLayout()
        for tile in self.tiles.values():
            self.tiles_row.addWidget(tile, 1)

    def _tab(self, name: str, cards: Sequence[QWidget], columns: int = 2) -> QWidget:
        inner = QWidget()
        inner.setObjectName(name)
        grid = QGridLayout(inner)
        for index, card in enumerate(cards):
            grid.addWidget(card, index // columns, index % columns)
        return inner

    def _fit_tab(self, current: int) -> None:
        # As tall as the tab shown, not as the tallest tab: the page does not scroll through
        # an empty space under a short tab.
        for index in range(self.tabs.count()):
            policy = (
                QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            )
            self.tabs.widget(index).setSizePolicy(policy, policy)
        self.tabs.updateGeometry()

    def _fit_complaints(self) -> None:
        # Every complaint listed shows: the page scrolls, not the list inside it.
        view = self.complaints_view
        view.setFixedHeight(
            view.horizontalHeader().sizeHint().height()
            + max(self.complaints.rowCount(), 1) * view.verticalHeader().defaultSectionSize()
            + 2 * view.frameWidth()
        )

    def _build_tabs(self) -> None:
        self.charts = {
            "status": ChartCard("chart_status", self.tr("Requests by status")),
            "channel": ChartCard("chart_channel", self.tr("Requests by channel")),
            "type": ChartCard("chart_type", self.tr("Requests by type")),
            "requests_month": ChartCard(
                "chart_requests_month", self.tr("Requests received by month")
            ),
            "answer_days": ChartCard(
                "chart_answer_days", self.tr("Days from submission to the committee's answer")
            ),
            "compliance": ChartCard("chart_compliance", self.tr("The two-week deadline")),
            "compliance_month": ChartCard(
                "chart_compliance_month", self.tr("The deadline by the month the answer was due")
            ),
            "services_amount": ChartCard(
                "chart_services_amount", self.tr("Amounts delivered by service (SAR)")
            ),
            "services_count": ChartCard("chart_services_count", self.tr("Deliveries by service")),
            "services_month": ChartCard("chart_services_month", self.tr("Deliveries by month")),
            "satisfaction_month": ChartCard(
                "chart_satisfaction_month", self.tr("Satisfaction by month (average, 1–5)")
            ),
            "satisfaction_channel": ChartCard(
                "chart_satisfaction_channel", self.tr("Overall satisfaction by channel")
            ),
            "satisfaction_service": ChartCard(
                "chart_satisfaction_service", self.tr("Overall satisfaction by service")
            ),
            "ratings": ChartCard("chart_ratings", self.tr("Overall ratings given")),
            "complaints": ChartCard("chart_complaints", self.tr("Complaints received by status")),
        }
        c = self.charts
        self.complaints = ComplaintsModel(self)
        self.complaints_view = make_table("report_complaints_table")
        self.complaints_view.setModel(self.complaints)
        stretch_columns(self.complaints_view, ComplaintsModel.TEXT)
        self.complaints_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.complaints_count = QLabel()
        self.complaints_count.setObjectName("report_complaints_count")
        self.complaints_count.setWordWrap(True)
        self.charts["complaints"].view.setMaximumHeight(300)
        open_list = QWidget()
        open_layout = QVBoxLayout(open_list)
        open_layout.addWidget(self.complaints_count)
        open_layout.addWidget(self.complaints_view)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("report_tabs")
        self.tabs.addTab(
            self._tab("tab_requests", [c["status"], c["channel"], c["type"], c["requests_month"]]),
            self.tr("Requests"),
        )
        self.tabs.addTab(
            self._tab(
                "tab_committee",
                [c["answer_days"], c["compliance"], c["compliance_month"]],
            ),
            self.tr("The committee"),
        )
        self.tabs.addTab(
            self._tab(
                "tab_services",
                [c["services_amount"], c["services_count"], c["services_month"]],
            ),
            self.tr("Services"),
        )
        self.tabs.addTab(
            self._tab(
                "tab_satisfaction",
                [
                    c["satisfaction_month"],
                    c["satisfaction_channel"],
                    c["satisfaction_service"],
                    c["ratings"],
                ],
            ),
            self.tr("Satisfaction"),
        )
        self.tabs.addTab(
            self._tab("tab_complaints", [c["complaints"], open_list], columns=1),
            self.tr("Complaints"),
        )
        self.tabs.currentChanged.connect(self._fit_tab)
        self._fit_tab(self.tabs.currentIndex())
        self._fit_complaints()

    def _build_exports(self) -> None:
        self.export_xlsx = QPushButton(self.tr("Save as Excel…"))
        self.export_xlsx.setObjectName("report_export_xlsx")
        self.export_pdf = QPushButton(self.tr("Save as PDF…"))
        self.export_pdf.setObjectName("report_export_pdf")
        self.export_list = QPushButton(self.tr("Save the period's requests (Excel)…"))
        self.export_list.setObjectName("report_export_list")
        self.export_list.setToolTip(
            self.tr("Every request of the period, one row each, dates in Hijri and Gregorian")
        )
        self.export_progress = QProgressBar()
        self.export_progress.setObjectName("report_export_progress")
        self.export_progress.setMaximumWidth(240)
        self.export_progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("report_export_cancel")
        self.cancel_button.hide()
        self.export_xlsx.clicked.connect(lambda: self.ask_export(ReportKind.DASHBOARD, ".xlsx"))
        self.export_pdf.clicked.connect(lambda: self.ask_export(ReportKind.DASHBOARD, ".pdf"))
        self.export_list.clicked.connect(lambda: self.ask_export(ReportKind.REQUEST_LIST, ".xlsx"))
        self.cancel_button.clicked.connect(self.cancel_export)
        # What the page has to say (loading, a wrong period, a saved file) over the exports,
        # which stay on screen however far the page is scrolled.
        self.message = QLabel()
        self.message.setObjectName("reports_message")
        self.message.setWordWrap(True)
        self.export_row = QHBoxLayout()
        for widget in (self.export_xlsx, self.export_pdf, self.export_list):
            self.export_row.addWidget(widget)
        self.export_row.addStretch(1)
        self.export_row.addWidget(self.export_progress)
        self.export_row.addWidget(self.cancel_button)

    # --- the period ---------------------------------------------------------------------------

    def _mode_changed(self, index: int) -> None:
        self._show_period(index)
        self.reload_soon()

    def _show_period(self, index: int) -> None:
        """Show the fields of period kind `index`; only they count in the filters' size (the
        two dates' lines are not kept for a month)."""
        for number in range(self.period_stack.count()):
            shown = number == index
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            self.period_stack.widget(number).setSizePolicy(policy, policy)
        self.period_stack.setCurrentIndex(index)

    def calendar(self) -> MonthCalendar:
        """Trends are counted in Gregorian months for a Gregorian month, else in Hijri ones."""
        if self.mode.currentData() == self.GREGORIAN_MONTH:
            return MonthCalendar.GREGORIAN
        return MonthCalendar.HIJRI

    def period(self) -> Period:
        """The period the filters name. Raises ValidationError, which the fields show."""
        kind = self.mode.currentData()
        if kind == self.HIJRI_MONTH:
            return hijri_month(
                self.year_for_month.value(), int(self.hijri_month.currentData())
            ).period
        if kind == self.HIJRI_YEAR:
            return hijri_year_period(self.hijri_year.value())
        if kind == self.GREGORIAN_MONTH:
            return gregorian_month(self.year.value(), int(self.month.currentData())).period
        for field in (self.date_from, self.date_to):
            if not field.check():
                raise ValidationError(field.field, field.error_text())
        return make_period(self.date_from.date(), self.date_to.date())

    def _show_problem(self, error: ValidationError) -> None:
        text = error.text()
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE)
        if error.field == "period_to" or (
            error.field == "period" and self.mode.currentData() == self.DATES
        ):
            self.date_to.set_error(text)
        elif error.field == "period_from":
            self.date_from.set_error(text)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("")

    # --- loading ------------------------------------------------------------------------------

    def reload_soon(self) -> None:
        """Draw the dashboard again once the filters have settled."""
        self._reload.start()

    def refresh(self) -> None:
        """Ask for the dashboard of the period and branch chosen (a bad period is shown, and
        nothing typed is lost)."""
        self._reload.stop()
        if not self.ctx.signed_in:
            return
        if not self.branches_loaded and self.branch.isVisibleTo(self):
            self._load_branches()
        try:
            period = self.period()
        except ValidationError as error:
            self._show_problem(error)
            return
        for field in (self.date_from, self.date_to):
            field.set_error("")
        branch_id = self.branch.currentData()
        calendar = self.calendar()
        self._generation += 1
        generation = self._generation
        self._say(self.tr("Loading…"))
        self.ctx.run(
            lambda session, actor: dashboard(
                session, actor, period, branch_id=branch_id, calendar=calendar
            ),
            lambda board: self._arrived(generation, board),
            lambda error: self._failed(generation, error),
            owner=self,
        )

    def _load_branches(self) -> None:
        self.branches_loaded = True
        self.ctx.run(report_branches, self._show_branches, owner=self)

    def _show_branches(self, branches: list[BranchChoice]) -> None:
        chosen = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        self.branch.addItem(self.tr("All branches"), None)
        for branch in branches:
            self.branch.addItem(f"{branch.name} ({branch.code})", branch.id)
        index = self.branch.findData(chosen)
        self.branch.setCurrentIndex(max(index, 0))
        self.branch.blockSignals(False)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(error, ValidationError):
            self._show_problem(error)
        else:
            self.message.setText(error_text(error))
            self.message.setStyleSheet(ERROR_STYLE)

    def _arrived(self, generation: int, board: Dashboard) -> None:
        if generation != self._generation:
            return  # an answer for filters that have changed since
        self.board = board
        self._draw(board)
        scope = board.scope
        where = scope.branch_name or self.tr("all branches")
        self._say(self.tr("{period} — {branch}").format(period=scope.period.text(), branch=where))
        self.sig_loaded.emit(board)

    def _changed(self, kinds: set[Change]) -> None:
        if self.isVisible() and kinds & REPORT_CHANGES:
            self.reload_soon()

    # --- drawing ------------------------------------------------------------------------------

    def _legend_text(self, name: str, part: int, whole: int) -> str:
        """ "Approved: 83 (12%)"."""
        if whole == 0:
            return f"{name}: {part:,}"
        return f"{name}: {part:,} ({100 * part / whole:.0f}%)"

    def _draw(self, board: Dashboard) -> None:
        self._draw_tiles(board)
        self._draw_requests(board)
        self._draw_committee(board)
        self._draw_services(board)
        self._draw_satisfaction(board)
        self._draw_complaints(board)

    def _draw_tiles(self, board: Dashboard) -> None:
        requests = board.requests
        self.tiles["requests"].show_value(
            f"{requests.total:,}",
            self.tr("{amount} SAR requested").format(
                amount=format_money(requests.amount_requested_halalas)
            ),
        )
        time = board.decision_time
        self.tiles["answer"].show_value(
            "–" if time.median_days is None else f"{time.median_days:g}",
            ""
            if time.p90_days is None
            else self.tr("9 in 10 within {days} ({count} answered)").format(
                days=count_phrase(time.p90_days, DAY, oblique=True), count=f"{time.answered:,}"
            ),
        )
        total = board.compliance.total
        share = total.on_time_share
        self.tiles["on_time"].show_value(
            "–" if share is None else f"{share:.0f}%",
            self.tr("{late} late, {overdue} open past the deadline").format(
                late=f"{total.late:,}", overdue=f"{total.open_overdue:,}"
            ),
        )
        services = board.services.total
        self.tiles["services"].show_value(
            f"{services.deliveries:,}",
            self.tr("{amount} SAR to {people}").format(
                amount=format_money(services.amount_halalas),
                people=count_phrase(services.people, BENEFICIARY, oblique=True),
            ),
        )
        ratings = board.satisfaction.total
        self.tiles["satisfaction"].show_value(
            "–" if ratings.overall is None else f"{ratings.overall:.2f}",
            count_phrase(ratings.surveys, SURVEY),
        )
        complaints = board.complaints
        self.tiles["complaints"].show_value(
            f"{complaints.open_count:,}",
            self.tr("{overdue} overdue").format(overdue=f"{complaints.overdue_count:,}"),
        )

    def _draw_requests(self, board: Dashboard) -> None:
        report = board.requests
        statuses = [(label(s), n) for s, n in report.by_status.items()]
        self.charts["status"].pie(
            statuses,
            [self._legend_text(name, n, report.total) for name, n in statuses],
        )
        self.charts["channel"].bars(
            [label(c) for c in report.by_channel],
            {self.tr("Requests"): [float(n) for n in report.by_channel.values()]},
            horizontal=True,
        )
        self.charts["type"].bars(
            [label(t) for t in report.by_type],
            {self.tr("Requests"): [float(n) for n in report.by_type.values()]},
            horizontal=True,
        )
        self.charts["requests_month"].bars(
            [m.label() for m, _n in report.by_month],
            {self.tr("Requests"): [float(n) for _m, n in report.by_month]},
        )

    def _draw_committee(self, board: Dashboard) -> None:
        time = board.decision_time
        card = self.charts["answer_days"]
        card.bars(
            [day_group_label(g) for g in time.groups],
            {self.tr("Requests answered"): [float(g.count) for g in time.groups]},
            horizontal=True,  # "22–30 days" reads whole on a row, not under a narrow bar
        )
        card.set_note(
            self.tr("No request was answered in this period.")
            if time.median_days is None
            else self.tr(
                "Median {median}; 9 in 10 within {p90}; {returned} returned for more information."
            ).format(
                median=days_phrase(time.median_days),
                p90=count_phrase(time.p90_days, DAY, oblique=True),
                returned=time.returned_for_information,
            )
        )
        total = board.compliance.total
        names = [
            self.tr("Answered on time"),
            self.tr("Answered late"),
            self.tr("Open and overdue"),
            self.tr("Open, not yet due"),
            self.tr("Paused (more information requested)"),
            self.tr("Withdrawn before an answer"),
        ]
        numbers = [
            total.on_time,
            total.late,
            total.open_overdue,
            total.open_not_due,
            total.paused,
            total.withdrawn,
        ]
        self.charts["compliance"].pie(
            list(zip(names, [float(n) for n in numbers], strict=True)),
            [self._legend_text(name, n, total.due) for name, n in zip(names, numbers, strict=True)],
        )
        months = board.compliance.by_month
        self.charts["compliance_month"].bars(
            [m.label() for m, _c in months],
            {
                names[0]: [float(c.on_time) for _m, c in months],
                names[1]: [float(c.late) for _m, c in months],
                names[2]: [float(c.open_overdue) for _m, c in months],
                names[3]: [float(c.open_not_due) for _m, c in months],
            },
            stacked=True,
        )

    def _draw_services(self, board: Dashboard) -> None:
        report = board.services
        kinds = [label(k) for k in report.by_type]
        self.charts["services_amount"].bars(
            kinds,
            {self.tr("Amount (SAR)"): [s.amount_halalas / 100 for s in report.by_type.values()]},
            horizontal=True,
        )
        self.charts["services_count"].bars(
            kinds,
            {self.tr("Deliveries"): [float(s.deliveries) for s in report.by_type.values()]},
            horizontal=True,
        )
        self.charts["services_month"].bars(
            [m.label() for m, _s in report.by_month],
            {self.tr("Deliveries"): [float(s.deliveries) for _m, s in report.by_month]},
        )

    def _draw_satisfaction(self, board: Dashboard) -> None:
        report = board.satisfaction
        months = report.by_month
        self.charts["satisfaction_month"].lines(
            [m.label() for m, _r in months],
            {
                self.tr("Overall"): [r.overall for _m, r in months],
                self.tr("Speed"): [r.speed for _m, r in months],
                self.tr("Courtesy"): [r.courtesy for _m, r in months],
                self.tr("Clarity"): [r.clarity for _m, r in months],
            },
            bottom=1,
            top=5,
        )
        self.charts["satisfaction_channel"].bars(
            [label(c) for c, _r in report.by_channel],
            {self.tr("Overall"): [r.overall or 0.0 for _c, r in report.by_channel]},
            horizontal=True,
            decimals=1,
            top=5,
        )
        self.charts["satisfaction_service"].bars(
            [service_label(k) for k, _r in report.by_service],
            {self.tr("Overall"): [r.overall or 0.0 for _k, r in report.by_service]},
            horizontal=True,
            decimals=1,
            top=5,
        )
        ratings = sorted(report.overall_counts.items(), reverse=True)
        self.charts["ratings"].bars(
            [str(rating) for rating, _n in ratings],
            {self.tr("Surveys"): [float(n) for _r, n in ratings]},
        )
        self.charts["ratings"].set_note(
            self.tr("Counted by service, channel, branch and month, never by member of staff.")
        )

    def _draw_complaints(self, board: Dashboard) -> None:
        report = board.complaints
        self.charts["complaints"].bars(
            [label(s) for s in report.by_status],
            {self.tr("Complaints"): [float(n) for n in report.by_status.values()]},
            horizontal=True,
        )
        self.complaints.set_rows(report.open, board.scope.today)
        self._fit_complaints()
        text = self.tr("{count} not closed, {overdue} of them past their due date.").format(
            count=count_phrase(report.open_count, COMPLAINT), overdue=f"{report.overdue_count:,}"
        )
        if len(report.open) < report.open_count:
            text += " " + self.tr("The {shown} most overdue are listed.").format(
                shown=len(report.open)
            )
        self.complaints_count.setText(text)

    # --- exporting ----------------------------------------------------------------------------

    def default_file_name(self, kind: ReportKind, suffix: str) -> str:
        try:
            period = self.period()
        except ValidationError:
            return f"romah-{kind.value}{suffix}"
        return f"romah-{kind.value}-{period.first.isoformat()}-{period.last.isoformat()}{suffix}"

    def ask_export(self, kind: ReportKind, suffix: str) -> None:
        """Ask where to save, then export there."""
        filters = (
            self.tr("Excel workbook (*.xlsx)") if suffix == ".xlsx" else self.tr("PDF (*.pdf)")
        )
        name, _chosen = QFileDialog.getSaveFileName(
            self, self.tr("Save the report"), self.default_file_name(kind, suffix), filters
        )
        if name:
            path = Path(name)
            self.export(kind, path if path.suffix.lower() == suffix else path.with_suffix(suffix))

    @property
    def exporting(self) -> bool:
        return self._cancel is not None

    def export(self, kind: ReportKind, path: Path) -> None:
        """Save the report `kind` for the filters chosen to `path` (.xlsx or .pdf), on the
        worker, with its progress shown and a button to cancel it."""
        if self.exporting:
            return
        try:
            period = self.period()
        except ValidationError as error:
            self._show_problem(error)
            self.sig_export_failed.emit(error.text())
            return
        branch_id = self.branch.currentData()
        calendar = self.calendar()
        lang = current_language()
        cancel = threading.Event()
        self._cancel = cancel
        relay = self._relay

        def job(session: Session, actor: Actor) -> ExportResult:
            scope = report_scope(session, actor, period, branch_id=branch_id, calendar=calendar)
            return export_report(
                session,
                actor,
                kind,
                scope,
                path,
                lang=lang,
                progress=relay.sig_progress.emit,
                cancelled=cancel.is_set,
            )

        self._set_exporting(True)
        self._say(self.tr("Saving {name}…").format(name=path.name))
        self.ctx.run(job, self._exported, self._export_failed, changes={Change.AUDIT}, owner=self)

    def cancel_export(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)

    def _set_exporting(self, busy: bool) -> None:
        for button in (self.export_xlsx, self.export_pdf, self.export_list):
            button.setEnabled(not busy)
        self.export_progress.setVisible(busy)
        self.export_progress.setRange(0, 0)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        if not busy:
            self._cancel = None

    def _progress(self, done: int, total: int) -> None:
        if self.exporting:
            self.export_progress.setRange(0, max(total, 1))
            self.export_progress.setValue(min(done, max(total, 1)))

    def _exported(self, result: ExportResult) -> None:
        self._set_exporting(False)
        self._say(
            self.tr("Saved {rows} to {path}.").format(
                rows=count_phrase(result.rows, ROW), path=result.path
            )
        )
        self.sig_exported.emit(result)

    def _export_failed(self, error: BaseException) -> None:
        self._set_exporting(False)
        text = error_text(error)
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE)
        self.sig_export_failed.emit(text)


def reports_pages(ctx: AppContext) -> list[PageEntry]:
    """The Reports page, for the roles that view reports (none for the others)."""
    if not allowed(ctx.actor.roles, Permission.VIEW_REPORTS):
        return []
    return [("reports", QCoreApplication.translate("ReportsPage", "Reports"), ReportsPage)]
