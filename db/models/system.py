"""Branches, devices, users and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import AppendOnly, Base, Synced, uuid_fk
from db.enums import Role


class Branch(Synced, Base):
    __tablename__ = "branch"

    code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    # The branch settings HQ sets for every laptop of the branch (key → value; a key absent is
    # left to the branch), checked against their declarations (`romah_desktop/settings.py`).
    settings: Mapped[dict[str, Any] | None]


class Device(Synced, Base):
    """A laptop. `prefix` makes its human-readable numbers unique without a network."""

    __tablename__ = "device"

    branch_id: Mapped[str] = uuid_fk("branch.id")
    name: Mapped[str] = mapped_column(sa.String(120))
    prefix: Mapped[str] = mapped_column(sa.String(6))
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # The public half of the laptop's Ed25519 key that signs printed papers (base64 of the
    # raw 32 bytes); HQ registers it at enrolment.
    signing_key: Mapped[str | None] = mapped_column(sa.String(44))

    __table_args__ = (sa.UniqueConstraint("branch_id", "prefix", name="uq_device_branch_prefix"),)


class User(Synced, Base):
    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    # The user's main role (what HQ's console and older laptops read), and the further roles
    # they hold in a small branch (one person at the front desk and in research): role values,
    # the permissions being those of all the roles together (`romah_desktop/permissions.py`).
    role: Mapped[Role]
    extra_roles: Mapped[list[str] | None]
    branch_id: Mapped[str] = uuid_fk("branch.id")
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # The user's X25519 key pair (db/keys.py): the private key under their password. A laptop
    # seals its database key to `public_key`, so any laptop can admit a user who arrives by sync.
    public_key: Mapped[str | None] = mapped_column(sa.String(64))
    private_key_box: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def roles(self) -> frozenset[Role]:
        return roles_of(self.role, self.extra_roles)


def roles_of(role: Any, extra_roles: Any) -> frozenset[Role]:
    """Every role of a user record as stored (here or at HQ): the main one and the extras. A
    value that names no role (a newer laptop's, a damaged record) gives no role at all, so it
    never grants a right."""
    known = {r.value: r for r in Role}
    extras = extra_roles if isinstance(extra_roles, list) else []
    return frozenset(known[v] for v in [role, *extras] if isinstance(v, str) and v in known)


class AuditEvent(AppendOnly, Base):
    """Who did what, when. Each device's events form a hash chain (`prev_hash` → `hash`)."""

    __tablename__ = "audit_event"

    device_id: Mapped[str] = mapped_column(sa.String(36))
    device_seq: Mapped[int] = mapped_column(sa.Integer)
    occurred_at: Mapped[datetime]
    user_id: Mapped[str | None] = mapped_column(sa.String(36))
    action: Mapped[str] = mapped_column(sa.String(60))
    entity: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.UniqueConstraint("device_id", "device_seq", name="uq_audit_event_device_seq"),
    )
