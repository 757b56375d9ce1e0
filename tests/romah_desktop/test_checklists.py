"""The document checklist and the required fields, per kind of request."""

from __future__ import annotations

import pytest

from db.enums import Category, DocumentType, IdType, RequestType
from romah_desktop.checklists import (
    BY_REQUEST_TYPE,
    expires,
    required_documents,
    required_fields,
)
from romah_desktop.labels import LABELS
from romah_desktop.services.people.beneficiaries import FIELDS


def test_every_kind_of_request_has_a_checklist() -> None:
    assert set(BY_REQUEST_TYPE) == set(RequestType)


@pytest.mark.parametrize("request_type", list(RequestType))
def test_everyone_shows_their_identity_document_first(request_type: RequestType) -> None:
    citizen = required_documents(request_type, IdType.NATIONAL_ID)
    resident = required_documents(request_type, IdType.IQAMA)
    assert citizen[0] == DocumentType.NATIONAL_ID_CARD
    assert resident[0] == DocumentType.IQAMA
    assert DocumentType.IQAMA not in citizen and DocumentType.NATIONAL_ID_CARD not in resident
    assert len(set(citizen)) == len(citizen)
    assert all(doc in LABELS for doc in citizen)  # every document has a display name


def test_rent_needs_the_lease_and_medical_the_report() -> None:
    assert required_documents(RequestType.RENT, IdType.NATIONAL_ID) == (
        DocumentType.NATIONAL_ID_CARD,
        DocumentType.LEASE_CONTRACT,
    )
    assert DocumentType.MEDICAL_REPORT in required_documents(RequestType.MEDICAL, IdType.IQAMA)
    assert required_documents(RequestType.OTHER, IdType.NATIONAL_ID) == (
        DocumentType.NATIONAL_ID_CARD,
    )


def test_categories_add_their_proof_once() -> None:
    docs = required_documents(
        RequestType.MEDICAL,
        IdType.NATIONAL_ID,
        [Category.WIDOW.value, Category.DISABLED.value, "not-a-category"],
    )
    assert docs == (
        DocumentType.NATIONAL_ID_CARD,
        DocumentType.MEDICAL_REPORT,
        DocumentType.DEATH_CERTIFICATE,
    )


def test_expiry_matters_for_identity_and_lease_only() -> None:
    assert expires(DocumentType.NATIONAL_ID_CARD) and expires(DocumentType.IQAMA)
    assert expires(DocumentType.LEASE_CONTRACT)
    assert not expires(DocumentType.FAMILY_CARD) and not expires(DocumentType.DEATH_CERTIFICATE)


@pytest.mark.parametrize("request_type", list(RequestType))
def test_required_fields_are_fields_of_the_form(request_type: RequestType) -> None:
    fields = required_fields(request_type)
    assert set(fields) <= set(FIELDS)
    assert fields[:3] == ("phone", "city", "household_size")


def test_rent_needs_the_rent_and_cash_the_iban() -> None:
    assert {"housing_type", "monthly_rent"} <= set(required_fields(RequestType.RENT))
    assert {"iban", "monthly_income"} <= set(required_fields(RequestType.CASH))
    assert "iban" not in required_fields(RequestType.FOOD)
