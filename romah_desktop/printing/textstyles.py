"""The printed papers' colours and text styles (faces, sizes, leading)."""

# ReportLab ships no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from reportlab.lib.colors import Color, HexColor, black

from romah_desktop.printing.arabic_text import shaper

__all__ = ["ACCENT", "MUTED", "RULE", "SHADE", "ZEBRA", "Align", "Styles", "TextStyle", "styles"]

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
