"""The status bar starts on the reading side: the right in Arabic (the finding: it sat on the
left, where an Arabic reader's eye ends a line)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import wait_idle
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.status import StatusBar


def test_the_status_bar_starts_on_the_right_in_arabic(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    main_window.resize(1366, 768)
    wait_idle(qtbot, romah_app)
    bar = main_window.statusBar()
    assert isinstance(bar, StatusBar)
    qtbot.waitUntil(lambda: bool(bar.user.text()))
    user = bar.user.geometry()
    assert user.right() > bar.width() * 3 // 4  # the signed-in user first, at the right
    assert bar.branch.geometry().right() < user.left()  # then the branch, to its left
