"""A person's file as the profile form shows it (its fields, household, income sources and
extra phones as text ready for the form), and the files a registration form may duplicate
while it is still being typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.orm import Session

from db.models import BeneficiaryPhone, HouseholdMember, IncomeSource
from romah_desktop.arabic import normalize_arabic
from romah_desktop.dates import parse_date
from romah_desktop.errors import ValidationError
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.permissions import Permission
from romah_desktop.search import DuplicateCandidate, find_duplicates, search_beneficiaries
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import get_beneficiary, primary_phone
from romah_desktop.services.people.household import live_rows
from romah_desktop.validation import (
    format_mobile_local,
    format_money,
    validate_name_part,
    validate_national_id,
)

T = TypeVar("T")


# --- a file as the profile form shows it ----------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    """A stored row as its editor shows it: the text the form would have typed."""

    id: str
    data: dict[str, object]


@dataclass(frozen=True)
class PersonFile:
    """Everything the profile form shows of a file, as text ready for its fields."""

    id: str
    file_number: str
    full_name: str
    form: dict[str, str]
    members: list[FileRow]
    incomes: list[FileRow]
    phones: list[FileRow]


def money_text(halalas: int | None) -> str:
    """An amount as a clerk would type it: "1,500" or "1,500.50"; "" for none."""
    if halalas is None:
        return ""
    text = format_money(halalas)
    return text[:-3] if text.endswith(".00") else text


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def person_file(session: Session, actor: Actor, beneficiary_id: str) -> PersonFile:
    """A live file, its household, income sources and extra phones, as the profile form shows
    them. Raises PermissionDenied, NotFound."""
    person = get_beneficiary(session, actor, beneficiary_id)
    phone = primary_phone(session, person.id)
    form = {
        field: _value(getattr(person, field))
        for field in (
            *NAME_PARTS,
            "national_id",
            "gender",
            "birth_date",
            "nationality",
            "marital_status",
            "city",
            "district",
            "address",
            "housing_type",
            "household_size",
            "iban",
            "notes",
        )
    }
    form["phone"] = format_mobile_local(phone) if phone else ""
    form["categories"] = ",".join(person.categories or [])
    form["monthly_rent"] = money_text(person.monthly_rent_halalas)
    form["monthly_income"] = money_text(person.monthly_income_halalas)
    members = [
        FileRow(
            m.id,
            {
                "full_name": m.full_name,
                "relationship": m.relationship,
                "gender": _value(m.gender),
                "birth_date": _value(m.birth_date),
                "national_id": _value(m.national_id),
                "is_dependent": m.is_dependent,
                "has_disability": m.has_disability,
                "in_education": m.in_education,
            },
        )
        for m in live_rows(session, HouseholdMember, person.id)
    ]
    incomes = [
        FileRow(
            i.id,
            {
                "source": i.source.value,
                "monthly_amount": money_text(i.monthly_amount_halalas),
                "notes": _value(i.notes),
            },
        )
        for i in live_rows(session, IncomeSource, person.id)
    ]
    phones = [
        FileRow(p.id, {"number": format_mobile_local(p.number), "label": _value(p.label)})
        for p in live_rows(session, BeneficiaryPhone, person.id)
        if not p.is_primary
    ]
    return PersonFile(
        person.id, person.file_number, person.full_name, form, members, incomes, phones
    )


# --- duplicates while typing ----------------------------------------------------------------

_REASON_ORDER = {"national_id": 0, "name_and_birth_date": 1, "same_name": 2}


def _quiet(check: Callable[[], T]) -> T | None:
    try:
        return check()
    except ValidationError:
        return None


def duplicates_for_form(
    session: Session,
    actor: Actor,
    national_id_text: str,
    names: Sequence[str],
    birth_date_text: str,
    *,
    exclude_id: str | None = None,
) -> list[DuplicateCandidate]:
    """Files that may already be the person a registration form is being typed for.

    Half-typed input is no error: a national ID counts once it is a valid number, the name
    once its four parts (`names`: first, father's, grandfather's, family) are all typed, the
    birth date once it is a date. Reasons: "national_id", "name_and_birth_date", and
    "same_name" (the same four-part name while the birth date is not typed yet). The ID
    search covers every branch, since an ID has one file in the whole society. `exclude_id`
    leaves out the file being edited. Raises PermissionDenied, or ValueError unless `names`
    has four parts.
    """
    actor.require(Permission.VIEW_BENEFICIARIES)
    if len(names) != 4:
        raise ValueError("names has four parts: first, father's, grandfather's, family")
    number = _quiet(lambda: validate_national_id(national_id_text)[0])
    full: list[str] = []
    for part in names:
        try:
            clean = validate_name_part(part, "name")
        except ValidationError:
            continue
        if clean:
            full.append(clean)
    four = (full[0], full[1], full[2], full[3]) if len(full) == 4 else None
    born = _quiet(lambda: parse_date(birth_date_text)) if birth_date_text.strip() else None
    found = find_duplicates(session, number, four, born, exclude_id)
    if four is not None and born is None:
        typed = four_part_name(four)
        wanted = normalize_arabic(typed)
        known = {c.id for c in found}
        for hit in search_beneficiaries(session, typed, limit=20):
            if hit.id in known or hit.id == exclude_id:
                continue
            if normalize_arabic(hit.full_name) == wanted:
                found.append(
                    DuplicateCandidate(
                        hit.id, hit.file_number, hit.full_name, hit.national_id, "same_name"
                    )
                )
    found.sort(key=lambda c: _REASON_ORDER.get(c.reason, 9))
    return found
