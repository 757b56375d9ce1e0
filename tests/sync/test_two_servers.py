"""HQ on two machines: two `romah-hq serve` processes on different ports over one PostgreSQL
database, laptops spread across them, pushing and pulling at the same time.

The app servers hold nothing of their own between requests (sessions, the clock, sequences and
locks are in the database), so the laptops converge exactly as with one server: every person
at HQ and on each laptop of the branch, each (device, sequence) held once, the conflict kept
once, and no laptop ever meets a feed number at or below one it has already pulled.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.engine import create_engine
from db.models import SyncConflict
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from sync.client import CURSOR_KEY, SyncClient
from sync.enrolment import enrol
from sync.server.migrate import upgrade
from sync.server.schema import hq_change
from tests.helpers.people import person_form
from tests.sync.helpers import (
    HQProcess,
    actor_of,
    differences,
    dump,
    laptop_people,
    postgres_url,
)
from tests.sync.test_processes import Machine

pytestmark = pytest.mark.postgres

ROUNDS = 4
PER_ROUND = 15


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[HQProcess, HQProcess]]:
    """Two app servers over one database; the attachment folder is shared, as it would be on a
    network share between machines."""
    with postgres_url() as url:
        first = HQProcess(tmp_path / "hq", url)
        first.seed()
        second = HQProcess(tmp_path / "hq", url)
        try:
            first.start()
            second.start()
            yield first, second
        finally:
            first.close()
            second.close()


@pytest.fixture
def laptops() -> Iterator[list[Machine]]:
    """The laptops a test enrols (closed after it)."""
    made: list[Machine] = []
    yield made
    for machine in made:
        machine.client.close()
        machine.workspace.close()


def laptop(made: list[Machine], hq: HQProcess, name: str, branch: str = "RYD") -> Machine:
    folder = hq.data_dir.parent / name
    workspace = enrol(folder, hq.url, hq.hub.new_enrolment_code(branch), name)
    client = SyncClient(workspace.db, workspace.attachments_dir, push_batch=10, pull_page=10)
    made.append(Machine(name, workspace, client))
    return made[-1]


def cursor(machine: Machine) -> int:
    """How far in HQ's feed the laptop has pulled, from its own sync state."""
    return int(machine.client._setting(CURSOR_KEY) or 0)


def test_laptops_spread_over_two_servers_converge_as_with_one(
    servers: tuple[HQProcess, HQProcess], laptops: list[Machine]
) -> None:
    first, second = servers
    assert first.port != second.port
    riyadh = [laptop(laptops, hq, f"ryd{n}") for n, hq in enumerate((first, second, first))]
    jeddah = laptop(laptops, second, "jed", branch="JED")
    everyone = [*riyadh, jeddah]
    for machine in everyone:
        machine.client.sync()

    cursors: dict[str, list[int]] = {m.name: [] for m in everyone}
    errors: list[BaseException] = []

    def day(machine: Machine, clerk: str) -> None:
        actor = actor_of(machine.workspace, clerk)
        try:
            for _ in range(ROUNDS):
                with machine.workspace.transaction() as session:
                    for _ in range(PER_ROUND):
                        register_beneficiary(
                            session, actor, person_form(), confirmed_not_duplicate=True
                        )
                machine.client.sync()
                cursors[machine.name].append(cursor(machine))
        except BaseException as exc:  # noqa: BLE001  (the test reports it)
            errors.append(exc)

    threads = [
        threading.Thread(target=day, args=(m, "clerk.jed" if m is jeddah else "clerk.ryd"))
        for m in everyone
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors

    # Two laptops on different servers edit the same person: one conflict, kept once.
    person = next(iter(laptop_people(riyadh[0].engine)))
    for machine in riyadh:
        machine.client.sync()
    for machine, city in ((riyadh[0], "جدة"), (riyadh[1], "الدمام")):
        with machine.workspace.transaction() as session:
            update_beneficiary(
                session, actor_of(machine.workspace, "clerk.ryd"), person, {"city": city}
            )
    for _ in range(2):
        for machine in everyone:
            machine.client.sync()
            cursors[machine.name].append(cursor(machine))

    at_hq = first.people(first.hub.branch_id("RYD"))
    assert len(at_hq) == len(riyadh) * ROUNDS * PER_ROUND
    for machine in riyadh:
        mine = laptop_people(machine.engine)
        assert dump(mine) == dump(at_hq), (machine.name, differences(at_hq, mine))
        with machine.workspace.db.session() as session:
            conflict = session.scalars(sa.select(SyncConflict)).one()
        assert {conflict.winner_value, conflict.other_value} == {"جدة", "الدمام"}
    assert len(laptop_people(jeddah.engine)) == ROUNDS * PER_ROUND
    assert not set(laptop_people(jeddah.engine)) & set(at_hq)
    assert first.duplicate_device_seqs() == 0
    with first.hub.engine.connect() as connection:
        numbers = list(connection.scalars(sa.select(hq_change.c.seq)))
    assert len(numbers) == len(set(numbers)), "two changes took the same feed number"
    for name, seen in cursors.items():
        assert seen == sorted(seen), f"{name}'s cursor went back: {seen}"


def test_app_servers_starting_together_migrate_the_database_once() -> None:
    with postgres_url() as url:
        engines = [create_engine(url) for _ in range(3)]
        errors: list[BaseException] = []

        def migrate(engine: sa.Engine) -> None:
            try:
                upgrade(engine)
            except BaseException as exc:  # noqa: BLE001  (the test reports it)
                errors.append(exc)

        threads = [threading.Thread(target=migrate, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        with engines[0].connect() as connection:
            versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        for engine in engines:
            engine.dispose()
    assert not errors, errors
    assert len(versions) == 1
