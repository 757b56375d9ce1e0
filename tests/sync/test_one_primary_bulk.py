"""The one-primary-phone rule over a batch of phones for more people than a statement of
literal values would hold: their other phones at HQ are looked up in one statement, through
the index on the person's id (HQ's migration 0004), on SQLite as on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa

from db.values import ONE_OF
from sync.protocol import decode_push
from sync.server.hub import DeviceAuth, Hub
from sync.server.migrate import upgrade
from sync.server.push import group_rows
from sync.server.schema import hq_row
from tests.helpers.postgres import postgres_schema
from tests.sync.conftest import make_hub

DEVICE = "01900000-0000-7000-8000-00000000a001"
PEOPLE = 1200
HELD_PRIMARY = range(0, PEOPLE, 97)  # the people HQ already holds a primary phone of
_START = int(time.time() * 1000) - 3_600_000


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Hub]:
    if request.param == "sqlite":
        made = make_hub(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
        yield made
        made.engine.dispose()
        return
    with postgres_schema() as engine:
        upgrade(engine)
        yield Hub(engine)


def _id(kind: int, n: int) -> str:
    return f"01900000-0000-7000-8{kind:03d}-{n:012d}"


def _change(s: int, table: str, row: str, values: dict[str, Any]) -> dict[str, Any]:
    """The s-th change of the laptop, stamped s milliseconds after the test's start."""
    stamp = f"{_START + s:016d}-00000-{DEVICE}"
    values = {**values, "id": row, "hlc": stamp}
    return {"s": s, "t": table, "r": row, "o": "i", "c": values, "h": stamp}


def _phone(s: int, row: str, person: int) -> dict[str, Any]:
    values = {"beneficiary_id": _id(1, person), "number": "+966512345678", "is_primary": True}
    return _change(s, "beneficiary_phone", row, values)


def _push(hub: Hub, device: DeviceAuth, changes: list[dict[str, Any]]) -> None:
    results = hub.push(device, decode_push(msgspec.json.encode({"changes": changes})))
    assert all(r.q is None for r in results), [r.q for r in results if r.q][:3]


def test_a_batch_of_new_primary_phones_keeps_one_primary_per_person(hub: Hub) -> None:
    branch = hub.add_branch("RYD", "فرع الرياض", "+966112345678")
    hub.enrol(hub.new_enrolment_code("RYD"), DEVICE, "one", "ONE", "RYD")
    device = DeviceAuth(DEVICE, branch)
    people = [
        _change(
            n + 1,
            "beneficiary",
            _id(1, n),
            {"first_name": "سارة", "family_name": "القحطاني", "national_id": f"1{n:09d}"},
        )
        for n in range(PEOPLE)
    ]
    _push(hub, device, people)
    s = PEOPLE
    _push(hub, device, [_phone(s + 1 + i, _id(2, n), n) for i, n in enumerate(HELD_PRIMARY)])
    s += len(HELD_PRIMARY)
    # A later primary phone for every person, in one batch: the later write keeps the flag.
    _push(hub, device, [_phone(s + 1 + n, _id(3, n), n) for n in range(PEOPLE)])

    with hub.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_row.c.table_name, hq_row.c.row_id, hq_row.c.data).where(
                hq_row.c.table_name.in_(("beneficiary_phone", "sync_conflict"))
            )
        ).all()
    primaries: dict[str, set[str]] = {}
    for table, row_id, data in rows:
        if table == "beneficiary_phone" and data["is_primary"] is True:
            primaries.setdefault(data["beneficiary_id"], set()).add(row_id)
    assert primaries == {_id(1, n): {_id(3, n)} for n in range(PEOPLE)}
    conflicts = sorted(data["row_id"] for table, _, data in rows if table == "sync_conflict")
    assert conflicts == sorted(_id(2, n) for n in HELD_PRIMARY)


def test_sqlite_finds_a_persons_other_phones_through_the_index(tmp_path: Path) -> None:
    """SQLite's planner, without statistics, would read every phone by the primary key's
    prefix; the lookup fixes the order so that the index on the person's id serves it."""
    hub = make_hub(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
    (rule,) = [r for r in ONE_OF if r.table == "beneficiary_phone"]
    query = group_rows(rule, ["person-1", "person-2"], postgres=False)
    compiled = query.compile(hub.engine, compile_kwargs={"literal_binds": True})
    with hub.engine.connect() as connection:
        plan = " ".join(
            str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        )
    hub.engine.dispose()
    assert "ix_hq_row_group_beneficiary_phone" in plan, plan
