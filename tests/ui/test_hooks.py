"""Where one piece of work leads to the next, in the real window: a contact logged offers its
satisfaction survey, an approved request's details record its delivery, and Today shows the
suggestions and complaints whose answer is overdue or due soon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Channel, FeedbackKind, RequestStatus, Role
from db.models import SatisfactionSurvey, SupportRequest
from romah_desktop.labels import label
from romah_desktop.services.feedback import record_feedback
from romah_desktop.services.people.beneficiaries import register_beneficiary
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, type_text, wait_idle
from tests.ui.test_followthrough import (
    approved_request,
    rating,
    refused_in_window,
    saved_in_window,
    show,
    snap,
    staff,
)
from tests.ui.test_intake import draw
from tests.ui.test_pages import open_dialog, pick_person, save_by_enter
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.contacts import ContactsPage
from ui.pages.delivery import DeliveryDialog
from ui.pages.feedback import FeedbackPage, SurveyDialog
from ui.pages.requests import RequestDetailsDialog, RequestsPage
from ui.pages.today import TodayPage
from ui.qt import QScrollArea, Qt
from ui.widgets.tables import RowRole

# --- a contact logged offers its survey -------------------------------------------------------


def test_a_logged_contact_offers_its_survey(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    clerk = window.ctx.actor
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        person = register_beneficiary(session, clerk, person_form(first_name="ريم")).id
    page = show(qtbot, romah_app, window, "contacts")
    assert isinstance(page, ContactsPage)
    assert not page.offer.isVisible()

    dialog = open_dialog(qtbot, page)
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.PHONE))
    pick_person(qtbot, dialog, "ريم")
    type_text(dialog.subject, "سؤال عن موعد الصرف")
    contact = save_by_enter(qtbot, dialog)
    wait_idle(qtbot, romah_app)
    # The offer waits on the page; the person may decline, so nothing opens by itself.
    qtbot.waitUntil(page.offer.isVisible)
    assert page.offer.text.text() and page.offer.take_button.isEnabled()
    snap(window, "hooks_contact_survey_offer")

    with qtbot.waitSignal(page.offer.take_button.clicked):
        qtbot.mouseClick(page.offer.take_button, Qt.MouseButton.LeftButton)
    survey = page.survey
    assert isinstance(survey, SurveyDialog)
    qtbot.waitUntil(survey.isVisible)
    qtbot.waitUntil(lambda: "ريم" in survey.person.text())
    assert "سؤال عن موعد الصرف" in survey.about_label.text()
    assert survey.channel.currentData() == Channel.PHONE
    # A bad rating is explained beside it and what was typed stays.
    type_text(survey.comment, "رد سريع")
    rating(survey, "overall", "9")
    assert refused_in_window(qtbot, survey, "overall")
    assert survey.comment.toPlainText() == "رد سريع" and page.offer.isVisible()
    snap(survey, "hooks_contact_survey")
    rating(survey, "overall", "٤")
    saved_in_window(qtbot, romah_app, survey)
    assert not page.offer.isVisible()
    with romah_app.workspace.db.session() as session:
        stored = session.scalars(sa.select(SatisfactionSurvey)).one()
        assert (stored.contact_id, stored.beneficiary_id) == (contact, person)
        assert stored.channel == Channel.PHONE and stored.overall == 4

    # An inquirer's contact: the offer again, and "Not now" puts it away.
    dialog = open_dialog(qtbot, page)
    qtbot.mouseClick(dialog.inquiry, Qt.MouseButton.LeftButton)
    type_text(dialog.inquirer_name, "سعد")
    type_text(dialog.subject, "كيف أسجل؟")
    save_by_enter(qtbot, dialog)
    qtbot.waitUntil(page.offer.isVisible)
    qtbot.mouseClick(page.offer.dismiss_button, Qt.MouseButton.LeftButton)
    assert not page.offer.isVisible()


# --- an approved request's details record its delivery -----------------------------------------


def open_details(qtbot: QtBot, app: RomahApp, window: MainWindow) -> RequestDetailsDialog:
    page = show(qtbot, app, window, "requests")
    assert isinstance(page, RequestsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(page.sig_opened):
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    details = page.details
    assert isinstance(details, RequestDetailsDialog)
    qtbot.waitUntil(lambda: details.fields["status"].text() != "")
    wait_idle(qtbot, app)
    return details


def test_the_request_details_record_a_delivery_until_fulfilled(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    _person, request = approved_request(romah_app, window.ctx.actor, approved="1,000")
    details = open_details(qtbot, romah_app, window)
    assert details.fields["status"].text() == label(RequestStatus.APPROVED)
    assert details.deliver_button.isVisible()
    snap(details, "hooks_request_details_deliver")

    qtbot.mouseClick(details.deliver_button, Qt.MouseButton.LeftButton)
    delivery = details.delivery
    assert isinstance(delivery, DeliveryDialog)
    qtbot.waitUntil(lambda: delivery.plan is not None and delivery.save_button.isEnabled())
    assert delivery.amount.text() == "1,000.00"
    # Part of it first, the amount typed badly: explained beside it, nothing lost.
    delivery.amount.clear()
    type_text(delivery.amount, "ستمائة")
    draw(qtbot, delivery.pad, [(60, 120), (160, 70), (260, 120)])
    assert refused_in_window(qtbot, delivery, "amount")
    assert delivery.amount.text() == "ستمائة" and delivery.pad.stroke_count() == 1
    delivery.amount.clear()
    type_text(delivery.amount, "600")
    with qtbot.waitSignal(details.sig_loaded, timeout=15_000):
        result = saved_in_window(qtbot, romah_app, delivery)
    assert not result.fulfilled
    # Still approved with 400 riyals to go: the button stays for the rest.
    assert details.fields["status"].text() == label(RequestStatus.APPROVED)
    assert details.deliver_button.isVisible()
    qtbot.mouseClick(delivery.save_button, Qt.MouseButton.LeftButton)  # "Done"
    qtbot.waitUntil(lambda: not delivery.isVisible())

    qtbot.mouseClick(details.deliver_button, Qt.MouseButton.LeftButton)
    rest = details.delivery
    assert isinstance(rest, DeliveryDialog) and rest is not delivery
    qtbot.waitUntil(lambda: rest.plan is not None and rest.save_button.isEnabled())
    assert rest.amount.text() == "400.00"
    qtbot.mouseClick(rest.paper, Qt.MouseButton.LeftButton)  # signed a paper receipt
    with qtbot.waitSignal(details.sig_loaded, timeout=15_000):
        result = saved_in_window(qtbot, romah_app, rest)
    assert result.fulfilled
    assert details.fields["status"].text() == label(RequestStatus.FULFILLED)
    assert not details.deliver_button.isVisible()
    snap(details, "hooks_request_details_fulfilled")
    with database_of(romah_app) as workspace, workspace.db.session() as session:
        stored = session.get(SupportRequest, request)
        assert stored is not None and stored.status == RequestStatus.FULFILLED


def test_only_those_who_deliver_see_the_delivery_button(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.SOCIAL_RESEARCHER)
    approved_request(romah_app, staff(romah_app, Role.INTERVIEWER))
    details = open_details(qtbot, romah_app, window)
    assert details.fields["status"].text() == label(RequestStatus.APPROVED)
    assert not details.deliver_button.isVisible()


# --- Today: suggestions and complaints due ------------------------------------------------------


def test_today_shows_the_feedback_overdue_and_due_soon(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    clerk = staff(romah_app, Role.INTERVIEWER)
    today = date.today()

    def new(text: str, received_days_ago: int, due_in_days: int, kind: FeedbackKind) -> str:
        with database_of(romah_app) as workspace, workspace.transaction() as session:
            return record_feedback(
                session,
                clerk,
                kind=kind,
                channel=Channel.PHONE,
                text=text,
                received_on=today - timedelta(days=received_days_ago),
                due_in_days=due_in_days,
            ).id

    late = new("تأخر صرف المساعدة", 10, 7, FeedbackKind.COMPLAINT)  # three days overdue
    soon = new("إضافة مواقف للسيارات", 0, 2, FeedbackKind.SUGGESTION)
    new("تمديد ساعات الدوام", 0, 20, FeedbackKind.SUGGESTION)  # not due for a while

    window = window_as(Role.BRANCH_MANAGER)
    today_page = window.pages["today"]
    assert isinstance(today_page, TodayPage)
    with qtbot.waitSignal(today_page.sig_feedback_loaded, timeout=15_000):
        window.show_page("today")
    wait_idle(qtbot, romah_app)
    qtmodeltester.check(today_page.feedback_overdue)
    overdue = today_page.feedback_sections["feedback_overdue"]
    due_soon = today_page.feedback_sections["feedback_due_soon"]
    assert overdue.isVisible() and due_soon.isVisible()
    assert overdue.count.text() == "1" and due_soon.count.text() == "1"
    assert today_page.feedback_overdue.index(0, 0).data(RowRole.OVERDUE) is True
    assert "تأخر صرف المساعدة" in today_page.feedback_overdue.index(0, 3).data()
    assert today_page.feedback_due_soon.row_at(0).id == soon
    assert today_page.day is not None
    assert str(today_page.day.total + 2) in today_page.summary.text()
    scroll = today_page.findChild(QScrollArea, "today_scroll")
    assert scroll is not None
    scroll.ensureWidgetVisible(due_soon)
    snap(window, "hooks_today_feedback")

    # Enter on the overdue complaint opens it on the suggestions and complaints page.
    feedback = window.pages["feedback"]
    assert isinstance(feedback, FeedbackPage)
    overdue.view.setFocus()
    overdue.view.setCurrentIndex(today_page.feedback_overdue.index(0, 0))
    with qtbot.waitSignal(feedback.sig_loaded, timeout=15_000):
        qtbot.keyClick(overdue.view, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    assert window.stack.currentWidget() is feedback
    current = feedback.current()
    assert current is not None and current.id == late and current.overdue
    snap(window, "hooks_feedback_opened_from_today")

    # Back on Today, the due-soon section's button opens its first item.
    with qtbot.waitSignal(today_page.sig_feedback_loaded, timeout=15_000):
        window.show_page("today")
    button = due_soon.findChild(type(feedback.new_button), "open_feedback_due_soon")
    assert button is not None and button.isEnabled()
    with qtbot.waitSignal(feedback.sig_loaded, timeout=15_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert feedback.current() is not None and feedback.current().id == soon


def test_today_shows_no_feedback_to_those_who_do_not_follow_it_up(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    clerk = staff(romah_app, Role.BRANCH_DELEGATE)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        record_feedback(
            session,
            clerk,
            kind=FeedbackKind.COMPLAINT,
            channel=Channel.PHONE,
            text="شكوى متأخرة",
            received_on=date.today() - timedelta(days=30),
        )
    window = window_as(Role.INTERVIEWER)
    today_page = window.pages["today"]
    assert isinstance(today_page, TodayPage)
    with qtbot.waitSignal(today_page.sig_loaded, timeout=15_000):
        window.show_page("today")
    wait_idle(qtbot, romah_app)
    assert today_page.feedback is None
    assert not any(s.isVisible() for s in today_page.feedback_sections.values())
