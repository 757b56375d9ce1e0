"""Tests of the permission matrix as the services apply it: each role may do exactly what
MATRIX says, and a refused call writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from db.enums import Role
from db.models import AuditEvent, Beneficiary, BeneficiaryPhone, OutboxEntry, User
from romah_desktop.errors import PermissionDenied
from romah_desktop.labels import label
from romah_desktop.permissions import MATRIX, Permission, allowed
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    delete_beneficiary,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.users import add_user
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form

ADMIN_PASSWORD = "admin-pass-1"
ROLES = list(Role)
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for the module (30 cases; a workspace and its users cost ~1 s to make).
    Each test compares row counts before and after, so the tests do not depend on each other."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("permissions") / "data",
        "RYD",
        "فرع الرياض",
        "admin",
        ADMIN_PASSWORD,
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def admin(ws: Workspace) -> Actor:
    return ws.login("admin", ADMIN_PASSWORD)


@pytest.fixture(scope="module")
def actors(ws: Workspace, admin: Actor) -> dict[Role, Actor]:
    """A signed-in user of every role, made as conftest's actor_for makes them, once."""
    with ws.transaction() as session:
        for role in Role:
            add_user(session, admin, f"user.{role.value}", f"User {role.value}", role, "password-1")
    return {role: ws.login(f"user.{role.value}", "password-1") for role in Role}


@dataclass(frozen=True)
class Counts:
    beneficiaries: int
    phones: int
    users: int
    audit_events: int
    outbox: int


def counts(ws: Workspace) -> Counts:
    def n(model: type[object]) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    with ws.db.session() as session:
        return Counts(n(Beneficiary), n(BeneficiaryPhone), n(User), n(AuditEvent), n(OutboxEntry))


def register_by_admin(ws: Workspace, admin: Actor) -> str:
    with ws.transaction() as session:
        return register_beneficiary(session, admin, person_form()).id


def load(ws: Workspace, beneficiary_id: str) -> Beneficiary:
    with ws.db.session() as session:
        person = session.get(Beneficiary, beneficiary_id)
        assert person is not None
        return person


def attempt(ws: Workspace, role: Role, permission: Permission, call: Callable[..., object]) -> None:
    """Run `call(session)` in a transaction that commits whatever the call left in the session.

    An allowed role's call must succeed; a refused one must raise PermissionDenied, and since
    the transaction still commits, anything the service wrote before refusing would be kept.
    """
    with ws.transaction() as session:
        if allowed(role, permission):
            call(session)
        else:
            with pytest.raises(PermissionDenied):
                call(session)


