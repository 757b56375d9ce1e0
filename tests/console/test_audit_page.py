"""HQ's audit trail in the console, in a real browser: newest first, filtered by user and by
action, a hundred entries a page, actions named in Arabic."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from db.base import utcnow
from romah_desktop.i18n import translate
from sync.server.console.audit import record
from sync.server.console.pages.audit import ACTION_LABELS, PAGE_SIZE
from sync.server.schema import hq_audit
from tests.console.conftest import screenshot, sign_in
from tests.sync.helpers import HQProcess


def _rows(page: object) -> list[list[str]]:
    cells = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#audit tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))",
    )
    return [list(row) for row in cells]


def _older_entries(hq: HQProcess, count: int) -> None:
    """Entries from before today, as the command line and other people left them."""
    with hq.hub.engine.begin() as connection:
        for i in range(count):
            record(connection, "command line", "hq_user_add", f"user{i}", role="hq_steward")
        # Dated a day back, so that the newest-first order shows.
        connection.execute(sa.update(hq_audit).values(at=utcnow() - timedelta(days=1)))


def test_the_audit_trail_shows_who_did_what_newest_first(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    _older_entries(hq_server, PAGE_SIZE + 5)
    # A failed sign-in, then a good one: both are recorded.
    sign_in(page, "sara", "not-her-password")
    sign_in(page, "amal")
    page.goto("/console/audit")  # type: ignore[attr-defined]
    assert page.title().startswith("سجل")  # type: ignore[attr-defined]
    rows = _rows(page)
    assert len(rows) == PAGE_SIZE
    newest, before = rows[0], rows[1]
    assert newest[1] == "amal"
    assert newest[2] == translate(ACTION_LABELS["sign_in"], "ar")
    assert before[1] == "sara"
    assert before[2] == translate(ACTION_LABELS["sign_in_failed"], "ar")
    # Times in both calendars: the Hijri year (14xx) beside the Gregorian one (20xx).
    assert "14" in newest[0] and "20" in newest[0]
    older = rows[2]
    assert older[1] == "أوامر المركز الرئيسي"
    assert older[2] == translate(ACTION_LABELS["hq_user_add"], "ar")
    assert "role: hq_steward" in older[4]
    summary = page.inner_text("main p.muted")  # type: ignore[attr-defined]
    assert "107" in summary and "1" in summary and "2" in summary
    screenshot(page, "audit-trail", tmp_path)

    # The second page holds the rest, oldest last.
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("a[rel=next]")  # type: ignore[attr-defined]
    second = _rows(page)
    assert len(second) == 107 - PAGE_SIZE
    assert second[-1][3] == "user0"
    assert page.query_selector("a[rel=next]") is None  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("a[rel=prev]")  # type: ignore[attr-defined]
    assert _rows(page)[0][1] == "amal"

    # Filter by a user, then by an action.
    page.select_option("#audit-filters select[name=user]", "sara")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#audit-filters button[type=submit]")  # type: ignore[attr-defined]
    assert [row[1] for row in _rows(page)] == ["sara"]
    page.select_option("#audit-filters select[name=user]", "")  # type: ignore[attr-defined]
    page.select_option(  # type: ignore[attr-defined]
        "#audit-filters select[name=action]", "sign_in"
    )
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#audit-filters button[type=submit]")  # type: ignore[attr-defined]
    assert [row[1] for row in _rows(page)] == ["amal"]
    screenshot(page, "audit-filtered", tmp_path)


def test_an_unknown_action_is_shown_as_written_and_english_works(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    with hq_server.hub.engine.begin() as connection:
        record(connection, "amal", "something_new", "RYD", user_id=None, count=3)
    sign_in(page, "sara")
    page.goto("/console/audit?action=something_new")  # type: ignore[attr-defined]
    assert _rows(page)[0][2] == "something_new"
    page.goto("/console/lang/en?next=/console/audit")  # type: ignore[attr-defined]
    assert page.get_attribute("html", "dir") == "ltr"  # type: ignore[attr-defined]
    labels = [row[2] for row in _rows(page)]
    assert "Signed in" in labels and "something_new" in labels
    screenshot(page, "audit-english", tmp_path)
    # Nothing matches: said so.
    page.goto("/console/audit?user=nobody")  # type: ignore[attr-defined]
    assert page.is_visible("#audit-empty")  # type: ignore[attr-defined]


def test_the_auditor_role_does_not_see_the_trail(page: object, hq_server: HQProcess) -> None:
    sign_in(page, "omar")
    assert page.query_selector("nav.main a[href='/console/audit']") is None  # type: ignore[attr-defined]
    response = page.goto("/console/audit")  # type: ignore[attr-defined]
    assert response.status == 403
