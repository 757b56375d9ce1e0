"""Tests of the registry queries behind the beneficiary list: which files a user may list, in
what order, with which filters and searches, and the rows of a page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from db.enums import Category, Gender, RegistrationStatus, Role
from db.models import Beneficiary, Branch
from romah_desktop.services.context import Actor
from romah_desktop.services.people import registry
from romah_desktop.services.people.beneficiaries import (
    delete_beneficiary,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.services.people.registry import RegistryRow, first_rows, list_ids, rows
from romah_desktop.services.users import add_user
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form

ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for the module: the people below, registered once, are only read."""
    workspace = Workspace.create(
        tmp_path_factory.mktemp("registry") / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def admin(ws: Workspace) -> Actor:
    return ws.login("admin", ADMIN_PASSWORD)


@dataclass(frozen=True)
class People:
    ahmad: str  # أحمد, a widow's family, registered
    abdullah: str  # عبدالله, an orphan, in progress
    sara: str  # سارة, a widow and low income, suspended
    other_branch: str  # a file of the Jeddah branch
    deleted: str
    jeddah_clerk: Actor
    riyadh_clerk: Actor


def register(ws: Workspace, actor: Actor, **fields: str) -> str:
    with ws.transaction() as session:
        return register_beneficiary(session, actor, person_form(**fields)).id


def set_status(ws: Workspace, beneficiary_id: str, status: RegistrationStatus) -> None:
    # Test setup: the status is normally moved by the intake steps.
    with ws.transaction() as session:
        person = session.get(Beneficiary, beneficiary_id)
        assert person is not None
        person.registration_status = status


@pytest.fixture(scope="module")
def people(ws: Workspace, admin: Actor) -> People:
    with ws.transaction() as session:
        jeddah = Branch(code="JED", name="فرع جدة")
        session.add(jeddah)
        session.flush()
        jeddah_user = add_user(
            session, admin, "jed.clerk", "موظف جدة", Role.INTERVIEWER, "password-1", jeddah.id
        )
        riyadh_user = add_user(
            session, admin, "ryd.clerk", "موظف الرياض", Role.INTERVIEWER, "password-1"
        )
    jeddah_clerk, riyadh_clerk = Actor.of(jeddah_user), Actor.of(riyadh_user)
    ahmad = register(
        ws,
        admin,
        first_name="أحمد",
        father_name="سعيد",
        grandfather_name="إبراهيم",
        family_name="الغامدي",
        national_id=make_national_id("155500011"),
        phone="0551112233",
        city="الرياض",
        categories="widow",
    )
    abdullah = register(
        ws,
        admin,
        first_name="عبدالله",
        father_name="فهد",
        grandfather_name="ناصر",
        family_name="السبيعي",
        national_id=make_national_id("255500022"),
        phone="0562223344",
        city="الخرج",
        categories="يتيم",
    )
    sara = register(
        ws,
        admin,
        first_name="سارة",
        father_name="خالد",
        grandfather_name="عمر",
        family_name="الحربي",
        national_id=make_national_id("155500033"),
        phone="",
        city="",
        categories="أرملة، دخل محدود",
    )
    other_branch = register(
        ws,
        jeddah_clerk,
        first_name="أحمد",
        father_name="علي",
        grandfather_name="حسن",
        family_name="الزهراني",
        national_id=make_national_id("155500044"),
        categories="widow",
    )
    deleted = register(ws, admin, first_name="أحمد", national_id=make_national_id("155500055"))
    with ws.transaction() as session:
        delete_beneficiary(session, admin, deleted, "سجل مكرر")
    set_status(ws, ahmad, RegistrationStatus.REGISTERED)
    set_status(ws, sara, RegistrationStatus.SUSPENDED)
    return People(ahmad, abdullah, sara, other_branch, deleted, jeddah_clerk, riyadh_clerk)


def ids(ws: Workspace, actor: Actor, **options: object) -> list[str]:
    with ws.db.session() as session:
        return list_ids(session, actor, **options)  # type: ignore[arg-type]


def file_numbers(ws: Workspace, beneficiary_ids: list[str]) -> list[str]:
    with ws.db.session() as session:
        numbers = dict(
            session.execute(
                sa.select(Beneficiary.id, Beneficiary.file_number).where(
                    Beneficiary.id.in_(beneficiary_ids)
                )
            ).all()
        )
    return [numbers[i] for i in beneficiary_ids]


# --- the whole list ---------------------------------------------------------------------------


def test_the_list_is_every_live_file_of_the_branch_by_file_number(
    ws: Workspace, people: People
) -> None:
    listed = ids(ws, people.riyadh_clerk)
    assert listed == [people.ahmad, people.abdullah, people.sara]
    numbers = file_numbers(ws, listed)
    assert numbers == sorted(numbers)


def test_the_head_office_lists_every_branch(ws: Workspace, admin: Actor, people: People) -> None:
    listed = ids(ws, admin)
    assert set(listed) == {people.ahmad, people.abdullah, people.sara, people.other_branch}
    assert people.deleted not in listed
    assert file_numbers(ws, listed) == sorted(file_numbers(ws, listed))


def test_another_branch_lists_only_its_own_files(ws: Workspace, people: People) -> None:
    assert ids(ws, people.jeddah_clerk) == [people.other_branch]
    assert ids(ws, people.jeddah_clerk, query="السبيعي") == []


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (RegistrationStatus.REGISTERED, ["ahmad"]),
        (RegistrationStatus.IN_PROGRESS, ["abdullah"]),
        (RegistrationStatus.SUSPENDED, ["sara"]),
        (RegistrationStatus.INQUIRY, []),
    ],
)
def test_the_status_filter(
    ws: Workspace, people: People, status: RegistrationStatus, expected: list[str]
) -> None:
    wanted = [getattr(people, name) for name in expected]
    assert ids(ws, people.riyadh_clerk, status=status) == wanted


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (Category.WIDOW, ["ahmad", "sara"]),
        (Category.ORPHAN, ["abdullah"]),
        (Category.LOW_INCOME, ["sara"]),
        (Category.ELDERLY, []),
    ],
)
def test_the_category_filter(
    ws: Workspace, people: People, category: Category, expected: list[str]
) -> None:
    wanted = [getattr(people, name) for name in expected]
    assert ids(ws, people.riyadh_clerk, category=category) == wanted


