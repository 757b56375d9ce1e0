"""Hybrid logical clock stamps.

A stamp orders changes across devices even when laptop clocks disagree: it is the larger of
the wall clock and the last stamp seen, plus a counter, plus the device id as the final tie
breaker. Stamps are fixed-width strings, so comparing the strings compares the stamps:
``0001732600000000-00000-<device id>``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WALL_DIGITS = 16
COUNTER_DIGITS = 5
MAX_COUNTER = 10**COUNTER_DIGITS - 1


class ClockError(ValueError):
    """A stamp is malformed or too far ahead of this device's clock."""


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device_id: str

    def __str__(self) -> str:
        return f"{self.wall_ms:0{WALL_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Parse a stamp made by `str(stamp)`; raises ClockError if it is malformed."""
        wall, sep1, rest = text.partition("-")
        counter, sep2, device = rest.partition("-")
        digits = wall + counter
        if not (sep1 and sep2 and digits.isascii() and digits.isdigit() and device):
            raise ClockError(f"malformed clock stamp {text!r}")
        if len(wall) != WALL_DIGITS or len(counter) != COUNTER_DIGITS:
            raise ClockError(f"malformed clock stamp {text!r}")
        return cls(int(wall), int(counter), device)


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """The clock of one device. Thread-safe; every call returns a stamp larger than any before."""

    def __init__(
        self,
        device_id: str,
        last: str | None = None,
        now_ms: Callable[[], int] = _wall_ms,
        max_drift_ms: int = 36 * 3600 * 1000,
    ) -> None:
        self.device_id = device_id
        self._now_ms = now_ms
        self._max_drift_ms = max_drift_ms
        self._lock = threading.Lock()
        start = Stamp.parse(last) if last else Stamp(0, 0, device_id)
        self._wall = start.wall_ms
        self._counter = start.counter

    def _advance(self, wall: int, counter: int) -> None:
        if counter > MAX_COUNTER:
            # Thousands of changes in one millisecond: borrow the next millisecond.
            wall, counter = wall + 1, 0
        self._wall, self._counter = wall, counter

    def now(self) -> str:
        """Return a new stamp for a local change."""
        with self._lock:
            physical = self._now_ms()
            if physical > self._wall:
                self._advance(physical, 0)
            else:
                self._advance(self._wall, self._counter + 1)
            return str(Stamp(self._wall, self._counter, self.device_id))

    def receive(self, remote: str) -> str:
        """Merge a stamp seen from another device and return a new local stamp after it.

        Raises ClockError if the remote stamp is malformed or further ahead of this device's
        wall clock than the allowed drift (a laptop whose clock is wrong by days).
        """
        seen = Stamp.parse(remote)
        with self._lock:
            physical = self._now_ms()
            if seen.wall_ms - physical > self._max_drift_ms:
                raise ClockError(
                    f"clock stamp {remote} is {(seen.wall_ms - physical) // 1000} s in the future"
                )
            wall = max(self._wall, seen.wall_ms, physical)
            if wall == self._wall == seen.wall_ms:
                counter = max(self._counter, seen.counter) + 1
            elif wall == self._wall:
                counter = self._counter + 1
            elif wall == seen.wall_ms:
                counter = seen.counter + 1
            else:
                counter = 0
            self._advance(wall, counter)
            return str(Stamp(self._wall, self._counter, self.device_id))

    @property
    def last(self) -> str:
        """The last stamp issued (or the starting point)."""
        with self._lock:
            return str(Stamp(self._wall, self._counter, self.device_id))
