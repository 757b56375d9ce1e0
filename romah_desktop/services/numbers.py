"""Human-readable numbers that are unique without a network: branch + device prefix + sequence."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import NumberSequence
from romah_desktop.services.context import this_device


def _reserve(session: Session, kind: str, count: int) -> int:
    """Reserve `count` consecutive numbers of `kind`; return the first."""
    # The sequence rows are never loaded as objects, so the session need not be searched for
    # them (that search costs milliseconds in a session holding an import's chunk).
    value = session.execute(
        sa.update(NumberSequence)
        .where(NumberSequence.kind == kind)
        .values(next_value=NumberSequence.next_value + count)
        .returning(NumberSequence.next_value)
        .execution_options(synchronize_session=False)
    ).scalar()
    if value is None:
        session.execute(sa.insert(NumberSequence).values(kind=kind, next_value=1 + count))
        return 1
    return int(value) - count


def next_file_number(session: Session) -> str:
    """The next beneficiary file number on this device, e.g. ``RYD-7F3A-000123``."""
    return reserve_file_numbers(session, 1)[0]


def reserve_file_numbers(session: Session, count: int) -> list[str]:
    """`count` new file numbers in one step (for imports)."""
    device = this_device(session)
    first = _reserve(session, "file", count)
    return [f"{device.branch_code}-{device.prefix}-{n:06d}" for n in range(first, first + count)]


def next_request_number(session: Session, on: date) -> str:
    """The next support request number on this device for `on`'s year: ``RYD-7F3A-2026-00045``."""
    return reserve_request_numbers(session, on, 1)[0]


def reserve_request_numbers(session: Session, on: date, count: int) -> list[str]:
    """`count` new request numbers for `on`'s year in one step (for demo data and imports)."""
    device = this_device(session)
    first = _reserve(session, f"request:{on.year}", count)
    return [
        f"{device.branch_code}-{device.prefix}-{on.year}-{n:05d}"
        for n in range(first, first + count)
    ]


def catch_up_numbers(session: Session) -> None:
    """Move this device's counters past every number its records already carry: a database
    restored from an older backup takes its later records back from HQ, numbers and all, and
    must not hand those numbers out again."""
    from db.models import Beneficiary, SupportRequest

    device = this_device(session)
    stem = f"{device.branch_code}-{device.prefix}-"
    highest: dict[str, int] = {}
    for number in session.scalars(
        sa.select(Beneficiary.file_number).where(Beneficiary.file_number.startswith(stem))
    ):
        tail = number[len(stem) :]
        if tail.isdigit():
            highest["file"] = max(highest.get("file", 0), int(tail))
    for number in session.scalars(
        sa.select(SupportRequest.request_number).where(
            SupportRequest.request_number.startswith(stem)
        )
    ):
        year, _, tail = number[len(stem) :].partition("-")
        if year.isdigit() and tail.isdigit():
            kind = f"request:{year}"
            highest[kind] = max(highest.get(kind, 0), int(tail))
    for kind, top in highest.items():
        held = session.execute(
            sa.select(NumberSequence.next_value).where(NumberSequence.kind == kind)
        ).scalar()
        if held is None:
            session.execute(sa.insert(NumberSequence).values(kind=kind, next_value=top + 1))
        elif held <= top:
            session.execute(
                sa.update(NumberSequence)
                .where(NumberSequence.kind == kind)
                .values(next_value=top + 1)
                .execution_options(synchronize_session=False)
            )
