"""The guided intake, step by step: what each step of the intake window writes.

Each function is one step's work in one transaction, built on the workflow services (contacts,
intake, declarations, research, requests), and moves the interview forward to that step. A step
done again after going back (a renewed document, a new signature) does not move the interview
back. Every function raises what the services it uses raise; a FormErrors names the fields as
the window shows them ("subject", "file.city", "documents.1.expiry_date").
What the screens read before a step is done is in intake_views.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    DocumentType,
    InterviewStep,
    RegistrationStatus,
    RequestType,
    ServiceType,
)
from db.models import Beneficiary, Interview, SignedDeclaration
from romah_desktop.checklists import IDENTITY_DOCUMENT, expires, required_documents
from romah_desktop.errors import Conflict, FormErrors, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services.committee.requests import (
    AMOUNT_REQUIRED,
    committee_due_text,
    create_request,
    get_request,
    record_service_delivery,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    live_beneficiary,
    optional_date,
    optional_money,
    required_text,
)
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.declarations import declared_snapshot, sign_declaration
from romah_desktop.services.intake.interview import (
    OPTIONAL_STEPS,
    STEPS,
    advance_interview,
    complete_registration,
    document_number,
    finish_interview,
    record_document_check,
    start_interview,
)
from romah_desktop.services.intake.views import (
    CommitteeDue,
    declaration_text,
    missing_fields,
    summarize,
)
from romah_desktop.services.people.beneficiaries import (
    FIELDS,
    clean_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.research import refer_to_research

_FILL_IN = N_("This field must be filled in.")
_IDENTITY_DOCUMENTS = frozenset(IDENTITY_DOCUMENT.values())


# --- the person and the interview -----------------------------------------------------------


def _interview(session: Session, actor: Actor, interview_id: str, request_id: str) -> Interview:
    """The open interview, checked to be about the request's person."""
    request = get_request(session, actor, request_id)
    interview = session.get(Interview, interview_id)
    if interview is None or interview.deleted_at is not None:
        raise NotFound(N_("This interview was not found."))
    if interview.beneficiary_id != request.beneficiary_id:
        raise Conflict(N_("This request is not one of this beneficiary's requests."))
    if interview.finished_at is not None:
        raise Conflict(N_("This interview is finished."))
    return interview


def _check_reachable(interview: Interview, step: InterviewStep) -> None:
    """Raise Conflict, before anything is written, if the interview cannot move to `step`."""
    here, there = STEPS.index(interview.current_step), STEPS.index(step)
    for skipped in STEPS[here + 1 : there]:
        if skipped not in OPTIONAL_STEPS:
            raise Conflict(N_("The step “{step}” must be done first."), step=skipped)


def _reach(session: Session, actor: Actor, interview: Interview, step: InterviewStep) -> None:
    # Going back to redo a step (e.g. a renewed document) leaves the interview where it is.
    if STEPS.index(interview.current_step) < STEPS.index(step):
        advance_interview(session, actor, interview.id, step)


# --- 1. receive -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reception:
    """What receiving the person created: the contact, the interview and the draft request."""

    contact_id: str
    interview_id: str
    request_id: str
    request_number: str


def receive_person(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str | None,
    channel: Channel | str,
    request_type: RequestType | str,
    amount: str | None,
    subject: str,
    justification: str,
    today: date | None = None,
) -> Reception:
    """Step 1: log the contact (who came, on which channel, what they asked), start the
    interview and open the draft support request. Raises PermissionDenied, NotFound (the
    file), FormErrors (every field's problem at once; nothing is written)."""
    actor.require(Permission.LOG_CONTACT)
    actor.require(Permission.SUBMIT_REQUEST)
    form = FormCheck()
    if not beneficiary_id:
        form.fail("beneficiary_id", N_("Choose the person who came, or register them first."))
    chosen = form.run(choice, Channel, channel, "channel")
    kind = form.run(choice, RequestType, request_type, "request_type")
    halalas = form.run(optional_money, amount, "amount")
    if halalas is not None and halalas <= 0:
        form.fail("amount", N_("The amount must be more than zero."))
    elif kind in AMOUNT_REQUIRED and halalas is None and form.ok("amount"):
        form.fail("amount", N_("This kind of request needs the amount requested."))
    form.run(required_text, subject, "subject", 300)
    form.run(required_text, justification, "justification", 5000)
    form.done()
    assert beneficiary_id is not None and chosen is not None and kind is not None
    contact = log_contact(
        session, actor, channel=chosen, subject=subject, beneficiary_id=beneficiary_id
    )
    request = create_request(
        session,
        actor,
        beneficiary_id=beneficiary_id,
        request_type=kind,
        amount=amount,
        justification=justification,
        channel=chosen,
        today=today,
    )
    interview = start_interview(session, actor, beneficiary_id, chosen, contact.id)
    return Reception(contact.id, interview.id, request.id, request.request_number)


