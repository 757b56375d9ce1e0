"""A file's household: adding, changing and removing its members, income sources and extra
phones. (The file as the profile form shows it, and the possible duplicates of a form being
typed, are in person_file.py.)

Rows are given as the form typed them (text, and booleans for the check boxes), cleaned here,
and soft-deleted (a tombstone that syncs) when removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import Gender, IncomeSourceType
from db.ids import new_id
from db.models import Beneficiary, BeneficiaryPhone, HouseholdMember, IncomeSource
from romah_desktop.errors import Conflict, FormErrors, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.labels import LABELS
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import FormCheck, choice, optional_text
from romah_desktop.services.people.beneficiaries import get_beneficiary
from romah_desktop.validation import (
    parse_money,
    validate_birth_date,
    validate_choice,
    validate_gender,
    validate_mobile,
    validate_name_part,
    validate_national_id,
    validate_text,
)

T = TypeVar("T")


class Relationship(StrEnum):
    """How a household member is related to the person whose file it is."""

    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    FATHER = "father"
    MOTHER = "mother"
    BROTHER = "brother"
    SISTER = "sister"
    GRANDCHILD = "grandchild"
    OTHER = "other"


LABELS.update(
    {
        Relationship.SPOUSE: N_("Spouse"),
        Relationship.SON: N_("Son"),
        Relationship.DAUGHTER: N_("Daughter"),
        Relationship.FATHER: N_("Father"),
        Relationship.MOTHER: N_("Mother"),
        Relationship.BROTHER: N_("Brother"),
        Relationship.SISTER: N_("Sister"),
        Relationship.GRANDCHILD: N_("Grandchild"),
        Relationship.OTHER: N_("Other relative"),
        IncomeSourceType.SALARY: N_("Salary"),
        IncomeSourceType.RETIREMENT: N_("Retirement pension"),
        IncomeSourceType.SOCIAL_SECURITY: N_("Social security"),
        IncomeSourceType.CITIZEN_ACCOUNT: N_("Citizen Account"),
        IncomeSourceType.CHARITY: N_("Charitable support"),
        IncomeSourceType.OTHER: N_("Other income"),
    }
)

_RELATIONSHIPS: dict[str, str] = {
    **{member.value: member.value for member in Relationship},
    "زوج": "spouse",
    "زوجة": "spouse",
    "wife": "spouse",
    "husband": "spouse",
    "ابن": "son",
    "ابنة": "daughter",
    "بنت": "daughter",
    "أب": "father",
    "والد": "father",
    "أم": "mother",
    "والدة": "mother",
    "أخ": "brother",
    "أخت": "sister",
    "حفيد": "grandchild",
    "حفيدة": "grandchild",
    "قريب": "other",
    "قريبة": "other",
}

MEMBER_FIELDS = (
    "full_name",
    "relationship",
    "gender",
    "birth_date",
    "national_id",
    "is_dependent",
    "has_disability",
    "in_education",
)
INCOME_FIELDS = ("source", "monthly_amount", "notes")
PHONE_FIELDS = ("number", "label")
_FLAGS = ("is_dependent", "has_disability", "in_education")
MAX_FULL_NAME = 200


# --- cleaning what was typed ----------------------------------------------------------------


def _text(data: Mapping[str, object], field: str) -> str:
    value = data.get(field)
    return "" if value is None else str(value)


def _check_keys(data: Mapping[str, object], allowed: Sequence[str], what: str) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown {what} fields: {', '.join(sorted(unknown))}")


def _full_name(value: str, field: str) -> str:
    text = validate_text(value, field, max_length=MAX_FULL_NAME, required=True)
    # Each word obeys the rules of a name part (letters, hyphens, apostrophes; no digits).
    return " ".join(validate_name_part(word, field) for word in text.split())


def _optional(check: Callable[[str, str], T]) -> Callable[[str, str], T | None]:
    def run(value: str, field: str) -> T | None:
        return check(value, field) if value.strip() else None

    return run


def clean_household_member(data: Mapping[str, object], today: date) -> dict[str, Any]:
    """Check a household member as typed and return the values to store.

    Fields: full_name and relationship (required; a Relationship value or its Arabic word),
    gender, birth_date (Gregorian or Hijri text), national_id (optional), and the booleans
    is_dependent, has_disability, in_education. Raises FormErrors with every field's problem,
    or ValueError for a field name that does not exist.
    """
    _check_keys(data, MEMBER_FIELDS, "household member")
    form = FormCheck()
    clean: dict[str, Any] = {
        "full_name": form.run(_full_name, _text(data, "full_name"), "full_name"),
        "relationship": form.run(
            validate_choice, _text(data, "relationship"), "relationship", _RELATIONSHIPS
        ),
        "gender": form.run(_optional(validate_gender), _text(data, "gender"), "gender"),
        "birth_date": form.run(
            _optional(lambda v, f: validate_birth_date(v, today, f)),
            _text(data, "birth_date"),
            "birth_date",
        ),
        "national_id": form.run(
            _optional(validate_national_id), _text(data, "national_id"), "national_id"
        ),
    }
    form.done()
    if clean["national_id"] is not None:
        clean["national_id"] = clean["national_id"][0]
    if clean["gender"] is not None:
        clean["gender"] = Gender(clean["gender"])
    clean["relationship"] = Relationship(clean["relationship"])
    defaults = {"is_dependent": True, "has_disability": False, "in_education": False}
    for flag in _FLAGS:
        clean[flag] = bool(data.get(flag, defaults[flag]))
    return clean


def _positive_money(value: str, field: str) -> int:
    halalas = parse_money(value, field)
    if halalas <= 0:
        raise ValidationError(field, N_("The amount must be more than zero."))
    return halalas


def clean_income_source(data: Mapping[str, object]) -> dict[str, Any]:
    """Check an income source as typed: source (an IncomeSourceType or its value),
    monthly_amount (riyals, more than zero) and notes. Returns the values to store; raises
    FormErrors, or ValueError for a field name that does not exist."""
    _check_keys(data, INCOME_FIELDS, "income source")
    form = FormCheck()
    clean = {
        "source": form.run(choice, IncomeSourceType, data.get("source"), "source"),
        "monthly_amount": form.run(
            _positive_money, _text(data, "monthly_amount"), "monthly_amount"
        ),
        "notes": form.run(optional_text, _text(data, "notes"), "notes", 200),
    }
    form.done()
    return clean


def clean_phone(data: Mapping[str, object]) -> dict[str, Any]:
    """Check an extra phone as typed: number (a Saudi mobile) and label (e.g. "a relative's").
    Returns the values to store; raises FormErrors, or ValueError for an unknown field."""
    _check_keys(data, PHONE_FIELDS, "phone")
    form = FormCheck()
    clean = {
        "number": form.run(validate_mobile, _text(data, "number"), "number"),
        "label": form.run(optional_text, _text(data, "label"), "label", 40),
    }
    form.done()
    return clean


# --- writing rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """What differs between the three kinds of rows a file's household has."""

    name: str
    model: type[Any]
    entity: str
    action: str
    not_found: str
    key: str | None  # the stored field that must not repeat within the file


