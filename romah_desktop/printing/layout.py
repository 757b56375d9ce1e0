"""A small right-to-left drawing toolkit on a ReportLab canvas, for forms and reports.

Two levels, both usable on their own:

* Functions that draw one block at a given place and return where it ends: `draw_text`,
  `draw_paragraph`, `draw_fields` (label/value rows), `draw_table` (its first column on the
  right), `draw_signatures`, `draw_qr`, `draw_letterhead`, `draw_footer`. Coordinates are
  ReportLab's points from the bottom-left corner; a block is placed by its `right` edge and
  `top`, since Arabic lines start on the right.
* `Sheet`, which flows blocks down A4 pages: it keeps the cursor, and when a block does not fit
  it finishes the page (footer with the verification code and "page n of N") and continues on
  a new one under a short header. A paragraph or table longer than a page is split between
  pages; a table repeats its header row.

All text is logical Unicode (as stored and typed); shaping and ordering are done here through
`arabic_text.shaper()`.
"""

# ReportLab, qrcode, arabic-reshaper and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from romah_desktop.printing.arabic_text import shaper

__all__ = [
    "ACCENT",
    "MARGIN",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "Align",
    "Column",
    "Letterhead",
    "Sheet",
    "TextStyle",
    "draw_fields",
    "draw_footer",
    "draw_letterhead",
    "draw_paragraph",
    "draw_qr",
    "draw_signatures",
    "draw_table",
    "draw_text",
    "styles",
]

PAGE_WIDTH: float = float(A4[0])
PAGE_HEIGHT: float = float(A4[1])
MARGIN = 40.0
FOOTER_HEIGHT = 34.0
ACCENT = HexColor("#0f5257")  # the society's teal: rules, headings, table heads
MUTED = HexColor("#555555")
RULE = HexColor("#9aa5a6")
SHADE = HexColor("#e6eeee")
ZEBRA = HexColor("#f5f7f7")

Align = Literal["right", "center", "left"]


@dataclass(frozen=True)
class TextStyle:
    """A face, its size and the distance between baselines (points)."""

    font: str
    size: float
    leading: float
    color: Color = black


@dataclass(frozen=True)
class Styles:
    body: TextStyle
    small: TextStyle
    label: TextStyle
    heading: TextStyle
    title: TextStyle
    society: TextStyle  # the formal face (Amiri), for letters
    society_plain: TextStyle
    latin: TextStyle


@functools.cache
def styles() -> Styles:
    """The forms' text styles over the registered fonts. Raises MissingFont."""
    fonts = shaper().fonts
    return Styles(
        body=TextStyle(fonts.regular, 10.5, 16.5),
        small=TextStyle(fonts.regular, 8.5, 12.5, MUTED),
        label=TextStyle(fonts.bold, 10.0, 16.5),
        heading=TextStyle(fonts.bold, 11.5, 18.0, ACCENT),
        title=TextStyle(fonts.bold, 16.0, 22.0, ACCENT),
        society=TextStyle(fonts.formal, 17.0, 24.0, ACCENT),
        society_plain=TextStyle(fonts.bold, 15.0, 22.0, ACCENT),
        latin=TextStyle(fonts.regular, 8.0, 11.0, MUTED),
    )


def _baseline(top: float, style: TextStyle) -> float:
    # The first baseline sits one font size below the top: room for the tallest Arabic letters.
    return top - style.size


# --- text -----------------------------------------------------------------------------------


def draw_text(
    canvas: Canvas,
    text: str,
    *,
    x: float,
    y: float,
    style: TextStyle,
    align: Align = "right",
) -> float:
    """Draw one logical line (no wrapping) with its baseline at `y`: ending at `x` for "right",
    centred on `x`, or starting at `x` for "left". Returns its width."""
    arabic = shaper()
    width = arabic.width(text, style.font, style.size)
    start = {"right": x - width, "center": x - width / 2, "left": x}[align]
    canvas.setFont(style.font, style.size)
    canvas.setFillColor(style.color)
    canvas.drawString(start, y, arabic.visual(text))
    return width


