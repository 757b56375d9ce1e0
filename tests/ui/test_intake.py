"""The guided intake, driven as an interviewer would: the keyboard through the seven steps, the
mouse on the signature pad, bad input at the steps, and a draft that survives a killed process."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from db.enums import (
    DecisionOutcome,
    InterviewStep,
    ReferralStatus,
    RegistrationStatus,
    RequestStatus,
    RequestType,
    Role,
)
from db.files import attachment_path
from db.models import (
    Beneficiary,
    DocumentCheck,
    Interview,
    ResearchReferral,
    ServiceDelivery,
    SignedDeclaration,
    SupportRequest,
    User,
)
from romah_desktop.dates import to_hijri
from romah_desktop.drafts import list_drafts
from romah_desktop.protection import intact_attachment
from romah_desktop.services.committee.requests import record_decision
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import (
    declaration_is_current,
    verify_declaration,
)
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from romah_desktop.services.users import add_user
from romah_desktop.validation import make_national_id
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, screenshot, sign_in, type_text, wait_idle
from ui.app import RomahApp
from ui.intake import DraftsDialog, IntakeWizard, open_intake, resume_drafts
from ui.intake.pages import (
    DeclarePage,
    DeliverPage,
    ReceivePage,
    ReferPage,
    RegisterPage,
    SubmitPage,
    VerifyPage,
)
from ui.main_window import MainWindow
from ui.qt import (
    QApplication,
    QEvent,
    QImage,
    QInputDevice,
    QLabel,
    QMessageBox,
    QPoint,
    QPointF,
    QPointingDevice,
    Qt,
    QTabletEvent,
    QWidget,
    QWizard,
)
from ui.widgets.signature_pad import CANVAS, SignaturePad

ROOT = Path(__file__).resolve().parents[2]
NATIONAL_ID = make_national_id("108877665")
_ARABIC = "\u0621-\u064a"


# --- helpers ----------------------------------------------------------------------------------


def shot(widget: QWidget, name: str) -> None:
    """A screenshot once the layout has settled (hidden messages make room again)."""
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    screenshot(widget, name)


def press(
    widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, key, modifier)


def error_of(page: QWidget, name: str) -> str:
    """The message shown next to field `name` ("" when none is shown)."""
    label = page.findChild(QLabel, f"{name}_error")
    assert label is not None, name
    return label.text() if label.isVisible() else ""


def arabic(text: str) -> bool:
    import re

    return bool(re.search(f"[{_ARABIC}]", text))


def draw(qtbot: QtBot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """Drag the mouse across the pad through `points`, as a person signing."""
    first = QPoint(*points[0])
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=first)
    for x, y in points[1:]:
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def next_step(qtbot: QtBot, app: RomahApp, wizard: IntakeWizard) -> None:
    """Press Next (Alt+N) and wait for the step's write to come back."""
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


@dataclass(frozen=True)
class Office:
    """The branch as the tests need it: its administrator, a researcher and a person."""

    admin: Actor
    researcher_id: str
    committee: Actor
    beneficiary_id: str


def admin_actor(app: RomahApp) -> Actor:
    with database_of(app) as workspace, workspace.transaction() as session:
        user = session.scalars(sa.select(User).where(User.username == "admin")).one()
        return Actor.of(user)


def make_office(app: RomahApp) -> Office:
    admin = admin_actor(app)
    with database_of(app) as workspace, workspace.transaction() as session:
        researcher = add_user(
            session, admin, "researcher", "نورة الباحثة", Role.SOCIAL_RESEARCHER, "password-1"
        )
        # Nobody signs in as the committee member here: no password hash is needed.
        member = User(
            username="committee",
            full_name="عضو اللجنة",
            role=Role.COMMITTEE_MEMBER,
            branch_id=admin.branch_id,
            password_hash="-",
        )
        session.add(member)
        person = register_beneficiary(
            session,
            admin,
            person_form(
                first_name="هيفاء",
                father_name="سعد",
                grandfather_name="ناصر",
                family_name="العتيبي",
                gender="أنثى",
                national_id=NATIONAL_ID,
            ),
        )
        session.flush()
        return Office(admin, researcher.id, Actor.of(member), person.id)


@pytest.fixture
def office(romah_app: RomahApp) -> Office:
    return make_office(romah_app)


