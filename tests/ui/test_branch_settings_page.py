"""The branch's details on the Settings page, in the real window: the manager types the name,
phone, address and working days and saves; a wrong phone is explained beside it in Arabic and
nothing typed is lost; once the laptop is enrolled, HQ's details are shown and not editable."""

from __future__ import annotations

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.base import utcnow
from db.models import Branch, Device
from romah_desktop.services.branch import branch_details
from romah_desktop.services.context import this_device
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.settings import BranchDetailsBox
from ui.qt import QLineEdit, Qt


def branch_box(qtbot: QtBot, app: RomahApp, window: MainWindow) -> BranchDetailsBox:
    window.show_page("settings")
    wait_idle(qtbot, app)
    box = window.settings_page.branch
    qtbot.waitUntil(lambda: box.name.text() != "")
    return box


def retype(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    edit.del_()
    type_text(edit, text)


def test_the_manager_sets_the_branch_details(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    box = branch_box(qtbot, romah_app, main_window)
    assert box.name.text() == "فرع الرياض" and not box.name.isReadOnly()
    assert box.save.isVisible() and not box.from_hq.isVisible()
    # The usual week, from Sunday to Thursday.
    assert [d for d, b in box.days.items() if b.isChecked()] == ["sun", "mon", "tue", "wed", "thu"]

    retype(box.name, "فرع الرياض - الملقا")
    retype(box.phone, "0112345678")
    retype(box.address, "الرياض، حي الملقا، طريق الأمير تركي")
    qtbot.mouseClick(box.days["sat"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(box.sig_saved, timeout=10_000):
        qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert box.message.text() == "حُفظت بيانات الفرع."
    with database_of(romah_app) as ws, ws.db.session() as session:
        saved = branch_details(session)
    assert (saved.name, saved.phone) == ("فرع الرياض - الملقا", "0112345678")
    assert saved.address == "الرياض، حي الملقا، طريق الأمير تركي"
    assert saved.working_days == ("sun", "mon", "tue", "wed", "thu", "sat")

    # Shown again as saved after leaving the page and coming back.
    main_window.show_page("today")
    box = branch_box(qtbot, romah_app, main_window)
    assert box.phone.text() == "0112345678" and box.days["sat"].isChecked()

    # A wrong phone: its message beside it, in Arabic; everything typed stays.
    retype(box.address, "عنوان جديد لم يحفظ")
    retype(box.phone, "12345")
    with qtbot.waitSignal(box.sig_failed, timeout=10_000) as failed:
        qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert "رقم هاتف سعوديًا" in failed.args[0]
    assert box.errors["phone"].isVisible() and "سعودي" in box.errors["phone"].text()
    assert not box.errors["name"].isVisible()
    assert box.phone.text() == "12345" and box.address.text() == "عنوان جديد لم يحفظ"
    assert main_window.focusWidget() is box.phone  # the keyboard is where the fix is typed
    screenshot(main_window, "settings-branch-bad-phone-ar")
    with database_of(romah_app) as ws, ws.db.session() as session:
        assert branch_details(session).phone == "0112345678"  # nothing written
    # Correcting the phone takes its message away.
    retype(box.phone, "0501234567")
    assert not box.errors["phone"].isVisible()

    # No working day at all is refused too, beside the days.
    for day_box in box.days.values():
        day_box.setChecked(False)
    with qtbot.waitSignal(box.sig_failed, timeout=10_000):
        qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert "يوم عمل" in box.errors["working_days"].text()


def test_an_enrolled_laptop_shows_what_hq_sets(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    with database_of(romah_app) as ws, ws.transaction() as session:
        device = this_device(session)
        enrolled = session.get(Device, device.device_id)
        branch = session.get(Branch, device.branch_id)
        assert enrolled is not None and branch is not None
        enrolled.enrolled_at = utcnow()
        # As HQ's records arrive by sync.
        session.execute(
            sa.update(Branch)
            .where(Branch.id == branch.id)
            .values(phone="0114567890", settings={"working_days": "sun mon tue wed sat"})
        )
    box = branch_box(qtbot, romah_app, main_window)
    qtbot.waitUntil(lambda: box.phone.text() == "0114567890")
    assert box.from_hq.isVisible() and "المركز الرئيسي" in box.from_hq.text()
    assert box.name.isReadOnly() and box.phone.isReadOnly() and box.address.isReadOnly()
    assert not any(b.isEnabled() for b in box.days.values())
    assert [d for d, b in box.days.items() if b.isChecked()] == ["sun", "mon", "tue", "wed", "sat"]
    assert not box.save.isVisible()
    screenshot(main_window, "settings-branch-from-hq-ar")
