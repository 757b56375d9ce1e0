"""Arabic text for ReportLab, which draws glyphs left to right exactly as it is given them.

The order of the work matters, and each step below avoids a known way of getting it wrong:

1. Bidi control characters pasted with the text are stripped first (they would be drawn as
   boxes, and they change the order unpredictably).
2. The *logical* text is broken into lines, each candidate line measured as it will be drawn
   (after shaping). Reordering first and breaking afterwards would put the lines of a
   paragraph bottom to top, since the end of a visual string is the start of the sentence.
3. Each line is shaped with arabic-reshaper (joined letter forms, lam-alef), keeping the
   harakat: the reshaper deletes them by default.
4. Runs that a reader expects left to right and that start with a digit, such as "2024-0153",
   "1,500.50" or "+966501234567", are isolated (LRI…PDI). Without it, digits after an Arabic
   letter become Arabic numbers and a hyphen between two of them is a neutral that takes the
   paragraph's direction, so "2024-0153" would be drawn "0153-2024". (A run that starts with a
   Latin letter, such as "RYD-7F3A-2026-00045", is already kept together by the algorithm.)
5. Each line is reordered with a right-to-left base direction. Left to detect it, a line that
   starts with digits or a Latin word would be laid out left to right, Arabic words and all.
   python-bidi's Rust `get_display` orders correctly (with the bracket-pair rule N0 and
   isolates) but does not mirror brackets, so "(نقدي)" would come out as ")نقدي("; its Python
   `bidi.algorithm` mirrors but refuses isolates and lacks N0, which misplaces the brackets of
   "(SHA-256):" between Arabic and Latin. So a line with a mirrored character ( ( ) [ ] « » …)
   is ordered here from the levels the Rust engine resolved (rules L1, L2), and the characters
   at right-to-left levels are mirrored (L4). Lines without such characters take the Rust
   engine's order as it is; both ways agree on them (tested).
6. The bidi controls of step 4 are removed from the result before drawing.

One reshaper serves the whole process; words, their widths and finished lines are cached, as
shaping is most of the cost of a form.
"""

# ReportLab, qrcode, arabic-reshaper and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.letters import LETTERS_ARABIC
from arabic_reshaper.ligatures import LIGATURES
from arabic_reshaper.reshaper_config import default_config
from bidi import get_display as fast_bidi
from bidi.mirror import MIRRORED
from reportlab.pdfbase.pdfmetrics import stringWidth

from romah_desktop.printing.fonts import FontSet, font_set

__all__ = [
    "BIDI_CONTROLS",
    "ArabicShaper",
    "reorder",
    "reshaper_config",
    "resolved_levels",
    "shaper",
]

