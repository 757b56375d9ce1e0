"""Arabic-aware search over beneficiaries, and duplicate detection.

The full-text index (`beneficiary_search`, SQLite FTS5) holds each person's normalised names
and their numbers (national ID, phones in both +9665… and 05… forms). It is updated by a flush
listener in the same transaction as the change, so a search never sees a half-written person.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, UOWTransaction

from db.models import Beneficiary, BeneficiaryPhone
from romah_desktop.arabic import normalize_arabic, normalize_digits
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.validation import format_mobile_local, mobile_search_key

if TYPE_CHECKING:
    from db.engine import Database

# The beneficiary columns the search index is built from: a change to any of them (and only
# to them) rebuilds the person's search document, after a local edit or a pulled one alike.
INDEXED_FIELDS = frozenset({*NAME_PARTS, "national_id", "deleted_at"})
# The phone columns a person's numbers are made from: a pulled change to any other (its label,
# the primary flag) leaves the index as it is.
INDEXED_PHONE_FIELDS = frozenset({"beneficiary_id", "number", "deleted_at"})


@dataclass(frozen=True)
class SearchHit:
    id: str
    national_id: str
    full_name: str
    file_number: str
    birth_date: date | None


def _phone_terms(canonical: str) -> str:
    return f"{canonical.lstrip('+')} {format_mobile_local(canonical)}"


def names_document(*parts: str | None) -> str:
    """What the index holds of a person's four-part name: the search key every query is
    normalised to, so "أحمد" typed finds "احمد" stored."""
    return normalize_arabic(four_part_name(parts))


def numbers_document(national_id: str, phones: Iterable[str]) -> str:
    """What the index holds of a person's numbers: the national ID and each live phone in
    both its +9665… and 05… forms."""
    return " ".join([national_id, *map(_phone_terms, phones)])


# New people indexed from the ORM's objects per statement.
_CHUNK = 500
# The people whose documents are rebuilt travel as one JSON array of ids: a few statements
# rebuild any number of them (a pulled page of thousands), with no limit on bound parameters.
_PEOPLE = "SELECT value FROM json_each(?)"
# After their keys are added: each live person's key in the index, names, national ID and id.
_LIVE_PEOPLE = (
    "SELECT k.rowid, b.first_name, b.father_name, b.grandfather_name, b.family_name, "
    "b.national_id, b.id FROM beneficiary b "
    "JOIN beneficiary_search_key k ON k.beneficiary_id = b.id "
    f"WHERE b.id IN ({_PEOPLE}) AND b.deleted_at IS NULL ORDER BY b.id"
)
# Each person's live phones in the order they were added.
_LIVE_PHONES = (
    "SELECT beneficiary_id, number FROM beneficiary_phone "
    f"WHERE beneficiary_id IN ({_PEOPLE}) AND deleted_at IS NULL ORDER BY rowid"
)
_DROP_DOCUMENTS = (
    "DELETE FROM beneficiary_search WHERE rowid IN "
    f"(SELECT rowid FROM beneficiary_search_key WHERE beneficiary_id IN ({_PEOPLE}))"
)
_ADD_KEYS = (
    "INSERT INTO beneficiary_search_key (beneficiary_id) "
    f"SELECT b.id FROM beneficiary b WHERE b.id IN ({_PEOPLE}) AND b.deleted_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM beneficiary_search_key k WHERE k.beneficiary_id = b.id) "
    "ORDER BY b.id"
)
_ADD_DOCUMENT = "INSERT INTO beneficiary_search (rowid, names, numbers) VALUES (?, ?, ?)"
# Each live person's key, numbers as indexed and national ID, for those with a document.
_INDEXED_NUMBERS = (
    "SELECT k.rowid, s.numbers, b.national_id, b.id FROM beneficiary b "
    "JOIN beneficiary_search_key k ON k.beneficiary_id = b.id "
    "JOIN beneficiary_search s ON s.rowid = k.rowid "
    f"WHERE b.id IN ({_PEOPLE}) AND b.deleted_at IS NULL"
)
_SET_NUMBERS = "UPDATE beneficiary_search SET numbers = ? WHERE rowid = ?"


def reindex(
    connection: sa.Connection,
    beneficiary_ids: Collection[str],
    phones_of: Collection[str] = (),
) -> None:
    """Bring the search index of these people up to date (after a change made without the
    ORM, such as a page of records arriving from HQ), set-based: their rows are read in two
    queries, their documents made in one pass by `names_document` and `numbers_document` (as
    on the ORM's path) and written in one statement. `phones_of` are people of whom only
    phones changed: an indexed one keeps the names its document holds (they are made from the
    fields in `INDEXED_FIELDS`, which did not change), gets its numbers made again, and is
    written only if they differ (`_renumber`); any other is rebuilt whole. Raises what those
    raise (a phone that is not a mobile number)."""
    renumbered = set(phones_of).difference(beneficiary_ids)
    if not beneficiary_ids and not renumbered:
        return
    # The driver's own cursor: plain tuples, not a result object per row.
    driver = connection.connection.driver_connection
    assert driver is not None
    rebuilt = set(beneficiary_ids)
    if renumbered:
        rebuilt.update(_renumber(driver, renumbered))
    if not rebuilt:
        return
    people = (json.dumps(sorted(rebuilt)),)
    driver.execute(_DROP_DOCUMENTS, people)
    driver.execute(_ADD_KEYS, people)
    phones = _live_phones(driver, people)
    driver.executemany(
        _ADD_DOCUMENT,
        [
            (key, names_document(*names), numbers_document(national_id, phones.get(person, ())))
            for key, *names, national_id, person in driver.execute(_LIVE_PEOPLE, people).fetchall()
        ],
    )


def _live_phones(driver: Any, people: tuple[str]) -> dict[str, list[str]]:
    phones: dict[str, list[str]] = {}
    for person_id, number in driver.execute(_LIVE_PHONES, people):
        phones.setdefault(person_id, []).append(number)
    return phones


def _renumber(driver: Any, beneficiary_ids: set[str]) -> set[str]:
    """Make the numbers of these people's documents again, keeping the names (a pulled page
    of phones, after the page of their people indexed them: the names are not made twice);
    returns those without a document to keep (not indexed, or deleted), to be rebuilt whole."""
    people = (json.dumps(sorted(beneficiary_ids)),)
    phones = _live_phones(driver, people)
    indexed = driver.execute(_INDEXED_NUMBERS, people).fetchall()
    changed = []
    for key, held, national_id, person in indexed:
        numbers = numbers_document(national_id, phones.get(person, ()))
        if numbers != held:
            changed.append((numbers, key))
    # FTS5 writes a changed row as one removal and one insertion, as a DELETE and an INSERT
    # would, in one statement instead of two.
    driver.executemany(_SET_NUMBERS, changed)
    return beneficiary_ids.difference(row[3] for row in indexed)


def _index_new(
    connection: sa.Connection, people: list[Beneficiary], phones: list[BeneficiaryPhone]
) -> None:
    """Index people inserted by this flush from the objects themselves: they have no index
    entry yet and every phone they have is in the same flush (registration, import)."""
    numbers: dict[str, list[str]] = {}
    for phone in phones:
        if phone.deleted_at is None:
            numbers.setdefault(phone.beneficiary_id, []).append(phone.number)
    ids = [(p.id,) for p in people]
    connection.exec_driver_sql(
        "INSERT INTO beneficiary_search_key (beneficiary_id) VALUES (?)", ids
    )
    marks = ",".join("?" * len(ids))
    rowids: dict[str, int] = dict(
        connection.exec_driver_sql(
            "SELECT beneficiary_id, rowid FROM beneficiary_search_key "
            f"WHERE beneficiary_id IN ({marks})",
            tuple(i for (i,) in ids),
        ).all()
    )
    connection.exec_driver_sql(
        "INSERT INTO beneficiary_search (rowid, names, numbers) VALUES (?, ?, ?)",
        [
            (
                rowids[p.id],
                names_document(*(getattr(p, part) for part in NAME_PARTS)),
                numbers_document(p.national_id, numbers.get(p.id, [])),
            )
            for p in people
        ],
    )


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    touched: set[str] = set()
    fresh = [o for o in session.new if isinstance(o, Beneficiary) and o.deleted_at is None]
    fresh_ids = {p.id for p in fresh}
    fresh_phones = []
    for obj in session.new:
        if isinstance(obj, BeneficiaryPhone):
            if obj.beneficiary_id in fresh_ids:
                fresh_phones.append(obj)
            else:
                touched.add(obj.beneficiary_id)
    for start in range(0, len(fresh), _CHUNK):
        _index_new(session.connection(), fresh[start : start + _CHUNK], fresh_phones)
    for obj in session.dirty:
        if isinstance(obj, Beneficiary):
            if any(sa.inspect(obj).attrs[f].history.has_changes() for f in INDEXED_FIELDS):
                touched.add(obj.id)
        elif isinstance(obj, BeneficiaryPhone):
            touched.add(obj.beneficiary_id)
    reindex(session.connection(), touched)


def install(db: Database) -> None:
    """Keep the index current with every flush of `db`'s sessions."""
    db.listen("after_flush", _after_flush)


