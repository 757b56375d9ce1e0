"""Printed Arabic as a typesetter would sign it, and a text layer that reads as typed.

* Marks: harakat are placed by HarfBuzz with the font's GPOS tables. Each word is rendered to
  pixels at 300 dpi, once from our PDF and once by HarfBuzz's own renderer (`hb-view`), and
  the marks' pixels (the word with harakat less the word without) must coincide within 3 px.
* Text layer: what Poppler's `pdftotext` and PDFium (Chrome's engine, through pypdfium2) read
  from a page is the text as typed: names with and without harakat, verification codes,
  request numbers, dates and brackets. The two read a right-to-left line differently, so
  each is given its own reading (see romah_desktop/printing/arabic_text.py).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import fontpkg
import pypdfium2 as pdfium
import pytest
import sqlalchemy as sa
from PIL import Image, ImageChops, ImageFilter
from reportlab.pdfgen.canvas import Canvas

from db.enums import Role
from db.models import PrintedPaper, SupportRequest
from romah_desktop.printing import FormKind, render_form
from romah_desktop.printing.arabic_text import shaper, to_unicode_cmap
from romah_desktop.printing.fonts import TEXT_FAMILY, font_set
from romah_desktop.printing.kinds import RECORD_KINDS
from romah_desktop.printing.layout import TextStyle, draw_text, styles
from tests.romah_desktop.printing.conftest import CODE, nfkc, poppler_pages, record_of
from tests.romah_desktop.printing.scenario import FULL_NAME, Branch1

_EMBEDDINGS = str.maketrans(dict.fromkeys("\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


# --- marks where HarfBuzz puts them ---------------------------------------------------------

EM = 300  # pixels per em: a 72 pt line rendered at 300 dpi
WORDS = [
    "بِنْتِ",  # kasra under, sukun over: the finding was a kasra printed as a fatha
    "الرَّحْمَنِ",  # a fatha over a shadda
    "سارٍ",  # kasratan (the fixed interview header printed it as fathatan)
    "عَلَى",  # a fatha over an initial ain
    "مُحَمَّدٌ",  # damma, shadda with fatha, dammatan
    "كِتَابًا",  # fathatan on a final alef
    "عُمَرُ بْنُ الْخَطَّابِ",
]


def _ink(image: Image.Image) -> Image.Image:
    return image.convert("L").point(lambda v: 255 if v < 128 else 0)


def _ours(text: str) -> Image.Image:
    style = TextStyle(styles().body.font, 72, 90)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(1000, 220))
    draw_text(canvas, text, x=950, y=70, style=style)
    canvas.showPage()
    canvas.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        return _ink(document[0].render(scale=EM / 72).to_pil())
    finally:
        document.close()


def _reference(text: str, folder: Path) -> Image.Image:
    out = folder / "reference.png"
    subprocess.run(
        [
            _tool("hb-view"),
            f"--font-size={EM}",
            "--margin=120",
            "--background=#FFFFFF",
            "--foreground=#000000",
            "--output-format=png",
            f"--output-file={out}",
            str(fontpkg.path(TEXT_FAMILY, 400)),
            text,
        ],
        check=True,
    )
    with Image.open(out) as image:
        return _ink(image)


def _marks(render: object, word: str) -> Image.Image:
    """The pixels of the word's marks, in a frame fixed to the ink of its bare letters."""
    bare = "".join(ch for ch in word if not "\u064b" <= ch <= "\u0652")
    with_marks, letters = render(word), render(bare)  # type: ignore[operator]
    left, top, right, bottom = letters.getbbox()
    only = ImageChops.subtract(with_marks, letters.filter(ImageFilter.MaxFilter(3)))
    return only.crop((left - 150, top - 250, right + 150, bottom + 250))


def _share_near(these: Image.Image, those: Image.Image, tolerance: int) -> float:
    """The share of `these` pixels within `tolerance` pixels of one of `those`."""
    near = ImageChops.multiply(these, those.filter(ImageFilter.MaxFilter(2 * tolerance + 1)))
    total = these.histogram()[255]
    return near.histogram()[255] / total if total else 0.0


@pytest.mark.parametrize("word", WORDS)
def test_harakat_sit_where_harfbuzz_puts_them(word: str, tmp_path: Path) -> None:
    ours = _marks(_ours, word)
    reference = _marks(lambda text: _reference(text, tmp_path), word)
    assert ours.size == pytest.approx(reference.size, abs=3)
    reference = reference.resize(ours.size)
    assert ours.histogram()[255] > 500  # the marks are there at all
    assert _share_near(ours, reference, 3) > 0.97
    assert _share_near(reference, ours, 3) > 0.97
    # The measure can fail: the same marks 12 px lower (a kasra's height) do not pass.
    lowered = ImageChops.offset(ours, 0, 12)
    assert _share_near(lowered, reference, 3) < 0.9


# --- the text layer -------------------------------------------------------------------------

LINES = [
    "بنت عبدالله بن محمد",
    "السيدة فاطمة بِنْتِ عبدِالرَّحْمَنِ",
    "رمز التحقق: 9M96-G8MC-DXT8-7DDV",
    "التاريخ 1448/06/26 هـ (2026/12/07 م)",
    "صفحة 1 من 3",
    "المبلغ 3,500.50 ريال (نقدي)",
    "السلام لا إله إلا الله",
    "أ. خالد (رئيس اللجنة) ود. منى",
    "طريق الأمير تركي (مبنى 12)، شقة 2024-0153",
    "المكرمة/ فاطمة، حي الملقا: الرياض",
]


