"""Tests of db.outbox: every change to a synced row is stamped and recorded in the outbox, in
the same transaction as the change."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from db.engine import Database
from db.enums import Gender, IdType
from db.hlc import Stamp
from db.ids import new_id
from db.models import Beneficiary, Branch, LocalState, OutboxEntry
from db.outbox import HLC_STATE_KEY, NoDeviceError, TombstoneError
from romah_desktop.services.context import this_device
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD

# The columns of a branch that travel in a change (everything but local bookkeeping).
BRANCH_FIELDS = {
    "id",
    "origin_device_id",
    "hlc",
    "created_at",
    "updated_at",
    "deleted_at",
    "code",
    "name",
    "phone",
    "address",
    "settings",
}


class Boom(Exception):
    """An error that makes a transaction roll back."""


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One laptop database for the whole module; each test looks only at its own rows."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("outbox") / "data", "RYD", "فرع الرياض", "admin", "admin-pass-1"
    )
    yield workspace
    workspace.close()


_codes = iter(range(100, 1000))


def new_branch(ws: Workspace, **values: str) -> Branch:
    """Insert a branch in its own transaction and return it (detached, loaded)."""
    with ws.transaction() as session:
        branch = Branch(code=f"B{next(_codes)}", name="فرع تجريبي", **values)
        session.add(branch)
    return branch


def entries(ws: Workspace, row_id: str) -> list[OutboxEntry]:
    with ws.db.session() as session:
        return list(
            session.scalars(
                sa.select(OutboxEntry).where(OutboxEntry.row_id == row_id).order_by(OutboxEntry.seq)
            )
        )


def count(ws: Workspace, table: type[object]) -> int:
    with ws.db.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(table)) or 0


def load_branch(ws: Workspace, branch_id: str) -> Branch | None:
    with ws.db.session() as session:
        return session.get(Branch, branch_id)


# --- inserts --------------------------------------------------------------------------------


def test_a_new_row_gets_a_uuid7_this_device_a_stamp_and_no_tombstone(ws: Workspace) -> None:
    before = datetime.now(UTC)
    branch = new_branch(ws)
    stored = load_branch(ws, branch.id)
    assert stored is not None
    assert uuid.UUID(stored.id).version == 7
    assert str(uuid.UUID(stored.id)) == stored.id
    assert stored.origin_device_id == ws.device_id()
    stamp = Stamp.parse(stored.hlc)
    assert stamp.device_id == ws.device_id()
    assert stored.deleted_at is None
    assert stored.created_at.tzinfo is not None
    assert before <= stored.created_at == stored.updated_at <= datetime.now(UTC)


def test_new_ids_are_time_ordered(ws: Workspace) -> None:
    first = new_branch(ws)
    second = new_branch(ws)
    assert first.id < second.id
    assert first.hlc < second.hlc


def test_a_row_from_another_device_keeps_its_origin(ws: Workspace) -> None:
    other = new_id()
    branch = new_branch(ws, origin_device_id=other)
    stored = load_branch(ws, branch.id)
    assert stored is not None and stored.origin_device_id == other
    # The stamp is still this device's: it is this device that wrote the change.
    assert Stamp.parse(stored.hlc).device_id == ws.device_id()


def test_an_insert_writes_one_outbox_entry_with_every_synced_field(ws: Workspace) -> None:
    branch = new_branch(ws, phone="0112345678")
    [entry] = entries(ws, branch.id)
    assert entry.table_name == "branch"
    assert entry.op == "insert"
    assert set(entry.changes) == BRANCH_FIELDS
    assert "field_versions" not in entry.changes
    assert entry.changes["code"] == branch.code
    assert entry.changes["phone"] == "0112345678"
    assert entry.changes["deleted_at"] is None
    assert entry.changes["hlc"] == branch.hlc == entry.hlc
    assert entry.base == {}
    assert entry.pushed_at is None


def test_changes_travel_as_json_values(ws: Workspace) -> None:
    with ws.transaction() as session:
        person = Beneficiary(
            file_number=f"TEST-{next(_codes)}",
            branch_id=this_device(session).branch_id,
            first_name="سارة",
            father_name="محمد",
            grandfather_name="علي",
            family_name="الحربي",
            national_id="1000000008",
            id_type=IdType.NATIONAL_ID,
            gender=Gender.FEMALE,
            birth_date=date(1985, 3, 4),
            categories=["widow"],
        )
        session.add(person)
    [entry] = entries(ws, person.id)
    assert entry.changes["gender"] == "F"
    assert entry.changes["id_type"] == "national_id"
    assert entry.changes["birth_date"] == "1985-03-04"
    assert entry.changes["categories"] == ["widow"]
    assert entry.changes["registration_status"] == "in_progress"
    assert datetime.fromisoformat(entry.changes["created_at"]) == person.created_at


# --- rollback -------------------------------------------------------------------------------


def test_a_rolled_back_transaction_leaves_no_row_and_no_outbox_entry(ws: Workspace) -> None:
    rows, queued = count(ws, Branch), count(ws, OutboxEntry)
    with pytest.raises(Boom), ws.transaction() as session:
        branch = Branch(code="GONE", name="فرع لن يبقى")
        session.add(branch)
        session.flush()  # the row and its entry are written, then rolled back
        assert session.scalar(sa.select(sa.func.count()).where(OutboxEntry.row_id == branch.id))
        raise Boom
    assert load_branch(ws, branch.id) is None
    assert entries(ws, branch.id) == []
    assert (count(ws, Branch), count(ws, OutboxEntry)) == (rows, queued)


def test_a_rolled_back_update_leaves_the_row_and_the_outbox_as_they_were(ws: Workspace) -> None:
    branch = new_branch(ws)
    with pytest.raises(Boom), ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.name = "اسم لن يبقى"
        session.flush()
        raise Boom
    stored = load_branch(ws, branch.id)
    assert stored is not None and stored.name == branch.name and stored.hlc == branch.hlc
    assert [e.op for e in entries(ws, branch.id)] == ["insert"]


# --- updates and soft deletes ---------------------------------------------------------------


def test_an_update_records_only_the_changed_fields(ws: Workspace) -> None:
    branch = new_branch(ws)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.name = "فرع الرياض الجديد"
    insert, update = entries(ws, branch.id)
    assert update.op == "update"
    assert update.table_name == "branch"
    assert set(update.changes) == {"name", "hlc", "updated_at"}
    assert update.changes["name"] == "فرع الرياض الجديد"
    stored = load_branch(ws, branch.id)
    assert stored is not None
    assert update.hlc == update.changes["hlc"] == stored.hlc > insert.hlc
    assert stored.updated_at >= stored.created_at
    assert stored.created_at == branch.created_at


def test_an_update_of_two_fields_records_both(ws: Workspace) -> None:
    branch = new_branch(ws)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.phone = "0119876543"
        row.address = "طريق الملك فهد"
    update = entries(ws, branch.id)[-1]
    assert set(update.changes) == {"phone", "address", "hlc", "updated_at"}


def test_clearing_a_field_records_it_as_null(ws: Workspace) -> None:
    branch = new_branch(ws, phone="0112345678")
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.phone = None
    update = entries(ws, branch.id)[-1]
    assert update.op == "update"
    assert update.changes["phone"] is None


def test_setting_deleted_at_records_a_delete(ws: Workspace) -> None:
    branch = new_branch(ws)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.deleted_at = datetime.now(UTC)
    delete = entries(ws, branch.id)[-1]
    assert delete.op == "delete"
    assert set(delete.changes) == {"deleted_at", "hlc", "updated_at"}
    stored = load_branch(ws, branch.id)
    assert stored is not None and stored.deleted_at is not None
    assert datetime.fromisoformat(delete.changes["deleted_at"]) == stored.deleted_at


def test_clearing_deleted_at_is_an_update(ws: Workspace) -> None:
    branch = new_branch(ws)
    for value in (datetime.now(UTC), None):
        with ws.transaction() as session:
            row = session.get(Branch, branch.id)
            assert row is not None
            row.deleted_at = value
    assert [e.op for e in entries(ws, branch.id)] == ["insert", "delete", "update"]
    assert entries(ws, branch.id)[-1].changes["deleted_at"] is None


def test_a_flush_without_a_real_change_writes_no_entry(ws: Workspace) -> None:
    branch = new_branch(ws)
    queued = count(ws, OutboxEntry)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.name = branch.name  # the same value again
        row.code = branch.code
        session.flush()
    assert count(ws, OutboxEntry) == queued
    stored = load_branch(ws, branch.id)
    assert (
        stored is not None and stored.hlc == branch.hlc and stored.updated_at == branch.updated_at
    )


def test_a_transaction_that_only_reads_writes_no_entry(ws: Workspace) -> None:
    branch = new_branch(ws)
    queued = count(ws, OutboxEntry)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None and row.name == branch.name
    assert count(ws, OutboxEntry) == queued


def test_local_bookkeeping_is_not_a_change(ws: Workspace) -> None:
    branch = new_branch(ws)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.field_versions = {"name": 41}
    assert [e.op for e in entries(ws, branch.id)] == ["insert"]
    stored = load_branch(ws, branch.id)
    assert stored is not None and stored.hlc == branch.hlc
    assert stored.field_versions == {"name": 41}


def test_an_update_carries_the_version_each_changed_field_was_based_on(ws: Workspace) -> None:
    branch = new_branch(ws)
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.field_versions = {"name": 41, "phone": 12}
    with ws.transaction() as session:
        row = session.get(Branch, branch.id)
        assert row is not None
        row.name = "اسم بعد المزامنة"
    update = entries(ws, branch.id)[-1]
    # "*" is the newest version of any field seen, so HQ can tell an edit that raced a delete.
    assert update.base == {"name": 41, "*": 41}


def test_outbox_order_is_clock_order(ws: Workspace) -> None:
    branch = new_branch(ws)
    for name in ("أ", "ب", "ج"):
        with ws.transaction() as session:
            row = session.get(Branch, branch.id)
            assert row is not None
            row.name = name
    with ws.db.session() as session:
        stamps = list(session.scalars(sa.select(OutboxEntry.hlc).order_by(OutboxEntry.seq)))
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


# --- physical deletes and sessions without a device -----------------------------------------


def test_session_delete_of_a_synced_row_raises_and_deletes_nothing(ws: Workspace) -> None:
    branch = new_branch(ws)
    with pytest.raises(TombstoneError), ws.transaction() as session:
        row = session.get(Branch, branch.id)
        session.delete(row)
        session.flush()
    assert load_branch(ws, branch.id) is not None
    assert [e.op for e in entries(ws, branch.id)] == ["insert"]


def test_a_session_without_a_device_cannot_write_synced_rows(ws: Workspace) -> None:
    queued = count(ws, OutboxEntry)
    anonymous = Database(ws.db.engine)  # no device context
    with pytest.raises(NoDeviceError), anonymous.transaction() as session:
        session.add(Branch(code="NODEV", name="بلا جهاز"))
        session.flush()
    assert count(ws, OutboxEntry) == queued


# --- the clock is kept with the data --------------------------------------------------------


def test_the_clock_is_saved_with_each_change_and_continues_after_reopening(ws: Workspace) -> None:
    branch = new_branch(ws)
    with ws.db.session() as session:
        saved = session.get(LocalState, HLC_STATE_KEY)
        assert saved is not None and saved.value == branch.hlc
        newest = session.scalar(sa.select(sa.func.max(OutboxEntry.hlc)))
    assert newest == branch.hlc
    reopened, _admin = Workspace.unlock(ws.data_dir, "admin", ADMIN_PASSWORD)
    try:
        with reopened.transaction() as session:
            later = Branch(code="REOPEN", name="بعد إعادة الفتح")
            session.add(later)
        assert later.hlc > branch.hlc
        assert Stamp.parse(later.hlc).device_id == ws.device_id()
    finally:
        reopened.close()
