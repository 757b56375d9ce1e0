"""Users: adding them, and signing in with argon2id hashes and a lockout after wrong passwords."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import Database
from db.enums import Role
from db.models import LoginFailure, User
from romah_desktop import settings
from romah_desktop.errors import AuthenticationError, Conflict, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.validation import validate_text

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,59}$")
MIN_PASSWORD_LENGTH = 8


def validate_username(value: str) -> str:
    """A login name: lowercase Latin letters, digits, dot, dash or underscore, 2–60 characters."""
    username = value.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            "username",
            N_(
                "A user name is 2 to 60 Latin letters, digits, dots, dashes or underscores, "
                "starting with a letter."
            ),
        )
    return username


def validate_password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password",
            N_("The password must have at least {count} characters."),
            count=MIN_PASSWORD_LENGTH,
        )
    return value


def hash_password(password: str) -> str:
    """The argon2id hash of a password that passes `validate_password` (also used by HQ)."""
    return _hasher.hash(validate_password(password))


def create_user(
    session: Session, username: str, full_name: str, role: Role, password: str, branch_id: str
) -> User:
    """Create a user without a permission check: for `init` and for `add_user` after its check."""
    username = validate_username(username)
    full_name = validate_text(full_name, "full_name", max_length=200, required=True)
    validate_password(password)
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict(N_("The user name {username} is already taken."), username=username)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        branch_id=branch_id,
        password_hash=_hasher.hash(password),
    )
    session.add(user)
    return user


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    branch_id: str | None = None,
) -> User:
    """Add a user to the actor's branch (or `branch_id`, for administrators who see all).

    Raises PermissionDenied, ValidationError or Conflict (name taken); writes nothing then.
    """
    actor.require(Permission.MANAGE_USERS)
    branch = branch_id or actor.branch_id
    actor.require_branch(branch)
    user = create_user(session, username, full_name, role, password, branch)
    session.flush()
    audit.record(session, actor, "user.add", "user_account", user.id, {"role": role.value})
    return user


def authenticate(db: Database, username: str, password: str) -> Actor:
    """Check a user's password and return them as the acting user.

    After `lockout_attempts` wrong passwords within `lockout_minutes`, the account is locked
    for `lockout_minutes` from the last of them, even for the right password.
    Raises AuthenticationError.
    """
    name = username.strip().lower()
    now = utcnow()
    with db.transaction() as session:
        attempts = settings.get_int(session, "lockout_attempts")
        window = timedelta(minutes=settings.get_int(session, "lockout_minutes"))
        recent = session.scalars(
            sa.select(LoginFailure.failed_at)
            .where(LoginFailure.username == name)
            .order_by(LoginFailure.failed_at.desc())
            .limit(attempts)
        ).all()
        # Attempts are not recorded while locked, so the newest failure is the one that locked.
        if (
            len(recent) == attempts
            and recent[0] - recent[-1] <= window
            and now < recent[0] + window
        ):
            remaining = recent[0] + window - now
            raise AuthenticationError(
                N_(
                    "This account is locked after too many wrong passwords. "
                    "Try again in {minutes} minutes."
                ),
                minutes=max(1, -(-int(remaining.total_seconds()) // 60)),
            )
        user = session.scalar(
            sa.select(User).where(
                User.username == name, User.active.is_(True), User.deleted_at.is_(None)
            )
        )
        if user is not None and _password_matches(user.password_hash, password):
            session.execute(sa.delete(LoginFailure).where(LoginFailure.username == name))
            return Actor.of(user)
        session.add(LoginFailure(username=name, failed_at=now))
    raise AuthenticationError(N_("Wrong user name or password."))


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
