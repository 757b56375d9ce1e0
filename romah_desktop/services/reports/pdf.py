"""The PDF writer: a report's tables on A4 pages under the society's letterhead, in Arabic,
like every printed form."""

from __future__ import annotations

import importlib
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from romah_desktop.dates import format_dual
from romah_desktop.i18n import translate
from romah_desktop.services.reports.writing import (
    Cancelled,
    Progress,
    Table,
    cell_text,
    check_cancelled,
    save_file,
)

# The printed reports are in Arabic, like every printed form (the layout reads right to left).
PDF_LANGUAGE = "ar"
SOCIETY_LATIN = "Romah Society for Non-profit Development"


def _pdf_weights(table: Table) -> list[float]:
    """How the columns share what is left once each is as wide as its widest word: in
    proportion to their longest text (within reason)."""
    weights = []
    for column, header in enumerate(table.headers):
        longest = max([len(header) / 2, *(len(cell_text(row[column])) for row in table.rows[:200])])
        weights.append(min(max(longest, 4.0), 40.0))
    return weights


def write_tables_pdf(
    path: Path,
    title: str,
    tables: Sequence[Table],
    *,
    branch: str,
    subtitle: str,
    prepared_by: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write the tables one after the other on A4 pages under the society's letterhead (the
    printing toolkit's), with who prepared the report under it, each table a heading and a
    table whose first column is on the right; a long table continues on the next page under
    its header row.

    No cell is cut inside a number, an id or a word: each column is at least as wide as its
    widest word, the text set a size or two smaller if need be, and the whole report is
    printed on landscape pages when a table does not fit a portrait one even so.

    Raises MissingFont when the Arabic fonts are not installed, ExportCancelled.
    """
    # Imported here: ReportLab and the fonts load only when a PDF is made (and through
    # importlib, as ReportLab has no type hints).
    canvas_module = importlib.import_module("reportlab.pdfgen.canvas")

    from romah_desktop.printing.fonts import font_set
    from romah_desktop.printing.layout import (
        MARGIN,
        PAGE_HEIGHT,
        PAGE_WIDTH,
        Column,
        Letterhead,
        Sheet,
        styles,
        table_layout,
    )

    lang = PDF_LANGUAGE
    head = Letterhead(
        society=translate("Romah Society for Non-profit Development", lang),
        society_latin=SOCIETY_LATIN,
        branch=branch,
        title=title,
        subtitle=subtitle,
        footer_note=translate("Printed on {date}", lang, date=format_dual(date.today())),
        page_label=translate("Page {page} of {pages}", lang),
        continued=translate("continued", lang),
    )
    total_rows = sum(len(t.rows) for t in tables)
    done = 0
    check_cancelled(cancelled)
    printed = []
    for table in tables:
        weights = table.weights or _pdf_weights(table)
        columns = [
            Column(header, weight) for header, weight in zip(table.headers, weights, strict=True)
        ]
        printed.append((table.title, columns, [[cell_text(v) for v in row] for row in table.rows]))

    def turned(columns: list[Column], rows: list[list[str]]) -> bool:
        """Whether a table wants a landscape page: it does not fit a portrait one, or fits it
        only with its rows wrapped where a landscape one keeps them one line high."""
        portrait = table_layout(columns, rows, PAGE_WIDTH - 2 * MARGIN, compact=True)
        if portrait is None or portrait.one_line:
            return portrait is None
        wide = table_layout(columns, rows, PAGE_HEIGHT - 2 * MARGIN, compact=True)
        return wide is not None and wide.one_line

    landscape = any(turned(columns, rows) for _title, columns, rows in printed)
    check_cancelled(cancelled)
    data = io.BytesIO()
    canvas = canvas_module.Canvas(
        data,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        initialFontName=font_set().regular,
    )
    canvas.setTitle(title)
    canvas.setAuthor(SOCIETY_LATIN)
    sheet = Sheet(canvas, head, landscape=landscape)
    if prepared_by:
        line = f"{translate('Prepared by', lang)}: {prepared_by}"
        sheet.paragraph(line, styles().small, align="center")
        sheet.gap(4)

    def drawn(count: int) -> None:
        nonlocal done
        done += count
        check_cancelled(cancelled)
        if progress is not None:
            progress(done, total_rows)

    for table_title, columns, rows in printed:
        sheet.heading(table_title)
        # A wide table is set small (as a list of many columns is read, a line at a time).
        largest = styles().small.size + 0.5 if len(columns) > 6 else None
        sheet.table(columns, rows, largest=largest, compact=True, drawn=drawn)
        sheet.gap(10)
    sheet.close()
    canvas.save()
    save_file(path, data.getvalue())