def draw_paragraph(
    canvas: Canvas,
    text: str,
    *,
    right: float,
    top: float,
    width: float,
    style: TextStyle,
    align: Align = "right",
) -> float:
    """Wrap logical `text` to `width` and draw it from `top` down. Returns the y below it."""
    lines = shaper().lines(text, style.font, style.size, width)
    y = _baseline(top, style)
    canvas.setFont(style.font, style.size)
    canvas.setFillColor(style.color)
    for glyphs, line_width in lines:
        _draw_visual(canvas, glyphs, line_width, right, width, y, align)
        y -= style.leading
    return top - len(lines) * style.leading


def _draw_visual(
    canvas: Canvas, glyphs: str, width: float, right: float, box: float, y: float, align: Align
) -> None:
    if align == "right":
        canvas.drawString(right - width, y, glyphs)
    elif align == "center":
        canvas.drawString(right - box / 2 - width / 2, y, glyphs)
    else:
        canvas.drawString(right - box, y, glyphs)


def _height(lines: int, style: TextStyle) -> float:
    return lines * style.leading


# --- label / value rows ---------------------------------------------------------------------


def _field_cells(width: float, columns: int, label_share: float) -> tuple[float, float, float]:
    cell = width / columns
    label_width = cell * label_share
    return cell, label_width, cell - label_width - 8


def draw_fields(
    canvas: Canvas,
    pairs: Sequence[tuple[str, str]],
    *,
    right: float,
    top: float,
    width: float,
    columns: int = 2,
    label_share: float = 0.38,
    blank: bool = False,
) -> float:
    """Draw label/value pairs in `columns` columns, the first pair at the top right. Labels are
    bold in a column of their own; each value wraps in its place over a dotted line (a line to
    fill in by hand when `blank`, or when the value is empty). Returns the y below them."""
    y = top
    for start in range(0, len(pairs), columns):
        y = _draw_field_row(
            canvas, pairs[start : start + columns], right, y, width, columns, label_share, blank
        )
    return y


_HANDWRITING = 9.0  # extra room on a blank form's lines, for a hand to write on


def _field_row_height(
    row: Sequence[tuple[str, str]], width: float, columns: int, label_share: float, blank: bool
) -> float:
    st = styles()
    arabic = shaper()
    _cell, label_width, value_width = _field_cells(width, columns, label_share)
    lines = 1
    for label, value in row:
        lines = max(
            lines,
            len(arabic.wrap(label, st.label.font, st.label.size, label_width)),
            len(arabic.wrap(value, st.body.font, st.body.size, value_width)),
        )
    return _height(lines, st.body) + 4 + (_HANDWRITING if blank else 0)


def _draw_field_row(
    canvas: Canvas,
    row: Sequence[tuple[str, str]],
    right: float,
    top: float,
    width: float,
    columns: int,
    label_share: float,
    blank: bool,
) -> float:
    st = styles()
    arabic = shaper()
    cell, label_width, value_width = _field_cells(width, columns, label_share)
    height = _field_row_height(row, width, columns, label_share, blank)
    top -= _HANDWRITING if blank else 0
    for index, (label, value) in enumerate(row):
        cell_right = right - index * cell
        draw_paragraph(canvas, label, right=cell_right, top=top, width=label_width, style=st.label)
        value_right = cell_right - label_width - 4
        if value and not blank:
            draw_paragraph(
                canvas, value, right=value_right, top=top, width=value_width, style=st.body
            )
        lines = max(1, len(arabic.wrap(value, st.body.font, st.body.size, value_width)))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setDash(1, 2)
        for n in range(lines):
            y = _baseline(top, st.body) - n * st.body.leading - 3
            canvas.line(value_right - value_width, y, value_right, y)
        canvas.setDash()
    return top - height + (_HANDWRITING if blank else 0)


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: its title, its share of the table's width, and how its cells align."""

    title: str
    weight: float = 1.0
    align: Align = "right"


def _column_edges(columns: Sequence[Column], right: float, width: float) -> list[float]:
    """The right edge of each column, then the table's left edge; the first column is the
    rightmost, as an Arabic reader starts there (the order is reversed here, by hand)."""
    total = sum(column.weight for column in columns)
    edges = [right]
    for column in columns:
        edges.append(edges[-1] - width * column.weight / total)
    return edges


_CELL_PAD = 4.0


