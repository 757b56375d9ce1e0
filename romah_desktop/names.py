"""A person's four-part name (first, father's, grandfather's, family), as every screen, list,
report and printed form writes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")


def four_part_name(parts: Iterable[str | None]) -> str:
    """The parts that are filled in, in order, joined by single spaces."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def full_name(record: Any) -> str:
    """The four-part name of anything with the four name attributes (a Beneficiary, a row)."""
    return four_part_name(getattr(record, part) for part in NAME_PARTS)
