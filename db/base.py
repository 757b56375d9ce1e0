"""The declarative base and the columns every synced table carries."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.ids import new_id

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _enum_values(enum_class: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in enum_class]


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        # Enums are stored as their values in plain strings, portable to PostgreSQL.
        enum.Enum: sa.Enum(enum.Enum, native_enum=False, length=40, values_callable=_enum_values),
        dict[str, Any]: sa.JSON,
        list[str]: sa.JSON,
        datetime: UTCDateTime(),
        date: sa.Date,
    }


def uuid_fk(target: str, *, nullable: bool = False, index: bool = True) -> Mapped[Any]:
    """A foreign key column to another synced table's UUID primary key."""
    return mapped_column(sa.String(36), sa.ForeignKey(target), nullable=nullable, index=index)


class Synced:
    """Columns of every table that syncs with headquarters.

    `origin_device_id` is the device that created the row, `hlc` the clock stamp of its last
    change, `deleted_at` the soft-delete tombstone (rows are never DELETEd). `field_versions`
    is local bookkeeping for sync: for each field, HQ's sequence number of the last accepted
    change this device has seen; it never travels in a change.
    """

    __append_only__: ClassVar[bool] = False
    # Columns that are local bookkeeping and never recorded in the outbox.
    LOCAL_COLUMNS: ClassVar[frozenset[str]] = frozenset({"field_versions"})

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_id)
    origin_device_id: Mapped[str] = mapped_column(sa.String(36))
    hlc: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    field_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AppendOnly(Synced):
    """A synced record that is never changed or deleted; a correction is a new record."""

    __append_only__: ClassVar[bool] = True
