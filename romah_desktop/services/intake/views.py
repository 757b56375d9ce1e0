"""The guided intake's read side: what each step's screen shows before the step is done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    DecisionOutcome,
    DocumentType,
    Gender,
    IdType,
    RegistrationStatus,
    RequestStatus,
    RequestType,
    Role,
    ServiceType,
)
from db.models import Beneficiary, ServiceDelivery, SignedDeclaration, User
from romah_desktop import settings
from romah_desktop.checklists import expires, required_documents, required_fields
from romah_desktop.dates import format_dual
from romah_desktop.errors import NotFound
from romah_desktop.grammar import for_gender
from romah_desktop.i18n import N_, current_language
from romah_desktop.names import full_name
from romah_desktop.permissions import Permission, allowed
from romah_desktop.resources import resources_dir
from romah_desktop.services.committee import deadline
from romah_desktop.services.committee.requests import (
    committee_due_text,
    effective_decision,
    get_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import live_beneficiary
from romah_desktop.services.intake.declarations import current_declaration, declared_snapshot
from romah_desktop.services.intake.interview import latest_document_checks, registration_gaps
from romah_desktop.services.people.beneficiaries import primary_phone

# Form field → the file's stored column, where they differ.
_STORED_AS = {"monthly_rent": "monthly_rent_halalas", "monthly_income": "monthly_income_halalas"}


@dataclass(frozen=True)
class PersonSummary:
    """Who the intake is about, as the window shows them."""

    id: str
    full_name: str
    national_id: str
    id_type: IdType
    file_number: str
    registration_status: RegistrationStatus
    categories: tuple[str, ...]
    gender: Gender | None = None


def summarize(person: Beneficiary) -> PersonSummary:
    return PersonSummary(
        id=person.id,
        full_name=full_name(person),
        national_id=person.national_id,
        id_type=person.id_type,
        file_number=person.file_number,
        registration_status=person.registration_status,
        categories=tuple(person.categories or ()),
        gender=person.gender,
    )


def person_summary(session: Session, actor: Actor, beneficiary_id: str) -> PersonSummary:
    """The person's name and numbers. Raises PermissionDenied, NotFound."""
    return summarize(live_beneficiary(session, actor, beneficiary_id))


@dataclass(frozen=True)
class ChecklistEntry:
    """A document to check, with the latest check of that kind on the file, if any."""

    doc_type: DocumentType
    required: bool
    expires: bool
    last_number: str | None = None
    last_expiry: date | None = None


@dataclass(frozen=True)
class FileReview:
    """What step 2 shows: the file's missing fields and the document checklist."""

    person: PersonSummary
    request_type: RequestType
    missing_fields: tuple[str, ...]
    documents: tuple[ChecklistEntry, ...]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def missing_fields(session: Session, person: Beneficiary, request_type: RequestType) -> list[str]:
    """The fields this request needs that the file does not have yet (form names)."""
    missing = []
    for name in required_fields(request_type):
        if name == "phone":
            value: Any = primary_phone(session, person.id)
        else:
            value = getattr(person, _STORED_AS.get(name, name))
        if _blank(value):
            missing.append(name)
    return missing


def review_file(session: Session, actor: Actor, request_id: str) -> FileReview:
    """The request's person, their file's missing fields and the documents to check (the
    checklist of the request's kind, then any other document checked before). Raises
    PermissionDenied, NotFound."""
    request = get_request(session, actor, request_id)
    person = live_beneficiary(session, actor, request.beneficiary_id)
    required = required_documents(request.request_type, person.id_type, person.categories)
    latest = {check.doc_type: check for check in latest_document_checks(session, person.id)}
    ordered = [*required, *(doc for doc in latest if doc not in required)]
    entries = tuple(
        ChecklistEntry(
            doc_type=doc,
            required=doc in required,
            expires=expires(doc),
            last_number=latest[doc].number if doc in latest else None,
            last_expiry=latest[doc].expiry_date if doc in latest else None,
        )
        for doc in ordered
    )
    return FileReview(
        summarize(person),
        request.request_type,
        tuple(missing_fields(session, person, request.request_type)),
        entries,
    )


@dataclass(frozen=True)
class Officer:
    """Someone in the branch who answers referred questions."""

    user_id: str
    full_name: str
    role: Role


def research_officers(session: Session, actor: Actor) -> list[Officer]:
    """The active users of the actor's branch who answer referrals, by name. Raises
    PermissionDenied."""
    actor.require(Permission.REFER_TO_RESEARCH)
    users = session.scalars(
        sa.select(User)
        .where(
            User.branch_id == actor.branch_id,
            User.active.is_(True),
            User.deleted_at.is_(None),
        )
        .order_by(User.full_name, User.id)
    )
    officers = []
    for user in users:
        # Named by the role in which they answer: a receptionist who is also the researcher
        # is offered as the researcher.
        answering = [r for r in Role if r in user.roles and allowed(r, Permission.ANSWER_REFERRAL)]
        if answering:
            officers.append(Officer(user.id, user.full_name, answering[0]))
    return officers


DECLARATION_LANGUAGES = ("ar", "en")


