"""The Excel writer: a write-only workbook whose sheets read right to left in Arabic, a
sheet per table, headers in bold."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from romah_desktop.dates import format_dual
from romah_desktop.services.reports.writing import (
    Cancelled,
    Progress,
    Table,
    cell_text,
    check_cancelled,
    save_file,
)

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Excel refuses sheet names longer than this or holding any of these characters.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str, taken: set[str]) -> str:
    """`title` as a sheet name Excel accepts, unique in the workbook."""
    base = " ".join(title.translate(_SHEET_NAME_BAD).split())[:_SHEET_NAME_MAX] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


class Workbook:
    """A write-only workbook whose sheets read right to left in Arabic, headers in bold."""

    def __init__(self, lang: str) -> None:
        # openpyxl is loaded when a workbook is made, not with every command and window that
        # can export (about 70 ms).
        import openpyxl
        from openpyxl.styles import Font

        self.book = openpyxl.Workbook(write_only=True)
        self.lang = lang
        self.names: set[str] = set()
        self.bold = Font(bold=True)

    def sheet(
        self, title: str, headers: Sequence[str], widths: Sequence[int]
    ) -> WriteOnlyWorksheet:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        sheet = self.book.create_sheet(sheet_name(title, self.names))
        sheet.sheet_view.rightToLeft = self.lang == "ar"
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = self.bold
            header.append(cell)
        sheet.append(header)
        return sheet

    def save(self, path: Path) -> None:
        """Write the finished workbook to `path`, whole or not at all. Raises OSError."""
        data = io.BytesIO()
        self.book.save(data)
        save_file(path, data.getvalue())

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        if kind is not None:
            self.discard()

    def discard(self) -> None:
        """Close the sheets of a workbook that will not be saved and remove their temporary
        files (openpyxl streams each sheet to one)."""
        from openpyxl.worksheet._write_only import WriteOnlyWorksheet

        for sheet in self.book.worksheets:
            if isinstance(sheet, WriteOnlyWorksheet) and not sheet.closed:
                sheet.close()
            writer = getattr(sheet, "_writer", None)
            if writer is not None:
                writer.cleanup()


def _widths(table: Table) -> list[int]:
    """Column widths from the longest text in each (within reason)."""
    widths = []
    for column, header in enumerate(table.headers):
        longest = max([len(header), *(len(cell_text(row[column])) for row in table.rows[:500])])
        widths.append(min(max(longest + 2, 10), 60))
    return widths


def write_tables_xlsx(
    path: Path,
    tables: Sequence[Table],
    lang: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write each table on a sheet of its own."""
    with Workbook(lang) as book:
        for number, table in enumerate(tables, start=1):
            check_cancelled(cancelled)
            sheet = book.sheet(table.title, table.headers, _widths(table))
            for row in table.rows:
                # A day of a report's table reads in both calendars (the request list, made
                # for sorting and sums, has Gregorian date cells beside Hijri text instead).
                sheet.append([format_dual(v) if isinstance(v, date) else v for v in row])
            if progress is not None:
                progress(number, len(tables))
        book.save(path)
