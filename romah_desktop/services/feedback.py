"""Satisfaction surveys, and suggestions and complaints followed up to closing.

Rating the service is the beneficiary's right and a tool for improvement, never for
punishment: a survey may be anonymous, and the audit trail names no ratings. The lists here
name no member of staff as the one who served the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from db.base import utcnow
from db.enums import Channel, FeedbackKind, FeedbackStatus, ServiceType
from db.ids import new_id
from db.models import (
    Beneficiary,
    Contact,
    Feedback,
    SatisfactionSurvey,
    ServiceDelivery,
    SupportRequest,
    User,
)
from romah_desktop.arabic import normalize_digits, remove_invisible
from romah_desktop.dates import local_midnight
from romah_desktop.errors import Conflict, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    linked_request,
    live_beneficiary,
    optional_text,
    required_text,
)

RATING_MIN, RATING_MAX = 1, 5
RATING_FIELDS = ("overall", "speed", "courtesy", "clarity")
MAX_DUE_DAYS = 365
# Feedback still waiting for its answer; past its due date it is overdue.
_AWAITING_ANSWER = frozenset({FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED})


def _rating(value: int | str | None, field: str, required: bool = False) -> int | None:
    """A rating given as a whole number or as typed text (Arabic-Indic digits accepted,
    blank meaning not given). Raises ValidationError(field, ...)."""
    if isinstance(value, str):
        text = normalize_digits(remove_invisible(value)).strip()
        if not text:
            value = None
        elif text.isascii() and text.isdigit():
            value = int(text)
        else:
            value = -1  # not a whole number: refused below with the same message
    if value is None:
        if not required:
            return None
        raise ValidationError(
            field,
            N_(
                "The overall rating is needed: a whole number from {min} (poor) to {max} "
                "(excellent)."
            ),
            min=RATING_MIN,
            max=RATING_MAX,
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not RATING_MIN <= value <= RATING_MAX
    ):
        raise ValidationError(
            field,
            N_("The rating is a whole number from {min} (poor) to {max} (excellent)."),
            min=RATING_MIN,
            max=RATING_MAX,
        )
    return value


def record_survey(
    session: Session,
    actor: Actor,
    *,
    channel: Channel,
    overall: int | str | None,
    speed: int | str | None = None,
    courtesy: int | str | None = None,
    clarity: int | str | None = None,
    comment: str | None = None,
    beneficiary_id: str | None = None,
    request_id: str | None = None,
    contact_id: str | None = None,
    collected_on: date | None = None,
    today: date | None = None,
) -> SatisfactionSurvey:
    """Record a satisfaction survey in the actor's branch: an overall rating and optional
    ratings of speed, courtesy and clarity, each a whole number from 1 to 5 (or its typed
    text; blank is not given). Without `beneficiary_id` the survey is anonymous, and then it
    cannot name a request or a registered person's contact, which would name them.
    Raises PermissionDenied, NotFound (the file), FormErrors; nothing is written then.
    """
    actor.require(Permission.RECORD_SURVEY)
    person = live_beneficiary(session, actor, beneficiary_id) if beneficiary_id else None
    form = FormCheck()
    chosen = form.run(choice, Channel, channel, "channel")
    ratings = {
        field: form.run(_rating, value, field, field == "overall")
        for field, value in zip(RATING_FIELDS, (overall, speed, courtesy, clarity), strict=True)
    }
    clean_comment = form.run(optional_text, comment, "comment", 2000)
    if request_id is not None:
        if person is None:
            form.fail("request_id", N_("A survey about a request names the beneficiary."))
        else:
            linked_request(session, form, request_id, person.id)
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if (
            contact is None
            or contact.deleted_at is not None
            or contact.branch_id != actor.branch_id
            or (person is not None and contact.beneficiary_id not in (None, person.id))
        ):
            form.fail("contact_id", N_("This contact is not one of this branch's contacts."))
        elif person is None and contact.beneficiary_id is not None:
            form.fail(
                "contact_id",
                N_(
                    "An anonymous survey cannot name a contact with a registered person: "
                    "it would name them."
                ),
            )
    day = today or date.today()
    collected = collected_on or day
    if collected > day:
        form.fail("collected_on", N_("The survey date cannot be in the future."))
    form.done()
    assert chosen is not None and ratings["overall"] is not None
    survey = SatisfactionSurvey(
        id=new_id(),
        branch_id=actor.branch_id,
        beneficiary_id=person.id if person else None,
        request_id=request_id,
        contact_id=contact_id,
        channel=chosen,
        overall=ratings["overall"],
        speed=ratings["speed"],
        courtesy=ratings["courtesy"],
        clarity=ratings["clarity"],
        comment=clean_comment,
        collected_on=collected,
    )
    session.add(survey)
    audit.record(
        session,
        actor,
        "survey.record",
        "satisfaction_survey",
        survey.id,
        {"anonymous": person is None},
    )
    return survey


def _due_days(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DUE_DAYS:
        raise ValidationError(
            "due_in_days",
            N_("The follow-up period is a whole number of days from 1 to {max}."),
            max=MAX_DUE_DAYS,
        )
    return value


def record_feedback(
    session: Session,
    actor: Actor,
    *,
    kind: FeedbackKind,
    channel: Channel,
    text: str,
    beneficiary_id: str | None = None,
    due_in_days: int = 14,
    received_on: date | None = None,
) -> Feedback:
    """Record a suggestion or a complaint in the actor's branch, to be answered within
    `due_in_days` of `received_on` (default today). Raises PermissionDenied, NotFound (the
    file), FormErrors."""
    actor.require(Permission.RECORD_FEEDBACK)
    person = live_beneficiary(session, actor, beneficiary_id) if beneficiary_id else None
    form = FormCheck()
    chosen_kind = form.run(choice, FeedbackKind, kind, "kind")
    chosen_channel = form.run(choice, Channel, channel, "channel")
    clean_text = form.run(required_text, text, "text", 5000)
    days = form.run(_due_days, due_in_days)
    form.done()
    assert chosen_kind is not None and chosen_channel is not None
    assert clean_text is not None and days is not None
    received = received_on or date.today()
    item = Feedback(
        id=new_id(),
        branch_id=actor.branch_id,
        kind=chosen_kind,
        beneficiary_id=person.id if person else None,
        channel=chosen_channel,
        text=clean_text,
        received_on=received,
        due_on=received + timedelta(days=days),
        status=FeedbackStatus.OPEN,
    )
    session.add(item)
    audit.record(
        session, actor, "feedback.record", "feedback", item.id, {"kind": chosen_kind.value}
    )
    return item


def _feedback(session: Session, actor: Actor, feedback_id: str) -> Feedback:
    item = session.get(Feedback, feedback_id)
    if item is None or item.deleted_at is not None:
        raise NotFound(N_("This suggestion or complaint was not found."))
    actor.require_branch(item.branch_id)
    return item


def assign_feedback(session: Session, actor: Actor, feedback_id: str, user_id: str) -> Feedback:
    """Give a suggestion or complaint to a colleague of its branch to follow up (again, to
    reassign it). Raises PermissionDenied, NotFound, ValidationError (user), Conflict (already
    answered or closed)."""
    actor.require(Permission.MANAGE_FEEDBACK)
    item = _feedback(session, actor, feedback_id)
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None or not user.active:
        raise ValidationError("user_id", N_("Choose an active user of this branch."))
    if user.branch_id != item.branch_id:
        raise ValidationError("user_id", N_("Choose an active user of this branch."))
    if item.status not in (FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED):
        raise Conflict(
            N_("This suggestion or complaint is already “{status}”."), status=item.status
        )
    item.assigned_to_user_id = user.id
    item.status = FeedbackStatus.ASSIGNED
    audit.record(
        session, actor, "feedback.assign", "feedback", item.id, {"fields": ["assigned_to_user_id"]}
    )
    return item


def answer_feedback(session: Session, actor: Actor, feedback_id: str, response: str) -> Feedback:
    """Record the response given to a suggestion or complaint: by those who follow feedback
    up, or by the colleague it is assigned to. Raises PermissionDenied, NotFound,
    ValidationError (response), Conflict (already answered or closed)."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    item = _feedback(session, actor, feedback_id)
    if item.assigned_to_user_id != actor.user_id:
        actor.require(Permission.MANAGE_FEEDBACK)
    clean_response = required_text(response, "response", 5000)
    if item.status not in (FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED):
        raise Conflict(
            N_("This suggestion or complaint is already “{status}”."), status=item.status
        )
    item.response = clean_response
    item.status = FeedbackStatus.ANSWERED
    audit.record(session, actor, "feedback.answer", "feedback", item.id, {"fields": ["response"]})
    return item


