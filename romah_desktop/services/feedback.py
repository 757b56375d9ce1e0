"""Satisfaction surveys, and suggestions and complaints followed up to closing.

Rating the service is the beneficiary's right and a tool for improvement, never for
punishment: a survey may be anonymous, and the audit trail names no ratings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import Channel, FeedbackKind, FeedbackStatus
from db.ids import new_id
from db.models import Contact, Feedback, SatisfactionSurvey, User
from romah_desktop.errors import Conflict, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.forms import (
    FormCheck,
    choice,
    linked_request,
    live_beneficiary,
    optional_text,
    required_text,
)

RATING_MIN, RATING_MAX = 1, 5
MAX_DUE_DAYS = 365


def _rating(value: int | None, field: str, required: bool = False) -> int | None:
    if value is None and not required:
        return None
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
    overall: int,
    speed: int | None = None,
    courtesy: int | None = None,
    clarity: int | None = None,
    comment: str | None = None,
    beneficiary_id: str | None = None,
    request_id: str | None = None,
    contact_id: str | None = None,
    collected_on: date | None = None,
) -> SatisfactionSurvey:
    """Record a satisfaction survey in the actor's branch: an overall rating and optional
    ratings of speed, courtesy and clarity, each from 1 to 5. Without `beneficiary_id` the
    survey is anonymous. Raises PermissionDenied, NotFound (the file), FormErrors.
    """
    actor.require(Permission.RECORD_SURVEY)
    person = live_beneficiary(session, actor, beneficiary_id) if beneficiary_id else None
    form = FormCheck()
    chosen = form.run(choice, Channel, channel, "channel")
    ratings = {
        field: form.run(_rating, value, field, field == "overall")
        for field, value in (
            ("overall", overall),
            ("speed", speed),
            ("courtesy", courtesy),
            ("clarity", clarity),
        )
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
        collected_on=collected_on or date.today(),
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
    """Record the response given to a suggestion or complaint. Raises PermissionDenied,
    NotFound, ValidationError (response), Conflict (already answered or closed)."""
    actor.require(Permission.MANAGE_FEEDBACK)
    item = _feedback(session, actor, feedback_id)
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
