"""The branch's support requests: filter by status and type, search, see the committee's due
date in Hijri and Gregorian with overdue requests highlighted, and open one read-only.

The table models here (rows fetched a page at a time) are also used by Today and Contacts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from db.enums import RequestStatus, RequestType
from romah_desktop.dates import format_dual
from romah_desktop.labels import label
from romah_desktop.services.context import Actor
from romah_desktop.services.queues import (
    RequestDetails,
    RequestRow,
    list_requests,
    request_details,
)
from romah_desktop.validation import format_money
from ui.context import AppContext, error_text
from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

# Rows asked for at a time; more are fetched as the list is scrolled.
PAGE_SIZE = 200
# Late rows: a soft red background with dark red text, readable in light and dark themes.
OVERDUE_BACKGROUND = QColor(253, 226, 226)
OVERDUE_FOREGROUND = QColor(140, 20, 20)
# Changes after which these lists are refreshed (the record kinds ctx.sig_changed names).
REQUEST_CHANGES = frozenset({"request", "decision", "delivery", "beneficiary", "declaration"})


class RowRole(IntEnum):
    """Data roles of the list models beyond Qt's own."""

    ID = Qt.ItemDataRole.UserRole + 1
    """The record's id (str)."""
    RECORD = Qt.ItemDataRole.UserRole + 2
    """The whole row (a dataclass from romah_desktop.services.queues)."""
    OVERDUE = Qt.ItemDataRole.UserRole + 3
    """Whether the row is late (bool)."""


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over rows of the core's dataclasses.

    Subclasses say what the columns are (`headers`) and what each cell shows (`cell`);
    `late` marks rows to highlight.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self.today = date.today()

    # What subclasses provide.
    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row: R, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: R, column: int) -> str | None:
        return None

    def late(self, row: R) -> bool:
        return False

    # The model's rows.
    def set_rows(self, rows: Sequence[R], today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.today = today or date.today()
        self.endResetModel()

    def append_rows(self, rows: Sequence[R]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def row_of(self, record_id: str) -> int:
        """The row number of the record with `record_id`, or -1."""
        for number, row in enumerate(self._rows):
            if getattr(row, "id", None) == record_id:
                return number
        return -1

    # QAbstractTableModel.
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            # The whole text, for a cell too narrow to show it all.
            return self.tooltip(row, index.column()) or self.cell(row, index.column()) or None
        if role == RowRole.ID:
            return getattr(row, "id", None)
        if role == RowRole.RECORD:
            return row
        if role == RowRole.OVERDUE:
            return self.late(row)
        if role == Qt.ItemDataRole.BackgroundRole and self.late(row):
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and self.late(row):
            return OVERDUE_FOREGROUND
        return None

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


Fetch = Callable[[Session, Actor, int, Any], Sequence[Any]]
"""fetch(session, actor, limit, after): at most `limit` rows listed after the row `after`
(None: from the top)."""


class PagedRowsModel(RowsModel[R]):
    """Rows fetched on the worker a page at a time: the first page when `load` is called,
    the next ones when the view scrolls near the end (Qt's canFetchMore / fetchMore)."""

    sig_loaded = Signal(int)
    """A page arrived; the argument is how many rows the model now holds."""

    sig_failed = Signal(str)
    """Loading failed; the argument is the message for the user."""

    def __init__(
        self, ctx: AppContext, parent: QObject | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self._fetch: Fetch | None = None
        self._generation = 0
        self._loading = False
        self._exhausted = True

    @property
    def loading(self) -> bool:
        return self._loading

    def load(self, fetch: Fetch, keep_loaded: bool = False) -> None:
        """Show what `fetch(session, actor, limit, after)` returns, from its first page.

        With `keep_loaded` (a refresh of the same list), as many rows as are shown now are
        fetched at once, so the view keeps its place.
        """
        self._fetch = fetch
        self._generation += 1
        wanted = max(self.page_size, len(self._rows)) if keep_loaded else self.page_size
        if not keep_loaded:
            self.set_rows([])
        self._request(None, wanted, replace=True)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 (Qt API)
        return (
            not parent.isValid()
            and self._fetch is not None
            and not self._loading
            and not self._exhausted
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802 (Qt API)
        if self.canFetchMore(parent):
            self._request(self._rows[-1] if self._rows else None, self.page_size, replace=False)

    def _request(self, after: Any, limit: int, replace: bool) -> None:
        fetch = self._fetch
        assert fetch is not None
        generation = self._generation
        self._loading = True
        self.ctx.run(
            lambda session, actor: list(fetch(session, actor, limit, after)),
            lambda rows: self._arrived(generation, rows, limit, replace),
            lambda error: self._failed(generation, error),
            owner=self,
        )

    def _arrived(self, generation: int, rows: list[R], limit: int, replace: bool) -> None:
        if generation != self._generation:
            return  # an answer for a list that has changed since
        self._exhausted = len(rows) < limit
        # Still "loading" while the rows go in: views and testers may ask for more meanwhile.
        if replace:
            self.set_rows(rows)
        else:
            self.append_rows(rows)
        self._loading = False
        self.sig_loaded.emit(len(self._rows))

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = True
        self.sig_failed.emit(error_text(error))


def dual(day: date | None) -> str:
    """A date in Hijri and Gregorian side by side, readable in a right-to-left line, or ""."""
    return "" if day is None else format_dual(day)


class RequestsModel(PagedRowsModel[RequestRow]):
    """Support requests: number, person, type, status, amount and the committee's due date."""

    NUMBER, PERSON, TYPE, STATUS, AMOUNT, DUE, DAYS = range(7)

    def headers(self) -> list[str]:
        return [
            self.tr("Number"),
            self.tr("Beneficiary"),
            self.tr("Type"),
            self.tr("Status"),
            self.tr("Amount (SAR)"),
            self.tr("Committee's answer due"),
            self.tr("Days left"),
        ]

    def cell(self, row: RequestRow, column: int) -> str:
        if column == self.NUMBER:
            return row.request_number
        if column == self.PERSON:
            return row.person_name
        if column == self.TYPE:
            return label(row.request_type)
        if column == self.STATUS:
            return label(row.status)
        if column == self.AMOUNT:
            halalas = row.amount_requested_halalas
            return "" if halalas is None else format_money(halalas)
        if column == self.DUE:
            return dual(row.committee_due_on)
        if column == self.DAYS:
            return self.days_text(row)
        return ""

    def days_text(self, row: RequestRow) -> str:
        if row.status != RequestStatus.SUBMITTED:
            return ""
        days = row.days_left(self.today)
        if days is None:
            return ""
        if days < 0:
            return self.tr("Overdue by {days} days").format(days=-days)
        if days == 0:
            return self.tr("Due today")
        return str(days)

    def tooltip(self, row: RequestRow, column: int) -> str | None:
        if column == self.PERSON:
            return row.file_number
        if self.late(row):
            return self.tr("The committee's answer is overdue.")
        return None

    def late(self, row: RequestRow) -> bool:
        return row.is_overdue(self.today)


def stretch_columns(view: QTableView, stretch: int) -> None:
    """Fit columns to their contents, with `stretch` taking the room left."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def follow_reading_side(edit: QPlainTextEdit) -> QPlainTextEdit:
    """Align a plain-text box's lines to the window's reading side (QPlainTextEdit keeps them
    on the left even in a right-to-left window)."""
    rtl = edit.layoutDirection() == Qt.LayoutDirection.RightToLeft
    option = edit.document().defaultTextOption()
    option.setTextDirection(edit.layoutDirection())
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
    edit.document().setDefaultTextOption(option)
    return edit


def page_title(text: str = "") -> QLabel:
    """A page's heading: bold and a little larger than the text."""
    title = QLabel(text)
    title.setObjectName("page_title")
    font = title.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    title.setFont(font)
    return title


def make_table(name: str) -> QTableView:
    """A read-only, row-selecting table as every list here uses."""
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.setTabKeyNavigation(False)
    view.horizontalHeader().setMinimumSectionSize(60)
    view.horizontalHeader().setMaximumSectionSize(320)  # a long text is elided, not widened
    return view


class RequestDetailsDialog(QDialog):
    """One request, read-only: its facts, justification and the committee's decisions."""

    sig_loaded = Signal()
    """The request's details are on screen."""

    def __init__(self, ctx: AppContext, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.setWindowTitle(self.tr("Support request"))
        self.setObjectName("request_details")
        self.resize(640, 520)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        titles = {
            "number": self.tr("Request number"),
            "person": self.tr("Beneficiary"),
            "type": self.tr("Type"),
            "status": self.tr("Status"),
            "amount": self.tr("Amount requested (SAR)"),
            "channel": self.tr("Received through"),
            "submitted": self.tr("Submitted to the committee"),
            "due": self.tr("Committee's answer due"),
        }
        # A value such as a request number reads left to right but still sits on the form's
        # reading side (a label would otherwise align it by its own text's direction).
        side = (
            Qt.AlignmentFlag.AlignRight
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        for key, title in titles.items():
            value = QLabel()
            value.setAlignment(
                side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
            )
            value.setObjectName(f"request_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            form.addRow(title, value)
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("request_justification")
        self.justification.setReadOnly(True)
        self.justification.setTabChangesFocus(True)
        follow_reading_side(self.justification)
        self.decisions = QListWidget()
        self.decisions.setObjectName("request_decisions")
        self.message = QLabel(self.tr("Loading…"))
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Justification")))
        layout.addWidget(self.justification, 1)
        layout.addWidget(QLabel(self.tr("Committee decisions")))
        layout.addWidget(self.decisions, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        ctx.run(
            lambda session, actor: request_details(session, actor, request_id),
            self._show,
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _show(self, details: RequestDetails) -> None:
        row = details.row
        today = date.today()
        values = {
            "number": row.request_number,
            "person": f"{row.person_name} — {row.file_number}",
            "type": label(row.request_type),
            "status": label(row.status),
            "amount": ""
            if row.amount_requested_halalas is None
            else format_money(row.amount_requested_halalas),
            "channel": label(details.channel),
            "submitted": dual(row.submitted_at.astimezone().date() if row.submitted_at else None),
            "due": dual(row.committee_due_on),
        }
        if row.is_overdue(today):
            values["due"] = self.tr("{date} — overdue").format(date=values["due"])
            self.fields["due"].setStyleSheet(f"color: {OVERDUE_FOREGROUND.name()};")
        for key, text in values.items():
            self.fields[key].setText(text or "—")
        self.justification.setPlainText(details.justification)
        self.decisions.clear()
        for decision in details.decisions:
            text = self.tr("{date}: {outcome}").format(
                date=dual(decision.decided_on), outcome=label(decision.outcome)
            )
            if decision.approved_amount_halalas is not None:
                text += " — " + self.tr("{amount} riyals").format(
                    amount=format_money(decision.approved_amount_halalas)
                )
            if decision.reason:
                text += " — " + decision.reason
            if not decision.in_force:
                text += " " + self.tr("(corrected by a later decision)")
            self.decisions.addItem(text)
        if not details.decisions:
            self.decisions.addItem(self.tr("No decision yet."))
        self.message.clear()
        self.sig_loaded.emit()


class RequestsPage(QWidget):
    """Every support request of the branch, newest first, with filters and a search."""

    sig_opened = Signal(str)
    """A request was opened; the argument is its id."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.details: RequestDetailsDialog | None = None
        self.status = QComboBox()
        self.status.setObjectName("request_status_filter")
        self.status.addItem(self.tr("All statuses"), None)
        for status in RequestStatus:
            self.status.addItem(label(status), status)
        self.request_type = QComboBox()
        self.request_type.setObjectName("request_type_filter")
        self.request_type.addItem(self.tr("All types"), None)
        for kind in RequestType:
            self.request_type.addItem(label(kind), kind)
        self.query = QLineEdit()
        self.query.setObjectName("request_query")
        self.query.setPlaceholderText(self.tr("Request number, name, national ID or mobile"))
        self.query.setClearButtonEnabled(True)
        self.model = RequestsModel(ctx, self)
        self.view = make_table("requests_table")
        self.view.setModel(self.model)
        stretch_columns(self.view, RequestsModel.PERSON)
        self.count = QLabel()
        self.count.setObjectName("requests_count")
        self.open_button = QPushButton(self.tr("Open request"))
        self.open_button.setObjectName("open_request")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.request_type.currentIndexChanged.connect(lambda _i: self.reload())
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.query.returnPressed.connect(self.reload)
        self.view.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_current)
        self.model.sig_loaded.connect(self._loaded)
        self.model.sig_failed.connect(self.count.setText)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Status")))
        filters.addWidget(self.status)
        filters.addWidget(QLabel(self.tr("Type")))
        filters.addWidget(self.request_type)
        filters.addWidget(self.query, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Support requests")))
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the list again with the current filters, keeping what is scrolled to."""
        self._load(keep_loaded=True)

    def reload(self) -> None:
        """Load the list from the top (the filters changed)."""
        self._load(keep_loaded=False)

    def _load(self, keep_loaded: bool) -> None:
        if not self.ctx.signed_in:
            return
        status = self.status.currentData()
        kind = self.request_type.currentData()
        query = self.query.text()
        self.count.setText(self.tr("Loading…"))
        self.model.load(
            lambda session, actor, limit, after: list_requests(
                session,
                actor,
                status=status,
                request_type=kind,
                query=query,
                limit=limit,
                after=after,
            ),
            keep_loaded=keep_loaded,
        )

    def _loaded(self, count: int) -> None:
        more = self.model.canFetchMore()
        if count == 0:
            self.count.setText(self.tr("No requests match."))
        elif more:
            self.count.setText(
                self.tr("Requests shown: {count} (scroll down for more).").format(count=count)
            )
        else:
            self.count.setText(self.tr("Requests: {count}.").format(count=count))

    def _changed(self, kinds: set[str]) -> None:
        if kinds & REQUEST_CHANGES and self.isVisible():
            self.refresh()

    def _open_index(self, index: QModelIndex) -> None:
        request_id = index.data(RowRole.ID)
        if request_id:
            self.open_request(str(request_id))

    def open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._open_index(index)

    def open_request(self, request_id: str) -> RequestDetailsDialog:
        """Show the request read-only (the details dialog stays open beside the list)."""
        self.details = RequestDetailsDialog(self.ctx, request_id, self)
        self.details.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details.open()
        self.sig_opened.emit(request_id)
        return self.details
