"""The complaints report: complaints received in a period by status, and every complaint
not closed yet, the most overdue first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    FeedbackKind,
    FeedbackStatus,
)
from db.models import Feedback
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
    in_branch,
    zeros,
)

# The report lists at most this many open complaints (the most overdue first); the
# counts are complete.
COMPLAINTS_LIMIT = 200


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint not closed yet (who complained is not shown in a report)."""

    id: str
    received_on: date
    due_on: date | None
    status: FeedbackStatus
    channel: Channel
    text: str
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class ComplaintsReport:
    """Complaints received in the period by status (and suggestions received), and every
    complaint not closed by the period's end, however old: `open_count` of them,
    `overdue_count` still unanswered after their due date, the first COMPLAINTS_LIMIT
    listed, the most overdue first."""

    received: int
    by_status: dict[FeedbackStatus, int]
    suggestions: int
    open_count: int
    overdue_count: int
    open: list[ComplaintRow] = field(default_factory=list)


# A complaint is overdue while it waits for its answer past its due date (HQ's dashboard
# counts by the same rule).
AWAITING_ANSWER = (FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED)


def complaints_report(
    session: Session, actor: Actor, scope: ReportScope, limit: int = COMPLAINTS_LIMIT
) -> ComplaintsReport:
    """Complaints received in the period, and those still open. Raises PermissionDenied."""
    check_scope(actor, scope)
    period = scope.period
    live = (Feedback.deleted_at.is_(None), in_branch(Feedback.branch_id, scope))
    in_period = (Feedback.received_on >= period.first, Feedback.received_on <= period.last)
    by_status = zeros(FeedbackStatus)
    suggestions = 0
    for kind, status, count in session.execute(
        sa.select(Feedback.kind, Feedback.status, sa.func.count())
        .where(*live, *in_period)
        .group_by(Feedback.kind, Feedback.status)
    ):
        if kind is FeedbackKind.COMPLAINT:
            by_status[status] += count
        else:
            suggestions += count
    still_open = (
        *live,
        Feedback.kind == FeedbackKind.COMPLAINT,
        Feedback.status != FeedbackStatus.CLOSED,
        Feedback.received_on <= period.last,
    )
    late = sa.and_(
        Feedback.status.in_(AWAITING_ANSWER),
        Feedback.due_on.is_not(None),
        Feedback.due_on < scope.today,
    )
    counts = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((late, 1), else_=0)), 0))
        .select_from(Feedback)
        .where(*still_open)
    ).one()
    rows = session.execute(
        sa.select(
            Feedback.id,
            Feedback.received_on,
            Feedback.due_on,
            Feedback.status,
            Feedback.channel,
            sa.func.substr(Feedback.text, 1, 300),
            late,
        )
        .where(*still_open)
        .order_by(late.desc(), Feedback.due_on.is_(None), Feedback.due_on, Feedback.received_on)
        .limit(limit)
    )
    listed = [
        ComplaintRow(
            id=r[0],
            received_on=r[1],
            due_on=r[2],
            status=r[3],
            channel=r[4],
            text=" ".join(str(r[5]).split()),
            overdue_days=(scope.today - r[2]).days if r[6] and r[2] is not None else 0,
        )
        for r in rows
    ]
    return ComplaintsReport(
        received=sum(by_status.values()),
        by_status=by_status,
        suggestions=suggestions,
        open_count=int(counts[0]),
        overdue_count=int(counts[1]),
        open=listed,
    )
