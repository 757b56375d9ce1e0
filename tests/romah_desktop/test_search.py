"""Tests of searching beneficiaries the way clerks type, and of finding possible duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from db.base import utcnow
from db.ids import new_id
from db.models import Beneficiary, BeneficiaryPhone
from romah_desktop.search import find_duplicates, rebuild_index, search_beneficiaries
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    delete_beneficiary,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form

ADMIN_PASSWORD = "admin-pass-1"


class Boom(Exception):
    pass


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for the module; every test registers people with names of its own."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("search") / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def admin(ws: Workspace) -> Actor:
    return ws.login("admin", ADMIN_PASSWORD)


def register(ws: Workspace, actor: Actor, **fields: str) -> str:
    with ws.transaction() as session:
        return register_beneficiary(session, actor, person_form(**fields)).id


def found(ws: Workspace, query: str) -> set[str]:
    with ws.db.session() as session:
        return {hit.id for hit in search_beneficiaries(session, query)}


# People registered once for the read-only searches below.
ABDULLAH = {
    "first_name": "عبدالله",
    "father_name": "فهد",
    "grandfather_name": "ناصر",
    "family_name": "السبيعي",
    "national_id": make_national_id("177712345"),
    "phone": "0551234567",
}
AHMAD = {
    "first_name": "أحمد",
    "father_name": "إبراهيم",
    "grandfather_name": "مؤمن",
    "family_name": "الغامدي",
    "national_id": make_national_id("288812345"),
    "phone": "+966 56 765 4321",
}
ABD_ALRAHMAN = {
    "first_name": "عبد الرحمن",  # written with a space
    "father_name": "سعود",
    "grandfather_name": "تركي",
    "family_name": "المطيري",
}


@pytest.fixture(scope="module")
def people(ws: Workspace, admin: Actor) -> dict[str, str]:
    return {
        "abdullah": register(ws, admin, **ABDULLAH),
        "ahmad": register(ws, admin, **AHMAD),
        "abd_alrahman": register(ws, admin, **ABD_ALRAHMAN),
    }


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("عبدالله", "abdullah"),
        ("عبد الله", "abdullah"),
        ("عبدالله السبيعي", "abdullah"),
        ("عبد الله فهد السبيعي", "abdullah"),
        ("السبيعي", "abdullah"),
        ("السبي", "abdullah"),  # a prefix of the family name, still being typed
        ("السب", "abdullah"),
        ("عبدُالله", "abdullah"),  # with a haraka
        ("احمد", "ahmad"),  # without the hamza
        ("أحمد", "ahmad"),
        ("إحمد", "ahmad"),
        ("ابراهيم", "ahmad"),
        ("مومن", "ahmad"),  # ؤ typed as و
        ("احمد الغامدي", "ahmad"),
        ("عبد الرحمن", "abd_alrahman"),
        ("عبدالرحمن", "abd_alrahman"),
        ("عبدالرح", "abd_alrahman"),
        ("عبدالرحمن المطيري", "abd_alrahman"),
    ],
)
def test_a_person_is_found_by_name_as_clerks_type_it(
    ws: Workspace, people: dict[str, str], query: str, who: str
) -> None:
    assert people[who] in found(ws, query)


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("السبيعي الغامدي", "abdullah"),  # every word must match
        ("بيعي", "abdullah"),  # the middle of a name is not a prefix
        ("محمود", "ahmad"),
    ],
)
def test_a_name_that_does_not_match_finds_nobody_wrong(
    ws: Workspace, people: dict[str, str], query: str, who: str
) -> None:
    assert people[who] not in found(ws, query)


def test_a_hit_carries_the_file_facts(ws: Workspace, people: dict[str, str]) -> None:
    with ws.db.session() as session:
        [hit] = [h for h in search_beneficiaries(session, "السبيعي") if h.id == people["abdullah"]]
    assert hit.national_id == ABDULLAH["national_id"]
    assert hit.full_name == "عبدالله فهد ناصر السبيعي"
    assert hit.file_number.startswith("RYD-")
    assert isinstance(hit.birth_date, date)


@pytest.mark.parametrize("query", ["", "   ", "-", "؟", '"', "*"])
def test_blank_or_punctuation_finds_nothing_and_does_not_fail(ws: Workspace, query: str) -> None:
    assert found(ws, query) == set()


def test_text_that_looks_like_search_syntax_is_just_text(
    ws: Workspace, people: dict[str, str]
) -> None:
    for query in ('"السبيعي', "السبيعي OR", "NEAR(السبيعي)", "السبيعي*", "names:السبيعي"):
        assert found(ws, query) <= {people["abdullah"]}


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "who"),
    [
        (ABDULLAH["national_id"], "abdullah"),
        (ABDULLAH["national_id"][:7], "abdullah"),  # the start of the ID
        ("١٧٧٧١٢٣", "abdullah"),  # in Arabic-Indic digits
        (" ".join([ABDULLAH["national_id"][:4], ABDULLAH["national_id"][4:]]), "abdullah"),
        (AHMAD["national_id"], "ahmad"),
        ("2888", "ahmad"),
    ],
)
def test_a_person_is_found_by_national_id(
    ws: Workspace, people: dict[str, str], query: str, who: str
) -> None:
    assert people[who] in found(ws, query)


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("0551234567", "abdullah"),
        ("+966551234567", "abdullah"),
        ("966551234567", "abdullah"),
        ("00966551234567", "abdullah"),
        ("551234567", "abdullah"),
        ("055 123 4567", "abdullah"),
        ("055-123-4567", "abdullah"),
        ("٠٥٥١٢٣٤٥٦٧", "abdullah"),
        ("+٩٦٦٥٥١٢٣٤٥٦٧", "abdullah"),
        ("05512", "abdullah"),  # the start of the number
        ("0567654321", "ahmad"),  # registered as "+966 56 765 4321"
        ("+966567654321", "ahmad"),
        ("٠٥٦٧٦٥٤٣٢١", "ahmad"),
    ],
)
def test_a_person_is_found_by_phone_in_every_form(
    ws: Workspace, people: dict[str, str], query: str, who: str
) -> None:
    assert people[who] in found(ws, query)


def test_a_full_number_finds_only_its_owner(ws: Workspace, people: dict[str, str]) -> None:
    assert found(ws, "0551234567") == {people["abdullah"]}
    assert found(ws, ABDULLAH["national_id"]) == {people["abdullah"]}


# --- the index follows every change ---------------------------------------------------------


def test_a_rolled_back_registration_is_not_found(ws: Workspace, admin: Actor) -> None:
    with pytest.raises(Boom), ws.transaction() as session:
        person = register_beneficiary(
            session,
            admin,
            person_form(first_name="يزيد", family_name="الرشيدي", phone="0544443333"),
        )
        assert person.id in {h.id for h in search_beneficiaries(session, "يزيد الرشيدي")}
        raise Boom
    assert found(ws, "يزيد الرشيدي") == set()
    assert found(ws, "0544443333") == set()
    # The same person can then be registered and found.
    again = register(ws, admin, first_name="يزيد", family_name="الرشيدي", phone="0544443333")
    assert found(ws, "يزيد الرشيدي") == {again}


def test_after_a_name_change_the_new_name_is_found_and_the_old_is_not(
    ws: Workspace, admin: Actor
) -> None:
    person = register(ws, admin, first_name="سلمان", family_name="الزهراني")
    assert found(ws, "سلمان الزهراني") == {person}
    with ws.transaction() as session:
        update_beneficiary(session, admin, person, {"first_name": "فيصل"})
    assert found(ws, "فيصل الزهراني") == {person}
    assert found(ws, "سلمان الزهراني") == set()


def test_after_a_phone_change_the_new_number_is_found_and_the_old_is_not(
    ws: Workspace, admin: Actor
) -> None:
    person = register(ws, admin, phone="0533330001", family_name="الجهني")
    with ws.transaction() as session:
        update_beneficiary(session, admin, person, {"phone": "0533330002"})
    assert found(ws, "0533330002") == {person}
    assert found(ws, "+966533330001") == set()


def test_after_an_id_correction_the_new_id_is_found(ws: Workspace, admin: Actor) -> None:
    old_id, new_id = make_national_id("166600001"), make_national_id("166600002")
    person = register(ws, admin, national_id=old_id)
    with ws.transaction() as session:
        update_beneficiary(session, admin, person, {"national_id": new_id})
    assert found(ws, new_id) == {person}
    assert found(ws, old_id) == set()


def test_a_deleted_person_is_not_found(ws: Workspace, admin: Actor) -> None:
    person = register(ws, admin, first_name="هيفاء", family_name="البقمي", phone="0522220001")
    national_id = person_national_id(ws, person)
    with ws.transaction() as session:
        delete_beneficiary(session, admin, person, "تسجيل خاطئ")
    assert found(ws, "هيفاء البقمي") == set()
    assert found(ws, national_id) == set()
    assert found(ws, "0522220001") == set()


def documents(ws: Workspace) -> dict[str, tuple[str, str]]:
    """Each indexed person's search document: names and numbers."""
    with ws.db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT k.beneficiary_id, s.names, s.numbers FROM beneficiary_search s "
            "JOIN beneficiary_search_key k ON k.rowid = s.rowid"
        )
        return {person: (names, numbers) for person, names, numbers in rows}


