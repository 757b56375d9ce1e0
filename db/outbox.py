"""Change tracking for synced tables: stamps, tombstones, append-only rules and the outbox.

Every ORM flush that inserts, updates or soft-deletes a synced row writes one outbox entry per
row with the changed fields, on the same connection and so in the same transaction: a rolled
back transaction leaves no entry. Append-only records refuse updates and deletes, and no synced
row is ever physically deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction, object_mapper, sessionmaker
from sqlalchemy.orm.attributes import get_history

from db.base import Base, Synced, utcnow
from db.hlc import HybridClock
from db.ids import new_id
from db.local_state import local_value, set_local_value
from db.models.local import OutboxEntry
from db.values import converter

HLC_STATE_KEY = "hlc_last"
# The highest sequence deleted from the outbox: if HQ, restored from a backup, lacks it, the
# records changed since are sent again whole (their entries are gone).
PRUNED_SEQ_KEY = "outbox.pruned_seq"
# The operation of an entry that only holds a sequence number (see `reserve_sequences`).
RESERVED_OP = "reserve"


class AppendOnlyError(RuntimeError):
    """An update or delete of an append-only record (declaration, decision, audit event)."""


class TombstoneError(RuntimeError):
    """A physical DELETE of a synced row; synced rows are soft-deleted instead."""


class NoDeviceError(RuntimeError):
    """A synced row was written by a session that has no device context."""


@dataclass
class DeviceContext:
    """Who is writing: this device's id and its hybrid logical clock."""

    device_id: str
    clock: HybridClock

    @classmethod
    def new(cls, device_id: str, last_stamp: str | None = None) -> DeviceContext:
        return cls(device_id, HybridClock(device_id, last_stamp))


def to_json_value(value: Any) -> Any:
    """A column value as it travels in a change: dates as ISO text, enums as their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    return value


_converters: dict[str, dict[str, Any]] = {}


def from_json_values(table_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """Values as they travel in a change (ISO dates, enum values) as column values again."""
    converters = _converters.get(table_name)
    if converters is None:
        table = Base.metadata.tables[table_name]
        converters = _converters[table_name] = {
            c.name: conv for c in table.columns if (conv := converter(c)) is not None
        }
    return {k: (converters[k](v) if k in converters else v) for k, v in values.items()}


def synced_columns(obj: Synced) -> list[str]:
    """The attribute names of `obj` that travel in a change."""
    return [
        attr.key
        for attr in object_mapper(obj).column_attrs
        if attr.key not in type(obj).LOCAL_COLUMNS
    ]


def _device(session: Session) -> DeviceContext:
    device = session.info.get("device")
    if not isinstance(device, DeviceContext):
        raise NoDeviceError("this session has no device context; synced rows cannot be written")
    return device


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, Synced):
            kind = AppendOnlyError if obj.__append_only__ else TombstoneError
            raise kind(f"{type(obj).__name__} rows are never deleted")
    now = utcnow()
    new = [obj for obj in session.new if isinstance(obj, Synced)]
    dirty = [obj for obj in session.dirty if isinstance(obj, Synced) and _has_synced_changes(obj)]
    for obj in dirty:
        if obj.__append_only__:
            raise AppendOnlyError(f"{type(obj).__name__} rows cannot be changed")
    # Stamped in the order their entries are written (parents before children, see
    # `_after_flush`), so the outbox's order is the clock's order.
    order = _table_order()
    stamping = sorted(
        [(obj, True) for obj in new] + [(obj, False) for obj in dirty],
        key=lambda item: order.get(
            cast(sa.Table, object_mapper(item[0]).local_table).name, len(order)
        ),
    )
    for obj, is_new in stamping:
        device = _device(session)
        if is_new:
            if obj.id is None:
                obj.id = new_id()
            obj.origin_device_id = obj.origin_device_id or device.device_id
            obj.created_at = obj.created_at or now
            if obj.field_versions is None:
                obj.field_versions = {}
        obj.hlc = device.clock.now()
        obj.updated_at = now
    if stamping:
        session.info["_flush_stamped"] = True


def _has_synced_changes(obj: Synced) -> bool:
    return any(get_history(obj, key).has_changes() for key in synced_columns(obj))


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if not session.info.pop("_flush_stamped", False):
        return
    device = _device(session)
    now = utcnow()
    entries: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Synced):
            changes = {key: to_json_value(getattr(obj, key)) for key in synced_columns(obj)}
            entries.append(_entry(obj, "insert", changes, now))
    for obj in session.dirty:
        if not isinstance(obj, Synced):
            continue
        changes = {}
        for key in synced_columns(obj):
            history = get_history(obj, key)
            if history.has_changes():
                changes[key] = to_json_value(history.added[0] if history.added else None)
        if set(changes) <= {"hlc", "updated_at"}:
            continue
        deleted = "deleted_at" in changes and changes["deleted_at"] is not None
        entries.append(_entry(obj, "delete" if deleted else "update", changes, now))
    if not entries:
        return
    # Parents before children, so a reader of the change feed never meets a row whose
    # parent it has not seen yet.
    order = _table_order()
    entries.sort(key=lambda entry: order.get(entry["table_name"], len(order)))
    # Who made the change: HQ checks their rights (a device's token proves only the device).
    user_id = session.info.get("user_id")
    for entry in entries:
        entry["user_id"] = user_id
    connection = session.connection()
    connection.execute(sa.insert(OutboxEntry), entries)
    _save_clock(connection, device)


def _table_order() -> dict[str, int]:
    global _order
    if _order is None:
        _order = {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}
    return _order


_order: dict[str, int] | None = None

# In the base of an update or delete: the newest version of any field of the row this device
# had seen, so HQ can tell a delete that raced an edit it never saw, and the other way round.
ROW_VERSION_KEY = "*"


def _entry(obj: Synced, op: str, changes: dict[str, Any], now: datetime) -> dict[str, Any]:
    versions = obj.field_versions or {}
    base = {key: versions[key] for key in changes if key in versions}
    if op != "insert" and versions:
        base[ROW_VERSION_KEY] = max(versions.values())
    return {
        "table_name": cast(sa.Table, object_mapper(obj).local_table).name,
        "row_id": obj.id,
        "op": op,
        "changes": changes,
        "base": base,
        "hlc": obj.hlc,
        "created_at": now,
        "pushed_at": None,
    }


def _save_clock(connection: sa.Connection, device: DeviceContext) -> None:
    set_local_value(connection, HLC_STATE_KEY, device.clock.last)


def install_change_tracking(sessions: sessionmaker[Session]) -> None:
    """Stamp and record every flush of the sessions `sessions` makes."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)