# --- 2. collect and verify ------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentEntry:
    """A document as the interviewer typed it: the numbers and dates are text."""

    doc_type: DocumentType | str
    number: str = ""
    expiry_date: str = ""
    issue_date: str = ""

    def blank(self) -> bool:
        return not (self.number.strip() or self.expiry_date.strip() or self.issue_date.strip())


@dataclass(frozen=True)
class DocumentResult:
    """A recorded document check: `valid_on_submission` False means flagged as expired."""

    doc_type: DocumentType
    number: str | None
    expiry_date: date | None
    valid_on_submission: bool


def _prefixed(error: FormErrors | ValidationError, prefix: str) -> list[ValidationError]:
    found = error.errors if isinstance(error, FormErrors) else [error]
    return [ValidationError(f"{prefix}{e.field}", e.message, **e.params) for e in found]


def verify_file(
    session: Session,
    actor: Actor,
    *,
    interview_id: str,
    request_id: str,
    fields: Mapping[str, str],
    documents: Sequence[DocumentEntry],
    today: date | None = None,
) -> list[DocumentResult]:
    """Step 2: fill in the file's missing fields and record each document checked today.

    A required document needs its number, and its expiry date when it expires; an expired
    document is recorded and flagged, not refused. An identity document must carry the ID
    number of the file. Blank rows of other documents are skipped. Raises PermissionDenied,
    NotFound, Conflict, FormErrors ("file.<field>", "documents.<row>.<field>"; nothing is
    written).
    """
    actor.require(Permission.CHECK_DOCUMENTS)
    if fields:
        actor.require(Permission.EDIT_BENEFICIARY)
    day = today or date.today()
    interview = _interview(session, actor, interview_id, request_id)
    _check_reachable(interview, InterviewStep.COLLECT_VERIFY)
    request = get_request(session, actor, request_id)
    person = live_beneficiary(session, actor, request.beneficiary_id)
    required = required_documents(request.request_type, person.id_type, person.categories)
    errors: list[ValidationError] = []
    changes = {name: value for name, value in fields.items() if name in FIELDS}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name in missing_fields(session, person, request.request_type):
        if not (changes.get(name) or "").strip():
            errors.append(ValidationError(f"file.{name}", _FILL_IN))
    filled = {name: value for name, value in changes.items() if (value or "").strip()}
    try:
        clean_beneficiary(filled, day, partial=True)
    except FormErrors as error:
        errors.extend(_prefixed(error, "file."))
    entries: list[tuple[int, DocumentType, DocumentEntry]] = []
    for row, entry in enumerate(documents):
        prefix = f"documents.{row}."
        try:
            kind = choice(DocumentType, entry.doc_type, "doc_type")
        except ValidationError as error:
            errors.extend(_prefixed(error, prefix))
            continue
        if kind not in required and entry.blank():
            continue
        errors.extend(
            _prefixed(_document_problems(person, kind, entry, kind in required, day), prefix)
        )
        entries.append((row, kind, entry))
    seen = {kind for _row, kind, _entry in entries}
    for kind in required:
        if kind not in seen:
            errors.append(
                ValidationError("documents", N_("The {document} must be checked."), document=kind)
            )
    if errors:
        raise FormErrors(errors)
    # Everything was checked above: from here on nothing refuses, so nothing half-written.
    if filled:
        update_beneficiary(session, actor, person.id, filled, today=day)
    results: list[DocumentResult] = []
    for _row, kind, entry in entries:
        check = record_document_check(
            session,
            actor,
            beneficiary_id=person.id,
            doc_type=kind,
            number=entry.number,
            issue_date=entry.issue_date,
            expiry_date=entry.expiry_date,
            request_id=request.id,
            checked_on=day,
        )
        results.append(
            DocumentResult(kind, check.number, check.expiry_date, check.valid_on_submission)
        )
    _reach(session, actor, interview, InterviewStep.COLLECT_VERIFY)
    return results


