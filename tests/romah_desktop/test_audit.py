"""Tests of the audit trail: every change through a service leaves an event, and the hash
chain shows any later tampering."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from db.enums import Role
from db.models import AuditEvent, OutboxEntry
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    delete_beneficiary,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.users import add_user
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form


class Boom(Exception):
    pass


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A workspace for the tests that neither tamper with the chain nor count from its start."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("audit") / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def shared_admin(shared: Workspace) -> Actor:
    return shared.login("admin", ADMIN_PASSWORD)


def events(ws: Workspace) -> list[AuditEvent]:
    with ws.db.session() as session:
        return list(
            session.scalars(
                sa.select(AuditEvent).order_by(AuditEvent.device_id, AuditEvent.device_seq)
            )
        )


def verify(ws: Workspace, actor: Actor) -> audit.ChainReport:
    with ws.db.session() as session:
        return audit.verify(session, actor)


def register(ws: Workspace, actor: Actor, **overrides: str) -> str:
    with ws.transaction() as session:
        return register_beneficiary(session, actor, person_form(**overrides)).id


def raw(ws: Workspace, *statements: str) -> None:
    """Run SQL behind the application's back, as someone with the database file could."""
    with ws.db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


# --- every change leaves an event -----------------------------------------------------------


def test_every_change_through_a_service_writes_an_audit_event(
    workspace: Workspace, admin: Actor
) -> None:
    person = register(workspace, admin)
    with workspace.transaction() as session:
        update_beneficiary(session, admin, person, {"city": "جدة"})
    with workspace.transaction() as session:
        delete_beneficiary(session, admin, person, "سجل مكرر")
    with workspace.transaction() as session:
        user = add_user(session, admin, "clerk", "موظف", Role.INTERVIEWER, "password-1")
    everything = events(workspace)
    # A new workspace starts with its branch and the reference library it is given.
    assert [(e.action, e.entity) for e in everything[:6]] == [("workspace.init", "branch")] + [
        ("reference.publish", "reference_document")
    ] * 5
    trail = everything[:1] + everything[6:]
    assert [(e.action, e.entity, e.entity_id) for e in trail] == [
        ("workspace.init", "branch", trail[0].entity_id),
        ("beneficiary.register", "beneficiary", person),
        ("beneficiary.update", "beneficiary", person),
        ("beneficiary.delete", "beneficiary", person),
        ("user.add", "user_account", user.id),
    ]
    assert all(e.user_id == admin.user_id for e in trail)
    assert all(e.device_id == workspace.device_id() for e in trail)
    assert [e.device_seq for e in everything] == list(range(1, 11))
    assert trail[2].details == {"fields": ["city"]}
    assert trail[3].details == {"reason": "سجل مكرر"}
    assert [e.occurred_at for e in trail] == sorted(e.occurred_at for e in trail)


def test_audit_events_travel_to_head_office(shared: Workspace, shared_admin: Actor) -> None:
    register(shared, shared_admin)
    with shared.db.session() as session:
        synced = set(
            session.scalars(
                sa.select(OutboxEntry.row_id).where(OutboxEntry.table_name == "audit_event")
            )
        )
    assert synced == {e.id for e in events(shared)}


def test_an_edit_that_changes_nothing_writes_no_event(
    shared: Workspace, shared_admin: Actor
) -> None:
    form = person_form()
    person = register(shared, shared_admin, **form)
    before = len(events(shared))
    with shared.transaction() as session:
        changed = update_beneficiary(
            session,
            shared_admin,
            person,
            {"family_name": form["family_name"], "phone": form["phone"]},
        )
    assert changed == []
    assert len(events(shared)) == before


def test_audit_details_hold_no_personal_numbers(shared: Workspace, shared_admin: Actor) -> None:
    form = person_form()
    person = register(shared, shared_admin, **form)
    with shared.transaction() as session:
        update_beneficiary(session, shared_admin, person, {"phone": "0551112233", "iban": ""})
    text = json.dumps([e.details for e in events(shared)], ensure_ascii=False)
    for secret in (form["national_id"], form["phone"][1:], "551112233"):
        assert secret not in text


