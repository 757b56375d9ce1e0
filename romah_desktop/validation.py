"""Checks for the values a clerk types into forms.

Each validator takes the raw text (Arabic-Indic digits and surrounding spaces accepted,
invisible direction marks from pasted text ignored) and returns the canonical value to
store, or raises ValidationError(field, message) with a message the clerk can act on.

Canonical forms: ID "1234567890"; mobile "+9665XXXXXXXX"; IBAN "SA" + 22 characters,
upper case, no spaces; money an int of halalas (1 riyal = 100 halalas); gender "M"/"F".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# IdType is the stored vocabulary; it is re-exported here so callers and the models share one
# type: 1… is a Saudi national ID (IdType.NATIONAL_ID), 2… an Iqama (IdType.IQAMA).
from db.enums import Gender, IdType
from romah_desktop.arabic import normalize_arabic, normalize_digits, remove_invisible
from romah_desktop.dates import GREGORIAN_MIN, parse_date, to_hijri
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import N_

__all__ = [
    "GENDER_SYNONYMS",
    "MAX_MONEY_RIYALS",
    "MAX_NAME_LENGTH",
    "Gender",
    "IdType",
    "format_money",
    "format_mobile_local",
    "make_iban",
    "make_national_id",
    "mobile_search_key",
    "parse_money",
    "validate_birth_date",
    "validate_choice",
    "validate_gender",
    "validate_iban",
    "validate_mobile",
    "validate_name_part",
    "validate_national_id",
    "validate_text",
]


def _clean(value: str) -> str:
    """ASCII digits, no invisible marks, no surrounding whitespace."""
    return normalize_digits(remove_invisible(value)).strip()


# --- national ID / Iqama --------------------------------------------------------------------

_ID_TYPES = {"1": IdType.NATIONAL_ID, "2": IdType.IQAMA}


def _luhn_sum(digits: str) -> int:
    # Saudi IDs use a Luhn check: digits at even positions (0, 2, 4, ...) are doubled and the
    # digits of the product added (doubling then subtracting 9 when above 9 gives the same).
    total = 0
    for index, char in enumerate(digits):
        digit = ord(char) - 48
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total


def validate_national_id(value: str, field: str = "national_id") -> tuple[str, IdType]:
    """Return (the 10-digit ID, its IdType) for a Saudi national ID or Iqama number.

    Spaces inside the number are ignored. Raises ValidationError(field, ...) when the text is
    blank, contains anything but digits, does not have 10 digits, starts with neither 1 nor
    2, or fails the check digit.
    """
    number = "".join(_clean(value).split())
    if not number:
        raise ValidationError(field, N_("Please enter the ID number."))
    if not (number.isascii() and number.isdigit()):
        raise ValidationError(field, N_("The ID number may contain digits only."))
    if len(number) != 10:
        raise ValidationError(
            field, N_("The ID number must have 10 digits (you typed {count})."), count=len(number)
        )
    id_type = _ID_TYPES.get(number[0])
    if id_type is None:
        raise ValidationError(
            field,
            N_("The ID number must start with 1 (Saudi national ID) or 2 (Iqama), not {digit}."),
            digit=number[0],
        )
    if _luhn_sum(number) % 10 != 0:
        raise ValidationError(
            field,
            N_(
                "This ID number is not valid: one of its digits is probably mistyped. "
                "Please compare it with the ID card."
            ),
        )
    return number, id_type


def make_national_id(body9: str) -> str:
    """Return `body9` (9 ASCII digits, starting with 1 or 2) followed by its check digit.

    For demo data and tests. Raises ValueError when `body9` is not 9 digits.
    """
    if len(body9) != 9 or not (body9.isascii() and body9.isdigit()):
        raise ValueError(f"expected 9 digits, got {body9!r}")
    # The check digit sits at odd position 9, so it is added undoubled.
    return body9 + str(-_luhn_sum(body9) % 10)


# --- mobile ---------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-().]+")
_PHONE_CHARS = re.compile(r"\+?\d+")
# 05XXXXXXXX, 5XXXXXXXX, +9665XXXXXXXX, 9665XXXXXXXX, 009665XXXXXXXX. The local 0 is also
# tolerated after the country code (+966 05...), a common way of writing it that is unambiguous.
_MOBILE = re.compile(r"(?:0|(?:\+|00)?9660?)?5(\d{8})")


def validate_mobile(value: str, field: str = "phone") -> str:
    """Return the Saudi mobile number in `value` as "+9665XXXXXXXX".

    Accepts 05XXXXXXXX, 5XXXXXXXX, +9665XXXXXXXX, 9665XXXXXXXX and 009665XXXXXXXX (also
    with the 0 kept after 966), with spaces, dashes, dots or brackets between the digits.
    Raises ValidationError(field, ...) when blank, when other characters are present, or
    when it is not a Saudi mobile number.
    """
    text = _clean(value)
    if not text:
        raise ValidationError(field, N_("Please enter the mobile number."))
    compact = _PHONE_SEPARATORS.sub("", text)
    if not _PHONE_CHARS.fullmatch(compact) or not compact.isascii():
        raise ValidationError(
            field, N_("The mobile number may contain only digits, spaces, dashes and a leading +.")
        )
    if match := _MOBILE.fullmatch(compact):
        return "+9665" + match.group(1)
    if compact.startswith("05"):
        raise ValidationError(
            field,
            N_("A mobile number starting with 05 must have 10 digits (you typed {count})."),
            count=len(compact),
        )
    raise ValidationError(
        field,
        N_(
            "This is not a Saudi mobile number. Type it as 10 digits starting with 05, "
            "for example 0501234567."
        ),
    )


def mobile_search_key(value: str) -> str | None:
    """Return the canonical "+9665XXXXXXXX" if `value` is a Saudi mobile number, else None.

    Used by search to find a person by any way of writing their number. Never raises.
    """
    try:
        return validate_mobile(value)
    except ValidationError:
        return None


def format_mobile_local(canonical: str) -> str:
    """Return a mobile number in the local form "05XXXXXXXX" for display.

    Any form validate_mobile accepts may be given. Raises ValidationError("phone", ...) when
    `canonical` is not a Saudi mobile number.
    """
    # As stored, there is nothing to check: search indexes every number of a pulled page.
    if _CANONICAL_MOBILE.fullmatch(canonical):
        return "0" + canonical[4:]
    return "0" + validate_mobile(canonical)[4:]


# A number as validate_mobile returns it (and as it is stored).
_CANONICAL_MOBILE = re.compile(r"\+9665[0-9]{8}")


# --- IBAN -----------------------------------------------------------------------------------

_IBAN_LENGTH = 24
_ALNUM = re.compile(r"[A-Z0-9]+")


# A Saudi landline (011 234 5678, +966 11 234 5678), a unified number (9200 12345) or a
# toll-free one (800 123 4567); mobiles are validate_mobile's.
_LANDLINE = re.compile(r"(?:0|(?:\+|00)?966)1[1-7]\d{7}|9200\d{5}|800\d{7}")


def validate_phone(value: str, field: str = "phone") -> str | None:
    """A phone as it is printed on papers (a branch's): a Saudi mobile (05XXXXXXXX), a landline,
    a unified or a toll-free number as typed (trimmed, in Latin digits); None when blank. Raises
    ValidationError otherwise."""
    text = normalize_digits(remove_invisible(value)).strip()
    if not text:
        return None
    compact = _PHONE_SEPARATORS.sub("", text)
    if compact.isascii() and _LANDLINE.fullmatch(compact) and len(text) <= 20:
        return text
    try:
        return format_mobile_local(validate_mobile(text, field))
    except ValidationError as exc:
        if compact.startswith("05"):
            raise
        raise ValidationError(
            field,
            N_(
                "This is not a Saudi phone number. Type a mobile (0501234567), a landline "
                "with its area code (0112345678) or a unified number (920012345)."
            ),
        ) from exc


def _iban_remainder(iban: str) -> int:
    # ISO 13616 / ISO 7064 mod 97-10: move the first four characters to the end and read
    # letters as numbers A=10 ... Z=35; a correct IBAN leaves remainder 1.
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def validate_iban(value: str, field: str = "iban") -> str:
    """Return the Saudi IBAN in `value` in upper case without spaces: "SA", two check digits
    and 20 characters (2-digit bank code + 18-character account), 24 characters in all.

    Lower-case letters, spaces and dashes are accepted. Raises ValidationError(field, ...)
    when blank, when it contains other characters, when it does not start with SA, when it
    does not have 24 characters, or when the ISO 13616 check digits do not match.
    """
    iban = "".join(_clean(value).replace("-", " ").split()).upper()
    if not iban:
        raise ValidationError(field, N_("Please enter the IBAN."))
    if not (iban.isascii() and _ALNUM.fullmatch(iban)):
        raise ValidationError(field, N_("The IBAN may contain only English letters and digits."))
    if not iban.startswith("SA"):
        raise ValidationError(field, N_("The IBAN must be a Saudi IBAN, which starts with SA."))
    if len(iban) != _IBAN_LENGTH:
        raise ValidationError(
            field, N_("A Saudi IBAN has 24 characters (you typed {count})."), count=len(iban)
        )
    if not iban[2:4].isdigit() or _iban_remainder(iban) != 1:
        raise ValidationError(
            field,
            N_(
                "This IBAN is not valid: one of its characters is probably mistyped. "
                "Please compare it with the bank document."
            ),
        )
    return iban


def make_iban(bban: str) -> str:
    """Return the Saudi IBAN "SA" + two check digits + `bban` (24 characters in all).

    `bban` is the 20 characters after the check digits (2-digit bank code + 18-character
    account), ASCII letters or digits. For demo data and tests. Raises ValueError when
    `bban` is not 20 letters/digits.
    """
    upper = bban.upper()
    if len(upper) != _IBAN_LENGTH - 4 or not (upper.isascii() and _ALNUM.fullmatch(upper)):
        raise ValueError(f"expected 20 letters or digits, got {bban!r}")
    check = 98 - _iban_remainder("SA00" + upper)
    return f"SA{check:02d}{upper}"


# --- birth date -----------------------------------------------------------------------------


def validate_birth_date(value: str | date, today: date, field: str = "birth_date") -> date:
    """Return the birth date given as text (see dates.parse_date) or as a date.

    The earliest accepted date is hijridate's first day, 1924-08-01 (1343/01/01 هـ), so that
    every birth date can be shown in Hijri too. Raises ValidationError(field, ...) for text
    parse_date refuses, a date after `today`, or a date before 1924-08-01.
    """
    if isinstance(value, str):
        born = parse_date(value, field)
    else:
        born = value.date() if isinstance(value, datetime) else value
    if born > today:
        raise ValidationError(field, N_("The birth date cannot be in the future."))
    if born < GREGORIAN_MIN:
        raise ValidationError(
            field,
            N_(
                "The birth date cannot be before {min_gregorian} ({min_hijri}), the earliest date "
                "the Hijri calendar conversion covers."
            ),
            min_gregorian=GREGORIAN_MIN.isoformat(),
            min_hijri=to_hijri(GREGORIAN_MIN),
        )
    return born


# --- money ----------------------------------------------------------------------------------

MAX_MONEY_RIYALS = 10_000_000
_MAX_HALALAS = MAX_MONEY_RIYALS * 100

# Either plain digits or correctly grouped thousands: "1,50" is refused rather than read as
# 150, because it is more likely a decimal comma (1.50) typed by mistake.
_MONEY = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_MINUS = ("-", "\u2212")


def _not_a_number(field: str) -> ValidationError:
    return ValidationError(
        field, N_("The amount must be a number in riyals, for example 1500 or 1,500.50.")
    )


def parse_money(value: str | int | Decimal, field: str = "amount") -> int:
    """Return the amount in halalas (1 riyal = 100 halalas) of a riyal amount.

    `value` is in riyals: text such as "1500", "1,500.50" or "١٥٠٠٫٥", an int number of
    riyals, or a Decimal. Zero is accepted. Raises ValidationError(field, ...) when blank,
    not a number, negative, with more than two decimals, or above 10,000,000 riyals.
    """
    if isinstance(value, bool):  # bool is an int; True riyals is surely a mistake
        raise _not_a_number(field)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _not_a_number(field)
        amount = value
    else:
        amount = _money_text(value, field)
    if amount < 0:
        raise ValidationError(field, N_("The amount cannot be negative."))
    halalas = amount * 100
    if halalas != halalas.to_integral_value():
        raise ValidationError(
            field, N_("The amount can have at most two digits after the decimal point (halalas).")
        )
    if halalas > _MAX_HALALAS:
        raise ValidationError(
            field, N_("The amount cannot be more than {max} riyals."), max=f"{MAX_MONEY_RIYALS:,}"
        )
    return int(halalas)


def _money_text(value: str, field: str) -> Decimal:
    text = "".join(_clean(value).split())
    if not text:
        raise ValidationError(field, N_("Please enter the amount."))
    # In right-to-left typing the minus sign may end up after the number.
    if text.startswith(_MINUS) or text.endswith(_MINUS):
        if _MONEY.fullmatch(text.strip("-\u2212")):
            raise ValidationError(field, N_("The amount cannot be negative."))
        raise _not_a_number(field)
    match = _MONEY.fullmatch(text)
    if match is None or not text.isascii():
        raise _not_a_number(field)
    if match.group(2) is not None and len(match.group(2)) > 2:
        raise ValidationError(
            field, N_("The amount can have at most two digits after the decimal point (halalas).")
        )
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets numbers through
        raise _not_a_number(field) from exc


def format_money(halalas: int) -> str:
    """Return `halalas` as riyals with thousands separators and two decimals: "1,500.50".

    Negative amounts get a leading "-". Never raises.
    """
    sign = "-" if halalas < 0 else ""
    riyals, rest = divmod(abs(halalas), 100)
    return f"{sign}{riyals:,}.{rest:02d}"


# --- names and free text --------------------------------------------------------------------

MAX_NAME_LENGTH = 40

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})
_HARAKAT = frozenset(chr(cp) for cp in [*range(0x064B, 0x0653), 0x0670, 0x0640])


def _is_name_char(char: str) -> bool:
    if char in " -'":
        return True
    if "\u0600" <= char <= "\u06ff":  # Arabic block: letters, plus harakat and tatweel
        return char.isalpha() or char in _HARAKAT
    if char.isascii():
        return char.isalpha()
    # Accented Latin (José, Zoë) from names written in Latin script.
    return "\u00c0" <= char <= "\u024f" and char.isalpha()


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def validate_name_part(value: str, field: str, required: bool = True) -> str:
    """Return one part of a person's name (first, father's, family name ...), trimmed, with
    runs of spaces collapsed and Arabic presentation forms unfolded (NFKC).

    Returns "" for a blank optional part. Raises ValidationError(field, ...) when blank and
    required, longer than 40 characters, or containing control characters, digits, or
    anything other than Arabic or Latin letters, spaces, hyphens and apostrophes.
    """
    # Length first on the raw text, so a huge paste is refused without further work.
    if len(value) > 10 * MAX_NAME_LENGTH:
        raise ValidationError(
            field,
            N_("The name is too long: at most {max} characters are allowed (you typed {count})."),
            max=MAX_NAME_LENGTH,
            count=len(value),
        )
    text = unicodedata.normalize("NFKC", remove_invisible(value)).strip()
    if any(_is_control(char) for char in text):
        raise ValidationError(
            field,
            N_(
                "The name contains hidden control characters (for example a tab or a line break). "
                "Please retype it."
            ),
        )
    text = " ".join(text.split()).translate(_APOSTROPHES)
    if not text:
        if required:
            raise ValidationError(field, N_("This field must be filled in."))
        return ""
    if len(text) > MAX_NAME_LENGTH:
        raise ValidationError(
            field,
            N_("The name is too long: at most {max} characters are allowed (you typed {count})."),
            max=MAX_NAME_LENGTH,
            count=len(text),
        )
    if any(char.isdigit() for char in text):
        raise ValidationError(field, N_("A name cannot contain digits."))
    if not all(_is_name_char(char) for char in text):
        raise ValidationError(
            field,
            N_(
                "A name may contain only Arabic or English letters, spaces, hyphens (-) "
                "and apostrophes (')."
            ),
        )
    return text


def validate_text(value: str, field: str, max_length: int, required: bool = False) -> str:
    """Return free text (notes, addresses) stripped of surrounding whitespace, with Windows
    line endings turned into "\\n".

    Returns "" for blank optional text. Raises ValidationError(field, ...) when blank and
    required, longer than `max_length`, or containing control characters other than line
    breaks and tabs. Quotes, semicolons and the like are ordinary text (storage uses bound
    parameters), so they are kept.
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise ValidationError(field, N_("This field must be filled in."))
        return ""
    if len(text) > max_length:
        raise ValidationError(
            field,
            N_("The text is too long: at most {max} characters are allowed (you typed {count})."),
            max=max_length,
            count=len(text),
        )
    if any(_is_control(char) and char not in "\n\t" for char in text):
        raise ValidationError(
            field,
            N_(
                "The text contains hidden control characters. "
                "Please retype it or paste it as plain text."
            ),
        )
    return text


