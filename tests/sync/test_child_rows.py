"""Child records (phones, household members) merge as rows with stable ids, and the one-of
rule "a person has one primary phone" is kept by the merge: two laptops changing a person's
main number give one conflict on the number, two laptops each giving a person a main number
give one primary phone everywhere and a conflict keeping the other, a member edited on one
laptop and removed on the other is a delete conflict. Against HQ in process and a real HQ
server process, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

from db.models import BeneficiaryPhone, HouseholdMember, SyncConflict
from db.values import ONE_OF
from romah_desktop.services.conflicts import resolve_conflict
from romah_desktop.services.people.beneficiaries import (
    primary_phone,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.people.exporter import export_beneficiaries
from romah_desktop.services.people.household import (
    add_household_member,
    remove_household_member,
    update_household_member,
)
from romah_desktop.services.people.registry import rows as registry_rows
from romah_desktop.services.people.sheets import read_sheet
from romah_desktop.workspace import Workspace
from sync.client import SyncClient, SyncReport
from sync.server.hub import Hub
from sync.server.push import group_rows
from sync.server.schema import hq_row
from tests.helpers.people import person_form
from tests.sync.conftest import HQ
from tests.sync.helpers import HQProcess, actor_of
from tests.sync.test_processes import backend, hq_server, machine  # noqa: F401  (fixtures)

CLERK = "clerk.ryd"


class Device(Protocol):
    """A laptop of either kind of test: HQ in process or a real HQ server."""

    workspace: Workspace
    client: SyncClient


def _register(device: Device, **form: str) -> tuple[str, str]:
    """A new person; (id, national ID)."""
    fields = person_form(**form)
    with device.workspace.transaction() as session:
        person = register_beneficiary(session, actor_of(device.workspace, CLERK), fields)
        return person.id, person.national_id


def _set_phone(device: Device, person_id: str, phone: str) -> None:
    with device.workspace.transaction() as session:
        update_beneficiary(session, actor_of(device.workspace, CLERK), person_id, {"phone": phone})


def _sync_all(*devices: Device, rounds: int = 2) -> None:
    for _ in range(rounds):
        for device in devices:
            device.client.sync()


def _phones(device: Device, person_id: str) -> dict[str, dict[str, Any]]:
    """The person's phone rows on a laptop, by id."""
    with device.workspace.db.session() as session:
        return {
            p.id: {"number": p.number, "is_primary": p.is_primary, "deleted_at": p.deleted_at}
            for p in session.scalars(
                sa.select(BeneficiaryPhone).where(BeneficiaryPhone.beneficiary_id == person_id)
            )
        }


