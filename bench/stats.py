"""Timings and their summary: median and 95th percentile, checked against a target."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Measure:
    """One benchmark's samples (seconds) and its target.

    `target_s` is the limit the `target_on` statistic ("median" or "p95") must stay within;
    None when the measure has no target (it is reported for information).
    """

    name: str
    samples: list[float] = field(default_factory=list)
    target_s: float | None = None
    target_on: str = "p95"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def met(self) -> bool | None:
        if self.target_s is None or not self.samples:
            return None
        value = self.p95 if self.target_on == "p95" else self.median
        return value <= self.target_s


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least `pct`% of the samples at
    or below it. Raises ValueError for no samples."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@contextmanager
def timed(into: list[float]) -> Iterator[None]:
    """Append the wall-clock seconds the block took to `into`."""
    start = time.perf_counter()
    yield
    into.append(time.perf_counter() - start)


def repeat(action: Callable[[], object], times: int, warmup: int = 1) -> list[float]:
    """Run `action` `warmup` times untimed, then `times` times timed; return the seconds."""
    for _ in range(warmup):
        action()
    samples: list[float] = []
    for _ in range(times):
        with timed(samples):
            action()
    return samples


def format_seconds(seconds: float) -> str:
    """A duration in the unit that reads best: 3.42 ms, 8.91 s, 6 min 12 s."""
    if seconds < 1:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:.0f} s"
