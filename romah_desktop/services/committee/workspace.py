"""The research committee's workspace: its queue, a request's case file, meetings, decisions
and the print queue of decision letters.

The committee sits in meetings (numbered on the laptop, with the members present) and decides
the submitted requests: approve with an amount, reject with a reason, or return for more
information (which stops the clock, see `deadline`). Each decision logs a contact that tells
the beneficiary and puts the decision letter in the branch's print queue. Whether a request
may be decided or its decision corrected is `case_rules`; the branch manager's watch over the
deadline (compliance, escalation) is `watch`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.base import utcnow
from db.enums import (
    Channel,
    DecisionOutcome,
    DocumentType,
    Gender,
    HousingType,
    RequestStatus,
    RequestType,
)
from db.ids import new_id
from db.models import (
    Beneficiary,
    CommitteeDecision,
    CommitteeMeeting,
    Contact,
    DeadlineEscalation,
    DocumentCheck,
    PrintQueueItem,
    ResearchReport,
    SupportRequest,
    User,
)
from romah_desktop.errors import Conflict, NotFound, RomahError, ValidationError
from romah_desktop.grammar import MEMBER, Count
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.committee import deadline
from romah_desktop.services.committee.case_rules import case_actions
from romah_desktop.services.committee.deadline import Deadline, DeadlineState
from romah_desktop.services.committee.requests import get_request, record_decision
from romah_desktop.services.context import Actor, this_device
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    local_day,
    optional_date,
    optional_text,
)
from romah_desktop.services.numbers import _reserve
from romah_desktop.services.queues import DecisionRow, request_details

# The print queue's kind for a decision letter (the printing module's FormKind.DECISION).
DECISION_LETTER = "decision"
# Names of the members present: one a line, or separated by commas (Arabic or Latin).
_MEMBER_SEPARATORS = re.compile(r"[\n,،;؛]+")
_MAX_MEMBERS = 20


# --- rows the screens show ----------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeRow:
    """A request before the committee (or one it returned), with its deadline."""

    id: str
    request_number: str
    beneficiary_id: str
    person_name: str
    file_number: str
    request_type: RequestType
    status: RequestStatus
    amount_requested_halalas: int | None
    deadline: Deadline
    has_report: bool
    escalated: bool

    def days_left(self, today: date) -> int | None:
        return self.deadline.days_left(today)

    def state(self, today: date) -> DeadlineState:
        return self.deadline.state(today)

    def is_overdue(self, today: date) -> bool:
        return self.deadline.state(today) is DeadlineState.OVERDUE

    @property
    def paused(self) -> bool:
        return self.deadline.paused_since is not None


@dataclass(frozen=True)
class PersonFacts:
    """What the committee reads of the person's file."""

    name: str
    file_number: str
    national_id: str
    city: str | None
    household_size: int | None
    monthly_income_halalas: int | None
    housing_type: HousingType | None
    monthly_rent_halalas: int | None
    categories: tuple[str, ...]
    gender: Gender | None = None  # what the committee's form says of the person agrees with it


@dataclass(frozen=True)
class DocumentRow:
    """A document checked at intake, and whether it was valid on the day of submission."""

    doc_type: DocumentType
    number: str | None
    expiry_date: date | None
    checked_on: date
    valid_on_submission: bool
    notes: str | None


@dataclass(frozen=True)
class ReportRow:
    """A social research report on the person (about this request, or their file)."""

    id: str
    visit_date: date | None
    findings: str
    recommendation: str | None
    author: str
    written_on: date
    about_this_request: bool


@dataclass(frozen=True)
class EscalationRow:
    id: str
    escalated_on: date
    escalated_by: str
    note: str


@dataclass(frozen=True)
class CaseFile:
    """Everything the committee studies before deciding a request."""

    row: CommitteeRow
    channel: Channel
    justification: str
    person: PersonFacts
    documents: list[DocumentRow]
    reports: list[ReportRow]
    decisions: list[DecisionRow]
    escalations: list[EscalationRow]
    can_decide: bool = False
    """The acting user may record a decision now (case_rules: the request is before the
    committee)."""
    can_correct: bool = False
    """The acting user may correct the decision in force (case_rules: decided, nothing
    delivered yet)."""
    refusal: RomahError | None = None
    """Why neither is possible, as the write would refuse it (None when one is)."""


