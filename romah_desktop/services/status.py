"""What the status bar shows about this laptop: its branch and the changes waiting to sync."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import Branch, Device, OutboxEntry
from romah_desktop.services.context import Actor, this_device

WAITING_CAP = 10_000


@dataclass(frozen=True)
class DeviceStatus:
    branch_code: str
    branch_name: str
    enrolled: bool
    changes_waiting: int
    """Capped at WAITING_CAP + 1: past that, the exact number tells a person nothing more."""


def device_status(session: Session, actor: Actor) -> DeviceStatus:
    """The branch, whether HQ enrolled this laptop, and how many changes wait to be pushed."""
    device = this_device(session)
    branch_name = session.scalar(sa.select(Branch.name).where(Branch.id == device.branch_id))
    enrolled_at = session.scalar(sa.select(Device.enrolled_at).where(Device.id == device.device_id))
    # Counting millions of unsent rows would hold the single worker for a tenth of a second.
    unsent = (
        sa.select(OutboxEntry.seq)
        .where(OutboxEntry.pushed_at.is_(None))
        .limit(WAITING_CAP + 1)
        .subquery()
    )
    waiting = session.scalar(sa.select(sa.func.count()).select_from(unsent))
    return DeviceStatus(
        device.branch_code, branch_name or "", enrolled_at is not None, waiting or 0
    )
