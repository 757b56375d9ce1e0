"""`python -m bench.console_bench [--record] [--people N] [--repeats N]`: HQ's console pages.

Builds an HQ on PostgreSQL (127.0.0.1:5432, database `test`, a fresh schema dropped
afterwards) as ten branches and fifty laptops leave it after two years: 200,000 people with
a phone each, support requests in every status with the committee's decisions, services
delivered with amounts, satisfaction surveys, complaints and suggestions, open conflicts,
quarantined changes and duplicate-person cases. The rows go straight into `hq_row`,
`hq_change` and `hq_device` with COPY (the records are what laptops would have pushed; the
benchmark is about reading them, not about sync).

Then every GET page of the console (every route under /console the application has, the
static files and the language switch aside; route parameters filled from the data) is asked
for in process (HQ's FastAPI app through its test client, signed in as an HQ administrator)
at least nine times: the median must stay within 200 ms, and the dashboard's within 500 ms.
The dashboard is also asked for with its figures counted afresh each time, and as it is used
(`mixed_views`): fifty views of three periods while a laptop's push lands every two seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.report import environment, record, table
from bench.stats import Measure, format_seconds, percentile

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
POSTGRES_URL = os.environ.get(
    "ROMAH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PEOPLE = 200_000
BRANCHES = 10
DEVICES = 50
REPEATS = 9
PAGE_TARGET_S = 0.200
DASHBOARD_TARGET_S = 0.500
# A page whose first answer takes longer than this is asked for only SLOW_REPEATS times more.
SLOW_S = 3.0
SLOW_REPEATS = 3
CONSOLE_USER = "bench.admin"
CONSOLE_PASSWORD = "bench-console-password"
BRANCH_PASSWORD = "bench-branch-password"
_NAMES = ("محمد", "أحمد", "عبدالله", "خالد", "سعد", "فهد", "نورة", "سارة", "منيرة", "هند")
_FAMILIES = ("العتيبي", "القحطاني", "الشهري", "الغامدي", "الدوسري", "الحربي", "المطيري")
_CITIES = ("الرياض", "جدة", "الدمام", "مكة", "المدينة", "أبها", "تبوك", "حائل", "جازان", "نجران")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.console_bench", description=__doc__)
    parser.add_argument("--people", type=int, default=PEOPLE, help=f"default {PEOPLE:,}")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--record", action="store_true", help="append the results to RESULTS.md")
    return parser.parse_args(argv)


@contextmanager
def postgres_schema() -> Iterator[sa.Engine]:
    """An engine on a fresh schema in the `test` database, dropped afterwards."""
    schema = f"bench_console_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = sa.create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


# --- building HQ ----------------------------------------------------------------------------


@dataclass
class Built:
    """What the pages' parameters are filled from."""

    branch_ids: list[str] = field(default_factory=list)
    branch_codes: list[str] = field(default_factory=list)
    device_ids: list[str] = field(default_factory=list)
    user_ids: list[str] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)
    conflict_ids: list[str] = field(default_factory=list)
    duplicate_ids: list[int] = field(default_factory=list)
    quarantine_ids: list[int] = field(default_factory=list)
    hq_user_id: str = ""
    counts: dict[str, int] = field(default_factory=dict)


