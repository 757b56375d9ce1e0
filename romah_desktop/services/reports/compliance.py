"""The compliance report: what became of the requests whose answer fell due in a period,
against the committee's two-week deadline, and the share answered on time."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import SupportRequest
from romah_desktop.services.committee.compliance import (
    STANDINGS,
    counts,
    due_requests,
    standings,
)
from romah_desktop.services.committee.deadline import on_time_percent
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.periods import Month
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
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


def compliance_report(session: Session, actor: Actor, scope: ReportScope) -> ComplianceReport:
    """Answered on time / late / still open, by the month the answer was due.
    Raises PermissionDenied."""
    check_scope(actor, scope)
    period = scope.period
    months = scope.months
    due = due_requests(
        period.first,
        period.last,
        in_branch(SupportRequest.branch_id, scope),
        month_of_day(SupportRequest.committee_due_on, months).label("month"),
    )
    sums = counts(standings(due, scope.today))
    rows = {
        row[0]: Compliance(*(int(n or 0) for n in row[1:]))
        for row in session.execute(sa.select(due.c.month, *sums).group_by(due.c.month))
    }
    total = Compliance(*(sum(getattr(c, name) for c in rows.values()) for name in STANDINGS))
    return ComplianceReport(total, [(m, rows.get(m.key, Compliance())) for m in months])
