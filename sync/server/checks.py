"""The checks of a pushed change that need nothing HQ holds: its table, its fields, every
value against its column by the rules laptops apply too (`db/values.py`), and a sane clock
stamp. HQ works them out before it takes a write lock (`sync/server/push.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from db.base import utcnow
from db.hlc import ClockError, Stamp
from db.values import check as check_value
from sync.protocol import PushedChange
from sync.server.store import TABLES, DeviceAuth

MAX_CLOCK_AHEAD = timedelta(hours=36)
# Records only HQ administration writes.
HQ_TABLES = frozenset({"branch"})


def clock_reason(stamp: str) -> str:
    try:
        seen = Stamp.parse(stamp)
    except ClockError:
        return f"The change carries a malformed clock stamp ({stamp[:40]})."
    ahead = seen.wall_ms / 1000 - utcnow().timestamp()
    return (
        f"The change is stamped {ahead / 3600:.0f} hours in the future; "
        "set the laptop's date and time correctly and sync again."
    )


def checks(device: DeviceAuth, changes: Sequence[PushedChange]) -> dict[int, str | None]:
    """Each change's refusal by the checks that need nothing HQ holds (by object identity):
    its table, fields, values and clock stamp. Worked out before the write lock is taken,
    so other laptops' pushes do not wait on them. A value found good once in this push
    (a city, a status, a date: most values repeat) is not checked again."""
    good: set[tuple[str, str, type, Any]] = set()
    latest = (utcnow() + MAX_CLOCK_AHEAD).timestamp()
    return {id(c): _refusal_as_sent(device, c, good, latest) for c in changes}


# The types whose values are remembered as good: hashable, and equal only to their own kind
# once the type is in the key (True == 1, but a flag and a count are checked apart).
_REMEMBERED = frozenset({str, int, float, bool, type(None)})


def _refusal_as_sent(
    device: DeviceAuth, change: PushedChange, good: set[tuple[str, str, type, Any]], latest: float
) -> str | None:
    """Why HQ refuses `change` as sent (see `checks`); `latest` is the latest time (a POSIX
    timestamp) a clock stamp may carry."""
    rule = TABLES.get(change.t)
    if rule is None:
        return f"HQ does not know the table {change.t!r}."
    if not rule.columns.issuperset(change.c):
        unknown = set(change.c) - rule.columns
        return f"HQ does not know the field(s) {', '.join(sorted(unknown))} of {change.t}."
    # `db.values.check_change`, field by field in the same order, so the first bad value
    # gives the same reason.
    table = change.t
    for name, value in change.c.items():
        kind = value.__class__
        if kind in _REMEMBERED:
            key = (table, name, kind, value)
            if key in good:
                continue
            bad_value = check_value(table, name, value)
            if bad_value is not None:
                return bad_value
            good.add(key)
        else:
            bad_value = check_value(table, name, value)
            if bad_value is not None:
                return bad_value
    if change.t in HQ_TABLES:
        return f"Only HQ changes {change.t} records."
    if change.t == "device" and change.r != device.id:
        # A device record says which key signs that laptop's printed papers.
        return "A laptop may change only its own device record."
    try:
        stamp = Stamp.parse(change.h)
    except ClockError:
        return f"The change carries a malformed clock stamp ({change.h[:40]})."
    if stamp.wall_ms / 1000 > latest:
        return clock_reason(change.h)
    return None
