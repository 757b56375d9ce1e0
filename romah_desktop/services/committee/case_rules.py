"""When the research committee may decide a request, and when it may correct its decision.

A request is decided while it is before the committee: submitted, or returned for more
information (the answer to a return is a new decision). A decision in force is corrected by a
new decision that supersedes it, while the request stands decided (approved, rejected or
returned) and no service was delivered on it: once something was handed over, the decision
it rests on stays. `requests.record_decision` refuses with these rules, and the case file the
screens show carries their answer (`CaseFile.can_decide`, `CaseFile.can_correct`), so a button
is enabled exactly when the write would be accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import RequestStatus
from db.models import ServiceDelivery, SupportRequest
from romah_desktop.errors import Conflict, PermissionDenied, RomahError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission, require
from romah_desktop.services.context import Actor

# Requests before the committee: a decision recorded now answers them.
AWAITING_DECISION = frozenset({RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO})
# Requests whose decision in force a correction may still supersede (before any delivery).
CORRECTABLE = frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.NEEDS_INFO})


def has_deliveries(session: Session, request_id: str) -> bool:
    """Whether a (live) service delivery was recorded on the request."""
    found = session.scalar(
        sa.select(ServiceDelivery.id)
        .where(ServiceDelivery.request_id == request_id, ServiceDelivery.deleted_at.is_(None))
        .limit(1)
    )
    return found is not None


def decision_refusal(status: RequestStatus) -> Conflict | None:
    """Why a new decision cannot be recorded on a request in `status`, or None when it can."""
    if status in AWAITING_DECISION:
        return None
    return Conflict(
        N_("Only a request submitted to the committee can be decided; this one is “{status}”."),
        status=status,
    )


def correction_refusal(status: RequestStatus, delivered: bool) -> Conflict | None:
    """Why the decision in force on a request in `status` cannot be corrected (`delivered`: a
    service was delivered on it), or None when it can."""
    if status in CORRECTABLE and not delivered:
        return None
    return Conflict(
        N_("The decision can no longer be corrected: the request is “{status}”."), status=status
    )


@dataclass(frozen=True)
class CaseActions:
    """What the acting user may do with a request's decision now, and why not."""

    can_decide: bool
    """A new decision may be recorded (the request is before the committee)."""
    can_correct: bool
    """The decision in force may be corrected by a new one that supersedes it."""
    refusal: RomahError | None = None
    """Why neither is possible (None when one of them is)."""


def case_actions(session: Session, actor: Actor, request: SupportRequest) -> CaseActions:
    """Whether `actor` may decide `request` or correct its decision, by the rules
    `record_decision` enforces (the permission to record decisions included)."""
    try:
        require(actor.roles, Permission.RECORD_DECISION)
    except PermissionDenied as denied:
        return CaseActions(False, False, denied)
    not_decidable = decision_refusal(request.status)
    not_correctable = correction_refusal(
        request.status, request.status in CORRECTABLE and has_deliveries(session, request.id)
    )
    return CaseActions(
        can_decide=not_decidable is None,
        can_correct=not_correctable is None,
        refusal=None
        if not_decidable is None or not_correctable is None
        else (not_correctable if request.status in CORRECTABLE else not_decidable),
    )
