"""One bad value stops no one: HQ checks every pushed value against its column and
quarantines a bad one with the reason; a laptop sets aside a bad pulled change and applies the
rest; a conflict is never settled with a value its field cannot hold, at HQ or on a laptop."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from db.models import SyncConflict, SyncQuarantine
from romah_desktop.errors import ValidationError
from romah_desktop.services.conflicts import quarantined, resolve_conflict
from sync.server import cli
from sync.server.schema import hq_change, hq_feed_head, hq_quarantine, hq_row
from tests.sync.conftest import HQ, Laptop
from tests.sync.helpers import (
    edit_person,
    feed_text,
    person_in,
    push_raw,
    raw_device,
    raw_stamp,
    register_person,
    stored_counts,
)

MakeLaptop = Callable[..., Laptop]


def _pull_quarantine(machine: Laptop) -> list[SyncQuarantine]:
    with machine.workspace.db.session() as session:
        rows = session.scalars(
            sa.select(SyncQuarantine).where(SyncQuarantine.direction == "pull")
        ).all()
        session.expunge_all()
        return list(rows)


def _hq_versions(hq: HQ, table: str, row_id: str) -> dict[str, int]:
    with hq.hub.engine.connect() as connection:
        versions: dict[str, int] = connection.execute(
            sa.select(hq_row.c.versions).where(
                hq_row.c.table_name == table, hq_row.c.row_id == row_id
            )
        ).scalar_one()
    return versions


def test_a_pushed_bad_date_is_quarantined_at_hq_and_the_branch_syncs_on(
    hq: HQ, laptop: MakeLaptop
) -> None:
    one = laptop("one")
    person_id = register_person(one.workspace, birth_date="1980-02-03")
    one.sync()
    versions = _hq_versions(hq, "beneficiary", person_id)
    raw = raw_device(hq.http, hq.hub)
    change = {
        "s": 1,
        "t": "beneficiary",
        "r": person_id,
        "o": "u",
        "c": {"birth_date": "not-a-date"},
        "b": {"birth_date": versions["birth_date"], "*": max(versions.values())},
        "h": raw_stamp(),
    }
    (result,) = push_raw(hq.http, raw, change)
    assert "birth_date" in result.get("q", ""), result
    with hq.hub.engine.connect() as connection:
        reasons = connection.execute(sa.select(hq_quarantine.c.reason)).scalars().all()
    assert any("beneficiary.birth_date" in r and "not-a-date" in r for r in reasons), reasons
    assert "not-a-date" not in feed_text(hq.hub.engine)
    # The same change sent again is answered as before, and still never enters the feed.
    assert push_raw(hq.http, raw, change)[0]["q"] == result["q"]

    newcomer = laptop("two")  # enrolled and synced once already by the fixture
    assert newcomer.sync()["quarantined"] == 0
    assert one.sync()["quarantined"] == 0
    for machine in (one, newcomer):
        assert person_in(machine.workspace, person_id).birth_date == date(1980, 2, 3)


def test_text_with_a_nul_character_is_quarantined_at_hq(hq: HQ) -> None:
    raw = raw_device(hq.http, hq.hub)
    person = "01900000-0000-7000-8000-000000000001"
    rows, changes, held = stored_counts(hq.hub.engine)
    results = push_raw(
        hq.http,
        raw,
        *(
            {"s": s, "t": "beneficiary", "r": person, "o": "i", "c": values, "h": raw_stamp()}
            for s, values in ((1, {"first_name": "سا\x00رة"}), (2, {"categories": ["a\x00"]}))
        ),
    )
    assert all("NUL" in r.get("q", "") for r in results), results
    assert stored_counts(hq.hub.engine) == (rows, changes, held + 2)
    with hq.hub.engine.connect() as connection:
        kept = connection.execute(sa.select(hq_quarantine.c.change)).scalars().all()
    assert len(kept) == 2 and "\x00" not in json.dumps(kept, ensure_ascii=False)


def test_a_nul_character_in_a_name_hq_stores_is_refused(hq: HQ) -> None:
    raw = raw_device(hq.http, hq.hub)
    change = {"s": 1, "t": "beneficiary", "r": "x", "o": "i", "c": {"first_name": "x"}}
    before = stored_counts(hq.hub.engine)
    for bad in ({"r": "x\x00"}, {"t": "beneficiary\x00"}, {"c": {"first_name\x00": "x"}}):
        body = json.dumps({"changes": [{**change, "h": raw_stamp(), **bad}]}).encode()
        answer = hq.http.post("/v1/push", content=body, headers=raw)
        assert answer.status_code == 422 and answer.json()["reason"], bad
    assert stored_counts(hq.hub.engine) == before


@pytest.mark.parametrize("field", ["s", "b"])
def test_a_sequence_beyond_bigint_is_refused_with_a_reason(hq: HQ, field: str) -> None:
    raw = raw_device(hq.http, hq.hub)
    change: dict[str, Any] = {
        "s": 1,
        "t": "beneficiary",
        "r": "01900000-0000-7000-8000-000000000001",
        "o": "i",
        "c": {"first_name": "سارة"},
        "h": raw_stamp(),
    }
    if field == "s":
        change["s"] = 2**63
    else:
        change["b"] = {"first_name": 2**63}
    before = stored_counts(hq.hub.engine)
    answer = hq.http.post("/v1/push", content=json.dumps({"changes": [change]}), headers=raw)
    assert answer.status_code == 422, answer.text
    assert answer.json()["reason"]
    assert stored_counts(hq.hub.engine) == before


def _inject(hq: HQ, person_id: str, *values: dict[str, Any]) -> None:
    """Feed entries as an older HQ, which checked nothing, would have let through."""
    with hq.hub.writing() as connection:
        scope = connection.execute(
            sa.select(hq_row.c.scope).where(hq_row.c.row_id == person_id)
        ).scalar_one()
        head = hq.hub.head(connection)
        clock = hq.hub.clock(connection)
        for offset, data in enumerate(values, start=1):
            stamp = clock.now()
            connection.execute(
                sa.insert(hq_change).values(
                    seq=head + offset,
                    device_id=clock.device_id,
                    device_seq=None,
                    table_name="beneficiary",
                    row_id=person_id,
                    scope=scope,
                    data={**data, "hlc": stamp},
                    hlc=stamp,
                    won=None,
                    echo=False,
                    digest=None,
                    received_at=sa.func.now(),
                )
            )
        # The branch's feed reaches them, as it does HQ's own writes (`Store.write_batch`).
        top, key = head + len(values), scope or ""
        moved = connection.execute(
            sa.update(hq_feed_head).where(hq_feed_head.c.scope == key).values(seq=top)
        ).rowcount
        if not moved:
            connection.execute(sa.insert(hq_feed_head).values(scope=key, seq=top))


def test_a_bad_value_in_the_feed_is_quarantined_on_the_laptop_and_the_rest_arrives(
    hq: HQ, laptop: MakeLaptop
) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = register_person(one.workspace, birth_date="1980-02-03")
    one.sync(), two.sync()
    _inject(
        hq,
        person_id,
        {"birth_date": "not-a-date"},
        {"household_size": "many"},
        {"no_such_field": 1},
        {"field_versions": {"city": 10**9}},
        {"city": "x" * 61},
        {"district": "النسيم"},  # a good value between the bad ones
    )
    edit_person(one.workspace, person_id, city="الدمام")
    one.sync()

    report = two.sync()  # no exception: the bad entries are set aside
    assert report["quarantined"] == 5
    reasons = " | ".join(q.reason for q in _pull_quarantine(two))
    for field in ("birth_date", "household_size", "no_such_field", "field_versions", "city"):
        assert field in reasons, reasons
    person = person_in(two.workspace, person_id)
    assert (person.birth_date, person.district, person.city) == (
        date(1980, 2, 3),
        "النسيم",
        "الدمام",
    )
    manager = two.login("manager.ryd")
    with two.workspace.db.session() as session:
        shown = quarantined(session, manager)
    assert len(shown) == 5 and all(q.reason for q in shown)

    edit_person(one.workspace, person_id, first_name="خالد")
    one.sync()
    assert two.sync()["quarantined"] == 0
    assert person_in(two.workspace, person_id).first_name == "خالد"


def _birth_date_conflict(hq: HQ, laptop: MakeLaptop) -> tuple[Laptop, str, str]:
    one, two = laptop("one"), laptop("two")
    person_id = register_person(one.workspace, birth_date="1980-02-03")
    one.sync(), two.sync()
    edit_person(one.workspace, person_id, birth_date="1981-01-01")
    edit_person(two.workspace, person_id, birth_date="1982-01-01")
    one.sync(), two.sync(), one.sync()
    (conflict,) = [c for c in hq.hub.conflicts() if c["field"] == "birth_date"]
    return two, person_id, str(conflict["id"])


@pytest.mark.parametrize("bad", ['"1990-13-45"', '"9999-01-01"', '"not-a-date"', "5"])
def test_hq_refuses_to_settle_a_conflict_with_a_bad_value(
    hq: HQ, laptop: MakeLaptop, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    machine, person_id, conflict_id = _birth_date_conflict(hq, laptop)
    monkeypatch.setattr(cli, "open_hub", lambda _url: hq.hub)
    head = len(feed_text(hq.hub.engine))
    args = ["--data-dir", str(hq.data_dir), "conflicts", "resolve", conflict_id, "--value", bad]
    done = CliRunner().invoke(cli.main, args)
    assert done.exit_code == 1, done.output
    message = done.output.strip()
    assert "birth_date" in message and len(message.splitlines()) == 1, message
    assert len(feed_text(hq.hub.engine)) == head  # nothing written
    assert conflict_id in {c["id"] for c in hq.hub.conflicts()}  # still open

    good = CliRunner().invoke(cli.main, [*args[:-1], '"1983-04-05"'])
    assert good.exit_code == 0, good.output
    assert machine.sync()["quarantined"] == 0
    assert person_in(machine.workspace, person_id).birth_date == date(1983, 4, 5)


@pytest.mark.parametrize("bad", ["1990-13-45", "9999-01-01", 5])
def test_a_laptop_refuses_to_settle_a_conflict_with_a_bad_value(
    hq: HQ, laptop: MakeLaptop, bad: object
) -> None:
    machine, person_id, conflict_id = _birth_date_conflict(hq, laptop)
    manager = machine.login("manager.ryd")
    before = person_in(machine.workspace, person_id).birth_date
    with pytest.raises(ValidationError) as refused:
        with machine.workspace.transaction() as session:
            resolve_conflict(session, manager, conflict_id, bad)
    assert refused.value.field == "birth_date"
    assert "birth_date" in refused.value.text("en")
    assert person_in(machine.workspace, person_id).birth_date == before
    with machine.workspace.db.session() as session:
        assert session.get(SyncConflict, conflict_id).status == "open"  # type: ignore[union-attr]

    with machine.workspace.transaction() as session:
        resolve_conflict(session, manager, conflict_id, "1983-04-05")
    assert person_in(machine.workspace, person_id).birth_date == date(1983, 4, 5)
