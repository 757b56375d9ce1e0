"""Arabic text for ReportLab: broken into lines, ordered, shaped by HarfBuzz, drawn with the
font's mark positioning, and with a text layer that reads as typed.

The order of the work matters, and each step below avoids a known way of getting it wrong:

1. Bidi control characters pasted with the text are stripped first (they would be drawn as
   boxes, and they change the order unpredictably).
2. The *logical* text is broken into lines, each word measured as HarfBuzz shapes it.
   Reordering first and breaking afterwards would put the lines of a paragraph bottom to
   top, since the end of a visual string is the start of the sentence.
3. Runs that a reader expects left to right and that start with a digit, such as "2024-0153",
   "1,500.50" or "+966501234567", are isolated (LRI…PDI). Without it, digits after an Arabic
   letter become Arabic numbers and a hyphen between two of them is a neutral that takes the
   paragraph's direction, so "2024-0153" would be drawn "0153-2024". (A run that starts with a
   Latin letter, such as "RYD-7F3A-2026-00045", is already kept together by the algorithm.)
4. Each line's embedding levels are resolved with a right-to-left base direction by
   python-bidi's Rust engine (with the bracket-pair rule N0 and isolates). Left to detect it,
   a line that starts with digits or a Latin word would be laid out left to right.
5. The line is cut into runs of one level, the runs are put in display order (rules L1, L2)
   and each is shaped by HarfBuzz in its own direction with the font's own tables: joined
   letter forms and lam-alef (GSUB), harakat placed over or under their letter and kerning
   (GPOS), brackets mirrored in right-to-left runs. Discretionary ligatures stay off, so
   "محمد" and "عبدالله" are printed in letters, as the person writes them.
6. The glyphs are shown left to right with HarfBuzz's advances and offsets (`Face.show`).
   A mark that HarfBuzz raises or lowers is shown invisibly on the baseline, beside its
   letter, where text extractors look for it, and drawn visibly as an outline in its place
   (a glyph shown off the baseline is taken by extractors for a line of its own).
7. Each glyph's entry in the font's ToUnicode map is the text it stands for, not the
   character ReportLab picked to reach it: a joined form (U+FE91…) reads as its letter,
   lam-alef as its two letters, a glyph no character maps to (a contextual form of the formal
   face, reached through a private-use code) as the characters it was shaped from.
8. The text layer is written for the two readers people use, which read a right-to-left
   line in different ways: PDFium (Chrome's and Edge's viewers, where a clerk copies a code)
   and Poppler's pdftotext (the readers and desktop search of Linux). Each Arabic word says
   its letters, in the order drawn, in a marked-content span (/ActualText), which both take
   as a whole. Where one of them would read a span wrongly (PDFium: a word with harakat, a
   bracket), PDFium is sent to the glyphs and pdftotext is given the word in a span of its
   own that PDFium does not see (`ArabicShaper.draw`). Tested with both (test_text_layer).

Words, their widths and finished lines are cached, as shaping is most of the cost of a form.
"""

# ReportLab, uharfbuzz and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
import re
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any

import uharfbuzz
from bidi import get_display as fast_bidi
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.canvas import Canvas

from romah_desktop.printing.fonts import FontSet, font_set

__all__ = [
    "BIDI_CONTROLS",
    "ArabicShaper",
    "Line",
    "as_drawn",
    "reads_as",
    "resolved_levels",
    "runs",
    "shaper",
    "to_unicode_cmap",
]

# ALM, LRM, RLM, the embeddings and overrides, and the isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LRI, _PDI = "\u2066", "\u2069"
_STRIP_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))
# A whole run of Latin letters and digits joined by - / . , : (and maybe a leading +); it is
# isolated when it starts with + or a digit and has a separator (see step 3).
_TOKEN = re.compile(r"\+?[0-9A-Za-z]+(?:[-/.,:][0-9A-Za-z]+)*")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_CONTROL_CHARS = frozenset(BIDI_CONTROLS)
# Punctuation that ends or separates words (brackets are not among them).
_STOPS = frozenset("،؛؟:.,;!?/")
_BRACKETS = frozenset("()[]{}«»<>")
_HARAKAT = re.compile("[\u064b-\u065f\u0670]")
_CACHE_LIMIT = 50_000  # entries per cache, so a long batch cannot grow it without bound
# HarfBuzz's default features for Arabic (ccmp, isol/init/medi/fina, rlig, calt, liga, mark,
# mkmk, kern…) with the discretionary ligatures it leaves off said off in so many words.
_FEATURES = {"dlig": False}


