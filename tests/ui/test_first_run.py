"""The first start: the branch and administrator, the recovery key shown once, then sign-in; and a
database made before encryption, encrypted at its first sign-in through the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD
from tests.romah_desktop.test_encryption import cannot_read_with_plain_sqlite, make_plain_workspace
from tests.ui.conftest import close_app, screenshot, sign_in, type_text
from ui.app import RomahApp
from ui.login import FirstRunDialog, RecoveryKeyDialog
from ui.qt import QApplication, QDialogButtonBox, QLabel, Qt


@pytest.fixture
def fresh_app(qapp: QApplication, tmp_path: Path) -> Iterator[RomahApp]:
    app = RomahApp(qapp, tmp_path / "data", lang="ar")
    app.start()
    yield app
    close_app(app)


def test_the_first_start_shows_the_recovery_key_once(
    qtbot: QtBot, fresh_app: RomahApp, tmp_path: Path
) -> None:
    dialog = fresh_app.dialog
    assert isinstance(dialog, FirstRunDialog)
    intro = dialog.findChild(QLabel, "intro")
    assert intro is not None and "مفتاح الاسترداد" in intro.text()  # said before creating
    type_text(dialog.fields["branch"], "RYD")
    type_text(dialog.fields["branch_name"], "فرع الرياض")
    type_text(dialog.fields["username"], "admin")
    type_text(dialog.fields["full_name"], "نورة العتيبي")
    type_text(dialog.fields["password"], ADMIN_PASSWORD)
    type_text(dialog.fields["confirm"], ADMIN_PASSWORD)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(
        lambda: dialog.recovery is not None and dialog.recovery.isVisible(), timeout=15_000
    )
    recovery = dialog.recovery
    assert isinstance(recovery, RecoveryKeyDialog)
    key = recovery.key.text()
    assert len(key.replace("-", "")) == 32
    screenshot(recovery, "first_run_recovery_key")
    ok = recovery.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # not before the person says they kept it
    recovery.save_sheet(tmp_path / "sheet.pdf")
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")
    recovery.kept.setChecked(True)
    with qtbot.waitSignal(dialog.sig_created):
        ok.click()
    assert fresh_app.workspace is not None and fresh_app.workspace.recovery_key is None
    window = sign_in(qtbot, fresh_app, "admin", ADMIN_PASSWORD)
    assert window.isVisible()
    # The key opens the data when every password is lost.
    fresh_app.workspace.close()
    Workspace.unlock_with_recovery_key(fresh_app.data_dir, key).close()
    fresh_app.workspace = None
    cannot_read_with_plain_sqlite(fresh_app.data_dir / "romah.db")


def test_an_old_plain_database_is_encrypted_at_the_first_sign_in(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    make_plain_workspace(folder)
    app = RomahApp(qapp, folder, lang="ar")
    app.start()
    try:
        progress: list[float] = []
        assert app.dialog is not None
        app.dialog.sig_progress.connect(progress.append)
        sign_in(qtbot, app, "admin", ADMIN_PASSWORD)
        assert progress and progress[-1] == 1.0
        qtbot.waitUntil(lambda: app.recovery_dialog is not None and app.recovery_dialog.isVisible())
        screenshot(app.recovery_dialog, "upgrade_recovery_key")
        cannot_read_with_plain_sqlite(folder / "romah.db")
    finally:
        close_app(app)


def test_the_first_user_is_the_branch_manager_who_also_works_the_front_desk(
    qtbot: QtBot, fresh_app: RomahApp
) -> None:
    """A branch set up through the window works from it: its first user receives people (the
    Intake menu, a logged contact) and looks after the branch's users."""
    from db.enums import Role
    from tests.ui.test_pages import open_dialog, save_by_enter
    from ui.pages.contacts import ContactsPage

    dialog = fresh_app.dialog
    assert isinstance(dialog, FirstRunDialog)
    for key, text in (
        ("branch", "RYD"),
        ("branch_name", "فرع الرياض"),
        ("username", "manager"),
        ("full_name", "نورة العتيبي"),
        ("password", ADMIN_PASSWORD),
        ("confirm", ADMIN_PASSWORD),
    ):
        type_text(dialog.fields[key], text)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(
        lambda: dialog.recovery is not None and dialog.recovery.isVisible(), timeout=15_000
    )
    assert dialog.recovery is not None
    dialog.recovery.kept.setChecked(True)
    with qtbot.waitSignal(dialog.sig_created):
        dialog.recovery.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    window = sign_in(qtbot, fresh_app, "manager", ADMIN_PASSWORD)
    assert window.ctx.actor.role is Role.BRANCH_MANAGER
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert "استقبال" in menus, menus
    assert "users" in window.pages  # the branch's users are managed in the window
    window.show_page("contacts")
    contacts = window.pages["contacts"]
    assert isinstance(contacts, ContactsPage) and contacts.log_button.isEnabled()
    logging = open_dialog(qtbot, contacts)
    logging.inquiry.setFocus()
    qtbot.keyClick(logging.inquiry, Qt.Key.Key_Space)
    type_text(logging.inquirer_name, "سائل من الباب")
    type_text(logging.inquirer_phone, "0551234567")
    type_text(logging.subject, "استفسار عن الدعم")
    assert save_by_enter(qtbot, logging)
