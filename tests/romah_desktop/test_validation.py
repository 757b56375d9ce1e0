"""Tests of romah_desktop.validation and of the Arabic catalogue of its messages."""

from __future__ import annotations

import ast
import inspect
import re
import string
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import ModuleType

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.enums import Gender
from romah_desktop import arabic, dates, validation
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import catalogue
from romah_desktop.resources import resources_dir
from romah_desktop.validation import (
    GENDER_SYNONYMS,
    IdType,
    format_mobile_local,
    format_money,
    make_iban,
    make_national_id,
    mobile_search_key,
    parse_money,
    validate_birth_date,
    validate_choice,
    validate_gender,
    validate_iban,
    validate_mobile,
    validate_name_part,
    validate_national_id,
    validate_text,
)

SQL = "'; DROP TABLE x;--"
TODAY = date(2024, 8, 29)
EXAMPLE_IBAN = "SA0380000000608010167519"  # the IBAN registry's example for Saudi Arabia


def assert_translated(err: ValidationError) -> None:
    """The message has a real Arabic translation, with no English left in it."""
    english, arabic_text = err.text("en"), err.text("ar")
    assert err.message in catalogue("ar"), err.message
    assert arabic_text != english
    assert re.search(r"[\u0621-\u064a]", arabic_text)
    assert not re.search(r"[A-Za-z]{3,}", arabic_text), arabic_text


def rejects(check: Callable[[], object], field: str) -> ValidationError:
    """Run `check`, expecting a ValidationError on `field` with a translated message."""
    with pytest.raises(ValidationError) as info:
        check()
    assert info.value.field == field
    assert_translated(info.value)
    return info.value