def _isolate(match: re.Match[str]) -> str:
    run = match.group(0)
    if run[0].isdigit() and any(sep in run for sep in "-/.,:") or run[0] == "+":
        return f"{_LRI}{run}{_PDI}"
    return run


def resolved_levels(text: str) -> list[int]:
    """The embedding level of each character of `text` in a right-to-left paragraph, as the
    Rust engine resolves them (read from its debug output, which lists them per UTF-8 byte).

    Raises RuntimeError if that output is not as expected (a python-bidi upgrade)."""
    debug = str(fast_bidi(text, base_dir="R", debug=True))
    start = debug.find("levels:")
    end = debug.find("paragraphs:", start)
    per_byte = [int(level) for level in _LEVEL.findall(debug, start, end)]
    encoded = [len(ch.encode("utf-8")) for ch in text]
    if start < 0 or len(per_byte) != sum(encoded):
        raise RuntimeError("python-bidi's debug output changed; printing cannot order the text")
    levels: list[int] = []
    offset = 0
    for size in encoded:
        levels.append(per_byte[offset])
        offset += size
    return levels


def runs(line: str) -> list[tuple[str, bool]]:
    """One logical line as its directional runs in display order, left to right: each run's
    text in logical order and whether it is right to left (the Unicode rules L1 and L2 over the
    Rust engine's resolved levels, with the isolation of step 3). Bidi controls are dropped."""
    isolated = _TOKEN.sub(_isolate, line.translate(_STRIP_CONTROLS))
    levels = resolved_levels(isolated)
    kept = [i for i, ch in enumerate(isolated) if ch not in _CONTROL_CHARS]
    chars = [isolated[i] for i in kept]
    level = [levels[i] for i in kept]
    end = len(chars)
    while end and chars[end - 1].isspace():  # L1: trailing spaces take the paragraph level
        end -= 1
        level[end] = 1
    pieces: list[tuple[int, str]] = []  # maximal runs of one level, in logical order
    for ch, lvl in zip(chars, level, strict=True):
        if pieces and pieces[-1][0] == lvl:
            pieces[-1] = (lvl, pieces[-1][1] + ch)
        else:
            pieces.append((lvl, ch))
    order = list(range(len(pieces)))
    for at_least in range(max(level, default=1), 0, -1):  # L2, on whole runs
        i = 0
        while i < len(order):
            if pieces[order[i]][0] < at_least:
                i += 1
                continue
            j = i
            while j < len(order) and pieces[order[j]][0] >= at_least:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return [(pieces[k][1], pieces[k][0] % 2 == 1) for k in order]


# --- the text layer ---------------------------------------------------------------------------

# What a glyph reached through a private-use code stands for, by (PostScript name, code).
_PRIVATE: dict[tuple[str, int], str] = {}


def reads_as(font_name: str, code: int) -> str:
    """The text that a glyph ReportLab reaches through character `code` of the face named
    `font_name` (as in its subsets' names) stands for, in logical order."""
    if 0xE000 <= code <= 0xF8FF:
        return _PRIVATE.get((font_name, code), "")
    if 0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return unicodedata.normalize("NFKC", chr(code)).strip() or chr(code)
    return chr(code)


