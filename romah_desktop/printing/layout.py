"""A small right-to-left drawing toolkit on a ReportLab canvas, for forms and reports.

Two levels, both usable on their own:

* Functions that draw one block at a given place and return where it ends: `draw_text`,
  `draw_paragraph`, `draw_fields` (label/value rows), `draw_table` (its first column on the
  right), `draw_signatures`, `draw_qr`, `draw_letterhead`, `draw_footer`. Coordinates are
  ReportLab's points from the bottom-left corner; a block is placed by its `right` edge and
  `top`, since Arabic lines start on the right.
* `Sheet`, which flows blocks down A4 pages (portrait, or landscape for wide reports): it keeps
  the cursor, and when a block does not fit it finishes the page (footer with the verification
  code and "page n of N") and continues on a new one under a short header (with the paper's QR,
  so that every page can be checked). A paragraph or table longer than a page is split between
  pages; a table repeats its header row, and its columns are as wide as their widest words, so
  that no number, id or word is cut (`columns`). A heading is drawn with the first lines of
  what follows it, never last on a page; `keep` keeps a group of blocks (what is signed and
  its signature lines) on one page.

All text is logical Unicode (as stored and typed); shaping and ordering are done here through
`arabic_text.shaper()`.
"""

# ReportLab, qrcode and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import copy
import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from romah_desktop.printing.arabic_text import Line, shaper
from romah_desktop.printing.columns import (
    CELL_PAD,
    Column,
    TableLayout,
    table_layout,
)
from romah_desktop.printing.images import draw_image, emblem, readable_image
from romah_desktop.printing.qr import QR_MASK, draw_qr, qr_modules
from romah_desktop.printing.textstyles import (
    ACCENT,
    RULE,
    SHADE,
    ZEBRA,
    Align,
    TextStyle,
    styles,
)

__all__ = [
    "ACCENT",
    "MARGIN",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "QR_MASK",
    "QR_SIZE",
    "Align",
    "Column",
    "Letterhead",
    "Sheet",
    "TextStyle",
    "draw_fields",
    "draw_footer",
    "draw_image",
    "draw_letterhead",
    "draw_paragraph",
    "draw_qr",
    "draw_signatures",
    "draw_table",
    "draw_text",
    "qr_modules",
    "readable_image",
    "styles",
    "table_layout",
]

PAGE_WIDTH: float = float(A4[0])
PAGE_HEIGHT: float = float(A4[1])
PORTRAIT = (PAGE_WIDTH, PAGE_HEIGHT)
LANDSCAPE = (PAGE_HEIGHT, PAGE_WIDTH)  # A4 turned, for the widest reports
MARGIN = 40.0
FOOTER_HEIGHT = 34.0


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
    line = arabic.line(text, style.font)
    width = line.width(style.size)
    start = {"right": x - width, "center": x - width / 2, "left": x}[align]
    canvas.setFont(style.font, style.size)
    canvas.setFillColor(style.color)
    arabic.draw(canvas, line, start, y)
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
    canvas: Canvas, glyphs: Line, width: float, right: float, box: float, y: float, align: Align
) -> None:
    if align == "right":
        x = right - width
    elif align == "center":
        x = right - box / 2 - width / 2
    else:
        x = right - box
    shaper().draw(canvas, glyphs, x, y)


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


def _column_edges(
    columns: Sequence[Column], right: float, width: float, widths: Sequence[float] | None = None
) -> list[float]:
    """The right edge of each column, then the table's left edge; the first column is the
    rightmost, as an Arabic reader starts there (the order is reversed here, by hand). The
    columns are `widths` points wide, or share `width` by their weights."""
    total = sum(column.weight for column in columns)
    if widths is None:
        widths = [width * column.weight / total for column in columns]
    edges = [right]
    for column_width in widths:
        edges.append(edges[-1] - column_width)
    return edges


def _row_lines(
    cells: Sequence[str], edges: list[float], style: TextStyle
) -> tuple[list[list[tuple[Line, float]]], float]:
    arabic = shaper()
    wrapped = [
        arabic.lines(cell, style.font, style.size, edges[i] - edges[i + 1] - 2 * CELL_PAD)
        for i, cell in enumerate(cells)
    ]
    height = max(len(lines) for lines in wrapped) * style.leading + 2 * CELL_PAD - 4
    return wrapped, height