def close_feedback(
    session: Session, actor: Actor, feedback_id: str, *, now: datetime | None = None
) -> Feedback:
    """Close an answered suggestion or complaint. Raises PermissionDenied, NotFound, Conflict
    (not answered yet, or already closed)."""
    actor.require(Permission.MANAGE_FEEDBACK)
    item = _feedback(session, actor, feedback_id)
    if item.status == FeedbackStatus.CLOSED:
        raise Conflict(
            N_("This suggestion or complaint is already “{status}”."), status=item.status
        )
    if item.status != FeedbackStatus.ANSWERED:
        raise Conflict(N_("Record the response before closing."))
    item.status = FeedbackStatus.CLOSED
    item.closed_at = now or utcnow()
    audit.record(session, actor, "feedback.close", "feedback", item.id, {"fields": ["status"]})
    return item


# --- what the screens list ------------------------------------------------------------------


def feedback_overdue(status: FeedbackStatus, due_on: date | None, today: date) -> bool:
    """Whether a suggestion or complaint still waits for its answer after its due date."""
    return status in _AWAITING_ANSWER and due_on is not None and due_on < today


@dataclass(frozen=True)
class FeedbackRow:
    """One suggestion or complaint as the follow-up list shows it."""

    id: str
    kind: FeedbackKind
    channel: Channel
    text: str
    received_on: date
    due_on: date | None
    status: FeedbackStatus
    beneficiary_id: str | None
    person_name: str
    file_number: str | None
    assigned_to_user_id: str | None
    assigned_to: str
    response: str | None
    closed_at: datetime | None
    overdue: bool


