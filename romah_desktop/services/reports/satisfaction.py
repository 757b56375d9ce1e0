"""The satisfaction report: survey ratings by month, service, channel and branch.

Never by the member of staff who served the person: rating is a tool for improvement, not
punishment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    RequestType,
)
from db.models import (
    Branch,
    SatisfactionSurvey,
    SupportRequest,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.periods import Month
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
    in_branch,
    month_of_day,
)


@dataclass(frozen=True)
class Ratings:
    """Averages of the ratings (1–5) of `surveys` surveys; None where none was given."""

    surveys: int = 0
    overall: float | None = None
    speed: float | None = None
    courtesy: float | None = None
    clarity: float | None = None


@dataclass(frozen=True)
class SatisfactionReport:
    """Satisfaction surveys collected in the period: overall and by month, by service (the
    type of the request the survey was about; None: after a contact), by channel and by
    branch, with how many gave each overall rating. Never by member of staff."""

    total: Ratings
    by_month: list[tuple[Month, Ratings]]
    by_service: list[tuple[RequestType | None, Ratings]]
    by_channel: list[tuple[Channel, Ratings]]
    by_branch: list[tuple[str, Ratings]]
    overall_counts: dict[int, int]


class _RatingSums:
    """Sums and counts of ratings, added up from grouped rows into averages."""

    def __init__(self) -> None:
        self.surveys = 0
        self.sums = [0, 0, 0, 0]
        self.counts = [0, 0, 0, 0]

    def add(self, surveys: int, sums: Sequence[Any], counts: Sequence[Any]) -> None:
        self.surveys += surveys
        for index in range(4):
            self.sums[index] += int(sums[index] or 0)
            self.counts[index] += int(counts[index] or 0)

    def ratings(self) -> Ratings:
        averages = [
            None if count == 0 else total / count
            for total, count in zip(self.sums, self.counts, strict=True)
        ]
        return Ratings(self.surveys, *averages)


_RATED = ("overall", "speed", "courtesy", "clarity")


def satisfaction_report(session: Session, actor: Actor, scope: ReportScope) -> SatisfactionReport:
    """Satisfaction by month, service, channel and branch. Raises PermissionDenied."""
    check_scope(actor, scope)
    period = scope.period
    months = scope.months
    bucket = month_of_day(SatisfactionSurvey.collected_on, months).label("month")
    columns = [getattr(SatisfactionSurvey, name) for name in _RATED]
    # One pass: sums and counts per month × channel × service × branch × overall rating,
    # added up below into each breakdown (a few hundred rows at most).
    keys = (
        bucket,
        SatisfactionSurvey.channel,
        SupportRequest.request_type,
        SatisfactionSurvey.branch_id,
        SatisfactionSurvey.overall,
    )
    grouped = session.execute(
        sa.select(
            *keys,
            sa.func.count(),
            *(sa.func.sum(c) for c in columns),
            *(sa.func.count(c) for c in columns),
        )
        .select_from(SatisfactionSurvey)
        .outerjoin(SupportRequest, SupportRequest.id == SatisfactionSurvey.request_id)
        .where(
            SatisfactionSurvey.deleted_at.is_(None),
            SatisfactionSurvey.collected_on >= period.first,
            SatisfactionSurvey.collected_on <= period.last,
            in_branch(SatisfactionSurvey.branch_id, scope),
        )
        .group_by(*keys)
    ).all()
    total = _RatingSums()
    per_month: dict[str, _RatingSums] = {}
    per_channel: dict[Channel, _RatingSums] = {}
    per_service: dict[RequestType | None, _RatingSums] = {}
    per_branch: dict[str, _RatingSums] = {}
    overall_counts = {rating: 0 for rating in range(1, 6)}
    for month, channel, kind, branch_id, overall, count, *figures in grouped:
        sums, counts = figures[:4], figures[4:]
        for into, key in (
            (per_month, month),
            (per_channel, channel),
            (per_service, kind),
            (per_branch, branch_id),
        ):
            into.setdefault(key, _RatingSums()).add(count, sums, counts)
        total.add(count, sums, counts)
        overall_counts[int(overall)] += count
    branches = dict(
        session.execute(
            sa.select(Branch.id, Branch.name)
            .where(Branch.id.in_(list(per_branch)))
            .order_by(Branch.code)
        ).all()
    )
    by_service: list[tuple[RequestType | None, Ratings]] = [
        (kind, per_service[kind].ratings()) for kind in RequestType if kind in per_service
    ]
    if None in per_service:
        by_service.append((None, per_service[None].ratings()))
    return SatisfactionReport(
        total=total.ratings(),
        by_month=[
            (m, per_month[m.key].ratings() if m.key in per_month else Ratings()) for m in months
        ],
        by_service=by_service,
        by_channel=[(c, per_channel[c].ratings()) for c in Channel if c in per_channel],
        by_branch=[(name, per_branch[branch_id].ratings()) for branch_id, name in branches.items()],
        overall_counts=overall_counts,
    )
