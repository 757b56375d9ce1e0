"""A pull whose page of people is followed by a page of their phones makes each person's
names for the search index once: the phones' page makes their numbers again and keeps the
names the people's page indexed. After every page the index is what a full rebuild makes of
what was committed, and a pull cut between the two pages finds the people by name at once
and by phone after the next sync."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from db.engine import Database
from db.local_state import set_local_value
from romah_desktop import search
from romah_desktop.errors import ValidationError
from romah_desktop.search import rebuild_index, search_beneficiaries
from romah_desktop.validation import format_mobile_local, make_national_id
from sync import client as sync_client
from sync.apply import apply_page
from sync.client import CURSOR_KEY, SyncClient
from sync.protocol import Entry
from tests.sync.conftest import HQ, Laptop
from tests.sync.helpers import edit_person, register_person
from tests.sync.test_bulk_pull import _feed

NAMES = (
    ("أحمد", "إبراهيم", "عبد الله", "آل سعود"),
    ("فاطمة", "مُحَمَّد", "عيسى", "الـقحطاني"),
    ("هيفاء", "عبدالرحمن", "موسی", "الدوسري"),
    ("سارة", "علي", "يحيى", "الشمّري"),
)
# What a clerk types to find each of them by name.
TYPED = ("احمد ابراهيم", "فاطمه محمد", "هيفا عبدالرحمن", "سارة علي")


def _phone(n: int) -> str:
    return f"0557{n:06d}"


def _people_then_phones(one: Laptop) -> list[tuple[str, str]]:
    """People registered on `one` without a phone and synced, then a phone given to each and
    synced: HQ's feed holds the people first and their phones after. Each id and national ID."""
    people = []
    for n, (first, father, grandfather, family) in enumerate(NAMES):
        national_id = make_national_id(f"19{n:07d}")
        person = register_person(
            one.workspace,
            first_name=first,
            father_name=father,
            grandfather_name=grandfather,
            family_name=family,
            national_id=national_id,
            phone="",
        )
        people.append((person, national_id))
    one.sync()
    for n, (person, _) in enumerate(people):
        edit_person(one.workspace, person, phone=_phone(n))
    one.sync()
    return people


