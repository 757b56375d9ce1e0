"""Reports and the branch manager's dashboard: requests, the committee's answers and its
two-week deadline, services delivered, satisfaction and open complaints, over a period.

Every figure is counted by the database (GROUP BY); Python only reads the grouped rows. A
period is two inclusive days, chosen as Gregorian dates or as a Hijri (Umm al-Qura) month
or year. A user sees their own branch; a role that sees every branch may pick one or take
them all. Satisfaction is reported by service, channel, branch and month, and never by the
member of staff who served the person: rating is a tool for improvement, not punishment.

The queries use SQLite's date functions: reports are made on the laptop's own database.
"""

from __future__ import annotations

import calendar as gregorian_calendar
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from hijridate import Hijri
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.enums import (
    Channel,
    DecisionOutcome,
    FeedbackKind,
    FeedbackStatus,
    RequestStatus,
    RequestType,
    ServiceType,
)
from db.models import (
    Beneficiary,
    Branch,
    CommitteeDecision,
    Feedback,
    SatisfactionSurvey,
    ServiceDelivery,
    SupportRequest,
)
from romah_desktop.dates import (
    GREGORIAN_MAX,
    GREGORIAN_MIN,
    HIJRI_MAX,
    HIJRI_MIN,
    format_dual,
    hijri_month_name,
    parse_date,
    to_hijri,
    to_hijri_parts,
)
from romah_desktop.errors import NotFound, PermissionDenied, ValidationError
from romah_desktop.i18n import N_, current_language
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor

E = TypeVar("E", bound=StrEnum)

# A report covers at most this many days (ten years): its months must fit on a chart.
MAX_PERIOD_DAYS = 3660
# The dashboard lists at most this many open complaints (the most overdue first); the
# counts are complete.
COMPLAINTS_LIMIT = 200
# Answers the committee gives on a request; "more information" pauses the clock instead.
FINAL_OUTCOMES = (DecisionOutcome.APPROVE, DecisionOutcome.REJECT)
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

_GREGORIAN_MONTHS = {
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
    "en": tuple(gregorian_calendar.month_name[1:]),
}


# --- periods and months ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Inclusive days from `first` to `last` (Gregorian dates, as stored)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def text(self) -> str:
        """The period in Hijri and Gregorian, as a report's heading names it."""
        return f"{format_dual(self.first)} – {format_dual(self.last)}"


def make_period(first: date | None, last: date | None) -> Period:
    """The period from `first` to `last`, both included.

    Raises ValidationError("period_from" / "period_to" / "period", ...) when a day is
    missing, outside the dates the Hijri calendar covers, when the period ends before it
    starts, or is longer than ten years.
    """
    if first is None:
        raise ValidationError("period_from", N_("Choose the first day of the report's period."))
    if last is None:
        raise ValidationError("period_to", N_("Choose the last day of the report's period."))
    for day, field_name in ((first, "period_from"), (last, "period_to")):
        if not GREGORIAN_MIN <= day <= GREGORIAN_MAX:
            raise ValidationError(
                field_name,
                N_(
                    "Only dates from {min_gregorian} to {max_gregorian} (from {min_hijri} to "
                    "{max_hijri}) can be used, because the Hijri calendar conversion covers "
                    "only that period."
                ),
                min_gregorian=GREGORIAN_MIN.isoformat(),
                max_gregorian=GREGORIAN_MAX.isoformat(),
                min_hijri=to_hijri(GREGORIAN_MIN),
                max_hijri=to_hijri(GREGORIAN_MAX),
            )
    if last < first:
        raise ValidationError(
            "period",
            N_("The report's period ends on {last}, before it starts on {first}. Swap the dates."),
            first=format_dual(first),
            last=format_dual(last),
        )
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError(
            "period", N_("A report covers at most ten years. Choose a shorter period.")
        )
    return Period(first, last)


def parse_period(first: str | None, last: str | None) -> Period:
    """The period between two typed dates (Gregorian YYYY-MM-DD or Hijri YYYY/MM/DD هـ).

    Raises ValidationError as make_period does, or for a text that is not a date.
    """
    first_day = parse_date(first, "period_from") if first and first.strip() else None
    if first_day is None:
        return make_period(None, None)
    last_day = parse_date(last, "period_to") if last and last.strip() else None
    return make_period(first_day, last_day)


