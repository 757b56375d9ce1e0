"""The sync problems of a branch, each against a real HQ server process (`romah-hq serve` on
127.0.0.1, over HTTP), on SQLite and PostgreSQL: a device token writes nothing its users may
not (2), one bad value stops no one (3), bad requests and values are refused with a reason
(7), and the outbox leaves the laptop once HQ's verified backup holds it (9)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.models import Beneficiary, OutboxEntry, ReferenceDocument, SyncConflict, User
from romah_desktop.errors import ValidationError
from romah_desktop.services.conflicts import resolve_conflict
from romah_desktop.services.users import user_credentials
from sync.protocol import OFFSET_HEADER, TOTAL_HEADER
from sync.server.schema import hq_change, hq_quarantine, hq_row
from tests.sync import test_processes
from tests.sync.helpers import (
    PASSWORD,
    RAW_DEVICE,
    ROOT,
    HQProcess,
    actor_of,
    edit_person,
    feed_text,
    push_raw,
    raw_device,
    raw_stamp,
    register_person,
    stored_counts,
)
from tests.sync.test_processes import Machine

# The real HQ server process and its laptops, on SQLite and PostgreSQL.
backend, hq_server, machine = (
    test_processes.backend,
    test_processes.hq_server,
    test_processes.machine,
)
MakeMachine = Callable[..., Machine]
CLERK = "clerk.ryd"


# -- a raw device: a Riyadh laptop's token and nothing else, pushing what it likes ----------


# -- what HQ holds ----------------------------------------------------------------------------


def _reasons(hq: HQProcess) -> list[str]:
    with hq.hub.engine.connect() as connection:
        return list(connection.execute(sa.select(hq_quarantine.c.reason)).scalars())


def _in_feed(hq: HQProcess, row_id: str) -> bool:
    with hq.hub.engine.connect() as connection:
        count = connection.execute(
            sa.select(sa.func.count()).where(hq_change.c.row_id == row_id)
        ).scalar_one()
    return int(count) > 0


def _hq_row(hq: HQProcess, table: str, row_id: str) -> Any:
    with hq.hub.engine.connect() as connection:
        return connection.execute(
            sa.select(hq_row.c.data, hq_row.c.versions).where(
                hq_row.c.table_name == table, hq_row.c.row_id == row_id
            )
        ).one_or_none()


def _user_id(hq: HQProcess, username: str) -> str:
    with hq.hub.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "user_account")
        ).all()
    return str(next(r.row_id for r in rows if r.data.get("username") == username))


def _hq_cli(hq: HQProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """`romah-hq ARGS` over the server's database, as an administrator types it."""
    return subprocess.run(
        hq.command(*args), capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
    )


# -- laptops ----------------------------------------------------------------------------------


def _birth_date(laptop: Machine, person_id: str) -> date | None:
    with laptop.workspace.db.session() as session:
        person = session.get(Beneficiary, person_id)
        assert person is not None
        return person.birth_date


def _birth_date_conflict(hq: HQProcess, machine: MakeMachine) -> tuple[Machine, Machine, str]:
    """Two Riyadh laptops change one person's birth date: (one, two, the person's id); HQ
    and laptop two hold the conflict."""
    one, two = machine("one"), machine("two")
    person_id = register_person(one.workspace, birth_date="1980-02-03")
    one.client.sync(), two.client.sync()
    edit_person(one.workspace, person_id, birth_date="1981-01-01")
    edit_person(two.workspace, person_id, birth_date="1982-01-01")
    one.client.sync(), two.client.sync(), one.client.sync()
    return one, two, person_id


# -- problem 2: a device writes what its users may not ----------------------------------------


