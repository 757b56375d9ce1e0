"""Answered on time: where each request whose answer fell due in a stretch of days stands
today, written once for Today's deadline watch and the Reports page's compliance report.

A request stands answered on time (its first approval or rejection on or before the due
date) or late; still open — awaiting the committee, overdue today or not yet due; paused —
returned for more information; or withdrawn before any answer. The on-time figure made of
these counts is `deadline.on_time_percent`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from db.enums import RequestStatus
from db.models import CommitteeDecision, SupportRequest
from romah_desktop.services.committee.deadline import ANSWERS

# The standings, in the order the counts are reported.
STANDINGS = ("on_time", "late", "open_overdue", "open_not_due", "paused", "withdrawn")
# Only a decided (or withdrawn) request can stand answered: one awaiting the committee, or
# returned to the person, is open or paused today even if an answer it once had was corrected
# away. Its decisions are not even looked up.
MAY_STAND_ANSWERED = (
    RequestStatus.APPROVED,
    RequestStatus.REJECTED,
    RequestStatus.FULFILLED,
    RequestStatus.WITHDRAWN,
)


def due_requests(
    first: date, last: date, where: sa.ColumnElement[bool], *columns: sa.ColumnElement[Any]
) -> sa.CTE:
    """The requests (not drafts) whose answer falls due from `first` to `last` and match
    `where`: their id, status, due date (`due_on`), first answer's day (`answered_on`, for
    those that may stand answered) and any extra labelled `columns`."""
    decision = aliased(CommitteeDecision)
    first_answer = (
        sa.select(sa.func.min(decision.decided_on))
        .where(
            decision.request_id == SupportRequest.id,
            decision.outcome.in_(sorted(ANSWERS)),
            decision.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    answered_on = sa.case(
        (SupportRequest.status.in_(MAY_STAND_ANSWERED), first_answer), else_=sa.null()
    )
    return (
        sa.select(
            SupportRequest.id.label("id"),
            SupportRequest.status.label("status"),
            SupportRequest.committee_due_on.label("due_on"),
            answered_on.label("answered_on"),
            *columns,
        )
        .where(
            SupportRequest.deleted_at.is_(None),
            SupportRequest.committee_due_on >= first,
            SupportRequest.committee_due_on <= last,
            SupportRequest.status != RequestStatus.DRAFT,
            where,
        )
        # Materialised: flattened into the conditions below, the first answer would be looked
        # up once for every condition that names it (six times a request instead of once).
        .cte("due")
        .prefix_with("MATERIALIZED")
    )


def standings(due: sa.CTE, today: date) -> dict[str, sa.ColumnElement[bool]]:
    """For each of STANDINGS, the condition that a row of `due_requests` stands so today."""
    unanswered = due.c.answered_on.is_(None)
    waiting = sa.and_(
        unanswered,
        due.c.status.not_in((RequestStatus.NEEDS_INFO.value, RequestStatus.WITHDRAWN.value)),
    )
    return {
        "on_time": due.c.answered_on <= due.c.due_on,
        "late": due.c.answered_on > due.c.due_on,
        "open_overdue": sa.and_(waiting, due.c.due_on < today),
        "open_not_due": sa.and_(waiting, due.c.due_on >= today),
        "paused": sa.and_(unanswered, due.c.status == RequestStatus.NEEDS_INFO.value),
        "withdrawn": sa.and_(unanswered, due.c.status == RequestStatus.WITHDRAWN.value),
    }


def counts(conditions: dict[str, sa.ColumnElement[bool]]) -> list[sa.ColumnElement[int]]:
    """One SUM per standing, in the order of STANDINGS."""
    return [sa.func.sum(sa.case((conditions[name], 1), else_=0)) for name in STANDINGS]
