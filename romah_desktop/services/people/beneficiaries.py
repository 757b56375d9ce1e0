"""Registering and editing beneficiaries' files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import Category, Gender, HousingType, IdType, MaritalStatus
from db.ids import new_id
from db.models import Beneficiary, BeneficiaryPhone
from romah_desktop.errors import Conflict, FormErrors, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.names import NAME_PARTS
from romah_desktop.permissions import Permission
from romah_desktop.search import (
    DuplicateCandidate,
    SearchHit,
    find_duplicates,
    search_beneficiaries,
)
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.numbers import next_file_number
from romah_desktop.validation import (
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

REQUIRED = (*NAME_PARTS, "national_id", "gender")
MAX_HOUSEHOLD = 50


class PossibleDuplicate(Conflict):
    """The person may already have a file; nothing was written."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        first = candidates[0]
        if first.reason == "national_id":
            super().__init__(
                N_("This ID number already has a file: {file_number} ({name})."),
                file_number=first.file_number,
                name=first.full_name,
            )
        else:
            super().__init__(
                N_(
                    "A person with the same name and birth date already has a file: "
                    "{file_number}. Open that file, or confirm that this is someone else."
                ),
                file_number=first.file_number,
            )
        self.candidates = candidates


def _enum_choices(
    enum_class: type[Any], synonyms: Mapping[str, str] | None = None
) -> dict[str, str]:
    choices = {member.value: member.value for member in enum_class}
    choices.update(synonyms or {})
    return choices


_MARITAL = _enum_choices(
    MaritalStatus,
    {
        "أعزب": "single",
        "عزباء": "single",
        "متزوج": "married",
        "متزوجة": "married",
        "مطلق": "divorced",
        "مطلقة": "divorced",
        "أرمل": "widowed",
        "أرملة": "widowed",
    },
)
_HOUSING = _enum_choices(
    HousingType,
    {
        "ملك": "owned",
        "إيجار": "rented",
        "مستأجر": "rented",
        "مشترك": "shared",
        "سكن خيري": "charity",
        "أخرى": "other",
    },
)
_CATEGORY = _enum_choices(
    Category,
    {
        "أرملة": "widow",
        "يتيم": "orphan",
        "مسن": "elderly",
        "كبير سن": "elderly",
        "ذوي إعاقة": "disabled",
        "معاق": "disabled",
        "دخل محدود": "low_income",
        "مطلقة": "divorcee",
        "أسرة سجين": "prisoner_family",
    },
)


def _household_size(value: str, field: str) -> int:
    text = validate_text(value, field, max_length=3, required=True)
    if not text.isdigit() or not 1 <= int(text) <= MAX_HOUSEHOLD:
        raise ValidationError(
            field, N_("The household size is a whole number from 1 to {max}."), max=MAX_HOUSEHOLD
        )
    return int(text)


def _categories(value: str, field: str) -> list[str]:
    parts = [p for p in value.replace("،", ",").split(",") if p.strip()]
    return sorted({validate_choice(p, field, _CATEGORY) for p in parts})


def _cleaners(today: date) -> dict[str, Callable[[str, str], Any]]:
    return {
        **{part: lambda v, f: validate_name_part(v, f) for part in NAME_PARTS},
        "national_id": validate_national_id,
        "gender": lambda v, f: Gender(validate_gender(v, f)),
        "birth_date": lambda v, f: validate_birth_date(v, today, f),
        "nationality": lambda v, f: validate_text(v, f, max_length=40),
        "marital_status": lambda v, f: MaritalStatus(validate_choice(v, f, _MARITAL)),
        "phone": validate_mobile,
        "city": lambda v, f: validate_text(v, f, max_length=60),
        "district": lambda v, f: validate_text(v, f, max_length=60),
        "address": lambda v, f: validate_text(v, f, max_length=300),
        "categories": _categories,
        "housing_type": lambda v, f: HousingType(validate_choice(v, f, _HOUSING)),
        "monthly_rent": parse_money,
        "household_size": _household_size,
        "monthly_income": parse_money,
        "iban": validate_iban,
        "notes": lambda v, f: validate_text(v, f, max_length=2000),
    }