class Writer:
    """Rows for hq_row and hq_change, streamed with COPY, numbered after HQ's head."""

    def __init__(self, raw: Any, first_seq: int, devices: dict[str, list[str]]) -> None:
        self.raw = raw
        self.seq = first_seq
        self.devices = devices
        self.device_seq: dict[str, int] = {}
        self.rows: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Any, ...]] = []
        self.counts: dict[str, int] = {}
        self.received = datetime.now(UTC)

    def add(self, table: str, scope: str, data: dict[str, Any], rng: random.Random) -> str:
        row_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        data = {"id": row_id, "deleted_at": None, **data}
        self.seq += 1
        device = rng.choice(self.devices[scope])
        number = self.device_seq.get(device, 0) + 1
        self.device_seq[device] = number
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        versions = json.dumps(dict.fromkeys(data, self.seq), separators=(",", ":"))
        self.rows.append((table, row_id, scope, text, versions))
        stamp = f"{1_700_000_000_000 + self.seq:016d}-00000-{device}"
        self.changes.append(
            (self.seq, device, number, table, row_id, scope, text, stamp, False, self.received)
        )
        self.counts[table] = self.counts.get(table, 0) + 1
        if len(self.rows) >= 20_000:
            self.flush()
        return row_id

    def flush(self) -> None:
        with self.raw.cursor() as cursor:
            with cursor.copy(
                "COPY hq_row (table_name, row_id, scope, data, versions) FROM STDIN"
            ) as copy:
                for row in self.rows:
                    copy.write_row(row)
            with cursor.copy(
                "COPY hq_change (seq, device_id, device_seq, table_name, row_id, scope, data, "
                "hlc, echo, received_at) FROM STDIN"
            ) as copy:
                for change in self.changes:
                    copy.write_row(change)
        self.rows.clear()
        self.changes.clear()


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def build(engine: sa.Engine, people: int, seed: int) -> Built:
    from romah_desktop.services.users import user_credentials
    from sync.server.console import auth
    from sync.server.hub import Hub
    from sync.server.migrate import upgrade
    from sync.server.schema import hq_device, hq_duplicate, hq_person_key, hq_quarantine

    rng = random.Random(seed)
    upgrade(engine)
    hub = Hub(engine)
    built = Built()
    hashed = user_credentials(BRANCH_PASSWORD)
    for n in range(BRANCHES):
        code = f"B{n:02d}"
        branch_id = hub.add_branch(code, f"فرع {_CITIES[n]}", "0112345678")
        built.branch_ids.append(branch_id)
        built.branch_codes.append(code)
        for role in ("branch_manager", "interviewer", "social_researcher"):
            built.user_ids.append(
                hub.add_user(f"{role}.{code.lower()}", f"{role} {code}", role, code, hashed)
            )
    built.hq_user_id = auth.add_user(
        engine, CONSOLE_USER, "مدير المنصة", "hq_admin", CONSOLE_PASSWORD
    )
    now = datetime.now(UTC)
    today = now.date()
    start = today - timedelta(days=730)
    devices: dict[str, list[str]] = {b: [] for b in built.branch_ids}
    device_rows = []
    for n in range(DEVICES):
        branch_id = built.branch_ids[n % BRANCHES]
        device_id = str(uuid.uuid4())
        devices[branch_id].append(device_id)
        built.device_ids.append(device_id)
        silent = n % 9 == 0
        device_rows.append(
            {
                "id": device_id,
                "branch_id": branch_id,
                "name": f"laptop {n + 1:02d}",
                "prefix": f"D{n:02d}",
                "token_sha256": f"{n:064x}",
                "enrolled_at": now - timedelta(days=700),
                "revoked_at": None,
                "last_seen_at": now
                - timedelta(days=5 if silent else 0, minutes=rng.randrange(600)),
                "app_version": rng.choice(("1.4.0", "1.4.1", "1.5.0")),
                "waiting": rng.choice((0, 0, 0, 3, 12, 140)),
                "revoked_reason": None,
            }
        )
    with engine.begin() as connection:
        connection.execute(sa.insert(hq_device), device_rows)
        head = int(connection.exec_driver_sql("SELECT max(seq) FROM hq_change").scalar() or 0)
    raw = engine.raw_connection()
    try:
        writer = Writer(raw.driver_connection, head, devices)
        national_ids: list[tuple[str, str, str]] = []
        for n in range(people):
            branch_id = built.branch_ids[n % BRANCHES]
            national_id = f"1{n:09d}"
            person = writer.add(
                "beneficiary",
                branch_id,
                {
                    "file_number": f"F-{n:07d}",
                    "branch_id": branch_id,
                    "first_name": rng.choice(_NAMES),
                    "father_name": rng.choice(_NAMES),
                    "grandfather_name": rng.choice(_NAMES),
                    "family_name": rng.choice(_FAMILIES),
                    "national_id": national_id,
                    "id_type": "national_id",
                    "gender": rng.choice(("M", "F")),
                    "birth_date": _day(rng, date(1950, 1, 1), date(2005, 1, 1)).isoformat(),
                    "city": _CITIES[n % BRANCHES],
                    "registration_status": "registered",
                    "household_size": rng.randint(1, 9),
                    "monthly_income_halalas": rng.randrange(0, 800_000, 100),
                    "categories": [],
                    "created_at": now.isoformat(),
                    "updated_at": now.isoformat(),
                },
                rng,
            )
            national_ids.append((national_id, person, branch_id))
            if len(built.person_ids) < 50:
                built.person_ids.append(person)
            writer.add(
                "beneficiary_phone",
                branch_id,
                {"beneficiary_id": person, "number": f"05{n:08d}", "is_primary": True},
                rng,
            )
            if rng.random() < 0.6:
                _request(writer, rng, branch_id, person, start, today)
            if rng.random() < 0.5:
                amount = rng.choice((None, 50_000, 100_000, 150_000, 250_000))
                writer.add(
                    "service_delivery",
                    branch_id,
                    {
                        "beneficiary_id": person,
                        "service_type": rng.choice(
                            ("cash", "food_basket", "rent", "medical", "education", "in_kind")
                        ),
                        "amount_halalas": amount,
                        "delivered_on": _day(rng, start, today).isoformat(),
                    },
                    rng,
                )
            if rng.random() < 0.2:
                writer.add(
                    "satisfaction_survey",
                    branch_id,
                    {
                        "branch_id": branch_id,
                        "beneficiary_id": person,
                        "channel": rng.choice(("interview", "phone", "social_media")),
                        "overall": rng.choice((3, 4, 4, 5, 5, 2, 1)),
                        "speed": rng.choice((None, 3, 4, 5)),
                        "courtesy": rng.choice((None, 4, 5)),
                        "clarity": rng.choice((None, 3, 4, 5)),
                        "collected_on": _day(rng, start, today).isoformat(),
                    },
                    rng,
                )
            if rng.random() < 0.05:
                received = _day(rng, start, today)
                writer.add(
                    "feedback",
                    branch_id,
                    {
                        "branch_id": branch_id,
                        "kind": rng.choice(("complaint", "complaint", "suggestion")),
                        "channel": rng.choice(("interview", "phone")),
                        "text": "تأخر الرد على الطلب",
                        "received_on": received.isoformat(),
                        "due_on": (received + timedelta(days=10)).isoformat(),
                        "status": rng.choice(("open", "assigned", "answered", "closed", "closed")),
                    },
                    rng,
                )
        for n in range(500):
            branch_id = built.branch_ids[n % BRANCHES]
            conflict = writer.add(
                "sync_conflict",
                branch_id,
                {
                    "table_name": "beneficiary",
                    "row_id": national_ids[n * 7][1],
                    "field": "city",
                    "kind": "field",
                    "winner_value": "جدة",
                    "winner_device_id": devices[branch_id][0],
                    "winner_hlc": "0",
                    "other_value": "الرياض",
                    "other_device_id": devices[branch_id][-1],
                    "other_hlc": "0",
                    "status": "open" if n % 5 else "resolved",
                    "created_at": (now - timedelta(hours=n)).isoformat(),
                },
                rng,
            )
            if len(built.conflict_ids) < 20 and n % 5:
                built.conflict_ids.append(conflict)
        writer.flush()
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as connection:
        held = [
            {
                "device_id": built.device_ids[n % DEVICES],
                "device_seq": 1_000_000 + n,
                "table_name": "beneficiary",
                "row_id": national_ids[n][1],
                "change": {"t": "beneficiary", "r": national_ids[n][1], "o": "u", "c": {}},
                "reason": "birth_date: a date from 1900 to 2100",
                "digest": None,
                "received_at": now - timedelta(hours=n),
                "settled": None if n % 4 else "dismissed",
            }
            for n in range(300)
        ]
        connection.execute(sa.insert(hq_quarantine), held)
        keys = [{"national_id": i, "row_id": r, "scope": s} for i, r, s in national_ids]
        for chunk in range(0, len(keys), 20_000):
            connection.execute(sa.insert(hq_person_key), keys[chunk : chunk + 20_000])
        cases = []
        for n in range(100):
            national_id, first, _scope = national_ids[n * 11]
            cases.append(
                {
                    "national_id": national_id,
                    "row_ids": [first, national_ids[n * 11 + 1][1]],
                    "status": "open" if n % 3 else "merged",
                    "kept_row_id": None,
                    "note": None,
                    "created_at": now - timedelta(days=n),
                    "resolved_at": None,
                }
            )
        connection.execute(sa.insert(hq_duplicate), cases)
        built.quarantine_ids = list(
            connection.execute(sa.select(hq_quarantine.c.id).limit(20)).scalars()
        )
        built.duplicate_ids = list(
            connection.execute(
                sa.select(hq_duplicate.c.id).where(hq_duplicate.c.status == "open").limit(20)
            ).scalars()
        )
        connection.exec_driver_sql("ANALYZE")
    built.counts = writer.counts
    return built


