"""A workspace is one laptop's local database in its data folder, with this device's context.

The database is encrypted (SQLCipher) with a random key that only the key ring
(romah_desktop/keyring.py) can give back, to a user's password or to the recovery key; the key
is held in memory while the workspace is open, and never written anywhere in clear.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import keys
from db.engine import Database, connect_encrypted, create_engine, encrypted_sqlite_url
from db.enums import Role
from db.files import make_private_folder
from db.ids import new_id
from db.local_state import local_value, set_local_value
from db.migrate import needs_upgrade, upgrade
from db.models import Branch, Device, User
from db.models.system import roles_of
from db.outbox import HLC_STATE_KEY, DeviceContext, from_json_values
from romah_desktop import paths, search, settings
from romah_desktop.encryption import Progress, encrypt_plaintext_workspace
from romah_desktop.errors import AuthenticationError, RomahError, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.keyring import Keyring, Slot, mark_stale, same_key, take_stale
from romah_desktop.permissions import Permission, allowed
from romah_desktop.services import audit
from romah_desktop.services.context import (
    DEVICE_ID_KEY,
    Actor,
    this_device,
)
from romah_desktop.services.library import seed_library
from romah_desktop.services.users import create_user, signed_in_user
from romah_desktop.validation import validate_text


class NotInitialised(RomahError):
    """There is no database in the data folder yet."""


class Workspace:
    """The local database of this laptop, opened with this device's context and its key."""

    def __init__(self, data_dir: Path, db: Database, keyring: Keyring, database_key: bytes) -> None:
        self.data_dir = data_dir
        self.db = db
        self.keyring = keyring
        self.database_key = database_key
        # Drafts, signatures and scans beside the database are encrypted with this.
        self.files = keys.FileCipher(database_key)
        db.session_info["file_cipher"] = self.files
        # Shown once, by whoever created the database; never stored in clear.
        self.recovery_key: str | None = None
        with db.session() as session:
            db.session_info["this_device"] = this_device(session)
        db.listen("after_flush", _note_user_changes)
        db.listen("after_commit", self._after_commit)
        # Users arrive by sync, and their passwords change at HQ or on other laptops; the
        # branch carries the lockout settings HQ sets.
        db.listen_to_sync(_KEY_RING_TABLES, self.refresh_key_slots)

    @property
    def database_path(self) -> Path:
        return self.data_dir / paths.DATABASE_FILE

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / paths.DATABASE_FILE).exists()

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def unlock(
        cls, data_dir: Path, username: str, password: str, progress: Progress | None = None
    ) -> tuple[Workspace, Actor]:
        """Open the database with a user's password and sign them in.

        A database made by a version without encryption is encrypted first (`progress` hears
        how far, 0.0 to 1.0). Raises NotInitialised for a folder without a database,
        AuthenticationError for a wrong name or password or a locked account.
        """
        path = _database_file(data_dir)
        recovery_key = None
        if is_plaintext(path):
            recovery_key = encrypt_plaintext_workspace(data_dir, username, password, progress)
        keyring = Keyring.load(data_dir)
        database_key, slot = keyring.open_with_password(username, password)
        workspace = cls._open(data_dir, keyring, database_key)
        try:
            actor = workspace._sign_in(slot, password)
        except BaseException:
            workspace.close()
            raise
        workspace.recovery_key = recovery_key
        return workspace, actor

    @classmethod
    def unlock_with_recovery_key(cls, data_dir: Path, recovery_key: str) -> Workspace:
        """Open the database with its recovery key (to set a forgotten password).

        Raises NotInitialised, or AuthenticationError for a key that does not open it."""
        _database_file(data_dir)
        keyring = Keyring.load(data_dir)
        return cls._open(data_dir, keyring, keyring.open_with_recovery_key(recovery_key))

    @classmethod
    def _open(cls, data_dir: Path, keyring: Keyring, database_key: bytes) -> Workspace:
        path = data_dir / paths.DATABASE_FILE
        engine = create_engine(encrypted_sqlite_url(path, database_key))
        try:
            if needs_upgrade(engine):
                _migrate_with_backup(engine, path, database_key)
            with engine.connect() as connection:
                rows = connection.exec_driver_sql("SELECT key, value FROM local_state").all()
                # The query planner's statistics, refreshed where they are missing or stale
                # (bounded: a few hundred rows an index): without them a branch-limited list
                # reads the whole branch, and every page read from an encrypted file costs.
                connection.exec_driver_sql("PRAGMA analysis_limit=400")
                connection.exec_driver_sql("PRAGMA optimize=0x10002")
        except BaseException:
            engine.dispose()
            raise
        state: dict[str, str] = {key: value for key, value in rows}
        device_id = state.get(DEVICE_ID_KEY)
        if device_id is None:
            engine.dispose()
            raise NotInitialised(
                N_("The database in {folder} was never set up. Run `romah init` first."),
                folder=str(data_dir),
            )
        db = laptop_database(engine, DeviceContext.new(device_id, state.get(HLC_STATE_KEY)))
        return cls(data_dir, db, keyring, database_key)

    # --- creating -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        data_dir: Path,
        branch_code: str,
        branch_name: str,
        admin_username: str,
        admin_password: str,
        admin_full_name: str | None = None,
        admin_role: Role = Role.HQ_ADMIN,
    ) -> Workspace:
        """Create the encrypted database by running the migrations, with this device, its
        branch and the first administrator (with `admin_role`: the window makes the branch's
        manager); `recovery_key` holds the new recovery key, to show once. Raises RomahError if
        one exists already, ValidationError for bad input; leaves nothing behind on failure."""
        code = branch_code.strip().upper()
        if not (2 <= len(code) <= 10 and code.isascii() and code.isalnum()):
            raise ValidationError(
                "branch", N_("The branch code is 2 to 10 Latin letters or digits, e.g. RYD.")
            )
        name = validate_text(branch_name, "branch_name", max_length=120, required=True)

        def fill(session: Session, device_id: str) -> None:
            branch = Branch(code=code, name=name)
            session.add(branch)
            session.flush()
            # The random tail of the UUIDv7 (not its time part) names the device in numbers.
            prefix = device_id[-4:].upper()
            session.add(Device(id=device_id, branch_id=branch.id, name="standalone", prefix=prefix))
            admin = create_user(
                session,
                admin_username,
                admin_full_name or admin_username,
                admin_role,
                admin_password,
                branch.id,
            )
            session.flush()
            audit.record(session, Actor.of(admin), "workspace.init", "branch", branch.id)

        workspace = cls._create(data_dir, new_id(), fill)
        try:
            # The staff's reference library starts with the policy and its four tools, published
            # by the first (and only) user (an enrolled laptop receives HQ's by sync instead).
            with workspace.transaction() as session:
                admin = session.scalars(sa.select(User).where(User.deleted_at.is_(None))).one()
                seed_library(session, Actor.of(admin))
        except BaseException:
            workspace.close()
            raise
        return workspace

    @classmethod
    def create_enrolled(
        cls, data_dir: Path, device_id: str, prefix: str, name: str, branch: dict[str, Any]
    ) -> Workspace:
        """Create the encrypted database of a new laptop that HQ has just enrolled in `branch`
        (HQ's record of it). Its users arrive with the first sync, which seals the database key
        to each of them; `recovery_key` holds the new recovery key, to show once."""

        def fill(session: Session, device_id: str) -> None:
            # HQ's record, as HQ holds it: not a change of this laptop's.
            values = from_json_values("branch", branch)
            session.execute(sa.insert(Branch).values(**values, field_versions={}))
            session.add(Device(id=device_id, branch_id=branch["id"], name=name, prefix=prefix))

        return cls._create(data_dir, device_id, fill)

    @classmethod
    def _create(
        cls, data_dir: Path, device_id: str, fill: Callable[[Session, str], None]
    ) -> Workspace:
        path = data_dir / paths.DATABASE_FILE
        if path.exists():
            raise RomahError(
                N_("A Romah database already exists in {folder}."), folder=str(data_dir)
            )
        make_private_folder(data_dir)
        database_key = keys.new_key()
        recovery_key = keys.new_recovery_key()
        # SQLite gives the write-ahead log and index the main file's mode: make it private first.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        engine = create_engine(encrypted_sqlite_url(path, database_key))
        try:
            with engine.connect() as connection:  # before the first table; VACUUM applies it
                connection.exec_driver_sql("PRAGMA auto_vacuum = INCREMENTAL").close()
                connection.exec_driver_sql("VACUUM").close()
            upgrade(engine)
            db = laptop_database(engine, DeviceContext.new(device_id))
            with db.transaction() as session:
                set_local_value(session, DEVICE_ID_KEY, device_id)
                fill(session, device_id)
            keyring = Keyring(Keyring.path_in(data_dir))
            keyring.set_recovery_key(database_key, recovery_key)
            workspace = cls(data_dir, db, keyring, database_key)
            workspace.refresh_key_slots()
        except BaseException:
            engine.dispose()
            for leftover in data_dir.glob(paths.DATABASE_FILE + "*"):
                leftover.unlink()
            Keyring.path_in(data_dir).unlink(missing_ok=True)
            raise
        workspace.recovery_key = recovery_key
        return workspace

    # --- signing in -----------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Actor:
        """Sign a user in on the open database (after the lock screen, or another user).

        The password is checked by opening that user's slot of the key ring.
        Raises AuthenticationError."""
        self.keyring = Keyring.load(self.data_dir)
        database_key, slot = self.keyring.open_with_password(username, password)
        if not same_key(database_key, self.database_key):
            raise AuthenticationError(N_("Wrong user name or password."))
        return self._sign_in(slot, password)

    def _sign_in(self, slot: Slot, password: str) -> Actor:
        previous = self.db.session_info.get("user_id")
        # Each change names who made it (HQ checks their rights): from now on, this user.
        self.db.session_info["user_id"] = slot.user_id
        try:
            with self.db.transaction() as session:
                user = signed_in_user(session, slot.user_id)
                stale = slot.legacy is None and (
                    user.public_key != slot.public_key
                    or user.private_key_box != slot.private_key_box
                )
                if slot.legacy is not None:
                    # The first sign-in since the database was encrypted: a key pair.
                    made = keys.new_user_keys(password)
                    user.public_key, user.private_key_box = made.public_key, made.private_key_box
                actor = Actor.of(user)
            self.refresh_key_slots()
            if stale:
                # The password was changed or reset elsewhere; the slot now holds the new one.
                raise AuthenticationError(
                    N_("Your password was changed elsewhere. Sign in with the new password.")
                )
        except BaseException:
            if previous is None:
                self.db.session_info.pop("user_id", None)
            else:
                self.db.session_info["user_id"] = previous
            raise
        return actor

    def refresh_key_slots(self) -> None:
        """Bring the key ring up to date with the users who may sign in here: seal the
        database key to users who arrived by sync or got a new key pair, take the new password
        box of a changed password, and drop users who were disabled, deleted or moved away."""
        with self.db.session() as session:
            branch_id = session.info["this_device"].branch_id
            users = session.execute(
                sa.select(
                    User.id,
                    User.username,
                    User.role,
                    User.extra_roles,
                    User.branch_id,
                    User.active,
                    User.deleted_at,
                    User.public_key,
                    User.private_key_box,
                    User.password_hash,
                )
            ).all()
            lockout = {
                "attempts": settings.get_int(session, "lockout_attempts"),
                "minutes": settings.get_int(session, "lockout_minutes"),
            }
            language = str(settings.get(session, "language"))
        changed = lockout != self.keyring.lockout or language != self.keyring.language
        self.keyring.lockout, self.keyring.language = lockout, language
        key = self.database_key
        permitted: set[str] = set()
        for user in users:
            if not (
                user.active
                and user.deleted_at is None
                and (
                    user.branch_id == branch_id
                    or allowed(roles_of(user.role, user.extra_roles), Permission.SEE_ALL_BRANCHES)
                )
            ):
                continue
            permitted.add(user.id)
            if user.public_key and user.private_key_box:
                changed |= self.keyring.admit(
                    key, user.id, user.username, user.public_key, user.private_key_box
                )
            else:
                changed |= self.keyring.admit_legacy(
                    key, user.id, user.username, user.password_hash
                )
        for user_id in set(self.keyring.slots) - permitted:
            changed |= self.keyring.remove(user_id)
        if changed or not self.keyring.path.exists():
            self.keyring.save()

    def _after_commit(self, session: Session) -> None:
        if take_stale(session):
            self.refresh_key_slots()

    # --- the rest -------------------------------------------------------------------------------

    def act_as(self, username: str) -> None:
        """Name `username` as the author of the changes made from now on (the recovery key
        opened the database: nobody signed in)."""
        with self.db.session() as session:
            user_id = session.scalar(
                sa.select(User.id).where(
                    User.username == username.strip().lower(), User.deleted_at.is_(None)
                )
            )
        if user_id is not None:
            self.db.session_info["user_id"] = user_id

    def replace_recovery_key(self) -> None:
        """A new recovery key (in `recovery_key`, to show once); the old one stops working."""
        recovery_key = keys.new_recovery_key()
        self.keyring = Keyring.load(self.data_dir)
        self.keyring.set_recovery_key(self.database_key, recovery_key)
        self.keyring.save()
        self.recovery_key = recovery_key

    def backup_to(self, target: Path) -> None:
        """A consistent encrypted copy of the live database at `target` (same key)."""
        online_backup(self.database_path, target, self.database_key)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.db.transaction() as session:
            yield session

    def device_id(self) -> str:
        with self.db.session() as session:
            value = local_value(session, DEVICE_ID_KEY)
        assert value is not None
        return value

    def close(self) -> None:
        self.db.session_info.pop("user_id", None)
        try:
            with self.db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA optimize")
        except sa.exc.DBAPIError:
            pass  # statistics are an optimisation: closing never fails for them
        self.db.dispose()


