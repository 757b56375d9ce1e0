"""The dashboard's reports as tables: the page's sections and their Excel files, a row per
branch and one for all of them together (`dashboard.py` counts the figures)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.enums import RequestStatus
from romah_desktop.dates import format_dual
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.services.committee.compliance import (
    STANDINGS,
)
from romah_desktop.services.reports.compliance import Compliance
from romah_desktop.services.reports.satisfaction import Ratings
from romah_desktop.services.reports.services_delivered import ServiceLine
from romah_desktop.services.reports.writing import Table
from sync.server.console.dashboard import (
    SILENT_AFTER,
    ComplaintCounts,
    DeviceHealth,
    HqDashboard,
    shown_branches,
)

# --- the reports as tables (the page's sections and their Excel files) ----------------------

# The dashboard's reports, in the page's order; each has an Excel export.
REPORTS = ("requests", "compliance", "services", "satisfaction", "complaints", "devices")


def _average(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _seen_text(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone()
    return f"{format_dual(local.date())} {local.strftime('%H:%M')}"


def report_tables(board: HqDashboard, report: str, lang: str) -> list[Table]:
    """One report of the dashboard as tables (a sheet each in Excel): a row per branch and
    a row for all of them together. Raises KeyError for an unknown report."""

    def t(text: str, **params: Any) -> str:
        return translate(text, lang, **params)

    shown = shown_branches(board)
    everyone = t(N_("All branches together"))
    branch = t(N_("Branch"))
    if report == "requests":
        statuses = list(RequestStatus)
        headers = [branch, *(label(s, lang) for s in statuses), t(N_("Number of requests"))]

        def request_row(name: str, line: dict[RequestStatus, int]) -> list[Any]:
            return [name, *(line.get(s, 0) for s in statuses), sum(line.values())]

        rows = [request_row(b.name, board.requests.get(b.id, {})) for b in shown]
        rows.append(request_row(everyone, board.requests_total))
        months = [[m.label(lang), n] for m, n in board.requests_by_month]
        return [
            Table("requests", t(N_("Requests by status")), headers, rows),
            Table(
                "requests_by_month",
                t(N_("Requests by month")),
                [t(N_("Calendar month")), t(N_("Number of requests"))],
                months,
            ),
        ]
    if report == "compliance":
        headers = [
            branch,
            t(N_("Answered by the due date")),
            t(N_("Answered after the due date")),
            t(N_("Unanswered, past the due date")),
            t(N_("Unanswered, not yet due")),
            t(N_("Returned for information (clock paused)")),
            t(N_("Withdrawn unanswered")),
            t(N_("Answers due in all")),
            t(N_("Answered by the due date (%)")),
        ]

        def compliance_row(name: str, c: Compliance) -> list[Any]:
            share = c.on_time_share
            counted = [getattr(c, standing) for standing in STANDINGS]
            return [name, *counted, c.due, None if share is None else round(share, 1)]

        rows = [compliance_row(b.name, board.compliance.get(b.id, Compliance())) for b in shown]
        rows.append(compliance_row(everyone, board.compliance_total))
        title = t(N_("Compliance with the committee's deadline"))
        return [Table("compliance", title, headers, rows)]
    if report == "services":
        figures = [t(N_("Number of deliveries")), t(N_("Amount in riyals")), t(N_("People served"))]

        def service_row(name: str, line: ServiceLine) -> list[Any]:
            return [name, line.deliveries, line.amount_halalas / 100, line.people]

        rows = [service_row(b.name, board.services.get(b.id, ServiceLine())) for b in shown]
        rows.append(service_row(everyone, board.services_total))
        kinds = [service_row(label(k, lang), line) for k, line in board.services_by_type.items()]
        return [
            Table("services", t(N_("Services delivered report")), [branch, *figures], rows),
            Table(
                "services_by_type",
                t(N_("Services delivered by type")),
                [t(N_("Type of service")), *figures],
                kinds,
            ),
        ]
    if report == "satisfaction":
        headers = [
            branch,
            t(N_("Number of surveys")),
            t(N_("Overall (1–5)")),
            t(N_("Speed (1–5)")),
            t(N_("Courtesy (1–5)")),
            t(N_("Clarity (1–5)")),
        ]

        def rating_row(name: str, r: Ratings) -> list[Any]:
            averages = (r.overall, r.speed, r.courtesy, r.clarity)
            return [name, r.surveys, *(_average(a) for a in averages)]

        rows = [rating_row(b.name, board.satisfaction.get(b.id, Ratings())) for b in shown]
        rows.append(rating_row(everyone, board.satisfaction_total))
        given = [[n, board.overall_counts[n]] for n in sorted(board.overall_counts)]
        return [
            Table("satisfaction", t(N_("Beneficiary satisfaction report")), headers, rows),
            Table(
                "overall_ratings",
                t(N_("Overall ratings given")),
                [t(N_("Overall rating given")), t(N_("Number of surveys"))],
                given,
            ),
        ]
    if report == "complaints":
        headers = [
            branch,
            t(N_("Complaints received in the period")),
            t(N_("Suggestions received in the period")),
            t(N_("Complaints not closed (any date)")),
            t(N_("Of them overdue")),
        ]

        def complaint_row(name: str, c: ComplaintCounts) -> list[Any]:
            return [name, c.received, c.suggestions, c.open, c.overdue]

        rows = [complaint_row(b.name, board.complaints.get(b.id, ComplaintCounts())) for b in shown]
        rows.append(complaint_row(everyone, board.complaints_total))
        return [Table("complaints", t(N_("Complaints report")), headers, rows)]
    if report == "devices":
        headers = [
            t(N_("Laptop")),
            branch,
            t(N_("Last sync with HQ")),
            t(N_("App version at the last sync")),
            t(N_("Changes waiting on the laptop")),
            t(N_("Changes held in quarantine")),
            t(N_("State")),
        ]
        rows = [
            [
                d.name,
                board.branch_name(d.branch_id),
                _seen_text(d.last_seen_at),
                d.app_version or "—",
                d.waiting,
                d.held,
                device_state(d, lang),
            ]
            for d in board.devices
        ]
        return [Table("devices", t(N_("Sync health of the laptops")), headers, rows)]
    raise KeyError(report)


def device_state(device: DeviceHealth, lang: str) -> str:
    """A laptop's state in words: revoked, silent too long, never synced, or syncing."""
    if device.revoked:
        return translate(N_("Revoked laptop"), lang)
    if device.last_seen_at is None:
        return translate(N_("Never synced"), lang)
    if device.silent:
        days = count_phrase(SILENT_AFTER.days, DAY, lang, oblique=True)
        return translate(N_("Not seen for more than {days}"), lang, days=days)
    return translate(N_("Syncing normally"), lang)
