"""What a write changed, as the screens are told of it: a kind of record, typed.

After a write the window announces the set of `Change`s it made; each screen refreshes when the
set meets the kinds it shows. A misspelt kind is an AttributeError where it is written, never a
screen that silently stays stale.
"""

from __future__ import annotations

from enum import Enum


class Change(Enum):
    """A kind of record a write may have touched."""

    BENEFICIARY = "beneficiary"
    DOCUMENT = "document"
    CONTACT = "contact"
    INTERVIEW = "interview"
    REFERRAL = "referral"
    RESEARCH = "research"
    DECLARATION = "declaration"
    REQUEST = "request"
    MEETING = "meeting"
    DECISION = "decision"
    ESCALATION = "escalation"
    DELIVERY = "delivery"
    PRINT = "print"
    FEEDBACK = "feedback"
    SURVEY = "survey"
    LIBRARY = "library"
    USER = "user"
    SETTINGS = "settings"
    AUDIT = "audit"
    SYNC = "sync"


# Everything a pull, or a settled conflict, may have brought: every screen looks again.
EVERYTHING = frozenset(Change)
