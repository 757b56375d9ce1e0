"""A pulled page is applied in bulk (its rows read, merged and written table by table, its
people indexed for search in a few set-based statements) and ends exactly as its changes
applied one by one would: the same rows, versions, search documents and quarantine, nothing in
the outbox. A page and its cursor are one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from db.engine import Database
from db.ids import new_id
from db.models import Beneficiary, OutboxEntry, SyncQuarantine
from db.values import synced_tables
from romah_desktop.search import search_beneficiaries
from sync import client as sync_client
from sync.apply import apply_page
from sync.client import CURSOR_KEY, SyncClient
from sync.protocol import Entry, PullResponse
from tests.sync.conftest import HQ, Laptop
from tests.sync.helpers import edit_person, person_in, register_person

# Spellings a person may type for the names below: hamza, taa marbuta, alef maqsura, harakat,
# tatweel, Persian yeh, "عبد الله" in two words.
NAMES = (
    ("أحمد", "إبراهيم", "عبد الله", "آل سعود"),
    ("فاطمة", "مُحَمَّد", "عيسى", "الـقحطاني"),
    ("هيفاء", "عبدالرحمن", "موسی", "الدوسري"),
    ("سارة", "علي", "يحيى", "الشمّري"),
)
QUERIES = (
    "احمد",
    "أحمد ابراهيم",
    "عبدالله",
    "عبد الله",
    "فاطمه",
    "محمد",
    "عيسي",
    "القحطاني",
    "موسى",
    "هيفا",
    "سارة الشمري",
    "يحيي",
    "علي",
    "05",
)


def _state(connection: sa.Connection) -> dict[str, Any]:
    """Everything a pulled page may change: the synced rows (JSON decoded, so key order
    does not count), the search documents, the quarantine (as a multiset, without its ids and
    times), and the outbox."""
    state: dict[str, Any] = {
        name: connection.execute(sa.select(table).order_by(table.c.id)).all()
        for name, table in synced_tables().items()
    }
    state["search"] = connection.exec_driver_sql(
        "SELECT k.beneficiary_id, s.names, s.numbers FROM beneficiary_search s "
        "JOIN beneficiary_search_key k ON k.rowid = s.rowid ORDER BY 1"
    ).all()
    state["quarantine"] = sorted(
        (r.table_name, r.row_id, repr(r.change), r.reason)
        for r in connection.execute(sa.select(SyncQuarantine))
    )
    state["outbox"] = connection.execute(sa.select(sa.func.count(OutboxEntry.seq))).scalar()
    return state


def _applied(db: Database, apply: Callable[[sa.Connection], object]) -> dict[str, Any]:
    """The state after `apply`, in a transaction rolled back afterwards."""
    with db.engine.connect() as connection:
        transaction = connection.begin()
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        apply(connection)
        state = _state(connection)
        transaction.rollback()
    return state


def _feed(machine: Laptop) -> list[Entry]:
    """The page HQ has for `machine` after its cursor, fetched but not applied."""
    with machine.workspace.db.engine.connect() as connection:
        cursor = connection.exec_driver_sql(
            "SELECT value FROM local_state WHERE key = ?", (CURSOR_KEY,)
        ).scalar()
    response = machine.client.transport().call(
        "GET", "/v1/pull", params={"after": int(cursor or 0), "limit": 5000}
    )
    return list(PullResponse.model_validate_json(response.content).entries)


def _earlier(stamp: str) -> str:
    """A clock stamp of the same device a second before `stamp`."""
    wall, rest = stamp.split("-", 1)
    return f"{int(wall) - 1000:0{len(wall)}d}-{rest}"


@pytest.mark.parametrize("hq", ["sqlite"], indirect=True)
def test_a_mixed_page_ends_as_its_changes_applied_one_by_one(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    one, two = laptop("one"), laptop("two")
    first, second, third = (register_person(one.workspace) for _ in range(3))
    one.sync()
    two.sync()
    # On `two`: an edit HQ has acknowledged (its version is newer than anything older that
    # may still arrive), and an edit not pushed yet (a pulled value must not replace it).
    edit_person(two.workspace, second, city="جدة")
    two.sync()
    edit_person(two.workspace, first, family_name="الحربي")
    # On `one`: the same field edited the other way, another edited, two people registered.
    edit_person(one.workspace, first, family_name="الزهراني")
    edit_person(one.workspace, third, first_name="نورة")
    fourth = register_person(one.workspace, first_name="إبراهيم", family_name="العتيبي")
    fifth = register_person(one.workspace, first_name="هيفاء", phone="0551234567")
    one.sync()

    page = _feed(two)
    kinds = {(e.t, e.r) for e in page}
    assert {("beneficiary", first), ("beneficiary", third), ("beneficiary", fourth)} <= kinds
    held = person_in(two.workspace, second)
    top = max(e.g for e in page)
    phone = next(e for e in page if e.t == "beneficiary_phone" and e.d.get("is_primary"))
    page = [
        # Older than the version `two` holds for the city: it must not take.
        Entry(
            g=held.field_versions["city"] - 1,
            t="beneficiary",
            r=second,
            d={"city": "مكة", "hlc": _earlier(held.hlc)},
            h=_earlier(held.hlc),
        ),
        *page,
        # A value no column may hold, a phone of a person this laptop does not have, a table
        # this app does not know: each set aside with its reason, the rest applied.
        Entry(g=top + 1, t="beneficiary", r=third, d={"household_size": "many"}, h=held.hlc),
        Entry(
            g=top + 2,
            t="beneficiary_phone",
            r=new_id(),
            d={**phone.d, "beneficiary_id": new_id(), "is_primary": False},
            h=phone.h,
        ),
        Entry(g=top + 3, t="no_such_table", r=new_id(), d={"x": 1}, h=held.hlc),
    ]

    db = two.workspace.db
    before = _applied(db, lambda connection: None)
    in_bulk = _applied(db, lambda connection: apply_page(connection, page))
    one_by_one = _applied(
        db, lambda connection: [apply_page(connection, [entry]) for entry in page]
    )

    assert in_bulk == one_by_one
    people = {row.id: row for row in in_bulk["beneficiary"]}
    assert people[first].family_name == "الحربي"  # the edit made here and not pushed
    assert people[second].city == "جدة"  # the newer version held here
    assert people[second].hlc == held.hlc
    assert people[third].first_name == "نورة"
    assert {fourth, fifth} <= people.keys() and len(people) == len(before["beneficiary"]) + 2
    documents = {row[0]: row[1:] for row in in_bulk["search"]}
    assert documents[fourth][0] == "ابراهيم محمد علي العتيبي"
    assert "0551234567" in documents[fifth][1] and "966551234567" in documents[fifth][1]
    assert [q[0] for q in in_bulk["quarantine"]] == [
        "beneficiary",
        "beneficiary_phone",
        "no_such_table",
    ]
    assert in_bulk["outbox"] == before["outbox"]


def _found(db: Database) -> dict[str, set[str]]:
    with db.session() as session:
        return {
            query: {hit.id for hit in search_beneficiaries(session, query, limit=1000)}
            for query in QUERIES
        }


@pytest.mark.parametrize("hq", ["sqlite"], indirect=True)
def test_search_finds_the_same_people_after_a_bulk_pull_as_row_by_row(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    typed, in_bulk, by_row = laptop("typed"), laptop("bulk"), laptop("rows")
    for n, (first, father, grandfather, family) in enumerate(NAMES * 3):
        register_person(
            typed.workspace,
            first_name=first,
            father_name=father,
            grandfather_name=grandfather,
            family_name=family,
            phone=f"05{n:08d}",
        )
    typed.sync()
    in_bulk.sync()
    # Each change in a page of its own: one by one, each page with its cursor.
    rows = SyncClient(by_row.workspace.db, by_row.workspace.attachments_dir, hq.http, pull_page=1)
    pulled = rows.sync().pulled
    assert pulled >= 2 * len(NAMES) * 3

    expected = _found(typed.workspace.db)  # indexed as typed, by the ORM's path
    assert all(expected.values())
    assert _found(in_bulk.workspace.db) == expected
    assert _found(by_row.workspace.db) == expected


@pytest.mark.parametrize("hq", ["sqlite"], indirect=True)
def test_a_page_and_its_cursor_are_one_transaction(
    hq: HQ, laptop: Callable[..., Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = laptop("one"), laptop("two")
    people = [register_person(one.workspace) for _ in range(3)]
    one.sync()
    keep = sync_client.set_local_value

    def cut_before_the_cursor(connection: sa.Connection, key: str, value: str) -> None:
        if key == CURSOR_KEY:
            raise RuntimeError("killed before the cursor was written")
        keep(connection, key, value)

    monkeypatch.setattr(sync_client, "set_local_value", cut_before_the_cursor)
    with pytest.raises(RuntimeError):
        two.sync()
    with two.workspace.db.engine.connect() as connection:
        found = connection.execute(
            sa.select(sa.func.count()).where(Beneficiary.id.in_(people))
        ).scalar()
    assert found == 0  # nothing of the page without its cursor

    monkeypatch.setattr(sync_client, "set_local_value", keep)
    two.sync()
    with two.workspace.db.session() as session:
        assert {h.id for h in search_beneficiaries(session, "عبدالله القحطاني")} >= set(people)
