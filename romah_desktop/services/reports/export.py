"""Reports written to a file: the tables of each report (a sheet each in Excel, a section
each in a PDF), and the list of a period's requests, one row each.

The writers live beside this module (`excel`, `pdf`), with what they share (`writing`): a
file reaches the disk whole or not at all. Exports report their progress and can be
cancelled between rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from db.enums import RequestType
from romah_desktop.dates import format_dual, to_hijri
from romah_desktop.grammar import DAY, count_phrase, range_phrase
from romah_desktop.i18n import N_, current_language, translate
from romah_desktop.labels import label
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.complaints import ComplaintsReport, complaints_report
from romah_desktop.services.reports.compliance import (
    Compliance,
    ComplianceReport,
    compliance_report,
)
from romah_desktop.services.reports.dashboard import Dashboard
from romah_desktop.services.reports.decision_time import (
    DayGroup,
    DecisionTimeReport,
    decision_time_report,
)
from romah_desktop.services.reports.excel import Workbook, write_tables_xlsx
from romah_desktop.services.reports.pdf import PDF_LANGUAGE, write_tables_pdf
from romah_desktop.services.reports.periods import MonthCalendar
from romah_desktop.services.reports.request_list import (
    RequestListRow,
    count_request_list,
    request_list,
)
from romah_desktop.services.reports.requests import RequestsReport, requests_report
from romah_desktop.services.reports.satisfaction import (
    Ratings,
    SatisfactionReport,
    satisfaction_report,
)
from romah_desktop.services.reports.scope import ReportScope
from romah_desktop.services.reports.services_delivered import (
    ServiceLine,
    ServicesReport,
    services_report,
)
from romah_desktop.services.reports.writing import (
    PROGRESS_STEP,
    Cancelled,
    Progress,
    Table,
    check_cancelled,
    check_suffix,
)


class ReportKind(StrEnum):
    """What `romah report KIND` and the Reports page export."""

    DASHBOARD = "dashboard"
    REQUESTS = "requests"
    DECISION_TIME = "decision-time"
    COMPLIANCE = "compliance"
    SERVICES = "services"
    SATISFACTION = "satisfaction"
    COMPLAINTS = "complaints"
    REQUEST_LIST = "request-list"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    tables: int
    rows: int


# --- the tables -------------------------------------------------------------------------------


def _riyals(halalas: int | None) -> float | None:
    return None if halalas is None else halalas / 100


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def scope_facts(scope: ReportScope, actor: Actor, lang: str) -> list[tuple[str, str]]:
    """What a report covers, as (label, value) lines for its summary."""

    def t(text: str) -> str:
        return translate(text, lang)

    calendar = (
        t("Hijri (Umm al-Qura) months")
        if scope.calendar is MonthCalendar.HIJRI
        else t("Gregorian months")
    )
    return [
        (t("Period covered"), scope.period.text()),
        (t("Branch office"), scope.branch_name or t("All branches together")),
        (t("Trends counted by"), calendar),
        (t("Prepared on"), format_dual(date.today())),
        (t("Prepared by"), actor.full_name),
    ]


def _summary(scope: ReportScope, actor: Actor, title: str, lang: str) -> Table:
    return Table(
        "summary",
        translate("Report summary", lang),
        [translate("What is reported", lang), translate("Figure", lang)],
        [
            [translate("Report title", lang), title],
            *[[k, v] for k, v in scope_facts(scope, actor, lang)],
        ],
    )


def requests_tables(report: RequestsReport, lang: str) -> list[Table]:
    def t(text: str) -> str:
        return translate(text, lang)

    def counted(key: str, title: str, items: Iterable[tuple[Any, int]], first: str) -> Table:
        return Table(
            key,
            title,
            [first, t("Number of requests"), t("Share of the total (%)")],
            [[label(k, lang), n, _share(n, report.total)] for k, n in items]
            + [[t("All together"), report.total, _share(report.total, report.total)]],
        )

    return [
        counted(
            "requests_by_status",
            t("Requests by status"),
            report.by_status.items(),
            t("Status today"),
        ),
        counted(
            "requests_by_channel",
            t("Requests by channel"),
            report.by_channel.items(),
            t("Channel of contact"),
        ),
        counted(
            "requests_by_type", t("Requests by type"), report.by_type.items(), t("Type of request")
        ),
        Table(
            "requests_by_month",
            t("Requests by month"),
            [t("Calendar month"), t("Number of requests")],
            [[m.label(lang), n] for m, n in report.by_month],
        ),
    ]


def day_group_label(group: DayGroup, lang: str | None = None) -> str:
    """ "0–3 days", or "31 days or more" for the open-ended group (the noun agreeing with the
    count in Arabic: «0–3 أيام», «31 يومًا فأكثر»)."""
    if group.last is None:
        return translate("{days} or more", lang, days=count_phrase(group.first, DAY, lang))
    return range_phrase(group.first, group.last, DAY, lang)


def decision_time_tables(report: DecisionTimeReport, lang: str) -> list[Table]:
    def t(text: str) -> str:
        return translate(text, lang)

    summary: list[list[Any]] = [
        [t("Requests answered in the period"), report.answered],
        [t("Median days to the answer"), _rounded(report.median_days, 1)],
        [t("90th percentile (days)"), report.p90_days],
        [t("Average days to the answer"), _rounded(report.mean_days, 1)],
        *[[label(outcome, lang), n] for outcome, n in report.by_outcome.items()],
        [t("Requests returned for more information"), report.returned_for_information],
    ]
    return [
        Table(
            "decision_time",
            t("Time to the committee's answer"),
            [t("What is reported"), t("Figure")],
            summary,
        ),
        Table(
            "decision_time_groups",
            t("Days to the answer"),
            [
                t("Days from submission to the answer"),
                t("Number of requests"),
                t("Share of the total (%)"),
            ],
            [
                [day_group_label(g, lang), g.count, _share(g.count, report.answered)]
                for g in report.groups
            ],
        ),
    ]


def compliance_headers(lang: str) -> list[str]:
    return [
        translate(text, lang)
        for text in (
            N_("Answered by the due date"),
            N_("Answered after the due date"),
            N_("Unanswered, past the due date"),
            N_("Unanswered, not yet due"),
            N_("Returned for information (clock paused)"),
            N_("Withdrawn unanswered"),
            N_("Answers due in all"),
            N_("Answered by the due date (%)"),
        )
    ]


def _compliance_row(c: Compliance) -> list[Any]:
    return [
        c.on_time,
        c.late,
        c.open_overdue,
        c.open_not_due,
        c.paused,
        c.withdrawn,
        c.due,
        _rounded(c.on_time_share, 1),
    ]


def compliance_tables(report: ComplianceReport, lang: str) -> list[Table]:
    t = functools.partial(translate, lang=lang)
    return [
        Table(
            "compliance",
            t("Compliance with the committee's deadline"),
            [t("Month the answer was due"), *compliance_headers(lang)],
            [[m.label(lang), *_compliance_row(c)] for m, c in report.by_month]
            + [[t("All together"), *_compliance_row(report.total)]],
        )
    ]


def services_tables(report: ServicesReport, lang: str) -> list[Table]:
    t = functools.partial(translate, lang=lang)
    headers = [t("Number of deliveries"), t("Amount in riyals"), t("People served")]

    def line(s: ServiceLine) -> list[Any]:
        return [s.deliveries, _riyals(s.amount_halalas), s.people]

    return [
        Table(
            "services_by_type",
            t("Services delivered by type"),
            [t("Service"), *headers],
            [[label(k, lang), *line(s)] for k, s in report.by_type.items()]
            + [[t("All together"), *line(report.total)]],
        ),
        Table(
            "services_by_month",
            t("Services delivered by month"),
            [t("Calendar month"), *headers],
            [[m.label(lang), *line(s)] for m, s in report.by_month],
        ),
    ]


def rating_headers(lang: str) -> list[str]:
    return [
        translate(text, lang)
        for text in (
            N_("Number of surveys"),
            N_("Overall (1–5)"),
            N_("Speed (1–5)"),
            N_("Courtesy (1–5)"),
            N_("Clarity (1–5)"),
        )
    ]


def _rating_row(r: Ratings) -> list[Any]:
    return [
        r.surveys,
        _rounded(r.overall),
        _rounded(r.speed),
        _rounded(r.courtesy),
        _rounded(r.clarity),
    ]


def service_label(kind: RequestType | None, lang: str | None = None) -> str:
    """The service a survey was about: its request's type, or a contact without one."""
    return translate("After a contact", lang) if kind is None else label(kind, lang)


