"""The outbox is pruned safely: a change HQ acknowledged leaves the laptop once HQ's verified
backup holds it (or after the branch's retention), never before it was sent, and the space
comes back on a new workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from click.testing import CliRunner, Result

from db.base import utcnow
from db.models import Beneficiary, OutboxEntry
from romah_desktop import settings
from romah_desktop.cli.window import LaptopSync
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse
from sync.server.cli import main as hq_main
from tests.sync.conftest import HQ, Laptop
from tests.sync.test_flow import _edit, _register

MakeLaptop = Callable[..., Laptop]


def _top(machine: Laptop) -> int:
    with machine.workspace.db.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(OutboxEntry.seq))).scalar() or 0)


def _seqs(machine: Laptop) -> list[int]:
    with machine.workspace.db.engine.connect() as connection:
        return list(
            connection.execute(sa.select(OutboxEntry.seq).order_by(OutboxEntry.seq)).scalars()
        )


def _pushed_back(machine: Laptop, low: int, high: int, ago: timedelta) -> None:
    """Make the entries numbered `low`..`high` look pushed `ago` (as after days of work)."""
    with machine.workspace.db.engine.begin() as connection:
        connection.execute(
            sa.update(OutboxEntry)
            .where(OutboxEntry.seq.between(low, high), OutboxEntry.pushed_at.is_not(None))
            .values(pushed_at=utcnow() - ago)
        )


def _register_some(machine: Laptop, count: int) -> tuple[int, int]:
    """Register `count` people; the range of outbox numbers their changes took."""
    low = _top(machine) + 1
    for _ in range(count):
        _register(machine, "clerk.ryd")
    return low, _top(machine)


def _hq_cli(hq: HQ, *args: str) -> Result:
    """`romah-hq --data-dir ... --db URL ARGS` over HQ's database."""
    url = hq.hub.engine.url
    if hq.hub.postgres:  # the test's schema, as a connection option in the URL
        with hq.hub.engine.connect() as connection:
            schema = connection.exec_driver_sql("SHOW search_path").scalar_one()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return CliRunner().invoke(
        hq_main,
        ["--data-dir", str(hq.data_dir), "--db", url.render_as_string(hide_password=False), *args],
        catch_exceptions=False,
    )


def test_changes_in_hqs_verified_backup_leave_the_laptop_later_ones_stay(
    hq: HQ, laptop: MakeLaptop
) -> None:
    machine = laptop("one")
    old_low, old_high = _register_some(machine, 3)
    machine.sync()
    _pushed_back(machine, 1, old_high, timedelta(hours=2))
    new_low, new_high = _register_some(machine, 2)
    machine.sync()
    _pushed_back(machine, new_low, new_high, timedelta(minutes=30))
    assert set(range(old_low, old_high + 1)) <= set(_seqs(machine))

    # HQ's backup of an hour ago holds the first people's changes, not the later ones.
    hq.hub.backup_verified(utcnow() - timedelta(hours=1))
    waiting = _register_some(machine, 1)  # not yet sent when this sync starts
    machine.sync()

    kept = set(_seqs(machine))
    assert not kept & set(range(1, old_high + 1))
    assert set(range(new_low, new_high + 1)) <= kept
    assert set(range(waiting[0], waiting[1] + 1)) <= kept