def _row_lines(
    cells: Sequence[str], edges: list[float], style: TextStyle
) -> tuple[list[list[tuple[str, float]]], float]:
    arabic = shaper()
    wrapped = [
        arabic.lines(cell, style.font, style.size, edges[i] - edges[i + 1] - 2 * _CELL_PAD)
        for i, cell in enumerate(cells)
    ]
    height = max(len(lines) for lines in wrapped) * style.leading + 2 * _CELL_PAD - 4
    return wrapped, height


def _draw_row(
    canvas: Canvas,
    wrapped: list[list[tuple[str, float]]],
    columns: Sequence[Column],
    edges: list[float],
    top: float,
    height: float,
    style: TextStyle,
    fill: Color | None,
) -> None:
    left, right = edges[-1], edges[0]
    if fill is not None:
        canvas.setFillColor(fill)
        canvas.rect(left, top - height, right - left, height, stroke=0, fill=1)
    canvas.setFont(style.font, style.size)
    canvas.setFillColor(style.color)
    for i, lines in enumerate(wrapped):
        cell_right = edges[i] - _CELL_PAD
        cell_width = edges[i] - edges[i + 1] - 2 * _CELL_PAD
        y = _baseline(top - _CELL_PAD + 2, style)
        for glyphs, width in lines:
            _draw_visual(canvas, glyphs, width, cell_right, cell_width, y, columns[i].align)
            y -= style.leading
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - height, right, top - height)
    for edge in edges:
        canvas.line(edge, top, edge, top - height)


def draw_table(
    canvas: Canvas,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    right: float,
    top: float,
    width: float,
    bottom: float = MARGIN,
    body: TextStyle | None = None,
    head: TextStyle | None = None,
) -> tuple[float, int]:
    """Draw a table with its header row, the first column on the right, as many rows as fit
    above `bottom`; cells wrap. Returns the y below the table and the number of rows drawn
    (fewer than `len(rows)` when the page is full: draw the rest on the next page)."""
    st = styles()
    body = body or st.body
    head = head or TextStyle(st.label.font, st.label.size, st.label.leading, white)
    edges = _column_edges(columns, right, width)
    wrapped, height = _row_lines([column.title for column in columns], edges, head)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(edges[-1], top, right, top)
    _draw_row(canvas, wrapped, columns, edges, top, height, head, ACCENT)
    y = top - height
    drawn = 0
    for row in rows:
        wrapped, height = _row_lines(row, edges, body)
        if y - height < bottom:
            break
        _draw_row(canvas, wrapped, columns, edges, y, height, body, ZEBRA if drawn % 2 else None)
        y -= height
        drawn += 1
    return y, drawn


# --- signatures, images, QR -----------------------------------------------------------------


@dataclass(frozen=True)
class _SignatureBoxes:
    box: float
    gap: float
    label_width: float
    value_width: float
    names: list[str]
    name_lines: int

    @property
    def height(self) -> float:
        st = styles()
        return st.label.leading + 2 + 14 + (self.name_lines + 2) * st.body.leading + 3 * 6


def _signature_boxes(
    count: int,
    width: float,
    names: Sequence[str | None] | None,
    row_labels: Sequence[str],
) -> _SignatureBoxes:
    st = styles()
    arabic = shaper()
    gap = 16.0
    slots = max(2, count)  # a lone block takes the right half, not the whole line
    box = (width - gap * (slots - 1)) / slots
    filled = [
        (names[i] if names is not None and i < len(names) else None) or "" for i in range(count)
    ]
    label_width = max(arabic.width(text, st.body.font, st.body.size) for text in row_labels)
    value_width = box - label_width - 6
    name_lines = max(
        1, *(len(arabic.wrap(name, st.body.font, st.body.size, value_width)) for name in filled)
    )
    return _SignatureBoxes(box, gap, label_width, value_width, filled, name_lines)