def prune(connection: sa.Connection, before: datetime) -> int:
    """Delete the outbox entries HQ acknowledged before `before`; returns how many went.

    An entry still waiting to be pushed is never deleted, nor is the newest entry: it keeps
    the highest sequence handed out, so SQLite numbers the next change above it and never
    reuses a number HQ already holds for this device."""
    newest = sa.select(sa.func.max(OutboxEntry.seq)).scalar_subquery()
    going = (
        OutboxEntry.pushed_at.is_not(None),
        OutboxEntry.pushed_at < before,
        OutboxEntry.seq < newest,
    )
    highest = connection.execute(sa.select(sa.func.max(OutboxEntry.seq)).where(*going)).scalar()
    if highest is None:
        return 0
    result = connection.execute(sa.delete(OutboxEntry).where(*going))
    if highest > int(local_value(connection, PRUNED_SEQ_KEY) or 0):
        set_local_value(connection, PRUNED_SEQ_KEY, str(highest))
    return int(result.rowcount)


def reserve_sequences(connection: sa.Connection, highest: int) -> bool:
    """Make the next outbox entries number above `highest` (HQ holds this device's changes up
    to it: a laptop restored from an older backup would otherwise hand the same numbers out
    again). Waiting entries move above it; when no entry holds a number that high, an entry
    marked as already pushed keeps it. Whether anything moved."""
    top = connection.execute(sa.select(sa.func.max(OutboxEntry.seq))).scalar() or 0
    if top >= highest:  # the next entry numbers above it already
        return False
    lowest = connection.execute(
        sa.select(sa.func.min(OutboxEntry.seq)).where(OutboxEntry.pushed_at.is_(None))
    ).scalar()
    if lowest is not None:
        connection.execute(
            sa.update(OutboxEntry)
            .where(OutboxEntry.pushed_at.is_(None))
            .values(seq=OutboxEntry.seq + (highest + 1 - lowest))
        )
        return True
    now = utcnow()
    connection.execute(
        sa.insert(OutboxEntry).values(
            seq=highest,
            table_name="",
            row_id="",
            op=RESERVED_OP,
            changes={},
            base={},
            hlc="",
            created_at=now,
            pushed_at=now,
        )
    )
    return True
