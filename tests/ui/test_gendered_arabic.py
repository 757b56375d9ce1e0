"""A woman is named and addressed in the feminine on screen, as on paper: the file form's
choices that describe her, the intake's steps and the declaration she reads before she signs."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.enums import (
    Channel,
    DecisionOutcome,
    Gender,
    InterviewStep,
    MaritalStatus,
    RegistrationStatus,
    RequestType,
    Role,
)
from db.models import Beneficiary, SignedDeclaration, SupportRequest, User
from romah_desktop.printing.kinds import FormKind
from romah_desktop.printing.printed import printed_values
from romah_desktop.printing.records import load
from romah_desktop.resources import resources_dir
from romah_desktop.services.committee.workspace import record_meeting
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.validation import make_national_id
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from tests.ui.test_committee import prepared_request
from tests.ui.test_followthrough import approved_request, staff
from tests.ui.test_registry import show_registry
from ui import i18n
from ui.app import RomahApp
from ui.intake import IntakeWizard
from ui.intake.pages import DeclarePage, ReceivePage, ReferPage, VerifyPage
from ui.main_window import MainWindow
from ui.pages.committee.dialogs import CaseDialog
from ui.pages.committee.page import CommitteePage
from ui.pages.delivery import DeliveryDialog
from ui.pages.feedback import FeedbackPage, SurveyDialog
from ui.profile.dialog import CATEGORIES, ProfileDialog
from ui.qt import QApplication, QComboBox, QPoint, Qt, QWidget, QWizard
from ui.registry.model import Column, RegistryRole

ROOT = Path(__file__).resolve().parents[2]
NATIONAL_ID = make_national_id("109988776")
FEMININE = ["عزباء", "متزوجة", "مطلقة", "أرملة"]
MASCULINE = ["أعزب", "متزوج", "مطلق", "أرمل"]


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    # A question box would wait for a click forever in a headless test.
    monkeypatch.setattr(ProfileDialog, "confirm_discard", lambda self: True)


def admin_of(app: RomahApp) -> Actor:
    with database_of(app) as workspace, workspace.transaction() as session:
        return Actor.of(session.scalars(sa.select(User).where(User.username == "admin")).one())


def register(app: RomahApp, **form: str) -> str:
    admin = admin_of(app)
    with database_of(app) as workspace, workspace.transaction() as session:
        return register_beneficiary(session, admin, person_form(**form)).id


def shot(widget: QWidget, name: str) -> None:
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    screenshot(widget, name)


def choices(box: QComboBox) -> list[str]:
    """The texts of a drop-down's choices, the empty one left out."""
    return [box.itemText(i) for i in range(box.count()) if box.itemData(i)]


def choose_gender(qtbot: QtBot, dialog: ProfileDialog, gender: str) -> None:
    """Move the gender drop-down to `gender` ("M" or "F") with the arrow keys."""
    box = dialog.inputs["gender"]
    assert isinstance(box, QComboBox)
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Home)
    while box.currentData() != gender:
        QTest.keyClick(box, Qt.Key.Key_Down)


# --- the file form ----------------------------------------------------------------------------


