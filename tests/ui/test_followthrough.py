"""After the committee, in the real window: a service delivered on an approved request until it
is fulfilled, the satisfaction survey after it or after a contact, a complaint from recording
to closing, and the reference library's versions, search and overdue review."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import (
    Channel,
    DecisionOutcome,
    FeedbackKind,
    FeedbackStatus,
    ReferenceKind,
    RequestStatus,
    RequestType,
    Role,
    ServiceType,
)
from db.files import attachment_path
from db.models import Feedback, SatisfactionSurvey, ServiceDelivery, SupportRequest, User
from romah_desktop.dates import to_hijri
from romah_desktop.protection import intact_attachment
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.feedback import record_feedback
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.library import seed_relations_policy
from romah_desktop.services.people.beneficiaries import register_beneficiary
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, only_the_policy, screenshot, type_text, wait_idle
from tests.ui.test_intake import draw
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.delivery import DeliveriesPage, DeliveryDialog
from ui.pages.feedback import (
    AnswerDialog,
    AssignDialog,
    FeedbackDialog,
    FeedbackPage,
    SurveyDialog,
)
from ui.pages.library import LibraryPage, PublishDialog
from ui.qt import QApplication, Qt, QWidget
from ui.widgets.form_dialog import FormDialog
from ui.widgets.tables import RowRole


def snap(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    screenshot(widget, name)


def staff(app: RomahApp, role: Role) -> Actor:
    """Another user of the branch, for preparing records (nobody signs in as them)."""
    with database_of(app) as workspace, workspace.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        user = User(
            username=f"staff.{role.value}",
            full_name=f"موظف {role.value}",
            role=role,
            branch_id=admin.branch_id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        return Actor.of(user)


def approved_request(
    app: RomahApp,
    clerk: Actor,
    approved: str | None = "2,000",
    kind: RequestType = RequestType.RENT,
) -> tuple[str, str]:
    """A person whose request the committee approved (decided yesterday): (person, request)."""
    committee = staff(app, Role.COMMITTEE_MEMBER)
    yesterday = date.today() - timedelta(days=1)
    with database_of(app) as workspace, workspace.transaction() as session:
        person = register_beneficiary(session, clerk, person_form(first_name="هند")).id
        sign_declaration(
            session,
            clerk,
            beneficiary_id=person,
            signer_name="هند",
            text="أقر بصحة البيانات",
            signature_png=None,
        )
        request = create_request(
            session,
            clerk,
            beneficiary_id=person,
            request_type=kind,
            amount=approved,
            justification="متأخرات إيجار",
            channel=Channel.INTERVIEW,
        ).id
        submit_request(session, clerk, request, now=datetime.now(UTC) - timedelta(days=3))
        record_decision(
            session,
            committee,
            request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount=approved,
            reason=None,
            decided_on=yesterday,
            members="أعضاء اللجنة",
        )
    return person, request


def show(qtbot: QtBot, app: RomahApp, window: MainWindow, key: str) -> QWidget:
    window.show_page(key)
    wait_idle(qtbot, app)
    page = window.pages[key]
    assert window.stack.currentWidget() is page and page.isVisible()
    return page


def opened(qtbot: QtBot, signal: object, action: Callable[[], object]) -> FormDialog:
    with qtbot.waitSignal(signal) as blocker:
        action()
    dialog = blocker.args[0]
    assert isinstance(dialog, FormDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def refused_in_window(qtbot: QtBot, dialog: FormDialog, field: str) -> str:
    """Save, wait for the core's refusal, and return the message beside `field`."""
    with qtbot.waitSignal(dialog.sig_failed, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    text = dialog.shown_error(field)
    assert text, f"no message beside {field}"
    return text


def saved_in_window(qtbot: QtBot, app: RomahApp, dialog: FormDialog) -> object:
    with qtbot.waitSignal(dialog.sig_saved, timeout=15_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    return blocker.args[0]


def rating(dialog: SurveyDialog, field: str, text: str) -> None:
    edit = dialog.ratings[field].edit
    edit.clear()
    type_text(edit, text)


# --- service delivery -------------------------------------------------------------------------


def test_a_service_delivery_fulfils_the_request_then_a_survey(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.INTERVIEWER)
    clerk = window.ctx.actor
    person, request = approved_request(romah_app, clerk)
    page = show(qtbot, romah_app, window, "delivery")
    assert isinstance(page, DeliveriesPage)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 1
    assert page.model.index(0, page.model.REMAINING).data() == "2,000.00"
    snap(window, "delivery_page")

    # Enter on the waiting request opens its form, with what is left to deliver filled in.
    page.view.setFocus()
    with qtbot.waitSignal(page.sig_dialog_opened) as opening:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    dialog = opening.args[0]
    assert isinstance(dialog, DeliveryDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert "2,000.00" in dialog.summary.text()
    assert dialog.service_type.currentData() == ServiceType.RENT
    assert dialog.amount.text() == "2,000.00"
    assert dialog.delivered_by.text() == clerk.full_name
    assert not dialog.survey_button.isVisible()  # a survey comes after the delivery

    # Not signed yet: the form says so beside the pad and sends nothing.
    dialog.amount.clear()
    type_text(dialog.amount, "2500")
    type_text(dialog.items, "شيك باسم المؤجر")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.shown_error("signature") and dialog.focusWidget() is dialog.clear_pad
    assert dialog.result is None and not dialog.message.text()  # nothing was sent
    draw(qtbot, dialog.pad, [(60, 120), (140, 70), (220, 130), (330, 90)])
    assert dialog.shown_error("signature") == ""
    # A bad date and an amount above the approval: each message beside its field, all kept.
    type_text(dialog.delivered_on.edit, "1446/13/40 هـ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.delivered_on.error_text()
    dialog.delivered_on.edit.clear()
    type_text(dialog.delivered_on.edit, date.today().isoformat())
    text = refused_in_window(qtbot, dialog, "amount")
    assert "2,000.00" in text
    assert dialog.amount.text() == "2500" and dialog.items.text() == "شيك باسم المؤجر"
    assert dialog.pad.stroke_count() == 1 and dialog.focusWidget() is dialog.amount
    snap(dialog, "delivery_refused")

    dialog.amount.clear()
    type_text(dialog.amount, "2,000")
    png = dialog.pad.to_png()
    result = saved_in_window(qtbot, romah_app, dialog)
    assert result.fulfilled and dialog.isVisible()
    assert dialog.survey_button.isVisible() and not dialog.amount.isEnabled()
    snap(dialog, "delivery_done")
    with database_of(romah_app) as workspace, workspace.db.session() as session:
        row = session.get(SupportRequest, request)
        assert row is not None and row.status == RequestStatus.FULFILLED
        delivery = session.scalars(
            sa.select(ServiceDelivery).where(ServiceDelivery.request_id == request)
        ).one()
        sha = hashlib.sha256(png).hexdigest()
        assert delivery.receipt_signature_sha256 == sha
        assert delivery.amount_halalas == 200_000 and delivery.items == "شيك باسم المؤجر"
    stored = attachment_path(romah_app.workspace.attachments_dir, sha).read_bytes()
    assert png not in stored  # encrypted at rest
    assert (
        intact_attachment(romah_app.workspace.attachments_dir, sha, romah_app.workspace.files)
        == png
    )
    # The fulfilled request leaves the waiting list.
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)

    # The survey about this service: empty and out-of-range ratings are explained.
    with qtbot.waitSignal(dialog.survey_button.clicked):
        qtbot.mouseClick(dialog.survey_button, Qt.MouseButton.LeftButton)
    survey = dialog.survey
    assert isinstance(survey, SurveyDialog)
    qtbot.waitUntil(survey.isVisible)
    qtbot.waitUntil(lambda: "هند" in survey.person.text())
    assert "RYD-" in survey.about_label.text()
    assert survey.focusWidget() is survey.ratings["overall"].edit
    type_text(survey.comment, "تعامل راقٍ")
    rating(survey, "speed", "4")
    assert "1" in refused_in_window(qtbot, survey, "overall")  # empty overall
    rating(survey, "overall", "7")
    rating(survey, "courtesy", "0")
    assert refused_in_window(qtbot, survey, "overall")
    assert survey.shown_error("courtesy")
    assert survey.ratings["speed"].text() == "4" and survey.comment.toPlainText() == "تعامل راقٍ"
    snap(survey, "survey_refused")
    rating(survey, "overall", "٥")  # typed with Arabic-Indic digits
    qtbot.mouseClick(survey.ratings["courtesy"].buttons[4], Qt.MouseButton.LeftButton)
    assert survey.ratings["courtesy"].text() == "5" and not survey.shown_error("courtesy")
    saved_in_window(qtbot, romah_app, survey)
    with romah_app.workspace.db.session() as session:
        stored = session.scalars(sa.select(SatisfactionSurvey)).one()
        assert (stored.overall, stored.speed, stored.courtesy, stored.clarity) == (5, 4, 5, None)
        assert stored.beneficiary_id == person and stored.request_id == request
        assert stored.comment == "تعامل راقٍ"


def test_an_anonymous_survey_after_a_contact(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    clerk = window.ctx.actor
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        person = register_beneficiary(session, clerk, person_form(first_name="سارة")).id
        contact = log_contact(
            session,
            clerk,
            channel=Channel.SOCIAL_MEDIA,
            subject="سؤال عن موعد التسليم",
            beneficiary_id=person,
        ).id
    page = show(qtbot, romah_app, window, "feedback")
    assert isinstance(page, FeedbackPage)
    page.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(page.sig_dialog_opened) as opening:
        qtbot.mouseClick(page.survey_button, Qt.MouseButton.LeftButton)
    survey = opening.args[0]
    assert isinstance(survey, SurveyDialog)
    qtbot.waitUntil(lambda: survey.subjects.isEnabled())
    # The contact just logged is offered; choosing it takes its channel and person.
    assert survey.subjects.count() == 2
    survey.subjects.setCurrentIndex(1)
    assert survey.channel.currentData() == Channel.SOCIAL_MEDIA
    assert "سارة" in survey.person.text() and survey.anonymous.isVisible()
    survey.anonymous.setFocus()
    qtbot.keyClick(survey.anonymous, Qt.Key.Key_Space)
    assert survey.anonymous.isChecked() and "سارة" not in survey.person.text()
    rating(survey, "overall", "3")
    rating(survey, "clarity", "ممتاز")  # a word, not a number
    assert refused_in_window(qtbot, survey, "clarity")
    snap(survey, "survey_anonymous")
    rating(survey, "clarity", "2")
    saved_in_window(qtbot, romah_app, survey)
    with romah_app.workspace.db.session() as session:
        stored = session.scalars(sa.select(SatisfactionSurvey)).one()
        assert stored.beneficiary_id is None and stored.contact_id is None
        assert stored.channel == Channel.SOCIAL_MEDIA and (stored.overall, stored.clarity) == (3, 2)
    with qtbot.waitSignal(page.sig_surveys_loaded):
        page.refresh()
    assert page.surveys_model.rowCount() == 1
    assert page.surveys_model.index(0, page.surveys_model.PERSON).data() != "سارة"
    snap(window, "surveys_page")
    assert contact


# --- suggestions and complaints ---------------------------------------------------------------


def test_a_complaint_from_recording_to_closing(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.BRANCH_MANAGER)
    clerk = staff(romah_app, Role.INTERVIEWER)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        late = record_feedback(
            session,
            clerk,
            kind=FeedbackKind.SUGGESTION,
            channel=Channel.WEBSITE,
            text="إتاحة حجز موعد عبر الموقع",
            due_in_days=3,
            received_on=date.today() - timedelta(days=10),
        ).id
    page = show(qtbot, romah_app, window, "feedback")
    assert isinstance(page, FeedbackPage)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data(RowRole.OVERDUE) is True
    assert "1" in page.count.text()

    dialog = opened(qtbot, page.sig_dialog_opened, page.new_button.click)
    assert isinstance(dialog, FeedbackDialog)
    assert dialog.kind.currentData() == FeedbackKind.COMPLAINT
    assert refused_in_window(qtbot, dialog, "text") == "يجب تعبئة هذا الحقل."
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.PHONE))
    dialog.due_in_days.setValue(7)
    assert str((date.today() + timedelta(days=7)).year) in dialog.due_on.text()
    type_text(dialog.text, "تأخر الرد على اتصالي ثلاثة أيام")
    assert dialog.shown_error("text") == ""
    snap(dialog, "complaint_new")
    complaint = saved_in_window(qtbot, romah_app, dialog)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    row = page.model.row_of(str(complaint))
    page.view.setCurrentIndex(page.model.index(row, 0))
    assert page.assign_button.isEnabled() and not page.close_button.isEnabled()
    assert "ثلاثة أيام" in page.details.toPlainText()

    assign = opened(qtbot, page.sig_dialog_opened, page.assign_button.click)
    assert isinstance(assign, AssignDialog)
    qtbot.waitUntil(lambda: assign.user.count() > 0)
    assign.user.setCurrentIndex(assign.user.findData(clerk.user_id))
    saved_in_window(qtbot, romah_app, assign)
    qtbot.waitUntil(lambda: page.current() is not None and page.current().assigned_to != "")
    assert page.current().id == complaint and page.current().assigned_to == clerk.full_name

    answer = opened(qtbot, page.sig_dialog_opened, page.answer_button.click)
    assert isinstance(answer, AnswerDialog)
    assert refused_in_window(qtbot, answer, "response")  # nothing typed
    type_text(answer.response, "اعتذرنا للمستفيد وحُدد له موعد")
    saved_in_window(qtbot, romah_app, answer)
    qtbot.waitUntil(lambda: page.current().status == FeedbackStatus.ANSWERED)
    assert page.close_button.isEnabled()
    snap(window, "feedback_page")

    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    # Closed items leave the "not closed" list; the overdue suggestion stays, flagged.
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.row_at(0).id == late and page.model.row_at(0).overdue
    page.show_filter.setCurrentIndex(1)
    wait_idle(qtbot, romah_app)
    assert page.model.rowCount() == 2
    with romah_app.workspace.db.session() as session:
        item = session.get(Feedback, complaint)
        assert item is not None and item.status == FeedbackStatus.CLOSED
        assert item.assigned_to_user_id == clerk.user_id and item.closed_at is not None
        assert item.response == "اعتذرنا للمستفيد وحُدد له موعد"


def test_pages_follow_the_role(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.COMMITTEE_MEMBER)
    assert "delivery" not in window.pages and "feedback" not in window.pages


# --- reference library ------------------------------------------------------------------------


def test_the_library_publishes_a_version_keeps_the_old_and_flags_reviews(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    admin = main_window.ctx.actor
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        seed_relations_policy(session, admin)  # its review was due on 2024-12-25
    with database_of(romah_app) as workspace:
        only_the_policy(workspace)
    library = show(qtbot, romah_app, main_window, "library")
    assert isinstance(library, LibraryPage)
    assert library.publish_button.isVisible()
    assert library.model.rowCount() == 1
    assert library.proxy.index(0, 0).data(RowRole.OVERDUE) is True
    assert "2024/12/25" in library.title.text() and "1" in library.message.text()

    dialog = opened(qtbot, library.sig_dialog_opened, library.publish_button.click)
    assert isinstance(dialog, PublishDialog)
    assert dialog.kind.currentData() == ReferenceKind.RELATIONS_POLICY
    assert dialog.doc_title.currentText() == library.model.row_at(0).title
    assert dialog.focusWidget() is dialog.version
    type_text(dialog.version, "1.0")  # already published
    approved = date.today() - timedelta(days=30)
    type_text(dialog.approved_on.edit, to_hijri(approved))  # typed in Hijri
    type_text(dialog.review_due_on.edit, (approved - timedelta(days=1)).isoformat())
    type_text(dialog.text, "نص الإصدار الثاني: يستطلع رأي المستفيد بعد كل خدمة")
    assert refused_in_window(qtbot, dialog, "review_due_on")
    dialog.review_due_on.edit.clear()
    type_text(dialog.review_due_on.edit, to_hijri(approved + timedelta(days=365)))
    with qtbot.waitSignal(dialog.sig_failed, timeout=15_000) as refusal:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "1.0" in refusal.args[0] and "1.0" in dialog.shown_error("version")
    assert dialog.focusWidget() is dialog.version
    assert dialog.text.toPlainText().startswith("نص الإصدار الثاني")
    snap(dialog, "library_publish_refused")
    dialog.version.clear()
    type_text(dialog.version, "2.0")
    with qtbot.waitSignal(library.sig_versions, timeout=15_000):
        saved_in_window(qtbot, romah_app, dialog)
    wait_idle(qtbot, romah_app)
    # The new version is the library's; its review is not due; the old one is kept.
    assert library.model.rowCount() == 1
    assert library.model.row_at(0).version == "2.0"
    assert library.proxy.index(0, 0).data(RowRole.OVERDUE) is False
    assert not library.message.text()
    assert library.versions.count() == 2 and library.versions.isVisible()
    assert "الإصدار الثاني" in library.body.toPlainText()
    snap(main_window, "library_versions")
    library.versions.setCurrentRow(1)
    assert "لجنة البحث" in library.body.toPlainText()  # the first version's text
    assert "1.0" in library.title.text()
    library.versions.setCurrentRow(0)
    # The search finds the new text whatever the spelling of hamza and ta marbuta.
    type_text(library.query, "يستطلع راي المستفيد")
    assert library.proxy.rowCount() == 1
    library.query.clear()
    type_text(library.query, "كلمة-غير-موجودة")
    assert library.proxy.rowCount() == 0 and library.versions.count() == 0