def rebuild_index(session: Session) -> int:
    """Rebuild the whole index from the beneficiary table; returns the number indexed."""
    connection = session.connection()
    connection.exec_driver_sql("DELETE FROM beneficiary_search")
    connection.exec_driver_sql("DELETE FROM beneficiary_search_key")
    ids = set(session.scalars(sa.select(Beneficiary.id).where(Beneficiary.deleted_at.is_(None))))
    reindex(connection, ids)
    return len(ids)


@dataclass(frozen=True)
class _Plan:
    """How to look up what a person typed: FTS5 expressions in order of preference, and the
    normalised words to rank names by (empty for numbers)."""

    expressions: tuple[str, ...]
    words: tuple[str, ...]


def _plan(query: str) -> _Plan | None:
    text = normalize_digits(query).strip()
    phone = mobile_search_key(text)
    if phone is not None:
        return _Plan((f'numbers : "{phone.lstrip("+")}"',), ())
    compact = text.replace(" ", "").replace("-", "")
    if compact.lstrip("+").isdigit():
        return _Plan((f'numbers : "{compact.lstrip("+")}"*',), ())
    words = tuple(normalize_arabic(text).split())
    if not words:
        return None
    # Every word must match the start of a name part; the last may still be being typed.
    terms = " AND ".join(f'"{w}"*' for w in words)
    # People whose first name matches come first. Neither expression is ranked in SQL:
    # ranking every "محمد" among 200,000 people costs tens of milliseconds, while an
    # unranked match stops as soon as it has enough rows.
    return _Plan((f"names : (^{terms})", f"names : ({terms})"), words)


