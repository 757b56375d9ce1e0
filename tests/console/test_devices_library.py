"""The console's laptops and reference library pages, in a real browser against a real
`romah-hq serve`, with real laptops enrolling and syncing over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from db.models import ReferenceDocument
from romah_desktop import __version__
from romah_desktop.errors import RomahError
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.server.schema import hq_audit, hq_device
from tests.console.conftest import screenshot, sign_in
from tests.sync.helpers import HQProcess


def _sync(workspace: Workspace) -> None:
    client = SyncClient(workspace.db, workspace.attachments_dir)
    try:
        client.sync()
    finally:
        client.close()


def test_an_administrator_enrols_a_laptop_with_a_code_sees_it_sync_and_revokes_it(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    sign_in(page, "amal")
    page.goto("/console/devices")  # type: ignore[attr-defined]
    page.select_option("#issue-code select[name=branch]", "RYD")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#issue-code button[type=submit]")  # type: ignore[attr-defined]
    code = page.inner_text("#enrolment-code").strip()  # type: ignore[attr-defined]
    assert len(code) == 14 and code.count("-") == 2
    assert page.locator("#enrolment-qr svg path").count() >= 1  # type: ignore[attr-defined]
    assert "هـ" in page.inner_text("#issued")  # type: ignore[attr-defined]  (expiry, Hijri too)
    screenshot(page, "devices-code", tmp_path)

    workspace = enrol(tmp_path / "laptop", hq_server.url, code, "Riyadh delegate 1")
    try:
        page.goto("/console/devices")  # type: ignore[attr-defined]
        row = page.locator("#laptops tbody tr", has_text="Riyadh delegate 1")  # type: ignore[attr-defined]
        assert row.locator(".version").inner_text().strip() == __version__
        assert row.locator(".waiting").inner_text().strip() == "0"
        assert "هـ" in row.locator(".last-sync").inner_text()
        assert row.locator(".errors").inner_text().strip() == "0"
        screenshot(page, "devices-enrolled", tmp_path)

        row.locator("input[name=reason]").fill("ضاع في الميدان")
        page.once("dialog", lambda dialog: dialog.accept())  # type: ignore[attr-defined]
        with page.expect_navigation():  # type: ignore[attr-defined]
            row.locator("button.danger").click()
        assert page.locator("p.notice").count() == 1  # type: ignore[attr-defined]
        row = page.locator("#laptops tbody tr", has_text="Riyadh delegate 1")  # type: ignore[attr-defined]
        assert row.locator(".reason").inner_text() == "ضاع في الميدان"
        screenshot(page, "devices-revoked", tmp_path)

        with pytest.raises(RomahError) as refused:
            _sync(workspace)
        assert "revoked" in refused.value.text("en")
    finally:
        workspace.close()
    with hq_server.hub.engine.connect() as connection:
        reason = connection.execute(sa.select(hq_device.c.revoked_reason)).scalar_one()
        actions = set(connection.execute(sa.select(hq_audit.c.action)).scalars())
    assert reason == "ضاع في الميدان"
    assert {"enrolment_code_issued", "device_revoked"} <= actions


def test_a_new_policy_version_is_checked_published_and_reaches_a_laptop(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    workspace = enrol(tmp_path / "laptop", hq_server.url, hq_server.hub.new_enrolment_code("JED"))
    try:
        sign_in(page, "amal")
        page.goto("/console/library")  # type: ignore[attr-defined]
        form = "#publish-form"
        page.select_option(f"{form} select[name=kind]", "relations_policy")  # type: ignore[attr-defined]
        page.fill(f"{form} input[name=title]", "سياسة تنظيم العلاقة مع المستفيدين")  # type: ignore[attr-defined]
        page.fill(f"{form} input[name=version]", "2.0")  # type: ignore[attr-defined]
        page.fill(f"{form} input[name=approved_on]", "1446/02/25 هـ")  # type: ignore[attr-defined]
        page.fill(f"{form} input[name=review_due_on]", "2024-08-01")  # type: ignore[attr-defined]
        page.fill(f"{form} textarea[name=body]", "نص السياسة المعتمد.")  # type: ignore[attr-defined]
        with page.expect_navigation():  # type: ignore[attr-defined]
            page.click(f"{form} button[type=submit]")  # type: ignore[attr-defined]
        # The review before the approval is refused beside its field; the rest stays typed.
        assert page.locator(".field-error").count() == 1  # type: ignore[attr-defined]
        assert page.input_value(f"{form} input[name=version]") == "2.0"  # type: ignore[attr-defined]
        screenshot(page, "library-refused", tmp_path)

        page.fill(f"{form} input[name=review_due_on]", "2025-08-29")  # type: ignore[attr-defined]
        with page.expect_navigation():  # type: ignore[attr-defined]
            page.click(f"{form} button[type=submit]")  # type: ignore[attr-defined]
        assert page.locator("p.notice").count() == 1  # type: ignore[attr-defined]
        table = page.inner_text("#documents")  # type: ignore[attr-defined]
        assert "سياسة تنظيم العلاقة مع المستفيدين" in table
        # Reviewed by 2025-08-29: overdue today.
        assert page.locator("#documents .overdue").count() == 1  # type: ignore[attr-defined]
        screenshot(page, "library", tmp_path)

        _sync(workspace)
        with workspace.db.session() as session:
            document = session.scalars(sa.select(ReferenceDocument)).one()
        assert (document.version, str(document.approved_on), str(document.review_due_on)) == (
            "2.0",
            "2024-08-29",
            "2025-08-29",
        )
        assert document.body == "نص السياسة المعتمد."
    finally:
        workspace.close()


def test_an_auditor_sees_neither_page(page: object, tmp_path: Path) -> None:
    sign_in(page, "omar")
    nav = page.inner_text("nav.main")  # type: ignore[attr-defined]
    assert "الأجهزة" not in nav
    for path in ("/console/devices", "/console/library"):
        answer = page.goto(path)  # type: ignore[attr-defined]
        assert answer.status == 403, path
    screenshot(page, "library-auditor", tmp_path)
