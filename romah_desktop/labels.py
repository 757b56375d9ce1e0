"""Display names for the domain's vocabularies, in English for translation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import TypeVar

from db import enums as e
from db.enums import Gender
from romah_desktop.grammar import translate_for
from romah_desktop.i18n import N_

E = TypeVar("E", bound=Enum)


class Labels:
    """Display names keyed by enum member. Members of different vocabularies may share a
    value (a StrEnum member equals its value, so a plain dict would let one overwrite the
    other's name): each is keyed by its enum type and value."""

    def __init__(self, names: Iterable[tuple[Enum, str]]) -> None:
        self._names: dict[tuple[type[Enum], object], str] = {}
        # For a bare value (a string read back from a widget or a row): the first vocabulary
        # that named it, so the core vocabularies of this module come first.
        self._by_value: dict[object, str] = {}
        self.update(names)

    def update(self, names: Iterable[tuple[Enum, str]] | Mapping[E, str]) -> None:
        """Add names. Pass pairs, not a dict literal, when two vocabularies share a value:
        a dict literal keeps only the last of two members that compare equal."""
        pairs: Iterable[tuple[Enum, str]] = names.items() if isinstance(names, Mapping) else names
        for member, text in pairs:
            self._names[(type(member), member.value)] = text
            self._by_value.setdefault(member.value, text)

    def get(self, member: Enum | str) -> str | None:
        if not isinstance(member, Enum):
            return self._by_value.get(member)
        return self._names.get((type(member), member.value))

    def __contains__(self, member: object) -> bool:
        return isinstance(member, Enum) and (type(member), member.value) in self._names


LABELS = Labels(
    [
        (e.Role.INTERVIEWER, N_("Beneficiary relations officer")),
        (e.Role.BRANCH_DELEGATE, N_("Branch delegate")),
        (e.Role.SOCIAL_RESEARCHER, N_("Social research officer")),
        (e.Role.COMMITTEE_MEMBER, N_("Research committee member")),
        (e.Role.BRANCH_MANAGER, N_("Branch manager")),
        (e.Role.HQ_ADMIN, N_("Head office administrator")),
        (e.Channel.INTERVIEW, N_("In-person interview")),
        (e.Channel.PHONE, N_("Phone call")),
        (e.Channel.SOCIAL_MEDIA, N_("Social media")),
        (e.Channel.LETTER, N_("Letter")),
        (e.Channel.ASSISTANCE_REQUEST, N_("Assistance-request services")),
        (e.Channel.VOLUNTEERING, N_("Volunteering service")),
        (e.Channel.WEBSITE, N_("The society's website")),
        (e.Channel.BRANCH_DELEGATE, N_("Branch-office delegate")),
        (e.IdType.NATIONAL_ID, N_("National ID")),
        (e.IdType.IQAMA, N_("Iqama")),
        (e.Gender.MALE, N_("Male")),
        (e.Gender.FEMALE, N_("Female")),
        (e.MaritalStatus.SINGLE, N_("Single")),
        (e.MaritalStatus.MARRIED, N_("Married")),
        (e.MaritalStatus.DIVORCED, N_("Divorced")),
        (e.MaritalStatus.WIDOWED, N_("Widowed")),
        (e.Category.WIDOW, N_("Widow")),
        (e.Category.ORPHAN, N_("Orphan")),
        (e.Category.ELDERLY, N_("Elderly")),
        (e.Category.DISABLED, N_("Person with a disability")),
        (e.Category.LOW_INCOME, N_("Low income")),
        (e.Category.DIVORCEE, N_("Divorcee")),
        (e.Category.PRISONER_FAMILY, N_("Prisoner's family")),
        (e.HousingType.OWNED, N_("Owned home")),
        (e.HousingType.RENTED, N_("Rented home")),
        (e.HousingType.SHARED, N_("Shared home")),
        (e.HousingType.CHARITY, N_("Charity housing")),
        (e.HousingType.OTHER, N_("Other housing")),
        (e.RegistrationStatus.INQUIRY, N_("Inquiry")),
        (e.RegistrationStatus.IN_PROGRESS, N_("Registration in progress")),
        (e.RegistrationStatus.REGISTERED, N_("Registered")),
        (e.RegistrationStatus.SUSPENDED, N_("Suspended")),
        (e.RequestStatus.DRAFT, N_("Draft")),
        (e.RequestStatus.SUBMITTED, N_("Submitted to the committee")),
        (e.RequestStatus.NEEDS_INFO, N_("More information needed")),
        (e.RequestStatus.APPROVED, N_("Approved")),
        (e.RequestStatus.REJECTED, N_("Rejected")),
        (e.RequestStatus.FULFILLED, N_("Fulfilled")),
        (e.RequestStatus.WITHDRAWN, N_("Withdrawn")),
        (e.RequestType.CASH, N_("Cash assistance")),
        (e.RequestType.FOOD, N_("Food")),
        (e.RequestType.RENT, N_("Rent")),
        (e.RequestType.MEDICAL, N_("Medical")),
        (e.RequestType.EDUCATION, N_("Education")),
        (e.RequestType.IN_KIND, N_("In-kind")),
        (e.RequestType.OTHER, N_("Other")),
        (e.InterviewStep.RECEIVE, N_("Receiving the person")),
        (e.InterviewStep.COLLECT_VERIFY, N_("Collecting and verifying the data")),
        (e.InterviewStep.REFER, N_("Referral to social research")),
        (e.InterviewStep.DECLARE, N_("Signed declaration")),
        (e.InterviewStep.INFORM, N_("Informing about the committee")),
        (e.InterviewStep.COMPLETE_REGISTRATION, N_("Completing the registration")),
        (e.InterviewStep.DELIVER_SERVICE, N_("Delivering the service")),
        (e.DocumentType.NATIONAL_ID_CARD, N_("National ID card")),
        (e.DocumentType.IQAMA, N_("Iqama (residence permit)")),
        (e.DocumentType.FAMILY_CARD, N_("Family card")),
        (e.DocumentType.DEATH_CERTIFICATE, N_("Death certificate")),
        (e.DocumentType.DIVORCE_DEED, N_("Divorce deed")),
        (e.DocumentType.LEASE_CONTRACT, N_("Lease contract")),
        (e.DocumentType.SALARY_CERTIFICATE, N_("Salary certificate")),
        (e.DocumentType.MEDICAL_REPORT, N_("Medical report")),
        (e.DocumentType.BANK_LETTER, N_("Bank letter")),
        (e.DocumentType.OTHER, N_("Other document")),
        (e.ReferralStatus.OPEN, N_("Awaiting an answer")),
        (e.ReferralStatus.ANSWERED, N_("Answered")),
        (e.ReferralStatus.CLOSED, N_("Closed")),
        (e.FeedbackKind.SUGGESTION, N_("Suggestion")),
        (e.FeedbackKind.COMPLAINT, N_("Complaint")),
        (e.FeedbackStatus.OPEN, N_("Not yet assigned")),
        (e.FeedbackStatus.ASSIGNED, N_("Assigned")),
        (e.FeedbackStatus.ANSWERED, N_("Answered")),
        (e.FeedbackStatus.CLOSED, N_("Closed")),
        (e.ReferenceKind.BYLAWS, N_("The society's bylaws")),
        (e.ReferenceKind.RESEARCH_GUIDE, N_("Social research services guide")),
        (e.ReferenceKind.SUPPORT_POLICY_GUIDE, N_("Beneficiary support policy guide")),
        (e.ReferenceKind.SUPPORT_REQUEST_FORM, N_("Beneficiary support request form")),
        (e.ReferenceKind.RELATIONS_POLICY, N_("Beneficiary relations policy")),
        (e.DecisionOutcome.APPROVE, N_("Approve")),
        (e.DecisionOutcome.REJECT, N_("Reject")),
        (e.DecisionOutcome.NEED_INFO, N_("Ask for more information")),
        (e.ServiceType.CASH, N_("Cash assistance")),
        (e.ServiceType.FOOD_BASKET, N_("Food basket")),
        (e.ServiceType.RENT, N_("Rent")),
        (e.ServiceType.MEDICAL, N_("Medical")),
        (e.ServiceType.EDUCATION, N_("Education")),
        (e.ServiceType.IN_KIND, N_("In-kind")),
        (e.ServiceType.OTHER, N_("Other")),
    ]
)


def label(value: Enum | str, lang: str | None = None, gender: Gender | str | None = None) -> str:
    """The display name of an enum member (or of a bare value) in `lang`; the value itself if
    it has no label. `gender` is that of the person the value describes: a woman's marital
    status reads «عزباء», not «أعزب» (the feminine names are in the feminine catalogue,
    resources/translations/<lang>/feminine/labels.po); None for a value about no one."""
    text = LABELS.get(value)
    if text is not None:
        return translate_for(gender, text, lang)
    return str(value.value) if isinstance(value, Enum) else value
