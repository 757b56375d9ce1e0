"""`python -m bench.sync_bench [--record] [--quick]`: sync with HQ (issue 5, Performance).

Measures, on laptops that are real SQLite database files and HQ as a real `romah-hq serve`
process on 127.0.0.1 (SQLite in its data folder, or PostgreSQL where said):

1. push 50,000 beneficiaries (each with a mobile number) from one laptop to HQ, once to each
   of three new HQs — target median ≤ 2.05 s (5× faster than PouchDB's 10.25 s, issue 13);
2. pull them, indexed for search, on each of three new laptops of the branch — target median
   ≤ 2.2 s (5× faster than PouchDB's 10.9 s on this machine, issue 13);
3. an incremental sync of 100 changed people over the real loopback socket: the push from one
   laptop and the pull on another — p95 ≤ 20 ms each; and the same in process (HQ's FastAPI
   app through its test client, so the HTTP layer, validation and compression are all
   exercised) — p95 ≤ 25 ms;
4. a sync with nothing to do, on laptops holding 10,000, 50,000 and 200,000 people, over the
   real loopback socket — p95 ≤ 3 ms — and in process — p95 ≤ 5 ms;
5. bytes on the wire for a one-field change, HTTP headers included, counted by a transport
   wrapper around the real connection to the server process — target ≤ 400;
6. 50 simulated devices syncing at once against HQ on PostgreSQL (127.0.0.1:5432, database
   `test`, a fresh schema dropped afterwards) with several uvicorn workers — ≥ 2,000 changes
   applied per second, p95 push ≤ 250 ms, zero errors.

The laptops' records are made with bulk ORM inserts (so the outbox holds one insert per
beneficiary and per phone, exactly as if typed), not through the slower demo generator: the
benchmark is about sync, not about the variety of the demo data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench.report import environment, record, table
from bench.stats import Measure, format_seconds, repeat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
ROMAH_HQ = Path(sys.executable).with_name("romah-hq")
POSTGRES_URL = os.environ.get(
    "ROMAH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "bench-sync-password"
BRANCH = "RYD"

BULK_PEOPLE = 50_000
# 5× faster than PouchDB pushing the same 50,000 people (10.25 s, issue 13), as the median of
# as many pushes, each from a new laptop to a new HQ.
BULK_TARGET_S = 2.05
PUSH_RUNS = 3
INCREMENTAL_CHANGES = 100
INCREMENTAL_TARGET_S = 0.025
NOOP_TARGET_S = 0.005
# Over the real loopback socket to the server process (issue 13).
INCREMENTAL_PUSH_TARGET_S = 0.020
NOOP_LOOPBACK_TARGET_S = 0.003
NOOP_SIZES = (10_000, 200_000)
# The pull: 5× faster than PouchDB replicating the same 50,000 people (10.9 s, issue 13), as
# the median of as many new laptops; 100 changes pulled over a real socket.
PULL_TARGET_S = 2.2
PULL_RUNS = 3
INCREMENTAL_PULL_TARGET_S = 0.020
WIRE_TARGET_BYTES = 400
DEVICES = 50
DEVICE_RATE_TARGET = 2000
DEVICE_PUSH_P95_S = 0.250


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, no 200,000-person laptop"
    )
    parser.add_argument("--record", action="store_true", help="append the results to RESULTS.md")
    parser.add_argument("--workers", type=int, default=4, help="uvicorn workers for case 6")
    parser.add_argument(
        "--only",
        choices=("laptops", "devices"),
        action="append",
        help="run only these measures (repeatable)",
    )
    return parser.parse_args(argv)


# --- HQ -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_hq(url: str, laptops: int) -> dict[str, list[str]]:
    """HQ's branches RYD (the bulk laptops) and JED (a smaller one), a manager in each, and
    `laptops` enrolment codes per branch."""
    from romah_desktop.services.users import user_credentials
    from sync.server.cli import open_hub

    hub = open_hub(url)
    hashed = user_credentials(PASSWORD)
    codes: dict[str, list[str]] = {}
    try:
        for code, name in ((BRANCH, "فرع الرياض"), ("JED", "فرع جدة")):
            hub.add_branch(code, name, "+966112345678")
            hub.add_user(f"manager.{code.lower()}", f"مدير {name}", "branch_manager", code, hashed)
            codes[code] = [hub.new_enrolment_code(code) for _ in range(laptops)]
        return codes
    finally:
        hub.engine.dispose()


def hq_command() -> list[str]:
    """The `romah-hq` console script, or the same entry point when it is not installed yet."""
    if ROMAH_HQ.exists():
        return [str(ROMAH_HQ)]
    return [sys.executable, "-c", "from sync.server.cli import main; main()"]


@contextmanager
def hq_server(data_dir: Path, url: str | None = None, workers: int = 1) -> Iterator[str]:
    """`romah-hq serve` as its own process; yields its address once it answers."""
    with app_server(data_dir, url, workers) as (address, _pid):
        yield address


@contextmanager
def app_server(
    data_dir: Path, url: str | None = None, workers: int = 1
) -> Iterator[tuple[str, int]]:
    """`romah-hq serve` as its own process; yields its address and process id once it
    answers."""
    port = free_port()
    command = hq_command() + ["--data-dir", str(data_dir)]
    if url:
        command += ["--db", url]
    command += ["serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(address + "/v1/info", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                error = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"romah-hq did not start: {error[-2000:]}")
            time.sleep(0.1)
        yield address, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- laptops --------------------------------------------------------------------------------


@dataclass
class Laptop:
    workspace: Any
    client: Any  # SyncClient

    def close(self) -> None:
        self.client.close()
        self.workspace.close()


def enrol_laptop(folder: Path, server: str, code: str, http: httpx.Client | None = None) -> Laptop:
    from sync.client import SyncClient
    from sync.enrolment import enrol

    workspace = enrol(folder, server, code, folder.name, client=http)
    client = SyncClient(workspace.db, workspace.attachments_dir, client=http)
    client.sync()  # the branch's users and the rest
    return Laptop(workspace, client)


def add_people(laptop: Laptop, count: int, seed: int, start: int = 0) -> dict[str, int]:
    """`count` beneficiary-shaped people with a mobile each, written through the ORM in chunks
    (so each row is stamped and recorded in the outbox as if typed); returns the outbox counts
    by table."""
    from db.enums import Gender, HousingType, IdType, MaritalStatus, RegistrationStatus
    from db.ids import new_id
    from db.models import Beneficiary, BeneficiaryPhone, OutboxEntry
    from romah_desktop.demo.vocabulary import (
        CITIES,
        FEMALE_NAMES,
        MALE_NAMES,
        SAUDI,
        SAUDI_FAMILIES,
        STREETS,
    )
    from romah_desktop.services.context import this_device

    rng = random.Random(seed)
    cities = list(CITIES)
    chunk = 5000
    with laptop.workspace.db.session() as session:
        device = this_device(session)
    for first in range(start, start + count, chunk):
        with laptop.workspace.transaction() as session:
            for n in range(first, min(first + chunk, start + count)):
                female = rng.random() < 0.62
                city = rng.choice(cities)
                district = rng.choice(CITIES[city])
                person_id = new_id()
                session.add(
                    Beneficiary(
                        id=person_id,
                        file_number=f"{device.prefix}-{n + 1:07d}",
                        branch_id=device.branch_id,
                        first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
                        father_name=rng.choice(MALE_NAMES),
                        grandfather_name=rng.choice(MALE_NAMES),
                        family_name=rng.choice(SAUDI_FAMILIES),
                        national_id=f"1{seed % 10}{n:08d}",
                        id_type=IdType.NATIONAL_ID,
                        gender=Gender.FEMALE if female else Gender.MALE,
                        birth_date=date(
                            1940 + rng.randrange(70), 1 + rng.randrange(12), 1 + rng.randrange(28)
                        ),
                        nationality=SAUDI,
                        marital_status=rng.choice(list(MaritalStatus)),
                        city=city,
                        district=district,
                        address=f"حي {district}، {rng.choice(STREETS)}، "
                        f"مبنى {rng.randint(1, 9999)}",
                        categories=["widow"] if female and rng.random() < 0.3 else [],
                        housing_type=HousingType.RENTED,
                        monthly_rent_halalas=rng.randrange(800, 4000, 50) * 100,
                        household_size=rng.randint(1, 9),
                        monthly_income_halalas=rng.randrange(0, 600_000, 100),
                        registration_status=RegistrationStatus.REGISTERED,
                        field_versions={},
                    )
                )
                session.add(
                    BeneficiaryPhone(
                        id=new_id(),
                        beneficiary_id=person_id,
                        number=f"+9665{rng.randrange(10**8):08d}",
                        is_primary=True,
                        field_versions={},
                    )
                )
    with laptop.workspace.db.engine.connect() as connection:
        rows = connection.execute(
            sa.select(OutboxEntry.table_name, sa.func.count())
            .where(OutboxEntry.pushed_at.is_(None))
            .group_by(OutboxEntry.table_name)
        ).all()
    return {name: n for name, n in rows}


def edit_people(laptop: Laptop, count: int, rng: random.Random) -> None:
    """Change one field of `count` random people in one transaction."""
    from db.models import Beneficiary

    with laptop.workspace.transaction() as session:
        ids = session.scalars(sa.select(Beneficiary.id).order_by(sa.func.random()).limit(count))
        for person_id in list(ids):
            person = session.get(Beneficiary, person_id)
            assert person is not None
            person.household_size = (person.household_size or 0) % 12 + rng.randint(1, 2)


def outbox_waiting(laptop: Laptop) -> int:
    return int(laptop.client.state().waiting)


def people_count(laptop: Laptop) -> int:
    from db.models import Beneficiary

    with laptop.workspace.db.engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(Beneficiary)).scalar_one()
        )


# --- bytes on the wire ----------------------------------------------------------------------


@dataclass
class Exchange:
    method: str
    path: str
    request_head: int
    request_body: int
    response_head: int
    response_body: int


class CountingTransport(httpx.BaseTransport):
    """Counts each exchange's bytes as they cross the socket: the HTTP/1.1 request line and
    headers as httpx writes them, the body as sent (compressed), and the response's status
    line, headers and body as received (before httpx decompresses it)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.exchanges: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        target = request.url.raw_path.decode()
        head = f"{request.method} {target} HTTP/1.1\r\n".encode() + b"".join(
            name + b": " + value + b"\r\n" for name, value in request.headers.raw
        )
        response = self.inner.handle_request(request)
        raw = b"".join(response.iter_raw())  # as sent: still compressed
        reason = response.extensions.get("reason_phrase", b"").decode()
        response_head = f"HTTP/1.1 {response.status_code} {reason}\r\n".encode() + b"".join(
            name + b": " + value + b"\r\n" for name, value in response.headers.raw
        )
        self.exchanges.append(
            Exchange(
                request.method,
                request.url.path,
                len(head) + 2,
                len(body),
                len(response_head) + 2,
                len(raw),
            )
        )
        return httpx.Response(
            response.status_code, headers=response.headers, content=raw, request=request
        )

    def close(self) -> None:
        self.inner.close()