def satisfaction_tables(report: SatisfactionReport, lang: str) -> list[Table]:
    t = functools.partial(translate, lang=lang)
    headers = rating_headers(lang)
    total = [t("All surveys"), *_rating_row(report.total)]
    return [
        Table(
            "satisfaction_by_month",
            t("Satisfaction by month"),
            [t("Calendar month"), *headers],
            [[m.label(lang), *_rating_row(r)] for m, r in report.by_month] + [total],
        ),
        Table(
            "satisfaction_by_service",
            t("Satisfaction by service"),
            [t("Service"), *headers],
            [[service_label(k, lang), *_rating_row(r)] for k, r in report.by_service] + [total],
        ),
        Table(
            "satisfaction_by_channel",
            t("Satisfaction by channel"),
            [t("Channel of contact"), *headers],
            [[label(c, lang), *_rating_row(r)] for c, r in report.by_channel] + [total],
        ),
        Table(
            "satisfaction_by_branch",
            t("Satisfaction by branch"),
            [t("Branch office"), *headers],
            [[name, *_rating_row(r)] for name, r in report.by_branch] + [total],
        ),
        Table(
            "satisfaction_ratings",
            t("Overall ratings given"),
            [t("Overall rating given"), t("Number of surveys"), t("Share of the total (%)")],
            [
                [rating, n, _share(n, report.total.surveys)]
                for rating, n in sorted(report.overall_counts.items(), reverse=True)
            ],
        ),
    ]


