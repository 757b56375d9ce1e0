"""A sync with nothing to do stays cheap however long the laptop has worked, and the cheaper
path changes nothing at the edges: a laptop HQ revokes is refused at its very next request,
whichever HQ server revoked it, and a laptop of another protocol is still told to update."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.models import OutboxEntry
from sync.protocol import APP_VERSION_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION, WAITING_HEADER
from sync.server.schema import hq_device
from sync.transport import Revoked
from tests.sync.conftest import HQ, Laptop
from tests.sync.test_flow import _register

MakeLaptop = Callable[..., Laptop]
OLD_ENTRIES = 20_000


@contextmanager
def _counted_steps(engine: sa.Engine) -> Iterator[list[int]]:
    """Counts the SQLite virtual machine's steps (in tens) of every statement `engine` runs
    meanwhile: the work a statement does, whatever the machine's load."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0  # go on

    def watch(connection: sa.Connection, *_: Any) -> None:
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.set_progress_handler(count, 10)

    sa.event.listen(engine, "before_cursor_execute", watch)
    try:
        yield steps
    finally:
        sa.event.remove(engine, "before_cursor_execute", watch)
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.set_progress_handler(None, 10)


def _quiet_sync_steps(machine: Laptop) -> int:
    machine.sync()  # anything left over first
    with _counted_steps(machine.workspace.db.engine) as steps:
        report = machine.sync()
    assert report["pushed"] == report["pulled"] == 0, report
    return steps[0]


def test_a_quiet_sync_does_not_read_the_whole_outbox(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    _register(machine, "clerk.ryd")
    before = _quiet_sync_steps(machine)
    # A laptop that has worked for weeks: many changes HQ acknowledged lately (none old
    # enough to prune), numbered before the ones above.
    now = utcnow()
    with machine.workspace.db.engine.begin() as connection:
        connection.execute(
            sa.insert(OutboxEntry),
            [
                {
                    "seq": -n,
                    "table_name": "beneficiary",
                    "row_id": f"old-{n}",
                    "op": "update",
                    "changes": {"household_size": n % 9 + 1},
                    "base": {},
                    "hlc": "",
                    "created_at": now - timedelta(hours=1),
                    "pushed_at": now - timedelta(minutes=30),
                }
                for n in range(OLD_ENTRIES)
            ],
        )
    after = _quiet_sync_steps(machine)
    # Reading 20,000 entries is some 20,000 steps-in-ten; a lookup in an index, a handful.
    assert after < before + OLD_ENTRIES // 20, (before, after)
    with machine.workspace.db.engine.connect() as connection:
        left = connection.execute(sa.select(sa.func.count()).select_from(OutboxEntry)).scalar()
    assert left is not None and left > OLD_ENTRIES, "entries HQ may still need were pruned"


def _revoke_elsewhere(hq: HQ, device_id: str) -> None:
    """Revoke a laptop as another HQ server over the same database would: in the database
    only, with nothing in this process told."""
    with hq.hub.engine.begin() as connection:
        connection.execute(
            sa.update(hq_device).where(hq_device.c.id == device_id).values(revoked_at=utcnow())
        )


def test_a_laptop_revoked_by_another_hq_server_is_refused_at_its_next_request(
    hq: HQ, laptop: MakeLaptop
) -> None:
    machine = laptop("one")
    device_id = machine.workspace.device_id()
    for _ in range(3):  # quiet syncs: each only pulls
        machine.sync()
    _revoke_elsewhere(hq, device_id)
    with pytest.raises(Revoked):
        machine.sync()
    credential = machine.client.transport().headers["Authorization"]
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": credential}
    for method, path, body in (
        ("GET", "/v1/pull", None),
        ("GET", "/v1/held?low=1&high=1", None),
        ("POST", "/v1/push", b'{"changes":[]}'),
        ("POST", "/v1/blobs/missing", b'{"hashes":[]}'),
    ):
        answer = hq.http.request(method, path, content=body, headers=headers)
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["code"] == "revoked", path


def test_a_quiet_sync_of_another_protocol_is_told_to_update(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    credential = machine.client.transport().headers["Authorization"]
    for protocol in (None, str(PROTOCOL_VERSION + 1), "", "1.0"):
        headers = {"Authorization": credential}
        if protocol is not None:
            headers[PROTOCOL_HEADER] = protocol
        for method, path in (("GET", "/v1/pull"), ("GET", "/v1/held"), ("POST", "/v1/push")):
            answer = hq.http.request(method, path, headers=headers)
            assert answer.status_code == 426, (protocol, path)
            assert answer.json() == {
                "reason": "This version of the app cannot sync with HQ: update the app. "
                "Your data stays on the laptop.",
                "code": "update_required",
                "detail": {"server_protocol": PROTOCOL_VERSION},
            }
    assert hq.http.get("/v1/info").json()["protocol"] == PROTOCOL_VERSION


def _device_facts(hq: HQ, device_id: str) -> tuple[Any, Any, Any]:
    with hq.hub.engine.connect() as connection:
        row = connection.execute(
            sa.select(hq_device.c.app_version, hq_device.c.waiting, hq_device.c.last_seen_at).where(
                hq_device.c.id == device_id
            )
        ).one()
    return row.app_version, row.waiting, row.last_seen_at


def test_each_pull_notes_what_the_laptop_reported(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    device_id = machine.workspace.device_id()
    credential = machine.client.transport().headers["Authorization"]
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": credential}

    def pull(**sent: str) -> None:
        answer = hq.http.get("/v1/pull", headers={**headers, **sent})
        assert answer.status_code == 200, answer.text

    pull(**{APP_VERSION_HEADER: "9.8.7", WAITING_HEADER: "12"})
    version, waiting, seen = _device_facts(hq, device_id)
    assert (version, waiting) == ("9.8.7", 12) and seen is not None
    # Malformed or missing values leave what HQ knows; a quiet laptop writes nothing within
    # the minute.
    pull(**{APP_VERSION_HEADER: "\x01bad", WAITING_HEADER: "many"})
    pull()
    assert _device_facts(hq, device_id) == ("9.8.7", 12, seen)
    pull(**{WAITING_HEADER: "0"})
    version, waiting, later = _device_facts(hq, device_id)
    assert (version, waiting) == ("9.8.7", 0) and later >= seen
    # A minute on, the same report refreshes only the time last seen.
    with hq.hub.engine.begin() as connection:
        connection.execute(
            sa.update(hq_device)
            .where(hq_device.c.id == device_id)
            .values(last_seen_at=utcnow() - timedelta(minutes=2))
        )
    pull(**{WAITING_HEADER: "0"})
    version, waiting, fresh = _device_facts(hq, device_id)
    assert (version, waiting) == ("9.8.7", 0)
    assert fresh.replace(tzinfo=fresh.tzinfo or UTC) > utcnow() - timedelta(minutes=1)
