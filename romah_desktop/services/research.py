"""Social research: referring a person's question to research, answering it, research reports,
and the research officer's queue of open referrals and requests still needing a report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import ReferralStatus, RequestStatus
from db.ids import new_id
from db.models import Beneficiary, ResearchReferral, ResearchReport, SupportRequest, User
from romah_desktop.errors import Conflict, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services import audit
from romah_desktop.services.committee.workspace import CommitteeRow, committee_rows
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    linked_request,
    live_beneficiary,
    optional_date,
    optional_text,
    required_text,
)


def _researcher(session: Session, user_id: str, branch_id: str) -> None:
    user = session.get(User, user_id)
    if (
        user is None
        or user.deleted_at is not None
        or not user.active
        or user.branch_id != branch_id
        or not allowed(user.roles, Permission.ANSWER_REFERRAL)
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


# --- the research officer's queue ---------------------------------------------------------

# The queue lists at most this many items of each kind (the oldest or most urgent first).
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class ReferralItem:
    """An open question referred to social research."""

    id: str
    beneficiary_id: str
    person_name: str
    file_number: str
    question: str
    referred_at: datetime
    request_id: str | None
    assigned_to_me: bool


@dataclass(frozen=True)
class ResearchQueue:
    """The research officer's work: open referrals (theirs or nobody's) and the requests
    before the committee that have no research report yet, soonest due first."""

    referrals: list[ReferralItem]
    requests: list[CommitteeRow]


def research_queue(session: Session, actor: Actor, limit: int = QUEUE_LIMIT) -> ResearchQueue:
    """The actor's research queue in their branch (every branch for those who see all).
    Raises PermissionDenied."""
    actor.require(Permission.ANSWER_REFERRAL)
    branch = actor.visible_branch()
    referral_query = (
        sa.select(ResearchReferral, Beneficiary)
        .join(Beneficiary, Beneficiary.id == ResearchReferral.beneficiary_id)
        .where(
            ResearchReferral.status == ReferralStatus.OPEN,
            ResearchReferral.deleted_at.is_(None),
            Beneficiary.deleted_at.is_(None),
            sa.or_(
                ResearchReferral.assigned_to_user_id == actor.user_id,
                ResearchReferral.assigned_to_user_id.is_(None),
            ),
        )
        .order_by(ResearchReferral.created_at, ResearchReferral.id)
        .limit(limit)
    )
    if branch is not None:
        referral_query = referral_query.where(Beneficiary.branch_id == branch)
    referrals = [
        ReferralItem(
            id=referral.id,
            beneficiary_id=person.id,
            person_name=person.full_name,
            file_number=person.file_number,
            question=referral.question,
            referred_at=referral.created_at,
            request_id=referral.request_id,
            assigned_to_me=referral.assigned_to_user_id == actor.user_id,
        )
        for referral, person in session.execute(referral_query).all()
    ]
    reported = sa.select(ResearchReport.request_id).where(
        ResearchReport.request_id.is_not(None), ResearchReport.deleted_at.is_(None)
    )
    request_query = (
        sa.select(SupportRequest)
        .where(
            SupportRequest.status.in_([RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO]),
            SupportRequest.deleted_at.is_(None),
            SupportRequest.id.not_in(reported),
        )
        .order_by(SupportRequest.committee_due_on, SupportRequest.request_number)
        .limit(limit)
    )
    if branch is not None:
        request_query = request_query.where(SupportRequest.branch_id == branch)
    requests = committee_rows(session, session.scalars(request_query).all())
    return ResearchQueue(referrals=referrals, requests=requests)