def test_a_device_token_makes_no_administrator_and_no_reference_document(
    hq_server: HQProcess, machine: MakeMachine
) -> None:
    manager = _user_id(hq_server, "manager.ryd")
    user_id = "01900000-0000-7000-8000-0000000000a1"
    document = "01900000-0000-7000-8000-0000000000d1"
    times = {"created_at": "2026-12-01T10:00:00+00:00", "updated_at": "2026-12-01T10:00:00+00:00"}
    admin = {
        "username": "intruder",
        "full_name": "متسلل",
        "role": "hq_admin",
        "branch_id": hq_server.hub.branch_id("RYD"),
        "active": True,
        "deleted_at": None,
        "origin_device_id": RAW_DEVICE,
        "hlc": raw_stamp(),
        **times,
        **user_credentials(PASSWORD).values(),
    }
    policy = {
        "kind": "bylaws",
        "title": "سياسة مزورة",
        "version": "9",
        "approved_on": None,
        "review_due_on": None,
        "body": "نص",
        "attachment_sha256": None,
        "deleted_at": None,
        "origin_device_id": RAW_DEVICE,
        "hlc": raw_stamp(),
        **times,
    }
    with httpx.Client(base_url=hq_server.url, timeout=30) as http:
        raw = raw_device(http, hq_server.hub)
        changes: list[dict[str, Any]] = [
            {"s": 1, "t": "user_account", "r": user_id, "c": admin, "u": manager},
            {"s": 2, "t": "reference_document", "r": document, "c": policy},
            {"s": 3, "t": "reference_document", "r": document, "c": policy, "u": manager},
        ]
        results = push_raw(http, raw, *({**c, "o": "i", "h": raw_stamp()} for c in changes))
    for result in results:
        assert result.get("g") is None and result.get("q"), result
        assert any(w in result["q"] for w in ("must name", "may not")), result
    assert len(_reasons(hq_server)) == 3
    assert _hq_row(hq_server, "user_account", user_id) is None
    assert _hq_row(hq_server, "reference_document", document) is None
    assert not _in_feed(hq_server, user_id) and not _in_feed(hq_server, document)

    for laptop in (machine("ryd-new"), machine("jed-new", branch="JED")):
        laptop.client.sync()
        with laptop.workspace.db.session() as session:
            users = set(session.scalars(sa.select(User.username)))
            assert "intruder" not in users and session.get(ReferenceDocument, document) is None
        assert "manager.ryd" in users or "manager.jed" in users  # the sync did bring users


# -- problem 3: one bad value stops a branch --------------------------------------------------


