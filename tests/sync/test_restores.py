"""Restores converge: HQ restored from an older backup (an SQLite file copied back, or a
PostgreSQL dump restored), and a laptop restored from its own older backup, both notice it at
their next sync, say so, and end with the same records as HQ and the other laptops.

HQ is a real server process on 127.0.0.1 and the laptops real databases on disk.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from db.models import AuditEvent, OutboxEntry, SyncQuarantine
from db.outbox import to_json_value
from db.values import synced_columns, synced_tables
from romah_desktop import paths
from romah_desktop.cli import main as laptop_main
from romah_desktop.services.backup import backup, restore
from romah_desktop.services.people.beneficiaries import update_beneficiary
from sync.client import HQ_RESTORED, LAPTOP_RESTORED, SyncClient, SyncReport
from sync.server.schema import hq_quarantine, hq_row
from tests.sync.helpers import (
    PASSWORD,
    HQProcess,
    actor_of,
    differences,
    dump,
    laptop_people,
    postgres_url,
)
from tests.sync.test_processes import Machine

MakeMachine = Callable[..., Machine]


class RestorableHQ:
    """An HQ server process whose database can be backed up and restored while it is down."""

    def __init__(self, process: HQProcess, backend: str) -> None:
        self.process = process
        self.backend = backend
        self.saved = process.data_dir.parent / "hq-backup"

    @property
    def hub_engine(self) -> sa.Engine:
        return self.process.hub.engine

    def _sqlite_file(self) -> Path:
        return self.process.data_dir / "hq.sqlite3"

    def backup(self) -> None:
        """Stop HQ, copy its database away, start it again."""
        self.process.stop()
        self.hub_engine.dispose()
        if self.backend == "sqlite":
            database = self._sqlite_file()
            with sqlite3.connect(database) as connection:  # the WAL folded into the file
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            shutil.copyfile(database, self.saved)
        else:
            subprocess.run(
                ["pg_dump", "--format=custom", f"--schema={self._schema()}"]
                + ["--file", str(self.saved), *self._libpq()],
                check=True,
                capture_output=True,
            )
        self.process.start()

    def restore(self) -> None:
        """Stop HQ, put the copy back in place of its database, start it again."""
        self.process.stop()
        self.hub_engine.dispose()
        if self.backend == "sqlite":
            database = self._sqlite_file()
            for suffix in ("-wal", "-shm"):
                database.with_name(database.name + suffix).unlink(missing_ok=True)
            shutil.copyfile(self.saved, database)
        else:
            schema = self._schema()
            with self.hub_engine.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            self.hub_engine.dispose()
            subprocess.run(
                ["pg_restore", "--no-owner", *self._libpq(), str(self.saved)],
                check=True,
                capture_output=True,
            )
        self.process.start()

    def _schema(self) -> str:
        with self.hub_engine.connect() as connection:
            return str(connection.exec_driver_sql("SELECT current_schema()").scalar_one())

    def _libpq(self) -> list[str]:
        url = self.hub_engine.url
        return [
            "--host",
            str(url.host or "127.0.0.1"),
            "--port",
            str(url.port or 5432),
            "--username",
            str(url.username or "postgres"),
            "--dbname",
            str(url.database),
        ]


def _needs_postgres_tools() -> None:
    if all(shutil.which(tool) for tool in ("pg_dump", "pg_restore")):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("pg_dump and pg_restore are needed in CI")
    pytest.skip("pg_dump / pg_restore are not installed")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RestorableHQ]:
    data_dir = tmp_path / "hq"
    if request.param == "sqlite":
        process = HQProcess(data_dir, f"sqlite+pysqlite:///{data_dir / 'hq.sqlite3'}")
        process.seed()
        process.start()
        try:
            yield RestorableHQ(process, "sqlite")
        finally:
            process.close()
        return
    _needs_postgres_tools()
    with postgres_url() as url:
        process = HQProcess(data_dir, url)
        process.seed()
        process.start()
        try:
            yield RestorableHQ(process, "postgres")
        finally:
            process.close()


@pytest.fixture
def machine(hq: RestorableHQ, tmp_path: Path) -> Iterator[MakeMachine]:
    from sync.enrolment import enrol

    made: list[Machine] = []

    def make(name: str, keep_pushed_days: int = 90) -> Machine:
        code = hq.process.hub.new_enrolment_code("RYD")
        workspace = enrol(tmp_path / name, hq.process.url, code, name)
        client = SyncClient(
            workspace.db,
            workspace.attachments_dir,
            push_batch=20,
            pull_page=20,
            keep_pushed_days=keep_pushed_days,
        )
        made.append(Machine(name, workspace, client))
        made[-1].client.sync()
        return made[-1]

    yield make
    for laptop in made:
        laptop.client.close()
        laptop.workspace.close()


def _edit(laptop: Machine, person: str, city: str) -> None:
    actor = actor_of(laptop.workspace, "clerk.ryd")
    with laptop.workspace.transaction() as session:
        update_beneficiary(session, actor, person, {"city": city})


def _compared(table: sa.Table) -> list[str]:
    """The fields compared: all that sync, but when a laptop enrolled (its own device record
    notes it on the laptop alone)."""
    names = synced_columns(table) - ({"enrolled_at"} if table.name == "device" else set())
    return sorted(names)


def _hq_tables(engine: sa.Engine, branch_id: str) -> dict[str, dict[str, Any]]:
    """Every synced record a laptop of the branch receives, as HQ holds it."""
    query = sa.select(hq_row.c.table_name, hq_row.c.row_id, hq_row.c.data).where(
        sa.or_(hq_row.c.scope == branch_id, hq_row.c.scope.is_(None))
    )
    found: dict[str, dict[str, Any]] = {}
    with engine.connect() as connection:
        for table_name, row_id, data in connection.execute(query):
            names = _compared(synced_tables()[table_name])
            found[f"{table_name}/{row_id}"] = {n: to_json_value(data.get(n)) for n in names}
    return found


def _laptop_tables(engine: sa.Engine) -> dict[str, dict[str, Any]]:
    """Every synced record a laptop holds."""
    found: dict[str, dict[str, Any]] = {}
    with engine.connect() as connection:
        for table in synced_tables().values():
            names = _compared(table)
            for row in connection.execute(sa.select(*(table.c[n] for n in names))):
                values = row._asdict()
                found[f"{table.name}/{values['id']}"] = {n: to_json_value(values[n]) for n in names}
    return found


def _assert_identical(hq: RestorableHQ, *laptops: Machine) -> None:
    """Every synced table's rows are the same on HQ and on each laptop, and no (device,
    sequence) is held twice at HQ."""
    at_hq = _hq_tables(hq.hub_engine, hq.process.hub.branch_id("RYD"))
    for laptop in laptops:
        mine = _laptop_tables(laptop.engine)
        assert dump(mine) == dump(at_hq), (laptop.name, differences(at_hq, mine)[:10])
    assert hq.process.duplicate_device_seqs() == 0


def _message(report: SyncReport) -> str:
    from romah_desktop.i18n import translate

    assert report.restore_message is not None
    return translate(report.restore_message, "en", resent=report.resent)


def test_hq_restored_from_a_backup_gets_the_lost_changes_back(
    hq: RestorableHQ, machine: MakeMachine
) -> None:
    one, two, three = machine("one"), machine("two"), machine("three")
    (early,) = one.register()
    one.client.sync(), two.client.sync(), three.client.sync()
    hq.backup()

    # After the backup: laptop one registers and edits, laptop two receives it all and adds
    # its own; HQ then loses every bit of it.
    lost = one.register(3)
    _edit(one, early, "تبوك")
    one.client.sync()
    (two_lost,) = two.register()
    two.client.sync()
    assert set(lost) <= set(laptop_people(two.engine))
    hq.restore()
    assert not set(lost) & set(hq.process.people()), "the restore did not lose the changes"

    # Two and three go on: HQ hands their changes the sequence numbers it handed out before.
    (two_new,) = two.register()
    three_new = three.register(2)
    three.client.sync()
    report_two = two.client.sync()
    report_one = one.client.sync()
    two.client.sync()

    assert report_one.restored == HQ_RESTORED
    assert report_one.resent >= 4  # three people with their phones and audit, the edit
    assert "HQ was restored from an older backup" in _message(report_one)
    assert report_two.restored == HQ_RESTORED
    at_hq = hq.process.people()
    assert set(lost) | {early, two_lost, two_new, *three_new} <= set(at_hq)
    assert at_hq[early]["city"] == "تبوك"
    assert set(three_new) <= set(laptop_people(one.engine))
    _assert_identical(hq, one, two)
    three.client.sync()
    _assert_identical(hq, one, two, three)

    # A quiet sync afterwards finds nothing more to repair.
    assert one.client.sync().restored is None


def test_hq_restored_is_noticed_by_a_laptop_that_pushed_and_never_pulled_since(
    hq: RestorableHQ, machine: MakeMachine
) -> None:
    """The feed this laptop saw is intact after the restore (it had not pulled since its
    push), so only HQ's count of its changes tells it that HQ lost them."""
    one, two = machine("one"), machine("two")
    hq.backup()
    lost = one.register(2)
    one.client._push(SyncReport(), None)
    hq.restore()
    assert not set(lost) & set(hq.process.people())

    report = one.client.sync()
    assert report.restored == HQ_RESTORED
    assert set(lost) <= set(hq.process.people())
    two.client.sync()
    _assert_identical(hq, one, two)


