"""The decision-time report: the days from a request's submission to the committee's first
answer, without the days the clock stood still while the request was back with the person
for more information."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from db.enums import DecisionOutcome
from db.models import CommitteeDecision, DeadlinePause, SupportRequest
from romah_desktop.dates import local_midnight
from romah_desktop.services.committee.deadline import Deadline, pauses_of
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.scope import (
    FINAL_OUTCOMES,
    ReportScope,
    check_scope,
    final_answer,
    in_branch,
    no_index,
    stored_local_day,
)

# Days from submission to the committee's answer, grouped for the chart: (first, last) day,
# the last group open-ended.
DECISION_DAY_GROUPS: tuple[tuple[int, int | None], ...] = (
    (0, 3),
    (4, 7),
    (8, 14),
    (15, 21),
    (22, 30),
    (31, None),
)


@dataclass(frozen=True)
class DayGroup:
    """Requests answered within `first`–`last` days of their submission (`last` None: or
    later)."""

    first: int
    last: int | None
    count: int


@dataclass(frozen=True)
class DecisionTimeReport:
    """How long the committee took: the days from a request's submission to its answer
    (approval or rejection; the first one, not a later correction), for the requests
    answered in the period. Days the clock was paused, waiting for the person to bring more
    information, are not counted: the committee was not the one keeping them waiting."""

    answered: int
    by_days: dict[int, int]
    by_outcome: dict[DecisionOutcome, int]
    returned_for_information: int
    median_days: float | None
    p90_days: int | None
    mean_days: float | None
    groups: list[DayGroup]


def _median(by_days: dict[int, int]) -> float | None:
    """The median of the values counted in `by_days` (the mean of the two middle ones for
    an even count)."""
    total = sum(by_days.values())
    if total == 0:
        return None
    lower = upper = None
    seen = 0
    for days in sorted(by_days):
        seen += by_days[days]
        if lower is None and seen >= (total + 1) // 2:
            lower = days
        if seen >= total // 2 + 1:
            upper = days
            break
    assert lower is not None and upper is not None
    return (lower + upper) / 2


def _percentile(by_days: dict[int, int], pct: float) -> int | None:
    """The nearest-rank percentile: the smallest value with at least `pct` % at or below."""
    total = sum(by_days.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(pct / 100 * total))
    seen = 0
    for days in sorted(by_days):
        seen += by_days[days]
        if seen >= rank:
            return days
    raise AssertionError("unreachable")


def _day(value: Any) -> date:
    # SQLite hands back a day read through an aggregate as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def decision_time_report(session: Session, actor: Actor, scope: ReportScope) -> DecisionTimeReport:
    """Days from submission to the committee's answer, for the requests whose first answer
    fell in the period, less the days the clock was paused before that answer (the request
    was back with the person for more information). Raises PermissionDenied."""
    check_scope(actor, scope)
    period = scope.period
    decision = aliased(CommitteeDecision)
    earlier = aliased(CommitteeDecision)
    final = decision.outcome.in_(FINAL_OUTCOMES)
    # One pass over the period's decisions, a row per request: its first answer in the period
    # (the day, and the day followed by the outcome, so that MIN() finds the outcome of the
    # earliest), and how often it was returned for more information.
    per_request = (
        sa.select(
            decision.request_id.label("request_id"),
            SupportRequest.submitted_at.label("submitted_at"),
            sa.func.min(sa.case((final, decision.decided_on))).label("answered_on"),
            sa.func.min(
                sa.case((final, sa.func.printf("%s %s", decision.decided_on, decision.outcome)))
            ).label("answer"),
            sa.func.sum(sa.case((decision.outcome == DecisionOutcome.NEED_INFO, 1), else_=0)).label(
                "returned"
            ),
        )
        .join(SupportRequest, SupportRequest.id == decision.request_id)
        .where(
            decision.decided_on >= period.first,
            decision.decided_on <= period.last,
            decision.deleted_at.is_(None),
            SupportRequest.deleted_at.is_(None),
            in_branch(SupportRequest.branch_id, scope),
        )
        # Read the period's decisions in table order and sort them, rather than walk the
        # request index over every decision ever made.
        .group_by(no_index(decision.request_id))
        .cte("per_request")
        .prefix_with("MATERIALIZED")
    )
    answered_before = (
        sa.select(earlier.id)
        .where(
            earlier.request_id == per_request.c.request_id,
            earlier.decided_on < period.first,
            final_answer(earlier),
        )
        .exists()
    )
    days = sa.case(
        (
            sa.and_(
                per_request.c.answered_on.is_not(None),
                # Only a request submitted before the period can have been answered before
                # it: the others are not looked up again.
                sa.or_(
                    per_request.c.submitted_at >= local_midnight(period.first),
                    ~answered_before,
                ),
            ),
            sa.cast(
                sa.func.round(
                    sa.func.julianday(per_request.c.answered_on)
                    - sa.func.julianday(stored_local_day(per_request.c.submitted_at))
                ),
                sa.Integer,
            ),
        )
    ).label("days")
    # Materialised, so that each request's earlier answer is looked up once, not once for
    # the SELECT and again for the GROUP BY.
    paused = (
        sa.select(DeadlinePause.id)
        .where(
            DeadlinePause.request_id == per_request.c.request_id,
            DeadlinePause.deleted_at.is_(None),
        )
        .exists()
    )
    judged = (
        sa.select(
            days,
            sa.func.substr(per_request.c.answer, 12).label("outcome"),
            per_request.c.returned,
            per_request.c.answered_on,
            # An answered request whose clock ever stopped keeps a row of its own, so that
            # its paused days can be taken off below; the others are only counted.
            sa.case(
                (sa.and_(per_request.c.answered_on.is_not(None), paused), per_request.c.request_id)
            ).label("paused_request"),
        )
        .cte("judged")
        .prefix_with("MATERIALIZED")
    )
    by_days: dict[int, int] = {}
    by_outcome = {outcome: 0 for outcome in FINAL_OUTCOMES}
    returned = 0
    held: list[tuple[str, int, str, date]] = []
    for day_count, answer, count, returns, request_id, answered_on in session.execute(
        sa.select(
            judged.c.days,
            judged.c.outcome,
            sa.func.count(),
            sa.func.sum(judged.c.returned),
            judged.c.paused_request,
            sa.func.max(judged.c.answered_on),
        ).group_by(judged.c.days, judged.c.outcome, judged.c.paused_request)
    ):
        returned += int(returns or 0)
        if day_count is None:
            continue  # only returned for information, or first answered before the period
        if request_id is not None:
            held.append((request_id, int(day_count), answer, _day(answered_on)))
            continue
        by_days[int(day_count)] = by_days.get(int(day_count), 0) + count
        by_outcome[DecisionOutcome(answer)] += count
    pauses = pauses_of(session, [request_id for request_id, *_rest in held])
    for request_id, day_count, answer, answered_on in held:
        # The clock's stops that ended by the answer: the committee was not waiting then.
        stopped = Deadline(
            submitted_on=None,
            due_on=None,
            pauses=tuple(
                p
                for p in pauses.get(request_id, ())
                if p.resumed_on is not None and p.resumed_on <= answered_on
            ),
        )
        counted = max(0, day_count - stopped.paused_days)
        by_days[counted] = by_days.get(counted, 0) + 1
        by_outcome[DecisionOutcome(answer)] += 1
    answered = sum(by_days.values())
    groups = [
        DayGroup(
            first,
            last,
            sum(n for d, n in by_days.items() if d >= first and (last is None or d <= last)),
        )
        for first, last in DECISION_DAY_GROUPS
    ]
    return DecisionTimeReport(
        answered=answered,
        by_days=dict(sorted(by_days.items())),
        by_outcome=by_outcome,
        returned_for_information=returned,
        median_days=_median(by_days),
        p90_days=_percentile(by_days, 90),
        mean_days=(sum(d * n for d, n in by_days.items()) / answered) if answered else None,
        groups=groups,
    )
