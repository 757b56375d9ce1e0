"""The Sync screen in the real window against an in-process HQ: enrol through the form, sync
now, a conflict made by two laptops resolved by clicking, quarantined changes dismissed,
offline and bad input shown as messages with nothing typed lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.base import utcnow
from db.enums import Role
from db.models import Beneficiary, SyncQuarantine
from romah_desktop.cli.window import LaptopSync
from romah_desktop.i18n import translate
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from sync.client import HQ_RESTORED, SyncReport
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form
from tests.sync.conftest import HQ, _hq, laptop, make_hub  # noqa: F401 (fixture)
from tests.ui.conftest import screenshot, sign_in, type_text, wait_idle
from ui import pages
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.sync import SyncPage, set_sync_service
from ui.qt import QApplication, Qt

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[HQ]:
    """HQ in process on SQLite (the window does not care which database HQ keeps; the sync
    tests run HQ on PostgreSQL too)."""
    data_dir = tmp_path / "hq"
    data_dir.mkdir()
    yield from _hq(make_hub(f"sqlite+pysqlite:///{data_dir / 'hq.sqlite3'}"), data_dir)


@pytest.fixture
def sync_window(
    qtbot: QtBot, romah_app: RomahApp, hq: HQ, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The administrator's window, syncing with the in-process HQ."""
    monkeypatch.setattr(pages.sync, "AFTER_SIGN_IN_MS", 10 * 60 * 1000)
    set_sync_service(LaptopSync(hq.http))
    window = sign_in(qtbot, romah_app, "admin", ADMIN_PASSWORD)
    yield window
    page = sync_page(window)
    if page.runner is not None and page.runner.running:
        with qtbot.waitSignals([page.runner.sig_finished, page.runner.sig_failed], timeout=20_000):
            pass
    page.runner.thread.wait() if page.runner else None
    set_sync_service(None)


def sync_page(window: MainWindow) -> SyncPage:
    page = window.pages["sync"]
    assert isinstance(page, SyncPage)
    return page


def show(qtbot: QtBot, app: RomahApp, window: MainWindow) -> SyncPage:
    page = sync_page(window)
    window.show_page("sync")
    wait_idle(qtbot, app)
    return page


def enrol_through_form(qtbot: QtBot, app: RomahApp, page: SyncPage, server: str, code: str) -> None:
    """Type the address and code, press Enrol and wait for the first sync that follows."""
    page.server.clear()
    qtbot.keyClicks(page.server, server)
    qtbot.keyClicks(page.code, code)
    assert page.runner is not None
    with qtbot.waitSignal(page.runner.sig_finished, timeout=20_000):
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


