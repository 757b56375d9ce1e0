"""A workspace is one laptop's local database in its data folder, with this device's context."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.engine import Database, create_engine, sqlite_url
from db.enums import Role
from db.ids import new_id
from db.local_state import local_value, set_local_value
from db.migrate import needs_upgrade, upgrade
from db.models import Branch, Device
from db.outbox import HLC_STATE_KEY, DeviceContext, from_json_values
from romah_desktop import paths, search
from romah_desktop.errors import RomahError, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.services import audit
from romah_desktop.services.context import (
    DEVICE_ID_KEY,
    Actor,
    this_device,
)
from romah_desktop.services.users import authenticate, create_user
from romah_desktop.validation import validate_text


class NotInitialised(RomahError):
    """There is no database in the data folder yet."""


class Workspace:
    """The local database of this laptop, opened with this device's context."""

    def __init__(self, data_dir: Path, db: Database) -> None:
        self.data_dir = data_dir
        self.db = db
        with db.session() as session:
            db.session_info["this_device"] = this_device(session)

    @property
    def database_path(self) -> Path:
        return self.data_dir / paths.DATABASE_FILE

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / paths.DATABASE_FILE).exists()

    @classmethod
    def open(cls, data_dir: Path) -> Workspace:
        """Open an initialised workspace, migrating it (after a backup) if the app is newer.

        Raises NotInitialised when the folder has no database.
        """
        path = data_dir / paths.DATABASE_FILE
        if not path.exists():
            raise NotInitialised(
                N_("There is no Romah database in {folder}. Run `romah init` first."),
                folder=str(data_dir),
            )
        engine = create_engine(sqlite_url(path))
        if needs_upgrade(engine):
            _migrate_with_backup(engine, path)
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT key, value FROM local_state").all()
        state: dict[str, str] = {key: value for key, value in rows}
        device_id = state.get(DEVICE_ID_KEY)
        if device_id is None:
            engine.dispose()
            raise NotInitialised(
                N_("The database in {folder} was never set up. Run `romah init` first."),
                folder=str(data_dir),
            )
        return cls(
            data_dir,
            laptop_database(engine, DeviceContext.new(device_id, state.get(HLC_STATE_KEY))),
        )

    @classmethod
    def create(
        cls,
        data_dir: Path,
        branch_code: str,
        branch_name: str,
        admin_username: str,
        admin_password: str,
        admin_full_name: str | None = None,
    ) -> Workspace:
        """Create the database by running the migrations, with this device, its branch and
        the first administrator. Raises RomahError if one exists already, ValidationError
        for bad input; leaves no database behind on failure."""
        code = branch_code.strip().upper()
        if not (2 <= len(code) <= 10 and code.isascii() and code.isalnum()):
            raise ValidationError(
                "branch", N_("The branch code is 2 to 10 Latin letters or digits, e.g. RYD.")
            )
        name = validate_text(branch_name, "branch_name", max_length=120, required=True)
        path = data_dir / paths.DATABASE_FILE
        if path.exists():
            raise RomahError(
                N_("A Romah database already exists in {folder}."), folder=str(data_dir)
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(sqlite_url(path))
        try:
            upgrade(engine)
            device_id = new_id()
            db = laptop_database(engine, DeviceContext.new(device_id))
            with db.transaction() as session:
                set_local_value(session, DEVICE_ID_KEY, device_id)
                branch = Branch(code=code, name=name)
                session.add(branch)
                session.flush()
                # The random tail of the UUIDv7 (not its time part) names the device in numbers.
                prefix = device_id[-4:].upper()
                session.add(
                    Device(id=device_id, branch_id=branch.id, name="standalone", prefix=prefix)
                )
                admin = create_user(
                    session,
                    admin_username,
                    admin_full_name or admin_username,
                    Role.HQ_ADMIN,
                    admin_password,
                    branch.id,
                )
                session.flush()
                audit.record(session, Actor.of(admin), "workspace.init", "branch", branch.id)
        except BaseException:
            engine.dispose()
            for leftover in data_dir.glob(paths.DATABASE_FILE + "*"):
                leftover.unlink()
            raise
        return cls(data_dir, db)

    @classmethod
    def create_enrolled(
        cls, data_dir: Path, device_id: str, prefix: str, name: str, branch: dict[str, Any]
    ) -> Workspace:
        """Create the database of a new laptop that HQ has just enrolled in `branch` (HQ's
        record of it). Its users and the rest arrive with the first sync."""
        path = data_dir / paths.DATABASE_FILE
        if path.exists():
            raise RomahError(
                N_("A Romah database already exists in {folder}."), folder=str(data_dir)
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(sqlite_url(path))
        try:
            upgrade(engine)
            db = laptop_database(engine, DeviceContext.new(device_id))
            with db.transaction() as session:
                set_local_value(session, DEVICE_ID_KEY, device_id)
                # HQ's record, as HQ holds it: not a change of this laptop's.
                values = from_json_values("branch", branch)
                session.execute(sa.insert(Branch).values(**values, field_versions={}))
                session.add(Device(id=device_id, branch_id=branch["id"], name=name, prefix=prefix))
        except BaseException:
            engine.dispose()
            for leftover in data_dir.glob(paths.DATABASE_FILE + "*"):
                leftover.unlink()
            raise
        return cls(data_dir, db)

    def login(self, username: str, password: str) -> Actor:
        return authenticate(self.db, username, password)

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
        self.db.dispose()


def _migrate_with_backup(engine: Engine, path: Path) -> None:
    """Back up the database before migrating; a failed migration restores it and says so."""
    backup = path.with_name(path.name + ".before-upgrade")
    online_backup(path, backup)
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


def online_backup(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
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