def complaints_tables(report: ComplaintsReport, lang: str) -> list[Table]:
    t = functools.partial(translate, lang=lang)
    return [
        Table(
            "complaints",
            t("Complaints received in the period"),
            [t("Status today"), t("Number of complaints")],
            [[label(s, lang), n] for s, n in report.by_status.items()]
            + [
                [t("All together"), report.received],
                [t("Suggestions received in the period"), report.suggestions],
                [t("Complaints not closed (any date)"), report.open_count],
                [t("Of them overdue"), report.overdue_count],
            ],
        ),
        Table(
            "open_complaints",
            t("Complaints not yet closed"),
            [
                t("Complaint received on"),
                t("Response due on"),
                t("Status today"),
                t("Channel of contact"),
                t("Days past the due date"),
                t("Complaint"),
            ],
            [
                [
                    c.received_on,
                    c.due_on,
                    label(c.status, lang),
                    label(c.channel, lang),
                    c.overdue_days or None,
                    c.text,
                ]
                for c in report.open
            ],
        ),
    ]


_TITLES = {
    ReportKind.DASHBOARD: N_("Dashboard of all reports"),
    ReportKind.REQUESTS: N_("Support requests report"),
    ReportKind.DECISION_TIME: N_("Time to the committee's answer"),
    ReportKind.COMPLIANCE: N_("Compliance with the committee's deadline"),
    ReportKind.SERVICES: N_("Services delivered report"),
    ReportKind.SATISFACTION: N_("Beneficiary satisfaction report"),
    ReportKind.COMPLAINTS: N_("Complaints report"),
    ReportKind.REQUEST_LIST: N_("The period's requests, one row each"),
}


def report_title(kind: ReportKind, lang: str | None = None) -> str:
    return translate(_TITLES[ReportKind(kind)], lang)


def dashboard_tables(kind: ReportKind, board: Dashboard, actor: Actor, lang: str) -> list[Table]:
    """The tables of a report `kind` (not the request list), its summary first."""
    kind = ReportKind(kind)
    parts: list[Table] = [_summary(board.scope, actor, report_title(kind, lang), lang)]
    every = kind is ReportKind.DASHBOARD
    if every or kind is ReportKind.REQUESTS:
        parts += requests_tables(board.requests, lang)
    if every or kind is ReportKind.DECISION_TIME:
        parts += decision_time_tables(board.decision_time, lang)
    if every or kind is ReportKind.COMPLIANCE:
        parts += compliance_tables(board.compliance, lang)
    if every or kind is ReportKind.SERVICES:
        parts += services_tables(board.services, lang)
    if every or kind is ReportKind.SATISFACTION:
        parts += satisfaction_tables(board.satisfaction, lang)
    if every or kind is ReportKind.COMPLAINTS:
        parts += complaints_tables(board.complaints, lang)
    return parts


