"""What the report writers share: a report's tables, progress and cancellation, the file
types, how a cell reads as text, and the one way a finished file reaches the disk (whole or
not at all, so a cancelled or failed export never leaves half a file behind nor replaces an
older one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from db.files import write_atomically
from romah_desktop.dates import to_hijri
from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_

Progress = Callable[[int, int], None]
"""progress(done, total): called now and then while a file is written."""

Cancelled = Callable[[], bool]
"""cancelled(): True when the person asked to stop; checked between rows."""

SUFFIXES = (".xlsx", ".pdf")
# Progress is told, and a cancellation looked for, every this many rows.
PROGRESS_STEP = 500


class ExportCancelled(RomahError):
    """The person stopped the export; no file was written."""


@dataclass(frozen=True)
class Table:
    """One table of a report: a sheet in Excel, a section in a PDF."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    # Relative column widths on paper (None: from the texts' lengths).
    weights: list[float] | None = None


def check_suffix(path: Path) -> str:
    """The file type of `path` (".xlsx" or ".pdf"). Raises RomahError for any other."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RomahError(
            N_("Reports are saved as .xlsx (Excel) or .pdf files (got {name})."), name=path.name
        )
    return suffix


def check_cancelled(cancelled: Cancelled | None) -> None:
    """Raise ExportCancelled when the person asked to stop."""
    if cancelled is not None and cancelled():
        raise ExportCancelled(N_("The export was cancelled; no file was written."))


def cell_text(value: Any) -> str:
    """A cell as printed: counts with separators, averages with two decimals, dates in both
    calendars, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, date):
        return f"{to_hijri(value)}\n{value:%Y/%m/%d} م"  # Hijri above Gregorian
    return str(value)


# A report is a document the person saves and shares: readable as any saved file usually is,
# writable by them alone.
FILE_MODE = 0o644


def save_file(path: Path, data: bytes) -> None:
    """Put a finished file at `path` (making its folder if need be), whole or not at all.
    Raises OSError (no permission, a disk full, …); an older file is then left intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, mode=FILE_MODE)
