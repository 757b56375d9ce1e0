"""How concurrent edits are decided: the per-field merge rule of the sync contract.

Every change a laptop pushes carries, for each field, the version it was based on: HQ's
sequence number of the field's last accepted change as the laptop last saw it. HQ holds each
field's current version (the sequence of the change that set it). For each field of a change:

* If the field's current version is not newer than the change's base, nobody else changed it
  meanwhile: the change is a plain update.
* Otherwise the edit was concurrent. If the values are equal there is nothing to settle.
* If they differ, a stable winner is chosen: the write with the larger clock stamp (a stamp
  ends with its device id, so two writers never tie). The winner's value holds everywhere and
  the loser's value is kept as a `sync_conflict` record that a person resolves in the app.
  No value that was ever written is lost.

Deletes follow the same test at the level of the row: a delete based on a row version older
than an edit it had not seen, and an edit based on a version older than a delete, are kept as
a conflict of kind ``delete``; the delete stands and the edit stays on the record.

A one-of rule (`db.values.ONE_OF`: a person has a single primary phone) is kept by the
merge, never by deleting and recreating rows: when two live rows of one group both hold the
rule's flag (two laptops each gave a person a primary phone), the write that set the flag with
the later clock stamp keeps it (`keep_one`, the same stable choice as `settle`); HQ clears the
flag on the others as a change of its own that every laptop pulls, and keeps each of them as a
conflict of kind ``one_of`` that a person may settle the other way.

The row's stamps (`hlc`, `updated_at`) are not versioned fields: they only ever move forward
to the newest clock stamp seen.

The laptop applies the same rule to what it pulls: a pulled value takes only when its version
is newer than the one the laptop holds, and never over the laptop's own edit that has not been
pushed yet (HQ decides that one when it arrives and sends the settled value back). Both sides
therefore end with the same value.

This module is pure (no SQL, no I/O): HQ's push (`sync/server/push.py`) and the laptop's apply
step (`sync/apply.py`) both call it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

# Stamps and bookkeeping every change carries; they are not versioned and never conflict.
META_FIELDS = frozenset({"hlc", "updated_at", "id", "origin_device_id", "created_at"})
# Set with every change; they follow the newest clock stamp, not a field version. (A tuple:
# HQ writes them into a change's data in this order.)
STAMP_FIELDS = ("hlc", "updated_at")


class Outcome(enum.Enum):
    """What a pushed field does to the value HQ holds."""

    UPDATE = "update"  # not changed since the change's base: the new value takes
    AGREE = "agree"  # changed concurrently to the very same value: nothing to settle
    CONFLICT = "conflict"  # changed concurrently to another value: settle() picks the winner


@dataclass(frozen=True)
class Write:
    """One value of a field as some device wrote it, with that write's clock stamp."""

    value: Any
    device_id: str
    stamp: str


def changed_since(current_version: int, base_version: int) -> bool:
    """Whether a field (or row) was changed after the version an edit was based on."""
    return current_version > base_version


def field_outcome(
    *,
    current_version: int,
    base_version: int,
    current_value: Any,
    incoming_value: Any,
    held: bool = True,
) -> Outcome:
    """The rule for one field of a change: a plain update, an agreeing concurrent edit, or a
    conflict. `held` is False when the record has no value for the field yet (an update)."""
    if not held or not changed_since(current_version, base_version):
        return Outcome.UPDATE
    if current_value == incoming_value:
        return Outcome.AGREE
    return Outcome.CONFLICT


def is_later(stamp: str, than: str) -> bool:
    """Whether clock stamp `stamp` orders after `than`. Stamps sort as text and end with the
    writing device's id, so of two different writes exactly one is later."""
    return stamp > than


def settle(incoming: Write, current: Write) -> tuple[Write, Write]:
    """The stable winner of two concurrent writes of one field, then the loser (kept as a
    conflict). Every device settling the same pair picks the same winner."""
    if is_later(incoming.stamp, current.stamp):
        return incoming, current
    return current, incoming


def takes_stamp(incoming: str, current: str) -> bool:
    """Whether a row's stamp fields (`hlc`, `updated_at`) move to an incoming change's: only
    forward, so an older change arriving late never lowers them."""
    return is_later(incoming, current)


def pulled_value_takes(pulled_version: int, held_version: int, *, edited_here: bool) -> bool:
    """On the laptop: whether a value pulled from HQ replaces the one held. Not over an edit
    made here and not pushed yet (HQ merges it when it arrives and sends back the result), and
    only when the pulled version is newer than the one held (an older entry arriving after
    this laptop's own acknowledged change must not undo it)."""
    return not edited_here and changed_since(pulled_version, held_version)


def keep_one(holders: dict[str, Write]) -> tuple[str, list[str]]:
    """Of the rows (by id) that each hold a one-of rule's flag, with the write that set it:
    the row that keeps it, then the others, which lose it. The write with the later clock stamp
    wins, as in `settle` (the row id decides between two rows set by one write), so every
    device choosing among the same rows picks the same one."""
    ordered = sorted(holders, key=lambda row_id: (holders[row_id].stamp, row_id), reverse=True)
    return ordered[0], ordered[1:]


def conflict_record(
    table_name: str,
    row_id: str,
    field: str,
    winner: Write,
    loser: Write,
    kind: str | None = None,
) -> dict[str, Any]:
    """The fields of the open `sync_conflict` that keeps the loser of a settled field.
    `kind` is ``delete`` for a delete racing an edit, ``one_of`` for a row that lost a one-of
    rule's flag to another row; otherwise a change of `status` is a
    ``transition`` and any other field a ``field`` conflict."""
    return {
        "table_name": table_name,
        "row_id": row_id,
        "field": field,
        "kind": kind or ("transition" if field == "status" else "field"),
        "winner_value": winner.value,
        "winner_device_id": winner.device_id,
        "winner_hlc": winner.stamp,
        "other_value": loser.value,
        "other_device_id": loser.device_id,
        "other_hlc": loser.stamp,
        "status": "open",
        "resolved_value": None,
        "resolved_by": None,
        "resolved_at": None,
    }
