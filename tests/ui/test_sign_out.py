"""Signing out leaves nothing behind: no window, no dialog, no rows, no listener; the intake
being typed is kept as a draft. The idle lock, by contrast, only hides the work."""

from __future__ import annotations

import gc

import pytest
import shiboken6
from PySide6.QtCore import QAbstractItemModel
from pytestqt.qtbot import QtBot

from db.enums import InterviewStep, Role
from romah_desktop.changes import Change
from romah_desktop.drafts import list_drafts
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.users import add_user
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form
from tests.ui.conftest import type_text, wait_idle
from ui.app import RomahApp
from ui.context import AppContext
from ui.intake import DraftsDialog, IntakeWizard
from ui.intake.steps.receive import ReceivePage
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.pages.beneficiaries import BeneficiariesPage
from ui.profile.dialog import ProfileDialog
from ui.qt import (
    QAction,
    QApplication,
    QCoreApplication,
    QDialogButtonBox,
    QEvent,
    QKeySequence,
    Qt,
    QWidget,
)

USERNAME = "ui.manager"
PASSWORD = "password-1"
FIRST_NAME = "هيفاء"


def sign_in_by_hand(qtbot: QtBot, app: RomahApp) -> MainWindow:
    """Type the user name and password into the sign-in and click its button."""
    dialog = app.dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, USERNAME)
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.sig_signed_in, timeout=10_000):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    window = app.window
    assert window is not None
    qtbot.waitUntil(window.isVisible)
    wait_idle(qtbot, app)
    return window


def action(window: MainWindow, shortcut: str) -> QAction:
    (found,) = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence(shortcut)]
    return found


def open_every_page(qtbot: QtBot, app: RomahApp, window: MainWindow) -> None:
    window.nav.setFocus()
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        wait_idle(qtbot, app)