def _document_problems(
    person: Beneficiary, kind: DocumentType, entry: DocumentEntry, required: bool, day: date
) -> FormErrors:
    """Every problem of one document row, with the rules record_document_check applies, so
    that a form is answered all at once before anything is written."""
    form = FormCheck()
    if required and not entry.number.strip():
        form.fail("number", N_("Enter the document's number."))
    elif entry.number.strip() or kind in _IDENTITY_DOCUMENTS:
        number = form.run(document_number, entry.number, kind)
        if kind == IDENTITY_DOCUMENT.get(person.id_type) and number not in (
            None,
            person.national_id,
        ):
            form.fail(
                "number",
                N_("This is not the ID number in the person's file ({national_id})."),
                national_id=person.national_id,
            )
    if required and expires(kind) and not entry.expiry_date.strip():
        form.fail("expiry_date", N_("Enter the document's expiry date."))
    issued = form.run(optional_date, entry.issue_date, "issue_date")
    expiry = form.run(optional_date, entry.expiry_date, "expiry_date")
    if issued is not None and issued > day:
        form.fail("issue_date", N_("The issue date cannot be after the day of the check."))
    if issued is not None and expiry is not None and expiry < issued:
        form.fail("expiry_date", N_("The expiry date cannot be before the issue date."))
    return FormErrors(form.errors)


# --- 3. refer -------------------------------------------------------------------------------


def refer(
    session: Session,
    actor: Actor,
    *,
    interview_id: str,
    request_id: str,
    question: str,
    officer_id: str | None,
) -> str:
    """Step 3: refer the person's question to social research (it appears in the officer's
    queue, or the branch's when no officer is chosen); return the referral's id. Raises
    PermissionDenied, NotFound, Conflict, FormErrors."""
    actor.require(Permission.REFER_TO_RESEARCH)
    interview = _interview(session, actor, interview_id, request_id)
    _check_reachable(interview, InterviewStep.REFER)
    referral = refer_to_research(
        session,
        actor,
        beneficiary_id=interview.beneficiary_id,
        question=question,
        request_id=request_id,
        assigned_to_user_id=officer_id or None,
    )
    _reach(session, actor, interview, InterviewStep.REFER)
    return referral.id


# --- 4. declare -----------------------------------------------------------------------------


def _replaceable(session: Session, beneficiary_id: str) -> str | None:
    """The newest declaration no other one has replaced yet: the one a new one supersedes."""
    declarations = session.scalars(
        sa.select(SignedDeclaration)
        .where(
            SignedDeclaration.beneficiary_id == beneficiary_id,
            SignedDeclaration.deleted_at.is_(None),
        )
        .order_by(SignedDeclaration.signed_at.desc(), SignedDeclaration.id.desc())
    ).all()
    replaced = {d.supersedes_id for d in declarations if d.supersedes_id}
    return next((d.id for d in declarations if d.id not in replaced), None)


@dataclass(frozen=True)
class SignedSummary:
    id: str
    content_sha256: str
    signed_at: datetime


def declare(
    session: Session,
    actor: Actor,
    *,
    interview_id: str,
    request_id: str,
    signer_name: str,
    lang: str,
    shown_data: Mapping[str, Any],
    signature_png: bytes | None,
    attachments_dir: Path,
    now: datetime | None = None,
) -> SignedSummary:
    """Step 4: the person signs the declaration of exactly `shown_data` (what they were
    shown); it replaces their previous declaration. `signature_png` None means signed on
    paper. Raises PermissionDenied, NotFound, FormErrors, Conflict (the file changed since it
    was shown: show it again)."""
    actor.require(Permission.TAKE_DECLARATION)
    interview = _interview(session, actor, interview_id, request_id)
    _check_reachable(interview, InterviewStep.DECLARE)
    person = live_beneficiary(session, actor, interview.beneficiary_id)
    if declared_snapshot(session, person) != dict(shown_data):
        raise Conflict(
            N_(
                "The file changed while the declaration was on the screen. "
                "Show the person the new data before they sign."
            )
        )
    declaration = sign_declaration(
        session,
        actor,
        beneficiary_id=person.id,
        signer_name=signer_name,
        text=declaration_text(lang, summarize(person)),
        signature_png=signature_png,
        request_id=request_id,
        supersedes_id=_replaceable(session, person.id),
        attachments_dir=attachments_dir,
        now=now,
    )
    _reach(session, actor, interview, InterviewStep.DECLARE)
    return SignedSummary(declaration.id, declaration.content_sha256, declaration.signed_at)