def test_a_rebuilt_index_holds_the_documents_registration_made(
    ws: Workspace, admin: Actor, people: dict[str, str]
) -> None:
    # Registration indexes from the session's objects; a rebuild (as after a pulled page)
    # reads the rows back: a person's phones in the order added, a deleted phone left out, a
    # deleted person not indexed at all.
    with ws.transaction() as session:
        person = register_beneficiary(
            session, admin, person_form(first_name="مُنيرة", family_name="آل الشيخ")
        )
        for number, deleted_at in (("+966557770001", None), ("+966557770002", utcnow())):
            session.add(
                BeneficiaryPhone(
                    id=new_id(),
                    beneficiary_id=person.id,
                    number=number,
                    deleted_at=deleted_at,
                    field_versions={},
                )
            )
        session.add(
            BeneficiaryPhone(
                id=new_id(), beneficiary_id=person.id, number="+966557770003", field_versions={}
            )
        )
    gone = register(ws, admin, first_name="وعد", family_name="الحارثي")
    with ws.transaction() as session:
        delete_beneficiary(session, admin, gone, "تسجيل خاطئ")
    registered = documents(ws)
    assert registered[person.id][0] == "منيره محمد علي ال الشيخ"
    assert registered[person.id][1].endswith("966557770001 0557770001 966557770003 0557770003")
    assert gone not in registered and set(people.values()) <= set(registered)

    with ws.transaction() as session:
        assert rebuild_index(session) == len(registered)
    assert documents(ws) == registered


