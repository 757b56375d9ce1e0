"""Tests of users: signing in, the lockout after wrong passwords, and how passwords are kept."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.enums import Role
from db.models import AuditEvent, OutboxEntry, User
from romah_desktop import keyring, settings
from romah_desktop.errors import AuthenticationError, Conflict, ValidationError
from romah_desktop.services.context import Actor
from romah_desktop.services.users import add_user
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD

LOCKOUT_MINUTES = 15  # the default of the lockout_minutes setting


def sign_in_error(ws: Workspace, username: str, password: str) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as caught:
        ws.login(username, password)
    return caught.value


def fail_at(ws: Workspace, username: str, *when: datetime) -> None:
    """Record failed sign-ins at the given times, as wrong passwords typed then would have."""
    ring = keyring.Keyring.load(ws.data_dir)
    ring.failures[username] = ring.failures.get(username, []) + [t.isoformat() for t in when]
    ring.save()


def freeze_time(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    """Make the sign-in service see `now` as the current time."""
    monkeypatch.setattr(keyring, "utcnow", lambda: now)


def is_locked(error: AuthenticationError) -> bool:
    return "locked" in error.text("en")


# --- signing in -----------------------------------------------------------------------------


def test_the_right_password_signs_in(workspace: Workspace) -> None:
    actor = workspace.login("admin", ADMIN_PASSWORD)
    assert actor.username == "admin"
    assert actor.role is Role.HQ_ADMIN


def test_the_user_name_ignores_case_and_surrounding_spaces(workspace: Workspace) -> None:
    assert workspace.login("  Admin ", ADMIN_PASSWORD).username == "admin"


def test_a_wrong_password_is_refused_like_an_unknown_user(workspace: Workspace) -> None:
    wrong_password = sign_in_error(workspace, "admin", ADMIN_PASSWORD + "x")
    unknown_user = sign_in_error(workspace, "nobody", ADMIN_PASSWORD)
    # The message does not tell an attacker which of the two was wrong.
    assert wrong_password.text("en") == unknown_user.text("en")
    assert wrong_password.text("ar") == unknown_user.text("ar")
    assert not is_locked(wrong_password)


def test_an_inactive_or_deleted_user_cannot_sign_in(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        clerk = add_user(session, admin, "clerk", "موظف", Role.INTERVIEWER, "password-1")
        clerk.active = False
    sign_in_error(workspace, "clerk", "password-1")
    with workspace.transaction() as session:
        row = session.get(User, clerk.id)
        assert row is not None
        row.active, row.deleted_at = True, utcnow()
    sign_in_error(workspace, "clerk", "password-1")


# --- the lockout ----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(workspace: Workspace) -> None:
    for _ in range(5):
        assert not is_locked(sign_in_error(workspace, "admin", "wrong-password"))
    locked = sign_in_error(workspace, "admin", ADMIN_PASSWORD)  # even the right password
    assert is_locked(locked)
    assert str(LOCKOUT_MINUTES) in locked.text("en")
    assert str(LOCKOUT_MINUTES) in locked.text("ar")
    # Another user is not locked out by the attempts on this one.
    sign_in_error(workspace, "nobody", "x")


def test_four_wrong_passwords_do_not_lock_and_a_success_starts_again(
    workspace: Workspace,
) -> None:
    now = utcnow()
    fail_at(workspace, "admin", *[now - timedelta(seconds=s) for s in range(4)])
    workspace.login("admin", ADMIN_PASSWORD)
    # The earlier failures are forgotten: four more still do not lock.
    fail_at(workspace, "admin", *[now for _ in range(4)])
    workspace.login("admin", ADMIN_PASSWORD)


def test_wrong_passwords_count_for_the_lowercased_user_name(workspace: Workspace) -> None:
    for name in ("ADMIN", "Admin", " admin", "aDmin", "admin "):
        sign_in_error(workspace, name, "wrong-password")
    assert is_locked(sign_in_error(workspace, "admin", ADMIN_PASSWORD))


def test_the_lock_ends_after_lockout_minutes(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked_at = utcnow()
    fail_at(workspace, "admin", *[locked_at] * 5)
    freeze_time(monkeypatch, locked_at + timedelta(minutes=LOCKOUT_MINUTES - 1))
    assert is_locked(sign_in_error(workspace, "admin", ADMIN_PASSWORD))
    freeze_time(monkeypatch, locked_at + timedelta(minutes=LOCKOUT_MINUTES, seconds=1))
    assert workspace.login("admin", ADMIN_PASSWORD).username == "admin"


def test_old_failures_do_not_count(workspace: Workspace) -> None:
    long_ago = utcnow() - timedelta(minutes=LOCKOUT_MINUTES + 1)
    fail_at(workspace, "admin", *[long_ago] * 10)
    assert workspace.login("admin", ADMIN_PASSWORD).username == "admin"


def test_the_lock_lasts_lockout_minutes_from_the_failure_that_locked_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    fail_at(workspace, "admin", *[now - timedelta(minutes=LOCKOUT_MINUTES - 1)] * 4, now)
    freeze_time(monkeypatch, now)
    assert is_locked(sign_in_error(workspace, "admin", ADMIN_PASSWORD))
    freeze_time(monkeypatch, now + timedelta(minutes=2))
    assert is_locked(sign_in_error(workspace, "admin", ADMIN_PASSWORD))


def test_the_lockout_follows_its_settings(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with workspace.transaction() as session:
        settings.put(session, "lockout_attempts", 3)
        settings.put(session, "lockout_minutes", 5)
    now = utcnow()
    fail_at(workspace, "admin", *[now] * 3)
    freeze_time(monkeypatch, now + timedelta(minutes=4))
    locked = sign_in_error(workspace, "admin", ADMIN_PASSWORD)
    assert is_locked(locked) and "in 1 minutes" in locked.text("en")  # what is left of 5
    freeze_time(monkeypatch, now + timedelta(minutes=5, seconds=1))
    workspace.login("admin", ADMIN_PASSWORD)


# --- passwords at rest ----------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes_only(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "clerk", "موظف", Role.INTERVIEWER, "clerk-secret-9")
    with workspace.db.session() as session:
        hashes = {
            row.username: row.password_hash
            for row in session.execute(sa.select(User.username, User.password_hash))
        }
        shipped = list(
            session.scalars(
                sa.select(OutboxEntry.changes).where(OutboxEntry.table_name == "user_account")
            )
        )
    assert set(hashes) == {"admin", "clerk"}
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert hashes["admin"] != hashes["clerk"]
    assert ADMIN_PASSWORD not in hashes["admin"] and "clerk-secret-9" not in hashes["clerk"]
    # What syncs is the hash, never the password.
    assert sorted(c["password_hash"] for c in shipped) == sorted(hashes.values())
    workspace.close()  # so that the WAL is written back into the file
    files = sorted(workspace.data_dir.glob("romah.db*"))
    assert files
    for path in files:
        content = path.read_bytes()
        assert ADMIN_PASSWORD.encode() not in content
        assert b"clerk-secret-9" not in content


def test_the_same_password_gets_a_different_hash_each_time(
    workspace: Workspace, admin: Actor
) -> None:
    with workspace.transaction() as session:
        one = add_user(session, admin, "clerk.one", "موظف", Role.INTERVIEWER, ADMIN_PASSWORD)
    with workspace.db.session() as session:
        admin_hash = session.scalar(sa.select(User.password_hash).where(User.username == "admin"))
    assert one.password_hash != admin_hash  # salted


# --- adding users ---------------------------------------------------------------------------


def test_an_added_user_signs_in_with_their_role_and_branch(
    workspace: Workspace, admin: Actor
) -> None:
    with workspace.transaction() as session:
        add_user(session, admin, "Researcher.1", "باحثة", Role.SOCIAL_RESEARCHER, "password-1")
    actor = workspace.login("researcher.1", "password-1")
    assert actor.role is Role.SOCIAL_RESEARCHER
    assert actor.branch_id == admin.branch_id
    assert actor.full_name == "باحثة"
    with workspace.db.session() as session:
        last = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.device_seq.desc())).first()
    assert last is not None
    assert (last.action, last.entity_id, last.details) == (
        "user.add",
        actor.user_id,
        {"role": "social_researcher"},
    )


BAD_NEW_USERS: list[tuple[str, str, type[Exception]]] = [
    ("admin", "password-1", Conflict),  # taken
    (" ADMIN ", "password-1", Conflict),  # taken, written differently
    ("clerk", "short", ValidationError),
    ("1clerk", "password-1", ValidationError),
    ("موظف", "password-1", ValidationError),
    ("c", "password-1", ValidationError),
]


def test_a_bad_new_user_is_refused_and_nothing_is_written(
    workspace: Workspace, admin: Actor
) -> None:
    def state() -> list[int]:
        with workspace.db.session() as session:
            return [
                session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
                for model in (User, AuditEvent, OutboxEntry)
            ]

    before = state()
    for username, password, error in BAD_NEW_USERS:
        with workspace.transaction() as session, pytest.raises(error):
            add_user(session, admin, username, "موظف", Role.INTERVIEWER, password)
    assert state() == before
