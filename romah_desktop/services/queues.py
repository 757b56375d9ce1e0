"""What a user's screens list: today's queue, the branch's support requests and contacts, and
the reference library, as plain rows that a window can show without a database session.

Every function takes the session and the acting user, checks the user's permission first and
keeps to the user's branch unless their role sees every branch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.enums import (
    Channel,
    DecisionOutcome,
    ReferenceKind,
    ReferralStatus,
    RequestStatus,
    RequestType,
)
from db.models import (
    Beneficiary,
    Contact,
    ResearchReferral,
    SupportRequest,
    User,
)
from romah_desktop.arabic import normalize_digits
from romah_desktop.dates import local_midnight
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.permissions import Permission, allowed
from romah_desktop.search import search_beneficiaries
from romah_desktop.services.committee.requests import decisions, effective_decision, get_request
from romah_desktop.services.context import Actor
from romah_desktop.services.library import reference_documents
from romah_desktop.services.people.beneficiaries import get_beneficiary

R = TypeVar("R")

# Today's "due soon": the committee must answer within this many days.
DUE_SOON_DAYS = 3
# Today's lists show this many items each (the most urgent); their counts are complete.
TODAY_LIMIT = 100
# A search by name keeps to this many people (best matches first); their requests are listed.
SEARCH_PEOPLE = 2000
# SQLite refuses statements with too many parameters; look names up in chunks.
_CHUNK = 500


@dataclass(frozen=True)
class RequestRow:
    """One support request as a list shows it."""

    id: str
    request_number: str
    beneficiary_id: str
    person_name: str
    file_number: str
    request_type: RequestType
    status: RequestStatus
    amount_requested_halalas: int | None
    submitted_at: datetime | None
    committee_due_on: date | None
    created_at: datetime

    def is_overdue(self, today: date) -> bool:
        """Whether the committee's answer was due before `today` and has not come."""
        return (
            self.status == RequestStatus.SUBMITTED
            and self.committee_due_on is not None
            and self.committee_due_on < today
        )

    def days_left(self, today: date) -> int | None:
        """Days until the committee's due date (negative once overdue); None without one."""
        return None if self.committee_due_on is None else (self.committee_due_on - today).days


@dataclass(frozen=True)
class ContactRow:
    """One contact as a list shows it: with a registered person or an inquirer."""

    id: str
    occurred_at: datetime
    channel: Channel
    subject: str
    notes: str | None
    beneficiary_id: str | None
    person_name: str
    file_number: str | None
    inquirer_phone: str | None
    letter_reference: str | None
    letter_date: date | None
    follow_up_on: date | None
    handled_by: str

    @property
    def registered(self) -> bool:
        """Whether the contact was with a person who has a file (not an inquiry)."""
        return self.beneficiary_id is not None


@dataclass(frozen=True)
class ReferralRow:
    """An open question referred to social research."""

    id: str
    beneficiary_id: str
    person_name: str
    file_number: str
    question: str
    referred_at: datetime
    assigned_to_me: bool


@dataclass(frozen=True)
class DecisionRow:
    """A committee decision on a request, as its history shows it."""

    id: str
    outcome: DecisionOutcome
    decided_on: date
    approved_amount_halalas: int | None
    reason: str | None
    members: str | None
    in_force: bool


@dataclass(frozen=True)
class RequestDetails:
    """Everything a read-only view of one request shows."""

    row: RequestRow
    channel: Channel
    justification: str
    decisions: list[DecisionRow]


@dataclass(frozen=True)
class LibraryRow:
    """The newest version of one reference document."""

    id: str
    kind: ReferenceKind
    title: str
    version: str
    approved_on: date | None
    review_due_on: date | None
    review_overdue: bool
    body: str | None


@dataclass(frozen=True)
class Today:
    """A user's day: what is due, for the parts of the work their role does.

    `sections` names the queues that apply to the role ("follow_ups", "requests",
    "referrals", "committee"); a queue that does not apply is always empty. Each list holds
    the first TODAY_LIMIT items, most urgent first; `counts` says how many there are in all,
    by list name ("follow_ups", "overdue", "due_soon", "referrals", "awaiting_committee").
    """

    day: date
    sections: frozenset[str]
    follow_ups: list[ContactRow] = field(default_factory=list)
    overdue: list[RequestRow] = field(default_factory=list)
    due_soon: list[RequestRow] = field(default_factory=list)
    referrals: list[ReferralRow] = field(default_factory=list)
    awaiting_committee: list[RequestRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, name: str) -> int:
        """How many items the list `name` has in all (it may show fewer)."""
        return self.counts.get(name, len(getattr(self, name)))

    @property
    def total(self) -> int:
        """How many items wait, each counted once (for a committee member, the overdue and
        due-soon requests are among those awaiting the committee)."""
        requests = (
            self.count("awaiting_committee")
            if "committee" in self.sections
            else self.count("overdue") + self.count("due_soon")
        )
        return self.count("follow_ups") + requests + self.count("referrals")


