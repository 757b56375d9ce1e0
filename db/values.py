"""What a synced value may be, read from the models: one definition for HQ and the laptops.

A value travels in a change as JSON (dates and timestamps as ISO text, enums as their value).
Before HQ accepts a pushed change, before a laptop applies a pulled one, and before either
keeps the value a person chose for a conflict, each value is checked against its column: its
type, a String's length, nullability, an Enum's members, a date or timestamp that parses and
falls within a sane range, and no NUL character anywhere in any text (PostgreSQL cannot hold
one in text, and its JSON functions fail on one). Nothing here knows about a domain rule (a
birth date in the future, an invalid national ID); those belong to the services.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

import db.models  # noqa: F401  (registers every model)
from db.base import Base, Synced, UTCDateTime

# Years a date (a birth date, a meeting day) and a timestamp (when something happened or is
# due) may fall in; a value outside is a typing slip or a corrupted record.
DATE_YEARS = (1900, 2100)
TIMESTAMP_YEARS = (1900, 2200)

Check = Callable[[Any], str | None]


def column_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    """The column's underlying SQL type (a TypeDecorator's implementation)."""
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):
        return kind.impl_instance
    return kind


def converter(column: sa.Column[Any], *, enum_members: bool = True) -> Callable[[Any], Any] | None:
    """How a value as it travels (ISO dates, enum values) becomes the column's value, or None
    when it is stored as it travels. With `enum_members` False a valid enum value stays the
    text it is (SQLAlchemy stores the same text for it as for its member, without the
    lookups). The returned function raises ValueError for a value it cannot convert."""
    kind = column_type(column)
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        enum_class = kind.enum_class
        valid = frozenset(str(m.value) for m in enum_class)

        def enum_value(v: Any) -> Any:
            if v is None or (not enum_members and isinstance(v, str) and v in valid):
                return v
            return enum_class(v)

        return enum_value
    try:
        python = kind.python_type
    except NotImplementedError:
        return None
    if python is datetime:
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if python is date:
        return lambda v: None if v is None else date.fromisoformat(v)
    return None


def synced_tables() -> dict[str, sa.Table]:
    """Every table that syncs with HQ, by name, parents before children."""
    synced = {
        mapper.local_table.name
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, Synced) and isinstance(mapper.local_table, sa.Table)
    }
    return {t.name: t for t in Base.metadata.sorted_tables if t.name in synced}


def synced_columns(table: sa.Table) -> frozenset[str]:
    """The columns of a synced table that travel in a change (not local bookkeeping)."""
    return frozenset(c.name for c in table.columns) - Synced.LOCAL_COLUMNS


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def json_problem(value: Any) -> str | None:
    """Why `value` cannot be stored as JSON everywhere (a NUL character in a text or a key, a
    number that is not finite, a value JSON does not have), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "contains a NUL character"
        elif isinstance(item, bool) or item is None or isinstance(item, int):
            continue
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "contains a number that is not finite"
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str) or "\x00" in key:
                    return "contains a key that is not plain text"
                stack.append(inner)
        else:
            return f"contains {type(item).__name__}, which JSON does not have"
    return None


