"""The Users page in the real window: the administrator adds a user, changes a role, resets a
password, unlocks and disables; bad input is explained in Arabic and nothing typed is lost."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Role
from db.models import AuditEvent, User
from romah_desktop.workspace import Workspace
from tests.ui.conftest import close_app, database_of, sign_in, type_text, wait_idle
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.users import AddUserDialog, UsersPage
from ui.qt import QApplication, QComboBox, Qt
from ui.widgets.form_dialog import FormDialog

PASSWORD = "manager-pass-1"


@pytest.fixture
def manager_app(qapp: QApplication, tmp_path: Path) -> Iterator[RomahApp]:
    """A branch set up as the window sets one up (its first user is its manager), signed in."""
    folder = tmp_path / "data"
    Workspace.create(
        folder,
        "RYD",
        "فرع الرياض",
        "manager",
        PASSWORD,
        "نورة العتيبي",
        admin_role=Role.BRANCH_MANAGER,
    ).close()
    app = RomahApp(qapp, folder, lang="ar")
    app.start()
    yield app
    close_app(app)


def users_page(qtbot: QtBot, app: RomahApp, window: MainWindow) -> UsersPage:
    assert "users" in window.pages
    with qtbot.waitSignal(window.pages["users"].sig_loaded, timeout=15_000):  # type: ignore[attr-defined]
        window.show_page("users")
    page = window.pages["users"]
    assert isinstance(page, UsersPage) and page.isVisible()
    return page


def open_form(qtbot: QtBot, page: UsersPage, button: Callable[[], object]) -> FormDialog:
    with qtbot.waitSignal(page.sig_dialog_opened) as opened:
        qtbot.mouseClick(button(), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    dialog = opened.args[0]
    assert isinstance(dialog, FormDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def save(qtbot: QtBot, dialog: FormDialog, signal: str = "sig_saved") -> list[object]:
    with qtbot.waitSignal(getattr(dialog, signal), timeout=15_000) as done:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return list(done.args)


def audit_actions(app: RomahApp) -> list[str]:
    with database_of(app) as ws, ws.db.session() as session:
        return list(session.scalars(sa.select(AuditEvent.action)))


def user_of(app: RomahApp, username: str) -> User:
    with database_of(app) as ws, ws.db.session() as session:
        user = session.scalar(sa.select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def add_clerk(qtbot: QtBot, page: UsersPage) -> None:
    dialog = open_form(qtbot, page, lambda: page.add_button)
    assert isinstance(dialog, AddUserDialog)
    assert dialog.focusWidget() is dialog.username
    roles = [Role(dialog.role.itemData(i)) for i in range(dialog.role.count())]
    # A branch's manager gives the branch's roles, never a manager's or HQ's.
    assert Role.INTERVIEWER in roles and Role.BRANCH_MANAGER not in roles
    assert Role.HQ_ADMIN not in roles
    type_text(dialog.username, "reem")
    type_text(dialog.full_name, "ريم الحربي")
    type_text(dialog.password, "clerk-pass-1")
    type_text(dialog.confirm, "clerk-pass-1")
    assert save(qtbot, dialog) == ["reem"]


def test_the_manager_adds_a_user_changes_the_role_resets_the_password_and_disables(
    qtbot: QtBot, manager_app: RomahApp
) -> None:
    window = sign_in(qtbot, manager_app, "manager", PASSWORD)
    page = users_page(qtbot, manager_app, window)
    assert [row.username for row in page.model.rows] == ["manager"]
    assert not page.role_button.isEnabled()  # not one's own role
    add_clerk(qtbot, page)
    wait_idle(qtbot, manager_app)
    qtbot.waitUntil(lambda: len(page.model.rows) == 2)
    assert "reem" in page.message.text()
    page.select("reem")
    assert page.model.data(page.model.index(page.view.currentIndex().row(), 3)) == "نشط"

    dialog = open_form(qtbot, page, lambda: page.role_button)
    role = dialog.findChild(QComboBox, "role")
    assert role is not None
    role.setCurrentIndex(role.findData(Role.SOCIAL_RESEARCHER))
    save(qtbot, dialog)
    wait_idle(qtbot, manager_app)
    assert user_of(manager_app, "reem").role is Role.SOCIAL_RESEARCHER

    page.select("reem")
    dialog = open_form(qtbot, page, lambda: page.password_button)
    type_text(dialog.inputs["password"], "clerk-pass-2")  # type: ignore[arg-type]
    type_text(dialog.inputs["confirm"], "clerk-pass-2")  # type: ignore[arg-type]
    save(qtbot, dialog)
    wait_idle(qtbot, manager_app)
    assert manager_app.workspace is not None
    assert manager_app.workspace.keyring.slot_named("reem") is not None

    page.select("reem")
    assert page.active_button.text().replace("&", "") == "تعطيل"
    with qtbot.waitSignal(page.sig_done, timeout=15_000):
        qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, manager_app)
    assert not user_of(manager_app, "reem").active
    page.select("reem")
    assert page.model.data(page.model.index(page.view.currentIndex().row(), 3)) == "معطّل"
    done = audit_actions(manager_app)
    for action in ("user.add", "user.role", "user.reset_password", "user.disable"):
        assert action in done, action
    if os.environ.get("ROMAH_USERS_SHOT"):
        window.resize(1366, 768)
        qtbot.waitUntil(lambda: window.width() == 1366)
        window.grab().save(os.environ["ROMAH_USERS_SHOT"])


def test_bad_input_is_explained_in_arabic_and_nothing_typed_is_lost(
    qtbot: QtBot, manager_app: RomahApp
) -> None:
    window = sign_in(qtbot, manager_app, "manager", PASSWORD)
    page = users_page(qtbot, manager_app, window)
    dialog = open_form(qtbot, page, lambda: page.add_button)
    assert isinstance(dialog, AddUserDialog)
    type_text(dialog.username, "manager")  # taken
    type_text(dialog.full_name, "ريم الحربي")
    type_text(dialog.password, "short")
    type_text(dialog.confirm, "short")
    [message] = save(qtbot, dialog, "sig_failed")
    assert "كلمة المرور" in str(message)
    assert dialog.shown_error("password")
    assert dialog.focusWidget() is dialog.password
    dialog.password.clear()
    dialog.confirm.clear()
    type_text(dialog.password, "long-enough-1")
    type_text(dialog.confirm, "long-enough-2")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # checked before sending
    assert "كلمتا المرور غير متطابقتين" in dialog.shown_error("confirm")
    assert dialog.focusWidget() is dialog.confirm
    dialog.confirm.clear()
    type_text(dialog.confirm, "long-enough-1")
    [message] = save(qtbot, dialog, "sig_failed")
    assert "مستخدم مسبقًا" in dialog.shown_error("username")
    assert dialog.focusWidget() is dialog.username
    # Everything typed is still there to correct.
    assert dialog.username.text() == "manager"
    assert dialog.full_name.text() == "ريم الحربي"
    assert dialog.password.text() == "long-enough-1"
    dialog.username.clear()
    type_text(dialog.username, "reem")
    assert save(qtbot, dialog) == ["reem"]


def test_a_locked_user_is_shown_and_unlocked(qtbot: QtBot, manager_app: RomahApp) -> None:
    window = sign_in(qtbot, manager_app, "manager", PASSWORD)
    page = users_page(qtbot, manager_app, window)
    add_clerk(qtbot, page)
    wait_idle(qtbot, manager_app)
    ws = manager_app.workspace
    assert ws is not None
    from romah_desktop.errors import AuthenticationError
    from romah_desktop.keyring import Keyring

    ring = Keyring.load(ws.data_dir)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            ring.open_with_password("reem", "wrong-password")
    page.refresh()
    wait_idle(qtbot, manager_app)
    page.select("reem")
    row = page.view.currentIndex().row()
    assert "مقفل" in page.model.data(page.model.index(row, 3))
    assert page.unlock_button.isEnabled()
    with qtbot.waitSignal(page.sig_done, timeout=15_000):
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, manager_app)
    assert Keyring.load(ws.data_dir).locked_until("reem") is None
    assert "user.unlock" in audit_actions(manager_app)


def test_a_user_who_does_not_manage_users_has_no_users_page(
    qtbot: QtBot, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    assert "users" not in window.pages
