"""Arabic lines for the PDF: each trap of shaping and ordering has a test here.

A "visual" string is what ReportLab draws from left to right; the reader starts at its right
end. So in a right-to-left line the first logical word is at the *end* of the visual string.
"""

from __future__ import annotations

import re

import arabic_reshaper
import bidi.algorithm
import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from romah_desktop.printing.arabic_text import (
    BIDI_CONTROLS,
    ArabicShaper,
    reorder,
    reshaper_config,
    shaper,
)
from romah_desktop.printing.fonts import font_set

FONT = "RomahSans"
ALLAH = "\ufdf2"  # ARABIC LIGATURE ALLAH ISOLATED FORM


@pytest.fixture(scope="module")
def arabic() -> ArabicShaper:
    return shaper()


def shaped(arabic: ArabicShaper, text: str) -> str:
    return " ".join(arabic.shape(word) for word in text.split(" "))


def rtl(arabic: ArabicShaper, text: str) -> str:
    """`text` shaped and reversed, as an all-Arabic run is drawn."""
    return shaped(arabic, text)[::-1]


def test_one_reshaper_for_the_process() -> None:
    assert shaper() is shaper()


# --- trap: reordering before wrapping puts the lines bottom to top --------------------------


def test_lines_are_broken_in_reading_order_and_run_top_to_bottom(arabic: ArabicShaper) -> None:
    words = ["الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة"]
    text = " ".join(words)
    lines = arabic.lines(text, FONT, 12, 110)
    assert len(lines) >= 3
    # The first (top) line starts, at its right end, with the first word.
    assert lines[0][0].endswith(rtl(arabic, words[0]))
    assert lines[-1][0].startswith(rtl(arabic, words[-1]))
    # The trap itself: breaking an already reordered paragraph starts with its last words.
    reordered_first = get_display(shaped(arabic, text), base_dir="R")
    assert reordered_first.startswith(rtl(arabic, words[-1]))


def test_every_line_fits_its_width_measured_after_shaping(arabic: ArabicShaper) -> None:
    text = "عبدالرحمن عبدالعزيز عبدالمحسن آل عبدالرحمن الدوسري " * 6
    for glyphs, width in arabic.lines(text, FONT, 10.5, 150):
        assert width <= 150
        assert width == pytest.approx(stringWidth(glyphs, FONT, 10.5))


def test_widths_are_those_of_the_joined_forms(arabic: ArabicShaper) -> None:
    # Lam-alef is one glyph once shaped: measuring the letters as typed would be wrong.
    word = "السلام"
    assert arabic.width(word, FONT, 12) == pytest.approx(stringWidth(arabic.shape(word), FONT, 12))
    assert arabic.width(word, FONT, 12) != pytest.approx(stringWidth(word, FONT, 12))


def test_a_word_longer_than_the_line_is_cut_not_lost(arabic: ArabicShaper) -> None:
    word = "ب" * 200
    lines = arabic.wrap(word, FONT, 10, 100)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(arabic.width(line, FONT, 10) <= 100 for line in lines)


def test_line_breaks_in_the_text_are_kept(arabic: ArabicShaper) -> None:
    assert arabic.wrap("سطر أول\n\nسطر ثالث", FONT, 10, 400) == ["سطر أول", "", "سطر ثالث"]


# --- trap: the Rust get_display does not mirror brackets ------------------------------------


def test_brackets_are_mirrored_in_arabic(arabic: ArabicShaper) -> None:
    # The trap: the fast engine leaves "(" as "(", which then faces the wrong way.
    assert get_display("(نقدي)", base_dir="R") == ")يدقن("
    assert arabic.visual("(نقدي)") == "(" + rtl(arabic, "نقدي") + ")"
    assert arabic.visual("«نص» [أ]") == "[" + arabic.shape("أ") + "] «" + rtl(arabic, "نص") + "»"


def test_brackets_keep_their_place_between_arabic_and_latin(arabic: ArabicShaper) -> None:
    text = "بصمة المحتوى (SHA-256): f1a6"
    # The Python reference engine mirrors, but without the bracket-pair rule (N0) it splits
    # the brackets of "(SHA-256)" around the Latin run...
    assert bidi.algorithm.get_display(text, base_dir="R").startswith("SHA-256): f1a6")
    # ...and it refuses the isolates that protect numbers.
    with pytest.raises(Exception, match="LRI"):
        bidi.algorithm.get_display("رقم \u20662024-0153\u2069", base_dir="R")
    assert arabic.visual(text) == "f1a6 :(SHA-256) " + rtl(arabic, "بصمة المحتوى")


def test_nested_brackets_with_latin_inside(arabic: ArabicShaper) -> None:
    assert arabic.visual("أ (ب (c) د) هـ") == rtl(arabic, "هـ") + " (" + rtl(
        arabic, "د"
    ) + " (c) " + rtl(arabic, "ب") + ") " + rtl(arabic, "أ")
    assert arabic.visual("Ahmed (Jr) والد") == rtl(arabic, "والد") + " Ahmed (Jr)"


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
    # The trap: the direction detected from the first strong letter is left to right, and
    # the Arabic words follow on the right.
    assert get_display(shaped(arabic, text)) == f"{first} {rtl(arabic, rest)}"
    # Right to left: the first words are at the right end, where the reader starts.
    assert arabic.visual(text) == f"{rtl(arabic, rest)} {drawn_first}"


