"""Pictures on a printed paper: a PNG (a captured signature) and the society's drawn mark."""

# ReportLab ships no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from romah_desktop.printing.textstyles import ACCENT

__all__ = ["draw_image", "emblem", "readable_image"]


def readable_image(png: bytes) -> bool:
    """Whether `png` is an image that can be drawn."""
    try:
        ImageReader(io.BytesIO(png)).getSize()
    except (ValueError, OSError):
        return False
    return True


def draw_image(
    canvas: Canvas, png: bytes, *, right: float, top: float, width: float, height: float
) -> None:
    """Draw a PNG (e.g. a captured signature) inside the box whose top right corner is
    (`right`, `top`), keeping its proportions, against the box's right edge.

    Raises ValueError (or OSError) for bytes that are not a readable image."""
    canvas.drawImage(
        ImageReader(io.BytesIO(png)),
        right - width,
        top - height,
        width,
        height,
        mask="auto",
        preserveAspectRatio=True,
        anchor="e",
    )


def emblem(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    """The society's drawn mark: an eight-pointed star (two squares) inside a ring."""
    canvas.saveState()
    canvas.setStrokeColor(ACCENT)
    canvas.setFillColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.circle(cx, cy, radius, stroke=1, fill=0)
    side = radius * 1.05
    for angle in (0, 45):
        canvas.saveState()
        canvas.translate(cx, cy)
        canvas.rotate(angle)
        canvas.rect(-side / 2, -side / 2, side, side, stroke=1, fill=0)
        canvas.restoreState()
    canvas.circle(cx, cy, radius * 0.18, stroke=0, fill=1)
    canvas.restoreState()