def test_the_file_form_names_a_woman_s_status_in_the_feminine(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    assert romah_app.ctx is not None
    dialog = ProfileDialog(romah_app.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    marital = dialog.inputs["marital_status"]
    assert isinstance(marital, QComboBox)
    assert choices(marital) == MASCULINE  # nobody chosen yet: the wording for anyone

    choose_gender(qtbot, dialog, "F")
    assert choices(marital) == FEMININE
    assert dialog.category_boxes["orphan"].text() == "يتيمة"
    assert dialog.duplicates.confirm.text() == "هذه امرأة أخرى — سجّلها على أي حال"
    marital.setFocus()
    QTest.keyClick(marital, Qt.Key.Key_Down)
    QTest.keyClick(marital, Qt.Key.Key_Down)
    assert marital.currentText() == "متزوجة" and dialog.value("marital_status") == "married"
    shot(dialog, "gendered_profile_new_woman")
    marital.showPopup()
    qtbot.waitUntil(lambda: marital.view().isVisible())
    shot(marital.view().window(), "gendered_profile_marital_choices_woman")
    marital.hidePopup()

    # Changing the gender renames the choices; the status chosen stays chosen.
    choose_gender(qtbot, dialog, "M")
    assert choices(marital) == MASCULINE
    assert marital.currentText() == "متزوج" and dialog.value("marital_status") == "married"
    assert dialog.category_boxes["orphan"].text() == "يتيم"
    choose_gender(qtbot, dialog, "F")
    assert marital.currentText() == "متزوجة"


def test_a_stored_woman_s_file_shows_her_status_in_the_feminine_and_keeps_it(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    assert romah_app.ctx is not None
    beneficiary_id = register(
        romah_app,
        first_name="سارة",
        gender="أنثى",
        marital_status="widowed",
        categories="orphan",
    )
    dialog = ProfileDialog(romah_app.ctx, beneficiary_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.sig_loaded, timeout=10_000):
        pass
    wait_idle(qtbot, romah_app)
    marital = dialog.inputs["marital_status"]
    assert isinstance(marital, QComboBox)
    assert marital.currentText() == "أرملة" and choices(marital) == FEMININE
    assert dialog.value("marital_status") == MaritalStatus.WIDOWED.value
    assert not dialog.is_dirty()  # renaming the choices is no change to the file
    shot(dialog, "gendered_profile_woman")
    dialog.tabs.setCurrentIndex(CATEGORIES)
    assert dialog.category_boxes["orphan"].isChecked()
    assert dialog.category_boxes["orphan"].text() == "يتيمة"
    shot(dialog, "gendered_profile_woman_categories")


def test_in_english_the_choices_are_the_same_for_everyone(
    qtbot: QtBot, qapp: QApplication, romah_app: RomahApp, main_window: MainWindow
) -> None:
    assert romah_app.ctx is not None
    i18n.set_language(qapp, "en")
    dialog = ProfileDialog(romah_app.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    marital = dialog.inputs["marital_status"]
    assert isinstance(marital, QComboBox)
    choose_gender(qtbot, dialog, "F")
    assert choices(marital) == ["Single", "Married", "Divorced", "Widowed"]
    assert dialog.category_boxes["orphan"].text() == "Orphan"
    assert dialog.duplicates.confirm.text() == "This is someone else — register anyway"


def test_the_registry_names_a_woman_s_status_in_the_feminine(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    woman = register(romah_app, first_name="منيرة", gender="أنثى", categories="orphan")
    man = register(romah_app, first_name="ماجد", gender="ذكر", categories="orphan")
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        for person in session.scalars(sa.select(Beneficiary)):
            # Test setup: the intake's last step normally completes the registration.
            person.registration_status = RegistrationStatus.REGISTERED
    page = show_registry(qtbot, romah_app, main_window)
    model = page.model
    shown = {
        model.index(r, 0).data(RegistryRole.ID): (
            model.index(r, Column.STATUS).data(),
            model.index(r, Column.CATEGORIES).data(),
        )
        for r in range(model.rowCount())
    }
    assert shown[woman] == ("مسجَّلة", "يتيمة")
    assert shown[man] == ("مسجَّل", "يتيم")


# --- the intake -------------------------------------------------------------------------------


def next_step(qtbot: QtBot, app: RomahApp, wizard: IntakeWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


def test_the_declaration_step_reads_to_a_woman_the_words_printed_for_her(
    qtbot: QtBot, romah_app: RomahApp, window_as
) -> None:
    beneficiary_id = register(
        romah_app,
        first_name="لطيفة",
        father_name="حمد",
        grandfather_name="صالح",
        family_name="الدوسري",
        gender="أنثى",
        marital_status="divorced",
        household_size="3",
        national_id=NATIONAL_ID,
    )
    window = window_as(Role.INTERVIEWER)
    assert romah_app.ctx is not None and romah_app.workspace is not None
    wizard = IntakeWizard(romah_app.ctx, window)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)

    # 1. Receive: she is found and chosen; the window's title speaks of her.
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    receive.picker.query.setFocus()
    with qtbot.waitSignal(receive.picker.sig_results, timeout=10_000):
        type_text(receive.picker.query, "لطيفة")
    QTest.keyClick(receive.picker.query, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    assert receive.record["beneficiary_id"] == beneficiary_id
    assert wizard.windowTitle().startswith("استقبال المستفيدة — لطيفة")
    assert receive.justification.placeholderText() == "حال المستفيدة وسبب حاجتها إلى الدعم"
    receive.request_type.setCurrentIndex(receive.request_type.findData(RequestType.IN_KIND))
    type_text(receive.subject, "سلة غذائية")
    type_text(receive.justification, "تعول ثلاثة أبناء بلا دخل ثابت.")
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 2

    # 2. Verify: her identity card, valid.
    verify = wizard.page_of(InterviewStep.COLLECT_VERIFY)
    assert isinstance(verify, VerifyPage)
    qtbot.waitUntil(lambda: len(verify.rows) == 1, timeout=10_000)
    assert not verify.file_inputs
    type_text(verify.rows[0].number, NATIONAL_ID)
    type_text(verify.rows[0].expiry.edit, (date.today() + timedelta(days=400)).isoformat())
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 3

    # 3. Refer: the step speaks of her.
    refer = wizard.page_of(InterviewStep.REFER)
    assert isinstance(refer, ReferPage)
    assert "للمستفيدة" in refer.subTitle() and "سؤالها" in refer.subTitle()
    assert refer.question_title.text() == "سؤال المستفيدة (&Q)"
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 4

    # 4. Declare: her own declaration, in the feminine, and her status as a woman's.
    declare = wizard.page_of(InterviewStep.DECLARE)
    assert isinstance(declare, DeclarePage)
    qtbot.waitUntil(lambda: declare.preview is not None, timeout=10_000)
    shown = declare.text.text()
    assert "صاحبة الهوية" in shown and "مسؤولة" in shown
    assert "صاحب الهوية" not in shown
    assert "المستفيدة" in declare.subTitle() and "فتؤكد" in declare.subTitle()
    assert declare.signer_title.text() == "الموقّعة (&S)"
    assert declare.pad.toolTip().startswith("توقّع المستفيدة")
    rows = {
        declare.data.item(r, 0).text(): declare.data.item(r, 1).text()
        for r in range(declare.data.rowCount())
    }
    assert "مطلقة" in rows.values() and "مطلق" not in rows.values()
    next_step(qtbot, romah_app, wizard)  # no signature: refused, addressed to her
    assert wizard.currentId() == 4
    assert declare.findChild(QWidget, "signature_error").text().startswith("توقّع المستفيدة")
    shot(wizard, "gendered_intake_declare_woman")
    pad = declare.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(60, 100))
    qtbot.mouseMove(pad, QPoint(200, 130))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(300, 90))
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 5
    submit = wizard.page_of(InterviewStep.INFORM)
    assert submit.subTitle().startswith("أبلغ المستفيدة أن طلبها")

    # What she read is what she signed, and what the printed declaration carries.
    declaration_id = wizard.record["declaration_id"]
    admin = admin_of(romah_app)
    with romah_app.workspace.transaction() as session:
        signed = session.get(SignedDeclaration, declaration_id)
        assert signed is not None and signed.text == shown
        paper = printed_values(
            load(session, admin, FormKind.DECLARATION, declaration_id, to_print=False)
        )
        person = session.get(Beneficiary, beneficiary_id)
        assert person is not None
        numbers = {"national_id": person.national_id, "file_number": person.file_number}
    assert paper["declaration_text"] == shown
    # The one resource both read: the feminine declaration.
    template = (resources_dir() / "forms" / "declaration_ar_female.txt").read_text("utf-8")
    assert shown == template.strip().format(full_name="لطيفة حمد صالح الدوسري", **numbers)


# --- the receipt of a service ---------------------------------------------------------------


def test_the_delivery_form_asks_a_woman_to_sign_in_the_feminine(
    qtbot: QtBot, romah_app: RomahApp, window_as
) -> None:
    window = window_as(Role.INTERVIEWER)
    person, request = approved_request(romah_app, window.ctx.actor, approved="1,000")
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        woman = session.get(Beneficiary, person)
        assert woman is not None
        woman.gender = Gender.FEMALE  # test setup: هند is a woman
    dialog = DeliveryDialog(window.ctx, request, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_loaded, timeout=10_000):
        dialog.show()
    wait_idle(qtbot, romah_app)
    title = dialog.form.labelForField(dialog.signature_row)
    assert title.text() == "توقيع المستفيدة بالاستلام"
    assert dialog.paper.text() == "وقّعت على إيصال &ورقي بدلًا من ذلك"
    assert dialog.pad.toolTip().startswith("توقّع المستفيدة")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["signature"].text().startswith("توقّع المستفيدة بالاستلام")
    shot(dialog, "gendered_delivery_woman")


def test_the_committee_tells_a_woman_of_its_decision_in_the_feminine(
    qtbot: QtBot, romah_app: RomahApp, window_as
) -> None:
    window = window_as(Role.COMMITTEE_MEMBER)
    request = prepared_request(romah_app, staff(romah_app, Role.INTERVIEWER), days_ago=2)
    case = CaseDialog(window.ctx, request, window)
    qtbot.addWidget(case)
    case.show()
    qtbot.waitUntil(lambda: case.case is not None, timeout=10_000)
    wait_idle(qtbot, romah_app)
    assert case.form.labelForField(case.notify_row).text() == "إبلاغ المستفيدة عبر"
    assert case.fact_titles["person"].text() == "المستفيدة"


@pytest.mark.parametrize(
    ("name", "gender", "told"),
    [("هند", Gender.FEMALE, "المستفيدة"), ("فهد", Gender.MALE, "المستفيد")],
)
def test_the_decision_recorded_says_whom_the_committee_told_in_their_gender(
    qtbot: QtBot, romah_app: RomahApp, window_as, name: str, gender: Gender, told: str
) -> None:
    window = window_as(Role.COMMITTEE_MEMBER)
    request = prepared_request(romah_app, staff(romah_app, Role.INTERVIEWER), 2, name=name)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        record_meeting(session, window.ctx.actor, held_on=None, members_present="أحمد السالم")
        asked = session.get(SupportRequest, request)
        assert asked is not None
        person = session.get(Beneficiary, asked.beneficiary_id)
        assert person is not None
        person.gender = gender  # test setup: the person prepared is a woman
    window.show_page("committee")
    wait_idle(qtbot, romah_app)
    page = window.pages["committee"]
    assert isinstance(page, CommitteePage)
    case = page.open_case(request)
    qtbot.waitUntil(lambda: case.case is not None, timeout=10_000)
    wait_idle(qtbot, romah_app)
    case.outcome.setCurrentIndex(case.outcome.findData(DecisionOutcome.APPROVE))
    case.amount.selectAll()
    type_text(case.amount, "1000")
    with qtbot.waitSignal(case.sig_decided, timeout=15_000):
        qtbot.mouseClick(case.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    message = page.message.text()
    assert message.startswith("سُجّل القرار") and f"التواصل مع {told}،" in message
    shot(window, f"gendered_committee_decided_{gender.name.lower()}")


# --- the satisfaction survey ------------------------------------------------------------------


def survey_wording(dialog: SurveyDialog) -> tuple[str, str, str]:
    """What the survey says of the person: its opening line, the anonymous choice, and the
    title of the person's row."""
    title = dialog.form.labelForField(dialog.person_row)
    return dialog.intro.text(), dialog.anonymous.text(), title.text()


MASCULINE_SURVEY = (
    "تقييم الخدمة حق للمستفيد وأداة للتطوير، ولا يُستخدم لمحاسبة أحد. 1 = ضعيف، 5 = ممتاز.",
    "يفضّل المستفيد عدم ذكر &اسمه",
    "المستفيد",
)
FEMININE_SURVEY = (
    "تقييم الخدمة حق للمستفيدة وأداة للتطوير، ولا يُستخدم لمحاسبة أحد. 1 = ضعيف، 5 = ممتاز.",
    "تفضّل المستفيدة عدم ذكر &اسمها",
    "المستفيدة",
)


def test_the_survey_after_a_service_speaks_of_a_woman_in_the_feminine(
    qtbot: QtBot, romah_app: RomahApp, window_as
) -> None:
    window = window_as(Role.INTERVIEWER)
    woman = register(romah_app, first_name="نورة", gender="أنثى")
    man = register(romah_app, first_name="خالد", gender="ذكر")
    for person, name, wording in (
        (woman, "نورة", FEMININE_SURVEY),
        (man, "خالد", MASCULINE_SURVEY),
    ):
        dialog = SurveyDialog(
            window.ctx,
            window,
            channel=Channel.INTERVIEW,
            beneficiary_id=person,
            about="الخدمة المقدَّمة",
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda n=name, d=dialog: n in d.person.text(), timeout=10_000)
        wait_idle(qtbot, romah_app)
        assert survey_wording(dialog) == wording, name
        if person == woman:
            shot(dialog, "gendered_survey_woman")
        dialog.close()


def test_the_survey_about_a_woman_s_contact_speaks_of_her_in_the_feminine(
    qtbot: QtBot, romah_app: RomahApp, window_as
) -> None:
    window = window_as(Role.INTERVIEWER)
    woman = register(romah_app, first_name="ريم", gender="أنثى")
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        log_contact(
            session,
            window.ctx.actor,
            channel=Channel.PHONE,
            subject="سؤال عن موعد التسليم",
            beneficiary_id=woman,
        )
    window.show_page("feedback")
    wait_idle(qtbot, romah_app)
    page = window.pages["feedback"]
    assert isinstance(page, FeedbackPage)
    dialog = page.new_survey()
    assert isinstance(dialog, SurveyDialog)
    qtbot.waitUntil(dialog.subjects.isEnabled, timeout=10_000)
    assert survey_wording(dialog) == MASCULINE_SURVEY  # nobody chosen yet
    dialog.subjects.setCurrentIndex(1)
    wait_idle(qtbot, romah_app)
    qtbot.waitUntil(lambda: survey_wording(dialog) == FEMININE_SURVEY, timeout=10_000)
    assert "ريم" in dialog.person.text()
    dialog.subjects.setCurrentIndex(0)  # no particular contact: the wording for anyone
    assert survey_wording(dialog) == MASCULINE_SURVEY
    dialog.close()


# --- the catalogue ----------------------------------------------------------------------------


def _messages(path: Path) -> dict[tuple[str, str, str], str]:
    """(context, source, disambiguation) → translation, for every message of a Qt catalogue."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = message.findtext("translation") or ""
    return found


def test_every_feminine_wording_of_the_window_is_translated_and_differs(
    tmp_path: Path,
) -> None:
    """Qt falls back to the masculine wording when a feminine one is missing: a woman would be
    addressed as a man again without anyone noticing, so each must be in the catalogue."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run(
        [str(lupdate), *sources, "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    wanted = [key for key in _messages(fresh) if key[2] == "feminine"]
    assert len(wanted) >= 10
    catalogue = _messages(resources_dir() / "translations" / "romah_ar.ts")
    for context, source, comment in wanted:
        feminine = catalogue.get((context, source, comment))
        assert feminine, f"{context}: no feminine Arabic for {source!r}"
        assert feminine != catalogue[(context, source, "")], source
        assert re.findall(r"\{\w+\}", feminine) == re.findall(r"\{\w+\}", source), source
