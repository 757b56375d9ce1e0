"""A whole day at the front desk, through the real windows, with the app's own crash handler
installed: the first start, the officer added from the Users page, Settings saved again and
again, eleven people registered, contacts logged, two intakes begun and left as drafts, and
eleven sign-outs. Nothing may reach the crash handler (or Qt), and each sign-out leaves the
sign-in alone on screen."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import SIGNAL
from pytestqt.qtbot import QtBot

from db.enums import InterviewStep
from romah_desktop.validation import make_national_id
from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import close_app, sign_in, type_text, wait_idle
from tests.ui.test_pages import open_dialog, pick_person, save_by_enter
from tests.ui.test_users_page import open_form, users_page
from ui import app as app_module
from ui.app import RomahApp, install_crash_handler
from ui.contacts_dialog import ContactDialog
from ui.intake import IntakeWizard
from ui.intake.steps.receive import ReceivePage
from ui.login import FirstRunDialog, LoginDialog
from ui.main_window import MainWindow
from ui.pages.beneficiaries import BeneficiariesPage
from ui.pages.contacts import ContactsPage
from ui.pages.users import AddUserDialog
from ui.profile.dialog import ProfileDialog
from ui.qt import (
    QAction,
    QApplication,
    QDialogButtonBox,
    QEvent,
    QKeySequence,
    QLineEdit,
    Qt,
    QWidget,
    QWizard,
)

CLERK = "desk.officer"
CLERK_PASSWORD = "password-1"
CLERK_NAME = "ريم الزهراني"
PEOPLE = [
    ("هيفاء", "سالم", "ناصر", "الحربي", "F"),
    ("سعد", "محمد", "علي", "القحطاني", "M"),
    ("نورة", "عبدالله", "فهد", "الشمري", "F"),
    ("خالد", "إبراهيم", "حمد", "الدوسري", "M"),
    ("مها", "صالح", "سعود", "العنزي", "F"),
    ("فيصل", "عمر", "يوسف", "المطيري", "M"),
]


@contextlib.contextmanager
def the_apps_crash_handler(folder: Path, shown: list[str]) -> Iterator[None]:
    """The crash handler `run` installs, its message box recorded in `shown` instead of waiting
    for a click; the hook in place before is put back afterwards."""

    class RecordedBox:
        def __init__(self, _icon: object, _title: str, text: str) -> None:
            self.text = text

        def exec(self) -> int:
            shown.append(self.text)
            return 0

    before = sys.excepthook
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_module, "QMessageBox", RecordedBox)
        install_crash_handler(folder)
        try:
            yield
        finally:
            sys.excepthook = before


def crash_reports(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]


def first_start(qtbot: QtBot, app: RomahApp) -> None:
    dialog = app.dialog
    assert isinstance(dialog, FirstRunDialog)
    for field, text in {
        "branch": "RYD",
        "branch_name": "فرع الرياض",
        "username": "admin",
        "full_name": "نورة العتيبي",
        "password": ADMIN_PASSWORD,
        "confirm": ADMIN_PASSWORD,
    }.items():
        type_text(dialog.fields[field], text)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(
        lambda: dialog.recovery is not None and dialog.recovery.isVisible(), timeout=15_000
    )
    recovery = dialog.recovery
    assert recovery is not None
    recovery.kept.setChecked(True)
    with qtbot.waitSignal(dialog.sig_created, timeout=10_000):
        recovery.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def sign_in_as(qtbot: QtBot, app: RomahApp, username: str, password: str) -> MainWindow:
    """Sign in; then the main window (with the intake drafts, if any) is all that is on
    screen, and it has the focus: no part of a page has opened as a window of its own."""
    login = app.dialog
    assert isinstance(login, LoginDialog)
    qtbot.waitUntil(login.isVisible)
    login.username.clear()
    window = sign_in(qtbot, app, username, password)
    wait_idle(qtbot, app)
    shown = [w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w) and w.isVisible()]
    assert set(shown) <= {window, app.drafts_dialog}, shown
    if app.drafts_dialog is None:
        qtbot.waitUntil(window.isActiveWindow)
    return window


def action(window: MainWindow, shortcut: str) -> QAction:
    (found,) = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence(shortcut)]
    return found


def sign_out(qtbot: QtBot, app: RomahApp, window: MainWindow) -> None:
    """Sign out from the File menu; then only the sign-in is on screen, and once the deletions
    are done no main window is left at all."""
    action(window, "Ctrl+Shift+Q").trigger()
    qtbot.waitUntil(lambda: isinstance(app.dialog, LoginDialog) and app.dialog.isVisible())
    wait_idle(qtbot, app)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shown = [w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w) and w.isVisible()]
    assert shown == [app.dialog]
    assert not shiboken6.isValid(window)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def listeners(app: RomahApp) -> int:
    """How many screens hear the context's change announcements."""
    assert app.ctx is not None
    return app.ctx.receivers(SIGNAL("sig_changed(PyObject)"))


def save_settings(qtbot: QtBot, app: RomahApp, window: MainWindow) -> None:
    """Save Settings as shown (the language unchanged): the same window stays, and no more
    screens listen to the context than before."""
    window.show_page("settings")
    wait_idle(qtbot, app)
    listening = listeners(app)
    page = window.settings_page
    with qtbot.waitSignal(page.sig_saved, timeout=10_000):
        qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert app.window is window and shiboken6.isValid(window)
    assert listeners(app) == listening