def _full_name(row: sa.Row[tuple[object, ...]], first: int) -> str:
    # The name's parts are selected side by side from column `first` on.
    parts = row[first : first + len(NAME_PARTS)]
    return four_part_name(str(part) if part else None for part in parts)


def list_feedback(
    session: Session,
    actor: Actor,
    today: date,
    *,
    open_only: bool = False,
    kind: FeedbackKind | None = None,
    limit: int | None = None,
) -> list[FeedbackRow]:
    """Suggestions and complaints of the actor's branch (every branch for those who see all):
    all of them for those who follow feedback up, otherwise those assigned to the actor.
    Waiting ones first, soonest due first, then the answered and closed, newest first;
    `open_only` keeps those not closed. Each row says whether it is overdue on `today`.
    Raises PermissionDenied, or ValueError for a negative limit."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    assignee = aliased(User)
    query = (
        sa.select(
            Feedback,
            assignee.full_name,
            Beneficiary.file_number,
            *(getattr(Beneficiary, part) for part in NAME_PARTS),
        )
        .outerjoin(assignee, assignee.id == Feedback.assigned_to_user_id)
        .outerjoin(Beneficiary, Beneficiary.id == Feedback.beneficiary_id)
        .where(Feedback.deleted_at.is_(None))
    )
    if (branch := actor.visible_branch()) is not None:
        query = query.where(Feedback.branch_id == branch)
    if not allowed(actor.roles, Permission.MANAGE_FEEDBACK):
        query = query.where(Feedback.assigned_to_user_id == actor.user_id)
    if open_only:
        query = query.where(Feedback.status != FeedbackStatus.CLOSED)
    if kind is not None:
        query = query.where(Feedback.kind == FeedbackKind(kind))
    waiting = Feedback.status.in_([s.value for s in _AWAITING_ANSWER])
    query = query.order_by(
        sa.case((waiting, 0), else_=1),
        sa.case((waiting, Feedback.due_on), else_=None),
        Feedback.received_on.desc(),
        Feedback.id.desc(),
    ).limit(limit)
    rows = []
    for row in session.execute(query):
        item: Feedback = row[0]
        rows.append(
            FeedbackRow(
                id=item.id,
                kind=item.kind,
                channel=item.channel,
                text=item.text,
                received_on=item.received_on,
                due_on=item.due_on,
                status=item.status,
                beneficiary_id=item.beneficiary_id,
                person_name=_full_name(row, 3) if item.beneficiary_id else "",
                file_number=row[2],
                assigned_to_user_id=item.assigned_to_user_id,
                assigned_to=row[1] or "",
                response=item.response,
                closed_at=item.closed_at,
                overdue=feedback_overdue(item.status, item.due_on, today),
            )
        )
    return rows


@dataclass(frozen=True)
class Colleague:
    """A user a suggestion or complaint can be assigned to."""

    user_id: str
    full_name: str


def feedback_assignees(session: Session, actor: Actor, feedback_id: str) -> list[Colleague]:
    """The active users of the feedback's branch, by name. Raises PermissionDenied, NotFound."""
    actor.require(Permission.MANAGE_FEEDBACK)
    item = _feedback(session, actor, feedback_id)
    users = session.execute(
        sa.select(User.id, User.full_name)
        .where(User.branch_id == item.branch_id, User.active, User.deleted_at.is_(None))
        .order_by(User.full_name, User.id)
    )
    return [Colleague(row.id, row.full_name) for row in users]


