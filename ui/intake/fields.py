"""Names and display of a file's fields in the intake: the fields to complete, and the exact data
a declaration covers."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from db.enums import Category, Gender, HousingType, IdType, MaritalStatus
from romah_desktop.dates import format_dual
from romah_desktop.i18n import current_language
from romah_desktop.labels import label
from romah_desktop.services.intake.declarations import DECLARED_FIELDS
from romah_desktop.validation import format_mobile_local, format_money
from ui.qt import QCoreApplication

_ENUMS: dict[str, type[Enum]] = {
    "id_type": IdType,
    "gender": Gender,
    "marital_status": MaritalStatus,
    "housing_type": HousingType,
}


def field_label(name: str) -> str:
    """The display name of a file's field (form or stored name); the name itself if unknown."""
    labels = {
        "file_number": QCoreApplication.translate("IntakeFields", "File number"),
        "first_name": QCoreApplication.translate("IntakeFields", "First name"),
        "father_name": QCoreApplication.translate("IntakeFields", "Father's name"),
        "grandfather_name": QCoreApplication.translate("IntakeFields", "Grandfather's name"),
        "family_name": QCoreApplication.translate("IntakeFields", "Family name"),
        "national_id": QCoreApplication.translate("IntakeFields", "National ID / Iqama number"),
        "id_type": QCoreApplication.translate("IntakeFields", "Kind of ID"),
        "gender": QCoreApplication.translate("IntakeFields", "Gender"),
        "birth_date": QCoreApplication.translate("IntakeFields", "Date of birth"),
        "nationality": QCoreApplication.translate("IntakeFields", "Nationality"),
        "marital_status": QCoreApplication.translate("IntakeFields", "Marital status"),
        "phone": QCoreApplication.translate("IntakeFields", "Mobile"),
        "city": QCoreApplication.translate("IntakeFields", "City"),
        "district": QCoreApplication.translate("IntakeFields", "District"),
        "address": QCoreApplication.translate("IntakeFields", "Address"),
        "categories": QCoreApplication.translate("IntakeFields", "Categories"),
        "housing_type": QCoreApplication.translate("IntakeFields", "Housing"),
        "monthly_rent": QCoreApplication.translate("IntakeFields", "Monthly rent (riyals)"),
        "monthly_rent_halalas": QCoreApplication.translate("IntakeFields", "Monthly rent (riyals)"),
        "household_size": QCoreApplication.translate("IntakeFields", "Household size"),
        "monthly_income": QCoreApplication.translate("IntakeFields", "Monthly income (riyals)"),
        "monthly_income_halalas": QCoreApplication.translate(
            "IntakeFields", "Monthly income (riyals)"
        ),
        "iban": QCoreApplication.translate("IntakeFields", "IBAN"),
    }
    return labels.get(name, name)


def field_choices(name: str, gender: str | None = None) -> list[tuple[str, str]] | None:
    """(value, display name) for a field chosen from a list, else None (typed as text); the
    names that describe the person agree with their `gender` (a woman is «عزباء»)."""
    kind = _ENUMS.get(name)
    if kind is None:
        return None
    return [(member.value, label(member, gender=gender)) for member in kind]


def field_hint(name: str) -> str:
    """An example of what to type in a field, or ""."""
    hints = {
        "phone": QCoreApplication.translate("IntakeFields", "e.g. 0501234567"),
        "household_size": QCoreApplication.translate("IntakeFields", "e.g. 5"),
        "monthly_rent": QCoreApplication.translate("IntakeFields", "e.g. 1500"),
        "monthly_income": QCoreApplication.translate("IntakeFields", "e.g. 3000, or 0"),
        "iban": QCoreApplication.translate("IntakeFields", "SA followed by 22 digits"),
    }
    return hints.get(name, "")


def display_value(name: str, value: Any, gender: str | None = None) -> str:
    """A declared value as the person reads it (dates in Hijri and Gregorian, names of the
    choices in the grammar of the person's `gender`, riyals); "—" for an empty one."""
    if value is None or value == "" or value == []:
        return "—"
    if name in _ENUMS:
        try:
            return label(_ENUMS[name](value), gender=gender)
        except ValueError:
            return str(value)
    if name == "categories":
        known = {c.value: c for c in Category}
        comma = "، " if current_language() == "ar" else ", "
        return comma.join(label(known[v], gender=gender) if v in known else str(v) for v in value)
    if name.endswith("_halalas"):
        return QCoreApplication.translate("IntakeFields", "{amount} riyals").format(
            amount=format_money(int(value))
        )
    if name == "phone":
        return format_mobile_local(str(value))
    if name.endswith("_date"):
        try:
            return format_dual(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def declared_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field name, value) rows of declared data, in reading order (unknown fields last); what
    describes the person agrees with the gender declared."""
    names = [n for n in DECLARED_FIELDS if n in data]
    names += sorted(n for n in data if n not in DECLARED_FIELDS)
    gender = data.get("gender") or None
    return [(field_label(n), display_value(n, data[n], gender)) for n in names]