def _text_check(label: str, limit: int | None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"{label} must be text, not {_kind_of(value)}."
        if "\x00" in value:
            return f"{label} contains a NUL character."
        if limit is not None and len(value) > limit:
            return f"{label} is longer than {limit} characters ({len(value)})."
        return None

    return check


def _enum_check(label: str, kind: sa.Enum) -> Check:
    valid = frozenset(str(v) for v in kind.enums)
    shown = ", ".join(sorted(valid))

    def check(value: Any) -> str | None:
        if not isinstance(value, str) or value not in valid:
            return f"{label} must be one of {shown}, not {_show(value)}."
        return None

    return check


def _integer_check(label: str, kind: sa.Integer) -> Check:
    bits = 32
    if isinstance(kind, sa.SmallInteger):
        bits = 16
    elif isinstance(kind, sa.BigInteger):
        bits = 64
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{label} must be a whole number, not {_kind_of(value)}."
        if not low <= value <= high:
            return f"{label} is out of range ({_show(value)})."
        return None

    return check


def _number_check(label: str) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{label} must be a number, not {_kind_of(value)}."
        if isinstance(value, float) and not math.isfinite(value):
            return f"{label} must be a finite number."
        return None

    return check


def _boolean_check(label: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, bool):
            return f"{label} must be true or false, not {_show(value)}."
        return None

    return check


def _date_check(label: str) -> Check:
    first, last = DATE_YEARS

    def check(value: Any) -> str | None:
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            return f"{label} must be a date written YYYY-MM-DD, not {_show(value)}."
        if not first <= day.year <= last:
            return f"{label} must be a date from {first} to {last}, not {_show(value)}."
        return None

    return check


def _timestamp_check(label: str, zoned: bool) -> Check:
    first, last = TIMESTAMP_YEARS

    def check(value: Any) -> str | None:
        try:
            when = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            when = None
        if when is None:
            return f"{label} must be a date and time in ISO 8601, not {_show(value)}."
        if zoned and when.tzinfo is None:
            return f"{label} must carry its time zone ({_show(value)})."
        if not first <= when.year <= last:
            return f"{label} must be a time from {first} to {last}, not {_show(value)}."
        return None

    return check


def _json_check(label: str) -> Check:
    def check(value: Any) -> str | None:
        problem = json_problem(value)
        return None if problem is None else f"{label} {problem}."

    return check


def column_check(column: sa.Column[Any]) -> Check:
    """The check of one column's values as they travel: None when acceptable, else the reason."""
    label = f"{column.table.name}.{column.name}"
    kind = column_type(column)
    check: Check
    if isinstance(kind, sa.Enum):
        check = _enum_check(label, kind)
    elif isinstance(kind, sa.String):
        check = _text_check(label, kind.length)
    elif isinstance(kind, sa.Boolean):
        check = _boolean_check(label)
    elif isinstance(kind, sa.Integer):
        check = _integer_check(label, kind)
    elif isinstance(kind, sa.Float | sa.Numeric):
        check = _number_check(label)
    elif isinstance(kind, sa.DateTime):
        check = _timestamp_check(label, isinstance(column.type, UTCDateTime) or kind.timezone)
    elif isinstance(kind, sa.Date):
        check = _date_check(label)
    else:  # JSON, and any type not known here: storable JSON at least
        check = _json_check(label)
    # JSON's None is stored as JSON null, never as a missing value.
    if column.nullable or isinstance(kind, sa.JSON):
        inner = check
        return lambda value: None if value is None else inner(value)
    required = f"{label} must have a value."
    strict = check
    return lambda value: required if value is None else strict(value)


def _build() -> dict[str, dict[str, Check]]:
    return {
        name: {c.name: column_check(c) for c in table.columns if c.name in synced_columns(table)}
        for name, table in synced_tables().items()
    }


_CHECKS = _build()


def add_rule(table: str, column: str, rule: Check) -> None:
    """Check `table.column`'s values by `rule` too (after its column's own check, and never
    for None): a rule whose meaning is declared above db, e.g. the branch settings map, which
    `romah_desktop.settings` adds when imported (sync imports it before it checks a value)."""
    first = _CHECKS[table][column]

    def both(value: Any) -> str | None:
        reason = first(value)
        return reason if reason is not None or value is None else rule(value)

    _CHECKS[table][column] = both


@dataclass(frozen=True)
class OneOf:
    """A rule that of the live rows of `table` sharing a value of `group` (the parent record),
    at most one holds `flag` set to True."""

    table: str
    group: str
    flag: str
    # The table `group` points at: a parent HQ has never held before a push (new in it) has no
    # other rows to compare with.
    parent: str


# Every one-of rule, in one place: HQ's push keeps them (`sync.merge.keep_one`) and a person
# settling a `one_of` conflict on a laptop keeps them too.
ONE_OF: tuple[OneOf, ...] = (
    OneOf("beneficiary_phone", "beneficiary_id", "is_primary", "beneficiary"),
)


def one_of_rule(table: str, flag: str) -> OneOf | None:
    """The one-of rule over `table`'s field `flag`, if there is one."""
    return next((r for r in ONE_OF if r.table == table and r.flag == flag), None)


def check(table: str, column: str, value: Any) -> str | None:
    """Why `value` (as it travels) cannot be the value of `table.column`, or None if it can."""
    columns = _CHECKS.get(table)
    if columns is None:
        return f"There is no synced table {_show(table)}."
    found = columns.get(column)
    if found is None:
        return f"{table} has no field {_show(column)}."
    return found(value)


def check_change(table: str, values: dict[str, Any]) -> str | None:
    """The first reason any of `values` (field → value as it travels) cannot be stored in
    `table`, or None when every one can."""
    columns = _CHECKS.get(table)
    if columns is None:
        return f"There is no synced table {_show(table)}."
    for name, value in values.items():
        found = columns.get(name)
        if found is None:
            return f"{table} has no field {_show(name)}."
        reason = found(value)
        if reason is not None:
            return reason
    return None
