"""Beneficiaries and their households."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Synced, uuid_fk
from db.enums import (
    Gender,
    HousingType,
    IdType,
    IncomeSourceType,
    MaritalStatus,
    RegistrationStatus,
)


class Beneficiary(Synced, Base):
    """A person the society serves: one file per person across the whole society."""

    __tablename__ = "beneficiary"

    file_number: Mapped[str] = mapped_column(sa.String(30), unique=True)
    branch_id: Mapped[str] = uuid_fk("branch.id")
    first_name: Mapped[str] = mapped_column(sa.String(40))
    father_name: Mapped[str] = mapped_column(sa.String(40))
    grandfather_name: Mapped[str] = mapped_column(sa.String(40))
    family_name: Mapped[str] = mapped_column(sa.String(40))
    national_id: Mapped[str] = mapped_column(sa.String(10))
    id_type: Mapped[IdType]
    gender: Mapped[Gender]
    birth_date: Mapped[date | None]
    nationality: Mapped[str | None] = mapped_column(sa.String(40))
    marital_status: Mapped[MaritalStatus | None]
    city: Mapped[str | None] = mapped_column(sa.String(60))
    district: Mapped[str | None] = mapped_column(sa.String(60))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    categories: Mapped[list[str]] = mapped_column(default=list)
    housing_type: Mapped[HousingType | None]
    monthly_rent_halalas: Mapped[int | None]
    household_size: Mapped[int | None]
    monthly_income_halalas: Mapped[int | None]
    iban: Mapped[str | None] = mapped_column(sa.String(24))
    registration_status: Mapped[RegistrationStatus] = mapped_column(
        default=RegistrationStatus.IN_PROGRESS
    )
    notes: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        # One file per person: unique among live rows (a tombstone does not block re-registration).
        sa.Index(
            "uq_beneficiary_national_id_live",
            "national_id",
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index("ix_beneficiary_birth_date", "birth_date"),
        # The list's order within a branch, covering its ids: its first page reads a hundred
        # index entries, not the whole branch (each page read from an encrypted file costs).
        sa.Index("ix_beneficiary_branch_list", "branch_id", "deleted_at", "file_number", "id"),
    )

    @property
    def full_name(self) -> str:
        """The four-part name in Arabic order."""
        parts = (self.first_name, self.father_name, self.grandfather_name, self.family_name)
        return " ".join(p for p in parts if p)


class BeneficiaryPhone(Synced, Base):
    __tablename__ = "beneficiary_phone"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    number: Mapped[str] = mapped_column(sa.String(16), index=True)  # canonical +9665XXXXXXXX
    label: Mapped[str | None] = mapped_column(sa.String(40))
    is_primary: Mapped[bool] = mapped_column(default=False)


class HouseholdMember(Synced, Base):
    __tablename__ = "household_member"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    full_name: Mapped[str] = mapped_column(sa.String(200))
    relationship: Mapped[str] = mapped_column(sa.String(40))
    gender: Mapped[Gender | None]
    birth_date: Mapped[date | None]
    national_id: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    is_dependent: Mapped[bool] = mapped_column(default=True)
    has_disability: Mapped[bool] = mapped_column(default=False)
    in_education: Mapped[bool] = mapped_column(default=False)


class IncomeSource(Synced, Base):
    __tablename__ = "income_source"

    beneficiary_id: Mapped[str] = uuid_fk("beneficiary.id")
    source: Mapped[IncomeSourceType]
    monthly_amount_halalas: Mapped[int]
    notes: Mapped[str | None] = mapped_column(sa.String(200))
