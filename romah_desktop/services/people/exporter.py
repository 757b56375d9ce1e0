"""Exporting beneficiaries to a sheet in the import's columns, and the empty template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import Beneficiary
from romah_desktop.i18n import current_language
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import primary_phone_column
from romah_desktop.services.people.sheets import write_sheet
from romah_desktop.validation import format_mobile_local, format_money


def export_beneficiaries(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    lang: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the live files the actor may see to `path` (.csv or .xlsx); return how many.

    Headers, gender and the sheet's direction follow `lang`. Raises PermissionDenied, or
    RomahError for an unsupported file type.
    """
    actor.require(Permission.EXPORT_DATA)
    lang = lang or current_language()
    phone = primary_phone_column()
    query = (
        sa.select(
            Beneficiary.national_id,
            Beneficiary.first_name,
            Beneficiary.father_name,
            Beneficiary.grandfather_name,
            Beneficiary.family_name,
            Beneficiary.gender,
            Beneficiary.birth_date,
            phone.label("number"),
            Beneficiary.city,
            Beneficiary.iban,
            Beneficiary.household_size,
            Beneficiary.monthly_income_halalas,
        )
        .where(Beneficiary.deleted_at.is_(None))
        .order_by(Beneficiary.file_number)
    )
    if (branch := actor.visible_branch()) is not None:
        query = query.where(Beneficiary.branch_id == branch)
    rows = []
    for r in session.execute(query):
        rows.append(
            [
                r.national_id,
                r.first_name,
                r.father_name,
                r.grandfather_name,
                r.family_name,
                label(r.gender, lang),
                r.birth_date.isoformat() if r.birth_date else "",
                format_mobile_local(r.number) if r.number else "",
                r.city or "",
                r.iban or "",
                str(r.household_size) if r.household_size is not None else "",
                format_money(r.monthly_income_halalas).replace(",", "")
                if r.monthly_income_halalas is not None
                else "",
            ]
        )
    if progress is not None:
        progress(len(rows), len(rows))
    write_sheet(path, rows, lang)
    return len(rows)


def write_template(path: Path, lang: str | None = None) -> None:
    """An empty sheet with the import's headers in `lang`."""
    write_sheet(path, [], lang or current_language())
