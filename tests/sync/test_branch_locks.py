"""On PostgreSQL the branches push at the same time: a push that writes only its branch's
records holds its branch's lock, not the whole society's (`sync/server/store.py` `writing`).

A push of Riyadh is held after it was numbered and written, before it commits. Meanwhile a
push of Jeddah goes through, numbered higher, and a Riyadh laptop pulls: its feed stops
below the push not committed yet, so when that commits the laptop meets nothing at or below
what it pulled up to. Two branches registering one national ID at once still open a
duplicate-person case: the IDs are read and added holding locks of their own. Two branches
making one record at once: the second fails on its key and is merged again, as if it came
second.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from sync.protocol import PushResult, decode_push
from sync.server import people
from sync.server import push as push_module
from sync.server.hub import DeviceAuth, Hub
from sync.server.migrate import upgrade
from sync.server.schema import hq_duplicate
from sync.server.store import Store
from tests.helpers.postgres import postgres_schema
from tests.sync.test_bulk_push import _body, _change, _person, _stamp

pytestmark = pytest.mark.postgres

RYD_LAPTOP = "01900000-0000-7000-8000-00000000a001"
JED_LAPTOP = "01900000-0000-7000-8000-00000000b002"
RYD_READER = "01900000-0000-7000-8000-00000000c003"
WAIT = 30  # seconds: far more than either push takes


@dataclass
class Society:
    hub: Hub
    ryd: DeviceAuth
    jed: DeviceAuth
    reader: DeviceAuth


@pytest.fixture
def society() -> Iterator[Society]:
    with postgres_schema() as engine:
        upgrade(engine)
        hub = Hub(engine)
        ryd = hub.add_branch("RYD", "فرع الرياض", "+966112345678")
        jed = hub.add_branch("JED", "فرع جدة", "+966122345678")
        for device, prefix, code in (
            (RYD_LAPTOP, "RA", "RYD"),
            (JED_LAPTOP, "JA", "JED"),
            (RYD_READER, "RB", "RYD"),
        ):
            hub.enrol(hub.new_enrolment_code(code), device, prefix.lower(), prefix, code)
        yield Society(
            hub,
            DeviceAuth(RYD_LAPTOP, ryd),
            DeviceAuth(JED_LAPTOP, jed),
            DeviceAuth(RYD_READER, ryd),
        )
        engine.dispose()


def _people(device: str, first: int, national_ids: list[str]) -> bytes:
    """New people of `device`, one per national ID (sequences from `first`)."""
    return _body(
        *(
            _change(
                first + n,
                "beneficiary",
                f"01900000-0000-7000-8000-0000000{device[-4]}{first + n:04d}",
                "i",
                _person(number, "الرياض"),
                _stamp(first + n, device),
            )
            for n, number in enumerate(national_ids)
        )
    )


def _pull(hub: Hub, device: DeviceAuth, after: int) -> tuple[list[int], int]:
    """The whole feed after `after`: its sequence numbers, and the cursor after it."""
    seen: list[int] = []
    while True:
        page = json.loads(hub.pull_json(device, after, 1000))
        seen += [entry["g"] for entry in page["entries"]]
        after = page["next"]
        if not page["more"]:
            return seen, after


class Held:
    """A push run in a thread of its own, held at one point of its transaction until let go."""

    def __init__(self, hub: Hub, device: DeviceAuth, body: bytes) -> None:
        self.reached = threading.Event()
        self.go = threading.Event()
        self.results: list[PushResult] = []
        self.thread = threading.Thread(target=self._run, args=(hub, device, body), name="held")

    def _run(self, hub: Hub, device: DeviceAuth, body: bytes) -> None:
        self.results = hub.push(device, decode_push(body))

    def pause(self) -> None:
        """Called at the point to hold: waits there when in the held push's thread."""
        if threading.current_thread() is self.thread:
            self.reached.set()
            assert self.go.wait(WAIT)

    def numbers(self) -> list[int]:
        return sorted(r.g for r in self.results if r.g is not None)


def _in_thread(run: Callable[[], list[PushResult]]) -> tuple[threading.Thread, list[PushResult]]:
    done: list[PushResult] = []
    thread = threading.Thread(target=lambda: done.extend(run()))
    thread.start()
    return thread, done