def _draw_row(
    canvas: Canvas,
    wrapped: list[list[tuple[Line, float]]],
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
        cell_right = edges[i] - CELL_PAD
        cell_width = edges[i] - edges[i + 1] - 2 * CELL_PAD
        y = _baseline(top - CELL_PAD + 2, style)
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
    widths: Sequence[float] | None = None,
) -> tuple[float, int]:
    """Draw a table with its header row, the first column on the right, as many rows as fit
    above `bottom`; cells wrap. The columns are `widths` points wide (see `table_layout`), or
    share `width` by their weights. Returns the y below the table and the number of rows drawn
    (fewer than `len(rows)` when the page is full: draw the rest on the next page)."""
    st = styles()
    body = body or st.body
    head = head or TextStyle(st.label.font, st.label.size, st.label.leading, white)
    edges = _column_edges(columns, right, width, widths)
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


def _table_heights(
    fitted: TableLayout, cells: Sequence[str], columns: Sequence[Column]
) -> tuple[float, float]:
    """The height of a table's header row and of its row of `cells`."""
    edges = _column_edges(columns, 0.0, 0.0, fitted.widths)
    head = _row_lines([column.title for column in columns], edges, fitted.head)[1]
    return head, _row_lines(cells, edges, fitted.body)[1] if cells else 0.0


# --- signatures, images, QR -----------------------------------------------------------------


@dataclass(frozen=True)
class _SignatureBoxes:
    box: float
    gap: float
    label_width: float
    value_width: float
    names: list[str]
    name_lines: int
    room: float  # above the signature line: for a hand, or the captured signature

    @property
    def height(self) -> float:
        st = styles()
        return st.label.leading + 2 + self.room + (self.name_lines + 2) * st.body.leading + 3 * 6


def _signature_boxes(
    count: int,
    width: float,
    names: Sequence[str | None] | None,
    row_labels: Sequence[str],
    captured: Sequence[bytes | str | None] | None = None,
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
    images = any(isinstance(mark, bytes) for mark in captured or ())
    room = _CAPTURED_ROOM if images else 14.0
    return _SignatureBoxes(box, gap, label_width, value_width, filled, name_lines, room)


_CAPTURED_ROOM = 36.0  # a captured signature is drawn this much above its line, and over it


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
    captured: Sequence[bytes | str | None] | None = None,
) -> float:
    """Draw signature blocks side by side, the first on the right: each with its title, the
    signer's name (pre-filled when known, wrapping if long), and dotted lines for the
    signature and the date. A signature `captured` on the screen (by signer: a PNG, or words
    saying so when the image is not at hand) is printed in its signer's block where the hand
    would sign, with no line to sign a second time. Returns the y below them."""
    st = styles()
    row_labels = (name_label, signature_label, date_label)
    boxes = _signature_boxes(len(labels), width, names, row_labels, captured)
    rows = [
        (name_label, boxes.name_lines, 0.0),
        (signature_label, 1, boxes.room),  # room for the signature above the line
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
            mark = captured[index] if captured and index < len(captured) else None
            if row == 1 and isinstance(mark, str) and mark:
                draw_text(canvas, mark, x=value_right, y=baseline, style=st.body)
                y -= lines * st.body.leading + 6
                continue
            if row == 1 and isinstance(mark, bytes) and readable_image(mark):
                draw_image(
                    canvas,
                    mark,
                    right=value_right,
                    top=y + extra - 2,
                    width=boxes.value_width,
                    height=extra + st.body.size + 2,
                )
                y -= lines * st.body.leading + 6
                continue
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
    captured: Sequence[bytes | str | None] | None = None,
) -> float:
    """The height `draw_signatures` needs for these blocks."""
    return _signature_boxes(len(labels), width, names, row_labels, captured).height


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


