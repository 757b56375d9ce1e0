"""Support requests: from draft to the research committee's decision and the service delivered.

The committee answers within the policy's period (setting ``committee_answer_days``, two weeks
by default), counted from the day the request is submitted; the clock stops while the request
is returned for more information (see services.committee.deadline). Decisions are append-only: a
correction is a new decision that supersedes the one it corrects.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import Channel, DecisionOutcome, RequestStatus, RequestType, ServiceType
from db.ids import new_id
from db.models import CommitteeDecision, CommitteeMeeting, ServiceDelivery, SupportRequest
from romah_desktop import settings
from romah_desktop.dates import format_dual
from romah_desktop.errors import Conflict, NotFound
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.committee import deadline
from romah_desktop.services.committee.case_rules import (
    correction_refusal,
    decision_refusal,
    has_deliveries,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    live_beneficiary,
    local_day,
    optional_money,
    optional_text,
    required_text,
)
from romah_desktop.services.intake.declarations import current_declaration
from romah_desktop.services.numbers import next_request_number
from romah_desktop.validation import format_money

# Requests whose very purpose is an amount of money.
AMOUNT_REQUIRED = frozenset({RequestType.CASH, RequestType.RENT})
_STATUS_OF = {
    DecisionOutcome.APPROVE: RequestStatus.APPROVED,
    DecisionOutcome.REJECT: RequestStatus.REJECTED,
    DecisionOutcome.NEED_INFO: RequestStatus.NEEDS_INFO,
}


def get_request(session: Session, actor: Actor, request_id: str) -> SupportRequest:
    """A live request in a branch the actor may see. Raises PermissionDenied or NotFound."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    request = session.get(SupportRequest, request_id)
    if request is None or request.deleted_at is not None:
        raise NotFound(N_("This support request was not found."))
    actor.require_branch(request.branch_id)
    return request


def _positive(halalas: int | None, field: str, form: FormCheck) -> None:
    if halalas is not None and halalas <= 0:
        form.fail(field, N_("The amount must be more than zero."))


def create_request(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str,
    request_type: RequestType,
    amount: str | None,
    justification: str,
    channel: Channel,
    today: date | None = None,
) -> SupportRequest:
    """Open a draft support request for a person, numbered on this device.

    `amount` is riyals as typed (stored as halalas); cash and rent requests need one.
    Raises PermissionDenied, NotFound (the file), FormErrors; nothing is written then.
    """
    actor.require(Permission.SUBMIT_REQUEST)
    person = live_beneficiary(session, actor, beneficiary_id)
    form = FormCheck()
    kind = form.run(choice, RequestType, request_type, "request_type")
    halalas = form.run(optional_money, amount, "amount")
    _positive(halalas, "amount", form)
    if kind in AMOUNT_REQUIRED and halalas is None and form.ok("amount"):
        form.fail("amount", N_("This kind of request needs the amount requested."))
    clean_justification = form.run(required_text, justification, "justification", 5000)
    chosen = form.run(choice, Channel, channel, "channel")
    form.done()
    assert kind is not None and clean_justification is not None and chosen is not None
    request = SupportRequest(
        id=new_id(),
        request_number=next_request_number(session, today or date.today()),
        branch_id=person.branch_id,
        beneficiary_id=person.id,
        request_type=kind,
        amount_requested_halalas=halalas,
        justification=clean_justification,
        channel=chosen,
        status=RequestStatus.DRAFT,
        created_by_user_id=actor.user_id,
    )
    session.add(request)
    audit.record(
        session, actor, "request.create", "support_request", request.id, {"type": kind.value}
    )
    return request


def submit_request(
    session: Session, actor: Actor, request_id: str, *, now: datetime | None = None
) -> SupportRequest:
    """Submit a draft to the research committee, which must answer within
    `committee_answer_days` of the submission day; or submit again a request the committee
    returned for more information: its clock starts again where it stopped (the due date moves
    by the days it was back with the person, and the first submission's time is kept).

    The person must have a signed declaration covering their file's current data. Raises
    PermissionDenied, NotFound, Conflict (wrong status, or no current declaration).
    """
    actor.require(Permission.SUBMIT_REQUEST)
    request = get_request(session, actor, request_id)
    if request.status not in (RequestStatus.DRAFT, RequestStatus.NEEDS_INFO):
        raise Conflict(
            N_("This request cannot be submitted: it is already “{status}”."),
            status=request.status,
        )
    if current_declaration(session, request.beneficiary_id) is None:
        raise Conflict(
            N_(
                "The person has no signed declaration of their file's current data. "
                "Take their signed declaration first."
            )
        )
    moment = now or utcnow()
    if (
        request.status == RequestStatus.NEEDS_INFO
        and request.submitted_at is not None
        and request.committee_due_on is not None
    ):
        returned = effective_decision(session, request.id)
        added = deadline.restart_clock(
            session,
            request,
            local_day(moment),
            stopped_on=returned.decided_on if returned is not None else None,
        )
        request.status = RequestStatus.SUBMITTED
        audit.record(
            session,
            actor,
            "request.resubmit",
            "support_request",
            request.id,
            {"fields": ["status", "committee_due_on"], "paused_days": added},
        )
        return request
    days = settings.get_int(session, "committee_answer_days")
    request.status = RequestStatus.SUBMITTED
    request.submitted_at = moment
    request.committee_due_on = deadline.due_date(local_day(moment), days)
    audit.record(
        session,
        actor,
        "request.submit",
        "support_request",
        request.id,
        {"fields": ["status", "submitted_at", "committee_due_on"]},
    )
    return request


