"""A person's timeline: everything recorded about them, newest first, told in one line each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum, StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import (
    CommitteeDecision,
    Contact,
    DocumentCheck,
    Interview,
    ResearchReferral,
    ResearchReport,
    SatisfactionSurvey,
    ServiceDelivery,
    SignedDeclaration,
    SupportRequest,
)
from romah_desktop.dates import format_dual
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import LABELS, label
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import local_day
from romah_desktop.services.people.beneficiaries import get_beneficiary
from romah_desktop.validation import format_money

# Free text (a question, an answer, findings) is cut to this many characters in a summary.
EXCERPT = 120
# Unicode isolates around a Gregorian date: in Arabic text its hyphens would otherwise let the
# parts be shown in reverse (01-03-1991).


class TimelineKind(StrEnum):
    CONTACT = "contact"
    INTERVIEW = "interview"
    DOCUMENT = "document"
    DECLARATION = "declaration"
    REQUEST = "request"
    DECISION = "decision"
    REFERRAL = "referral"
    RESEARCH_REPORT = "research_report"
    SERVICE = "service"
    SURVEY = "survey"


LABELS.update(
    {
        TimelineKind.CONTACT: N_("Contact"),
        TimelineKind.INTERVIEW: N_("Interview"),
        TimelineKind.DOCUMENT: N_("Document"),
        TimelineKind.DECLARATION: N_("Declaration"),
        TimelineKind.REQUEST: N_("Request"),
        TimelineKind.DECISION: N_("Committee decision"),
        TimelineKind.REFERRAL: N_("Social research"),
        TimelineKind.RESEARCH_REPORT: N_("Research report"),
        TimelineKind.SERVICE: N_("Service"),
        TimelineKind.SURVEY: N_("Satisfaction survey"),
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened in a person's file.

    `when` is timezone-aware; for a record that has only a day (a document check, a service
    delivery) `has_time` is False and `when` only orders it among the day's entries.
    `flagged` marks what needs attention, such as a document that had expired.
    """

    when: datetime
    kind: TimelineKind
    summary: str
    record_id: str
    has_time: bool = True
    flagged: bool = False

    @property
    def day(self) -> date:
        """The local calendar day of the entry."""
        return local_day(self.when)

    def when_text(self) -> str:
        """The day in Hijri and Gregorian, with the local time when the record has one."""
        text = format_dual(self.day)
        return f"{text} {self.when.astimezone():%H:%M}" if self.has_time else text


def _t(message: str, **params: object) -> str:
    shown = {k: label(v) if isinstance(v, Enum) else v for k, v in params.items()}
    return translate(message, None, **shown)


def _excerpt(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def _on_day(day: date, created_at: datetime) -> datetime:
    # A record dated to a day sorts by when it was written that day, else at midday.
    if local_day(created_at) == day:
        return created_at
    return datetime.combine(day, time(12)).astimezone()


def _joined(*parts: str) -> str:
    return " — ".join(p for p in parts if p)


def _live(model: Any, beneficiary_id: str) -> sa.Select[Any]:
    return sa.select(model).where(
        model.beneficiary_id == beneficiary_id, model.deleted_at.is_(None)
    )


def _contacts(session: Session, person_id: str) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            c.occurred_at,
            TimelineKind.CONTACT,
            _t(N_("By {channel}: {subject}"), channel=c.channel, subject=_excerpt(c.subject)),
            c.id,
        )
        for c in session.scalars(_live(Contact, person_id))
    ]


def _interviews(session: Session, person_id: str) -> list[TimelineEntry]:
    entries = []
    for i in session.scalars(_live(Interview, person_id)):
        if i.finished_at is None:
            text = _t(
                N_("Intake interview ({channel}), now at the step “{step}”."),
                channel=i.channel,
                step=i.current_step,
            )
        else:
            text = _t(
                N_("Intake interview ({channel}), finished at the step “{step}”."),
                channel=i.channel,
                step=i.current_step,
            )
        entries.append(TimelineEntry(i.started_at, TimelineKind.INTERVIEW, text, i.id))
    return entries


def _documents(session: Session, person_id: str) -> list[TimelineEntry]:
    entries = []
    for d in session.scalars(_live(DocumentCheck, person_id)):
        if d.valid_on_submission:
            text = _t(N_("{document} checked: valid on the day."), document=d.doc_type)
        else:
            expiry = format_dual(d.expiry_date) if d.expiry_date else ""
            text = _t(
                N_("{document} checked: it had expired on {expiry}."),
                document=d.doc_type,
                expiry=expiry,
            )
        entries.append(
            TimelineEntry(
                _on_day(d.checked_on, d.created_at),
                TimelineKind.DOCUMENT,
                _joined(text, _excerpt(d.notes)),
                d.id,
                has_time=False,
                flagged=not d.valid_on_submission,
            )
        )
    return entries


