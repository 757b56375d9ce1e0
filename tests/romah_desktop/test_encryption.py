"""A lost laptop reveals nothing: the database, its backups and its key ring at rest; the key
slots (add, change, reset, recover, lock out); and a plain workspace encrypted on first start."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner

from db import keys
from db.engine import connect_encrypted, create_engine, sqlite_url
from db.enums import Role
from db.local_state import set_local_value
from db.migrate import alembic_config, upgrade
from db.models import Beneficiary, Branch, Device, User
from db.outbox import DeviceContext
from romah_desktop.cli import main
from romah_desktop.errors import AuthenticationError, RomahError
from romah_desktop.keyring import Keyring
from romah_desktop.services.backup import backup, restore, restore_on_new_laptop
from romah_desktop.services.context import DEVICE_ID_KEY, Actor
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.users import add_user, change_password, create_user, reset_password
from romah_desktop.workspace import Workspace, laptop_database
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form

NAME = "هيفاء"
FAMILY = "الدوسري"


def register(ws: Workspace, actor: Actor, **overrides: str) -> str:
    form = person_form(first_name=NAME, family_name=FAMILY, **overrides)
    with ws.transaction() as session:
        register_beneficiary(session, actor, form, confirmed_not_duplicate=True)
    return form["national_id"]


def every_byte(folder: Path) -> bytes:
    """All the bytes under `folder`, as `strings -r` on a stolen disk would read them."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def cannot_read_with_plain_sqlite(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


# --- at rest ------------------------------------------------------------------------------------


