"""The research committee, social research and the deadline on Today, driven in the real window:
from the queue to a decision to the letter in the print queue and its preview; bad input gets a
message beside its field and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import shiboken6
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Channel, DecisionOutcome, DocumentType, RequestStatus, Role
from db.models import CommitteeDecision, Contact, DeadlineEscalation, SupportRequest
from romah_desktop.dates import to_hijri
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.labels import label
from romah_desktop.services.committee.workspace import decide as decide_request
from romah_desktop.services.committee.workspace import record_meeting
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.interview import record_document_check
from romah_desktop.services.research import write_research_report
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from tests.ui.test_pages import person, staff, submitted_request
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.committee.dialogs import CaseDialog, MeetingDialog
from ui.pages.committee.page import CommitteePage
from ui.pages.committee_queue import CommitteeQueueModel
from ui.pages.research import ReportDialog, ResearchPage
from ui.pages.today import TodayPage
from ui.qt import QApplication, Qt, QWidget


def snap(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    screenshot(widget, name)


def show(qtbot: QtBot, app: RomahApp, window: MainWindow, key: str) -> QWidget:
    window.show_page(key)
    wait_idle(qtbot, app)
    shown = window.pages[key]
    assert window.stack.currentWidget() is shown and shown.isVisible()
    return shown


def error_beside(dialog: object, field: str) -> str:
    label = dialog.errors[field]  # type: ignore[attr-defined]
    assert label.isVisible(), f"no message beside {field}"
    return str(label.text())


def prepared_request(app: RomahApp, clerk: Actor, days_ago: int, name: str = "هند") -> str:
    """A person with a checked document, a signed declaration and a request submitted
    `days_ago` days ago, with a research report."""
    beneficiary = person(app, clerk, first_name=name, gender="أنثى")
    request = submitted_request(app, clerk, beneficiary, days_ago)
    researcher = staff(app, Role.SOCIAL_RESEARCHER)
    with database_of(app) as workspace, workspace.transaction() as session:
        record_document_check(
            session,
            clerk,
            beneficiary_id=beneficiary,
            doc_type=DocumentType.LEASE_CONTRACT,
            number="88123",
            issue_date=None,
            expiry_date=(date.today() + timedelta(days=200)).isoformat(),
        )
        write_research_report(
            session,
            researcher,
            beneficiary_id=beneficiary,
            request_id=request,
            findings="زيارة منزلية: الأسرة تسكن شقة مستأجرة وتتأخر في السداد",
            recommendation="نوصي بالموافقة على دعم الإيجار",
            visit_date=(date.today() - timedelta(days=1)).isoformat(),
        )
    return request


def stored(app: RomahApp, request_id: str) -> SupportRequest:
    with database_of(app) as workspace, workspace.db.session() as session:
        row = session.get(SupportRequest, request_id)
        assert row is not None
        return row


def test_the_committee_from_queue_to_decision_to_the_letter(
    qtbot: QtBot,
    romah_app: RomahApp,
    window_as: Callable[[Role], MainWindow],
    qtmodeltester,
) -> None:
    window = window_as(Role.COMMITTEE_MEMBER)
    clerk = staff(romah_app, Role.INTERVIEWER)
    request = prepared_request(romah_app, clerk, days_ago=3)
    assert "committee" in window.pages and "research" not in window.pages
    page = show(qtbot, romah_app, window, "committee")
    assert isinstance(page, CommitteePage)
    qtmodeltester.check(page.model)
    row = page.model.row_of(request)
    assert row >= 0
    due = stored(romah_app, request).committee_due_on
    assert due is not None
    assert to_hijri(due) in page.model.index(row, CommitteeQueueModel.DUE).data()
    assert page.model.index(row, CommitteeQueueModel.DAYS).data() == str((due - date.today()).days)
    assert page.model.index(row, CommitteeQueueModel.REPORT).data() == page.model.tr("Yes")
    assert page.latest_meeting.text() == page.tr("No meeting recorded yet.")

    # A meeting, by keyboard; without the members present it is refused, nothing lost.
    meeting = page.open_meeting_dialog()
    assert isinstance(meeting, MeetingDialog)
    qtbot.waitUntil(meeting.isVisible)
    assert meeting.focusWidget() is meeting.members
    typed_day = meeting.held_on.text()
    type_text(meeting.notes, "اجتماع عادي")
    with qtbot.waitSignal(meeting.sig_failed):
        qtbot.mouseClick(meeting.save_button, Qt.MouseButton.LeftButton)
    assert "أسماء الأعضاء" in error_beside(meeting, "members_present")
    assert meeting.held_on.text() == typed_day and meeting.notes.toPlainText() == "اجتماع عادي"
    assert meeting.focusWidget() is meeting.members
    snap(meeting, "committee_meeting_bad_input")
    type_text(meeting.members, "أحمد السالم")
    qtbot.keyClick(meeting.members, Qt.Key.Key_Return)
    type_text(meeting.members, "منى العتيبي")
    with qtbot.waitSignal(meeting.sig_saved):
        qtbot.mouseClick(meeting.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.latest_meeting.text() != page.tr("No meeting recorded yet.")
    assert "2" in page.latest_meeting.text()  # two members present

    # The request's file: the research report, the document and the deadline.
    page.view.setCurrentIndex(page.model.index(page.model.row_of(request), 0))
    with qtbot.waitSignal(page.sig_case_opened) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    case = opened.args[0]
    assert isinstance(case, CaseDialog)
    qtbot.waitUntil(lambda: case.case is not None)
    wait_idle(qtbot, romah_app)
    assert "نوصي بالموافقة" in case.reports.item(0).text()
    assert case.documents.item(0).text().startswith(label(DocumentType.LEASE_CONTRACT))
    assert to_hijri(due) in case.facts["deadline"].text()
    assert case.meeting.currentData() is not None
    assert case.amount.text() == "2500.00"
    snap(case, "committee_case")

    # A rejection without its reason: the message is beside the reason, nothing is lost.
    case.outcome.setCurrentIndex(case.outcome.findData(DecisionOutcome.REJECT))
    assert not case.amount.isVisible()
    with qtbot.waitSignal(case.sig_failed):
        qtbot.mouseClick(case.save_button, Qt.MouseButton.LeftButton)
    assert "سبب" in error_beside(case, "reason")
    assert case.isVisible() and case.amount.text() == "2500.00"
    assert case.focusWidget() is case.reason

    # An approval above the amount requested needs its confirmation.
    case.outcome.setCurrentIndex(case.outcome.findData(DecisionOutcome.APPROVE))
    case.amount.selectAll()
    type_text(case.amount, "3000")
    assert case.confirm.isVisible() and not case.confirm.isChecked()
    type_text(case.reason, "الحاجة ثابتة بالبحث")
    with qtbot.waitSignal(case.sig_failed):
        qtbot.mouseClick(case.save_button, Qt.MouseButton.LeftButton)
    assert "أكّده" in error_beside(case, "approved_amount")
    assert case.reason.toPlainText() == "الحاجة ثابتة بالبحث"
    snap(case, "committee_case_bad_input")
    assert stored(romah_app, request).status == RequestStatus.SUBMITTED
    case.confirm.setChecked(True)
    with qtbot.waitSignal(case.sig_decided) as decided:
        qtbot.mouseClick(case.save_button, Qt.MouseButton.LeftButton)
    result = decided.args[0]
    wait_idle(qtbot, romah_app)
    qtbot.waitUntil(lambda: not shiboken6.isValid(case))
    assert stored(romah_app, request).status == RequestStatus.APPROVED
    with database_of(romah_app) as workspace, workspace.db.session() as session:
        decision = session.get(CommitteeDecision, result.decision_id)
        assert decision is not None and decision.approved_amount_halalas == 300_000
        assert decision.meeting_id is not None and "منى العتيبي" in (decision.members or "")
        contact = session.get(Contact, result.contact_id)
        assert contact is not None and contact.channel == Channel.LETTER
    assert label(RequestStatus.APPROVED) in page.message.text()

    # The letter waits in the print queue.
    assert page.model.row_of(request) == -1
    qtmodeltester.check(page.printing)
    titles = [r.title for r in page.printing.rows]
    number = stored(romah_app, request).request_number
    assert any(number in title and "خطاب القرار" in title for title in titles)
    assert page.print_box.isVisible() and page.print_button.isEnabled()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    snap(window, "committee")

    # Marked as printed (on paper elsewhere), it leaves the queue.
    page.print_view.setCurrentIndex(page.printing.index(0, 0))
    qtbot.mouseClick(page.printed_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    qtbot.waitUntil(lambda: page.printing.rowCount() == 0)
    assert page.message.text() == page.tr("The letter left the print queue.")


def test_the_decision_letter_opens_in_the_print_preview(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    pytest.importorskip("ui.printing")
    window = window_as(Role.COMMITTEE_MEMBER)
    member = window.ctx.actor
    clerk = staff(romah_app, Role.INTERVIEWER)
    request = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="سارة"), 2)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        sitting = record_meeting(session, member, held_on=None, members_present="أحمد السالم")
        decide_request(
            session,
            member,
            request,
            meeting_id=sitting.id,
            outcome=DecisionOutcome.REJECT,
            reason="الدخل يكفي حاجة الأسرة",
        )
    page = show(qtbot, romah_app, window, "committee")
    assert isinstance(page, CommitteePage)
    assert page.printing.rowCount() == 1
    with qtbot.waitSignal(page.sig_printing) as asked:
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    job = asked.args[0]
    with qtbot.waitSignal(job.sig_opened, timeout=20_000) as opened:
        pass
    preview = opened.args[0]
    qtbot.waitUntil(preview.isVisible)
    snap(preview, "committee_letter_preview")
    preview.close()
    assert page.printing.rowCount() == 1  # only sending it to a printer takes it off


def test_returned_requests_stop_the_clock_on_today_and_the_manager_escalates(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.BRANCH_MANAGER)
    clerk = staff(romah_app, Role.INTERVIEWER)
    member = staff(romah_app, Role.COMMITTEE_MEMBER)
    overdue = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="نوف"), 20)
    returned = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="دانة"), 5)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        sitting = record_meeting(session, member, held_on=None, members_present="أحمد السالم")
        decide_request(
            session,
            member,
            returned,
            meeting_id=sitting.id,
            outcome=DecisionOutcome.NEED_INFO,
            reason="إرفاق عقد الإيجار",
        )
    assert "committee" in window.pages and "research" in window.pages
    today = show(qtbot, romah_app, window, "today")
    assert isinstance(today, TodayPage)
    panel = today.deadlines
    qtbot.waitUntil(lambda: panel.watch is not None)
    qtmodeltester.check(panel.paused)
    assert panel.boxes["paused"].isVisible()
    paused_row = panel.paused.row_of(returned)
    left = panel.paused.row_at(paused_row).days_left(date.today())
    assert left == 14 - 5  # frozen at the days left when the committee returned it
    assert panel.paused.index(paused_row, CommitteeQueueModel.DAYS).data() == panel.paused.tr(
        "Clock stopped: {days} left"
    ).format(days=count_phrase(left, DAY))
    assert panel.boxes["compliance"].isVisible()
    compliance = panel.watch.compliance if panel.watch else None
    # Compliance counts the requests whose answer fell due in the last days: the overdue one;
    # the returned one is not due yet.
    assert compliance is not None and (compliance.overdue, compliance.paused) == (1, 0)
    # The overdue request was escalated when Today loaded, without anyone acting.
    assert panel.watch.escalatable == []  # type: ignore[union-attr]
    with romah_app.workspace.db.session() as session:
        escalation = session.scalars(sa.select(DeadlineEscalation)).one()
        assert escalation.request_id == overdue
    number = stored(romah_app, overdue).request_number
    qtbot.waitUntil(lambda: number in panel.escalated_text.text())
    assert panel.boxes["escalated"].isVisible() and "نوف" in panel.escalated_text.text()
    assert not panel.escalate_button.isEnabled()  # nothing else to escalate
    assert window.height() <= 768  # the day scrolls rather than growing off a laptop screen
    snap(window, "today_deadline_escalated")
    panel.paused_view.activated.emit(panel.paused.index(paused_row, 0))
    assert today.details is not None
    qtbot.waitUntil(today.details.isVisible)
    today.details.close()

    # Submitted again, the returned request's clock runs with the days it had left.
    with romah_app.workspace.transaction() as session:
        from romah_desktop.services.committee.requests import submit_request

        submit_request(session, clerk, returned, now=datetime.now(UTC))
    after = stored(romah_app, returned)
    assert after.committee_due_on == date.today() + timedelta(days=left or 0)


def test_the_research_officer_writes_a_report_from_the_queue(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.SOCIAL_RESEARCHER)
    clerk = staff(romah_app, Role.INTERVIEWER)
    request = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="عبير"), 1)
    assert "research" in window.pages and "committee" not in window.pages
    page = show(qtbot, romah_app, window, "research")
    assert isinstance(page, ResearchPage)
    qtmodeltester.check(page.referrals)
    qtmodeltester.check(page.requests)
    assert page.requests.row_of(request) >= 0
    page.request_view.setCurrentIndex(page.requests.index(page.requests.row_of(request), 0))
    with qtbot.waitSignal(page.sig_dialog_opened) as opened:
        qtbot.mouseClick(page.request_report_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, ReportDialog)
    qtbot.waitUntil(dialog.isVisible)
    # A visit in the future and no findings: both said beside their fields, nothing lost.
    type_text(dialog.visit_date.edit, (date.today() + timedelta(days=3)).isoformat())
    type_text(dialog.recommendation, "نوصي بدعم الإيجار ستة أشهر")
    with qtbot.waitSignal(dialog.sig_failed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "المستقبل" in error_beside(dialog, "visit_date")
    assert error_beside(dialog, "findings")
    assert dialog.recommendation.toPlainText() == "نوصي بدعم الإيجار ستة أشهر"
    snap(dialog, "research_report_bad_input")
    dialog.visit_date.edit.clear()
    type_text(dialog.visit_date.edit, "1446/02/20 هـ")
    type_text(dialog.findings, "الأسرة من ستة أفراد، والعائل بلا دخل ثابت")
    with qtbot.waitSignal(dialog.sig_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    qtbot.waitUntil(lambda: page.requests.row_of(request) == -1)
    assert page.message.text() == page.tr("The research report is saved.")
    snap(window, "research")
