"""A real HQ server process for sync tests, on SQLite or PostgreSQL, and real laptops.

The server is started exactly as an administrator would start it (`romah-hq ... serve`) on a
free port of 127.0.0.1, and is ready when `/v1/info` answers. Tests may kill it with SIGKILL
and start it again on the same port and database: the laptops keep the address they enrolled
with. The test process opens the same database to seed branches and users and to inspect what
HQ holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from db.engine import create_engine
from db.models import Beneficiary, OutboxEntry, User
from db.outbox import to_json_value
from romah_desktop.services.context import Actor
from romah_desktop.services.users import user_credentials
from romah_desktop.workspace import Workspace
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server.hub import TABLES, Hub
from sync.server.migrate import upgrade
from sync.server.schema import hq_change, hq_quarantine, hq_row

PASSWORD = "branch-pass-1"
# A Riyadh laptop enrolled over HTTP with nothing but its token: it pushes what it likes, as a
# hostile or broken laptop would.
RAW_DEVICE = "01900000-0000-7000-8000-00000000beef"
ROOT = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).with_name("romah-hq")
# The console script once the package is (re)installed; the same entry point until then.
HQ_COMMAND = (
    [str(_SCRIPT)]
    if _SCRIPT.exists()
    else [sys.executable, "-c", "from sync.server.cli import main; main()"]
)
BRANCHES = (("RYD", "فرع الرياض"), ("JED", "فرع جدة"))
# Fields a laptop and HQ must agree on; `field_versions` is each side's own bookkeeping.
BENEFICIARY_FIELDS = sorted(TABLES["beneficiary"].columns)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float, what: str, step: float = 0.005) -> None:
    """Poll `check` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(step)


@dataclass
class HQProcess:
    """`romah-hq serve` in its own process over a database the test can also open."""

    data_dir: Path
    db_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    # HTTPS: HQ's certificate and key, and the CA file the readiness check trusts.
    certfile: Path | None = None
    keyfile: Path | None = None
    ca_file: Path | None = None
    hub: Hub = field(init=False)

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(self.db_url)
        upgrade(engine)
        self.hub = Hub(engine)

    @property
    def url(self) -> str:
        scheme = "https" if self.certfile is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def command(self, *args: str) -> list[str]:
        return [*HQ_COMMAND, "--data-dir", str(self.data_dir), "--db", self.db_url, *args]

    def admin(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run an administration command (`romah-hq branch add ...`); its standard output."""
        done = subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **(env or {})},
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self, timeout: float = 30.0) -> None:
        log = (self.data_dir / "server.log").open("ab")
        tls: list[str] = []
        if self.certfile is not None and self.keyfile is not None:
            tls = ["--certfile", str(self.certfile), "--keyfile", str(self.keyfile)]
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=self.ca_file) if self.ca_file is not None else True
        )
        self.process = subprocess.Popen(
            self.command("serve", "--host", "127.0.0.1", "--port", str(self.port), *tls),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                output = (self.data_dir / "server.log").read_text(errors="replace")
                raise AssertionError(f"romah-hq exited with {self.process.returncode}: {output}")
            try:
                answer = httpx.get(f"{self.url}/v1/info", timeout=1.0, verify=verify)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("romah-hq did not answer /v1/info in time")
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, exactly like a power cut of the server."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def seed(self) -> None:
        """Branches RYD and JED, with a manager and an interviewer in each."""
        hashed = user_credentials(PASSWORD)
        for code, name in BRANCHES:
            self.hub.add_branch(code, name, "+966112345678")
            lower = code.lower()
            self.hub.add_user(f"manager.{lower}", f"مدير {name}", "branch_manager", code, hashed)
            self.hub.add_user(f"clerk.{lower}", f"موظف {name}", "interviewer", code, hashed)

    def changes(self) -> int:
        with self.hub.engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(hq_change)).scalar_one()
            )

    def duplicate_device_seqs(self) -> int:
        """How many (device, device sequence) pairs HQ holds more than once (must be 0)."""
        with self.hub.engine.connect() as connection:
            grouped = (
                sa.select(hq_change.c.device_id, hq_change.c.device_seq)
                .where(hq_change.c.device_seq.is_not(None))
                .group_by(hq_change.c.device_id, hq_change.c.device_seq)
                .having(sa.func.count() > 1)
                .subquery()
            )
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(grouped)).scalar_one()
            )

    def people(self, branch_id: str | None = None) -> dict[str, dict[str, Any]]:
        return hq_people(self.hub.engine, branch_id)

    def close(self) -> None:
        self.stop()
        self.hub.engine.dispose()


def hq_people(engine: sa.Engine, branch_id: str | None = None) -> dict[str, dict[str, Any]]:
    """HQ's beneficiary records (of one branch), as canonical field dicts by id."""
    query = sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "beneficiary")
    if branch_id is not None:
        query = query.where(hq_row.c.scope == branch_id)
    with engine.connect() as connection:
        return {row_id: canonical(data) for row_id, data in connection.execute(query)}


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """A record's fields as they travel, in one order, absent fields as None."""
    return {name: to_json_value(data.get(name)) for name in BENEFICIARY_FIELDS}


def laptop_people(engine: sa.Engine) -> dict[str, dict[str, Any]]:
    """A laptop's beneficiary records, as canonical field dicts by id."""
    table = Beneficiary.__table__
    columns = [table.c[name] for name in BENEFICIARY_FIELDS]
    with engine.connect() as connection:
        return {row.id: canonical(row._asdict()) for row in connection.execute(sa.select(*columns))}


