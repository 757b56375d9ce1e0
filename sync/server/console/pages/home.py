"""The console's first page after signing in: the dashboard across branches, for a period
chosen as the laptops choose one (a Hijri month or year, a Gregorian month, or two dates),
with an Excel file of each report."""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from romah_desktop.dates import GREGORIAN_MAX, GREGORIAN_MIN, HIJRI_MAX, HIJRI_MIN, to_hijri_parts
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.services.reports.compliance import Compliance
from romah_desktop.services.reports.excel import write_tables_xlsx
from romah_desktop.services.reports.periods import (
    MonthCalendar,
    Period,
    gregorian_month,
    gregorian_month_name,
    hijri_month,
    hijri_year_period,
    parse_period,
)
from romah_desktop.services.reports.scope import BranchChoice, ReportScope
from romah_desktop.services.reports.services_delivered import ServiceLine
from romah_desktop.services.reports.writing import Table
from sync.server.console import dashboard as figures
from sync.server.console import report_tables as tables
from sync.server.console.audit import record
from sync.server.console.web import Forbidden, console_of, language

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("hijri_month", "hijri_year", "gregorian_month", "dates")
_TITLES = {
    "requests": N_("Support requests report"),
    "compliance": N_("Compliance with the committee's deadline"),
    "services": N_("Services delivered report"),
    "satisfaction": N_("Beneficiary satisfaction report"),
    "complaints": N_("Complaints report"),
    "devices": N_("Sync health of the laptops"),
}
# The longest bar of a chart, in pixels.
BAR_MAX = 240


@dataclass(frozen=True)
class Choice:
    """The period and branch the page was asked for, as the form holds them."""

    kind: str
    year: int
    month: int
    first: str
    last: str
    branch: str

    def query(self, **extra: str) -> str:
        fields = {
            "kind": self.kind,
            "year": str(self.year),
            "month": str(self.month),
            "first": self.first,
            "last": self.last,
            "branch": self.branch,
            **extra,
        }
        return urlencode({k: v for k, v in fields.items() if v})


