"""Pushes at HQ at the same moment: each is merged outside HQ's write lock and only checked,
numbered and written holding it (`sync/server/push.py`).

Against a real server on PostgreSQL (two worker processes, each serving requests from a thread
pool), laptops of three branches push batches that write the same records, the same national
IDs and the same person's primary phone, while a laptop of each branch pulls its feed all the
time. No puller ever meets a number at or below its cursor, each ends holding exactly the feed
HQ holds for its branch, and HQ's answers and records are those of the same pushes sent one at
a time, in the order HQ numbered them.

In process, on SQLite and PostgreSQL, a push whose records another push or HQ itself changes
while it is being merged is merged again holding the lock, and ends as if it had come second.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
import sqlalchemy as sa

from db.hlc import HybridClock
from db.ids import new_id
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, decode_push, encode
from sync.server import push as push_module
from sync.server.hub import DeviceAuth, Hub
from sync.server.migrate import upgrade
from sync.server.schema import (
    hq_change,
    hq_duplicate,
    hq_meta,
    hq_person_key,
    hq_quarantine,
    hq_row,
    metadata,
)
from sync.server.store import HQ_CLOCK_KEY, HQ_DEVICE_KEY
from tests.helpers.postgres import postgres_schema
from tests.sync.conftest import make_hub
from tests.sync.helpers import HQProcess, postgres_url

CODES = ("RYD", "JED", "DMM")
PUSHERS_PER_BRANCH = 3
ROUNDS = 8
NEW_PER_PUSH = 15  # people only this push writes: each push is numbered, and takes a while
SHARED_PEOPLE = 5  # records every laptop writes (the first branch to create one owns it)
SHARED_NUMBERS = 4  # national IDs every laptop gives people
# What laptops send as the time of a change: HQ's own times are told apart by it.
LAPTOP_TIME = "2020-01-01T00:00:00+00:00"
LAPTOP_WALL_MS = 1_577_836_800_000  # that time, as the laptops' clocks read it


# --- what laptops send ------------------------------------------------------------------------


def _clock(device_id: str) -> HybridClock:
    """A laptop clock of the test's own time line (long before HQ's), so which write is the
    later one never depends on when the test runs."""
    ticks = iter(range(LAPTOP_WALL_MS, LAPTOP_WALL_MS + 10_000_000, 7))
    return HybridClock(device_id, now_ms=lambda: next(ticks))


def _person(rng: random.Random, numbers: list[str]) -> dict[str, Any]:
    return {
        "first_name": rng.choice(("سارة", "نورة", "هيفاء")),
        "family_name": rng.choice(("القحطاني", "الدوسري")),
        "national_id": rng.choice(numbers),
        "city": rng.choice(("الرياض", "جدة", "الدمام")),
        "district": "النسيم",
        "created_at": LAPTOP_TIME,
        "updated_at": LAPTOP_TIME,
        "deleted_at": None,
    }


def _change(
    s: int, table: str, row: str, op: str, values: dict[str, Any], clock: HybridClock
) -> dict[str, Any]:
    stamp = clock.now()
    values = {**values, "hlc": stamp, "updated_at": LAPTOP_TIME}
    if op == "i":
        values = {**values, "id": row, "origin_device_id": clock.device_id}
    return {"s": s, "t": table, "r": row, "o": op, "c": values, "b": {}, "h": stamp}


def batches(device_id: str, number: int, shared: list[str]) -> list[list[dict[str, Any]]]:
    """A laptop's pushes, made up front: new people of its own in each, then by turns writes
    of the shared people (inserts, edits, deletes, new primary phones) or the same of its own
    people only. Edits are based on nothing: each conflicts with the value it meets."""
    rng = random.Random(number)
    clock = _clock(device_id)
    numbers = [f"1{n:09d}" for n in range(SHARED_NUMBERS)]
    seq = 1
    made = []
    mine: list[str] = []
    for round_ in range(ROUNDS):
        changes = []
        for _ in range(NEW_PER_PUSH):
            person = new_id()
            changes.append(_change(seq, "beneficiary", person, "i", _person(rng, numbers), clock))
            mine.append(person)
            seq += 1
        # Odd rounds touch only the laptop's own people: another push rarely changes what
        # they read, so they are written as merged outside the lock.
        people = shared if round_ % 2 == 0 else mine
        if people is shared:
            for _ in range(2):
                values = _person(rng, numbers)
                changes.append(_change(seq, "beneficiary", rng.choice(shared), "i", values, clock))
                seq += 1
        edit = {"city": rng.choice(("مكة", "أبها", "تبوك")), "notes": f"{number}-{seq}"}
        changes.append(_change(seq, "beneficiary", rng.choice(people), "u", edit, clock))
        seq += 1
        for _ in range(2):
            phone = {
                "beneficiary_id": rng.choice(people[:3]),
                "number": f"+9665{rng.randrange(10**8):08d}",
                "is_primary": True,
                "created_at": LAPTOP_TIME,
                "deleted_at": None,
            }
            changes.append(_change(seq, "beneficiary_phone", new_id(), "i", phone, clock))
            seq += 1
        if rng.random() < 0.2:
            gone = {"deleted_at": LAPTOP_TIME}
            changes.append(_change(seq, "beneficiary", rng.choice(people), "d", gone, clock))
            seq += 1
        made.append(changes)
    return made


# --- HQ's state, comparable between two HQs -------------------------------------------------


def state(engine: sa.Engine) -> dict[str, Any]:
    """What HQ holds that pushes make: the feed, records, quarantine and people's cases. HQ's
    id, clock stamps and times (which differ from run to run) are masked; a conflict record's
    id is named by the sequence that made it."""
    with engine.connect() as connection:
        hq = connection.execute(
            sa.select(hq_meta.c.value).where(hq_meta.c.key == HQ_DEVICE_KEY)
        ).scalar_one()
        rows = connection.execute(sa.select(hq_row)).all()
        changes = connection.execute(sa.select(hq_change).order_by(hq_change.c.seq)).all()
        quarantined = connection.execute(sa.select(hq_quarantine)).all()
        keys = connection.execute(sa.select(hq_person_key)).all()
        cases = connection.execute(sa.select(hq_duplicate)).all()
    conflicts = {
        r.row_id: f"conflict@{min(r.versions.values())}"
        for r in rows
        if r.table_name == "sync_conflict"
    }
    stamp = re.compile(rf"^\d{{16}}-\d{{5}}-{re.escape(hq)}$")

    def masked(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: masked(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [masked(v) for v in value]
        if isinstance(value, str):
            if stamp.match(value):
                return "hq-stamp"
            if value == hq:
                return "hq"
            if key in ("created_at", "updated_at") and value != LAPTOP_TIME:
                return "hq-time"
            return conflicts.get(value, value)
        return value

    return {
        "changes": [
            masked(
                {
                    "seq": c.seq,
                    "device": c.device_id,
                    "device_seq": c.device_seq,
                    "table": c.table_name,
                    "row": c.row_id,
                    "scope": c.scope,
                    "data": c.data,
                    "hlc": c.hlc,
                    "won": c.won,
                    "echo": c.echo,
                    "digest": c.digest,
                }
            )
            for c in changes
        ],
        "rows": sorted(
            json.dumps(masked([r.table_name, r.row_id, r.scope, r.data, r.versions])) for r in rows
        ),
        "quarantined": sorted(
            (q.device_id, q.device_seq, q.table_name, q.row_id, q.reason, q.digest)
            for q in quarantined
        ),
        "person_keys": sorted((k.national_id, k.row_id, k.scope) for k in keys),
        "cases": sorted((c.national_id, json.dumps(sorted(c.row_ids)), c.status) for c in cases),
    }


def assert_hq_stamps_rise(engine: sa.Engine) -> None:
    """HQ's own stamps rise with its sequence, its clock is at the last of them or later, and
    every record HQ stamped carries a stamp of its feed."""
    with engine.connect() as connection:
        meta = {k: v for k, v in connection.execute(sa.select(hq_meta.c.key, hq_meta.c.value))}
        hq = meta[HQ_DEVICE_KEY]
        stamps = list(
            connection.execute(
                sa.select(hq_change.c.hlc)
                .where(hq_change.c.device_id == hq)
                .order_by(hq_change.c.seq)
            ).scalars()
        )
        held = [r.data.get("hlc") for r in connection.execute(sa.select(hq_row.c.data))]
    assert stamps and all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    assert meta[HQ_CLOCK_KEY] >= stamps[-1]
    assert {h for h in held if isinstance(h, str) and h.endswith(hq)} <= set(stamps)


def copy_schema(source: sa.Engine, target: sa.Engine) -> None:
    """Copy every HQ table of `source` into `target` (both migrated, in one database), with
    the sequences of generated ids moved past the copied rows."""
    with source.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    with target.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.exec_driver_sql(f"DELETE FROM {table.name}")  # what migrations wrote
        for table in metadata.sorted_tables:
            connection.exec_driver_sql(
                f"INSERT INTO {table.name} SELECT * FROM {schema}.{table.name}"
            )
            for column in table.primary_key.columns:
                sequence = connection.exec_driver_sql(
                    f"SELECT pg_get_serial_sequence('{table.name}', '{column.name}')"
                ).scalar()
                if sequence is not None:
                    connection.exec_driver_sql(
                        f"SELECT setval('{sequence}', COALESCE((SELECT max({column.name}) "
                        f"FROM {table.name}), 0) + 1, false)"
                    )


# --- the real server ------------------------------------------------------------------------


@dataclass
class Server(HQProcess):
    """`romah-hq serve` with two worker processes."""

    def command(self, *args: str) -> list[str]:
        if args and args[0] == "serve":
            args = (*args, "--workers", "2")
        return super().command(*args)


@dataclass
class Laptop:
    device_id: str
    branch_id: str
    token: str

    def http(self, url: str) -> httpx.Client:
        headers = {
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            "Authorization": f"Bearer {self.device_id}.{self.token}",
        }
        return httpx.Client(base_url=url, headers=headers, timeout=60)


@dataclass
class Pushed:
    laptop: Laptop
    body: bytes
    results: list[dict[str, Any]]

    @property
    def first(self) -> int:
        """The lowest sequence HQ gave this push (each push has new people of its own)."""
        return min(r["g"] for r in self.results if r.get("g") is not None)


@dataclass
class Puller:
    laptop: Laptop
    cursor: int = 0
    seen: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def pull(self, http: httpx.Client, limit: int) -> bool:
        """One page of the feed after the cursor; whether more follows."""
        answer = http.get("/v1/pull", params={"after": self.cursor, "limit": limit})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        for entry in page["entries"]:
            if entry["g"] <= self.cursor or (self.seen and entry["g"] <= self.seen[-1]):
                self.problems.append(f"met {entry['g']} after pulling up to {self.cursor}")
            self.seen.append(entry["g"])
        self.cursor = max(self.cursor, page["next"])
        return bool(page["more"])


def feed(laptop: Laptop, url: str) -> list[int]:
    """Every sequence of the laptop's feed, pulled from the start once HQ is quiet."""
    everything = Puller(laptop)
    with laptop.http(url) as http:
        while everything.pull(http, 5000):
            pass
    return everything.seen


