"""Applying HQ's feed to the laptop's database.

A page of entries is applied in bulk: what the laptop holds of its rows is read in one query
per table (the ids travel as one JSON parameter), merged in memory, and written with SQL
inserts and updates grouped by table and field set (not one ORM object per row), never through
the ORM's change tracking, so nothing pulled goes back into the outbox; its people are then
indexed for search in one batch (`romah_desktop.search.reindex`), and the result is the same
as applying its entries one by one. Which pulled values take is the merge rule in
`sync/merge.py`: a field this laptop has edited and not yet pushed keeps the laptop's
value (HQ will see the concurrent edit when it arrives and send back the settled value), and a
field already held at a newer version keeps it. Every field applied records HQ's sequence in
`field_versions`, the base of this laptop's next edit.
One-of rules (one primary phone per person) need no step here: HQ keeps them in the push that
would break them and clears the flag of the losing row by a change of its own in the same
feed, so a finished pull holds one; until then readers pick one row the same way everywhere
(`PRIMARY_PHONE_ORDER` of `romah_desktop/services/people/beneficiaries.py`).
Every pulled value is checked first by the rules HQ checks a push with (`db/values.py`); an
entry with a value no column may hold is quarantined with the reason. A page that fails in any
other way (the database refuses it, a value will not convert) is retried entry by entry, and
the entries that still fail are quarantined with the reason: one bad record never blocks the
rest, and the cursor moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic_core import to_json

import romah_desktop.settings  # noqa: F401  (adds the branch settings' rule to db.values)
from db.base import Base, UTCDateTime, utcnow
from db.engine import note_pulled
from db.models import OutboxEntry, SyncQuarantine
from db.values import check_change, converter, synced_tables
from sync import merge
from sync.protocol import Entry, collector_paused


@dataclass
class Applied:
    rows: int = 0
    quarantined: int = 0
    max_hlc: str = ""


# Only synced tables: the feed can never write this device's own bookkeeping.
_TABLES = synced_tables()
# Append-only records are inserted once and never touched again, not even their versions.
APPEND_ONLY = frozenset(
    m.local_table.name  # type: ignore[attr-defined]
    for m in Base.registry.mappers
    if getattr(m.class_, "__append_only__", False)
)
_ORDER = {name: i for i, name in enumerate(_TABLES)}


# A valid enum value stays the text it is: SQLAlchemy stores the same text for it as for its
# member, without the lookups.
_CONVERTERS = {
    name: {
        c.name: conv
        for c in table.columns
        if (conv := converter(c, enum_members=False)) is not None
    }
    for name, table in _TABLES.items()
}


def _column_values(table_name: str, values: dict[str, Any]) -> dict[str, Any]:
    converters = _CONVERTERS[table_name]
    return {k: (converters[k](v) if k in converters else v) for k, v in values.items()}


def _pending_fields(connection: sa.Connection, row_ids: Sequence[str]) -> dict[str, set[str]]:
    """For each row, the fields this laptop changed and has not pushed yet."""
    pending: dict[str, set[str]] = {}
    if not connection.execute(
        sa.select(OutboxEntry.seq).where(OutboxEntry.pushed_at.is_(None)).limit(1)
    ).first():
        return pending
    for row_id, changes in connection.execute(
        sa.select(OutboxEntry.row_id, OutboxEntry.changes).where(
            OutboxEntry.pushed_at.is_(None), OutboxEntry.row_id.in_(_each(row_ids))
        )
    ):
        pending.setdefault(row_id, set()).update(changes)
    return pending


def _each(values: Collection[str]) -> sa.Select[tuple[Any]]:
    """The values as one JSON parameter (SQLite's `json_each`), for an IN of any length: a
    page's rows are looked up in one query per table."""
    return sa.select(sa.column("value")).select_from(
        sa.func.json_each(sa.literal(to_json(list(values)).decode()))
    )


# A page's changed pages of the database file stay in memory until its commit: SQLite's
# default cache (2 MB) spills a page of thousands of entries to the file mid-transaction,
# each database page encrypted, and writes it again at the commit.
PAGE_CACHE_KIB = 64 * 1024
ROOMY_ABOVE = 500  # entries


@contextmanager
def room_for(connection: sa.Connection, entries: int) -> Iterator[None]:
    """Around a page's whole transaction (begun inside): for a page of many entries, a page
    cache that holds what it changes until the commit, given back afterwards; and Python's
    cycle collector held off while its thousands of objects are made (they make no cycles)."""
    if entries <= ROOMY_ABOVE:
        yield
        return
    # On the driver's connection: a statement through SQLAlchemy would begin a transaction.
    driver = connection.connection.driver_connection
    assert driver is not None
    size = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    try:
        with collector_paused():
            yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(size)}")