# --- the measures ---------------------------------------------------------------------------


@dataclass
class Run:
    quick: bool
    folder: Path
    measures: list[Measure] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def bulk(run: Run, hq_dir: Path, address: str, codes: list[str]) -> tuple[Laptop, Laptop]:
    """Cases 1 and 2: 50,000 people up from one laptop and down to another, over loopback."""
    one = enrol_laptop(run.folder / "one", address, codes.pop())
    two = enrol_laptop(run.folder / "two", address, codes.pop())
    # More new laptops of the branch: the pull is the median of one pull on each.
    more = [
        enrol_laptop(run.folder / f"new{n}", address, codes.pop()) for n in range(PULL_RUNS - 1)
    ]
    started = time.perf_counter()
    counts = add_people(one, BULK_PEOPLE, seed=1)
    made = time.perf_counter() - started
    waiting = outbox_waiting(one)
    extra = waiting - counts.get("beneficiary", 0) - counts.get("beneficiary_phone", 0)
    print(f"Pushing {waiting:,} changes…", file=sys.stderr)
    pushed: list[float] = []
    started = time.perf_counter()
    report = one.client.sync()
    pushed.append(time.perf_counter() - started)
    assert report.pushed == waiting and report.quarantined == 0, report
    for n in range(2, PUSH_RUNS + 1):
        print(
            f"Pushing them again, from a new laptop to a new HQ ({n} of {PUSH_RUNS})…",
            file=sys.stderr,
        )
        pushed.append(push_to_new_hq(run.folder / f"push{n}"))
    pulled: list[float] = []
    for n, new in enumerate([two, *more], 1):
        print(f"Pulling them on another laptop ({n} of {PULL_RUNS})…", file=sys.stderr)
        started = time.perf_counter()
        received = new.client.sync()
        pulled.append(time.perf_counter() - started)
        assert people_count(new) == BULK_PEOPLE, people_count(new)
    for new in more:
        new.close()
    shape = (
        f"{counts.get('beneficiary', 0):,} beneficiary inserts + "
        f"{counts.get('beneficiary_phone', 0):,} phone inserts"
        + (f" + {extra:,} other" if extra else "")
    )
    run.measures.append(
        Measure(
            f"push {BULK_PEOPLE:,} beneficiaries to HQ over loopback",
            pushed,
            BULK_TARGET_S,
            "median",
            note=f"{shape} = {waiting:,} changes, HQ on SQLite, one process; one push on "
            f"each of {PUSH_RUNS} new HQs",
        )
    )
    run.measures.append(
        Measure(
            f"pull {BULK_PEOPLE:,} beneficiaries on a new laptop",
            pulled,
            PULL_TARGET_S,
            "median",
            note=f"{received.pulled:,} feed entries applied and the people indexed for search; "
            f"one pull on each of {PULL_RUNS} new laptops",
        )
    )
    run.facts.append(
        f"the laptop's {BULK_PEOPLE:,} people were made with bulk ORM inserts in "
        f"{format_seconds(made)} (not measured); HQ's database after the push: "
        f"{(hq_dir / 'hq.sqlite3').stat().st_size / 1e6:.0f} MB"
    )
    return one, two


