"""A person's timeline: everything recorded about them, newest first (read-only)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from romah_desktop.changes import Change
from romah_desktop.labels import label
from romah_desktop.services.people.timeline import TimelineEntry, timeline
from ui.context import AppContext, error_text
from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QColor,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)

AnyIndex = QModelIndex | QPersistentModelIndex
FLAG_COLOR = QColor("#b00020")


class TimelineRole(IntEnum):
    RECORD_ID = Qt.ItemDataRole.UserRole + 1
    """The id of the record the entry tells about."""
    KIND = Qt.ItemDataRole.UserRole + 2
    """The entry's TimelineKind value ("contact", "request"...)."""
    FLAGGED = Qt.ItemDataRole.UserRole + 3
    """True when the entry needs attention (an expired document)."""
    WHEN = Qt.ItemDataRole.UserRole + 4
    """The entry's moment, a timezone-aware datetime."""


class TimelineModel(QAbstractTableModel):
    """Timeline entries in three columns (when, what, summary), handed to the view in batches
    as it scrolls."""

    BATCH = 100
    WHEN, KIND, SUMMARY = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self._shown = 0

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._shown = min(self.BATCH, len(self._entries))
        self.endResetModel()

    def forget(self) -> None:
        """Hold no entries (the user who saw them signed out)."""
        self.set_entries([])

    def entry(self, row: int) -> TimelineEntry:
        return self._entries[row]

    def total(self) -> int:
        return len(self._entries)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 3

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._entries)

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        if parent.isValid():
            return
        more = min(self.BATCH, len(self._entries) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.WHEN:
                return entry.when_text()
            if column == self.KIND:
                return label(entry.kind)
            text = entry.summary
            return f"⚠ {text}" if entry.flagged and role == Qt.ItemDataRole.DisplayRole else text
        if role == Qt.ItemDataRole.ForegroundRole and entry.flagged:
            return FLAG_COLOR
        if role == TimelineRole.RECORD_ID:
            return entry.record_id
        if role == TimelineRole.KIND:
            return entry.kind.value
        if role == TimelineRole.FLAGGED:
            return entry.flagged
        if role == TimelineRole.WHEN:
            return entry.when
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("When"), self.tr("What"), self.tr("Details"))
        return titles[section] if 0 <= section < len(titles) else None


class TimelineView(QWidget):
    """The timeline of one person, read through the worker; refreshed when their file changes."""

    sig_loaded = Signal(int)
    """The timeline is on screen; the argument is how many entries it has."""

    sig_entry_activated = Signal(str, str)
    """The user opened an entry (double-click or Enter): its kind and its record's id."""

    # Any record may be about the person; only these kinds of changes never are.
    IGNORED_CHANGES = frozenset({Change.SETTINGS, Change.USER, Change.LIBRARY})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.beneficiary_id: str | None = None
        self.model = TimelineModel(self)
        self.table = QTableView()
        self.table.setObjectName("timeline_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TimelineModel.WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TimelineModel.KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TimelineModel.SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        # Wrapped summaries need their rows re-measured when the columns change width.
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        self.message = QLabel()
        self.message.setObjectName("timeline_message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        ctx.sig_changed.connect(self._changed)

    def load(self, beneficiary_id: str | None) -> None:
        """Show `beneficiary_id`'s timeline (None: an empty one, for a file not saved yet)."""
        self.beneficiary_id = beneficiary_id
        if beneficiary_id is None:
            self.model.set_entries([])
            self.message.setText(self.tr("The timeline starts once the file is saved."))
            return
        self.message.setText(self.tr("Reading the file's history…"))
        self.ctx.run(
            lambda session, actor: timeline(session, actor, beneficiary_id),
            lambda entries: self._show(beneficiary_id, entries),
            self._failed,
            owner=self,
        )

    def refresh(self) -> None:
        self.load(self.beneficiary_id)

    def _show(self, beneficiary_id: str, entries: list[TimelineEntry]) -> None:
        if beneficiary_id != self.beneficiary_id:
            return  # another file was opened meanwhile
        self.model.set_entries(entries)
        self.table.resizeRowsToContents()
        self.message.setText("" if entries else self.tr("Nothing has been recorded yet."))
        self.sig_loaded.emit(len(entries))

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))

    def _changed(self, kinds: set[Change]) -> None:
        if self.beneficiary_id is not None and kinds - self.IGNORED_CHANGES:
            self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row())
        self.sig_entry_activated.emit(entry.kind.value, entry.record_id)
