"""Two laptops and HQ converge: records travel, different fields merge, the same field
conflicts with both values kept."""

from __future__ import annotations

import sqlalchemy as sa

from db.models import Beneficiary, SyncConflict
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from tests.helpers.people import person_form
from tests.sync.conftest import Laptop


def _register(machine: Laptop, user: str, **form: str) -> str:
    actor = machine.login(user)
    with machine.workspace.transaction() as session:
        return register_beneficiary(session, actor, person_form(**form)).id


def _edit(machine: Laptop, user: str, person_id: str, **fields: str) -> None:
    actor = machine.login(user)
    with machine.workspace.transaction() as session:
        update_beneficiary(session, actor, person_id, fields)


def _person(machine: Laptop, person_id: str) -> Beneficiary:
    with machine.workspace.db.session() as session:
        person = session.get(Beneficiary, person_id)
        assert person is not None
        session.expunge(person)
        return person


def test_a_new_laptop_receives_its_branch_users(laptop) -> None:
    machine = laptop("one")
    assert machine.login("clerk.ryd").username == "clerk.ryd"


def test_a_person_registered_on_one_laptop_reaches_the_other(laptop) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd", first_name="سارة")
    assert one.sync()["pushed"] >= 1
    assert two.sync()["pulled"] >= 1
    assert _person(two, person_id).first_name == "سارة"


def test_edits_to_different_fields_merge(laptop) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd")
    one.sync(), two.sync()
    _edit(one, "clerk.ryd", person_id, city="جدة")
    _edit(two, "clerk.ryd", person_id, first_name="خالد")
    one.sync(), two.sync(), one.sync()
    for machine in (one, two):
        person = _person(machine, person_id)
        assert (person.city, person.first_name) == ("جدة", "خالد")


def test_edits_to_the_same_field_keep_both_values(laptop) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = _register(one, "clerk.ryd")
    one.sync(), two.sync()
    _edit(one, "clerk.ryd", person_id, city="جدة")
    _edit(two, "clerk.ryd", person_id, city="الدمام")
    one.sync()
    report = two.sync()
    one.sync()
    assert report["conflicts"] == 1
    cities = {_person(m, person_id).city for m in (one, two)}
    assert len(cities) == 1
    with one.workspace.db.session() as session:
        conflict = session.scalars(sa.select(SyncConflict)).one()
    assert {conflict.winner_value, conflict.other_value} == {"جدة", "الدمام"}
    assert conflict.winner_value == cities.pop()
