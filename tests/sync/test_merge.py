"""The merge rules of the sync contract, end to end through HQ: deletes racing edits,
append-only records, resolutions that sync, refusals that never block the queue."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from db.models import Beneficiary, OutboxEntry, SyncConflict, SyncQuarantine
from romah_desktop.cli import main as romah
from romah_desktop.services.conflicts import open_conflicts, resolve_conflict
from romah_desktop.services.people.beneficiaries import delete_beneficiary
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.server.schema import hq_change, hq_row
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form
from tests.sync.conftest import HQ, PASSWORD, Laptop
from tests.sync.test_flow import _edit, _person, _register


def _conflicts(machine: Laptop) -> list[SyncConflict]:
    with machine.workspace.db.session() as session:
        rows = session.scalars(sa.select(SyncConflict)).all()
        session.expunge_all()
        return list(rows)


def test_an_edit_racing_a_delete_is_a_conflict_not_a_silent_win(laptop) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd")
    one.sync(), two.sync()
    manager = one.login("manager.ryd")
    with one.workspace.transaction() as session:
        delete_beneficiary(session, manager, person_id, "مكرر")
    _edit(two, "clerk.ryd", person_id, city="أبها")
    one.sync(), two.sync(), one.sync()
    for machine in (one, two):
        person = _person(machine, person_id)
        assert person.deleted_at is not None
        assert person.city == "أبها"  # the edit is kept on the record
        (conflict,) = _conflicts(machine)
        assert (conflict.field, conflict.kind, conflict.other_value) == (
            "deleted_at",
            "delete",
            None,
        )


def test_a_delete_that_never_saw_an_edit_is_a_conflict_too(laptop) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd")
    one.sync(), two.sync()
    _edit(two, "clerk.ryd", person_id, city="أبها")
    two.sync()
    manager = one.login("manager.ryd")
    with one.workspace.transaction() as session:
        delete_beneficiary(session, manager, person_id, "مكرر")
    one.sync(), two.sync()
    (conflict,) = _conflicts(two)
    assert conflict.kind == "delete"


def test_a_resolution_on_one_laptop_reaches_the_other(laptop) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd")
    one.sync(), two.sync()
    _edit(one, "clerk.ryd", person_id, city="جدة")
    _edit(two, "clerk.ryd", person_id, city="الدمام")
    one.sync(), two.sync(), one.sync()
    manager = one.login("manager.ryd")
    with one.workspace.transaction() as session:
        (view,) = open_conflicts(session, manager)
        resolve_conflict(session, manager, view.id, "الخبر")
    one.sync(), two.sync()
    for machine in (one, two):
        assert _person(machine, person_id).city == "الخبر"
        (conflict,) = _conflicts(machine)
        assert (conflict.status, conflict.resolved_value) == ("resolved", "الخبر")
    assert not _conflicts(one)[0].other_value == "الخبر"


def test_a_replayed_push_changes_nothing(hq: HQ, laptop) -> None:
    one = laptop("one")
    _register(one, "clerk.ryd")
    with one.workspace.db.engine.connect() as connection:
        entries = connection.execute(
            sa.select(OutboxEntry).where(OutboxEntry.pushed_at.is_(None))
        ).all()
    one.sync()
    with hq.hub.engine.connect() as connection:
        before = connection.execute(sa.select(sa.func.count()).select_from(hq_change)).scalar()
    changes = [
        {
            "s": e.seq,
            "t": e.table_name,
            "r": e.row_id,
            "o": e.op[0],
            "c": e.changes,
            "b": e.base,
            "h": e.hlc,
        }
        for e in entries
    ]
    first = one.client.transport().call("POST", "/v1/push", data={"changes": changes}).json()
    again = one.client.transport().call("POST", "/v1/push", data={"changes": changes}).json()
    assert first == again
    with hq.hub.engine.connect() as connection:
        after = connection.execute(sa.select(sa.func.count()).select_from(hq_change)).scalar()
    assert after == before


def test_a_refused_change_is_quarantined_and_the_rest_goes_on(hq: HQ, laptop) -> None:
    one = laptop("one")
    person_id = _register(one, "clerk.ryd")
    with one.workspace.db.engine.begin() as connection:
        # A change HQ must refuse (a field it does not know), ahead of good ones.
        connection.execute(
            sa.update(OutboxEntry)
            .where(OutboxEntry.table_name == "beneficiary_phone")
            .values(changes={"no_such_field": 1})
        )
    report = one.sync()
    assert report["quarantined"] == 1
    with one.workspace.db.session() as session:
        (held,) = session.scalars(sa.select(SyncQuarantine)).all()
        assert "no_such_field" in held.reason
    with hq.hub.engine.connect() as connection:
        stored = (
            connection.execute(
                sa.select(hq_row.c.row_id).where(hq_row.c.table_name == "beneficiary")
            )
            .scalars()
            .all()
        )
    assert person_id in stored
    assert [q["reason"] for q in hq.hub.quarantined()] == [held.reason]


def test_branches_see_only_their_own_records(laptop) -> None:
    riyadh, jeddah = laptop("riyadh", "RYD"), laptop("jeddah", "JED")
    person_id = _register(riyadh, "clerk.ryd")
    riyadh.sync(), jeddah.sync()
    with jeddah.workspace.db.session() as session:
        assert session.get(Beneficiary, person_id) is None


def test_the_same_national_id_in_two_branches_becomes_a_case_for_hq(hq: HQ, laptop) -> None:
    riyadh, jeddah = laptop("riyadh", "RYD"), laptop("jeddah", "JED")
    form = person_form()
    one = _register(riyadh, "clerk.ryd", **form)
    other = _register(jeddah, "clerk.jed", **form)
    riyadh.sync(), jeddah.sync()
    (case,) = hq.hub.duplicates()
    assert sorted(case["row_ids"]) == sorted([one, other])
    hq.hub.merge_duplicate(case["id"], one, "same person")
    jeddah.sync()
    assert _person(jeddah, other).deleted_at is not None
    assert hq.hub.duplicates() == []


def test_a_standalone_laptop_enrols_later_and_keeps_its_data(hq: HQ, tmp_path) -> None:
    folder = tmp_path / "standalone"
    workspace = Workspace.create(folder, "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD)
    admin = workspace.login("admin", ADMIN_PASSWORD)
    from romah_desktop.services.people.beneficiaries import register_beneficiary

    with workspace.transaction() as session:
        person_id = register_beneficiary(session, admin, person_form()).id
    code = hq.hub.new_enrolment_code("RYD")
    workspace = enrol(folder, hq.url, code, "old", client=hq.http, workspace=workspace)
    SyncClient(workspace.db, workspace.attachments_dir, client=hq.http).sync()
    workspace.close()
    with hq.hub.engine.connect() as connection:
        data = connection.execute(
            sa.select(hq_row.c.data).where(hq_row.c.row_id == person_id)
        ).scalar_one()
    assert data["branch_id"] == hq.hub.branch_id("RYD")


def test_a_revoked_laptop_is_told_and_keeps_its_data(hq: HQ, laptop) -> None:
    one = laptop("one")
    person_id = _register(one, "clerk.ryd")
    with one.workspace.db.session() as session:
        from romah_desktop.services.context import this_device

        device_id = this_device(session).device_id
    hq.hub.revoke_device(device_id)
    from sync.transport import Revoked

    try:
        one.sync()
    except Revoked as exc:
        assert "revoked" in exc.text("en")
    else:
        raise AssertionError("a revoked laptop synced")
    assert _person(one, person_id).id == person_id


def test_the_cli_syncs_and_lists_conflicts(hq: HQ, laptop, monkeypatch) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd")
    one.sync(), two.sync()
    _edit(one, "clerk.ryd", person_id, city="جدة")
    _edit(two, "clerk.ryd", person_id, city="الدمام")
    one.sync()
    monkeypatch.setattr("sync.client.SyncClient.__init__.__defaults__", (hq.http, 2000, 2000))
    monkeypatch.setenv("ROMAH_PASSWORD", PASSWORD)
    folder = str(two.workspace.data_dir)
    two.workspace.close()
    runner = CliRunner()
    result = runner.invoke(romah, ["--data-dir", folder, "--user", "clerk.ryd", "--json", "sync"])
    assert result.exit_code == 0, result.output
    assert '"conflicts": 1' in result.output
    listed = runner.invoke(
        romah, ["--data-dir", folder, "--user", "manager.ryd", "--json", "conflicts"]
    )
    assert listed.exit_code == 0, listed.output
    assert "الدمام" in listed.output and "جدة" in listed.output
