"""Dates typed in Gregorian or Hijri (Umm al-Qura), stored as Gregorian `datetime.date`.

Accepted input (digits may be Arabic-Indic, month and day may have one or two digits):

* Gregorian: ``YYYY-MM-DD``, e.g. ``2024-08-29``.
* Hijri: ``YYYY/MM/DD هـ`` or ``DD/MM/YYYY هـ`` (the four-digit year tells the order apart),
  with ``هـ`` or ``ه`` attached or after a space, and ``/`` or ``-`` between the parts,
  e.g. ``1446/02/25 هـ``, ``1446/2/25ه``, ``25/02/1446هـ``.

The Hijri suffix is required: without it "1446/02/25" would be a guess. Conversion uses
hijridate, which covers 1343/01/01–1500/12/30 AH = 1924-08-01–2077-11-16 CE; dates outside
that period are refused so that every stored date can also be shown in Hijri.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time

from hijridate import Gregorian, Hijri, ummalqura

from romah_desktop.arabic import normalize_digits, remove_invisible
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import N_, current_language

__all__ = [
    "GREGORIAN_MAX",
    "GREGORIAN_MIN",
    "HIJRI_MAX",
    "HIJRI_MIN",
    "HIJRI_SUFFIX",
    "format_dual",
    "hijri_month_name",
    "parse_date",
    "to_hijri",
    "to_hijri_parts",
]

HIJRI_SUFFIX = "هـ"

# The supported period, read from hijridate so that the messages always match the library.
HIJRI_MIN: tuple[int, int, int] = ummalqura.HIJRI_RANGE[0]
HIJRI_MAX: tuple[int, int, int] = ummalqura.HIJRI_RANGE[1]
GREGORIAN_MIN = date(*ummalqura.GREGORIAN_RANGE[0])
GREGORIAN_MAX = date(*ummalqura.GREGORIAN_RANGE[1])

_GREGORIAN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# ه followed by any number of tatweels (هـ, هــ), optionally a full stop ("هـ.").
_HIJRI_YMD = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})\s*ه\u0640*\.?")
_HIJRI_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})\s*ه\u0640*\.?")

_HIJRI_MONTHS = {
    "ar": (
        "محرم",
        "صفر",
        "ربيع الأول",
        "ربيع الآخر",
        "جمادى الأولى",
        "جمادى الآخرة",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذو القعدة",
        "ذو الحجة",
    ),
    "en": (
        "Muharram",
        "Safar",
        "Rabi' al-Awwal",
        "Rabi' al-Akhir",
        "Jumada al-Ula",
        "Jumada al-Akhirah",
        "Rajab",
        "Sha'ban",
        "Ramadan",
        "Shawwal",
        "Dhu al-Qa'dah",
        "Dhu al-Hijjah",
    ),
}


def _hijri_text(year: int, month: int, day: int) -> str:
    return f"{year:04d}/{month:02d}/{day:02d} {HIJRI_SUFFIX}"


def _range_error(field: str) -> ValidationError:
    return ValidationError(
        field,
        N_(
            "Only dates from {min_gregorian} to {max_gregorian} (from {min_hijri} to {max_hijri}) "
            "can be used, because the Hijri calendar conversion covers only that period."
        ),
        min_gregorian=GREGORIAN_MIN.isoformat(),
        max_gregorian=GREGORIAN_MAX.isoformat(),
        min_hijri=_hijri_text(*HIJRI_MIN),
        max_hijri=_hijri_text(*HIJRI_MAX),
    )


def _gregorian(year: int, month: int, day: int, field: str) -> date:
    # Year first: a year such as 0000 cannot even be checked for month lengths.
    if not GREGORIAN_MIN.year <= year <= GREGORIAN_MAX.year:
        raise _range_error(field)
    if not 1 <= month <= 12:
        raise ValidationError(
            field, N_("The month must be between 1 and 12 (you typed {month})."), month=month
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValidationError(
            field,
            N_("Day {day} does not exist in month {month} of {year}: that month has {days} days."),
            day=day,
            month=month,
            year=year,
            days=days,
        )
    result = date(year, month, day)
    if not GREGORIAN_MIN <= result <= GREGORIAN_MAX:
        raise _range_error(field)
    return result


def _hijri(year: int, month: int, day: int, field: str) -> date:
    if not HIJRI_MIN[0] <= year <= HIJRI_MAX[0]:
        raise _range_error(field)
    if not 1 <= month <= 12:
        raise ValidationError(
            field, N_("The month must be between 1 and 12 (you typed {month})."), month=month
        )
    # Umm al-Qura months have 29 or 30 days depending on the year; only the table knows.
    days = int(Hijri(year, month, 1).month_length())
    if not 1 <= day <= days:
        raise ValidationError(
            field,
            N_(
                "Day {day} does not exist in Hijri month {month} of {year}: "
                "that month has {days} days."
            ),
            day=day,
            month=month,
            year=year,
            days=days,
        )
    gregorian = Hijri(year, month, day).to_gregorian()
    return date(gregorian.year, gregorian.month, gregorian.day)


def parse_date(text: str, field: str = "date") -> date:
    """Return the Gregorian date that `text` names (Gregorian or Hijri, see the module doc).

    Raises ValidationError(field, ...) when `text` is blank, is in no accepted format, names
    a month or day that does not exist (2023-02-30, day 30 of a 29-day Hijri month), or lies
    outside 1924-08-01–2077-11-16 (1343/01/01–1500/12/30 هـ).
    """
    cleaned = " ".join(normalize_digits(remove_invisible(text)).split())
    if not cleaned:
        raise ValidationError(field, N_("Please enter the date."))
    if match := _GREGORIAN.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return _gregorian(year, month, day, field)
    if match := _HIJRI_YMD.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return _hijri(year, month, day, field)
    if match := _HIJRI_DMY.fullmatch(cleaned):
        day, month, year = (int(part) for part in match.groups())
        return _hijri(year, month, day, field)
    raise ValidationError(
        field,
        N_(
            "The date was not understood. Type a Gregorian date as YYYY-MM-DD (for example "
            "2024-08-29) or a Hijri date as YYYY/MM/DD هـ (for example 1446/02/25 هـ)."
        ),
    )


def _as_date(d: date) -> date:
    # A datetime is a date too; drop the time so hijridate sees a plain date.
    return d.date() if isinstance(d, datetime) else d


def to_hijri_parts(d: date, *, field: str = "date") -> tuple[int, int, int]:
    """Return the Umm al-Qura (year, month, day) of the Gregorian date `d`.

    Raises ValidationError(field, ...) when `d` is outside 1924-08-01–2077-11-16.
    """
    d = _as_date(d)
    if not GREGORIAN_MIN <= d <= GREGORIAN_MAX:
        raise _range_error(field)
    hijri = Gregorian.fromdate(d).to_hijri()
    return int(hijri.year), int(hijri.month), int(hijri.day)


def to_hijri(d: date, *, field: str = "date") -> str:
    """Return `d` as a Hijri date with ASCII digits, e.g. "1446/02/25 هـ".

    Raises ValidationError(field, ...) when `d` is outside 1924-08-01–2077-11-16.
    """
    return _hijri_text(*to_hijri_parts(d, field=field))


def format_dual(d: date) -> str:
    """Return `d` in Hijri and Gregorian side by side, "1446/02/25 هـ (2024/08/29 م)".

    Both are written with slashes, as Saudi forms write them: slashes keep a date's numbers
    in order inside Arabic text, where hyphens let a bidi renderer (Qt's table cells among
    them, even with isolate marks) show 2024-08-29 as 29-08-2024. A date outside the Hijri
    conversion period (which validated input never is) is shown in Gregorian alone, so that
    a listing or report never fails on one odd row. Never raises.
    """
    d = _as_date(d)
    gregorian = f"{d:%Y/%m/%d} م"
    if not GREGORIAN_MIN <= d <= GREGORIAN_MAX:
        return gregorian
    return f"{to_hijri(d)} ({gregorian})"


def hijri_month_name(month: int, lang: str | None = None) -> str:
    """Return the name of Hijri month `month` (1–12) in `lang` ("ar" or "en"; default: the
    current language), e.g. hijri_month_name(9, "ar") == "رمضان".

    Raises ValueError for a month outside 1–12 or an unknown language (programming errors).
    """
    names = _HIJRI_MONTHS.get(lang or current_language())
    if names is None:
        raise ValueError(f"no Hijri month names for language {lang!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"a Hijri month is between 1 and 12, not {month}")
    return names[month - 1]


def local_midnight(day: date) -> datetime:
    """The start of `day` on this computer's clock, as an aware datetime: the bound for
    comparing a day with stored UTC timestamps."""
    return datetime.combine(day, time()).astimezone()