def test_the_database_and_its_backup_reveal_nothing(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    national_id = register(workspace, admin)
    target = tmp_path / "backups" / "monday.romah"
    backup(workspace, admin, target)
    workspace.close()  # the write-ahead log goes back into the file
    cannot_read_with_plain_sqlite(workspace.database_path)
    data = every_byte(workspace.data_dir) + target.read_bytes()
    for secret in (national_id, NAME, FAMILY, ADMIN_PASSWORD):
        assert secret.encode("utf-8") not in data
    strings = subprocess.run(
        ["strings", "-n", "6", str(workspace.database_path), str(target)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert national_id not in strings
    # Only the owner can read any of it.
    for path in [workspace.data_dir, *workspace.data_dir.rglob("*"), target]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_the_key_ring_holds_no_key_in_clear(workspace: Workspace) -> None:
    text = Keyring.path_in(workspace.data_dir).read_text(encoding="utf-8")
    assert workspace.database_key.hex() not in text.lower()
    assert keys.sqlcipher_key(workspace.database_key) not in text
    assert json.loads(text)["slots"][0]["username"] == "admin"


def test_the_password_cost_is_rfc_9106s() -> None:
    assert keys.KdfParams() == keys.KdfParams(time_cost=3, memory_kib=65536, parallelism=4)
    box = json.loads(keys.new_user_keys("a password", keys.KdfParams()).private_key_box)
    assert (box["kdf"], box["t"], box["m"], box["p"]) == ("argon2id", 3, 65536, 4)


# --- key slots --------------------------------------------------------------------------------


def slots(ws: Workspace) -> dict[str, dict[str, object]]:
    data = json.loads(Keyring.path_in(ws.data_dir).read_text(encoding="utf-8"))
    return {s["username"]: s for s in data["slots"]}


def reopen(ws: Workspace, username: str, password: str) -> tuple[Workspace, Actor]:
    ws.close()
    return Workspace.unlock(ws.data_dir, username, password)


def test_an_added_user_opens_the_database_with_their_own_password(
    workspace: Workspace, admin: Actor
) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "noura", "نورة", Role.INTERVIEWER, "noura-pass-1")
    assert set(slots(workspace)) == {"admin", "noura"}
    reopened, actor = reopen(workspace, "noura", "noura-pass-1")
    try:
        assert actor.username == "noura" and actor.role is Role.INTERVIEWER
    finally:
        reopened.close()
    with pytest.raises(AuthenticationError):
        Workspace.unlock(workspace.data_dir, "noura", ADMIN_PASSWORD)


def test_a_password_change_rewraps_only_that_users_slot(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "noura", "نورة", Role.INTERVIEWER, "noura-pass-1")
    noura = workspace.login("noura", "noura-pass-1")
    before = slots(workspace)
    with workspace.transaction() as session, pytest.raises(AuthenticationError):
        change_password(session, noura, "not-her-password", "noura-pass-2")
    with workspace.transaction() as session:
        change_password(session, noura, "noura-pass-1", "noura-pass-2")
    after = slots(workspace)
    assert after["admin"] == before["admin"]
    assert after["noura"]["public_key"] == before["noura"]["public_key"]  # the same key pair
    assert after["noura"]["sealed_key"] == before["noura"]["sealed_key"]
    assert after["noura"]["private_key_box"] != before["noura"]["private_key_box"]
    with pytest.raises(AuthenticationError):
        workspace.login("noura", "noura-pass-1")
    reopened, actor = reopen(workspace, "noura", "noura-pass-2")
    reopened.close()
    assert actor.username == "noura"


def test_an_administrator_resets_a_forgotten_password_with_a_new_slot(
    workspace: Workspace, admin: Actor
) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "noura", "نورة", Role.INTERVIEWER, "noura-pass-1")
    before = slots(workspace)["noura"]
    with workspace.transaction() as session:
        reset_password(session, admin, "noura", "noura-new-1")
    after = slots(workspace)["noura"]
    assert after["public_key"] != before["public_key"]
    with pytest.raises(AuthenticationError):
        workspace.login("noura", "noura-pass-1")
    assert workspace.login("noura", "noura-new-1").username == "noura"
    # Only an administrator may.
    noura = workspace.login("noura", "noura-new-1")
    with workspace.transaction() as session, pytest.raises(RomahError):
        reset_password(session, noura, "admin", "taken-over-1")


def test_a_disabled_user_loses_their_slot(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "noura", "نورة", Role.INTERVIEWER, "noura-pass-1")
    with workspace.transaction() as session:
        user = session.scalars(sa.select(User).where(User.username == "noura")).one()
        user.active = False
    assert "noura" not in slots(workspace)
    with pytest.raises(AuthenticationError):
        reopen(workspace, "noura", "noura-pass-1")


def test_wrong_passwords_lock_even_a_fresh_start(workspace: Workspace) -> None:
    workspace.close()
    for _ in range(5):
        with pytest.raises(AuthenticationError) as wrong:
            Workspace.unlock(workspace.data_dir, "admin", "wrong-password")
        assert "locked" not in wrong.value.text("en")
    with pytest.raises(AuthenticationError) as locked:
        Workspace.unlock(workspace.data_dir, "admin", ADMIN_PASSWORD)
    assert "locked" in locked.value.text("en")


def test_the_recovery_key_opens_the_database_and_sets_a_new_admin_password(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["--data-dir", str(folder), "--json", "init", "--branch", "RYD", "--branch-name", "الرياض"]
        + ["--admin", "admin", "--recovery-sheet", str(tmp_path / "sheet.pdf")],
        env={"ROMAH_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )
    assert made.exit_code == 0, made.output
    recovery_key = json.loads(made.stdout)["recovery_key"]
    assert keys.normalize_recovery_key(recovery_key) == recovery_key
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")
    assert recovery_key not in Keyring.path_in(folder).read_text(encoding="utf-8")

    wrong = runner.invoke(
        main,
        ["--data-dir", str(folder), "--user", "admin", "unlock"],
        env={"ROMAH_RECOVERY_KEY": keys.new_recovery_key(), "ROMAH_NEW_PASSWORD": "x" * 10},
    )
    assert wrong.exit_code == 1 and len(wrong.stderr.strip().splitlines()) == 1
    # Typed as people type it: lower case, spaces instead of dashes.
    typed = recovery_key.lower().replace("-", " ")
    unlocked = runner.invoke(
        main,
        ["--data-dir", str(folder), "--user", "admin", "unlock"],
        env={"ROMAH_RECOVERY_KEY": typed, "ROMAH_NEW_PASSWORD": "admin-new-pass-2"},
    )
    assert unlocked.exit_code == 0, unlocked.output
    searched = runner.invoke(
        main,
        ["--data-dir", str(folder), "--user", "admin", "search", "x"],
        env={"ROMAH_PASSWORD": "admin-new-pass-2"},
    )
    assert searched.exit_code == 0, searched.output
    refused = runner.invoke(
        main,
        ["--data-dir", str(folder), "--lang", "en", "--user", "admin", "search", "x"],
        env={"ROMAH_PASSWORD": ADMIN_PASSWORD},
    )
    assert refused.exit_code == 1
    assert refused.stderr.strip() == "Wrong user name or password."


# --- backups ----------------------------------------------------------------------------------


def test_an_encrypted_backup_restores_on_the_same_laptop(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    kept = register(workspace, admin)
    target = tmp_path / "monday.romah"
    backup(workspace, admin, target)
    later = register(workspace, admin)
    restore(workspace, admin, target)
    with workspace.db.session() as session:
        ids = set(session.scalars(sa.select(Beneficiary.national_id)))
    assert kept in ids and later not in ids


def test_an_encrypted_backup_restores_on_a_new_laptop(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    kept = register(workspace, admin)
    recovery_key = workspace.recovery_key
    assert recovery_key is not None
    target = tmp_path / "monday.romah"
    backup(workspace, admin, target)
    device = workspace.device_id()
    workspace.close()

    new_laptop = tmp_path / "new-laptop"
    with pytest.raises(AuthenticationError):
        restore_on_new_laptop(new_laptop, target, username="admin", password="wrong-pass-1")
    assert not Workspace.exists(new_laptop)
    restored = restore_on_new_laptop(new_laptop, target, username="admin", password=ADMIN_PASSWORD)
    try:
        assert restored.device_id() == device
        with restored.db.session() as session:
            assert session.scalar(sa.select(Beneficiary.id).where(Beneficiary.national_id == kept))
    finally:
        restored.close()

    by_key = restore_on_new_laptop(tmp_path / "third", target, recovery_key=recovery_key)
    by_key.close()
    cannot_read_with_plain_sqlite(tmp_path / "third" / "romah.db")


def test_a_backup_of_another_laptop_is_refused(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    other = Workspace.create(tmp_path / "other", "JED", "جدة", "admin", ADMIN_PASSWORD)
    other_admin = other.login("admin", ADMIN_PASSWORD)
    backup(other, other_admin, tmp_path / "other.romah")
    other.close()
    with pytest.raises(RomahError) as refused:
        restore(workspace, admin, tmp_path / "other.romah")
    assert "another device" in refused.value.text("en")


# --- a workspace made before encryption -------------------------------------------------------


def make_plain_workspace(folder: Path) -> str:
    """A database as the version before encryption left it: plain SQLite at revision 0003,
    with an administrator and a clerk; returns a national ID registered in it."""
    folder.mkdir(parents=True)
    path = folder / "romah.db"
    engine = create_engine(sqlite_url(path))
    upgrade(engine)
    device_id = "0190a000-0000-7000-8000-00000000abcd"
    db = laptop_database(engine, DeviceContext.new(device_id))
    with db.transaction() as session:
        set_local_value(session, DEVICE_ID_KEY, device_id)
        branch = Branch(code="RYD", name="فرع الرياض")
        session.add(branch)
        session.flush()
        session.add(Device(id=device_id, branch_id=branch.id, name="old", prefix="ABCD"))
        admin = create_user(session, "admin", "المدير", Role.HQ_ADMIN, ADMIN_PASSWORD, branch.id)
        create_user(session, "clerk", "الموظفة", Role.INTERVIEWER, "clerk-pass-1", branch.id)
        session.flush()
        person = register_beneficiary(
            session,
            Actor.of(admin),
            person_form(first_name=NAME, family_name=FAMILY),
            confirmed_not_duplicate=True,
        )
        national_id = person.national_id
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    engine.dispose()
    return national_id


def test_a_plain_workspace_is_encrypted_at_its_first_sign_in(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    national_id = make_plain_workspace(folder)
    with pytest.raises(AuthenticationError):
        Workspace.unlock(folder, "admin", "wrong-password")
    seen: list[float] = []
    workspace, admin = Workspace.unlock(folder, "admin", ADMIN_PASSWORD, seen.append)
    try:
        assert admin.username == "admin"
        assert workspace.recovery_key is not None  # to show once
        assert seen and seen[-1] == 1.0 and seen == sorted(seen)
        with workspace.db.session() as session:
            found = session.scalar(
                sa.select(Beneficiary.first_name).where(Beneficiary.national_id == national_id)
            )
        assert found == NAME
        # The clerk, who has not signed in since, still can, with the same password.
        clerk = workspace.login("clerk", "clerk-pass-1")
        assert clerk.role is Role.INTERVIEWER
        assert slots(workspace)["clerk"]["legacy"] is None  # now a sealed slot
    finally:
        workspace.close()
    # The plain file and its journals are gone; the copy kept before the schema upgrade that
    # followed is encrypted too.
    assert {p.name for p in folder.glob("romah.db*")} <= {"romah.db", "romah.db.before-upgrade"}
    for path in folder.glob("romah.db*"):
        cannot_read_with_plain_sqlite(path)
    for secret in (national_id, NAME, FAMILY):
        assert secret.encode("utf-8") not in every_byte(folder)
    again, _ = Workspace.unlock(folder, "clerk", "clerk-pass-1")
    again.close()


def test_the_files_are_private(workspace: Workspace) -> None:
    assert stat.S_IMODE(os.stat(workspace.data_dir).st_mode) == 0o700
    for name in ("romah.db", "keyring.json"):
        assert stat.S_IMODE(os.stat(workspace.data_dir / name).st_mode) == 0o600


def test_a_backup_made_before_encryption_still_restores_on_its_laptop(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    kept = register(workspace, admin)
    # The old version's backup: the same laptop's database as a plain SQLite file.
    plain = tmp_path / "old-backup.db"
    connection = connect_encrypted(workspace.database_path, workspace.database_key)
    try:
        connection.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    finally:
        connection.close()
    later = register(workspace, admin)
    restore(workspace, admin, plain)
    with workspace.db.session() as session:
        ids = set(session.scalars(sa.select(Beneficiary.national_id)))
    assert kept in ids and later not in ids
    workspace.close()
    cannot_read_with_plain_sqlite(workspace.database_path)  # it came in encrypted