# --- trap: "2024-0153" inside Arabic shows as "0153-2024" -----------------------------------


@pytest.mark.parametrize(
    "number",
    ["2024-0153", "1,500.50", "1446/02/25", "10:18", "+966501234567", "RYD-48EF-000001"],
)
def test_numbers_keep_their_order_inside_arabic(arabic: ArabicShaper, number: str) -> None:
    line = arabic.visual(f"رقم {number} هنا")
    assert line == rtl(arabic, "هنا") + f" {number} " + rtl(arabic, "رقم")


def test_unprotected_hyphenated_number_is_the_trap(arabic: ArabicShaper) -> None:
    assert "0153-2024" in get_display(shaped(arabic, "رقم 2024-0153 هنا"), base_dir="R")
    assert "2024-0153" in arabic.visual("رقم 2024-0153 هنا")
    assert "(2024-0153)" in arabic.visual("العقد (2024-0153) المنتهي")


def test_hijri_and_gregorian_dates_read_in_order(arabic: ArabicShaper) -> None:
    visual = arabic.visual("الموعد 1446/02/25 هـ (2024/08/29 م)")
    assert visual.startswith("(" + rtl(arabic, "م") + " 2024/08/29) ")
    assert " 1446/02/25 " in visual


# --- trap: arabic-reshaper deletes harakat by default ---------------------------------------


def test_harakat_are_kept(arabic: ArabicShaper) -> None:
    name = "مُحَمَّد"
    marks = {"\u064f", "\u064e", "\u0651"}
    assert not marks & set(arabic_reshaper.reshape(name))  # the default reshaper drops them
    assert marks <= set(arabic.shape(name))
    assert marks <= set(arabic.visual(f"السيد {name}"))


# --- trap: "عبدالله" becomes the ﷲ ligature ------------------------------------------------


def test_abdullah_is_printed_in_letters_the_fonts_have(arabic: ArabicShaper) -> None:
    assert ALLAH in arabic_reshaper.reshape("عبدالله")  # what the default reshaper does
    fonts = font_set()
    assert fonts.has_glyphs(ALLAH, fonts.regular)  # the face could draw it...
    drawn = arabic.visual("عبدالله بن محمد")
    assert ALLAH not in drawn  # ...but a name is printed as it is written
    for face in (fonts.regular, fonts.bold):
        assert fonts.has_glyphs(drawn, face)


def test_a_ligature_a_face_lacks_is_not_used() -> None:
    full = font_set().cmaps["RomahSans"]
    without_lam_alef = full - {0xFEFB, 0xFEFC}
    assert reshaper_config([full])["ARABIC LIGATURE LAM WITH ALEF"] is True
    assert reshaper_config([full, without_lam_alef])["ARABIC LIGATURE LAM WITH ALEF"] is False


TRICKY = [
    "عبدالرحمن عبدالعزيز عبدالمحسن آل عبدالرحمن الدوسري",
    "شركة Al-Noor Trading (فرع 2)",
    "عقد الإيجار رقم (2024-0153)، المبلغ 3,500.50 ريال",
    "الموعد 1448/07/01 هـ (2026/12/10 م)",
    "عبدالله مُحَمَّد لا إله إلا الله",
    "«ملاحظة» [مهم] <عاجل>",
]


@pytest.mark.parametrize("text", TRICKY)
def test_every_drawn_character_is_in_the_faces(arabic: ArabicShaper, text: str) -> None:
    fonts = font_set()
    drawn = arabic.visual(text)
    assert fonts.has_glyphs(drawn, fonts.regular), [
        c for c in drawn if ord(c) not in fonts.cmaps[fonts.regular]
    ]
    assert fonts.has_glyphs(drawn, fonts.bold)


# --- bidi controls ----------------------------------------------------------------------------


def test_pasted_bidi_controls_are_stripped(arabic: ArabicShaper) -> None:
    pasted = "\u202bرقم\u202c \u200f2024-0153\u200e \u2067هنا\u2069\u200c"
    drawn = arabic.visual(pasted)
    assert not set(drawn) & set(BIDI_CONTROLS + "\u200c\u200d")
    assert drawn == arabic.visual("رقم 2024-0153 هنا")
    assert not set(arabic.wrap(pasted, FONT, 10, 300)[0]) & set(BIDI_CONTROLS)


# --- the two ways of ordering agree -----------------------------------------------------------

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
def test_reorder_from_levels_matches_the_rust_order(pieces: list[str]) -> None:
    """Lines without mirrored characters take the Rust engine's order; lines with them are
    ordered here from its levels. On bracket-free text both must be the same."""
    arabic = shaper()
    text = " ".join(pieces)
    isolated = re.sub(
        r"\+?[0-9][0-9A-Za-z]*(?:[-/.,:][0-9A-Za-z]+)+|\+[0-9]+",
        lambda m: f"\u2066{m.group(0)}\u2069",
        shaped(arabic, text),
    )
    fast = str(get_display(isolated, base_dir="R")).translate(
        str.maketrans(dict.fromkeys(BIDI_CONTROLS))
    )
    assert reorder(isolated) == fast
    assert arabic.visual(text) == fast