def _page_of_lines(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for index, line in enumerate(lines):
        draw_text(canvas, line, x=550, y=780 - 28 * index, style=styles().body)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _squeezed(text: str) -> str:
    """`text` normalised (joined forms as letters, marks in canonical order), spaces dropped."""
    return "".join(nfkc(text).split())


def _lines_of(text: str) -> list[str]:
    return [_squeezed(line) for line in text.splitlines() if line.strip()]


def pdfium_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return nfkc("\n".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()


def test_pdfium_reads_every_line_as_typed() -> None:
    """Chrome's and Edge's viewers: what a person copies from the PDF is what was typed."""
    read = [nfkc(line) for line in pdfium_text(_page_of_lines(LINES)).splitlines()]
    for line in LINES[:2] + LINES[3:]:
        assert nfkc(line) in read, line
    # A Latin run among Arabic words is reordered by PDFium; the code printed on its own
    # (beside the QR) is what a reader copies from there.
    assert "9M96-G8MC-DXT8-7DDV" in read[2]


def test_pdftotext_reads_every_word_as_typed() -> None:
    """Poppler (the PDF readers of Linux, desktop search): every word as typed, harakat and
    brackets included; only the space beside a stop or a number may sit on its other side."""
    read = _lines_of("\n".join(poppler_pages(_page_of_lines(LINES))))
    for line in LINES[:2] + LINES[3:8] + LINES[9:]:
        assert _squeezed(line) in read, line
    # A Latin run after a colon: the colon goes to its other side, the code stays whole.
    assert "9M96-G8MC-DXT8-7DDV" in read[2] and "رمزالتحقق" in read[2]
    # A bracket closing on a number: the words and the number as typed, the bracket not.
    read_line = poppler_pages(_page_of_lines(LINES[8:9]))[0]
    for token in ("طريق الأمير تركي", "مبنى", "12", "شقة", "2024-0153"):
        assert token in read_line


def test_each_reader_has_its_own_text() -> None:
    """Each word is said once to each reader: nothing read twice, nothing lost."""
    data = _page_of_lines(["محمد عبدالله (نقدي)"])
    assert pdfium_text(data).strip() == "محمد عبدالله (نقدي)"
    assert _squeezed(poppler_pages(data)[0]) == _squeezed("محمد عبدالله (نقدي)")


def test_a_joined_form_reads_as_its_letter() -> None:
    """The trap: ReportLab reaches a joined form through its presentation-form character
    (U+FE91 for an initial beh) and its ToUnicode map says that character; searching a PDF
    for a name as typed then finds nothing."""
    face = shaper()._face(font_set().regular)
    glyphs, _advance = face.shape("بنت", True)
    assert {"\ufe91", "\ufee8", "\ufe96"} <= set(str(glyphs))
    cmap = to_unicode_cmap(f"AAAAAA+{face.name}", [0x20, 0xFE91, 0xFEFB, 0x0628])
    assert "<01> <0628>" in cmap  # the beh
    assert "<02> <06270644>" in cmap  # lam-alef, its two letters in the order drawn
    assert "<00> <0020>" in cmap and "<03> <0628>" in cmap


def test_the_formal_face_reads_as_typed() -> None:
    """Amiri draws the society's name with glyphs no character maps to (contextual forms),
    which ReportLab reaches through private-use codes; their ToUnicode entries say the
    letters."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    draw_text(canvas, "جمعية رومة لتطوير العمل غير الربحي", x=550, y=780, style=styles().society)
    canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    assert "جمعية رومة لتطوير العمل غير الربحي" in poppler_pages(data)[0]
    assert "جمعية رومة لتطوير العمل غير الربحي" in pdfium_text(data)


@pytest.mark.parametrize("kind", RECORD_KINDS)
def test_every_form_s_text_layer_has_the_name_code_and_request_number(
    branch: Branch1, kind: FormKind
) -> None:
    record = record_of(branch, kind)
    with branch.ws.transaction() as session:
        data = render_form(session, branch[Role.INTERVIEWER], kind, record)
        codes = set(
            session.scalars(sa.select(PrintedPaper.code).where(PrintedPaper.record_id == record))
        )
        number = session.get(SupportRequest, branch.request)
        request_number = number.request_number if number is not None else None
    poppler = "\n".join(poppler_pages(data))
    (code,) = set(CODE.findall(poppler))
    assert code in codes
    # The name as typed; where it wraps in its box, the field beside it comes between.
    assert FULL_NAME in " ".join(poppler.split()) or _in_order(FULL_NAME, poppler)
    if kind not in (FormKind.DECLARATION, FormKind.INTERVIEW):  # a person's, not a request's
        assert request_number is not None and request_number in poppler
    chrome = pdfium_text(data)
    assert code in chrome  # the code beside the QR, alone on its line
    assert FULL_NAME in " ".join(chrome.split()) or _in_order(FULL_NAME, chrome)


def _in_order(name: str, text: str, slack: int = 6) -> bool:
    """Whether the words of `name` appear in `text` in order, at most `slack` words apart."""
    words = text.split()
    wanted = name.split()
    for start, word in enumerate(words):
        if word != wanted[0]:
            continue
        at, found = start, 1
        for other in wanted[1:]:
            nxt = next(
                (k for k in range(at + 1, at + 2 + slack) if k < len(words) and words[k] == other),
                None,
            )
            if nxt is None:
                break
            at, found = nxt, found + 1
        if found == len(wanted):
            return True
    return False
