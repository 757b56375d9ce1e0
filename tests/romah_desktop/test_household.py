"""Tests of a file's household (members, income sources, extra phones), the file as the profile
form reads it, and the duplicates found while a registration form is being typed."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from db.enums import Gender, IncomeSourceType, Role
from db.models import AuditEvent, BeneficiaryPhone, Branch, HouseholdMember, IncomeSource, User
from romah_desktop.errors import Conflict, FormErrors, NotFound, PermissionDenied
from romah_desktop.i18n import set_language
from romah_desktop.labels import label
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from romah_desktop.services.people.household import (
    Relationship,
    RowChange,
    add_household_member,
    add_income_source,
    add_phone,
    clean_household_member,
    remove_household_member,
    remove_income_source,
    remove_phone,
    save_household,
    update_household_member,
    update_income_source,
    update_phone,
)
from romah_desktop.services.people.person_file import duplicates_for_form, money_text, person_file
from romah_desktop.validation import make_national_id
from tests.helpers.people import person_form
from tests.romah_desktop.test_intake import (
    TODAY,
    World,
    field_error,
    refused,
    register,
    world_fixture,
)

world = world_fixture("household")
CHILD = {
    "full_name": "سارة عبدالله القحطاني",
    "relationship": "ابنة",
    "gender": "أنثى",
    "birth_date": "1432/05/10 هـ",
    "national_id": "",
    "in_education": True,
}


def audit_actions(world: World, entity_id: str) -> list[str]:
    with world.ws.db.session() as session:
        return list(
            session.scalars(
                sa.select(AuditEvent.action)
                .where(AuditEvent.entity_id == entity_id)
                .order_by(AuditEvent.device_seq)
            )
        )


# --- household members ----------------------------------------------------------------------


def test_a_member_is_added_changed_and_removed_with_an_audit_trail(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        member = add_household_member(session, world.clerk, person, CHILD, today=TODAY)
        member_id = member.id
        assert member.relationship == Relationship.DAUGHTER
        assert member.gender == Gender.FEMALE
        assert member.birth_date == date(2011, 4, 14)
        assert member.in_education and member.is_dependent and not member.has_disability
    with world.ws.transaction() as session:
        changed = update_household_member(
            session,
            world.clerk,
            member_id,
            {**CHILD, "has_disability": True, "birth_date": "2011-04-14"},
            today=TODAY,
        )
        assert changed == ["has_disability"]
    with world.ws.transaction() as session:
        remove_household_member(session, world.clerk, member_id)
    with world.ws.db.session() as session:
        stored = session.get(HouseholdMember, member_id)
        assert stored is not None and stored.deleted_at is not None  # a tombstone, not a DELETE
        assert person_file(session, world.clerk, person).members == []
    assert audit_actions(world, member_id) == [
        "household.member_add",
        "household.member_update",
        "household.member_remove",
    ]
    refused(world.ws, NotFound, lambda s: remove_household_member(s, world.clerk, member_id))


def test_a_bad_member_gets_every_field_s_message_in_arabic_and_nothing_is_written(
    world: World,
) -> None:
    person = register(world)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: add_household_member(
            s,
            world.clerk,
            person,
            {
                "full_name": "سارة 2",
                "relationship": "جار",
                "gender": "x",
                "birth_date": "2030-01-01",
                "national_id": "123",
            },
            today=TODAY,
        ),
    )
    assert "أرقام" in field_error(error, "full_name").text()
    field_error(error, "relationship")
    field_error(error, "gender")
    assert "المستقبل" in field_error(error, "birth_date").text()
    assert "10" in field_error(error, "national_id").text()
    set_language("en")
    assert field_error(error, "full_name").text("en") == "A name cannot contain digits."


def test_a_member_cannot_carry_the_owner_s_id_or_another_member_s(world: World) -> None:
    owner_id = make_national_id("100000777")
    person = register(world, national_id=owner_id)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: add_household_member(
            s, world.clerk, person, {**CHILD, "national_id": owner_id}, today=TODAY
        ),
    )
    assert "صاحب الملف" in field_error(error, "national_id").text()
    child_id = make_national_id("110000777")
    with world.ws.transaction() as session:
        add_household_member(
            session, world.clerk, person, {**CHILD, "national_id": child_id}, today=TODAY
        )
    error = refused(
        world.ws,
        FormErrors,
        lambda s: add_household_member(
            s, world.clerk, person, {**CHILD, "national_id": child_id}, today=TODAY
        ),
    )
    field_error(error, "national_id")


def test_unknown_member_fields_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="age"):
        clean_household_member({**CHILD, "age": "12"}, TODAY)


# --- income sources and phones --------------------------------------------------------------


def test_income_sources_are_kept_in_halalas(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        income = add_income_source(
            session,
            world.clerk,
            person,
            {"source": "social_security", "monthly_amount": "١٬٥٠٠٫٥٠", "notes": ""},
        )
        income_id = income.id
        assert income.monthly_amount_halalas == 150050 and income.notes is None
    with world.ws.transaction() as session:
        changed = update_income_source(
            session,
            world.clerk,
            income_id,
            {"source": IncomeSourceType.SALARY, "monthly_amount": "4000", "notes": "حارس"},
        )
        assert changed == ["source", "monthly_amount_halalas", "notes"]
    error = refused(
        world.ws,
        FormErrors,
        lambda s: update_income_source(
            s, world.clerk, income_id, {"source": "lottery", "monthly_amount": "0"}
        ),
    )
    field_error(error, "source")
    assert field_error(error, "monthly_amount").text() == "يجب أن يكون المبلغ أكبر من صفر."
    with world.ws.transaction() as session:
        remove_income_source(session, world.clerk, income_id)
        assert session.get(IncomeSource, income_id).deleted_at is not None  # type: ignore[union-attr]
    assert label(IncomeSourceType.CITIZEN_ACCOUNT, "ar") == "حساب المواطن"


def test_extra_phones_refuse_a_number_the_person_already_has(world: World) -> None:
    person = register(world, phone="0500000111")
    error = refused(
        world.ws,
        FormErrors,
        lambda s: add_phone(s, world.clerk, person, {"number": "+966500000111", "label": ""}),
    )
    assert "مسجَّل من قبل" in field_error(error, "number").text()
    with world.ws.transaction() as session:
        phone_id = add_phone(
            session, world.clerk, person, {"number": "055 000 0222", "label": "أخوه"}
        ).id
    with world.ws.transaction() as session:
        assert update_phone(
            session, world.clerk, phone_id, {"number": "0550000333", "label": "أخوه"}
        ) == ["number"]
    with world.ws.db.session() as session:
        phones = person_file(session, world.clerk, person).phones
        assert [(p.data["number"], p.data["label"]) for p in phones] == [("0550000333", "أخوه")]
    error = refused(
        world.ws, FormErrors, lambda s: add_phone(s, world.clerk, person, {"number": "12345"})
    )
    field_error(error, "number")
    with world.ws.transaction() as session:
        remove_phone(session, world.clerk, phone_id)
    with world.ws.db.session() as session:
        assert person_file(session, world.clerk, person).phones == []


def test_the_main_mobile_is_not_edited_as_an_extra_phone(world: World) -> None:
    person = register(world, phone="0500000444")
    with world.ws.db.session() as session:
        phone_id = session.scalars(
            sa.select(BeneficiaryPhone.id).where(BeneficiaryPhone.beneficiary_id == person)
        ).one()
    refused(world.ws, Conflict, lambda s: remove_phone(s, world.clerk, phone_id))


# --- permissions ----------------------------------------------------------------------------


def test_roles_without_editing_and_other_branches_are_refused(world: World) -> None:
    person = register(world)
    refused(
        world.ws,
        PermissionDenied,
        lambda s: add_household_member(s, world[Role.COMMITTEE_MEMBER], person, CHILD, today=TODAY),
    )
    with world.ws.transaction() as session:
        other = Branch(code=f"J{person[-4:]}", name="فرع جدة")
        session.add(other)
        session.flush()
        user = User(
            username=f"jed.{person[-6:]}",
            full_name="موظف جدة",
            role=Role.INTERVIEWER,
            branch_id=other.id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        outsider = Actor.of(user)
    refused(
        world.ws,
        PermissionDenied,
        lambda s: add_income_source(
            s, outsider, person, {"source": "salary", "monthly_amount": "100"}
        ),
    )
    refused(world.ws, PermissionDenied, lambda s: person_file(s, outsider, person))


# --- the whole form at once -----------------------------------------------------------------


def test_save_household_writes_every_row_or_none_naming_the_bad_row(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        kept = add_household_member(session, world.clerk, person, CHILD, today=TODAY).id
        dropped = add_income_source(
            session, world.clerk, person, {"source": "charity", "monthly_amount": "300"}
        ).id
    bad = [
        RowChange(None, {**CHILD, "full_name": "محمد عبدالله"}),
        RowChange(None, {**CHILD, "relationship": ""}),
    ]
    error = refused(
        world.ws,
        FormErrors,
        lambda s: save_household(
            s,
            world.clerk,
            person,
            members=bad,
            incomes=[RowChange(dropped, None)],
            phones=[RowChange(None, {"number": "0599"})],
            today=TODAY,
        ),
    )
    assert {e.field for e in error.errors} == {"members.1.relationship", "phones.0.number"}
    with world.ws.transaction() as session:
        save_household(
            session,
            world.clerk,
            person,
            members=[RowChange(kept, {**CHILD, "in_education": False}), bad[0]],
            incomes=[
                RowChange(dropped, None),
                RowChange(None, {"source": "salary", "monthly_amount": "2,500"}),
            ],
            phones=[RowChange(None, {"number": "0599999999", "label": "جار"})],
            today=TODAY,
        )
    with world.ws.db.session() as session:
        file = person_file(session, world.clerk, person)
    assert [(m.data["full_name"], m.data["in_education"]) for m in file.members] == [
        ("سارة عبدالله القحطاني", False),
        ("محمد عبدالله", True),
    ]
    assert [i.data for i in file.incomes] == [
        {"source": "salary", "monthly_amount": "2,500", "notes": ""}
    ]
    assert [p.data["number"] for p in file.phones] == ["0599999999"]


def test_person_file_gives_the_form_back_as_it_would_be_typed(world: World) -> None:
    form = person_form(
        marital_status="married",
        housing_type="rented",
        monthly_rent="1,200.50",
        monthly_income="3000",
        household_size="5",
        categories="widow,orphan",
        notes="ملاحظة",
    )
    with world.ws.transaction() as session:
        person = register_beneficiary(session, world.clerk, form, today=TODAY).id
    with world.ws.db.session() as session:
        file = person_file(session, world.clerk, person)
    assert file.form["monthly_rent"] == "1,200.50"
    assert file.form["monthly_income"] == "3,000"
    assert file.form["categories"] == "orphan,widow"
    assert file.form["gender"] == "M"
    assert file.form["phone"] == form["phone"]
    assert file.form["iban"] == "" and file.form["district"] == ""
    assert file.file_number and file.full_name.startswith("عبدالله")
    # What the form shows can be saved back unchanged.
    with world.ws.transaction() as session:
        assert update_beneficiary(session, world.clerk, person, file.form, today=TODAY) == []
    assert money_text(None) == "" and money_text(5) == "0.05"


# --- duplicates while typing ----------------------------------------------------------------


def test_duplicates_appear_as_the_form_is_typed(world: World) -> None:
    number = make_national_id("100000999")
    names = ("فهد", "سالم", "ناصر", "الدوسري")
    person = register(
        world,
        national_id=number,
        first_name=names[0],
        father_name=names[1],
        grandfather_name=names[2],
        family_name=names[3],
        birth_date="1990-05-01",
    )

    def found(nid: str, parts: tuple[str, ...], born: str, **kw: str) -> list[tuple[str, str]]:
        with world.ws.db.session() as session:
            return [
                (c.id, c.reason)
                for c in duplicates_for_form(session, world.clerk, nid, parts, born, **kw)
            ]

    blank = ("", "", "", "")
    # Half-typed input finds nothing and raises nothing.
    assert found(number[:6], ("فه", "", "", ""), "1990-0") == []
    assert found(number, blank, "") == [(person, "national_id")]
    assert found(
        "١" + number[1:].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), blank, ""
    ) == [(person, "national_id")]
    # The four-part name alone (hamza and spacing aside) is a "same name" hint...
    assert found("", ("فهد ", "سالم", "ناصر", "الدوسرى"), "") == [(person, "same_name")]
    # ... with the birth date (Hijri here) it is a possible duplicate ...
    assert found("", names, "1410/10/06 هـ") == [(person, "name_and_birth_date")]
    # ... and another birth date makes it someone else.
    assert found("", names, "1991-05-01") == []
    assert found(number, names, "", exclude_id=person) == []
    with world.ws.db.session() as session:
        with pytest.raises(PermissionDenied):
            duplicates_for_form(session, _nobody(world), number, names, "")
        with pytest.raises(ValueError):
            duplicates_for_form(session, world.clerk, number, names[:3], "")


def _nobody(world: World) -> Actor:
    clerk = world.clerk
    return Actor(clerk.user_id, clerk.username, clerk.full_name, "stranger", clerk.branch_id)  # type: ignore[arg-type]
