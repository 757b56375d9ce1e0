"""The Reports page, driven in the real window: the dashboard of a Hijri month, its charts
read right to left, a bad period explained without losing what was typed, and the exports
read back from the files written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from PySide6.QtWidgets import QGraphicsTextItem
from pytestqt.qtbot import QtBot

from db.enums import (
    Channel,
    DecisionOutcome,
    FeedbackKind,
    FeedbackStatus,
    RequestStatus,
    RequestType,
    Role,
    ServiceType,
)
from db.models import (
    Branch,
    CommitteeDecision,
    Feedback,
    SatisfactionSurvey,
    ServiceDelivery,
    SupportRequest,
    User,
)
from romah_desktop.i18n import translate
from romah_desktop.labels import label
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.reports.excel import sheet_name
from romah_desktop.services.reports.export import ReportKind
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.reports import ReportsPage
from ui.qt import QApplication, QBarSeries, QHorizontalBarSeries, Qt
from ui.widgets.charts import ChartCard

SAFAR_1446 = date(2024, 8, 5), date(2024, 9, 3)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone()


def safar_scene(app: RomahApp) -> None:
    """Four requests received in Safar 1446 (one answered on time, one late, one waiting
    past its due date, one draft), a delivery, two surveys and an open complaint."""
    with database_of(app) as workspace, workspace.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        clerk = User(
            username="staff.clerk",
            full_name="موظف الاستقبال",
            role=Role.INTERVIEWER,
            branch_id=admin.branch_id,
            password_hash="-",
        )
        session.add(clerk)
        session.flush()
        from romah_desktop.services.context import Actor

        person = register_beneficiary(session, Actor.of(clerk), person_form()).id
        plan = (
            # received, channel, status, decided, amount
            (date(2024, 8, 5), Channel.INTERVIEW, RequestStatus.APPROVED, date(2024, 8, 9)),
            (date(2024, 8, 6), Channel.PHONE, RequestStatus.REJECTED, date(2024, 8, 26)),
            (date(2024, 8, 10), Channel.INTERVIEW, RequestStatus.SUBMITTED, None),
            (date(2024, 9, 3), Channel.WEBSITE, RequestStatus.DRAFT, None),
        )
        for number, (received, channel, status, decided) in enumerate(plan, start=1):
            submitted = None if status is RequestStatus.DRAFT else received
            request = SupportRequest(
                request_number=f"RYD-UI-2024-{number:05d}",
                branch_id=admin.branch_id,
                beneficiary_id=person,
                request_type=RequestType.CASH,
                amount_requested_halalas=150000,
                justification="متأخرات",
                channel=channel,
                status=status,
                submitted_at=at(submitted) if submitted else None,
                committee_due_on=submitted + timedelta(days=14) if submitted else None,
                created_by_user_id=clerk.id,
                created_at=at(received),
            )
            session.add(request)
            session.flush()
            if decided is not None:
                approved = status is RequestStatus.APPROVED
                session.add(
                    CommitteeDecision(
                        request_id=request.id,
                        outcome=DecisionOutcome.APPROVE if approved else DecisionOutcome.REJECT,
                        approved_amount_halalas=150000 if approved else None,
                        reason=None if approved else "لا تنطبق الشروط",
                        decided_on=decided,
                        recorded_by_user_id=admin.id,
                        created_at=at(decided),
                    )
                )
        session.add(
            ServiceDelivery(
                beneficiary_id=person,
                service_type=ServiceType.CASH,
                amount_halalas=150000,
                delivered_on=date(2024, 8, 12),
                delivered_by_user_id=clerk.id,
            )
        )
        for overall, channel in ((5, Channel.INTERVIEW), (3, Channel.PHONE)):
            session.add(
                SatisfactionSurvey(
                    branch_id=admin.branch_id,
                    channel=channel,
                    overall=overall,
                    speed=4,
                    collected_on=date(2024, 8, 20),
                )
            )
        session.add(
            Feedback(
                branch_id=admin.branch_id,
                kind=FeedbackKind.COMPLAINT,
                channel=Channel.PHONE,
                text="لم يصلني رد على طلبي",
                received_on=date(2024, 8, 15),
                due_on=date(2024, 8, 29),
                status=FeedbackStatus.OPEN,
            )
        )


def open_reports(qtbot: QtBot, app: RomahApp, window: MainWindow) -> ReportsPage:
    page = window.pages["reports"]
    assert isinstance(page, ReportsPage)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        window.show_page("reports")
    wait_idle(qtbot, app)
    return page


def choose_safar(qtbot: QtBot, page: ReportsPage) -> None:
    """Pick Safar 1446 with the keyboard-friendly controls, as a manager would."""
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.mode.setCurrentIndex(page.mode.findData(ReportsPage.HIJRI_MONTH))
        page.year_for_month.setValue(1446)
        page.hijri_month.setCurrentIndex(page.hijri_month.findData(2))
    assert page.board is not None
    assert (page.board.scope.period.first, page.board.scope.period.last) == SAFAR_1446


def snap(widget: ReportsPage, name: str) -> None:
    QApplication.processEvents()
    screenshot(widget, name)


def test_reports_are_for_managers_and_head_office(
    romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    assert "reports" not in window.pages
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert not any("Report" in t or "تقارير" in t for t in titles)


def test_the_dashboard_of_a_hijri_month(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    safar_scene(romah_app)
    window = window_as(Role.BRANCH_MANAGER)
    window.resize(1400, 1000)
    page = open_reports(qtbot, romah_app, window)
    assert not page.branch.isVisible()  # a branch manager sees their own branch only
    choose_safar(qtbot, page)
    board = page.board
    assert board is not None
    assert board.requests.total == 4
    assert page.tiles["requests"].value.text() == "4"
    assert page.tiles["answer"].value.text() == "12"  # (4 + 20) / 2 days
    # Due in Safar: one answered on time, one late, one still waiting on 2024-08-24.
    assert page.tiles["on_time"].value.text() == "33%"
    assert page.tiles["complaints"].value.text() == "1"
    assert "فرع الرياض" in page.message.text()
    # The channel chart: categories in reading order, the bars' numbers behind them.
    channel = page.charts["channel"]
    assert channel.categories == [label(c) for c in Channel]
    numbers = dict(zip(channel.categories, channel.series[next(iter(channel.series))], strict=True))
    assert numbers[label(Channel.INTERVIEW)] == 2 and numbers[label(Channel.PHONE)] == 1
    # Right to left: the first channel is drawn at the top and the bars grow leftwards.
    series = channel.chart.series()[0]
    assert isinstance(series, QHorizontalBarSeries)
    drawn = series.barSets()[0]
    assert drawn.at(drawn.count() - 1) == 2  # Qt's last row is the top one
    horizontal = channel.chart.axes(Qt.Orientation.Horizontal)[0]
    assert horizontal.isReverse()
    month = page.charts["requests_month"]
    assert month.categories == ["صفر 1446"]
    vertical = month.chart.series()[0]
    assert isinstance(vertical, QBarSeries)
    assert page.charts["status"].legend.isVisibleTo(page.charts["status"])
    legend = page.charts["status"].findChild(type(page.message), "chart_status_legend_0")
    assert legend is not None and legend.text().startswith(label(RequestStatus.DRAFT))
    assert page.complaints.rowCount() == 1
    for index, name in enumerate(("requests", "committee", "services", "satisfaction")):
        page.tabs.setCurrentIndex(index)
        snap(page, f"reports_{name}_ar")
    page.tabs.setCurrentIndex(4)
    snap(page, "reports_complaints_ar")


def test_a_bad_period_is_explained_and_what_was_typed_stays(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.BRANCH_MANAGER)
    page = open_reports(qtbot, romah_app, window)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):  # the current Hijri month
        page.mode.setCurrentIndex(page.mode.findData(ReportsPage.DATES))
    assert page.date_from.isVisible() and page.date_to.isVisible()
    loaded: list[object] = []
    page.sig_loaded.connect(loaded.append)
    for field, text in ((page.date_from, "2024-09-03"), (page.date_to, "1446/02/01 هـ")):
        field.edit.clear()
        type_text(field.edit, text)
    page.refresh()
    assert "قبل" in page.message.text() and "بدّل" in page.message.text()
    assert page.date_to.error_text() == page.message.text()
    assert page.date_from.text() == "2024-09-03" and page.date_to.text() == "1446/02/01 هـ"
    # A date that is not one: the field says why.
    page.date_to.edit.clear()
    type_text(page.date_to.edit, "1446/13/01 هـ")
    page.refresh()
    assert "الشهر" in page.message.text()
    assert page.date_to.text() == "1446/13/01 هـ"
    # A blank first day.
    page.date_from.edit.clear()
    page.date_to.edit.clear()
    type_text(page.date_to.edit, "2024-09-03")
    page.refresh()
    assert "اليوم الأول" in page.message.text()
    snap(page, "reports_bad_period_ar")
    wait_idle(qtbot, romah_app)
    assert not loaded  # nothing was asked of the database
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        type_text(page.date_from.edit, "2024-08-05")
        page.refresh()
    assert not page.date_to.error_text() and "2024/08/05" in page.message.text()


def test_exports_are_read_back(
    qtbot: QtBot,
    romah_app: RomahApp,
    window_as: Callable[[Role], MainWindow],
    tmp_path: Path,
) -> None:
    safar_scene(romah_app)
    window = window_as(Role.BRANCH_MANAGER)
    page = open_reports(qtbot, romah_app, window)
    choose_safar(qtbot, page)
    steps: list[int] = []
    page.export_progress.valueChanged.connect(steps.append)
    target = tmp_path / "تقرير صفر.xlsx"
    with qtbot.waitSignal(page.sig_exported, timeout=20_000) as exported:
        page.export(ReportKind.DASHBOARD, target)
        assert page.export_progress.isVisible() and page.cancel_button.isVisible()
        assert not page.export_xlsx.isEnabled()
    assert exported.args[0].path == target
    assert steps  # the bar moved
    assert page.export_xlsx.isEnabled() and not page.export_progress.isVisible()
    assert target.name in page.message.text()
    book = openpyxl.load_workbook(target)
    sheet = book[sheet_name(translate("Requests by channel", "ar"), set())]
    assert sheet.sheet_view.rightToLeft
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[label(Channel.INTERVIEW, "ar")] == 2
    assert rows[translate("All together", "ar")] == 4
    # The period's requests, one row each.
    listed = tmp_path / "requests.xlsx"
    with qtbot.waitSignal(page.sig_exported, timeout=20_000):
        page.export(ReportKind.REQUEST_LIST, listed)
    rows_read = list(openpyxl.load_workbook(listed).worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in rows_read[1:]] == [f"RYD-UI-2024-{n:05d}" for n in range(1, 5)]
    assert rows_read[1][6] == "1446/02/01 هـ"
    # And a PDF.
    printed = tmp_path / "safar.pdf"
    with qtbot.waitSignal(page.sig_exported, timeout=30_000):
        page.export(ReportKind.DASHBOARD, printed)
    assert printed.read_bytes().startswith(b"%PDF") and printed.stat().st_size > 5_000


def test_a_cancelled_export_leaves_no_file(
    qtbot: QtBot,
    romah_app: RomahApp,
    window_as: Callable[[Role], MainWindow],
    tmp_path: Path,
) -> None:
    safar_scene(romah_app)
    window = window_as(Role.BRANCH_MANAGER)
    page = open_reports(qtbot, romah_app, window)
    # Hold the worker, so that the export waits behind this job and sees the cancellation.
    release = threading.Event()
    romah_app.worker.submit(lambda: None if release.wait(10) else None)
    folder = tmp_path / "exports"
    target = folder / "cancelled.xlsx"
    with qtbot.waitSignal(page.sig_export_failed, timeout=20_000) as failed:
        page.export(ReportKind.REQUEST_LIST, target)
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        assert not page.cancel_button.isEnabled()
        release.set()
    assert "أُلغي" in failed.args[0]
    assert not target.exists()
    assert not folder.exists() or list(folder.iterdir()) == []
    assert page.export_xlsx.isEnabled() and not page.cancel_button.isVisible()


def test_head_office_chooses_the_branch(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    safar_scene(romah_app)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        session.add(Branch(code="JED", name="فرع جدة"))
    page = open_reports(qtbot, romah_app, main_window)
    assert page.branch.isVisible()
    qtbot.waitUntil(lambda: page.branch.count() == 3)
    choose_safar(qtbot, page)
    assert page.board is not None and page.board.scope.branch_id is None
    assert page.board.requests.total == 4
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.branch.setCurrentIndex(page.branch.findText("فرع جدة (JED)"))
    assert page.board.scope.branch_name == "فرع جدة"
    assert page.board.requests.total == 0
    assert page.tiles["requests"].value.text() == "0"
    channel = page.charts["channel"]
    assert channel.empty.isVisible() and not channel.view.isVisible()
    assert not channel.legend.isVisible()
    snap(page, "reports_head_office_ar")


def test_the_page_reads_left_to_right_in_english(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    from ui import i18n

    safar_scene(romah_app)
    window = window_as(Role.BRANCH_MANAGER)
    i18n.set_language(romah_app.app, "en")
    page = ReportsPage(window.ctx)
    page.resize(1300, 900)
    page.show()
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.refresh()
    choose_safar(qtbot, page)
    channel: ChartCard = page.charts["channel"]
    assert channel.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert not channel.chart.axes(Qt.Orientation.Horizontal)[0].isReverse()
    assert page.charts["status"].findChild(type(page.message), "chart_status_legend_0").text() == (
        f"{label(RequestStatus.DRAFT, 'en')}: 1 (25%)"
    )
    snap(page, "reports_requests_en")
    page.close()


def drawn_texts(card: ChartCard) -> list[str]:
    """The texts QtCharts has laid out on `card`'s chart and shows, each read as one line."""
    texts = []
    for item in card.view.scene().items():
        shown = item.toGraphicsObject()
        if isinstance(shown, QGraphicsTextItem) and shown.isVisible():
            texts.append(" ".join(shown.toPlainText().split()))
    return texts


