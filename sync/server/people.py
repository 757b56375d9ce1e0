"""The national IDs of the people HQ holds, and the duplicate-person cases they open: the same
national ID on two live records, from any branches, is a case for HQ to settle. A push reads
and adds the IDs of its people holding their lock (`Store.lock_person_keys`), so two
branches registering one person at once see each other's.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.base import utcnow
from sync.server.schema import hq_duplicate, hq_person_key
from sync.server.store import Store

# National IDs of a batch's people: (national ID, record id, branch).
People = list[tuple[str, str, str | None]]


def person_keys(store: Store, connection: sa.Connection, people: People) -> dict[str, set[str]]:
    """The records HQ holds under each national ID of `people`."""
    numbers = sorted({n for n, _, _ in people})
    known: dict[str, set[str]] = {}
    for number, row_id in connection.exec_driver_sql(
        "SELECT national_id, row_id FROM hq_person_key "
        f"WHERE national_id {store.one_of(connection)}",
        (store.bound_list(numbers),),
    ):
        known.setdefault(number, set()).add(row_id)
    return known


def add_person_keys(
    store: Store, connection: sa.Connection, people: People, known: dict[str, set[str]]
) -> set[str]:
    """Store the national IDs of `people` HQ did not hold on their records (`known` is
    what it held, brought up to date); returns the IDs that gained a record."""
    fresh: list[tuple[str, str, str | None]] = []
    for number, row_id, scope in people:
        ids = known.setdefault(number, set())
        if row_id not in ids:
            fresh.append((number, row_id, scope))
            ids.add(row_id)
    store.insert(connection, hq_person_key, ("national_id", "row_id", "scope"), fresh)
    return {f[0] for f in fresh}


def open_cases(connection: sa.Connection, numbers: set[str], known: dict[str, set[str]]) -> None:
    """The same national ID on two live records becomes a duplicate-person case for HQ:
    `numbers` gained a record, `known` holds each one's records."""
    for number in numbers:
        ids = known[number]
        if len(ids) < 2:
            continue
        open_case = connection.execute(
            sa.select(hq_duplicate.c.id).where(
                hq_duplicate.c.national_id == number, hq_duplicate.c.status == "open"
            )
        ).scalar_one_or_none()
        if open_case is None:
            connection.execute(
                sa.insert(hq_duplicate).values(
                    national_id=number,
                    row_ids=sorted(ids),
                    status="open",
                    created_at=utcnow(),
                )
            )
        else:
            connection.execute(
                sa.update(hq_duplicate)
                .where(hq_duplicate.c.id == open_case)
                .values(row_ids=sorted(ids))
            )
