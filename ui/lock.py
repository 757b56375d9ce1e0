"""Locking the screen after inactivity: the same user types their password to come back."""

from __future__ import annotations

from ui.qt import QApplication, QEvent, QObject, QTimer, Signal

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Watches the whole application's input and says when it has been idle too long."""

    sig_idle = Signal()
    """No key, mouse, pen or touch input for the configured minutes."""

    def __init__(self, app: QApplication, minutes: int) -> None:
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sig_idle)
        self.set_minutes(minutes)
        app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * 60_000)
        self._timer.start()

    def set_interval_ms(self, msecs: int) -> None:
        """For tests: lock after `msecs` of inactivity."""
        self._timer.setInterval(msecs)
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
