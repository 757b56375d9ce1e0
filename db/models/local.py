"""Tables that belong to this device alone and never sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class OutboxEntry(Base):
    """One local change waiting to be pushed to HQ.

    `seq` is the device sequence: together with the device id it makes a push idempotent.
    `changes` holds the changed fields' new values; `base` the version of each field this
    device had last seen, so HQ can tell a concurrent edit from a plain update. `user_id` is
    the user signed in when the change was made (HQ checks their rights), if any.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(sa.String(60))
    row_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    op: Mapped[str] = mapped_column(sa.String(10))  # insert | update | delete
    changes: Mapped[dict[str, Any]]
    base: Mapped[dict[str, Any]]
    hlc: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime]
    pushed_at: Mapped[datetime | None] = mapped_column(index=True)
    user_id: Mapped[str | None] = mapped_column(sa.String(36))


class LocalState(Base):
    """Small key/value facts about this device: its id, its clock, its branch."""

    __tablename__ = "local_state"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


class NumberSequence(Base):
    """The next number for each kind of human-readable number on this device."""

    __tablename__ = "number_sequence"

    kind: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    next_value: Mapped[int] = mapped_column(sa.Integer, default=1)
