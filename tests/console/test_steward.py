"""The data steward's pages in a real browser, over real laptops synced with a real
`romah-hq serve`: a conflict resolved with the other value reaches both laptops; a person
registered at two branches is merged keeping one file; a quarantined change is dismissed
with a note; a paper printed at a branch is verified; a person is found in any branch; an
auditor is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.models import Beneficiary
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from romah_desktop.services.users import user_credentials
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.server.schema import hq_audit, hq_quarantine, hq_row
from tests.console.conftest import screenshot, sign_in
from tests.helpers.people import person_form
from tests.sync.conftest import PASSWORD, Laptop
from tests.sync.helpers import HQProcess, actor_of
from tests.sync.test_hq_verify import _letter

MakeLaptop = Callable[..., Laptop]


@pytest.fixture
def laptop(hq_server: HQProcess, tmp_path: Path) -> Iterator[MakeLaptop]:
    made: list[Laptop] = []

    def make(name: str, branch: str = "RYD") -> Laptop:
        code = hq_server.hub.new_enrolment_code(branch)
        workspace = enrol(tmp_path / name, hq_server.url, code, name)
        machine = Laptop(name, workspace, SyncClient(workspace.db, workspace.attachments_dir))
        machine.client.sync()
        made.append(machine)
        return machine

    yield make
    for machine in made:
        machine.client.close()
        machine.workspace.close()


def _register(machine: Laptop, clerk: str, **form: str) -> str:
    with machine.workspace.transaction() as session:
        actor = actor_of(machine.workspace, clerk)
        return register_beneficiary(
            session, actor, person_form(**form), confirmed_not_duplicate=True
        ).id


def _edit(machine: Laptop, clerk: str, person_id: str, **fields: str) -> None:
    with machine.workspace.transaction() as session:
        update_beneficiary(session, actor_of(machine.workspace, clerk), person_id, fields)


def _city(machine: Laptop, person_id: str) -> str | None:
    with machine.workspace.db.session() as session:
        person = session.get(Beneficiary, person_id)
        assert person is not None
        return person.city


def _post(page: object, selector: str) -> None:
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(selector)  # type: ignore[attr-defined]


def _audited(hq: HQProcess, action: str) -> int:
    with hq.hub.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).where(hq_audit.c.action == action)
            ).scalar_one()
        )


def test_the_steward_resolves_a_conflict_with_the_other_value_and_both_laptops_take_it(
    page: object, hq_server: HQProcess, laptop: MakeLaptop, tmp_path: Path
) -> None:
    one, two = laptop("one"), laptop("two")
    person = _register(one, "clerk.ryd", first_name="هيفاء")
    one.client.sync(), two.client.sync()
    _edit(one, "clerk.ryd", person, city="جدة")
    _edit(two, "clerk.ryd", person, city="الدمام")
    one.client.sync(), two.client.sync(), one.client.sync()
    (open_conflict,) = hq_server.hub.conflicts()
    other = open_conflict["other_value"]

    sign_in(page, "sara")
    page.goto("/console/conflicts")  # type: ignore[attr-defined]
    listed = page.inner_text("#conflicts")  # type: ignore[attr-defined]
    assert "هيفاء" in listed and "المدينة" in listed and other in listed
    screenshot(page, "steward-conflicts", tmp_path)
    page.click("#conflicts a")  # type: ignore[attr-defined]
    assert other in page.inner_text("#other")  # type: ignore[attr-defined]
    # A value the field cannot hold is refused in Arabic, and what was typed stays.
    page.fill("#typed input[name=value]", "x" * 300)  # type: ignore[attr-defined]
    _post(page, "#typed button")
    assert "لا يمكن" in page.inner_text("#conflict-error")  # type: ignore[attr-defined]
    assert page.input_value("#typed input[name=value]") == "x" * 300  # type: ignore[attr-defined]
    screenshot(page, "steward-conflict", tmp_path)
    _post(page, "#other button")
    assert "/console/conflicts" in page.url  # type: ignore[attr-defined]
    assert page.locator("#no-conflicts").count() == 1  # type: ignore[attr-defined]
    assert _audited(hq_server, "conflict_resolved") == 1

    one.client.sync(), two.client.sync()
    assert _city(one, person) == other and _city(two, person) == other


def test_the_steward_merges_a_person_registered_at_two_branches(
    page: object, hq_server: HQProcess, laptop: MakeLaptop, tmp_path: Path
) -> None:
    riyadh, jeddah = laptop("ryd"), laptop("jed", "JED")
    form = person_form(first_name="أحمد")
    kept = _register(riyadh, "clerk.ryd", **form)
    closed = _register(jeddah, "clerk.jed", **form)
    _edit(jeddah, "clerk.jed", closed, city="جدة")
    riyadh.client.sync(), jeddah.client.sync()
    (case,) = hq_server.hub.duplicates()

    sign_in(page, "sara")
    page.goto("/console/duplicates")  # type: ignore[attr-defined]
    assert form["national_id"] in page.inner_text("#duplicates")  # type: ignore[attr-defined]
    screenshot(page, "steward-duplicates", tmp_path)
    page.click("#duplicates a")  # type: ignore[attr-defined]
    files = page.inner_text("#files")  # type: ignore[attr-defined]
    assert "فرع الرياض" in files and "فرع جدة" in files and "جدة" in files
    screenshot(page, "steward-duplicate", tmp_path)
    page.check(f"input[name=keep][value='{kept}']")  # type: ignore[attr-defined]
    page.fill("#merge input[name=note]", "نفس الشخص")  # type: ignore[attr-defined]
    _post(page, "#merge button[type=submit]")
    assert page.locator("#no-duplicates").count() == 1  # type: ignore[attr-defined]
    assert hq_server.hub.duplicates("merged")[0]["id"] == case["id"]
    jeddah.client.sync()
    with jeddah.workspace.db.session() as session:
        assert session.get(Beneficiary, closed).deleted_at is not None  # type: ignore[union-attr]

    # Either file is found from any branch, by a name spelt another way, or by number.
    page.goto("/console/people?q=احمد")  # type: ignore[attr-defined]
    found = page.inner_text("#people")  # type: ignore[attr-defined]
    assert "فرع الرياض" in found and "فرع جدة" in found
    screenshot(page, "steward-people", tmp_path)
    page.goto(f"/console/people?q={form['national_id']}")  # type: ignore[attr-defined]
    assert page.locator("#people tbody tr").count() == 2  # type: ignore[attr-defined]


def test_a_quarantined_change_is_dismissed_with_a_note(
    page: object, hq_server: HQProcess, laptop: MakeLaptop, tmp_path: Path
) -> None:
    one = laptop("one")
    person = _register(one, "clerk.ryd")
    one.client.sync()
    # HQ disables the clerk; the clerk's next edit is held.
    hub = hq_server.hub
    with hub.engine.connect() as connection:
        clerk = next(
            r.row_id
            for r in connection.execute(
                sa.select(hq_row.c.row_id, hq_row.c.data).where(
                    hq_row.c.table_name == "user_account"
                )
            )
            if r.data.get("username") == "clerk.ryd"
        )
    with hub.writing() as connection:
        hub.write_as_hq(connection, "user_account", clerk, {"active": False}, None)
    clerk_actor = one.login("clerk.ryd")  # signed in: the change names its user
    with one.workspace.transaction() as session:
        update_beneficiary(session, clerk_actor, person, {"city": "تبوك"})
    assert one.client.sync().quarantined == 2  # the edit and its audit event

    sign_in(page, "sara")
    page.goto("/console/quarantine")  # type: ignore[attr-defined]
    edit = page.locator(".quarantined", has_text="تبوك")  # type: ignore[attr-defined]
    assert "موقوف" in edit.inner_text()
    screenshot(page, "steward-quarantine", tmp_path)
    edit.locator(".dismiss input[name=note]").fill("أدخلها الموظف بعد إيقافه")
    with page.expect_navigation():  # type: ignore[attr-defined]
        edit.locator(".dismiss button").click()
    assert page.locator(".quarantined").count() == 1  # type: ignore[attr-defined]
    assert "أدخلها الموظف بعد إيقافه" in page.inner_text("#settled")  # type: ignore[attr-defined]
    screenshot(page, "steward-quarantine-settled", tmp_path)
    with hub.engine.connect() as connection:
        settled = connection.execute(
            sa.select(hq_quarantine).where(hq_quarantine.c.settled.is_not(None))
        ).one()
    assert settled.settled == "dismissed" and settled.settled_by == "sara"
    assert len(hub.quarantined()) == 1 and _audited(hq_server, "quarantine_dismissed") == 1


def test_a_paper_printed_at_a_branch_is_verified_and_an_auditor_is_refused(
    page: object, hq_server: HQProcess, laptop: MakeLaptop, tmp_path: Path
) -> None:
    hq_server.hub.add_user(
        "committee.jed", "عضو لجنة جدة", "committee_member", "JED", user_credentials(PASSWORD)
    )
    machine = laptop("jed", "JED")
    code, _person = _letter(machine)
    machine.client.sync()

    sign_in(page, "sara")
    page.goto("/console/verify")  # type: ignore[attr-defined]
    page.fill("#verify-form input[name=code]", "not a code")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#verify-form button")  # type: ignore[attr-defined]
    assert page.locator("#verdict.problem").count() == 1  # type: ignore[attr-defined]
    page.fill("#verify-form input[name=code]", code)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#verify-form button")  # type: ignore[attr-defined]
    assert "أصلية" in page.inner_text("#verdict")  # type: ignore[attr-defined]
    assert "10,000.25" in page.inner_text("#printed")  # type: ignore[attr-defined]
    screenshot(page, "steward-verify", tmp_path)

    page.context.clear_cookies()  # type: ignore[attr-defined]
    sign_in(page, "omar")
    for path in ("/conflicts", "/quarantine", "/duplicates", "/duplicates/1", "/people"):
        answer = page.goto(f"/console{path}")  # type: ignore[attr-defined]
        assert answer.status == 403, path
