"""The intake of a person: the interview's steps, document checks, and completing the
registration."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import Channel, DocumentType, IdType, InterviewStep, RegistrationStatus
from db.ids import new_id
from db.models import Beneficiary, Contact, DocumentCheck, Interview
from romah_desktop.dates import format_dual
from romah_desktop.errors import Conflict, NotFound, RomahError, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    linked_request,
    live_beneficiary,
    optional_date,
    optional_text,
)
from romah_desktop.services.intake.declarations import current_declaration
from romah_desktop.validation import validate_national_id

# --- the interview --------------------------------------------------------------------------

STEPS: tuple[InterviewStep, ...] = tuple(InterviewStep)
# The policy refers a person to social research only when the procedure is unclear to them.
OPTIONAL_STEPS = frozenset({InterviewStep.REFER})


def _interview(session: Session, actor: Actor, interview_id: str) -> Interview:
    interview = session.get(Interview, interview_id)
    if interview is None or interview.deleted_at is not None:
        raise NotFound(N_("This interview was not found."))
    live_beneficiary(session, actor, interview.beneficiary_id)
    return interview


def start_interview(
    session: Session,
    actor: Actor,
    beneficiary_id: str,
    channel: Channel,
    contact_id: str | None = None,
    *,
    now: datetime | None = None,
) -> Interview:
    """Start an intake interview with a registered person, at the policy's first step.

    `contact_id` links the contact that brought the person (it must be theirs, or an inquiry
    by someone not yet registered). Raises PermissionDenied, NotFound (the file), FormErrors.
    """
    actor.require(Permission.LOG_CONTACT)
    person = live_beneficiary(session, actor, beneficiary_id)
    form = FormCheck()
    chosen = form.run(choice, Channel, channel, "channel")
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if (
            contact is None
            or contact.deleted_at is not None
            or contact.branch_id != person.branch_id
            or contact.beneficiary_id not in (None, person.id)
        ):
            form.fail("contact_id", N_("This contact is not one of this person's contacts."))
    form.done()
    assert chosen is not None
    interview = Interview(
        id=new_id(),
        beneficiary_id=person.id,
        contact_id=contact_id,
        interviewer_id=actor.user_id,
        channel=chosen,
        started_at=now or utcnow(),
        current_step=InterviewStep.RECEIVE,
        completed_steps=[],
    )
    session.add(interview)
    audit.record(session, actor, "interview.start", "interview", interview.id)
    return interview


def advance_interview(
    session: Session, actor: Actor, interview_id: str, step: InterviewStep
) -> Interview:
    """Complete the interview's current step and move on to `step`.

    Steps go forward in the policy's order; only the referral to social research may be
    skipped. Raises PermissionDenied, NotFound, ValidationError (not a step), Conflict (a
    finished interview, a step already passed, or a required step skipped).
    """
    actor.require(Permission.LOG_CONTACT)
    target = choice(InterviewStep, step, "step")
    interview = _interview(session, actor, interview_id)
    if interview.finished_at is not None:
        raise Conflict(N_("This interview is finished."))
    current = interview.current_step
    here, there = STEPS.index(current), STEPS.index(target)
    if there <= here:
        raise Conflict(
            N_("The interview is already at the step “{step}”; it only moves forward."),
            step=current,
        )
    for skipped in STEPS[here + 1 : there]:
        if skipped not in OPTIONAL_STEPS:
            raise Conflict(N_("The step “{step}” must be done first."), step=skipped)
    interview.completed_steps = [*interview.completed_steps, current.value]
    interview.current_step = target
    audit.record(
        session, actor, "interview.advance", "interview", interview.id, {"step": target.value}
    )
    return interview


def finish_interview(
    session: Session,
    actor: Actor,
    interview_id: str,
    notes: str | None = None,
    *,
    now: datetime | None = None,
) -> Interview:
    """Complete the current step and close the interview (at any step: a person may come back
    another day). Raises PermissionDenied, NotFound, ValidationError (notes), Conflict (already
    finished)."""
    actor.require(Permission.LOG_CONTACT)
    clean_notes = optional_text(notes, "notes", 2000)
    interview = _interview(session, actor, interview_id)
    if interview.finished_at is not None:
        raise Conflict(N_("This interview is finished."))
    interview.completed_steps = [*interview.completed_steps, interview.current_step.value]
    interview.finished_at = now or utcnow()
    if clean_notes is not None:
        interview.notes = clean_notes
    audit.record(session, actor, "interview.finish", "interview", interview.id)
    return interview


# --- documents ------------------------------------------------------------------------------

_ID_DOCUMENTS = {
    DocumentType.NATIONAL_ID_CARD: IdType.NATIONAL_ID,
    DocumentType.IQAMA: IdType.IQAMA,
}


def document_number(value: str | None, doc_type: DocumentType | None) -> str | None:
    if doc_type in _ID_DOCUMENTS:
        number, id_type = validate_national_id(value or "", "number")
        if id_type != _ID_DOCUMENTS[doc_type]:
            raise ValidationError(
                "number",
                N_("This number is of a {id_type}, which does not match the document chosen."),
                id_type=id_type,
            )
        return number
    return optional_text(value, "number", 40)


def record_document_check(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str,
    doc_type: DocumentType,
    number: str | None,
    issue_date: str | None,
    expiry_date: str | None,
    request_id: str | None = None,
    checked_on: date | None = None,
    notes: str | None = None,
) -> DocumentCheck:
    """Record a document the interviewer checked, and whether it is valid on `checked_on`
    (default today): an expired document is recorded and flagged, not refused.

    An ID card or Iqama number must be a valid ID of that kind. Dates are typed text, Gregorian
    or Hijri. Raises PermissionDenied, NotFound (the file), FormErrors.
    """
    actor.require(Permission.CHECK_DOCUMENTS)
    person = live_beneficiary(session, actor, beneficiary_id)
    day = checked_on or date.today()
    form = FormCheck()
    kind = form.run(choice, DocumentType, doc_type, "doc_type")
    clean_number = form.run(document_number, number, kind) if kind is not None else None
    issued = form.run(optional_date, issue_date, "issue_date")
    expires = form.run(optional_date, expiry_date, "expiry_date")
    clean_notes = form.run(optional_text, notes, "notes", 300)
    if issued is not None and issued > day:
        form.fail("issue_date", N_("The issue date cannot be after the day of the check."))
    if issued is not None and expires is not None and expires < issued:
        form.fail("expiry_date", N_("The expiry date cannot be before the issue date."))
    linked_request(session, form, request_id, person.id)
    form.done()
    assert kind is not None
    check = DocumentCheck(
        id=new_id(),
        beneficiary_id=person.id,
        request_id=request_id,
        doc_type=kind,
        number=clean_number,
        issue_date=issued,
        expiry_date=expires,
        checked_on=day,
        valid_on_submission=expires is None or expires >= day,
        verified_by_user_id=actor.user_id,
        notes=clean_notes,
    )
    session.add(check)
    audit.record(
        session,
        actor,
        "document.check",
        "document_check",
        check.id,
        {"doc_type": kind.value, "valid_on_submission": check.valid_on_submission},
    )
    return check


def latest_document_checks(session: Session, beneficiary_id: str) -> list[DocumentCheck]:
    """The most recent check of each type of document of the person (a renewed document's
    check replaces the expired one's)."""
    checks = session.scalars(
        sa.select(DocumentCheck)
        .where(DocumentCheck.beneficiary_id == beneficiary_id, DocumentCheck.deleted_at.is_(None))
        .order_by(DocumentCheck.checked_on, DocumentCheck.id)
    ).all()
    latest: dict[DocumentType, DocumentCheck] = {}
    for check in checks:
        latest[check.doc_type] = check
    return list(latest.values())


# --- completing the registration ------------------------------------------------------------


class RegistrationIncomplete(Conflict):
    """The file is not complete yet; `missing` says what is missing, one item each."""

    def __init__(self, missing: list[RomahError]) -> None:
        super().__init__(N_("The registration cannot be completed yet. Missing:"))
        self.missing = missing

    def text(self, lang: str | None = None) -> str:
        lines = [super().text(lang), *(f"- {item.text(lang)}" for item in self.missing)]
        return "\n".join(lines)


def registration_gaps(session: Session, person: Beneficiary) -> list[RomahError]:
    """What the file still lacks before its registration can be completed (empty: nothing)."""
    gaps: list[RomahError] = []
    if current_declaration(session, person.id) is None:
        gaps.append(RomahError(N_("a signed declaration of the file's current data")))
    for check in latest_document_checks(session, person.id):
        if not check.valid_on_submission and check.expiry_date is not None:
            gaps.append(
                RomahError(
                    N_("a valid {document}: the one checked on {checked_on} expired on {expiry}"),
                    document=check.doc_type,
                    checked_on=format_dual(check.checked_on),
                    expiry=format_dual(check.expiry_date),
                )
            )
    return gaps


def complete_registration(session: Session, actor: Actor, beneficiary_id: str) -> Beneficiary:
    """Mark the file registered once it is complete: a current signed declaration exists and
    no document's latest check found it expired.

    Raises PermissionDenied, NotFound, Conflict (already registered or suspended), or
    RegistrationIncomplete (a Conflict listing what is missing).
    """
    actor.require(Permission.REGISTER_BENEFICIARY)
    person = live_beneficiary(session, actor, beneficiary_id)
    if person.registration_status == RegistrationStatus.REGISTERED:
        raise Conflict(N_("This file is already registered."))
    if person.registration_status == RegistrationStatus.SUSPENDED:
        raise Conflict(N_("This file is suspended; it cannot be registered while suspended."))
    gaps = registration_gaps(session, person)
    if gaps:
        raise RegistrationIncomplete(gaps)
    person.registration_status = RegistrationStatus.REGISTERED
    audit.record(
        session,
        actor,
        "beneficiary.complete_registration",
        "beneficiary",
        person.id,
        {"fields": ["registration_status"]},
    )
    return person
