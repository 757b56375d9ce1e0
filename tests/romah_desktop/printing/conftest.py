"""One branch with every kind of record, shared by the printing tests (built once: they read
it, and the tests that change a record do so in a transaction they roll back)."""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.romah_desktop.printing.scenario import Branch1, build


@pytest.fixture(scope="package")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Branch1]:
    made = build(tmp_path_factory.mktemp("printing"))
    yield made
    made.ws.close()


@dataclass(frozen=True)
class TextRun:
    """A run of text on a page, with its box in points from the bottom left."""

    text: str
    left: float
    right: float
    bottom: float
    top: float


@dataclass(frozen=True)
class Page:
    text: str  # as PDFium reads it (logical order), presentation forms normalised
    runs: list[TextRun]
    drawn: list[str]  # each line's characters in the order they were drawn, left to right
    width: float
    height: float


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def read_pages(data: bytes) -> list[Page]:
    """The text of every page of a PDF, as a reader and as a printer would see it."""
    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for page in document:
            textpage = page.get_textpage()
            runs = []
            for index in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(index)
                text = textpage.get_text_bounded(left, bottom, right, top)
                runs.append(TextRun(nfkc(text).strip(), left, right, bottom, top))
            lines: dict[float, list[tuple[float, str]]] = {}
            x, y = ctypes.c_double(), ctypes.c_double()
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                if not char.strip():
                    continue
                # Characters drawn on one line share their baseline.
                pdfium.raw.FPDFText_GetCharOrigin(
                    textpage.raw, index, ctypes.byref(x), ctypes.byref(y)
                )
                lines.setdefault(round(y.value, 1), []).append((x.value, char))
            drawn = [
                nfkc("".join(char for _x, char in sorted(chars)))
                for _y, chars in sorted(lines.items(), reverse=True)
            ]
            width, height = page.get_size()
            pages.append(Page(nfkc(textpage.get_text_range()), runs, drawn, width, height))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages


def render_png(data: bytes, path: Path, scale: float = 2.0) -> list[Path]:
    """Each page of a PDF as a PNG (`path` with -1, -2 … before the suffix)."""
    document = pdfium.PdfDocument(data)
    saved = []
    try:
        for number, page in enumerate(document, start=1):
            target = path.with_name(f"{path.stem}-{number}.png")
            page.render(scale=scale).to_pil().save(target)
            saved.append(target)
            page.close()
    finally:
        document.close()
    return saved
