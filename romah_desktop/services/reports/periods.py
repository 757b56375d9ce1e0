"""Report periods and the months their trends are counted in: two inclusive days chosen as
Gregorian dates or as a Hijri (Umm al-Qura) month or year, and the months of either calendar
that a period touches."""

from __future__ import annotations

import calendar as gregorian_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hijridate import Hijri

from romah_desktop.dates import (
    GREGORIAN_MAX,
    GREGORIAN_MIN,
    HIJRI_MAX,
    HIJRI_MIN,
    format_dual,
    hijri_month_name,
    parse_date,
    to_hijri,
    to_hijri_parts,
)
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import N_, current_language

# A report covers at most this many days (ten years): its months must fit on a chart.
MAX_PERIOD_DAYS = 3660

_GREGORIAN_MONTHS = {
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
    "en": tuple(gregorian_calendar.month_name[1:]),
}


# --- periods and months ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Inclusive days from `first` to `last` (Gregorian dates, as stored)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def text(self) -> str:
        """The period in Hijri and Gregorian, as a report's heading names it."""
        return f"{format_dual(self.first)} – {format_dual(self.last)}"


def make_period(first: date | None, last: date | None) -> Period:
    """The period from `first` to `last`, both included.

    Raises ValidationError("period_from" / "period_to" / "period", ...) when a day is
    missing, outside the dates the Hijri calendar covers, when the period ends before it
    starts, or is longer than ten years.
    """
    if first is None:
        raise ValidationError("period_from", N_("Choose the first day of the report's period."))
    if last is None:
        raise ValidationError("period_to", N_("Choose the last day of the report's period."))
    for day, field_name in ((first, "period_from"), (last, "period_to")):
        if not GREGORIAN_MIN <= day <= GREGORIAN_MAX:
            raise ValidationError(
                field_name,
                N_(
                    "Only dates from {min_gregorian} to {max_gregorian} (from {min_hijri} to "
                    "{max_hijri}) can be used, because the Hijri calendar conversion covers "
                    "only that period."
                ),
                min_gregorian=GREGORIAN_MIN.isoformat(),
                max_gregorian=GREGORIAN_MAX.isoformat(),
                min_hijri=to_hijri(GREGORIAN_MIN),
                max_hijri=to_hijri(GREGORIAN_MAX),
            )
    if last < first:
        raise ValidationError(
            "period",
            N_("The report's period ends on {last}, before it starts on {first}. Swap the dates."),
            first=format_dual(first),
            last=format_dual(last),
        )
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError(
            "period", N_("A report covers at most ten years. Choose a shorter period.")
        )
    return Period(first, last)


def parse_period(first: str | None, last: str | None) -> Period:
    """The period between two typed dates (Gregorian YYYY-MM-DD or Hijri YYYY/MM/DD هـ).

    Raises ValidationError as make_period does, or for a text that is not a date.
    """
    first_day = parse_date(first, "period_from") if first and first.strip() else None
    if first_day is None:
        return make_period(None, None)
    last_day = parse_date(last, "period_to") if last and last.strip() else None
    return make_period(first_day, last_day)


class MonthCalendar(StrEnum):
    """The calendar whose months a report's trends are counted in."""

    HIJRI = "hijri"
    GREGORIAN = "gregorian"


@dataclass(frozen=True)
class Month:
    """A month of either calendar, with its first and last Gregorian days."""

    calendar: MonthCalendar
    year: int
    month: int
    first: date
    last: date

    @property
    def key(self) -> str:
        """ "1446-02" (Hijri) or "2024-08" (Gregorian): sorts in time order."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def period(self) -> Period:
        return Period(self.first, self.last)

    def label(self, lang: str | None = None) -> str:
        """The month's name and year, e.g. "صفر 1446" or "أغسطس 2024"."""
        lang = lang or current_language()
        if self.calendar is MonthCalendar.HIJRI:
            return f"{hijri_month_name(self.month, lang)} {self.year}"
        return f"{gregorian_month_name(self.month, lang)} {self.year}"

    def next(self) -> Month:
        """The month after this one."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        if self.calendar is MonthCalendar.HIJRI:
            return hijri_month(year, month)
        return gregorian_month(year, month)


def gregorian_month_name(month: int, lang: str | None = None) -> str:
    """The name of Gregorian month `month` (1–12) as Saudi usage writes it in Arabic
    ("أغسطس"), or in English. Raises ValueError for a month outside 1–12."""
    if not 1 <= month <= 12:
        raise ValueError(f"a month is between 1 and 12, not {month}")
    names = _GREGORIAN_MONTHS.get(lang or current_language(), _GREGORIAN_MONTHS["en"])
    return names[month - 1]


def _month_error(field_name: str, month: int) -> ValidationError:
    return ValidationError(
        field_name, N_("The month must be between 1 and 12 (you typed {month})."), month=month
    )


def hijri_month(year: int, month: int) -> Month:
    """The Umm al-Qura month `month` of Hijri year `year`, e.g. hijri_month(1446, 9) is
    Ramadan 1446 (2025-03-01 – 2025-03-29).

    Raises ValidationError("hijri_month", ...) for a month outside 1–12 or a year outside the
    calendar's table (1343–1500 هـ).
    """
    if not HIJRI_MIN[0] <= year <= HIJRI_MAX[0]:
        raise ValidationError(
            "hijri_month",
            N_("Choose a Hijri year from {first} to {last}."),
            first=HIJRI_MIN[0],
            last=HIJRI_MAX[0],
        )
    if not 1 <= month <= 12:
        raise _month_error("hijri_month", month)
    start = Hijri(year, month, 1)
    gregorian = start.to_gregorian()
    first = date(gregorian.year, gregorian.month, gregorian.day)
    return Month(
        MonthCalendar.HIJRI,
        year,
        month,
        first,
        first + timedelta(days=int(start.month_length()) - 1),
    )


def gregorian_month(year: int, month: int) -> Month:
    """The Gregorian month `month` of `year`. Raises ValidationError("month", ...) for a
    month outside 1–12 or a year the Hijri calendar does not cover."""
    if not GREGORIAN_MIN.year <= year <= GREGORIAN_MAX.year:
        raise ValidationError(
            "month",
            N_("Choose a year from {first} to {last}."),
            first=GREGORIAN_MIN.year,
            last=GREGORIAN_MAX.year,
        )
    if not 1 <= month <= 12:
        raise _month_error("month", month)
    days = gregorian_calendar.monthrange(year, month)[1]
    return Month(
        MonthCalendar.GREGORIAN, year, month, date(year, month, 1), date(year, month, days)
    )


def month_of(day: date, calendar: MonthCalendar = MonthCalendar.HIJRI) -> Month:
    """The month of `calendar` that `day` falls in. Raises ValidationError outside the
    Hijri calendar's dates."""
    if calendar is MonthCalendar.HIJRI:
        year, month, _day = to_hijri_parts(day, field="period")
        return hijri_month(year, month)
    return gregorian_month(day.year, day.month)


def hijri_year_period(year: int) -> Period:
    """The Hijri year `year`, from 1 Muharram to the last day of Dhu al-Hijjah.
    Raises ValidationError for a year the calendar's table does not cover."""
    return Period(hijri_month(year, 1).first, hijri_month(year, 12).last)


def months_in(period: Period, calendar: MonthCalendar = MonthCalendar.HIJRI) -> list[Month]:
    """The months of `calendar` that the period touches, in order (the first and last may
    reach beyond the period)."""
    months = [month_of(period.first, calendar)]
    while months[-1].last < period.last:
        months.append(months[-1].next())
    return months