def dump(people: dict[str, dict[str, Any]]) -> str:
    """A canonical text dump: equal dumps mean equal records."""
    return json.dumps(people, sort_keys=True, ensure_ascii=False, default=str)


def differences(
    expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]
) -> list[str]:
    """Where two sets of records disagree, field by field, for a readable failure."""
    found = [f"missing {row_id}" for row_id in sorted(expected.keys() - actual.keys())]
    found += [f"extra {row_id}" for row_id in sorted(actual.keys() - expected.keys())]
    for row_id in sorted(expected.keys() & actual.keys()):
        for name, value in expected[row_id].items():
            if actual[row_id].get(name) != value:
                found.append(f"{row_id}.{name}: {value!r} != {actual[row_id].get(name)!r}")
    return found


def outbox_counts(engine: sa.Engine) -> tuple[int, int]:
    """(pushed, waiting) outbox entries of a laptop database."""
    with engine.connect() as connection:
        pushed = connection.execute(
            sa.select(sa.func.count()).where(OutboxEntry.pushed_at.is_not(None))
        ).scalar_one()
        waiting = connection.execute(
            sa.select(sa.func.count()).where(OutboxEntry.pushed_at.is_(None))
        ).scalar_one()
    return int(pushed), int(waiting)


def actor_of(workspace: Workspace, username: str) -> Actor:
    """The user as signed in, without paying for a password hash check each time."""
    with workspace.db.session() as session:
        user = session.scalars(sa.select(User).where(User.username == username)).one()
        return Actor.of(user)


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """A URL of a fresh PostgreSQL schema that another process can open (dropped after).

    Skips when PostgreSQL is not running, except in CI, where that fails the test."""
    from tests.helpers.postgres import POSTGRES_URL, postgres_schema

    with postgres_schema() as engine:
        with engine.connect() as connection:
            schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        separator = "&" if "?" in POSTGRES_URL else "?"
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def python_subprocess(code: str, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """Run `code` in a new interpreter with the project importable (a laptop process); its
    output goes to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


# -- a raw device, and what HQ holds ----------------------------------------------------------


def raw_device(
    http: httpx.Client, hub: Hub, device_id: str = RAW_DEVICE, prefix: str = "BEEF"
) -> dict[str, str]:
    """Enrol a Riyadh laptop over HTTP with no database of its own: the headers of its
    requests."""
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    asked = {
        "code": hub.new_enrolment_code("RYD"),
        "device_id": device_id,
        "name": "raw",
        "prefix": prefix,
    }
    answer = http.post("/v1/enrol", content=json.dumps(asked), headers=headers)
    assert answer.status_code == 200, answer.text
    return {**headers, "Authorization": f"Bearer {device_id}.{answer.json()['token']}"}


def raw_stamp(device_id: str = RAW_DEVICE) -> str:
    """A clock stamp of now from the raw device."""
    return f"{int(time.time() * 1000):016d}-00000-{device_id}"


def push_raw(http: httpx.Client, headers: dict[str, str], *changes: dict[str, Any]) -> list[Any]:
    """Push `changes` as they are; HQ's answer for each (the request itself must succeed)."""
    body = json.dumps({"changes": list(changes)}, ensure_ascii=False).encode()
    answer = http.post("/v1/push", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    results: list[Any] = answer.json()["results"]
    return results


def hq_data(engine: sa.Engine, table: str, row_id: str) -> dict[str, Any] | None:
    """A record as HQ holds it (None when HQ has no such record)."""
    with engine.connect() as connection:
        data = connection.execute(
            sa.select(hq_row.c.data).where(hq_row.c.table_name == table, hq_row.c.row_id == row_id)
        ).scalar_one_or_none()
    return None if data is None else dict(data)


def feed_text(engine: sa.Engine) -> str:
    """Every value in HQ's feed, as one text to search."""
    with engine.connect() as connection:
        data = connection.execute(sa.select(hq_change.c.data)).scalars().all()
    return json.dumps(data, ensure_ascii=False)


def stored_counts(engine: sa.Engine) -> tuple[int, ...]:
    """How many records, feed entries and quarantined changes HQ holds."""
    with engine.connect() as connection:
        return tuple(
            int(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in (hq_row, hq_change, hq_quarantine)
        )


# -- a laptop's people ------------------------------------------------------------------------


def register_person(workspace: Workspace, clerk: str = "clerk.ryd", **form: str) -> str:
    """Register a person on a laptop, `clerk` signed in; the person's id."""
    from romah_desktop.services.people.beneficiaries import register_beneficiary
    from tests.helpers.people import person_form

    actor = workspace.login(clerk, PASSWORD)  # signed in, as at the front desk
    with workspace.transaction() as session:
        return register_beneficiary(session, actor, person_form(**form)).id


def edit_person(
    workspace: Workspace, person_id: str, clerk: str = "clerk.ryd", **fields: str
) -> None:
    """Edit a person's file on a laptop, `clerk` signed in."""
    from romah_desktop.services.people.beneficiaries import update_beneficiary

    actor = workspace.login(clerk, PASSWORD)
    with workspace.transaction() as session:
        update_beneficiary(session, actor, person_id, fields)


def person_in(workspace: Workspace, person_id: str) -> Beneficiary:
    """A person's file as the laptop holds it."""
    with workspace.db.session() as session:
        person = session.get(Beneficiary, person_id)
        assert person is not None
        session.expunge(person)
        return person