@dataclass(frozen=True)
class SurveyRow:
    """One satisfaction survey as the list shows it: never the staff member who served."""

    id: str
    collected_on: date
    channel: Channel
    overall: int
    speed: int | None
    courtesy: int | None
    clarity: int | None
    comment: str | None
    anonymous: bool
    person_name: str
    request_number: str | None
    about_contact: bool


def list_surveys(
    session: Session, actor: Actor, *, since: date | None = None, limit: int | None = None
) -> list[SurveyRow]:
    """Satisfaction surveys of the actor's branch (every branch for those who see all), newest
    first, from the day `since` on. Raises PermissionDenied, or ValueError for a negative
    limit."""
    if not allowed(actor.roles, Permission.MANAGE_FEEDBACK):
        actor.require(Permission.RECORD_SURVEY)
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    query = (
        sa.select(
            SatisfactionSurvey,
            SupportRequest.request_number,
            *(getattr(Beneficiary, part) for part in NAME_PARTS),
        )
        .outerjoin(SupportRequest, SupportRequest.id == SatisfactionSurvey.request_id)
        .outerjoin(Beneficiary, Beneficiary.id == SatisfactionSurvey.beneficiary_id)
        .where(SatisfactionSurvey.deleted_at.is_(None))
    )
    if (branch := actor.visible_branch()) is not None:
        query = query.where(SatisfactionSurvey.branch_id == branch)
    if since is not None:
        query = query.where(SatisfactionSurvey.collected_on >= since)
    query = query.order_by(
        SatisfactionSurvey.collected_on.desc(), SatisfactionSurvey.id.desc()
    ).limit(limit)
    rows = []
    for row in session.execute(query):
        survey: SatisfactionSurvey = row[0]
        rows.append(
            SurveyRow(
                id=survey.id,
                collected_on=survey.collected_on,
                channel=survey.channel,
                overall=survey.overall,
                speed=survey.speed,
                courtesy=survey.courtesy,
                clarity=survey.clarity,
                comment=survey.comment,
                anonymous=survey.beneficiary_id is None,
                person_name=_full_name(row, 2) if survey.beneficiary_id else "",
                request_number=row[1],
                about_contact=survey.contact_id is not None,
            )
        )
    return rows


@dataclass(frozen=True)
class SurveySubject:
    """A recent contact or service a survey can be about."""

    kind: str
    """"contact" or "delivery"."""
    id: str
    beneficiary_id: str | None
    person_name: str
    channel: Channel
    day: date
    subject: str
    request_id: str | None
    service_type: ServiceType | None


