"""HQ's dashboard across branches: the laptops' reports, counted over the rows every laptop
synced to HQ (`hq_row`, a record's fields as JSON), with the laptops' own definitions —
the report periods and months (`reports.periods`), the committee's on-time rule
(`committee.compliance.standings`, figured by `deadline.on_time_percent`), the complaints
awaiting an answer (`reports.complaints.AWAITING_ANSWER`) — and the sync health of every
laptop.

Every figure is counted by the database, grouped by branch (`hq_row.scope`) and a field of
the record's JSON, on PostgreSQL and SQLite alike; Python only reads the grouped rows.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa

from db.enums import FeedbackKind, FeedbackStatus, RequestStatus, ServiceType
from romah_desktop.services.committee.compliance import (
    MAY_STAND_ANSWERED,
    STANDINGS,
    counts,
    standings,
)
from romah_desktop.services.committee.deadline import ANSWERS
from romah_desktop.services.reports.complaints import AWAITING_ANSWER
from romah_desktop.services.reports.compliance import Compliance
from romah_desktop.services.reports.periods import Month, Period
from romah_desktop.services.reports.satisfaction import Ratings
from romah_desktop.services.reports.scope import (
    BranchChoice,
    ReportScope,
    month_of_moment,
    period_moments,
)
from romah_desktop.services.reports.services_delivered import ServiceLine
from sync.server.schema import hq_change, hq_device, hq_quarantine, hq_row
from sync.server.store import of_table, stored_field

# A laptop not heard from for longer than this is marked on the sync health table.
SILENT_AFTER = timedelta(days=3)
# A report finds its period's records by the index on their date (migration 0008) when the
# period covers less than this share of the days its records span; a longer one reads most
# of them, and reading the whole table (in parallel on PostgreSQL) is then quicker.
NARROW_BELOW = 0.5
_RATED = ("overall", "speed", "courtesy", "clarity")
_T = TypeVar("_T")


@dataclass(frozen=True)
class ComplaintCounts:
    """Complaints received in the period, suggestions received, and the complaints not
    closed by the period's end (however old), of them overdue today."""

    received: int = 0
    suggestions: int = 0
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class DeviceHealth:
    """One laptop as HQ last heard from it."""

    id: str
    name: str
    branch_id: str
    enrolled_at: datetime | None
    last_seen_at: datetime | None
    app_version: str | None
    waiting: int | None
    held: int
    revoked: bool
    silent: bool


@dataclass(frozen=True)
class HqDashboard:
    """Every figure of the dashboard, per branch (by id) and in total."""

    scope: ReportScope
    branches: list[BranchChoice]
    requests: dict[str, dict[RequestStatus, int]]
    requests_total: dict[RequestStatus, int]
    requests_by_month: list[tuple[Month, int]]
    amount_requested_halalas: int
    compliance: dict[str, Compliance]
    compliance_total: Compliance
    services: dict[str, ServiceLine]
    services_by_type: dict[ServiceType, ServiceLine]
    services_total: ServiceLine
    satisfaction: dict[str, Ratings]
    satisfaction_total: Ratings
    overall_counts: dict[int, int]
    complaints: dict[str, ComplaintCounts]
    complaints_total: ComplaintCounts
    complaints_by_status: dict[FeedbackStatus, int]
    devices: list[DeviceHealth] = field(default_factory=list)
    # When the figures were counted (UTC), HQ's data version they counted, and whether newer
    # changes have arrived since.
    counted_at: datetime | None = None
    head: int = 0
    behind: bool = False

    def branch_name(self, branch_id: str | None) -> str:
        for branch in self.branches:
            if branch.id == branch_id:
                return branch.name
        return branch_id or "—"


# --- reading the JSON fields ----------------------------------------------------------------