def person_national_id(ws: Workspace, person_id: str) -> str:
    with ws.db.session() as session:
        person = session.get(Beneficiary, person_id)
        assert person is not None
        return person.national_id


# --- duplicates -----------------------------------------------------------------------------


def test_the_same_national_id_is_a_duplicate(ws: Workspace, admin: Actor) -> None:
    form = person_form(family_name="العنزي")
    person = register(ws, admin, **form)
    with ws.db.session() as session:
        [candidate] = find_duplicates(session, form["national_id"], None, None)
        assert find_duplicates(session, form["national_id"], None, None, exclude_id=person) == []
    assert (candidate.id, candidate.reason) == (person, "national_id")
    assert candidate.national_id == form["national_id"]


def test_the_same_normalised_name_and_birth_date_is_a_duplicate(
    ws: Workspace, admin: Actor
) -> None:
    person = register(
        ws,
        admin,
        first_name="عبد الإله",
        father_name="أسامة",
        grandfather_name="مرتضى",
        family_name="آل سعيد",
        birth_date="1955-05-05",
    )
    spelled_otherwise = ("عبدالاله", "اسامة", "مرتضي", "ال سعيد")
    other_id = make_national_id("199999991")
    with ws.db.session() as session:
        [candidate] = find_duplicates(session, other_id, spelled_otherwise, date(1955, 5, 5))
        assert find_duplicates(session, other_id, spelled_otherwise, date(1955, 5, 6)) == []
        assert find_duplicates(session, other_id, spelled_otherwise, None) == []
        other_name = ("عبدالاله", "اسامة", "مرتضي", "الشهري")
        assert find_duplicates(session, other_id, other_name, date(1955, 5, 5)) == []
    assert (candidate.id, candidate.reason) == (person, "name_and_birth_date")


def test_a_deleted_file_is_not_a_duplicate(ws: Workspace, admin: Actor) -> None:
    form = person_form(family_name="الحارثي", birth_date="1956-06-06")
    person = register(ws, admin, **form)
    with ws.transaction() as session:
        delete_beneficiary(session, admin, person, "ملف بالخطأ")
    names = (form["first_name"], form["father_name"], form["grandfather_name"], "الحارثي")
    with ws.db.session() as session:
        assert find_duplicates(session, form["national_id"], names, date(1956, 6, 6)) == []
