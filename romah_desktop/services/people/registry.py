"""The beneficiary registry: which files a user may list, and their rows a page at a time.

The list screen holds only ids (`list_ids`) and asks for the rows it is about to show
(`rows`), so 200,000 people cost one narrow query and a page of rows, never 200,000 objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import Category, Gender, RegistrationStatus
from db.models import Beneficiary
from romah_desktop.errors import ValidationError
from romah_desktop.names import NAME_PARTS, full_name
from romah_desktop.permissions import Permission
from romah_desktop.search import match_expression, search_beneficiaries
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import primary_phone_column
from romah_desktop.validation import format_mobile_local

# SQLite's default limit on bound parameters is far above this; one page is ~100 ids.
_MAX_IDS_PER_QUERY = 900
# With a query, this many best matches of the Arabic-aware search lead the list, in its order.
BEST_FIRST = 100


@dataclass(frozen=True)
class RegistryRow:
    """One line of the registry: what a clerk needs to recognise a person's file."""

    id: str
    file_number: str
    full_name: str
    national_id: str
    phone: str | None  # the primary mobile in the local form 05XXXXXXXX
    city: str | None
    status: RegistrationStatus
    categories: tuple[Category, ...]
    gender: Gender | None = None  # the status and categories are named in their grammar


def _filters(
    actor: Actor, status: RegistrationStatus | None, category: Category | None
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [Beneficiary.deleted_at.is_(None)]
    branch = actor.visible_branch()
    if branch is not None:
        conditions.append(Beneficiary.branch_id == branch)
    if status is not None:
        conditions.append(Beneficiary.registration_status == status)
    if category is not None:
        # Categories are a JSON list of values such as ["orphan", "widow"]; the quotes make
        # the match exact ("widow" does not match "widower").
        conditions.append(sa.cast(Beneficiary.categories, sa.Text).like(f'%"{category.value}"%'))
    return conditions


def list_ids(
    session: Session,
    actor: Actor,
    *,
    status: RegistrationStatus | None = None,
    category: Category | None = None,
    query: str | None = None,
    limit: int | None = None,
) -> list[str]:
    """The ids of the live files the actor may see that pass the filters, at most `limit`.

    Without a query they are ordered by file number. With one (name words, national ID or
    mobile, in any digits, with or without hamza) the best matches of the Arabic-aware search
    come first, in its order, then every other match by file number; with a `limit`, which
    of many matches are listed is unspecified. A query with nothing searchable in it lists
    no one. Raises PermissionDenied.
    """
    actor.require(Permission.VIEW_BENEFICIARIES)
    conditions = _filters(actor, status, category)
    if query is None or not query.strip():
        statement = sa.select(Beneficiary.id).where(*conditions).order_by(Beneficiary.file_number)
        return list(session.scalars(statement.limit(limit)))
    expression = match_expression(query)
    if expression is None:
        return []
    best = _best_matches(session, actor, query, conditions)
    # Every match, unranked: ranking tens of thousands of "محمد" costs more than it helps,
    # and an unranked match with a limit stops as soon as it has enough.
    search = sa.table("beneficiary_search", sa.column("rowid"))
    key = sa.table("beneficiary_search_key", sa.column("rowid"), sa.column("beneficiary_id"))
    matches = (
        sa.select(Beneficiary.id, Beneficiary.file_number)
        .select_from(search)
        .join(key, key.c.rowid == search.c.rowid)
        .join(Beneficiary, Beneficiary.id == key.c.beneficiary_id)
        .where(sa.text("beneficiary_search MATCH :expression"), *conditions)
        .limit(limit)
        .subquery()
    )
    ordered = sa.select(matches.c.id).order_by(matches.c.file_number)
    chosen = set(best)
    rest = (i for i in session.scalars(ordered, {"expression": expression}) if i not in chosen)
    return [*best, *rest][:limit]


def first_rows(
    session: Session,
    actor: Actor,
    *,
    status: RegistrationStatus | None = None,
    category: Category | None = None,
    query: str | None = None,
    count: int = BEST_FIRST,
) -> list[RegistryRow]:
    """The rows that begin `list_ids`' list for the same filters and query, read far faster
    than the whole list: up to `count` files by file number, or, with a query, the best
    matches (at most BEST_FIRST), which may be none even when other files match.
    Raises PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    if query is None or not query.strip():
        ids = list_ids(session, actor, status=status, category=category, limit=count)
    else:
        ids = _best_matches(session, actor, query, _filters(actor, status, category))[:count]
    return rows(session, actor, ids)


def _best_matches(
    session: Session, actor: Actor, query: str, conditions: list[sa.ColumnElement[bool]]
) -> list[str]:
    """The search's best few matches for `query` in its order, without those the filters
    leave out."""
    hits = search_beneficiaries(session, query, BEST_FIRST, actor.visible_branch())
    if not hits:
        return []
    kept = set(
        session.scalars(
            sa.select(Beneficiary.id).where(Beneficiary.id.in_([h.id for h in hits]), *conditions)
        )
    )
    return [h.id for h in hits if h.id in kept]


def rows(session: Session, actor: Actor, ids: Sequence[str]) -> list[RegistryRow]:
    """The registry rows of `ids`, in the same order, fetched in one query per 900 ids.

    Ids the actor may not see (another branch's files, deleted files, unknown ids) are left
    out, so the result may be shorter than `ids`. Raises PermissionDenied.
    """
    actor.require(Permission.VIEW_BENEFICIARIES)
    found: dict[str, RegistryRow] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _MAX_IDS_PER_QUERY):
        chunk = unique[start : start + _MAX_IDS_PER_QUERY]
        for row in session.execute(_rows_statement(actor, chunk)):
            found[row.id] = _row(row)
    return [found[i] for i in ids if i in found]


def _rows_statement(actor: Actor, ids: list[str]) -> sa.Select[Any]:
    phone = primary_phone_column()
    return sa.select(
        Beneficiary.id,
        Beneficiary.file_number,
        *(getattr(Beneficiary, part) for part in NAME_PARTS),
        Beneficiary.national_id,
        phone.label("phone"),
        Beneficiary.city,
        Beneficiary.registration_status,
        Beneficiary.categories,
        Beneficiary.gender,
    ).where(Beneficiary.id.in_(ids), *_filters(actor, None, None))


def _row(row: sa.Row[Any]) -> RegistryRow:
    categories = []
    for value in row.categories or ():
        try:
            categories.append(Category(value))
        except ValueError:  # a category from a newer version of the app: not shown
            continue
    return RegistryRow(
        id=row.id,
        file_number=row.file_number,
        full_name=full_name(row),
        national_id=row.national_id,
        phone=_local_phone(row.phone),
        city=row.city,
        status=row.registration_status,
        categories=tuple(categories),
        gender=row.gender,
    )


def _local_phone(canonical: str | None) -> str | None:
    if not canonical:
        return None
    try:
        return format_mobile_local(canonical)
    except ValidationError:  # not a Saudi mobile (an old import): shown as stored
        return canonical
