"""The staff's reference library: bylaws, guides, the request form and the policies, with their
version, approval and review dates (an overdue review is flagged), searchable, with a viewer."""

from __future__ import annotations

from datetime import date

from romah_desktop.arabic import normalize_arabic
from romah_desktop.labels import label
from romah_desktop.services.queues import LibraryRow, list_library
from ui.context import AppContext, error_text
from ui.qt import (
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QSortFilterProxyModel,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    follow_reading_side,
    make_table,
    page_title,
    stretch_columns,
)

LIBRARY_CHANGES = frozenset({"reference"})


class LibraryModel(RowsModel[LibraryRow]):
    """Reference documents: kind, title, version, approval and review dates, review status."""

    KIND, TITLE, VERSION, APPROVED, REVIEW, REVIEW_STATUS = range(6)

    def headers(self) -> list[str]:
        return [
            self.tr("Kind"),
            self.tr("Title"),
            self.tr("Version"),
            self.tr("Approved on"),
            self.tr("Review due"),
            self.tr("Review"),
        ]

    def cell(self, row: LibraryRow, column: int) -> str:
        if column == self.KIND:
            return label(row.kind)
        if column == self.TITLE:
            return row.title
        if column == self.VERSION:
            return row.version
        if column == self.APPROVED:
            return dual(row.approved_on)
        if column == self.REVIEW:
            return dual(row.review_due_on)
        if column == self.REVIEW_STATUS:
            if row.review_due_on is None:
                return self.tr("No review date")
            return self.tr("Review overdue") if row.review_overdue else self.tr("Up to date")
        return ""

    def late(self, row: LibraryRow) -> bool:
        return row.review_overdue

    def search_key(self, row: LibraryRow) -> str:
        """What a search looks in: kind, title, version and body, normalised."""
        return normalize_arabic(" ".join((label(row.kind), row.title, row.version, row.body or "")))


class LibraryFilter(QSortFilterProxyModel):
    """Keeps the documents whose kind, title, version or text has every word typed
    (Arabic-aware: hamza forms, ta marbuta and diacritics do not matter)."""

    def __init__(self, source: LibraryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._source = source
        self._words: list[str] = []
        self._keys: dict[str, str] = {}
        source.modelReset.connect(self._keys.clear)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = normalize_arabic(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802 (Qt API)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        row = self._source.row_at(source_row)
        key = self._keys.get(row.id)
        if key is None:
            key = self._keys[row.id] = self._source.search_key(row)
        return all(word in key for word in self._words)


class LibraryPage(QWidget):
    """The reference documents, a search, and the selected one's text."""

    sig_loaded = Signal(int)
    """The library is on screen; the argument is how many documents it has."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = QLineEdit()
        self.query.setObjectName("library_query")
        self.query.setPlaceholderText(self.tr("Search the titles and texts"))
        self.query.setClearButtonEnabled(True)
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self.model, self)
        self.view = make_table("library_table")
        self.view.setModel(self.proxy)
        # The title matters more than the kind, which often repeats it.
        stretch_columns(self.view, LibraryModel.KIND)
        self.title = QLabel()
        self.title.setObjectName("library_document_title")
        self.title.setWordWrap(True)
        self.body = QPlainTextEdit()
        self.body.setObjectName("library_body")
        self.body.setReadOnly(True)
        self.body.setTabChangesFocus(True)
        follow_reading_side(self.body)
        self.message = QLabel()
        self.message.setObjectName("library_message")
        self.message.setWordWrap(True)
        viewer = QWidget()
        viewer_layout = QVBoxLayout(viewer)
        viewer_layout.setContentsMargins(0, 0, 0, 0)
        viewer_layout.addWidget(self.title)
        viewer_layout.addWidget(self.body, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(viewer)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Reference library")))
        layout.addWidget(self.query)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.query.textChanged.connect(self._search)
        self.view.selectionModel().currentRowChanged.connect(self._show_current)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the library again."""
        if not self.ctx.signed_in:
            return
        today = date.today()
        self.message.setText(self.tr("Loading…"))
        self.ctx.run(
            lambda session, actor: list_library(session, actor, today),
            lambda rows: self._show(rows, today),
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _show(self, rows: list[LibraryRow], today: date) -> None:
        current = self.view.currentIndex().data(RowRole.ID)
        self.model.set_rows(rows, today)
        overdue = sum(1 for row in rows if row.review_overdue)
        if not rows:
            self.message.setText(self.tr("The library is empty."))
        elif overdue:
            self.message.setText(
                self.tr("Documents due for review: {count}.").format(count=overdue)
            )
        else:
            self.message.clear()
        self._show_record(current)
        self.sig_loaded.emit(len(rows))

    def _show_record(self, record_id: object) -> None:
        row = self.model.row_of(str(record_id)) if record_id else -1
        source = self.model.index(max(row, 0), 0)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self.view.setCurrentIndex(index)
        self._show_current(index)

    def _search(self, text: str) -> None:
        self.proxy.set_query(text)
        self._show_record(self.view.currentIndex().data(RowRole.ID))

    def _show_current(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = index.data(RowRole.RECORD) if index.isValid() else None
        if not isinstance(row, LibraryRow):
            self.title.clear()
            self.body.clear()
            return
        title = self.tr("{title} — version {version}").format(title=row.title, version=row.version)
        if row.review_overdue:
            title += " — " + self.tr("its review was due on {date}").format(
                date=dual(row.review_due_on)
            )
        self.title.setText(title)
        self.body.setPlainText(row.body or self.tr("This document has no text in the library."))

    def _changed(self, kinds: set[str]) -> None:
        if kinds & LIBRARY_CHANGES and self.isVisible():
            self.refresh()
