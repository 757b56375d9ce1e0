"""What sync leaves for a person: conflicts to resolve, changes that could not apply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Synced


class SyncConflict(Synced, Base):
    """Two values written concurrently to the same field (or an edit racing a delete).

    HQ decides the winner (clock stamp, then device) and applies it everywhere; the other value
    is kept here until a person picks one or types a new one. Created by HQ, synced to the
    branch that owns the record; a resolution syncs like any change.
    """

    __tablename__ = "sync_conflict"

    table_name: Mapped[str] = mapped_column(sa.String(60))
    row_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    field: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[str] = mapped_column(sa.String(20))  # field | delete | transition
    winner_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    winner_device_id: Mapped[str] = mapped_column(sa.String(36))
    winner_hlc: Mapped[str] = mapped_column(sa.String(80))
    other_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    other_device_id: Mapped[str] = mapped_column(sa.String(36))
    other_hlc: Mapped[str] = mapped_column(sa.String(80))
    status: Mapped[str] = mapped_column(sa.String(20), default="open", index=True)
    resolved_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(sa.String(200))
    resolved_at: Mapped[datetime | None]


class SyncQuarantine(Base):
    """A change that could not be applied, with the reason; it never blocks the rest.

    `direction` is "push" (HQ refused this laptop's change) or "pull" (a change from HQ that
    this laptop's database refused). Local to the device.
    """

    __tablename__ = "sync_quarantine"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(sa.String(10))
    table_name: Mapped[str] = mapped_column(sa.String(60))
    row_id: Mapped[str] = mapped_column(sa.String(36))
    change: Mapped[dict[str, Any]]
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    dismissed_at: Mapped[datetime | None]