class _UtcText(sa.TypeDecorator[datetime]):
    """A stored timestamp as SQLite holds it in JSON (UTC ISO text, "2025-01-01T09:30:00…"):
    an instant compared with it is written the same way, so text order is time order."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return value


_SQL_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "text": sa.Text(),
    "day": sa.Date(),
    "moment": sa.DateTime(timezone=True),
    "number": sa.BigInteger(),
}


def records(
    postgres: bool,
    tables: dict[str, list[sa.ColumnElement[bool]]],
    fields: dict[str, str],
    branch_id: str | None,
) -> sa.CTE:
    """The live (not deleted) rows of the tables in the branch (None: every branch) as a
    table: `table_name`, `row_id`, `scope` and each of `fields` (name → "text", "day",
    "moment" or "number"), typed so dates and instants compare as such.

    Each table's rows are first narrowed by its conditions (on `stored_field`s, so the
    dashboard's indexes — migration 0008 — find them without reading every record), and
    only those records' JSON is read, once: on PostgreSQL by `json_to_record` (where `->>`
    would parse the whole document again for every field named), on SQLite by
    `json_extract` into a materialised table.
    """
    # The tables read whole are read in one pass; each narrowed one by its own conditions.
    whole = [of_table(table) for table, narrowed in tables.items() if not narrowed]
    wheres: list[list[sa.ColumnElement[bool]]] = [[sa.or_(*whole)]] if whole else []
    wheres += [[of_table(table), *narrowed] for table, narrowed in tables.items() if narrowed]
    parts = []
    for where in wheres:
        if branch_id is not None:
            where.append(hq_row.c.scope == branch_id)
        if postgres:
            record = (
                sa.func.json_to_record(hq_row.c.data)
                .table_valued(
                    *(sa.column(name, _SQL_TYPES[kind]) for name, kind in fields.items()),
                    sa.column("deleted_at", sa.Text()),
                )
                .render_derived(name="record", with_types=True)
            )
            columns = [record.c[name].label(name) for name in fields]
            parts.append(
                sa.select(hq_row.c.table_name, hq_row.c.row_id, hq_row.c.scope, *columns)
                .select_from(hq_row.join(record, sa.true()))
                .where(*where, record.c.deleted_at.is_(None))
            )
        else:
            columns = [_sqlite_field(name, kind).label(name) for name, kind in fields.items()]
            parts.append(
                sa.select(hq_row.c.table_name, hq_row.c.row_id, hq_row.c.scope, *columns).where(
                    *where, stored_field("deleted_at", postgres=False).is_(None)
                )
            )
    name = f"{next(iter(tables))}_records"
    chosen = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    if postgres:
        return chosen.cte(name)
    return chosen.cte(name).prefix_with("MATERIALIZED")


def _narrows(
    connection: sa.Connection, postgres: bool, table: str, name: str, first: date, last: date
) -> bool:
    """Whether the table's records from `first` to `last` by the field `name` are best found
    by the index on it: always on SQLite; on PostgreSQL when the period covers less than
    NARROW_BELOW of the days from the earliest record to the latest (two index probes)."""
    if not postgres:
        return True
    stored = stored_field(name, postgres=postgres)
    ends = []
    for end in (sa.func.min(stored), sa.func.max(stored)):
        found = sa.select(end).select_from(hq_row).where(of_table(table))
        value = connection.execute(found).scalar()
        try:
            ends.append(date.fromisoformat(str(value)[:10]))
        except ValueError:
            return True
    low, high = ends
    covered = (min(last, high) - max(first, low)).days + 1
    return covered < NARROW_BELOW * ((high - low).days + 1)


def _days(postgres: bool, name: str, first: date, last: date) -> list[sa.ColumnElement[bool]]:
    """A stored day field (ISO text) from `first` to `last`, as the index on it reads it."""
    stored = stored_field(name, postgres=postgres)
    return [stored >= first.isoformat(), stored <= last.isoformat()]


def _days_of(
    connection: sa.Connection, postgres: bool, table: str, name: str, period: Period
) -> list[sa.ColumnElement[bool]]:
    """The conditions that find the table's records of the period by the day field `name`
    (none when the period covers most of them: see `_narrows`)."""
    if not _narrows(connection, postgres, table, name, period.first, period.last):
        return []
    return _days(postgres, name, period.first, period.last)


def _moments(
    postgres: bool, name: str, start: datetime, end: datetime
) -> list[sa.ColumnElement[bool]]:
    """A stored instant field (ISO text, UTC) possibly in [start, end), as the index on it
    reads it: by its day, a day wider on each side (the exact test is the caller's)."""
    stored = stored_field(name, postgres=postgres)
    first = (start.astimezone(UTC).date() - timedelta(days=1)).isoformat()
    after = (end.astimezone(UTC).date() + timedelta(days=2)).isoformat()
    return [stored >= first, stored < after]


def _sqlite_field(name: str, kind: str) -> sa.ColumnElement[Any]:
    text = stored_field(name, postgres=False)
    if kind == "moment":
        return sa.type_coerce(text, _UtcText())
    return sa.type_coerce(text, _SQL_TYPES[kind])


def _key(value: Any) -> str:
    return "" if value is None else str(value)


# --- the reports ----------------------------------------------------------------------------


def branches(connection: sa.Connection, postgres: bool) -> list[BranchChoice]:
    """Every branch HQ knows, by code."""
    rows = connection.execute(
        sa.select(
            hq_row.c.row_id,
            stored_field("code", postgres=postgres),
            stored_field("name", postgres=postgres),
        ).where(of_table("branch"), stored_field("deleted_at", postgres=postgres).is_(None))
    ).all()
    found = [BranchChoice(str(r[0]), str(r[1] or ""), str(r[2] or r[1] or "")) for r in rows]
    return sorted(found, key=lambda b: b.code)


def requests_figures(
    connection: sa.Connection, postgres: bool, scope: ReportScope
) -> tuple[dict[str, dict[RequestStatus, int]], list[tuple[Month, int]], int]:
    """Requests received (created) in the period by branch and status today, per month, and
    the amount requested (halalas) — as the laptop's requests report counts them."""
    start, end = period_moments(scope.period)
    first, last = scope.period.first, scope.period.last
    narrow = _narrows(connection, postgres, "support_request", "created_at", first, last)
    rows_of = records(
        postgres,
        {"support_request": _moments(postgres, "created_at", start, end) if narrow else []},
        {"status": "text", "created_at": "moment", "amount_requested_halalas": "number"},
        scope.branch_id,
    )
    months = scope.months
    bucket = month_of_moment(rows_of.c.created_at, months).label("month")
    rows = connection.execute(
        sa.select(
            rows_of.c.scope,
            rows_of.c.status,
            bucket,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(rows_of.c.amount_requested_halalas), 0),
        )
        .where(rows_of.c.created_at >= start, rows_of.c.created_at < end)
        .group_by(rows_of.c.scope, rows_of.c.status, bucket)
    ).all()
    per_branch: dict[str, dict[RequestStatus, int]] = {}
    per_month: dict[str, int] = {}
    amount = 0
    for branch_id, state, month, count, requested in rows:
        line = per_branch.setdefault(_key(branch_id), {s: 0 for s in RequestStatus})
        if state in set(RequestStatus):
            line[RequestStatus(state)] += int(count)
        per_month[month] = per_month.get(month, 0) + int(count)
        amount += int(requested or 0)
    return per_branch, [(m, per_month.get(m.key, 0)) for m in months], amount