def test_month_labels_are_drawn_whole(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    """Four Hijri months on a laptop's screen: QtCharts cut "ربيع الأول 1448" to
    "ربيع الأو..."; each month now reads whole, on two lines or upright."""
    from romah_desktop.services.reports.periods import hijri_month
    from ui import i18n

    first, last = hijri_month(1448, 3), hijri_month(1448, 6)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        person = register_beneficiary(session, Actor.of(admin), person_form()).id
        session.add(
            SupportRequest(
                request_number="RYD-UI-2026-00001",
                branch_id=admin.branch_id,
                beneficiary_id=person,
                request_type=RequestType.CASH,
                amount_requested_halalas=150000,
                justification="متأخرات",
                channel=Channel.INTERVIEW,
                status=RequestStatus.SUBMITTED,
                submitted_at=at(first.first),
                committee_due_on=first.first + timedelta(days=14),
                created_by_user_id=admin.id,
                created_at=at(first.first),
            )
        )
    window = window_as(Role.BRANCH_MANAGER)
    window.resize(1366, 768)
    page = open_reports(qtbot, romah_app, window)
    for lang in ("ar", "en"):
        if lang == "en":
            i18n.set_language(romah_app.app, "en")
            page = ReportsPage(window.ctx)
            page.resize(window.pages["reports"].size())
            page.show()
            with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
                page.refresh()
        with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
            page.mode.setCurrentIndex(page.mode.findData(ReportsPage.DATES))
            page.date_from.setDate(first.first)
            page.date_to.setDate(last.last)
            page.reload_soon()
        card = page.charts["requests_month"]
        months = [hijri_month(1448, m).label(lang) for m in range(3, 7)]
        assert card.categories == months
        # QtCharts lays the labels out when the window has drawn: wait for them, in vain if
        # any is cut.
        qtbot.waitUntil(lambda m=months, c=card: set(m) <= set(drawn_texts(c)), timeout=3_000)
        drawn = drawn_texts(card)
        assert not [text for text in drawn if "..." in text or "…" in text]
        screenshot(card, f"reports_month_labels_{lang}")
    page.close()
