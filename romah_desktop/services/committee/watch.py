"""The branch manager's watch over the committee's deadline: how it was kept (compliance),
what Today shows about it, and escalating a request that is late or about to be.

Compliance counts the requests whose answer fell due in a period, as they stand today, the
same population as the Reports page's compliance report, and its on-time figure is
`deadline.on_time_percent`: Today and Reports show one number for one period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import RequestStatus
from db.ids import new_id
from db.models import DeadlineEscalation, SupportRequest
from romah_desktop.dates import format_dual
from romah_desktop.errors import Conflict, ValidationError
from romah_desktop.grammar import REQUEST, count_phrase
from romah_desktop.i18n import N_, translate
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services import audit
from romah_desktop.services.committee import deadline
from romah_desktop.services.committee.compliance import STANDINGS, counts, due_requests, standings
from romah_desktop.services.committee.requests import get_request
from romah_desktop.services.committee.workspace import (
    CommitteeRow,
    committee_rows,
    in_reach,
    open_requests,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import local_day, required_text

# Today's compliance covers the requests whose answer fell due in this many last days.
COMPLIANCE_DAYS = 90
# Lists on Today and in the compliance view show at most this many rows each.
LIST_LIMIT = 100
# Today offers to escalate the requests overdue or due within this many days.
ESCALATE_WITHIN_DAYS = 3


@dataclass(frozen=True)
class Compliance:
    """How the committee kept its deadline for the requests whose answer fell due from
    `since` to `until`, as they stand today: answered on time or late, still open (not yet
    due, or overdue), returned for more information (clock stopped), and withdrawn before
    an answer."""

    since: date
    until: date
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    paused: int = 0
    withdrawn: int = 0
    problems: list[CommitteeRow] = field(default_factory=list)
    """Overdue requests and those answered late, most overdue first (at most LIST_LIMIT)."""

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.answered + self.open + self.overdue + self.paused + self.withdrawn

    @property
    def on_time_percent(self) -> float | None:
        """Answered on time, in percent, by the one definition (`deadline.on_time_percent`):
        of those answered or overdue; None when none was. Paused and withdrawn don't count."""
        return deadline.on_time_percent(self.on_time, self.late, self.overdue)


@dataclass(frozen=True)
class DeadlineWatch:
    """Today's view of the deadline: requests whose clock is stopped, open requests a
    manager escalated, and (for those who watch the deadline) the committee's compliance and
    the requests they may escalate (overdue or due within ESCALATE_WITHIN_DAYS days, not yet
    escalated; most overdue first)."""

    paused: list[CommitteeRow]
    escalated: list[CommitteeRow]
    compliance: Compliance | None
    can_escalate: bool
    escalatable: list[CommitteeRow] = field(default_factory=list)


def compliance(session: Session, actor: Actor, since: date, until: date, today: date) -> Compliance:
    """How the committee kept its deadline for the requests whose answer fell due from
    `since` to `until` (both included) in the actor's branch (every branch for those who see
    all). Raises PermissionDenied, ValidationError (a reversed period)."""
    actor.require(Permission.WATCH_DEADLINES)
    if until < since:
        raise ValidationError("until", N_("The period ends before it starts."))
    due = due_requests(since, until, in_reach(actor, SupportRequest.branch_id))
    conditions = standings(due, today)
    found = dict(zip(STANDINGS, session.execute(sa.select(*counts(conditions))).one(), strict=True))
    # The most overdue first: the earliest due dates.
    wanted = session.scalars(
        sa.select(due.c.id)
        .where(sa.or_(conditions["late"], conditions["open_overdue"]))
        .order_by(due.c.due_on, due.c.id)
        .limit(LIST_LIMIT)
    ).all()
    order = {request_id: n for n, request_id in enumerate(wanted)}
    rows = session.scalars(sa.select(SupportRequest).where(SupportRequest.id.in_(wanted))).all()
    return Compliance(
        since=since,
        until=until,
        on_time=int(found["on_time"] or 0),
        late=int(found["late"] or 0),
        open=int(found["open_not_due"] or 0),
        overdue=int(found["open_overdue"] or 0),
        paused=int(found["paused"] or 0),
        withdrawn=int(found["withdrawn"] or 0),
        problems=committee_rows(session, sorted(rows, key=lambda r: order[r.id])),
    )


def escalate(
    session: Session,
    actor: Actor,
    request_id: str,
    note: str,
    *,
    now: datetime | None = None,
) -> DeadlineEscalation:
    """Escalate a request the committee has not answered (the branch manager's step when the
    deadline is passed or near): recorded, audited and shown on Today until it is answered.
    Raises PermissionDenied, NotFound, ValidationError (the note), Conflict (not awaiting
    the committee, or already escalated)."""
    actor.require(Permission.WATCH_DEADLINES)
    request = get_request(session, actor, request_id)
    clean_note = required_text(note, "note", 1000)
    if request.status != RequestStatus.SUBMITTED:
        raise Conflict(
            N_("Only a request awaiting the committee can be escalated; this one is “{status}”."),
            status=request.status,
        )
    earlier = session.scalars(
        sa.select(DeadlineEscalation).where(
            DeadlineEscalation.request_id == request.id, DeadlineEscalation.deleted_at.is_(None)
        )
    ).first()
    if earlier is not None:
        raise Conflict(
            N_("This request was already escalated on {date}."),
            date=format_dual(local_day(earlier.escalated_at)),
        )
    escalation = DeadlineEscalation(
        id=new_id(),
        request_id=request.id,
        branch_id=request.branch_id,
        escalated_by_user_id=actor.user_id,
        escalated_at=now or utcnow(),
        note=clean_note,
    )
    session.add(escalation)
    audit.record(
        session,
        actor,
        "deadline.escalate",
        "deadline_escalation",
        escalation.id,
        {"request": request.id},
    )
    return escalation


