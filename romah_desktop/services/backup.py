"""Backing up and restoring the local database with SQLite's online backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.migrate import needs_upgrade, upgrade
from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.workspace import Workspace, online_backup


def backup(workspace: Workspace, actor: Actor, target: Path) -> None:
    """Copy the live database to `target` consistently, even while it is in use.

    Raises PermissionDenied, or RomahError if the target exists.
    """
    actor.require(Permission.BACKUP)
    if target.exists():
        raise RomahError(N_("{name} already exists; choose a new file name."), name=str(target))
    with workspace.transaction() as session:
        audit.record(session, actor, "database.backup", "database")
    online_backup(workspace.database_path, target)


def _check_backup(source: Path, device_id: str) -> None:
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            found = connection.execute(
                "SELECT value FROM local_state WHERE key = 'device_id'"
            ).fetchone()
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise RomahError(N_("{name} is not a Romah backup."), name=str(source)) from exc
    if found is None or found[0] != device_id:
        raise RomahError(
            N_("{name} is a backup of another device; it cannot be restored here."),
            name=str(source),
        )


def restore(workspace: Workspace, actor: Actor, source: Path) -> None:
    """Replace the live database with the backup in `source`, made on this same device.

    Raises PermissionDenied, or RomahError for a missing file, a file that is not a Romah
    backup, or a backup of another device (its outbox and numbers would clash).
    """
    actor.require(Permission.BACKUP)
    if not source.exists():
        raise RomahError(N_("The file {name} was not found."), name=str(source))
    _check_backup(source, workspace.device_id())
    workspace.db.dispose()
    target = sqlite3.connect(workspace.database_path)
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        backup_db.backup(target)
    finally:
        backup_db.close()
        target.close()
    if needs_upgrade(workspace.db.engine):
        upgrade(workspace.db.engine)
    with workspace.transaction() as session:
        audit.record(session, actor, "database.restore", "database")