@pytest.fixture
def society(tmp_path: Path) -> Iterator[tuple[Server, sa.Engine, list[Laptop], list[Laptop]]]:
    """A real server over PostgreSQL with three branches, pushing and pulling laptops, and a
    second database holding HQ as it was before any push."""
    with postgres_url() as url, postgres_schema() as replay:
        server = Server(tmp_path / "hq", url)
        pushers, pullers = [], []
        for code in CODES:
            branch_id = server.hub.add_branch(code, f"فرع {code}", "+966112345678")
            for n in range(PUSHERS_PER_BRANCH + 1):
                device_id = new_id()
                token, _ = server.hub.enrol(
                    server.hub.new_enrolment_code(code),
                    device_id,
                    f"{code} {n}",
                    f"{code}{n}",
                    code,
                )
                laptop = Laptop(device_id, branch_id, token)
                (pushers if n < PUSHERS_PER_BRANCH else pullers).append(laptop)
        upgrade(replay)
        copy_schema(server.hub.engine, replay)
        server.start()
        try:
            yield server, replay, pushers, pullers
        finally:
            server.close()
            server.hub.engine.dispose()


@pytest.mark.postgres
def test_concurrent_pushes_keep_the_feed_in_order_and_equal_one_at_a_time(
    society: tuple[Server, sa.Engine, list[Laptop], list[Laptop]],
) -> None:
    server, replay, pushers, pullers = society
    shared = [new_id() for _ in range(SHARED_PEOPLE)]
    planned = {p.device_id: batches(p.device_id, n, shared) for n, p in enumerate(pushers)}
    pushed: list[Pushed] = []
    errors: list[str] = []
    start = threading.Barrier(len(pushers) + len(pullers))
    pushing = threading.Event()
    pushing.set()
    done = threading.Lock()

    def push_all(laptop: Laptop) -> None:
        with laptop.http(server.url) as http:
            start.wait()
            for changes in planned[laptop.device_id]:
                body, headers = encode({"changes": changes})
                answer = http.post("/v1/push", content=body, headers=headers)
                with done:
                    if answer.status_code != 200:
                        errors.append(f"{answer.status_code}: {answer.text[:300]}")
                        continue
                    sent = json.dumps({"changes": changes}).encode()
                    pushed.append(Pushed(laptop, sent, answer.json()["results"]))

    def pull_all(puller: Puller) -> None:
        with puller.laptop.http(server.url) as http:
            start.wait()
            while pushing.is_set():
                puller.pull(http, 7)
            while puller.pull(http, 7):
                pass

    watchers = [Puller(laptop) for laptop in pullers]
    threads = [threading.Thread(target=push_all, args=(p,)) for p in pushers]
    readers = [threading.Thread(target=pull_all, args=(w,)) for w in watchers]
    for thread in threads + readers:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    pushing.clear()
    for thread in readers:
        thread.join(timeout=300)

    assert errors == []
    assert len(pushed) == len(pushers) * ROUNDS
    for watcher in watchers:
        assert watcher.problems == []
        # Nothing was skipped: what it pulled on the way is the whole feed of its branch.
        assert watcher.seen == feed(watcher.laptop, server.url)
        assert len(watcher.seen) > len(pushers) * ROUNDS  # it saw its branch's work

    # The same pushes, one at a time, in the order HQ numbered them, into HQ as it was.
    hub = Hub(replay)
    for one in sorted(pushed, key=lambda p: p.first):
        auth = DeviceAuth(one.laptop.device_id, one.laptop.branch_id)
        results = [msgspec.to_builtins(r) for r in hub.push(auth, decode_push(one.body))]
        assert results == one.results
    expected, found = state(replay), state(server.hub.engine)
    assert found["changes"] == expected["changes"]
    assert found == expected
    assert_hq_stamps_rise(server.hub.engine)
    # The work met every rule it was meant to: refusals, conflicts, one primary phone, cases.
    assert found["quarantined"] and found["cases"]
    made = [c for c in found["changes"] if c["table"] == "sync_conflict"]
    assert {c["data"]["kind"] for c in made} >= {"field", "one_of"}