def match_expression(query: str) -> str | None:
    """The FTS5 expression matching every person `query` finds (unranked), for callers that
    need all of them rather than the best few; None when nothing was typed."""
    plan = _plan(query)
    return plan.expressions[-1] if plan else None


_SEARCH_SQL = sa.text(
    "SELECT b.id, b.national_id, b.first_name, b.father_name, b.grandfather_name, "
    "b.family_name, b.file_number, b.birth_date "
    "FROM beneficiary_search s "
    "JOIN beneficiary_search_key k ON k.rowid = s.rowid "
    "JOIN beneficiary b ON b.id = k.beneficiary_id "
    "WHERE beneficiary_search MATCH :expression "
    "AND (:branch_id IS NULL OR b.branch_id = :branch_id) "
    "LIMIT :limit"
).columns(birth_date=sa.Date)


def _rank(hit: SearchHit, words: tuple[str, ...]) -> tuple[int, int, str]:
    """Smaller is better: the first name matching, then more whole words matching."""
    parts = normalize_arabic(hit.full_name).split()
    first = 0 if parts and words and parts[0].startswith(words[0]) else 1
    whole = sum(1 for w in words if w in parts)
    return (first, -whole, hit.full_name)


def search_beneficiaries(
    session: Session, query: str, limit: int = 50, branch_id: str | None = None
) -> list[SearchHit]:
    """People matching `query` (name words, national ID or phone, any digits), best match
    first; only `branch_id`'s people when it is given."""
    plan = _plan(query)
    if plan is None:
        return []
    found: dict[str, SearchHit] = {}
    for expression in plan.expressions:
        if len(found) >= limit:
            break
        rows = session.execute(
            _SEARCH_SQL, {"expression": expression, "limit": limit, "branch_id": branch_id}
        )
        for r in rows:
            if r.id not in found and len(found) < limit:
                found[r.id] = SearchHit(
                    id=r.id,
                    national_id=r.national_id,
                    full_name=four_part_name(r[2:6]),
                    file_number=r.file_number,
                    birth_date=r.birth_date,
                )
    hits = list(found.values())
    if plan.words:
        hits.sort(key=lambda hit: _rank(hit, plan.words))
    return hits


@dataclass(frozen=True)
class DuplicateCandidate:
    id: str
    file_number: str
    full_name: str
    national_id: str
    reason: str  # "national_id" | "name_and_birth_date"


def find_duplicates(
    session: Session,
    national_id: str | None,
    names: tuple[str, str, str, str] | None,
    birth_date: date | None,
    exclude_id: str | None = None,
) -> list[DuplicateCandidate]:
    """Live files that may be the same person: same national ID, or same normalised four-part
    name and birth date."""
    found: dict[str, DuplicateCandidate] = {}
    columns = (
        Beneficiary.id,
        Beneficiary.file_number,
        Beneficiary.national_id,
        *(getattr(Beneficiary, f) for f in NAME_PARTS),
    )
    live = Beneficiary.deleted_at.is_(None)
    if national_id:
        for row in session.execute(
            sa.select(*columns).where(Beneficiary.national_id == national_id, live)
        ):
            if row.id != exclude_id:
                found[row.id] = _candidate(row, "national_id")
    if names and birth_date:
        wanted = normalize_arabic(four_part_name(names))
        for row in session.execute(
            sa.select(*columns).where(Beneficiary.birth_date == birth_date, live)
        ):
            if row.id == exclude_id or row.id in found:
                continue
            if normalize_arabic(four_part_name(row[3:])) == wanted:
                found[row.id] = _candidate(row, "name_and_birth_date")
    return list(found.values())


def _candidate(row: sa.Row[Any], reason: str) -> DuplicateCandidate:
    return DuplicateCandidate(
        row.id, row.file_number, four_part_name(row[3:]), row.national_id, reason
    )