_MEMBERS = _Kind(
    "members",
    HouseholdMember,
    "household_member",
    "household.member",
    N_("This household member was not found."),
    "national_id",
)
_INCOMES = _Kind(
    "incomes",
    IncomeSource,
    "income_source",
    "household.income",
    N_("This income source was not found."),
    None,
)
_PHONES = _Kind(
    "phones",
    BeneficiaryPhone,
    "beneficiary_phone",
    "household.phone",
    N_("This phone number was not found."),
    "number",
)


def _person_to_edit(session: Session, actor: Actor, beneficiary_id: str) -> Beneficiary:
    actor.require(Permission.EDIT_BENEFICIARY)
    return get_beneficiary(session, actor, beneficiary_id)


def live_rows(session: Session, model: type[Any], beneficiary_id: str) -> list[Any]:
    """The live (not removed) rows of `model` that belong to the file, oldest first."""
    return list(
        session.scalars(
            sa.select(model)
            .where(model.beneficiary_id == beneficiary_id, model.deleted_at.is_(None))
            .order_by(model.created_at, model.id)
        )
    )


def _row(session: Session, actor: Actor, kind: _Kind, row_id: str) -> tuple[Any, Beneficiary]:
    """A live row and its file, which the actor may edit."""
    record = session.get(kind.model, row_id)
    if record is None or record.deleted_at is not None:
        raise NotFound(kind.not_found)
    person = _person_to_edit(session, actor, record.beneficiary_id)
    _not_the_main_mobile(kind, record)
    return record, person


def _not_the_main_mobile(kind: _Kind, record: Any) -> None:
    if kind is _PHONES and record.is_primary:
        raise Conflict(N_("The main mobile number is changed with the personal details, not here."))


def _clash(
    kind: _Kind, person: Beneficiary, stored: Mapping[str, Any], taken: list[Any]
) -> ValidationError | None:
    """The problem with `stored` repeating a value the file already has (`taken`), if any."""
    if kind.key is None or stored[kind.key] is None:
        return None
    value = stored[kind.key]
    if kind is _MEMBERS and value == person.national_id:
        return ValidationError(
            kind.key, N_("This is the ID number of the file's owner, not of a household member.")
        )
    if value in taken:
        if kind is _MEMBERS:
            return ValidationError(kind.key, N_("This ID number is already in this household."))
        return ValidationError(kind.key, N_("This number is already one of this person's phones."))
    return None


