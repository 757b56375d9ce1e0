"""The intake of a person: the interview's steps, document checks, the signed declaration,
referrals to social research and research reports, and completing the registration.

This module also holds the small form helpers the workflow services share (collecting every
field's problem before anything is written).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import (
    Channel,
    DocumentType,
    IdType,
    InterviewStep,
    ReferralStatus,
    RegistrationStatus,
)
from db.ids import new_id
from db.models import (
    Attachment,
    Beneficiary,
    Contact,
    DocumentCheck,
    Interview,
    ResearchReferral,
    ResearchReport,
    SignedDeclaration,
    SupportRequest,
    User,
)
from db.outbox import to_json_value
from romah_desktop.dates import format_dual, parse_date
from romah_desktop.errors import Conflict, FormErrors, NotFound, RomahError, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services import audit
from romah_desktop.services.beneficiaries import get_beneficiary, primary_phone, stored_values
from romah_desktop.services.context import Actor
from romah_desktop.validation import parse_money, validate_national_id, validate_text

P = ParamSpec("P")
T = TypeVar("T")
E = TypeVar("E", bound=Enum)


# --- form helpers shared by the workflow services -------------------------------------------


class FormCheck:
    """Collects every field's problem, so that a form is answered all at once and nothing is
    written while any field is wrong."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """The result of `check`, or None after noting the ValidationError it raised."""
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            self.errors.append(error)
            return None

    def fail(self, field: str, message: str, **params: object) -> None:
        self.errors.append(ValidationError(field, message, **params))

    def ok(self, field: str) -> bool:
        """Whether `field` has no problem noted so far."""
        return all(error.field != field for error in self.errors)

    def done(self) -> None:
        """Raise FormErrors with every problem noted, if any."""
        if self.errors:
            raise FormErrors(list(self.errors))


def required_text(value: str | None, field: str, max_length: int) -> str:
    """Trimmed text that must be filled in. Raises ValidationError(field, ...)."""
    return validate_text(value or "", field, max_length=max_length, required=True)


def optional_text(value: str | None, field: str, max_length: int) -> str | None:
    """Trimmed text, or None when blank. Raises ValidationError(field, ...)."""
    return validate_text(value or "", field, max_length=max_length) or None


def optional_date(value: str | None, field: str) -> date | None:
    """A typed date (Gregorian or Hijri, see dates.parse_date), or None when blank.

    Raises ValidationError(field, ...)."""
    if value is None or not value.strip():
        return None
    return parse_date(value, field)


def optional_money(value: str | None, field: str) -> int | None:
    """An amount in riyals as halalas, or None when blank. Raises ValidationError(field, ...)."""
    if value is None or not value.strip():
        return None
    return parse_money(value, field)


def choice(enum_class: type[E], value: object, field: str) -> E:
    """`value` as a member of `enum_class` (a member or its stored value).

    Raises ValidationError(field, ...) for anything else."""
    if isinstance(value, enum_class):
        return value
    for member in enum_class:
        if member.value == value:
            return member
    raise ValidationError(field, N_("Please choose one of the options in the list."))


def local_day(moment: datetime) -> date:
    """The calendar day of `moment` on this laptop's clock."""
    return moment.astimezone().date()


def live_beneficiary(session: Session, actor: Actor, beneficiary_id: str) -> Beneficiary:
    """A live file in a branch the actor may see. Raises NotFound or PermissionDenied."""
    return get_beneficiary(session, actor, beneficiary_id)


def linked_request(
    session: Session, form: FormCheck, request_id: str | None, beneficiary_id: str
) -> SupportRequest | None:
    """The request `request_id` when it is one of the beneficiary's; notes a problem on the
    field "request_id" otherwise."""
    if request_id is None:
        return None
    request = session.get(SupportRequest, request_id)
    if (
        request is None
        or request.deleted_at is not None
        or request.beneficiary_id != beneficiary_id
    ):
        form.fail("request_id", N_("This request is not one of this beneficiary's requests."))
        return None
    return request


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


