"""Arabic-aware search over beneficiaries, and duplicate detection.

The full-text index (`beneficiary_search`, SQLite FTS5) holds each person's normalised names
and their numbers (national ID, phones in both +9665… and 05… forms). It is updated by a flush
listener in the same transaction as the change, so a search never sees a half-written person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from db.models import Beneficiary, BeneficiaryPhone
from romah_desktop.arabic import normalize_arabic, normalize_digits
from romah_desktop.validation import format_mobile_local, mobile_search_key

_NAME_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name")
_INDEXED_FIELDS = frozenset({*_NAME_FIELDS, "national_id", "deleted_at"})


@dataclass(frozen=True)
class SearchHit:
    id: str
    national_id: str
    full_name: str
    file_number: str
    birth_date: date | None


def _phone_terms(canonical: str) -> str:
    return f"{canonical.lstrip('+')} {format_mobile_local(canonical)}"


def _reindex(connection: sa.Connection, beneficiary_ids: set[str]) -> None:
    if not beneficiary_ids:
        return
    ids = list(beneficiary_ids)
    people = connection.execute(
        sa.select(
            Beneficiary.id,
            Beneficiary.first_name,
            Beneficiary.father_name,
            Beneficiary.grandfather_name,
            Beneficiary.family_name,
            Beneficiary.national_id,
            Beneficiary.deleted_at,
        ).where(Beneficiary.id.in_(ids))
    ).all()
    phones: dict[str, list[str]] = {}
    for owner, number in connection.execute(
        sa.select(BeneficiaryPhone.beneficiary_id, BeneficiaryPhone.number).where(
            BeneficiaryPhone.beneficiary_id.in_(ids), BeneficiaryPhone.deleted_at.is_(None)
        )
    ):
        phones.setdefault(owner, []).append(_phone_terms(number))
    for person in people:
        rowid = connection.exec_driver_sql(
            "SELECT rowid FROM beneficiary_search_key WHERE beneficiary_id = ?", (person.id,)
        ).scalar()
        if rowid is not None:
            connection.exec_driver_sql("DELETE FROM beneficiary_search WHERE rowid = ?", (rowid,))
        if person.deleted_at is not None:
            continue
        if rowid is None:
            rowid = connection.exec_driver_sql(
                "INSERT INTO beneficiary_search_key (beneficiary_id) VALUES (?)", (person.id,)
            ).lastrowid
        names = normalize_arabic(" ".join(getattr(person, f) or "" for f in _NAME_FIELDS))
        numbers = " ".join([person.national_id, *phones.get(person.id, [])])
        connection.exec_driver_sql(
            "INSERT INTO beneficiary_search (rowid, names, numbers) VALUES (?, ?, ?)",
            (rowid, names, numbers),
        )


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    touched: set[str] = set()
    for obj in session.new:
        if isinstance(obj, Beneficiary):
            touched.add(obj.id)
        elif isinstance(obj, BeneficiaryPhone):
            touched.add(obj.beneficiary_id)
    for obj in session.dirty:
        if isinstance(obj, Beneficiary):
            if any(sa.inspect(obj).attrs[f].history.has_changes() for f in _INDEXED_FIELDS):
                touched.add(obj.id)
        elif isinstance(obj, BeneficiaryPhone):
            touched.add(obj.beneficiary_id)
    _reindex(session.connection(), touched)


event.listen(Session, "after_flush", _after_flush)


def rebuild_index(session: Session) -> int:
    """Rebuild the whole index from the beneficiary table; returns the number indexed."""
    connection = session.connection()
    connection.exec_driver_sql("DELETE FROM beneficiary_search")
    connection.exec_driver_sql("DELETE FROM beneficiary_search_key")
    ids = set(session.scalars(sa.select(Beneficiary.id).where(Beneficiary.deleted_at.is_(None))))
    _reindex(connection, ids)
    return len(ids)


def _match_expression(query: str) -> str | None:
    """The FTS5 query for what a person typed: digits search numbers, words search names."""
    text = normalize_digits(query).strip()
    phone = mobile_search_key(text)
    if phone is not None:
        return f'numbers : "{phone.lstrip("+")}"'
    compact = text.replace(" ", "").replace("-", "")
    if compact.lstrip("+").isdigit():
        return f'numbers : "{compact.lstrip("+")}"*'
    words = normalize_arabic(text).split()
    if not words:
        return None
    # Every word must match the start of a name part; the last may still be being typed.
    return "names : (" + " AND ".join(f'"{w}"*' for w in words) + ")"


def search_beneficiaries(session: Session, query: str, limit: int = 50) -> list[SearchHit]:
    """People matching `query` (name words, national ID or phone, any digits), best match first."""
    expression = _match_expression(query)
    if expression is None:
        return []
    rows = session.execute(
        sa.text(
            "SELECT b.id, b.national_id, b.first_name, b.father_name, b.grandfather_name, "
            "b.family_name, b.file_number, b.birth_date "
            "FROM beneficiary_search s "
            "JOIN beneficiary_search_key k ON k.rowid = s.rowid "
            "JOIN beneficiary b ON b.id = k.beneficiary_id "
            "WHERE beneficiary_search MATCH :expression "
            "ORDER BY bm25(beneficiary_search, 10.0, 1.0), b.first_name, b.family_name "
            "LIMIT :limit"
        ).columns(birth_date=sa.Date),
        {"expression": expression, "limit": limit},
    ).all()
    return [
        SearchHit(
            id=r.id,
            national_id=r.national_id,
            full_name=" ".join(
                p for p in (r.first_name, r.father_name, r.grandfather_name, r.family_name) if p
            ),
            file_number=r.file_number,
            birth_date=r.birth_date,
        )
        for r in rows
    ]


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
    if national_id:
        for person in session.scalars(
            sa.select(Beneficiary).where(
                Beneficiary.national_id == national_id, Beneficiary.deleted_at.is_(None)
            )
        ):
            if person.id != exclude_id:
                found[person.id] = _candidate(person, "national_id")
    if names and birth_date:
        wanted = normalize_arabic(" ".join(names))
        for person in session.scalars(
            sa.select(Beneficiary).where(
                Beneficiary.birth_date == birth_date, Beneficiary.deleted_at.is_(None)
            )
        ):
            if person.id == exclude_id or person.id in found:
                continue
            if normalize_arabic(person.full_name) == wanted:
                found[person.id] = _candidate(person, "name_and_birth_date")
    return list(found.values())


def _candidate(person: Beneficiary, reason: str) -> DuplicateCandidate:
    return DuplicateCandidate(
        person.id, person.file_number, person.full_name, person.national_id, reason
    )
