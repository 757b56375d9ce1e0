"""Arabic lines for the PDF: each trap of breaking, ordering and shaping has a test here.

A line is drawn as pieces from left to right; the reader starts at the right end. So in a
right-to-left line the first logical word is at the *end* of what is drawn. `reading` below
spells a shaped line as its text layer says it, left to right: an Arabic word is its letters
reversed (the order text extractors expect from a page), a Latin or number run is as typed.
"""

from __future__ import annotations

import re

import pytest
import uharfbuzz
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from romah_desktop.printing.arabic_text import (
    BIDI_CONTROLS,
    ArabicShaper,
    Line,
    as_drawn,
    reads_as,
    runs,
    shaper,
)
from romah_desktop.printing.fonts import font_set

FONT = "RomahSans"
HARAKAT = frozenset(chr(c) for c in range(0x064B, 0x0653))


@pytest.fixture(scope="module")
def arabic() -> ArabicShaper:
    return shaper()


def reading(line: Line, font: str = FONT) -> str:
    """The line's text layer as pdftotext takes it, left to right as drawn: what each span
    says, or else what its glyphs read as."""
    name = shaper()._face(font).name
    return "".join(
        said if said is not None else "".join(as_drawn(reads_as(name, ord(ch))) for ch in glyphs)
        for glyphs, _advance, said, _shared in line.pieces
    )


def drawn(line: Line) -> str:
    """The characters that reach the glyphs drawn, left to right (presentation forms)."""
    return "".join(str(glyphs) for glyphs, _advance, _said, _shared in line.pieces)


def rev(text: str) -> str:
    return text[::-1]


def test_one_shaper_for_the_process() -> None:
    assert shaper() is shaper()


# --- trap: reordering before wrapping puts the lines bottom to top --------------------------


def test_lines_are_broken_in_reading_order_and_run_top_to_bottom(arabic: ArabicShaper) -> None:
    words = ["الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة"]
    text = " ".join(words)
    lines = arabic.lines(text, FONT, 12, 110)
    assert len(lines) >= 3
    # The first (top) line starts, at its right end, with the first word.
    assert reading(lines[0][0]).endswith(rev(words[0]))
    assert reading(lines[-1][0]).startswith(rev(words[-1]))
    # The trap itself: breaking an already reordered paragraph starts with its last words.
    assert get_display(text, base_dir="R").startswith(rev(words[-1]))


def test_every_line_fits_its_width_measured_after_shaping(arabic: ArabicShaper) -> None:
    text = "عبدالرحمن عبدالعزيز عبدالمحسن آل عبدالرحمن الدوسري " * 6
    for line, width in arabic.lines(text, FONT, 10.5, 150):
        assert width <= 150
        assert width == pytest.approx(line.width(10.5))
        assert width == pytest.approx(arabic.width(line.text, FONT, 10.5), abs=0.5)


def test_widths_are_those_of_the_joined_forms(arabic: ArabicShaper) -> None:
    # Lam-alef is one glyph once shaped: measuring the letters one by one would be wrong.
    apart = arabic.width("ل", FONT, 12) + arabic.width("ا", FONT, 12)
    assert arabic.width("لا", FONT, 12) < apart - 1
    assert len(arabic.line("لا", FONT).pieces[0][0]) == 1
    assert reading(arabic.line("لا", FONT)) == "ال"  # two letters, in the order drawn


def test_a_word_longer_than_the_line_is_cut_not_lost(arabic: ArabicShaper) -> None:
    word = "ب" * 200
    lines = arabic.wrap(word, FONT, 10, 100)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(arabic.width(line, FONT, 10) <= 100 for line in lines)


def test_line_breaks_in_the_text_are_kept(arabic: ArabicShaper) -> None:
    assert arabic.wrap("سطر أول\n\nسطر ثالث", FONT, 10, 400) == ["سطر أول", "", "سطر ثالث"]


# --- brackets are mirrored by HarfBuzz in right-to-left runs ----------------------------------


