"""The records behind each printed form, and the facts the form shows.

The facts are the form's content as canonical JSON values (enum values, ISO dates, UTC
timestamps, halalas), independent of the language and of the laptop's clock, so that HQ
computes the same content hash as the branch that printed the paper. A verification code binds
a record to the hash of its facts; the per-fact digests kept when printing say which facts
differ later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import (
    Beneficiary,
    Branch,
    CommitteeDecision,
    DocumentCheck,
    HouseholdMember,
    IncomeSource,
    Interview,
    ServiceDelivery,
    SignedDeclaration,
    SupportRequest,
    User,
)
from romah_desktop import settings
from romah_desktop.arabic import normalize_digits
from romah_desktop.errors import Conflict, NotFound
from romah_desktop.i18n import N_
from romah_desktop.printing.kinds import FormKind
from romah_desktop.services.branch import WORKING_DAYS
from romah_desktop.services.committee.requests import effective_decision, get_request
from romah_desktop.services.context import Actor, this_device
from romah_desktop.services.intake.declarations import declaration_hash
from romah_desktop.services.intake.interview import latest_document_checks
from romah_desktop.services.people.beneficiaries import get_beneficiary, primary_phone
from romah_desktop.weekdays import working_days

__all__ = [
    "FACTS_VERSION",
    "FACT_LABELS",
    "MODELS",
    "Subject",
    "branch_working_days",
    "find_record_id",
    "load",
]

# Bumped when a kind's facts change meaning, so that old papers are not misread.
FACTS_VERSION = 1

# The table of each kind's record (receipts and request forms print a support request).
MODELS: dict[FormKind, type[Any]] = {
    FormKind.REQUEST: SupportRequest,
    FormKind.RECEIPT: SupportRequest,
    FormKind.DECLARATION: SignedDeclaration,
    FormKind.INTERVIEW: Interview,
    FormKind.DECISION: CommitteeDecision,
    FormKind.DELIVERY: ServiceDelivery,
}

# What each fact is called when a verification says it differs.
FACT_LABELS: dict[str, str] = {
    "full_name": N_("Full name"),
    "national_id": N_("ID number"),
    "id_type": N_("Type of ID"),
    "file_number": N_("File number"),
    "gender": N_("Gender"),
    "birth_date": N_("Date of birth"),
    "nationality": N_("Nationality"),
    "marital_status": N_("Marital status"),
    "phone": N_("Mobile"),
    "city": N_("City"),
    "district": N_("District"),
    "address": N_("Address"),
    "housing_type": N_("Housing"),
    "monthly_rent": N_("Monthly rent"),
    "household_size": N_("Household size"),
    "monthly_income": N_("Monthly income"),
    "categories": N_("Categories"),
    "household": N_("Household members"),
    "incomes": N_("Sources of income"),
    "request_number": N_("Request number"),
    "request_type": N_("Type of request"),
    "amount_requested": N_("Amount requested"),
    "justification": N_("Reasons for the request"),
    "channel": N_("Channel"),
    "created_at": N_("Date of the request"),
    "submitted_at": N_("Date of submission"),
    "committee_due_on": N_("Committee's answer date"),
    "content": N_("Declared data and text"),
    "signer_name": N_("Signer"),
    "signed_at": N_("Date signed"),
    "signature": N_("Signature"),
    "outcome": N_("Decision"),
    "approved_amount": N_("Approved amount"),
    "reason": N_("Reason"),
    "decided_on": N_("Date of the decision"),
    "members": N_("Committee members"),
    "supersedes": N_("Corrected decision"),
    "service_type": N_("Service"),
    "amount": N_("Amount"),
    "items": N_("Items"),
    "delivered_on": N_("Date of delivery"),
    "staff": N_("Staff member"),
    "started_at": N_("Start"),
    "finished_at": N_("End"),
    "current_step": N_("Current step"),
    "completed_steps": N_("Steps done"),
    "notes": N_("Notes"),
    "documents": N_("Documents checked"),
}


def canonical(value: Any) -> Any:
    """`value` as a JSON value that reads the same on every laptop and at HQ."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    return value


@dataclass
class Subject:
    """A record to print (or to verify), what surrounds it, and the facts its form shows."""

    kind: FormKind
    record_id: str
    branch: Branch
    person: Beneficiary
    facts: dict[str, Any]
    request: SupportRequest | None = None
    declaration: SignedDeclaration | None = None
    decision: CommitteeDecision | None = None
    delivery: ServiceDelivery | None = None
    interview: Interview | None = None
    household: list[HouseholdMember] = field(default_factory=list)
    incomes: list[IncomeSource] = field(default_factory=list)
    documents: list[DocumentCheck] = field(default_factory=list)
    staff: str | None = None
    superseded: bool = False
    # The days the branch receives people, where they are known (branch_working_days).
    working_days: tuple[str, ...] | None = None


def _branch(session: Session, branch_id: str) -> Branch:
    branch = session.get(Branch, branch_id)
    if branch is None:  # a foreign key guarantees it; a damaged copy might not
        raise NotFound(N_("The branch of this record was not found."))
    return branch