def push_to_new_hq(folder: Path) -> float:
    """One more sample of the bulk push, on the same footing as the first: the same people
    from a new laptop to a new, empty HQ of its own (removed afterwards)."""
    hq_dir = folder / "hq"
    hq_dir.mkdir(parents=True)
    url = f"sqlite+pysqlite:///{hq_dir / 'hq.sqlite3'}"
    with hq_server(hq_dir) as address:
        laptop = enrol_laptop(folder / "laptop", address, prepare_hq(url, 1)[BRANCH].pop())
        try:
            add_people(laptop, BULK_PEOPLE, seed=1)
            waiting = outbox_waiting(laptop)
            started = time.perf_counter()
            report = laptop.client.sync()
            took = time.perf_counter() - started
            assert report.pushed == waiting and report.quarantined == 0, report
        finally:
            laptop.close()
    shutil.rmtree(folder, ignore_errors=True)
    return took


def incremental_rounds(
    run: Run, one: Laptop, two: Laptop, seed: int
) -> tuple[list[float], list[float]]:
    """Rounds of 100 people changed on `one`, synced up, then pulled by `two`: the seconds
    of each sync up and of each pull (the first round included)."""
    rng = random.Random(seed)
    up: list[float] = []
    down: list[float] = []
    for _ in range((10 if run.quick else 30) + 1):
        edit_people(one, INCREMENTAL_CHANGES, rng)
        started = time.perf_counter()
        report = one.client.sync()
        up.append(time.perf_counter() - started)
        assert report.pushed == INCREMENTAL_CHANGES, report
        started = time.perf_counter()
        report = two.client.sync()
        down.append(time.perf_counter() - started)
        assert report.pulled == INCREMENTAL_CHANGES, report
    return up, down


