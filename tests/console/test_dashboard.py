"""The dashboard in a real browser: a real laptop registers a person, submits a support
request and syncs; the HQ auditor sees it on the dashboard, switches the period and
downloads the report as an Excel file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, cast

import openpyxl

from db.enums import RequestStatus
from romah_desktop.labels import label
from sync.client import SyncClient
from sync.enrolment import enrol
from tests.console.conftest import screenshot, sign_in
from tests.sync.helpers import PASSWORD, HQProcess, actor_of

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def laptop_submits_a_request(hq_server: HQProcess, tmp_path: Path) -> None:
    from db.enums import Channel, RequestType
    from romah_desktop.services.committee.requests import create_request, submit_request
    from romah_desktop.services.intake.declarations import sign_declaration
    from romah_desktop.services.people.beneficiaries import register_beneficiary
    from romah_desktop.workspace import Workspace
    from tests.helpers.people import person_form

    code = hq_server.hub.new_enrolment_code("RYD")
    enrolled = enrol(tmp_path / "laptop", hq_server.url, code, "laptop one")
    enrolled.close()
    workspace, _ = Workspace.unlock(tmp_path / "laptop", "clerk.ryd", PASSWORD)
    client = SyncClient(workspace.db, workspace.attachments_dir)
    try:
        client.sync()  # the branch's users and settings
        clerk = actor_of(workspace, "clerk.ryd")
        with workspace.transaction() as session:
            person = register_beneficiary(session, clerk, person_form())
            sign_declaration(
                session,
                clerk,
                beneficiary_id=person.id,
                signer_name="عبدالله القحطاني",
                text="أقر بصحة البيانات.",
                signature_png=PNG_MAGIC + b"signature" * 40,
            )
            request = create_request(
                session,
                clerk,
                beneficiary_id=person.id,
                request_type=RequestType.CASH,
                amount="1500",
                justification="ظروف معيشية صعبة بعد فقدان العمل",
                channel=Channel.INTERVIEW,
            )
            submit_request(session, clerk, request.id)
        client.sync()
    finally:
        client.close()
        workspace.close()


def test_the_auditor_reads_the_dashboard_and_exports_it(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    laptop_submits_a_request(hq_server, tmp_path)
    sign_in(page, "omar")
    p = cast(Any, page)
    p.goto("/console/")
    requests = p.locator("#report-requests table.report").first
    ryd = requests.locator("tr", has_text="فرع الرياض")
    assert "1" in ryd.inner_text()
    assert p.locator("#sync-health tbody tr").count() == 1
    assert "laptop one" in p.locator("#sync-health").inner_text()
    assert p.locator("svg.bar").count() > 0
    # The page says when its figures were counted (just now: nothing synced since).
    assert "وقت احتساب الأرقام" in p.locator("#figures-counted").inner_text()
    assert p.locator("#figures-behind").count() == 0
    screenshot(p, "dashboard", tmp_path)

    # Another period: the Hijri year, then one Gregorian month long ago (nothing in it).
    p.select_option("select[name=kind]", "hijri_year")
    with p.expect_navigation():
        p.click("form.filters button[type=submit]")
    assert "kind=hijri_year" in p.url
    assert "فرع الرياض" in p.locator("#report-requests").inner_text()
    p.select_option("select[name=kind]", "gregorian_month")
    p.fill("input[name=year]", "2001")
    with p.expect_navigation():
        p.click("form.filters button[type=submit]")
    totals = p.locator("#report-requests table.report").first.locator("tbody tr").last
    assert totals.locator("td").last.inner_text().strip() == "0"

    # Back to this month, and its requests report as an Excel file.
    p.goto("/console/")
    with p.expect_download() as download_info:
        p.click("#report-requests a.excel")
    saved = tmp_path / "requests.xlsx"
    download_info.value.save_as(saved)
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    ryd_row = next(r for r in rows if r[0] == "فرع الرياض")
    assert ryd_row[header.index(label(RequestStatus.SUBMITTED, "ar"))] == 1
    assert ryd_row[-1] == 1
    assert sheet.sheet_view.rightToLeft
