"""Who may write what at HQ: the user who made a pushed change, checked by the laptop's own
permission matrix (`romah_desktop/permissions.py`).

A laptop's token proves the laptop, not its user's rights: every change names the user signed
in when it was made (`Change.u`), and HQ looks that user up in its own store. Users are changed
only by a role that manages users, in a branch it reaches, granting only roles it may grant; a
user may change their own password and key pair. Reference documents only come from roles that
publish them. A change to these records without a user (an older laptop) or by a user HQ does
not know is refused; any change by a user disabled at HQ, or of another branch, is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from db.enums import Role
from db.models.system import roles_of
from romah_desktop.permissions import Permission, allowed, may_grant
from sync.merge import META_FIELDS
from sync.protocol import PushedChange
from sync.server.store import Batch, DeviceAuth, Row

USERS = "user_account"
# Records every branch receives, and the permission publishing them takes.
SHARED = {"reference_document": Permission.PUBLISH_REFERENCE}
# What a user may change in their own record: a new password, their first key pair.
OWN_FIELDS = frozenset({"password_hash", "private_key_box", "public_key"})


def acting_users(changes: Iterable[PushedChange]) -> set[tuple[str, str]]:
    """The user records HQ needs to judge `changes` (to load with the batch's rows)."""
    return {(USERS, c.u) for c in changes if c.u is not None}


def refusal(device: DeviceAuth, change: PushedChange, batch: Batch) -> str | None:
    """Why `change` may not be written by the user it names, or None when it may."""
    guarded = change.t == USERS or change.t in SHARED
    if change.u is None:
        if guarded:
            return (
                f"A change to {change.t} must name the signed-in user who made it "
                "(update the laptop's Romah and sync again)."
            )
        return None
    user = batch.rows.get((USERS, change.u))
    if user is None:
        # A user HQ never had: one a laptop made while it worked alone, before it enrolled.
        # Their records are taken as an older laptop's (no more trust than naming no one).
        if guarded:
            return "The user who made the change is not known at HQ."
        return None
    if user.data.get("deleted_at") is not None or not user.data.get("active", True):
        return "The user who made the change is disabled or deleted at HQ."
    if _role(user.data.get("role")) is None:
        return "The user who made the change has no valid role at HQ."
    # A user holding several roles has the rights of all of them.
    role = roles_of(user.data.get("role"), user.data.get("extra_roles"))
    sees_all = allowed(role, Permission.SEE_ALL_BRANCHES)
    if not sees_all and user.data.get("branch_id") != device.branch_id:
        return "The user who made the change belongs to another branch than this laptop."
    if change.t in SHARED:
        needed = SHARED[change.t]
        if not allowed(role, needed):
            return f"The role {_named(role)} may not change {change.t} records."
        return None
    if change.t == USERS:
        return _user_refusal(change, role, user, batch.rows.get((USERS, change.r)))
    return None


def _user_refusal(
    change: PushedChange, role: frozenset[Role], user: Row, target: Row | None
) -> str | None:
    fields = set(change.c) - META_FIELDS
    if change.r == change.u and change.o == "u" and fields <= OWN_FIELDS:
        return None  # their own password or key pair
    if not allowed(role, Permission.MANAGE_USERS):
        return f"The role {_named(role)} may not change user accounts."
    sees_all = allowed(role, Permission.SEE_ALL_BRANCHES)
    # Every role the change gives and every role the user held: each must be the actor's to grant.
    roles: list[Any] = [change.c["role"]] if "role" in change.c else []
    roles.extend(_listed(change.c.get("extra_roles")))
    branches: list[Any] = [change.c["branch_id"]] if "branch_id" in change.c else []
    if target is not None:
        roles.append(target.data.get("role"))
        roles.extend(_listed(target.data.get("extra_roles")))
        branches.append(target.data.get("branch_id"))
    elif not roles or not branches:
        return "A new user account needs its role and branch."
    if not sees_all and any(b != user.data.get("branch_id") for b in branches):
        return f"The role {_named(role)} may not manage users of another branch."
    for value in roles:
        granted = _role(value)
        if granted is None or not may_grant(role, granted):
            return f"The role {_named(role)} may not grant the role {value}."
    return None


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _named(roles: frozenset[Role]) -> str:
    return "+".join(sorted(role.value for role in roles))


def _role(value: Any) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None
