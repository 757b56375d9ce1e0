"""The demo generator's shared ground: how often each status, channel and type occurs, the
small records a run keeps about its people and staff, and the random helpers (days, working
days, office hours) every part of a run draws from."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    IncomeSourceType,
    RegistrationStatus,
    RequestStatus,
    RequestType,
)
from db.models import (
    Beneficiary,
)
from romah_desktop.dates import to_hijri_parts
from romah_desktop.demo.vocabulary import FEMALE_NAMES, MALE_NAMES
from romah_desktop.services.context import Actor

T = TypeVar("T")

FIRST_NAMES = MALE_NAMES + FEMALE_NAMES

# --- distributions --------------------------------------------------------------------------

IQAMA_SHARE = 0.1
REQUEST_STATUS_WEIGHTS = {
    RequestStatus.DRAFT: 8,
    RequestStatus.SUBMITTED: 15,
    RequestStatus.NEEDS_INFO: 7,
    RequestStatus.APPROVED: 20,
    RequestStatus.REJECTED: 12,
    RequestStatus.FULFILLED: 30,
    RequestStatus.WITHDRAWN: 8,
}
CONTACT_CHANNEL_WEIGHTS = {
    Channel.INTERVIEW: 30,
    Channel.PHONE: 30,
    Channel.SOCIAL_MEDIA: 8,
    Channel.LETTER: 8,
    Channel.ASSISTANCE_REQUEST: 8,
    Channel.VOLUNTEERING: 4,
    Channel.WEBSITE: 6,
    Channel.BRANCH_DELEGATE: 6,
}
REQUEST_CHANNELS = (Channel.INTERVIEW, Channel.ASSISTANCE_REQUEST, Channel.WEBSITE)
FEEDBACK_CHANNELS = (Channel.INTERVIEW, Channel.PHONE, Channel.WEBSITE, Channel.SOCIAL_MEDIA)
REQUEST_TYPE_WEIGHTS = {
    RequestType.CASH: 25,
    RequestType.FOOD: 25,
    RequestType.RENT: 20,
    RequestType.MEDICAL: 10,
    RequestType.EDUCATION: 8,
    RequestType.IN_KIND: 8,
    RequestType.OTHER: 4,
}
REGISTRATION_WEIGHTS = {
    RegistrationStatus.REGISTERED: 70,
    RegistrationStatus.IN_PROGRESS: 18,
    RegistrationStatus.INQUIRY: 8,
    RegistrationStatus.SUSPENDED: 4,
}
# Income sources with their monthly range in riyals.
INCOME_RANGES = {
    IncomeSourceType.SALARY: (3000, 7000),
    IncomeSourceType.RETIREMENT: (2000, 6000),
    IncomeSourceType.SOCIAL_SECURITY: (800, 2500),
    IncomeSourceType.CITIZEN_ACCOUNT: (300, 1500),
    IncomeSourceType.CHARITY: (300, 1000),
    IncomeSourceType.OTHER: (200, 1500),
}
SAUDI_MOBILE_PREFIXES = "0345689"  # 050, 053, 054, 055, 056, 058, 059

# National IDs: n ↦ (n × STEP + shift) mod 10⁸ is a permutation of the 8 digits after the
# first (STEP is coprime with 10), so consecutive n give distinct, scattered-looking IDs.
ID_SPACE = 10**8
ID_STEP = 61_803_399

COMMITTEE_DAYS = "committee_answer_days"
FEEDBACK_DAYS = 14  # follow-up period of a suggestion or complaint
HOUR = 3600
RIYADH = timedelta(hours=3)


@dataclass
class Counts:
    beneficiaries: int = 0
    phones: int = 0
    household_members: int = 0
    income_sources: int = 0
    contacts: int = 0
    support_requests: int = 0
    committee_decisions: int = 0
    service_deliveries: int = 0
    document_checks: int = 0
    signed_declarations: int = 0
    research_referrals: int = 0
    satisfaction_surveys: int = 0
    feedback: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Staff:
    """Branch users who would have done each kind of work (the actor stands in for any role
    the branch has no user for)."""

    front_desk: list[str]
    committee: list[str]
    researchers: list[str]
    managers: list[str]


@dataclass
class Person:
    """What the related rows of one beneficiary need to know about them."""

    row: Beneficiary
    registered: date
    saudi: bool
    families: Sequence[str]  # family names of the person's nationality, for relatives
    categories: list[str]
    phone: str | None = None
    request_ids: list[str] = field(default_factory=list)
    submitted: bool = False  # has a request that went to the committee


class DemoRows:
    """The state of one run and its random helpers; `generator._Generator` sets it up."""

    session: Session
    actor: Actor
    rng: random.Random
    today: date
    latest: datetime
    counts: Counts
    answer_days: int
    staff: Staff
    committee: str
    letter_serial: int
    status_pool: list[RequestStatus]
    status_weights: list[int]
    channel_pool: list[Channel]
    channel_weights: list[int]
    type_pool: list[RequestType]
    type_weights: list[int]
    hijri_years: dict[int, int]
    first: list[Any]
    second: list[Any]

    # --- helpers ----------------------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day_between(self, first: date, last: date) -> date:
        """A random day from `first` to `last` (`first` itself when the range is empty)."""
        span = (last - first).days
        return first if span <= 0 else first + timedelta(days=self.rng.randrange(span + 1))

    def workday(self, day: date) -> date:
        """`day`, or the nearest working day when it falls on the Friday–Saturday weekend:
        Friday → Thursday, Saturday → Sunday unless that is after today, then Thursday.
        A working day on or after another working day stays on or after it."""
        weekday = day.weekday()
        if weekday == 4:
            return day - timedelta(days=1)
        if weekday == 5:
            return day + timedelta(days=1) if day < self.today else day - timedelta(days=2)
        return day

    def work_day_between(self, first: date, last: date) -> date:
        return self.workday(self.day_between(first, last))

    def later(self, start: date, low: int, high: int) -> date:
        """A working day `low`–`high` days after `start` (a working day), never after today."""
        return self.workday(min(start + timedelta(days=self.rng.randint(low, high)), self.today))

    def office_time(self, day: date) -> datetime:
        """A moment of the branch's working hours (08:00–15:00 in Riyadh) on `day`, or on the
        nearest working day, in UTC."""
        day = self.workday(day)
        local = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        moment = local - RIYADH + timedelta(seconds=self.rng.randrange(7 * HOUR))
        return min(moment, self.latest)

    def mobile(self) -> str:
        return f"+9665{self.pick(SAUDI_MOBILE_PREFIXES)}{self.rng.randrange(10**7):07d}"

    def hijri_year(self, day: date) -> int:
        if day.year not in self.hijri_years:
            self.hijri_years[day.year] = to_hijri_parts(date(day.year, 7, 1))[0]
        return self.hijri_years[day.year]


def cumulative(weights: dict[T, int]) -> tuple[list[T], list[int]]:
    """The items and cumulative weights for `random.choices(..., cum_weights=...)`."""
    items = list(weights)
    total = 0
    cumulative = []
    for item in items:
        total += weights[item]
        cumulative.append(total)
    return items, cumulative