def _document_number(value: str | None, doc_type: DocumentType | None) -> str | None:
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
    clean_number = form.run(_document_number, number, kind) if kind is not None else None
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


# --- the signed declaration -----------------------------------------------------------------

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 1_000_000
# Staff's own notes on the file are not part of what the person declares.
_NOT_DECLARED = frozenset({"notes"})


def declared_snapshot(session: Session, person: Beneficiary) -> dict[str, Any]:
    """The person's file as it stands, as JSON values: what a declaration covers."""
    data = {
        key: to_json_value(value)
        for key, value in stored_values(person).items()
        if key not in _NOT_DECLARED
    }
    data["file_number"] = person.file_number
    data["phone"] = primary_phone(session, person.id)
    return data


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def declaration_hash(declared_data: dict[str, Any], text: str, signature_sha256: str | None) -> str:
    """SHA-256 of the canonical JSON of what was declared, the declaration's text and the
    signature image's hash."""
    content = {"declared_data": declared_data, "text": text, "signature_sha256": signature_sha256}
    return hashlib.sha256(_canonical(content)).hexdigest()


def attachment_path(attachments_dir: Path, sha256: str) -> Path:
    """Where an attachment's bytes live: ``<attachments>/<first two hex digits>/<sha256>``."""
    return attachments_dir / sha256[:2] / sha256


def default_attachments_dir(session: Session) -> Path:
    """The ``attachments`` folder beside the session's SQLite database file (as in a
    workspace). Raises ValueError for a database that is not a file."""
    url = session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError("this database is not a file; pass attachments_dir")
    return Path(url.database).resolve().parent / "attachments"


def store_attachment(
    session: Session,
    data: bytes,
    media_type: str,
    attachments_dir: Path,
    filename: str | None = None,
) -> Attachment:
    """Write `data` content-addressed under `attachments_dir` and return its Attachment row,
    reusing the row (and the file) of the same content. A file written in a transaction that
    is later rolled back stays behind, harmlessly: it is addressed by its content."""
    sha = hashlib.sha256(data).hexdigest()
    path = attachment_path(attachments_dir, sha)
    if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{sha}.{new_id()}.part")
        with partial.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    row = session.scalar(sa.select(Attachment).where(Attachment.sha256 == sha))
    if row is None:
        row = Attachment(sha256=sha, media_type=media_type, size=len(data), filename=filename)
        session.add(row)
    return row


def _signature(value: bytes | None) -> bytes | None:
    if value is None:
        return None
    if not value.startswith(PNG_MAGIC):
        raise ValidationError("signature", N_("The signature must be a PNG image."))
    if len(value) > MAX_SIGNATURE_BYTES:
        raise ValidationError(
            "signature",
            N_("The signature image is too large (at most {max} kilobytes)."),
            max=MAX_SIGNATURE_BYTES // 1000,
        )
    return value


def _superseded_ids(session: Session, beneficiary_id: str) -> set[str]:
    return {
        ref
        for ref in session.scalars(
            sa.select(SignedDeclaration.supersedes_id).where(
                SignedDeclaration.beneficiary_id == beneficiary_id,
                SignedDeclaration.supersedes_id.is_not(None),
            )
        )
        if ref is not None
    }


