"""What an intake checks, by the kind of support requested: the documents to see (with the
ones whose expiry matters) and the fields the file must have.

Everyone shows their identity document: the national ID card for a citizen, the Iqama for a
resident. The kind of request and the person's categories add the documents that prove them.
"""

from __future__ import annotations

from collections.abc import Iterable

from db.enums import Category, DocumentType, IdType, RequestType

IDENTITY_DOCUMENT: dict[IdType, DocumentType] = {
    IdType.NATIONAL_ID: DocumentType.NATIONAL_ID_CARD,
    IdType.IQAMA: DocumentType.IQAMA,
}

BY_REQUEST_TYPE: dict[RequestType, tuple[DocumentType, ...]] = {
    RequestType.CASH: (DocumentType.FAMILY_CARD, DocumentType.BANK_LETTER),
    RequestType.FOOD: (DocumentType.FAMILY_CARD,),
    RequestType.RENT: (DocumentType.LEASE_CONTRACT,),
    RequestType.MEDICAL: (DocumentType.MEDICAL_REPORT,),
    RequestType.EDUCATION: (DocumentType.FAMILY_CARD,),
    RequestType.IN_KIND: (),
    RequestType.OTHER: (),
}

BY_CATEGORY: dict[Category, tuple[DocumentType, ...]] = {
    Category.WIDOW: (DocumentType.DEATH_CERTIFICATE,),
    Category.DIVORCEE: (DocumentType.DIVORCE_DEED,),
    Category.DISABLED: (DocumentType.MEDICAL_REPORT,),
}

# Documents whose validity on the day of submission depends on an expiry date.
EXPIRING: frozenset[DocumentType] = frozenset(
    {DocumentType.NATIONAL_ID_CARD, DocumentType.IQAMA, DocumentType.LEASE_CONTRACT}
)

# Fields of the file (as named in the beneficiary form) that a request cannot be studied without.
FIELDS_FOR_EVERYONE: tuple[str, ...] = ("phone", "city", "household_size")
FIELDS_BY_REQUEST_TYPE: dict[RequestType, tuple[str, ...]] = {
    RequestType.CASH: ("monthly_income", "iban"),
    RequestType.RENT: ("housing_type", "monthly_rent"),
}


def required_documents(
    request_type: RequestType, id_type: IdType, categories: Iterable[str] = ()
) -> tuple[DocumentType, ...]:
    """The documents to check for this request, the identity document first, each once.

    `categories` are the person's category values; unknown ones add nothing.
    """
    found: list[DocumentType] = [IDENTITY_DOCUMENT[IdType(id_type)]]
    found.extend(BY_REQUEST_TYPE[RequestType(request_type)])
    known = {c.value: c for c in Category}
    for value in categories:
        category = known.get(str(value))
        if category is not None:
            found.extend(BY_CATEGORY.get(category, ()))
    return tuple(dict.fromkeys(found))


def required_fields(request_type: RequestType) -> tuple[str, ...]:
    """The file's fields this request needs filled in, in form order."""
    extra = FIELDS_BY_REQUEST_TYPE.get(RequestType(request_type), ())
    return tuple(dict.fromkeys((*FIELDS_FOR_EVERYONE, *extra)))


def expires(doc_type: DocumentType) -> bool:
    """Whether the document's expiry date must be checked."""
    return DocumentType(doc_type) in EXPIRING
