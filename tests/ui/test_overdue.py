"""An overdue request is escalated and shown without anyone acting: the manager signs in and
Today flags it, a notice says how many are overdue (a desktop notification, or a bar in the
window where the desktop has none) and the status bar counts them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Role
from db.models import AuditEvent, DeadlineEscalation, SupportRequest
from romah_desktop.services.committee.watch import overdue_notice, overdue_status
from tests.ui.conftest import wait_idle
from tests.ui.test_pages import person, staff, submitted_request
from ui import overdue as overdue_module
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.overdue import OverdueNotice, desktop_notifications
from ui.pages.today import TodayPage
from ui.qt import QLabel, QToolBar


def test_the_manager_signs_in_to_an_escalated_overdue_request(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    clerk = staff(romah_app, Role.INTERVIEWER)
    overdue = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="نوف"), 20)
    soon = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="دانة"), 5)

    window = window_as(Role.BRANCH_MANAGER)  # and nothing clicked after
    wait_idle(qtbot, romah_app)
    today = window.pages["today"]
    assert isinstance(today, TodayPage) and today.isVisible()
    panel = today.deadlines
    qtbot.waitUntil(lambda: panel.watch is not None and bool(panel.watch.escalated))
    assert panel.watch is not None
    assert [r.id for r in panel.watch.escalated] == [overdue]
    assert panel.boxes["escalated"].isVisible()
    assert romah_app.workspace is not None
    with romah_app.workspace.db.session() as session:
        number = session.get(SupportRequest, overdue).request_number  # type: ignore[union-attr]
        escalation = session.scalars(sa.select(DeadlineEscalation)).one()
        assert escalation.request_id == overdue
        assert escalation.escalated_by_user_id == romah_app.ctx.actor.user_id  # type: ignore[union-attr]
        assert session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "deadline.escalate", AuditEvent.entity_id == escalation.id)
        )
    assert number in panel.escalated_text.text() and "نوف" in panel.escalated_text.text()
    assert soon not in panel.escalated_text.text()

    # The status bar counts the overdue requests.
    label = window.status.findChild(QLabel, "status_overdue")
    assert label is not None and label.isVisible()
    assert label.text() == overdue_status(1)

    # The notice: a desktop notification, or (here, with no tray) a bar that blocks nothing.
    notice = window.findChild(OverdueNotice)
    assert notice is not None and notice.text == overdue_notice(1) != ""
    if desktop_notifications():
        assert notice.tray is not None and notice.tray.isVisible()
    else:
        bar = window.findChild(QToolBar, "overdue_notice")
        assert bar is not None and bar.isVisible()
        text = bar.findChild(QLabel, "overdue_notice_text")
        assert text is not None and text.text() == "لم تردّ لجنة البحث في موعدها على طلب واحد."
        assert today.isEnabled() and window.isActiveWindow() in (True, False)  # nothing modal
        assert romah_app.app.activeModalWidget() is None
        (dismiss,) = [a for a in bar.actions() if a.objectName() == "overdue_notice_dismiss"]
        dismiss.trigger()
        assert not bar.isVisible()

    # Signing in again escalates nothing more.
    today.refresh()
    wait_idle(qtbot, romah_app)
    with romah_app.workspace.db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DeadlineEscalation)) == 1


def test_nothing_overdue_says_nothing(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    wait_idle(qtbot, romah_app)
    notice = window.findChild(OverdueNotice)
    assert notice is not None and notice.text == ""
    assert window.findChild(QToolBar, "overdue_notice") is None
    label = window.status.findChild(QLabel, "status_overdue")
    assert label is not None and not label.isVisible()


def test_the_bar_shows_when_the_count_arrives_after_the_window(
    qtbot: QtBot,
    romah_app: RomahApp,
    window_as: Callable[[Role], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a slow laptop the count comes after the window is on screen; the bar still shows."""
    clerk = staff(romah_app, Role.INTERVIEWER)
    submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="نوف"), 20)
    window = window_as(Role.BRANCH_MANAGER)
    wait_idle(qtbot, romah_app)
    qtbot.waitExposed(window)
    monkeypatch.setattr(overdue_module, "desktop_notifications", lambda: False)
    assert romah_app.ctx is not None
    notice = OverdueNotice(romah_app.ctx, window)
    with qtbot.waitSignal(notice.sig_shown, timeout=10_000):
        pass
    assert notice.bar is not None and notice.bar.isVisible()
