"""The forms without the mouse: Tab from field to field (a date typed straight through, its
calendar on Alt+Down or F4), Enter and Escape, messages that never move the fields, and menus
whose items are shown whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from db.enums import Channel, Role
from romah_desktop.validation import make_national_id
from tests.ui.conftest import screenshot, type_text, wait_idle
from ui import i18n
from ui.app import RomahApp
from ui.contacts_dialog import ContactDialog
from ui.intake import IntakeWizard
from ui.main_window import MainWindow
from ui.pages.users import AddUserDialog
from ui.printing import PrintMenu
from ui.profile.dialog import INCOME, PERSONAL, ProfileDialog
from ui.qt import (
    QApplication,
    QDialog,
    QImage,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPoint,
    Qt,
    QWidget,
    QWizard,
)
from ui.widgets.date_field import DualDateField

Places = dict[str, QPoint]


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    # A question box would wait for a click forever in a headless test.
    monkeypatch.setattr(ProfileDialog, "confirm_discard", lambda self: True)


@pytest.fixture
def english(qapp: QApplication, main_window: MainWindow) -> Iterator[None]:
    """Signed in as the administrator, the window's new text in English."""
    i18n.set_language(qapp, "en")
    yield
    i18n.set_language(qapp, "ar")


def show(qtbot: QtBot, app: RomahApp, dialog: QWidget) -> None:
    """Show `dialog` as the active window (keys go to its focused field)."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    wait_idle(qtbot, app)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab(qtbot: QtBot, backwards: bool = False) -> QWidget | None:
    """Press Tab (Shift+Tab) where the focus is; the widget the focus went to."""
    here = focused()
    assert here is not None
    if backwards:
        qtbot.keyClick(here, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    else:
        qtbot.keyClick(here, Qt.Key.Key_Tab)
    return focused()


def settle() -> None:
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def places(window: QWidget, fields: dict[str, QWidget]) -> Places:
    """Where each field starts in `window` (its top, on the reading side), once laid out."""
    settle()
    rtl = window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    return {
        name: widget.mapTo(window, QPoint(widget.width() - 1 if rtl else 0, 0))
        for name, widget in fields.items()
    }


def moved(before: Places, after: Places) -> dict[str, tuple[QPoint, QPoint]]:
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def edit_of(widget: QWidget) -> QWidget:
    return widget.edit if isinstance(widget, DualDateField) else widget


def open_profile(qtbot: QtBot, app: RomahApp) -> ProfileDialog:
    assert app.ctx is not None
    dialog = ProfileDialog(app.ctx)
    dialog.resize(1366 - 40, 768 - 80)  # a 1366×768 laptop, less its taskbar and title bar
    show(qtbot, app, dialog)
    return dialog


# --- a date is typed straight through -------------------------------------------------------


def test_tab_leaves_a_date_for_the_next_field_and_nothing_typed_is_lost(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    dialog = open_profile(qtbot, romah_app)
    birth = dialog.birth_date
    birth.edit.setFocus()
    type_text(birth.edit, "١٤١١/٠٨/١٥ هـ")
    assert tab(qtbot) is dialog.inputs["nationality"]  # not the calendar button
    type_text(dialog.line("nationality"), "سعودية")
    assert dialog.value("nationality") == "سعودية"
    assert birth.text() == "١٤١١/٠٨/١٥ هـ" and birth.date() == date(1991, 3, 1)
    assert tab(qtbot, backwards=True) is birth.edit
    assert birth.pick.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert "Alt+Down" in birth.pick.toolTip()  # the way to the calendar is told


def test_the_profile_is_filled_in_reading_order_and_escape_closes_it(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    dialog = open_profile(qtbot, romah_app)
    names = ("first_name", "father_name", "grandfather_name", "family_name", "national_id")
    order = [*names, "gender", "birth_date", "nationality", "marital_status", "phone"]
    dialog.line("first_name").setFocus()
    chain = [focused()] + [tab(qtbot) for _ in order[1:]]
    assert chain == [edit_of(dialog.inputs[name]) for name in order]
    assert dialog.phones.isAncestorOf(tab(qtbot))  # then the other phone numbers
    # Enter in a field does not save a half-typed form; Escape closes it.
    type_text(dialog.line("first_name"), "نورة")
    qtbot.keyClick(dialog.line("first_name"), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text() == ""
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.line("first_name"), Qt.Key.Key_Escape)


def test_the_calendar_opens_from_the_date_and_picks_a_day_by_keyboard(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    dialog = open_profile(qtbot, romah_app)
    birth = dialog.birth_date
    birth.edit.setFocus()
    type_text(birth.edit, "1446/02/25 هـ")
    qtbot.keyClick(birth.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    picker = birth.picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    assert picker.focusWidget() is picker.days[25]  # the keyboard is on the day typed
    qtbot.keyClick(picker.days[25], Qt.Key.Key_Tab)
    assert picker.focusWidget() is picker.days[26]
    with qtbot.waitSignal(birth.sig_editing_finished):
        qtbot.keyClick(picker.days[26], Qt.Key.Key_Return)
    assert birth.date() == date(2024, 8, 30) and not picker.isVisible()
    assert focused() is birth.edit
    # F4 opens it too; Escape closes it and leaves the date as it was.
    qtbot.keyClick(birth.edit, Qt.Key.Key_F4)
    again = birth.picker
    assert again is not None and again is not picker
    qtbot.waitUntil(again.isVisible)
    qtbot.keyClick(again.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert birth.date() == date(2024, 8, 30)


def test_contact_dates_are_typed_straight_through_and_enter_saves_escape_cancels(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window_as(Role.INTERVIEWER)
    assert romah_app.ctx is not None
    dialog = ContactDialog(romah_app.ctx)
    show(qtbot, romah_app, dialog)
    assert focused() is dialog.channel
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.LETTER))
    dialog.inquiry.setFocus()
    qtbot.keyClick(dialog.inquiry, Qt.Key.Key_Space)
    expected = [
        dialog.inquirer_name,
        dialog.inquirer_phone,
        dialog.subject,
        dialog.notes,
        dialog.letter_reference,
        dialog.letter_date.edit,
        dialog.follow_up_on.edit,
        dialog.save_button,
    ]
    chain = [tab(qtbot) for _ in expected]
    assert chain == expected
    dialog.inquirer_name.setFocus()
    for text in ("سائل", "0551234567", "خطاب", "ملاحظة", "1446/خ/77", "1446/02/20 هـ"):
        type_text(focused(), text)  # type: ignore[arg-type]
        tab(qtbot)
    type_text(dialog.follow_up_on.edit, "2030-01-01")
    assert dialog.letter_date.date() == date(2024, 8, 24)
    assert dialog.follow_up_on.date() == date(2030, 1, 1)
    assert dialog.notes.toPlainText() == "ملاحظة"
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        qtbot.keyClick(dialog.follow_up_on.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    second = ContactDialog(romah_app.ctx)
    show(qtbot, romah_app, second)
    type_text(second.subject, "لن يُحفظ")
    with qtbot.waitSignal(second.rejected):
        qtbot.keyClick(second.subject, Qt.Key.Key_Escape)


# --- messages do not move the fields --------------------------------------------------------


def profile_fields(dialog: ProfileDialog, tab_index: int) -> dict[str, QWidget]:
    page = dialog.tabs.widget(tab_index)
    return {
        name: edit_of(widget) for name, widget in dialog.inputs.items() if page.isAncestorOf(widget)
    }


def leave(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` in place of what the field holds and leave it with Tab."""
    edit = edit_of(widget)
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.clear()
    type_text(edit, text)
    tab(qtbot)


