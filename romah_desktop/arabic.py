"""Arabic text helpers: digit normalisation and a search key for names.

`normalize_arabic` is used for search and duplicate detection over hundreds of thousands
of rows, so all tables and patterns are built once at import time and the work per call
is a few C-level passes (`unicodedata.normalize`, `str.translate`, one regex).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_arabic", "normalize_digits", "remove_invisible", "tokens"]

# --- digits ---------------------------------------------------------------------------------

_DIGITS: dict[int, str | None] = {}
for _i in range(10):
    _DIGITS[0x0660 + _i] = str(_i)  # Arabic-Indic ٠-٩
    _DIGITS[0x06F0 + _i] = str(_i)  # Extended Arabic-Indic (Persian/Urdu) ۰-۹
# The Arabic decimal and thousands separators become their ASCII counterparts (not removed),
# so "١٬٥٠٠٫٥" reads "1,500.5" and a caller such as parse_money still sees the grouping.
_DIGITS[0x066B] = "."  # ٫ ARABIC DECIMAL SEPARATOR
_DIGITS[0x066C] = ","  # ٬ ARABIC THOUSANDS SEPARATOR
_DIGIT_TABLE = str.maketrans(_DIGITS)


def normalize_digits(text: str) -> str:
    """Return `text` with Arabic-Indic (٠-٩) and Persian (۰-۹) digits replaced by 0-9.

    The Arabic decimal separator ٫ becomes "." and the Arabic thousands separator ٬
    becomes ","; nothing else changes. Never raises.
    """
    return text.translate(_DIGIT_TABLE)


# --- invisible characters -------------------------------------------------------------------

# Direction marks and zero-width characters arrive with text pasted from Arabic web pages,
# WhatsApp or Word; they are invisible, so a clerk cannot see why "١٢٣" fails to validate.
_INVISIBLE = (
    [0x00AD, 0x061C, 0x180E, 0xFEFF]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2065))
    + list(range(0x2066, 0x206A))
)
_INVISIBLE_TABLE: dict[int, str | None] = dict.fromkeys(_INVISIBLE)


def remove_invisible(text: str) -> str:
    """Return `text` without direction marks, zero-width characters and soft hyphens.

    Never raises.
    """
    return text.translate(_INVISIBLE_TABLE)


# --- search normalisation -------------------------------------------------------------------


def _combining_marks() -> list[int]:
    # Every combining mark (Unicode category M*). After NFKD the hamza/madda of أ إ آ ؤ ئ and
    # Latin accents are separate marks, so dropping all marks folds أ→ا, ؤ→و, ئ→ي, é→e in one
    # step, and no mark is left behind that could recompose on a second pass (idempotence).
    ranges = (range(0x0300, 0x20000), range(0xE0100, 0xE01F0))
    return [cp for r in ranges for cp in r if unicodedata.category(chr(cp)).startswith("M")]


_SEARCH: dict[int, str | None] = dict(_DIGITS)
_SEARCH.update(_INVISIBLE_TABLE)
_SEARCH.update(dict.fromkeys(_combining_marks()))
_SEARCH.update(dict.fromkeys(range(0x064B, 0x0660)))  # harakat, shadda, sukun, small marks
_SEARCH.update(dict.fromkeys(range(0x06D6, 0x06EE)))  # Quranic annotation signs
_SEARCH[0x0670] = None  # superscript alef
_SEARCH[0x0640] = None  # tatweel ـ
# ء is removed: a final hamza is often dropped in everyday typing (هيفاء / هيفا, رجاء / رجا),
# and the hamza on a carrier (أ ؤ ئ) is dropped anyway, so keeping it would only split matches.
_SEARCH[0x0621] = None  # ء
_SEARCH[0x0674] = None  # ٴ high hamza (left over by NFKD from ٵ ٶ ٷ ٸ)
# Apostrophes are removed rather than turned into spaces, so "Sa'ad" matches "Saad" and
# "O'Brien" matches "OBrien"; all other punctuation separates words.
_SEARCH.update(dict.fromkeys([0x0027, 0x0060, 0x00B4, 0x02BC, 0x2018, 0x2019]))
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",  # alef wasla
    "ٲ": "ا",
    "ٳ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ؤ": "و",
    "ئ": "ي",
    # Persian yeh and keheh come from Persian/Urdu keyboards and look the same as ي and ك.
    "ی": "ي",
    "ک": "ك",
}
_SEARCH.update({ord(k): v for k, v in _LETTERS.items()})
_SEARCH_TABLE = str.maketrans(_SEARCH)
_ASCII_TABLE = str.maketrans(dict.fromkeys("'`"))

# Anything that is not a letter or digit (underscore included) separates words; a run of
# separators and whitespace collapses into one space.
_SEPARATORS = re.compile(r"[\W_]+")
# "عبد الله" and "عبدالله" are the same name written two ways: join a standalone عبد with the
# Arabic word after it (عبد الرحمن → عبدالرحمن, عبد العزيز → عبدالعزيز).
_ABD = re.compile(r"(?<!\S)عبد (?=[\u0620-\u064a])")


def normalize_arabic(text: str) -> str:
    """Return the search key of `text`, for search and duplicate detection.

    Two spellings of the same name give the same key: presentation forms and ligatures are
    unfolded (NFKD), Latin is case-folded and loses its accents, harakat, tatweel, ء and all
    other combining marks are removed, أ إ آ ٱ → ا, ة → ه, ى → ي, ؤ → و, ئ → ي, Persian ی ک →
    ي ك, digits become ASCII, apostrophes are dropped, other punctuation becomes a space,
    whitespace is collapsed and stripped, and a standalone عبد is joined to the next word.
    The result is idempotent: normalising a key again returns it unchanged. Never raises.
    """
    if text.isascii():
        key = text.lower().translate(_ASCII_TABLE)
    else:
        key = unicodedata.normalize("NFKD", text).casefold()
        # Case folding can produce characters that decompose further (e.g. İ → i + dot).
        key = unicodedata.normalize("NFKD", key).translate(_SEARCH_TABLE)
    key = _SEPARATORS.sub(" ", key).strip()
    if "عبد " in key:
        key = _ABD.sub("عبد", key)
    return key


def tokens(text: str) -> list[str]:
    """Return the words of `normalize_arabic(text)` (an empty list for blank text).

    Never raises.
    """
    return normalize_arabic(text).split()