def click_sync(qtbot: QtBot, app: RomahApp, page: SyncPage) -> None:
    assert page.runner is not None and page.sync_button.isEnabled()
    with qtbot.waitSignal(page.runner.sig_finished, timeout=20_000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


def city_of(workspace, person_id: str) -> str | None:  # type: ignore[no-untyped-def]
    with workspace.db.session() as session:
        return session.scalar(sa.select(Beneficiary.city).where(Beneficiary.id == person_id))


def test_enrol_sync_and_resolve_a_conflict_by_clicking(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,
    hq: HQ,
    laptop,  # noqa: F811
) -> None:
    page = show(qtbot, romah_app, sync_window)
    assert page.state is not None and not page.state.enrolled
    assert not page.sync_button.isEnabled()

    enrol_through_form(qtbot, romah_app, page, hq.url, hq.hub.new_enrolment_code("RYD"))
    assert page.state is not None and page.state.enrolled
    assert page.state.server == hq.url
    assert page.last_sync.text() != "never" and "هـ" in page.last_sync.text()
    assert page.code.text() == ""  # a one-time code is not kept once used
    synced = page.tr("Synced {time}").split("{")[0]
    assert sync_window.status.sync.text().startswith(synced)

    workspace = romah_app.workspace
    assert workspace is not None
    actor = romah_app.ctx.actor  # type: ignore[union-attr]
    with workspace.transaction() as session:
        person_id = register_beneficiary(session, actor, person_form(city="مكة")).id
    page.refresh()
    wait_idle(qtbot, romah_app)
    assert int(page.waiting.text().replace(",", "")) > 0
    click_sync(qtbot, romah_app, page)
    assert page.waiting.text() == "0"

    # Another laptop of the branch receives the person; both change the city before syncing.
    two = laptop("two")
    assert city_of(two.workspace, person_id) == "مكة"
    clerk = two.login("clerk.ryd")
    with two.workspace.transaction() as session:
        update_beneficiary(session, clerk, person_id, {"city": "الدمام"})
    with workspace.transaction() as session:
        update_beneficiary(session, actor, person_id, {"city": "جدة"})
    two.sync()
    click_sync(qtbot, romah_app, page)

    assert page.conflict_list.count() == 1
    assert page.conflict_count.text() == "1"
    assert "1" in page.tabs.tabText(0)
    assert "المدينة" in page.conflict_title.text()  # the field in words, not "city"
    assert page.tr("Beneficiary's file") in page.conflict_title.text()
    values = {page.kept_value.text(), page.other_value.text()}
    assert values == {"جدة", "الدمام"}
    assert "two" in page.kept_by.text() + page.other_by.text()
    assert page.tr("{count} conflicts").format(count=1) in sync_window.status.sync.text()
    QApplication.processEvents()
    screenshot(sync_window, "sync_conflict_open")

    other = page.other_value.text()
    in_use = page.kept_value.text()
    assert city_of(workspace, person_id) == in_use
    qtbot.mouseClick(page.keep_other, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.conflict_list.count() == 0
    assert page.conflict_count.text() == "0"
    assert city_of(workspace, person_id) == other
    assert not page.kept_box.isVisible()

    # The choice travels like any change: the other laptop ends with the same value.
    click_sync(qtbot, romah_app, page)
    two.sync()
    assert city_of(two.workspace, person_id) == other
    screenshot(sync_window, "sync_conflict_resolved")


def test_a_typed_value_is_checked_and_kept(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,
    hq: HQ,
    laptop,  # noqa: F811
) -> None:
    page = show(qtbot, romah_app, sync_window)
    enrol_through_form(qtbot, romah_app, page, hq.url, hq.hub.new_enrolment_code("RYD"))
    workspace = romah_app.workspace
    assert workspace is not None
    actor = romah_app.ctx.actor  # type: ignore[union-attr]
    with workspace.transaction() as session:
        person_id = register_beneficiary(session, actor, person_form(household_size="3")).id
    click_sync(qtbot, romah_app, page)
    two = laptop("two")
    with two.workspace.transaction() as session:
        update_beneficiary(session, two.login("clerk.ryd"), person_id, {"household_size": "4"})
    with workspace.transaction() as session:
        update_beneficiary(session, actor, person_id, {"household_size": "5"})
    two.sync()
    click_sync(qtbot, romah_app, page)
    assert page.conflict_list.count() == 1

    qtbot.mouseClick(page.keep_typed, Qt.MouseButton.LeftButton)
    assert page.resolve_error.isVisible() and page.resolve_error.text()
    type_text(page.new_value, "ستة")
    qtbot.mouseClick(page.keep_typed, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.resolve_error.text() == page.tr("This field takes a whole number, e.g. 5.")
    assert page.new_value.text() == "ستة"  # what was typed stays
    assert page.conflict_list.count() == 1

    page.new_value.clear()
    type_text(page.new_value, "٦")  # Arabic-Indic digits are read as numbers
    qtbot.mouseClick(page.keep_typed, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.conflict_list.count() == 0
    with workspace.db.session() as session:
        size = session.scalar(
            sa.select(Beneficiary.household_size).where(Beneficiary.id == person_id)
        )
    assert size == 6


def test_bad_enrolment_input_is_explained_and_kept(
    qtbot: QtBot, romah_app: RomahApp, sync_window: MainWindow
) -> None:
    page = show(qtbot, romah_app, sync_window)
    qtbot.keyClicks(page.server, "hq example org")
    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    assert page.errors["server"].isVisible() and "https://" in page.errors["server"].text()
    assert page.errors["code"].isVisible() and page.errors["code"].text()
    assert page.server.text() == "hq example org"
    screenshot(sync_window, "sync_bad_input")
    assert page.runner is not None and not page.runner.running

    page.server.clear()
    qtbot.keyClicks(page.code, "ABCD-1234")
    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    assert page.errors["server"].isVisible()
    assert not page.errors["code"].isVisible()
    assert page.code.text() == "ABCD-1234"
    # Typing again clears the field's message.
    qtbot.keyClicks(page.server, "h")
    assert not page.errors["server"].isVisible()


def test_offline_is_a_message_and_the_window_stays_usable(
    qtbot: QtBot, romah_app: RomahApp, sync_window: MainWindow, hq: HQ
) -> None:
    page = show(qtbot, romah_app, sync_window)
    assert page.runner is not None
    # Enrolment is refused when nothing answers: the form keeps what was typed.
    page.runner.service = page.service = LaptopSync()
    qtbot.keyClicks(page.server, UNREACHABLE)
    qtbot.keyClicks(page.code, "CODE-1")
    with qtbot.waitSignal(page.runner.sig_failed, timeout=20_000):
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert "127.0.0.1:9" in page.message.text()
    assert "تعذّر الوصول" in page.message.text()
    assert (page.server.text(), page.code.text()) == (UNREACHABLE, "CODE-1")
    assert page.enrol_button.isEnabled()

    # Enrolled (through the in-process HQ) at an address that then stops answering.
    page.runner.service = page.service = LaptopSync(hq.http)
    page.server.clear()
    page.code.clear()
    enrol_through_form(qtbot, romah_app, page, UNREACHABLE, hq.hub.new_enrolment_code("RYD"))
    page.runner.service = page.service = LaptopSync()
    page.message.clear()

    # Automatic sync offline: a quiet word in the status bar, no message, no dialog.
    with qtbot.waitSignal(page.runner.sig_failed, timeout=20_000):
        page.auto_sync()
    wait_idle(qtbot, romah_app)
    assert page.message.text() == ""
    assert sync_window.status.sync.text() == page.tr("Offline")
    assert QApplication.activeModalWidget() is None

    # Sync now offline: the reason is shown, and the other screens still work meanwhile.
    with qtbot.waitSignal(page.runner.sig_failed, timeout=20_000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert "تعذّر الوصول" in page.message.text()
    sync_window.show_page("beneficiaries")
    wait_idle(qtbot, romah_app)
    assert sync_window.stack.currentWidget() is sync_window.pages["beneficiaries"]


def test_a_restore_found_by_a_sync_is_said_in_arabic_until_the_next_sync(
    qtbot: QtBot, romah_app: RomahApp, sync_window: MainWindow, hq: HQ
) -> None:
    page = show(qtbot, romah_app, sync_window)
    enrol_through_form(qtbot, romah_app, page, hq.url, hq.hub.new_enrolment_code("RYD"))
    assert page.restore_message.isHidden()  # an ordinary sync says nothing of a restore

    # A sync that found HQ restored from an older backup and sent 3 changes again.
    report = SyncReport(pushed=3, pulled=12, restored=HQ_RESTORED, resent=3)
    assert page.runner is not None
    page.runner.sig_finished.emit(report)
    wait_idle(qtbot, romah_app)
    said = page.restore_message.text()
    assert not page.restore_message.isHidden()
    assert "استُعيدت بيانات المركز الرئيسي من نسخة احتياطية أقدم" in said
    assert "أُرسل 3 منها" in said and "{resent}" not in said
    assert said == translate(report.restore_message or "", "ar", resent=3)
    assert "3" in page.message.text()  # the counts are still reported beside it
    QApplication.processEvents()
    screenshot(page, "sync_hq_restored")

    # It stays while the page is read afresh and another screen is shown ...
    sync_window.show_page("beneficiaries")
    sync_window.show_page("sync")
    page.refresh()
    wait_idle(qtbot, romah_app)
    assert not page.restore_message.isHidden() and page.restore_message.text() == said
    # ... until the next sync.
    click_sync(qtbot, romah_app, page)
    assert page.restore_message.isHidden()


def test_quarantined_changes_are_listed_and_dismissed(
    qtbot: QtBot, romah_app: RomahApp, sync_window: MainWindow
) -> None:
    workspace = romah_app.workspace
    assert workspace is not None
    with workspace.db.engine.begin() as connection:
        connection.execute(
            sa.insert(SyncQuarantine).values(
                direction="push",
                table_name="beneficiary",
                row_id="0190a7e0-0000-7000-8000-000000000001",
                change={"op": "update", "changes": {"city": "x"}},
                reason="append-only record cannot change",
                created_at=utcnow(),
            )
        )
    page = show(qtbot, romah_app, sync_window)
    assert page.quarantine_list.count() == 1
    assert "append-only record cannot change" in page.quarantine_list.item(0).text()
    assert page.tr("Beneficiary's file") in page.quarantine_list.item(0).text()
    page.tabs.setCurrentIndex(1)
    page.quarantine_list.setCurrentRow(0)
    assert page.dismiss_button.isEnabled()
    screenshot(sync_window, "sync_quarantine")
    qtbot.mouseClick(page.dismiss_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.quarantine_list.count() == 0
    with workspace.db.session() as session:
        row = session.scalars(sa.select(SyncQuarantine)).one()
    assert row.dismissed_at is not None  # kept, marked dismissed


def test_an_interviewer_syncs_but_cannot_enrol_or_resolve(
    qtbot: QtBot, romah_app: RomahApp, hq: HQ, window_as, monkeypatch
) -> None:
    monkeypatch.setattr(pages.sync, "AFTER_SIGN_IN_MS", 10 * 60 * 1000)
    set_sync_service(LaptopSync(hq.http))
    try:
        window = window_as(Role.INTERVIEWER)
        page = show(qtbot, romah_app, window)
        assert not page.enrol_button.isEnabled()
        assert not page.may_resolve
    finally:
        set_sync_service(None)