def test_hq_restored_is_noticed_by_a_laptop_that_pushes_newer_changes_first(
    hq: RestorableHQ, machine: MakeMachine
) -> None:
    """The push of newer changes would hide the gap from a count taken after it: HQ says
    what it held before the push."""
    one, two = machine("one"), machine("two")
    hq.backup()
    lost = one.register(2)
    one.client._push(SyncReport(), None)
    hq.restore()
    later = one.register()

    report = one.client.sync()
    assert report.restored == HQ_RESTORED
    assert set(lost) | set(later) <= set(hq.process.people())
    two.client.sync()
    _assert_identical(hq, one, two)


def test_hq_restored_is_repaired_before_an_edit_of_a_record_it_lost_is_sent(
    hq: RestorableHQ, machine: MakeMachine
) -> None:
    """Sent first, the edit would be refused (HQ has no such record) and lost: the laptop
    asks what HQ holds before it pushes."""
    one, two = machine("one"), machine("two")
    hq.backup()
    (person,) = one.register()
    one.client.sync()
    hq.restore()
    _edit(one, person, "أبها")

    report = one.client.sync()
    assert report.restored == HQ_RESTORED
    assert hq.process.people()[person]["city"] == "أبها"
    with hq.process.hub.engine.connect() as connection:
        refused = connection.execute(sa.select(sa.func.count()).select_from(hq_quarantine))
        assert refused.scalar_one() == 0
    two.client.sync()
    _assert_identical(hq, one, two)