_STATUSES = (
    ("draft", 4),
    ("submitted", 10),
    ("needs_info", 6),
    ("approved", 25),
    ("rejected", 10),
    ("fulfilled", 40),
    ("withdrawn", 5),
)


def _request(
    writer: Writer, rng: random.Random, branch_id: str, person: str, start: date, today: date
) -> None:
    status = rng.choices([s for s, _w in _STATUSES], [w for _s, w in _STATUSES])[0]
    created = _day(rng, start, today)
    moment = datetime(created.year, created.month, created.day, 6, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(600)
    )
    submitted = None if status == "draft" else moment + timedelta(hours=2)
    due = None if submitted is None else submitted.date() + timedelta(days=14)
    request = writer.add(
        "support_request",
        branch_id,
        {
            "request_number": f"R-{writer.seq}",
            "branch_id": branch_id,
            "beneficiary_id": person,
            "request_type": rng.choice(("cash", "food", "rent", "medical", "education")),
            "amount_requested_halalas": rng.choice((None, 100_000, 200_000, 500_000)),
            "justification": "ظروف معيشية صعبة",
            "channel": rng.choice(("interview", "phone", "social_media")),
            "status": status,
            "submitted_at": None if submitted is None else submitted.isoformat(),
            "committee_due_on": None if due is None else due.isoformat(),
            "created_at": moment.isoformat(),
            "updated_at": moment.isoformat(),
        },
        rng,
    )
    if due is None:
        return
    if status == "needs_info" or rng.random() < 0.1:
        writer.add(
            "committee_decision",
            branch_id,
            {
                "request_id": request,
                "outcome": "need_info",
                "decided_on": (due - timedelta(days=7)).isoformat(),
            },
            rng,
        )
    if status in ("approved", "rejected", "fulfilled"):
        decided = due + timedelta(days=rng.randint(-13, 6))
        outcome = "reject" if status == "rejected" else "approve"
        writer.add(
            "committee_decision",
            branch_id,
            {
                "request_id": request,
                "outcome": outcome,
                "decided_on": min(decided, today).isoformat(),
                "approved_amount_halalas": 100_000 if outcome == "approve" else None,
            },
            rng,
        )