def test_filters_and_a_search_combine(ws: Workspace, admin: Actor, people: People) -> None:
    assert set(ids(ws, admin, query="احمد")) == {people.ahmad, people.other_branch}
    assert ids(ws, admin, query="احمد", status=RegistrationStatus.REGISTERED) == [people.ahmad]
    assert ids(ws, admin, query="احمد", category=Category.WIDOW, status=None) in (
        [people.ahmad, people.other_branch],
        [people.other_branch, people.ahmad],
    )
    assert ids(ws, admin, query="احمد", category=Category.ORPHAN) == []
    assert ids(ws, admin, status=RegistrationStatus.SUSPENDED, category=Category.WIDOW) == [
        people.sara
    ]


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("أحمد", "ahmad"),
        ("احمد", "ahmad"),  # without the hamza
        ("احمد الغامدي", "ahmad"),
        ("إبراهيم", "ahmad"),
        ("ابراهيم", "ahmad"),
        ("عبد الله", "abdullah"),  # written in two words
        ("عبدالله", "abdullah"),
        ("عبد الل", "abdullah"),  # still being typed
        ("ساره", "sara"),  # ة typed as ه
        ("1555000", None),  # the start of a national ID: the three of the branch
        ("0551112233", "ahmad"),
        ("+966551112233", "ahmad"),
        ("٠٥٦٢٢٢٣٣٤٤", "abdullah"),  # Arabic-Indic digits
    ],
)
def test_search_as_clerks_type_it(
    ws: Workspace, people: People, query: str, expected: str | None
) -> None:
    listed = ids(ws, people.riyadh_clerk, query=query)
    if expected is None:
        assert set(listed) == {people.ahmad, people.sara}
    else:
        assert listed == [getattr(people, expected)]


def test_a_whole_national_id_finds_its_owner(ws: Workspace, people: People) -> None:
    assert ids(ws, people.riyadh_clerk, query=make_national_id("255500022")) == [people.abdullah]


def test_first_names_that_match_come_first_then_file_numbers(
    ws: Workspace, admin: Actor, people: People
) -> None:
    # Registered last, so with the highest file number, but "أحمد" is its first name.
    father_only = register(ws, admin, first_name="غامد", father_name="أحمد")
    first_name = register(ws, admin, first_name="أحمد", father_name="غامد")
    try:
        listed = ids(ws, admin, query="احمد")
        assert set(listed[:3]) == {people.ahmad, people.other_branch, first_name}
        assert listed[3:] == [father_only]
    finally:
        with ws.transaction() as session:
            delete_beneficiary(session, admin, father_only, "اختبار")
            delete_beneficiary(session, admin, first_name, "اختبار")