def test_hq_restored_from_before_the_pruned_checkpoint_gets_whole_records_back(
    hq: RestorableHQ, machine: MakeMachine
) -> None:
    one = machine("one", keep_pushed_days=0)  # pushed entries go at once
    two = machine("two")
    (early,) = one.register()
    one.client.sync()
    hq.backup()

    lost = one.register(2)
    one.client.sync()
    _edit(one, early, "أبها")
    one.client.sync()
    one.client.sync()
    with one.engine.connect() as connection:
        left = connection.execute(sa.select(sa.func.count()).select_from(OutboxEntry)).scalar()
    assert left == 1, "the outbox was not pruned"
    hq.restore()
    assert not set(lost) & set(hq.process.people())

    report = one.client.sync()
    assert report.restored == HQ_RESTORED
    assert report.resent >= 3
    at_hq = hq.process.people()
    assert set(lost) <= set(at_hq)
    assert at_hq[early]["city"] == "أبها"
    two.client.sync()
    _assert_identical(hq, one, two)


def test_hq_restored_is_told_by_the_sync_command(
    hq: RestorableHQ, machine: MakeMachine, tmp_path: Path
) -> None:
    one = machine("one")
    hq.backup()
    one.register()
    one.client.sync()
    hq.restore()
    one.client.close()
    one.workspace.close()
    result = CliRunner().invoke(
        laptop_main,
        ["--data-dir", str(one.workspace.data_dir), "--user", "clerk.ryd", "--lang", "en", "sync"],
        env={"ROMAH_PASSWORD": PASSWORD},
    )
    one.reopen()
    assert result.exit_code == 0, result.output
    assert "HQ was restored from an older backup" in result.output
    _assert_identical(hq, one)


