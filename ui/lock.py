"""Locking the screen after inactivity: the same user types their password to come back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.qt import QApplication, QEvent, QObject, Qt, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtGui import QWindow

# How often windows that appeared without taking the focus are looked for.
WATCH_MS = 2_000
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Watches the input of the application's windows and says when it has been idle too long.

    It watches each top-level window (QWindow), not the application: input comes from the
    desktop to a window before its widgets, whereas a filter on the application runs Python
    for every event of every widget (layouts, polish, paints), which doubled the time to build
    a page. A window is watched from when it takes the focus, or at the latest a few seconds
    after it appears (`WATCH_MS`), which a lock of minutes does not notice.
    """

    sig_idle = Signal()
    """No key, mouse, pen or touch input for the configured minutes."""

    def __init__(self, app: QApplication, minutes: int) -> None:
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sig_idle)
        self.set_minutes(minutes)
        self._app = app
        app.focusWindowChanged.connect(self.watch)
        self._look = QTimer(self)
        self._look.setInterval(WATCH_MS)
        self._look.timeout.connect(self.watch_all)
        self._look.start()
        self.watch_all()

    def watch(self, window: QWindow | None) -> None:
        """Count `window`'s input as activity (Qt installs a filter only once per object)."""
        if window is not None:
            window.installEventFilter(self)

    def watch_all(self) -> None:
        for window in self._app.topLevelWindows():
            if window.isVisible():
                self.watch(window)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * 60_000)
        self._timer.start()

    def set_interval_ms(self, msecs: int) -> None:
        """For tests: lock after `msecs` of inactivity, timed to the millisecond (a timer of
        minutes may be late by seconds, and so says its remaining time)."""
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(msecs)
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self.watch_all()
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
