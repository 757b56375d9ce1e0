"""General helpers for the list pages' tables: row models (whole or paged), roles, and views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from romah_desktop.dates import format_dual
from romah_desktop.services.context import Actor
from ui.context import AppContext, error_text
from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QColor,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    Qt,
    QTableView,
    Signal,
)

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

# Rows asked for at a time; more are fetched as the list is scrolled.
PAGE_SIZE = 200
# Late rows: a soft red background with dark red text, readable in light and dark themes.
OVERDUE_BACKGROUND = QColor(253, 226, 226)
OVERDUE_FOREGROUND = QColor(140, 20, 20)


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

    def forget(self) -> None:
        """Hold no rows (the user who saw them signed out)."""
        self.set_rows([])

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

    def forget(self) -> None:
        """Hold no rows, and take none of the pages still being read."""
        self._generation += 1
        self._fetch = None
        self._loading = False
        self._exhausted = True
        super().forget()

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


def forget_rows(root: QObject) -> None:
    """Empty every table model under `root` that can forget its rows (at sign-out), so no
    record of the user who left stays in memory, even while something still refers to it."""
    for model in root.findChildren(QAbstractTableModel):
        forget = getattr(model, "forget", None)
        if callable(forget):
            forget()


def dual(day: date | None) -> str:
    """A date in Hijri and Gregorian side by side, readable in a right-to-left line, or ""."""
    return "" if day is None else format_dual(day)


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