# ALM, LRM, RLM, the embeddings and overrides, and the isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LRI, _PDI = "\u2066", "\u2069"
_STRIP_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))
# After shaping, the joiners have done their work and would otherwise be drawn.
_STRIP_DRAWN = str.maketrans(dict.fromkeys(BIDI_CONTROLS + "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# A whole run of Latin letters and digits joined by - / . , : (and maybe a leading +); it is
# isolated when it starts with + or a digit and has a separator (see step 4).
_TOKEN = re.compile(r"\+?[0-9A-Za-z]+(?:[-/.,:][0-9A-Za-z]+)*")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_CONTROL_CHARS = frozenset(BIDI_CONTROLS)
_MIRRORED_CHARS = frozenset(MIRRORED)
_WIDTH_UNIT = 1000.0  # widths are cached at this size and scaled
_CACHE_LIMIT = 50_000  # entries per cache, so a long batch cannot grow it without bound

# A name is printed as the person writes it: "عبدالله" in letters, not with the ﷲ ligature
# (which adds a shadda and a superscript alef the person never typed), even though the fonts
# have that glyph.
_NEVER_LIGATED = frozenset({"ARABIC LIGATURE ALLAH"})


def reshaper_config(cmaps: Iterable[frozenset[int]]) -> dict[str, bool]:
    """The reshaper's settings for faces with these character maps.

    Harakat and tatweel are kept. A ligature the reshaper would use stays on only if every face
    has its glyphs (otherwise it would be drawn as an empty box); isolated letter forms give
    way to the plain letters if a face lacks them.
    """
    maps = list(cmaps)

    def everywhere(chars: Iterable[str]) -> bool:
        return all(ord(ch) in cmap for cmap in maps for ch in chars if ch)

    config: dict[str, bool] = {"delete_harakat": False, "delete_tatweel": False}
    for name, (_pattern, forms) in LIGATURES:
        if default_config.get(name):
            config[name] = name not in _NEVER_LIGATED and everywhere(forms)
    # The letters of the Arabic alphabet; the Sindhi or Urdu extras some faces lack are rare
    # enough not to cost every other letter its isolated form.
    isolated = (
        forms[1] for letter, forms in LETTERS_ARABIC.items() if "\u0621" <= letter <= "\u064a"
    )
    config["use_unshaped_instead_of_isolated"] = not everywhere(isolated)
    return config


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


def reorder(text: str) -> str:
    """`text` (one line) in display order for a right-to-left paragraph, bidi controls dropped
    and characters at right-to-left levels mirrored: the Unicode rules L1, L2 and L4 applied to
    the Rust engine's resolved levels."""
    levels = resolved_levels(text)
    kept = [i for i, ch in enumerate(text) if ch not in _CONTROL_CHARS]
    chars = [text[i] for i in kept]
    level = [levels[i] for i in kept]
    end = len(chars)
    while end and chars[end - 1].isspace():  # L1: trailing spaces take the paragraph level
        end -= 1
        level[end] = 1
    order = list(range(len(chars)))
    for at_least in range(max(level, default=1), 0, -1):  # L2
        i = 0
        while i < len(order):
            if level[order[i]] < at_least:
                i += 1
                continue
            j = i
            while j < len(order) and level[order[j]] >= at_least:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return "".join(MIRRORED.get(chars[k], chars[k]) if level[k] % 2 else chars[k] for k in order)


class ArabicShaper:
    """Shapes, measures, wraps and orders Arabic (and mixed) text for drawing."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._reshaper = ArabicReshaper(configuration=reshaper_config(fonts.cmaps.values()))
        self._words: dict[str, str] = {}
        self._widths: dict[tuple[str, str], float] = {}
        self._lines: dict[str, str] = {}

    # --- words ------------------------------------------------------------------------------

    def shape(self, word: str) -> str:
        """`word` in its joined presentation forms, still in logical order."""
        shaped = self._words.get(word)
        if shaped is None:
            if len(self._words) > _CACHE_LIMIT:
                self._words.clear()
            shaped = self._reshaper.reshape(word) if word else word
            self._words[word] = shaped
        return shaped

    def width(self, text: str, font: str, size: float) -> float:
        """The width in points of logical `text` on one line, as it will be drawn."""
        words = sum(self._word_width(word, font) for word in text.split(" "))
        spaces = text.count(" ") * self._word_width(" ", font)
        return (words + spaces) * size / _WIDTH_UNIT

    def _word_width(self, word: str, font: str) -> float:
        key = (font, word)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > _CACHE_LIMIT:
                self._widths.clear()
            drawn = self.shape(word).translate(_STRIP_DRAWN) if word != " " else word
            width = stringWidth(drawn, font, _WIDTH_UNIT)
            self._widths[key] = width
        return width

    # --- lines ------------------------------------------------------------------------------

    def wrap(self, text: str, font: str, size: float, max_width: float) -> list[str]:
        """Break logical `text` into logical lines no wider than `max_width` points.

        Line breaks in `text` start new lines (an empty line stays empty); spaces collapse.
        A word wider than the whole line is cut where it must be, rather than run off the page.
        """
        unit = size / _WIDTH_UNIT
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
        if self._word_width(word, font) * size / _WIDTH_UNIT <= max_width:
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

    def visual(self, line: str) -> str:
        """One logical line as the glyphs to draw left to right: shaped, ordered right to left
        with digits and Latin runs kept in reading order, brackets mirrored, no controls."""
        drawn = self._lines.get(line)
        if drawn is None:
            if len(self._lines) > _CACHE_LIMIT:
                self._lines.clear()
            clean = line.translate(_STRIP_CONTROLS)
            shaped = " ".join(self.shape(word) for word in clean.split(" "))
            isolated = _TOKEN.sub(_isolate, shaped)
            if _MIRRORED_CHARS.isdisjoint(shaped):
                ordered = str(fast_bidi(isolated, base_dir="R"))
            else:
                ordered = reorder(isolated)
            drawn = ordered.translate(_STRIP_DRAWN)
            self._lines[line] = drawn
        return drawn

    def lines(self, text: str, font: str, size: float, max_width: float) -> list[tuple[str, float]]:
        """The lines of `text` from top to bottom, each as (glyphs to draw, width in points)."""
        return [
            (self.visual(line), self.width(line, font, size))
            for line in self.wrap(text, font, size, max_width)
        ]


_lock = threading.Lock()


@functools.cache
def shaper() -> ArabicShaper:
    """The process's one shaper, over the registered fonts. Raises MissingFont."""
    with _lock:
        return ArabicShaper(font_set())