def _split(entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The feed cut before its first phone: the people's page and the phones' page."""
    cut = next(i for i, e in enumerate(entries) if e.t == "beneficiary_phone")
    assert not any(e.t == "beneficiary" and "first_name" in e.d for e in entries[cut:])
    return list(entries[:cut]), list(entries[cut:])


def _commit(db: Database, page: Sequence[Entry]) -> None:
    """Apply a page in a transaction of its own, committed, as the client does."""
    with db.engine.connect() as connection, connection.begin():
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        applied = apply_page(connection, page)
    assert applied.quarantined == 0, _reasons(db)


def _reasons(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.exec_driver_sql("SELECT reason FROM sync_quarantine").scalars())


def _documents(db: Database) -> dict[str, tuple[str, str]]:
    with db.engine.connect() as connection:
        return _held(connection)


def _held(connection: sa.Connection) -> dict[str, tuple[str, str]]:
    rows = connection.exec_driver_sql(
        "SELECT k.beneficiary_id, s.names, s.numbers FROM beneficiary_search s "
        "JOIN beneficiary_search_key k ON k.rowid = s.rowid"
    )
    return {person: (names, numbers) for person, names, numbers in rows}


def _rebuilt(db: Database) -> dict[str, tuple[str, str]]:
    """The documents a full rebuild makes of what the laptop holds (rolled back after)."""
    with db.session() as session:
        rebuild_index(session)
        documents = _held(session.connection())
        session.rollback()
    return documents


def _found(db: Database, query: str) -> set[str]:
    with db.session() as session:
        return {hit.id for hit in search_beneficiaries(session, query, limit=1000)}


@contextmanager
def _names_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[tuple[str | None, ...]]]:
    """Counts each four-part name the index makes a document of."""
    made: Counter[tuple[str | None, ...]] = Counter()
    make = search.names_document

    def counting(*parts: str | None) -> str:
        made[parts] += 1
        return make(*parts)

    with monkeypatch.context() as patch:
        patch.setattr(search, "names_document", counting)
        yield made


@pytest.mark.parametrize("hq", ["sqlite"], indirect=True)
def test_a_page_of_people_then_a_page_of_their_phones_makes_each_name_once(
    hq: HQ, laptop: Callable[..., Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = laptop("one"), laptop("two")
    people = _people_then_phones(one)
    db = two.workspace.db
    people_page, phones_page = _split(_feed(two))

    with _names_made(monkeypatch) as by_people:
        _commit(db, people_page)
    # The people's page committed: each found by name and national ID, not yet by phone; the
    # index what a full rebuild makes of what the laptop holds.
    assert _documents(db) == _rebuilt(db)
    for n, ((person, national_id), typed) in enumerate(zip(people, TYPED, strict=True)):
        assert person in _found(db, typed)
        assert _found(db, national_id) == {person}
        assert _found(db, _phone(n)) == set()

    with _names_made(monkeypatch) as by_phones:
        _commit(db, phones_page)
    assert _documents(db) == _rebuilt(db)
    for n, (person, _) in enumerate(people):
        assert _found(db, _phone(n)) == {person}
    # Each name made once, by the people's page; the phones' page made none again.
    assert sorted(by_people.values()) == [1] * len(NAMES)
    assert not by_phones


@pytest.mark.parametrize("hq", ["sqlite"], indirect=True)
def test_a_pull_cut_between_the_pages_finds_people_by_name_then_by_phone_after_the_next_sync(
    hq: HQ, laptop: Callable[..., Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = laptop("one"), laptop("two")
    people = _people_then_phones(one)
    db = two.workspace.db
    people_page, _ = _split(_feed(two))
    cursors: list[str] = []

    def killed_after_the_first_page(connection: sa.Connection, key: str, value: str) -> None:
        if key == CURSOR_KEY:
            cursors.append(value)
            if len(cursors) > 1:
                raise RuntimeError("killed before the second page's cursor was written")
        set_local_value(connection, key, value)

    # Pages as long as the people's: the first holds them, the second their phones.
    cut = SyncClient(db, two.workspace.attachments_dir, hq.http, pull_page=len(people_page))
    with monkeypatch.context() as patch:
        patch.setattr(sync_client, "set_local_value", killed_after_the_first_page)
        with pytest.raises(RuntimeError):
            cut.sync()
    cut.close()
    assert len(cursors) == 2  # the first page committed, the second undone

    assert _documents(db) == _rebuilt(db)
    for n, ((person, national_id), typed) in enumerate(zip(people, TYPED, strict=True)):
        assert person in _found(db, typed)
        assert _found(db, national_id) == {person}
        assert _found(db, _phone(n)) == set()

    # The app started again: a new client pulls from the cursor the cut left.
    again = SyncClient(db, two.workspace.attachments_dir, hq.http)
    assert again.sync().pulled > 0
    again.close()
    assert _documents(db) == _rebuilt(db)
    for n, ((person, _), typed) in enumerate(zip(people, TYPED, strict=True)):
        assert person in _found(db, typed)
        assert _found(db, _phone(n)) == {person}


def _phones_of(db: Database) -> dict[str, dict[str, object]]:
    """Each person's phone as the laptop holds it, by the person's id."""
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT beneficiary_id, id, origin_device_id, hlc FROM beneficiary_phone"
        )
        return {r[0]: {"id": r[1], "origin": r[2], "hlc": r[3]} for r in rows}


@pytest.mark.parametrize("hq", ["sqlite"], indirect=True)
def test_pulled_phone_changes_leave_the_index_as_a_rebuild_makes_it(
    hq: HQ, laptop: Callable[..., Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = laptop("one"), laptop("two")
    people = [person for person, _ in _people_then_phones(one)]
    two.sync()
    db = two.workspace.db
    phones = _phones_of(db)
    held = _documents(db)
    top = 10**9  # newer than any version the laptop holds
    stamp = str(phones[people[0]]["hlc"])
    when = "2030-01-01T00:00:00+00:00"

    # A label: nothing the index holds changes, and nothing of it is made again.
    label = Entry(
        g=top, t="beneficiary_phone", r=str(phones[people[0]]["id"]), d={"label": "عمل"}, h=stamp
    )
    with _names_made(monkeypatch) as made:
        _commit(db, [label])
    assert not made
    assert _documents(db) == held

    # A number changed, a phone deleted, a person deleted with a phone added to them, and a
    # person whose name and phone change in the same page.
    new_id = "01a00000-0000-7000-8000-000000000001"
    page = [
        Entry(
            g=top + 1,
            t="beneficiary_phone",
            r=str(phones[people[0]]["id"]),
            d={"number": "+966559999990"},
            h=stamp,
        ),
        Entry(
            g=top + 2,
            t="beneficiary_phone",
            r=str(phones[people[1]]["id"]),
            d={"deleted_at": when},
            h=stamp,
        ),
        Entry(g=top + 3, t="beneficiary", r=people[2], d={"deleted_at": when}, h=stamp),
        Entry(
            g=top + 4,
            t="beneficiary_phone",
            r=new_id,
            d={
                "beneficiary_id": people[2],
                "number": "+966559999992",
                "is_primary": False,
                "created_at": when,
                "updated_at": when,
                "deleted_at": None,
                "label": None,
                "origin_device_id": phones[people[0]]["origin"],
                "hlc": stamp,
            },
            h=stamp,
        ),
        Entry(g=top + 5, t="beneficiary", r=people[3], d={"first_name": "نورة"}, h=stamp),
        Entry(
            g=top + 6,
            t="beneficiary_phone",
            r=str(phones[people[3]]["id"]),
            d={"number": "+966559999993"},
            h=stamp,
        ),
    ]
    # And the first person's document lost (an index left behind): their phone's change
    # makes it whole again.
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM beneficiary_search WHERE rowid = "
            "(SELECT rowid FROM beneficiary_search_key WHERE beneficiary_id = ?)",
            (people[0],),
        )
    _commit(db, page)
    assert _documents(db) == _rebuilt(db)
    assert people[0] in _found(db, TYPED[0])
    assert _found(db, "0559999990") == {people[0]}
    assert _found(db, _phone(0)) == set()
    assert _found(db, _phone(1)) == set()
    assert people[1] in _found(db, TYPED[1])
    assert _found(db, "0559999992") == set()
    assert people[2] not in _found(db, TYPED[2])
    assert _found(db, "0559999993") == {people[3]}
    assert people[3] in _found(db, "نوره علي")


@pytest.mark.parametrize(
    "number", ["+966501234567", "+966599999999", "+966550000000", "+966512345678"]
)
def test_a_stored_number_is_indexed_in_both_forms_as_the_full_check_gives_them(
    number: str,
) -> None:
    local = format_mobile_local(number)
    assert search.numbers_document("1000000001", [number]) == f"1000000001 {number[1:]} {local}"


@pytest.mark.parametrize(
    "number", ["+96650123456", "+9665٠١٢٣٤٥٦٧٨", "0501234567x", "+966401234567"]
)
def test_a_number_no_mobile_can_be_is_still_refused_when_indexed(number: str) -> None:
    with pytest.raises(ValidationError):
        search.numbers_document("1000000001", [number])
