"""Tests of db.hlc: hybrid logical clock stamps that order changes across laptops."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.hlc import MAX_COUNTER, WALL_DIGITS, ClockError, HybridClock, Stamp

DEVICE = "0190f3a2-1111-7000-8000-00000000aaaa"
OTHER = "0190f3a2-2222-7000-8000-00000000bbbb"
DRIFT_MS = 36 * 3600 * 1000

# Wall clocks in a realistic range (2001 … 2286 in ms), so that jumps of any size happen.
WALLS = st.integers(min_value=10**12, max_value=10**13 - 1)
DEVICE_IDS = st.text(min_size=1, max_size=40)
STAMPS = st.builds(
    Stamp,
    wall_ms=st.integers(min_value=0, max_value=10**WALL_DIGITS - 1),
    counter=st.integers(min_value=0, max_value=MAX_COUNTER),
    device_id=DEVICE_IDS,
)


def scripted(walls: Iterable[int]) -> Callable[[], int]:
    """A wall clock that returns `walls` in turn, then keeps returning the last one."""
    values = list(walls)
    state = {"i": 0}

    def now_ms() -> int:
        value = values[min(state["i"], len(values) - 1)]
        state["i"] += 1
        return value

    return now_ms


class SettableClock:
    """A wall clock a test moves by hand."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


# --- local stamps ---------------------------------------------------------------------------


@given(st.lists(WALLS, min_size=1, max_size=60))
def test_now_is_strictly_increasing_whatever_the_wall_clock_does(walls: list[int]) -> None:
    clock = HybridClock(DEVICE, now_ms=scripted(walls))
    stamps = [clock.now() for _ in walls]
    for earlier, later in zip(stamps, stamps[1:], strict=False):
        assert earlier < later
        assert Stamp.parse(earlier) < Stamp.parse(later)
    assert all(Stamp.parse(s).device_id == DEVICE for s in stamps)


@given(st.lists(WALLS, min_size=1, max_size=30))
def test_a_stamp_never_lags_the_wall_clock(walls: list[int]) -> None:
    clock = HybridClock(DEVICE, now_ms=scripted(walls))
    for wall in walls:
        assert Stamp.parse(clock.now()).wall_ms >= wall


def test_a_clock_set_back_keeps_counting_from_the_last_stamp() -> None:
    wall = SettableClock(1_700_000_000_000)
    clock = HybridClock(DEVICE, now_ms=wall)
    first = clock.now()
    wall.ms -= 3_600_000  # somebody sets the laptop's clock an hour back
    second = clock.now()
    third = clock.now()
    assert first < second < third
    assert Stamp.parse(second) == Stamp(1_700_000_000_000, 1, DEVICE)
    assert Stamp.parse(third) == Stamp(1_700_000_000_000, 2, DEVICE)


def test_a_restarted_clock_continues_after_its_saved_stamp() -> None:
    saved = str(Stamp(1_800_000_000_000, 7, DEVICE))
    # After a restart the wall clock is behind the saved stamp (it was wrong, or set back).
    clock = HybridClock(DEVICE, last=saved, now_ms=SettableClock(1_700_000_000_000))
    assert clock.last == saved
    assert clock.now() > saved


def test_the_counter_overflowing_borrows_the_next_millisecond() -> None:
    start = str(Stamp(1_700_000_000_000, MAX_COUNTER, DEVICE))
    clock = HybridClock(DEVICE, last=start, now_ms=SettableClock(1_700_000_000_000))
    stamp = clock.now()
    assert stamp > start
    assert Stamp.parse(stamp) == Stamp(1_700_000_000_001, 0, DEVICE)


def test_stamps_from_many_threads_are_all_different() -> None:
    clock = HybridClock(DEVICE, now_ms=SettableClock(1_700_000_000_000))
    results: list[list[str]] = [[] for _ in range(4)]

    def work(out: list[str]) -> None:
        out.extend(clock.now() for _ in range(500))

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps = [s for out in results for s in out]
    assert len(set(stamps)) == len(stamps) == 2000
    for out in results:  # each thread saw its own stamps increase
        assert out == sorted(out)


# --- remote stamps --------------------------------------------------------------------------