def draw_signatures(
    canvas: Canvas,
    labels: Sequence[str],
    *,
    right: float,
    top: float,
    width: float,
    names: Sequence[str | None] | None = None,
    name_label: str,
    signature_label: str,
    date_label: str,
) -> float:
    """Draw signature blocks side by side, the first on the right: each with its title, the
    signer's name (pre-filled when known, wrapping if long), and dotted lines for the
    signature and the date. Returns the y below them."""
    st = styles()
    boxes = _signature_boxes(len(labels), width, names, (name_label, signature_label, date_label))
    rows = [
        (name_label, boxes.name_lines, 0.0),
        (signature_label, 1, 14.0),  # room for a hand signature above the line
        (date_label, 1, 0.0),
    ]
    for index, label in enumerate(labels):
        box_right = right - index * (boxes.box + boxes.gap)
        draw_text(canvas, label, x=box_right, y=_baseline(top, st.label), style=st.label)
        y = top - st.label.leading - 2
        for row, (row_label, lines, extra) in enumerate(rows):
            y -= extra
            baseline = _baseline(y, st.body)
            draw_text(canvas, row_label, x=box_right, y=baseline, style=st.body)
            value_right = box_right - boxes.label_width - 6
            if row == 0 and boxes.names[index]:
                draw_paragraph(
                    canvas,
                    boxes.names[index],
                    right=value_right,
                    top=y,
                    width=boxes.value_width,
                    style=st.body,
                )
            canvas.setStrokeColor(black)
            canvas.setLineWidth(0.6)
            canvas.setDash(1, 2)
            line_y = baseline - (lines - 1) * st.body.leading - 4
            canvas.line(box_right - boxes.box, line_y, value_right, line_y)
            canvas.setDash()
            y -= lines * st.body.leading + 6
    return top - boxes.height


def signature_height(
    labels: Sequence[str],
    width: float,
    names: Sequence[str | None] | None,
    row_labels: Sequence[str],
) -> float:
    """The height `draw_signatures` needs for these blocks."""
    return _signature_boxes(len(labels), width, names, row_labels).height


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


# --- the page's head and foot ---------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """What the top and bottom of every page say.

    `code` is the verification code (printed in the footer, and as a QR of `qr_payload` at the
    top left of the first page); `page_label` formats "page n of N" (e.g. "صفحة {page} من
    {pages}")."""

    society: str
    society_latin: str
    branch: str
    title: str
    subtitle: str = ""
    code: str | None = None
    qr_payload: str | None = None
    code_label: str = ""
    footer_note: str = ""
    page_label: str = "{page} / {pages}"
    continued: str = ""
    # The society's name in the formal face: a third font embedded in the PDF, which costs
    # about two milliseconds a form; used on letters.
    formal: bool = False


QR_SIZE = 74.0


def _emblem(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
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


def draw_letterhead(canvas: Canvas, head: Letterhead, *, first_page: bool = True) -> float:
    """Draw the society's header at the top of the page (with the QR on the first page).
    Returns the y where the page's content starts."""
    st = styles()
    right = PAGE_WIDTH - MARGIN
    top = PAGE_HEIGHT - MARGIN + 6
    if not first_page:
        y = top - st.label.size
        draw_text(canvas, head.society, x=right, y=y, style=st.label)
        title = f"{head.title} — {head.continued}" if head.continued else head.title
        draw_text(canvas, title, x=MARGIN, y=y, style=st.label, align="left")
        y -= 8
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1)
        canvas.line(MARGIN, y, right, y)
        return y - 12
    radius = 19.0
    _emblem(canvas, right - radius, top - radius - 4, radius)
    text_right = right - 2 * radius - 10
    society = st.society if head.formal else st.society_plain
    y = _baseline(top, society) - 2
    draw_text(canvas, head.society, x=text_right, y=y, style=society)
    y -= st.latin.leading + (6 if head.formal else 3)  # below the descenders of the naskh
    draw_text(canvas, head.society_latin, x=text_right, y=y, style=st.latin)
    y -= st.small.leading + 1
    draw_text(canvas, head.branch, x=text_right, y=y, style=st.small)
    if head.qr_payload:
        draw_qr(canvas, head.qr_payload, x=MARGIN, y=top - QR_SIZE, size=QR_SIZE)
    rule = min(y - 10, top - QR_SIZE - 8)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.6)
    canvas.line(MARGIN, rule, right, rule)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, rule - 3, right, rule - 3)
    y = rule - 8 - st.title.size
    draw_text(canvas, head.title, x=PAGE_WIDTH / 2, y=y, style=st.title, align="center")
    if head.subtitle:
        y -= st.body.leading + 2
        draw_text(canvas, head.subtitle, x=PAGE_WIDTH / 2, y=y, style=st.body, align="center")
    return y - 16