def test_brackets_are_mirrored_in_arabic(arabic: ArabicShaper) -> None:
    # The trap: python-bidi's fast engine orders but does not mirror.
    assert get_display("(نقدي)", base_dir="R") == ")يدقن("
    line = arabic.line("(نقدي)", FONT)
    glyphs = drawn(line)
    assert glyphs[0] == "(" and glyphs[-1] == ")"
    # The text layer says the word as typed, reversed as drawn, for readers to turn back.
    assert reading(line) == rev("(نقدي)")
    glyphs = drawn(arabic.line("«نص» [أ]", FONT))
    assert glyphs[0] == "[" and glyphs[-1] == "»"


def test_brackets_keep_their_place_between_arabic_and_latin(arabic: ArabicShaper) -> None:
    line = arabic.line("بصمة المحتوى (SHA-256): f1a6", FONT)
    assert drawn(line).startswith("f1a6 :(SHA-256) ")
    assert reading(line).endswith(rev("بصمة المحتوى"))


def test_nested_brackets_with_latin_inside(arabic: ArabicShaper) -> None:
    assert drawn(arabic.line("Ahmed (Jr) والد", FONT)).endswith(" Ahmed (Jr)")
    glyphs = drawn(arabic.line("أ (ب (c) د) هـ", FONT))
    assert glyphs.index("(c)") > 0
    assert glyphs.count("(") == glyphs.count(")") == 2


# --- trap: without a right-to-left base a line starting with digits or Latin flips ----------


@pytest.mark.parametrize(
    ("first", "drawn_first"),
    # In a right-to-left line "2024" and "Al-Noor" are two runs read right to left.
    [("2024 Al-Noor", "Al-Noor 2024"), ("Romah Society", "Romah Society")],
)
def test_the_base_direction_is_right_to_left(
    arabic: ArabicShaper, first: str, drawn_first: str
) -> None:
    rest = "شركة النور"
    text = f"{first} {rest}"
    # The trap: the direction detected from the first strong letter is left to right.
    assert get_display(text) == f"{first} {rev(rest)}"
    # Right to left: the first words are at the right end, where the reader starts.
    assert reading(arabic.line(text, FONT)) == f"{rev(rest)} {drawn_first}"


# --- trap: "2024-0153" inside Arabic shows as "0153-2024" -----------------------------------


@pytest.mark.parametrize(
    "number",
    ["2024-0153", "1,500.50", "1446/02/25", "10:18", "+966501234567", "RYD-48EF-000001"],
)
def test_numbers_keep_their_order_inside_arabic(arabic: ArabicShaper, number: str) -> None:
    line = arabic.line(f"رقم {number} هنا", FONT)
    assert reading(line) == rev("هنا") + f" {number} " + rev("رقم")


def test_unprotected_hyphenated_number_is_the_trap(arabic: ArabicShaper) -> None:
    assert "0153-2024" in get_display("رقم 2024-0153 هنا", base_dir="R")
    assert "2024-0153" in drawn(arabic.line("رقم 2024-0153 هنا", FONT))
    assert "(2024-0153)" in drawn(arabic.line("العقد (2024-0153) المنتهي", FONT))


def test_hijri_and_gregorian_dates_read_in_order(arabic: ArabicShaper) -> None:
    glyphs = drawn(arabic.line("الموعد 1446/02/25 هـ (2024/08/29 م)", FONT))
    assert glyphs.startswith("(")
    assert " 2024/08/29) " in glyphs
    assert " 1446/02/25 " in glyphs


# --- harakat: placed by the font's GPOS, kept in the text layer -----------------------------


def _marks(line: Line) -> list[tuple[str, float]]:
    """The line's marks that HarfBuzz moved off the baseline, with their vertical offset."""
    return [
        (ch, d.y_offset)
        for glyphs, _advance, _said, _shared in line.pieces
        for ch, d in zip(str(glyphs), glyphs.__shapeData__, strict=True)
        if d.y_offset
    ]


def test_harakat_are_kept_and_placed(arabic: ArabicShaper) -> None:
    line = arabic.line("السيد مُحَمَّد", FONT)
    # In the text layer, beside their letters (the order drawn is reversed by readers).
    assert {"\u064f", "\u064e", "\u0651"} <= set(reading(line))
    assert len(_marks(line)) >= 2  # placed by the font's GPOS, drawn as outlines there


