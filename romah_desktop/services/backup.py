"""Backing up and restoring the local database, encrypted.

A backup is one file (a ZIP, stored without compression) holding an encrypted copy of the
database, made with SQLite's online backup while the app runs, and the laptop's key ring as it
was. Restoring it on the same laptop needs the signed-in administrator; restoring it on a new
laptop (the old one lost) needs a password of a user of the backup, or the recovery key, since
nothing else opens it. A backup made before encryption (plain SQLite) can still be restored on
its own laptop: it is encrypted as it comes in.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from db.engine import connect_encrypted
from db.files import make_private_folder, sync_folder
from db.migrate import needs_upgrade, upgrade
from db.models import Device
from romah_desktop import paths
from romah_desktop.encryption import export_encrypted
from romah_desktop.errors import AuthenticationError, RomahError
from romah_desktop.i18n import N_
from romah_desktop.keyring import KEYRING_FILE, Keyring
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.workspace import Workspace, is_plaintext

_DATABASE_MEMBER = paths.DATABASE_FILE
_KEYRING_MEMBER = KEYRING_FILE


def backup(workspace: Workspace, actor: Actor, target: Path) -> None:
    """Write an encrypted backup of the live database to `target`, even while it is in use.

    Raises PermissionDenied, or RomahError if the target exists.
    """
    actor.require(Permission.BACKUP)
    if target.exists():
        raise RomahError(N_("{name} already exists; choose a new file name."), name=str(target))
    with workspace.transaction() as session:
        audit.record(session, actor, "database.backup", "database")
    make_private_folder(target.parent)
    with _scratch(target.parent) as scratch:
        copy = scratch / _DATABASE_MEMBER
        workspace.backup_to(copy)
        partial = scratch / "backup.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
            archive.write(workspace.keyring.path, _KEYRING_MEMBER)
            archive.write(copy, _DATABASE_MEMBER)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    sync_folder(target.parent)


def restore(workspace: Workspace, actor: Actor, source: Path) -> None:
    """Replace the live database with the backup in `source`, made on this same laptop.

    Raises PermissionDenied, or RomahError for a missing file, a file that is not a Romah
    backup, or a backup of another laptop (its outbox and numbers would clash).
    """
    actor.require(Permission.BACKUP)
    with _scratch(workspace.data_dir) as scratch:
        copy = scratch / _DATABASE_MEMBER
        _database_of(source, copy)
        if is_plaintext(copy):
            _check_backup(source, copy, None, workspace.device_id())
            encrypted = scratch / "encrypted.db"
            export_encrypted(copy, encrypted, workspace.database_key)
            copy = encrypted
        else:
            _check_backup(source, copy, workspace.database_key, workspace.device_id())
        workspace.db.dispose()
        target = connect_encrypted(workspace.database_path, workspace.database_key)
        backup_db = connect_encrypted(copy, workspace.database_key, read_only=True)
        try:
            backup_db.backup(target)
        finally:
            backup_db.close()
            target.close()
    if needs_upgrade(workspace.db.engine):
        upgrade(workspace.db.engine)
    workspace.refresh_key_slots()
    with workspace.transaction() as session:
        enrolled = session.scalar(
            sa.select(Device.enrolled_at).where(Device.id == workspace.device_id())
        )
        if enrolled is None:
            audit.record(session, actor, "database.restore", "database")
        else:  # after the first sync has brought back this laptop's later events
            audit.defer(session, actor, "database.restore", "database")


def restore_on_new_laptop(
    data_dir: Path,
    source: Path,
    *,
    username: str | None = None,
    password: str | None = None,
    recovery_key: str | None = None,
) -> Workspace:
    """Make `data_dir` (which has no database) hold the laptop the backup in `source` was
    made on, opened with a password of one of its users or its recovery key.

    Raises RomahError for an existing database or a file that is not a Romah backup, and
    AuthenticationError for a password or recovery key that does not open it."""
    if Workspace.exists(data_dir):
        raise RomahError(N_("A Romah database already exists in {folder}."), folder=str(data_dir))
    make_private_folder(data_dir)
    with _scratch(data_dir) as scratch:
        copy = scratch / _DATABASE_MEMBER
        ring_copy = scratch / _KEYRING_MEMBER
        _database_of(source, copy, ring_copy)
        ring = Keyring.load(scratch)
        if recovery_key is not None:
            key = ring.open_with_recovery_key(recovery_key)
        elif username is not None and password is not None:
            key, _slot = ring.open_with_password(username, password)
        else:
            raise AuthenticationError(N_("Wrong user name or password."))
        connection = connect_encrypted(copy, key, read_only=True)
        try:
            connection.execute("SELECT count(*) FROM local_state").fetchone()
        except Exception as exc:
            raise RomahError(N_("{name} is not a Romah backup."), name=str(source)) from exc
        finally:
            connection.close()
        os.replace(copy, data_dir / paths.DATABASE_FILE)
        os.replace(ring_copy, Keyring.path_in(data_dir))
    sync_folder(data_dir)
    if recovery_key is not None:
        return Workspace.unlock_with_recovery_key(data_dir, recovery_key)
    assert username is not None and password is not None
    workspace, _actor = Workspace.unlock(data_dir, username, password)
    return workspace


@contextmanager
def _scratch(near: Path) -> Iterator[Path]:
    """A private temporary folder on the same disk as `near`, removed afterwards."""
    make_private_folder(near)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=near) as folder:
        os.chmod(folder, 0o700)
        yield Path(folder)


def _database_of(source: Path, copy: Path, ring_copy: Path | None = None) -> None:
    """Take the database (and the key ring) out of a backup file; a plain SQLite file (a
    backup made before encryption) is taken as it is."""
    if not source.exists():
        raise RomahError(N_("The file {name} was not found."), name=str(source))
    try:
        with zipfile.ZipFile(source) as archive:
            with archive.open(_DATABASE_MEMBER) as member, _private_file(copy) as out:
                shutil.copyfileobj(member, out)
            if ring_copy is not None:
                with archive.open(_KEYRING_MEMBER) as member, _private_file(ring_copy) as out:
                    shutil.copyfileobj(member, out)
        return
    except (zipfile.BadZipFile, KeyError) as exc:
        if ring_copy is None and source.is_file():
            with source.open("rb") as src, _private_file(copy) as out:
                shutil.copyfileobj(src, out)
            if is_plaintext(copy):
                return
        raise RomahError(N_("{name} is not a Romah backup."), name=str(source)) from exc


def _private_file(path: Path) -> BinaryIO:
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _check_backup(source: Path, copy: Path, database_key: bytes | None, device_id: str) -> None:
    """Refuse a copy that is not a Romah database of this laptop: `database_key` opens an
    encrypted one (None: a plain one made before encryption)."""
    try:
        if database_key is None:
            connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        else:
            connection = connect_encrypted(copy, database_key, read_only=True)
        try:
            found = connection.execute(
                "SELECT value FROM local_state WHERE key = 'device_id'"
            ).fetchone()
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except Exception as exc:
        if database_key is None:
            raise RomahError(N_("{name} is not a Romah backup."), name=str(source)) from exc
        found = None  # another key: a backup of another laptop
    if found is None or found[0] != device_id:
        raise RomahError(
            N_("{name} is a backup of another device; it cannot be restored here."),
            name=str(source),
        )