# --- in process: a push merged while another lands ---------------------------------------------

ONE = "01900000-0000-7000-8000-00000000a001"
TWO = "01900000-0000-7000-8000-00000000b002"
P1, P2 = (f"01900000-0000-7000-8000-0000000000{n:02d}" for n in (1, 2))
PHONE1, PHONE2 = (f"01900000-0000-7000-8000-0000000000f{n}" for n in (1, 2))


def _body(*changes: dict[str, Any]) -> Any:
    return decode_push(json.dumps({"changes": list(changes)}, ensure_ascii=False).encode())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_hqs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Hub, Hub]]:
    """Two HQs on the same kind of database, each with branch RYD and laptops ONE and TWO,
    and person P1 from ONE."""
    if request.param == "sqlite":
        hubs = [make_hub(f"sqlite+pysqlite:///{tmp_path / f'hq{n}.sqlite3'}") for n in (1, 2)]
        yield tuple(_prepared(h) for h in hubs)  # type: ignore[misc]
        for hub in hubs:
            hub.engine.dispose()
        return
    with postgres_schema() as first, postgres_schema() as second:
        for engine in (first, second):
            upgrade(engine)
        yield _prepared(Hub(first)), _prepared(Hub(second))


def _prepared(hub: Hub) -> Hub:
    hub.add_branch("RYD", "فرع الرياض", "+966112345678")
    for device, prefix in ((ONE, "ONE"), (TWO, "TWO")):
        hub.enrol(hub.new_enrolment_code("RYD"), device, prefix.lower(), prefix, "RYD")
    clock = _clock(ONE)
    made = hub.push(_auth(hub, ONE), _body(_change(1, "beneficiary", P1, "i", _new(), clock)))
    assert made[0].q is None, made
    return hub


