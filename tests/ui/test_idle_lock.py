"""The idle lock hears the user's input through the windows they use, not through a filter on
every event of the application (which doubled the time to build a page)."""

from __future__ import annotations

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ui.app import RomahApp
from ui.intake import open_intake
from ui.main_window import MainWindow
from ui.qt import QPoint, Qt

MINUTE_MS = 60_000


def _restarted(romah_app: RomahApp) -> bool:
    """Whether the lock's countdown has just started again (less than 50 ms spent)."""
    assert romah_app.lock is not None
    return romah_app.lock._timer.remainingTime() > MINUTE_MS - 50


def _spent(romah_app: RomahApp) -> bool:
    assert romah_app.lock is not None
    return 0 <= romah_app.lock._timer.remainingTime() < MINUTE_MS - 100


def test_typing_or_moving_the_mouse_in_a_window_puts_the_lock_off(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    lock = romah_app.lock
    assert lock is not None
    lock.set_interval_ms(MINUTE_MS)
    qtbot.waitUntil(lambda: _spent(romah_app))
    QTest.mouseMove(main_window.windowHandle(), QPoint(40, 40))
    assert _restarted(romah_app)

    # A window opened later is heard too, once it has the focus.
    intake = open_intake(main_window.ctx, main_window)
    qtbot.waitUntil(intake.isVisible)
    intake.activateWindow()
    qtbot.waitUntil(lambda: intake.windowHandle() is not None and intake.windowHandle().isActive())
    qtbot.waitUntil(lambda: _spent(romah_app))
    QTest.keyClick(intake.windowHandle(), Qt.Key.Key_Shift)
    assert _restarted(romah_app)
    intake.close()