def apply_page(connection: sa.Connection, entries: Sequence[Entry]) -> Applied:
    """Apply a page of the feed in the caller's transaction (with the cursor)."""
    result = Applied()
    if not entries:
        return result
    note_pulled(connection, {e.t for e in entries})
    result.max_hlc = max(e.h for e in entries)
    try:
        with connection.begin_nested():
            result.rows, result.quarantined = _apply(connection, entries)
    except Exception:  # whatever it was, the entries at fault are found one by one below
        result.rows = result.quarantined = 0
        for entry in entries:
            try:
                with connection.begin_nested():
                    rows, held = _apply(connection, [entry])
                result.rows += rows
                result.quarantined += held
            except Exception as exc:  # one change never stops the rest
                result.quarantined += 1
                _quarantine(connection, entry, _reason(exc))
    return result


def _orphans(
    connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]
) -> dict[str, str]:
    """Rows that point at a record this laptop does not have, with the reason.

    Foreign keys are only checked at COMMIT (they are deferred), where one bad row would undo
    the whole page; so they are checked here first, one query per reference.
    """
    orphans: dict[str, str] = {}
    for key in table.foreign_keys:
        column = key.parent.name
        wanted = {r[column] for r in rows if r.get(column) is not None}
        if not wanted:
            continue
        parent = key.column.table
        found = set(
            connection.execute(sa.select(key.column).where(key.column.in_(_each(wanted)))).scalars()
        )
        for row in rows:
            value = row.get(column)
            if value is not None and value not in found:
                orphans[row["id"]] = (
                    f"{table.name}.{column} points at a {parent.name} record "
                    "this laptop does not have"
                )
    return orphans