def _refuse_clash(
    session: Session,
    kind: _Kind,
    person: Beneficiary,
    stored: Mapping[str, Any],
    exclude_id: str | None,
) -> None:
    if kind.key is None:
        return
    taken = [
        getattr(r, kind.key)
        for r in live_rows(session, kind.model, person.id)
        if r.id != exclude_id
    ]
    problem = _clash(kind, person, stored, taken)
    if problem is not None:
        raise FormErrors([problem])


def _insert(
    session: Session, actor: Actor, kind: _Kind, person: Beneficiary, stored: Mapping[str, Any]
) -> Any:
    record = kind.model(id=new_id(), beneficiary_id=person.id, **stored)
    session.add(record)
    audit.record(
        session, actor, f"{kind.action}_add", kind.entity, record.id, {"beneficiary_id": person.id}
    )
    return record


def _change(
    session: Session, actor: Actor, kind: _Kind, record: Any, stored: Mapping[str, Any]
) -> list[str]:
    changed = [field for field, value in stored.items() if getattr(record, field) != value]
    for field in changed:
        setattr(record, field, stored[field])
    if changed:
        audit.record(
            session, actor, f"{kind.action}_update", kind.entity, record.id, {"fields": changed}
        )
    return changed


def _tombstone(session: Session, actor: Actor, kind: _Kind, record: Any) -> None:
    record.deleted_at = utcnow()
    audit.record(session, actor, f"{kind.action}_remove", kind.entity, record.id)


def _stored_income(clean: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "source": clean["source"],
        "monthly_amount_halalas": clean["monthly_amount"],
        "notes": clean["notes"],
    }


def _stored_phone(clean: Mapping[str, Any]) -> dict[str, Any]:
    return {**clean, "is_primary": False}


# --- household members ----------------------------------------------------------------------


def add_household_member(
    session: Session,
    actor: Actor,
    beneficiary_id: str,
    data: Mapping[str, object],
    *,
    today: date | None = None,
) -> HouseholdMember:
    """Add a member to the person's household (see clean_household_member for `data`).

    Raises PermissionDenied, NotFound (the file), FormErrors (also for an ID number that is
    the file owner's or already in the household). Nothing is written when it raises.
    """
    person = _person_to_edit(session, actor, beneficiary_id)
    clean = clean_household_member(data, today or date.today())
    _refuse_clash(session, _MEMBERS, person, clean, None)
    member: HouseholdMember = _insert(session, actor, _MEMBERS, person, clean)
    return member


def update_household_member(
    session: Session,
    actor: Actor,
    member_id: str,
    data: Mapping[str, object],
    *,
    today: date | None = None,
) -> list[str]:
    """Replace a household member's details with `data` (all of them, as in
    clean_household_member); return the names of the fields that changed.

    Raises PermissionDenied, NotFound, FormErrors.
    """
    member, person = _row(session, actor, _MEMBERS, member_id)
    clean = clean_household_member(data, today or date.today())
    _refuse_clash(session, _MEMBERS, person, clean, member.id)
    return _change(session, actor, _MEMBERS, member, clean)


def remove_household_member(session: Session, actor: Actor, member_id: str) -> None:
    """Take a member off the household (a tombstone). Raises PermissionDenied, NotFound."""
    member, _person = _row(session, actor, _MEMBERS, member_id)
    _tombstone(session, actor, _MEMBERS, member)


# --- income sources -------------------------------------------------------------------------


def add_income_source(
    session: Session, actor: Actor, beneficiary_id: str, data: Mapping[str, object]
) -> IncomeSource:
    """Add one of the household's monthly income sources (see clean_income_source).

    Raises PermissionDenied, NotFound (the file), FormErrors.
    """
    person = _person_to_edit(session, actor, beneficiary_id)
    income: IncomeSource = _insert(
        session, actor, _INCOMES, person, _stored_income(clean_income_source(data))
    )
    return income


def update_income_source(
    session: Session, actor: Actor, income_id: str, data: Mapping[str, object]
) -> list[str]:
    """Replace an income source's details; return the names of the fields that changed.

    Raises PermissionDenied, NotFound, FormErrors.
    """
    income, _person = _row(session, actor, _INCOMES, income_id)
    return _change(session, actor, _INCOMES, income, _stored_income(clean_income_source(data)))


def remove_income_source(session: Session, actor: Actor, income_id: str) -> None:
    """Remove an income source (a tombstone). Raises PermissionDenied, NotFound."""
    income, _person = _row(session, actor, _INCOMES, income_id)
    _tombstone(session, actor, _INCOMES, income)