def sign_declaration(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str,
    signer_name: str,
    text: str,
    signature_png: bytes | None,
    request_id: str | None = None,
    supersedes_id: str | None = None,
    attachments_dir: Path | None = None,
    now: datetime | None = None,
) -> SignedDeclaration:
    """Record the applicant's signed statement that their file's current data is correct.

    The declaration keeps a snapshot of the file and a SHA-256 over the snapshot, the text and
    the signature image's hash; it is immutable. The signature (a PNG, or None for a paper
    signature) is stored content-addressed under `attachments_dir` (default: beside the
    database). `supersedes_id` names the declaration this one replaces. Raises
    PermissionDenied, NotFound (the file), FormErrors, Conflict (the superseded declaration
    was already replaced).
    """
    actor.require(Permission.TAKE_DECLARATION)
    person = live_beneficiary(session, actor, beneficiary_id)
    form = FormCheck()
    name = form.run(required_text, signer_name, "signer_name", 200)
    body = form.run(required_text, text, "text", 5000)
    signature = form.run(_signature, signature_png)
    linked_request(session, form, request_id, person.id)
    if supersedes_id is not None:
        old = session.get(SignedDeclaration, supersedes_id)
        if old is None or old.beneficiary_id != person.id:
            form.fail("supersedes_id", N_("This declaration is not one of this person's."))
    form.done()
    if supersedes_id is not None and supersedes_id in _superseded_ids(session, person.id):
        raise Conflict(N_("This declaration was already replaced by a newer one."))
    assert name is not None and body is not None
    signature_sha = None
    if signature is not None:
        folder = attachments_dir or default_attachments_dir(session)
        signature_sha = store_attachment(
            session, signature, "image/png", folder, "signature.png"
        ).sha256
    data = declared_snapshot(session, person)
    declaration = SignedDeclaration(
        id=new_id(),
        beneficiary_id=person.id,
        request_id=request_id,
        text=body,
        declared_data=data,
        signature_sha256=signature_sha,
        content_sha256=declaration_hash(data, body, signature_sha),
        signer_name=name,
        signed_at=now or utcnow(),
        recorded_by_user_id=actor.user_id,
        supersedes_id=supersedes_id,
    )
    session.add(declaration)
    audit.record(
        session,
        actor,
        "declaration.sign",
        "signed_declaration",
        declaration.id,
        {"signature": signature_sha is not None, "supersedes": supersedes_id is not None},
    )
    return declaration


def verify_declaration(declaration: SignedDeclaration) -> bool:
    """Whether the declaration's stored hash matches its content (False: it was altered)."""
    expected = declaration_hash(
        declaration.declared_data, declaration.text, declaration.signature_sha256
    )
    return expected == declaration.content_sha256


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same_data(declared: dict[str, Any], current: dict[str, Any]) -> bool:
    # A field added to the file after the declaration, still empty, changes nothing declared.
    for key in declared.keys() | current.keys():
        old, new = declared.get(key), current.get(key)
        if old != new and not (_empty(old) and _empty(new)):
            return False
    return True


def declaration_is_current(session: Session, declaration: SignedDeclaration) -> bool:
    """Whether the declaration still covers the file: False when the file changed since it was
    signed, when the file is deleted, or when a newer declaration replaced it."""
    person = session.get(Beneficiary, declaration.beneficiary_id)
    if person is None or person.deleted_at is not None:
        return False
    if declaration.id in _superseded_ids(session, person.id):
        return False
    return _same_data(declaration.declared_data, declared_snapshot(session, person))


def current_declaration(session: Session, beneficiary_id: str) -> SignedDeclaration | None:
    """The newest intact declaration that still covers the person's file, if any."""
    declarations = session.scalars(
        sa.select(SignedDeclaration)
        .where(
            SignedDeclaration.beneficiary_id == beneficiary_id,
            SignedDeclaration.deleted_at.is_(None),
        )
        .order_by(SignedDeclaration.signed_at.desc(), SignedDeclaration.id.desc())
    ).all()
    for declaration in declarations:
        if verify_declaration(declaration) and declaration_is_current(session, declaration):
            return declaration
    return None


# --- social research ------------------------------------------------------------------------


def _researcher(session: Session, user_id: str, branch_id: str) -> None:
    user = session.get(User, user_id)
    if (
        user is None
        or user.deleted_at is not None
        or not user.active
        or user.branch_id != branch_id
        or not allowed(user.role, Permission.ANSWER_REFERRAL)
    ):
        raise ValidationError(
            "assigned_to_user_id",
            N_("Choose a social research officer or the manager of this branch."),
        )


