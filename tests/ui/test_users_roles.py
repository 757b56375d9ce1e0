"""Several roles for one person, in the real window: the manager ticks a receptionist's second
role (researcher); the list shows both; signed in, she has the front desk's pages and menu and
the researcher's page, and nothing of the manager's."""

from __future__ import annotations

import os

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Role
from db.models import AuditEvent
from romah_desktop.labels import label
from tests.ui.conftest import screenshot, sign_in, type_text, wait_idle
from tests.ui.test_users_page import (
    PASSWORD,
    database_of,
    manager_app,  # noqa: F401  (the fixture)
    open_form,
    save,
    user_of,
    users_page,
)
from ui.app import RomahApp
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.pages.users import AddUserDialog, RoleDialog
from ui.qt import QAction, QCheckBox, QKeySequence, Qt


def _action(window: MainWindow, shortcut: str) -> QAction:
    (found,) = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence(shortcut)]
    return found


def _box(dialog: AddUserDialog | RoleDialog, role: Role) -> QCheckBox:
    box = dialog.findChild(QCheckBox, f"extra_role_{role.value}")
    assert box is not None
    return box


def test_a_receptionist_who_is_also_the_researcher_sees_both_pages(
    qtbot: QtBot,
    manager_app: RomahApp,  # noqa: F811
) -> None:
    window = sign_in(qtbot, manager_app, "manager", PASSWORD)
    page = users_page(qtbot, manager_app, window)
    dialog = open_form(qtbot, page, lambda: page.add_button)
    assert isinstance(dialog, AddUserDialog)
    # The main role's box is ticked and fixed; a manager's or HQ's role is not offered.
    assert _box(dialog, Role.INTERVIEWER).isChecked()
    assert not _box(dialog, Role.INTERVIEWER).isEnabled()
    assert dialog.findChild(QCheckBox, "extra_role_branch_manager") is None
    assert dialog.findChild(QCheckBox, "extra_role_hq_admin") is None
    type_text(dialog.username, "huda")
    type_text(dialog.full_name, "هدى الحربي")
    type_text(dialog.password, "huda-pass-1")
    type_text(dialog.confirm, "huda-pass-1")
    qtbot.mouseClick(_box(dialog, Role.SOCIAL_RESEARCHER), Qt.MouseButton.LeftButton)
    assert _box(dialog, Role.SOCIAL_RESEARCHER).isChecked()
    if os.environ.get("ROMAH_USERS_SHOT"):
        screenshot(dialog, "users-add-two-roles-ar")
    assert save(qtbot, dialog) == ["huda"]
    wait_idle(qtbot, manager_app)
    assert user_of(manager_app, "huda").roles == {Role.INTERVIEWER, Role.SOCIAL_RESEARCHER}

    # The list shows both roles, in Arabic.
    qtbot.waitUntil(lambda: any(row.username == "huda" for row in page.model.rows))
    page.select("huda")
    shown = page.model.data(page.model.index(page.view.currentIndex().row(), 2))
    assert label(Role.INTERVIEWER, "ar") in shown and label(Role.SOCIAL_RESEARCHER, "ar") in shown
    if os.environ.get("ROMAH_USERS_SHOT"):
        screenshot(window, "users-two-roles-ar")

    # Changing the roles starts from the ones she holds.
    dialog = open_form(qtbot, page, lambda: page.role_button)
    assert isinstance(dialog, RoleDialog)
    assert _box(dialog, Role.SOCIAL_RESEARCHER).isChecked()
    assert not _box(dialog, Role.BRANCH_DELEGATE).isChecked()
    dialog.reject()
    with database_of(manager_app) as ws, ws.db.session() as session:
        added = session.scalars(
            sa.select(AuditEvent.details).where(AuditEvent.action == "user.add")
        ).all()
    assert {"role": "interviewer", "extra_roles": ["social_researcher"]} in added

    # Signed in, she does the front desk's work and the researcher's.
    _action(window, "Ctrl+Shift+Q").trigger()
    qtbot.waitUntil(
        lambda: isinstance(manager_app.dialog, LoginDialog) and manager_app.dialog.isVisible()
    )
    wait_idle(qtbot, manager_app)
    window = sign_in(qtbot, manager_app, "huda", "huda-pass-1")
    assert window.ctx.actor.roles == {Role.INTERVIEWER, Role.SOCIAL_RESEARCHER}
    assert {"beneficiaries", "contacts", "research"} <= set(window.pages)
    assert "users" not in window.pages and "reports" not in window.pages
    _action(window, "Ctrl+I")  # the Intake menu's new intake
    status = window.status.user.text()
    assert label(Role.INTERVIEWER, "ar") in status and label(Role.SOCIAL_RESEARCHER, "ar") in status