def draw_footer(canvas: Canvas, head: Letterhead, page: int, pages_form: str | None) -> None:
    """Draw the rule, the verification code, the note and "page n of N" at the bottom.

    `pages_form` names a form XObject (defined when the document's pages are counted) that
    shows the number of pages; without it only the page number is shown."""
    st = styles()
    right = PAGE_WIDTH - MARGIN
    y = MARGIN - 4
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + st.small.leading + 2, right, y + st.small.leading + 2)
    if head.code:
        draw_text(canvas, f"{head.code_label} {head.code}", x=right, y=y, style=st.small)
    if head.footer_note:
        draw_text(canvas, head.footer_note, x=PAGE_WIDTH / 2, y=y, style=st.small, align="center")
    # "page n of N": everything but N is drawn now, N is a form filled in when it is known.
    before, _sep, _after = head.page_label.partition("{pages}")
    label = before.format(page=page).rstrip()
    if pages_form is None:
        draw_text(canvas, label, x=MARGIN + 24, y=y, style=st.small, align="left")
        return
    label_width = shaper().width(label, st.small.font, st.small.size)
    draw_text(canvas, label, x=MARGIN + 24 + label_width, y=y, style=st.small)
    canvas.saveState()
    canvas.translate(MARGIN + 21, y)
    canvas.doForm(pages_form)
    canvas.restoreState()


# --- a flow of blocks over pages ------------------------------------------------------------

_sheet_numbers = itertools.count(1)