def compliance_figures(
    connection: sa.Connection, postgres: bool, scope: ReportScope
) -> dict[str, Compliance]:
    """What became of the requests whose answer fell due in the period, by branch, by the
    committee's rule the laptops use (`committee.compliance.standings`)."""
    first, last = scope.period.first, scope.period.last
    if _narrows(connection, postgres, "support_request", "committee_due_on", first, last):
        due = _due_looked_up(postgres, scope)
    else:
        due = _due_in_one_pass(postgres, scope)
    rows = connection.execute(
        sa.select(due.c.scope, *counts(standings(due, scope.today))).group_by(due.c.scope)
    ).all()
    return {_key(r[0]): Compliance(*(int(n or 0) for n in r[1:])) for r in rows}


def _due_looked_up(postgres: bool, scope: ReportScope) -> sa.CTE:
    """The requests whose answer fell due in the period (found by the index on the due
    date), and each one's first answer, looked up by request."""
    due_in_period = _days(postgres, "committee_due_on", scope.period.first, scope.period.last)
    requests = records(
        postgres,
        {"support_request": due_in_period},
        {"status": "text", "committee_due_on": "day"},
        scope.branch_id,
    )
    # Each request's first answer (approval or rejection), of the decisions on them only
    # (each request's found by the index on `request_id`).
    request_id = stored_field("request_id", postgres=postgres)
    decisions = records(
        postgres,
        {"committee_decision": [request_id.in_(sa.select(requests.c.row_id))]},
        {"request_id": "text", "outcome": "text", "decided_on": "day"},
        scope.branch_id,
    )
    first_answers = (
        sa.select(
            decisions.c.request_id,
            sa.func.min(decisions.c.decided_on).label("first_answer"),
        )
        .where(decisions.c.outcome.in_(sorted(ANSWERS)))
        .group_by(decisions.c.request_id)
        .cte("first_answers")
    )
    due = (
        sa.select(
            requests.c.scope,
            requests.c.status,
            requests.c.committee_due_on.label("due_on"),
            sa.case(
                (
                    requests.c.status.in_([s.value for s in MAY_STAND_ANSWERED]),
                    first_answers.c.first_answer,
                ),
                else_=sa.null(),
            ).label("answered_on"),
        )
        .select_from(
            requests.outerjoin(first_answers, first_answers.c.request_id == requests.c.row_id)
        )
        .where(
            requests.c.committee_due_on >= scope.period.first,
            requests.c.committee_due_on <= scope.period.last,
            requests.c.status != RequestStatus.DRAFT.value,
        )
        .cte("due")
    )
    return due


