"""HQ's audit trail: one row for every console action (and HQ's command line), with who,
when, what and on which record."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from sync.server.schema import hq_audit


def record(
    connection: sa.Connection,
    username: str,
    action: str,
    target: str | None = None,
    user_id: str | None = None,
    **detail: Any,
) -> None:
    """Write one audit row in `connection`'s transaction (so it stands or falls with the
    action it records)."""
    connection.execute(
        sa.insert(hq_audit).values(
            at=utcnow(),
            user_id=user_id,
            username=username,
            action=action,
            target=None if target is None else str(target)[:200],
            detail=detail or None,
        )
    )


def recent(engine: sa.Engine, limit: int = 200) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_audit).order_by(hq_audit.c.id.desc()).limit(limit)
        ).mappings()
        return [dict(r) for r in rows]