def incremental_loopback(run: Run, one: Laptop, two: Laptop) -> None:
    """Case 3 through the server process: 100 people changed on one laptop and synced up
    (the push, then the laptop's empty pull), then pulled by the other, over a real loopback
    socket."""
    up, down = incremental_rounds(run, one, two, seed=4)
    note = f"{people_count(two):,} people on each laptop; HQ as its own process; first run left out"
    run.measures.append(
        Measure(
            f"incremental push: {INCREMENTAL_CHANGES} changed people pushed over loopback",
            up[1:],
            INCREMENTAL_PUSH_TARGET_S,
            "p95",
            note=note,
        )
    )
    run.measures.append(
        Measure(
            f"incremental pull: {INCREMENTAL_CHANGES} changed people pulled over loopback",
            down[1:],
            INCREMENTAL_PULL_TARGET_S,
            "p95",
            note=note,
        )
    )


def in_process(laptop: Laptop, http: httpx.Client) -> Laptop:
    """The same laptop, syncing with HQ's application in this process."""
    from sync.client import SyncClient

    client = SyncClient(laptop.workspace.db, laptop.workspace.attachments_dir, client=http)
    return Laptop(laptop.workspace, client)


def incremental(run: Run, one: Laptop, two: Laptop) -> None:
    """Case 3: 100 people changed on one laptop, synced up, then down on the other."""
    up, down = incremental_rounds(run, one, two, seed=3)
    people = people_count(one)
    note = f"{people:,} people on each laptop; HQ through FastAPI's TestClient; first run left out"
    run.measures.append(
        Measure(
            f"incremental sync: {INCREMENTAL_CHANGES} changed people pushed (in process)",
            up[1:],
            INCREMENTAL_TARGET_S,
            "p95",
            note=note,
        )
    )
    run.measures.append(
        Measure(
            f"incremental sync: the {INCREMENTAL_CHANGES} changes pulled on another laptop "
            "(in process)",
            down[1:],
            INCREMENTAL_TARGET_S,
            "p95",
            note=note,
        )
    )