class MonthCalendar(StrEnum):
    """The calendar whose months a report's trends are counted in."""

    HIJRI = "hijri"
    GREGORIAN = "gregorian"


@dataclass(frozen=True)
class Month:
    """A month of either calendar, with its first and last Gregorian days."""

    calendar: MonthCalendar
    year: int
    month: int
    first: date
    last: date

    @property
    def key(self) -> str:
        """ "1446-02" (Hijri) or "2024-08" (Gregorian): sorts in time order."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def period(self) -> Period:
        return Period(self.first, self.last)

    def label(self, lang: str | None = None) -> str:
        """The month's name and year, e.g. "صفر 1446" or "أغسطس 2024"."""
        lang = lang or current_language()
        if self.calendar is MonthCalendar.HIJRI:
            return f"{hijri_month_name(self.month, lang)} {self.year}"
        return f"{gregorian_month_name(self.month, lang)} {self.year}"

    def next(self) -> Month:
        """The month after this one."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        if self.calendar is MonthCalendar.HIJRI:
            return hijri_month(year, month)
        return gregorian_month(year, month)


def gregorian_month_name(month: int, lang: str | None = None) -> str:
    """The name of Gregorian month `month` (1–12) as Saudi usage writes it in Arabic
    ("أغسطس"), or in English. Raises ValueError for a month outside 1–12."""
    if not 1 <= month <= 12:
        raise ValueError(f"a month is between 1 and 12, not {month}")
    names = _GREGORIAN_MONTHS.get(lang or current_language(), _GREGORIAN_MONTHS["en"])
    return names[month - 1]


def _month_error(field_name: str, month: int) -> ValidationError:
    return ValidationError(
        field_name, N_("The month must be between 1 and 12 (you typed {month})."), month=month
    )


def hijri_month(year: int, month: int) -> Month:
    """The Umm al-Qura month `month` of Hijri year `year`, e.g. hijri_month(1446, 9) is
    Ramadan 1446 (2025-03-01 – 2025-03-29).

    Raises ValidationError("hijri_month", ...) for a month outside 1–12 or a year outside the
    calendar's table (1343–1500 هـ).
    """
    if not HIJRI_MIN[0] <= year <= HIJRI_MAX[0]:
        raise ValidationError(
            "hijri_month",
            N_("Choose a Hijri year from {first} to {last}."),
            first=HIJRI_MIN[0],
            last=HIJRI_MAX[0],
        )
    if not 1 <= month <= 12:
        raise _month_error("hijri_month", month)
    start = Hijri(year, month, 1)
    gregorian = start.to_gregorian()
    first = date(gregorian.year, gregorian.month, gregorian.day)
    return Month(
        MonthCalendar.HIJRI,
        year,
        month,
        first,
        first + timedelta(days=int(start.month_length()) - 1),
    )


def gregorian_month(year: int, month: int) -> Month:
    """The Gregorian month `month` of `year`. Raises ValidationError("month", ...) for a
    month outside 1–12 or a year the Hijri calendar does not cover."""
    if not GREGORIAN_MIN.year <= year <= GREGORIAN_MAX.year:
        raise ValidationError(
            "month",
            N_("Choose a year from {first} to {last}."),
            first=GREGORIAN_MIN.year,
            last=GREGORIAN_MAX.year,
        )
    if not 1 <= month <= 12:
        raise _month_error("month", month)
    days = gregorian_calendar.monthrange(year, month)[1]
    return Month(
        MonthCalendar.GREGORIAN, year, month, date(year, month, 1), date(year, month, days)
    )


def month_of(day: date, calendar: MonthCalendar = MonthCalendar.HIJRI) -> Month:
    """The month of `calendar` that `day` falls in. Raises ValidationError outside the
    Hijri calendar's dates."""
    if calendar is MonthCalendar.HIJRI:
        year, month, _day = to_hijri_parts(day, field="period")
        return hijri_month(year, month)
    return gregorian_month(day.year, day.month)


def hijri_year_period(year: int) -> Period:
    """The Hijri year `year`, from 1 Muharram to the last day of Dhu al-Hijjah.
    Raises ValidationError for a year the calendar's table does not cover."""
    return Period(hijri_month(year, 1).first, hijri_month(year, 12).last)