def _people(session: Session, ids: Iterable[str | None]) -> dict[str, tuple[str, str]]:
    """Beneficiary id → (full name, file number), looked up in a few statements."""
    wanted = sorted({i for i in ids if i})
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            sa.select(
                Beneficiary.id,
                Beneficiary.file_number,
                *(getattr(Beneficiary, p) for p in NAME_PARTS),
            ).where(Beneficiary.id.in_(wanted[start : start + _CHUNK]))
        )
        for row in rows:
            found[row.id] = (four_part_name(row[2:]), row.file_number)
    return found


def _users(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            sa.select(User.id, User.full_name).where(User.id.in_(wanted[start : start + _CHUNK]))
        )
        found.update({row.id: row.full_name for row in rows})
    return found


def request_rows(session: Session, requests: Sequence[SupportRequest]) -> list[RequestRow]:
    """The rows of `requests`, in the same order, with each person's name and file number."""
    people = _people(session, (r.beneficiary_id for r in requests))
    rows = []
    for r in requests:
        name, file_number = people.get(r.beneficiary_id, ("", ""))
        rows.append(
            RequestRow(
                id=r.id,
                request_number=r.request_number,
                beneficiary_id=r.beneficiary_id,
                person_name=name,
                file_number=file_number,
                request_type=r.request_type,
                status=r.status,
                amount_requested_halalas=r.amount_requested_halalas,
                submitted_at=r.submitted_at,
                committee_due_on=r.committee_due_on,
                created_at=r.created_at,
            )
        )
    return rows


def contact_rows(session: Session, contacts: Sequence[Contact]) -> list[ContactRow]:
    """The rows of `contacts`, in the same order, with names of the people and the staff."""
    people = _people(session, (c.beneficiary_id for c in contacts))
    staff = _users(session, (c.handled_by_user_id for c in contacts))
    rows = []
    for c in contacts:
        person = people.get(c.beneficiary_id) if c.beneficiary_id else None
        rows.append(
            ContactRow(
                id=c.id,
                occurred_at=c.occurred_at,
                channel=c.channel,
                subject=c.subject,
                notes=c.notes,
                beneficiary_id=c.beneficiary_id,
                person_name=person[0] if person else (c.inquirer_name or ""),
                file_number=person[1] if person else None,
                inquirer_phone=c.inquirer_phone,
                letter_reference=c.letter_reference,
                letter_date=c.letter_date,
                follow_up_on=c.follow_up_on,
                handled_by=staff.get(c.handled_by_user_id, ""),
            )
        )
    return rows


class _Usually(FunctionElement[bool]):
    """A condition true for nearly every row: a laptop holds its own branch's records.

    SQLite, without statistics, would otherwise search by the branch's index and then sort
    the whole branch; told the test rarely excludes a row, it walks the index of the order
    asked for and stops at the page's end (a 250,000-contact branch: 95 ms → 1 ms).
    """

    type = sa.Boolean()
    inherit_cache = True
    name = "usually"


@compiles(_Usually)
def _usually(element: _Usually, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_Usually, "sqlite")
def _usually_sqlite(element: _Usually, compiler: SQLCompiler, **kw: Any) -> str:
    return f"likely({compiler.process(element.clauses, **kw)})"


def _in_branch(branch_column: InstrumentedAttribute[str], branch_id: str) -> sa.ColumnElement[bool]:
    return _Usually(branch_column == branch_id)


def _in_reach(actor: Actor, branch_column: InstrumentedAttribute[str]) -> sa.ColumnElement[bool]:
    """The actor's branch, or every branch for a role that sees them all."""
    branch = actor.visible_branch()
    return sa.true() if branch is None else _in_branch(branch_column, branch)


def _check_limit(limit: int | None) -> None:
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")


def _first(session: Session, query: sa.Select[R], limit: int) -> tuple[Sequence[R], int]:
    """The first `limit` rows of `query` and how many rows it has in all."""
    count = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return session.scalars(query.limit(limit)).all(), int(count or 0)


def _follow_ups_due(actor: Actor, today: date) -> sa.Select[Contact]:
    # The same list as contacts.due_follow_ups (tests hold them equal), counted and cut here.
    return (
        sa.select(Contact)
        .where(
            _in_branch(Contact.branch_id, actor.branch_id),
            Contact.deleted_at.is_(None),
            Contact.follow_up_on.is_not(None),
            Contact.follow_up_on <= today,
        )
        .order_by(Contact.follow_up_on, Contact.occurred_at, Contact.id)
    )