def committee_due_text(request: SupportRequest) -> str | None:
    """The committee's due date in Hijri and Gregorian, as printed on the receipt."""
    return None if request.committee_due_on is None else format_dual(request.committee_due_on)


def decisions(session: Session, request_id: str) -> list[CommitteeDecision]:
    """Every decision recorded on a request, oldest first (corrections included)."""
    return list(
        session.scalars(
            sa.select(CommitteeDecision)
            .where(CommitteeDecision.request_id == request_id)
            .order_by(CommitteeDecision.created_at, CommitteeDecision.id)
        )
    )


def effective_decision(session: Session, request_id: str) -> CommitteeDecision | None:
    """The decision in force: the newest one that no correction superseded."""
    recorded = decisions(session, request_id)
    superseded = {d.supersedes_id for d in recorded if d.supersedes_id}
    live = [d for d in recorded if d.id not in superseded]
    return live[-1] if live else None


def _delivered_total(session: Session, request_id: str) -> int:
    """The total amount (halalas) delivered on a request so far."""
    total = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ServiceDelivery.amount_halalas), 0)).where(
            ServiceDelivery.request_id == request_id, ServiceDelivery.deleted_at.is_(None)
        )
    )
    return int(total or 0)


def record_decision(
    session: Session,
    actor: Actor,
    request_id: str,
    *,
    outcome: DecisionOutcome,
    approved_amount: str | None,
    reason: str | None,
    decided_on: date | None,
    members: str | None,
    confirm_above_requested: bool = False,
    supersedes_id: str | None = None,
    meeting_id: str | None = None,
    require_meeting: bool = False,
    today: date | None = None,
) -> CommitteeDecision:
    """Record the research committee's decision on a submitted request (or one waiting for more
    information) and set its status: approved, rejected or more information needed.

    A decision taken at a recorded meeting (`meeting_id`, of the request's branch) is dated
    the meeting's day and, unless `members` is given, lists the members present (with
    `require_meeting`, a decision without a meeting is refused on the field "meeting_id"). A return
    for more information stops the committee's clock; a decision on a request that was
    waiting for information starts it again (services.committee.deadline).

    A rejection needs its reason, and so does a request for more information (what is
    missing). An approval needs the approved amount when an amount was requested; an amount
    above the requested one needs `confirm_above_requested`. `decided_on` (default today)
    cannot be in the future nor before the submission. Decisions are never edited: to correct
    one, record a new decision with `supersedes_id` (possible until a service is delivered).
    Raises PermissionDenied, NotFound, FormErrors, Conflict (the request is not awaiting a
    decision, or the corrected decision is not the one in force).
    """
    actor.require(Permission.RECORD_DECISION)
    request = get_request(session, actor, request_id)
    day = today or date.today()
    form = FormCheck()
    result = form.run(choice, DecisionOutcome, outcome, "outcome")
    halalas = form.run(optional_money, approved_amount, "approved_amount")
    clean_reason = form.run(optional_text, reason, "reason", 2000)
    clean_members = form.run(optional_text, members, "members", 300)
    if result == DecisionOutcome.REJECT and clean_reason is None and form.ok("reason"):
        form.fail("reason", N_("A rejection needs its reason."))
    if result == DecisionOutcome.NEED_INFO and clean_reason is None and form.ok("reason"):
        form.fail("reason", N_("Say which information is needed."))
    requested = request.amount_requested_halalas
    if result == DecisionOutcome.APPROVE and form.ok("approved_amount"):
        if halalas is None and requested is not None:
            form.fail("approved_amount", N_("An approval needs the approved amount."))
        _positive(halalas, "approved_amount", form)
        if (
            halalas is not None
            and requested is not None
            and halalas > requested
            and not confirm_above_requested
        ):
            form.fail(
                "approved_amount",
                N_(
                    "The approved amount ({approved} riyals) is more than the requested "
                    "{requested} riyals. Confirm it to record it."
                ),
                approved=format_money(halalas),
                requested=format_money(requested),
            )
    elif result is not None and result != DecisionOutcome.APPROVE and halalas is not None:
        form.fail("approved_amount", N_("Only an approval has an approved amount."))
    meeting = None
    if meeting_id is None and require_meeting:
        form.fail("meeting_id", N_("Choose the meeting at which the committee decided."))
    elif meeting_id is not None:
        meeting = session.get(CommitteeMeeting, meeting_id)
        if meeting is None or meeting.deleted_at is not None:
            form.fail("meeting_id", N_("This committee meeting was not found."))
            meeting = None
        elif meeting.branch_id != request.branch_id:
            form.fail("meeting_id", N_("This meeting is another branch's committee."))
            meeting = None
        elif decided_on is not None and decided_on != meeting.held_on:
            form.fail("decided_on", N_("A decision taken at a meeting is dated the meeting's day."))
    if meeting is not None and clean_members is None and meeting.members_present:
        clean_members = "، ".join(meeting.members_present)[:300]
    decided = decided_on or (meeting.held_on if meeting is not None else day)
    if decided > day:
        form.fail("decided_on", N_("The decision date cannot be in the future."))
    elif request.submitted_at is not None and decided < local_day(request.submitted_at):
        form.fail(
            "decided_on", N_("The decision cannot be dated before the request was submitted.")
        )
    corrected = None
    if supersedes_id is not None:
        corrected = session.get(CommitteeDecision, supersedes_id)
        if corrected is None or corrected.request_id != request.id:
            form.fail("supersedes_id", N_("This decision is not one of this request's."))
    form.done()
    assert result is not None
    if corrected is not None:
        in_force = effective_decision(session, request.id)
        if in_force is None or in_force.id != corrected.id:
            raise Conflict(N_("This decision was already corrected."))
        delivered = has_deliveries(session, request.id)
        if (refusal := correction_refusal(request.status, delivered)) is not None:
            raise refusal
    elif (refusal := decision_refusal(request.status)) is not None:
        raise refusal
    # Read before the new decision is added (a query would flush it and find it in force).
    waiting = corrected is None and request.status == RequestStatus.NEEDS_INFO
    returned_on = in_force_on(session, request.id) if waiting else None
    decision = CommitteeDecision(
        id=new_id(),
        request_id=request.id,
        outcome=result,
        approved_amount_halalas=halalas if result == DecisionOutcome.APPROVE else None,
        reason=clean_reason,
        decided_on=decided,
        members=clean_members,
        recorded_by_user_id=actor.user_id,
        supersedes_id=supersedes_id,
        meeting_id=meeting.id if meeting is not None else None,
    )
    session.add(decision)
    details: dict[str, object] = {
        "outcome": result.value,
        "correction": supersedes_id is not None,
    }
    stopped_on = decided
    if corrected is not None:
        # The corrected decision's return for information (if it was one) no longer holds;
        # a correction that still asks for information keeps the day the clock stopped.
        withdrawn = deadline.withdraw_pause(session, corrected.id)
        if withdrawn is not None:
            details["pause_withdrawn"] = withdrawn.id
            stopped_on = min(withdrawn.paused_on, decided)
    elif waiting:
        details["paused_days"] = deadline.restart_clock(
            session, request, decided, stopped_on=returned_on
        )
    if result == DecisionOutcome.NEED_INFO:
        deadline.stop_clock(session, request, decision, stopped_on)
    request.status = _STATUS_OF[result]
    audit.record(session, actor, "decision.record", "committee_decision", decision.id, details)
    return decision