def _partial_dashboard(session: Session, actor: Actor, kind: ReportKind, scope: ReportScope) -> Any:
    """Only the reports `kind` needs (the others stay None)."""
    every = kind is ReportKind.DASHBOARD

    def wanted(which: ReportKind, make: Callable[..., Any]) -> Any:
        return make(session, actor, scope) if every or kind is which else None

    return Dashboard(
        scope=scope,
        requests=wanted(ReportKind.REQUESTS, requests_report),
        decision_time=wanted(ReportKind.DECISION_TIME, decision_time_report),
        compliance=wanted(ReportKind.COMPLIANCE, compliance_report),
        services=wanted(ReportKind.SERVICES, services_report),
        satisfaction=wanted(ReportKind.SATISFACTION, satisfaction_report),
        complaints=wanted(ReportKind.COMPLAINTS, complaints_report),
    )


# --- the request list -------------------------------------------------------------------------


_LIST_HEADERS = (
    N_("Support request number"),
    N_("Beneficiary's file number"),
    N_("Beneficiary's name"),
    N_("Type of request"),
    N_("Channel of contact"),
    N_("Status today"),
    N_("Received (Hijri)"),
    N_("Received (Gregorian)"),
    N_("Submitted (Hijri)"),
    N_("Submitted (Gregorian)"),
    N_("Answer due (Hijri)"),
    N_("Answer due (Gregorian)"),
    N_("Answered (Hijri)"),
    N_("Answered (Gregorian)"),
    N_("Days to the answer"),
    N_("Decision in force"),
    N_("Amount requested (SAR)"),
    N_("Amount approved (SAR)"),
    N_("Amount delivered (SAR)"),
)


def request_list_headers(lang: str) -> list[str]:
    return [translate(h, lang) for h in _LIST_HEADERS]


@functools.lru_cache(maxsize=8192)
def _hijri(day: date) -> str:
    return to_hijri(day)


def _dates(day: date | None) -> tuple[str | None, date | None]:
    return (None, None) if day is None else (_hijri(day), day)


def request_list_cells(row: RequestListRow, lang: str, labels: dict[Any, str]) -> list[Any]:
    """One request as the export's cells (Gregorian dates as dates, Hijri as text)."""

    def named(value: Any) -> str | None:
        if value is None:
            return None
        text = labels.get(value)
        if text is None:
            text = labels[value] = label(value, lang)
        return text

    return [
        row.request_number,
        row.file_number,
        row.person_name,
        named(row.request_type),
        named(row.channel),
        named(row.status),
        *_dates(row.received_on),
        *_dates(row.submitted_on),
        *_dates(row.due_on),
        *_dates(row.answered_on),
        row.days_to_answer,
        named(row.decision),
        _riyals(row.amount_requested_halalas),
        _riyals(row.amount_approved_halalas),
        _riyals(row.amount_delivered_halalas),
    ]


