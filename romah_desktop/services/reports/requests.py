"""The requests report: support requests received in a period, by status, channel, type
and month."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    RequestStatus,
    RequestType,
)
from db.models import SupportRequest
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.periods import Month
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
    in_branch,
    month_of_moment,
    period_moments,
    zeros,
)


@dataclass(frozen=True)
class RequestsReport:
    """Support requests received (created) in the period, by their status today, by the
    channel they came through and by type, and per month."""

    total: int
    amount_requested_halalas: int
    by_status: dict[RequestStatus, int]
    by_channel: dict[Channel, int]
    by_type: dict[RequestType, int]
    by_month: list[tuple[Month, int]]


def requests_report(session: Session, actor: Actor, scope: ReportScope) -> RequestsReport:
    """Requests received in the scope's period. Raises PermissionDenied."""
    check_scope(actor, scope)
    start, end = period_moments(scope.period)
    where = (
        SupportRequest.deleted_at.is_(None),
        SupportRequest.created_at >= start,
        SupportRequest.created_at < end,
        in_branch(SupportRequest.branch_id, scope),
    )
    by_status = zeros(RequestStatus)
    by_channel = zeros(Channel)
    by_type = zeros(RequestType)
    per_month: dict[str, int] = {}
    total = amount = 0
    months = scope.months
    bucket = month_of_moment(SupportRequest.created_at, months).label("month")
    # One pass over the table (it has no index by creation time): every breakdown at once.
    grouped = session.execute(
        sa.select(
            bucket,
            SupportRequest.status,
            SupportRequest.channel,
            SupportRequest.request_type,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(SupportRequest.amount_requested_halalas), 0),
        )
        .where(*where)
        .group_by(
            bucket, SupportRequest.status, SupportRequest.channel, SupportRequest.request_type
        )
    )
    for month, status, channel, kind, count, requested in grouped:
        per_month[month] = per_month.get(month, 0) + count
        by_status[status] += count
        by_channel[channel] += count
        by_type[kind] += count
        total += count
        amount += int(requested or 0)
    return RequestsReport(
        total=total,
        amount_requested_halalas=amount,
        by_status=by_status,
        by_channel=by_channel,
        by_type=by_type,
        by_month=[(m, int(per_month.get(m.key, 0))) for m in months],
    )