def _overdue(actor: Actor, today: date) -> sa.Select[SupportRequest]:
    """Requests awaiting the committee whose answer was due before `today`, in the actor's
    reach (a request returned for more information is not: its clock is stopped)."""
    return open_requests(actor, [RequestStatus.SUBMITTED]).where(
        SupportRequest.committee_due_on < today
    )


def overdue_count(session: Session, actor: Actor, today: date) -> int:
    """How many requests in the actor's reach are past the committee's due date, unanswered.
    Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    counted = sa.select(sa.func.count()).select_from(_overdue(actor, today).subquery())
    return int(session.scalar(counted) or 0)


def overdue_notice(count: int, lang: str | None = None) -> str:
    """The sentence telling the signed-in user how many requests are overdue ("" for none)."""
    if count <= 0:
        return ""
    return translate(
        N_("The research committee's answer is overdue for {count}."),
        lang,
        count=count_phrase(count, REQUEST, lang, oblique=True),
    )


def overdue_status(count: int, lang: str | None = None) -> str:
    """The status bar's count of overdue requests ("" for none)."""
    if count <= 0:
        return ""
    return translate(
        N_("Committee's answer overdue: {count}"),
        lang,
        count=count_phrase(count, REQUEST, lang),
    )


def escalate_overdue(
    session: Session, actor: Actor, today: date, *, now: datetime | None = None
) -> list[str]:
    """Escalate every request in the actor's reach that is past the committee's due date and
    not yet escalated, without anyone asking (at sign-in and when Today is loaded): each is
    recorded, audited and synced as a manager's escalation is, in the name of the user signed
    in when it happened, with a note saying it was automatic. Returns the escalated requests'
    ids, most overdue first; again on the same data, it writes nothing. Raises
    PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    escalations = sa.select(DeadlineEscalation.request_id).where(
        DeadlineEscalation.deleted_at.is_(None)
    )
    requests = session.scalars(
        _overdue(actor, today)
        .where(SupportRequest.id.not_in(escalations))
        .order_by(SupportRequest.committee_due_on, SupportRequest.request_number)
    ).all()
    at = now or utcnow()
    for request in requests:
        assert request.committee_due_on is not None
        escalation = DeadlineEscalation(
            id=new_id(),
            request_id=request.id,
            branch_id=request.branch_id,
            escalated_by_user_id=actor.user_id,
            escalated_at=at,
            note=translate(
                N_("Escalated automatically: the committee's answer was due on {due}."),
                due=format_dual(request.committee_due_on),
            ),
        )
        session.add(escalation)
        audit.record(
            session,
            actor,
            "deadline.escalate",
            "deadline_escalation",
            escalation.id,
            {"request": request.id, "automatic": True},
        )
    return [request.id for request in requests]


def compliance_period(today: date) -> tuple[date, date]:
    """The stretch of due dates Today's compliance covers: the last COMPLIANCE_DAYS days up
    to `today`, both included."""
    return today - timedelta(days=COMPLIANCE_DAYS), today


def deadline_watch(session: Session, actor: Actor, today: date) -> DeadlineWatch:
    """Today's deadline view for the actor: requests returned for more information (clock
    stopped), open requests escalated, and, for those who watch the deadline, the compliance
    of the requests due in the last COMPLIANCE_DAYS days. Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    soonest_first = (SupportRequest.committee_due_on, SupportRequest.request_number)
    paused = session.scalars(
        open_requests(actor, [RequestStatus.NEEDS_INFO]).order_by(*soonest_first).limit(LIST_LIMIT)
    ).all()
    escalations = sa.select(DeadlineEscalation.request_id).where(
        DeadlineEscalation.deleted_at.is_(None)
    )
    escalated = session.scalars(
        open_requests(actor, [RequestStatus.SUBMITTED])
        .where(SupportRequest.id.in_(escalations))
        .order_by(*soonest_first)
        .limit(LIST_LIMIT)
    ).all()
    watcher = allowed(actor.roles, Permission.WATCH_DEADLINES)
    escalatable: Sequence[SupportRequest] = []
    if watcher:
        escalatable = session.scalars(
            open_requests(actor, [RequestStatus.SUBMITTED])
            .where(
                SupportRequest.id.not_in(escalations),
                SupportRequest.committee_due_on <= today + timedelta(days=ESCALATE_WITHIN_DAYS),
            )
            .order_by(*soonest_first)
            .limit(LIST_LIMIT)
        ).all()
    since, until = compliance_period(today)
    return DeadlineWatch(
        paused=committee_rows(session, paused),
        escalated=committee_rows(session, escalated),
        compliance=compliance(session, actor, since, until, today) if watcher else None,
        can_escalate=watcher,
        escalatable=committee_rows(session, escalatable),
    )