def reference_luhn_ok(number: str) -> bool:
    """Textbook Luhn, written independently: from the right, double every second digit."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = sum(divmod(digit * 2, 10))
        total += digit
    return total % 10 == 0


# --- the catalogue ----------------------------------------------------------------------------


def _msgids(module: ModuleType) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_":
            argument = node.args[0]
            assert isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            found.add(argument.value)
    return found


ALL_MSGIDS = sorted(_msgids(arabic) | _msgids(dates) | _msgids(validation))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_is_marked_and_found() -> None:
    assert len(ALL_MSGIDS) >= 30


@pytest.mark.parametrize("msgid", ALL_MSGIDS)
def test_every_message_has_an_arabic_translation(msgid: str) -> None:
    msgstr = catalogue("ar").get(msgid)
    assert msgstr, f"no Arabic for {msgid!r}"
    assert msgstr != msgid
    assert re.search(r"[\u0621-\u064a]", msgstr)
    # Placeholders keep their English names; everything else must be Arabic.
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", "", msgstr)), msgstr
    assert _placeholders(msgstr) == _placeholders(msgid)


def test_catalogue_file_header() -> None:
    po = polib.pofile(str(resources_dir() / "translations" / "ar" / "validation.po"))
    assert po.metadata["Language"] == "ar"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert {entry.msgid for entry in po} == set(ALL_MSGIDS)


# --- national ID / Iqama ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number", "id_type"),
    [
        ("1000000008", "1000000008", IdType.NATIONAL_ID),
        ("2000000006", "2000000006", IdType.IQAMA),
        ("1234567897", "1234567897", IdType.NATIONAL_ID),
        ("  1234567897 ", "1234567897", IdType.NATIONAL_ID),
        ("1234 567 897", "1234567897", IdType.NATIONAL_ID),
        ("١٢٣٤٥٦٧٨٩٧", "1234567897", IdType.NATIONAL_ID),
        ("۱۲۳۴۵۶۷۸۹۷", "1234567897", IdType.NATIONAL_ID),
        ("\u200f١٠٠٠٠٠٠٠٠٨", "1000000008", IdType.NATIONAL_ID),
    ],
)
def test_valid_ids(typed: str, number: str, id_type: IdType) -> None:
    assert validate_national_id(typed) == (number, id_type)
    assert reference_luhn_ok(number)


def test_id_type_is_the_stored_vocabulary() -> None:
    assert IdType.NATIONAL_ID.value == "national_id"
    assert IdType.IQAMA.value == "iqama"


@pytest.mark.parametrize("typed", ["", "   ", "\u200f"])
def test_id_empty(typed: str) -> None:
    err = rejects(lambda: validate_national_id(typed), "national_id")
    assert str(err) == "Please enter the ID number."


@pytest.mark.parametrize(
    "typed", ["10000000a8", "١٠٠٠٠٠٠٠٠x", "1000-000-008", SQL, "1000000008\x00"]
)
def test_id_with_other_characters(typed: str) -> None:
    err = rejects(lambda: validate_national_id(typed), "national_id")
    assert str(err) == "The ID number may contain digits only."


@pytest.mark.parametrize(("typed", "count"), [("100000000", 9), ("10000000080", 11), ("1", 1)])
def test_id_wrong_length_says_how_many_digits(typed: str, count: int) -> None:
    err = rejects(lambda: validate_national_id(typed), "national_id")
    assert str(err) == f"The ID number must have 10 digits (you typed {count})."
    assert str(count) in err.text("ar")


@pytest.mark.parametrize("first", "03456789")
def test_id_wrong_first_digit(first: str) -> None:
    number = first + make_national_id("100000000")[1:]
    err = rejects(lambda: validate_national_id(number, field="id_number"), "id_number")
    assert err.params == {"digit": first}
    assert "start with 1" in str(err)


@pytest.mark.parametrize("typed", ["1000000007", "1000000009", "2000000005", "1234567898"])
def test_id_wrong_check_digit(typed: str) -> None:
    assert not reference_luhn_ok(typed)
    err = rejects(lambda: validate_national_id(typed), "national_id")
    assert "not valid" in str(err)


def test_make_national_id() -> None:
    assert make_national_id("100000000") == "1000000008"
    assert make_national_id("123456789") == "1234567897"
    for bad in ("12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"):
        with pytest.raises(ValueError):
            make_national_id(bad)


ID_BODIES = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("12"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


@given(ID_BODIES)
def test_make_national_id_always_validates(body: str) -> None:
    number = make_national_id(body)
    assert number.startswith(body) and len(number) == 10
    assert reference_luhn_ok(number)
    expected = IdType.NATIONAL_ID if body[0] == "1" else IdType.IQAMA
    assert validate_national_id(number) == (number, expected)


@given(ID_BODIES, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_is_rejected(body: str, position: int, shift: int) -> None:
    number = make_national_id(body)
    changed_digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_national_id(changed)


# --- mobile -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "0501234567",
        "501234567",
        "+966501234567",
        "966501234567",
        "00966501234567",
        "050 123 4567",
        "050-123-4567",
        "(050) 123-4567",
        "+966 50 123 4567",
        "+966 050 123 4567",
        "٠٥٠١٢٣٤٥٦٧",
        "+٩٦٦٥٠١٢٣٤٥٦٧",
        "  0501234567  ",
        "\u200e0501234567",
    ],
)
def test_valid_mobiles(typed: str) -> None:
    assert validate_mobile(typed) == "+966501234567"
    assert mobile_search_key(typed) == "+966501234567"


@pytest.mark.parametrize("typed", ["", "  "])
def test_mobile_empty(typed: str) -> None:
    err = rejects(lambda: validate_mobile(typed), "phone")
    assert str(err) == "Please enter the mobile number."


@pytest.mark.parametrize("typed", ["05012345ab", "abc", SQL, "05+01234567", "+", "٠٥٠١٢٣٤٥٦٧x"])
def test_mobile_other_characters(typed: str) -> None:
    err = rejects(lambda: validate_mobile(typed, field="mobile"), "mobile")
    assert err.message.startswith("The mobile number may contain only digits")


@pytest.mark.parametrize(("typed", "count"), [("05012345", 8), ("05012345678", 11)])
def test_mobile_wrong_length_says_how_many_digits(typed: str, count: int) -> None:
    err = rejects(lambda: validate_mobile(typed), "phone")
    assert err.params == {"count": count}


@pytest.mark.parametrize(
    "typed", ["0112345678", "0401234567", "96650123456", "+9715012345678", "1000000008", "5"]
)
def test_not_a_saudi_mobile(typed: str) -> None:
    err = rejects(lambda: validate_mobile(typed), "phone")
    assert "0501234567" in str(err)


@pytest.mark.parametrize("typed", ["محمد", "1000000008", "", "0112345678", SQL])
def test_mobile_search_key_is_none_for_other_text(typed: str) -> None:
    assert mobile_search_key(typed) is None


def test_format_mobile_local() -> None:
    assert format_mobile_local("+966501234567") == "0501234567"
    assert format_mobile_local("00966 55 000 0000") == "0550000000"
    rejects(lambda: format_mobile_local("hello"), "phone")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_mobile_form_has_one_canonical_form(rest: str) -> None:
    canonical = "+9665" + rest
    for typed in ("05" + rest, "5" + rest, "9665" + rest, "009665" + rest, canonical):
        assert validate_mobile(typed) == canonical
    assert validate_mobile(format_mobile_local(canonical)) == canonical
    assert format_mobile_local(canonical) == "05" + rest


# --- IBAN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        EXAMPLE_IBAN,
        "SA03 8000 0000 6080 1016 7519",
        "sa03 8000 0000 6080 1016 7519",
        "  SA03-8000-0000-6080-1016-7519 ",
        "SA03 ٨٠٠٠ ٠٠٠٠ ٦٠٨٠ ١٠١٦ ٧٥١٩",
    ],
)
def test_valid_iban(typed: str) -> None:
    assert validate_iban(typed) == EXAMPLE_IBAN


def test_make_iban_reproduces_the_registry_example() -> None:
    assert make_iban("80000000608010167519") == EXAMPLE_IBAN
    for bad in ("8000000060801016751", "8000000060801016751900", "80000000608010167-19"):
        with pytest.raises(ValueError):
            make_iban(bad)


@pytest.mark.parametrize("typed", ["", "   "])
def test_iban_empty(typed: str) -> None:
    err = rejects(lambda: validate_iban(typed), "iban")
    assert str(err) == "Please enter the IBAN."


@pytest.mark.parametrize(
    "typed", ["SA03 8000 0000 6080 1016 751!", "ساSA0380000000608010167519", SQL, "SA03_8000"]
)
def test_iban_bad_characters(typed: str) -> None:
    err = rejects(lambda: validate_iban(typed), "iban")
    assert "letters and digits" in str(err)


@pytest.mark.parametrize("typed", ["GB82WEST12345698765432", "0380000000608010167519", "AS03"])
def test_iban_wrong_country(typed: str) -> None:
    err = rejects(lambda: validate_iban(typed, field="bank_iban"), "bank_iban")
    assert "SA" in err.text("ar")


@pytest.mark.parametrize(
    ("typed", "count"), [("SA03800000006080101675", 22), ("SA038000000060801016751900", 26)]
)
def test_iban_wrong_length(typed: str, count: int) -> None:
    err = rejects(lambda: validate_iban(typed), "iban")
    assert err.params == {"count": count}


@pytest.mark.parametrize(
    "typed",
    [
        "SA0380000000608010167518",  # last digit mistyped
        "SA0480000000608010167519",  # check digits mistyped
        "SA0380000000608010167591",  # two digits swapped
        "SAXX80000000608010167519",  # letters where the check digits go
    ],
)
def test_iban_check_failed(typed: str) -> None:
    err = rejects(lambda: validate_iban(typed), "iban")
    assert "not valid" in str(err)


BBANS = st.text(alphabet=string.digits + string.ascii_uppercase, min_size=20, max_size=20)


@given(BBANS)
def test_make_iban_always_validates(bban: str) -> None:
    iban = make_iban(bban)
    assert len(iban) == 24 and iban.startswith("SA") and iban.endswith(bban)
    assert validate_iban(iban) == iban
    assert validate_iban(" ".join(iban.lower()[i : i + 4] for i in range(0, 24, 4))) == iban


@given(
    st.text(alphabet=string.digits, min_size=20, max_size=20), st.integers(2, 23), st.integers(1, 9)
)
def test_iban_single_digit_change_is_rejected(bban: str, position: int, shift: int) -> None:
    iban = make_iban(bban)
    changed = iban[:position] + str((int(iban[position]) + shift) % 10) + iban[position + 1 :]
    with pytest.raises(ValidationError):
        validate_iban(changed)


# --- birth date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-05-01", date(1990, 5, 1)),
        ("1410/10/06 هـ", date(1990, 5, 1)),
        ("١٤١٠/١٠/٠٦ هـ", date(1990, 5, 1)),
        (date(1990, 5, 1), date(1990, 5, 1)),
        (datetime(1990, 5, 1, 12, 30), date(1990, 5, 1)),
        ("2024-08-29", TODAY),  # born today
        ("1924-08-01", date(1924, 8, 1)),
    ],
)
def test_valid_birth_dates(value: str | date, expected: date) -> None:
    born = validate_birth_date(value, TODAY)
    assert born == expected
    assert type(born) is date


@pytest.mark.parametrize("value", ["2024-08-30", "1446/02/26 هـ", date(2030, 1, 1)])
def test_birth_date_in_the_future(value: str | date) -> None:
    err = rejects(lambda: validate_birth_date(value, TODAY), "birth_date")
    assert str(err) == "The birth date cannot be in the future."


def test_birth_date_before_the_earliest_supported_date() -> None:
    err = rejects(lambda: validate_birth_date(date(1920, 1, 1), TODAY), "birth_date")
    assert "1924-08-01" in str(err) and "1343/01/01 هـ" in str(err)
    assert "1924-08-01" in err.text("ar")
    err = rejects(lambda: validate_birth_date("1900-01-01", TODAY, field="dob"), "dob")
    assert "1924-08-01" in str(err)


@pytest.mark.parametrize("value", ["", "2023-02-30", "1446/01/30 هـ", "yesterday", SQL])
def test_birth_date_bad_text_reports_the_birth_date_field(value: str) -> None:
    rejects(lambda: validate_birth_date(value, TODAY), "birth_date")


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "halalas"),
    [
        ("1500", 150_000),
        ("1,500.50", 150_050),
        ("1500.5", 150_050),
        ("١٥٠٠٫٥", 150_050),
        ("١٬٥٠٠٫٥٠", 150_050),
        ("۱۵۰۰", 150_000),
        (" 0 ", 0),
        ("0.05", 5),
        ("1 500", 150_000),
        ("10,000,000", 1_000_000_000),
        ("10000000.00", 1_000_000_000),
        (1500, 150_000),
        (0, 0),
        (Decimal("12.34"), 1234),
        (Decimal("1.500"), 150),
    ],
)
def test_parse_money(value: str | int | Decimal, halalas: int) -> None:
    result = parse_money(value)
    assert result == halalas
    assert type(result) is int


@pytest.mark.parametrize("value", ["", "   "])
def test_money_empty(value: str) -> None:
    err = rejects(lambda: parse_money(value), "amount")
    assert str(err) == "Please enter the amount."


@pytest.mark.parametrize("value", ["-5", "5-", "\u22125", "-1,500.50", "-٥", -5, Decimal("-0.01")])
def test_money_negative(value: str | int | Decimal) -> None:
    err = rejects(lambda: parse_money(value, field="rent"), "rent")
    assert str(err) == "The amount cannot be negative."


@pytest.mark.parametrize("value", ["1.505", "0.001", "١٥٠٠٫٥٥٥", Decimal("0.001")])
def test_money_more_than_two_decimals(value: str | Decimal) -> None:
    err = rejects(lambda: parse_money(value), "amount")
    assert "two digits after the decimal point" in str(err)


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "1,50",
        "15,00",
        "1.2.3",
        "1e5",
        "NaN",
        "1500.",
        ".5",
        "١٥٠٠ ريال",
        SQL,
        "5-5",
        True,
        Decimal("NaN"),
        Decimal("Infinity"),
    ],
)
def test_money_not_a_number(value: str | int | Decimal) -> None:
    err = rejects(lambda: parse_money(value), "amount")
    assert "must be a number" in str(err)


@pytest.mark.parametrize("value", ["10,000,000.01", "99999999999", 10_000_001, Decimal("1E+20")])
def test_money_absurdly_large(value: str | int | Decimal) -> None:
    err = rejects(lambda: parse_money(value), "amount")
    assert str(err) == "The amount cannot be more than 10,000,000 riyals."


@pytest.mark.parametrize(
    ("halalas", "text"),
    [
        (150_050, "1,500.50"),
        (0, "0.00"),
        (5, "0.05"),
        (100, "1.00"),
        (123_456_789, "1,234,567.89"),
        (1_000_000_000, "10,000,000.00"),
        (-150_050, "-1,500.50"),
    ],
)
def test_format_money(halalas: int, text: str) -> None:
    assert format_money(halalas) == text


@given(st.integers(min_value=0, max_value=1_000_000_000))
def test_money_round_trips(halalas: int) -> None:
    assert parse_money(format_money(halalas)) == halalas
    assert parse_money(format_money(halalas).replace(",", "")) == halalas


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("محمد", "محمد"),
        ("  محمد   بن   علي  ", "محمد بن علي"),
        ("عبد الله", "عبد الله"),
        ("مُحَمَّد", "مُحَمَّد"),
        ("آل-سعود", "آل-سعود"),
        ("Mohammed", "Mohammed"),
        ("O'Brien", "O'Brien"),
        ("O’Brien", "O'Brien"),
        ("José", "José"),
        ("ﻣﺤﻤﺪ", "محمد"),
        ("\u200fفاطمة\u200f", "فاطمة"),
        ("أ" * 40, "أ" * 40),
    ],
)
def test_valid_name_parts(typed: str, stored: str) -> None:
    assert validate_name_part(typed, "first_name") == stored


@pytest.mark.parametrize("typed", ["", "   ", "\u200f"])
def test_name_required(typed: str) -> None:
    err = rejects(lambda: validate_name_part(typed, "first_name"), "first_name")
    assert str(err) == "This field must be filled in."


def test_name_optional_may_be_blank() -> None:
    assert validate_name_part("  ", "second_name", required=False) == ""
    assert validate_name_part(" علي ", "second_name", required=False) == "علي"


@pytest.mark.parametrize(("length", "counted"), [(41, 41), (400, 400), (10_000, 10_000)])
def test_name_too_long_says_the_maximum(length: int, counted: int) -> None:
    err = rejects(lambda: validate_name_part("م" * length, "family_name"), "family_name")
    assert err.params == {"max": 40, "count": counted}
    assert "at most 40 characters" in str(err)
    assert "40" in err.text("ar")


@pytest.mark.parametrize("typed", ["محمد2", "محمد٢", "Ali 3rd", "۵"])
def test_name_with_digits(typed: str) -> None:
    err = rejects(lambda: validate_name_part(typed, "first_name"), "first_name")
    assert str(err) == "A name cannot contain digits."


@pytest.mark.parametrize("typed", ["محمد\x00", "محمد\tعلي", "محمد\nعلي", "\x1bعلي", "علي\x7fن"])
def test_name_with_control_characters(typed: str) -> None:
    err = rejects(lambda: validate_name_part(typed, "first_name"), "first_name")
    assert "control characters" in str(err)


@pytest.mark.parametrize("typed", [SQL, "محمد@", "<script>", "علي😀", "محمد.", "محمد،علي", "Ω"])
def test_name_with_other_characters(typed: str) -> None:
    err = rejects(lambda: validate_name_part(typed, "father_name"), "father_name")
    assert err.message.startswith("A name may contain only Arabic or English letters")


# --- free text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  ملاحظة  ", "ملاحظة"),
        ("line 1\r\nline 2\rline 3", "line 1\nline 2\nline 3"),
        ("a\tb", "a\tb"),
        (SQL, SQL),  # ordinary text: storage uses bound parameters
        ("الرياض، حي النسيم - شارع ١٢", "الرياض، حي النسيم - شارع ١٢"),
    ],
)
def test_valid_text(typed: str, stored: str) -> None:
    assert validate_text(typed, "notes", max_length=500) == stored


def test_text_optional_and_required() -> None:
    assert validate_text("   ", "notes", max_length=10) == ""
    err = rejects(lambda: validate_text(" \n ", "address", max_length=10, required=True), "address")
    assert str(err) == "This field must be filled in."


def test_text_too_long() -> None:
    assert validate_text("x" * 10, "notes", max_length=10) == "x" * 10
    err = rejects(lambda: validate_text("x" * 11, "notes", max_length=10), "notes")
    assert err.params == {"max": 10, "count": 11}


@pytest.mark.parametrize("typed", ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b"])
def test_text_with_control_characters(typed: str) -> None:
    err = rejects(lambda: validate_text(typed, "notes", max_length=100), "notes")
    assert "control characters" in str(err)


# --- choices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "gender"),
    [
        ("M", Gender.MALE),
        ("m", Gender.MALE),
        ("male", Gender.MALE),
        ("MALE", Gender.MALE),
        (" Male ", Gender.MALE),
        ("ذكر", Gender.MALE),
        ("ذَكَر", Gender.MALE),
        ("F", Gender.FEMALE),
        ("f", Gender.FEMALE),
        ("Female", Gender.FEMALE),
        ("أنثى", Gender.FEMALE),
        ("انثى", Gender.FEMALE),
        ("انثي", Gender.FEMALE),
        (" أُنثى ", Gender.FEMALE),
    ],
)
def test_validate_gender(typed: str, gender: Gender) -> None:
    result = validate_gender(typed)
    assert result == gender
    assert result in ("M", "F")


def test_gender_synonyms_map_to_m_and_f() -> None:
    assert set(GENDER_SYNONYMS.values()) == {"M", "F"}


@pytest.mark.parametrize("typed", ["", "  ", "x", "ذكرر", "mal", SQL, "1"])
def test_gender_refused(typed: str) -> None:
    err = rejects(lambda: validate_gender(typed), "gender")
    assert str(err) == "Please choose one of the options in the list."


def test_validate_choice_with_other_choices() -> None:
    answers = {"yes": "Y", "نعم": "Y", "no": "N", "لا": "N"}
    assert validate_choice(" YES ", "consent", answers) == "Y"
    assert validate_choice("لا", "consent", answers) == "N"
    rejects(lambda: validate_choice("ربما", "consent", answers), "consent")
