"""The main window: the pages a branch works in, a navigation list, and the status bar."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6

from romah_desktop.permissions import Permission, allowed
from ui.context import AppContext
from ui.intake import open_intake, resume_drafts
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
from ui.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QTimer,
    QWidget,
    Signal,
)
from ui.status import StatusBar
from ui.widgets.tables import forget_rows

PageFactory = Callable[[AppContext], QWidget]


class MainWindow(QMainWindow):
    sig_sign_out = Signal()
    """The user asked to sign out."""

    sig_closed = Signal()
    """The window was closed."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Romah Desktop"))
        self.resize(1200, 760)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(220)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self.settings_page = SettingsPage(ctx)
        for key, title, page in self._pages():
            self.add_page(key, title, page)
        self.nav.currentRowChanged.connect(self._show_page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(ctx)
        self.setStatusBar(self.status)
        self.pages["sync"].sig_status.connect(self.status.show_sync)  # type: ignore[attr-defined]
        sign_out = QAction(self.tr("Sign out"), self)
        sign_out.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        sign_out.triggered.connect(self.sig_sign_out)
        self.menuBar().addMenu(self.tr("&File")).addAction(sign_out)
        if allowed(ctx.actor.role, Permission.LOG_CONTACT):
            intake_menu = self.menuBar().addMenu(self.tr("&Intake"))
            new_intake = QAction(self.tr("New &intake…"), self)
            new_intake.setShortcut(QKeySequence("Ctrl+I"))
            # Bound methods, not lambdas: a lambda holding the window would keep it in memory.
            new_intake.triggered.connect(self.new_intake)
            intake_menu.addAction(new_intake)
            resume = QAction(self.tr("&Continue an intake…"), self)
            resume.triggered.connect(self.continue_intake)
            intake_menu.addAction(resume)
        self.print_menu = add_print_menu(self, ctx)
        self.nav.setCurrentRow(0)
        self.status.refresh()

    def new_intake(self) -> None:
        open_intake(self.ctx, self)

    def continue_intake(self) -> None:
        resume_drafts(self.ctx, self)

    def _pages(self) -> list[tuple[str, str, QWidget]]:
        ctx = self.ctx
        return [
            ("today", self.tr("Today"), TodayPage(ctx)),
            ("beneficiaries", self.tr("Beneficiaries"), BeneficiariesPage(ctx)),
            ("requests", self.tr("Requests"), RequestsPage(ctx)),
            *committee_pages(ctx),
            ("contacts", self.tr("Contacts"), ContactsPage(ctx)),
            *delivery_pages(ctx),
            *feedback_pages(ctx),
            *reports_pages(ctx),
            ("library", self.tr("Library"), LibraryPage(ctx)),
            ("sync", self.tr("Sync"), SyncPage(ctx)),
            *users_pages(ctx),
            ("settings", self.tr("Settings"), self.settings_page),
        ]

    def add_page(self, key: str, title: str, page: QWidget) -> None:
        self.pages[key] = page
        self.stack.addWidget(page)
        self.nav.addItem(title)
        self.nav.item(self.nav.count() - 1).setData(256, key)

    def show_page(self, key: str) -> None:
        """Bring the page to the front, fresh (refreshed even if it was already showing)."""
        row = list(self.pages).index(key)
        if self.nav.currentRow() == row:
            self._show_page(row)
        else:
            self.nav.setCurrentRow(row)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        page = list(self.pages.values())[row]
        self.stack.setCurrentWidget(page)
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
