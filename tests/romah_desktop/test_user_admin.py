"""Managing a branch's users: the branch manager made at the first run, roles it may give, a
reset password, an unlocked account, a disabled one; every action audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.enums import Role
from db.models import AuditEvent
from romah_desktop.errors import AuthenticationError, Conflict, PermissionDenied, ValidationError
from romah_desktop.keyring import Keyring
from romah_desktop.permissions import Permission, allowed, may_grant
from romah_desktop.services.context import Actor
from romah_desktop.services.users import (
    add_user,
    change_role,
    list_users,
    reset_password,
    set_active,
    unlock_user,
)
from romah_desktop.workspace import Workspace

MANAGER_PASSWORD = "manager-pass-1"


@pytest.fixture
def branch(tmp_path: Path) -> Iterator[Workspace]:
    """A laptop set up as the window sets one up: its first user is the branch manager."""
    ws = Workspace.create(
        tmp_path / "branch",
        "RYD",
        "فرع الرياض",
        "manager",
        MANAGER_PASSWORD,
        "مدير الفرع",
        admin_role=Role.BRANCH_MANAGER,
    )
    yield ws
    ws.close()


@pytest.fixture
def manager(branch: Workspace) -> Actor:
    return branch.login("manager", MANAGER_PASSWORD)


def actions(ws: Workspace) -> list[str]:
    with ws.db.session() as session:
        return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.device_seq)))


def test_the_branch_manager_does_the_front_desk_work_and_manages_the_branch_users() -> None:
    for permission in (
        Permission.LOG_CONTACT,
        Permission.REGISTER_BENEFICIARY,
        Permission.CHECK_DOCUMENTS,
        Permission.TAKE_DECLARATION,
        Permission.SUBMIT_REQUEST,
        Permission.MANAGE_USERS,
    ):
        assert allowed(Role.BRANCH_MANAGER, permission), permission
    # A branch's manager gives only the roles that neither manage users nor see every branch.
    assert may_grant(Role.BRANCH_MANAGER, Role.INTERVIEWER)
    assert not may_grant(Role.BRANCH_MANAGER, Role.BRANCH_MANAGER)
    assert not may_grant(Role.BRANCH_MANAGER, Role.HQ_ADMIN)
    assert may_grant(Role.HQ_ADMIN, Role.HQ_ADMIN)
    assert not may_grant(Role.INTERVIEWER, Role.INTERVIEWER)


def test_the_first_user_made_for_a_branch_is_its_manager(manager: Actor) -> None:
    assert manager.role is Role.BRANCH_MANAGER


def test_a_manager_adds_changes_resets_and_disables_a_user(
    branch: Workspace, manager: Actor
) -> None:
    with branch.transaction() as session:
        add_user(session, manager, "clerk", "ريم الحربي", Role.INTERVIEWER, "clerk-pass-1")
    with branch.transaction() as session:
        change_role(session, manager, "clerk", Role.SOCIAL_RESEARCHER)
    with branch.transaction() as session:
        reset_password(session, manager, "clerk", "clerk-pass-2")
    assert branch.login("clerk", "clerk-pass-2").role is Role.SOCIAL_RESEARCHER
    with branch.transaction() as session:
        set_active(session, manager, "clerk", False)
    with pytest.raises(AuthenticationError):
        branch.login("clerk", "clerk-pass-2")
    with branch.transaction() as session:
        rows = {
            row.username: row for row in list_users(session, manager, Keyring.load(branch.data_dir))
        }
    assert rows["clerk"].role is Role.SOCIAL_RESEARCHER and not rows["clerk"].active
    assert rows["manager"].active and not rows["manager"].locked
    with branch.transaction() as session:
        set_active(session, manager, "clerk", True)
    assert branch.login("clerk", "clerk-pass-2").username == "clerk"
    done = actions(branch)
    for action in ("user.add", "user.role", "user.reset_password", "user.disable", "user.enable"):
        assert action in done, action


def test_a_manager_gives_no_role_above_the_branch_and_keeps_their_own(
    branch: Workspace, manager: Actor
) -> None:
    with branch.transaction() as session:
        with pytest.raises(PermissionDenied):
            add_user(session, manager, "boss", "مدير آخر", Role.BRANCH_MANAGER, "boss-pass-1")
        add_user(session, manager, "clerk", "ريم الحربي", Role.INTERVIEWER, "clerk-pass-1")
    with branch.transaction() as session:
        with pytest.raises(PermissionDenied):
            change_role(session, manager, "clerk", Role.HQ_ADMIN)
        with pytest.raises(Conflict):
            set_active(session, manager, "manager", False)  # nobody would be left to manage
        with pytest.raises(Conflict):
            change_role(session, manager, "manager", Role.INTERVIEWER)
    clerk = branch.login("clerk", "clerk-pass-1")
    with branch.transaction() as session:
        with pytest.raises(PermissionDenied):
            reset_password(session, clerk, "manager", "taken-over-1")
        with pytest.raises(PermissionDenied):
            set_active(session, clerk, "manager", False)


def test_a_weak_password_or_a_taken_name_is_refused(branch: Workspace, manager: Actor) -> None:
    with branch.transaction() as session:
        with pytest.raises(ValidationError) as short:
            add_user(session, manager, "clerk", "ريم", Role.INTERVIEWER, "short")
        assert "8" in short.value.text("en") or "٨" in short.value.text()
        with pytest.raises(Conflict):
            add_user(session, manager, "Manager", "مكرر", Role.INTERVIEWER, "long-enough-1")
        with pytest.raises(ValidationError):
            reset_password(session, manager, "manager", "short")


def test_unlocking_ends_the_lockout_and_is_audited(branch: Workspace, manager: Actor) -> None:
    with branch.transaction() as session:
        add_user(session, manager, "clerk", "ريم الحربي", Role.INTERVIEWER, "clerk-pass-1")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            branch.login("clerk", "wrong-password")
    with pytest.raises(AuthenticationError) as locked:
        branch.login("clerk", "clerk-pass-1")
    assert "locked" in locked.value.text("en")
    branch.login("manager", MANAGER_PASSWORD)  # the manager signs in again after the lock
    with branch.transaction() as session:
        rows = {r.username: r for r in list_users(session, manager, Keyring.load(branch.data_dir))}
        assert rows["clerk"].locked
        unlock_user(session, manager, branch.keyring, "clerk")
    # Another user change saves the workspace's key ring: the old failures stay gone.
    with branch.transaction() as session:
        add_user(session, manager, "clerk2", "سارة", Role.INTERVIEWER, "clerk-pass-2")
    assert branch.login("clerk", "clerk-pass-1").username == "clerk"
    assert "user.unlock" in actions(branch)


def test_a_user_who_may_not_manage_users_cannot_list_or_unlock(
    branch: Workspace, manager: Actor
) -> None:
    with branch.transaction() as session:
        add_user(session, manager, "clerk", "ريم الحربي", Role.INTERVIEWER, "clerk-pass-1")
    clerk = branch.login("clerk", "clerk-pass-1")
    with branch.transaction() as session:
        with pytest.raises(PermissionDenied):
            list_users(session, clerk, branch.keyring)
        with pytest.raises(PermissionDenied):
            unlock_user(session, clerk, branch.keyring, "manager")
