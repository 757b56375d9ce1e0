"""Users: adding them, their passwords and key pairs, and who may be signed in.

A password is checked by opening the user's slot of the laptop's key ring (romah_desktop/
keyring.py), which also keeps the lockout; the user record carries the user's key pair (the
private key under the password, db/keys.py) and an argon2id hash of the password for HQ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db import keys
from db.enums import Role
from db.models import User
from romah_desktop.errors import (
    AuthenticationError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from romah_desktop.grammar import CHARACTER, Count
from romah_desktop.i18n import N_
from romah_desktop.keyring import Keyring
from romah_desktop.permissions import Permission, may_grant, roles_label
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.validation import validate_text

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
            N_("The password must have at least {count}."),
            count=Count(MIN_PASSWORD_LENGTH, CHARACTER, oblique=True),
        )
    return value


def user_credentials(password: str) -> keys.Credentials:
    """The hash and key pair of a password that passes `validate_password` (also for HQ)."""
    return keys.credentials(validate_password(password))


def create_user(
    session: Session,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    branch_id: str,
    extra_roles: Iterable[Role] = (),
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
        extra_roles=stored_extra_roles(role, extra_roles),
        branch_id=branch_id,
        **keys.credentials(password).values(),
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
    extra_roles: Iterable[Role] = (),
) -> User:
    """Add a user to the actor's branch (or `branch_id`, for administrators who see all), with
    their main role and any further ones.

    Raises PermissionDenied, ValidationError or Conflict (name taken); writes nothing then.
    """
    actor.require(Permission.MANAGE_USERS)
    branch = branch_id or actor.branch_id
    actor.require_branch(branch)
    extras = frozenset(extra_roles)
    for granted in extras | {role}:
        require_grant(actor, granted)
    user = create_user(session, username, full_name, role, password, branch, extras)
    session.flush()
    details: dict[str, object] = {"role": role.value}
    if user.extra_roles:
        details["extra_roles"] = user.extra_roles
    audit.record(session, actor, "user.add", "user_account", user.id, details)
    return user


def stored_extra_roles(role: Role, extra_roles: Iterable[Role]) -> list[str] | None:
    """A user's further roles as their record keeps them: distinct, without the main role, in
    the matrix's order; None for none (what older records hold)."""
    chosen = set(extra_roles) - {role}
    return [r.value for r in Role if r in chosen] or None


