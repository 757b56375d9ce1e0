"""One period, one figure: the branch manager's Today and the Reports page show the same share
of requests answered on time, driven in the real window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from db.enums import DecisionOutcome, Role
from romah_desktop.services.committee.watch import compliance_period
from romah_desktop.services.committee.workspace import decide, record_meeting
from romah_desktop.services.context import Actor
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from tests.ui.test_pages import person, staff, submitted_request
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.reports import ReportsPage
from ui.pages.today import TodayPage


def answered(app: RomahApp, member: Actor, request: str, days_ago: int) -> None:
    """The committee approves `request` at a meeting held `days_ago` days ago."""
    held = (date.today() - timedelta(days=days_ago)).isoformat()
    with database_of(app) as workspace, workspace.transaction() as session:
        sitting = record_meeting(session, member, held_on=held, members_present="أحمد السالم")
        decide(
            session,
            member,
            request,
            meeting_id=sitting.id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="2,500",
        )


def test_today_and_reports_show_the_same_on_time_figure(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    clerk = staff(romah_app, Role.INTERVIEWER)
    # Due 26 days ago: answered on time, and answered late; due 16 days ago, still unanswered.
    on_time = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="هند"), 40)
    late = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="نوف"), 40)
    submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="دانة"), 30)
    member = staff(romah_app, Role.COMMITTEE_MEMBER)
    answered(romah_app, member, on_time, 35)
    answered(romah_app, member, late, 20)
    window = window_as(Role.BRANCH_MANAGER)

    window.show_page("today")
    today = window.pages["today"]
    assert isinstance(today, TodayPage)
    panel = today.deadlines
    qtbot.waitUntil(lambda: panel.watch is not None and panel.watch.compliance is not None)
    watch = panel.watch
    assert watch is not None and watch.compliance is not None
    percent = watch.compliance.on_time_percent
    assert percent is not None and f"{percent:.0f}" == "33"  # 1 of 3 due, not 1 of 2 answers
    assert panel.boxes["compliance"].isVisible() and "33" in panel.compliance_text.text()
    screenshot(panel.boxes["compliance"], "today_compliance")

    reports = window.pages["reports"]
    assert isinstance(reports, ReportsPage)
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        window.show_page("reports")
    wait_idle(qtbot, romah_app)
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        reports.mode.setCurrentIndex(reports.mode.findData(ReportsPage.DATES))
    first, last = compliance_period(date.today())
    for field, day in ((reports.date_from, first), (reports.date_to, last)):
        field.edit.clear()
        type_text(field.edit, day.isoformat())
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        reports.refresh()
    assert reports.tiles["on_time"].value.text() == "33%"
    screenshot(reports, "reports_compliance")
