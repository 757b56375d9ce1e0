"""The names of the domain's values, and their agreement with the person they describe."""

from __future__ import annotations

import pytest

from db.enums import Category, Gender, MaritalStatus, RegistrationStatus, RequestStatus
from romah_desktop.labels import label

FEMININE = {
    MaritalStatus.SINGLE: "عزباء",
    MaritalStatus.MARRIED: "متزوجة",
    MaritalStatus.DIVORCED: "مطلقة",
    MaritalStatus.WIDOWED: "أرملة",
}
MASCULINE = {
    MaritalStatus.SINGLE: "أعزب",
    MaritalStatus.MARRIED: "متزوج",
    MaritalStatus.DIVORCED: "مطلق",
    MaritalStatus.WIDOWED: "أرمل",
}


@pytest.mark.parametrize("status", list(MaritalStatus))
@pytest.mark.parametrize("gender", [Gender.FEMALE, "F", "أنثى"])
def test_a_woman_s_marital_status_is_named_in_the_feminine(
    status: MaritalStatus, gender: Gender | str
) -> None:
    assert label(status, "ar", gender) == FEMININE[status]
    # A value read back from a widget or a row (the bare stored value) reads the same.
    assert label(status.value, "ar", gender) == FEMININE[status]


@pytest.mark.parametrize("status", list(MaritalStatus))
@pytest.mark.parametrize("gender", [Gender.MALE, "M", None])
def test_a_man_or_someone_unknown_reads_the_masculine(
    status: MaritalStatus, gender: Gender | str | None
) -> None:
    assert label(status, "ar", gender) == MASCULINE[status]
    assert label(status, "ar") == MASCULINE[status]


def test_english_is_the_same_for_everyone() -> None:
    for status in MaritalStatus:
        assert label(status, "en", Gender.FEMALE) == label(status, "en", Gender.MALE)
    assert label(MaritalStatus.SINGLE, "en", Gender.FEMALE) == "Single"


def test_what_describes_the_person_agrees_and_nothing_else_changes() -> None:
    assert label(Category.ORPHAN, "ar", Gender.FEMALE) == "يتيمة"
    assert label(Category.ORPHAN, "ar", Gender.MALE) == "يتيم"
    assert label(RegistrationStatus.REGISTERED, "ar", Gender.FEMALE) == "مسجَّلة"
    # A value that does not describe the person reads the same whoever it is about.
    assert label(RequestStatus.APPROVED, "ar", Gender.FEMALE) == label(RequestStatus.APPROVED, "ar")
    assert label(Category.WIDOW, "ar", Gender.FEMALE) == "أرملة"