def as_drawn(text: str) -> str:
    """A glyph's text in the order extractors expect from a glyph of a right-to-left line:
    its letters reversed, each keeping the marks that follow it (a lam-alef glyph says "ال",
    which the extractor turns back into "لا" as it reverses the line)."""
    if not any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text):
        return text
    letters: list[str] = []
    for ch in text:
        if letters and unicodedata.combining(ch):
            letters[-1] += ch
        else:
            letters.append(ch)
    return "".join(reversed(letters))


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map of a font subset, with each code mapped to `reads_as`
    rather than to the character ReportLab used to reach the glyph (see step 7)."""
    face = fontname.split("+", 1)[-1]
    entries = []
    for index, code in enumerate(subset):
        text = as_drawn(reads_as(face, code)) or chr(code)
        entries.append(f"<{index:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


# ReportLab builds each embedded subset's ToUnicode map with this module function, from the
# characters it reached the glyphs with; it has no other way to say what a glyph reads as.
ttfonts.makeToUnicodeCMap = to_unicode_cmap


def _tj(tokens: list[int | float]) -> str:
    """A TJ operator: runs of codes (int) as hexadecimal strings, adjustments (float) as
    numbers; nothing when there is nothing to show."""
    items: list[str] = []
    codes = bytearray()
    for token in tokens:
        if isinstance(token, int):
            codes.append(token)
        elif abs(token) > 0.05:
            if codes:
                items.append(f"<{codes.hex()}>")
                codes = bytearray()
            items.append(f"{token:.1f}")
    if codes:
        items.append(f"<{codes.hex()}>")
    return f"[{' '.join(items)}] TJ" if items else ""


def _pdf_text(text: str) -> str:
    """A PDF text string: hexadecimal UTF-16BE with its byte-order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# --- shaping ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One logical line shaped for one face: its pieces in display order, left to right, each
    as the glyphs to show (a ReportLab ShapedStr carrying HarfBuzz's advances and offsets),
    their advance at size 1000 and, for an Arabic word, what it says in the text layer (see
    `_words`); its width at size 1000; and the line as typed."""

    pieces: tuple[tuple[Any, float, str | None, bool], ...]
    units: float
    text: str

    def width(self, size: float) -> float:
        return self.units * size / 1000.0


def _words(run: str, glyphs: Any) -> list[tuple[Any, float, str | None, bool]]:
    """A right-to-left run cut into words, and spaces, stops and brackets standing apart, as
    (glyphs, advance, what it says, whether both readers take that from a span).

    A word says its characters reversed, as drawn; a reader takes the span as one piece.
    Taken glyph by glyph, a kerned pair that overlaps (the ي tucked under the ر of
    "عبدالعزيز") reads as two words in both readers. A word with harakat and a bracket are
    read right by PDFium from their glyphs and wrong from a span, so only pdftotext gets
    their span. Spaces and stops read right from their glyphs in both."""
    data = glyphs.__shapeData__
    chars = str(glyphs)
    starts = sorted({d.cluster for d in data} | {len(run)})
    ends = dict(zip(starts, starts[1:], strict=False))

    def typed(k: int) -> str:
        return run[data[k].cluster : ends[data[k].cluster]]

    def apart(k: int) -> bool:  # a space, a stop or a bracket
        text = typed(k)
        return text == " " or text in _BRACKETS or (text in _STOPS and chars[k] == text)

    pieces: list[tuple[Any, float, str | None, bool]] = []
    i = 0
    while i < len(chars):
        alone = apart(i)
        j = i
        while j < len(chars) and apart(j) == alone:
            j += 1
        clusters = [d.cluster for d in data[i:j]]
        word = run[min(clusters) : ends[max(clusters)]]
        if word == " " * len(word) or (alone and word[0] in _STOPS):
            said, shared = None, False
        else:  # a word, or a bracket standing apart
            said = word[::-1]
            shared = not alone and not _HARAKAT.search(word)
        glyphs = ShapedStr(chars[i:j], data[i:j])
        pieces.append((glyphs, sum(d.x_advance for d in data[i:j]), said, shared))
        i = j
    return pieces


class _PathPen:
    """Collects a glyph outline from HarfBuzz as PDF path operators, at 1000 units per em."""

    def __init__(self, units_per_1000: float) -> None:
        self.operators: list[str] = []
        self._per = 1.0 / units_per_1000
        self._at = (0.0, 0.0)

    def _pt(self, point: tuple[float, float]) -> str:
        return f"{point[0] * self._per:.1f} {point[1] * self._per:.1f}"

    def moveTo(self, point: tuple[float, float]) -> None:  # noqa: N802 (the pen protocol)
        self.operators.append(f"{self._pt(point)} m")
        self._at = point

    def lineTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.operators.append(f"{self._pt(point)} l")
        self._at = point

    def curveTo(self, *points: tuple[float, float]) -> None:  # noqa: N802
        self.operators.append(" ".join(self._pt(p) for p in points) + " c")
        self._at = points[-1]

    def qCurveTo(self, control: tuple[float, float], end: tuple[float, float]) -> None:  # noqa: N802
        # A quadratic segment as the cubic that draws the same curve.
        (x0, y0), (cx, cy), (x, y) = self._at, control, end
        first = (x0 + 2 * (cx - x0) / 3, y0 + 2 * (cy - y0) / 3)
        second = (x + 2 * (cx - x) / 3, y + 2 * (cy - y) / 3)
        self.curveTo(first, second, end)

    def closePath(self) -> None:  # noqa: N802
        self.operators.append("h")


class _Face:
    """A registered face and its HarfBuzz font (at the face's own units)."""

    def __init__(self, name: str) -> None:
        self.ttf: TTFont = pdfmetrics.getFont(name)
        self.hb = self.ttf.hbFont(1000)  # also readies ReportLab's table of unmapped glyphs
        self.scale = self.ttf.pdfScale
        self.chars: dict[int, int] = {}
        self.outlines: dict[int, str] = {}
        # The face's name as ReportLab writes it after a subset's tag ("AAAAAA+name").
        self.name = (self.ttf.face.name + self.ttf.face.subfontNameX).decode("latin-1")

    def char(self, gid: int, advance: int) -> int:
        """The character that reaches glyph `gid` in ReportLab's subsets: one the font maps
        to it, or a private-use one ReportLab assigns to a glyph no character maps to."""
        char = self.chars.get(gid)
        if char is None:
            mapped = self.ttf.face.glyphToChar.get(gid)
            if mapped:
                char = mapped[0]
            else:
                # Its width in the PDF is its advance as HarfBuzz sets it in a word: a
                # cursive form of the formal face advances far less than its outline is
                # wide, and a reader takes a glyph that overlaps the next for another word.
                char = self.ttf.hbAddPrivate(self.hb.glyph_to_string(gid), gid, self.scale(advance))
            self.chars[gid] = char
        return char

    def shape(self, text: str, rtl: bool | None) -> tuple[Any, float]:
        """`text` shaped: a ShapedStr of the characters that reach its glyphs, left to right,
        with ReportLab's shape data, and its advance at size 1000. `rtl` None lets HarfBuzz
        guess the direction."""
        buf = uharfbuzz.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        if rtl:
            buf.direction, buf.script = "rtl", "Arab"
        elif rtl is not None:
            buf.direction = "ltr"
        uharfbuzz.shape(self.hb, buf, _FEATURES)
        infos, positions = buf.glyph_infos, buf.glyph_positions
        clusters = sorted({info.cluster for info in infos} | {len(text)})
        ends = dict(zip(clusters, clusters[1:], strict=False))
        chars: list[str] = []
        data: list[Any] = []
        total = 0.0
        widths = self.ttf.face.charWidths
        reached = [
            self.char(info.codepoint, pos.x_advance)
            for info, pos in zip(infos, positions, strict=True)
        ]
        for info, char in zip(infos, reached, strict=True):
            if 0xE000 <= char <= 0xF8FF and (self.name, char) not in _PRIVATE:
                # The cluster's text less what its other glyphs read as: a mark ligature
                # (shadda with fatha) reads as its two marks, not as its letter too.
                rest = text[info.cluster : ends[info.cluster]]
                for other, other_info in zip(reached, infos, strict=True):
                    if other_info.cluster == info.cluster and other != char:
                        rest = rest.replace(reads_as(self.name, other), "", 1)
                _PRIVATE[(self.name, char)] = rest
        for info, pos, char in zip(infos, positions, reached, strict=True):
            advance = self.scale(pos.x_advance)
            total += advance
            chars.append(chr(char))
            data.append(
                ShapeData(
                    info.cluster,
                    advance,
                    self.scale(pos.y_advance),
                    self.scale(pos.x_offset),
                    self.scale(pos.y_offset),
                    widths.get(char, advance),
                )
            )
        return ShapedStr("".join(chars), data), total

    def show(
        self, glyphs: Any, doc: Any, size: float, marks: list[tuple[int, float, float]]
    ) -> list[str]:
        """PDF operators showing shaped `glyphs` (a ShapedStr) from the text position: each
        glyph by its code in one of ReportLab's subsets of the face, moved by HarfBuzz's
        offset and followed by the difference between HarfBuzz's advance and the glyph's own
        width (TJ arrays, in thousandths of the size).

        A mark that HarfBuzz raises or lowers is shown invisibly (render mode 3) on the
        baseline, where text extractors expect it beside its letter, and added to `marks` as
        (character, x from the start, y) at size 1000, to be drawn as an outline in its
        place: a glyph shown off the baseline would be read as a line of its own."""
        data = glyphs.__shapeData__
        operators: list[str] = []
        k = 0
        pen = 0.0
        for subset, chunk in self.ttf.splitString(str(glyphs), doc):
            operators.append(f"{self.ttf.getSubsetInternalName(subset, doc)} {size:g} Tf")
            tokens: list[int | float] = []  # codes (int) and TJ adjustments (float)
            for code in chunk:
                d = data[k]
                k += 1
                if d.y_offset:
                    operators.append(_tj(tokens))
                    tokens = []
                    operators.append(f"3 Tr {_tj([code, d.width - d.x_advance])} 0 Tr")
                    marks.append((ord(str(glyphs)[k - 1]), pen + d.x_offset, d.y_offset))
                else:
                    if d.x_offset:
                        tokens.append(float(-d.x_offset))
                    tokens += [code, float(d.width - d.x_advance + d.x_offset)]
                pen += d.x_advance
            operators.append(_tj(tokens))
        return [operator for operator in operators if operator]

    def stretched_space(self, doc: Any, size: float, advance: float) -> str:
        """Operators showing one invisible space as wide as `advance` (at size 1000)."""
        ((subset, code),) = self.ttf.splitString(" ", doc)
        name = self.ttf.getSubsetInternalName(subset, doc)
        space = self.ttf.face.charWidths[ord(" ")]
        return (
            f"{name} {size:g} Tf 3 Tr {100 * advance / space:.3f} Tz <{code.hex()}> Tj 100 Tz 0 Tr"
        )

    def outline(self, char: int, x: float, y: float, scale: float) -> str:
        """PDF operators filling the outline of the glyph drawn for `char` with its origin at
        (x, y), `scale` points to the unit of 1000 per em."""
        path = self.outlines.get(char)
        if path is None:
            pen = _PathPen(self.ttf.face.unitsPerEm / 1000.0)
            self.hb.draw_glyph_with_pen(self.ttf.face.charToGlyph[char], pen)
            path = self.outlines[char] = " ".join(pen.operators) + " f"
        return f"q {scale:.4f} 0 0 {scale:.4f} {x:.3f} {y:.3f} cm {path} Q"


class ArabicShaper:
    """Measures, wraps, orders and shapes Arabic (and mixed) text, and draws it."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._faces: dict[str, _Face] = {}
        self._widths: dict[tuple[str, str], float] = {}
        self._lines: dict[tuple[str, str], Line] = {}
        # Each document's lines as drawn: (line, text operators, outlines) by (line, font, size).
        self._drawn: weakref.WeakKeyDictionary[Any, dict[tuple[int, str, float], Any]] = (
            weakref.WeakKeyDictionary()
        )

    def _face(self, font: str) -> _Face:
        face = self._faces.get(font)
        if face is None:
            face = self._faces[font] = _Face(font)
        return face

    # --- measuring and breaking -------------------------------------------------------------

    def width(self, text: str, font: str, size: float) -> float:
        """The width in points of logical `text` on one line, as it will be drawn."""
        words = sum(self._word_width(word, font) for word in text.split(" "))
        spaces = text.count(" ") * self._word_width(" ", font)
        return (words + spaces) * size / 1000.0

    def _word_width(self, word: str, font: str) -> float:
        key = (font, word)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > _CACHE_LIMIT:
                self._widths.clear()
            clean = word.translate(_STRIP_CONTROLS)
            width = self._face(font).shape(clean, None)[1] if clean else 0.0
            self._widths[key] = width
        return width

    def wrap(self, text: str, font: str, size: float, max_width: float) -> list[str]:
        """Break logical `text` into logical lines no wider than `max_width` points.

        Line breaks in `text` start new lines (an empty line stays empty); spaces collapse.
        A word wider than the whole line is cut where it must be, rather than run off the page.
        """
        unit = size / 1000.0
        space = self._word_width(" ", font) * unit
        lines: list[str] = []
        for paragraph in text.translate(_STRIP_CONTROLS).split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                for piece in self._fit(word, font, size, max_width):
                    width = self._word_width(piece, font) * unit
                    if current and used + space + width > max_width:
                        lines.append(" ".join(current))
                        current, used = [piece], width
                    else:
                        used = used + space + width if current else width
                        current.append(piece)
            lines.append(" ".join(current))
        return lines

    def _fit(self, word: str, font: str, size: float, max_width: float) -> list[str]:
        if self._word_width(word, font) * size / 1000.0 <= max_width:
            return [word]
        pieces: list[str] = []
        rest = word
        while rest:
            cut = len(rest)
            while cut > 1 and self.width(rest[:cut], font, size) > max_width:
                cut -= 1
            pieces.append(rest[:cut])
            rest = rest[cut:]
        return pieces

    # --- shaping and drawing ----------------------------------------------------------------

    def line(self, text: str, font: str) -> Line:
        """One logical line in display order, shaped for `font` (cached)."""
        key = (font, text)
        shaped = self._lines.get(key)
        if shaped is None:
            if len(self._lines) > _CACHE_LIMIT:
                self._lines.clear()
            face = self._face(font)
            pieces: list[tuple[Any, float, str | None, bool]] = []
            for run, rtl in runs(text):
                glyphs, advance = face.shape(run, rtl)
                if rtl:
                    pieces += _words(run, glyphs)
                else:
                    pieces.append((glyphs, advance, None, False))
            units = sum(piece[1] for piece in pieces)
            shaped = Line(tuple(pieces), units, text.translate(_STRIP_CONTROLS))
            self._lines[key] = shaped
        return shaped

    def lines(
        self, text: str, font: str, size: float, max_width: float
    ) -> list[tuple[Line, float]]:
        """The lines of `text` from top to bottom, each as (shaped line, width in points)."""
        return [
            (shaped, shaped.width(size))
            for shaped in (self.line(part, font) for part in self.wrap(text, font, size, max_width))
        ]

    def draw(self, canvas: Canvas, line: Line, x: float, y: float) -> None:
        """Draw a shaped line starting at `x` with its baseline at `y`, in the canvas's current
        font, size and colour (the font it was shaped for)."""
        doc, font, size = canvas._doc, canvas._fontname, canvas._fontsize
        # A line's operators are relative to its start, so a line drawn again in the same
        # document (the same label on every receipt of a batch) is not shown anew.
        drawn = self._drawn.get(doc)
        if drawn is None:
            drawn = self._drawn[doc] = {}
        key = (id(line), font, size)
        cached = drawn.get(key)
        if cached is None or cached[0] is not line:
            cached = drawn[key] = (line, *self._operators(line, self._face(font), doc, size))
        _line, text, outlines = cached
        literal = f"BT 1 0 0 1 {x:.3f} {y:.3f} Tm {text} ET"
        if outlines:
            literal += f" q 1 0 0 1 {x:.3f} {y:.3f} cm {outlines} Q"
        canvas.addLiteral(literal)

    @staticmethod
    def _operators(line: Line, face: _Face, doc: Any, size: float) -> tuple[str, str]:
        """The text operators of `line` from its start, and its marks' outlines."""
        scale = size / 1000.0
        out: list[str] = []
        marks: list[tuple[int, float, float]] = []
        outlines: list[str] = []
        pen = step = 0.0
        for glyphs, advance, said, shared in line.pieces:
            if glyphs:
                operators = face.show(glyphs, doc, size, marks)
                if step:
                    out.append(f"{step:.3f} 0 Td")  # to this piece's start
                    step = 0.0
                if said is None:
                    out += operators
                elif shared:  # both readers take the span's text
                    out += [f"/Span <</ActualText {_pdf_text(said)}>> BDC", *operators, "EMC"]
                else:
                    # PDFium reads the glyphs: a span with no text sends it to them (one span
                    # for each operation, as PDFium skips one in the same span as the one
                    # before); pdftotext reads nothing from such a span. pdftotext reads the
                    # word from the span after it, around an invisible space stretched over
                    # the word (from the piece's start again), which PDFium skips: a space
                    # has no ink, so no width for it.
                    out += [
                        operator
                        if operator.endswith(" Tf")
                        else f"/Span <</ActualText ()>> BDC {operator} EMC"
                        for operator in operators
                    ]
                    out.append(
                        f"0 0 Td /Span <</ActualText {_pdf_text(said)}>> BDC "
                        f"{face.stretched_space(doc, size, advance)} EMC"
                    )
                for char, dx, dy in marks:
                    outlines.append(face.outline(char, pen + dx * scale, dy * scale, scale))
                marks.clear()
            pen += advance * scale
            step += advance * scale
        return " ".join(out), " ".join(outlines)


_lock = threading.Lock()


@functools.cache
def shaper() -> ArabicShaper:
    """The process's one shaper, over the registered fonts. Raises MissingFont."""
    with _lock:
        return ArabicShaper(font_set())
