"""Tests of romah_desktop.dates: Gregorian and Umm al-Qura Hijri dates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hijridate import Hijri
from hypothesis import given
from hypothesis import strategies as st

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
from romah_desktop.i18n import catalogue

POLICY_APPROVAL = date(2024, 8, 29)  # 1446/02/25 هـ

IN_RANGE = st.dates(min_value=GREGORIAN_MIN, max_value=GREGORIAN_MAX)


def assert_translated(err: ValidationError) -> None:
    """The message has a real Arabic translation, with no English left in it."""
    english, arabic = err.text("en"), err.text("ar")
    assert err.message in catalogue("ar")
    assert arabic != english
    assert re.search(r"[\u0621-\u064a]", arabic)
    assert not re.search(r"[A-Za-z]{3,}", arabic), arabic


def date_error(text: str, field: str = "date") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_date(text, field)
    assert info.value.field == field
    assert_translated(info.value)
    return info.value


# --- the policy's approval date ---------------------------------------------------------------


def test_policy_approval_date_is_25_safar_1446() -> None:
    assert to_hijri(POLICY_APPROVAL) == "1446/02/25 هـ"
    assert to_hijri_parts(POLICY_APPROVAL) == (1446, 2, 25)
    assert format_dual(POLICY_APPROVAL) == "1446/02/25 هـ (2024/08/29 م)"
    assert parse_date("1446/02/25 هـ") == POLICY_APPROVAL


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        # Dates announced in the Kingdom, independent of the conversion library.
        ("1445/09/01 هـ", date(2024, 3, 11)),  # 1 Ramadan 1445
        ("1446/01/01 هـ", date(2024, 7, 7)),  # 1 Muharram 1446
        ("1446/09/01 هـ", date(2025, 3, 1)),  # 1 Ramadan 1446
        ("1446/10/01 هـ", date(2025, 3, 30)),  # Eid al-Fitr 1446
    ],
)
def test_known_umm_al_qura_dates(hijri: str, gregorian: date) -> None:
    assert parse_date(hijri) == gregorian
    assert to_hijri(gregorian) == hijri


# --- accepted input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-08-29",
        "  2024-08-29  ",
        "٢٠٢٤-٠٨-٢٩",
        "۲۰۲۴-۰۸-۲۹",
        "\u200f2024-08-29",
        "1446/02/25 هـ",
        "1446/2/25 هـ",
        "1446/02/25هـ",
        "1446/02/25 ه",
        "1446/02/25ه",
        "1446/02/25   هـ",
        "1446/02/25 هـ.",
        "1446-02-25 هـ",
        "١٤٤٦/٠٢/٢٥ هـ",
        "١٤٤٦/٢/٢٥هـ",
        "25/02/1446 هـ",
        "25/2/1446هـ",
        "٢٥/٠٢/١٤٤٦ هـ",
    ],
)
def test_parse_date_accepts_gregorian_and_hijri_forms(text: str) -> None:
    assert parse_date(text) == POLICY_APPROVAL


def test_parse_date_accepts_one_digit_month_and_day() -> None:
    assert parse_date("2024-8-9") == date(2024, 8, 9)
    assert parse_date("1446/1/1 هـ") == date(2024, 7, 7)


def test_parse_date_accepts_the_ends_of_the_supported_period() -> None:
    assert parse_date("1924-08-01") == date(1924, 8, 1)
    assert parse_date("2077-11-16") == date(2077, 11, 16)
    assert parse_date("1343/01/01 هـ") == date(1924, 8, 1)
    assert parse_date("1500/12/30 هـ") == date(2077, 11, 16)


def test_parse_date_accepts_29_february_in_a_leap_year() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)


# --- refused input ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\u200f", "\t\n"])
def test_parse_date_empty(text: str) -> None:
    err = date_error(text)
    assert str(err) == "Please enter the date."


@pytest.mark.parametrize(
    "text",
    [
        "29/08/2024",  # day-first Gregorian is ambiguous
        "2024/08/29",  # slashes without هـ
        "1446/02/25",  # Hijri without هـ
        "24-08-29",
        "2024-08",
        "2024-08-29T10:00",
        "2024-08-29 م",
        "tomorrow",
        "غدا",
        "1446/02/25 هـ هـ",
        "'; DROP TABLE x;--",
        "2024-08-29\x00",
        "2" * 10_000,
    ],
)
def test_parse_date_unrecognised_format_names_the_accepted_formats(text: str) -> None:
    err = date_error(text)
    assert "YYYY-MM-DD" in str(err)
    assert "YYYY/MM/DD هـ" in str(err)
    assert "سنة-شهر-يوم" in err.text("ar")


@pytest.mark.parametrize(
    ("text", "day", "days"),
    [
        ("2023-02-30", 30, 28),
        ("2023-02-29", 29, 28),
        ("2024-02-30", 30, 29),
        ("2024-04-31", 31, 30),
        ("2024-01-00", 0, 31),
        ("2024-01-32", 32, 31),
    ],
)
def test_parse_date_impossible_gregorian_day(text: str, day: int, days: int) -> None:
    err = date_error(text)
    assert err.message.startswith("Day {day} does not exist in month")
    assert err.params["day"] == day
    assert err.params["days"] == days
    assert f"has {days} days" in str(err)


@pytest.mark.parametrize("text", ["2024-13-01", "2024-00-10", "1446/13/01 هـ", "1446/00/10 هـ"])
def test_parse_date_impossible_month(text: str) -> None:
    err = date_error(text)
    assert err.message == "The month must be between 1 and 12 (you typed {month})."


def test_parse_date_day_30_in_a_29_day_hijri_month() -> None:
    # Muharram and Ramadan 1446 have 29 days in the Umm al-Qura calendar; Safar has 30.
    assert parse_date("1446/02/30 هـ") == date(2024, 9, 3)
    for text in ("1446/01/30 هـ", "1446/09/30 هـ", "30/09/1446 هـ"):
        err = date_error(text)
        assert err.message.startswith("Day {day} does not exist in Hijri month")
        assert err.params["days"] == 29
        assert err.params["day"] == 30


@pytest.mark.parametrize("text", ["1446/02/31 هـ", "1446/02/00 هـ"])
def test_parse_date_hijri_day_outside_1_to_30(text: str) -> None:
    err = date_error(text)
    assert err.message.startswith("Day {day} does not exist in Hijri month")


@pytest.mark.parametrize(
    "text",
    [
        "1342/12/29 هـ",
        "1501/01/01 هـ",
        "0001/01/01 هـ",
        "1924-07-31",
        "1900-01-01",
        "2077-11-17",
        "2100-01-01",
        "0000-01-01",
        "9999-12-31",
    ],
)
def test_parse_date_outside_the_supported_period_says_the_period(text: str) -> None:
    err = date_error(text)
    english = str(err)
    assert "1924-08-01" in english and "2077-11-16" in english
    assert "1343/01/01 هـ" in english and "1500/12/30 هـ" in english
    arabic = err.text("ar")
    assert "1924-08-01" in arabic and "1343/01/01 هـ" in arabic


def test_parse_date_error_carries_the_field_name() -> None:
    with pytest.raises(ValidationError) as info:
        parse_date("2023-02-30")
    assert info.value.field == "date"
    date_error("2023-02-30", field="visit_date")
    date_error("", field="decision_date")


# --- conversions --------------------------------------------------------------------------------


def test_range_constants_match_hijridate() -> None:
    assert GREGORIAN_MIN == date(1924, 8, 1)
    assert GREGORIAN_MAX == date(2077, 11, 16)
    assert HIJRI_MIN == (1343, 1, 1)
    assert HIJRI_MAX == (1500, 12, 30)


@pytest.mark.parametrize(
    "outside", [GREGORIAN_MIN - timedelta(days=1), GREGORIAN_MAX + timedelta(days=1)]
)
def test_to_hijri_outside_the_period_raises(outside: date) -> None:
    for convert in (to_hijri, to_hijri_parts):
        with pytest.raises(ValidationError) as info:
            convert(outside)
        assert info.value.field == "date"
        assert_translated(info.value)
    with pytest.raises(ValidationError) as info:
        to_hijri(outside, field="birth_date")
    assert info.value.field == "birth_date"


def test_format_dual_outside_the_period_shows_gregorian_only() -> None:
    assert format_dual(date(1900, 1, 1)) == "1900/01/01 م"
    assert format_dual(date(2100, 1, 1)) == "2100/01/01 م"


def test_conversions_accept_a_datetime() -> None:
    moment = datetime(2024, 8, 29, 23, 59)
    assert to_hijri(moment) == "1446/02/25 هـ"
    assert format_dual(moment) == "1446/02/25 هـ (2024/08/29 م)"


@given(IN_RANGE)
def test_hijri_text_round_trips(d: date) -> None:
    hijri = to_hijri(d)
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} هـ", hijri)
    assert parse_date(hijri) == d
    year, month, day = to_hijri_parts(d)
    assert hijri == f"{year:04d}/{month:02d}/{day:02d} هـ"
    assert 1 <= month <= 12 and 1 <= day <= 30


@given(IN_RANGE)
def test_gregorian_text_round_trips(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert format_dual(d) == f"{to_hijri(d)} ({d:%Y/%m/%d} م)"


@given(IN_RANGE)
def test_consecutive_days_have_consecutive_hijri_dates(d: date) -> None:
    if d == GREGORIAN_MAX:
        return
    year, month, day = to_hijri_parts(d)
    following = to_hijri_parts(d + timedelta(days=1))
    assert following in {(year, month, day + 1), (year, month + 1, 1), (year + 1, 1, 1)}
    if following[2] == 1:
        # The month ends on its last day. Umm al-Qura months have 29 or 30 days, except a few
        # irregular ones in the historical tables (1364/08 has 28), so ask the table itself.
        assert day == Hijri(year, month, 1).month_length()
        assert day in (28, 29, 30)


# --- month names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "lang", "name"),
    [
        (1, "ar", "محرم"),
        (2, "ar", "صفر"),
        (9, "ar", "رمضان"),
        (12, "ar", "ذو الحجة"),
        (1, "en", "Muharram"),
        (9, "en", "Ramadan"),
        (12, "en", "Dhu al-Hijjah"),
    ],
)
def test_hijri_month_name(month: int, lang: str, name: str) -> None:
    assert hijri_month_name(month, lang) == name


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hijri_month_names_are_twelve_distinct_names(lang: str) -> None:
    names = {hijri_month_name(month, lang) for month in range(1, 13)}
    assert len(names) == 12


@pytest.mark.parametrize(("month", "lang"), [(0, "ar"), (13, "en"), (1, "fr")])
def test_hijri_month_name_refuses_bad_arguments(month: int, lang: str) -> None:
    with pytest.raises(ValueError):
        hijri_month_name(month, lang)
