"""HQ administration of what sync sets aside for a person: conflicts (the losing value of a
concurrent edit, see `sync/merge.py`), quarantined changes, and duplicate-person cases.

Resolutions are written as HQ's own changes, so they reach the branch's laptops like any
other change.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from db.values import check
from sync.server.schema import hq_duplicate, hq_quarantine, hq_row
from sync.server.store import Refused, Store


def conflicts(store: Store, status: str = "open") -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_row.c.data).where(hq_row.c.table_name == "sync_conflict")
        ).scalars()
        found = [dict(r) for r in rows if r.get("status") == status]
    return sorted(found, key=lambda c: str(c["created_at"]))


def resolve_conflict(store: Store, conflict_id: str, value: Any, by: str) -> None:
    """Settle a conflict at HQ: the chosen value is written to the record and the conflict
    closed, both as HQ changes that reach the branch's laptops like any other.

    Raises Refused for an unknown or settled conflict, or a value the field cannot hold (by
    the rules of `db/values.py`, the same a pushed change is checked by)."""
    with store.writing() as connection:
        found = store.load_rows(connection, [("sync_conflict", conflict_id)])
        conflict = found.get(("sync_conflict", conflict_id))
        if conflict is None:
            raise Refused(404, f"There is no conflict {conflict_id}.")
        if conflict.data.get("status") != "open":
            raise Refused(409, "This conflict has been resolved already.")
        target = conflict.data
        reason = check(str(target["table_name"]), str(target["field"]), value)
        if reason is not None:
            raise Refused(422, f"This value cannot be kept: {reason}")
        store.write_as_hq(
            connection,
            target["table_name"],
            target["row_id"],
            {target["field"]: value},
            scope=conflict.scope,
        )
        store.write_as_hq(
            connection,
            "sync_conflict",
            conflict_id,
            {
                "status": "resolved",
                "resolved_value": value,
                "resolved_by": by,
                "resolved_at": utcnow().isoformat(),
            },
            scope=conflict.scope,
        )


def quarantined(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(hq_quarantine).order_by(hq_quarantine.c.id)).mappings()
        return [dict(r) for r in rows]


def duplicates(store: Store, status: str = "open") -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_duplicate)
            .where(hq_duplicate.c.status == status)
            .order_by(hq_duplicate.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def merge_duplicate(store: Store, case_id: int, keep_row_id: str, note: str | None = None) -> None:
    """Keep one file of a duplicated person; the others are closed (tombstoned, not
    deleted), so every record that points at them, and their history, stays."""
    with store.writing() as connection:
        case = connection.execute(
            sa.select(hq_duplicate).where(hq_duplicate.c.id == case_id)
        ).one_or_none()
        if case is None or case.status != "open":
            raise Refused(404, f"There is no open duplicate case {case_id}.")
        if keep_row_id not in case.row_ids:
            raise Refused(400, "The record to keep is not one of the case's records.")
        now = utcnow().isoformat()
        for row_id in case.row_ids:
            if row_id != keep_row_id:
                rows = store.load_rows(connection, [("beneficiary", row_id)])
                row = rows[("beneficiary", row_id)]
                if row.data.get("deleted_at") is None:
                    store.write_as_hq(
                        connection, "beneficiary", row_id, {"deleted_at": now}, row.scope
                    )
        connection.execute(
            sa.update(hq_duplicate)
            .where(hq_duplicate.c.id == case_id)
            .values(status="merged", kept_row_id=keep_row_id, note=note, resolved_at=utcnow())
        )