# --- 5. submit to the research committee ----------------------------------------------------


def submit(
    session: Session,
    actor: Actor,
    *,
    interview_id: str,
    request_id: str,
    now: datetime | None = None,
) -> CommitteeDue:
    """Step 5: submit the request to the research committee and tell when it answers by
    (stored on the request). Raises PermissionDenied, NotFound, Conflict (e.g. the file
    changed since the declaration: a new declaration is needed)."""
    actor.require(Permission.SUBMIT_REQUEST)
    interview = _interview(session, actor, interview_id, request_id)
    _check_reachable(interview, InterviewStep.INFORM)
    request = submit_request(session, actor, request_id, now=now)
    _reach(session, actor, interview, InterviewStep.INFORM)
    assert request.committee_due_on is not None and request.submitted_at is not None
    days = (request.committee_due_on - request.submitted_at.astimezone().date()).days
    return CommitteeDue(days, request.committee_due_on, committee_due_text(request) or "")


# --- 6. complete the registration -----------------------------------------------------------


def register(
    session: Session, actor: Actor, *, interview_id: str, request_id: str
) -> RegistrationStatus:
    """Step 6: complete the registration once the file is complete (a file registered
    already stays so). Raises PermissionDenied, NotFound, Conflict (suspended), or
    RegistrationIncomplete listing what is missing."""
    actor.require(Permission.REGISTER_BENEFICIARY)
    interview = _interview(session, actor, interview_id, request_id)
    _check_reachable(interview, InterviewStep.COMPLETE_REGISTRATION)
    person = live_beneficiary(session, actor, interview.beneficiary_id)
    if person.registration_status != RegistrationStatus.REGISTERED:
        complete_registration(session, actor, person.id)
    _reach(session, actor, interview, InterviewStep.COMPLETE_REGISTRATION)
    return person.registration_status


# --- 7. deliver the service -----------------------------------------------------------------


def deliver(
    session: Session,
    actor: Actor,
    *,
    interview_id: str,
    request_id: str,
    service_type: ServiceType | str,
    amount: str | None,
    items: str | None,
    delivered_on: str | None,
    today: date | None = None,
) -> str:
    """Step 7: record the service delivered on the approved request (`delivered_on` typed,
    Gregorian or Hijri; blank: today) and finish the interview; return the delivery's id.
    Raises PermissionDenied, NotFound, FormErrors, Conflict (not approved)."""
    actor.require(Permission.DELIVER_SERVICE)
    interview = _interview(session, actor, interview_id, request_id)
    form = FormCheck()
    day = form.run(optional_date, delivered_on, "delivered_on")
    kind = form.run(choice, ServiceType, service_type, "service_type")
    form.done()
    assert kind is not None
    _check_reachable(interview, InterviewStep.DELIVER_SERVICE)
    delivery = record_service_delivery(
        session,
        actor,
        request_id=request_id,
        service_type=kind,
        amount=amount,
        items=items,
        delivered_on=day,
        today=today,
    )
    _reach(session, actor, interview, InterviewStep.DELIVER_SERVICE)
    finish_interview(session, actor, interview.id)
    return delivery.id


def close_interview(session: Session, actor: Actor, *, interview_id: str, request_id: str) -> None:
    """End the intake without a delivery (the committee refused, or the person withdrew).
    Raises PermissionDenied, NotFound, Conflict."""
    actor.require(Permission.LOG_CONTACT)
    interview = _interview(session, actor, interview_id, request_id)
    finish_interview(session, actor, interview.id)
