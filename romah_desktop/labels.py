"""Display names for the domain's vocabularies, in English for translation."""

from __future__ import annotations

from enum import Enum

from db import enums as e
from romah_desktop.i18n import N_, translate

LABELS: dict[Enum, str] = {
    e.Role.INTERVIEWER: N_("Beneficiary relations officer"),
    e.Role.BRANCH_DELEGATE: N_("Branch delegate"),
    e.Role.SOCIAL_RESEARCHER: N_("Social research officer"),
    e.Role.COMMITTEE_MEMBER: N_("Research committee member"),
    e.Role.BRANCH_MANAGER: N_("Branch manager"),
    e.Role.HQ_ADMIN: N_("Head office administrator"),
    e.Channel.INTERVIEW: N_("In-person interview"),
    e.Channel.PHONE: N_("Phone call"),
    e.Channel.SOCIAL_MEDIA: N_("Social media"),
    e.Channel.LETTER: N_("Letter"),
    e.Channel.ASSISTANCE_REQUEST: N_("Assistance-request services"),
    e.Channel.VOLUNTEERING: N_("Volunteering service"),
    e.Channel.WEBSITE: N_("The society's website"),
    e.Channel.BRANCH_DELEGATE: N_("Branch-office delegate"),
    e.IdType.NATIONAL_ID: N_("National ID"),
    e.IdType.IQAMA: N_("Iqama"),
    e.Gender.MALE: N_("Male"),
    e.Gender.FEMALE: N_("Female"),
    e.MaritalStatus.SINGLE: N_("Single"),
    e.MaritalStatus.MARRIED: N_("Married"),
    e.MaritalStatus.DIVORCED: N_("Divorced"),
    e.MaritalStatus.WIDOWED: N_("Widowed"),
    e.Category.WIDOW: N_("Widow"),
    e.Category.ORPHAN: N_("Orphan"),
    e.Category.ELDERLY: N_("Elderly"),
    e.Category.DISABLED: N_("Person with a disability"),
    e.Category.LOW_INCOME: N_("Low income"),
    e.Category.DIVORCEE: N_("Divorcee"),
    e.Category.PRISONER_FAMILY: N_("Prisoner's family"),
    e.RegistrationStatus.INQUIRY: N_("Inquiry"),
    e.RegistrationStatus.IN_PROGRESS: N_("Registration in progress"),
    e.RegistrationStatus.REGISTERED: N_("Registered"),
    e.RegistrationStatus.SUSPENDED: N_("Suspended"),
    e.RequestStatus.DRAFT: N_("Draft"),
    e.RequestStatus.SUBMITTED: N_("Submitted to the committee"),
    e.RequestStatus.NEEDS_INFO: N_("More information needed"),
    e.RequestStatus.APPROVED: N_("Approved"),
    e.RequestStatus.REJECTED: N_("Rejected"),
    e.RequestStatus.FULFILLED: N_("Fulfilled"),
    e.RequestStatus.WITHDRAWN: N_("Withdrawn"),
    e.RequestType.CASH: N_("Cash assistance"),
    e.RequestType.FOOD: N_("Food"),
    e.RequestType.RENT: N_("Rent"),
    e.RequestType.MEDICAL: N_("Medical"),
    e.RequestType.EDUCATION: N_("Education"),
    e.RequestType.IN_KIND: N_("In-kind"),
    e.RequestType.OTHER: N_("Other"),
}


def label(value: Enum, lang: str | None = None) -> str:
    """The display name of an enum member in `lang`; its value if it has no label."""
    text = LABELS.get(value)
    return translate(text, lang) if text is not None else str(value.value)
