"""Importing beneficiaries from a sheet: good rows import, bad rows are rejected whole with
every reason, existing people (same national ID) get the fields that changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.ids import new_id
from db.models import Beneficiary, BeneficiaryPhone
from romah_desktop.arabic import normalize_arabic
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_, translate
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.numbers import reserve_file_numbers
from romah_desktop.services.people.beneficiaries import (
    apply_clean,
    clean_beneficiary,
    primary_phone,
    set_primary_phone,
    stored_values,
)
from romah_desktop.services.people.sheets import read_sheet
from romah_desktop.validation import validate_national_id

CHUNK = 500


@dataclass(frozen=True)
class RejectedField:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedField] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"row": r.row, "field": r.field, "message": r.message} for r in self.rejected
            ],
            "duplicates": self.duplicates,
        }


def import_beneficiaries(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    today: date | None = None,
    lang: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a .csv or .xlsx sheet into the actor's branch, in the caller's transaction.

    Rows whose national ID already has a file update the fields that changed (blank cells
    keep the stored value). A row with the same ID as an earlier row of the sheet, or the same
    name and birth date as another person, is not imported and is listed in `duplicates`.
    Raises PermissionDenied, or RomahError when the file itself cannot be read.
    """
    actor.require(Permission.IMPORT_DATA)
    rows = read_sheet(path)
    report = ImportReport()
    context = _Context(session, actor, today or date.today(), lang, report)
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(v.strip() for v in r.values())]
    for start in range(0, len(numbered), CHUNK):
        context.import_chunk(numbered[start : start + CHUNK])
        session.flush()
        if progress is not None:
            progress(min(start + CHUNK, len(numbered)), len(numbered))
    return report


class _Context:
    def __init__(
        self, session: Session, actor: Actor, today: date, lang: str | None, report: ImportReport
    ) -> None:
        self.session = session
        self.actor = actor
        self.today = today
        self.lang = lang
        self.report = report
        self.seen_ids: dict[str, int] = {}  # national ID → first row that had it
        self.seen_people: dict[tuple[str, date], int] = {}  # (name, birth date) → row

    def reject(self, row: int, errors: list[ValidationError]) -> None:
        for error in errors:
            self.report.rejected.append(RejectedField(row, error.field, error.text(self.lang)))

    def import_chunk(self, chunk: list[tuple[int, dict[str, str]]]) -> None:
        ids = {}
        for row, record in chunk:
            try:
                ids[row] = validate_national_id(record.get("national_id", ""))[0]
            except ValidationError:
                pass  # reported with the row's other errors below
        existing = {
            p.national_id: p
            for p in self.session.scalars(
                sa.select(Beneficiary).where(
                    Beneficiary.national_id.in_(set(ids.values())), Beneficiary.deleted_at.is_(None)
                )
            )
        }
        new_rows: list[tuple[int, dict[str, Any]]] = []
        for row, record in chunk:
            national_id = ids.get(row)
            if national_id is not None and national_id in self.seen_ids:
                self.report.duplicates.append(
                    {
                        "row": row,
                        "reason": "same_id_in_sheet",
                        "message": translate(
                            N_("Row {first} already has this ID number."),
                            self.lang,
                            first=self.seen_ids[national_id],
                        ),
                    }
                )
                continue
            if national_id is not None:
                self.seen_ids[national_id] = row
            person = existing.get(national_id) if national_id else None
            try:
                if person is not None:
                    self.update(row, person, record)
                else:
                    new_rows.append((row, clean_beneficiary(record, self.today)))
            except FormErrors as errors:
                self.reject(row, errors.errors)
        self.insert(self.without_duplicates(new_rows))

    def update(self, row: int, person: Beneficiary, record: Mapping[str, str]) -> None:
        given = {k: v for k, v in record.items() if v.strip()}
        clean = clean_beneficiary(given, self.today, partial=True)
        self.actor.require_branch(person.branch_id)
        before = stored_values(person)
        apply_clean(person, clean)
        changed = [k for k, v in stored_values(person).items() if v != before[k]]
        if "phone" in clean and primary_phone(self.session, person.id) != clean["phone"]:
            set_primary_phone(self.session, person, clean["phone"])
            changed.append("phone")
        if changed:
            self.report.updated += 1
            audit.record(
                self.session,
                self.actor,
                "beneficiary.update",
                "beneficiary",
                person.id,
                {"fields": changed, "source": "import"},
            )
        else:
            self.report.unchanged += 1

    def without_duplicates(
        self, rows: list[tuple[int, dict[str, Any]]]
    ) -> list[tuple[int, dict[str, Any]]]:
        """Drop rows whose name and birth date match another person (in the file or stored)."""
        dates = {c["birth_date"] for _, c in rows if c.get("birth_date")}
        stored: dict[tuple[str, date], str] = {}
        if dates:
            columns = (Beneficiary.file_number, Beneficiary.birth_date) + tuple(
                getattr(Beneficiary, n) for n in NAME_PARTS
            )
            for found in self.session.execute(
                sa.select(*columns).where(
                    Beneficiary.birth_date.in_(dates), Beneficiary.deleted_at.is_(None)
                )
            ):
                stored[(normalize_arabic(four_part_name(found[2:])), found.birth_date)] = (
                    found.file_number
                )
        kept = []
        for row, clean in rows:
            if clean.get("birth_date") is None:
                kept.append((row, clean))
                continue
            key = (
                normalize_arabic(four_part_name(clean[n] for n in NAME_PARTS)),
                clean["birth_date"],
            )
            if key in stored:
                self.report.duplicates.append(
                    {
                        "row": row,
                        "reason": "same_name_and_birth_date",
                        "file_number": stored[key],
                        "message": translate(
                            N_("Same name and birth date as file {file_number}."),
                            self.lang,
                            file_number=stored[key],
                        ),
                    }
                )
            elif key in self.seen_people:
                self.report.duplicates.append(
                    {
                        "row": row,
                        "reason": "same_name_and_birth_date",
                        "message": translate(
                            N_("Same name and birth date as row {first}."),
                            self.lang,
                            first=self.seen_people[key],
                        ),
                    }
                )
            else:
                self.seen_people[key] = row
                kept.append((row, clean))
        return kept

    def insert(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        if not rows:
            return
        numbers = reserve_file_numbers(self.session, len(rows))
        for (_row, clean), number in zip(rows, numbers, strict=True):
            person = Beneficiary(id=new_id(), file_number=number, branch_id=self.actor.branch_id)
            apply_clean(person, clean)
            self.session.add(person)
            if clean.get("phone"):
                self.session.add(
                    BeneficiaryPhone(
                        beneficiary_id=person.id, number=clean["phone"], is_primary=True
                    )
                )
            audit.record(
                self.session,
                self.actor,
                "beneficiary.register",
                "beneficiary",
                person.id,
                {"source": "import"},
            )
        self.report.imported += len(rows)
