"""Quarantined changes retried from the Sync screen, in the real window against an in-process
HQ: a pulled change the laptop refused is applied once the cause is put right and leaves the
list; one that still fails stays, with the reason of the new attempt; a change HQ refused is
explained, not re-sent."""

from __future__ import annotations

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.base import utcnow
from db.models import AuditEvent, Beneficiary, OutboxEntry, SyncQuarantine
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form
from tests.sync.conftest import HQ
from tests.sync.test_bad_values import _inject
from tests.ui.conftest import screenshot, wait_idle
from tests.ui.test_sync_page import (  # noqa: F401 (fixtures)
    click_sync,
    enrol_through_form,
    hq,
    show,
    sync_window,
)
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.sync import SyncPage
from ui.qt import QApplication, Qt


def _enrolled_page(
    qtbot: QtBot, app: RomahApp, window: MainWindow, server: HQ, people: int
) -> tuple[SyncPage, Workspace, list[str]]:
    """The Sync screen of an enrolled laptop that registered `people` people and synced."""
    page = show(qtbot, app, window)
    enrol_through_form(qtbot, app, page, server.url, server.hub.new_enrolment_code("RYD"))
    workspace = app.workspace
    assert workspace is not None
    actor = app.ctx.actor  # type: ignore[union-attr]
    ids = []
    with workspace.transaction() as session:
        for _ in range(people):
            ids.append(
                register_beneficiary(session, actor, person_form(), confirmed_not_duplicate=True).id
            )
    click_sync(qtbot, app, page)
    return page, workspace, ids


def pulled(page: SyncPage) -> int:
    """How many changes received from HQ the list shows (enrolment may leave others)."""
    return sum(1 for entry in page.quarantine if entry.direction == "pull")


def row_of(page: SyncPage) -> int:
    """The list row of the one change received from HQ."""
    (row,) = (i for i, entry in enumerate(page.quarantine) if entry.direction == "pull")
    return row


def _rows(workspace: Workspace) -> list[SyncQuarantine]:
    with workspace.db.session() as session:
        rows = list(
            session.scalars(
                sa.select(SyncQuarantine)
                .where(SyncQuarantine.direction == "pull")
                .order_by(SyncQuarantine.id)
            )
        )
        session.expunge_all()
        return rows


def _person(workspace: Workspace, person_id: str) -> Beneficiary:
    with workspace.db.session() as session:
        person = session.get(Beneficiary, person_id)
        assert person is not None
        session.expunge(person)
        return person


def _retry(qtbot: QtBot, app: RomahApp, page: SyncPage) -> None:
    page.tabs.setCurrentIndex(1)
    page.quarantine_list.setCurrentRow(row_of(page))
    assert page.retry_button.isEnabled()
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


def test_a_pulled_change_is_retried_after_the_fix_and_leaves_the_list(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,  # noqa: F811
    hq: HQ,  # noqa: F811
) -> None:
    page, workspace, (first, second) = _enrolled_page(qtbot, romah_app, sync_window, hq, 2)
    taken = _person(workspace, first).file_number
    # HQ gives the second person the first one's file number: this laptop's database refuses it.
    _inject(hq, second, {"file_number": taken})
    click_sync(qtbot, romah_app, page)
    assert pulled(page) == 1
    assert "file_number" in page.quarantine_list.item(row_of(page)).text()
    before = _person(workspace, second).file_number

    # Retried before anything changed: it still fails, stays, and nothing of it is written.
    _retry(qtbot, romah_app, page)
    assert pulled(page) == 1
    assert page.quarantine_list.currentRow() == row_of(page)  # still the one chosen
    assert "file_number" in page.quarantine_message.text()
    assert page.quarantine_message.text().startswith(
        page.tr("It still cannot be applied, so it stays here. Reason: {reason}").split("{")[0]
    )
    assert _person(workspace, second).file_number == before
    assert len(_rows(workspace)) == 1  # no second entry for the same change

    # HQ renumbers the first person; once that arrives, the held change applies.
    _inject(hq, first, {"file_number": taken + "-1"})
    click_sync(qtbot, romah_app, page)
    assert _person(workspace, first).file_number == taken + "-1"
    assert pulled(page) == 1  # a retry is a person's decision
    _retry(qtbot, romah_app, page)

    assert pulled(page) == 0
    assert page.quarantine_message.text() == page.tr(
        "The change is applied now and has left the list."
    )
    assert page.quarantine_count.text() == str(len(page.quarantine))
    assert _person(workspace, second).file_number == taken
    (row,) = _rows(workspace)
    assert row.dismissed_at is not None
    with workspace.db.session() as session:
        actions = set(session.scalars(sa.select(AuditEvent.action)))
    assert {"sync.quarantine_retry_failed", "sync.quarantine_applied"} <= actions
    # What the retry wrote is HQ's value, not this laptop's edit: nothing of it goes back.
    with workspace.db.session() as session:
        unsent = session.scalars(
            sa.select(OutboxEntry.table_name).where(OutboxEntry.pushed_at.is_(None))
        ).all()
    assert "beneficiary" not in unsent