@dataclass(frozen=True)
class MeetingRow:
    id: str
    meeting_number: str
    held_on: date
    members_present: tuple[str, ...]
    notes: str | None
    decisions: int


@dataclass(frozen=True)
class PrintRow:
    """A form waiting in the branch's print queue."""

    id: str
    form_kind: str
    entity_id: str
    title: str
    queued_at: datetime
    queued_by: str


@dataclass(frozen=True)
class DecisionResult:
    """What recording a decision wrote: the decision, the contact telling the person, and
    the decision letter's place in the print queue."""

    decision_id: str
    contact_id: str
    print_item_id: str
    status: RequestStatus


# --- reading helpers ----------------------------------------------------------------------


def in_reach(actor: Actor, column: InstrumentedAttribute[str]) -> sa.ColumnElement[bool]:
    """Rows of the actor's branch (every row for those who see all branches)."""
    branch = actor.visible_branch()
    return sa.true() if branch is None else column == branch


def _committee_rows(session: Session, requests: Sequence[SupportRequest]) -> list[CommitteeRow]:
    """The rows of `requests`, in order, with names, deadlines, reports and escalations."""
    if not requests:
        return []
    ids = [r.id for r in requests]
    people = {
        row.id: (four_part_name(row[2:]), row.file_number)
        for row in session.execute(
            sa.select(
                Beneficiary.id,
                Beneficiary.file_number,
                *(getattr(Beneficiary, p) for p in NAME_PARTS),
            ).where(Beneficiary.id.in_({r.beneficiary_id for r in requests}))
        )
    }
    reported = set(
        session.scalars(
            sa.select(ResearchReport.request_id).where(
                ResearchReport.request_id.in_(ids), ResearchReport.deleted_at.is_(None)
            )
        )
    )
    escalated = set(
        session.scalars(
            sa.select(DeadlineEscalation.request_id).where(
                DeadlineEscalation.request_id.in_(ids), DeadlineEscalation.deleted_at.is_(None)
            )
        )
    )
    due = deadline.deadlines(session, requests)
    rows = []
    for r in requests:
        name, file_number = people.get(r.beneficiary_id, ("", ""))
        rows.append(
            CommitteeRow(
                id=r.id,
                request_number=r.request_number,
                beneficiary_id=r.beneficiary_id,
                person_name=name,
                file_number=file_number,
                request_type=r.request_type,
                status=r.status,
                amount_requested_halalas=r.amount_requested_halalas,
                deadline=due[r.id],
                has_report=r.id in reported,
                escalated=r.id in escalated,
            )
        )
    return rows


def committee_rows(session: Session, requests: Sequence[SupportRequest]) -> list[CommitteeRow]:
    """Public form of the row builder, for other queues (the research officer's)."""
    return _committee_rows(session, requests)


def open_requests(actor: Actor, statuses: Sequence[RequestStatus]) -> sa.Select[SupportRequest]:
    """Live requests in `statuses` that have a committee due date, in the actor's reach."""
    return sa.select(SupportRequest).where(
        SupportRequest.status.in_(statuses),
        SupportRequest.deleted_at.is_(None),
        SupportRequest.committee_due_on.is_not(None),
        in_reach(actor, SupportRequest.branch_id),
    )


# --- the committee's queue and a request's file -----------------------------------------