FIELDS = tuple(_cleaners(date.today()))


def clean_beneficiary(
    data: Mapping[str, str | None], today: date, *, partial: bool = False
) -> dict[str, Any]:
    """Validate a beneficiary form typed as text; return the values to store.

    Blank optional fields become None. With `partial`, only the fields present are checked
    (an edit). Raises FormErrors with every field's problem at once.
    """
    cleaners = _cleaners(today)
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}
    unknown = set(data) - set(cleaners)
    if unknown:
        raise ValueError(f"unknown beneficiary fields: {', '.join(sorted(unknown))}")
    for field, cleaner in cleaners.items():
        if partial and field not in data:
            continue
        raw = data.get(field)
        if raw is None or not str(raw).strip():
            if field in REQUIRED:
                errors.append(ValidationError(field, N_("This field must be filled in.")))
            else:
                clean[field] = [] if field == "categories" else None
            continue
        try:
            clean[field] = cleaner(str(raw), field)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise FormErrors(errors)
    return clean


def apply_clean(person: Beneficiary, clean: Mapping[str, Any]) -> None:
    """Copy cleaned form values onto a file (the phone is kept in its own table)."""
    for field, value in clean.items():
        if field == "national_id":
            person.national_id, person.id_type = value[0], IdType(value[1])
        elif field == "monthly_rent":
            person.monthly_rent_halalas = value
        elif field == "monthly_income":
            person.monthly_income_halalas = value
        elif field != "phone":
            setattr(person, field, value)


# Which of a person's live primary phones is the main number, should two be held at once
# (two laptops each gave the person one, until HQ's merge keeps one): the one stamped last,
# as HQ's merge picks, the same on every laptop that holds the same rows.
PRIMARY_PHONE_ORDER = (BeneficiaryPhone.hlc.desc(), BeneficiaryPhone.id.desc())


def _primary_phone_of(beneficiary_id: Any, *what: Any) -> sa.Select[Any]:
    """`what` of the person's primary phone row (see PRIMARY_PHONE_ORDER)."""
    return (
        sa.select(*what)
        .where(
            BeneficiaryPhone.beneficiary_id == beneficiary_id,
            BeneficiaryPhone.is_primary.is_(True),
            BeneficiaryPhone.deleted_at.is_(None),
        )
        .order_by(*PRIMARY_PHONE_ORDER)
        .limit(1)
    )


def _primary_phone_row(session: Session, beneficiary_id: str) -> BeneficiaryPhone | None:
    return session.scalars(_primary_phone_of(beneficiary_id, BeneficiaryPhone)).first()


def primary_phone_column() -> sa.ScalarSelect[str]:
    """The main number as a column of a query over people: one per person, the same on
    every laptop, even while two primary phones are held at once."""
    return (
        _primary_phone_of(Beneficiary.id, BeneficiaryPhone.number)
        .correlate(Beneficiary)
        .scalar_subquery()
    )


def set_primary_phone(session: Session, person: Beneficiary, phone: str | None) -> None:
    """Make `phone` the person's primary number: the primary phone row keeps its id and its
    number changes (a field edit, which merges with other laptops' edits of it); a new row only
    when the person has none, and a tombstone when the number is cleared."""
    current = _primary_phone_row(session, person.id)
    if current is not None and current.number == phone:
        return
    if current is None:
        if phone:
            session.add(BeneficiaryPhone(beneficiary_id=person.id, number=phone, is_primary=True))
    elif phone:
        current.number = phone
    else:
        current.deleted_at = utcnow()


