"""The window's shell: sign-in, the status bar, language switching, the idle lock, sign-out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import screenshot, sign_in, wait_idle
from ui.app import RomahApp
from ui.intake import open_intake
from ui.login import LoginDialog
from ui.qt import QDialogButtonBox, QLabel, Qt


def test_wrong_password_then_right_one(qtbot: QtBot, romah_app: RomahApp) -> None:
    dialog = romah_app.dialog
    assert isinstance(dialog, LoginDialog)
    screenshot(dialog, "login")
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "not-the-password")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == "اسم المستخدم أو كلمة المرور غير صحيحة."
    assert dialog.password.text() == "" and dialog.username.text() == "admin"
    window = sign_in(qtbot, romah_app, "", ADMIN_PASSWORD)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.waitUntil(lambda: "admin" in window.status.user.text())
    assert "مشرف المركز الرئيسي" in window.status.user.text()
    qtbot.waitUntil(lambda: "فرع الرياض" in window.status.branch.text())
    assert window.status.waiting.text().split()[-1].replace(",", "").isdigit()
    screenshot(window, "main_window")


def test_qt_standard_buttons_are_arabic(qtbot: QtBot, romah_app: RomahApp) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "ألغِ"  # Qt's own catalogue


def test_settings_page_shows_the_settings_titles_in_arabic(
    qtbot: QtBot, romah_app: RomahApp, main_window
) -> None:
    main_window.show_page("settings")
    page = main_window.settings_page
    wait_idle(qtbot, romah_app)
    titles = {
        label.buddy().objectName(): label.text()
        for label in page.findChildren(QLabel)
        if label.buddy() is not None and not page.branch.isAncestorOf(label)
    }
    assert titles == {
        "language": "اللغة",
        "committee_answer_days": "مدة رد لجنة البحث بالأيام",
        "lock_screen_minutes": "قفل الشاشة بعد دقائق من عدم النشاط",
        "lockout_attempts": "محاولات كلمة المرور الخاطئة قبل قفل الحساب",
        "lockout_minutes": "مدة قفل الحساب بالدقائق",
        "outbox_retention_days": "مدة الاحتفاظ بالتغييرات المرسلة إلى المركز الرئيسي بالأيام",
    }
    assert (
        page.numbers["lockout_attempts"].toolTip()
        == "عدد محاولات كلمة المرور الخاطئة قبل قفل الحساب."
    )
    assert (
        page.numbers["lockout_attempts"].minimum(),
        page.numbers["lockout_attempts"].maximum(),
    ) == (3, 20)


def test_switching_to_english_rebuilds_the_window_left_to_right(
    qtbot: QtBot, romah_app: RomahApp, main_window
) -> None:
    main_window.show_page("settings")
    page = main_window.settings_page
    wait_idle(qtbot, romah_app)
    page.language.setCurrentIndex(page.language.findData("en"))
    with qtbot.waitSignal(page.sig_language_chosen, timeout=10_000):
        qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    window = romah_app.window
    assert window is not None and window is not main_window
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.stack.currentWidget() is window.settings_page
    wait_idle(qtbot, romah_app)
    assert window.settings_page.language.currentData() == "en"
    screenshot(window, "settings_english")


def test_idle_lock_hides_the_window_until_the_password(
    qtbot: QtBot, romah_app: RomahApp, main_window
) -> None:
    assert romah_app.lock is not None
    intake = open_intake(main_window.ctx, main_window)
    qtbot.waitUntil(intake.isVisible)
    romah_app.lock.set_interval_ms(50)
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=15_000)
    assert not intake.isVisible()  # no personal data left on screen
    dialog = romah_app.dialog
    assert isinstance(dialog, LoginDialog) and dialog.username.isReadOnly()
    assert dialog.username.text() == "admin"
    romah_app.lock.set_minutes(10)
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.sig_signed_in, timeout=10_000):
        dialog.buttons.accepted.emit()
    assert main_window.isVisible() and intake.isVisible()
    intake.close()


def test_sign_out_returns_to_the_sign_in(qtbot: QtBot, romah_app: RomahApp, main_window) -> None:
    main_window.sig_sign_out.emit()
    assert romah_app.window is None
    assert isinstance(romah_app.dialog, LoginDialog) and romah_app.dialog.isVisible()
