"""A laptop's push keeps HQ busy: the next batch is on its way while the laptop acknowledges
the one before. One batch is in flight at a time, and a sync cut off anywhere between a batch
sent and its acknowledgement loses nothing and applies nothing twice."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from db.models import Beneficiary, OutboxEntry
from sync.client import SyncClient
from sync.server.schema import hq_change, hq_row
from sync.transport import Offline
from tests.sync.conftest import HQ, Laptop
from tests.sync.test_flow import _register

MakeLaptop = Callable[..., Laptop]
BATCH = 10


class _Watched(httpx.BaseTransport):
    """HQ's test transport, noting each push as it arrives (and cutting one off if told)."""

    def __init__(self, inner: httpx.BaseTransport, cut_push: int | None = None) -> None:
        self.inner = inner
        self.cut_push = cut_push
        self.pushes = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.second_push = threading.Event()
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/v1/push":
            return self.inner.handle_request(request)
        with self.lock:
            self.pushes += 1
            number = self.pushes
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if number == 2:
                self.second_push.set()
            if number == self.cut_push:
                raise httpx.ConnectError("the line dropped", request=request)
            return self.inner.handle_request(request)
        finally:
            with self.lock:
                self.in_flight -= 1


def _client(hq: HQ, machine: Laptop, transport: httpx.BaseTransport) -> SyncClient:
    http = httpx.Client(transport=transport, base_url=hq.url)
    return SyncClient(
        machine.workspace.db, machine.workspace.attachments_dir, client=http, push_batch=BATCH
    )


def _waiting(machine: Laptop) -> list[int]:
    with machine.workspace.db.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(OutboxEntry.seq)
                .where(OutboxEntry.pushed_at.is_(None))
                .order_by(OutboxEntry.seq)
            ).scalars()
        )


def _held_at_hq(hq: HQ, machine: Laptop, since: list[int]) -> list[int]:
    """The laptop's changes HQ holds from the first of `since` on, each as often as held."""
    from romah_desktop.services.context import this_device

    with machine.workspace.db.session() as session:
        device_id = this_device(session).device_id
    with hq.hub.engine.connect() as connection:
        return sorted(
            connection.execute(
                sa.select(hq_change.c.device_seq).where(
                    hq_change.c.device_id == device_id, hq_change.c.device_seq >= since[0]
                )
            ).scalars()
        )


@pytest.fixture
def busy(laptop: MakeLaptop) -> Laptop:
    """A laptop with more than three batches waiting."""
    machine = laptop("front-desk")
    for name in (
        "سارة",
        "نورة",
        "هند",
        "ريم",
        "منى",
        "عبير",
        "لمى",
        "دانة",
        "جود",
        "رهف",
        "أمل",
        "هيا",
    ):
        _register(machine, "clerk.ryd", first_name=name)
    assert len(_waiting(machine)) > 3 * BATCH
    return machine


def test_the_next_batch_is_sent_while_the_last_is_acknowledged(
    hq: HQ, busy: Laptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    transport = _Watched(hq.http._transport)
    client = _client(hq, busy, transport)
    acknowledge = SyncClient._acknowledge
    overlapped: list[bool] = []

    def slow_acknowledge(self: SyncClient, entries: Sequence[Any], *args: Any) -> None:
        # The first batch's acknowledgement waits for the second batch to reach HQ: a push
        # that acknowledged before sending on would keep it waiting in vain.
        if not overlapped:
            overlapped.append(transport.second_push.wait(timeout=10))
        acknowledge(self, entries, *args)

    monkeypatch.setattr(SyncClient, "_acknowledge", slow_acknowledge)
    before = _waiting(busy)
    report = client.sync()
    assert overlapped == [True]
    assert transport.most_in_flight == 1  # never two batches at HQ at once
    assert report.pushed == len(before) and _waiting(busy) == []
    assert _held_at_hq(hq, busy, before) == before


def test_a_push_cut_off_after_a_batch_keeps_that_batch_acknowledged(hq: HQ, busy: Laptop) -> None:
    before = _waiting(busy)
    client = _client(hq, busy, _Watched(hq.http._transport, cut_push=2))
    with pytest.raises(Offline):
        client.sync()
    assert _waiting(busy) == before[BATCH:]  # the first batch is acknowledged, no more
    assert _held_at_hq(hq, busy, before) == before[:BATCH]
    report = _client(hq, busy, hq.http._transport).sync()
    assert report.pushed == len(before) - BATCH and _waiting(busy) == []
    assert _held_at_hq(hq, busy, before) == before


def test_a_batch_at_hq_but_never_acknowledged_is_sent_again_and_applied_once(
    hq: HQ, busy: Laptop, laptop: MakeLaptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop stops (here: its database refuses the write) after HQ took the second batch
    and before the first was acknowledged: the next sync sends both again, HQ answers them as
    before, and every record and field version ends as if nothing had happened."""
    before = _waiting(busy)
    transport = _Watched(hq.http._transport)
    client = _client(hq, busy, transport)

    def stopped(self: SyncClient, *args: Any) -> None:
        assert transport.second_push.wait(timeout=10)
        raise sa.exc.OperationalError("UPDATE outbox", {}, Exception("disk I/O error"))

    with monkeypatch.context() as patch:
        patch.setattr(SyncClient, "_acknowledge", stopped)
        with pytest.raises(sa.exc.OperationalError):
            client.sync()
    assert transport.pushes == 2
    assert _waiting(busy) == before  # nothing acknowledged
    assert _held_at_hq(hq, busy, before) == before[: 2 * BATCH]

    report = _client(hq, busy, hq.http._transport).sync()
    assert report.pushed == len(before) and report.quarantined == 0
    assert _waiting(busy) == []
    assert _held_at_hq(hq, busy, before) == before  # each change once
    # The laptop's field versions are HQ's: a second laptop's edit merges without conflict.
    with busy.workspace.db.engine.connect() as connection:
        versions = dict(
            connection.execute(sa.select(Beneficiary.id, Beneficiary.field_versions)).all()
        )
    with hq.hub.engine.connect() as connection:
        held = dict(
            connection.execute(
                sa.select(hq_row.c.row_id, hq_row.c.versions).where(
                    hq_row.c.table_name == "beneficiary"
                )
            ).all()
        )
    for person_id, mine in versions.items():
        theirs = held[person_id]
        assert {f: v for f, v in mine.items() if f in theirs} == {
            f: v for f, v in theirs.items() if f in mine
        }, person_id