# --- measuring the pages --------------------------------------------------------------------


def console_routes(app: Any) -> list[str]:
    """Every GET route of the console (not its static files or the language switch)."""
    found = []
    for path, methods in _walk(app.routes, ""):
        if "GET" not in methods or not path.startswith("/console"):
            continue
        if path.startswith(("/console/static", "/console/lang")) or path == "/console":
            continue
        found.append(path)
    return sorted(set(found))


def _walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, set[str]]]:
    """Each route's full path and methods, routers included with a prefix opened up (FastAPI
    keeps an included router as one entry of `app.routes`)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(included.routes, prefix + str(getattr(context, "prefix", "")))
            continue
        yield prefix + getattr(route, "path", ""), set(getattr(route, "methods", None) or ())


def fill(path: str, built: Built) -> str:
    """The route with its parameters filled from the data (ids the pages can find)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if "conflict" in name:
            return built.conflict_ids[0]
        if "case" in name or "duplicate" in name:
            return str(built.duplicate_ids[0])
        if "quarantine" in name or "held" in name:
            return str(built.quarantine_ids[0])
        if "device" in name or "laptop" in name:
            return built.device_ids[0]
        if "code" in name:
            return built.branch_codes[0]
        if "branch" in name:
            return built.branch_ids[0]
        if "user" in name:
            return built.hq_user_id if "/hq/" in path else built.user_ids[0]
        if "document" in name or "reference" in name:
            return "none"
        return built.person_ids[0]

    return re.sub(r"\{([^}:]+)(?::[^}]*)?\}", value, path)


