"""The audit trail: one append-only event per change, chained by hash on each device."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.canonical import canonical_json
from db.ids import new_id
from db.local_state import local_value, set_local_value
from db.models import AuditEvent, User
from db.models.local import LocalState
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor, this_device

if TYPE_CHECKING:
    from db.engine import Database

GENESIS_HASH = "0" * 64
_TAIL_KEY = "audit_tail"


def _forget_tail(session: Session, *_args: object) -> None:
    # The cached end of the chain is only trusted within one transaction.
    session.info.pop(_TAIL_KEY, None)


def install(db: Database) -> None:
    """Forget the cached end of the chain when each of `db`'s transactions ends."""
    db.listen("after_commit", _forget_tail)
    db.listen("after_soft_rollback", _forget_tail)


def _event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "device_id": event.device_id,
        "device_seq": event.device_seq,
        "occurred_at": event.occurred_at.isoformat(),
        "user_id": event.user_id,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


# An event recorded at the next completed sync rather than at once (see `defer`).
DEFERRED_KEY = "audit.deferred"


def defer(session: Session, actor: Actor, action: str, entity: str) -> None:
    """Record this event when the next sync has completed, not now: a laptop restored from an
    older backup first takes back from HQ the later events of its own chain, whose numbers an
    event recorded now would take (and then clash with)."""
    event = {"user_id": actor.user_id, "action": action, "entity": entity}
    set_local_value(session, DEFERRED_KEY, json.dumps({**event, "at": utcnow().isoformat()}))


def record_deferred(session: Session) -> None:
    """Record the event `defer` set aside, if any, with when it happened in its details."""
    held = local_value(session, DEFERRED_KEY)
    if held is None:
        return
    event = json.loads(held)
    user = session.get(User, event["user_id"]) if event["user_id"] else None
    actor = Actor.of(user) if user is not None else None
    record(session, actor, event["action"], event["entity"], details={"at": event["at"]})
    session.execute(sa.delete(LocalState).where(LocalState.key == DEFERRED_KEY))


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event to this device's chain, in the caller's transaction.

    `details` must not hold national IDs or other personal data in clear: name the fields
    that changed, not their values.
    """
    device_id = this_device(session).device_id
    tail = session.info.get(_TAIL_KEY)
    if tail is None:
        # Nothing of this chain can be pending yet (the tail is cached after the first event
        # of a transaction), so the lookup need not flush the caller's other changes.
        with session.no_autoflush:
            last = session.execute(
                sa.select(AuditEvent.device_seq, AuditEvent.hash)
                .where(AuditEvent.device_id == device_id)
                .order_by(AuditEvent.device_seq.desc())
                .limit(1)
            ).first()
        tail = (last.device_seq, last.hash) if last else (0, GENESIS_HASH)
    seq, prev_hash = tail[0] + 1, tail[1]
    event = AuditEvent(
        device_id=device_id,
        device_seq=seq,
        occurred_at=utcnow(),
        user_id=actor.user_id if actor else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=details or {},
        prev_hash=prev_hash,
    )
    event.id = new_id()
    event.hash = _event_hash(_hashed_fields(event))
    session.add(event)
    session.info[_TAIL_KEY] = (seq, event.hash)
    return event


@dataclass(frozen=True)
class ChainProblem:
    device_id: str
    device_seq: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    devices: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session, actor: Actor) -> ChainReport:
    """Check every device's chain: sequence without gaps, each link and each hash."""
    actor.require(Permission.VERIFY_AUDIT)
    problems: list[ChainProblem] = []
    count = 0
    devices: set[str] = set()
    expected_seq: dict[str, int] = {}
    prev: dict[str, str] = {}
    rows = session.scalars(
        sa.select(AuditEvent)
        .order_by(AuditEvent.device_id, AuditEvent.device_seq)
        .execution_options(yield_per=1000)
    )
    for event in rows:
        count += 1
        device = event.device_id
        devices.add(device)
        seq = expected_seq.get(device, 1)
        if event.device_seq != seq:
            problems.append(ChainProblem(device, event.device_seq, f"expected event {seq}"))
        if event.prev_hash != prev.get(device, GENESIS_HASH):
            problems.append(ChainProblem(device, event.device_seq, "link to previous broken"))
        if _event_hash(_hashed_fields(event)) != event.hash:
            problems.append(ChainProblem(device, event.device_seq, "content altered"))
        expected_seq[device] = event.device_seq + 1
        prev[device] = event.hash
    return ChainReport(count, len(devices), problems)