def _reason(exc: Exception) -> str:
    if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None:
        return str(exc.orig)[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


def _quarantine(connection: sa.Connection, entry: Entry, reason: str) -> None:
    connection.execute(
        sa.insert(SyncQuarantine).values(
            direction="pull",
            table_name=entry.t,
            row_id=entry.r,
            change=entry.model_dump(),
            reason=reason,
            created_at=utcnow(),
        )
    )


def _apply(connection: sa.Connection, entries: Sequence[Entry]) -> tuple[int, int]:
    """Apply entries; returns how many rows were written and how many were quarantined."""
    pending = _pending_fields(connection, [e.r for e in entries])
    # One merged set of values per row: later entries win field by field.
    merged: dict[str, dict[str, tuple[dict[str, Any], dict[str, int]]]] = {}
    set_aside = 0
    for entry in entries:
        if entry.t not in _TABLES:
            _quarantine(connection, entry, f"this version of the app has no table {entry.t}")
            set_aside += 1
            continue
        # Checked as HQ checks a push: a value HQ should never have let through (an older
        # HQ, a tampered feed) is set aside, not written.
        reason = check_change(entry.t, entry.d)
        if reason is not None:
            _quarantine(connection, entry, reason)
            set_aside += 1
            continue
        rows = merged.setdefault(entry.t, {})
        if entry.r in rows:
            values, versions = rows[entry.r]
            values.update(entry.d)
            versions.update(dict.fromkeys(entry.d, entry.g))
        else:
            rows[entry.r] = (dict(entry.d), dict.fromkeys(entry.d, entry.g))
    count = 0
    # The people whose search documents must be rebuilt, once, after the whole page; and the
    # phones written, whose people's numbers must be made again.
    people: set[str] = set()
    phones: list[dict[str, Any]] = []
    for table_name in sorted(merged, key=_ORDER.__getitem__):
        table = _TABLES[table_name]
        rows = merged[table_name]
        known = _known_versions(connection, table, list(rows))
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row_id, (values, versions) in rows.items():
            held = known.get(row_id)
            seen = held[0] if held is not None else None
            taken = _taking(values, versions, held, pending.get(row_id, set()))
            if held is not None and not taken:
                continue
            row = dict(taken)  # converted when written: `_insert`, `_update`
            row["id"] = row_id
            row["field_versions"] = versions if taken is values else {k: versions[k] for k in taken}
            groups.setdefault(("u" if seen is not None else "i", *sorted(row)), []).append(row)
        for (action, *names), group in groups.items():
            orphans = _orphans(connection, table, group)
            if orphans:
                for row_id, reason in orphans.items():
                    values, versions = rows[row_id]
                    edited_here = pending.get(row_id, set())
                    values = {k: v for k, v in values.items() if k not in edited_here}
                    top = max(versions[k] for k in values)
                    entry = Entry(g=top, t=table_name, r=row_id, d=values, h="")
                    _quarantine(connection, entry, reason)
                set_aside += len(orphans)
                group = [r for r in group if r["id"] not in orphans]
                if not group:
                    continue
            if action == "i":
                _insert(connection, table, tuple(names), group)
            elif table_name not in APPEND_ONLY:
                _update(connection, table, tuple(names), group)
            count += len(group)
            # As after a flush: only a change to what the index holds rebuilds it.
            if table_name == "beneficiary":
                if action == "i" or not _indexed_fields().isdisjoint(names):
                    people.update(r["id"] for r in group)
            elif table_name == "beneficiary_phone":
                if action == "i" or not _indexed_phone_fields().isdisjoint(names):
                    phones.extend(group)
    if people or phones:
        _reindex(connection, people, phones)
    return count, set_aside


def _taking(
    values: dict[str, Any],
    versions: dict[str, int],
    held: tuple[dict[str, int], str] | None,
    edited_here: set[str],
) -> dict[str, Any]:
    """The pulled values of one row that take here, by the rule in `sync.merge`: none that
    this laptop edited and has not pushed, no field it already holds at a newer version (its
    own change, just acknowledged by HQ), and the row's stamps only forward (an older entry
    pulled after this laptop's own newer edit must not lower them). A row this laptop does not
    have yet (`held` None) takes everything not edited here."""
    if held is None:  # nothing held to compare with: the common case of a large pull, kept fast
        return {k: v for k, v in values.items() if k not in edited_here} if edited_here else values
    held_versions, held_stamp = held
    pulled_stamp = "" if "hlc" in edited_here else str(values.get("hlc") or "")
    newer = merge.takes_stamp(pulled_stamp, held_stamp)
    return {
        k: v
        for k, v in values.items()
        if (
            (newer and k not in edited_here)
            if k in merge.STAMP_FIELDS
            else merge.pulled_value_takes(
                versions[k], held_versions.get(k, 0), edited_here=k in edited_here
            )
        )
    }


def _known_versions(
    connection: sa.Connection, table: sa.Table, ids: list[str]
) -> dict[str, tuple[dict[str, int], str]]:
    """The field versions and clock stamp of the rows this laptop already has, by id."""
    return {
        row_id: (versions or {}, stamp or "")
        for row_id, versions, stamp in connection.execute(
            sa.select(table.c.id, table.c.field_versions, table.c.hlc).where(
                table.c.id.in_(_each(ids))
            )
        )
    }


# Columns a Core insert would fill from a Python default when a row leaves them out.
_DEFAULTED = {
    name: frozenset(c.name for c in table.columns if c.default is not None)
    for name, table in _TABLES.items()
}
_Processor = Callable[[Any], Any] | None
_processors: dict[tuple[str, str, str], _Processor] = {}


def _processor(dialect: sa.Dialect, column: sa.Column[Any]) -> _Processor:
    """The column type's own conversion to the driver's value, found once; JSON columns are
    written with the fast serialiser (the same text as the engine's: compact, UTF-8 kept)."""
    key = (dialect.name, column.table.name, column.name)
    if key not in _processors:
        kind = column.type
        if isinstance(kind, sa.JSON):
            _processors[key] = lambda v: to_json(v).decode()
        elif isinstance(kind, UTCDateTime) and dialect.name == "sqlite":
            _processors[key] = _sqlite_utc
        else:
            _processors[key] = kind.dialect_impl(dialect).bind_processor(dialect)
    return _processors[key]


def _sqlite_utc(value: datetime | None) -> str | None:
    """UTCDateTime's conversion followed by SQLite's DATETIME text (naive UTC, always with
    microseconds), in one step: through the two type layers it was the costliest value of
    every pulled row."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _insert(
    connection: sa.Connection, table: sa.Table, names: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """Insert rows that all carry the fields `names`, straight to the driver: each value goes
    through its column type's conversion exactly as in a Core insert, without SQLAlchemy's
    per-row parameter machinery (most of the cost of applying a page of new records)."""
    if not _DEFAULTED[table.name] <= set(names):
        # A default to fill in: let Core do it.
        connection.execute(sa.insert(table), [_column_values(table.name, r) for r in rows])
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    # Column by column, then zipped into the rows' parameter tuples.
    columns = [_written(dialect, table.c[name], [row[name] for row in rows]) for name in names]
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join([mark] * len(names))})",
        list(zip(*columns, strict=True)),
    )


def _written(dialect: sa.Dialect, column: sa.Column[Any], values: list[Any]) -> list[Any]:
    """A column's pulled values as the driver takes them: converted from how they travel
    (`_column_values`), then by the column type (`_processor`). Values with a conversion from
    how they travel (dates, times, enums) are text or None once checked, and a value repeated
    in the page (a day, a time, a status) is converted once."""
    convert = _CONVERTERS[column.table.name].get(column.name)
    process = _processor(dialect, column)
    if convert is None:
        return values if process is None else list(map(process, values))
    step = convert if process is None else lambda v: process(convert(v))
    done: dict[str | None, Any] = {}
    return [done[v] if v in done else done.setdefault(v, step(v)) for v in values]


def _update(
    connection: sa.Connection, table: sa.Table, names: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """Set the pulled fields of rows this laptop has, merging their versions."""
    values: dict[str, Any] = {
        name: sa.bindparam(f"v_{name}", type_=table.c[name].type)
        for name in names
        if name not in ("id", "field_versions")
    }
    values["field_versions"] = sa.func.json_patch(
        sa.func.coalesce(table.c.field_versions, "{}"),
        sa.bindparam("v_field_versions", type_=sa.JSON),
    )
    stmt = sa.update(table).where(table.c.id == sa.bindparam("v_id")).values(values)
    connection.execute(
        stmt,
        [{f"v_{k}": v for k, v in _column_values(table.name, row).items()} for row in rows],
    )


def _indexed_fields() -> frozenset[str]:
    from romah_desktop.search import INDEXED_FIELDS

    return INDEXED_FIELDS


def _indexed_phone_fields() -> frozenset[str]:
    from romah_desktop.search import INDEXED_PHONE_FIELDS

    return INDEXED_PHONE_FIELDS


def _reindex(connection: sa.Connection, people: set[str], phones: Sequence[dict[str, Any]]) -> None:
    """Index the page's people whose indexed fields it wrote, and make the numbers of the
    people whose phones it wrote again (their names, indexed with an earlier page, are kept:
    a page of people followed by a page of their phones makes each name once)."""
    from romah_desktop.search import reindex

    # A phone written with its person (every insert) names them; the others are looked up.
    owners = {r["beneficiary_id"] for r in phones if "beneficiary_id" in r}
    unknown = [r["id"] for r in phones if "beneficiary_id" not in r]
    if unknown:
        phone = _TABLES["beneficiary_phone"]
        owners.update(
            connection.execute(
                sa.select(phone.c.beneficiary_id).where(phone.c.id.in_(_each(unknown)))
            ).scalars()
        )
    reindex(connection, people, phones_of=owners)