def test_without_a_checkpoint_changes_past_the_retention_leave(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    old_low, old_high = _register_some(machine, 2)
    young_low, young_high = _register_some(machine, 2)
    machine.sync()
    _pushed_back(machine, 1, old_high, timedelta(days=91))
    _pushed_back(machine, young_low, young_high, timedelta(days=89))

    machine.sync()

    kept = set(_seqs(machine))
    assert not kept & set(range(1, old_high + 1))
    assert set(range(young_low, young_high + 1)) <= kept


def test_the_branch_retention_setting_reaches_the_windows_sync(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    old_low, old_high = _register_some(machine, 1)
    young_low, young_high = _register_some(machine, 1)
    machine.sync()
    _pushed_back(machine, 1, old_high, timedelta(days=31))
    _pushed_back(machine, young_low, young_high, timedelta(days=29))
    with machine.workspace.transaction() as session:
        settings.put(session, "outbox_retention_days", 30)

    LaptopSync(hq.http).sync(machine.workspace, lambda _stage, _done, _total: None)

    kept = set(_seqs(machine))
    assert not kept & set(range(1, old_high + 1))
    assert set(range(young_low, young_high + 1)) <= kept


def test_a_change_not_yet_sent_and_the_newest_number_are_never_deleted(
    hq: HQ, laptop: MakeLaptop
) -> None:
    from db.outbox import prune

    machine = laptop("one")
    _register_some(machine, 1)
    machine.sync()
    pushed_top = _top(machine)
    waiting_low, waiting_high = _register_some(machine, 1)

    with machine.workspace.db.engine.begin() as connection:
        removed = prune(connection, utcnow() + timedelta(days=1))

    assert removed == pushed_top
    assert _seqs(machine) == list(range(waiting_low, waiting_high + 1))
    machine.sync()
    with machine.workspace.db.engine.begin() as connection:
        prune(connection, utcnow() + timedelta(days=1))
    # The newest entry stays, so the next change is numbered above every number HQ holds.
    assert _seqs(machine) == [waiting_high]


def test_a_new_workspace_gives_the_freed_space_back(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    _register_some(machine, 40)
    machine.sync()
    engine = machine.workspace.db.engine
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2  # incremental
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    _pushed_back(machine, 1, _top(machine), timedelta(days=91))

    machine.sync()

    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
        assert connection.exec_driver_sql("PRAGMA page_count").scalar_one() < pages - 10


def test_nothing_is_lost_a_new_laptop_still_receives_everything(hq: HQ, laptop: MakeLaptop) -> None:
    one = laptop("one")
    people = [_register(one, "clerk.ryd") for _ in range(3)]
    one.sync()
    hq.hub.backup_verified()
    _pushed_back(one, 1, _top(one), timedelta(days=1))
    one.sync()
    assert len(_seqs(one)) == 1
    # After the prune, a new change still travels (numbered above what HQ holds).
    _edit(one, "clerk.ryd", people[0], city="الدمام")
    people.append(_register(one, "clerk.ryd"))
    assert one.sync()["pushed"] > 0

    two = laptop("two")

    with two.workspace.db.session() as session:
        found = {p.id: p.city for p in session.scalars(sa.select(Beneficiary))}
    assert set(people) <= set(found)
    assert found[people[0]] == "الدمام"


def test_romah_hq_backup_verified_reaches_the_laptops(hq: HQ, laptop: MakeLaptop) -> None:
    def durable_age() -> int | None:
        response = hq.http.get(
            "/v1/pull",
            params={"after": 0, "limit": 1},
            headers={
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "Authorization": f"Bearer {credential}",
            },
        )
        return PullResponse.model_validate_json(response.content).durable_age

    machine = laptop("one")
    credential = machine.client._setting("sync.credential")
    assert durable_age() is None

    done = _hq_cli(hq, "backup-verified", "--at", "2025-03-01T02:00:00Z")
    assert done.exit_code == 0, done.output
    assert "2025-03-01T02:00:00+00:00" in done.output
    with hq.hub.engine.connect() as connection:
        assert hq.hub.durable_at(connection) == datetime(2025, 3, 1, 2, tzinfo=UTC)
    age = durable_age()
    assert age is not None
    assert abs(age - (utcnow() - datetime(2025, 3, 1, 2, tzinfo=UTC)).total_seconds()) < 60

    later = _hq_cli(hq, "backup-verified", "--at", (utcnow() + timedelta(days=1)).isoformat())
    assert later.exit_code == 1 and "not come yet" in later.output
    assert not _hq_cli(hq, "backup-verified", "--at", "yesterday").exit_code == 0

    now = _hq_cli(hq, "backup-verified")
    assert now.exit_code == 0, now.output
    assert (durable_age() or 0) < 60