def _new() -> dict[str, Any]:
    return _person(random.Random(1), ["1000000001"])


def _auth(hub: Hub, device: str) -> DeviceAuth:
    with hub.engine.connect() as connection:
        branch = connection.execute(
            sa.select(hq_row.c.row_id).where(hq_row.c.table_name == "branch")
        ).scalar_one()
    return DeviceAuth(device, branch)


def _phone(s: int, row: str, clock: HybridClock) -> dict[str, Any]:
    values = {"beneficiary_id": P1, "number": f"+96650000000{s}", "is_primary": True}
    return _change(s, "beneficiary_phone", row, "i", values, clock)


Interloper = Callable[[Hub], None]


def _edit_by_two(hub: Hub) -> None:
    change = _change(1, "beneficiary", P1, "u", {"city": "تبوك"}, _clock(TWO))
    hub.push(_auth(hub, TWO), _body(change))


def _phone_by_two(hub: Hub) -> None:
    hub.push(_auth(hub, TWO), _body(_phone(1, PHONE2, _clock(TWO))))


def _edit_at_hq(hub: Hub) -> None:
    with hub.writing() as connection:
        hub.write_as_hq(
            connection, "beneficiary", P1, {"notes": "من المقر"}, _auth(hub, ONE).branch_id
        )