def test_a_rolled_back_change_leaves_no_event_and_no_gap(
    shared: Workspace, shared_admin: Actor
) -> None:
    before = events(shared)
    register(shared, shared_admin)
    with pytest.raises(Boom), shared.transaction() as session:
        register_beneficiary(session, shared_admin, person_form())
        raise Boom
    register(shared, shared_admin)
    after = events(shared)
    assert [e.action for e in after[len(before) :]] == ["beneficiary.register"] * 2
    assert [e.device_seq for e in after] == list(range(1, len(before) + 3))
    assert verify(shared, shared_admin).ok


# --- verifying the chain --------------------------------------------------------------------


def test_an_untouched_chain_verifies(shared: Workspace, shared_admin: Actor) -> None:
    for _ in range(3):
        register(shared, shared_admin)
    report = verify(shared, shared_admin)
    assert report.ok
    assert report.problems == []
    assert report.events == len(events(shared))
    assert report.devices == 1


def test_the_chain_continues_across_a_restart(workspace: Workspace, admin: Actor) -> None:
    start = len(events(workspace))
    register(workspace, admin)
    workspace.close()
    reopened, actor = Workspace.unlock(workspace.data_dir, "admin", ADMIN_PASSWORD)
    try:
        register(reopened, actor)
        report = verify(reopened, actor)
    finally:
        reopened.close()
    assert report.ok
    assert report.events == start + 2


def test_changed_details_are_reported(workspace: Workspace, admin: Actor) -> None:
    person = register(workspace, admin)
    with workspace.transaction() as session:
        update_beneficiary(session, admin, person, {"city": "جدة"})
    register(workspace, admin)
    raw(
        workspace,
        "DROP TRIGGER audit_event_no_update",
        """UPDATE audit_event SET details = '{"fields": ["notes"]}' WHERE device_seq = 3""",
    )
    report = verify(workspace, admin)
    assert not report.ok
    assert [(p.device_seq, p.problem) for p in report.problems] == [(3, "content altered")]
    assert report.problems[0].device_id == workspace.device_id()


def test_any_changed_field_is_reported(workspace: Workspace, admin: Actor) -> None:
    tampering = {
        2: "action = 'beneficiary.view'",
        3: "user_id = NULL",
        4: "entity_id = '00000000-0000-7000-8000-000000000000'",
        5: "occurred_at = '2020-01-01 00:00:00.000000'",
    }
    for _ in tampering:
        register(workspace, admin)
    raw(
        workspace,
        "DROP TRIGGER audit_event_no_update",
        *(
            f"UPDATE audit_event SET {change} WHERE device_seq = {seq}"
            for seq, change in tampering.items()
        ),
    )
    report = verify(workspace, admin)
    assert [(p.device_seq, p.problem) for p in report.problems] == [
        (seq, "content altered") for seq in tampering
    ]


def test_a_recomputed_hash_still_breaks_the_next_link(workspace: Workspace, admin: Actor) -> None:
    """Someone who also replaces the hash of the event they changed is caught by the next one."""
    for _ in range(2):
        register(workspace, admin)
    raw(
        workspace,
        "DROP TRIGGER audit_event_no_update",
        "UPDATE audit_event SET hash = '" + "f" * 64 + "' WHERE device_seq = 2",
    )
    problems = [(p.device_seq, p.problem) for p in verify(workspace, admin).problems]
    assert (3, "link to previous broken") in problems


def test_a_deleted_event_in_the_middle_shows_as_a_gap(workspace: Workspace, admin: Actor) -> None:
    start = len(events(workspace))
    for _ in range(3):
        register(workspace, admin)
    middle = start + 2
    raw(
        workspace,
        "DROP TRIGGER audit_event_no_delete",
        f"DELETE FROM audit_event WHERE device_seq = {middle}",
    )
    report = verify(workspace, admin)
    assert not report.ok
    assert report.events == start + 2
    problems = [(p.device_seq, p.problem) for p in report.problems]
    assert (middle + 1, f"expected event {middle}") in problems
    assert (middle + 1, "link to previous broken") in problems
    assert all(seq == middle + 1 for seq, _ in problems)
