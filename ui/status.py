"""The status bar: who is signed in, the branch, the link to HQ and the changes waiting."""

from __future__ import annotations

from datetime import date

from romah_desktop.permissions import roles_label
from romah_desktop.services.committee.watch import overdue_count, overdue_status
from romah_desktop.services.status import WAITING_CAP, DeviceStatus, device_status
from ui.context import AppContext
from ui.qt import QLabel, QPainter, QPaintEvent, QSize, QStatusBar, Qt, QWidget

SHORTEST = 6
"""The fewest characters a status text keeps before "…" when the window is narrow."""


class StatusText(QLabel):
    """A status text on one line that gives way when the window is narrow: it asks only a few
    characters of room and shows the rest cut with "…" (the whole text in its tooltip). In
    English at 150 % the texts whole once made the window wider than the laptop."""

    def minimumSizeHint(self) -> QSize:
        full = super().minimumSizeHint()
        metrics = self.fontMetrics()
        shortest = metrics.horizontalAdvance("…") + SHORTEST * metrics.averageCharWidth()
        margins = self.contentsMargins()
        room = shortest + margins.left() + margins.right() + 2 * self.margin()
        return QSize(min(full.width(), room), full.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        rect = self.contentsRect().adjusted(
            self.margin(), self.margin(), -self.margin(), -self.margin()
        )
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        tip = self.text() if text != self.text() else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, self._side() | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def _side(self) -> Qt.AlignmentFlag:
        """Where the text starts: the reading side unless the label says otherwise."""
        flag = Qt.AlignmentFlag
        align = self.alignment()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        if align & flag.AlignHCenter:
            return flag.AlignHCenter
        right = bool(align & flag.AlignRight)
        if rtl and not align & flag.AlignAbsolute:
            right = not right
        return flag.AlignRight if right else flag.AlignLeft


class StatusBar(QStatusBar):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Names give way when the window is narrow (cut with "…"); the counts stay whole.
        self.user = StatusText()
        self.user.setObjectName("status_user")
        self.branch = StatusText()
        self.branch.setObjectName("status_branch")
        self.link = StatusText()
        self.link.setObjectName("status_link")
        self.waiting = QLabel()
        self.waiting.setObjectName("status_waiting")
        self.sync = QLabel()
        self.sync.setObjectName("status_sync")
        # Requests past the committee's due date (hidden when there are none).
        self.overdue = QLabel()
        self.overdue.setObjectName("status_overdue")
        self.overdue.setVisible(False)
        # On the reading side: the right in Arabic, the left in English (a permanent widget
        # would sit on the far side; the bar shows no passing messages that hide these).
        for widget in (self.user, self.branch, self.link, self.waiting, self.sync, self.overdue):
            self.addWidget(widget)
        # A bound method, not a lambda: the connection then ends with the bar.
        ctx.sig_changed.connect(self._changed)

    def _changed(self, _kinds: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        if not self.ctx.signed_in:
            return
        actor = self.ctx.actor
        self.user.setText(f"{actor.full_name} — {roles_label(actor.roles)}")
        self.ctx.run(device_status, self._show)
        self.ctx.run(
            lambda session, actor: overdue_count(session, actor, date.today()), self._show_overdue
        )

    def _show_overdue(self, count: int) -> None:
        self.overdue.setText(overdue_status(count))
        self.overdue.setVisible(count > 0)

    def show_sync(self, text: str) -> None:
        """The state of sync ("Synced 10:42", "Offline", "2 conflicts"); "" hides it."""
        self.sync.setText(text)
        self.sync.setVisible(bool(text))

    def _show(self, status: DeviceStatus) -> None:
        self.branch.setText(self.tr("Branch: {name}").format(name=status.branch_name))
        self.link.setText(
            self.tr("Linked to HQ")
            if status.enrolled
            else self.tr("Working offline (not enrolled with HQ)")
        )
        count = status.changes_waiting
        shown = f"{WAITING_CAP:,}+" if count > WAITING_CAP else f"{count:,}"
        self.waiting.setText(self.tr("Changes waiting to sync: {count}").format(count=shown))