def noop(run: Run, laptop: Laptop, label: str, loopback: bool = False) -> None:
    """Case 4: a sync with nothing to push and nothing to pull, through the server process
    over loopback or with HQ's application in this process."""
    report = laptop.client.sync()
    assert report.pushed == 0, report
    samples = repeat(laptop.client.sync, 20 if run.quick else 100, warmup=2)
    where = "over loopback" if loopback else "in process"
    run.measures.append(
        Measure(
            f"sync with nothing to do, {people_count(laptop):,} people ({where})",
            samples,
            NOOP_LOOPBACK_TARGET_S if loopback else NOOP_TARGET_S,
            "p95",
            note=label,
        )
    )


def wire(run: Run, one: Laptop, two: Laptop, address: str) -> None:
    """Case 5: one field of one person changed and synced to the real server process."""
    from sync.client import SyncClient

    counting = CountingTransport()
    with httpx.Client(transport=counting, timeout=60) as http:
        client = SyncClient(one.workspace.db, one.workspace.attachments_dir, client=http)
        client.sync()
        counting.exchanges.clear()
        edit_people(one, 1, random.Random(5))
        report = client.sync()
        assert report.pushed == 1, report
        push = [e for e in counting.exchanges if e.path == "/v1/push"]
        sync_all = list(counting.exchanges)
        counting.exchanges.clear()
        receiver = SyncClient(two.workspace.db, two.workspace.attachments_dir, client=http)
        receiver.sync()
        pull = [e for e in counting.exchanges if e.path == "/v1/pull"]

    def total(exchanges: list[Exchange]) -> tuple[int, int]:
        heads = sum(e.request_head + e.response_head for e in exchanges)
        bodies = sum(e.request_body + e.response_body for e in exchanges)
        return heads, bodies

    lines = []
    for label, exchanges in (
        ("the push (request + answer)", push),
        ("the whole sync of the laptop that changed it (push, then an empty pull)", sync_all),
        ("the other laptop's pull of it", pull),
    ):
        heads, bodies = total(exchanges)
        lines.append(
            f"{label}: {heads + bodies} bytes = {bodies} of bodies + {heads} of HTTP headers "
            f"({len(exchanges)} request{'s' if len(exchanges) != 1 else ''})"
        )
    heads, bodies = total(push)
    met_total = "met" if heads + bodies <= WIRE_TARGET_BYTES else "**missed**"
    met_bodies = "met" if bodies <= WIRE_TARGET_BYTES else "**missed**"
    run.facts.append(
        f"bytes on the wire for a one-field change (target ≤ {WIRE_TARGET_BYTES}): "
        + "; ".join(lines)
        + f" — push bodies {met_bodies}, push with headers {met_total}"
    )


# --- 50 devices on PostgreSQL ---------------------------------------------------------------


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the `test` database, dropped afterwards; yields its URL."""
    schema = f"bench_sync_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def device_changes(
    branch_id: str, device: int, clock: Any, first: int, count: int
) -> list[dict[str, Any]]:
    """`count` new people as a laptop's outbox would send them (sequences from `first`)."""
    from db.ids import new_id

    rng = random.Random(device * 1_000_003 + first)
    changes = []
    for n in range(first, first + count):
        stamp = clock.now()
        now = datetime.now(UTC).isoformat()
        person = new_id()
        changes.append(
            {
                "s": n,
                "t": "beneficiary",
                "r": person,
                "o": "i",
                "c": {
                    "id": person,
                    "origin_device_id": clock.device_id,
                    "hlc": stamp,
                    "created_at": now,
                    "updated_at": now,
                    "deleted_at": None,
                    "file_number": f"D{device:02d}-{n:07d}",
                    "branch_id": branch_id,
                    "first_name": rng.choice(("سارة", "نورة", "محمد", "عبدالله", "هيفاء")),
                    "father_name": "عبدالرحمن",
                    "grandfather_name": "سعد",
                    "family_name": rng.choice(("القحطاني", "الدوسري", "العتيبي", "الشمري")),
                    "national_id": f"2{device:02d}{n:07d}",
                    "id_type": "national_id",
                    "gender": "F",
                    "birth_date": "1980-05-01",
                    "nationality": "سعودي",
                    "marital_status": "widowed",
                    "city": "الرياض",
                    "district": "النسيم",
                    "address": f"حي النسيم، شارع الملك فهد، مبنى {rng.randint(1, 9999)}",
                    "categories": ["widow"],
                    "housing_type": "rented",
                    "monthly_rent_halalas": 150000,
                    "household_size": rng.randint(1, 9),
                    "monthly_income_halalas": 200000,
                    "iban": None,
                    "registration_status": "registered",
                    "notes": None,
                },
                "b": {},
                "h": stamp,
            }
        )
    return changes