def register_beneficiary(
    session: Session,
    actor: Actor,
    data: Mapping[str, str | None],
    *,
    today: date | None = None,
    confirmed_not_duplicate: bool = False,
) -> Beneficiary:
    """Open a file for a new person in the actor's branch.

    Raises PermissionDenied, FormErrors, or PossibleDuplicate (same ID: always; same name and
    birth date: unless `confirmed_not_duplicate`). Nothing is written when it raises.
    """
    actor.require(Permission.REGISTER_BENEFICIARY)
    clean = clean_beneficiary(data, today or date.today())
    names = tuple(clean[part] for part in NAME_PARTS)
    candidates = find_duplicates(session, clean["national_id"][0], names, clean.get("birth_date"))
    if any(c.reason == "national_id" for c in candidates) or (
        candidates and not confirmed_not_duplicate
    ):
        candidates.sort(key=lambda c: c.reason != "national_id")
        raise PossibleDuplicate(candidates)
    # The key is made here so the phone and the audit event can point at it: one flush writes all.
    person = Beneficiary(
        id=new_id(), file_number=next_file_number(session), branch_id=actor.branch_id
    )
    apply_clean(person, clean)
    session.add(person)
    if clean.get("phone"):
        session.add(
            BeneficiaryPhone(beneficiary_id=person.id, number=clean["phone"], is_primary=True)
        )
    audit.record(session, actor, "beneficiary.register", "beneficiary", person.id)
    return person


def find_people(session: Session, actor: Actor, query: str, limit: int = 50) -> list[SearchHit]:
    """Search the files the actor may see (their branch, or all for administrators)."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    return search_beneficiaries(session, query, limit, actor.visible_branch())


def get_beneficiary(session: Session, actor: Actor, beneficiary_id: str) -> Beneficiary:
    """A live file the actor may see. Raises NotFound or PermissionDenied."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    person = session.get(Beneficiary, beneficiary_id)
    if person is None or person.deleted_at is not None:
        raise NotFound(N_("This beneficiary's file was not found."))
    actor.require_branch(person.branch_id)
    return person


def update_beneficiary(
    session: Session,
    actor: Actor,
    beneficiary_id: str,
    data: Mapping[str, str | None],
    *,
    today: date | None = None,
) -> list[str]:
    """Change the fields present in `data`; return the names of the fields that changed.

    Raises PermissionDenied, NotFound, FormErrors or PossibleDuplicate (an ID another file has).
    """
    actor.require(Permission.EDIT_BENEFICIARY)
    person = get_beneficiary(session, actor, beneficiary_id)
    clean = clean_beneficiary(data, today or date.today(), partial=True)
    if "national_id" in clean and clean["national_id"][0] != person.national_id:
        clash = find_duplicates(session, clean["national_id"][0], None, None, person.id)
        if clash:
            raise PossibleDuplicate(clash)
    before = stored_values(person)
    apply_clean(person, clean)
    changed = [k for k, v in stored_values(person).items() if v != before[k]]
    if "phone" in clean and primary_phone(session, person.id) != clean["phone"]:
        set_primary_phone(session, person, clean["phone"])
        changed.append("phone")
    if changed:
        audit.record(
            session, actor, "beneficiary.update", "beneficiary", person.id, {"fields": changed}
        )
    return changed


def delete_beneficiary(session: Session, actor: Actor, beneficiary_id: str, reason: str) -> None:
    """Soft-delete a file (a tombstone that syncs). Raises PermissionDenied, NotFound,
    ValidationError (a reason is required)."""
    actor.require(Permission.DELETE_BENEFICIARY)
    reason = validate_text(reason, "reason", max_length=300, required=True)
    person = get_beneficiary(session, actor, beneficiary_id)
    person.deleted_at = utcnow()
    audit.record(session, actor, "beneficiary.delete", "beneficiary", person.id, {"reason": reason})


def primary_phone(session: Session, beneficiary_id: str) -> str | None:
    """The person's main number (see PRIMARY_PHONE_ORDER), or None."""
    row = _primary_phone_row(session, beneficiary_id)
    return row.number if row is not None else None


_STORED_FIELDS = (
    *NAME_PARTS,
    "national_id",
    "id_type",
    "gender",
    "birth_date",
    "nationality",
    "marital_status",
    "city",
    "district",
    "address",
    "categories",
    "housing_type",
    "monthly_rent_halalas",
    "household_size",
    "monthly_income_halalas",
    "iban",
    "notes",
)


def stored_values(person: Beneficiary) -> dict[str, Any]:
    """The file's editable values, to tell which fields an edit changed."""
    return {f: getattr(person, f) for f in _STORED_FIELDS}
