"""Fixtures that drive the real window: the app on a fresh workspace, signed in as a role."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.enums import Role
from romah_desktop.services.context import Actor
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.qt import QApplication, QEvent, Qt, QWidget

SCREENSHOTS = Path(
    os.environ.get(
        "ROMAH_SCREENSHOTS", Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"
    )
)


def screenshot(widget: object, name: str) -> Path:
    """Save a picture of `widget` for people to look at (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` into `widget` key by key, as a keyboard would.

    qtbot.keyClicks (QTest.keyClicks) cannot type Arabic letters (it knows only Latin-1 and
    crashes on the rest), so each character is sent as a key click carrying its text.
    """
    for character in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, character, Qt.KeyboardModifier(0)
        )


def close_app(app: RomahApp) -> None:
    """Close the app's window and database, and destroy every window now, not at exit: a
    window left alive keeps its timers and connections, and every later test would pay for
    all the earlier windows."""
    window = app.window
    if window is not None:
        window.sig_closed.disconnect()
        window.close()
    app.shutdown()
    for widget in [window, *QApplication.topLevelWidgets()]:
        if widget is not None and shiboken6.isValid(widget):
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@contextlib.contextmanager
def database_of(app: RomahApp) -> Iterator[Workspace]:
    """The app's database: open while someone is signed in, else opened (as the administrator)
    for the test's own setup and closed again, as a second process of the app would."""
    if app.workspace is not None:
        yield app.workspace
        return
    workspace, _ = Workspace.unlock(app.data_dir, "admin", ADMIN_PASSWORD)
    try:
        yield workspace
    finally:
        workspace.close()


def only_the_policy(workspace: Workspace) -> None:
    """Leave the relations policy alone in the library a new workspace is given (its four
    tools are removed), for the tests that follow one document through the window."""
    import sqlalchemy as sa

    from db.base import utcnow
    from db.enums import ReferenceKind
    from db.models import ReferenceDocument

    with workspace.transaction() as session:
        for document in session.scalars(
            sa.select(ReferenceDocument).where(
                ReferenceDocument.kind != ReferenceKind.RELATIONS_POLICY
            )
        ):
            document.deleted_at = utcnow()


@pytest.fixture
def romah_app(qapp: QApplication, workspace: Workspace) -> Iterator[RomahApp]:
    """The application on the test workspace, showing the sign-in."""
    data_dir = workspace.data_dir
    workspace.close()
    app = RomahApp(qapp, data_dir, lang="ar")
    app.start()
    yield app
    close_app(app)
    from ui import i18n

    i18n.set_language(qapp, "ar")


def sign_in(qtbot: QtBot, app: RomahApp, username: str, password: str) -> MainWindow:
    """Type the user name and password into the sign-in and wait for the main window."""
    dialog = app.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    with qtbot.waitSignal(dialog.sig_signed_in, timeout=10_000):
        dialog.buttons.accepted.emit()
    assert app.window is not None
    qtbot.waitUntil(lambda: app.window is not None and app.window.isVisible())
    wait_idle(qtbot, app)
    return app.window


def wait_idle(qtbot: QtBot, app: RomahApp) -> None:
    """Wait until every background job has finished and delivered its result."""
    if app.worker.busy:
        with qtbot.waitSignal(app.worker.sig_idle, timeout=10_000):
            pass


@pytest.fixture
def main_window(qtbot: QtBot, romah_app: RomahApp) -> MainWindow:
    """Signed in as the administrator."""
    return sign_in(qtbot, romah_app, "admin", ADMIN_PASSWORD)


@pytest.fixture
def window_as(qtbot: QtBot, romah_app: RomahApp, admin: Actor) -> Callable[[Role], MainWindow]:
    """Signed in as a new user with the given role."""

    def make(role: Role) -> MainWindow:
        from romah_desktop.services.users import add_user

        with database_of(romah_app) as workspace, workspace.transaction() as session:
            add_user(session, admin, f"ui.{role.value}", f"مستخدم {role.value}", role, "password-1")
        return sign_in(qtbot, romah_app, f"ui.{role.value}", "password-1")

    return make
