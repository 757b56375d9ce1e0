"""The acting user, and the facts about this device that services need."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import Role
from db.local_state import local_value
from db.models import Branch, Device, User
from romah_desktop.errors import PermissionDenied
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission, allowed, require

DEVICE_ID_KEY = "device_id"


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service acts."""

    user_id: str
    username: str
    full_name: str
    role: Role
    branch_id: str
    # The further roles of a user who holds several (a small branch's receptionist and
    # researcher); their rights are those of all their roles together.
    extra_roles: frozenset[Role] = frozenset()

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            user.id,
            user.username,
            user.full_name,
            user.role,
            user.branch_id,
            user.roles - {user.role},
        )

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the user holds, the main one included."""
        return self.extra_roles | {self.role}

    def require(self, permission: Permission) -> None:
        """Raise PermissionDenied unless one of this user's roles has `permission`."""
        require(self.roles, permission)

    def visible_branch(self) -> str | None:
        """The branch this user is limited to, or None for a role that sees every branch."""
        return None if allowed(self.roles, Permission.SEE_ALL_BRANCHES) else self.branch_id

    def require_branch(self, branch_id: str) -> None:
        """Raise PermissionDenied for another branch's record, unless the role sees all branches."""
        if self.visible_branch() not in (None, branch_id):
            raise PermissionDenied(N_("This record belongs to another branch."))


@dataclass(frozen=True)
class ThisDevice:
    device_id: str
    prefix: str
    branch_id: str
    branch_code: str


def this_device(session: Session) -> ThisDevice:
    """The device this database belongs to. Raises LookupError on an uninitialised database."""
    cached = session.info.get("this_device")
    if isinstance(cached, ThisDevice):
        return cached
    device_id = local_value(session, DEVICE_ID_KEY)
    if device_id is None:
        raise LookupError("this database has no device; run `romah init` first")
    row = session.execute(
        sa.select(Device.prefix, Device.branch_id, Branch.code)
        .join(Branch, Branch.id == Device.branch_id)
        .where(Device.id == device_id)
    ).one()
    device = ThisDevice(device_id, row.prefix, row.branch_id, row.code)
    session.info["this_device"] = device
    return device