def register(qtbot: QtBot, app: RomahApp, window: MainWindow, number: int) -> None:
    """Register person `number` through "New beneficiary" and the file's form, then close it."""
    window.show_page("beneficiaries")
    page = window.pages["beneficiaries"]
    assert isinstance(page, BeneficiariesPage)
    wait_idle(qtbot, app)
    qtbot.mouseClick(page.new_file, Qt.MouseButton.LeftButton)
    (dialog,) = [d for d in page.findChildren(ProfileDialog) if d.beneficiary_id is None]
    qtbot.waitExposed(dialog)
    wait_idle(qtbot, app)
    first, father, grandfather, family, gender = PEOPLE[number % len(PEOPLE)]
    fields = {
        "first_name": first,
        "father_name": father,
        "grandfather_name": grandfather,
        "family_name": family,
        "national_id": make_national_id(f"1{number + 20_000_000:08d}"),
        "birth_date": f"19{70 + number}-0{1 + number % 9}-1{number % 10}",
    }
    for field, text in fields.items():
        widget: QWidget = dialog.inputs[field]
        edit = getattr(widget, "edit", widget)
        assert isinstance(edit, QLineEdit)
        edit.clear()
        type_text(edit, text)
        edit.editingFinished.emit()
    box = dialog.inputs["gender"]
    box.setCurrentIndex(box.findData(gender))  # type: ignore[attr-defined]
    wait_idle(qtbot, app)
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


def log_contact(qtbot: QtBot, app: RomahApp, window: MainWindow, name: str) -> None:
    window.show_page("contacts")
    contacts = window.pages["contacts"]
    assert isinstance(contacts, ContactsPage)
    wait_idle(qtbot, app)
    dialog = open_dialog(qtbot, contacts)
    assert isinstance(dialog, ContactDialog)
    pick_person(qtbot, dialog, name)
    type_text(dialog.subject, "استفسار عن موعد الرد")
    save_by_enter(qtbot, dialog)
    wait_idle(qtbot, app)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


def begin_intake(qtbot: QtBot, app: RomahApp, window: MainWindow, name: str) -> IntakeWizard:
    """Start an intake from the Intake menu and write its first step (left open after)."""
    action(window, "Ctrl+I").trigger()
    (wizard,) = [w for w in window.findChildren(IntakeWizard) if w.isVisible()]
    qtbot.waitExposed(wizard)
    receive = wizard.page_of(InterviewStep.RECEIVE)
    assert isinstance(receive, ReceivePage)
    receive.picker.query.setFocus()
    with qtbot.waitSignal(receive.picker.sig_results, timeout=10_000):
        type_text(receive.picker.query, name)
    qtbot.keyClick(receive.picker.query, Qt.Key.Key_Return)
    type_text(receive.amount, "1500")
    type_text(receive.subject, "مساعدة في سداد الإيجار")
    type_text(receive.justification, "تأخر سداد الإيجار ثلاثة أشهر.")
    with qtbot.waitSignal(wizard.sig_step_done, timeout=10_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    return wizard


def add_user_in_window(qtbot: QtBot, app: RomahApp, window: MainWindow) -> None:
    """The manager adds the front-desk officer from the Users page (the role offered first)."""
    page = users_page(qtbot, app, window)
    dialog = open_form(qtbot, page, lambda: page.add_button)
    assert isinstance(dialog, AddUserDialog)
    type_text(dialog.username, CLERK)
    type_text(dialog.full_name, CLERK_NAME)
    type_text(dialog.password, CLERK_PASSWORD)
    type_text(dialog.confirm, CLERK_PASSWORD)
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    qtbot.waitUntil(lambda: CLERK in [row.username for row in page.model.rows])


@pytest.fixture
def fresh_app(qapp: QApplication, tmp_path: Path) -> Iterator[RomahApp]:
    """The app on an empty folder: the first start."""
    app = RomahApp(qapp, tmp_path / "data", lang="ar")
    yield app
    close_app(app)


SIGN_INS = 10
INTAKES_AT = {3, 7}
"""The sign-ins at whose end the officer leaves an intake open (kept as a draft)."""


def test_a_day_at_the_front_desk_raises_nothing(
    qtbot: QtBot, fresh_app: RomahApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Closing a file or an intake never stops to ask in a headless run.
    monkeypatch.setattr(ProfileDialog, "confirm_discard", lambda self: True)
    app = fresh_app
    logs = tmp_path / "logs"
    dialogs: list[str] = []
    registered = settings_saved = intakes = 0
    with the_apps_crash_handler(logs, dialogs):
        app.start()
        first_start(qtbot, app)

        # Morning: the manager adds the front-desk officer and saves Settings as shown.
        window = sign_in(qtbot, app, "admin", ADMIN_PASSWORD)
        add_user_in_window(qtbot, app, window)
        save_settings(qtbot, app, window)
        settings_saved += 1
        register(qtbot, app, window, registered)
        registered += 1
        sign_out(qtbot, app, window)

        # The officer's day: ten sign-ins, a person registered in each, contacts logged, Settings
        # saved now and then, and two intakes left open at a sign-out.
        for number in range(SIGN_INS):
            window = sign_in_as(qtbot, app, CLERK, CLERK_PASSWORD)
            # The intakes left open at earlier sign-outs are offered again at every sign-in.
            assert (app.drafts_dialog is not None) == (intakes > 0)
            if number % 4 == 0:
                save_settings(qtbot, app, window)
                settings_saved += 1
            register(qtbot, app, window, registered)
            registered += 1
            name = PEOPLE[(registered - 1) % len(PEOPLE)][0]
            if number % 2 == 0:
                log_contact(qtbot, app, window, name)
            if number in INTAKES_AT:
                begin_intake(qtbot, app, window, name)
                intakes += 1
            # Every screen still hears about writes, from the window in use.
            qtbot.waitUntil(lambda w=window: "ريم" in w.status.user.text())
            sign_out(qtbot, app, window)

    assert (registered, settings_saved, intakes) == (SIGN_INS + 1, 4, 2)
    assert crash_reports(logs) == []
    assert dialogs == []
