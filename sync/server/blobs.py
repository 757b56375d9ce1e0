"""HQ's attachments (scans, signatures), by content hash: which it holds, which a device may
see, and the upload folder's housekeeping. The bytes themselves are stored by the HTTP layer
(`sync/server/app.py`).

A file is personal data of the person whose record refers to it, so a device sees a file only
through a record it may see: a synced row of its own branch, or of the data every branch
receives, whose file column names that hash. HQ answers about any other hash as it answers about
one it does not hold, so a device cannot learn which files HQ keeps.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from db.base import utcnow
from sync.protocol import FILE_COLUMNS
from sync.server.schema import hq_blob, hq_row
from sync.server.store import DeviceAuth, Store, of_table, stored_field

# An upload not finished within a day is abandoned: its partial file is deleted.
PARTIAL_LIFETIME_SECONDS = 24 * 3600
PARTIAL_SUFFIX = ".part"
# Partial uploads collect in this subfolder of the blob store, one per device and file.
UPLOADS_FOLDER = "uploads"
DEFAULT_MAX_UPLOAD_MB = 50
_CHUNK = 900  # hashes per query, under every database's parameter limit


def blobs_present(store: Store, hashes: Sequence[str]) -> set[str]:
    """Which of `hashes` HQ holds whole."""
    found: set[str] = set()
    wanted = sorted(set(hashes))
    with store.engine.connect() as connection:
        for start in range(0, len(wanted), _CHUNK):
            found.update(
                connection.execute(
                    sa.select(hq_blob.c.sha256).where(
                        hq_blob.c.sha256.in_(wanted[start : start + _CHUNK])
                    )
                ).scalars()
            )
    return found


def blobs_visible(store: Store, device: DeviceAuth, hashes: Sequence[str]) -> set[str]:
    """Which of `hashes` a record `device` may see refers to (a row of its branch, or of the
    data every branch receives, as the feed decides in `sync/server/feed.py`)."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    if not wanted:
        return found
    in_scope = sa.or_(hq_row.c.scope == device.branch_id, hq_row.c.scope.is_(None))
    with store.engine.connect() as connection:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for table in FILE_COLUMNS:
                value = file_column(table, postgres=store.postgres)
                found.update(
                    connection.execute(
                        sa.select(value)
                        .select_from(hq_row)
                        .where(of_table(table), in_scope, value.in_(chunk))
                        .distinct()
                    ).scalars()
                )
    return found


def file_column(table: str, *, postgres: bool) -> sa.ColumnElement[str]:
    """The file hash a row of `table` names, as SQL an index serves (migration 0002)."""
    return stored_field(FILE_COLUMNS[table], postgres=postgres)


def blob_received(store: Store, sha256: str, size: int) -> None:
    """Record that HQ now holds the file with content hash `sha256`."""
    with store.engine.begin() as connection:
        exists = connection.execute(
            sa.select(hq_blob.c.sha256).where(hq_blob.c.sha256 == sha256)
        ).first()
        if not exists:
            connection.execute(
                sa.insert(hq_blob).values(sha256=sha256, size=size, received_at=utcnow())
            )


def remove_stale_partials(folder: Path, max_age: float = PARTIAL_LIFETIME_SECONDS) -> int:
    """Delete the partial uploads in `folder` last written more than `max_age` seconds ago;
    returns how many. One that vanishes meanwhile (finished, or removed by another worker) is
    skipped."""
    if not folder.is_dir():
        return 0
    oldest = time.time() - max_age
    removed = 0
    for path in folder.glob(f"*{PARTIAL_SUFFIX}"):
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def remove_abandoned_uploads(blob_dir: Path, *, at_start: bool = False) -> int:
    """Delete the partial uploads in the blob store not added to for a day; returns how many.
    At start-up also those an earlier version kept beside the files (one per file, not per
    device), which are never resumed now."""
    removed = remove_stale_partials(blob_dir / UPLOADS_FOLDER)
    if at_start and blob_dir.is_dir():
        for shard in blob_dir.iterdir():
            if shard.is_dir() and shard.name != UPLOADS_FOLDER:
                removed += remove_stale_partials(shard, 0)
    return removed
