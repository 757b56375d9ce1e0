"""HQ's record of the attachments (scans, signatures) it holds, by content hash. The bytes
themselves are stored by the HTTP layer (`sync/server/app.py`)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from db.base import utcnow
from sync.server.schema import hq_blob
from sync.server.store import Store


def blobs_present(store: Store, hashes: Sequence[str]) -> set[str]:
    with store.engine.connect() as connection:
        return set(
            connection.execute(
                sa.select(hq_blob.c.sha256).where(hq_blob.c.sha256.in_(list(hashes)))
            ).scalars()
        )


def blob_received(store: Store, sha256: str, size: int) -> None:
    with store.engine.begin() as connection:
        exists = connection.execute(
            sa.select(hq_blob.c.sha256).where(hq_blob.c.sha256 == sha256)
        ).first()
        if not exists:
            connection.execute(
                sa.insert(hq_blob).values(sha256=sha256, size=size, received_at=utcnow())
            )
