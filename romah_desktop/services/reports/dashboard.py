"""The branch manager's dashboard: every report over one scope, as the Reports page shows
them (each report lives in a module of its own beside this one).

Every figure is counted by the database (GROUP BY); Python only reads the grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from romah_desktop.services.context import Actor
from romah_desktop.services.reports.complaints import ComplaintsReport, complaints_report
from romah_desktop.services.reports.compliance import ComplianceReport, compliance_report
from romah_desktop.services.reports.decision_time import DecisionTimeReport, decision_time_report
from romah_desktop.services.reports.periods import MonthCalendar, Period
from romah_desktop.services.reports.requests import RequestsReport, requests_report
from romah_desktop.services.reports.satisfaction import SatisfactionReport, satisfaction_report
from romah_desktop.services.reports.scope import ReportScope, report_scope
from romah_desktop.services.reports.services_delivered import ServicesReport, services_report

# Period, report_scope and compliance_report are named here too for a caller outside the
# reports (the committee's compliance tests) that reaches them through this module; new code
# imports each from its own module.
__all__ = ["Dashboard", "Period", "compliance_report", "dashboard", "report_scope"]


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