def survey_subjects(
    session: Session, actor: Actor, today: date, *, days: int = 7, limit: int = 30
) -> list[SurveySubject]:
    """The actor's branch's contacts and services delivered in the last `days` days (newest
    first, at most `limit` of each), for a survey taken after one of them.
    Raises PermissionDenied, or ValueError for a negative `days` or `limit`."""
    actor.require(Permission.RECORD_SURVEY)
    if days < 0 or limit < 0:
        raise ValueError("days and limit must not be negative")
    first = today - timedelta(days=days)
    since = local_midnight(first)
    names = [getattr(Beneficiary, part) for part in NAME_PARTS]
    contacts = session.execute(
        sa.select(Contact, *names)
        .outerjoin(Beneficiary, Beneficiary.id == Contact.beneficiary_id)
        .where(
            Contact.branch_id == actor.branch_id,
            Contact.deleted_at.is_(None),
            Contact.occurred_at >= since,
        )
        .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        .limit(limit)
    )
    subjects = []
    for row in contacts:
        contact: Contact = row[0]
        subjects.append(
            SurveySubject(
                kind="contact",
                id=contact.id,
                beneficiary_id=contact.beneficiary_id,
                person_name=_full_name(row, 1)
                if contact.beneficiary_id
                else (contact.inquirer_name or ""),
                channel=contact.channel,
                day=contact.occurred_at.astimezone().date(),
                subject=contact.subject,
                request_id=None,
                service_type=None,
            )
        )
    deliveries = session.execute(
        sa.select(ServiceDelivery, SupportRequest.channel, SupportRequest.request_number, *names)
        .join(SupportRequest, SupportRequest.id == ServiceDelivery.request_id)
        .join(Beneficiary, Beneficiary.id == ServiceDelivery.beneficiary_id)
        .where(
            SupportRequest.branch_id == actor.branch_id,
            ServiceDelivery.deleted_at.is_(None),
            ServiceDelivery.delivered_on >= first,
        )
        .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())
        .limit(limit)
    )
    for row in deliveries:
        delivery: ServiceDelivery = row[0]
        subjects.append(
            SurveySubject(
                kind="delivery",
                id=delivery.id,
                beneficiary_id=delivery.beneficiary_id,
                person_name=_full_name(row, 3),
                channel=Channel.INTERVIEW,
                day=delivery.delivered_on,
                subject=row[2],
                request_id=delivery.request_id,
                service_type=delivery.service_type,
            )
        )
    subjects.sort(key=lambda s: (s.day, s.kind == "contact"), reverse=True)
    return subjects


# A suggestion or complaint due within this many days is "due soon" on Today.
FEEDBACK_DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class FeedbackDue:
    """Suggestions and complaints still waiting for their answer that Today shows: those past
    their due date and those due within a few days, soonest due first."""

    overdue: list[FeedbackRow]
    due_soon: list[FeedbackRow]
    overdue_count: int
    due_soon_count: int

    @property
    def total(self) -> int:
        return self.overdue_count + self.due_soon_count


def feedback_due(
    session: Session,
    actor: Actor,
    today: date,
    *,
    soon_days: int = FEEDBACK_DUE_SOON_DAYS,
    limit: int = 20,
) -> FeedbackDue:
    """The waiting suggestions and complaints of the branches the actor sees that are overdue
    on `today` or due within `soon_days` of it (at most `limit` of each listed, the counts
    complete). For those who follow feedback up. Raises PermissionDenied, or ValueError for a
    negative `soon_days` or `limit`."""
    actor.require(Permission.MANAGE_FEEDBACK)
    if soon_days < 0 or limit < 0:
        raise ValueError("soon_days and limit must not be negative")
    last = today + timedelta(days=soon_days)
    overdue: list[FeedbackRow] = []
    due_soon: list[FeedbackRow] = []
    # The list puts the waiting ones first, soonest due first: stop at the first beyond.
    for row in list_feedback(session, actor, today, open_only=True):
        if row.status not in _AWAITING_ANSWER or (row.due_on is not None and row.due_on > last):
            break
        if row.due_on is None:
            continue
        (overdue if row.overdue else due_soon).append(row)
    return FeedbackDue(overdue[:limit], due_soon[:limit], len(overdue), len(due_soon))
