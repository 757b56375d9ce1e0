"""HQ verifies a paper printed at any branch once the branch has synced: genuine, with every
printed value beside the record's now; an unknown code names no one; a revoked laptop's paper
is not genuine."""

from __future__ import annotations

import json
import re
from datetime import date

import sqlalchemy as sa
from click.testing import CliRunner

from db.enums import DecisionOutcome
from db.models import Device
from romah_desktop.printing import FormKind, render_form
from romah_desktop.printing.papers import new_code
from romah_desktop.services.committee.requests import (
    record_decision,
)
from romah_desktop.services.context import this_device
from romah_desktop.services.people.beneficiaries import update_beneficiary
from romah_desktop.services.users import user_credentials
from sync.server.cli import main as hq_main
from sync.server.papers import verify_paper
from tests.helpers.people import declared_rent_request
from tests.romah_desktop.printing.conftest import read_pages
from tests.sync.conftest import HQ, PASSWORD, Laptop

CODE = re.compile(r"(?<![0-9A-Z-])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}(?![0-9A-Z-])")


def _letter(machine: Laptop) -> tuple[str, str]:
    """A decision letter approving 10,000.25 riyals, printed on `machine`: (code, person id)."""
    clerk, committee = machine.login("clerk.jed"), machine.login("committee.jed")
    with machine.workspace.transaction() as session:
        person, request = declared_rent_request(session, clerk, first_name="هند")
    with machine.workspace.transaction() as session:
        decision = record_decision(
            session,
            committee,
            request.id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="10,000.25",
            reason=None,
            decided_on=date.today(),
            members="أ. خالد العتيبي",
        )
        session.flush()
        pdf = render_form(session, clerk, FormKind.DECISION, decision.id)
    codes = {c for page in read_pages(pdf) for c in CODE.findall("\n".join(page.drawn))}
    assert len(codes) == 1
    return codes.pop(), person.id


def _device_id(machine: Laptop) -> str:
    with machine.workspace.db.session() as session:
        return this_device(session).device_id


def _hq_cli(hq: HQ, *args: str):  # type: ignore[no-untyped-def]
    """`romah-hq --data-dir ... --db URL ARGS` over HQ's database."""
    url = hq.hub.engine.url
    if hq.hub.postgres:  # the test's schema, as a connection option in the URL
        with hq.hub.engine.connect() as connection:
            schema = connection.exec_driver_sql("SHOW search_path").scalar_one()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return CliRunner().invoke(
        hq_main,
        ["--data-dir", str(hq.data_dir), "--db", url.render_as_string(hide_password=False), *args],
        catch_exceptions=False,
    )


def test_a_paper_printed_at_a_branch_verifies_at_hq_after_a_sync(hq: HQ, laptop) -> None:
    hq.hub.add_user(
        "committee.jed", "عضو لجنة جدة", "committee_member", "JED", user_credentials(PASSWORD)
    )
    machine = laptop("jed-1", "JED")
    code, person_id = _letter(machine)
    # Before the sync HQ has never seen it.
    assert not verify_paper(hq.hub, code).found
    machine.sync()

    result = verify_paper(hq.hub, code)
    assert result.ok and result.genuine and result.kind == FormKind.DECISION
    assert "10,000.25" in result.printed["approved_amount"]
    assert result.now == result.printed

    shown = _hq_cli(hq, "verify", code, "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["ok"] is True and data["kind"] == "decision" and data["differences"] == []
    assert data["printed"] == data["now"] and "10,000.25" in data["printed"]["approved_amount"]

    # The file changes at the branch: HQ shows the name as printed beside the name now.
    actor = machine.login("clerk.jed")
    with machine.workspace.transaction() as session:
        update_beneficiary(session, actor, person_id, {"first_name": "هنادي"})
    machine.sync()
    changed = verify_paper(hq.hub, code)
    assert changed.genuine and not changed.ok
    assert [d.field for d in changed.differences] == ["full_name"]
    assert changed.differences[0].printed.startswith("هند ")  # type: ignore[union-attr]
    assert changed.differences[0].now.startswith("هنادي ")  # type: ignore[union-attr]
    plain = _hq_cli(hq, "verify", code)
    assert plain.exit_code == 1 and "10,000.25" in plain.output and "هنادي" in plain.output


def test_an_unknown_code_at_hq_names_no_one(hq: HQ, laptop) -> None:
    hq.hub.add_user(
        "committee.jed", "عضو لجنة جدة", "committee_member", "JED", user_credentials(PASSWORD)
    )
    machine = laptop("jed-1", "JED")
    code, _person = _letter(machine)
    machine.sync()
    guess = new_code()
    shown = _hq_cli(hq, "verify", guess, "--json")
    assert shown.exit_code == 1
    data = json.loads(shown.output)
    assert data["ok"] is False and data["printed"] == {} and data["now"] == {}
    printed = verify_paper(hq.hub, code).printed
    for secret in (printed["full_name"], printed["national_id"], printed["request_number"]):
        assert secret not in shown.output
    mistyped = _hq_cli(hq, "verify", "not a code")
    assert mistyped.exit_code == 1


def test_a_revoked_laptop_s_paper_is_not_genuine_at_hq(hq: HQ, laptop) -> None:
    hq.hub.add_user(
        "committee.jed", "عضو لجنة جدة", "committee_member", "JED", user_credentials(PASSWORD)
    )
    machine = laptop("jed-1", "JED")
    other = laptop("jed-2", "JED")
    code, _person = _letter(machine)
    machine.sync()
    assert verify_paper(hq.hub, code).genuine
    # Another laptop of the branch writes its own key on the printing laptop's record: HQ
    # refuses the change (quarantined) and keeps the key registered at enrolment.
    other.sync()
    with other.workspace.transaction() as session:
        device = session.get(Device, _device_id(machine))
        assert device is not None and device.signing_key is not None
        device.signing_key = session.scalar(
            sa.select(Device.signing_key).where(Device.id == _device_id(other))
        )
    assert other.sync()["quarantined"] == 1
    assert verify_paper(hq.hub, code).genuine
    hq.hub.revoke_device(_device_id(machine))
    result = verify_paper(hq.hub, code)
    assert not result.ok and not result.genuine
