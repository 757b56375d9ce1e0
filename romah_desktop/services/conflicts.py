"""Sync conflicts and quarantined changes, as a person sees and settles them on the laptop.

HQ already applied one value everywhere (the later clock stamp); the conflict keeps the other.
Resolving writes the chosen (or newly typed) value to the record and closes the conflict, both
as ordinary changes, so the resolution reaches HQ and the other laptops with the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import Base, Synced, utcnow
from db.models import Device, SyncConflict, SyncQuarantine
from db.outbox import from_json_values
from db.values import check, one_of_rule
from romah_desktop.errors import NotFound, RomahError, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor


@dataclass(frozen=True)
class ConflictView:
    id: str
    table_name: str
    row_id: str
    field: str
    kind: str
    current: Any
    current_by: str
    current_hlc: str
    other: Any
    other_by: str
    other_hlc: str
    created_at: datetime


@dataclass(frozen=True)
class QuarantineView:
    id: int
    direction: str
    table_name: str
    row_id: str
    reason: str
    created_at: datetime
    change: dict[str, Any]


def _device_names(session: Session, ids: set[str]) -> dict[str, str]:
    names = dict(session.execute(sa.select(Device.id, Device.name).where(Device.id.in_(ids))).all())
    return {i: names.get(i, i[-8:]) for i in ids}


def open_conflicts(session: Session, actor: Actor) -> list[ConflictView]:
    """Conflicts waiting for a person, oldest first."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    rows = session.scalars(
        sa.select(SyncConflict)
        .where(SyncConflict.status == "open", SyncConflict.deleted_at.is_(None))
        .order_by(SyncConflict.created_at)
    ).all()
    names = _device_names(
        session, {r.winner_device_id for r in rows} | {r.other_device_id for r in rows}
    )
    return [
        ConflictView(
            id=r.id,
            table_name=r.table_name,
            row_id=r.row_id,
            field=r.field,
            kind=r.kind,
            current=r.winner_value,
            current_by=names[r.winner_device_id],
            current_hlc=r.winner_hlc,
            other=r.other_value,
            other_by=names[r.other_device_id],
            other_hlc=r.other_hlc,
            created_at=r.created_at,
        )
        for r in rows
    ]


def _model(table_name: str) -> type[Synced]:
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(mapper.local_table, "name", None) == table_name and issubclass(cls, Synced):
            return cls
    raise NotFound(N_("This record type is unknown to this version of the app."))


def resolve_conflict(session: Session, actor: Actor, conflict_id: str, value: Any) -> None:
    """Keep `value` (one of the two, or a new one, as it travels: dates as ISO text) for the
    conflict's field.

    Raises PermissionDenied, NotFound, RomahError (settled already, append-only record) or
    ValidationError for a value the field cannot hold (the rules of `db/values.py`)."""
    actor.require(Permission.RESOLVE_CONFLICTS)
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.deleted_at is not None:
        raise NotFound(N_("This conflict does not exist."))
    if conflict.status != "open":
        raise RomahError(N_("This conflict has been resolved already."))
    model = _model(conflict.table_name)
    if model.__append_only__:
        raise RomahError(N_("Append-only records never change; this conflict cannot apply."))
    record = session.get(model, conflict.row_id)
    if record is None:
        raise NotFound(N_("The record of this conflict is not on this laptop."))
    # The rules HQ checks the same value by when the resolution arrives there.
    reason = check(conflict.table_name, conflict.field, value)
    if reason is not None:
        refused = ValidationError(
            conflict.field, N_("This value cannot be kept for {field}: {reason}"), reason=reason
        )
        refused.params["field"] = conflict.field  # the message's {field}, beside the form field
        raise refused
    try:
        converted = from_json_values(conflict.table_name, {conflict.field: value})[conflict.field]
        setattr(record, conflict.field, converted)
        if converted is True:
            _keep_one_of(session, conflict.table_name, model, record, conflict.field)
        session.flush()
    except (sa.exc.IntegrityError, ValueError, TypeError) as exc:
        session.rollback()
        raise RomahError(
            N_("This value cannot be kept for {field}: {reason}"),
            field=conflict.field,
            reason=str(exc)[:200],
        ) from None
    conflict.status = "resolved"
    conflict.resolved_value = value
    conflict.resolved_by = actor.username
    conflict.resolved_at = utcnow()
    audit.record(
        session,
        actor,
        "sync.conflict_resolved",
        conflict.table_name,
        conflict.row_id,
        {"field": conflict.field},
    )


def quarantined(session: Session, actor: Actor) -> list[QuarantineView]:
    """Changes that could not be applied and nobody has dismissed yet."""
    actor.require(Permission.SYNC)
    rows = session.scalars(
        sa.select(SyncQuarantine)
        .where(SyncQuarantine.dismissed_at.is_(None))
        .order_by(SyncQuarantine.id)
    ).all()
    return [
        QuarantineView(r.id, r.direction, r.table_name, r.row_id, r.reason, r.created_at, r.change)
        for r in rows
    ]


def _keep_one_of(session: Session, table: str, model: type[Synced], record: Any, flag: str) -> None:
    """A person chose the row that lost a one-of rule (the second primary phone): it takes the
    flag, and the row that held it gives it up in the same change, so HQ has nothing to settle
    again."""
    rule = one_of_rule(table, flag)
    if rule is None:
        return
    group = getattr(model, rule.group)
    others = session.scalars(
        sa.select(model).where(
            group == getattr(record, rule.group),
            getattr(model, flag).is_(True),
            model.deleted_at.is_(None),
            model.id != record.id,
        )
    )
    for other in others:
        setattr(other, flag, False)


def dismiss_quarantined(session: Session, actor: Actor, quarantine_id: int) -> None:
    """A person has read the reason and dealt with it (the entry stays, marked dismissed)."""
    actor.require(Permission.RESOLVE_CONFLICTS)
    row = session.get(SyncQuarantine, quarantine_id)
    if row is None:
        raise NotFound(N_("This quarantined change does not exist."))
    row.dismissed_at = utcnow()
    audit.record(session, actor, "sync.quarantine_dismissed", row.table_name, row.row_id)