def _due_in_one_pass(postgres: bool, scope: ReportScope) -> sa.CTE:
    """The requests whose answer fell due in the period, and each one's first answer: one
    pass over every request and every decision, grouped by request (no join, so no plan
    that depends on guessing how many rows a JSON field selects)."""
    rows_of = records(
        postgres,
        {"support_request": [], "committee_decision": []},
        {
            "status": "text",
            "committee_due_on": "day",
            "request_id": "text",
            "outcome": "text",
            "decided_on": "day",
        },
        scope.branch_id,
    )
    is_request = rows_of.c.table_name == "support_request"
    answers = sa.and_(
        rows_of.c.table_name == "committee_decision",
        rows_of.c.outcome.in_(sorted(ANSWERS)),
    )
    request_key = sa.case((is_request, rows_of.c.row_id), else_=rows_of.c.request_id)
    per_request = (
        sa.select(
            sa.func.max(sa.case((is_request, rows_of.c.scope))).label("scope"),
            sa.func.max(sa.case((is_request, rows_of.c.status))).label("status"),
            sa.func.max(sa.case((is_request, rows_of.c.committee_due_on))).label("due_on"),
            sa.func.min(sa.case((answers, rows_of.c.decided_on))).label("first_answer"),
        )
        .group_by(request_key)
        .cte("per_request")
    )
    return (
        sa.select(
            per_request.c.scope,
            per_request.c.status,
            per_request.c.due_on,
            sa.case(
                (
                    per_request.c.status.in_([s.value for s in MAY_STAND_ANSWERED]),
                    per_request.c.first_answer,
                ),
                else_=sa.null(),
            ).label("answered_on"),
        )
        .where(
            per_request.c.due_on >= scope.period.first,
            per_request.c.due_on <= scope.period.last,
            per_request.c.status != RequestStatus.DRAFT.value,
        )
        .cte("due")
    )


