"""This laptop's own key/value facts (device id, clock, sync cursor, settings), read and
written through a session or a bare connection alike."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models.local import LocalState


def local_value(db: Session | sa.Connection, key: str) -> str | None:
    """The value stored under `key`, or None."""
    return db.execute(sa.select(LocalState.value).where(LocalState.key == key)).scalar_one_or_none()


def set_local_value(db: Session | sa.Connection, key: str, value: str) -> None:
    """Store `value` under `key`, replacing any earlier value."""
    updated = db.execute(sa.update(LocalState).where(LocalState.key == key).values(value=value))
    if not updated.rowcount:  # type: ignore[attr-defined]
        db.execute(sa.insert(LocalState).values(key=key, value=value))