def test_profile_messages_do_not_move_the_fields_and_the_summary_goes_when_all_are_fixed(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    dialog = open_profile(qtbot, romah_app)
    fields = profile_fields(dialog, PERSONAL)
    assert {"first_name", "birth_date", "nationality", "phone"} <= set(fields)
    before = places(dialog, fields)
    leave(qtbot, dialog.inputs["first_name"], "نورة2")
    leave(qtbot, dialog.inputs["birth_date"], "1446/13/01 هـ")
    assert dialog.message_of("first_name") and dialog.message_of("birth_date")
    assert moved(before, places(dialog, fields)) == {}
    # Save: every missing field says so beside it; the line under the tabs sums it up.
    with qtbot.waitSignal(dialog.sig_save_failed, timeout=10_000):
        qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # type: ignore[arg-type]
    wait_idle(qtbot, romah_app)
    assert dialog.message.text()
    assert dialog.message_of("family_name") and dialog.message_of("gender")
    assert moved(before, places(dialog, fields)) == {}
    income = profile_fields(dialog, INCOME)
    dialog.tabs.setCurrentIndex(INCOME)
    income_before = places(dialog, income)
    leave(qtbot, dialog.inputs["household_size"], "0")
    assert dialog.message_of("household_size")
    assert moved(income_before, places(dialog, income)) == {}
    leave(qtbot, dialog.inputs["household_size"], "4")
    assert moved(income_before, places(dialog, income)) == {}
    dialog.tabs.setCurrentIndex(PERSONAL)
    settle()
    screenshot(dialog, "keyboard_profile_errors_ar")

    # Each correction takes its message away; the summary stays while one is left.
    for field, text in (
        ("first_name", "نورة"),
        ("father_name", "سعد"),
        ("grandfather_name", "فهد"),
        ("birth_date", "1411/08/15 هـ"),
        ("national_id", make_national_id("109876543")),
    ):
        leave(qtbot, dialog.inputs[field], text)
        assert dialog.message_of(field) == "", field
        assert dialog.message.text(), "the summary went while fields still need correcting"
    leave(qtbot, dialog.inputs["family_name"], "العتيبي")
    gender = dialog.inputs["gender"]
    gender.setFocus()
    qtbot.keyClick(gender, Qt.Key.Key_Down)
    dialog.check_field("gender")  # as choosing from the open list does
    assert all(not dialog.message_of(f) for f in dialog.messages)
    assert dialog.message.text() == ""
    assert moved(before, places(dialog, fields)) == {}


def test_profile_errors_in_english_fit_the_laptop_screen(
    qtbot: QtBot, romah_app: RomahApp, english: None
) -> None:
    dialog = open_profile(qtbot, romah_app)
    assert dialog.layoutDirection() == Qt.LayoutDirection.LeftToRight
    fields = profile_fields(dialog, PERSONAL)
    before = places(dialog, fields)
    leave(qtbot, dialog.inputs["national_id"], "123")
    leave(qtbot, dialog.inputs["birth_date"], "2024-13-01")
    with qtbot.waitSignal(dialog.sig_save_failed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    settle()
    screenshot(dialog, "keyboard_profile_errors_en")
    assert dialog.message_of("national_id") == "The ID number must have 10 digits (you typed 3)."
    assert moved(before, places(dialog, fields)) == {}


def test_contact_messages_do_not_move_the_fields(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window_as(Role.INTERVIEWER)
    assert romah_app.ctx is not None
    dialog = ContactDialog(romah_app.ctx)
    show(qtbot, romah_app, dialog)
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.LETTER))
    dialog.inquiry.click()
    fields = {name: edit_of(widget) for name, widget in dialog.inputs.items()}
    fields = {name: w for name, w in fields.items() if w.isVisibleTo(dialog)}
    before = places(dialog, fields)
    type_text(dialog.letter_date.edit, "1446/13/01 هـ")
    with qtbot.waitSignal(dialog.errors["subject"].sig_text_changed, timeout=10_000):
        qtbot.keyClick(dialog.letter_date.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    assert dialog.errors["subject"].isVisible() and dialog.errors["letter_date"].isVisible()
    assert moved(before, places(dialog, fields)) == {}
    screenshot(dialog, "keyboard_contact_errors_ar")


def test_intake_step_messages_do_not_move_the_fields(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    assert romah_app.ctx is not None
    wizard = IntakeWizard(romah_app.ctx, window)
    show(qtbot, romah_app, wizard)
    page = wizard.currentPage()
    fields = {
        name: focus for name, (_error, focus) in page._errors.items() if focus.isVisibleTo(page)
    }
    assert {"channel", "subject", "justification"} <= set(fields)
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    def press_next() -> list[str]:
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, romah_app)
        return [name for name, (error, _f) in page._errors.items() if error.isVisibleTo(page)]

    # The step fits the wizard (960×690) whole: nothing is squeezed or scrolled, so the
    # fields stay where they were from the first Next on.
    assert wizard.height() <= 698 and page.scroll.verticalScrollBar().maximum() == 0
    before = places(wizard, fields)
    assert {"subject", "justification"} <= set(press_next())
    assert moved(before, places(wizard, fields)) == {}
    page.clear_errors()
    assert moved(before, places(wizard, fields)) == {}
    assert press_next(), "Next with nothing typed shows what is missing, again"
    assert moved(before, places(wizard, fields)) == {}
    type_text(page.subject, "مساعدة في الإيجار")  # correcting a field takes its message away
    assert not page._errors["subject"][0].isVisible()
    assert moved(before, places(wizard, fields)) == {}


def test_add_user_dialog_by_keyboard_alone(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    assert romah_app.ctx is not None
    dialog = AddUserDialog(romah_app.ctx)
    show(qtbot, romah_app, dialog)
    assert focused() is dialog.username
    fields = dict(dialog.inputs)
    before = places(dialog, fields)
    type_text(dialog.username, "reem.harbi")
    assert tab(qtbot) is dialog.full_name
    type_text(dialog.full_name, "ريم الحربي")
    assert tab(qtbot) is dialog.role
    boxes = [box for box in dialog.extra_roles.boxes.values() if box.isEnabled()]
    assert [tab(qtbot) for _ in boxes] == boxes
    assert tab(qtbot) is dialog.password
    type_text(dialog.password, "password-1")
    assert tab(qtbot) is dialog.confirm
    type_text(dialog.confirm, "password-2")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter saves: the two differ
    assert dialog.shown_error("confirm") and dialog.isVisible()
    assert moved(before, places(dialog, fields)) == {}
    dialog.confirm.clear()
    type_text(dialog.confirm, "password-1")
    assert not dialog.shown_error("confirm")
    # Tab through the buttons and back: Enter in a field still saves.
    assert tab(qtbot) is dialog.save_button
    assert tab(qtbot) is dialog.cancel_button
    dialog.confirm.setFocus()
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    second = AddUserDialog(romah_app.ctx)
    show(qtbot, romah_app, second)
    with qtbot.waitSignal(second.rejected):
        qtbot.keyClick(second.username, Qt.Key.Key_Escape)
    assert second.result() == QDialog.DialogCode.Rejected


# --- menus show their items whole -----------------------------------------------------------


def whole(menu: QMenu, qtbot: QtBot) -> list[str]:
    """The items of `menu` drawn other than they are drawn with room to spare (cut short)."""
    menu.popup(QPoint(0, 0))
    qtbot.waitExposed(menu)
    settle()
    tight = menu.grab().toImage()
    width = menu.width()
    menu.close()
    menu.setMinimumWidth(width + 300)
    menu.popup(QPoint(0, 0))
    qtbot.waitExposed(menu)
    settle()
    roomy = menu.grab().toImage()
    menu.close()
    menu.setMinimumWidth(width)
    rtl = menu.layoutDirection() == Qt.LayoutDirection.RightToLeft
    metrics = menu.fontMetrics()
    cut = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        box = menu.actionGeometry(action)
        reach = metrics.horizontalAdvance(action.text()) + 40  # the text and its margin
        if not _same(tight, roomy, box.top(), box.bottom(), reach, rtl):
            cut.append(action.text())
    return cut


def _same(tight: QImage, roomy: QImage, top: int, bottom: int, reach: int, rtl: bool) -> bool:
    for y in range(top, bottom):
        for step in range(reach):
            x_tight = tight.width() - 1 - step if rtl else step
            x_roomy = roomy.width() - 1 - step if rtl else step
            if tight.pixel(x_tight, y) != roomy.pixel(x_roomy, y):
                return False
    return True


def test_the_print_menu_shows_its_items_whole_in_arabic(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    menu = main_window.print_menu.menu
    assert any("يوم كامل" in action.text() for action in menu.actions())
    menu.popup(QPoint(0, 0))
    qtbot.waitExposed(menu)
    screenshot(menu, "keyboard_print_menu_ar")
    menu.close()
    assert whole(menu, qtbot) == []


def test_the_print_menu_shows_its_items_whole_in_english(
    qtbot: QtBot, romah_app: RomahApp, english: None
) -> None:
    assert romah_app.ctx is not None
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = PrintMenu(window, romah_app.ctx).menu
    assert any("Batch print" in action.text() for action in menu.actions())
    menu.popup(QPoint(0, 0))
    qtbot.waitExposed(menu)
    screenshot(menu, "keyboard_print_menu_en")
    menu.close()
    assert whole(menu, qtbot) == []


def test_the_intake_menu_shows_its_items_whole_in_arabic(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    menus = [
        action.menu()
        for action in window.menuBar().actions()
        if isinstance(action.menu(), QMenu)
        and any("استقبال جديد" in item.text().replace("&", "") for item in action.menu().actions())
    ]
    assert len(menus) == 1
    menu = menus[0]
    assert isinstance(menu, QMenu)
    menu.popup(QPoint(0, 0))
    qtbot.waitExposed(menu)
    screenshot(menu, "keyboard_intake_menu_ar")
    menu.close()
    assert whole(menu, qtbot) == []
