"""The Arabic fonts of the printed forms: found through the fontpkg packages (the same ones the
window uses), registered once with ReportLab and embedded (subset) in every PDF.

IBM Plex Sans Arabic is the text face; Amiri, a formal naskh, is used only for the society's
name at the head of letters. Both are shaped by HarfBuzz with their own tables (see
arabic_text), so joined forms, cursive attachment and harakat are where each font puts them.
"""

# ReportLab, qrcode and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import fontpkg

from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_

__all__ = [
    "FORMAL_FAMILY",
    "TEXT_FAMILY",
    "FontSet",
    "MissingFont",
    "font_set",
]

# The fontpkg slugs; ui/fonts.py registers the same families with Qt.
TEXT_FAMILY = "ibm-plex-sans-arabic"
FORMAL_FAMILY = "amiri"


class MissingFont(RomahError):
    """A font package the printed forms need is not installed."""


@dataclass(frozen=True)
class FontSet:
    """The ReportLab names of the registered faces, and each face's character map."""

    regular: str
    bold: str
    formal: str
    cmaps: dict[str, frozenset[int]]

    def has_glyphs(self, text: str, font: str) -> bool:
        """Whether `font` has a glyph for every character of `text` (spaces included)."""
        cmap = self.cmaps[font]
        return all(ord(ch) in cmap for ch in text)


_FACES = (
    # ReportLab name, fontpkg family, weight
    ("RomahSans", TEXT_FAMILY, 400),
    ("RomahSans-Bold", TEXT_FAMILY, 700),
    ("RomahFormal-Bold", FORMAL_FAMILY, 700),
)
_lock = threading.Lock()


@functools.cache
def font_set() -> FontSet:
    """Register the forms' fonts with ReportLab (once per process) and return their names.

    Raises MissingFont, with the package to reinstall, when a font package or file is missing.
    """
    # ReportLab is loaded only when the first PDF is made, not when the app starts.
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    with _lock:
        # PDF streams stay binary: ASCII85 makes every font file a quarter larger and costs a
        # pass over it in Python.
        rl_config.useA85 = 0
        cmaps: dict[str, frozenset[int]] = {}
        for name, family, weight in _FACES:
            try:
                path = fontpkg.path(family, weight)
            except fontpkg.FontpkgError as error:
                raise MissingFont(
                    N_(
                        "The font “{family}” that printed forms need is not installed. "
                        "Reinstall Romah Desktop (package fontpkg-{family})."
                    ),
                    family=family,
                ) from error
            try:
                # Not "ASCII readable": that would embed the 95 ASCII glyphs in every PDF,
                # used or not, and make each form's font subsets twice as large.
                face = TTFont(name, str(path), asciiReadable=False)
            except (OSError, TTFError) as error:  # a damaged file fails in ReportLab's parser
                raise MissingFont(
                    N_(
                        "The font file of “{family}” cannot be read ({reason}). "
                        "Reinstall Romah Desktop (package fontpkg-{family})."
                    ),
                    family=family,
                    reason=str(error),
                ) from error
            pdfmetrics.registerFont(face)
            cmaps[name] = frozenset(face.face.charToGlyph)
        return FontSet("RomahSans", "RomahSans-Bold", "RomahFormal-Bold", cmaps)
