"""A table's column widths from what its cells hold.

A cell may wrap between words, never inside one: an amount ("11,400.50"), a request number,
a date or a word of a header is read whole or misread. So every column is at least as wide
as its widest word (its widest unbreakable token), header included, measured as it will be
drawn. The space left is then given to the columns that need least to show their cells on
one line, so as many columns as possible stay one line high; what remains after every cell
fits is shared in proportion to the columns' weights.

When even the widest words do not fit side by side, there is no such layout: the caller sets
the table a size smaller, or turns the page.
"""

# ReportLab ships no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import white

from romah_desktop.printing.arabic_text import shaper
from romah_desktop.printing.textstyles import Align, TextStyle, styles

__all__ = [
    "CELL_PAD",
    "Column",
    "TableLayout",
    "fit_widths",
    "measure",
    "table_layout",
    "table_styles",
    "widest_word",
]

CELL_PAD = 4.0  # between a cell's text and its rules


@dataclass(frozen=True)
class Column:
    """A table column: its title, its share of the table's width, and how its cells align."""

    title: str
    weight: float = 1.0
    align: Align = "right"


def widest_word(text: str, font: str, size: float) -> float:
    """The width of the widest word of `text` (points): the narrowest it can be wrapped to."""
    arabic = shaper()
    return max((arabic.width(word, font, size) for word in text.split()), default=0.0)


def _widest_line(text: str, font: str, size: float) -> float:
    arabic = shaper()
    return max((arabic.width(line, font, size) for line in text.split("\n")), default=0.0)


@dataclass(frozen=True)
class Measures:
    """A table's texts measured once, at a size of one point (widths grow with the size): by
    column, the widest word and the widest line of its cells, and of its title."""

    cell_word: list[float]
    cell_line: list[float]
    title_word: list[float]
    title_line: list[float]


def measure(
    titles: Sequence[str], rows: Sequence[Sequence[str]], body_font: str, head_font: str
) -> Measures:
    count = len(titles)
    word, line = [0.0] * count, [0.0] * count
    seen: dict[str, tuple[float, float]] = {}  # a list repeats its statuses, types and days
    for row in rows:
        for i, cell in enumerate(row):
            if cell:
                widths = seen.get(cell)
                if widths is None:
                    widths = seen[cell] = (
                        widest_word(cell, body_font, 1.0),
                        _widest_line(cell, body_font, 1.0),
                    )
                word[i] = max(word[i], widths[0])
                line[i] = max(line[i], widths[1])
    return Measures(
        word,
        line,
        [widest_word(title, head_font, 1.0) for title in titles],
        [_widest_line(title, head_font, 1.0) for title in titles],
    )


def fit_widths(
    measures: Measures,
    width: float,
    *,
    body: float,
    head: float,
    padding: float,
    weights: Sequence[float] | None = None,
    one_line: bool = False,
) -> list[float] | None:
    """The width of each column (summing to `width`) for cells set at size `body` and titles
    at `head`, each cell `padding` points wider than its text; None when the widest words of
    the columns do not fit side by side in `width` (or, when `one_line`, unless every cell
    fits on one line)."""
    pad = padding + 0.5
    least = [
        max(w * body, t * head) + pad
        for w, t in zip(measures.cell_word, measures.title_word, strict=True)
    ]
    cell_lines = measures.cell_line
    full = [max(line * body + pad, low) for line, low in zip(cell_lines, least, strict=True)]
    if sum(full if one_line else least) > width:
        return None
    widths = list(least)
    spare = width - sum(widths)
    # First every cell on one line, then the titles on three lines, on two, on one (roughly:
    # titles break between words), the cheapest columns first.
    spare = _grow(widths, full, spare)
    for lines in (3, 2, 1):
        titled = [
            max(w, t * head / lines + pad) for w, t in zip(widths, measures.title_line, strict=True)
        ]
        spare = _grow(widths, titled, spare)
    if spare > 0:
        shares = list(weights) if weights else [1.0] * len(widths)
        total = sum(shares) or 1.0
        widths = [w + spare * s / total for w, s in zip(widths, shares, strict=True)]
    return widths


def _grow(widths: list[float], target: list[float], spare: float) -> float:
    """Widen the columns towards `target`, those needing least first; a column that cannot be
    given all it needs shares what is left with the others in proportion to their needs.
    Returns the space still left."""
    order = sorted(range(len(widths)), key=lambda i: target[i] - widths[i])
    for position, i in enumerate(order):
        need = target[i] - widths[i]
        if need <= spare:
            widths[i] = target[i]
            spare -= need
            continue
        rest = order[position:]
        needs = sum(target[j] - widths[j] for j in rest)
        for j in rest:
            widths[j] += spare * (target[j] - widths[j]) / needs
        return 0.0
    return spare


# A table's text sizes (and leading), largest first: one that does not fit is set a step smaller.
_TABLE_SIZES = ((10.5, 16.5), (9.0, 13.5), (8.0, 12.0))


def table_styles(size: float, leading: float) -> tuple[TextStyle, TextStyle]:
    """A table's cells, and its titles (white on the accent), at `size`."""
    st = styles()
    return (
        TextStyle(st.body.font, size, leading),
        TextStyle(st.label.font, size - 0.5, leading, white),
    )


@dataclass(frozen=True)
class TableLayout:
    """How a table is set: its cells' and titles' styles, and each column's width."""

    body: TextStyle
    head: TextStyle
    widths: list[float]
    one_line: bool = False  # every row one line high


def table_layout(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: float,
    *,
    largest: float | None = None,
    compact: bool = False,
    squeeze: bool = False,
) -> TableLayout | None:
    """The table set at the largest size (the body's, or `largest`, then up to two steps
    smaller) at which every column is as wide as its widest word, title included, so that no
    number, id or word is cut between lines; None when it does not fit `width` even at the
    smallest (turn the page, then). A `compact` table (a long list) is first tried at the
    largest size at which every row is one line high. A table that does not fit even at the
    smallest size is, when `squeeze`, set as small as it must be (never None then)."""
    sizes = [(s, lead) for s, lead in _TABLE_SIZES if largest is None or s <= largest]
    if not sizes:
        return None
    first_body, first_head = table_styles(*sizes[0])
    measures = measure([c.title for c in columns], rows, first_body.font, first_head.font)
    for one_line in (True, False) if compact else (False,):
        for size, leading in sizes:
            body, head = table_styles(size, leading)
            widths = fit_widths(
                measures,
                width,
                body=body.size,
                head=head.size,
                padding=2 * CELL_PAD,
                weights=[column.weight for column in columns],
                one_line=one_line,
            )
            if widths is not None:
                return TableLayout(body, head, widths, one_line)
    if not squeeze:
        return None
    # Smaller still, in proportion: the widest words side by side fill the width exactly.
    size, leading = sizes[-1]
    pad = 2 * CELL_PAD + 0.5
    words = sum(
        max(w * size, t * (size - 0.5))
        for w, t in zip(measures.cell_word, measures.title_word, strict=True)
    )
    scale = (width - len(columns) * pad) / words
    body, head = table_styles(size * scale, leading * scale)
    widths = fit_widths(measures, width, body=body.size, head=head.size, padding=2 * CELL_PAD)
    return TableLayout(body, head, widths or [width / len(columns)] * len(columns))