def in_force_on(session: Session, request_id: str) -> date | None:
    """The date of the decision in force on a request, if any."""
    in_force = effective_decision(session, request_id)
    return None if in_force is None else in_force.decided_on


_WITHDRAWABLE = frozenset(
    {
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
        RequestStatus.NEEDS_INFO,
        RequestStatus.APPROVED,
    }
)


def withdraw_request(
    session: Session, actor: Actor, request_id: str, reason: str
) -> SupportRequest:
    """Withdraw a request at the person's wish (before any service was delivered on it).

    Raises PermissionDenied, NotFound, ValidationError (a reason is required), Conflict.
    """
    actor.require(Permission.SUBMIT_REQUEST)
    clean_reason = required_text(reason, "reason", 300)
    request = get_request(session, actor, request_id)
    if request.status not in _WITHDRAWABLE or has_deliveries(session, request.id):
        raise Conflict(
            N_("This request can no longer be withdrawn: it is “{status}”."),
            status=request.status,
        )
    request.status = RequestStatus.WITHDRAWN
    audit.record(
        session,
        actor,
        "request.withdraw",
        "support_request",
        request.id,
        {"fields": ["status"], "reason": clean_reason},
    )
    return request


def record_service_delivery(
    session: Session,
    actor: Actor,
    *,
    request_id: str,
    service_type: ServiceType,
    amount: str | None,
    items: str | None,
    delivered_on: date | None,
    today: date | None = None,
) -> ServiceDelivery:
    """Record a service delivered on an approved request (`amount` in riyals as typed).

    When the approval has an amount, each delivery needs its amount and the total cannot pass
    the approved amount; the request is fulfilled once the total reaches it. An approval
    without an amount is fulfilled by its delivery. Raises PermissionDenied, NotFound,
    FormErrors, Conflict (the request is not approved).
    """
    actor.require(Permission.DELIVER_SERVICE)
    request = get_request(session, actor, request_id)
    day = today or date.today()
    form = FormCheck()
    kind = form.run(choice, ServiceType, service_type, "service_type")
    halalas = form.run(optional_money, amount, "amount")
    _positive(halalas, "amount", form)
    clean_items = form.run(optional_text, items, "items", 300)
    delivered = delivered_on or day
    if delivered > day:
        form.fail("delivered_on", N_("The delivery date cannot be in the future."))
    if request.status != RequestStatus.APPROVED:
        form.done()
        raise Conflict(
            N_("A service is delivered only on an approved request; this one is “{status}”."),
            status=request.status,
        )
    decision = effective_decision(session, request.id)
    approved = decision.approved_amount_halalas if decision is not None else None
    if decision is not None and delivered < decision.decided_on:
        form.fail("delivered_on", N_("The delivery cannot be dated before the approval."))
    total = _delivered_total(session, request.id)
    if approved is not None and form.ok("amount"):
        if halalas is None:
            form.fail("amount", N_("The approval has an amount: enter the amount delivered."))
        elif total + halalas > approved:
            form.fail(
                "amount",
                N_(
                    "This would bring the total delivered above the approved {approved} riyals "
                    "(still to deliver: {remaining} riyals)."
                ),
                approved=format_money(approved),
                remaining=format_money(approved - total),
            )
    if approved is None and halalas is None and clean_items is None and form.ok("items"):
        form.fail("items", N_("Enter the items delivered or the amount."))
    form.done()
    assert kind is not None
    delivery = ServiceDelivery(
        id=new_id(),
        request_id=request.id,
        beneficiary_id=request.beneficiary_id,
        service_type=kind,
        amount_halalas=halalas,
        items=clean_items,
        delivered_on=delivered,
        delivered_by_user_id=actor.user_id,
    )
    session.add(delivery)
    fulfilled = approved is None or total + (halalas or 0) >= approved
    if fulfilled:
        request.status = RequestStatus.FULFILLED
    audit.record(
        session,
        actor,
        "service.deliver",
        "service_delivery",
        delivery.id,
        {"service_type": kind.value, "fulfilled": fulfilled},
    )
    return delivery


