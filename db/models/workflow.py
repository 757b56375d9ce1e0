"""The policy's workflow: contacts, interviews, documents, declarations, requests, research,
committee decisions, service deliveries, satisfaction, feedback and the reference library."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import AppendOnly, Base, Synced, uuid_fk
from db.enums import (
    Channel,
    DecisionOutcome,
    DocumentType,
    FeedbackKind,
    FeedbackStatus,
    InterviewStep,
    ReferenceKind,
    ReferralStatus,
    RequestStatus,
    RequestType,
    ServiceType,
)


class Contact(Synced, Base):
    """A contact on one of the eight channels, with a registered person or an inquirer."""

    __tablename__ = "contact"

    branch_id: Mapped[str] = uuid_fk("branch.id")
    beneficiary_id: Mapped[str | None] = uuid_fk("beneficiary.id", nullable=True)
    inquirer_name: Mapped[str | None] = mapped_column(sa.String(200))
    inquirer_phone: Mapped[str | None] = mapped_column(sa.String(16))
    channel: Mapped[Channel]
    subject: Mapped[str] = mapped_column(sa.String(300))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    letter_reference: Mapped[str | None] = mapped_column(sa.String(60))
    letter_date: Mapped[date | None]
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    handled_by_user_id: Mapped[str] = uuid_fk("user_account.id")


class Interview(Synced, Base):
    """An intake interview, following the policy's steps."""

    __tablename__ = "interview"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    contact_id: Mapped[str | None] = uuid_fk("contact.id", nullable=True)
    interviewer_id: Mapped[str] = uuid_fk("user_account.id")
    channel: Mapped[Channel]
    started_at: Mapped[datetime]
    current_step: Mapped[InterviewStep] = mapped_column(default=InterviewStep.RECEIVE)
    completed_steps: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    finished_at: Mapped[datetime | None]


class Attachment(Synced, Base):
    """A scan or signature, addressed by the SHA-256 of its content (stored as a file)."""

    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    media_type: Mapped[str] = mapped_column(sa.String(80))
    size: Mapped[int]
    filename: Mapped[str | None] = mapped_column(sa.String(200))


class DocumentCheck(Synced, Base):
    """A document the interviewer checked, and whether it was valid on the day of submission."""

    __tablename__ = "document_check"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    request_id: Mapped[str | None] = uuid_fk("support_request.id", nullable=True)
    doc_type: Mapped[DocumentType]
    number: Mapped[str | None] = mapped_column(sa.String(40))
    issue_date: Mapped[date | None]
    expiry_date: Mapped[date | None]
    checked_on: Mapped[date]
    valid_on_submission: Mapped[bool]
    verified_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    attachment_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    notes: Mapped[str | None] = mapped_column(sa.String(300))


class SignedDeclaration(AppendOnly, Base):
    """The applicant's signed statement that their data is correct. Immutable; a changed file
    needs a new declaration, pointing at the one it supersedes."""

    __tablename__ = "signed_declaration"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    request_id: Mapped[str | None] = uuid_fk("support_request.id", nullable=True)
    text: Mapped[str] = mapped_column(sa.Text)
    declared_data: Mapped[dict[str, Any]]
    signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    signer_name: Mapped[str] = mapped_column(sa.String(200))
    signed_at: Mapped[datetime]
    recorded_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    supersedes_id: Mapped[str | None] = mapped_column(sa.String(36))


class SupportRequest(Synced, Base):
    """A request for support, answered by the research committee within the policy's period."""

    __tablename__ = "support_request"

    request_number: Mapped[str] = mapped_column(sa.String(30), unique=True)
    branch_id: Mapped[str] = uuid_fk("branch.id")
    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    request_type: Mapped[RequestType]
    amount_requested_halalas: Mapped[int | None]
    justification: Mapped[str] = mapped_column(sa.Text)
    channel: Mapped[Channel]
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.DRAFT, index=True)
    submitted_at: Mapped[datetime | None]
    committee_due_on: Mapped[date | None] = mapped_column(index=True)
    created_by_user_id: Mapped[str] = uuid_fk("user_account.id")


class ResearchReferral(Synced, Base):
    """A question referred to the social research officer."""

    __tablename__ = "research_referral"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    request_id: Mapped[str | None] = uuid_fk("support_request.id", nullable=True)
    question: Mapped[str] = mapped_column(sa.Text)
    referred_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    assigned_to_user_id: Mapped[str | None] = uuid_fk("user_account.id", nullable=True)
    status: Mapped[ReferralStatus] = mapped_column(default=ReferralStatus.OPEN)
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime | None]


class ResearchReport(Synced, Base):
    """A social research report, often after a home visit."""

    __tablename__ = "research_report"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    request_id: Mapped[str | None] = uuid_fk("support_request.id", nullable=True)
    referral_id: Mapped[str | None] = uuid_fk("research_referral.id", nullable=True)
    author_user_id: Mapped[str] = uuid_fk("user_account.id")
    visit_date: Mapped[date | None]
    findings: Mapped[str] = mapped_column(sa.Text)
    recommendation: Mapped[str | None] = mapped_column(sa.Text)


