"""The list of a period's requests, one row each, as the export writes it: dates, the
committee's first answer and the decision in force, and the amounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from db.enums import (
    Channel,
    DecisionOutcome,
    RequestStatus,
    RequestType,
)
from db.models import (
    Beneficiary,
    CommitteeDecision,
    ServiceDelivery,
    SupportRequest,
)
from romah_desktop.names import four_part_name
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
    final_answer,
    in_branch,
    period_moments,
    stored_local_day,
)


@dataclass(frozen=True)
class RequestListRow:
    """One request of the period as its export shows it."""

    request_number: str
    file_number: str
    person_name: str
    request_type: RequestType
    channel: Channel
    status: RequestStatus
    received_on: date
    submitted_on: date | None
    due_on: date | None
    answered_on: date | None
    days_to_answer: int | None
    decision: DecisionOutcome | None
    amount_requested_halalas: int | None
    amount_approved_halalas: int | None
    amount_delivered_halalas: int | None


def _request_list_query(scope: ReportScope) -> sa.Select[*tuple[Any, ...]]:
    start, end = period_moments(scope.period)
    first_answer = aliased(CommitteeDecision)
    newest = aliased(CommitteeDecision)
    answered_on = (
        sa.select(sa.func.min(first_answer.decided_on))
        .where(first_answer.request_id == SupportRequest.id, final_answer(first_answer))
        .scalar_subquery()
    )
    delivered = (
        sa.select(sa.func.sum(ServiceDelivery.amount_halalas))
        .where(
            ServiceDelivery.request_id == SupportRequest.id, ServiceDelivery.deleted_at.is_(None)
        )
        .scalar_subquery()
    )
    # The decision in force is the newest: a correction always supersedes the one in force.
    newest_of = (
        sa.select(newest.id)
        .where(newest.request_id == SupportRequest.id, newest.deleted_at.is_(None))
        .order_by(newest.created_at.desc(), newest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    decision = aliased(CommitteeDecision)
    return (
        sa.select(
            SupportRequest.request_number,
            Beneficiary.file_number,
            Beneficiary.first_name,
            Beneficiary.father_name,
            Beneficiary.grandfather_name,
            Beneficiary.family_name,
            SupportRequest.request_type,
            SupportRequest.channel,
            SupportRequest.status,
            stored_local_day(SupportRequest.created_at),
            stored_local_day(SupportRequest.submitted_at),
            SupportRequest.committee_due_on,
            answered_on,
            decision.outcome,
            SupportRequest.amount_requested_halalas,
            decision.approved_amount_halalas,
            delivered,
        )
        .join(Beneficiary, Beneficiary.id == SupportRequest.beneficiary_id)
        .outerjoin(decision, decision.id == newest_of)
        .where(
            SupportRequest.deleted_at.is_(None),
            SupportRequest.created_at >= start,
            SupportRequest.created_at < end,
            in_branch(SupportRequest.branch_id, scope),
        )
        .order_by(SupportRequest.created_at, SupportRequest.request_number)
    )


def count_request_list(session: Session, actor: Actor, scope: ReportScope) -> int:
    """How many requests were received in the period. Raises PermissionDenied."""
    check_scope(actor, scope)
    start, end = period_moments(scope.period)
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(SupportRequest)
            .where(
                SupportRequest.deleted_at.is_(None),
                SupportRequest.created_at >= start,
                SupportRequest.created_at < end,
                in_branch(SupportRequest.branch_id, scope),
            )
        )
        or 0
    )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def request_list(
    session: Session, actor: Actor, scope: ReportScope, chunk: int = 2000
) -> Iterator[RequestListRow]:
    """Every request received in the period, oldest first, with its dates, the committee's
    first answer and the decision in force, and the amounts requested, approved and
    delivered; read `chunk` rows at a time. Names people: it needs the right to export
    data. Raises PermissionDenied."""
    check_scope(actor, scope)
    actor.require(Permission.EXPORT_DATA)
    result = session.execute(_request_list_query(scope).execution_options(yield_per=chunk))
    for row in result:
        received = _day(row[9])
        submitted = _day(row[10])
        answered = _day(row[12])
        assert received is not None
        yield RequestListRow(
            request_number=row[0],
            file_number=row[1],
            person_name=four_part_name(row[2:6]),
            request_type=row[6],
            channel=row[7],
            status=row[8],
            received_on=received,
            submitted_on=submitted,
            due_on=row[11],
            answered_on=answered,
            days_to_answer=(
                (answered - submitted).days
                if answered is not None and submitted is not None
                else None
            ),
            decision=row[13],
            amount_requested_halalas=row[14],
            amount_approved_halalas=row[15],
            amount_delivered_halalas=None if row[16] is None else int(row[16]),
        )
