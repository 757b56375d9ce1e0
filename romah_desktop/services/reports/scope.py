"""Who sees what in a report, and the SQL pieces every report's WHERE and GROUP BY share.

A user sees their own branch; a role that sees every branch may pick one or take them all.
The queries use SQLite's date functions: reports are made on the laptop's own database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.enums import DecisionOutcome
from db.models import Branch
from romah_desktop.dates import local_midnight
from romah_desktop.errors import NotFound, PermissionDenied
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services.committee.deadline import ANSWERS
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.periods import Month, MonthCalendar, Period, months_in

E = TypeVar("E", bound=StrEnum)

# Answers the committee gives on a request, in the enum's order; "more information" pauses
# the clock instead.
FINAL_OUTCOMES = tuple(o for o in DecisionOutcome if o in ANSWERS)


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: a period, one branch (None: every branch), the day that
    decides what is overdue, and the calendar of its months."""

    period: Period
    branch_id: str | None
    branch_name: str | None
    today: date
    calendar: MonthCalendar = MonthCalendar.HIJRI

    @property
    def months(self) -> list[Month]:
        return months_in(self.period, self.calendar)


@dataclass(frozen=True)
class BranchChoice:
    id: str
    code: str
    name: str


def report_branches(session: Session, actor: Actor) -> list[BranchChoice]:
    """The branches the actor may report on, by code: theirs, or all of them for a role
    that sees every branch. Raises PermissionDenied."""
    actor.require(Permission.VIEW_REPORTS)
    query = sa.select(Branch.id, Branch.code, Branch.name).where(Branch.deleted_at.is_(None))
    if (visible := actor.visible_branch()) is not None:
        query = query.where(Branch.id == visible)
    return [
        BranchChoice(r.id, r.code, r.name) for r in session.execute(query.order_by(Branch.code))
    ]


def report_scope(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    branch_id: str | None = None,
    today: date | None = None,
    calendar: MonthCalendar = MonthCalendar.HIJRI,
) -> ReportScope:
    """The scope of a report for the actor: their own branch (`branch_id` may only name
    it), or for a role that sees every branch, `branch_id` or (None) all branches.

    Raises PermissionDenied (no reports for this role, or another branch), NotFound (no
    such branch).
    """
    actor.require(Permission.VIEW_REPORTS)
    visible = actor.visible_branch()
    if visible is not None:
        if branch_id not in (None, visible):
            raise PermissionDenied(N_("This record belongs to another branch."))
        branch_id = visible
    name = None
    if branch_id is not None:
        branch = session.get(Branch, branch_id)
        if branch is None or branch.deleted_at is not None:
            raise NotFound(N_("This branch was not found."))
        name = branch.name
    return ReportScope(period, branch_id, name, today or date.today(), MonthCalendar(calendar))


def check_scope(actor: Actor, scope: ReportScope) -> None:
    """Refuse a report the actor may not see: no reports for this role, all branches for a
    user of one, or another branch. Raises PermissionDenied."""
    actor.require(Permission.VIEW_REPORTS)
    if scope.branch_id is None:
        if actor.visible_branch() is not None:
            raise PermissionDenied(N_("This record belongs to another branch."))
    else:
        actor.require_branch(scope.branch_id)


def period_moments(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end) instants."""
    return local_midnight(period.first), local_midnight(period.last + timedelta(days=1))


def month_of_day(column: Any, months: Sequence[Month]) -> sa.ColumnElement[str]:
    """The key of the month a date column falls in (rows already limited to the months)."""
    whens = [(column < m.next_first, m.key) for m in _Bounds.of(months)[:-1]]
    return sa.case(*whens, else_=months[-1].key) if whens else sa.literal(months[-1].key)


def month_of_moment(column: Any, months: Sequence[Month]) -> sa.ColumnElement[str]:
    """The key of the month (on this laptop's clock) of a timestamp column."""
    whens = [(column < local_midnight(m.next_first), m.key) for m in _Bounds.of(months)[:-1]]
    return sa.case(*whens, else_=months[-1].key) if whens else sa.literal(months[-1].key)


@dataclass(frozen=True)
class _Bounds:
    key: str
    next_first: date

    @staticmethod
    def of(months: Sequence[Month]) -> list[_Bounds]:
        return [_Bounds(m.key, m.last + timedelta(days=1)) for m in months]


def stored_local_day(column: Any) -> sa.ColumnElement[str]:
    """The day (YYYY-MM-DD, on this laptop's clock) of a stored UTC timestamp."""
    return sa.func.date(column, "localtime")


class _NoIndex(FunctionElement[str]):
    """A column that SQLite must not reach through an index (written `+column`).

    Grouping by an indexed column tempts SQLite to walk that index over the whole table,
    fetching every row at random, instead of reading the few rows the WHERE keeps and
    sorting them.
    """

    type = sa.String()
    inherit_cache = True
    name = "no_index"


@compiles(_NoIndex)
def _no_index_default(element: _NoIndex, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_NoIndex, "sqlite")
def _no_index_sqlite(element: _NoIndex, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


def no_index(column: Any) -> sa.ColumnElement[str]:
    """`column`, kept from SQLite's index on it (see _NoIndex)."""
    return _NoIndex(column)


def in_branch(column: Any, scope: ReportScope) -> sa.ColumnElement[bool]:
    """The scope's branch, tested row by row: a laptop holds its own branch's records, so the
    branch index would lead SQLite through the whole table instead of the period's rows."""
    return sa.true() if scope.branch_id is None else no_index(column) == scope.branch_id


def zeros(enum_class: type[E]) -> dict[E, int]:
    """A count of nought for every member of `enum_class`, in its order."""
    return {member: 0 for member in enum_class}


def final_answer(decision: Any) -> sa.ColumnElement[bool]:
    """A live decision that answers the request (not a return for more information).

    Every such decision follows the request's submission: a request is decided only once
    submitted, and submitting it again after a return keeps its first submission time.
    """
    return sa.and_(decision.outcome.in_(FINAL_OUTCOMES), decision.deleted_at.is_(None))