def _code_beside_qr(canvas: Canvas, head: Letterhead, top: float) -> None:
    """The verification code alone on a line at the foot of the QR: a line without Arabic,
    which a PDF viewer copies as printed (Chrome's viewer reorders a Latin run that shares a
    line with Arabic words, as in the footer)."""
    if head.code:
        st = styles()
        draw_text(
            canvas,
            head.code,
            x=MARGIN + QR_SIZE + 6,
            y=top - QR_SIZE + 1,
            style=st.latin,
            align="left",
        )


def draw_letterhead(
    canvas: Canvas,
    head: Letterhead,
    *,
    first_page: bool = True,
    size: tuple[float, float] = PORTRAIT,
) -> float:
    """Draw the society's header at the top of a page of `size` (with the QR, which a later
    page carries too, so that every page of a paper can be checked). Returns the y where the
    page's content starts."""
    st = styles()
    page_width, page_height = size
    right = page_width - MARGIN
    top = page_height - MARGIN + 6
    if not first_page:
        y = top - st.label.size
        draw_text(canvas, head.society, x=right, y=y, style=st.label)
        title = f"{head.title} — {head.continued}" if head.continued else head.title
        if head.qr_payload:
            draw_qr(canvas, head.qr_payload, x=MARGIN, y=top - QR_SIZE, size=QR_SIZE)
            _code_beside_qr(canvas, head, top)
            y -= st.label.leading
            draw_text(canvas, title, x=right, y=y, style=st.label)
            y = top - QR_SIZE
        else:
            draw_text(canvas, title, x=MARGIN, y=y, style=st.label, align="left")
        y -= 8
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1)
        canvas.line(MARGIN, y, right, y)
        return y - 12
    radius = 19.0
    emblem(canvas, right - radius, top - radius - 4, radius)
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
        _code_beside_qr(canvas, head, top)
    rule = min(y - 10, top - QR_SIZE - 8)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.6)
    canvas.line(MARGIN, rule, right, rule)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, rule - 3, right, rule - 3)
    y = rule - 8 - st.title.size
    draw_text(canvas, head.title, x=page_width / 2, y=y, style=st.title, align="center")
    if head.subtitle:
        y -= st.body.leading + 2
        draw_text(canvas, head.subtitle, x=page_width / 2, y=y, style=st.body, align="center")
    return y - 16