def branch_working_days(session: Session, branch: Branch) -> tuple[str, ...] | None:
    """The days `branch` receives people ("sun", "mon" …, in the week's order): HQ's when HQ
    sets them for the branch, else this laptop's setting when the branch is its own. None
    where they are not known: at HQ, for a branch whose days only its laptops keep."""
    from_hq = branch.settings.get(WORKING_DAYS) if isinstance(branch.settings, dict) else None
    if (
        isinstance(from_hq, str)
        and settings.branch_settings_problem({WORKING_DAYS: from_hq}) is None
    ):
        return working_days(from_hq)
    try:
        own = this_device(session).branch_id
    except LookupError:
        return None
    if own != branch.id:
        return None
    return working_days(str(settings.get(session, WORKING_DAYS)))


def _user_name(session: Session, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(sa.select(User.full_name).where(User.id == user_id))


def _person_facts(person: Beneficiary) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "national_id": person.national_id,
        "file_number": person.file_number,
    }


def _full_person_facts(session: Session, person: Beneficiary) -> dict[str, Any]:
    return {
        **_person_facts(person),
        "id_type": canonical(person.id_type),
        "gender": canonical(person.gender),
        "birth_date": canonical(person.birth_date),
        "nationality": person.nationality,
        "marital_status": canonical(person.marital_status),
        "phone": primary_phone(session, person.id),
        "city": person.city,
        "district": person.district,
        "address": person.address,
        "housing_type": canonical(person.housing_type),
        "monthly_rent": person.monthly_rent_halalas,
        "household_size": person.household_size,
        "monthly_income": person.monthly_income_halalas,
        "categories": sorted(person.categories or []),
    }