def _copy_database(laptop: Machine, source: Path, target: Path) -> None:
    """With the laptop's app closed, replace `target`'s database files by `source`'s."""
    target.mkdir(exist_ok=True)
    for old in target.glob(paths.DATABASE_FILE + "*"):
        old.unlink()
    for part in source.glob(paths.DATABASE_FILE + "*"):
        shutil.copyfile(part, target / part.name)


def test_laptop_restored_from_its_own_backup_gets_its_later_changes_back(
    hq: RestorableHQ, machine: MakeMachine, tmp_path: Path
) -> None:
    one, two = machine("one"), machine("two")
    (early,) = one.register()
    one.client.sync()
    saved = tmp_path / "one-backup"
    one.client.close()
    one.workspace.close()
    _copy_database(one, one.workspace.data_dir, saved)
    one.reopen()

    later = one.register(2)
    _edit(one, early, "حائل")
    one.client.sync()
    two.client.sync()

    one.client.close()
    one.workspace.close()
    _copy_database(one, saved, one.workspace.data_dir)
    one.reopen()
    assert not set(later) & set(laptop_people(one.engine)), "the restore kept the changes"

    report = one.client.sync()
    assert report.restored == LAPTOP_RESTORED
    assert "restored from an older backup" in _message(report)
    mine = laptop_people(one.engine)
    assert set(later) <= set(mine)
    assert mine[early]["city"] == "حائل"
    assert report.quarantined == 0

    # New work after the restore is numbered after what HQ holds: none of it is taken for
    # a change HQ already has.
    with one.engine.connect() as connection:
        top = connection.execute(sa.select(sa.func.max(OutboxEntry.seq))).scalar()
    (after,) = one.register()
    with one.engine.connect() as connection:
        first_new = connection.execute(
            sa.select(sa.func.min(OutboxEntry.seq)).where(OutboxEntry.pushed_at.is_(None))
        ).scalar()
    assert first_new is not None and top is not None and first_new > top
    assert one.client.sync().restored is None
    assert after in hq.process.people(), "the new change was dropped as a replay"
    two.client.sync()
    assert after in laptop_people(two.engine)
    _assert_identical(hq, one, two)


def test_the_restored_command_makes_every_laptop_check_what_hq_holds(
    hq: RestorableHQ, machine: MakeMachine
) -> None:
    one = machine("one")
    one.register(2)
    one.client.sync()
    printed = hq.process.admin("restored")
    assert "each laptop sends again what HQ lost" in printed

    report = one.client.sync()
    assert report.restored == HQ_RESTORED
    assert report.resent == 0  # HQ lost nothing: every change it holds is recognised
    _assert_identical(hq, one)
    assert one.client.sync().restored is None


def test_a_laptop_restored_by_romah_restore_takes_back_its_later_events_without_a_clash(
    hq: RestorableHQ, machine: MakeMachine, tmp_path: Path
) -> None:
    """The restore's own audit event waits for the sync that brings back the later events
    of this laptop's chain, so it takes the next number after them, not one of theirs."""
    one = machine("one")
    manager = actor_of(one.workspace, "manager.ryd")
    saved = tmp_path / "one.romah"
    backup(one.workspace, manager, saved)
    later = one.register(2)
    one.client.sync()

    restore(one.workspace, manager, saved)
    assert not set(later) & set(laptop_people(one.engine))
    report = one.client.sync()
    assert report.restored == LAPTOP_RESTORED
    assert report.quarantined == 0
    assert set(later) <= set(laptop_people(one.engine))
    with one.engine.connect() as connection:
        quarantined = connection.execute(
            sa.select(sa.func.count()).select_from(SyncQuarantine)
        ).scalar_one()
        chain = connection.execute(
            sa.select(AuditEvent.device_seq, AuditEvent.action)
            .where(AuditEvent.device_id == one.workspace.device_id())
            .order_by(AuditEvent.device_seq)
        ).all()
    assert quarantined == 0
    assert [seq for seq, _ in chain] == list(range(1, len(chain) + 1))
    assert chain[-1].action == "database.restore"
    one.client.sync()
    assert one.client.state().waiting == 0
