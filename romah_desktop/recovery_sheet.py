"""The recovery sheet: the laptop's recovery key on paper, to keep away from the laptop."""
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from romah_desktop.dates import format_dual
from romah_desktop.i18n import N_, translate

_LINES = (
    N_("This key opens the data on this laptop when every password is lost."),
    N_(
        "Keep this sheet locked away, apart from the laptop. Whoever holds it and the laptop "
        "can read everything on it."
    ),
    N_("If every password and this key are lost, the data on this laptop is lost for good."),
    N_("To use it: romah --user ADMIN unlock --recovery-key KEY, then choose a new password."),
)


def render_recovery_sheet(recovery_key: str, branch: str, device: str, made: datetime) -> bytes:
    """A one-page A4 PDF with the recovery key, who it belongs to and how to use it."""
    from reportlab.pdfgen.canvas import Canvas

    from romah_desktop.printing.fonts import font_set
    from romah_desktop.printing.forms import SOCIETY_LATIN
    from romah_desktop.printing.layout import (
        MARGIN,
        PAGE_HEIGHT,
        PAGE_WIDTH,
        Letterhead,
        draw_fields,
        draw_letterhead,
        draw_paragraph,
        styles,
    )

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), initialFontName=font_set().regular)
    title = translate("Recovery sheet")
    canvas.setTitle(title)
    head = Letterhead(
        society=translate("Romah Society for Non-profit Development"),
        society_latin=SOCIETY_LATIN,
        branch=branch,
        title=title,
    )
    st = styles()
    right = PAGE_WIDTH - MARGIN
    width = PAGE_WIDTH - 2 * MARGIN
    y = draw_letterhead(canvas, head)
    y = draw_fields(
        canvas,
        [
            (translate("Branch"), branch),
            (translate("Laptop"), device),
            (translate("Made on"), format_dual(made.date())),
        ],
        right=right,
        top=y,
        width=width,
    )
    y -= 30
    canvas.setFont("Courier-Bold", 20)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, recovery_key)
    y -= 40
    for line in _LINES:
        y = draw_paragraph(canvas, translate(line), right=right, top=y, width=width, style=st.body)
        y -= 6
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_recovery_sheet(
    path: Path, recovery_key: str, branch: str, device: str, made: datetime
) -> None:
    """Write the sheet to `path` (0600: it opens the laptop's data)."""
    from db.files import write_atomically

    write_atomically(path, render_recovery_sheet(recovery_key, branch, device, made), mode=0o600)
