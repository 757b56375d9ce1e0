"""One branch with every kind of record, shared by the printing tests (built once: they read
it, and the tests that change a record do so in a transaction they roll back)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pypdfium2 as pdfium
import pytest
from sqlalchemy.orm import Session

from romah_desktop.printing import FormKind
from tests.romah_desktop.printing.scenario import Branch1, build

# A paper's verification code as printed.
CODE = re.compile(r"(?<![0-9A-Z-])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}(?![0-9A-Z-])")


@pytest.fixture(scope="package")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Branch1]:
    made = build(tmp_path_factory.mktemp("printing"))
    yield made
    made.ws.close()


@contextmanager
def changed(branch: Branch1) -> Iterator[Session]:
    """A session whose changes (and the papers printed in it) are thrown away."""
    session = branch.ws.db.session()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def record_of(branch: Branch1, kind: FormKind, which: str = "") -> str | None:
    """The scenario's record a form of `kind` is printed from (None for a blank form);
    `which="rejection"` for the letter of the rejected request."""
    return {
        FormKind.REQUEST: branch.request,
        FormKind.RECEIPT: branch.request,
        FormKind.DECLARATION: branch.declaration,
        FormKind.INTERVIEW: branch.interview,
        FormKind.DECISION: branch.rejection if which == "rejection" else branch.decision,
        FormKind.DELIVERY: branch.delivery,
    }.get(kind)


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
    text: str  # as pdftotext reads it (Poppler: the PDF readers of Linux, desktop search)
    runs: list[TextRun]  # pdftotext's lines with their boxes, for where things sit
    drawn: list[str]  # the page's lines as pdftotext reads them, spaces collapsed
    width: float
    height: float
    pdfium: str = ""  # as PDFium reads it (Chrome's and Edge's viewers: copy and paste)


def nfkc(text: str) -> str:
    """`text` normalised: joined forms as letters, and marks in their canonical order (a
    shadda and a fatha typed in either order are the same text)."""
    return unicodedata.normalize("NFKC", text)


# The embedding controls pdftotext puts around right-to-left lines and Latin runs.
_EMBEDDINGS = str.maketrans(dict.fromkeys("\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def pdftotext() -> str:
    """Poppler's pdftotext, which CI installs; elsewhere a test that needs it is skipped."""
    path = shutil.which("pdftotext")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is missing; .ci/run installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return path


def _poppler(data: bytes, *options: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "read.pdf"
        pdf.write_bytes(data)
        return subprocess.run(
            [pdftotext(), *options, str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout


def poppler_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF as pdftotext reads it."""
    out = _poppler(data)
    return [nfkc(page.translate(_EMBEDDINGS)) for page in out.split("\f")[:-1]]


_XHTML = "{http://www.w3.org/1999/xhtml}"


def _reading(words: list[str]) -> str:
    """A line's words, given left to right as drawn, in reading order: right to left when the
    line has Arabic, each Arabic word's letters turned back (numbers and Latin kept)."""
    if not any("\u0600" <= ch <= "\u06ff" for word in words for ch in word):
        return " ".join(words)
    return " ".join(
        word[::-1] if any("\u0600" <= ch <= "\u06ff" for ch in word) else word
        for word in reversed(words)
    )


def poppler_lines(data: bytes) -> list[list[TextRun]]:
    """Each page's lines of text as pdftotext finds them, with their boxes."""
    root = ElementTree.fromstring(_poppler(data, "-bbox-layout"))
    pages = []
    for page in root.iter(f"{_XHTML}page"):
        height = float(page.get("height", "0"))
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = [nfkc(word.text or "") for word in line.iter(f"{_XHTML}word")]
            box = [float(line.get(key, "0")) for key in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(TextRun(_reading(words), box[0], box[2], height - box[3], height - box[1]))
        pages.append(lines)
    return pages


def read_pages(data: bytes) -> list[Page]:
    """The text of every page of a PDF, as a reader and as a printer would see it."""
    texts = poppler_pages(data)
    lines = poppler_lines(data)
    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for index, page in enumerate(document):
            text = texts[index]
            drawn = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
            width, height = page.get_size()
            textpage = page.get_textpage()
            pdfium_text = nfkc(textpage.get_text_range())
            textpage.close()
            pages.append(Page(text, lines[index], drawn, width, height, pdfium_text))
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
