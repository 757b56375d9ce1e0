"""Tests of append-only records (signed declarations, committee decisions, audit events): the
ORM refuses to change or delete them, and so does the database itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from db.base import Synced
from db.enums import Channel, DecisionOutcome, Gender, IdType, RequestType
from db.models import (
    AuditEvent,
    Beneficiary,
    CommitteeDecision,
    OutboxEntry,
    SignedDeclaration,
    SupportRequest,
    User,
)
from db.outbox import AppendOnlyError
from romah_desktop.services import audit
from romah_desktop.services.context import Actor, this_device
from romah_desktop.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = Workspace.create(
        tmp_path_factory.mktemp("append_only") / "data", "RYD", "فرع الرياض", "admin", "pass-word-1"
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def records(ws: Workspace) -> dict[str, str]:
    """One record of each append-only kind; returns their ids by table name."""
    with ws.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        person = Beneficiary(
            file_number="RYD-TEST-000001",
            branch_id=this_device(session).branch_id,
            first_name="نورة",
            father_name="سعد",
            grandfather_name="عبدالعزيز",
            family_name="العتيبي",
            national_id="1000000008",
            id_type=IdType.NATIONAL_ID,
            gender=Gender.FEMALE,
        )
        session.add(person)
        session.flush()
        request = SupportRequest(
            request_number="RYD-TEST-2026-00001",
            branch_id=person.branch_id,
            beneficiary_id=person.id,
            request_type=RequestType.RENT,
            justification="إيجار متأخر",
            channel=Channel.INTERVIEW,
            created_by_user_id=admin.id,
        )
        session.add(request)
        session.flush()
        declaration = SignedDeclaration(
            beneficiary_id=person.id,
            request_id=request.id,
            text="أقر بأن البيانات صحيحة",
            declared_data={"family_name": "العتيبي"},
            content_sha256="a" * 64,
            signer_name="نورة سعد العتيبي",
            signed_at=datetime.now(UTC),
            recorded_by_user_id=admin.id,
        )
        decision = CommitteeDecision(
            request_id=request.id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount_halalas=150_000,
            reason="مستحقة",
            decided_on=date(2026, 1, 15),
            recorded_by_user_id=admin.id,
        )
        session.add_all([declaration, decision])
        event = audit.record(session, Actor.of(admin), "test.event", "beneficiary", person.id)
    return {
        "signed_declaration": declaration.id,
        "committee_decision": decision.id,
        "audit_event": event.id,
    }


# For each append-only model: an attribute and a new value an ORM update would set.
CASES: list[tuple[type[Synced], str, Any]] = [
    (SignedDeclaration, "signer_name", "اسم آخر"),
    (CommitteeDecision, "approved_amount_halalas", 999_999),
    (AuditEvent, "details", {"forged": True}),
]


def table_of(model: type[Synced]) -> str:
    return str(sa.inspect(model).local_table.name)


IDS = [table_of(model) for model, _, _ in CASES]


def snapshot(ws: Workspace, model: type[Synced], row_id: str) -> dict[str, Any]:
    with ws.db.engine.connect() as connection:
        row = connection.execute(
            sa.text(f"SELECT * FROM {table_of(model)} WHERE id = :id"), {"id": row_id}
        ).one()
    return dict(row._mapping)


def outbox_ops(ws: Workspace, row_id: str) -> list[str]:
    with ws.db.session() as session:
        return list(
            session.scalars(
                sa.select(OutboxEntry.op)
                .where(OutboxEntry.row_id == row_id)
                .order_by(OutboxEntry.seq)
            )
        )


@pytest.mark.parametrize(("model", "attribute", "value"), CASES, ids=IDS)
def test_an_append_only_insert_is_recorded_for_sync(
    ws: Workspace, records: dict[str, str], model: type[Synced], attribute: str, value: Any
) -> None:
    assert outbox_ops(ws, records[table_of(model)]) == ["insert"]


@pytest.mark.parametrize(("model", "attribute", "value"), CASES, ids=IDS)
def test_an_orm_update_is_refused_and_writes_nothing(
    ws: Workspace, records: dict[str, str], model: type[Synced], attribute: str, value: Any
) -> None:
    row_id = records[table_of(model)]
    before = snapshot(ws, model, row_id)
    with ws.transaction() as session:
        row = session.get(model, row_id)
        setattr(row, attribute, value)
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.expunge_all()  # forget the refused change; the transaction itself commits
    assert snapshot(ws, model, row_id) == before
    assert outbox_ops(ws, row_id) == ["insert"]


@pytest.mark.parametrize(("model", "attribute", "value"), CASES, ids=IDS)
def test_a_soft_delete_is_refused_too(
    ws: Workspace, records: dict[str, str], model: type[Synced], attribute: str, value: Any
) -> None:
    row_id = records[table_of(model)]
    before = snapshot(ws, model, row_id)
    with pytest.raises(AppendOnlyError), ws.transaction() as session:
        row = session.get(model, row_id)
        assert row is not None
        row.deleted_at = datetime.now(UTC)
    assert snapshot(ws, model, row_id) == before
    assert outbox_ops(ws, row_id) == ["insert"]


@pytest.mark.parametrize(("model", "attribute", "value"), CASES, ids=IDS)
def test_an_orm_delete_is_refused_and_deletes_nothing(
    ws: Workspace, records: dict[str, str], model: type[Synced], attribute: str, value: Any
) -> None:
    row_id = records[table_of(model)]
    before = snapshot(ws, model, row_id)
    with pytest.raises(AppendOnlyError), ws.transaction() as session:
        session.delete(session.get(model, row_id))
        session.flush()
    assert snapshot(ws, model, row_id) == before
    assert outbox_ops(ws, row_id) == ["insert"]


@pytest.mark.parametrize(("model", "attribute", "value"), CASES, ids=IDS)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET created_at = created_at WHERE id = :id",
        "UPDATE {table} SET deleted_at = '2026-01-01 00:00:00.000000' WHERE id = :id",
        "DELETE FROM {table} WHERE id = :id",
        "DELETE FROM {table}",
    ],
    ids=["update-noop", "update-tombstone", "delete-row", "delete-all"],
)
def test_raw_sql_changes_are_refused_by_the_database(
    ws: Workspace,
    records: dict[str, str],
    model: type[Synced],
    attribute: str,
    value: Any,
    statement: str,
) -> None:
    row_id = records[table_of(model)]
    before = snapshot(ws, model, row_id)
    with (
        pytest.raises(sa.exc.DatabaseError, match="append-only"),
        ws.db.engine.begin() as connection,
    ):
        connection.execute(sa.text(statement.format(table=table_of(model))), {"id": row_id})
    assert snapshot(ws, model, row_id) == before


def test_a_correction_is_a_new_record_that_supersedes_the_old(
    ws: Workspace, records: dict[str, str]
) -> None:
    old_id = records["committee_decision"]
    with ws.transaction() as session:
        old = session.get(CommitteeDecision, old_id)
        assert old is not None
        correction = CommitteeDecision(
            request_id=old.request_id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount_halalas=120_000,
            reason="تصحيح المبلغ",
            decided_on=date(2026, 1, 16),
            recorded_by_user_id=old.recorded_by_user_id,
            supersedes_id=old.id,
        )
        session.add(correction)
    assert outbox_ops(ws, correction.id) == ["insert"]
    assert snapshot(ws, CommitteeDecision, old_id)["approved_amount_halalas"] == 150_000
