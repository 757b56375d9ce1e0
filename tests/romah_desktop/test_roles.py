"""A user may hold several roles (a small branch's receptionist who is also its researcher):
their rights are those of all their roles together; a manager gives only the roles they may give,
each of them; every change is audited; an older database is upgraded without losing anyone."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from db import values
from db.enums import Role
from db.migrate import alembic_config, current_revision, head_revision
from db.models import AuditEvent, User
from db.models.system import roles_of
from romah_desktop.errors import PermissionDenied
from romah_desktop.permissions import (
    Permission,
    allowed,
    may_grant,
    may_grant_all,
    require,
    roles_label,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.users import add_user, change_role, list_users
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD

FRONT_AND_RESEARCH = frozenset({Role.INTERVIEWER, Role.SOCIAL_RESEARCHER})


def test_the_rights_of_several_roles_are_their_union() -> None:
    # Neither role alone both registers a person and answers a referral; the two together do.
    assert not allowed(Role.INTERVIEWER, Permission.ANSWER_REFERRAL)
    assert not allowed(Role.SOCIAL_RESEARCHER, Permission.REGISTER_BENEFICIARY)
    assert allowed(FRONT_AND_RESEARCH, Permission.ANSWER_REFERRAL)
    assert allowed(FRONT_AND_RESEARCH, Permission.REGISTER_BENEFICIARY)
    # Nothing beyond the union: neither manages users nor decides a case.
    assert not allowed(FRONT_AND_RESEARCH, Permission.MANAGE_USERS)
    assert not allowed(FRONT_AND_RESEARCH, Permission.RECORD_DECISION)
    assert not allowed(frozenset(), Permission.VIEW_BENEFICIARIES)
    require(FRONT_AND_RESEARCH, Permission.ANSWER_REFERRAL)


def test_a_refusal_names_every_role_in_arabic() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(FRONT_AND_RESEARCH, Permission.RECORD_DECISION)
    text = refused.value.text("ar")
    assert roles_label(FRONT_AND_RESEARCH, "ar") in text
    assert "·" in roles_label(FRONT_AND_RESEARCH, "ar")
    with pytest.raises(PermissionDenied) as one:
        require(frozenset({Role.INTERVIEWER}), Permission.RECORD_DECISION)
    assert "·" not in one.value.text("ar")


def test_a_manager_grants_each_role_only_if_they_may_grant_it() -> None:
    manager = frozenset({Role.BRANCH_MANAGER})
    assert may_grant_all(manager, FRONT_AND_RESEARCH)
    assert not may_grant_all(manager, {Role.INTERVIEWER, Role.BRANCH_MANAGER})
    assert not may_grant_all(manager, {Role.INTERVIEWER, Role.HQ_ADMIN})
    # A manager who also holds a front-desk role gains no right to grant more.
    assert not may_grant(manager | {Role.INTERVIEWER}, Role.HQ_ADMIN)
    assert may_grant_all(frozenset({Role.HQ_ADMIN}), set(Role))


def test_stored_roles_that_name_no_role_give_no_right() -> None:
    assert roles_of("interviewer", ["social_researcher"]) == FRONT_AND_RESEARCH
    assert roles_of("interviewer", ["hq_boss", 7]) == {Role.INTERVIEWER}
    assert roles_of("interviewer", "hq_admin") == {Role.INTERVIEWER}  # not a list
    assert values.check("user_account", "extra_roles", ["social_researcher"]) is None
    assert values.check("user_account", "extra_roles", None) is None
    for bad in (["hq_boss"], "hq_admin", ["interviewer", "interviewer"], [1]):
        assert values.check("user_account", "extra_roles", bad) is not None, bad


def _audit(workspace: Workspace, action: str) -> list[AuditEvent]:
    with workspace.db.session() as session:
        return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_a_receptionist_who_is_also_the_researcher(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        add_user(
            session,
            admin,
            "huda",
            "هدى الحربي",
            Role.INTERVIEWER,
            "password-1",
            extra_roles={Role.SOCIAL_RESEARCHER, Role.INTERVIEWER},
        )
    huda = workspace.login("huda", "password-1")
    assert huda.role is Role.INTERVIEWER and huda.roles == FRONT_AND_RESEARCH
    huda.require(Permission.REGISTER_BENEFICIARY)
    huda.require(Permission.ANSWER_REFERRAL)
    with pytest.raises(PermissionDenied):
        huda.require(Permission.MANAGE_USERS)
    with workspace.db.session() as session:
        stored = session.scalars(sa.select(User).where(User.username == "huda")).one()
        # The main role is not repeated among the extras.
        assert stored.extra_roles == ["social_researcher"]
        [row] = [r for r in list_users(session, admin, workspace.keyring) if r.username == "huda"]
        assert row.roles == FRONT_AND_RESEARCH
    [added] = _audit(workspace, "user.add")[-1:]
    assert added.details == {"role": "interviewer", "extra_roles": ["social_researcher"]}


def test_role_changes_are_audited_and_kept_or_replaced(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "sami", "سامي", Role.INTERVIEWER, "password-1")
    with workspace.transaction() as session:
        change_role(session, admin, "sami", Role.INTERVIEWER, {Role.BRANCH_DELEGATE})
    with workspace.transaction() as session:
        # A new main role alone keeps the further ones.
        user = change_role(session, admin, "sami", Role.SOCIAL_RESEARCHER)
        assert user.roles == {Role.SOCIAL_RESEARCHER, Role.BRANCH_DELEGATE}
    with workspace.transaction() as session:
        change_role(session, admin, "sami", Role.SOCIAL_RESEARCHER, set())
    events = [e.details for e in _audit(workspace, "user.role")]
    assert events == [
        {
            "from": "interviewer",
            "to": "interviewer",
            "extra_from": [],
            "extra_to": ["branch_delegate"],
        },
        {
            "from": "interviewer",
            "to": "social_researcher",
            "extra_from": ["branch_delegate"],
            "extra_to": ["branch_delegate"],
        },
        {
            "from": "social_researcher",
            "to": "social_researcher",
            "extra_from": ["branch_delegate"],
            "extra_to": [],
        },
    ]
    with workspace.transaction() as session:
        change_role(session, admin, "sami", Role.SOCIAL_RESEARCHER, set())  # the same: no event
    assert len(_audit(workspace, "user.role")) == 3


def test_a_manager_cannot_slip_a_higher_role_in_among_the_extras(
    workspace: Workspace, admin: Actor
) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "mona", "منى", Role.BRANCH_MANAGER, "password-1")
        add_user(session, admin, "clerk", "موظف", Role.INTERVIEWER, "password-1")
    manager = workspace.login("mona", "password-1")
    for extra in (Role.HQ_ADMIN, Role.BRANCH_MANAGER):
        with pytest.raises(PermissionDenied), workspace.transaction() as session:
            add_user(
                session, manager, f"x{extra.value}", "س", Role.INTERVIEWER, "password-1",
                extra_roles={extra},
            )  # fmt: skip
        with pytest.raises(PermissionDenied), workspace.transaction() as session:
            change_role(session, manager, "clerk", Role.INTERVIEWER, {extra})
    with workspace.db.session() as session:
        clerk = session.scalars(sa.select(User).where(User.username == "clerk")).one()
        assert clerk.roles == {Role.INTERVIEWER}
        assert session.scalar(sa.select(User).where(User.username.like("x%"))) is None
    # A user who holds a manager's role among their extras is beyond a manager's reach.
    with workspace.transaction() as session:
        change_role(session, admin, "clerk", Role.INTERVIEWER, {Role.BRANCH_MANAGER})
    with pytest.raises(PermissionDenied), workspace.transaction() as session:
        change_role(session, manager, "clerk", Role.SOCIAL_RESEARCHER, set())


def test_an_older_database_is_upgraded_and_its_users_keep_their_role(tmp_path: Path) -> None:
    data = tmp_path / "data"
    workspace = Workspace.create(data, "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD)
    with workspace.transaction() as session:
        add_user(
            session, workspace.login("admin", ADMIN_PASSWORD), "noura", "نورة",
            Role.INTERVIEWER, "password-1",
        )  # fmt: skip
    with workspace.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0007")
        columns = {c["name"] for c in sa.inspect(connection).get_columns("user_account")}
        assert "extra_roles" not in columns
    workspace.close()

    upgraded, noura = Workspace.unlock(data, "noura", "password-1")
    try:
        assert current_revision(upgraded.db.engine) == head_revision()
        assert noura.roles == {Role.INTERVIEWER}
        with upgraded.db.session() as session:
            user = session.scalars(sa.select(User).where(User.username == "noura")).one()
            assert user.extra_roles is None and user.roles == {Role.INTERVIEWER}
    finally:
        upgraded.close()
