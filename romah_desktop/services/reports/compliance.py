"""The compliance report: what became of the requests whose answer fell due in a period,
against the committee's two-week deadline, and the share answered on time."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from db.enums import RequestStatus
from db.models import (
    CommitteeDecision,
    SupportRequest,
)
from romah_desktop.services.committee.deadline import on_time_percent
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.periods import Month
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
    final_answer,
    in_branch,
    month_of_day,
)


@dataclass(frozen=True)
class Compliance:
    """What became of the requests whose answer was due in a stretch of days."""

    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    open_not_due: int = 0
    paused: int = 0
    withdrawn: int = 0

    @property
    def due(self) -> int:
        return (
            self.on_time
            + self.late
            + self.open_overdue
            + self.open_not_due
            + self.paused
            + self.withdrawn
        )

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def still_open(self) -> int:
        return self.open_overdue + self.open_not_due

    @property
    def on_time_share(self) -> float | None:
        """Answered on time among those that were answered or are overdue (percent; None when
        none was), by the committee's one definition: paused and withdrawn are not judged."""
        return on_time_percent(self.on_time, self.late, self.open_overdue)


@dataclass(frozen=True)
class ComplianceReport:
    """The committee's deadline for requests whose answer was due in the period, as they
    stand today: answered on time (the first approval or rejection on or before the due
    date) or late; still open — awaiting the committee, overdue today or not yet due;
    paused — returned for more information; or withdrawn before any answer."""

    total: Compliance
    by_month: list[tuple[Month, Compliance]]


_COMPLIANCE_FIELDS = ("on_time", "late", "open_overdue", "open_not_due", "paused", "withdrawn")
_MAY_BE_ANSWERED = (
    RequestStatus.APPROVED,
    RequestStatus.REJECTED,
    RequestStatus.FULFILLED,
    RequestStatus.WITHDRAWN,
)


def compliance_report(session: Session, actor: Actor, scope: ReportScope) -> ComplianceReport:
    """Answered on time / late / still open, by the month the answer was due.
    Raises PermissionDenied."""
    check_scope(actor, scope)
    period = scope.period
    decision = aliased(CommitteeDecision)
    first_answer = (
        sa.select(sa.func.min(decision.decided_on))
        .where(decision.request_id == SupportRequest.id, final_answer(decision))
        .scalar_subquery()
    )
    # Only a decided (or withdrawn) request can stand answered: one awaiting the committee,
    # or returned to the person, is open or paused today even if an answer it once had was
    # corrected away. Its decisions are not even looked up.
    answered_on = sa.case(
        (SupportRequest.status.in_(_MAY_BE_ANSWERED), first_answer), else_=sa.null()
    )
    months = scope.months
    due = (
        sa.select(
            month_of_day(SupportRequest.committee_due_on, months).label("month"),
            SupportRequest.status.label("status"),
            SupportRequest.committee_due_on.label("due_on"),
            answered_on.label("answered_on"),
        )
        .where(
            SupportRequest.deleted_at.is_(None),
            SupportRequest.committee_due_on >= period.first,
            SupportRequest.committee_due_on <= period.last,
            SupportRequest.status != RequestStatus.DRAFT,
            in_branch(SupportRequest.branch_id, scope),
        )
        # Materialised: flattened into the sums below, the first answer would be looked up
        # once for every condition that names it (six times a request instead of once).
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    unanswered = due.c.answered_on.is_(None)
    waiting = sa.and_(
        unanswered,
        due.c.status.not_in((RequestStatus.NEEDS_INFO.value, RequestStatus.WITHDRAWN.value)),
    )
    conditions = {
        "on_time": due.c.answered_on <= due.c.due_on,
        "late": due.c.answered_on > due.c.due_on,
        "open_overdue": sa.and_(waiting, due.c.due_on < scope.today),
        "open_not_due": sa.and_(waiting, due.c.due_on >= scope.today),
        "paused": sa.and_(unanswered, due.c.status == RequestStatus.NEEDS_INFO.value),
        "withdrawn": sa.and_(unanswered, due.c.status == RequestStatus.WITHDRAWN.value),
    }
    sums = [sa.func.sum(sa.case((test, 1), else_=0)) for test in conditions.values()]
    rows = {
        row[0]: Compliance(*(int(n or 0) for n in row[1:]))
        for row in session.execute(sa.select(due.c.month, *sums).group_by(due.c.month))
    }
    total = Compliance(
        *(sum(getattr(c, name) for c in rows.values()) for name in _COMPLIANCE_FIELDS)
    )
    return ComplianceReport(total, [(m, rows.get(m.key, Compliance())) for m in months])