def draw_footer(
    canvas: Canvas,
    head: Letterhead,
    page: int,
    pages_form: str | None,
    *,
    size: tuple[float, float] = PORTRAIT,
) -> None:
    """Draw the rule, the verification code, the note and "page n of N" at the bottom of a
    page of `size`.

    `pages_form` names a form XObject (defined when the document's pages are counted) that
    shows the number of pages; without it only the page number is shown."""
    st = styles()
    page_width = size[0]
    right = page_width - MARGIN
    y = MARGIN - 4
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + st.small.leading + 2, right, y + st.small.leading + 2)
    if head.code:
        draw_text(canvas, f"{head.code_label} {head.code}", x=right, y=y, style=st.small)
    if head.footer_note:
        draw_text(canvas, head.footer_note, x=page_width / 2, y=y, style=st.small, align="center")
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
    landscape: bool = False  # A4 turned, for tables too wide for a portrait page

    def __post_init__(self) -> None:
        self.size = LANDSCAPE if self.landscape else PORTRAIT
        self.right = self.size[0] - MARGIN
        self.width = self.size[0] - 2 * MARGIN
        self.bottom = MARGIN + FOOTER_HEIGHT
        self._pages_form = f"romahPages{next(_sheet_numbers)}"
        self._headings: list[str] = []  # drawn with the first lines of what follows them
        self.canvas.setPageSize(self.size)
        self.y = self._fresh = draw_letterhead(self.canvas, self.head, size=self.size)

    # --- pages ------------------------------------------------------------------------------

    def new_page(self) -> None:
        """Finish this page and continue on the next one."""
        draw_footer(self.canvas, self.head, self.page, self._pages_form, size=self.size)
        self.canvas.showPage()
        self.canvas.setPageSize(self.size)
        self.page += 1
        self.y = self._fresh = draw_letterhead(
            self.canvas, self.head, first_page=False, size=self.size
        )

    def room(self, height: float) -> None:
        """Start a new page unless `height` points fit above the footer, under the headings
        waiting for them (so a heading never ends a page); then draw those headings."""
        waiting = len(self._headings) * (styles().heading.leading + 9)
        self._break_for(waiting + height)
        headings, self._headings = self._headings, []
        for text in headings:
            self._draw_heading(text)

    def keep(self, draw: Callable[[Sheet], None]) -> None:
        """The blocks `draw` puts on the sheet, kept on one page: this one if they fit, else
        the next (they are first drawn on a scratch canvas to measure them). A group taller
        than a page starts a page and flows on."""
        trial = copy.copy(self)
        trial.canvas = Canvas(io.BytesIO())
        trial._headings = list(self._headings)
        trial.y = start = 1e6  # no page ends in the trial
        draw(trial)
        self._break_for(start - trial.y)
        draw(self)

    def _break_for(self, height: float) -> None:
        """A new page unless `height` points fit on this one, or nothing is on it yet (what is
        taller than a page starts at the top of one and flows on)."""
        if self.y - height < self.bottom and self.y < self._fresh:
            self.new_page()

    def gap(self, height: float = 8.0) -> None:
        self.y -= height

    def close(self) -> None:
        """Finish the last page and fill in the page count of every page."""
        self.room(0)
        draw_footer(self.canvas, self.head, self.page, self._pages_form, size=self.size)
        self.canvas.showPage()
        st = styles()
        # The number is drawn to the left of the form's origin, so the box must reach there.
        self.canvas.beginForm(self._pages_form, lowerx=-60, lowery=-6, upperx=6, uppery=20)
        draw_text(self.canvas, str(self.page), x=0, y=0, style=st.small)
        self.canvas.endForm()

    # --- blocks -----------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        """A section heading on a tinted band, drawn with (and if need be moved to the next
        page with) the first lines of the block that follows it."""
        self._headings.append(text)

    def _draw_heading(self, text: str) -> None:
        st = styles()
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
        lines = arabic.lines(text, style.font, style.size, self.width)
        for index, (glyphs, width) in enumerate(lines):
            self.room(style.leading * (min(2, len(lines)) if index == 0 else 1))
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
                self.room(style.leading * (min(2, len(lines)) if index == 0 else 1))
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

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        largest: float | None = None,
        compact: bool = False,
        drawn: Callable[[int], None] | None = None,
    ) -> None:
        """A table (see `draw_table`) continued on the next page, header and all, if long. Its
        columns are as wide as their widest words, a size or two smaller if need be (see
        `table_layout`: `largest` caps the size, and a `compact` one keeps its rows one line
        high if a smaller size allows it), smaller still if it must (a report turns its pages
        first). `drawn(n)` is told the rows drawn on each page."""
        fitted = table_layout(
            columns, rows, self.width, largest=largest, compact=compact, squeeze=True
        )
        assert fitted is not None
        rest = list(rows)
        while True:
            first = sum(_table_heights(fitted, rest[0] if rest else [], columns))
            self.room(first)
            # A row taller than a whole page runs past its foot rather than never being drawn.
            overflow = self.y >= self._fresh and self.y - first < self.bottom
            self.y, count = draw_table(
                self.canvas,
                columns,
                rest[:1] if overflow else rest,
                right=self.right,
                top=self.y,
                width=self.width,
                bottom=-1e9 if overflow else self.bottom,
                body=fitted.body,
                head=fitted.head,
                widths=fitted.widths,
            )
            rest = rest[count:]
            if drawn is not None:
                drawn(count)
            if not rest:
                break
            self.new_page()
        self.y -= 6

    def signatures(
        self,
        labels: Sequence[str],
        names: Sequence[str | None] | None = None,
        captured: Sequence[bytes | str | None] | None = None,
    ) -> None:
        """Signature blocks side by side (see `draw_signatures`), kept on one page. Keep them
        with what the signers sign (`keep`), so that no page holds only signature lines."""
        row_labels = (
            self.labels.get("name", "Name:"),
            self.labels.get("signature", "Signature:"),
            self.labels.get("date", "Date:"),
        )
        self.room(signature_height(labels, self.width, names, row_labels, captured) + 6)
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
            captured=captured,
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