def open_the_file(qtbot: QtBot, app: RomahApp, window: MainWindow) -> ProfileDialog:
    """Choose the person in the registry and press Enter; type into the file (not saved)."""
    window.show_page("beneficiaries")
    page = window.pages["beneficiaries"]
    assert isinstance(page, BeneficiariesPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(page.sig_open_file, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    (dialog,) = page.findChildren(ProfileDialog)
    qtbot.waitUntil(lambda: dialog.file is not None, timeout=10_000)
    wait_idle(qtbot, app)
    return dialog


def open_the_intake(qtbot: QtBot, app: RomahApp, window: MainWindow) -> IntakeWizard:
    """Continue the intake left by the last sign-out, or start one from the Intake menu."""
    offered = app.drafts_dialog
    if isinstance(offered, DraftsDialog) and shiboken6.isValid(offered):
        with qtbot.waitSignal(offered.sig_opened, timeout=10_000) as opened:
            qtbot.mouseClick(offered.continue_button, Qt.MouseButton.LeftButton)
        wizard = opened.args[0]
    else:
        action(window, "Ctrl+I").trigger()
        (wizard,) = [w for w in window.findChildren(IntakeWizard) if w.isVisible()]
    assert isinstance(wizard, IntakeWizard)
    qtbot.waitUntil(wizard.isVisible)
    return wizard


def one_session(qtbot: QtBot, app: RomahApp, cycle: int) -> AppContext:
    """Sign in, look at everything, open a file and an intake, sign out; return the session's
    context (the app may make a new one for each sign-in)."""
    window = sign_in_by_hand(qtbot, app)
    ctx = window.ctx
    open_every_page(qtbot, app, window)
    profile = open_the_file(qtbot, app, window)
    type_text(profile.inputs["notes"], "ملاحظة لم تحفظ")  # unsaved typing: closing would ask
    wizard = open_the_intake(qtbot, app, window)
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    type_text(receive.subject, f" {cycle}")  # saved a moment later, or at sign-out
    action(window, "Ctrl+Shift+Q").trigger()
    qtbot.waitUntil(lambda: isinstance(app.dialog, LoginDialog) and app.dialog.isVisible())
    assert app.window is None
    wait_idle(qtbot, app)
    return ctx


def belongs_to(widget: QWidget | None, window: QWidget) -> bool:
    """Whether `widget` is `window` or one of its own (a menu, a pop-up)."""
    while widget is not None:
        if widget is window:
            return True
        widget = widget.parentWidget()
    return False


def personal_models() -> list[QAbstractItemModel]:
    """Every item model still alive, in a window or held only by Python."""
    found: list[QAbstractItemModel] = [
        o for o in gc.get_objects() if isinstance(o, QAbstractItemModel) and shiboken6.isValid(o)
    ]
    for widget in QApplication.topLevelWidgets():
        if shiboken6.isValid(widget):
            found.extend(widget.findChildren(QAbstractItemModel))
    return found


@pytest.fixture
def branch(romah_app: RomahApp) -> RomahApp:
    """The app, with a branch manager to sign in as and one person registered."""
    # Nobody has signed in yet, so the app's database is still locked: open it here.
    workspace, admin = Workspace.unlock(romah_app.data_dir, "admin", ADMIN_PASSWORD)
    with workspace.transaction() as session:
        add_user(session, admin, USERNAME, "مدير الفرع", Role.BRANCH_MANAGER, PASSWORD)
        register_beneficiary(session, admin, person_form(first_name=FIRST_NAME))
    workspace.close()
    return romah_app


def test_ten_sign_outs_leave_only_the_sign_in(qtbot: QtBot, branch: RomahApp) -> None:
    romah_app = branch
    for cycle in range(10):
        ctx = one_session(qtbot, romah_app, cycle)
        # The intake typed before signing out is kept, as a draft of its user.
        (draft,) = list_drafts(romah_app.data_dir, USERNAME, cipher=ctx.workspace.files)
        assert draft.data["pages"]["receive"]["subject"].endswith(f" {cycle}")

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    login = romah_app.dialog
    assert isinstance(login, LoginDialog) and login.isVisible()

    # Only the sign-in is left on screen or in memory.
    alive: list[QWidget] = [
        w
        for w in QApplication.topLevelWidgets()
        if shiboken6.isValid(w) and not belongs_to(w, login)
    ]
    assert alive == []
    windows = [o for o in gc.get_objects() if isinstance(o, MainWindow) and shiboken6.isValid(o)]
    assert windows == []
    assert not [o for o in gc.get_objects() if isinstance(o, ProfileDialog | IntakeWizard)]

    # No list holds anyone's rows.
    assert [m for m in personal_models() if m.rowCount() > 0] == []

    # A write announced now reaches no screen of the last user (and no deleted one).
    meta = ctx.metaObject()
    for signal in ("sig_changed(PyObject)", "sig_signed_out()"):
        assert not ctx.isSignalConnected(meta.method(meta.indexOfSignal(signal)))
    with qtbot.captureExceptions() as exceptions:
        ctx.sig_changed.emit(set(Change))
        QCoreApplication.processEvents()
    assert exceptions == []
    assert login.isVisible()


def test_the_idle_lock_only_hides_the_work(qtbot: QtBot, branch: RomahApp) -> None:
    window = sign_in_by_hand(qtbot, branch)
    profile = open_the_file(qtbot, branch, window)
    type_text(profile.inputs["notes"], "ملاحظة")
    wizard = open_the_intake(qtbot, branch, window)
    page = window.pages["beneficiaries"]
    assert isinstance(page, BeneficiariesPage)
    rows = page.model.rowCount()
    assert branch.lock is not None
    branch.lock.set_interval_ms(50)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    branch.lock.set_minutes(10)
    assert not profile.isVisible() and not wizard.isVisible()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Hidden, not destroyed: the rows and what was typed wait for the same user.
    assert all(shiboken6.isValid(w) for w in (window, profile, wizard))
    assert page.model.rowCount() == rows > 0
    dialog = branch.dialog
    assert isinstance(dialog, LoginDialog) and dialog.username.isReadOnly()
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.sig_signed_in, timeout=10_000):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert window.isVisible() and profile.isVisible() and wizard.isVisible()
    assert branch.window is window
    assert profile.inputs["notes"].toPlainText() == "ملاحظة"
    action(window, "Ctrl+Shift+Q").trigger()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