def _live(session: Session, model: type[Any], record_id: str) -> Any:
    row = session.get(model, record_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(N_("The record to print was not found (it may have been deleted)."))
    return row


def _request_subject(session: Session, actor: Actor, kind: FormKind, record_id: str) -> Subject:
    request = get_request(session, actor, record_id)
    person = get_beneficiary(session, actor, request.beneficiary_id)
    subject = Subject(
        kind,
        request.id,
        _branch(session, request.branch_id),
        person,
        {},
        request=request,
        staff=_user_name(session, request.created_by_user_id),
    )
    common = {
        "request_number": request.request_number,
        "request_type": canonical(request.request_type),
        "amount_requested": request.amount_requested_halalas,
    }
    if kind == FormKind.RECEIPT:
        subject.working_days = branch_working_days(session, subject.branch)
        subject.facts = {
            **_person_facts(person),
            **common,
            "submitted_at": canonical(request.submitted_at),
            "committee_due_on": canonical(request.committee_due_on),
        }
        return subject
    subject.household = list(
        session.scalars(
            sa.select(HouseholdMember)
            .where(
                HouseholdMember.beneficiary_id == person.id,
                HouseholdMember.deleted_at.is_(None),
            )
            .order_by(HouseholdMember.created_at, HouseholdMember.id)
        )
    )
    subject.incomes = list(
        session.scalars(
            sa.select(IncomeSource)
            .where(IncomeSource.beneficiary_id == person.id, IncomeSource.deleted_at.is_(None))
            .order_by(IncomeSource.created_at, IncomeSource.id)
        )
    )
    subject.facts = {
        **_full_person_facts(session, person),
        **common,
        "justification": request.justification,
        "channel": canonical(request.channel),
        "created_at": canonical(request.created_at),
        "household": [
            canonical([m.full_name, m.relationship, m.birth_date, m.national_id, m.is_dependent])
            for m in subject.household
        ],
        "incomes": [[canonical(i.source), i.monthly_amount_halalas] for i in subject.incomes],
    }
    return subject


def _declaration_subject(session: Session, actor: Actor, kind: FormKind, record_id: str) -> Subject:
    declaration = _live(session, SignedDeclaration, record_id)
    person = get_beneficiary(session, actor, declaration.beneficiary_id)
    replaced = session.scalar(
        sa.select(sa.func.count(SignedDeclaration.id)).where(
            SignedDeclaration.supersedes_id == declaration.id
        )
    )
    # The hash is computed again from the stored content: a row altered without its hash
    # then differs from the paper.
    content = declaration_hash(
        declaration.declared_data, declaration.text, declaration.signature_sha256
    )
    return Subject(
        kind,
        declaration.id,
        _branch(session, person.branch_id),
        person,
        {
            "file_number": declaration.declared_data.get("file_number", person.file_number),
            "content": content,
            "signer_name": declaration.signer_name,
            "signed_at": canonical(declaration.signed_at),
            "signature": declaration.signature_sha256,
        },
        declaration=declaration,
        staff=_user_name(session, declaration.recorded_by_user_id),
        superseded=bool(replaced),
    )


def _interview_subject(session: Session, actor: Actor, kind: FormKind, record_id: str) -> Subject:
    interview = _live(session, Interview, record_id)
    person = get_beneficiary(session, actor, interview.beneficiary_id)
    # The documents checked by the end of the interview (or so far, while it goes on).
    last_day = (interview.finished_at or interview.started_at).astimezone().date()
    documents = [
        check
        for check in latest_document_checks(session, person.id)
        if check.checked_on <= last_day
    ]
    staff = _user_name(session, interview.interviewer_id)
    return Subject(
        kind,
        interview.id,
        _branch(session, person.branch_id),
        person,
        {
            **_person_facts(person),
            "staff": staff,
            "channel": canonical(interview.channel),
            "started_at": canonical(interview.started_at),
            "finished_at": canonical(interview.finished_at),
            "current_step": canonical(interview.current_step),
            "completed_steps": list(interview.completed_steps or []),
            "notes": interview.notes,
            "documents": [
                canonical(
                    [d.doc_type, d.number, d.expiry_date, d.checked_on, d.valid_on_submission]
                )
                for d in documents
            ],
        },
        interview=interview,
        documents=documents,
        staff=staff,
    )


def _decision_subject(session: Session, actor: Actor, kind: FormKind, record_id: str) -> Subject:
    decision = _live(session, CommitteeDecision, record_id)
    request = get_request(session, actor, decision.request_id)
    person = get_beneficiary(session, actor, request.beneficiary_id)
    in_force = effective_decision(session, request.id)
    return Subject(
        kind,
        decision.id,
        _branch(session, request.branch_id),
        person,
        {
            **_person_facts(person),
            "request_number": request.request_number,
            "submitted_at": canonical(request.submitted_at),
            "outcome": canonical(decision.outcome),
            "approved_amount": decision.approved_amount_halalas,
            "reason": decision.reason,
            "decided_on": canonical(decision.decided_on),
            "members": decision.members,
            "supersedes": decision.supersedes_id,
        },
        request=request,
        decision=decision,
        staff=_user_name(session, decision.recorded_by_user_id),
        superseded=in_force is None or in_force.id != decision.id,
    )


def _delivery_subject(session: Session, actor: Actor, kind: FormKind, record_id: str) -> Subject:
    delivery = _live(session, ServiceDelivery, record_id)
    person = get_beneficiary(session, actor, delivery.beneficiary_id)
    request = get_request(session, actor, delivery.request_id) if delivery.request_id else None
    staff = _user_name(session, delivery.delivered_by_user_id)
    return Subject(
        kind,
        delivery.id,
        _branch(session, person.branch_id),
        person,
        {
            **_person_facts(person),
            "request_number": request.request_number if request is not None else None,
            "service_type": canonical(delivery.service_type),
            "amount": delivery.amount_halalas,
            "items": delivery.items,
            "delivered_on": canonical(delivery.delivered_on),
            "staff": staff,
        },
        request=request,
        delivery=delivery,
        staff=staff,
    )


_LOADERS: dict[FormKind, Callable[[Session, Actor, FormKind, str], Subject]] = {
    FormKind.REQUEST: _request_subject,
    FormKind.RECEIPT: _request_subject,
    FormKind.DECLARATION: _declaration_subject,
    FormKind.INTERVIEW: _interview_subject,
    FormKind.DECISION: _decision_subject,
    FormKind.DELIVERY: _delivery_subject,
}


def load(
    session: Session, actor: Actor, kind: FormKind, record_id: str, *, to_print: bool = True
) -> Subject:
    """The record of a form and its facts. Raises PermissionDenied (another branch), NotFound,
    and, when `to_print`, Conflict for a receipt of a request not yet submitted."""
    loader = _LOADERS.get(kind)
    if loader is None:
        raise ValueError(f"{kind} is not printed from a record")
    subject = loader(session, actor, kind, record_id)
    if to_print and kind == FormKind.RECEIPT and subject.facts["committee_due_on"] is None:
        raise Conflict(
            N_(
                "This request has not been submitted to the committee yet; its receipt is "
                "printed once it is submitted."
            )
        )
    return subject


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def find_record_id(session: Session, actor: Actor, kind: FormKind, text: str) -> str:
    """The id of the record whose form `kind` to print, from what a person typed: the record's
    id, or for a request form, a receipt or a decision letter, the request number (a decision
    letter then prints the decision in force). Raises NotFound, PermissionDenied."""
    cleaned = normalize_digits(text).strip()
    if _UUID.fullmatch(cleaned):
        return cleaned.lower()
    if kind in (FormKind.REQUEST, FormKind.RECEIPT, FormKind.DECISION):
        request_id = session.scalar(
            sa.select(SupportRequest.id).where(
                SupportRequest.request_number == cleaned.upper(),
                SupportRequest.deleted_at.is_(None),
            )
        )
        if request_id is not None:
            request = get_request(session, actor, request_id)
            if kind != FormKind.DECISION:
                return request.id
            decision = effective_decision(session, request.id)
            if decision is None:
                raise NotFound(
                    N_("The committee has not decided request {number} yet."),
                    number=request.request_number,
                )
            return decision.id
    raise NotFound(N_("No record to print was found for “{typed}”."), typed=text)
