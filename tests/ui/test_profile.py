"""The profile editor driven as an interviewer would: typing, Tab and Enter, clicking Save."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import sqlalchemy.exc
from pytestqt.qtbot import QtBot

from db.enums import Channel, DocumentType, Role
from db.models import Beneficiary
from romah_desktop.dates import parse_date
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.interview import record_document_check
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.people.person_file import person_file
from romah_desktop.services.people.timeline import TimelineEntry, TimelineKind
from romah_desktop.services.users import add_user
from romah_desktop.validation import make_national_id
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from ui import i18n
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.profile import dialog as profile_module
from ui.profile.dialog import ADDRESS, INCOME, TIMELINE, ProfileDialog
from ui.profile.household import RowRole
from ui.qt import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QModelIndex,
    Qt,
    QWidget,
)
from ui.widgets.date_field import DualDateField
from ui.widgets.timeline import TimelineModel, TimelineRole

GOOD = {
    "first_name": "نورة",
    "father_name": "سعد",
    "grandfather_name": "فهد",
    "family_name": "العتيبي",
}


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    # A question box would wait for a click forever in a headless test; one test asks itself.
    monkeypatch.setattr(ProfileDialog, "confirm_discard", lambda self: True)


def open_profile(qtbot: QtBot, app: RomahApp, beneficiary_id: str | None = None) -> ProfileDialog:
    assert app.ctx is not None
    dialog = ProfileDialog(app.ctx, beneficiary_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_idle(qtbot, app)
    if beneficiary_id is not None:
        assert dialog.file is not None and dialog.file.id == beneficiary_id
    return dialog


def plain(text: str) -> str:
    """`text` without the direction isolates around Gregorian dates."""
    return text.replace("\u2066", "").replace("\u2069", "")


def picture(dialog: QWidget, name: str) -> None:
    """Lay out what is pending (messages just shown), then save the screenshot."""
    QApplication.processEvents()
    screenshot(dialog, name)


def type_and_leave(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace the field's text by typing, then leave it with Enter (editing finished)."""
    edit = widget.edit if isinstance(widget, DualDateField) else widget
    assert isinstance(edit, QLineEdit)
    edit.clear()
    type_text(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def choose(qtbot: QtBot, box: QWidget, value: str) -> None:
    """Pick the item whose stored value is `value`, with the keyboard."""
    assert isinstance(box, QComboBox)
    box.setFocus()
    target = box.findData(value)
    assert target >= 0
    while box.currentIndex() != target:
        key = Qt.Key.Key_Down if box.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(box, key)


def save(qtbot: QtBot, dialog: ProfileDialog, app: RomahApp, signal: object) -> None:
    with qtbot.waitSignal(signal, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


def register_existing(app: RomahApp, **fields: str) -> str:
    assert app.workspace is not None and app.ctx is not None
    with app.workspace.transaction() as session:
        return register_beneficiary(session, app.ctx.actor, person_form(**fields)).id


def stored(app: RomahApp, beneficiary_id: str):  # noqa: ANN201 (a PersonFile)
    assert app.workspace is not None and app.ctx is not None
    with app.workspace.transaction() as session:
        return person_file(session, app.ctx.actor, beneficiary_id)


def people_named(app: RomahApp, first_name: str) -> int:
    with database_of(app) as workspace, workspace.transaction() as session:
        return (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(Beneficiary)
                .where(Beneficiary.first_name == first_name)
            )
            or 0
        )


# --- registering ----------------------------------------------------------------------------


def test_register_bad_then_good_values_keeps_every_field_and_speaks_arabic(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    dialog = open_profile(qtbot, romah_app)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert not dialog.tabs.isTabEnabled(TIMELINE)
    picture(dialog, "profile_new")
    bad = {
        "first_name": "نورة2",
        "national_id": "1234567890",
        "phone": "12345",
        "birth_date": "1446/13/01 هـ",
        "nationality": "سعودية",
    }
    for field, text in bad.items():
        type_and_leave(qtbot, dialog.inputs[field], text)
    # Leaving a field checks it: its Arabic message is right beside it, the text stays.
    assert dialog.message_of("first_name") == "لا يمكن أن يحتوي الاسم على أرقام."
    assert "غير صحيح" in dialog.message_of("national_id")
    assert "05" in dialog.message_of("phone")
    assert "بين 1 و12" in dialog.message_of("birth_date")
    assert dialog.message_of("nationality") == ""
    assert dialog.messages["first_name"].isVisibleTo(dialog)
    dialog.tabs.setCurrentIndex(ADDRESS)
    type_and_leave(qtbot, dialog.inputs["monthly_rent"], "-500")
    assert dialog.message_of("monthly_rent") == "لا يمكن أن يكون المبلغ سالبًا."
    dialog.tabs.setCurrentIndex(INCOME)
    type_and_leave(qtbot, dialog.inputs["household_size"], "0")
    type_and_leave(qtbot, dialog.inputs["iban"], "SA00")
    assert "50" in dialog.message_of("household_size")
    assert dialog.message_of("iban")
    # Save asks the service: every bad or missing field says what is wrong, nothing is lost.
    save(qtbot, dialog, romah_app, dialog.sig_save_failed)
    for field in ("father_name", "grandfather_name", "family_name", "gender"):
        assert dialog.message_of(field) == "يجب تعبئة هذا الحقل."
    assert dialog.tabs.currentIndex() == 0  # the first field with a problem is shown
    typed = dialog.form_data()
    for field, text in bad.items():
        assert typed[field] == text
    assert typed["monthly_rent"] == "-500" and typed["household_size"] == "0"
    dialog.tabs.setCurrentIndex(0)
    picture(dialog, "profile_errors")

    # Correcting each field clears its message as it is left.
    for field, text in GOOD.items():
        type_and_leave(qtbot, dialog.inputs[field], text)
        assert dialog.message_of(field) == ""
    national_id = make_national_id("109876543")
    type_and_leave(qtbot, dialog.inputs["national_id"], national_id)
    assert dialog.message_of("national_id") == "" and dialog.id_kind.text() == "الهوية الوطنية"
    choose(qtbot, dialog.inputs["gender"], "F")
    assert dialog.message_of("gender") == ""
    type_and_leave(qtbot, dialog.inputs["phone"], "055 123 4567")
    type_and_leave(qtbot, dialog.inputs["birth_date"], "١٤١١/٠٨/١٥ هـ")
    assert dialog.message_of("birth_date") == ""
    assert dialog.birth_date.date() == date(1991, 3, 1)
    type_and_leave(qtbot, dialog.inputs["monthly_rent"], "1,500")
    type_and_leave(qtbot, dialog.inputs["household_size"], "4")
    type_and_leave(qtbot, dialog.inputs["iban"], "")
    dialog.category_boxes["widow"].click()
    assert all(not dialog.message_of(f) for f in dialog.messages)
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, romah_app)
    person = stored(romah_app, saved.args[0])
    assert person.form["national_id"] == national_id
    assert person.form["birth_date"] == "1991-03-01"
    assert person.form["phone"] == "0551234567"
    assert person.form["categories"] == "widow"
    assert person.form["monthly_rent"] == "1,500"
    # The window now shows the saved file, ready for more.
    assert dialog.beneficiary_id == saved.args[0]
    assert person.file_number in dialog.windowTitle()
    assert person.file_number in dialog.message.text()
    assert dialog.tabs.isTabEnabled(TIMELINE) and not dialog.is_dirty()


def test_leaving_fields_with_tab_checks_them(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    dialog = open_profile(qtbot, romah_app)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    first = dialog.line("first_name")
    first.setFocus()
    type_text(first, "Sara 3")
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert dialog.line("father_name").hasFocus()
    assert dialog.message_of("first_name") == "لا يمكن أن يحتوي الاسم على أرقام."
    # An empty field that is only passed through is not a mistake yet.
    qtbot.keyClick(dialog.line("father_name"), Qt.Key.Key_Tab)
    assert dialog.message_of("father_name") == ""
    assert first.text() == "Sara 3"


# --- duplicates -----------------------------------------------------------------------------


def test_typing_an_existing_id_shows_the_file_one_click_away(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    national_id = make_national_id("155555555")
    existing = register_existing(romah_app, national_id=national_id, first_name="خالد")
    dialog = open_profile(qtbot, romah_app)
    edit = dialog.line("national_id")
    edit.setFocus()
    with qtbot.waitSignal(dialog.sig_duplicates_shown, timeout=15_000) as shown:
        type_text(edit, national_id)
    wait_idle(qtbot, romah_app)
    assert shown.args == [1]
    assert dialog.duplicates.isVisible()
    shown_texts = [label.text() for label in dialog.duplicates.findChildren(QLabel)]
    assert any("خالد" in text and national_id in text for text in shown_texts)
    picture(dialog, "profile_duplicate")
    with qtbot.waitSignal(dialog.sig_loaded, timeout=15_000):
        qtbot.mouseClick(dialog.duplicates.open_buttons[existing], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert dialog.beneficiary_id == existing
    assert dialog.value("first_name") == "خالد"
    assert dialog.value("national_id") == national_id
    assert not dialog.duplicates.isVisible()


def test_half_typed_ids_find_nothing_and_saving_an_existing_id_is_refused(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    national_id = make_national_id("166666666")
    existing = register_existing(romah_app, national_id=national_id)
    dialog = open_profile(qtbot, romah_app)
    with qtbot.waitSignal(dialog.sig_duplicates_shown, timeout=15_000) as shown:
        type_text(dialog.line("national_id"), national_id[:7])
    assert shown.args == [0] and not dialog.duplicates.isVisible()
    for field, text in GOOD.items():
        type_and_leave(qtbot, dialog.inputs[field], text)
    type_and_leave(qtbot, dialog.inputs["national_id"], national_id)
    choose(qtbot, dialog.inputs["gender"], "F")
    wait_idle(qtbot, romah_app)
    save(qtbot, dialog, romah_app, dialog.sig_save_failed)
    assert dialog.duplicates.isVisible()
    assert existing in dialog.duplicates.open_buttons
    assert not dialog.duplicates.confirm.isVisible()  # the same ID is never someone else
    assert dialog.beneficiary_id is None and dialog.value("first_name") == GOOD["first_name"]


def test_same_name_and_birth_date_is_registered_after_confirming(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    first = register_existing(romah_app, **GOOD, birth_date="1990-05-01")
    dialog = open_profile(qtbot, romah_app)
    with qtbot.waitSignal(dialog.sig_duplicates_shown, timeout=15_000):
        for field, text in GOOD.items():
            type_and_leave(qtbot, dialog.inputs[field], text)
    wait_idle(qtbot, romah_app)
    # The four-part name alone is already a hint while typing.
    assert dialog.duplicates.isVisible()
    assert dialog.duplicates.candidates[0].reason == "same_name"
    type_and_leave(qtbot, dialog.inputs["national_id"], make_national_id("177777777"))
    choose(qtbot, dialog.inputs["gender"], "F")
    with qtbot.waitSignal(dialog.sig_duplicates_shown, timeout=15_000):
        type_and_leave(qtbot, dialog.inputs["birth_date"], "1410/10/06 هـ")
    wait_idle(qtbot, romah_app)
    assert dialog.duplicates.candidates[0].reason == "name_and_birth_date"
    save(qtbot, dialog, romah_app, dialog.sig_save_failed)
    assert dialog.duplicates.confirm.isVisible()
    assert stored(romah_app, first).file_number in dialog.duplicates.title.text()
    assert people_named(romah_app, GOOD["first_name"]) == 1
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        qtbot.mouseClick(dialog.duplicates.confirm, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert people_named(romah_app, GOOD["first_name"]) == 2
    assert not dialog.duplicates.isVisible()


# --- editing --------------------------------------------------------------------------------


def test_edit_a_file_and_add_a_household_member_and_an_income(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    existing = register_existing(romah_app)
    dialog = open_profile(qtbot, romah_app, existing)
    assert dialog.value("city") == "الرياض" and not dialog.is_dirty()
    dialog.tabs.setCurrentIndex(ADDRESS)
    type_and_leave(qtbot, dialog.inputs["city"], "الخرج")
    choose(qtbot, dialog.inputs["housing_type"], "rented")
    dialog.tabs.setCurrentIndex(INCOME)
    members = dialog.members
    # A bad member row is refused beside its fields, and what was typed stays.
    type_and_leave(qtbot, members.fields["full_name"], "ريم 7")
    assert members.model.rowCount() == 0
    assert members.message_of("full_name") == "لا يمكن أن يحتوي الاسم على أرقام."
    assert members.message_of("relationship")
    assert members.fields["full_name"].text() == "ريم 7"  # type: ignore[attr-defined]
    members.fields["full_name"].clear()  # type: ignore[attr-defined]
    type_text(members.fields["full_name"], "ريم عبدالله")
    choose(qtbot, members.fields["relationship"], "daughter")
    type_text(members.fields["birth_date"].edit, "1435/01/01 هـ")  # type: ignore[attr-defined]
    qtbot.mouseClick(members.add_button, Qt.MouseButton.LeftButton)
    assert members.model.rowCount() == 1 and members.message_of("full_name") == ""
    assert members.fields["full_name"].text() == ""  # type: ignore[attr-defined]
    assert "ابنة" in members.model.index(0, 1).data()
    incomes = dialog.incomes
    choose(qtbot, incomes.fields["source"], "social_security")
    type_and_leave(qtbot, incomes.fields["monthly_amount"], "1200")  # Enter adds the row
    assert incomes.model.rowCount() == 1
    assert dialog.is_dirty()
    save(qtbot, dialog, romah_app, dialog.sig_saved)
    person = stored(romah_app, existing)
    assert person.form["city"] == "الخرج" and person.form["housing_type"] == "rented"
    assert [m.data["full_name"] for m in person.members] == ["ريم عبدالله"]
    assert person.members[0].data["birth_date"] == "2013-11-04"
    assert [i.data["monthly_amount"] for i in person.incomes] == ["1,200"]
    # Reloaded: the rows are the stored ones now, nothing left unsaved.
    assert members.model.index(0, 0).data(RowRole.ROW_ID) == person.members[0].id
    assert not dialog.is_dirty()
    # Removing the member is written on the next save.
    row = members.table.visualRect(members.model.index(0, 0)).center()
    qtbot.mouseClick(members.table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert members.fields["full_name"].text() == "ريم عبدالله"  # type: ignore[attr-defined]
    qtbot.mouseClick(members.remove_button, Qt.MouseButton.LeftButton)
    assert members.model.rowCount() == 0 and dialog.is_dirty()
    save(qtbot, dialog, romah_app, dialog.sig_saved)
    assert stored(romah_app, existing).members == []


def test_a_failed_save_says_so_and_keeps_the_form(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_args: object, **_kwargs: object) -> None:
        raise sqlalchemy.exc.OperationalError(
            "INSERT INTO beneficiary", {}, sqlite3.OperationalError("database is locked")
        )

    monkeypatch.setattr(profile_module, "register_beneficiary", locked)
    dialog = open_profile(qtbot, romah_app)
    for field, text in GOOD.items():
        type_and_leave(qtbot, dialog.inputs[field], text)
    type_and_leave(qtbot, dialog.inputs["national_id"], make_national_id("188888888"))
    choose(qtbot, dialog.inputs["gender"], "F")
    dialog.tabs.setCurrentIndex(INCOME)
    type_text(dialog.members.fields["full_name"], "سعد")
    choose(qtbot, dialog.members.fields["relationship"], "son")
    qtbot.mouseClick(dialog.members.add_button, Qt.MouseButton.LeftButton)
    before = dialog.form_data()
    with qtbot.waitSignal(dialog.sig_save_failed, timeout=10_000) as failed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert failed.args[0] == dialog.message.text()
    assert "database" in failed.args[0] or "قاعدة البيانات" in failed.args[0]
    assert dialog.form_data() == before and dialog.members.model.rowCount() == 1
    assert dialog.save_button.isEnabled() and not dialog.progress.isVisible()
    assert people_named(romah_app, GOOD["first_name"]) == 0
    # Once the database is free again, the same form saves.
    monkeypatch.undo()
    monkeypatch.setattr(ProfileDialog, "confirm_discard", lambda self: True)
    save(qtbot, dialog, romah_app, dialog.sig_saved)
    assert people_named(romah_app, GOOD["first_name"]) == 1


def test_closing_over_unsaved_typing_asks_first(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def keep_typing(self: ProfileDialog) -> bool:
        asked.append(True)
        return False

    monkeypatch.setattr(ProfileDialog, "confirm_discard", keep_typing)
    assert romah_app.ctx is not None
    # A file closed before it has even been read asks nothing: nothing was typed.
    loading = ProfileDialog(romah_app.ctx, register_existing(romah_app))
    loading.show()
    assert loading.close() and asked == []
    wait_idle(qtbot, romah_app)
    dialog = open_profile(qtbot, romah_app)
    type_text(dialog.line("first_name"), "هند")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible()
    assert dialog.value("first_name") == "هند"
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert asked == [True, True] and dialog.isVisible()
    monkeypatch.setattr(ProfileDialog, "confirm_discard", lambda self: True)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_role_that_may_not_edit_reads_the_file_only(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window_as(Role.COMMITTEE_MEMBER)
    existing = register_existing_as_admin(romah_app)
    dialog = open_profile(qtbot, romah_app, existing)
    assert not dialog.save_button.isEnabled()
    assert dialog.message.text()


def register_existing_as_admin(app: RomahApp) -> str:
    assert app.workspace is not None
    admin = app.workspace.login("admin", ADMIN_PASSWORD)
    with app.workspace.transaction() as session:
        return register_beneficiary(session, admin, person_form()).id


# --- the date field -------------------------------------------------------------------------


def test_the_date_field_takes_hijri_and_shows_gregorian_beside_it(
    qtbot: QtBot, romah_app: RomahApp
) -> None:
    field = DualDateField()
    qtbot.addWidget(field)
    field.show()
    with qtbot.waitSignal(field.sig_date_changed) as changed:
        type_text(field.edit, "1411/08/15 هـ")
    assert changed.args == [date(1991, 3, 1)]
    assert field.date() == date(1991, 3, 1)
    assert plain(field.other.text()) == "1411/08/15 هـ (1991/03/01 م)"
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.error_text() == ""
    type_and_leave(qtbot, field, "1411/08/31 هـ")
    assert field.date() is None and field.text() == "1411/08/31 هـ"
    assert "30" in field.error_text()  # Sha'ban 1411 has 30 days
    type_and_leave(qtbot, field, "1991-03-01")
    assert plain(field.other.text()) == "1411/08/15 هـ (1991/03/01 م)"
    assert field.error_text() == ""
    field.setDate(None)
    assert field.text() == "" and field.date() is None
    # The Umm al-Qura month picker: Sha'ban 1411 starts on a Friday (1991-02-15).
    field.setDate(date(1991, 3, 1))
    field.open_picker()
    picker = field.picker
    assert picker is not None and picker.isVisible()
    assert picker.title.text() == "شعبان 1411" and len(picker.days) == 30
    assert picker.days[15].isChecked()
    picker.move_months(1)
    assert picker.title.text() == "رمضان 1411"
    with qtbot.waitSignal(field.sig_date_changed) as picked:
        qtbot.mouseClick(picker.days[1], Qt.MouseButton.LeftButton)
    assert picked.args == [parse_date("1411/09/01 هـ")]
    assert field.text() == "1991-03-17"


# --- English --------------------------------------------------------------------------------


def test_in_english_the_messages_are_english_and_left_to_right(
    qtbot: QtBot, qapp: QApplication, romah_app: RomahApp, main_window: MainWindow
) -> None:
    i18n.set_language(qapp, "en")
    dialog = open_profile(qtbot, romah_app)
    assert dialog.layoutDirection() == Qt.LayoutDirection.LeftToRight
    type_and_leave(qtbot, dialog.inputs["national_id"], "123")
    assert dialog.message_of("national_id") == "The ID number must have 10 digits (you typed 3)."
    type_and_leave(qtbot, dialog.inputs["first_name"], "Sara1")
    assert dialog.message_of("first_name") == "A name cannot contain digits."
    save(qtbot, dialog, romah_app, dialog.sig_save_failed)
    assert dialog.message_of("family_name") == "This field must be filled in."
    assert dialog.value("first_name") == "Sara1"
    picture(dialog, "profile_errors_english")


# --- the timeline and the models ------------------------------------------------------------


def test_the_timeline_tab_shows_the_person_s_history(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, qtmodeltester
) -> None:
    existing = register_existing(romah_app)
    assert romah_app.workspace is not None
    clerk = front_desk_clerk(romah_app)
    with romah_app.workspace.transaction() as session:
        log_contact(
            session,
            clerk,
            channel=Channel.PHONE,
            subject="يسأل عن موعد المقابلة",
            beneficiary_id=existing,
            occurred_at=datetime(2024, 8, 27, 8, 0, tzinfo=UTC),
        )
        record_document_check(
            session,
            clerk,
            beneficiary_id=existing,
            doc_type=DocumentType.LEASE_CONTRACT,
            number="ع-7",
            issue_date="2023-01-01",
            expiry_date="2024-01-01",
            checked_on=date(2024, 8, 28),
        )
    dialog = open_profile(qtbot, romah_app, existing)
    dialog.tabs.setCurrentIndex(TIMELINE)
    model = dialog.timeline.model
    assert model.rowCount() == 2
    flagged = [model.index(r, 0).data(TimelineRole.FLAGGED) for r in range(model.rowCount())]
    assert flagged == [False, True] or flagged == [True, False]
    texts = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert any("يسأل عن موعد المقابلة" in t for t in texts)
    assert any(t.startswith("⚠") for t in texts)
    qtmodeltester.check(model)
    picture(dialog, "profile_timeline")


def front_desk_clerk(app: RomahApp) -> Actor:
    """A beneficiary relations officer of the branch (the administrator logs no contacts)."""
    assert app.workspace is not None
    admin = app.workspace.login("admin", ADMIN_PASSWORD)
    with app.workspace.transaction() as session:
        clerk = add_user(
            session, admin, "front.desk", "موظفة الاستقبال", Role.INTERVIEWER, "password-1"
        )
        return Actor.of(clerk)


def test_the_models_pass_the_model_tester(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, qtmodeltester
) -> None:
    existing = register_existing(romah_app)
    dialog = open_profile(qtbot, romah_app, existing)
    members = dialog.members
    for name, relationship in (("سعد", "son"), ("هند", "daughter")):
        type_text(members.fields["full_name"], name)
        choose(qtbot, members.fields["relationship"], relationship)
        qtbot.mouseClick(members.add_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(members.model)
    qtmodeltester.check(dialog.phones.model)
    # The timeline model hands rows over in batches as the view scrolls.
    moment = datetime(2024, 8, 27, 8, 0, tzinfo=UTC)
    entries = [
        TimelineEntry(moment, TimelineKind.CONTACT, f"contact {n}", f"id-{n}", flagged=n == 3)
        for n in range(250)
    ]
    model = TimelineModel()
    model.set_entries(entries)
    assert model.rowCount() == TimelineModel.BATCH and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * TimelineModel.BATCH
    assert model.index(3, 2).data() == "⚠ contact 3"
    assert model.index(3, 0).data(TimelineRole.RECORD_ID) == "id-3"
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 250 and not model.canFetchMore(QModelIndex())
