"""Human-readable numbers that are unique without a network: branch + device prefix + sequence."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import NumberSequence
from romah_desktop.services.context import this_device


def _next(session: Session, kind: str) -> int:
    value = session.execute(
        sa.update(NumberSequence)
        .where(NumberSequence.kind == kind)
        .values(next_value=NumberSequence.next_value + 1)
        .returning(NumberSequence.next_value)
    ).scalar()
    if value is None:
        session.execute(sa.insert(NumberSequence).values(kind=kind, next_value=2))
        return 1
    return int(value) - 1


def next_file_number(session: Session) -> str:
    """The next beneficiary file number on this device, e.g. ``RYD-7F3A-000123``."""
    device = this_device(session)
    return f"{device.branch_code}-{device.prefix}-{_next(session, 'file'):06d}"


def next_request_number(session: Session, on: date) -> str:
    """The next support request number on this device for `on`'s year: ``RYD-7F3A-2026-00045``."""
    device = this_device(session)
    sequence = _next(session, f"request:{on.year}")
    return f"{device.branch_code}-{device.prefix}-{on.year}-{sequence:05d}"
