"""Counts agree with their nouns, and texts with the gender of the person they address."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.enums import Gender
from romah_desktop.errors import ValidationError
from romah_desktop.grammar import (
    BENEFICIARY,
    CHANGE,
    CHARACTER,
    COMPLAINT,
    DAY,
    ENTRY,
    FORM,
    HOUR,
    MEMBER,
    MINUTE,
    MONTH,
    PAGE,
    PERSON,
    REQUEST,
    ROW,
    SURVEY,
    WEEK,
    Count,
    CountForm,
    count_form,
    count_phrase,
    feminine_catalogue,
    for_gender,
    is_feminine,
    noun_after,
    range_phrase,
    translate_for,
)
from romah_desktop.i18n import catalogue

NOUNS = [
    DAY,
    WEEK,
    MONTH,
    PAGE,
    PERSON,
    BENEFICIARY,
    REQUEST,
    MEMBER,
    ROW,
    FORM,
    MINUTE,
    HOUR,
    CHARACTER,
    ENTRY,
    SURVEY,
    COMPLAINT,
    CHANGE,
]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 يوم"),
        (1, "يوم واحد"),
        (2, "يومان"),
        (3, "3 أيام"),
        (10, "10 أيام"),
        (11, "11 يومًا"),
        (14, "14 يومًا"),
        (99, "99 يومًا"),
        (100, "100 يوم"),
        (101, "101 يوم"),
        (102, "102 يوم"),
        (103, "103 أيام"),
        (110, "110 أيام"),
        (111, "111 يومًا"),
        (200, "200 يوم"),
        (1000, "1,000 يوم"),
        (1014, "1,014 يومًا"),
        (-3, "-3 أيام"),
    ],
)
def test_days_in_arabic(n: int, expected: str) -> None:
    assert count_phrase(n, DAY, "ar") == expected


def test_other_nouns_in_arabic() -> None:
    assert count_phrase(1, PAGE, "ar") == "صفحة واحدة"
    assert count_phrase(2, PAGE, "ar") == "صفحتان"
    assert count_phrase(5, PERSON, "ar") == "5 أشخاص"
    assert count_phrase(25, BENEFICIARY, "ar") == "25 مستفيدًا"
    assert count_phrase(7, REQUEST, "ar") == "7 طلبات"
    assert count_phrase(12, MEMBER, "ar") == "12 عضوًا"
    assert count_phrase(3, MONTH, "ar") == "3 أشهر"
    assert count_phrase(300, ROW, "ar") == "300 سطر"
    assert count_phrase(8, CHARACTER, "ar") == "8 أحرف"
    assert count_phrase(12, CHARACTER, "ar") == "12 حرفًا"
    assert count_phrase(2, CHARACTER, "ar", oblique=True) == "حرفين"
    assert count_phrase(1, ENTRY, "ar") == "سجل واحد"
    assert count_phrase(40, ENTRY, "ar") == "40 سجلًا"
    assert count_phrase(2, SURVEY, "ar") == "استبيانان"
    assert count_phrase(5, SURVEY, "ar") == "5 استبيانات"
    assert count_phrase(1, COMPLAINT, "ar") == "شكوى واحدة"
    assert count_phrase(4, COMPLAINT, "ar") == "4 شكاوى"
    assert count_phrase(15, COMPLAINT, "ar") == "15 شكوى"
    assert count_phrase(3, CHANGE, "ar") == "3 تغييرات"
    assert count_phrase(20, CHANGE, "ar") == "20 تغييرًا"


def test_a_count_in_an_error_is_worded_in_the_language_it_is_shown_in() -> None:
    from romah_desktop.services.committee.workspace import _members
    from romah_desktop.services.users import validate_password

    with pytest.raises(ValidationError) as short:
        validate_password("abc")
    assert short.value.text("ar") == "يجب ألا يقل طول كلمة المرور عن 8 أحرف."
    assert short.value.text("en") == "The password must have at least 8 characters."
    assert Count(2, CHARACTER, oblique=True).phrase("ar") == "حرفين"
    with pytest.raises(ValidationError) as many:
        _members("، ".join(f"عضو {i}" for i in range(100)), "members")
    assert many.value.text("ar").endswith("عضوًا على الأكثر.")
    assert "members can be listed" in many.value.text("en")


def test_console_and_command_line_counts_agree() -> None:
    from sync.server.console.report_tables import device_state

    silent = type("Device", (), {"revoked": False, "last_seen_at": 1, "silent": True})()
    assert device_state(silent, "ar") == "لم يتصل منذ أكثر من 3 أيام"  # type: ignore[arg-type]
    assert device_state(silent, "en") == "Not seen for more than 3 days"  # type: ignore[arg-type]
    text = catalogue("ar")[
        "Sent {pushed}, received {pulled}; open conflicts: {conflicts}; quarantined: {quarantined}."
    ]
    pushed = count_phrase(2, CHANGE, "ar")
    assert text.format(pushed=pushed, pulled=0, conflicts=0, quarantined=0).startswith(
        "أُرسل تغييران واستُلم 0"
    )


def test_english() -> None:
    assert count_phrase(1, DAY, "en") == "1 day"
    assert count_phrase(0, DAY, "en") == "0 days"
    assert count_phrase(14, DAY, "en") == "14 days"
    assert count_phrase(3, PERSON, "en") == "3 people"
    assert range_phrase(0, 3, DAY, "en") == "0–3 days"


def test_ranges_agree_with_their_last_number() -> None:
    assert range_phrase(0, 3, DAY, "ar") == "0–3 أيام"
    assert range_phrase(8, 14, DAY, "ar") == "8–14 يومًا"
    assert range_phrase(15, 100, DAY, "ar") == "15–100 يوم"


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(NOUNS))
def test_the_form_follows_the_last_two_digits(n: int, noun: object) -> None:
    assert isinstance(noun, type(DAY))
    form = count_form(n)
    phrase = count_phrase(n, noun, "ar")
    if n in (1, 2):
        assert form == (CountForm.ONE if n == 1 else CountForm.TWO)
        assert phrase == (noun.one if n == 1 else noun.dual)
        assert not any(c in string.digits for c in phrase)
        return
    assert phrase == f"{n:,} {noun_after(n, noun, 'ar')}"
    rest = n % 100
    expected = noun.plural if 3 <= rest <= 10 else noun.accusative if rest >= 11 else noun.singular
    assert noun_after(n, noun, "ar") == expected
    # A hundred more (or a thousand more) takes the same form: only the last two digits count.
    assert noun_after(n + 1000, noun, "ar") == expected
    assert count_form(-n) == form


@given(st.integers(min_value=-(10**6), max_value=10**6), st.sampled_from(NOUNS))
def test_english_plural(n: int, noun: object) -> None:
    assert isinstance(noun, type(DAY))
    phrase = count_phrase(n, noun, "en")
    assert phrase == f"{n:,} {noun.en_singular if abs(n) == 1 else noun.en_plural}"


@pytest.mark.parametrize(
    ("gender", "woman"),
    [
        (Gender.FEMALE, True),
        ("F", True),
        ("female", True),
        ("أنثى", True),
        (Gender.MALE, False),
        ("M", False),
        (None, False),
    ],
)
def test_gender_choice(gender: Gender | str | None, woman: bool) -> None:
    assert is_feminine(gender) is woman
    assert for_gender(gender, "المكرم", "المكرمة") == ("المكرمة" if woman else "المكرم")


def test_feminine_wording_is_chosen_for_a_woman_only() -> None:
    assert translate_for(Gender.FEMALE, "To: {name}", "ar", name="سارة") == "المكرمة/ سارة"
    assert translate_for(Gender.MALE, "To: {name}", "ar", name="خالد") == "المكرم/ خالد"
    assert translate_for(None, "To: {name}", "ar", name="خالد") == "المكرم/ خالد"
    # A text with no feminine wording reads the same for everyone; English is neutral.
    assert translate_for(Gender.FEMALE, "Name:", "ar") == catalogue("ar")["Name:"]
    assert translate_for(Gender.FEMALE, "To: {name}", "en", name="Sara") == "To: Sara"


def test_every_feminine_text_is_a_text_of_the_app_with_its_placeholders() -> None:
    """A wording changed in the catalogue must be changed in the feminine one too."""
    feminine, masculine = feminine_catalogue("ar"), catalogue("ar")
    assert len(feminine) >= 10
    for msgid, text in feminine.items():
        assert msgid in masculine, msgid
        assert text != masculine[msgid], msgid
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert fields == {name for _, name, _, _ in string.Formatter().parse(msgid) if name}


def test_reports_name_their_day_groups_with_agreeing_nouns() -> None:
    from romah_desktop.services.reports.decision_time import DayGroup
    from romah_desktop.services.reports.export import day_group_label

    assert day_group_label(DayGroup(0, 3, 0), "ar") == "0–3 أيام"
    assert day_group_label(DayGroup(4, 7, 0), "ar") == "4–7 أيام"
    assert day_group_label(DayGroup(8, 14, 0), "ar") == "8–14 يومًا"
    assert day_group_label(DayGroup(31, None, 0), "ar") == "31 يومًا فأكثر"
    assert day_group_label(DayGroup(0, 3, 0), "en") == "0–3 days"
    assert day_group_label(DayGroup(31, None, 0), "en") == "31 days or more"


def test_the_dual_after_a_preposition() -> None:
    assert count_phrase(2, DAY, "ar", oblique=True) == "يومين"
    assert count_phrase(2, PAGE, "ar", oblique=True) == "صفحتين"
    assert count_phrase(3, DAY, "ar", oblique=True) == "3 أيام"
    assert count_phrase(2, DAY, "en", oblique=True) == "2 days"


def test_the_declaration_is_worded_for_the_person_in_both_languages() -> None:
    """The window shows, and the person signs, the declaration in their grammar."""
    from dataclasses import replace

    from db.enums import IdType, RegistrationStatus
    from romah_desktop.services.intake.views import (
        PersonSummary,
        declaration_template,
        declaration_text,
    )

    man = PersonSummary(
        "id", "خالد سعد العتيبي", "1023456781", IdType.NATIONAL_ID, "RYD-1",
        RegistrationStatus.INQUIRY, (), Gender.MALE,
    )  # fmt: skip
    woman = replace(man, full_name="منى محمد القحطاني", gender=Gender.FEMALE)
    his, hers = declaration_text("ar", man), declaration_text("ar", woman)
    assert "صاحب الهوية" in his and "مسؤول مسؤوليةً" in his and "صاحبة" not in his
    assert "صاحبة الهوية" in hers and "مسؤولة مسؤوليةً" in hers
    assert "صاحب الهوية" not in hers and "مسؤول مسؤوليةً" not in hers
    assert "منى محمد القحطاني" in hers and "1023456781" in hers
    for lang in ("ar", "en"):
        for gender in (Gender.MALE, Gender.FEMALE, None):
            text = declaration_template(lang, gender)
            assert {"{full_name}", "{national_id}", "{file_number}"} <= set(
                text.replace("{", " {").replace("}", "} ").split()
            ), (lang, gender)
    assert declaration_text("en", woman).startswith("Declaration")
    with pytest.raises(ValueError):
        declaration_template("fr", Gender.FEMALE)