def test_after_the_best_matches_the_rest_follow_by_file_number(
    ws: Workspace, admin: Actor, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    best = ids(ws, admin, query="احمد")[0]
    monkeypatch.setattr(registry, "BEST_FIRST", 1)
    listed = ids(ws, admin, query="احمد")
    assert listed[0] == best
    assert file_numbers(ws, listed[1:]) == sorted(file_numbers(ws, listed[1:]))
    assert set(listed) == {people.ahmad, people.other_branch}


def test_a_limit_lists_no_more(ws: Workspace, admin: Actor, people: People) -> None:
    assert ids(ws, admin, limit=2) == ids(ws, admin)[:2]
    assert len(ids(ws, admin, query="1555000", limit=1)) == 1
    assert ids(ws, admin, query="1555000", limit=10) == ids(ws, admin, query="1555000")


@pytest.mark.parametrize("query", ["", "   "])
def test_a_blank_search_is_the_whole_list(ws: Workspace, people: People, query: str) -> None:
    assert ids(ws, people.riyadh_clerk, query=query) == ids(ws, people.riyadh_clerk)


@pytest.mark.parametrize("query", ["؟", "-", "***", '"'])
def test_punctuation_alone_finds_no_one(ws: Workspace, people: People, query: str) -> None:
    assert ids(ws, people.riyadh_clerk, query=query) == []


def test_a_name_nobody_has_finds_no_one(ws: Workspace, people: People) -> None:
    assert ids(ws, people.riyadh_clerk, query="زبيدة") == []


# --- rows -------------------------------------------------------------------------------------


def test_rows_carry_what_the_list_shows(ws: Workspace, admin: Actor, people: People) -> None:
    with ws.db.session() as session:
        ahmad, sara = rows(session, admin, [people.ahmad, people.sara])
        number = session.scalar(
            sa.select(Beneficiary.file_number).where(Beneficiary.id == people.ahmad)
        )
    assert ahmad == RegistryRow(
        id=people.ahmad,
        file_number=str(number),
        full_name="أحمد سعيد إبراهيم الغامدي",
        national_id=make_national_id("155500011"),
        phone="0551112233",
        city="الرياض",
        status=RegistrationStatus.REGISTERED,
        categories=(Category.WIDOW,),
        gender=Gender.MALE,
    )
    assert sara.phone is None and sara.city is None
    assert sara.status is RegistrationStatus.SUSPENDED
    assert set(sara.categories) == {Category.WIDOW, Category.LOW_INCOME}


def test_rows_keep_the_order_asked_and_leave_out_what_may_not_be_seen(
    ws: Workspace, people: People
) -> None:
    asked = [people.sara, people.other_branch, people.deleted, "no-such-id", people.ahmad]
    with ws.db.session() as session:
        got = rows(session, people.riyadh_clerk, asked)
    assert [r.id for r in got] == [people.sara, people.ahmad]


def test_rows_show_the_current_phone_after_a_change(
    ws: Workspace, admin: Actor, people: People
) -> None:
    with ws.transaction() as session:
        update_beneficiary(session, admin, people.abdullah, {"phone": "+966 57 000 1122"})
    try:
        with ws.db.session() as session:
            (row,) = rows(session, admin, [people.abdullah])
        assert row.phone == "0570001122"
        assert ids(ws, admin, query="0570001122") == [people.abdullah]
        assert ids(ws, admin, query="0562223344") == []
    finally:
        with ws.transaction() as session:
            update_beneficiary(session, admin, people.abdullah, {"phone": "0562223344"})


def test_rows_of_more_ids_than_one_query_takes(ws: Workspace, people: People) -> None:
    # 2,000 ids (mostly unknown) in the order asked: the query is split, the order is not.
    asked = [f"unknown-{i}" for i in range(2_000)]
    asked[1_500], asked[10] = people.ahmad, people.sara
    with ws.db.session() as session:
        got = rows(session, people.riyadh_clerk, asked)
    assert [r.id for r in got] == [people.sara, people.ahmad]


def test_no_ids_no_rows(ws: Workspace, people: People) -> None:
    with ws.db.session() as session:
        assert rows(session, people.riyadh_clerk, []) == []


def test_first_rows_begin_the_list(ws: Workspace, admin: Actor, people: People) -> None:
    with ws.db.session() as session:
        listed = list_ids(session, admin)
        assert [r.id for r in first_rows(session, admin, count=2)] == listed[:2]
        everyone = first_rows(session, admin)
        assert [r.id for r in everyone] == listed
        widows = first_rows(session, admin, category=Category.WIDOW)
        assert [r.id for r in widows] == list_ids(session, admin, category=Category.WIDOW)
        for query in ("احمد", "عبد الله", "1555000", "0551112233", "زبيدة", "؟"):
            found = [r.id for r in first_rows(session, admin, query=query)]
            assert found == list_ids(session, admin, query=query)[: len(found)], query


def test_first_rows_of_a_search_may_be_fewer_than_the_list(
    ws: Workspace, admin: Actor, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the search's best match is looked at first; the filter leaves it out, though
    # another match passes it. The whole list has that one.
    monkeypatch.setattr(registry, "BEST_FIRST", 1)
    with ws.db.session() as session:
        (best,) = list_ids(session, admin, query="احمد")[:1]
        other = ({people.ahmad, people.other_branch} - {best}).pop()
        status = session.get(Beneficiary, other).registration_status  # type: ignore[union-attr]
        found = first_rows(session, admin, query="احمد", status=status)
        assert [r.id for r in found] in ([], [other])
        assert list_ids(session, admin, query="احمد", status=status) == [other]