def test_the_matrix_covers_every_permission() -> None:
    assert set(MATRIX) == set(Permission)
    assert all(MATRIX[p] <= set(Role) for p in Permission)
    # The matrix as the policy describes it, for the actions tested here.
    assert MATRIX[Permission.DELETE_BENEFICIARY] == {Role.BRANCH_MANAGER, Role.HQ_ADMIN}
    assert MATRIX[Permission.MANAGE_USERS] == {Role.BRANCH_MANAGER, Role.HQ_ADMIN}
    assert Role.COMMITTEE_MEMBER not in MATRIX[Permission.REGISTER_BENEFICIARY]


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_register_beneficiary(ws: Workspace, actors: dict[Role, Actor], role: Role) -> None:
    before = counts(ws)
    attempt(
        ws,
        role,
        Permission.REGISTER_BENEFICIARY,
        lambda s: register_beneficiary(s, actors[role], person_form()),
    )
    after = counts(ws)
    if role in MATRIX[Permission.REGISTER_BENEFICIARY]:
        assert after.beneficiaries == before.beneficiaries + 1
        assert after.phones == before.phones + 1
        assert after.audit_events == before.audit_events + 1
        assert after.outbox == before.outbox + 3  # the person, the phone, the audit event
    else:
        assert after == before


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_update_beneficiary(
    ws: Workspace, admin: Actor, actors: dict[Role, Actor], role: Role
) -> None:
    target = register_by_admin(ws, admin)
    before = counts(ws)
    attempt(
        ws,
        role,
        Permission.EDIT_BENEFICIARY,
        lambda s: update_beneficiary(s, actors[role], target, {"family_name": "الشمري"}),
    )
    after = counts(ws)
    if role in MATRIX[Permission.EDIT_BENEFICIARY]:
        assert load(ws, target).family_name == "الشمري"
        assert after.audit_events == before.audit_events + 1
        assert after.outbox == before.outbox + 2  # the change, the audit event
    else:
        assert load(ws, target).family_name == "القحطاني"
        assert after == before


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_delete_beneficiary(
    ws: Workspace, admin: Actor, actors: dict[Role, Actor], role: Role
) -> None:
    target = register_by_admin(ws, admin)
    before = counts(ws)
    attempt(
        ws,
        role,
        Permission.DELETE_BENEFICIARY,
        lambda s: delete_beneficiary(s, actors[role], target, "ملف مكرر"),
    )
    after = counts(ws)
    if role in MATRIX[Permission.DELETE_BENEFICIARY]:
        assert load(ws, target).deleted_at is not None
        assert after.audit_events == before.audit_events + 1
        assert after.outbox == before.outbox + 2  # the tombstone, the audit event
    else:
        assert load(ws, target).deleted_at is None
        assert after == before


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_add_user(ws: Workspace, actors: dict[Role, Actor], role: Role) -> None:
    before = counts(ws)
    username = f"new.by.{role.value}"
    attempt(
        ws,
        role,
        Permission.MANAGE_USERS,
        lambda s: add_user(s, actors[role], username, "موظف جديد", Role.INTERVIEWER, "password-2"),
    )
    after = counts(ws)
    with ws.db.session() as session:
        made = session.scalar(sa.select(User.id).where(User.username == username))
    if role in MATRIX[Permission.MANAGE_USERS]:
        assert made is not None
        assert after.users == before.users + 1
        assert after.audit_events == before.audit_events + 1
    else:
        assert made is None
        assert after == before


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_verify_audit(ws: Workspace, actors: dict[Role, Actor], role: Role) -> None:
    before = counts(ws)
    reports: list[audit.ChainReport] = []
    attempt(
        ws, role, Permission.VERIFY_AUDIT, lambda s: reports.append(audit.verify(s, actors[role]))
    )
    if role in MATRIX[Permission.VERIFY_AUDIT]:
        [report] = reports
        assert report.ok
        assert report.events == before.audit_events
    else:
        assert reports == []
    assert counts(ws) == before


def test_permission_is_checked_before_the_form(ws: Workspace, actors: dict[Role, Actor]) -> None:
    """A refused user learns nothing about the data (no field errors, no duplicate hints)."""
    with ws.transaction() as session, pytest.raises(PermissionDenied):
        register_beneficiary(
            session, actors[Role.COMMITTEE_MEMBER], {"first_name": "", "national_id": "123"}
        )


# --- the message a refused user reads -------------------------------------------------------

REFUSALS = [
    (role, permission)
    for permission in (Permission.REGISTER_BENEFICIARY, Permission.DELETE_BENEFICIARY)
    for role in Role
    if role not in MATRIX[permission]
]


def refusal(actor: Actor, permission: Permission) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as caught:
        actor.require(permission)
    return caught.value


@pytest.mark.parametrize(("role", "permission"), REFUSALS, ids=str)
def test_the_refusal_names_role_and_action_in_english(
    actors: dict[Role, Actor], role: Role, permission: Permission
) -> None:
    text = refusal(actors[role], permission).text("en")
    assert label(role, "en") in text
    assert label(permission, "en") in text


@pytest.mark.parametrize(("role", "permission"), REFUSALS, ids=str)
def test_the_refusal_names_role_and_action_in_arabic(
    actors: dict[Role, Actor], role: Role, permission: Permission
) -> None:
    text = refusal(actors[role], permission).text("ar")
    role_ar, action_ar = label(role, "ar"), label(permission, "ar")
    assert ARABIC_LETTER.search(role_ar) and not LATIN_LETTER.search(role_ar)
    assert ARABIC_LETTER.search(action_ar) and not LATIN_LETTER.search(action_ar)
    assert role_ar in text
    assert action_ar in text
    assert not LATIN_LETTER.search(text), text