def committee_queue(session: Session, actor: Actor, limit: int = 500) -> list[CommitteeRow]:
    """The requests before the committee, soonest due first, then those it returned for more
    information (their clock stopped), in the actor's branch (every branch for those who see
    all). Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    waiting = session.scalars(
        open_requests(actor, [RequestStatus.SUBMITTED])
        .order_by(SupportRequest.committee_due_on, SupportRequest.request_number)
        .limit(limit)
    ).all()
    returned = session.scalars(
        open_requests(actor, [RequestStatus.NEEDS_INFO])
        .order_by(SupportRequest.committee_due_on, SupportRequest.request_number)
        .limit(max(0, limit - len(waiting)))
    ).all()
    return _committee_rows(session, [*waiting, *returned])


def case_file(session: Session, actor: Actor, request_id: str) -> CaseFile:
    """A request with the person's file, their checked documents, the research reports and
    every decision so far. Raises PermissionDenied or NotFound."""
    details = request_details(session, actor, request_id)
    request = get_request(session, actor, request_id)
    person = session.get(Beneficiary, request.beneficiary_id)
    if person is None:
        raise NotFound(N_("This beneficiary's file was not found."))
    documents = session.scalars(
        sa.select(DocumentCheck)
        .where(
            DocumentCheck.beneficiary_id == person.id,
            DocumentCheck.deleted_at.is_(None),
            sa.or_(DocumentCheck.request_id.is_(None), DocumentCheck.request_id == request.id),
        )
        .order_by(DocumentCheck.checked_on.desc(), DocumentCheck.id)
    ).all()
    reports = session.execute(
        sa.select(ResearchReport, User.full_name)
        .join(User, User.id == ResearchReport.author_user_id)
        .where(
            ResearchReport.beneficiary_id == person.id,
            ResearchReport.deleted_at.is_(None),
            sa.or_(ResearchReport.request_id.is_(None), ResearchReport.request_id == request.id),
        )
        .order_by(ResearchReport.created_at.desc(), ResearchReport.id)
    ).all()
    escalations = session.execute(
        sa.select(DeadlineEscalation, User.full_name)
        .join(User, User.id == DeadlineEscalation.escalated_by_user_id)
        .where(DeadlineEscalation.request_id == request.id, DeadlineEscalation.deleted_at.is_(None))
        .order_by(DeadlineEscalation.escalated_at)
    ).all()
    actions = case_actions(session, actor, request)
    return CaseFile(
        row=_committee_rows(session, [request])[0],
        channel=details.channel,
        justification=details.justification,
        person=PersonFacts(
            name=person.full_name,
            file_number=person.file_number,
            national_id=person.national_id,
            city=person.city,
            household_size=person.household_size,
            monthly_income_halalas=person.monthly_income_halalas,
            housing_type=person.housing_type,
            monthly_rent_halalas=person.monthly_rent_halalas,
            categories=tuple(person.categories or ()),
            gender=person.gender,
        ),
        documents=[
            DocumentRow(
                doc_type=d.doc_type,
                number=d.number,
                expiry_date=d.expiry_date,
                checked_on=d.checked_on,
                valid_on_submission=d.valid_on_submission,
                notes=d.notes,
            )
            for d in documents
        ],
        reports=[
            ReportRow(
                id=report.id,
                visit_date=report.visit_date,
                findings=report.findings,
                recommendation=report.recommendation,
                author=author,
                written_on=local_day(report.created_at),
                about_this_request=report.request_id == request.id,
            )
            for report, author in reports
        ],
        decisions=details.decisions,
        escalations=[
            EscalationRow(
                id=e.id,
                escalated_on=local_day(e.escalated_at),
                escalated_by=by,
                note=e.note,
            )
            for e, by in escalations
        ],
        can_decide=actions.can_decide,
        can_correct=actions.can_correct,
        refusal=actions.refusal,
    )


# --- meetings -----------------------------------------------------------------------------


def _members(value: str | None, field_name: str) -> tuple[str, ...]:
    names = [" ".join(part.split()) for part in _MEMBER_SEPARATORS.split(value or "")]
    names = [name for name in names if name]
    if not names:
        raise ValidationError(field_name, N_("Write the names of the members present."))
    if len(names) > _MAX_MEMBERS:
        raise ValidationError(
            field_name,
            N_("At most {count} can be listed."),
            count=Count(_MAX_MEMBERS, MEMBER, oblique=True),
        )
    if any(len(name) > 100 for name in names):
        raise ValidationError(field_name, N_("A member's name is too long (100 letters at most)."))
    return tuple(names)


def next_meeting_number(session: Session, on: date) -> str:
    """The next meeting number on this device for `on`'s year: ``RYD-7F3A-M2026-003``."""
    device = this_device(session)
    number = _reserve(session, f"meeting:{on.year}", 1)
    return f"{device.branch_code}-{device.prefix}-M{on.year}-{number:03d}"


