"""The QR code printed on a paper: its modules, and the modules drawn as vectors."""

# qrcode ships no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
import itertools

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

__all__ = ["QR_MASK", "draw_qr", "qr_modules"]

# Any of the eight mask patterns is read by every scanner (the pattern used is written in the
# code itself). Searching for the best one, in pure Python, costs more than the rest of a form.
QR_MASK = 0


@functools.lru_cache(maxsize=512)
def qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The dark/light modules of the QR code of `payload` (medium error correction)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def draw_qr(canvas: Canvas, payload: str, *, x: float, y: float, size: float) -> None:
    """Draw the QR code of `payload` as vectors in the square with lower-left corner (x, y).
    The page around it must stay white for a quiet zone."""
    modules = qr_modules(payload)
    unit = size / len(modules)
    canvas.saveState()
    canvas.setFillColor(black)
    # One module is one unit of a flipped grid, so the rectangles are whole numbers written
    # straight into the page (ReportLab would format each of their hundreds of coordinates).
    canvas.transform(unit, 0, 0, -unit, x, y + size)
    canvas.addLiteral(_qr_operators(modules))
    canvas.restoreState()


@functools.lru_cache(maxsize=512)
def _qr_operators(modules: tuple[tuple[bool, ...], ...]) -> str:
    """The PDF path of the dark modules on a grid of whole units, filled."""
    rectangles = " ".join(
        f"{column} {row} {width} {height} re"
        for column, row, width, height in _qr_rectangles(modules)
    )
    return f"{rectangles} f"


def _qr_rectangles(
    modules: tuple[tuple[bool, ...], ...],
) -> list[tuple[int, int, int, int]]:
    """The dark modules as few rectangles (column, row, width, height): the dark runs of each
    row, each merged with the same run on the rows below it."""
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (column, width) -> first row
    for r, row in enumerate([*modules, ()]):
        runs = set()
        column = 0
        for dark, cells in itertools.groupby(row):
            width = len(list(cells))
            if dark:
                runs.add((column, width))
            column += width
        for run in list(open_runs):
            if run not in runs:
                first = open_runs.pop(run)
                done.append((run[0], first, run[1], r - first))
        for run in runs:
            open_runs.setdefault(run, r)
    return done
