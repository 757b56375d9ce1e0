"""What the layout draws, page by page, read by spying on its drawing functions rather than
from the PDF (whose text comes back in presentation forms): the logical lines each cell and
paragraph was wrapped into, and the blocks drawn on each page in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from romah_desktop.printing import arabic_text, layout

# The layout's functions spied on, and what each draws.
_KINDS = {
    "draw_letterhead": "letterhead",
    "draw_footer": "footer",
    "draw_signatures": "signatures",
    "draw_qr": "qr",
    "draw_image": "image",
    "draw_text": "text",
    "draw_paragraph": "text",
    "_draw_visual": "text",
    "_draw_row": "row",
}


@dataclass
class Drawn:
    """Each block drawn (outside another block) as (page, kind, keyword arguments), and every
    call of the shaper's `wrap` as (text, logical lines)."""

    events: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    wraps: list[tuple[str, list[str]]] = field(default_factory=list)
    nested: list[tuple[int, str, str]] = field(default_factory=list)  # (page, outer, inner)
    _outer: list[str] = field(default_factory=list)
    _canvas: Any = None  # the document's; blocks measured on a scratch canvas are left out

    def spy(self, monkeypatch: pytest.MonkeyPatch) -> Drawn:
        for name, kind in _KINDS.items():
            monkeypatch.setattr(layout, name, self._wrap_call(getattr(layout, name), kind))
        real_wrap = arabic_text.ArabicShaper.wrap

        def wrap(
            shaper: arabic_text.ArabicShaper, text: str, font: str, size: float, width: float
        ) -> list[str]:
            lines = real_wrap(shaper, text, font, size, width)
            self.wraps.append((text, lines))
            return lines

        monkeypatch.setattr(arabic_text.ArabicShaper, "wrap", wrap)
        real_dash = Canvas.setDash

        def set_dash(canvas: Canvas, *args: Any, **kwargs: Any) -> None:
            # A dotted line starts (with no pattern, it ends).
            if args and self._outer and canvas is self._canvas:
                self.nested.append((canvas.getPageNumber(), self._outer[-1], "dotted"))
            real_dash(canvas, *args, **kwargs)

        monkeypatch.setattr(Canvas, "setDash", set_dash)
        return self

    def _wrap_call(self, real: Callable[..., Any], drawn: str) -> Callable[..., Any]:
        def call(canvas: Any, *args: Any, **kwargs: Any) -> Any:
            kind = drawn
            if self._canvas is None:
                self._canvas = canvas
            if canvas is not self._canvas:
                return real(canvas, *args, **kwargs)
            page = canvas.getPageNumber()
            if self._outer:
                self.nested.append((page, self._outer[-1], kind))
            else:
                seen = dict(kwargs)
                if kind == "row":  # (wrapped, columns, edges, top, height, style, fill)
                    seen = {"style": args[5], "fill": args[6], "edges": args[2]}
                    kind = "head" if args[6] == layout.ACCENT else "row"
                elif kind == "text" and kwargs.get("style") == layout.styles().heading:
                    kind = "heading"
                self.events.append((page, kind, seen))
            self._outer.append(kind)
            try:
                return real(canvas, *args, **kwargs)
            finally:
                self._outer.pop()

        return call

    # --- what the tests ask -------------------------------------------------------------------

    def broken_words(self) -> list[tuple[str, list[str]]]:
        """The texts wrapped with a word (a number, an id) cut between two lines."""
        return [
            (text, lines) for text, lines in self.wraps if " ".join(lines).split() != text.split()
        ]

    def pages(self) -> dict[int, list[str]]:
        """The kinds of the blocks on each page, in the order they were drawn (letterhead and
        footer left out)."""
        pages: dict[int, list[str]] = {}
        for page, kind, _kwargs in self.events:
            if kind not in ("letterhead", "footer"):
                pages.setdefault(page, []).append(kind)
            else:
                pages.setdefault(page, [])
        return pages

    def pages_with(self, kind: str) -> list[int]:
        """The pages where `kind` is drawn, on its own or inside another block."""
        pages = {page for page, k, _kwargs in self.events if k == kind}
        return sorted(pages | {page for page, _outer, k in self.nested if k == kind})
