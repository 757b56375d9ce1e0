"""The domain's fixed vocabularies, stored as their string values."""

from enum import StrEnum


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    BRANCH_DELEGATE = "branch_delegate"
    SOCIAL_RESEARCHER = "social_researcher"
    COMMITTEE_MEMBER = "committee_member"
    BRANCH_MANAGER = "branch_manager"
    HQ_ADMIN = "hq_admin"


class Channel(StrEnum):
    """The policy's eight channels of contact with beneficiaries."""

    INTERVIEW = "interview"
    PHONE = "phone"
    SOCIAL_MEDIA = "social_media"
    LETTER = "letter"
    ASSISTANCE_REQUEST = "assistance_request"
    VOLUNTEERING = "volunteering"
    WEBSITE = "website"
    BRANCH_DELEGATE = "branch_delegate"


class IdType(StrEnum):
    NATIONAL_ID = "national_id"
    IQAMA = "iqama"


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"


class MaritalStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


class Category(StrEnum):
    WIDOW = "widow"
    ORPHAN = "orphan"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    LOW_INCOME = "low_income"
    DIVORCEE = "divorcee"
    PRISONER_FAMILY = "prisoner_family"


class HousingType(StrEnum):
    OWNED = "owned"
    RENTED = "rented"
    SHARED = "shared"
    CHARITY = "charity"
    OTHER = "other"


class IncomeSourceType(StrEnum):
    SALARY = "salary"
    RETIREMENT = "retirement"
    SOCIAL_SECURITY = "social_security"
    CITIZEN_ACCOUNT = "citizen_account"
    CHARITY = "charity"
    OTHER = "other"


class RegistrationStatus(StrEnum):
    INQUIRY = "inquiry"
    IN_PROGRESS = "in_progress"
    REGISTERED = "registered"
    SUSPENDED = "suspended"


class InterviewStep(StrEnum):
    """The policy's steps, in order."""

    RECEIVE = "receive"
    COLLECT_VERIFY = "collect_verify"
    REFER = "refer"
    DECLARE = "declare"
    INFORM = "inform"
    COMPLETE_REGISTRATION = "complete_registration"
    DELIVER_SERVICE = "deliver_service"


class DocumentType(StrEnum):
    NATIONAL_ID_CARD = "national_id_card"
    IQAMA = "iqama"
    FAMILY_CARD = "family_card"
    DEATH_CERTIFICATE = "death_certificate"
    DIVORCE_DEED = "divorce_deed"
    LEASE_CONTRACT = "lease_contract"
    SALARY_CERTIFICATE = "salary_certificate"
    MEDICAL_REPORT = "medical_report"
    BANK_LETTER = "bank_letter"
    OTHER = "other"


class RequestType(StrEnum):
    CASH = "cash"
    FOOD = "food"
    RENT = "rent"
    MEDICAL = "medical"
    EDUCATION = "education"
    IN_KIND = "in_kind"
    OTHER = "other"


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"


class ReferralStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class DecisionOutcome(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    NEED_INFO = "need_info"


class ServiceType(StrEnum):
    CASH = "cash"
    FOOD_BASKET = "food_basket"
    RENT = "rent"
    MEDICAL = "medical"
    EDUCATION = "education"
    IN_KIND = "in_kind"
    OTHER = "other"


class FeedbackKind(StrEnum):
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"


class FeedbackStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    CLOSED = "closed"


class ReferenceKind(StrEnum):
    BYLAWS = "bylaws"
    RESEARCH_GUIDE = "research_guide"
    SUPPORT_POLICY_GUIDE = "support_policy_guide"
    SUPPORT_REQUEST_FORM = "support_request_form"
    RELATIONS_POLICY = "relations_policy"
