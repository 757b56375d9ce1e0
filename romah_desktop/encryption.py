"""Encrypting a workspace made by a version of the app without encryption, at its first sign-in.

The steps, each safe to be cut short by a crash (the next start begins again from the plain file):

1. the password typed is checked against the plain database's own hash of it, so only a user
   of this laptop can start the change;
2. the plain database is checkpointed and copied, as it is, to ``romah.db.before-encryption``;
3. SQLCipher exports it into ``romah.db.encrypting`` under a new random key;
4. the encrypted copy is checked: its integrity, and every table holds as many rows as before;
5. the key ring is written: a legacy slot for every active user (their existing password opens
   it; db/keys.py `legacy_wrap`) and the new recovery key;
6. the encrypted copy replaces ``romah.db``; then the plain copy, the plain journals and older
   plain ``.before-upgrade`` copies are deleted, and plain drafts and attachments are encrypted.

On a solid-state disk a deleted file's blocks may survive until the disk reuses them; only full-
disk encryption of the laptop covers that, and the README says so.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db import keys
from db.engine import connect_encrypted
from db.files import sync_folder
from romah_desktop import paths
from romah_desktop.errors import AuthenticationError, RomahError
from romah_desktop.i18n import N_
from romah_desktop.keyring import Keyring

Progress = Callable[[float], None]


def encrypt_plaintext_workspace(
    data_dir: Path, username: str, password: str, progress: Progress | None = None
) -> str:
    """Encrypt the plain database in `data_dir` in place; return the new recovery key, to show
    once. Raises AuthenticationError for a wrong user name or
    password, RomahError if the encrypted copy does not check out (nothing is changed then)."""
    path = data_dir / paths.DATABASE_FILE
    _check_password(path, username, password)
    plain_copy = path.with_name(path.name + ".before-encryption")
    encrypting = path.with_name(path.name + ".encrypting")
    for leftover in (plain_copy, encrypting):
        leftover.unlink(missing_ok=True)
    counts = _checkpoint_and_copy(path, plain_copy)
    database_key = keys.new_key()
    export_encrypted(plain_copy, encrypting, database_key, progress)
    _check_copy(encrypting, database_key, counts)

    keyring = Keyring(Keyring.path_in(data_dir))
    recovery_key = keys.new_recovery_key()
    keyring.set_recovery_key(database_key, recovery_key)
    for user_id, name, password_hash in _active_users(plain_copy):
        keyring.admit_legacy(database_key, user_id, name, password_hash)
    keyring.save()

    os.replace(encrypting, path)
    sync_folder(data_dir)
    for plain in (
        plain_copy,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        path.with_name(path.name + ".before-upgrade"),
    ):
        plain.unlink(missing_ok=True)
    from romah_desktop.protection import encrypt_existing_files

    encrypt_existing_files(data_dir, keys.FileCipher(database_key))
    if progress is not None:
        progress(1.0)
    return recovery_key


def _check_password(path: Path, username: str, password: str) -> None:
    name = username.strip().lower()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT password_hash FROM user_account "
            "WHERE username = ? AND active AND deleted_at IS NULL",
            (name,),
        ).fetchone()
    finally:
        connection.close()
    try:
        if row is not None and PasswordHasher().verify(row[0], password):
            return
    except (VerificationError, InvalidHashError):
        pass
    raise AuthenticationError(N_("Wrong user name or password."))


def _checkpoint_and_copy(path: Path, copy: Path) -> dict[str, int]:
    """Copy the plain database (with what its log holds) to `copy`; return each table's rows."""
    os.close(os.open(copy, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    source = sqlite3.connect(path)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        return _row_counts(target)
    finally:
        target.close()
        source.close()


def _row_counts(connection: Any) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def export_encrypted(
    plain: Path, target: Path, database_key: bytes, progress: Progress | None = None
) -> None:
    """Write the plain database `plain` to `target`, encrypted with `database_key`."""
    import sqlcipher3

    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    total = max(plain.stat().st_size, 1)
    connection = sqlcipher3.connect(str(plain))
    try:
        if progress is not None:

            def report() -> int:
                progress(min(0.99, target.stat().st_size / total))
                return 0

            connection.set_progress_handler(report, 200_000)
        key = keys.sqlcipher_key(database_key)
        connection.execute(f'ATTACH DATABASE ? AS encrypted KEY "{key}"', (str(target),))
        connection.execute("PRAGMA encrypted.auto_vacuum = 2")  # incremental, as a new one
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()


def _check_copy(target: Path, database_key: bytes, counts: dict[str, int]) -> None:
    connection = connect_encrypted(target, database_key)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        found = _row_counts(connection)
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
    if problems != ["ok"] or found != counts:
        target.unlink(missing_ok=True)
        raise RomahError(
            N_("Encrypting the database failed; it was left as it was. ({reason})"),
            reason="; ".join(problems[:3]) if problems != ["ok"] else "row counts differ",
        )


def _active_users(plain: Path) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        return [
            (row[0], row[1], row[2])
            for row in connection.execute(
                "SELECT id, username, password_hash FROM user_account "
                "WHERE active AND deleted_at IS NULL"
            )
        ]
    finally:
        connection.close()