def _number(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def choice_of(request: Request, today: date) -> Choice:
    params = request.query_params
    kind = params.get("kind", "hijri_month")
    if kind not in KINDS:
        kind = "hijri_month"
    hijri_year, hijri_month_number, _day = to_hijri_parts(today)
    calendar_year = today.year if kind == "gregorian_month" else hijri_year
    calendar_month = today.month if kind == "gregorian_month" else hijri_month_number
    return Choice(
        kind=kind,
        year=_number(params.get("year"), calendar_year),
        month=_number(params.get("month"), calendar_month),
        first=params.get("first", "").strip()[:20],
        last=params.get("last", "").strip()[:20],
        branch=params.get("branch", "").strip()[:36],
    )


def period_of(choice: Choice) -> tuple[Period, MonthCalendar]:
    """The chosen period and the calendar its months are counted in. Raises
    ValidationError for a month, year or date the calendars do not have."""
    if choice.kind == "hijri_month":
        return hijri_month(choice.year, choice.month).period, MonthCalendar.HIJRI
    if choice.kind == "hijri_year":
        return hijri_year_period(choice.year), MonthCalendar.HIJRI
    if choice.kind == "gregorian_month":
        return gregorian_month(choice.year, choice.month).period, MonthCalendar.GREGORIAN
    return parse_period(choice.first, choice.last), MonthCalendar.GREGORIAN


def _today() -> date:
    return datetime.now(UTC).astimezone().date()


def _scope(request: Request, today: date) -> tuple[Choice, ReportScope | None, str | None]:
    """The choice and the scope it names (None, with the problem, for a choice the calendars
    do not have)."""
    choice = choice_of(request, today)
    try:
        period, calendar = period_of(choice)
    except ValidationError as exc:
        return choice, None, exc.text(language(request))
    return choice, ReportScope(period, choice.branch or None, None, today, calendar), None


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    width: int


def bars(items: list[tuple[str, float, str]]) -> list[Bar]:
    """A chart's bars: each (label, value, value as shown), the longest BAR_MAX pixels."""
    top = max((value for _label, value, _text in items), default=0) or 1
    return [
        Bar(name, text, max(1, round(value / top * BAR_MAX)) if value > 0 else 0)
        for name, value, text in items
    ]


def charts(board: figures.HqDashboard, lang: str) -> dict[str, list[tuple[str, list[Bar]]]]:
    """Each report's charts: a title and its bars."""

    def t(text: str, **params: Any) -> str:
        return translate(text, lang, **params)

    shown = figures.shown_branches(board)
    requests = [(label(s, lang), float(n), str(n)) for s, n in board.requests_total.items()]
    months = [(m.label(lang), float(n), str(n)) for m, n in board.requests_by_month]
    on_time = []
    for b in shown:
        share = board.compliance.get(b.id, Compliance()).on_time_share
        on_time.append((b.name, share or 0.0, "—" if share is None else f"{share:.1f} %"))
    amounts = []
    for b in shown:
        line = board.services.get(b.id, ServiceLine())
        amounts.append((b.name, float(line.amount_halalas), figures.riyals(line.amount_halalas)))
    ratings = [(str(n), float(c), str(c)) for n, c in sorted(board.overall_counts.items())]
    complaints = []
    for b in shown:
        c = board.complaints.get(b.id, figures.ComplaintCounts())
        complaints.append((b.name, float(c.open), str(c.open)))
    return {
        "requests": [
            (t(N_("Requests by status")), bars(requests)),
            (t(N_("Requests by month")), bars(months)),
        ],
        "compliance": [(t(N_("Answered by the due date (%)")), bars(on_time))],
        "services": [(t(N_("Amount in riyals")), bars(amounts))],
        "satisfaction": [(t(N_("Overall ratings given")), bars(ratings))],
        "complaints": [(t(N_("Complaints not closed (any date)")), bars(complaints))],
        "devices": [],
    }


def _years(kind: str) -> tuple[int, int]:
    if kind == "gregorian_month":
        return GREGORIAN_MIN.year, GREGORIAN_MAX.year
    return HIJRI_MIN[0], HIJRI_MAX[0]


@router.get("/")
async def home(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.VIEW_REPORTS)
    lang = language(request)
    today = _today()
    choice, scope, problem = _scope(request, today)
    board = None
    if scope is not None:
        # "Count the figures now": with every change HQ holds, not the count of the last
        # minute (see figures.FRESH_FOR_SECONDS).
        exact = request.query_params.get("exact") == "1"
        board = await run_in_threadpool(
            functools.partial(figures.dashboard, ctx.hub.engine, scope, exact=exact)
        )
    if board is None:
        known = await run_in_threadpool(_branches, ctx)
    else:
        known = board.branches
    sections = []
    if board is not None:
        drawn = charts(board, lang)
        for report in tables.REPORTS:
            sections.append(
                {
                    "key": report,
                    "title": translate(_TITLES[report], lang),
                    "tables": tables.report_tables(board, report, lang),
                    "charts": drawn[report],
                    "export": choice.query(report=report),
                }
            )
    hijri_names = [(n, hijri_month(1446, n).label(lang).rsplit(" ", 1)[0]) for n in range(1, 13)]
    gregorian_names = [(n, gregorian_month_name(n, lang)) for n in range(1, 13)]
    return ctx.render(
        request,
        user,
        "home.html",
        choice=choice,
        kinds=[
            ("hijri_month", translate(N_("Hijri month"), lang)),
            ("hijri_year", translate(N_("Hijri year"), lang)),
            ("gregorian_month", translate(N_("Gregorian month"), lang)),
            ("dates", translate(N_("Between two dates"), lang)),
        ],
        month_names=gregorian_names if choice.kind == "gregorian_month" else hijri_names,
        years=_years(choice.kind),
        branches=known,
        board=board,
        scope=scope,
        reports=sections,
        period_problem=problem,
        devices=board.devices if board else [],
        silent_days=figures.SILENT_AFTER.days,
        device_state=lambda d: tables.device_state(d, lang),
        branch_name=(board.branch_name if board else lambda b: b),
        riyals=figures.riyals,
        count_now=choice.query(exact="1"),
    )


def _branches(ctx: Any) -> list[BranchChoice]:
    with ctx.hub.engine.connect() as connection:
        return figures.branches(connection, ctx.hub.postgres)


@router.get("/export")
async def export(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.EXPORT_DATA)
    lang = language(request)
    report = request.query_params.get("report", "")
    if report not in tables.REPORTS:
        raise Forbidden(N_("There is no such report."))
    choice, scope, problem = _scope(request, _today())
    if scope is None:
        raise Forbidden(N_("The report's period is not valid: {problem}"), problem=problem or "")
    # A file is kept and passed on: its figures are counted at HQ's data as it is now.
    board = await run_in_threadpool(
        functools.partial(figures.dashboard, ctx.hub.engine, scope, exact=True)
    )
    sheets = tables.report_tables(board, report, lang)
    data = await run_in_threadpool(_workbook, sheets, lang)

    def audited() -> None:
        with ctx.hub.engine.begin() as connection:
            record(
                connection,
                user.username,
                "export_report",
                report,
                user_id=user.id,
                first=scope.period.first.isoformat(),
                last=scope.period.last.isoformat(),
                branch=scope.branch_id,
            )

    await run_in_threadpool(audited)
    name = f"{report}-{scope.period.first.isoformat()}-{scope.period.last.isoformat()}.xlsx"
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _workbook(tables: list[Table], lang: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        write_tables_xlsx(path, tables, lang)
        return path.read_bytes()