@pytest.fixture
def desk(qtbot: QtBot, romah_app: RomahApp, office: Office, window_as) -> MainWindow:
    """Signed in as a beneficiary relations officer."""
    return window_as(Role.INTERVIEWER)


def start(qtbot: QtBot, app: RomahApp, window: MainWindow) -> IntakeWizard:
    assert app.ctx is not None
    wizard = IntakeWizard(app.ctx, window)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    return wizard


def pick_person(qtbot: QtBot, page: ReceivePage, query: str) -> None:
    page.picker.query.setFocus()
    with qtbot.waitSignal(page.picker.sig_results, timeout=10_000):
        type_text(page.picker.query, query)
    assert page.picker.results.count() >= 1
    press(page.picker.query, Qt.Key.Key_Return)  # picks; must not press Next too


def row_of(session: sa.orm.Session, model: type, **where: object) -> object:
    return session.scalars(sa.select(model).filter_by(**where)).one()


# --- the whole intake -------------------------------------------------------------------------


def test_the_whole_intake_with_the_keyboard_and_a_drawn_signature(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow
) -> None:
    assert romah_app.workspace is not None and romah_app.ctx is not None
    ws = romah_app.workspace
    wizard = start(qtbot, romah_app, desk)
    assert wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    saved: list[str] = []
    wizard.sig_draft_saved.connect(saved.append)

    # 1. Receive: Next with nothing chosen and a wrong amount shows every problem, keeps the step.
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    receive.amount.setFocus()
    type_text(receive.amount, "ألف")
    press(receive.amount, Qt.Key.Key_Return)  # Enter is Next
    wait_idle(qtbot, romah_app)
    assert wizard.currentId() == 1
    assert error_of(receive, "beneficiary_id") == "اختر المستفيد الذي حضر، أو سجّله أولًا."
    assert arabic(error_of(receive, "amount")) and arabic(error_of(receive, "subject"))
    assert arabic(error_of(receive, "justification"))
    assert receive.amount.text() == "ألف"  # what was typed stays
    shot(wizard, "intake_1_receive_errors")

    pick_person(qtbot, receive, "هيفاء")
    assert wizard.currentId() == 1 and receive.record["beneficiary_id"] == office.beneficiary_id
    assert error_of(receive, "beneficiary_id") == ""
    assert QApplication.focusWidget() is receive.channel
    press(receive.channel, Qt.Key.Key_Down)  # a phone call
    press(receive.channel, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is receive.request_type
    press(receive.request_type, Qt.Key.Key_Down)
    press(receive.request_type, Qt.Key.Key_Down)  # rent
    assert receive.request_type.currentData() == RequestType.RENT.value
    press(receive.request_type, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is receive.amount
    press(receive.amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(receive.amount, "1500")
    press(receive.amount, Qt.Key.Key_Tab)
    type_text(receive.subject, "مساعدة في سداد الإيجار")
    press(receive.subject, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is receive.justification
    type_text(receive.justification, "أرملة تعول أربعة أبناء وتأخر سداد الإيجار.")
    shot(wizard, "intake_1_receive")
    with qtbot.waitSignal(wizard.sig_step_done, timeout=10_000):
        press(receive.subject, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    assert wizard.currentId() == 2
    assert not receive.subject.isEnabled()  # a step done is locked
    request_id = wizard.record["request_id"]

    # 2. Collect and verify: the file's missing fields, the rent checklist, an expired ID flagged.
    verify = wizard.page_of(InterviewStep.COLLECT_VERIFY)
    assert isinstance(verify, VerifyPage)
    qtbot.waitUntil(lambda: len(verify.rows) == 2, timeout=10_000)
    assert set(verify.file_inputs) == {"household_size", "housing_type", "monthly_rent"}
    identity, lease = verify.rows
    assert identity.required and lease.required
    expired = date.today() - timedelta(days=3)
    type_text(verify.file_inputs["household_size"], "خمسة")
    press(verify.file_inputs["housing_type"], Qt.Key.Key_Down)
    press(verify.file_inputs["housing_type"], Qt.Key.Key_Down)  # rented
    type_text(verify.file_inputs["monthly_rent"], "1500")
    type_text(identity.number, NATIONAL_ID)
    type_text(identity.expiry.edit, expired.isoformat())
    assert "Expired" in identity.status.text() or arabic(identity.status.text())
    type_text(lease.number, "عقد-2024-88")
    with qtbot.waitSignal(verify.add_document.clicked):
        QTest.keyClick(lease.number, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert len(verify.rows) == 3 and QApplication.focusWidget() is verify.rows[2].kind
    press(verify.rows[2].kind, Qt.Key.Key_End)  # "other document"
    press(verify.rows[2].kind, Qt.Key.Key_Tab)
    type_text(verify.rows[2].number, "تقرير-1")
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 2
    assert arabic(error_of(verify, "file_household_size"))
    assert arabic(lease.expiry.error_text())  # a lease needs its expiry date
    assert verify.file_inputs["household_size"].text() == "خمسة"
    with ws.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DocumentCheck)) == 0
    press(verify.file_inputs["household_size"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(verify.file_inputs["household_size"], "5")
    type_text(lease.expiry.edit, (date.today() + timedelta(days=200)).isoformat())
    shot(wizard, "intake_2_verify")
    next_step(qtbot, romah_app, wizard)
    # The expired ID is recorded and flagged; the step stays on screen to be seen.
    assert wizard.currentId() == 2 and verify.done()
    assert arabic(verify.message.text()) or "EXPIRED" in identity.status.text()
    with ws.transaction() as session:
        checks = {c.doc_type.value: c for c in session.scalars(sa.select(DocumentCheck))}
        assert checks["national_id_card"].valid_on_submission is False
        assert checks["lease_contract"].valid_on_submission is True
        assert checks["other"].number == "تقرير-1" and checks["other"].expiry_date is None
        person = session.get(Beneficiary, office.beneficiary_id)
        assert person is not None and person.household_size == 5
        assert person.monthly_rent_halalas == 150_000
    shot(wizard, "intake_2_verify_flagged")
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 3

    # 3. Refer: the procedure is unclear to the person.
    refer = wizard.page_of(InterviewStep.REFER)
    assert isinstance(refer, ReferPage)
    qtbot.waitUntil(lambda: refer.officer.count() > 1, timeout=10_000)
    assert not refer.question.isEnabled()
    press(refer.refer, Qt.Key.Key_Space)
    assert refer.refer.isChecked() and refer.question.isEnabled()
    press(refer.refer, Qt.Key.Key_Tab)
    type_text(refer.question, "لا تعرف متى تُصرف المساعدة وكيف تُحسب.")
    refer.officer.setCurrentIndex(refer.officer.findData(office.researcher_id))
    shot(wizard, "intake_3_refer")
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 4
    with ws.transaction() as session:
        referral = session.scalars(sa.select(ResearchReferral)).one()
        assert referral.assigned_to_user_id == office.researcher_id
        assert referral.request_id == request_id and referral.status == ReferralStatus.OPEN
        from romah_desktop.services.queues import my_day

        researcher = Actor.of(session.get(User, office.researcher_id))
        queue = my_day(session, researcher, date.today()).referrals
        assert [r.id for r in queue] == [referral.id] and queue[0].assigned_to_me

    # 4. Declare: the text and the exact data; no signature is refused, then the pad is drawn on.
    declare = wizard.page_of(InterviewStep.DECLARE)
    assert isinstance(declare, DeclarePage)
    qtbot.waitUntil(lambda: declare.preview is not None, timeout=10_000)
    assert "هيفاء سعد ناصر العتيبي" in declare.text.text() and NATIONAL_ID in declare.text.text()
    shown = {
        declare.data.item(r, 0).text(): declare.data.item(r, 1).text()
        for r in range(declare.data.rowCount())
    }
    assert NATIONAL_ID in shown.values() and "5" in shown.values()
    assert declare.signer.text() == "هيفاء سعد ناصر العتيبي"
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 4 and error_of(declare, "signature")
    draw(qtbot, declare.pad, [(60, 120), (120, 80), (180, 140), (260, 90), (330, 130)])
    draw(qtbot, declare.pad, [(380, 100), (470, 110)])
    assert declare.pad.stroke_count() == 2 and error_of(declare, "signature") == ""
    shot(declare.pad, "intake_signature")
    shot(wizard, "intake_4_declare")
    png = declare.pad.to_png()
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 5
    first_declaration = wizard.record["declaration_id"]
    with ws.transaction() as session:
        signed = session.get(SignedDeclaration, first_declaration)
        assert signed is not None and verify_declaration(signed)
        assert signed.signature_sha256 == hashlib.sha256(png).hexdigest()
        stored = attachment_path(ws.attachments_dir, signed.signature_sha256).read_bytes()
        assert png not in stored  # encrypted at rest
        assert intact_attachment(ws.attachments_dir, signed.signature_sha256, ws.files) == png
        assert signed.declared_data["national_id"] == NATIONAL_ID
        assert signed.text.startswith("إقرار") and signed.request_id == request_id

    # 5. Submit: a file changed since the declaration needs a new one.
    submit = wizard.page_of(InterviewStep.INFORM)
    assert isinstance(submit, SubmitPage)
    qtbot.waitUntil(lambda: "هـ" in submit.due.text(), timeout=10_000)
    with ws.transaction() as session:
        update_beneficiary(session, office.admin, office.beneficiary_id, {"city": "الخرج"})
    with ws.transaction() as session:
        signed = session.get(SignedDeclaration, first_declaration)
        assert signed is not None and not declaration_is_current(session, signed)
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 5 and not submit.done()
    assert arabic(submit.message.text()) and submit.sign_again.isVisible()
    qtbot.mouseClick(submit.sign_again, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == 4 and declare.pad.is_empty() and declare.signer.isEnabled()
    wait_idle(qtbot, romah_app)
    assert "الخرج" in [declare.data.item(r, 1).text() for r in range(declare.data.rowCount())]
    draw(qtbot, declare.pad, [(80, 100), (200, 140), (300, 90)])
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 5
    with ws.transaction() as session:
        second = session.get(SignedDeclaration, wizard.record["declaration_id"])
        assert second is not None and second.supersedes_id == first_declaration
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 5 and submit.done()  # the person is told the date first
    due = date.today() + timedelta(days=14)
    assert to_hijri(due) in submit.due.text() and f"{due:%Y/%m/%d}" in submit.due.text()
    with ws.transaction() as session:
        request = session.get(SupportRequest, request_id)
        assert request is not None and request.status == RequestStatus.SUBMITTED
        assert request.committee_due_on == due
    shot(wizard, "intake_5_submit")
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 6

    # 6. Complete the registration: refused while the ID is expired; a renewed one is checked.
    register = wizard.page_of(InterviewStep.COMPLETE_REGISTRATION)
    assert isinstance(register, RegisterPage)
    qtbot.waitUntil(lambda: register.renew.isVisible(), timeout=10_000)
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 6 and register.message.text()
    assert arabic(register.gaps.text()) and register.gaps.isVisible()  # what is missing
    shot(wizard, "intake_6_register_incomplete")
    qtbot.mouseClick(register.renew, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert wizard.currentId() == 2 and identity.expiry.isEnabled()
    press(identity.expiry.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(identity.expiry.edit, (date.today() + timedelta(days=900)).isoformat())
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 6  # the steps done in between are passed by
    qtbot.waitUntil(lambda: not register.renew.isVisible(), timeout=10_000)
    shot(wizard, "intake_6_register")
    next_step(qtbot, romah_app, wizard)
    assert wizard.currentId() == 7
    with ws.transaction() as session:
        person = session.get(Beneficiary, office.beneficiary_id)
        assert person is not None and person.registration_status == RegistrationStatus.REGISTERED

    # 7. Deliver: only once the committee approves.
    deliver = wizard.page_of(InterviewStep.DELIVER_SERVICE)
    assert isinstance(deliver, DeliverPage)
    qtbot.waitUntil(lambda: deliver.review is not None, timeout=10_000)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled() and not deliver.form_box.isEnabled()
    shot(wizard, "intake_7_waiting")
    with ws.transaction() as session:
        record_decision(
            session,
            office.committee,
            request_id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="1500",
            reason=None,
            decided_on=None,
            members="اللجنة",
        )
    qtbot.mouseClick(deliver.check_again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: finish.isEnabled(), timeout=10_000)
    assert deliver.form_box.isEnabled() and deliver.amount.text() == "1,500.00"
    shot(wizard, "intake_7_deliver")
    with qtbot.waitSignal(wizard.sig_finished, timeout=10_000) as finished:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert finished.args == [request_id]
    wait_idle(qtbot, romah_app)
    assert not wizard.isVisible()
    with ws.transaction() as session:
        delivery = session.scalars(sa.select(ServiceDelivery)).one()
        assert delivery.amount_halalas == 150_000 and delivery.request_id == request_id
        request = session.get(SupportRequest, request_id)
        assert request is not None and request.status == RequestStatus.FULFILLED
        interview = session.scalars(sa.select(Interview)).one()
        assert interview.finished_at is not None
        assert interview.current_step == InterviewStep.DELIVER_SERVICE
        assert interview.completed_steps == [s.value for s in InterviewStep]
    assert saved  # drafts were written along the way, and removed at the end
    assert list_drafts(ws.data_dir, "ui.interviewer", cipher=ws.files) == []


# --- the signature pad ------------------------------------------------------------------------


def _dark(image: QImage, x: int, y: int, reach: int = 3) -> bool:
    """Whether there is ink within `reach` pixels of (x, y)."""
    return any(
        image.pixelColor(x + dx, y + dy).lightness() < 128
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
        if 0 <= x + dx < image.width() and 0 <= y + dy < image.height()
    )


def test_the_pad_takes_mouse_pen_and_touch_and_never_mirrors(
    qtbot: QtBot, qapp: QApplication
) -> None:
    pad = SignaturePad()
    pad.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.addWidget(pad)
    pad.show()
    assert pad.is_empty()
    with pytest.raises(ValueError):
        pad.to_png()
    with qtbot.waitSignal(pad.sig_changed):
        draw(qtbot, pad, [(20, 40), (70, 40), (120, 40)])
    pen = QPointingDevice(
        "test pen",
        7,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )
    for kind, x in (
        (QEvent.Type.TabletPress, 300),
        (QEvent.Type.TabletMove, 350),
        (QEvent.Type.TabletRelease, 400),
    ):
        event = QTabletEvent(
            kind,
            pen,
            QPointF(x, 120),
            QPointF(x, 120),
            0.6,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(pad, event)
    finger = QTest.createTouchDevice()
    QTest.touchEvent(pad, finger).press(0, QPoint(200, 80)).commit()
    QTest.touchEvent(pad, finger).move(0, QPoint(240, 90)).commit()
    QTest.touchEvent(pad, finger).release(0, QPoint(260, 90)).commit()
    assert pad.stroke_count() == 3
    png = pad.to_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 1_000_000
    image = QImage.fromData(png)
    assert image.size() == CANVAS
    assert image.pixelColor(2, 2).name() == "#ffffff"  # white paper, no guide line
    assert _dark(image, 70, 40)  # the mouse stroke, where it was drawn
    assert not _dark(image, CANVAS.width() - 70, 40)  # right to left does not mirror it
    assert _dark(image, 350, 120)  # the pen
    assert _dark(image, 230, 85, reach=6)  # the finger
    # The same signature gives the same image: its hash can be trusted to stand for it.
    assert pad.to_png() == png
    with qtbot.waitSignal(pad.sig_changed):
        pad.clear()
    assert pad.is_empty()
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))  # a dot
    assert pad.stroke_count() == 1 and _dark(QImage.fromData(pad.to_png()), 100, 100)


# --- the keyboard alone -----------------------------------------------------------------------


def _key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key where the keyboard focus is, as a person would."""
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)


def _alt(key: Qt.Key) -> None:
    _key(key, Qt.KeyboardModifier.AltModifier)


def alt_next(qtbot: QtBot, app: RomahApp, wizard: IntakeWizard) -> None:
    """Alt+N, then wait for the step: an access key clicks its button after a short flash."""
    with qtbot.waitSignal(wizard.button(QWizard.WizardButton.NextButton).clicked):
        _alt(Qt.Key.Key_N)
    wait_idle(qtbot, app)


def test_the_keyboard_alone_with_a_paper_signature(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow
) -> None:
    assert romah_app.workspace is not None
    with romah_app.workspace.transaction() as session:
        update_beneficiary(session, office.admin, office.beneficiary_id, {"household_size": "4"})
    wizard = start(qtbot, romah_app, desk)
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    assert QApplication.focusWidget() is receive.picker.query
    with qtbot.waitSignal(receive.picker.sig_results, timeout=10_000):
        type_text(receive.picker.query, NATIONAL_ID[:6])
    _key(Qt.Key.Key_Return)
    _alt(Qt.Key.Key_T)  # Request type
    _key(Qt.Key.Key_Down)  # food
    _alt(Qt.Key.Key_W)  # What they asked
    type_text(QApplication.focusWidget(), "سلة غذائية")
    _key(Qt.Key.Key_Tab)
    type_text(QApplication.focusWidget(), "الأسرة بلا دخل هذا الشهر.")
    with qtbot.waitSignal(wizard.sig_step_done, timeout=10_000):
        _alt(Qt.Key.Key_N)
    wait_idle(qtbot, romah_app)
    verify = wizard.page_of(InterviewStep.COLLECT_VERIFY)
    assert isinstance(verify, VerifyPage) and wizard.currentId() == 2
    qtbot.waitUntil(lambda: len(verify.rows) == 2, timeout=10_000)
    assert not verify.file_inputs  # the file has what a food request needs
    assert QApplication.focusWidget() is verify.rows[0].number
    type_text(QApplication.focusWidget(), NATIONAL_ID)
    _key(Qt.Key.Key_Tab)
    type_text(QApplication.focusWidget(), (date.today() + timedelta(days=400)).isoformat())
    verify.rows[1].number.setFocus()  # the family card (found by Tab in the window)
    type_text(QApplication.focusWidget(), "5550001")
    alt_next(qtbot, romah_app, wizard)
    assert wizard.currentId() == 3  # nothing flagged: straight on
    alt_next(qtbot, romah_app, wizard)  # no referral needed
    assert wizard.currentId() == 4
    declare = wizard.page_of(InterviewStep.DECLARE)
    assert isinstance(declare, DeclarePage)
    qtbot.waitUntil(lambda: declare.preview is not None, timeout=10_000)
    with qtbot.waitSignal(declare.paper.toggled):
        _alt(Qt.Key.Key_P)  # signed on paper
    assert declare.paper.isChecked() and not declare.pad.isEnabled()
    alt_next(qtbot, romah_app, wizard)
    assert wizard.currentId() == 5
    alt_next(qtbot, romah_app, wizard)
    submit = wizard.page_of(InterviewStep.INFORM)
    assert submit.done() and "هـ" in submit.findChild(QLabel, "committee_due").text()
    with romah_app.workspace.transaction() as session:
        declaration = session.scalars(sa.select(SignedDeclaration)).one()
        assert declaration.signature_sha256 is None and verify_declaration(declaration)
        assert session.scalars(sa.select(ResearchReferral)).all() == []
        interview = session.scalars(sa.select(Interview)).one()
        # The referral was skipped, as the policy allows when all is clear.
        assert interview.current_step == InterviewStep.INFORM
        assert "refer" not in interview.completed_steps


def test_messages_follow_the_language(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow, qapp: QApplication
) -> None:
    from ui import i18n

    i18n.set_language(qapp, "en")
    wizard = start(qtbot, romah_app, desk)
    assert wizard.layoutDirection() == Qt.LayoutDirection.LeftToRight
    receive = wizard.page_of(InterviewStep.RECEIVE)
    type_text(receive.subject, "rent")
    press(receive.subject, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    assert (
        error_of(receive, "beneficiary_id") == "Choose the person who came, or register them first."
    )
    assert error_of(receive, "justification") and not arabic(error_of(receive, "justification"))
    assert receive.subject.text() == "rent" and wizard.currentId() == 1
    shot(wizard, "intake_1_receive_english")


# --- drafts -----------------------------------------------------------------------------------


def _typed_receive(qtbot: QtBot, wizard: IntakeWizard, subject: str) -> ReceivePage:
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    pick_person(qtbot, receive, "هيفاء")
    type_text(receive.subject, subject)
    return receive


def test_closing_keeps_a_draft_offered_after_sign_in_and_discarded_on_demand(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow
) -> None:
    assert romah_app.ctx is not None and romah_app.workspace is not None
    data_dir, files = romah_app.workspace.data_dir, romah_app.workspace.files
    wizard = start(qtbot, romah_app, desk)
    _typed_receive(qtbot, wizard, "استفسار عن الإيجار")
    # Closed before the typing was saved: closing saves it.
    assert wizard._autosave.isActive()
    with qtbot.waitSignal(wizard.sig_draft_saved):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton
        )
    assert not wizard.isVisible()
    (draft,) = list_drafts(data_dir, "ui.interviewer", cipher=files)
    assert draft.data["pages"]["receive"]["subject"] == "استفسار عن الإيجار"
    assert draft.data["record"]["beneficiary_id"] == office.beneficiary_id
    assert list_drafts(data_dir, "admin", cipher=files) == []  # each user sees their own

    dialog = resume_drafts(romah_app.ctx, desk)
    assert isinstance(dialog, DraftsDialog) and dialog.list.count() == 1
    assert "هيفاء" in dialog.list.item(0).text()
    shot(dialog, "intake_drafts")
    with qtbot.waitSignal(dialog.sig_opened) as opened:
        press(dialog.list, Qt.Key.Key_Return)
    resumed = opened.args[0]
    assert isinstance(resumed, IntakeWizard) and resumed.currentId() == 1
    page = resumed.page_of(InterviewStep.RECEIVE)
    assert page.subject.text() == "استفسار عن الإيجار"
    assert "هيفاء" in page.chosen.text()
    assert open_intake(romah_app.ctx, desk, draft.id) is resumed  # not opened twice
    resumed.close()

    dialog = resume_drafts(romah_app.ctx, desk)
    assert dialog is not None
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm
    assert isinstance(box, QMessageBox) and box.isVisible()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert list_drafts(data_dir, "ui.interviewer", cipher=files) == []
    assert resume_drafts(romah_app.ctx, desk) is None


def test_signing_out_mid_intake_saves_the_draft(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow
) -> None:
    assert romah_app.workspace is not None
    data_dir, files = romah_app.workspace.data_dir, romah_app.workspace.files
    wizard = start(qtbot, romah_app, desk)
    _typed_receive(qtbot, wizard, "طلب علاج")
    desk.sig_sign_out.emit()
    assert not wizard.isVisible()
    assert romah_app.workspace is None  # signed out: the database is closed
    (draft,) = list_drafts(data_dir, "ui.interviewer", cipher=files)
    assert draft.data["pages"]["receive"]["subject"] == "طلب علاج"


# --- a killed process -------------------------------------------------------------------------


def run_child(data_dir: str, username: str, password: str) -> None:
    """The killed process: opens the intake, records step 1, types into step 2, says when the
    typing is saved, then waits to be killed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from romah_desktop.workspace import Workspace
    from ui import i18n
    from ui.context import AppContext
    from ui.worker import Worker

    app = QApplication([])
    i18n.set_language(app, "ar")
    workspace, actor = Workspace.unlock(Path(data_dir), username, password)
    ctx = AppContext(workspace, Worker())
    ctx.sign_in(actor)
    wizard = IntakeWizard(ctx)
    wizard.show()

    def until(done: Callable[[], bool]) -> None:
        for _ in range(2000):
            if done():
                return
            QTest.qWait(5)
        raise TimeoutError("the intake did not get there")

    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    type_text(receive.picker.query, "هيفاء")
    until(lambda: receive.picker.results.count() > 0)
    QTest.keyClick(receive.picker.query, Qt.Key.Key_Return)
    receive.request_type.setCurrentIndex(receive.request_type.findData("rent"))
    type_text(receive.amount, "2000")
    type_text(receive.subject, "مساعدة في الإيجار")
    type_text(receive.justification, "تأخر السداد ثلاثة أشهر")
    wizard.next()
    until(lambda: wizard.currentId() == 2)
    verify = wizard.page_of(InterviewStep.COLLECT_VERIFY)
    assert isinstance(verify, VerifyPage)
    until(lambda: len(verify.rows) == 2)
    saved: list[str] = []
    wizard.sig_draft_saved.connect(saved.append)
    type_text(verify.file_inputs["household_size"], "7")
    type_text(verify.rows[0].number, NATIONAL_ID)
    type_text(verify.rows[1].number, "عقد-77")
    verify.add_document.click()
    extra = verify.rows[2]
    assert extra.kind is not None
    extra.kind.setCurrentIndex(extra.kind.findData("bank_letter"))
    type_text(extra.number, "خطاب-5")
    until(lambda: bool(saved) and not wizard._autosave.isActive())
    print("SAVED", saved[-1], flush=True)
    app.exec()


def test_a_killed_process_loses_nothing_typed(
    qtbot: QtBot, romah_app: RomahApp, office: Office
) -> None:
    data_dir = romah_app.data_dir
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        add_user(session, office.admin, "desk", "موظفة الاستقبال", Role.INTERVIEWER, "password-1")
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from tests.ui.test_intake import run_child; run_child(*sys.argv[1:])",
            str(data_dir),
            "desk",
            "password-1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        text=True,
    )
    watchdog = threading.Timer(60, child.kill)
    watchdog.start()
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        assert line[:1] == ["SAVED"], line
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        watchdog.cancel()
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    # The next start: the same user signs in and is offered the intake.
    window = sign_in(qtbot, romah_app, "desk", "password-1")
    assert romah_app.ctx is not None
    dialog = resume_drafts(romah_app.ctx, window)
    assert dialog is not None and dialog.list.count() == 1
    assert dialog.list.item(0).data(Qt.ItemDataRole.UserRole) == line[1]
    with qtbot.waitSignal(dialog.sig_opened) as opened:
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    wizard = opened.args[0]
    assert isinstance(wizard, IntakeWizard)
    assert wizard.currentId() == 2
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert receive.done() and receive.subject.text() == "مساعدة في الإيجار"
    assert receive.amount.text() == "2000" and not receive.subject.isEnabled()
    verify = wizard.page_of(InterviewStep.COLLECT_VERIFY)
    assert isinstance(verify, VerifyPage)
    qtbot.waitUntil(lambda: len(verify.rows) == 3, timeout=10_000)
    wait_idle(qtbot, romah_app)
    assert verify.file_inputs["household_size"].text() == "7"
    extra = verify.rows[2]
    assert extra.kind is not None and extra.kind.currentData() == "bank_letter"
    assert extra.number.text() == "خطاب-5"
    assert verify.rows[0].number.text() == NATIONAL_ID
    assert verify.rows[1].number.text() == "عقد-77"
    shot(wizard, "intake_restored")
    # Step 1 was recorded once, by the killed process; the intake goes on from step 2.
    with romah_app.workspace.transaction() as session:
        assert len(session.scalars(sa.select(SupportRequest)).all()) == 1
        assert session.scalars(sa.select(Interview)).one().id == wizard.record["interview_id"]
    wizard.close()


def test_a_new_person_is_registered_from_the_first_step(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow
) -> None:
    from ui.profile.dialog import ProfileDialog

    wizard = start(qtbot, romah_app, desk)
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    with qtbot.waitSignal(receive.register_new.clicked):
        _alt(Qt.Key.Key_R)
    dialog = receive.findChild(ProfileDialog)
    assert dialog is not None and dialog.isVisible()
    wait_idle(qtbot, romah_app)
    names = {"first_name": "منيرة", "father_name": "علي", "grandfather_name": "حمد"}
    for field, text in {**names, "family_name": "الدوسري"}.items():
        type_text(dialog.inputs[field], text)
    type_text(dialog.inputs["national_id"], make_national_id("107766554"))
    gender = dialog.inputs["gender"]
    gender.setCurrentIndex(gender.findData("F"))
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: bool(receive.record.get("beneficiary_id")), timeout=10_000)
    assert "منيرة علي حمد الدوسري" in receive.chosen.text()
    assert "منيرة" in wizard.windowTitle()
    dialog.close()


def test_closing_while_a_step_is_written_keeps_its_answer(
    qtbot: QtBot, romah_app: RomahApp, office: Office, desk: MainWindow
) -> None:
    import shiboken6

    assert romah_app.ctx is not None and romah_app.workspace is not None
    wizard = open_intake(romah_app.ctx, desk)
    receive = _typed_receive(qtbot, wizard, "سلة غذائية")
    receive.request_type.setCurrentIndex(receive.request_type.findData("food"))
    type_text(receive.justification, "بلا دخل")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert receive.writing()
    wizard.reject()  # closed before the answer came back
    assert not wizard.isVisible()
    wait_idle(qtbot, romah_app)
    (draft,) = list_drafts(
        romah_app.workspace.data_dir, "ui.interviewer", cipher=romah_app.workspace.files
    )
    assert draft.data["record"]["done"] == ["receive"] and draft.data["record"]["request_id"]
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard))  # then the window goes
    again = open_intake(romah_app.ctx, desk, draft.id)
    assert again.currentId() == 2 and again.page_of(InterviewStep.RECEIVE).done()
    again.close()
