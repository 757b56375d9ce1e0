"""The main window: the pages a branch works in, a navigation list, and the status bar.

The navigation names every page the user may open, but a page is built the first time it is
shown (or asked for through `pages`): building all of them at sign-in cost time and memory for
pages a clerk may not open all day. Today, the first page, is built at once, and so are Sync
(it syncs in the background from sign-in) and Settings (the app listens to its language).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import shiboken6

from romah_desktop.permissions import Permission, allowed
from ui.context import AppContext
from ui.intake import open_intake, resume_drafts
from ui.pages import PageEntry, PageFactory
from ui.pages.beneficiaries import BeneficiariesPage
from ui.pages.committee.page import committee_pages
from ui.pages.contacts import ContactsPage
from ui.pages.delivery import delivery_pages
from ui.pages.feedback import feedback_pages
from ui.pages.library import LibraryPage
from ui.pages.reports import reports_pages
from ui.pages.requests import RequestsPage
from ui.pages.settings import SettingsPage
from ui.pages.sync import SyncPage
from ui.pages.today import TodayPage
from ui.pages.users import users_pages
from ui.printing import add_print_menu
from ui.printing.actions import show_whole_text
from ui.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSize,
    QStackedWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.status import StatusBar
from ui.style import MARGIN, NAV_ICON, SPACING, page_icon, style_navigation
from ui.widgets.page_header import PageHeader
from ui.widgets.tables import forget_rows

# Built with the window, not on their first visit.
BUILT_AT_ONCE = ("today", "sync", "settings")


class Pages(Mapping[str, QWidget]):
    """The window's pages by key, in the navigation's order. Looking a page up builds it if it
    has not been built yet; `in`, `len` and iterating over the keys build nothing."""

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        self._build = build
        self._keys: list[str] = []
        self._built: dict[str, QWidget] = {}

    def add(self, key: str) -> None:
        """List the page `key`, to be built when first looked up."""
        if key not in self._keys:
            self._keys.append(key)

    def built(self, key: str) -> QWidget | None:
        """The page `key` if it has been built, without building it."""
        return self._built.get(key)

    def index(self, key: str) -> int:
        return self._keys.index(key)

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._keys:
            raise KeyError(key)
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self._build(key)
        return page

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __len__(self) -> int:
        return len(self._keys)


class MainWindow(QMainWindow):
    sig_sign_out = Signal()
    """The user asked to sign out."""

    sig_closed = Signal()
    """The window was closed."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Romah Desktop"))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(NAV_ICON, NAV_ICON))
        self.nav.setUniformItemSizes(True)
        style_navigation(self.nav)
        self.header = PageHeader()
        self.stack = QStackedWidget()
        self.pages = Pages(self._build_page)
        # How to build each page not built yet.
        self._factories: dict[str, PageFactory] = {}
        # What each built page's header says: its title and what it is for.
        self.headings: dict[str, tuple[str, str]] = {}
        for key, title, factory in self._page_list():
            self._list_page(key, title, factory)
        for key in BUILT_AT_ONCE:
            self.pages[key]  # built now
        settings = self.pages["settings"]
        assert isinstance(settings, SettingsPage)
        self.settings_page = settings
        self.nav.currentRowChanged.connect(self._show_page)
        central = QWidget()
        work = QVBoxLayout()
        work.setContentsMargins(0, MARGIN, 0, 0)
        work.setSpacing(SPACING)
        # The header lines up with the pages' content, which keeps the style's own margins.
        inset = self.style().pixelMetric(self.style().PixelMetric.PM_LayoutLeftMargin)
        header_row = QVBoxLayout()
        header_row.setContentsMargins(inset, 0, inset, 0)
        header_row.addWidget(self.header)
        work.addLayout(header_row)
        work.addWidget(self.stack, 1)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addLayout(work, 1)
        self.setCentralWidget(central)
        self.fit_navigation()
        self._fit_screen()
        self.status = StatusBar(ctx)
        self.setStatusBar(self.status)
        self.pages["sync"].sig_status.connect(self.status.show_sync)  # type: ignore[attr-defined]
        sign_out = QAction(self.tr("Sign out"), self)
        sign_out.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        sign_out.triggered.connect(self.sig_sign_out)
        self.menuBar().addMenu(self.tr("&File")).addAction(sign_out)
        if allowed(ctx.actor.roles, Permission.LOG_CONTACT):
            intake_menu = self.menuBar().addMenu(self.tr("&Intake"))
            new_intake = QAction(self.tr("New &intake…"), self)
            new_intake.setShortcut(QKeySequence("Ctrl+I"))
            # Bound methods, not lambdas: a lambda holding the window would keep it in memory.
            new_intake.triggered.connect(self.new_intake)
            intake_menu.addAction(new_intake)
            resume = QAction(self.tr("&Continue an intake…"), self)
            resume.triggered.connect(self.continue_intake)
            intake_menu.addAction(resume)
            show_whole_text(intake_menu)
        self.print_menu = add_print_menu(self, ctx)
        self.nav.setCurrentRow(0)
        self.status.refresh()

    def new_intake(self) -> None:
        open_intake(self.ctx, self)

    def continue_intake(self) -> None:
        resume_drafts(self.ctx, self)

    def _page_list(self) -> list[PageEntry]:
        """The pages this user may open, in the navigation's order: key, name, how to build.
        The modules of the pages only some roles see say who sees them."""
        ctx = self.ctx
        return [
            ("today", self.tr("Today"), TodayPage),
            ("beneficiaries", self.tr("Beneficiaries"), BeneficiariesPage),
            ("requests", self.tr("Requests"), RequestsPage),
            *committee_pages(ctx),
            ("contacts", self.tr("Contacts"), ContactsPage),
            *delivery_pages(ctx),
            *feedback_pages(ctx),
            *reports_pages(ctx),
            ("library", self.tr("Library"), LibraryPage),
            ("sync", self.tr("Sync"), SyncPage),
            *users_pages(ctx),
            ("settings", self.tr("Settings"), SettingsPage),
        ]

    def _subtitles(self) -> dict[str, str]:
        return {
            "beneficiaries": self.tr("Find a person, register a new one, open a file."),
            "requests": self.tr("Every support request of the branch and where it stands."),
            "committee": self.tr("Requests before the committee and its two-week deadline."),
            "research": self.tr("Questions referred to social research, and their answers."),
            "contacts": self.tr("Visits, calls and messages on every channel, with follow-ups."),
            "delivery": self.tr("Approved requests waiting for their service, and those served."),
            "feedback": self.tr("Ratings, suggestions and complaints, and their answers."),
            "reports": self.tr("The branch's figures for a period, to print or export."),
            "library": self.tr("The policy and the tools the branch works by."),
            "sync": self.tr("The branch's work sent to head office, and theirs received."),
            "users": self.tr("Who works in this branch, their roles and their accounts."),
            "settings": self.tr("This laptop and this branch."),
        }

    def add_page(self, key: str, title: str, page: QWidget) -> None:
        """Add a page built already, after the others."""
        self._list_page(key, title, lambda _ctx: page)
        self.pages[key]  # built: in the stack now, as the others

    def _list_page(self, key: str, title: str, factory: PageFactory) -> None:
        """Name the page in the navigation; it is built by `factory` when first needed."""
        if key in self.pages:
            raise ValueError(f"the window has a page {key!r} already")
        self._factories[key] = factory
        self.pages.add(key)
        item = QListWidgetItem(page_icon(key), title)
        item.setData(256, key)
        item.setToolTip(title)
        self.nav.addItem(item)
        if self.nav.isVisible():
            self.fit_navigation()

    def _build_page(self, key: str) -> QWidget:
        page = self._factories.pop(key)(self.ctx)
        self.stack.addWidget(page)
        # The header carries the page's own heading (often fuller than its name in the
        # navigation); the page's copy is hidden so that it is not said twice.
        item = self.nav.item(self.pages.index(key))
        heading = item.text()
        own = page.findChild(QLabel, "page_title")
        if own is not None and own.text():
            heading = own.text()
            own.hide()
        self.headings[key] = (heading, self._subtitles().get(key, ""))
        return page

    def current_key(self) -> str | None:
        """The key of the page in front (building none)."""
        row = self.nav.currentRow()
        keys = list(self.pages)
        return keys[row] if 0 <= row < len(keys) else None

    def fit_navigation(self) -> None:
        """Make the navigation as wide as its longest page name needs in the current language
        and font (icon, padding and frame included), so that no name is cut."""
        self.nav.ensurePolished()
        widest = max(self.nav.sizeHintForColumn(0), 0)
        frame = 2 * self.nav.frameWidth()
        margins = self.nav.contentsMargins()
        # Room for a scroll bar, should a small screen not show every page.
        scroll = self.nav.verticalScrollBar().sizeHint().width()
        spacing = 2 * self.nav.spacing()
        self.nav.setFixedWidth(widest + spacing + frame + margins.left() + margins.right() + scroll)

    def _fit_screen(self) -> None:
        # As large as the work wants, but never larger than the screen's free area (a 1366×768
        # laptop with its taskbar leaves about 1366×728).
        available = self.screen().availableGeometry()
        self.resize(min(1280, available.width()), min(800, available.height() - 32))

    def show_page(self, key: str) -> None:
        """Bring the page to the front, fresh (refreshed even if it was already showing)."""
        row = self.pages.index(key)
        if self.nav.currentRow() == row:
            self._show_page(row)
        else:
            self.nav.setCurrentRow(row)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        key = list(self.pages)[row]
        page = self.pages[key]
        self.stack.setCurrentWidget(page)
        # A page with a header of its own (Today's, which says the date) hides the shared one.
        own_header = page.findChild(PageHeader) is not None
        self.header.setVisible(not own_header)
        title, subtitle = self.headings[key]
        self.header.set_page(title, subtitle, page_icon(key))
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.sig_closed.emit()
        super().closeEvent(event)


def destroy_windows(app: QApplication) -> None:
    """Destroy every window and what it holds: the main window, files, intakes, previews, any
    dialog. For a sign-out, after the work in progress was kept as drafts and the context has
    signed out.

    The windows are hidden, not closed (closing a file over unsaved typing would ask, and the
    user is gone), their timers stopped (nothing fires in between) and their rows forgotten
    (nothing stays in memory even if something still refers to a model), then deleted once
    control is back in the event loop.
    """
    for window in app.topLevelWidgets():
        if not shiboken6.isValid(window):
            continue
        for timer in window.findChildren(QTimer):
            timer.stop()
        forget_rows(window)
        window.hide()
        window.deleteLater()