def export_report(
    session: Session,
    actor: Actor,
    kind: ReportKind,
    scope: ReportScope,
    path: Path,
    *,
    lang: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the report `kind` over `scope` to `path` (.xlsx or .pdf) in `lang` (default:
    the current language), and record the export in the audit trail.

    Raises PermissionDenied, RomahError (a file type other than .xlsx or .pdf),
    ExportCancelled (nothing is written then), OSError (the folder cannot be written).
    """
    kind = ReportKind(kind)
    lang = lang or current_language()
    suffix = check_suffix(path)
    if kind is ReportKind.REQUEST_LIST:
        rows = export_request_list(
            session, actor, scope, path, lang=lang, progress=progress, cancelled=cancelled
        )
        return ExportResult(path, 1, rows)
    board = _partial_dashboard(session, actor, kind, scope)
    tables = dashboard_tables(kind, board, actor, lang)
    if suffix == ".xlsx":
        write_tables_xlsx(path, tables, lang, progress=progress, cancelled=cancelled)
    else:
        pdf_tables = dashboard_tables(kind, board, actor, PDF_LANGUAGE)
        write_tables_pdf(
            path,
            report_title(kind, PDF_LANGUAGE),
            pdf_tables[1:],  # the summary is the letterhead's subtitle and branch line
            branch=board.scope.branch_name or translate("All branches together", PDF_LANGUAGE),
            subtitle=board.scope.period.text(),
            prepared_by=actor.full_name,
            progress=progress,
            cancelled=cancelled,
        )
    rows = sum(len(t.rows) for t in tables)
    _audit(session, actor, kind, scope, suffix, rows)
    return ExportResult(path, len(tables), rows)


def _audit(
    session: Session, actor: Actor, kind: ReportKind, scope: ReportScope, suffix: str, rows: int
) -> None:
    audit.record(
        session,
        actor,
        "report.export",
        "report",
        None,
        {
            "kind": kind.value,
            "format": suffix.lstrip("."),
            "from": scope.period.first.isoformat(),
            "to": scope.period.last.isoformat(),
            "branch_id": scope.branch_id,
            "rows": rows,
        },
    )


# The request list on paper: its number, person, type, status, the days received, due and
# answered in the report's calendar (the workbook has both), days taken, decision and the three
# amounts (requested, approved, delivered). One date a cell keeps a row one line high, so that
# a page holds some twenty requests.
_PDF_LIST_COLUMNS = {
    MonthCalendar.HIJRI: (0, 2, 3, 5, 6, 10, 12, 14, 15, 16, 17, 18),
    MonthCalendar.GREGORIAN: (0, 2, 3, 5, 7, 11, 13, 14, 15, 16, 17, 18),
}
_PDF_LIST_WEIGHTS = (1.3, 1.6, 0.9, 1.0, 1.0, 1.0, 1.0, 0.6, 0.9, 0.85, 0.85, 0.85)


def _paper_cell(value: Any) -> Any:
    """A Gregorian day on one line (the workbook's cell holds it as a date)."""
    return f"{value:%Y/%m/%d} م" if isinstance(value, date) else value


_LIST_WIDTHS = (22, 18, 32, 16, 22, 22, 14, 12, 14, 12, 14, 12, 14, 12, 10, 16, 14, 14, 14)


def export_request_list(
    session: Session,
    actor: Actor,
    scope: ReportScope,
    path: Path,
    *,
    lang: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write every request received in the period, one row each, to `path` (.xlsx or .pdf);
    return how many. Names people: needs the right to export data.

    Raises PermissionDenied, RomahError (file type), ExportCancelled, OSError.
    """
    lang = lang or current_language()
    suffix = check_suffix(path)
    total = count_request_list(session, actor, scope)
    rows = request_list(session, actor, scope)
    labels: dict[Any, str] = {}
    headers = request_list_headers(lang)
    if progress is not None:
        progress(0, total)
    done = 0
    if suffix == ".xlsx":
        with Workbook(lang) as book:
            title = report_title(ReportKind.REQUEST_LIST, lang)
            sheet = book.sheet(title, headers, _LIST_WIDTHS)
            for row in rows:
                sheet.append(request_list_cells(row, lang, labels))
                done += 1
                if done % PROGRESS_STEP == 0:
                    check_cancelled(cancelled)
                    if progress is not None:
                        progress(done, total)
            check_cancelled(cancelled)
            book.save(path)
    else:
        # Printed in Arabic, with the columns a page has room for (the workbook has them all):
        # number, person, type, status, three days, days taken, decision, amounts.
        cells: list[list[Any]] = []
        columns = _PDF_LIST_COLUMNS[scope.calendar]
        for row in rows:
            values = request_list_cells(row, PDF_LANGUAGE, labels)
            cells.append([_paper_cell(values[i]) for i in columns])
            done += 1
            if done % PROGRESS_STEP == 0:
                check_cancelled(cancelled)
        printed = request_list_headers(PDF_LANGUAGE)
        title = report_title(ReportKind.REQUEST_LIST, PDF_LANGUAGE)
        table = Table(
            "request_list",
            title,
            [printed[i] for i in columns],
            cells,
            weights=list(_PDF_LIST_WEIGHTS),
        )
        write_tables_pdf(
            path,
            title,
            [table],
            branch=scope.branch_name or translate("All branches together", PDF_LANGUAGE),
            subtitle=scope.period.text(),
            prepared_by=actor.full_name,
            progress=progress,
            cancelled=cancelled,
        )
    if progress is not None:
        progress(total if done <= total else done, max(total, done))
    _audit(session, actor, ReportKind.REQUEST_LIST, scope, suffix, done)
    return done
