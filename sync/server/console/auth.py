"""HQ's console users and their sessions.

Passwords are argon2id hashes (`db/keys.py`, as on the laptops). A session is a random token in
an HttpOnly cookie; HQ stores only its hash, with the session's CSRF token, and ends it after
`IDLE` without a request. Five failed sign-ins within fifteen minutes lock the account for
fifteen minutes (an administrator may unlock it sooner). The message for a wrong password and
for an unknown user is the same.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db.base import utcnow
from db.ids import new_id
from db.keys import hash_password
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.services.users import validate_password, validate_username
from romah_desktop.validation import validate_text
from sync.server.console.access import ConsoleRole
from sync.server.schema import hq_session, hq_user
from sync.server.store import Refused

IDLE = timedelta(minutes=30)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKED_FOR = timedelta(minutes=15)
# A session's last-seen time is written at most this often (not on every page).
TOUCH_EVERY = timedelta(seconds=30)

WRONG = N_("The user name or the password is wrong.")
LOCKED = N_(
    "This account is locked after too many failed sign-ins. Try again in {minutes} minutes, "
    "or ask an HQ administrator to unlock it."
)
DISABLED = N_("This account is disabled. Ask an HQ administrator.")

# Verifying against this when the user is unknown takes as long as for a known one.
_DUMMY_HASH = PasswordHasher().hash(secrets.token_hex(8))


@dataclass(frozen=True)
class ConsoleUser:
    id: str
    username: str
    full_name: str
    role: str
    csrf: str


class SignInRefused(Exception):
    """A sign-in that did not succeed; `text` is an N_ message, `params` its placeholders."""

    def __init__(self, text: str, **params: Any) -> None:
        super().__init__(text)
        self.text = text
        self.params = params


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=value.tzinfo or UTC)


def add_user(engine: sa.Engine, username: str, full_name: str, role: str, password: str) -> str:
    """Add an HQ console user; returns the id. Raises ValidationError for a malformed name
    or a short password, Refused for an unknown role or a name in use."""
    username = validate_username(username)
    validate_password(password)
    if role not in set(ConsoleRole):
        raise Refused(400, f"Unknown HQ role {role!r}.")
    user_id = new_id()
    with engine.begin() as connection:
        taken = connection.execute(
            sa.select(hq_user.c.id).where(hq_user.c.username == username)
        ).first()
        if taken:
            raise Refused(409, f"The user name {username} is taken.")
        connection.execute(
            sa.insert(hq_user).values(
                id=user_id,
                username=username,
                full_name=full_name.strip() or username,
                role=role,
                password_hash=hash_password(password),
                active=True,
                failures=0,
                created_at=utcnow(),
            )
        )
    return user_id


def users(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(hq_user).order_by(hq_user.c.username)).mappings()
        return [{k: v for k, v in r.items() if k != "password_hash"} for r in rows]


def update_user(connection: sa.Connection, user_id: str, **values: Any) -> None:
    """Change an HQ user's role, active flag, password (given in clear, stored hashed) or
    lock; a disabled user or a new password ends their sessions."""
    if "password" in values:
        values["password_hash"] = hash_password(validate_password(values.pop("password")))
    if "role" in values and values["role"] not in set(ConsoleRole):
        raise Refused(400, f"Unknown HQ role {values['role']!r}.")
    done = connection.execute(
        sa.update(hq_user).where(hq_user.c.id == user_id).values(**values)
    ).rowcount
    if not done:
        raise Refused(404, "There is no such HQ user.")
    if values.get("active") is False or "password_hash" in values:
        connection.execute(sa.delete(hq_session).where(hq_session.c.user_id == user_id))


def sign_in(engine: sa.Engine, username: str, password: str) -> tuple[str, ConsoleUser]:
    """A new session for the user; returns the cookie's token and the user. Raises
    SignInRefused for a wrong name or password, a locked or a disabled account."""
    now = utcnow()
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(hq_user).where(hq_user.c.username == username.strip().lower())
        ).one_or_none()
        if row is None:
            _matches(_DUMMY_HASH, password)
            raise SignInRefused(WRONG)
        locked_until = _aware(row.locked_until)
        if locked_until is not None and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() + 59) // 60)
            raise SignInRefused(LOCKED, minutes=minutes)
        if not _matches(row.password_hash, password):
            refusal = _count_failure(connection, row, now)
        elif not row.active:
            refusal = SignInRefused(DISABLED)
        else:
            refusal = None
    if refusal is not None:
        # Raised after the transaction above commits, so the failure counts.
        raise refusal
    with engine.begin() as connection:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        connection.execute(
            sa.update(hq_user)
            .where(hq_user.c.id == row.id)
            .values(failures=0, first_failure_at=None, locked_until=None)
        )
        connection.execute(
            sa.insert(hq_session).values(
                token_sha256=_hash(token),
                user_id=row.id,
                csrf=csrf,
                created_at=now,
                last_seen_at=now,
            )
        )
    return token, ConsoleUser(row.id, row.username, row.full_name, row.role, csrf)


def _count_failure(connection: sa.Connection, row: Any, now: datetime) -> SignInRefused:
    """Count a failed sign-in (locking the account at the fifth within the window); the
    refusal to give."""
    first = _aware(row.first_failure_at)
    fresh = first is None or now - first > FAILURE_WINDOW
    failures = 1 if fresh else row.failures + 1
    values: dict[str, Any] = {"failures": failures, "first_failure_at": now if fresh else first}
    locked = failures >= MAX_FAILURES
    if locked:
        values.update(locked_until=now + LOCKED_FOR, failures=0, first_failure_at=None)
    connection.execute(sa.update(hq_user).where(hq_user.c.id == row.id).values(**values))
    if locked:
        return SignInRefused(LOCKED, minutes=int(LOCKED_FOR.total_seconds()) // 60)
    return SignInRefused(WRONG)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_user(engine: sa.Engine, token: str | None) -> ConsoleUser | None:
    """The signed-in user behind a session cookie, or None for no, an unknown, an idle or a
    disabled user's session (an idle one is ended)."""
    if not token:
        return None
    now = utcnow()
    key = _hash(token)
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(hq_session, hq_user)
            .join(hq_user, hq_user.c.id == hq_session.c.user_id)
            .where(hq_session.c.token_sha256 == key)
        ).one_or_none()
    if found is None:
        return None
    last_seen = _aware(found.last_seen_at)
    assert last_seen is not None
    if now - last_seen > IDLE or not found.active:
        sign_out(engine, token)
        return None
    if now - last_seen > TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(
                sa.update(hq_session)
                .where(hq_session.c.token_sha256 == key)
                .values(last_seen_at=now)
            )
    return ConsoleUser(found.user_id, found.username, found.full_name, found.role, found.csrf)