def record_meeting(
    session: Session,
    actor: Actor,
    *,
    held_on: str | None,
    members_present: str,
    notes: str | None = None,
    today: date | None = None,
) -> CommitteeMeeting:
    """Record a meeting of the actor's branch committee: its day (typed, Hijri or Gregorian;
    today when blank; not in the future) and the members present (one a line or separated by
    commas). Raises PermissionDenied, FormErrors; nothing is written then."""
    actor.require(Permission.RECORD_DECISION)
    day = today or date.today()
    form = FormCheck()
    held = form.run(optional_date, held_on, "held_on")
    if held is not None and held > day:
        form.fail("held_on", N_("The meeting cannot be dated in the future."))
    members = form.run(_members, members_present, "members_present")
    clean_notes = form.run(optional_text, notes, "notes", 2000)
    form.done()
    assert members is not None
    on = held or day
    meeting = CommitteeMeeting(
        id=new_id(),
        meeting_number=next_meeting_number(session, on),
        branch_id=actor.branch_id,
        held_on=on,
        members_present=list(members),
        notes=clean_notes,
        recorded_by_user_id=actor.user_id,
    )
    session.add(meeting)
    audit.record(
        session,
        actor,
        "meeting.record",
        "committee_meeting",
        meeting.id,
        {"members": len(members)},
    )
    return meeting