def _waiting(actor: Actor) -> sa.Select[SupportRequest]:
    query = sa.select(SupportRequest).where(
        SupportRequest.status == RequestStatus.SUBMITTED,
        SupportRequest.deleted_at.is_(None),
        SupportRequest.committee_due_on.is_not(None),
    )
    if (branch := actor.visible_branch()) is not None:
        query = query.where(SupportRequest.branch_id == branch)
    return query.order_by(SupportRequest.committee_due_on, SupportRequest.request_number)


def overdue_requests(session: Session, actor: Actor, today: date) -> list[SupportRequest]:
    """Submitted requests whose committee due date has passed, most overdue first (the actor's
    branch; every branch for those who see all). Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    return list(session.scalars(_waiting(actor).where(SupportRequest.committee_due_on < today)))


def due_soon(session: Session, actor: Actor, today: date, days: int = 3) -> list[SupportRequest]:
    """Submitted requests the committee must answer between `today` and `days` days later,
    soonest first. Raises PermissionDenied, or ValueError for a negative `days`."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    if days < 0:
        raise ValueError("days must not be negative")
    last = today + timedelta(days=days)
    query = _waiting(actor).where(
        SupportRequest.committee_due_on >= today, SupportRequest.committee_due_on <= last
    )
    return list(session.scalars(query))