# What `refresh_key_slots` reads that a pull can change (this device's branch is read once,
# when the workspace opens).
_KEY_RING_TABLES = frozenset({User.__tablename__, Branch.__tablename__})


def _note_user_changes(session: Session, _flush_context: object) -> None:
    if any(isinstance(row, User) for row in (*session.new, *session.dirty, *session.deleted)):
        mark_stale(session)


def _database_file(data_dir: Path) -> Path:
    path = data_dir / paths.DATABASE_FILE
    if not path.exists():
        raise NotInitialised(
            N_("There is no Romah database in {folder}. Run `romah init` first."),
            folder=str(data_dir),
        )
    return path


_PLAIN_HEADER = b"SQLite format 3\x00"


def is_plaintext(path: Path) -> bool:
    """Whether the database file is plain SQLite (made before encryption)."""
    with path.open("rb") as handle:
        return handle.read(len(_PLAIN_HEADER)) == _PLAIN_HEADER


def _migrate_with_backup(engine: Engine, path: Path, database_key: bytes) -> None:
    """Back up the database before migrating; a failed migration restores it and says so."""
    backup = path.with_name(path.name + ".before-upgrade")
    online_backup(path, backup, database_key)
    try:
        upgrade(engine)
    except Exception as exc:
        engine.dispose()
        for journal in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            journal.unlink(missing_ok=True)
        shutil.copyfile(backup, path)
        raise RomahError(
            N_("Upgrading the database failed; it was restored from {backup}. ({reason})"),
            backup=str(backup),
            reason=str(exc),
        ) from exc


def online_backup(source: Path, target: Path, database_key: bytes) -> None:
    """Copy a live encrypted database consistently (SQLite's online backup), encrypted with
    the same key, to a new private file."""
    make_private_folder(target.parent)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    src = connect_encrypted(source, database_key)
    dst = connect_encrypted(target, database_key)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def laptop_database(engine: Engine, device: DeviceContext) -> Database:
    """The laptop's database, with the core's listeners on its sessions: the search index and
    the audit chain follow every write."""
    db = Database(engine, device)
    search.install(db)
    audit.install(db)
    return db