def refer_to_research(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str,
    question: str,
    request_id: str | None = None,
    assigned_to_user_id: str | None = None,
) -> ResearchReferral:
    """Refer a person's question to the social research officer (when the procedure is unclear
    to them). Raises PermissionDenied, NotFound (the file), FormErrors."""
    actor.require(Permission.REFER_TO_RESEARCH)
    person = live_beneficiary(session, actor, beneficiary_id)
    form = FormCheck()
    clean_question = form.run(required_text, question, "question", 2000)
    linked_request(session, form, request_id, person.id)
    if assigned_to_user_id is not None:
        form.run(_researcher, session, assigned_to_user_id, person.branch_id)
    form.done()
    assert clean_question is not None
    referral = ResearchReferral(
        id=new_id(),
        beneficiary_id=person.id,
        request_id=request_id,
        question=clean_question,
        referred_by_user_id=actor.user_id,
        assigned_to_user_id=assigned_to_user_id,
        status=ReferralStatus.OPEN,
    )
    session.add(referral)
    audit.record(session, actor, "referral.create", "research_referral", referral.id)
    return referral


def answer_referral(
    session: Session,
    actor: Actor,
    referral_id: str,
    answer: str,
    *,
    now: datetime | None = None,
) -> ResearchReferral:
    """Answer an open referral. Raises PermissionDenied, NotFound, ValidationError (answer),
    Conflict (already answered)."""
    actor.require(Permission.ANSWER_REFERRAL)
    referral = session.get(ResearchReferral, referral_id)
    if referral is None or referral.deleted_at is not None:
        raise NotFound(N_("This referral was not found."))
    live_beneficiary(session, actor, referral.beneficiary_id)
    clean_answer = required_text(answer, "answer", 5000)
    if referral.status != ReferralStatus.OPEN:
        raise Conflict(N_("This referral was already answered."))
    referral.answer = clean_answer
    referral.status = ReferralStatus.ANSWERED
    referral.answered_at = now or utcnow()
    if referral.assigned_to_user_id is None:
        referral.assigned_to_user_id = actor.user_id
    audit.record(session, actor, "referral.answer", "research_referral", referral.id)
    return referral


def write_research_report(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str,
    findings: str,
    recommendation: str | None = None,
    visit_date: str | None = None,
    request_id: str | None = None,
    referral_id: str | None = None,
    today: date | None = None,
) -> ResearchReport:
    """Record a social research report (often after a home visit on `visit_date`, typed as
    text, not in the future). Raises PermissionDenied, NotFound (the file), FormErrors."""
    actor.require(Permission.ANSWER_REFERRAL)
    person = live_beneficiary(session, actor, beneficiary_id)
    form = FormCheck()
    clean_findings = form.run(required_text, findings, "findings", 10000)
    clean_recommendation = form.run(optional_text, recommendation, "recommendation", 2000)
    visited = form.run(optional_date, visit_date, "visit_date")
    if visited is not None and visited > (today or date.today()):
        form.fail("visit_date", N_("The visit date cannot be in the future."))
    linked_request(session, form, request_id, person.id)
    if referral_id is not None:
        referral = session.get(ResearchReferral, referral_id)
        if referral is None or referral.beneficiary_id != person.id:
            form.fail("referral_id", N_("This referral is not one of this person's."))
    form.done()
    assert clean_findings is not None
    report = ResearchReport(
        id=new_id(),
        beneficiary_id=person.id,
        request_id=request_id,
        referral_id=referral_id,
        author_user_id=actor.user_id,
        visit_date=visited,
        findings=clean_findings,
        recommendation=clean_recommendation,
    )
    session.add(report)
    audit.record(session, actor, "research_report.write", "research_report", report.id)
    return report


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
