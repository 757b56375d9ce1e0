"""All tables. Importing this package registers every model on `Base.metadata`."""

from db.models.local import LocalState, NumberSequence, OutboxEntry
from db.models.papers import PrintedPaper
from db.models.people import Beneficiary, BeneficiaryPhone, HouseholdMember, IncomeSource
from db.models.sync import SyncConflict, SyncQuarantine
from db.models.system import AuditEvent, Branch, Device, User
from db.models.workflow import (
    Attachment,
    CommitteeDecision,
    CommitteeMeeting,
    Contact,
    DeadlineEscalation,
    DeadlinePause,
    DocumentCheck,
    Feedback,
    Interview,
    PrintQueueItem,
    ReferenceDocument,
    ResearchReferral,
    ResearchReport,
    SatisfactionSurvey,
    ServiceDelivery,
    SignedDeclaration,
    SupportRequest,
)

__all__ = [
    "Attachment",
    "AuditEvent",
    "Beneficiary",
    "BeneficiaryPhone",
    "Branch",
    "CommitteeDecision",
    "CommitteeMeeting",
    "Contact",
    "DeadlineEscalation",
    "DeadlinePause",
    "Device",
    "DocumentCheck",
    "Feedback",
    "HouseholdMember",
    "IncomeSource",
    "Interview",
    "LocalState",
    "NumberSequence",
    "OutboxEntry",
    "PrintQueueItem",
    "PrintedPaper",
    "ReferenceDocument",
    "ResearchReferral",
    "ResearchReport",
    "SatisfactionSurvey",
    "ServiceDelivery",
    "SignedDeclaration",
    "SupportRequest",
    "SyncConflict",
    "SyncQuarantine",
    "User",
]