def test_a_bad_value_still_refused_keeps_its_entry_with_the_new_reason(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,  # noqa: F811
    hq: HQ,  # noqa: F811
) -> None:
    page, workspace, (person_id,) = _enrolled_page(qtbot, romah_app, sync_window, hq, 1)
    born = _person(workspace, person_id).birth_date
    _inject(hq, person_id, {"birth_date": "not-a-date"})
    click_sync(qtbot, romah_app, page)
    assert pulled(page) == 1
    # The reason as an older version of the app put it.
    with workspace.db.engine.begin() as connection:
        connection.execute(
            sa.update(SyncQuarantine)
            .where(SyncQuarantine.direction == "pull")
            .values(reason="an older reason")
        )
    page.refresh()
    wait_idle(qtbot, romah_app)
    assert "an older reason" in page.quarantine_list.item(row_of(page)).text()

    _retry(qtbot, romah_app, page)
    assert pulled(page) == 1
    shown = page.quarantine_list.item(row_of(page)).text()
    assert "an older reason" not in shown and "birth_date" in shown
    assert "birth_date" in page.quarantine_message.text()
    (row,) = _rows(workspace)
    assert row.dismissed_at is None and "birth_date" in row.reason
    assert _person(workspace, person_id).birth_date == born

    # The screen in Arabic, for people to look at.
    QApplication.processEvents()
    screenshot(page, "sync_quarantine_retry")


def test_a_change_hq_refused_is_explained_not_resent(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,  # noqa: F811
) -> None:
    workspace = romah_app.workspace
    assert workspace is not None
    with workspace.db.engine.begin() as connection:
        connection.execute(
            sa.insert(SyncQuarantine).values(
                direction="push",
                table_name="beneficiary",
                row_id="0190a7e0-0000-7000-8000-000000000001",
                change={"seq": 4, "op": "update", "changes": {"city": "x"}},
                reason="The record belongs to another branch.",
                created_at=utcnow(),
            )
        )
    page = show(qtbot, romah_app, sync_window)
    page.tabs.setCurrentIndex(1)
    page.quarantine_list.setCurrentRow(0)
    assert page.quarantine[0].direction == "push"
    assert page.dismiss_button.isEnabled()
    assert not page.retry_button.isEnabled()
    assert page.quarantine_hint.isVisible()
    assert "المركز الرئيسي" in page.quarantine_hint.text()
    # Asked all the same (the service is the last word): refused, and the entry stays.
    assert page.service is not None
    with workspace.transaction() as session:
        try:
            page.service.retry_quarantined(session, romah_app.ctx.actor, page.quarantine[0].id)
        except Exception as error:  # noqa: BLE001
            refused = error
        else:
            raise AssertionError("a change HQ refused was retried")
    assert "المركز الرئيسي" in str(getattr(refused, "text", lambda: "")())
    with workspace.db.session() as session:
        assert session.get(SyncQuarantine, page.quarantine[0].id).dismissed_at is None
