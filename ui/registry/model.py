"""The beneficiary list as an item model over ids: rows are fetched a page at a time, in the
background, when the view first asks for them (the way Anki's browser stays fast)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from romah_desktop.labels import label
from romah_desktop.services.people.registry import RegistryRow, rows
from ui.context import AppContext, error_text
from ui.qt import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPalette,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from ui.registry.ids import Ids, as_ids

PAGE_SIZE = 100
# Rows kept after they scroll away: enough for quick scrolling back, while scrolling through
# 200,000 people never holds them all.
MAX_CACHED_ROWS = 4_000

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """The columns in reading order; a right-to-left layout shows the first on the right."""

    FILE_NUMBER = 0
    NAME = 1
    NATIONAL_ID = 2
    PHONE = 3
    CITY = 4
    STATUS = 5
    CATEGORIES = 6


class RegistryRole(IntEnum):
    """The model's own data roles."""

    ID = Qt.ItemDataRole.UserRole + 1
    """The beneficiary's id (always available, even before the row is fetched)."""
    ROW = Qt.ItemDataRole.UserRole + 2
    """The RegistryRow, or None while it is being fetched or when the file is gone."""
    LOADED = Qt.ItemDataRole.UserRole + 3
    """Whether the row's page has arrived."""


class BeneficiaryListModel(QAbstractTableModel):
    """The registry's rows over a list of beneficiary ids, fetched through `ctx.run`."""

    sig_page_loaded = Signal(int)
    """Rows fetched for a page arrived and are on screen; the argument is the page's first row."""

    sig_failed = Signal(str)
    """Fetching rows failed; the argument is the message for the user."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ids = Ids()
        # Rows by id, the most recently shown last; ids fetched and not found are "gone".
        self._rows: OrderedDict[str, RegistryRow] = OrderedDict()
        self._gone: set[str] = set()
        self._requested: set[int] = set()
        self._queued: set[int] = set()
        self._generation = 0
        self._placeholder_color = QPalette().color(QPalette.ColorRole.PlaceholderText)
        self._loading_text = self.tr("Loading…")
        self._gone_text = self.tr("This file is no longer available")
        # The view asks for many cells in one paint; fetch every page they need in one job.
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_queued)

    # --- the list -------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[str], first_rows: Sequence[RegistryRow] = ()) -> None:
        """Show `ids`, forgetting every fetched row; `first_rows` (rows of some of the ids,
        fetched with them) are shown at once."""
        self.beginResetModel()
        self._generation += 1
        self._ids = as_ids(ids)
        self._rows.clear()
        self._gone.clear()
        self._requested.clear()
        self._queued.clear()
        self._keep(first_rows)
        self.endResetModel()

    def forget(self) -> None:
        """Hold no rows and fetch none (the user who saw them signed out)."""
        self._fetch_timer.stop()
        self.set_ids([])

    def show_first(self, first_rows: Sequence[RegistryRow]) -> None:
        """Show only the rows that begin a list, while the whole list is being read."""
        self.set_ids(Ids([r.id for r in first_rows]), first_rows)

    def extend(self, ids: Sequence[str]) -> None:
        """Show the whole list `ids`. When it begins with the rows shown, the rest is added
        below them (the selection and the fetched rows stay); otherwise the list is replaced."""
        whole = as_ids(ids)
        count = len(self._ids)
        if not whole.starts_with(self._ids):
            self.set_ids(whole)
            return
        if len(whole) == count:
            return
        self.beginInsertRows(QModelIndex(), count, len(whole) - 1)
        self._ids = whole
        # A page only partly shown before is not complete in the cache: fetch it again.
        self._requested.discard(count // PAGE_SIZE)
        self.endInsertRows()

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, beneficiary_id: str) -> int:
        """The row showing `beneficiary_id`, or -1."""
        try:
            return self._ids.index(beneficiary_id)
        except ValueError:
            return -1

    def is_loaded(self, row: int) -> bool:
        """Whether the row's data has arrived (a gone file counts: there is nothing to wait for)."""
        beneficiary_id = self._ids.at(row)
        return beneficiary_id in self._rows or beneficiary_id in self._gone

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else _COLUMNS

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < _COLUMNS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles()[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called some 900 times a paint: the cheapest tests come first.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if row >= len(self._ids):
            return None
        beneficiary_id = self._ids.at(row)
        if role == _ID_ROLE:
            return beneficiary_id
        record = self._row(row, beneficiary_id)
        if role == _ROW_ROLE:
            return record
        gone = record is None and beneficiary_id in self._gone
        if role == _LOADED_ROLE:
            return record is not None or gone
        if role == _FOREGROUND_ROLE:
            return None if record is not None else self._placeholder_color
        if record is None:
            if index.column() != Column.NAME:
                return ""
            return self._gone_text if gone else self._loading_text
        text = self._text(record, index.column())
        return text if role == _DISPLAY_ROLE or text else None

    # --- showing a row ----------------------------------------------------------------------

    def _titles(self) -> dict[Column, str]:
        return {
            Column.FILE_NUMBER: self.tr("File number"),
            Column.NAME: self.tr("Name"),
            Column.NATIONAL_ID: self.tr("ID number"),
            Column.PHONE: self.tr("Mobile"),
            Column.CITY: self.tr("City"),
            Column.STATUS: self.tr("Status"),
            Column.CATEGORIES: self.tr("Categories"),
        }

    def _text(self, record: RegistryRow, column: int) -> str:
        if column == Column.FILE_NUMBER:
            return record.file_number
        if column == Column.NAME:
            return record.full_name
        if column == Column.NATIONAL_ID:
            return record.national_id
        if column == Column.PHONE:
            return record.phone or ""
        if column == Column.CITY:
            return record.city or ""
        if column == Column.STATUS:
            return label(record.status, gender=record.gender)
        return _list_separator().join(label(c, gender=record.gender) for c in record.categories)

    # --- fetching pages ---------------------------------------------------------------------

    def _row(self, row: int, beneficiary_id: str) -> RegistryRow | None:
        record = self._rows.get(beneficiary_id)
        if record is not None:
            self._rows.move_to_end(beneficiary_id)
            return record
        number = row // PAGE_SIZE
        if (
            beneficiary_id not in self._gone
            and number not in self._requested
            and self.ctx.signed_in
        ):
            self._requested.add(number)
            self._queued.add(number)
            self._fetch_timer.start()
        return None

    def _slice(self, number: int) -> list[str]:
        ids = self._ids
        return [
            ids.at(row)
            for row in range(number * PAGE_SIZE, min(len(ids), (number + 1) * PAGE_SIZE))
        ]

    def _fetch_queued(self) -> None:
        pages = sorted(self._queued)
        self._queued.clear()
        if not pages or not self.ctx.signed_in:
            self._requested.difference_update(pages)
            return
        wanted = [i for number in pages for i in self._slice(number) if i not in self._rows]
        generation = self._generation
        self.ctx.run(
            lambda session, actor: rows(session, actor, wanted),
            lambda found: self._arrived(generation, pages, wanted, found),
            lambda error: self._not_arrived(generation, error),
            owner=self,
        )

    def _arrived(
        self, generation: int, pages: list[int], wanted: list[str], found: list[RegistryRow]
    ) -> None:
        if generation != self._generation:
            return  # rows of a list that is no longer shown
        self._keep(found)
        self._gone.update(set(wanted) - {r.id for r in found})
        for number in pages:
            self._requested.discard(number)
            first = number * PAGE_SIZE
            last = min(first + PAGE_SIZE, len(self._ids)) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, _COLUMNS - 1))
            self.sig_page_loaded.emit(first)

    def _not_arrived(self, generation: int, error: BaseException) -> None:
        # The pages stay "requested", so a repaint does not retry in a loop; the next
        # refresh of the list tries again.
        if generation == self._generation:
            self.sig_failed.emit(error_text(error))

    def _keep(self, found: Sequence[RegistryRow]) -> None:
        for record in found:
            self._rows[record.id] = record
            self._rows.move_to_end(record.id)
        while len(self._rows) > MAX_CACHED_ROWS:
            self._rows.popitem(last=False)


def _list_separator() -> str:
    # The Arabic comma in Arabic; the window's language sets the default locale.
    return "، " if QLocale().language() == QLocale.Language.Arabic else ", "


_COLUMNS = len(Column)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
# Plain ints: data() compares them hundreds of times a paint.
_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND_ROLE = int(Qt.ItemDataRole.ForegroundRole)
_ID_ROLE = int(RegistryRole.ID)
_ROW_ROLE = int(RegistryRole.ROW)
_LOADED_ROLE = int(RegistryRole.LOADED)
_ROLES = frozenset(
    {
        _DISPLAY_ROLE,
        int(Qt.ItemDataRole.ToolTipRole),
        _FOREGROUND_ROLE,
        _ID_ROLE,
        _ROW_ROLE,
        _LOADED_ROLE,
    }
)