def months_in(period: Period, calendar: MonthCalendar = MonthCalendar.HIJRI) -> list[Month]:
    """The months of `calendar` that the period touches, in order (the first and last may
    reach beyond the period)."""
    months = [month_of(period.first, calendar)]
    while months[-1].last < period.last:
        months.append(months[-1].next())
    return months


# --- who sees what ---------------------------------------------------------------------------


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


def _check(actor: Actor, scope: ReportScope) -> None:
    actor.require(Permission.VIEW_REPORTS)
    if scope.branch_id is None:
        if actor.visible_branch() is not None:
            raise PermissionDenied(N_("This record belongs to another branch."))
    else:
        actor.require_branch(scope.branch_id)


def _local_midnight(day: date) -> datetime:
    # Timestamps are stored in UTC; a day of the period is a day on this laptop's clock.
    return datetime.combine(day, time()).astimezone()


def _moments(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end) instants."""
    return _local_midnight(period.first), _local_midnight(period.last + timedelta(days=1))


def _month_of_day(column: Any, months: Sequence[Month]) -> sa.ColumnElement[str]:
    """The key of the month a date column falls in (rows already limited to the months)."""
    whens = [(column < m.next_first, m.key) for m in _Bounds.of(months)[:-1]]
    return sa.case(*whens, else_=months[-1].key) if whens else sa.literal(months[-1].key)


def _month_of_moment(column: Any, months: Sequence[Month]) -> sa.ColumnElement[str]:
    """The key of the month (on this laptop's clock) of a timestamp column."""
    whens = [(column < _local_midnight(m.next_first), m.key) for m in _Bounds.of(months)[:-1]]
    return sa.case(*whens, else_=months[-1].key) if whens else sa.literal(months[-1].key)


@dataclass(frozen=True)
class _Bounds:
    key: str
    next_first: date

    @staticmethod
    def of(months: Sequence[Month]) -> list[_Bounds]:
        return [_Bounds(m.key, m.last + timedelta(days=1)) for m in months]


def _local_day(column: Any) -> sa.ColumnElement[str]:
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


def _no_index(column: Any) -> sa.ColumnElement[str]:
    return _NoIndex(column)


def _in_branch(column: Any, scope: ReportScope) -> sa.ColumnElement[bool]:
    """The scope's branch, tested row by row: a laptop holds its own branch's records, so the
    branch index would lead SQLite through the whole table instead of the period's rows."""
    return sa.true() if scope.branch_id is None else _no_index(column) == scope.branch_id


def _zeros(enum_class: type[E]) -> dict[E, int]:
    return {member: 0 for member in enum_class}


# --- requests ---------------------------------------------------------------------------------


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
    _check(actor, scope)
    start, end = _moments(scope.period)
    where = (
        SupportRequest.deleted_at.is_(None),
        SupportRequest.created_at >= start,
        SupportRequest.created_at < end,
        _in_branch(SupportRequest.branch_id, scope),
    )
    by_status = _zeros(RequestStatus)
    by_channel = _zeros(Channel)
    by_type = _zeros(RequestType)
    per_month: dict[str, int] = {}
    total = amount = 0
    months = scope.months
    bucket = _month_of_moment(SupportRequest.created_at, months).label("month")
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


# --- the committee's answers -----------------------------------------------------------------


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
    answered in the period."""

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


def _final_answer(decision: Any) -> sa.ColumnElement[bool]:
    """A live decision that answers the request (not a return for more information).

    Every such decision follows the request's submission: a request is decided only once
    submitted, and submitting it again after a return keeps its first submission time.
    """
    return sa.and_(decision.outcome.in_(FINAL_OUTCOMES), decision.deleted_at.is_(None))


def decision_time_report(session: Session, actor: Actor, scope: ReportScope) -> DecisionTimeReport:
    """Days from submission to the committee's answer, for the requests whose first answer
    fell in the period. Raises PermissionDenied."""
    _check(actor, scope)
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
            _in_branch(SupportRequest.branch_id, scope),
        )
        # Read the period's decisions in table order and sort them, rather than walk the
        # request index over every decision ever made.
        .group_by(_no_index(decision.request_id))
        .cte("per_request")
        .prefix_with("MATERIALIZED")
    )
    answered_before = (
        sa.select(earlier.id)
        .where(
            earlier.request_id == per_request.c.request_id,
            earlier.decided_on < period.first,
            _final_answer(earlier),
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
                    per_request.c.submitted_at >= _local_midnight(period.first),
                    ~answered_before,
                ),
            ),
            sa.cast(
                sa.func.round(
                    sa.func.julianday(per_request.c.answered_on)
                    - sa.func.julianday(_local_day(per_request.c.submitted_at))
                ),
                sa.Integer,
            ),
        )
    ).label("days")
    # Materialised, so that each request's earlier answer is looked up once, not once for
    # the SELECT and again for the GROUP BY.
    judged = (
        sa.select(
            days,
            sa.func.substr(per_request.c.answer, 12).label("outcome"),
            per_request.c.returned,
        )
        .cte("judged")
        .prefix_with("MATERIALIZED")
    )
    by_days: dict[int, int] = {}
    by_outcome = {outcome: 0 for outcome in FINAL_OUTCOMES}
    returned = 0
    for day_count, answer, count, returns in session.execute(
        sa.select(
            judged.c.days, judged.c.outcome, sa.func.count(), sa.func.sum(judged.c.returned)
        ).group_by(judged.c.days, judged.c.outcome)
    ):
        returned += int(returns or 0)
        if day_count is None:
            continue  # only returned for information, or first answered before the period
        by_days[int(day_count)] = by_days.get(int(day_count), 0) + count
        by_outcome[DecisionOutcome(answer)] += count
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


# --- the two-week deadline -------------------------------------------------------------------


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
        """Answered on time among those that were answered or are overdue (percent)."""
        judged = self.on_time + self.late + self.open_overdue
        return None if judged == 0 else 100 * self.on_time / judged


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
    _check(actor, scope)
    period = scope.period
    decision = aliased(CommitteeDecision)
    first_answer = (
        sa.select(sa.func.min(decision.decided_on))
        .where(decision.request_id == SupportRequest.id, _final_answer(decision))
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
            _month_of_day(SupportRequest.committee_due_on, months).label("month"),
            SupportRequest.status.label("status"),
            SupportRequest.committee_due_on.label("due_on"),
            answered_on.label("answered_on"),
        )
        .where(
            SupportRequest.deleted_at.is_(None),
            SupportRequest.committee_due_on >= period.first,
            SupportRequest.committee_due_on <= period.last,
            SupportRequest.status != RequestStatus.DRAFT,
            _in_branch(SupportRequest.branch_id, scope),
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


# --- services delivered ----------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLine:
    deliveries: int = 0
    amount_halalas: int = 0
    people: int = 0


@dataclass(frozen=True)
class ServicesReport:
    """Services delivered in the period, by type (deliveries, amount, people served) and
    by month."""

    total: ServiceLine
    by_type: dict[ServiceType, ServiceLine]
    by_month: list[tuple[Month, ServiceLine]]


def services_report(session: Session, actor: Actor, scope: ReportScope) -> ServicesReport:
    """Services delivered in the scope's period. Raises PermissionDenied."""
    _check(actor, scope)
    period = scope.period
    months = scope.months
    delivered = sa.select(
        ServiceDelivery.service_type.label("kind"),
        _month_of_day(ServiceDelivery.delivered_on, months).label("month"),
        ServiceDelivery.beneficiary_id.label("person"),
        ServiceDelivery.amount_halalas.label("amount"),
    ).select_from(ServiceDelivery)
    if scope.branch_id is not None:
        # A delivery is the branch's through the file of the person served.
        delivered = delivered.join(
            Beneficiary, Beneficiary.id == ServiceDelivery.beneficiary_id
        ).where(_in_branch(Beneficiary.branch_id, scope))
    # The period's deliveries are read once; the total, the types and the months are all
    # counted from that (people served are counted apart in each: one person may have had
    # several services).
    rows = (
        delivered.where(
            ServiceDelivery.deleted_at.is_(None),
            ServiceDelivery.delivered_on >= period.first,
            ServiceDelivery.delivered_on <= period.last,
        )
        .cte("delivered")
        .prefix_with("MATERIALIZED")
    )

    def figures(group: str, key: Any) -> sa.Select[Any]:
        return sa.select(
            sa.literal(group).label("grouping"),
            key.label("key"),
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(rows.c.amount), 0),
            sa.func.count(sa.distinct(rows.c.person)),
        )

    everything = sa.union_all(
        figures("total", sa.literal("")),
        figures("kind", rows.c.kind).group_by(rows.c.kind),
        figures("month", rows.c.month).group_by(rows.c.month),
    )
    total = ServiceLine()
    by_type: dict[ServiceType, ServiceLine] = {kind: ServiceLine() for kind in ServiceType}
    per_month: dict[str, ServiceLine] = {}
    for grouping, key, count, amount, people in session.execute(everything):
        line = ServiceLine(int(count), int(amount), int(people))
        if grouping == "total":
            total = line
        elif grouping == "kind":
            by_type[ServiceType(key)] = line
        else:
            per_month[key] = line
    return ServicesReport(
        total, by_type, [(m, per_month.get(m.key, ServiceLine())) for m in months]
    )


