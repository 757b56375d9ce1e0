"""Laptops and a real HQ server process on 127.0.0.1, on SQLite and on PostgreSQL.

The server and the laptops are killed with SIGKILL in the middle of a push and of a pull, then
started again: every record arrives once, nothing is lost, and every (device, sequence) is
held once at HQ.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from db.engine import create_engine, encrypted_sqlite_url
from db.models import SyncConflict
from romah_desktop.paths import DATABASE_FILE
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.protocol import PROTOCOL_HEADER
from sync.transport import SyncProblem
from tests.helpers.people import person_form
from tests.sync.helpers import (
    PASSWORD,
    HQProcess,
    actor_of,
    differences,
    dump,
    laptop_people,
    outbox_counts,
    postgres_url,
    python_subprocess,
    wait_until,
)

PEOPLE = 300  # three outbox entries each: the person, the phone, the audit event


@dataclass
class Machine:
    """A laptop: its data folder, its database and its sync client talking real HTTP."""

    name: str
    workspace: Workspace
    client: SyncClient

    @property
    def engine(self) -> sa.Engine:
        return self.workspace.db.engine

    def register(self, count: int = 1) -> list[str]:
        actor = actor_of(self.workspace, "clerk.ryd")
        with self.workspace.transaction() as session:
            return [
                register_beneficiary(session, actor, person_form(), confirmed_not_duplicate=True).id
                for _ in range(count)
            ]

    def reopen(self) -> None:
        """Open the database again, as the app does after a crash."""
        self.client.close()
        self.workspace.close()
        self.workspace, _ = Workspace.unlock(self.workspace.data_dir, "clerk.ryd", PASSWORD)
        self.client = SyncClient(self.workspace.db, self.workspace.attachments_dir)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def hq_server(backend: str, tmp_path: Path) -> Iterator[HQProcess]:
    """A seeded HQ server process (branches RYD and JED) over a fresh database."""
    data_dir = tmp_path / "hq"
    if backend == "sqlite":
        hq = HQProcess(data_dir, f"sqlite+pysqlite:///{data_dir / 'hq.sqlite3'}")
        hq.seed()
        hq.start()
        try:
            yield hq
        finally:
            hq.close()
        return
    with postgres_url() as url:
        hq = HQProcess(data_dir, url)
        hq.seed()
        hq.start()
        try:
            yield hq
        finally:
            hq.close()


@pytest.fixture
def machine(hq_server: HQProcess, tmp_path: Path) -> Iterator[Callable[..., Machine]]:
    made: list[Machine] = []

    def make(name: str, branch: str = "RYD", push_batch: int = 20, pull_page: int = 20) -> Machine:
        code = hq_server.hub.new_enrolment_code(branch)
        workspace = enrol(tmp_path / name, hq_server.url, code, name)
        client = SyncClient(
            workspace.db, workspace.attachments_dir, push_batch=push_batch, pull_page=pull_page
        )
        made.append(Machine(name, workspace, client))
        return made[-1]

    yield make
    for laptop in made:
        laptop.client.close()
        laptop.workspace.close()


def _sync_in_background(laptop: Machine) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            laptop.client.sync()
        except BaseException as exc:  # noqa: BLE001  (the test inspects it)
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _people_count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM beneficiary").scalar_one())


def _assert_converged(hq: HQProcess, *laptops: Machine) -> None:
    at_hq = hq.people(hq.hub.branch_id("RYD"))
    for laptop in laptops:
        mine = laptop_people(laptop.engine)
        assert dump(mine) == dump(at_hq), (laptop.name, differences(at_hq, mine))
    assert hq.duplicate_device_seqs() == 0


def test_two_laptops_converge_with_the_conflict_kept(hq_server: HQProcess, machine) -> None:
    one, two, jeddah = machine("one"), machine("two"), machine("jeddah", branch="JED")
    for laptop in (one, two, jeddah):
        laptop.client.sync()
    (person,) = one.register()
    one.client.sync(), two.client.sync()
    for laptop, city in ((one, "جدة"), (two, "الدمام")):
        actor = actor_of(laptop.workspace, "clerk.ryd")
        with laptop.workspace.transaction() as session:
            update_beneficiary(session, actor, person, {"city": city})
    one.client.sync()
    report = two.client.sync()
    one.client.sync(), jeddah.client.sync()
    assert report.conflicts == 1
    _assert_converged(hq_server, one, two)
    assert laptop_people(jeddah.engine) == {}, "another branch's people reached Jeddah"
    for laptop in (one, two):
        with laptop.workspace.db.session() as session:
            conflict = session.scalars(sa.select(SyncConflict)).one()
        assert {conflict.winner_value, conflict.other_value} == {"جدة", "الدمام"}


def test_killing_the_server_mid_push_and_mid_pull_loses_and_repeats_nothing(
    hq_server: HQProcess, machine
) -> None:
    one, two = machine("one"), machine("two")
    for laptop in (one, two):
        laptop.client.sync()
    one.register(PEOPLE)
    waiting = outbox_counts(one.engine)[1]
    before = hq_server.changes()

    thread, errors = _sync_in_background(one)
    wait_until(lambda: hq_server.changes() > before, 30, "the first pushed batch at HQ")
    hq_server.kill()
    thread.join(30)
    arrived = hq_server.changes() - before
    assert 0 < arrived < waiting, "the server was not killed in the middle of the push"
    assert errors and isinstance(errors[0], SyncProblem)

    hq_server.start()
    one.client.sync()
    assert outbox_counts(one.engine)[1] == 0
    assert hq_server.changes() - before == waiting

    thread, errors = _sync_in_background(two)
    wait_until(lambda: _people_count(two.engine) > 0, 30, "the first pulled page on laptop two")
    hq_server.kill()
    thread.join(30)
    assert 0 < _people_count(two.engine) < PEOPLE, "the server was not killed mid-pull"
    assert errors and isinstance(errors[0], SyncProblem)

    hq_server.start()
    two.client.sync()
    assert _people_count(two.engine) == PEOPLE
    _assert_converged(hq_server, one, two)


_LAPTOP_SYNC = """
import os
from pathlib import Path
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
folder = Path(os.environ["LAPTOP_DIR"])
workspace, _ = Workspace.unlock(folder, "clerk.ryd", os.environ["ROMAH_PASSWORD"])
SyncClient(workspace.db, workspace.attachments_dir, push_batch=20, pull_page=20).sync()
"""


def test_killing_a_laptop_mid_push_and_mid_pull_resumes_without_loss(
    hq_server: HQProcess, machine
) -> None:
    one, two = machine("one"), machine("two")
    for laptop in (one, two):
        laptop.client.sync()
    one.register(PEOPLE)
    waiting = outbox_counts(one.engine)[1]
    before = hq_server.changes()

    one.client.close()
    one.workspace.close()
    process = python_subprocess(
        _LAPTOP_SYNC,
        one.workspace.data_dir / "sync.log",
        LAPTOP_DIR=str(one.workspace.data_dir),
        ROMAH_PASSWORD=PASSWORD,
    )
    try:
        wait_until(lambda: hq_server.changes() > before, 60, "the laptop's first batch at HQ")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert process.returncode == -signal.SIGKILL
    assert 0 < hq_server.changes() - before < waiting, "the laptop was not killed mid-push"

    one.reopen()
    one.client.sync()
    assert outbox_counts(one.engine)[1] == 0
    assert hq_server.changes() - before == waiting

    two.client.close()
    two.workspace.close()
    probe = create_engine(
        encrypted_sqlite_url(two.workspace.data_dir / DATABASE_FILE, two.workspace.database_key)
    )
    process = python_subprocess(
        _LAPTOP_SYNC,
        two.workspace.data_dir / "sync.log",
        LAPTOP_DIR=str(two.workspace.data_dir),
        ROMAH_PASSWORD=PASSWORD,
    )
    try:
        wait_until(lambda: _people_count(probe) > 0, 60, "the first page on laptop two")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert 0 < _people_count(probe) < PEOPLE, "the laptop was not killed mid-pull"
    probe.dispose()

    two.reopen()
    two.client.sync()
    assert _people_count(two.engine) == PEOPLE
    _assert_converged(hq_server, one, two)


def test_a_revoked_laptop_is_told_so_and_keeps_its_data(hq_server: HQProcess, machine) -> None:
    laptop = machine("one")
    laptop.client.sync()
    laptop.register(2)
    waiting = outbox_counts(laptop.engine)[1]
    printed = hq_server.admin("device", "revoke", laptop.workspace.device_id())
    assert laptop.workspace.device_id() in printed

    with pytest.raises(SyncProblem, match="revoked"):
        laptop.client.sync()
    assert outbox_counts(laptop.engine)[1] == waiting
    assert _people_count(laptop.engine) == 2


def test_an_incompatible_protocol_is_told_to_update(hq_server: HQProcess, machine) -> None:
    laptop = machine("one")
    laptop.client.sync()
    laptop.register()
    waiting = outbox_counts(laptop.engine)[1]
    before = hq_server.changes()

    answer = httpx.post(f"{hq_server.url}/v1/push", headers={PROTOCOL_HEADER: "999"}, content=b"{}")
    assert answer.status_code == 426
    assert "update" in answer.json()["reason"]

    laptop.client.transport().headers[PROTOCOL_HEADER] = "999"
    with pytest.raises(SyncProblem, match="newer version"):
        laptop.client.sync()
    assert outbox_counts(laptop.engine)[1] == waiting
    assert hq_server.changes() == before