def list_meetings(session: Session, actor: Actor, limit: int = 50) -> list[MeetingRow]:
    """The committee's meetings in the actor's branch, newest first, with how many decisions
    each recorded. Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    counts = (
        sa.select(CommitteeDecision.meeting_id, sa.func.count().label("n"))
        .where(CommitteeDecision.meeting_id.is_not(None))
        .group_by(CommitteeDecision.meeting_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(CommitteeMeeting, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.meeting_id == CommitteeMeeting.id)
        .where(
            CommitteeMeeting.deleted_at.is_(None),
            in_reach(actor, CommitteeMeeting.branch_id),
        )
        .order_by(CommitteeMeeting.held_on.desc(), CommitteeMeeting.meeting_number.desc())
        .limit(limit)
    ).all()
    return [
        MeetingRow(
            id=m.id,
            meeting_number=m.meeting_number,
            held_on=m.held_on,
            members_present=tuple(m.members_present or ()),
            notes=m.notes,
            decisions=int(n),
        )
        for m, n in rows
    ]


# --- decisions ----------------------------------------------------------------------------


def _decision_subject(outcome: DecisionOutcome, number: str) -> str:
    texts = {
        DecisionOutcome.APPROVE: N_("The research committee approved request {number}."),
        DecisionOutcome.REJECT: N_("The research committee rejected request {number}."),
        DecisionOutcome.NEED_INFO: N_(
            "The research committee needs more information for request {number}."
        ),
    }
    return translate(texts[outcome], number=number)


def decide(
    session: Session,
    actor: Actor,
    request_id: str,
    *,
    meeting_id: str | None,
    outcome: DecisionOutcome,
    approved_amount: str | None = None,
    reason: str | None = None,
    confirm_above_requested: bool = False,
    supersedes_id: str | None = None,
    notify_channel: Channel = Channel.LETTER,
    today: date | None = None,
    now: datetime | None = None,
) -> DecisionResult:
    """The committee's use case at a meeting: record its decision through
    requests.record_decision (which holds every rule about the decision itself: a rejection
    needs its reason, an amount above the requested one needs `confirm_above_requested`, when
    a request may be decided or corrected...), then do what follows a decision in the branch:
    log the contact that tells the beneficiary (on `notify_channel`, a letter by default) and
    put the decision letter in the print queue. Raises PermissionDenied, NotFound,
    ValidationError (the channel), FormErrors (every field's problem at once, the meeting
    included), Conflict; nothing is written then."""
    actor.require(Permission.RECORD_DECISION)
    channel = choice(Channel, notify_channel, "notify_channel")
    decision = record_decision(
        session,
        actor,
        request_id,
        outcome=outcome,
        approved_amount=approved_amount,
        reason=reason,
        decided_on=None,
        members=None,
        confirm_above_requested=confirm_above_requested,
        supersedes_id=supersedes_id,
        meeting_id=meeting_id,
        require_meeting=True,
        today=today,
    )
    request = get_request(session, actor, request_id)
    moment = now or utcnow()
    contact = Contact(
        id=new_id(),
        branch_id=request.branch_id,
        beneficiary_id=request.beneficiary_id,
        channel=channel,
        subject=_decision_subject(decision.outcome, request.request_number)[:300],
        notes=decision.reason,
        letter_reference=request.request_number if channel == Channel.LETTER else None,
        letter_date=decision.decided_on if channel == Channel.LETTER else None,
        occurred_at=moment,
        handled_by_user_id=actor.user_id,
    )
    session.add(contact)
    audit.record(
        session,
        actor,
        "contact.log",
        "contact",
        contact.id,
        {"channel": channel.value, "decision": decision.id},
    )
    person = session.get(Beneficiary, request.beneficiary_id)
    title = " — ".join(
        part
        for part in (
            translate(N_("Decision letter")),
            label(decision.outcome),
            request.request_number,
            person.full_name if person is not None else "",
        )
        if part
    )
    item = queue_print(session, actor, DECISION_LETTER, decision.id, title, request.branch_id)
    return DecisionResult(decision.id, contact.id, item.id, request.status)


# --- the print queue ----------------------------------------------------------------------


def queue_print(
    session: Session,
    actor: Actor,
    form_kind: str,
    entity_id: str,
    title: str,
    branch_id: str,
    now: datetime | None = None,
) -> PrintQueueItem:
    """Put a form in the branch's print queue (called by the services that make forms)."""
    item = PrintQueueItem(
        id=new_id(),
        branch_id=branch_id,
        form_kind=form_kind,
        entity_id=entity_id,
        title=title[:200],
        queued_by_user_id=actor.user_id,
        queued_at=now or utcnow(),
    )
    session.add(item)
    audit.record(
        session, actor, "print.queue", "print_queue_item", item.id, {"form_kind": form_kind}
    )
    return item


def print_queue(session: Session, actor: Actor, limit: int = 200) -> list[PrintRow]:
    """The forms waiting to be printed in the actor's branch, oldest first. Raises
    PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    rows = session.execute(
        sa.select(PrintQueueItem, User.full_name)
        .join(User, User.id == PrintQueueItem.queued_by_user_id)
        .where(
            PrintQueueItem.deleted_at.is_(None),
            PrintQueueItem.printed_at.is_(None),
            in_reach(actor, PrintQueueItem.branch_id),
        )
        .order_by(PrintQueueItem.queued_at, PrintQueueItem.id)
        .limit(limit)
    ).all()
    return [
        PrintRow(
            id=item.id,
            form_kind=item.form_kind,
            entity_id=item.entity_id,
            title=item.title,
            queued_at=item.queued_at,
            queued_by=by,
        )
        for item, by in rows
    ]


def mark_printed(
    session: Session, actor: Actor, item_id: str, now: datetime | None = None
) -> PrintQueueItem:
    """Take a printed form off the queue. Raises PermissionDenied, NotFound, Conflict
    (already printed)."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    item = session.get(PrintQueueItem, item_id)
    if item is None or item.deleted_at is not None:
        raise NotFound(N_("This form is not in the print queue."))
    actor.require_branch(item.branch_id)
    if item.printed_at is not None:
        raise Conflict(N_("This form was already printed."))
    item.printed_at = now or utcnow()
    item.printed_by_user_id = actor.user_id
    audit.record(session, actor, "print.done", "print_queue_item", item.id)
    return item