def signed_in_user(session: Session, user_id: str) -> User:
    """The user a key-ring slot belongs to, if they may still sign in; raises
    AuthenticationError for a disabled or deleted account (the slot is then removed)."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.deleted_at is not None:
        raise AuthenticationError(N_("Wrong user name or password."))
    return user


def change_password(session: Session, actor: Actor, old_password: str, new_password: str) -> None:
    """Change the signed-in user's own password: the same key pair under the new password, so
    only their slot of each laptop's key ring changes.

    Raises AuthenticationError for a wrong old password, ValidationError for a short new one."""
    validate_password(new_password)
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound(N_("The user was not found."))
    try:
        if user.private_key_box is None:
            raise keys.WrongKey("no key pair")
        private_key = keys.open_private_key(user.private_key_box, old_password)
    except keys.WrongKey as exc:
        raise AuthenticationError(N_("The current password is wrong.")) from exc
    user.private_key_box = keys.rewrap_private_key(private_key, new_password)
    user.password_hash = keys.hash_password(new_password)
    session.flush()
    audit.record(session, actor, "user.password", "user_account", user.id)


def reset_password(session: Session, actor: Actor | None, username: str, new_password: str) -> User:
    """Give a user a new password (they forgot theirs): a new key pair, so every laptop seals
    its database key to it again at its next signed-in sync. `actor` is the administrator, or
    None when the recovery key opened the database.

    Raises PermissionDenied, NotFound or ValidationError; writes nothing then."""
    validate_password(new_password)
    user = session.scalar(
        sa.select(User).where(User.username == username.strip().lower(), User.deleted_at.is_(None))
    )
    if user is None:
        raise NotFound(N_("There is no user named {username}."), username=username)
    if actor is not None:
        _require_manages(actor, user)
    made = keys.credentials(new_password)
    user.password_hash, user.public_key = made.password_hash, made.public_key
    user.private_key_box = made.private_key_box
    session.flush()
    audit.record(session, actor or Actor.of(user), "user.reset_password", "user_account", user.id)
    return user


# --- looking after a branch's users (the window's Users page; HQ checks the same rule) -------


@dataclass(frozen=True)
class UserRow:
    """A user as the users list shows them; `locked_until` is set while wrong passwords lock
    them out on this laptop."""

    id: str
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    extra_roles: frozenset[Role] = frozenset()

    @property
    def locked(self) -> bool:
        return self.locked_until is not None

    @property
    def roles(self) -> frozenset[Role]:
        return self.extra_roles | {self.role}


def require_grant(actor: Actor, role: Role) -> None:
    """Raise PermissionDenied unless the actor may give (or manage a user with) `role`."""
    if not may_grant(actor.roles, role):
        raise PermissionDenied(
            N_("Your role ({role}) may not give or manage the role {granted}."),
            role=actor.role if not actor.extra_roles else roles_label(actor.roles),
            granted=role,
        )


def _require_manages(actor: Actor, user: User) -> None:
    actor.require(Permission.MANAGE_USERS)
    actor.require_branch(user.branch_id)
    for role in user.roles:
        require_grant(actor, role)


def _user_named(session: Session, username: str) -> User:
    user = session.scalar(
        sa.select(User).where(User.username == username.strip().lower(), User.deleted_at.is_(None))
    )
    if user is None:
        raise NotFound(N_("There is no user named {username}."), username=username)
    return user


def _not_yourself(actor: Actor, user: User) -> None:
    if user.id == actor.user_id:
        raise Conflict(
            N_("You cannot change your own role or disable yourself; another administrator can.")
        )


def list_users(
    session: Session, actor: Actor, keyring: Keyring, now: datetime | None = None
) -> list[UserRow]:
    """The users of the actor's branch (every branch's for a role that sees all), by name,
    with whether wrong passwords lock them out on this laptop (from `keyring`)."""
    actor.require(Permission.MANAGE_USERS)
    query = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.full_name, User.username)
    branch = actor.visible_branch()
    if branch is not None:
        query = query.where(User.branch_id == branch)
    return [
        UserRow(
            user.id,
            user.username,
            user.full_name,
            user.role,
            user.active,
            keyring.locked_until(user.username, now),
            user.roles - {user.role},
        )
        for user in session.scalars(query)
    ]


def change_role(
    session: Session,
    actor: Actor,
    username: str,
    role: Role,
    extra_roles: Iterable[Role] | None = None,
) -> User:
    """Give a user another main role and, unless `extra_roles` is None (their further roles
    kept), these further roles. Raises PermissionDenied (a role the actor may not give or
    manage), NotFound, or Conflict for the actor's own roles; writes nothing then."""
    actor.require(Permission.MANAGE_USERS)
    user = _user_named(session, username)
    _not_yourself(actor, user)
    _require_manages(actor, user)
    extras = user.roles - {user.role} if extra_roles is None else frozenset(extra_roles)
    for granted in extras | {role}:
        require_grant(actor, granted)
    stored = stored_extra_roles(role, extras)
    if user.role is role and (user.extra_roles or None) == stored:
        return user
    before, before_extra = user.role, user.extra_roles or []
    user.role, user.extra_roles = role, stored
    session.flush()
    audit.record(
        session,
        actor,
        "user.role",
        "user_account",
        user.id,
        {
            "from": before.value,
            "to": role.value,
            "extra_from": before_extra,
            "extra_to": stored or [],
        },
    )
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Disable a user (they can no longer sign in on any laptop; nothing of theirs is deleted)
    or enable them again. Raises PermissionDenied, NotFound, or Conflict for the actor
    themselves; writes nothing then."""
    actor.require(Permission.MANAGE_USERS)
    user = _user_named(session, username)
    _not_yourself(actor, user)
    _require_manages(actor, user)
    if user.active == active:
        return user
    user.active = active
    session.flush()
    action = "user.enable" if active else "user.disable"
    audit.record(session, actor, action, "user_account", user.id)
    return user


def unlock_user(session: Session, actor: Actor, keyring: Keyring, username: str) -> User:
    """End a user's lockout after wrong passwords on this laptop (kept in its key ring).
    Raises PermissionDenied or NotFound; changes nothing then."""
    user = _user_named(session, username)
    _require_manages(actor, user)
    keyring.unlock(user.username)
    audit.record(session, actor, "user.unlock", "user_account", user.id)
    return user