_QUERIES = {
    "/console/": [
        "",
        "?kind=hijri_year",
        "?kind=dates&first={two_years_ago}&last={today}",
    ],
    "/console/export": ["?report=requests", "?report=compliance&kind=hijri_year"],
    "/console/people": ["?q=محمد"],
}


@dataclass
class PageResult:
    route: str
    url: str
    status: int
    samples: list[float]
    target_s: float
    # The first answer (not among the samples: it warms up).
    first: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p90(self) -> float:
        return percentile(self.samples, 90)

    @property
    def met(self) -> bool:
        return self.median <= self.target_s


def measure(engine: sa.Engine, built: Built, repeats: int, folder: Path) -> list[PageResult]:
    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from sync.server.console import auth
    from sync.server.console.dashboard import forget_figures
    from sync.server.hub import Hub

    app = create_app(Hub(engine), folder / "blobs")
    token, _user = auth.sign_in(engine, CONSOLE_USER, CONSOLE_PASSWORD)
    today = date.today()
    dates = {"today": today.isoformat(), "two_years_ago": (today - timedelta(days=729)).isoformat()}
    results = []
    with TestClient(app) as client:
        client.cookies.set("romah_hq_session", token)
        for route in console_routes(app):
            base = fill(route, built)
            for query in _QUERIES.get(route, [""]):
                url = base + query.format(**dates)
                target = DASHBOARD_TARGET_S if route == "/console/" else PAGE_TARGET_S
                samples: list[float] = []
                status = 0
                times = repeats
                first = 0.0
                for attempt in range(repeats + 1):
                    if attempt > times:
                        break
                    started = time.perf_counter()
                    answer = client.get(url, follow_redirects=False)
                    took = time.perf_counter() - started
                    status = answer.status_code
                    if attempt:  # the first one warms up
                        samples.append(took)
                    else:
                        first = took
                        if took > SLOW_S:
                            times = SLOW_REPEATS  # far over its target: a few tell enough
                results.append(PageResult(route, url, status, samples, target, first))
                print(page_table(results[-1:]).splitlines()[-1], flush=True)
                if route == "/console/":
                    # The same page with the figures counted afresh each time, as the first
                    # view after a laptop's sync sees it.
                    cold: list[float] = []
                    for _attempt in range(repeats):
                        forget_figures()
                        started = time.perf_counter()
                        status = client.get(url).status_code
                        cold.append(time.perf_counter() - started)
                    results.append(
                        PageResult(route + " (counted afresh)", url, status, cold, target)
                    )
        results.append(mixed_views(engine, client, built, dates))
    return results


MIX_VIEWS = 50
MIX_VIEW_EVERY_S = 1.0
MIX_PUSH_EVERY_S = 2.0
# The periods people look at, by how often: this Hijri month mostly.
_MIX = ("", "", "", "?kind=hijri_year", "?kind=dates&first={two_years_ago}&last={today}")


