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
# Rows shaped and drawn between two looks at progress and cancellation.
PDF_STEP = 200


def _pdf_weights(table: Table) -> list[float]:
    """Column widths in proportion to their longest text (within reason)."""
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
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write the tables one after the other on A4 pages under the society's letterhead (the
    printing toolkit's), each a heading and a table whose first column is on the right; a
    long table continues on the next page under its header row.

    Raises MissingFont when the Arabic fonts are not installed, ExportCancelled.
    """
    # Imported here: ReportLab and the fonts load only when a PDF is made (and through
    # importlib, as ReportLab has no type hints).
    canvas_module = importlib.import_module("reportlab.pdfgen.canvas")

    from romah_desktop.printing.fonts import font_set
    from romah_desktop.printing.layout import (
        PAGE_HEIGHT,
        PAGE_WIDTH,
        Column,
        Letterhead,
        Sheet,
        draw_table,
        styles,
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
    data = io.BytesIO()
    canvas = canvas_module.Canvas(
        data,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        initialFontName=font_set().regular,
    )
    canvas.setTitle(title)
    canvas.setAuthor(SOCIETY_LATIN)
    sheet = Sheet(canvas, head)
    st = styles()
    for table in tables:
        weights = table.weights or _pdf_weights(table)
        columns = [
            Column(header, weight) for header, weight in zip(table.headers, weights, strict=True)
        ]
        # A wide table is set small, to keep its columns readable on a portrait page.
        body = st.small if len(columns) > 6 else st.body
        sheet.heading(table.title)
        rest = [[cell_text(v) for v in row] for row in table.rows]
        while True:
            sheet.room(st.label.leading + body.leading + 16)
            batch = rest[:PDF_STEP]
            sheet.y, drawn = draw_table(
                canvas,
                columns,
                batch,
                right=sheet.right,
                top=sheet.y,
                width=sheet.width,
                bottom=sheet.bottom,
                body=body,
            )
            rest = rest[drawn:]
            done += drawn
            check_cancelled(cancelled)
            if progress is not None:
                progress(done, total_rows)
            if not rest:
                break
            if drawn < len(batch):
                sheet.new_page()
        sheet.gap(10)
    sheet.close()
    canvas.save()
    save_file(path, data.getvalue())
