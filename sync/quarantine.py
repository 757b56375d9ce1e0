"""Retrying a quarantined change once its cause is put right.

A change pulled from HQ that this laptop could not apply is kept in `sync_quarantine` with the
reason (see `sync/apply.py`). After a fix (the value corrected, the app updated, the record it
points at arrived) a person retries it: the stored change goes through the same apply path as
a pulled page, in one transaction. If it applies, the entry is closed (marked dismissed, the
audit trail saying it was applied); if it still fails, nothing of it is written and the entry
stays with the reason of this attempt.

A change this laptop pushed that HQ refused is not retried here: HQ keeps its own copy under
this laptop's sequence number and answers a re-sent copy with the same refusal, so only HQ can
settle it (or a new edit on this laptop, which travels as a new change). When HQ's steward
retries it after a fix and it applies, HQ sends it back in the feed, and `settled_at_hq`
closes the laptop's entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import ValidationError as BadChange
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import OutboxEntry, SyncQuarantine
from romah_desktop.errors import NotFound, RomahError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from sync.apply import apply_page
from sync.protocol import Entry

PULLED = "pull"
PUSHED = "push"


@dataclass(frozen=True)
class Retried:
    """What a retry did: `applied` (then `rows` written; 0 when the record already held newer
    values, so nothing was left to apply), or not, with the `reason` it still fails."""

    applied: bool
    rows: int = 0
    reason: str | None = None


def retry_quarantined(session: Session, actor: Actor, quarantine_id: int) -> Retried:
    """Apply the quarantined pulled change `quarantine_id` again, in the caller's transaction.

    Raises PermissionDenied, NotFound (no such entry, or settled already) and RomahError for a
    change HQ refused (only HQ can settle it) or one too damaged to read."""
    actor.require(Permission.RESOLVE_CONFLICTS)
    row = session.get(SyncQuarantine, quarantine_id)
    if row is None or row.dismissed_at is not None:
        raise NotFound(N_("This quarantined change does not exist or has been settled already."))
    if row.direction != PULLED:
        raise RomahError(
            N_(
                "HQ refused this change and answers the same change sent again with the same "
                "refusal: ask HQ to settle it. To change the record, edit it again here; the "
                "new edit is sent with the next sync."
            )
        )
    try:
        entry = Entry.model_validate(row.change)
    except BadChange:
        raise RomahError(
            N_("This quarantined change cannot be read, so it cannot be applied again.")
        ) from None
    connection = session.connection()
    # Whatever this attempt sets aside is recorded after the entries already there.
    last = connection.scalar(sa.select(sa.func.max(SyncQuarantine.id))) or 0
    attempt = connection.begin_nested()
    try:
        result = apply_page(connection, [entry])
        reasons = (
            connection.scalars(
                sa.select(SyncQuarantine.reason)
                .where(SyncQuarantine.id > last)
                .order_by(SyncQuarantine.id)
            ).all()
            if result.quarantined
            else []
        )
    except BaseException:
        attempt.rollback()
        raise
    if result.quarantined:
        # Nothing of it is kept: not the rows, not a second quarantine entry.
        attempt.rollback()
        session.expire(row)
        row.reason = "; ".join(dict.fromkeys(reasons)) or row.reason
        audit.record(session, actor, "sync.quarantine_retry_failed", row.table_name, row.row_id)
        session.flush()
        return Retried(applied=False, reason=row.reason)
    attempt.commit()
    row.dismissed_at = utcnow()
    audit.record(
        session,
        actor,
        "sync.quarantine_applied",
        row.table_name,
        row.row_id,
        {"fields": sorted(entry.d)},
    )
    session.flush()
    return Retried(applied=True, rows=result.rows)


def settled_at_hq(connection: sa.Connection, entries: Sequence[Entry]) -> int:
    """Close this laptop's entries for its own changes HQ refused and has since applied (its
    steward retried them after a fix): such a change comes back in the feed with the clock
    stamp this laptop gave it. Returns how many were closed; one small query when none is
    open."""
    held = connection.execute(
        sa.select(SyncQuarantine.id, SyncQuarantine.table_name, SyncQuarantine.row_id)
        .add_columns(SyncQuarantine.change)
        .where(SyncQuarantine.direction == PUSHED, SyncQuarantine.dismissed_at.is_(None))
    ).all()
    if not held or not entries:
        return 0
    seqs = {int(h.change["seq"]): h for h in held if isinstance(h.change.get("seq"), int)}
    stamps = dict(
        connection.execute(
            sa.select(OutboxEntry.seq, OutboxEntry.hlc).where(OutboxEntry.seq.in_(seqs))
        ).all()
    )
    arrived = {(e.t, e.r, e.h) for e in entries}
    closed = [
        h.id for seq, h in seqs.items() if (h.table_name, h.row_id, stamps.get(seq)) in arrived
    ]
    if closed:
        connection.execute(
            sa.update(SyncQuarantine)
            .where(SyncQuarantine.id.in_(closed))
            .values(dismissed_at=utcnow())
        )
    return len(closed)