def sign_out(engine: sa.Engine, token: str) -> None:
    with engine.begin() as connection:
        connection.execute(sa.delete(hq_session).where(hq_session.c.token_sha256 == _hash(token)))


# -- administration from the console ------------------------------------------------------


def form_user(
    connection: sa.Connection, username: str, full_name: str, role: str, password: str
) -> tuple[str, str]:
    """Add an HQ console user in `connection`'s transaction (beside its audit row); returns
    the id and the user name. Raises FormErrors naming every wrong field."""
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}
    checks: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("username", lambda: validate_username(username)),
        ("full_name", lambda: validate_text(full_name, "full_name", max_length=120, required=True)),
        ("role", lambda: console_role(role)),
        ("password", lambda: validate_password(password)),
    )
    for field, check in checks:
        try:
            values[field] = check()
        except ValidationError as exc:
            errors.append(exc)
    if "username" in values:
        taken = connection.execute(
            sa.select(hq_user.c.id).where(hq_user.c.username == values["username"])
        ).first()
        if taken:
            errors.append(
                ValidationError(
                    "username",
                    N_("The user name {username} is already taken."),
                    username=values["username"],
                )
            )
    if errors:
        raise FormErrors(errors)
    user_id = new_id()
    connection.execute(
        sa.insert(hq_user).values(
            id=user_id,
            username=values["username"],
            full_name=values["full_name"],
            role=values["role"],
            password_hash=hash_password(values["password"]),
            active=True,
            failures=0,
            created_at=utcnow(),
        )
    )
    return user_id, str(values["username"])


def console_role(value: str, field: str = "role") -> str:
    """An HQ role's value; raises ValidationError for anything else."""
    if value not in set(ConsoleRole):
        raise ValidationError(field, N_("Please choose one of the options in the list."))
    return value


def user_by_id(engine: sa.Engine, user_id: str) -> dict[str, Any] | None:
    """One HQ console user (without the password's hash), or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(hq_user).where(hq_user.c.id == user_id)).mappings()
        found = row.one_or_none()
    return None if found is None else {k: v for k, v in found.items() if k != "password_hash"}


def is_locked(user: dict[str, Any]) -> bool:
    """Whether an HQ user (as `users` gives it) is locked out now."""
    locked_until = _aware(user.get("locked_until"))
    return locked_until is not None and locked_until > utcnow()
