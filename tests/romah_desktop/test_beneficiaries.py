"""Tests of the beneficiary service: registering, editing and deleting files, with the form
checks and the duplicate rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from db.enums import Gender, IdType, RegistrationStatus, Role
from db.models import AuditEvent, Beneficiary, BeneficiaryPhone, Branch, OutboxEntry
from romah_desktop.errors import FormErrors, NotFound, PermissionDenied, ValidationError
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    PossibleDuplicate,
    delete_beneficiary,
    get_beneficiary,
    primary_phone,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.users import add_user
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form

ADMIN_PASSWORD = "admin-pass-1"
TODAY = date(2026, 1, 15)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for the module; each test registers its own people and compares counts."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("beneficiaries") / "data",
        "RYD",
        "فرع الرياض",
        "admin",
        ADMIN_PASSWORD,
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def admin(ws: Workspace) -> Actor:
    return ws.login("admin", ADMIN_PASSWORD)


@dataclass(frozen=True)
class Counts:
    beneficiaries: int
    phones: int
    audit_events: int
    outbox: int


def counts(ws: Workspace) -> Counts:
    def n(model: type[object]) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    with ws.db.session() as session:
        return Counts(n(Beneficiary), n(BeneficiaryPhone), n(AuditEvent), n(OutboxEntry))


def register(ws: Workspace, actor: Actor, **fields: str) -> Beneficiary:
    with ws.transaction() as session:
        return register_beneficiary(session, actor, person_form(**fields), today=TODAY)


def load(ws: Workspace, beneficiary_id: str) -> Beneficiary:
    with ws.db.session() as session:
        person = session.get(Beneficiary, beneficiary_id)
        assert person is not None
        return person


def outbox(ws: Workspace, row_id: str) -> list[OutboxEntry]:
    with ws.db.session() as session:
        return list(
            session.scalars(
                sa.select(OutboxEntry).where(OutboxEntry.row_id == row_id).order_by(OutboxEntry.seq)
            )
        )


def phones(ws: Workspace, beneficiary_id: str) -> list[BeneficiaryPhone]:
    with ws.db.session() as session:
        return list(
            session.scalars(
                sa.select(BeneficiaryPhone)
                .where(BeneficiaryPhone.beneficiary_id == beneficiary_id)
                .order_by(BeneficiaryPhone.created_at)
            )
        )


def refused(ws: Workspace, error: type[Exception], call: object) -> Exception:
    """Run `call(session)`, expecting `error`, in a transaction that then commits: whatever the
    service had put in the session before raising would be written."""
    assert callable(call)
    before = counts(ws)
    with ws.transaction() as session, pytest.raises(error) as caught:
        call(session)
    assert counts(ws) == before, "a refused call wrote something"
    return caught.value


# --- registering ----------------------------------------------------------------------------


def test_registering_stores_the_canonical_values(ws: Workspace, admin: Actor) -> None:
    form = person_form(
        first_name="  نورة ",
        gender="أنثى",
        birth_date="1985-03-04",
        phone="٠٥٥ ١٢٣ ٤٥٦٧",
        marital_status="أرملة",
        categories="أرملة، دخل محدود",
        household_size="٤",
        monthly_income="2,500.50",
        iban="",
    )
    form["national_id"] = form["national_id"].translate(ARABIC_INDIC)
    with ws.transaction() as session:
        person = register_beneficiary(session, admin, form, today=TODAY)
    stored = load(ws, person.id)
    assert stored.first_name == "نورة"
    assert stored.national_id == form["national_id"].translate(
        str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
    )
    assert stored.id_type is IdType.NATIONAL_ID
    assert stored.gender is Gender.FEMALE
    assert stored.birth_date == date(1985, 3, 4)
    assert stored.marital_status == "widowed"
    assert stored.categories == ["low_income", "widow"]
    assert stored.household_size == 4
    assert stored.monthly_income_halalas == 250_050
    assert stored.iban is None
    assert stored.registration_status is RegistrationStatus.IN_PROGRESS
    assert stored.branch_id == admin.branch_id
    assert re.fullmatch(r"RYD-[0-9A-F]{4}-\d{6}", stored.file_number)
    with ws.db.session() as session:
        assert primary_phone(session, person.id) == "+966551234567"


def test_registering_writes_the_file_its_phone_an_audit_event_and_the_outbox(
    ws: Workspace, admin: Actor
) -> None:
    before = counts(ws)
    person = register(ws, admin)
    assert counts(ws) == Counts(
        before.beneficiaries + 1, before.phones + 1, before.audit_events + 1, before.outbox + 3
    )
    [entry] = outbox(ws, person.id)
    assert (entry.table_name, entry.op) == ("beneficiary", "insert")
    assert entry.changes["file_number"] == person.file_number
    [phone] = phones(ws, person.id)
    assert [e.op for e in outbox(ws, phone.id)] == ["insert"]
    with ws.db.session() as session:
        event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.entity_id == person.id)
        ).one()
    assert (event.action, event.user_id) == ("beneficiary.register", admin.user_id)


def test_a_person_without_a_phone_has_no_phone_row(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin, phone="")
    assert phones(ws, person.id) == []


# --- bad input ------------------------------------------------------------------------------


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(
    ws: Workspace, admin: Actor
) -> None:
    form = person_form(
        first_name="محمد2",
        national_id="1234567890",  # wrong check digit
        gender="X",
        birth_date="2030-01-01",  # after TODAY
        phone="12345",
        household_size="0",
        monthly_income="-5",
        iban="SA00",
    )
    error = refused(ws, FormErrors, lambda s: register_beneficiary(s, admin, form, today=TODAY))
    assert isinstance(error, FormErrors)
    fields = [e.field for e in error.errors]
    assert sorted(fields) == sorted(
        [
            "first_name",
            "national_id",
            "gender",
            "birth_date",
            "phone",
            "household_size",
            "monthly_income",
            "iban",
        ]
    )
    assert all(isinstance(e, ValidationError) for e in error.errors)
    assert all(e.text("ar") for e in error.errors)
    # The message shows every field's problem, one per line.
    assert len(error.text("en").splitlines()) == len(fields)


def test_every_missing_required_field_is_reported(ws: Workspace, admin: Actor) -> None:
    error = refused(
        ws,
        FormErrors,
        lambda s: register_beneficiary(s, admin, {"city": "الرياض", "first_name": "  "}),
    )
    assert isinstance(error, FormErrors)
    assert {e.field for e in error.errors} == {
        "first_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "national_id",
        "gender",
    }


def test_the_same_national_id_twice_is_refused(ws: Workspace, admin: Actor) -> None:
    first = register(ws, admin)
    again = person_form(national_id=first.national_id, first_name="خالد", birth_date="1970-07-07")
    for confirmed in (False, True):  # confirming "someone else" does not help for the same ID
        error = refused(
            ws,
            PossibleDuplicate,
            lambda s, c=confirmed: register_beneficiary(
                s, admin, again, today=TODAY, confirmed_not_duplicate=c
            ),
        )
        assert isinstance(error, PossibleDuplicate)
        assert [(c.id, c.reason) for c in error.candidates] == [(first.id, "national_id")]
        assert first.file_number in error.text("en")
        assert first.file_number in error.text("ar")


def test_the_same_national_id_typed_differently_is_refused(ws: Workspace, admin: Actor) -> None:
    first = register(ws, admin)
    typed = " ".join([first.national_id[:5], first.national_id[5:]]).translate(ARABIC_INDIC)
    again = person_form(national_id=typed, first_name="خالد")
    refused(ws, PossibleDuplicate, lambda s: register_beneficiary(s, admin, again, today=TODAY))


def test_the_same_name_and_birth_date_needs_a_confirmation(ws: Workspace, admin: Actor) -> None:
    names = {
        "first_name": "عبد الكريم",
        "father_name": "مساعد",
        "grandfather_name": "حمود",
        "family_name": "الدوسري",
        "birth_date": "1950-02-02",
    }
    first = register(ws, admin, **names)
    twin = person_form(**{**names, "first_name": "عبدالكريم"})  # spelled without the space
    error = refused(
        ws, PossibleDuplicate, lambda s: register_beneficiary(s, admin, twin, today=TODAY)
    )
    assert isinstance(error, PossibleDuplicate)
    assert [(c.id, c.reason) for c in error.candidates] == [(first.id, "name_and_birth_date")]
    with ws.transaction() as session:
        second = register_beneficiary(
            session, admin, twin, today=TODAY, confirmed_not_duplicate=True
        )
    assert second.id != first.id
    assert second.file_number != first.file_number


def test_a_deleted_file_does_not_block_registering_the_person_again(
    ws: Workspace, admin: Actor
) -> None:
    first = register(ws, admin)
    with ws.transaction() as session:
        delete_beneficiary(session, admin, first.id, "فتح بالخطأ")
    again = register(ws, admin, national_id=first.national_id)
    assert again.id != first.id
    assert again.national_id == first.national_id


# --- editing --------------------------------------------------------------------------------


def test_an_edit_changes_and_records_only_the_given_fields(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin)
    with ws.transaction() as session:
        changed = update_beneficiary(
            session, admin, person.id, {"family_name": "الشمري", "city": "حائل"}, today=TODAY
        )
    assert sorted(changed) == ["city", "family_name"]
    stored = load(ws, person.id)
    assert (stored.family_name, stored.city, stored.first_name) == ("الشمري", "حائل", "عبدالله")
    update = outbox(ws, person.id)[-1]
    assert update.op == "update"
    assert set(update.changes) == {"family_name", "city", "hlc", "updated_at"}
    with ws.db.session() as session:
        event = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.entity_id == person.id)
            .order_by(AuditEvent.device_seq.desc())
        ).first()
    assert event is not None
    assert event.action == "beneficiary.update"
    assert sorted(event.details["fields"]) == ["city", "family_name"]


def test_an_edit_with_the_same_values_written_differently_changes_nothing(
    ws: Workspace, admin: Actor
) -> None:
    form = person_form()
    with ws.transaction() as session:
        person = register_beneficiary(session, admin, form, today=TODAY)
    before = counts(ws)
    same = {
        "first_name": f" {form['first_name']} ",
        "national_id": form["national_id"].translate(ARABIC_INDIC),
        "phone": "+966" + form["phone"][1:],
        "gender": "male",
    }
    with ws.transaction() as session:
        assert update_beneficiary(session, admin, person.id, same, today=TODAY) == []
    assert counts(ws) == before


def test_changing_the_phone_edits_the_primary_phone_row_in_place(
    ws: Workspace, admin: Actor
) -> None:
    person = register(ws, admin, phone="0512345670")
    with ws.transaction() as session:
        assert update_beneficiary(session, admin, person.id, {"phone": "0512345671"}) == ["phone"]
    # The same row keeps its id: a change of its number merges with other laptops' edits.
    (row,) = phones(ws, person.id)
    assert (row.number, row.deleted_at, row.is_primary) == ("+966512345671", None, True)
    assert [(e.op, sorted(e.changes)) for e in outbox(ws, row.id)][1:] == [
        ("update", ["hlc", "number", "updated_at"])
    ]
    with ws.transaction() as session:
        assert update_beneficiary(session, admin, person.id, {"phone": ""}) == ["phone"]
        assert primary_phone(session, person.id) is None
    (row,) = phones(ws, person.id)
    assert row.deleted_at is not None
    with ws.transaction() as session:
        assert update_beneficiary(session, admin, person.id, {"phone": "0512345672"}) == ["phone"]
        assert primary_phone(session, person.id) == "+966512345672"


def test_an_edit_to_another_files_national_id_is_refused(ws: Workspace, admin: Actor) -> None:
    first, second = register(ws, admin), register(ws, admin)
    error = refused(
        ws,
        PossibleDuplicate,
        lambda s: update_beneficiary(s, admin, second.id, {"national_id": first.national_id}),
    )
    assert isinstance(error, PossibleDuplicate)
    assert [c.id for c in error.candidates] == [first.id]
    assert load(ws, second.id).national_id == second.national_id


def test_an_id_correction_to_a_fresh_number_is_accepted(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin)
    iqama = make_national_id("212121212")
    with ws.transaction() as session:
        changed = update_beneficiary(session, admin, person.id, {"national_id": iqama})
    assert sorted(changed) == ["id_type", "national_id"]
    assert load(ws, person.id).id_type is IdType.IQAMA


def test_an_edit_with_bad_fields_is_refused_and_writes_nothing(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin)
    error = refused(
        ws,
        FormErrors,
        lambda s: update_beneficiary(
            s, admin, person.id, {"family_name": "", "iban": "123", "city": "جدة"}
        ),
    )
    assert isinstance(error, FormErrors)
    assert {e.field for e in error.errors} == {"family_name", "iban"}
    assert load(ws, person.id).city == "الرياض"


# --- deleting -------------------------------------------------------------------------------


def test_a_deletion_needs_a_reason(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin)
    error = refused(ws, ValidationError, lambda s: delete_beneficiary(s, admin, person.id, "  "))
    assert isinstance(error, ValidationError) and error.field == "reason"
    assert load(ws, person.id).deleted_at is None


def test_a_deleted_file_is_a_tombstone_that_is_no_longer_found(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin)
    with ws.transaction() as session:
        delete_beneficiary(session, admin, person.id, "وفاة")
    stored = load(ws, person.id)  # the row is kept, with its tombstone
    assert stored.deleted_at is not None
    assert outbox(ws, person.id)[-1].op == "delete"
    refused(ws, NotFound, lambda s: get_beneficiary(s, admin, person.id))
    refused(ws, NotFound, lambda s: update_beneficiary(s, admin, person.id, {"city": "جدة"}))
    refused(ws, NotFound, lambda s: delete_beneficiary(s, admin, person.id, "مرة ثانية"))


def test_an_unknown_file_is_not_found(ws: Workspace, admin: Actor) -> None:
    refused(ws, NotFound, lambda s: get_beneficiary(s, admin, "no-such-id"))


# --- branches -------------------------------------------------------------------------------


def test_staff_of_another_branch_cannot_open_or_edit_a_file(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin)
    with ws.transaction() as session:
        other = Branch(code="JED", name="فرع جدة")
        session.add(other)
        session.flush()
        clerk = add_user(
            session, admin, "jed.clerk", "موظف جدة", Role.INTERVIEWER, "password-1", other.id
        )
    outsider = Actor.of(clerk)
    refused(ws, PermissionDenied, lambda s: get_beneficiary(s, outsider, person.id))
    refused(
        ws,
        PermissionDenied,
        lambda s: update_beneficiary(s, outsider, person.id, {"city": "جدة"}),
    )
    # The head office administrator sees every branch.
    with ws.db.session() as session:
        assert get_beneficiary(session, admin, person.id).id == person.id