# --- extra phones ---------------------------------------------------------------------------


def add_phone(
    session: Session, actor: Actor, beneficiary_id: str, data: Mapping[str, object]
) -> BeneficiaryPhone:
    """Add another phone number to the person's file (the main mobile is on the file itself).

    Raises PermissionDenied, NotFound (the file), FormErrors (also for a number the person
    already has).
    """
    person = _person_to_edit(session, actor, beneficiary_id)
    clean = clean_phone(data)
    _refuse_clash(session, _PHONES, person, clean, None)
    phone: BeneficiaryPhone = _insert(session, actor, _PHONES, person, _stored_phone(clean))
    return phone


def update_phone(
    session: Session, actor: Actor, phone_id: str, data: Mapping[str, object]
) -> list[str]:
    """Change an extra phone's number or label; return the names of the fields that changed.

    Raises PermissionDenied, NotFound, FormErrors, Conflict (the main mobile number).
    """
    phone, person = _row(session, actor, _PHONES, phone_id)
    clean = clean_phone(data)
    _refuse_clash(session, _PHONES, person, clean, phone.id)
    return _change(session, actor, _PHONES, phone, clean)


def remove_phone(session: Session, actor: Actor, phone_id: str) -> None:
    """Remove an extra phone (a tombstone). Raises PermissionDenied, NotFound, Conflict (the
    main mobile number)."""
    phone, _person = _row(session, actor, _PHONES, phone_id)
    _tombstone(session, actor, _PHONES, phone)


# --- all of a form's rows at once -----------------------------------------------------------


@dataclass(frozen=True)
class RowChange:
    """One row of an editor to write: new (`id` None), changed, or removed (`data` None)."""

    id: str | None
    data: Mapping[str, object] | None


def save_household(
    session: Session,
    actor: Actor,
    beneficiary_id: str,
    *,
    members: Sequence[RowChange] = (),
    incomes: Sequence[RowChange] = (),
    phones: Sequence[RowChange] = (),
    today: date | None = None,
) -> None:
    """Write the profile form's household rows all together: removed rows, changed rows and
    new rows, each checked against what the file will hold afterwards (so a number may move
    from a removed row to a new one).

    Every row is checked before anything is written: the problems of all rows are raised at
    once as FormErrors on fields named "members.N.field", "incomes.N.field" or
    "phones.N.field", N being the row's position in its sequence. Also raises
    PermissionDenied, NotFound (the file, or a row that is not the file's), Conflict (the main
    mobile number as an extra phone).
    """
    person = _person_to_edit(session, actor, beneficiary_id)
    day = today or date.today()
    cleaners: tuple[
        tuple[_Kind, Sequence[RowChange], Callable[[Mapping[str, object]], Any]], ...
    ] = (
        (_MEMBERS, members, lambda data: clean_household_member(data, day)),
        (_INCOMES, incomes, lambda data: _stored_income(clean_income_source(data))),
        (_PHONES, phones, lambda data: _stored_phone(clean_phone(data))),
    )
    errors: list[ValidationError] = []
    writes: list[tuple[_Kind, Any, Mapping[str, Any] | None]] = []
    for kind, rows, clean in cleaners:
        live = {record.id: record for record in live_rows(session, kind.model, person.id)}
        touched = {row.id for row in rows if row.id is not None}
        for row_id in touched:
            if row_id not in live:
                raise NotFound(kind.not_found)
            _not_the_main_mobile(kind, live[row_id])
        taken = (
            [getattr(r, kind.key) for r in live.values() if r.id not in touched] if kind.key else []
        )
        for index, row in enumerate(rows):
            record = live.get(row.id) if row.id is not None else None
            if row.data is None:
                if record is not None:
                    writes.append((kind, record, None))
                continue
            try:
                stored = clean(row.data)
            except FormErrors as failed:
                errors.extend(
                    ValidationError(f"{kind.name}.{index}.{e.field}", e.message, **e.params)
                    for e in failed.errors
                )
                continue
            problem = _clash(kind, person, stored, taken)
            if problem is not None:
                errors.append(
                    ValidationError(
                        f"{kind.name}.{index}.{problem.field}", problem.message, **problem.params
                    )
                )
                continue
            if kind.key:
                taken.append(stored[kind.key])
            writes.append((kind, record, stored))
    if errors:
        raise FormErrors(errors)
    for kind, record, stored in writes:
        if stored is None:
            _tombstone(session, actor, kind, record)
        elif record is not None:
            if kind is _PHONES:
                stored = {k: v for k, v in stored.items() if k != "is_primary"}
            _change(session, actor, kind, record, stored)
        else:
            _insert(session, actor, kind, person, stored)
