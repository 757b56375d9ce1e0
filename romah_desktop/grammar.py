"""Grammar the printed and shown texts must get right: a count agrees with its noun, and the
words that address or describe a person agree with that person's gender.

Arabic counting (العدد والمعدود), by the count's last two digits as the grammar requires:
1 → the noun and «واحد» after it (يوم واحد), 2 → the dual alone (يومان), 3–10 → the plural
(3 أيام), 11–99 → the accusative singular (11 يومًا), and 0, 100, 101, 102, 1000 … → the
genitive singular (100 يوم); 103 follows 3 and 111 follows 11. The same categories as the
catalogues' Plural-Forms (and CLDR's zero/one/two/few/many/other).

Gender: the feminine wording of a text is kept in the feminine catalogue of its language,
`resources/translations/<lang>/feminine/*.po`, under the same English msgid as the text itself
(whose own catalogue holds the masculine wording); a text with no feminine entry reads the same
for everyone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import polib

from db.enums import Gender
from romah_desktop.i18n import current_language, translate
from romah_desktop.resources import resources_dir

__all__ = [
    "BENEFICIARY",
    "CHANGE",
    "CHARACTER",
    "COMPLAINT",
    "DAY",
    "ENTRY",
    "FORM",
    "HOUR",
    "MEMBER",
    "MINUTE",
    "MONTH",
    "PAGE",
    "PERSON",
    "REQUEST",
    "ROW",
    "SURVEY",
    "WEEK",
    "Count",
    "CountForm",
    "Noun",
    "count_form",
    "count_phrase",
    "feminine_catalogue",
    "for_gender",
    "is_feminine",
    "noun_after",
    "range_phrase",
    "translate_for",
]


# --- counts -----------------------------------------------------------------------------------


class CountForm(StrEnum):
    """Which form of the noun follows a count in Arabic."""

    ONE = "one"  # يوم واحد
    TWO = "two"  # يومان
    FEW = "few"  # 3–10: أيام (plural)
    MANY = "many"  # 11–99: يومًا (accusative singular)
    OTHER = "other"  # 0, 100, 101, 102 …: يوم (genitive singular)


@dataclass(frozen=True)
class Noun:
    """A counted noun in the forms the counts need."""

    singular: str  # يوم (also after 0, 100, 101, 102, 1000 …)
    one: str  # يوم واحد
    dual: str  # يومان (nominative)
    dual_oblique: str  # يومين (after a preposition, as an object, in a construct: خلال يومين)
    plural: str  # أيام (after 3–10)
    accusative: str  # يومًا (after 11–99)
    en_singular: str
    en_plural: str


DAY = Noun("يوم", "يوم واحد", "يومان", "يومين", "أيام", "يومًا", "day", "days")
WEEK = Noun("أسبوع", "أسبوع واحد", "أسبوعان", "أسبوعين", "أسابيع", "أسبوعًا", "week", "weeks")
MONTH = Noun("شهر", "شهر واحد", "شهران", "شهرين", "أشهر", "شهرًا", "month", "months")
PAGE = Noun("صفحة", "صفحة واحدة", "صفحتان", "صفحتين", "صفحات", "صفحةً", "page", "pages")
PERSON = Noun("شخص", "شخص واحد", "شخصان", "شخصين", "أشخاص", "شخصًا", "person", "people")
BENEFICIARY = Noun(
    "مستفيد",
    "مستفيد واحد",
    "مستفيدان",
    "مستفيدَين",
    "مستفيدين",
    "مستفيدًا",
    "beneficiary",
    "beneficiaries",
)
REQUEST = Noun("طلب", "طلب واحد", "طلبان", "طلبين", "طلبات", "طلبًا", "request", "requests")
MEMBER = Noun("عضو", "عضو واحد", "عضوان", "عضوين", "أعضاء", "عضوًا", "member", "members")
ROW = Noun("سطر", "سطر واحد", "سطران", "سطرين", "أسطر", "سطرًا", "row", "rows")
FORM = Noun("نموذج", "نموذج واحد", "نموذجان", "نموذجين", "نماذج", "نموذجًا", "form", "forms")
MINUTE = Noun("دقيقة", "دقيقة واحدة", "دقيقتان", "دقيقتين", "دقائق", "دقيقةً", "minute", "minutes")
HOUR = Noun("ساعة", "ساعة واحدة", "ساعتان", "ساعتين", "ساعات", "ساعةً", "hour", "hours")
CHARACTER = Noun("حرف", "حرف واحد", "حرفان", "حرفين", "أحرف", "حرفًا", "character", "characters")
ENTRY = Noun("سجل", "سجل واحد", "سجلان", "سجلين", "سجلات", "سجلًا", "entry", "entries")
SURVEY = Noun(
    "استبيان",
    "استبيان واحد",
    "استبيانان",
    "استبيانين",
    "استبيانات",
    "استبيانًا",
    "survey",
    "surveys",
)
# شكوى ends in alif maqsura: its accusative (after 11–99) is written as it is.
COMPLAINT = Noun(
    "شكوى", "شكوى واحدة", "شكويان", "شكويين", "شكاوى", "شكوى", "complaint", "complaints"
)
CHANGE = Noun("تغيير", "تغيير واحد", "تغييران", "تغييرين", "تغييرات", "تغييرًا", "change", "changes")


def count_form(n: int) -> CountForm:
    """The Arabic form of the noun after the count `n` (a negative count as its size)."""
    n = abs(n)
    if n == 1:
        return CountForm.ONE
    if n == 2:
        return CountForm.TWO
    rest = n % 100
    if 3 <= rest <= 10:
        return CountForm.FEW
    if 11 <= rest <= 99:
        return CountForm.MANY
    return CountForm.OTHER


def _lang(lang: str | None) -> str:
    return lang or current_language()


def noun_after(n: int, noun: Noun, lang: str | None = None) -> str:
    """The noun as it follows the numeral `n` written in digits: «أيام» after 3, «يومًا» after
    11, «يوم» after 1, 2 and 100 (for a range such as 1–3 أيام, or a count in a table)."""
    if _lang(lang) != "ar":
        return noun.en_singular if abs(n) == 1 else noun.en_plural
    form = count_form(n)
    if form == CountForm.FEW:
        return noun.plural
    if form == CountForm.MANY:
        return noun.accusative
    return noun.singular


def count_phrase(n: int, noun: Noun, lang: str | None = None, *, oblique: bool = False) -> str:
    """`n` `noun` in `lang` (default: the current language), the noun agreeing with the count:
    «يوم واحد», «يومان», «3 أيام», «11 يومًا», «1,000 يوم»; "1 day", "3 days". `oblique` for a
    phrase after a preposition or as an object, where the dual is «يومين» (خلال يومين)."""
    if _lang(lang) == "ar":
        form = count_form(n)
        if form == CountForm.ONE:
            return noun.one
        if form == CountForm.TWO:
            return noun.dual_oblique if oblique else noun.dual
    return f"{n:,} {noun_after(n, noun, lang)}"


@dataclass(frozen=True)
class Count:
    """A count of a noun to be written in the language a message is shown in (an error's
    parameter, translated only when shown): see count_phrase."""

    n: int
    noun: Noun
    oblique: bool = False

    def phrase(self, lang: str | None = None) -> str:
        return count_phrase(self.n, self.noun, lang, oblique=self.oblique)


def range_phrase(first: int, last: int, noun: Noun, lang: str | None = None) -> str:
    """From `first` to `last` `noun`, the noun agreeing with the last: «1–3 أيام», "0–3 days"."""
    return f"{first}–{last} {noun_after(last, noun, lang)}"


# --- gender -----------------------------------------------------------------------------------

T = TypeVar("T")

_FEMININE = {Gender.FEMALE.value, "female", "f", "woman", "أنثى"}


def is_feminine(gender: Gender | str | None) -> bool:
    """Whether a person of `gender` (as stored: Gender.FEMALE, "F"; also "female") is a woman.
    An unknown gender reads as masculine, the wording for anyone."""
    if gender is None:
        return False
    value = gender.value if isinstance(gender, Gender) else str(gender)
    return value.strip().lower() in _FEMININE


def for_gender(gender: Gender | str | None, masculine: T, feminine: T) -> T:
    """`feminine` for a woman, `masculine` for anyone else."""
    return feminine if is_feminine(gender) else masculine


@functools.cache
def feminine_catalogue(lang: str) -> dict[str, str]:
    """msgid → the feminine wording in `lang`, for the texts whose wording has a gender."""
    entries: dict[str, str] = {}
    for po_file in sorted((resources_dir() / "translations" / lang / "feminine").glob("*.po")):
        for entry in polib.pofile(str(po_file)):
            if entry.msgstr and not entry.obsolete:
                entries[entry.msgid] = entry.msgstr
    return entries


def translate_for(
    gender: Gender | str | None, text: str, lang: str | None = None, **params: object
) -> str:
    """`translate` addressed to a person of `gender`: the feminine wording for a woman when the
    text has one."""
    chosen = _lang(lang)
    if is_feminine(gender):
        feminine = feminine_catalogue(chosen).get(text)
        if feminine is not None:
            return feminine.format(**params) if params else feminine
    return translate(text, chosen, **params)