def _live_primaries(phones: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {
        row_id: p["number"]
        for row_id, p in phones.items()
        if p["is_primary"] and p["deleted_at"] is None
    }


def _hq_phones(hub: Hub, person_id: str) -> dict[str, dict[str, Any]]:
    with hub.engine.connect() as connection:
        return {
            row_id: data
            for row_id, data in connection.execute(
                sa.select(hq_row.c.row_id, hq_row.c.data).where(
                    hq_row.c.table_name == "beneficiary_phone"
                )
            )
            if data["beneficiary_id"] == person_id
        }


def _conflicts(device: Device) -> list[SyncConflict]:
    with device.workspace.db.session() as session:
        found = list(session.scalars(sa.select(SyncConflict).order_by(SyncConflict.id)))
        session.expunge_all()
        return found


def _exported(device: Device, folder: Path, national_id: str) -> list[dict[str, str]]:
    """The rows of a laptop's export that are the person's."""
    path = folder / f"{id(device)}.csv"
    with device.workspace.db.session() as session:
        export_beneficiaries(session, actor_of(device.workspace, "manager.ryd"), path, lang="en")
    return [r for r in read_sheet(path) if r["national_id"] == national_id]


def _check_concurrent_main_phone_edits(hub: Hub, one: Device, two: Device, folder: Path) -> None:
    person_id, national_id = _register(one, phone="0550000001")
    _sync_all(one, two, rounds=1)
    (row_id,) = _live_primaries(_phones(two, person_id))
    _set_phone(one, person_id, "0551111111")
    _set_phone(two, person_id, "0552222222")
    _sync_all(one, two)
    numbers = {"+966551111111", "+966552222222"}
    held = []
    for device in (one, two):
        primaries = _live_primaries(_phones(device, person_id))
        # The same row, its number edited in place: no new row, no tombstone.
        assert list(primaries) == [row_id], primaries
        assert set(_phones(device, person_id)) == {row_id}
        held.append(primaries[row_id])
        (conflict,) = _conflicts(device)
        assert (conflict.table_name, conflict.row_id, conflict.field) == (
            "beneficiary_phone",
            row_id,
            "number",
        )
        assert {conflict.winner_value, conflict.other_value} == numbers
        assert conflict.winner_value == primaries[row_id]
        assert conflict.status == "open"
    assert held[0] == held[1] and held[0] in numbers
    at_hq = _hq_phones(hub, person_id)
    assert _live_primaries(at_hq) == {row_id: held[0]}
    exports = [_exported(device, folder, national_id) for device in (one, two)]
    assert len(exports[0]) == 1, exports[0]
    assert exports[0] == exports[1]
    assert exports[0][0]["phone"] == "0" + held[0][4:]


def test_two_laptops_changing_a_main_phone_give_one_conflict_on_the_number(
    hq: HQ, laptop, tmp_path: Path
) -> None:
    one, two = laptop("one"), laptop("two")
    _check_concurrent_main_phone_edits(hq.hub, one, two, tmp_path)


def test_the_same_against_a_real_hq_server(hq_server: HQProcess, machine, tmp_path: Path) -> None:  # noqa: F811
    one, two = machine("one"), machine("two")
    _sync_all(one, two, rounds=1)
    _check_concurrent_main_phone_edits(hq_server.hub, one, two, tmp_path)


def _check_two_new_primaries(hub: Hub, one: Device, two: Device, folder: Path) -> None:
    person_id, national_id = _register(one, phone="")
    _sync_all(one, two, rounds=1)
    assert _phones(two, person_id) == {}
    _set_phone(one, person_id, "0551111111")
    _set_phone(two, person_id, "0552222222")
    _sync_all(one, two)
    at_hq = _hq_phones(hub, person_id)
    (kept,) = _live_primaries(at_hq)
    (lost,) = set(at_hq) - {kept}
    # The loser is not deleted: its number stays on the file as another phone.
    assert at_hq[lost]["is_primary"] is False and at_hq[lost]["deleted_at"] is None
    for device in (one, two):
        phones = _live_primaries(_phones(device, person_id))
        assert phones == {kept: at_hq[kept]["number"]}
        assert set(_phones(device, person_id)) == {kept, lost}
        (conflict,) = _conflicts(device)
        assert (conflict.table_name, conflict.row_id, conflict.field, conflict.kind) == (
            "beneficiary_phone",
            lost,
            "is_primary",
            "one_of",
        )
        assert (conflict.winner_value, conflict.other_value, conflict.status) == (
            False,
            True,
            "open",
        )
        with device.workspace.db.session() as session:
            assert primary_phone(session, person_id) == at_hq[kept]["number"]
        assert len(_exported(device, folder, national_id)) == 1
    # The later of the two writes keeps the flag, whichever laptop pushed first.
    with one.workspace.db.session() as session:
        (conflict,) = session.scalars(sa.select(SyncConflict)).all()
        stamps = {
            p.id: p.hlc
            for p in session.scalars(
                sa.select(BeneficiaryPhone).where(BeneficiaryPhone.id.in_([kept, lost]))
            )
        }
    assert stamps[kept] > conflict.other_hlc


def test_two_laptops_giving_a_person_a_main_phone_keep_one_and_a_conflict(
    hq: HQ, laptop, tmp_path: Path
) -> None:
    one, two = laptop("one"), laptop("two")
    _check_two_new_primaries(hq.hub, one, two, tmp_path)


def test_two_new_primaries_against_a_real_hq_server(
    hq_server: HQProcess,  # noqa: F811
    machine,  # noqa: F811
    tmp_path: Path,
) -> None:
    one, two = machine("one"), machine("two")
    _sync_all(one, two, rounds=1)
    _check_two_new_primaries(hq_server.hub, one, two, tmp_path)


def test_a_laptop_holding_two_primaries_before_it_pushes_lists_the_person_once(
    laptop, tmp_path: Path
) -> None:
    one, two = laptop("one"), laptop("two")
    person_id, national_id = _register(one, phone="")
    _sync_all(one, two, rounds=1)
    _set_phone(one, person_id, "0551111111")
    _set_phone(two, person_id, "0552222222")
    one.client.sync()
    # Laptop two pulls the other primary phone before pushing its own.
    two.client._pull(SyncReport(), None)
    assert len(_live_primaries(_phones(two, person_id))) == 2
    exported = _exported(two, tmp_path, national_id)
    assert len(exported) == 1
    with two.workspace.db.session() as session:
        main = primary_phone(session, person_id)
        (row,) = registry_rows(session, actor_of(two.workspace, CLERK), [person_id])
    assert main is not None and exported[0]["phone"] == row.phone == "0" + main[4:]
    _sync_all(two, one)
    for device in (one, two):
        assert len(_live_primaries(_phones(device, person_id))) == 1
        assert len(_exported(device, tmp_path, national_id)) == 1


def test_a_member_edited_on_one_laptop_and_removed_on_the_other_is_a_delete_conflict(
    hq: HQ, laptop
) -> None:
    one, two = laptop("one"), laptop("two")
    person_id, _ = _register(one)
    with one.workspace.transaction() as session:
        member = add_household_member(
            session,
            actor_of(one.workspace, CLERK),
            person_id,
            {"full_name": "سعد عبدالله", "relationship": "son"},
        )
        member_id = member.id
    _sync_all(one, two, rounds=1)
    with one.workspace.transaction() as session:
        update_household_member(
            session,
            actor_of(one.workspace, CLERK),
            member_id,
            {"full_name": "سعد عبدالله القحطاني", "relationship": "son"},
        )
    with two.workspace.transaction() as session:
        remove_household_member(session, actor_of(two.workspace, CLERK), member_id)
    _sync_all(one, two)
    for device in (one, two):
        with device.workspace.db.session() as session:
            rows = session.scalars(
                sa.select(HouseholdMember).where(HouseholdMember.beneficiary_id == person_id)
            ).all()
            # The same row, removed by a tombstone, the edit kept on it.
            assert [(m.id, m.full_name) for m in rows] == [(member_id, "سعد عبدالله القحطاني")]
            assert rows[0].deleted_at is not None
        (conflict,) = _conflicts(device)
        assert (conflict.table_name, conflict.row_id, conflict.field, conflict.kind) == (
            "household_member",
            member_id,
            "deleted_at",
            "delete",
        )


def test_settling_a_one_of_conflict_the_other_way_moves_the_flag_without_a_new_conflict(
    hq: HQ, laptop, tmp_path: Path
) -> None:
    one, two = laptop("one"), laptop("two")
    _check_two_new_primaries(hq.hub, one, two, tmp_path)
    (conflict,) = _conflicts(one)
    lost = conflict.row_id
    with one.workspace.transaction() as session:
        resolve_conflict(session, actor_of(one.workspace, "manager.ryd"), conflict.id, True)
    _sync_all(one, two)
    person_id = _phones_row(hq.hub, lost)["beneficiary_id"]
    at_hq = _hq_phones(hq.hub, person_id)
    assert set(_live_primaries(at_hq)) == {lost}
    for device in (one, two):
        assert set(_live_primaries(_phones(device, person_id))) == {lost}
        assert [c.status for c in _conflicts(device)] == ["resolved"]


def _phones_row(hub: Hub, row_id: str) -> dict[str, Any]:
    with hub.engine.connect() as connection:
        data: dict[str, Any] = connection.execute(
            sa.select(hq_row.c.data).where(
                hq_row.c.table_name == "beneficiary_phone", hq_row.c.row_id == row_id
            )
        ).scalar_one()
    return data


def test_hq_finds_a_persons_other_phones_through_an_index(hq: HQ) -> None:
    """The one-of rule looks at the person's other phones at every new primary: through the
    index of HQ's migration 0004, never by scanning every phone."""
    postgres = hq.hub.engine.dialect.name == "postgresql"
    rows = [
        {
            "table_name": "beneficiary_phone",
            "row_id": f"phone-{n}",
            "scope": "branch",
            "data": {"beneficiary_id": f"person-{n // 2}", "is_primary": n % 2 == 0},
            "versions": {},
        }
        for n in range(5000)
    ]
    with hq.hub.engine.begin() as connection:
        connection.execute(sa.insert(hq_row), rows)
        connection.exec_driver_sql("ANALYZE hq_row")
    (rule,) = [r for r in ONE_OF if r.table == "beneficiary_phone"]
    query = group_rows(rule, ["person-1", "person-2"], postgres=postgres)
    compiled = query.compile(hq.hub.engine, compile_kwargs={"literal_binds": True})
    with hq.hub.engine.connect() as connection:
        explain = "EXPLAIN" if postgres else "EXPLAIN QUERY PLAN"
        plan = " ".join(str(r) for r in connection.exec_driver_sql(f"{explain} {compiled}"))
    assert "ix_hq_row_group_beneficiary_phone" in plan, plan