def mixed_views(engine: sa.Engine, client: Any, built: Built, dates: dict[str, str]) -> PageResult:
    """The dashboard as it is used: MIX_VIEWS views, one every MIX_VIEW_EVERY_S seconds, of
    this month, the Hijri year or two years, while a laptop's push lands every
    MIX_PUSH_EVERY_S seconds (a new support request and its numbered change), starting
    with nothing counted."""
    import threading

    from sync.server.console.dashboard import forget_figures

    stop = threading.Event()
    rng = random.Random()  # new records' ids: new on every run
    failed: list[BaseException] = []

    def pushes() -> None:
        with engine.begin() as connection:
            head = int(connection.exec_driver_sql("SELECT max(seq) FROM hq_change").scalar() or 0)
        raw = engine.raw_connection()
        try:
            # A laptop of its own, so its changes' numbers are its own.
            laptop = str(uuid.uuid4())
            writer = Writer(raw.driver_connection, head, {b: [laptop] for b in built.branch_ids})
            today = date.today()
            while not stop.wait(MIX_PUSH_EVERY_S):
                branch_id = rng.choice(built.branch_ids)
                _request(writer, rng, branch_id, built.person_ids[0], today, today)
                writer.flush()
                raw.commit()
        except BaseException as exc:
            failed.append(exc)
        finally:
            raw.close()

    forget_figures()
    pusher = threading.Thread(target=pushes, daemon=True)
    pusher.start()
    samples: list[float] = []
    status = 0
    try:
        for n in range(MIX_VIEWS):
            planned = time.perf_counter() + MIX_VIEW_EVERY_S
            url = "/console/" + _MIX[n % len(_MIX)].format(**dates)
            started = time.perf_counter()
            answer = client.get(url)
            samples.append(time.perf_counter() - started)
            status = max(status, answer.status_code)
            time.sleep(max(0.0, planned - time.perf_counter()))
    finally:
        stop.set()
        pusher.join()
    if failed:
        raise RuntimeError("the pushes during the views failed") from failed[0]
    label = (
        f"/console/ ({MIX_VIEWS} views of 3 periods, one a second, a push every "
        f"{MIX_PUSH_EVERY_S:.0f} s)"
    )
    return PageResult(label, "/console/ (mix)", status, samples, DASHBOARD_TARGET_S)


def page_table(results: list[PageResult]) -> str:
    lines = [
        "| route | asked | status | median | p90 | target (median) | met |",
        "|---|---|---:|---:|---:|---:|:-:|",
    ]
    for r in results:
        asked = r.url.removeprefix("/console") or "/"
        lines.append(
            f"| `{r.route}` | `{asked[:60]}` | {r.status} | {format_seconds(r.median)} | "
            f"{format_seconds(r.p90)} | {format_seconds(r.target_s)} | "
            f"{'yes' if r.met else '**no**'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="romah-console-bench-") as folder:
        with postgres_schema() as engine:
            started = time.perf_counter()
            built = build(engine, args.people, args.seed)
            build_s = time.perf_counter() - started
            rows = sum(built.counts.values())
            print(f"Built HQ in {format_seconds(build_s)}: {rows:,} synced rows ({built.counts})")
            results = measure(engine, built, args.repeats, Path(folder))
    facts = [
        f"{args.people:,} people, {BRANCHES} branches, {DEVICES} laptops; {rows:,} rows in "
        f"hq_row and hq_change, built in {format_seconds(build_s)}",
        f"{args.repeats} requests per page after one to warm up, in process (test client); "
        f"{SLOW_REPEATS} for a page whose first answer took over {SLOW_S:.0f} s",
        f"load average (1 min) at the start: {load_at_start:.1f}",
        *(
            f"the first people search after the import (it builds the search keys of every "
            f"person once): {format_seconds(r.first)}"
            for r in results
            if r.route == "/console/people"
        ),
    ]
    build_measure = Measure("build HQ (COPY)", samples=[build_s])
    print()
    print(page_table(results))
    print()
    print(table([build_measure], None))
    print()
    for fact in facts:
        print(f"- {fact}")
    missed = [r for r in results if not r.met or r.status >= 500]
    print()
    print("All targets met." if not missed else f"Targets missed: {len(missed)}.")
    if args.record:
        record(RESULTS, section(results, facts))
        print(f"Recorded in {RESULTS.name}.")
    return 0


def section(results: list[PageResult], facts: list[str]) -> str:
    env = environment()
    date_text = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {date_text} — HQ console pages (`python -m bench.console_bench`)",
        "",
        f"- Machine: {env['machine']}, {env['cpu']}, {env['cores']} cores; PostgreSQL local",
        f"- Python {env['python']}",
        *(f"- {fact}" for fact in facts),
        "",
        page_table(results),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
