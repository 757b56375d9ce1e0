"""Telling the signed-in user, at sign-in, how many requests are past the committee's due date:
a desktop notification where the desktop has a tray that shows messages, else a bar at the top
of the window that never stops them working (dismissed with one click)."""

from __future__ import annotations

from datetime import date

from romah_desktop.i18n import N_, translate
from romah_desktop.services.committee.watch import overdue_count, overdue_notice
from ui.context import AppContext
from ui.qt import QLabel, QMainWindow, QObject, QSystemTrayIcon, Qt, QToolBar, Signal

# How long the desktop notification stays, in milliseconds.
NOTICE_MS = 15_000


def desktop_notifications() -> bool:
    """Whether the desktop can show a notification from a tray icon."""
    return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()


class OverdueNotice(QObject):
    """Counts the overdue requests once (after the work queued at sign-in, so after Today's
    automatic escalation) and tells the user, if there are any."""

    sig_shown = Signal(int)
    """The count is known and, when not 0, shown; the argument is the count."""

    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.text = ""
        self.tray: QSystemTrayIcon | None = None
        self.bar: QToolBar | None = None
        ctx.run(lambda session, actor: overdue_count(session, actor, date.today()), self._show)

    def _show(self, count: int) -> None:
        self.text = overdue_notice(count)
        if self.text:
            if desktop_notifications():
                self._notify(self.text)
            else:
                self._banner(self.text)
        self.sig_shown.emit(count)

    def _notify(self, text: str) -> None:
        window = self.main_window
        icon = window.windowIcon()
        if icon.isNull():
            style = window.style()
            icon = style.standardIcon(style.StandardPixmap.SP_MessageBoxWarning)
        tray = QSystemTrayIcon(icon, self)
        tray.setToolTip(window.windowTitle())
        tray.show()
        tray.showMessage(window.windowTitle(), text, QSystemTrayIcon.MessageIcon.Warning, NOTICE_MS)
        # A click on the notification brings the window (and its Today) to the front.
        tray.messageClicked.connect(window.activateWindow)
        self.tray = tray

    def _banner(self, text: str) -> None:
        bar = QToolBar(self.main_window)
        bar.setObjectName("overdue_notice")
        bar.setMovable(False)
        bar.setFloatable(False)
        label = QLabel(text)
        label.setObjectName("overdue_notice_text")
        bar.addWidget(label)
        dismiss = bar.addAction(translate(N_("Dismiss")))
        dismiss.setObjectName("overdue_notice_dismiss")
        dismiss.triggered.connect(bar.hide)
        self.main_window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        # Shown in so many words: the count may arrive after the window is on screen, and a
        # child added to a visible window stays hidden until shown.
        bar.show()
        self.bar = bar