def _declarations(session: Session, person_id: str) -> list[TimelineEntry]:
    entries = []
    for d in session.scalars(_live(SignedDeclaration, person_id)):
        text = _t(N_("Signed declaration by {signer}."), signer=d.signer_name)
        if d.supersedes_id is not None:
            text = _joined(text, _t(N_("replaces an earlier declaration")))
        entries.append(TimelineEntry(d.signed_at, TimelineKind.DECLARATION, text, d.id))
    return entries


def _requests(session: Session, person_id: str) -> list[TimelineEntry]:
    entries = []
    for r in session.scalars(_live(SupportRequest, person_id)):
        entries.append(
            TimelineEntry(
                r.created_at,
                TimelineKind.REQUEST,
                _t(
                    N_("Support request {number} ({type}) opened; now “{status}”."),
                    number=r.request_number,
                    type=r.request_type,
                    status=r.status,
                ),
                r.id,
            )
        )
        if r.submitted_at is not None:
            due = format_dual(r.committee_due_on) if r.committee_due_on else ""
            entries.append(
                TimelineEntry(
                    r.submitted_at,
                    TimelineKind.REQUEST,
                    _t(
                        N_(
                            "Support request {number} submitted to the committee; answer due {due}."
                        ),
                        number=r.request_number,
                        due=due,
                    ),
                    r.id,
                )
            )
    return entries


def _decisions(session: Session, person_id: str) -> list[TimelineEntry]:
    rows = session.execute(
        sa.select(CommitteeDecision, SupportRequest.request_number)
        .join(SupportRequest, SupportRequest.id == CommitteeDecision.request_id)
        .where(SupportRequest.beneficiary_id == person_id, SupportRequest.deleted_at.is_(None))
    ).all()
    entries = []
    for decision, number in rows:
        parts = [
            _t(N_("Decision on {number}: {outcome}."), number=number, outcome=decision.outcome)
        ]
        if decision.approved_amount_halalas is not None:
            parts.append(
                _t(N_("{amount} riyals"), amount=format_money(decision.approved_amount_halalas))
            )
        if decision.reason:
            parts.append(_excerpt(decision.reason))
        if decision.supersedes_id is not None:
            parts.append(_t(N_("corrects an earlier decision")))
        entries.append(
            TimelineEntry(
                _on_day(decision.decided_on, decision.created_at),
                TimelineKind.DECISION,
                _joined(*parts),
                decision.id,
                has_time=False,
            )
        )
    return entries


def _research(session: Session, person_id: str) -> list[TimelineEntry]:
    entries = []
    for r in session.scalars(_live(ResearchReferral, person_id)):
        entries.append(
            TimelineEntry(
                r.created_at,
                TimelineKind.REFERRAL,
                _t(N_("Referred to social research: {question}"), question=_excerpt(r.question)),
                r.id,
            )
        )
        if r.answered_at is not None:
            entries.append(
                TimelineEntry(
                    r.answered_at,
                    TimelineKind.REFERRAL,
                    _t(N_("Social research answered: {answer}"), answer=_excerpt(r.answer)),
                    r.id,
                )
            )
    for report in session.scalars(_live(ResearchReport, person_id)):
        entries.append(
            TimelineEntry(
                report.created_at,
                TimelineKind.RESEARCH_REPORT,
                _t(N_("Social research report: {findings}"), findings=_excerpt(report.findings)),
                report.id,
            )
        )
    return entries


def _services(session: Session, person_id: str) -> list[TimelineEntry]:
    entries = []
    for s in session.scalars(_live(ServiceDelivery, person_id)):
        parts = [_t(N_("{service} delivered."), service=s.service_type)]
        if s.amount_halalas is not None:
            parts.append(_t(N_("{amount} riyals"), amount=format_money(s.amount_halalas)))
        parts.append(_excerpt(s.items))
        entries.append(
            TimelineEntry(
                _on_day(s.delivered_on, s.created_at),
                TimelineKind.SERVICE,
                _joined(*parts),
                s.id,
                has_time=False,
            )
        )
    return entries


def _surveys(session: Session, person_id: str) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            _on_day(s.collected_on, s.created_at),
            TimelineKind.SURVEY,
            _joined(
                _t(N_("Overall rating {overall} of 5."), overall=s.overall), _excerpt(s.comment)
            ),
            s.id,
            has_time=False,
        )
        for s in session.scalars(_live(SatisfactionSurvey, person_id))
    ]


_SOURCES = (
    _contacts,
    _interviews,
    _documents,
    _declarations,
    _requests,
    _decisions,
    _research,
    _services,
    _surveys,
)


def timeline(session: Session, actor: Actor, beneficiary_id: str) -> list[TimelineEntry]:
    """Everything recorded about a person, newest first: contacts, interviews, document checks
    (an expired document flagged), signed declarations, support requests and their submission,
    committee decisions, social research, services delivered and satisfaction surveys.

    Summaries are in the current language. Raises PermissionDenied (role or branch), NotFound.
    """
    person = get_beneficiary(session, actor, beneficiary_id)
    entries = [entry for source in _SOURCES for entry in source(session, person.id)]
    entries.sort(key=lambda e: (e.when, e.record_id), reverse=True)
    return entries
