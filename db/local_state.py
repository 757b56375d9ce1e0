"""This laptop's own key/value facts (device id, clock, sync cursor, settings), read and
written through a session or a bare connection alike."""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models.local import LocalState

# Built once, with bound parameters: SQLAlchemy then finds each compiled in its cache at once
# (building a statement on every call cost more than running it).
_table = cast(sa.Table, LocalState.__table__)
_VALUE = sa.select(_table.c.value).where(_table.c.key == sa.bindparam("name"))
_UPDATE = (
    sa.update(_table).where(_table.c.key == sa.bindparam("name")).values(value=sa.bindparam("text"))
)
_INSERT = sa.insert(_table).values(key=sa.bindparam("name"), value=sa.bindparam("text"))


def local_value(db: Session | sa.Connection, key: str) -> str | None:
    """The value stored under `key`, or None."""
    return db.execute(_VALUE, {"name": key}).scalar_one_or_none()


def set_local_value(db: Session | sa.Connection, key: str, value: str) -> None:
    """Store `value` under `key`, replacing any earlier value."""
    parameters = {"name": key, "text": value}
    if not db.execute(_UPDATE, parameters).rowcount:  # type: ignore[attr-defined]
        db.execute(_INSERT, parameters)