def _submitted(actor: Actor, *, whole_reach: bool) -> sa.Select[SupportRequest]:
    """Requests awaiting the committee, soonest due first: in the actor's reach (as
    requests.overdue_requests and due_soon list them; tests hold them equal), or in their
    own branch."""
    branch = (
        _in_reach(actor, SupportRequest.branch_id)
        if whole_reach
        else _in_branch(SupportRequest.branch_id, actor.branch_id)
    )
    return (
        sa.select(SupportRequest)
        .where(
            SupportRequest.status == RequestStatus.SUBMITTED,
            SupportRequest.deleted_at.is_(None),
            SupportRequest.committee_due_on.is_not(None),
            branch,
        )
        .order_by(SupportRequest.committee_due_on, SupportRequest.request_number)
    )


def _open_referrals(session: Session, actor: Actor, limit: int) -> tuple[list[ReferralRow], int]:
    query = (
        sa.select(ResearchReferral)
        .join(Beneficiary, Beneficiary.id == ResearchReferral.beneficiary_id)
        .where(
            ResearchReferral.status == ReferralStatus.OPEN,
            ResearchReferral.deleted_at.is_(None),
            Beneficiary.deleted_at.is_(None),
            _in_branch(Beneficiary.branch_id, actor.branch_id),
            sa.or_(
                ResearchReferral.assigned_to_user_id == actor.user_id,
                ResearchReferral.assigned_to_user_id.is_(None),
            ),
        )
        .order_by(ResearchReferral.created_at, ResearchReferral.id)
    )
    referrals, count = _first(session, query, limit)
    people = _people(session, (r.beneficiary_id for r in referrals))
    rows = [
        ReferralRow(
            id=referral.id,
            beneficiary_id=referral.beneficiary_id,
            person_name=people.get(referral.beneficiary_id, ("", ""))[0],
            file_number=people.get(referral.beneficiary_id, ("", ""))[1],
            question=referral.question,
            referred_at=referral.created_at,
            assigned_to_me=referral.assigned_to_user_id == actor.user_id,
        )
        for referral in referrals
    ]
    return rows, count


def my_day(session: Session, actor: Actor, today: date, limit: int = TODAY_LIMIT) -> Today:
    """The actor's queue for `today`: contacts whose follow-up is due (for those who log
    contacts), requests overdue or due within DUE_SOON_DAYS days, open referrals assigned to
    the actor or to nobody in their branch (for social research), and the requests awaiting
    the committee (for its members). Each list holds its first `limit` items, most urgent
    first, with its full count. Raises PermissionDenied, or ValueError for a negative limit."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    _check_limit(limit)
    sections = {"requests"}
    counts: dict[str, int] = {}
    follow_ups: list[ContactRow] = []
    if allowed(actor.roles, Permission.LOG_CONTACT):
        sections.add("follow_ups")
        contacts, counts["follow_ups"] = _first(session, _follow_ups_due(actor, today), limit)
        follow_ups = contact_rows(session, contacts)
    referrals: list[ReferralRow] = []
    if allowed(actor.roles, Permission.ANSWER_REFERRAL):
        sections.add("referrals")
        referrals, counts["referrals"] = _open_referrals(session, actor, limit)
    awaiting: Sequence[SupportRequest] = []
    if allowed(actor.roles, Permission.RECORD_DECISION):
        sections.add("committee")
        awaiting, counts["awaiting_committee"] = _first(
            session, _submitted(actor, whole_reach=False), limit
        )
    submitted = _submitted(actor, whole_reach=True)
    overdue, counts["overdue"] = _first(
        session, submitted.where(SupportRequest.committee_due_on < today), limit
    )
    soon, counts["due_soon"] = _first(
        session,
        submitted.where(
            SupportRequest.committee_due_on >= today,
            SupportRequest.committee_due_on <= today + timedelta(days=DUE_SOON_DAYS),
        ),
        limit,
    )
    return Today(
        day=today,
        sections=frozenset(sections),
        follow_ups=follow_ups,
        overdue=request_rows(session, overdue),
        due_soon=request_rows(session, soon),
        referrals=referrals,
        awaiting_committee=request_rows(session, awaiting),
        counts=counts,
    )


def list_requests(
    session: Session,
    actor: Actor,
    *,
    status: RequestStatus | None = None,
    request_type: RequestType | None = None,
    query: str | None = None,
    limit: int | None = None,
    after: RequestRow | None = None,
) -> list[RequestRow]:
    """Support requests in the actor's branch (every branch for those who see all), newest
    first, optionally of one status and one type. `query` matches the request number (any
    part of it) or the person (name words, national ID or mobile, as the search finds them;
    the best SEARCH_PEOPLE people). Pages: at most `limit` rows, those listed after the row
    `after`. Raises PermissionDenied, or ValueError for a negative limit."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    _check_limit(limit)
    select = sa.select(SupportRequest).where(
        SupportRequest.deleted_at.is_(None), _in_reach(actor, SupportRequest.branch_id)
    )
    if status is not None:
        select = select.where(SupportRequest.status == RequestStatus(status))
    if request_type is not None:
        select = select.where(SupportRequest.request_type == RequestType(request_type))
    text = " ".join((query or "").split())
    if text:
        people = [
            hit.id
            for hit in search_beneficiaries(session, text, SEARCH_PEOPLE, actor.visible_branch())
        ]
        # Numbers are stored in capitals ("RYD-7F3A-2024-00045"); % and _ are matched as typed.
        matches = [
            SupportRequest.request_number.contains(normalize_digits(text).upper(), autoescape=True)
        ]
        if people:
            matches.append(SupportRequest.beneficiary_id.in_(people))
        select = select.where(sa.or_(*matches))
    if after is not None:
        select = select.where(SupportRequest.id < after.id)
    # Ids are UUIDv7, made when the request is created: their order is the creation order,
    # and the primary key's index serves it (and each next page) without sorting.
    select = select.order_by(SupportRequest.id.desc()).limit(limit)
    return request_rows(session, session.scalars(select).all())