# --- satisfaction -----------------------------------------------------------------------------


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
    _check(actor, scope)
    period = scope.period
    months = scope.months
    bucket = _month_of_day(SatisfactionSurvey.collected_on, months).label("month")
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
            _in_branch(SatisfactionSurvey.branch_id, scope),
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


# --- complaints -------------------------------------------------------------------------------


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


# A complaint is overdue while it waits for its answer past its due date.
_AWAITING_ANSWER = (FeedbackStatus.OPEN, FeedbackStatus.ASSIGNED)


def complaints_report(
    session: Session, actor: Actor, scope: ReportScope, limit: int = COMPLAINTS_LIMIT
) -> ComplaintsReport:
    """Complaints received in the period, and those still open. Raises PermissionDenied."""
    _check(actor, scope)
    period = scope.period
    live = (Feedback.deleted_at.is_(None), _in_branch(Feedback.branch_id, scope))
    in_period = (Feedback.received_on >= period.first, Feedback.received_on <= period.last)
    by_status = _zeros(FeedbackStatus)
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
        Feedback.status.in_(_AWAITING_ANSWER),
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


# --- the dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """Every report over one scope, as the Reports page shows them."""

    scope: ReportScope
    requests: RequestsReport
    decision_time: DecisionTimeReport
    compliance: ComplianceReport
    services: ServicesReport
    satisfaction: SatisfactionReport
    complaints: ComplaintsReport