class CommitteeMeeting(Synced, Base):
    """A sitting of a branch's research committee, at which decisions are recorded."""

    __tablename__ = "committee_meeting"

    meeting_number: Mapped[str] = mapped_column(sa.String(30), unique=True)
    branch_id: Mapped[str] = uuid_fk("branch.id")
    held_on: Mapped[date] = mapped_column(index=True)
    members_present: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_user_id: Mapped[str] = uuid_fk("user_account.id")


class CommitteeDecision(AppendOnly, Base):
    """The research committee's decision on a request. Immutable; a correction supersedes."""

    __tablename__ = "committee_decision"

    request_id: Mapped[str] = uuid_fk("support_request.id")
    meeting_id: Mapped[str | None] = uuid_fk("committee_meeting.id", nullable=True)
    outcome: Mapped[DecisionOutcome]
    approved_amount_halalas: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_on: Mapped[date]
    members: Mapped[str | None] = mapped_column(sa.String(300))
    recorded_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    supersedes_id: Mapped[str | None] = mapped_column(sa.String(36))


class DeadlinePause(Synced, Base):
    """The committee's clock stopped while a request was returned for more information.

    One row per return: it starts on the returning decision's date and ends on the day the
    request is submitted again (or decided while waiting). The request's answer-due date is
    its submission day plus the branch's answer days plus every ended pause's length, so each
    day added to the due date is explained by a row here. A pause whose decision is corrected
    is tombstoned: the return it stood for no longer holds.
    """

    __tablename__ = "deadline_pause"

    request_id: Mapped[str] = uuid_fk("support_request.id")
    decision_id: Mapped[str] = uuid_fk("committee_decision.id")
    paused_on: Mapped[date]
    resumed_on: Mapped[date | None]


class DeadlineEscalation(Synced, Base):
    """A branch manager's escalation of a request the committee has not answered in time."""

    __tablename__ = "deadline_escalation"

    request_id: Mapped[str] = uuid_fk("support_request.id")
    branch_id: Mapped[str] = uuid_fk("branch.id")
    escalated_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    escalated_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(sa.Text)


class PrintQueueItem(Synced, Base):
    """A form waiting to be printed (e.g. a decision letter), shown until someone prints it."""

    __tablename__ = "print_queue_item"

    branch_id: Mapped[str] = uuid_fk("branch.id")
    form_kind: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    queued_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    queued_at: Mapped[datetime]
    printed_at: Mapped[datetime | None]
    printed_by_user_id: Mapped[str | None] = uuid_fk("user_account.id", nullable=True)


class ServiceDelivery(Synced, Base):
    __tablename__ = "service_delivery"

    request_id: Mapped[str | None] = uuid_fk("support_request.id", nullable=True)
    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    service_type: Mapped[ServiceType]
    amount_halalas: Mapped[int | None]
    items: Mapped[str | None] = mapped_column(sa.String(300))
    delivered_on: Mapped[date]
    delivered_by_user_id: Mapped[str] = uuid_fk("user_account.id")
    receipt_signature_sha256: Mapped[str | None] = mapped_column(sa.String(64))


class SatisfactionSurvey(Synced, Base):
    """A satisfaction rating: a right of the beneficiary and a tool for improvement."""

    __tablename__ = "satisfaction_survey"

    branch_id: Mapped[str] = uuid_fk("branch.id")
    beneficiary_id: Mapped[str | None] = uuid_fk("beneficiary.id", nullable=True)
    request_id: Mapped[str | None] = uuid_fk("support_request.id", nullable=True)
    contact_id: Mapped[str | None] = uuid_fk("contact.id", nullable=True)
    channel: Mapped[Channel]
    overall: Mapped[int]
    speed: Mapped[int | None]
    courtesy: Mapped[int | None]
    clarity: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    collected_on: Mapped[date]

    __table_args__ = (
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="overall_range"),
        sa.CheckConstraint("speed IS NULL OR speed BETWEEN 1 AND 5", name="speed_range"),
        sa.CheckConstraint("courtesy IS NULL OR courtesy BETWEEN 1 AND 5", name="courtesy_range"),
        sa.CheckConstraint("clarity IS NULL OR clarity BETWEEN 1 AND 5", name="clarity_range"),
    )


class Feedback(Synced, Base):
    """A suggestion or complaint, followed up to closing."""

    __tablename__ = "feedback"

    branch_id: Mapped[str] = uuid_fk("branch.id")
    kind: Mapped[FeedbackKind]
    beneficiary_id: Mapped[str | None] = uuid_fk("beneficiary.id", nullable=True)
    channel: Mapped[Channel]
    text: Mapped[str] = mapped_column(sa.Text)
    received_on: Mapped[date]
    assigned_to_user_id: Mapped[str | None] = uuid_fk("user_account.id", nullable=True)
    due_on: Mapped[date | None]
    status: Mapped[FeedbackStatus] = mapped_column(default=FeedbackStatus.OPEN)
    response: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None]


class ReferenceDocument(Synced, Base):
    """A document in the staff's reference library, with its approval and review dates."""

    __tablename__ = "reference_document"

    kind: Mapped[ReferenceKind]
    title: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[str] = mapped_column(sa.String(20))
    approved_on: Mapped[date | None]
    review_due_on: Mapped[date | None]
    body: Mapped[str | None] = mapped_column(sa.Text)
    attachment_sha256: Mapped[str | None] = mapped_column(sa.String(64))