def test_a_bad_value_is_quarantined_the_branch_syncs_on_and_hq_settles_no_bad_value(
    hq_server: HQProcess, machine: MakeMachine
) -> None:
    one, two, person_id = _birth_date_conflict(hq_server, machine)
    data, versions = _hq_row(hq_server, "beneficiary", person_id)
    kept = data["birth_date"]
    change = {
        "s": 1,
        "t": "beneficiary",
        "r": person_id,
        "o": "u",
        "c": {"birth_date": "not-a-date"},
        "b": {"birth_date": versions["birth_date"], "*": max(versions.values())},
        "h": raw_stamp(),
    }
    with httpx.Client(base_url=hq_server.url, timeout=30) as http:
        (result,) = push_raw(http, raw_device(http, hq_server.hub), change)
    assert "birth_date" in result.get("q", ""), result
    assert any("not-a-date" in r for r in _reasons(hq_server))
    assert "not-a-date" not in feed_text(hq_server.hub.engine)

    newcomer = machine("three")
    for laptop in (one, two, newcomer):
        assert laptop.client.sync().quarantined == 0
        assert _birth_date(laptop, person_id) == date.fromisoformat(kept)

    (conflict,) = [c for c in hq_server.hub.conflicts() if c["field"] == "birth_date"]
    feed = feed_text(hq_server.hub.engine)
    done = _hq_cli(
        hq_server, "conflicts", "resolve", str(conflict["id"]), "--value", '"1990-13-45"'
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "birth_date" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert feed_text(hq_server.hub.engine) == feed and "1990-13-45" not in feed
    assert conflict["id"] in {c["id"] for c in hq_server.hub.conflicts()}  # still open

    good = _hq_cli(
        hq_server, "conflicts", "resolve", str(conflict["id"]), "--value", '"1983-04-05"'
    )
    assert good.returncode == 0, good.stderr
    assert two.client.sync().quarantined == 0
    assert _birth_date(two, person_id) == date(1983, 4, 5)


# -- problem 7: bad requests and values are refused with a reason -----------------------------


def test_huge_numbers_huge_files_and_nul_characters_are_refused_with_a_reason(
    hq_server: HQProcess, machine: MakeMachine
) -> None:
    person = "01900000-0000-7000-8000-000000000001"
    with httpx.Client(base_url=hq_server.url, timeout=30) as http:
        raw = raw_device(http, hq_server.hub)
        before = stored_counts(hq_server.hub.engine)
        beyond = {"s": 2**63, "t": "beneficiary", "r": person, "o": "i", "h": raw_stamp()}
        beyond["c"] = {"first_name": "سارة"}
        answer = http.post("/v1/push", content=json.dumps({"changes": [beyond]}), headers=raw)
        assert answer.status_code == 422, answer.text
        assert answer.json()["reason"].strip()
        assert stored_counts(hq_server.hub.engine) == before

        scan = b"a scanned national ID card" * 1000
        sha = hashlib.sha256(scan).hexdigest()
        headers = {**raw, OFFSET_HEADER: "0", TOTAL_HEADER: str(10**12)}
        answer = http.put(f"/v1/blobs/{sha}", content=scan, headers=headers)
        assert answer.status_code == 413, answer.text
        assert "MB" in answer.json()["reason"]
        blobs = hq_server.data_dir / "blobs"
        assert not [p for p in blobs.rglob("*") if p.is_file()], list(blobs.rglob("*"))

        nul = {"s": 3, "t": "beneficiary", "r": person, "o": "i", "h": raw_stamp()}
        nul["c"] = {"first_name": "سا\x00رة"}
        (result,) = push_raw(http, raw, nul)
    assert "NUL" in result.get("q", ""), result
    assert _hq_row(hq_server, "beneficiary", person) is None
    assert "\x00" not in feed_text(hq_server.hub.engine)

    _, two, person_id = _birth_date_conflict(hq_server, machine)
    with two.workspace.db.session() as session:
        (conflict_id,) = session.scalars(
            sa.select(SyncConflict.id).where(SyncConflict.field == "birth_date")
        ).all()
    was = _birth_date(two, person_id)
    manager = actor_of(two.workspace, "manager.ryd")
    with pytest.raises(ValidationError) as refused:
        with two.workspace.transaction() as session:
            resolve_conflict(session, manager, conflict_id, "9999-01-01")
    assert refused.value.field == "birth_date"
    assert _birth_date(two, person_id) == was
    with two.workspace.db.session() as session:
        assert session.get(SyncConflict, conflict_id).status == "open"  # type: ignore[union-attr]


# -- problem 9: the outbox is pruned ----------------------------------------------------------


def _outbox(laptop: Machine) -> list[tuple[int, bool]]:
    """(sequence, pushed) of the laptop's outbox entries."""
    with laptop.engine.connect() as connection:
        rows = connection.execute(
            sa.select(OutboxEntry.seq, OutboxEntry.pushed_at).order_by(OutboxEntry.seq)
        ).all()
    return [(seq, pushed_at is not None) for seq, pushed_at in rows]


def test_the_outbox_leaves_the_laptop_once_hqs_verified_backup_holds_it(
    hq_server: HQProcess, machine: MakeMachine
) -> None:
    one = machine("one")
    people = [register_person(one.workspace) for _ in range(3)]
    one.client.sync()
    entries = _outbox(one)
    assert len(entries) > 3 and all(pushed for _, pushed in entries)
    # As if the sync had been a minute ago (HQ's age of its backup is rounded up to a second).
    with one.engine.begin() as connection:
        connection.execute(sa.update(OutboxEntry).values(pushed_at=utcnow() - timedelta(minutes=1)))

    done = _hq_cli(hq_server, "backup-verified")
    assert done.returncode == 0, done.stderr
    one.client.sync()
    assert _outbox(one) == [entries[-1]], "the pushed entries stayed (or the newest went)"

    # A later change still travels, numbered above everything HQ holds of this laptop.
    edit_person(one.workspace, people[0], city="الدمام")
    assert one.client.sync().pushed > 0
    assert min(seq for seq, _ in _outbox(one)) >= entries[-1][0]
    two = machine("two")
    two.client.sync()
    with two.workspace.db.session() as session:
        found = {p.id: p.city for p in session.scalars(sa.select(Beneficiary))}
    assert set(people) <= set(found) and found[people[0]] == "الدمام"