@given(
    local_walls=st.lists(WALLS, min_size=1, max_size=10),
    remote=st.builds(
        Stamp,
        wall_ms=WALLS,
        counter=st.integers(min_value=0, max_value=MAX_COUNTER),
        device_id=st.just(OTHER),
    ),
    physical=WALLS,
)
def test_receive_moves_past_the_remote_stamp_and_every_local_one(
    local_walls: list[int], remote: Stamp, physical: int
) -> None:
    wall = SettableClock(local_walls[0])
    clock = HybridClock(DEVICE, now_ms=wall)
    local = []
    for ms in local_walls:
        wall.ms = ms
        local.append(clock.now())
    wall.ms = max(physical, remote.wall_ms - DRIFT_MS)  # within the allowed drift
    merged = clock.receive(str(remote))
    assert Stamp.parse(merged) > remote
    assert merged > str(remote)
    assert all(merged > stamp for stamp in local)
    assert Stamp.parse(merged).device_id == DEVICE
    assert clock.now() > merged


def test_receive_at_the_drift_limit_is_accepted() -> None:
    wall = SettableClock(1_700_000_000_000)
    clock = HybridClock(DEVICE, now_ms=wall, max_drift_ms=60_000)
    remote = str(Stamp(1_700_000_060_000, 3, OTHER))
    merged = clock.receive(remote)
    assert Stamp.parse(merged) == Stamp(1_700_000_060_000, 4, DEVICE)


def test_a_stamp_too_far_in_the_future_is_refused_and_changes_nothing() -> None:
    wall = SettableClock(1_700_000_000_000)
    clock = HybridClock(DEVICE, now_ms=wall, max_drift_ms=60_000)
    before = clock.now()
    with pytest.raises(ClockError):
        clock.receive(str(Stamp(1_700_000_060_001, 0, OTHER)))
    assert clock.last == before
    # The clock was not dragged into the future by the refused stamp.
    assert Stamp.parse(clock.now()) == Stamp(1_700_000_000_000, 1, DEVICE)


def test_the_default_drift_allows_a_day_but_not_a_week() -> None:
    now = 1_700_000_000_000
    clock = HybridClock(DEVICE, now_ms=SettableClock(now))
    clock.receive(str(Stamp(now + 24 * 3600 * 1000, 0, OTHER)))
    with pytest.raises(ClockError):
        clock.receive(str(Stamp(now + 7 * 24 * 3600 * 1000, 0, OTHER)))


def test_receive_refuses_a_malformed_stamp() -> None:
    clock = HybridClock(DEVICE)
    with pytest.raises(ClockError):
        clock.receive("yesterday at noon")


# --- the text form --------------------------------------------------------------------------


@given(STAMPS, STAMPS)
def test_string_order_is_stamp_order(a: Stamp, b: Stamp) -> None:
    assert (str(a) < str(b)) == (a < b)
    assert (str(a) == str(b)) == (a == b)


@given(STAMPS)
def test_a_stamp_survives_its_text_form(stamp: Stamp) -> None:
    text = str(stamp)
    assert len(text.split("-", 2)[0]) == WALL_DIGITS
    assert Stamp.parse(text) == stamp


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-",
        "--",
        "garbage",
        "0001700000000000-00000-",  # no device
        "0001700000000000-00000",  # no device separator
        "0001700000000000",
        "1700000000000-00000-dev",  # wall not 16 digits
        "00001700000000000-00000-dev",  # wall of 17 digits
        "0001700000000000-0000-dev",  # counter not 5 digits
        "0001700000000000-000000-dev",
        "000170000000000x-00000-dev",
        "0001700000000000-0000x-dev",
        "+001700000000000-00000-dev",
        " 001700000000000-00000-dev",
        "-001700000000000-00000-dev",
    ],
)
def test_parse_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ClockError):
        Stamp.parse(text)


def test_a_clock_cannot_start_from_a_malformed_stamp() -> None:
    with pytest.raises(ClockError):
        HybridClock(DEVICE, last="not a stamp")


@pytest.mark.parametrize(
    "text",
    [
        "٠٠٠١٧٠٠٠٠٠٠٠٠٠٠٠-00000-dev",  # Arabic-Indic wall
        "0001700000000000-０００００-dev",  # full-width counter
        "²²²²²²²²²²²²²²²²-00000-dev",  # superscript two
    ],
)
def test_parse_rejects_non_ascii_digits(text: str) -> None:
    with pytest.raises(ClockError):
        Stamp.parse(text)
