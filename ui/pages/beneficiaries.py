"""The beneficiary registry: search as you type, filter by status and category, open a file."""

from __future__ import annotations

from db.enums import Category, RegistrationStatus
from romah_desktop.changes import Change
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services.people.registry import RegistryRow, first_rows, list_ids
from ui.context import AppContext, error_text
from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.registry.ids import Ids
from ui.registry.model import PAGE_SIZE, BeneficiaryListModel, Column

ListKey = tuple[str, RegistrationStatus | None, Category | None]
# A search lists at most this many people (the best matches first); typing more narrows it.
MAX_MATCHES = 2_000


class BeneficiariesPage(QWidget):
    """The registry list: every file the user may see, found and opened from the keyboard."""

    sig_open_file = Signal(str)
    """The user asked to open a beneficiary's file; the argument is the beneficiary's id."""

    sig_new_file = Signal()
    """The user asked to register a new beneficiary."""

    sig_first_rows_shown = Signal()
    """The first rows for the current search and filters are on screen; the rest follows."""

    sig_listed = Signal(int)
    """The whole list for the current search and filters is on screen; the argument: its length."""

    # Keystrokes closer together than this (a paste, a burst) make one search. A search that
    # is running is never interrupted: the newest text runs when it ends.
    SEARCH_DELAY_MS = 25

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = BeneficiaryListModel(ctx, self)
        self._loading: ListKey | None = None
        self._reload_wanted = False
        self._loaded = False
        self._stale = False
        self._wanted_id: str | None = None  # the row to choose once the list is read
        # The whole lists (no search) read since the last change, by their filters: each held
        # as one block (200,000 ids as strings would take 20 MB).
        self._whole_lists: dict[tuple[RegistrationStatus | None, Category | None], Ids] = {}
        self._data_version = 0
        self._shown_key: ListKey | None = None
        self._profiles: dict[str | None, QWidget] = {}

        self.search = QLineEdit()
        self.search.setObjectName("registry_search")
        self.search.setPlaceholderText(self.tr("Search by name, national ID or mobile"))
        self.search.setAccessibleName(self.tr("Search beneficiaries"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("registry_status")
        self.status_filter.setAccessibleName(self.tr("Registration status"))
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in RegistrationStatus:
            self.status_filter.addItem(label(status), status.value)
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("registry_category")
        self.category_filter.setAccessibleName(self.tr("Category"))
        self.category_filter.addItem(self.tr("All categories"), None)
        for category in Category:
            self.category_filter.addItem(label(category), category.value)
        self.new_file = QPushButton(self.tr("New beneficiary"))
        self.new_file.setObjectName("new_beneficiary")
        self.new_file.setToolTip(self.tr("Open a file for a new person (Ctrl+N)"))
        self.new_file.setEnabled(
            ctx.signed_in and allowed(ctx.actor.roles, Permission.REGISTER_BENEFICIARY)
        )

        self.table = QTableView()
        self.table.setObjectName("registry_table")
        self.table.setAccessibleName(self.tr("Beneficiaries"))
        self.table.setModel(self.model)
        self._set_up_table()
        self.empty = QLabel()
        self.empty.setObjectName("registry_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setFrameShape(QFrame.Shape.StyledPanel)
        self.results = QStackedWidget()
        self.results.addWidget(self.table)
        self.results.addWidget(self.empty)
        self.count = QLabel()
        self.count.setObjectName("registry_count")

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._load)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.open_current)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._load())
        self.category_filter.currentIndexChanged.connect(lambda _i: self._load())
        self.new_file.clicked.connect(self.open_new_file)
        self.table.activated.connect(self._activated)
        self.model.sig_failed.connect(self.count.setText)
        ctx.sig_changed.connect(self._changed)
        ctx.sig_signed_out.connect(self._forget)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_search)
        new = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.activated.connect(self.open_new_file)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.category_filter)
        bar.addWidget(self.new_file)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        self.setFocusProxy(self.search)

    def _set_up_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the list, as in any form
        table.setCornerButtonEnabled(False)
        metrics = table.fontMetrics()
        rows = table.verticalHeader()
        rows.hide()
        # Fixed row heights: the view never measures 200,000 rows.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 12)
        columns = table.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The name takes the room left over; long categories are elided, their tooltip is whole.
        columns.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        columns.setMinimumSectionSize(metrics.horizontalAdvance("0000") + 16)
        # Widths from typical contents, never narrower than the column's title.
        samples = {
            Column.FILE_NUMBER: "RYD-7F3A-000000",
            Column.NATIONAL_ID: "0000000000",
            Column.PHONE: "0500000000",
            Column.CITY: "خميس مشيط",
            Column.STATUS: max(
                (label(s) for s in RegistrationStatus), key=metrics.horizontalAdvance
            ),
            Column.CATEGORIES: label(Category.WIDOW) + "، " + label(Category.LOW_INCOME),
        }
        titles = columns.fontMetrics()
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), titles.horizontalAdvance(title))
            table.setColumnWidth(column, width + 20)

    # --- loading the list -------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again for the current search and filters (in the background)."""
        self._whole_lists.clear()
        self._load()

    def showEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if (not self._loaded or self._stale) and self._loading is None:
            self._load()

    def _key(self) -> ListKey:
        status = self.status_filter.currentData()
        category = self.category_filter.currentData()
        return (
            self.search.text().strip(),
            RegistrationStatus(status) if status else None,
            Category(category) if category else None,
        )

    def _load(self) -> None:
        """Read the list in two steps: its first rows, at once on screen, then all its ids."""
        if not self.ctx.signed_in:
            return
        self._search_timer.stop()
        if self._loading is not None:
            self._reload_wanted = True  # the newest search and filters run when this one ends
            return
        key = self._key()
        version = self._data_version
        self._loading = key
        self._reload_wanted = False
        self._stale = False
        if not self._loaded:
            self.count.setText(self.tr("Loading the beneficiaries…"))
        query, status, category = key
        self.ctx.run(
            lambda session, actor: first_rows(
                session, actor, status=status, category=category, query=query, count=PAGE_SIZE
            ),
            lambda found: self._first_rows_read(key, version, found),
            self._not_listed,
            owner=self,
        )

    def _first_rows_read(self, key: ListKey, version: int, found: list[RegistryRow]) -> None:
        if self._reload_wanted or key != self._key():
            self._loading = None  # the list asked for has changed: read that one instead
            self._load()
            return
        if self._wanted_id is None and key == self._shown_key:
            # The same list read again (a change, a refresh): stay on the same person. A new
            # search starts on its best match, so Enter opens it.
            self._wanted_id = self.current_id()
        self._shown_key = key
        self.model.show_first(found)
        self._loaded = True
        if found:
            self.results.setCurrentWidget(self.table)
            row = self.model.row_of(self._wanted_id) if self._wanted_id else -1
            self._go_to_row(max(row, 0))
        self.sig_first_rows_shown.emit()
        query, status, category = key
        known = None if query else self._whole_lists.get((status, category))
        if known is not None and version == self._data_version:
            # Nothing changed since this list was read (the search was cleared): no need to
            # read 200,000 ids again, and the next keystroke does not wait for them.
            self._listed(key, version, known)
        else:
            # After the first rows are painted: reading every id keeps the worker busy.
            QTimer.singleShot(0, self, lambda: self._read_whole_list(key, version))

    def _read_whole_list(self, key: ListKey, version: int) -> None:
        query, status, category = key
        # A search lists a bounded number of matches: "محمد" alone is thousands of people.
        limit = MAX_MATCHES + 1 if query else None
        self.ctx.run(
            # Made compact on the worker: the list of strings never reaches the window.
            lambda session, actor: Ids(
                list_ids(session, actor, status=status, category=category, query=query, limit=limit)
            ),
            lambda ids: self._listed(key, version, ids),
            self._not_listed,
            owner=self,
        )

    def _listed(self, key: ListKey, version: int, ids: Ids) -> None:
        self._loading = None
        query, status, category = key
        if not query and version == self._data_version:
            self._whole_lists[(status, category)] = ids
        if self._reload_wanted or key != self._key():
            self._load()
            return
        self._show(key, ids)

    def _not_listed(self, error: BaseException) -> None:
        self._loading = None
        self.count.setText(error_text(error))
        if self._reload_wanted:
            self._load()

    def _show(self, key: ListKey, ids: Ids) -> None:
        more = len(ids) > MAX_MATCHES and bool(key[0])
        if more:
            ids = ids[:MAX_MATCHES]
        current = self.current_id()
        self.model.extend(ids)
        wanted, self._wanted_id = self._wanted_id, None
        self.new_file.setEnabled(allowed(self.ctx.actor.roles, Permission.REGISTER_BENEFICIARY))
        count = len(ids)
        query, status, category = key
        if more:
            self.count.setText(
                self.tr("More than {count} match; type more to narrow the list.").format(
                    count=f"{MAX_MATCHES:,}"
                )
            )
        elif query or status or category:
            self.count.setText(self.tr("Matches: {count}").format(count=f"{count:,}"))
        else:
            self.count.setText(self.tr("Files: {count}").format(count=f"{count:,}"))
        if count:
            self.results.setCurrentWidget(self.table)
            if wanted and wanted != current:
                row = self.model.row_of(wanted)
                if row >= 0:
                    self._go_to_row(row)
            if not self.table.currentIndex().isValid():
                self._go_to_row(0)
        else:
            self.empty.setText(self._empty_text(key))
            self.results.setCurrentWidget(self.empty)
        self.sig_listed.emit(count)

    def _empty_text(self, key: ListKey) -> str:
        query, status, category = key
        if query:
            return self.tr(
                "No one matches “{query}”. Check the spelling, type fewer letters, or search "
                "by national ID or mobile."
            ).format(query=query)
        if status or category:
            return self.tr("No files match these filters.")
        return self.tr("No beneficiaries are registered yet.")

    def _changed(self, kinds: set[Change]) -> None:
        if Change.BENEFICIARY not in kinds:
            return
        self._data_version += 1
        self._whole_lists.clear()
        if self.isVisible():
            self._load()
        else:
            self._stale = True

    def _forget(self) -> None:
        # A read still running for the user who left is dropped on arrival: nothing is loading.
        self._loading = None
        self._reload_wanted = False
        self._whole_lists.clear()
        self._shown_key = None
        self.model.set_ids([])
        self._loaded = False

    # --- choosing a row -----------------------------------------------------------------------

    def current_id(self) -> str | None:
        """The id of the beneficiary on the current row, if any."""
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _go_to_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Down (or Page Down) in the search box goes to the results, as in a browser's address
        # bar; Escape empties it.
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.model.rowCount():
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.table.currentIndex().isValid():
                    self._go_to_row(0)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_file(self.model.id_at(index.row()))

    def open_current(self) -> None:
        """Open the file on the current row (Enter in the search box)."""
        beneficiary_id = self.current_id()
        if beneficiary_id is not None and self.results.currentWidget() is self.table:
            self.open_file(beneficiary_id)

    def open_file(self, beneficiary_id: str) -> None:
        """Announce and open a person's file."""
        self.sig_open_file.emit(beneficiary_id)
        self._show_profile(beneficiary_id)

    def open_new_file(self) -> None:
        """Announce and open the form for a new person."""
        if not self.new_file.isEnabled():
            return
        self.sig_new_file.emit()
        self._show_profile(None)

    def _show_profile(self, beneficiary_id: str | None) -> None:
        open_already = self._profiles.get(beneficiary_id)
        if open_already is not None:
            open_already.raise_()
            open_already.activateWindow()
            return
        try:
            # Imported here: the profile screen is built separately and may not exist yet.
            from ui.profile.dialog import ProfileDialog
        except ModuleNotFoundError as error:
            if error.name not in ("ui.profile", "ui.profile.dialog"):
                raise
            return
        dialog = ProfileDialog(self.ctx, beneficiary_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(lambda saved_id: self._saved(dialog, saved_id))
        dialog.destroyed.connect(lambda _obj=None: self._profile_closed(dialog))
        self._profiles[beneficiary_id] = dialog
        dialog.show()

    def _profile_closed(self, dialog: QWidget) -> None:
        self._profiles = {k: d for k, d in self._profiles.items() if d is not dialog}

    def _saved(self, dialog: QWidget, beneficiary_id: str) -> None:
        # A new person's window now shows their file: "New beneficiary" opens another one.
        self._profile_closed(dialog)
        self._profiles[beneficiary_id] = dialog
        # The saved person's row is chosen once the list has been read again.
        self._wanted_id = beneficiary_id
        self._load()
