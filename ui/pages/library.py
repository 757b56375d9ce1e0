"""The staff's reference library: bylaws, guides, the request form and the policies, with their
version, approval and review dates (an overdue review is flagged), searchable, with a viewer
that also shows the earlier versions. Head office publishes new versions here."""

from __future__ import annotations

from datetime import date

from db.enums import ReferenceKind
from romah_desktop.arabic import normalize_arabic
from romah_desktop.changes import Change
from romah_desktop.errors import Conflict
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.library import (
    ReferenceVersion,
    document_versions,
    library_titles,
    publish_reference,
)
from romah_desktop.services.queues import LibraryRow, list_library
from ui.context import AppContext, error_text
from ui.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSortFilterProxyModel,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.form_dialog import FormDialog
from ui.widgets.tables import (
    RowRole,
    RowsModel,
    dual,
    follow_reading_side,
    make_table,
    page_title,
    stretch_columns,
)

LIBRARY_CHANGES = frozenset({Change.LIBRARY})


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


class PublishDialog(FormDialog):
    """Head office publishes a document, or a new version of one (the old versions stay)."""

    sig_titles = Signal(int)
    """The library's titles are offered; the argument is how many."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        kind: ReferenceKind | None = None,
        title: str = "",
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("publish_dialog")
        self.setWindowTitle(self.tr("Publish a reference document"))
        self.resize(640, 620)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for member in ReferenceKind:
            self.kind.addItem(label(member), member)
        if kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        # A title of the library (a new version of it) or a new one, typed.
        self.doc_title = QComboBox()
        self.doc_title.setObjectName("title")
        self.doc_title.setEditable(True)
        self.doc_title.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.doc_title.setCurrentText(title)
        self.version = QLineEdit()
        self.version.setObjectName("version")
        self.version.setPlaceholderText(self.tr("e.g. 2.0"))
        self.approved_on = DualDateField(field="approved_on")
        self.review_due_on = DualDateField(field="review_due_on")
        self.text = QPlainTextEdit()
        self.text.setObjectName("body")
        self.text.setTabChangesFocus(True)
        follow_reading_side(self.text)
        self.add_field("kind", self.tr("Kind"), self.kind)
        self.add_field("title", self.tr("Title"), self.doc_title)
        self.add_field("version", self.tr("Version"), self.version)
        self.add_field("approved_on", self.tr("Approved on"), self.approved_on)
        self.add_field("review_due_on", self.tr("Next review"), self.review_due_on)
        self.add_field("body", self.tr("Text"), self.text)
        self.doc_title.lineEdit().textEdited.connect(lambda _t: self.show_error("title", ""))
        self.finish_layout()
        self.note = QLabel(
            self.tr(
                "The document reaches every branch's laptops when they sync. A new version "
                "keeps the earlier ones in the library."
            )
        )
        self.note.setWordWrap(True)
        self.body.insertWidget(0, self.note)
        ctx.run(library_titles, self._show_titles, lambda _error: None, owner=self)
        (self.version if title else self.kind).setFocus()

    def _show_titles(self, titles: list[tuple[ReferenceKind, str]]) -> None:
        typed = self.doc_title.currentText()
        for _kind, title in titles:
            if self.doc_title.findText(title) < 0:
                self.doc_title.addItem(title)
        self.doc_title.setCurrentText(typed)
        self.sig_titles.emit(len(titles))

    def failed(self, error: BaseException) -> None:
        # The one refusal that is not a field's: this version is already published.
        if isinstance(error, Conflict):
            self.save_button.setEnabled(True)
            self.set_message("")
            self.show_error("version", error.text())
            self.version.setFocus()
            self.sig_failed.emit(error.text())
            return
        super().failed(error)

    def save(self) -> None:
        self.clear_errors()
        values = {
            "kind": self.kind.currentData(),
            "title": self.doc_title.currentText(),
            "version": self.version.text(),
            "approved_on": self.approved_on.text(),
            "review_due_on": self.review_due_on.text(),
            "body": self.text.toPlainText(),
        }
        self.submit(
            lambda session, actor: publish_reference(session, actor, **values).id, {Change.LIBRARY}
        )


class LibraryPage(QWidget):
    """The reference documents, a search, and the selected one's text and versions."""

    sig_loaded = Signal(int)
    """The library is on screen; the argument is how many documents it has."""

    sig_versions = Signal(int)
    """The selected document's versions are listed; the argument is how many."""

    sig_dialog_opened = Signal(object)
    """The publishing form opened; the argument is the PublishDialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: PublishDialog | None = None
        self._versions_of: str | None = None
        self.query = QLineEdit()
        self.query.setObjectName("library_query")
        self.query.setPlaceholderText(self.tr("Search the titles and texts"))
        self.query.setClearButtonEnabled(True)
        self.publish_button = QPushButton(self.tr("&Publish a document or version…"))
        self.publish_button.setObjectName("publish_reference")
        self.publish_button.clicked.connect(lambda: self.publish())
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self.model, self)
        self.view = make_table("library_table")
        self.view.setModel(self.proxy)
        # The title matters more than the kind, which often repeats it.
        stretch_columns(self.view, LibraryModel.KIND)
        self.title = QLabel()
        self.title.setObjectName("library_document_title")
        self.title.setWordWrap(True)
        self.versions = QListWidget()
        self.versions.setObjectName("library_versions")
        self.versions.setToolTip(
            self.tr("Earlier versions stay in the library: choose one to read it.")
        )
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
        # The versions beside the text, not above it: the document keeps its height on a
        # laptop at 150 %.
        text_row = QHBoxLayout()
        text_row.addWidget(self.body, 2)
        text_row.addWidget(self.versions, 1)
        viewer_layout.addLayout(text_row, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(viewer)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.publish_button)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Reference library")))
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.query.textChanged.connect(self._search)
        self.view.selectionModel().currentRowChanged.connect(self._show_current)
        self.versions.currentItemChanged.connect(self._show_version)
        ctx.sig_changed.connect(self._changed)

    def refresh(self) -> None:
        """Load the library again."""
        if not self.ctx.signed_in:
            return
        self.publish_button.setVisible(allowed(self.ctx.actor.roles, Permission.PUBLISH_REFERENCE))
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
        self._versions_of = None  # a new version may have come: list them again
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
            self.versions.clear()
            self._versions_of = None
            return
        self._show_text(row.title, row.version, row.body, row.review_due_on, row.review_overdue)
        if self._versions_of != row.id:
            self._load_versions(row.id)

    def _show_text(
        self,
        title: str,
        version: str,
        body: str | None,
        review_due_on: date | None,
        overdue: bool,
        replaced: bool = False,
    ) -> None:
        text = self.tr("{title} — version {version}").format(title=title, version=version)
        if replaced:
            text += " — " + self.tr("replaced by a newer version")
        elif overdue:
            text += " — " + self.tr("its review was due on {date}").format(date=dual(review_due_on))
        self.title.setText(text)
        self.body.setPlainText(body or self.tr("This document has no text in the library."))

    def _load_versions(self, document_id: str) -> None:
        self._versions_of = document_id
        self.versions.clear()
        today = date.today()
        self.ctx.run(
            lambda session, actor: document_versions(session, actor, document_id, today),
            lambda versions: self._list_versions(document_id, versions),
            lambda error: self.message.setText(error_text(error)),
            owner=self,
        )

    def _list_versions(self, document_id: str, versions: list[ReferenceVersion]) -> None:
        if self._versions_of != document_id:
            return  # another document was chosen meanwhile
        self.versions.blockSignals(True)
        self.versions.clear()
        for version in versions:
            text = self.tr("Version {version} — approved {approved}").format(
                version=version.version,
                approved=dual(version.approved_on) or self.tr("(no date)"),
            )
            if version.current:
                text += " — " + self.tr("current")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, version)
            self.versions.addItem(item)
        self.versions.setCurrentRow(0)
        self.versions.blockSignals(False)
        self.versions.setVisible(len(versions) > 1)
        self.sig_versions.emit(len(versions))

    def _show_version(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        version = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(version, ReferenceVersion):
            self._show_text(
                version.title,
                version.version,
                version.body,
                version.review_due_on,
                version.review_overdue,
                replaced=not version.current,
            )

    def publish(self) -> PublishDialog:
        """Open the publishing form (head office), for a new version of the selected document."""
        row = self.view.currentIndex().data(RowRole.RECORD)
        current = row if isinstance(row, LibraryRow) else None
        dialog = PublishDialog(
            self.ctx,
            self,
            kind=current.kind if current else None,
            title=current.title if current else "",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def _changed(self, kinds: set[Change]) -> None:
        if kinds & LIBRARY_CHANGES and self.isVisible():
            self.refresh()