def services_figures(
    connection: sa.Connection, postgres: bool, scope: ReportScope
) -> tuple[dict[str, ServiceLine], dict[ServiceType, ServiceLine], ServiceLine]:
    """Services delivered in the period: by branch, by type and in total (deliveries,
    amount in halalas, people served)."""
    rows_of = records(
        postgres,
        {
            "service_delivery": _days_of(
                connection, postgres, "service_delivery", "delivered_on", scope.period
            )
        },
        {
            "service_type": "text",
            "beneficiary_id": "text",
            "amount_halalas": "number",
            "delivered_on": "day",
        },
        scope.branch_id,
    )
    rows = (
        sa.select(
            rows_of.c.scope.label("branch"),
            rows_of.c.service_type.label("kind"),
            rows_of.c.beneficiary_id.label("person"),
            rows_of.c.amount_halalas.label("amount"),
        )
        .where(
            rows_of.c.delivered_on >= scope.period.first,
            rows_of.c.delivered_on <= scope.period.last,
        )
        .cte("delivered")
        .prefix_with("MATERIALIZED")
    )

    def figures(group: str, key: Any) -> sa.Select[Any]:
        return sa.select(
            sa.literal(group).label("grouping"),
            sa.cast(key, sa.String).label("key"),
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(rows.c.amount), 0),
            sa.func.count(sa.distinct(rows.c.person)),
        )

    everything = sa.union_all(
        figures("total", sa.literal("")),
        figures("branch", rows.c.branch).group_by(rows.c.branch),
        figures("kind", rows.c.kind).group_by(rows.c.kind),
    )
    total = ServiceLine()
    per_branch: dict[str, ServiceLine] = {}
    per_kind: dict[ServiceType, ServiceLine] = {kind: ServiceLine() for kind in ServiceType}
    for grouping, key, count, amount, people in connection.execute(everything):
        line = ServiceLine(int(count), int(amount or 0), int(people))
        if grouping == "total":
            total = line
        elif grouping == "branch":
            per_branch[_key(key)] = line
        elif key in set(ServiceType):
            per_kind[ServiceType(key)] = line
    return per_branch, per_kind, total


class _Sums:
    def __init__(self) -> None:
        self.surveys = 0
        self.sums = [0, 0, 0, 0]
        self.counts = [0, 0, 0, 0]

    def add(self, surveys: int, figures: list[Any]) -> None:
        self.surveys += surveys
        for index in range(4):
            self.sums[index] += int(figures[index] or 0)
            self.counts[index] += int(figures[4 + index] or 0)

    def ratings(self) -> Ratings:
        averages = [None if n == 0 else s / n for s, n in zip(self.sums, self.counts, strict=True)]
        return Ratings(self.surveys, *averages)


def satisfaction_figures(
    connection: sa.Connection, postgres: bool, scope: ReportScope
) -> tuple[dict[str, Ratings], Ratings, dict[int, int]]:
    """Surveys collected in the period: average ratings by branch and in total, and how
    many gave each overall rating. Never by member of staff."""
    rows_of = records(
        postgres,
        {
            "satisfaction_survey": _days_of(
                connection, postgres, "satisfaction_survey", "collected_on", scope.period
            )
        },
        {**dict.fromkeys(_RATED, "number"), "collected_on": "day"},
        scope.branch_id,
    )
    rated = [rows_of.c[name] for name in _RATED]
    rows = connection.execute(
        sa.select(
            rows_of.c.scope,
            rows_of.c.overall,
            sa.func.count(),
            *(sa.func.sum(c) for c in rated),
            *(sa.func.count(c) for c in rated),
        )
        .where(
            rows_of.c.collected_on >= scope.period.first,
            rows_of.c.collected_on <= scope.period.last,
        )
        .group_by(rows_of.c.scope, rows_of.c.overall)
    ).all()
    total = _Sums()
    per_branch: dict[str, _Sums] = {}
    overall_counts = {rating: 0 for rating in range(1, 6)}
    for branch_id, rating, count, *figures in rows:
        per_branch.setdefault(_key(branch_id), _Sums()).add(int(count), figures)
        total.add(int(count), figures)
        if rating is not None and int(rating) in overall_counts:
            overall_counts[int(rating)] += int(count)
    return {k: v.ratings() for k, v in per_branch.items()}, total.ratings(), overall_counts