def test_a_branch_pushes_while_another_holds_its_lock_and_a_feed_waits_for_its_own(
    society: Society, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = society.hub
    _, cursor = _pull(hub, society.reader, 0)
    held = Held(hub, society.ryd, _people(RYD_LAPTOP, 1, ["1000000001", "1000000002"]))
    locked = Store.lock_person_keys

    def paused(store: Store, connection: sa.Connection, numbers: Any) -> None:
        held.pause()  # numbered and written, not committed; before the national IDs' lock
        locked(store, connection, numbers)

    monkeypatch.setattr(Store, "lock_person_keys", paused)
    held.thread.start()
    try:
        assert held.reached.wait(WAIT)
        body = _people(JED_LAPTOP, 1, ["1000000003"])
        jeddah, answers = _in_thread(lambda: hub.push(society.jed, decode_push(body)))
        jeddah.join(WAIT)
        assert not jeddah.is_alive(), "Jeddah's push waited for Riyadh's"
        # Riyadh's laptop pulls while its branch's push is not committed: its feed stops
        # below that push, though Jeddah's higher numbers are committed.
        seen, cursor = _pull(hub, society.reader, cursor)
    finally:
        held.go.set()
        held.thread.join(WAIT)
    numbers = held.numbers()
    assert len(numbers) == 2 and all(r.q is None for r in answers)
    assert numbers[-1] < min(r.g for r in answers if r.g is not None)
    assert seen == [] and cursor < numbers[0]
    later, _ = _pull(hub, society.reader, cursor)
    assert later == numbers  # nothing at or below the cursor, nothing skipped


def test_two_branches_registering_one_person_at_once_open_a_case(
    society: Society, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = society.hub
    held = Held(hub, society.ryd, _people(RYD_LAPTOP, 1, ["1000000009"]))
    read = people.person_keys

    def paused(store: Store, connection: sa.Connection, people: Any) -> Any:
        known = read(store, connection, people)
        held.pause()  # Riyadh has read who holds the ID, and not yet added its own
        return known

    monkeypatch.setattr(push_module, "person_keys", paused)
    held.thread.start()
    try:
        assert held.reached.wait(WAIT)
        body = _people(JED_LAPTOP, 1, ["1000000009"])
        jeddah, answers = _in_thread(lambda: hub.push(society.jed, decode_push(body)))
        jeddah.join(1)
        assert jeddah.is_alive(), "Jeddah read the national IDs while Riyadh was adding its own"
    finally:
        held.go.set()
        held.thread.join(WAIT)
    jeddah.join(WAIT)
    assert [r.q for r in held.results + answers] == [None, None]
    with hub.engine.connect() as connection:
        cases = connection.execute(sa.select(hq_duplicate)).all()
    assert [(c.national_id, len(c.row_ids), c.status) for c in cases] == [("1000000009", 2, "open")]


def test_a_record_two_branches_make_at_once_is_the_first_ones_and_the_other_push_is_merged_again(
    society: Society, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = society.hub
    held = Held(hub, society.ryd, _people(RYD_LAPTOP, 1, ["1000000005"]))
    locked = Store.lock_person_keys

    def paused(store: Store, connection: sa.Connection, numbers: Any) -> None:
        held.pause()  # Riyadh's record is written, not committed
        locked(store, connection, numbers)

    monkeypatch.setattr(Store, "lock_person_keys", paused)
    held.thread.start()
    try:
        assert held.reached.wait(WAIT)
        # Jeddah's feed moves past Riyadh's numbers; then it makes the same record (its id),
        # and one of its own, while Riyadh's is not committed: its draft saw no such record.
        before = hub.push(society.jed, decode_push(_people(JED_LAPTOP, 1, ["1000000008"])))
        assert before[0].g is not None  # numbered after Riyadh's, which took theirs first
        same = "01900000-0000-7000-8000-0000000a0001"
        body = _body(
            _change(
                2, "beneficiary", same, "i", _person("1000000006", "جدة"), _stamp(2, JED_LAPTOP)
            ),
            *json.loads(_people(JED_LAPTOP, 3, ["1000000007"]))["changes"],
        )
        jeddah, answers = _in_thread(lambda: hub.push(society.jed, decode_push(body)))
        jeddah.join(1)
    finally:
        held.go.set()
        held.thread.join(WAIT)
    jeddah.join(WAIT)
    assert not jeddah.is_alive()
    assert [r.q for r in held.results] == [None] and held.numbers()[-1] < before[0].g
    # As if Jeddah's push came second: the record is Riyadh's, Jeddah's own is numbered after.
    assert answers[0].q == "The record belongs to another branch; this laptop may not change it."
    assert answers[1].q is None and answers[1].g is not None
    assert answers[1].g > held.numbers()[-1]
    _, cursor = _pull(hub, society.reader, 0)
    assert cursor >= held.numbers()[-1]


def test_a_cursor_past_its_branch_head_is_no_sign_of_a_restore(society: Society) -> None:
    """Before branch locks a laptop's cursor was HQ's highest sequence, which may be past its
    branch's head: the answer keeps it, and says a head no lower (a laptop whose cursor is
    past HQ's head takes HQ for restored and pulls everything again)."""
    hub = society.hub
    hub.push(society.ryd, decode_push(_people(RYD_LAPTOP, 1, ["1000000011"])))
    hub.push(society.jed, decode_push(_people(JED_LAPTOP, 1, ["1000000012"])))
    with hub.engine.connect() as connection:
        old_cursor = hub.head(connection)  # what the laptop was given before
    page = json.loads(hub.pull_json(society.reader, old_cursor, 1000))
    assert (page["entries"], page["next"], page["more"]) == ([], old_cursor, False)
    assert page["head"] >= old_cursor
    mine = hub.push(society.ryd, decode_push(_people(RYD_LAPTOP, 2, ["1000000013"])))
    seen, _ = _pull(hub, society.reader, old_cursor)
    assert seen == [mine[0].g]