@dataclass
class Sheet:
    """Blocks drawn one under the other on A4 pages, breaking pages where needed.

    Make one per printed document (a batch puts several on one canvas, one after the other);
    call `close()` at the end, which finishes the last page."""

    canvas: Canvas
    head: Letterhead
    labels: dict[str, str] = field(default_factory=dict)
    page: int = 1
    y: float = 0.0

    def __post_init__(self) -> None:
        self.right = PAGE_WIDTH - MARGIN
        self.width = PAGE_WIDTH - 2 * MARGIN
        self.bottom = MARGIN + FOOTER_HEIGHT
        self._pages_form = f"romahPages{next(_sheet_numbers)}"
        self.y = draw_letterhead(self.canvas, self.head, first_page=True)

    # --- pages ------------------------------------------------------------------------------

    def new_page(self) -> None:
        """Finish this page and continue on the next one."""
        draw_footer(self.canvas, self.head, self.page, self._pages_form)
        self.canvas.showPage()
        self.page += 1
        self.y = draw_letterhead(self.canvas, self.head, first_page=False)

    def room(self, height: float) -> None:
        """Start a new page unless `height` points fit above the footer."""
        if self.y - height < self.bottom:
            self.new_page()

    def gap(self, height: float = 8.0) -> None:
        self.y -= height

    def close(self) -> None:
        """Finish the last page and fill in the page count of every page."""
        draw_footer(self.canvas, self.head, self.page, self._pages_form)
        self.canvas.showPage()
        st = styles()
        # The number is drawn to the left of the form's origin, so the box must reach there.
        self.canvas.beginForm(self._pages_form, lowerx=-60, lowery=-6, upperx=6, uppery=20)
        draw_text(self.canvas, str(self.page), x=0, y=0, style=st.small)
        self.canvas.endForm()

    # --- blocks -----------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        """A section heading on a tinted band; kept with at least two lines of what follows."""
        st = styles()
        self.room(st.heading.leading + 6 + 2 * st.body.leading)
        band = st.heading.leading + 2
        self.canvas.setFillColor(SHADE)
        self.canvas.rect(MARGIN, self.y - band, self.width, band, stroke=0, fill=1)
        self.canvas.setFillColor(ACCENT)
        self.canvas.rect(self.right - 3, self.y - band, 3, band, stroke=0, fill=1)
        draw_text(self.canvas, text, x=self.right - 9, y=self.y - band + 5.5, style=st.heading)
        self.y -= band + 7

    def paragraph(self, text: str, style: TextStyle | None = None, align: Align = "right") -> None:
        """Wrapped text, split over pages if it is long."""
        style = style or styles().body
        arabic = shaper()
        for glyphs, width in arabic.lines(text, style.font, style.size, self.width):
            self.room(style.leading)
            self.canvas.setFont(style.font, style.size)
            self.canvas.setFillColor(style.color)
            _draw_visual(
                self.canvas,
                glyphs,
                width,
                self.right,
                self.width,
                _baseline(self.y, style),
                align,
            )
            self.y -= style.leading

    def bullets(self, items: Sequence[str], style: TextStyle | None = None) -> None:
        """A list, each item after a bullet on the right, its following lines indented."""
        style = style or styles().body
        arabic = shaper()
        indent = 12.0
        for item in items:
            lines = arabic.lines(item, style.font, style.size, self.width - indent)
            for index, (glyphs, width) in enumerate(lines):
                self.room(style.leading)
                y = _baseline(self.y, style)
                if index == 0:
                    draw_text(self.canvas, "•", x=self.right, y=y, style=style)
                self.canvas.setFont(style.font, style.size)
                self.canvas.setFillColor(style.color)
                _draw_visual(
                    self.canvas, glyphs, width, self.right - indent, self.width, y, "right"
                )
                self.y -= style.leading
            self.y -= 2

    def fields(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        columns: int = 2,
        label_share: float = 0.38,
        blank: bool = False,
    ) -> None:
        """Label/value rows (see `draw_fields`), a row never split between pages."""
        for start in range(0, len(pairs), columns):
            row = pairs[start : start + columns]
            self.room(_field_row_height(row, self.width, columns, label_share, blank))
            self.y = _draw_field_row(
                self.canvas, row, self.right, self.y, self.width, columns, label_share, blank
            )

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A table (see `draw_table`) continued on the next page, header and all, if long."""
        st = styles()
        rest = list(rows)
        while True:
            self.room(st.label.leading + st.body.leading + 4 * _CELL_PAD)
            self.y, drawn = draw_table(
                self.canvas,
                columns,
                rest,
                right=self.right,
                top=self.y,
                width=self.width,
                bottom=self.bottom,
            )
            rest = rest[drawn:]
            if not rest:
                break
            self.new_page()
        self.y -= 6

    def signatures(self, labels: Sequence[str], names: Sequence[str | None] | None = None) -> None:
        """Signature blocks side by side (see `draw_signatures`), kept on one page."""
        row_labels = (
            self.labels.get("name", "Name:"),
            self.labels.get("signature", "Signature:"),
            self.labels.get("date", "Date:"),
        )
        self.room(signature_height(labels, self.width, names, row_labels) + 6)
        self.y = draw_signatures(
            self.canvas,
            labels,
            right=self.right,
            top=self.y,
            width=self.width,
            names=names,
            name_label=row_labels[0],
            signature_label=row_labels[1],
            date_label=row_labels[2],
        )

    def callout(self, text: str) -> None:
        """Bold text in a tinted box across the page, for what the reader must not miss."""
        st = styles()
        lines = shaper().lines(text, st.label.font, st.label.size, self.width - 20)
        height = len(lines) * st.label.leading + 10
        self.room(height + 6)
        self.canvas.setFillColor(SHADE)
        self.canvas.setStrokeColor(ACCENT)
        self.canvas.setLineWidth(0.8)
        self.canvas.roundRect(MARGIN, self.y - height, self.width, height, 4, stroke=1, fill=1)
        self.canvas.setFont(st.label.font, st.label.size)
        self.canvas.setFillColor(st.label.color)
        y = _baseline(self.y - 5, st.label)
        for glyphs, width in lines:
            _draw_visual(self.canvas, glyphs, width, self.right - 10, self.width - 20, y, "right")
            y -= st.label.leading
        self.y -= height + 8

    def image(self, png: bytes, *, width: float, height: float) -> None:
        """A picture against the right margin. Raises ValueError/OSError for a bad image."""
        self.room(height + 4)
        draw_image(self.canvas, png, right=self.right, top=self.y, width=width, height=height)
        self.y -= height + 4