def test_a_kasra_sits_under_its_letter(arabic: ArabicShaper) -> None:
    # The finding: without GPOS a kasra printed above, "بِنْتِ" read "بَنْتَ".
    kasras = [dy for ch, dy in _marks(arabic.line("بِنْتِ", FONT)) if ch == "\u0650"]
    assert len(kasras) == 2
    assert all(dy < 0 for dy in kasras)
    fathas = [dy for ch, dy in _marks(arabic.line("بَنَتَ", FONT)) if ch == "\u064e"]
    assert fathas and all(dy > 0 for dy in fathas)


# --- discretionary ligatures stay off: names are printed in letters -------------------------


@pytest.mark.parametrize(("name", "letters"), [("محمد", 4), ("عبدالله", 7)])
def test_names_are_printed_in_letters_not_ligatures(
    arabic: ArabicShaper, name: str, letters: int
) -> None:
    face = font_set()
    # The trap: with `dlig` on (ReportLab's own default), محمد is one ligature glyph.
    font = uharfbuzz.Font(arabic._face(face.regular).hb.face)
    buf = uharfbuzz.Buffer()
    buf.add_str("محمد")
    buf.guess_segment_properties()
    uharfbuzz.shape(font, buf, {"dlig": True})
    assert len(buf.glyph_infos) == 1
    assert len(drawn(arabic.line(name, face.regular))) == letters
    assert "\ufdf2" not in drawn(arabic.line(name, face.regular))  # ﷲ


TRICKY = [
    "عبدالرحمن عبدالعزيز عبدالمحسن آل عبدالرحمن الدوسري",
    "شركة Al-Noor Trading (فرع 2)",
    "عقد الإيجار رقم (2024-0153)، المبلغ 3,500.50 ريال",
    "الموعد 1448/07/01 هـ (2026/12/10 م)",
    "عبدالله مُحَمَّد لا إله إلا الله",
    "«ملاحظة» [مهم] <عاجل>",
]


@pytest.mark.parametrize("text", TRICKY)
def test_every_glyph_drawn_is_a_real_glyph(arabic: ArabicShaper, text: str) -> None:
    fonts = font_set()
    for font in (fonts.regular, fonts.bold, fonts.formal):
        face = arabic._face(font).ttf.face
        line = arabic.line(text, font)
        glyphs = [face.charToGlyph.get(ord(ch), 0) for ch in drawn(line)]
        assert 0 not in glyphs, text  # .notdef: a box on paper


# --- bidi controls ----------------------------------------------------------------------------


def test_pasted_bidi_controls_are_stripped(arabic: ArabicShaper) -> None:
    pasted = "\u202bرقم\u202c \u200f2024-0153\u200e \u2067هنا\u2069"
    line = arabic.line(pasted, FONT)
    assert not set(drawn(line)) & set(BIDI_CONTROLS)
    assert reading(line) == reading(arabic.line("رقم 2024-0153 هنا", FONT))
    assert line.text == "رقم 2024-0153 هنا"
    assert not set(arabic.wrap(pasted, FONT, 10, 300)[0]) & set(BIDI_CONTROLS)


# --- the order of runs agrees with the Rust engine's ------------------------------------------

_PIECES = st.sampled_from(
    [
        "رقم",
        "طلب",
        "عبدالله",
        "مُحَمَّد",
        "Ahmed",
        "Al-Noor",
        "2024-0153",
        "1,500.50",
        "14",
        "+966501234567",
        "هـ",
        ":",
        "،",
        "-",
        "/",
        ".",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8))
def test_runs_follow_the_rust_engines_order(pieces: list[str]) -> None:
    """The runs are put in display order here from the engine's levels; on bracket-free text
    that must be the engine's own order, character for character."""
    text = " ".join(pieces)
    isolated = re.sub(
        r"\+?[0-9][0-9A-Za-z]*(?:[-/.,:][0-9A-Za-z]+)+|\+[0-9]+",
        lambda m: f"\u2066{m.group(0)}\u2069",
        text,
    )
    fast = str(get_display(isolated, base_dir="R")).translate(
        str.maketrans(dict.fromkeys(BIDI_CONTROLS))
    )
    ordered = "".join(rev(run) if rtl else run for run, rtl in runs(text))
    assert ordered == fast
    unmarked = str.maketrans(dict.fromkeys(HARAKAT))
    read = reading(shaper().line(text, FONT)).translate(unmarked)
    assert read == fast.translate(unmarked)