def devices(run: Run, workers: int) -> None:
    """Case 6: 50 laptops push batches and pull at the same moment, against several server
    processes sharing one PostgreSQL database."""
    from db.hlc import HybridClock
    from db.ids import new_id
    from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, encode
    from sync.server.cli import open_hub

    rounds, batch = (4, 50) if run.quick else (10, 50)
    with postgres_schema() as url:
        hub = open_hub(url)
        branch_id = hub.add_branch(BRANCH, "فرع الرياض")
        credentials = []
        for n in range(DEVICES):
            device_id = new_id()
            token, _ = hub.enrol(
                hub.new_enrolment_code(BRANCH), device_id, f"laptop {n}", f"D{n:02d}", BRANCH
            )
            credentials.append((device_id, token))
        hub.engine.dispose()
        hq_dir = run.folder / "hq-postgres"
        hq_dir.mkdir()
        push_times: list[float] = []
        pull_times: list[float] = []
        errors: list[str] = []
        applied = 0

        async def laptop(
            n: int, device_id: str, token: str, address: str, start: asyncio.Event
        ) -> None:
            nonlocal applied
            headers = {
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "Authorization": f"Bearer {device_id}.{token}",
            }
            clock = HybridClock(device_id)
            bodies = [
                encode({"changes": device_changes(branch_id, n, clock, 1 + r * batch, batch)})
                for r in range(rounds)
            ]
            cursor = 0
            async with httpx.AsyncClient(base_url=address, headers=headers, timeout=120) as http:
                await start.wait()
                for body, extra in bodies:
                    began = time.perf_counter()
                    response = await http.post("/v1/push", content=body, headers=extra)
                    push_times.append(time.perf_counter() - began)
                    if response.status_code != 200:
                        errors.append(f"push {response.status_code}: {response.text[:200]}")
                        continue
                    results = response.json()["results"]
                    applied += sum(1 for r in results if r.get("g") is not None)
                    errors.extend(f"quarantined: {r['q']}" for r in results if r.get("q"))
                    began = time.perf_counter()
                    more = True
                    while more:
                        response = await http.get(
                            "/v1/pull", params={"after": cursor, "limit": 2000}
                        )
                        if response.status_code != 200:
                            errors.append(f"pull {response.status_code}: {response.text[:200]}")
                            break
                        page = response.json()
                        cursor, more = page["next"], page["more"]
                    pull_times.append(time.perf_counter() - began)

        async def everyone(address: str) -> float:
            start = asyncio.Event()
            tasks = [
                asyncio.create_task(laptop(n, d, t, address, start))
                for n, (d, t) in enumerate(credentials)
            ]
            await asyncio.sleep(0.5)  # every laptop has its batches ready
            began = time.perf_counter()
            start.set()
            await asyncio.gather(*tasks)
            return time.perf_counter() - began

        with hq_server(hq_dir, url, workers=workers) as address:
            print(f"{DEVICES} laptops syncing at once…", file=sys.stderr)
            wall = asyncio.run(everyone(address))
    rate = applied / wall
    run.measures.append(
        Measure(
            f"{DEVICES} laptops at once on PostgreSQL: each push of {batch} new people",
            push_times,
            DEVICE_PUSH_P95_S,
            "p95",
            note=f"{workers} uvicorn workers, {rounds} rounds of push + pull per laptop",
        )
    )
    run.measures.append(
        Measure(
            f"{DEVICES} laptops at once on PostgreSQL: each pull after a push",
            pull_times,
            note="information; each laptop pulls the other laptops' people",
        )
    )
    met = "met" if rate >= DEVICE_RATE_TARGET and not errors else "**missed**"
    run.facts.append(
        f"{DEVICES} laptops at once: {applied:,} changes applied in {format_seconds(wall)} = "
        f"{rate:,.0f} changes per second (target ≥ {DEVICE_RATE_TARGET:,}), "
        f"{len(errors)} errors — {met}" + (f"; first error: {errors[0]}" if errors else "")
    )