def request_details(session: Session, actor: Actor, request_id: str) -> RequestDetails:
    """One request with its justification and every committee decision (corrections
    included, the one in force marked). Raises PermissionDenied or NotFound."""
    request = get_request(session, actor, request_id)
    in_force = effective_decision(session, request.id)
    return RequestDetails(
        row=request_rows(session, [request])[0],
        channel=request.channel,
        justification=request.justification,
        decisions=[
            DecisionRow(
                id=d.id,
                outcome=d.outcome,
                decided_on=d.decided_on,
                approved_amount_halalas=d.approved_amount_halalas,
                reason=d.reason,
                members=d.members,
                in_force=in_force is not None and d.id == in_force.id,
            )
            for d in decisions(session, request.id)
        ],
    )


def person_line(session: Session, actor: Actor, beneficiary_id: str) -> str:
    """One line naming the person, "full name — file number", as a form or dialog says whom
    it is about. Raises PermissionDenied or NotFound."""
    person = get_beneficiary(session, actor, beneficiary_id)
    return f"{person.full_name} — {person.file_number}"


def list_contacts(
    session: Session,
    actor: Actor,
    *,
    channel: Channel | None = None,
    since: date | None = None,
    beneficiary_id: str | None = None,
    limit: int | None = None,
    after: ContactRow | None = None,
) -> list[ContactRow]:
    """Contacts in the actor's branch (every branch for those who see all), newest first,
    optionally on one channel, from the day `since` (this laptop's calendar) on, or with one
    person. Pages: at most `limit` rows, those listed after the row `after`.
    Raises PermissionDenied, NotFound (the person), or ValueError for a negative limit."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    _check_limit(limit)
    select = sa.select(Contact).where(
        Contact.deleted_at.is_(None), _in_reach(actor, Contact.branch_id)
    )
    if channel is not None:
        select = select.where(Contact.channel == Channel(channel))
    if since is not None:
        select = select.where(Contact.occurred_at >= local_midnight(since))
    if beneficiary_id is not None:
        person = get_beneficiary(session, actor, beneficiary_id)
        select = select.where(Contact.beneficiary_id == person.id)
    if after is not None:
        # The next page starts after the last row shown (cheaper than an offset, and rows
        # logged meanwhile do not shift it).
        moment = after.occurred_at
        select = select.where(
            Contact.occurred_at <= moment,
            sa.or_(Contact.occurred_at < moment, Contact.id < after.id),
        )
    select = select.order_by(Contact.occurred_at.desc(), Contact.id.desc()).limit(limit)
    return contact_rows(session, session.scalars(select).all())


def list_library(session: Session, actor: Actor, today: date) -> list[LibraryRow]:
    """The reference library: the newest version of each document, by kind and title, each
    flagged when its review date is before `today`. Raises PermissionDenied."""
    return [
        LibraryRow(
            id=document.id,
            kind=document.kind,
            title=document.title,
            version=document.version,
            approved_on=document.approved_on,
            review_due_on=document.review_due_on,
            review_overdue=overdue,
            body=document.body,
        )
        for document, overdue in reference_documents(session, actor, today)
    ]