# --- choices --------------------------------------------------------------------------------

# Matching goes through normalize_arabic, so case, harakat and hamza forms need no entries of
# their own; the lower-case and hamza-less spellings are listed anyway for readers.
GENDER_SYNONYMS: Mapping[str, str] = {
    "M": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "ذكر": Gender.MALE,
    "F": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "أنثى": Gender.FEMALE,
    "انثى": Gender.FEMALE,
}


def validate_choice(value: str, field: str, choices: Mapping[str, str]) -> str:
    """Return the canonical value that `choices` maps `value` to.

    `choices` maps each accepted spelling to its canonical value; matching ignores case,
    surrounding spaces, harakat and hamza forms (via normalize_arabic), so "انثى" matches
    "أنثى". Raises ValidationError(field, ...) when `value` is blank or not in `choices`.
    """
    key = normalize_arabic(value)
    if key:
        for spelling, canonical in choices.items():
            if normalize_arabic(spelling) == key:
                return canonical
    raise ValidationError(field, N_("Please choose one of the options in the list."))


def validate_gender(value: str, field: str = "gender") -> Gender:
    """Return Gender.MALE ("M") or Gender.FEMALE ("F") for the gender in `value` (M/F,
    male/female, ذكر/أنثى, any case).

    Raises ValidationError(field, ...) for anything else, including blank.
    """
    return Gender(validate_choice(value, field, GENDER_SYNONYMS))