def dashboard(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    branch_id: str | None = None,
    today: date | None = None,
    calendar: MonthCalendar = MonthCalendar.HIJRI,
) -> Dashboard:
    """All the reports for the period (and branch, for a role that sees every branch).
    Raises PermissionDenied or NotFound (the branch)."""
    scope = report_scope(
        session, actor, period, branch_id=branch_id, today=today, calendar=calendar
    )
    return Dashboard(
        scope=scope,
        requests=requests_report(session, actor, scope),
        decision_time=decision_time_report(session, actor, scope),
        compliance=compliance_report(session, actor, scope),
        services=services_report(session, actor, scope),
        satisfaction=satisfaction_report(session, actor, scope),
        complaints=complaints_report(session, actor, scope),
    )


# --- one row per request ----------------------------------------------------------------------


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
    start, end = _moments(scope.period)
    first_answer = aliased(CommitteeDecision)
    newest = aliased(CommitteeDecision)
    answered_on = (
        sa.select(sa.func.min(first_answer.decided_on))
        .where(first_answer.request_id == SupportRequest.id, _final_answer(first_answer))
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
            _local_day(SupportRequest.created_at),
            _local_day(SupportRequest.submitted_at),
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
            _in_branch(SupportRequest.branch_id, scope),
        )
        .order_by(SupportRequest.created_at, SupportRequest.request_number)
    )


def count_request_list(session: Session, actor: Actor, scope: ReportScope) -> int:
    """How many requests were received in the period. Raises PermissionDenied."""
    _check(actor, scope)
    start, end = _moments(scope.period)
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(SupportRequest)
            .where(
                SupportRequest.deleted_at.is_(None),
                SupportRequest.created_at >= start,
                SupportRequest.created_at < end,
                _in_branch(SupportRequest.branch_id, scope),
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
    _check(actor, scope)
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
            person_name=" ".join(p for p in row[2:6] if p),
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