def _other_person(hub: Hub) -> None:
    change = _change(1, "beneficiary", P2, "i", _new(), _clock(TWO))
    hub.push(_auth(hub, TWO), _body(change))


@pytest.mark.parametrize(
    "interloper",
    [_edit_by_two, _phone_by_two, _edit_at_hq, _other_person],
    ids=lambda f: f.__name__,
)
def test_a_push_merged_while_another_lands_ends_as_if_it_came_second(
    two_hqs: tuple[Hub, Hub], interloper: Interloper, monkeypatch: pytest.MonkeyPatch
) -> None:
    raced, serial = two_hqs
    clock = _clock(ONE)
    for _ in range(5):
        clock.now()  # after the person's creation
    ours = [
        _change(2, "beneficiary", P1, "u", {"city": "جدة", "notes": "من الفرع"}, clock),
        _phone(3, PHONE1, clock),
    ]
    drafts = push_module._draft
    landed: list[bool] = []

    def draft_then_interloper(*args: Any, **kwargs: Any) -> Any:
        made = drafts(*args, **kwargs)
        if not landed:
            landed.append(True)
            interloper(raced)
        return made

    merges = push_module._merge_batch
    again: list[bool] = []

    def merged_again(*args: Any, **kwargs: Any) -> Any:
        again.append(True)
        return merges(*args, **kwargs)

    monkeypatch.setattr(push_module, "_draft", draft_then_interloper)
    monkeypatch.setattr(push_module, "_merge_batch", merged_again)
    got = raced.push(_auth(raced, ONE), _body(*ours))
    monkeypatch.undo()
    assert landed == [True]
    # Merged again holding the lock when what it read changed; else numbered after the other.
    assert again == ([] if interloper is _other_person else [True])
    interloper(serial)
    wanted = serial.push(_auth(serial, ONE), _body(*ours))
    assert got == wanted
    assert _comparable(raced) == _comparable(serial)
    assert_hq_stamps_rise(raced.engine)


def _comparable(hub: Hub) -> dict[str, Any]:
    """`state` without what differs between two HQs set up alike (HQ's and the branch's ids)."""
    found = state(hub.engine)
    branch = _auth(hub, ONE).branch_id
    text = json.dumps(found, sort_keys=True, default=str).replace(branch, "branch")
    return dict(json.loads(text))