# --- the run --------------------------------------------------------------------------------


def laptops(run: Run) -> None:
    """Cases 1 to 5, on HQ's SQLite database: first through the server process, then (the
    same database) through the application in this process."""
    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from sync.server.cli import open_hub

    hq_dir = run.folder / "hq"
    hq_dir.mkdir()
    url = f"sqlite+pysqlite:///{hq_dir / 'hq.sqlite3'}"
    codes = prepare_hq(url, 2 + PULL_RUNS)
    with hq_server(hq_dir) as address:
        one, two = bulk(run, hq_dir, address, codes[BRANCH])
        print("Counting the bytes of a one-field change…", file=sys.stderr)
        wire(run, one, two, address)
        print("Incremental syncs over loopback…", file=sys.stderr)
        incremental_loopback(run, one, two)
        small = enrol_laptop(run.folder / "small", address, codes["JED"].pop())
        add_people(small, NOOP_SIZES[0], seed=2)
        print(f"Pushing {NOOP_SIZES[0]:,} people from a laptop of branch JED…", file=sys.stderr)
        small.client.sync()
        print("Syncs with nothing to do over loopback…", file=sys.stderr)
        noop(run, small, "a laptop of branch JED; HQ also holds RYD's people", loopback=True)
        noop(run, one, "the laptop that pushed the 50,000", loopback=True)
        if not run.quick:
            extra = NOOP_SIZES[1] - people_count(one)
            print(f"Adding {extra:,} more people and pushing them…", file=sys.stderr)
            add_people(one, extra, seed=1, start=BULK_PEOPLE)
            one.client.sync()
            noop(run, one, "the same laptop after 150,000 more were pushed", loopback=True)
            # The other laptop takes them too: the incremental rounds below pull 100 each.
            two.client.sync()
    hub = open_hub(url)
    app = create_app(hub, hq_dir / "blobs")
    try:
        with TestClient(app, base_url=address) as http:
            here = [in_process(m, http) for m in (one, two, small)]
            print("Incremental syncs in process…", file=sys.stderr)
            incremental(run, here[0], here[1])
            print("Syncs with nothing to do…", file=sys.stderr)
            noop(run, here[2], "a laptop of branch JED; HQ also holds RYD's people")
            noop(run, here[0], "the laptop that pushed the people")
    finally:
        for machine in (one, two, small):
            machine.close()
        hub.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    only = set(args.only or ("laptops", "devices"))
    load_at_start = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="romah-sync-bench-"))
    run = Run(args.quick, folder)
    try:
        if "laptops" in only:
            laptops(run)
        if "devices" in only:
            devices(run, args.workers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    run.facts.append(f"load average (1 min) at the start: {load_at_start:.1f}")
    print()
    print(table(run.measures, None))
    print()
    for fact in run.facts:
        print(f"- {fact}")
    missed = [m.name for m in run.measures if m.met is False]
    missed += [f for f in run.facts if "missed" in f]
    print()
    print("All targets met." if not missed else f"Targets missed: {len(missed)}.")
    if args.record:
        record(RESULTS, section(run.measures, run.facts, args.quick))
        print(f"Recorded in {RESULTS.relative_to(ROOT)}.")
    return 0


def section(measures: list[Measure], facts: list[str], quick: bool) -> str:
    """A dated section of RESULTS.md (without a `bench:` marker: `python -m bench` compares
    itself only with its own runs)."""
    env = environment()
    date_text = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {date_text} — sync with HQ (`python -m bench.sync_bench"
        + (" --quick" if quick else "")
        + "`)",
        "",
        f"- Machine: {env['machine']}, {env['cpu']}, {env['cores']} cores (laptops, HQ and the "
        "load all on it)",
        f"- Python {env['python']}, SQLite {env['sqlite']}",
        *(f"- {fact}" for fact in facts),
        "",
        table(measures, None),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