def declaration_template(lang: str, gender: Gender | str | None = None) -> str:
    """The declaration's words in `lang` ("ar" or "en") with the person's name and numbers left
    as {full_name}, {national_id} and {file_number}, in the grammar of the person's `gender`
    (the masculine wording when it is unknown). Raises ValueError for another language."""
    if lang not in DECLARATION_LANGUAGES:
        raise ValueError(f"no declaration text in {lang!r}")
    name = for_gender(gender, f"declaration_{lang}.txt", f"declaration_{lang}_female.txt")
    return (resources_dir() / "forms" / name).read_text(encoding="utf-8").strip()


def declaration_text(lang: str, person: PersonSummary) -> str:
    """The declaration's words in `lang` ("ar" or "en"), naming the person and their file, in
    the grammar of the person's gender. Raises ValueError for another language."""
    return declaration_template(lang, person.gender).format(
        full_name=person.full_name, national_id=person.national_id, file_number=person.file_number
    )


@dataclass(frozen=True)
class DeclarationPreview:
    """What the person reads before signing: the text and the exact data declared."""

    person: PersonSummary
    lang: str
    text: str
    declared_data: dict[str, Any]
    current_declaration_id: str | None


def preview_declaration(
    session: Session, actor: Actor, beneficiary_id: str, lang: str | None = None
) -> DeclarationPreview:
    """The declaration to show (default language: the app's). Raises PermissionDenied,
    NotFound."""
    actor.require(Permission.TAKE_DECLARATION)
    person = live_beneficiary(session, actor, beneficiary_id)
    chosen = lang or current_language()
    summary = summarize(person)
    current = current_declaration(session, person.id)
    return DeclarationPreview(
        summary,
        chosen,
        declaration_text(chosen, summary),
        declared_snapshot(session, person),
        current.id if current is not None else None,
    )


def declaration_current(session: Session, actor: Actor, declaration_id: str) -> bool:
    """Whether this declaration still covers the file (False once the file changed)."""
    declaration = session.get(SignedDeclaration, declaration_id)
    if declaration is None:
        raise NotFound(N_("This declaration was not found."))
    live_beneficiary(session, actor, declaration.beneficiary_id)
    current = current_declaration(session, declaration.beneficiary_id)
    return current is not None and current.id == declaration.id


@dataclass(frozen=True)
class CommitteeDue:
    """The day the committee must answer by, and how it is shown (Hijri and Gregorian)."""

    days: int
    due_on: date
    text: str


def committee_due_preview(
    session: Session, actor: Actor, today: date | None = None
) -> CommitteeDue:
    """When the committee would have to answer a request submitted `today` (the setting
    ``committee_answer_days``). Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    days = settings.get_int(session, "committee_answer_days")
    due = deadline.due_date(today or date.today(), days)
    return CommitteeDue(days, due, format_dual(due))


@dataclass(frozen=True)
class RegistrationReview:
    """The file's registration status and, while incomplete, what it lacks (as sentences)."""

    status: RegistrationStatus
    gaps: tuple[str, ...]


def review_registration(session: Session, actor: Actor, beneficiary_id: str) -> RegistrationReview:
    """Where the file's registration stands. Raises PermissionDenied, NotFound."""
    person = live_beneficiary(session, actor, beneficiary_id)
    if person.registration_status == RegistrationStatus.REGISTERED:
        return RegistrationReview(person.registration_status, ())
    gaps = tuple(gap.text() for gap in registration_gaps(session, person))
    return RegistrationReview(person.registration_status, gaps)


# The service that usually answers each kind of request (the interviewer may choose another).
SERVICE_FOR: dict[RequestType, ServiceType] = {
    RequestType.CASH: ServiceType.CASH,
    RequestType.FOOD: ServiceType.FOOD_BASKET,
    RequestType.RENT: ServiceType.RENT,
    RequestType.MEDICAL: ServiceType.MEDICAL,
    RequestType.EDUCATION: ServiceType.EDUCATION,
    RequestType.IN_KIND: ServiceType.IN_KIND,
    RequestType.OTHER: ServiceType.OTHER,
}


@dataclass(frozen=True)
class RequestReview:
    """Where the request stands: the committee's answer and what was delivered on it."""

    request_id: str
    request_number: str
    request_type: RequestType
    status: RequestStatus
    amount_requested: int | None
    committee_due: str | None
    outcome: DecisionOutcome | None
    approved_amount: int | None
    reason: str | None
    delivered_total: int


def review_request(session: Session, actor: Actor, request_id: str) -> RequestReview:
    """The request's status, decision and deliveries. Raises PermissionDenied, NotFound."""
    request = get_request(session, actor, request_id)
    decision = effective_decision(session, request.id)
    delivered = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ServiceDelivery.amount_halalas), 0)).where(
            ServiceDelivery.request_id == request.id, ServiceDelivery.deleted_at.is_(None)
        )
    )
    return RequestReview(
        request_id=request.id,
        request_number=request.request_number,
        request_type=request.request_type,
        status=request.status,
        amount_requested=request.amount_requested_halalas,
        committee_due=committee_due_text(request),
        outcome=decision.outcome if decision is not None else None,
        approved_amount=decision.approved_amount_halalas if decision is not None else None,
        reason=decision.reason if decision is not None else None,
        delivered_total=int(delivered or 0),
    )