def complaints_figures(
    connection: sa.Connection, postgres: bool, scope: ReportScope
) -> tuple[dict[str, ComplaintCounts], dict[FeedbackStatus, int]]:
    """Complaints received in the period (by status) and suggestions, and the complaints
    not closed by the period's end, of them overdue today — as the laptop's report counts."""
    last = scope.period.last
    received_by_then: list[sa.ColumnElement[bool]] = []
    if _narrows(connection, postgres, "feedback", "received_on", date.min, last):
        received_by_then.append(stored_field("received_on", postgres=postgres) <= last.isoformat())
    rows_of = records(
        postgres,
        {"feedback": received_by_then},
        {"kind": "text", "status": "text", "received_on": "day", "due_on": "day"},
        scope.branch_id,
    )
    received_on = rows_of.c.received_on
    status = rows_of.c.status
    complaint = rows_of.c.kind == FeedbackKind.COMPLAINT.value
    in_period = sa.and_(received_on >= scope.period.first, received_on <= scope.period.last)
    still_open = sa.and_(complaint, status != FeedbackStatus.CLOSED.value)
    late = sa.and_(
        still_open,
        status.in_([s.value for s in AWAITING_ANSWER]),
        rows_of.c.due_on.is_not(None),
        rows_of.c.due_on < scope.today,
    )

    def when(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    rows = connection.execute(
        sa.select(
            rows_of.c.scope,
            status,
            when(sa.and_(complaint, in_period)),
            when(sa.and_(~complaint, in_period)),
            when(still_open),
            when(late),
        )
        .where(received_on <= scope.period.last)
        .group_by(rows_of.c.scope, status)
    ).all()
    per_branch: dict[str, list[int]] = {}
    by_status = {s: 0 for s in FeedbackStatus}
    for branch_id, state_value, received, suggestions, still, overdue in rows:
        line = per_branch.setdefault(_key(branch_id), [0, 0, 0, 0])
        for index, value in enumerate((received, suggestions, still, overdue)):
            line[index] += int(value or 0)
        if state_value in set(FeedbackStatus):
            by_status[FeedbackStatus(state_value)] += int(received or 0)
    return {k: ComplaintCounts(*v) for k, v in per_branch.items()}, by_status


def device_health(
    connection: sa.Connection, now: datetime, branch_id: str | None = None
) -> list[DeviceHealth]:
    """Every laptop: its branch, last sync, app version, changes waiting on it, changes HQ
    holds in quarantine, and whether it has been silent longer than SILENT_AFTER."""
    held = (
        sa.select(hq_quarantine.c.device_id, sa.func.count().label("held"))
        .where(hq_quarantine.c.settled.is_(None))
        .group_by(hq_quarantine.c.device_id)
        .subquery()
    )
    query = (
        sa.select(hq_device, sa.func.coalesce(held.c.held, 0).label("held"))
        .select_from(hq_device.outerjoin(held, held.c.device_id == hq_device.c.id))
        .order_by(hq_device.c.branch_id, hq_device.c.name)
    )
    if branch_id is not None:
        query = query.where(hq_device.c.branch_id == branch_id)
    found = []
    for row in connection.execute(query).mappings():
        seen = _aware(row["last_seen_at"])
        revoked = row["revoked_at"] is not None
        found.append(
            DeviceHealth(
                id=row["id"],
                name=row["name"],
                branch_id=row["branch_id"],
                enrolled_at=_aware(row["enrolled_at"]),
                last_seen_at=seen,
                app_version=row["app_version"],
                waiting=row["waiting"],
                held=int(row["held"]),
                revoked=revoked,
                silent=not revoked and (seen is None or now - seen > SILENT_AFTER),
            )
        )
    return found


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# How old the figures may be while laptops keep syncing: with fifty laptops a change lands
# every few seconds, and counting two years of every branch takes a second or more, so a view
# within this many seconds of the last count shows that count (the page says when it was
# made, and that newer changes have arrived, with a button to count them now). Figures
# counted at HQ's current data version are exact and are shown however old.
FRESH_FOR_SECONDS = 60.0  # the page says "at most once a minute"
# A view of figures older than this, with newer changes at HQ, has them counted again in the
# background, so the next view after FRESH_FOR_SECONDS finds them counted.
RECOUNT_AHEAD_SECONDS = 30.0
_CACHE_SIZE = 32


@dataclass
class _Kept:
    board: HqDashboard
    at: float  # time.monotonic() when the count began


@dataclass
class _Figures:
    """One database's figures last counted, by scope, and the counts under way."""

    kept: OrderedDict[ReportScope, _Kept] = field(default_factory=OrderedDict)
    counting: dict[ReportScope, Future[_Kept]] = field(default_factory=dict)


_figures: weakref.WeakKeyDictionary[sa.Engine, _Figures] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard-recount")
_log = logging.getLogger(__name__)


def dashboard(
    engine: sa.Engine, scope: ReportScope, now: datetime | None = None, *, exact: bool = False
) -> HqDashboard:
    """Every figure of the dashboard for the scope, and the laptops' sync health as of now.

    The figures are those last counted for the same scope if HQ's data has not changed since,
    or (unless `exact`) if they were counted less than FRESH_FOR_SECONDS ago; otherwise they
    are counted now. `counted_at` says when, `behind` whether newer changes have arrived."""
    with engine.connect() as connection:
        head = _head(connection)
        devices = device_health(connection, now or datetime.now(UTC), scope.branch_id)
    with _lock:
        figures = _figures.setdefault(engine, _Figures())
        kept = figures.kept.get(scope)
    age = None if kept is None else time.monotonic() - kept.at
    if kept is not None and age is not None:
        if kept.board.head >= head or (not exact and age < FRESH_FOR_SECONDS):
            if kept.board.head < head and age >= RECOUNT_AHEAD_SECONDS:
                _recount_later(engine, scope)
            return replace(kept.board, devices=devices, behind=kept.board.head < head)
    counted = _count_once(engine, scope, head)
    return replace(counted.board, devices=devices, behind=counted.board.head < head)


def _head(connection: sa.Connection) -> int:
    """HQ's data version: the last numbered change."""
    return int(connection.execute(sa.select(sa.func.max(hq_change.c.seq))).scalar() or 0)


def _count_once(engine: sa.Engine, scope: ReportScope, head: int) -> _Kept:
    """The scope's figures counted at HQ's data version `head` or later: by this thread, or
    by the count of the same scope already under way if it started late enough."""
    while True:
        with _lock:
            figures = _figures.setdefault(engine, _Figures())
            running = figures.counting.get(scope)
            if running is None:
                mine: Future[_Kept] = Future()
                figures.counting[scope] = mine
        if running is None:
            break
        try:
            found = running.result()
        except Exception:  # noqa: BLE001 — the other count's failure is its own; count here
            found = None
        if found is not None and found.board.head >= head:
            return found
    try:
        started = time.monotonic()
        with engine.connect() as connection:
            counted_head = _head(connection)
        board = count_figures(engine, scope)
        kept = _Kept(replace(board, head=counted_head, counted_at=datetime.now(UTC)), started)
    except BaseException as exc:
        with _lock:
            figures.counting.pop(scope, None)
        mine.set_exception(exc)
        raise
    with _lock:
        figures.counting.pop(scope, None)
        figures.kept[scope] = kept
        figures.kept.move_to_end(scope)
        while len(figures.kept) > _CACHE_SIZE:
            figures.kept.popitem(last=False)
    mine.set_result(kept)
    return kept


def _recount_later(engine: sa.Engine, scope: ReportScope) -> None:
    """Count the scope's figures again in the background (unless a count is under way)."""
    with _lock:
        figures = _figures.get(engine)
        if figures is None or scope in figures.counting:
            return

    def recount() -> None:
        try:
            with engine.connect() as connection:
                head = _head(connection)
            _count_once(engine, scope, head)
        except Exception:  # noqa: BLE001 — the next view counts them itself
            _log.warning("the dashboard's figures could not be counted ahead", exc_info=True)

    _background.submit(recount)


def forget_figures() -> None:
    """Forget every figure counted so far (the next view counts them again)."""
    with _lock:
        for figures in _figures.values():
            figures.kept.clear()


def count_figures(engine: sa.Engine, scope: ReportScope) -> HqDashboard:
    """Every figure of the dashboard but the laptops' sync health, counted now. On
    PostgreSQL the reports are counted side by side, each on a connection of its own."""
    postgres = engine.dialect.name == "postgresql"

    def run(report: Callable[[sa.Connection, bool, ReportScope], _T]) -> _T:
        with engine.connect() as connection:
            return report(connection, postgres, scope)

    def known(connection: sa.Connection, postgres: bool, _scope: ReportScope) -> list[BranchChoice]:
        return branches(connection, postgres)

    reports: tuple[Callable[[sa.Connection, bool, ReportScope], Any], ...] = (
        known,
        requests_figures,
        compliance_figures,
        services_figures,
        satisfaction_figures,
        complaints_figures,
    )
    if postgres:
        with ThreadPoolExecutor(max_workers=len(reports)) as pool:
            results = list(pool.map(run, reports))
    else:
        results = [run(report) for report in reports]
    found, requests_part, compliance, services_part, satisfaction_part, complaints_part = results
    requests, by_month, amount = requests_part
    services, by_type, services_total = services_part
    satisfaction, satisfaction_total, overall_counts = satisfaction_part
    complaints, complaints_by_status = complaints_part
    requests_total = {s: sum(line[s] for line in requests.values()) for s in RequestStatus}
    compliance_total = Compliance(
        *(sum(getattr(c, name) for c in compliance.values()) for name in STANDINGS)
    )
    complaints_total = ComplaintCounts(
        *(sum(getattr(c, name) for c in complaints.values()) for name in COMPLAINT_FIELDS)
    )
    return HqDashboard(
        scope=scope,
        branches=found,
        requests=requests,
        requests_total=requests_total,
        requests_by_month=by_month,
        amount_requested_halalas=amount,
        compliance=compliance,
        compliance_total=compliance_total,
        services=services,
        services_by_type=by_type,
        services_total=services_total,
        satisfaction=satisfaction,
        satisfaction_total=satisfaction_total,
        overall_counts=overall_counts,
        complaints=complaints,
        complaints_total=complaints_total,
        complaints_by_status=complaints_by_status,
    )


# The counts of a ComplaintCounts, in its order.
COMPLAINT_FIELDS = ("received", "suggestions", "open", "overdue")


def shown_branches(board: HqDashboard) -> list[BranchChoice]:
    """The branches the dashboard's tables list: the chosen one, or every branch."""
    if board.scope.branch_id is None:
        return board.branches
    return [b for b in board.branches if b.id == board.scope.branch_id]


def riyals(halalas: int) -> str:
    """An amount in halalas as riyals with two decimals and thousands separators."""
    return f"{halalas / 100:,.2f}"
