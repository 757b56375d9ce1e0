"""Realistic Arabic demo data: people, households, contacts and the whole request workflow.

This module runs the generator and makes each person's file (household, incomes, phones,
documents, declaration); `workflow` makes their dealings with the branch (contacts, requests,
decisions, deliveries, surveys, referrals, feedback) and `base` holds what both share.

An administrator's tool for training, demonstrations and benchmarks. Everything is written
through the ORM in chunks, so every row is stamped, indexed for search and recorded in the
outbox exactly as if staff had typed it, and one audit event records the run.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    Category,
    DocumentType,
    Gender,
    HousingType,
    IdType,
    IncomeSourceType,
    MaritalStatus,
    RegistrationStatus,
    Role,
)
from db.ids import new_id
from db.models import (
    Beneficiary,
    BeneficiaryPhone,
    DocumentCheck,
    HouseholdMember,
    IncomeSource,
    SignedDeclaration,
    SupportRequest,
    User,
)
from db.outbox import to_json_value
from romah_desktop import settings
from romah_desktop.demo.base import (
    COMMITTEE_DAYS,
    CONTACT_CHANNEL_WEIGHTS,
    ID_SPACE,
    ID_STEP,
    INCOME_RANGES,
    IQAMA_SHARE,
    REGISTRATION_WEIGHTS,
    REQUEST_STATUS_WEIGHTS,
    REQUEST_TYPE_WEIGHTS,
    RIYADH,
    Counts,
    Person,
    Staff,
    cumulative,
)
from romah_desktop.demo.vocabulary import (
    BANK_CODES,
    BRANCH_CITIES,
    CITIES,
    COMMITTEE_NAMES,
    EXPATRIATES,
    FEMALE_NAMES,
    HOUSING_NOTES,
    MALE_NAMES,
    SAUDI,
    SAUDI_FAMILIES,
    STREETS,
)
from romah_desktop.demo.workflow import WorkflowRows
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor, this_device
from romah_desktop.services.intake.declarations import declaration_hash
from romah_desktop.services.intake.views import declaration_template
from romah_desktop.services.numbers import reserve_file_numbers
from romah_desktop.services.people.beneficiaries import stored_values
from romah_desktop.validation import make_iban, make_national_id

__all__ = ["CHUNK", "generate"]

CHUNK = 1000  # beneficiaries per chunk: ~10,000 rows, a few MB of pending objects
T = TypeVar("T")

_NOT_DECLARED = frozenset({"notes"})  # staff's notes are not part of what a person declares


def generate(
    session: Session,
    actor: Actor,
    beneficiaries: int,
    *,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Add `beneficiaries` demo people with their households, contacts, requests and the rest
    of the workflow to the actor's branch, in the caller's transaction; return the number of
    rows added per kind.

    Dates fall in the five years up to `today` (default: the current date). The same seed and
    `today` on the same database give the same people; national IDs never collide with live
    files, so running it again adds more people. Writes one audit event ("demo.generate",
    with the counts). Raises PermissionDenied unless the actor may import data (an
    administrator's tool), ValueError for a negative count.
    """
    actor.require(Permission.IMPORT_DATA)
    if beneficiaries < 0:
        raise ValueError(f"the number of beneficiaries cannot be negative: {beneficiaries}")
    generator = _Generator(session, actor, seed, today or date.today())
    for start in range(0, beneficiaries, CHUNK):
        size = min(CHUNK, beneficiaries - start)
        first, second = generator.chunk(size)
        # Two flushes: the models declare no relationship(), so the ORM orders a flush's
        # INSERTs by class name, which would put e.g. CommitteeDecision before the
        # SupportRequest it points at. The first holds people, contacts and requests; the
        # second the rows that point at a request or a contact.
        session.add_all(first)
        session.flush()
        session.add_all(second)
        session.flush()
        if progress is not None:
            progress(start + size, beneficiaries)
    counts = generator.counts.as_dict()
    audit.record(
        session, actor, "demo.generate", "branch", actor.branch_id, {"seed": seed, **counts}
    )
    session.flush()
    return counts


class _Generator(WorkflowRows):
    """Makes the rows of one run, chunk by chunk, from one random stream."""

    def __init__(self, session: Session, actor: Actor, seed: int, today: date) -> None:
        self.session = session
        self.actor = actor
        self.rng = random.Random(seed)
        self.today = today
        # No moment after the end of `today` in Riyadh, nor after now.
        end_of_today = datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)
        self.latest = min(end_of_today - RIYADH, datetime.now(UTC))
        self.counts = Counts()
        self.answer_days = settings.get_int(session, COMMITTEE_DAYS)
        self.staff = _load_staff(session, actor)
        home = BRANCH_CITIES.get(this_device(session).branch_code)
        cities = list(CITIES)
        self.cities, self.city_weights = cumulative(
            {c: (len(cities) * 3 if c == home else 1) for c in cities}
        )
        self.committee = "، ".join(self.rng.sample(COMMITTEE_NAMES, 3))
        # IDs continue after the people already stored, so a second run starts elsewhere in
        # the permutation; the few that still collide (another seed's) are skipped per chunk.
        self.id_shift = self.rng.randrange(ID_SPACE)
        self.next_id_n = _count(session, Beneficiary)
        self.next_member_n = _count(session, HouseholdMember)
        self.letter_serial = self.rng.randrange(1000, 5000)
        self.status_pool, self.status_weights = cumulative(REQUEST_STATUS_WEIGHTS)
        self.channel_pool, self.channel_weights = cumulative(CONTACT_CHANNEL_WEIGHTS)
        self.type_pool, self.type_weights = cumulative(REQUEST_TYPE_WEIGHTS)
        self.reg_pool, self.reg_weights = cumulative(REGISTRATION_WEIGHTS)
        self.hijri_years: dict[int, int] = {}
        self.first: list[Any] = []
        self.second: list[Any] = []

    def national_ids(self, first_digits: list[str]) -> list[str]:
        """One unused ID per first digit ("1" national ID, "2" Iqama), in one query."""
        result: list[str | None] = [None] * len(first_digits)
        pending = list(range(len(first_digits)))
        while pending:
            candidates: dict[int, str] = {}
            for index in pending:
                body = (self.next_id_n * ID_STEP + self.id_shift) % ID_SPACE
                self.next_id_n += 1
                candidates[index] = make_national_id(f"{first_digits[index]}{body:08d}")
            with self.session.no_autoflush:
                taken = set(
                    self.session.scalars(
                        sa.select(Beneficiary.national_id).where(
                            Beneficiary.national_id.in_(list(candidates.values())),
                            Beneficiary.deleted_at.is_(None),
                        )
                    )
                )
            pending = []
            for index, candidate in candidates.items():
                if candidate in taken:
                    pending.append(index)
                else:
                    result[index] = candidate
        return [r for r in result if r is not None]

    def member_id(self, first_digit: str) -> str:
        # Counted down from the top of the permutation, away from the beneficiaries' IDs.
        self.next_member_n += 1
        body = ((ID_SPACE - self.next_member_n) * ID_STEP + self.id_shift) % ID_SPACE
        return make_national_id(f"{first_digit}{body:08d}")

    # --- one chunk --------------------------------------------------------------------------

    def chunk(self, size: int) -> tuple[list[Any], list[Any]]:
        """The rows of `size` new beneficiaries and everything about them: those that point
        only at people, and those that point at a request or a contact."""
        saudi = [not self.chance(IQAMA_SHARE) for _ in range(size)]
        ids = self.national_ids(["1" if s else "2" for s in saudi])
        numbers = reserve_file_numbers(self.session, size)
        self.first, self.second = [], []
        requests: list[SupportRequest] = []
        for national_id, file_number, is_saudi in zip(ids, numbers, saudi, strict=True):
            person = self.person(national_id, file_number, is_saudi)
            self.contacts(person)
            # Someone who only asked about the society has no request yet.
            if person.row.registration_status is not RegistrationStatus.INQUIRY:
                for _ in range(self.pick((0, 0, 0, 0, 0, 1, 1, 1, 2))):
                    requests.append(self.request(person))
            self.documents(person)
            self.declaration(person)
            if self.chance(0.04):
                self.referral(person)
            if self.chance(0.025):
                self.feedback(person.row.id, person.registered)
        if self.chance(0.2 * size / CHUNK + 0.01):
            self.feedback(None, self.today - timedelta(days=400))
        self.number_requests(requests)
        return self.first, self.second

    def person(self, national_id: str, file_number: str, saudi: bool) -> Person:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.62 else Gender.MALE
        born = self.day_between(date(1930, 1, 1), date(2010, 12, 31))
        age = (self.today - born).days // 365
        marital, categories = self.situation(gender, age)
        families: Sequence[str]
        if saudi:
            nationality, families = SAUDI, SAUDI_FAMILIES
        else:
            nationality, families = self.pick(EXPATRIATES)
        first_names = FEMALE_NAMES if gender is Gender.FEMALE else MALE_NAMES
        first, father, grandfather, family = self.full_name(first_names, families).split(" ", 3)
        city = rng.choices(self.cities, cum_weights=self.city_weights)[0]
        district = self.pick(CITIES[city])
        housing = self.pick(
            (HousingType.RENTED,) * 5
            + (HousingType.OWNED,) * 2
            + (HousingType.SHARED, HousingType.CHARITY, HousingType.OTHER)
        )
        registered = self.work_day_between(self.today - timedelta(days=5 * 365), self.today)
        status = rng.choices(self.reg_pool, cum_weights=self.reg_weights)[0]
        row = Beneficiary(
            id=new_id(),
            file_number=file_number,
            branch_id=self.actor.branch_id,
            first_name=first,
            father_name=father,
            grandfather_name=grandfather,
            family_name=family,
            national_id=national_id,
            id_type=IdType.NATIONAL_ID if saudi else IdType.IQAMA,
            gender=gender,
            birth_date=born,
            nationality=nationality,
            marital_status=marital,
            city=city,
            district=district,
            address=f"حي {district}، {self.pick(STREETS)}، مبنى {rng.randint(1, 9999)}",
            categories=categories,
            housing_type=housing,
            monthly_rent_halalas=(
                rng.randrange(800, 4000, 50) * 100 if housing is HousingType.RENTED else None
            ),
            iban=make_iban(self.pick(BANK_CODES) + f"{rng.randrange(10**18):018d}")
            if rng.random() < 0.6
            else None,
            registration_status=status,
            notes=self.pick(HOUSING_NOTES) if rng.random() < 0.1 else None,
            field_versions={},
            created_at=self.office_time(registered),
        )
        self.first.append(row)
        self.counts.beneficiaries += 1
        person = Person(row, registered, saudi, families, categories)
        row.household_size = 1 + self.household(person, age, marital)
        row.monthly_income_halalas = self.incomes(person, age)
        self.phones(person)
        return person

    def situation(self, gender: Gender, age: int) -> tuple[MaritalStatus, list[str]]:
        """A marital status and support categories that fit together and with the age."""
        rng = self.rng
        categories: set[str] = set()
        if age < 20:
            marital = MaritalStatus.SINGLE
            if rng.random() < 0.6:
                categories.add(Category.ORPHAN)
        elif gender is Gender.FEMALE:
            marital = self.pick(
                (MaritalStatus.WIDOWED,) * 3
                + (MaritalStatus.DIVORCED,) * 2
                + (MaritalStatus.MARRIED,) * 3
                + (MaritalStatus.SINGLE,)
            )
            if marital is MaritalStatus.WIDOWED:
                categories.add(Category.WIDOW)
            elif marital is MaritalStatus.DIVORCED:
                categories.add(Category.DIVORCEE)
            elif marital is MaritalStatus.MARRIED and rng.random() < 0.15:
                categories.add(Category.PRISONER_FAMILY)
        else:
            marital = self.pick(
                (MaritalStatus.MARRIED,) * 6
                + (MaritalStatus.SINGLE, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED)
            )
        if age >= 60:
            categories.add(Category.ELDERLY)
        if rng.random() < 0.08:
            categories.add(Category.DISABLED)
        if not categories or rng.random() < 0.3:
            categories.add(Category.LOW_INCOME)
        return marital, sorted(categories)

    def household(self, person: Person, age: int, marital: MaritalStatus) -> int:
        """Add the people living with the beneficiary; return how many."""
        row = person.row
        assert row.birth_date is not None
        born = row.birth_date
        members: list[tuple[str, str, Gender, date]] = []
        own = (row.first_name, row.father_name, row.family_name)
        if marital is MaritalStatus.SINGLE:
            # Living with the mother (if she is alive) and brothers and sisters, who share the
            # beneficiary's father, grandfather and family name.
            if age < 60 and self.rng.random() < (0.9 if age < 25 else 0.5):
                mother = self.full_name(FEMALE_NAMES, person.families)
                mother_born = self.birth_near(born - timedelta(days=27 * 365), 6)
                members.append((mother, "أم", Gender.FEMALE, mother_born))
            children = self.pick((1, 1, 2, 2, 3, 4) if age < 25 else (0, 0, 1, 2))
            parents_born = born - timedelta(days=27 * 365)
            names = (row.father_name, row.grandfather_name, row.family_name)
            son, daughter = "أخ", "أخت"
        else:
            if row.gender is Gender.MALE:
                names = own
                if marital is MaritalStatus.MARRIED:
                    wife = self.full_name(FEMALE_NAMES, person.families)
                    members.append((wife, "زوجة", Gender.FEMALE, self.birth_near(born, 8)))
            else:
                # A mother's children carry their father's names, not hers.
                husband = self.full_name(MALE_NAMES, person.families).split(" ", 3)
                names = (husband[0], husband[1], husband[3])
                at_home = Category.PRISONER_FAMILY not in person.categories
                if marital is MaritalStatus.MARRIED and at_home and self.rng.random() < 0.7:
                    husband_born = self.birth_near(born + timedelta(days=5 * 365), 5)
                    members.append((" ".join(husband), "زوج", Gender.MALE, husband_born))
            children = self.pick((0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6))
            if age >= 60 and marital is MaritalStatus.WIDOWED:
                children = min(children, 2)  # most grown-up children have left home
            parents_born = born
            son, daughter = "ابن", "ابنة"
        for _ in range(children):
            child_born = self.day_between(
                max(parents_born + timedelta(days=20 * 365), date(1930, 1, 1)),
                min(parents_born + timedelta(days=45 * 365), self.today),
            )
            if child_born > self.today:
                continue  # a beneficiary too young for children
            gender = Gender.MALE if self.rng.random() < 0.5 else Gender.FEMALE
            first = self.pick(MALE_NAMES if gender is Gender.MALE else FEMALE_NAMES)
            relation = son if gender is Gender.MALE else daughter
            members.append((" ".join((first, *names)), relation, gender, child_born))
        for full_name, relation, gender, member_born in members:
            member_age = (self.today - member_born).days // 365
            self.first.append(
                HouseholdMember(
                    id=new_id(),
                    beneficiary_id=row.id,
                    full_name=full_name,
                    relationship=relation,
                    gender=gender,
                    birth_date=member_born,
                    # ID cards are issued from fifteen; younger children are on the family card.
                    national_id=(
                        self.member_id("1" if person.saudi else "2") if member_age >= 15 else None
                    ),
                    is_dependent=member_age < 18 or relation in ("زوجة", "أم"),
                    has_disability=self.rng.random() < 0.04,
                    in_education=6 <= member_age <= 22 and self.rng.random() < 0.9,
                    field_versions={},
                    created_at=row.created_at,
                )
            )
        self.counts.household_members += len(members)
        return len(members)

    def full_name(self, first_names: Sequence[str], families: Sequence[str]) -> str:
        """A four-part name: first, father's, grandfather's and family name."""
        father = self.pick(MALE_NAMES)
        grandfather = self.pick(MALE_NAMES)
        while grandfather == father:
            grandfather = self.pick(MALE_NAMES)
        return f"{self.pick(first_names)} {father} {grandfather} {self.pick(families)}"

    def birth_near(self, born: date | None, years: int) -> date:
        assert born is not None
        day = born + timedelta(days=self.rng.randint(-years * 365, years * 365))
        return min(max(day, date(1930, 1, 1)), self.today - timedelta(days=16 * 365))

    def incomes(self, person: Person, age: int) -> int:
        """Add the household's income sources; return their monthly total in halalas."""
        rng = self.rng
        sources: list[IncomeSourceType] = []
        if person.saudi:
            if rng.random() < 0.4:
                sources.append(IncomeSourceType.SOCIAL_SECURITY)
            if rng.random() < 0.3:
                sources.append(IncomeSourceType.CITIZEN_ACCOUNT)
            if age >= 60 and rng.random() < 0.4:
                sources.append(IncomeSourceType.RETIREMENT)
        if 20 <= age < 60 and rng.random() < 0.2:
            sources.append(IncomeSourceType.SALARY)
        if rng.random() < 0.08:
            sources.append(IncomeSourceType.CHARITY)
        if rng.random() < 0.05:
            sources.append(IncomeSourceType.OTHER)
        total = 0
        for source in sources:
            low, high = INCOME_RANGES[source]
            amount = rng.randrange(low, high + 1, 50) * 100
            total += amount
            self.first.append(
                IncomeSource(
                    id=new_id(),
                    beneficiary_id=person.row.id,
                    source=source,
                    monthly_amount_halalas=amount,
                    notes="الضمان الاجتماعي المطور"
                    if source is IncomeSourceType.SOCIAL_SECURITY
                    else None,
                    field_versions={},
                    created_at=person.row.created_at,
                )
            )
        self.counts.income_sources += len(sources)
        return total

    def phones(self, person: Person) -> None:
        if self.rng.random() < 0.97:
            self.first.append(self.phone(person, True, None))
            person.phone = self.first[-1].number
            if self.rng.random() < 0.1:
                self.first.append(self.phone(person, False, self.pick(("رقم آخر", "أحد الأبناء"))))

    def phone(self, person: Person, primary: bool, label: str | None) -> BeneficiaryPhone:
        self.counts.phones += 1
        return BeneficiaryPhone(
            id=new_id(),
            beneficiary_id=person.row.id,
            number=self.mobile(),
            label=label,
            is_primary=primary,
            field_versions={},
            created_at=person.row.created_at,
        )

    def documents(self, person: Person) -> None:
        rng = self.rng
        row = person.row
        if rng.random() < 0.35:
            checked = person.registered
            if row.registration_status is not RegistrationStatus.REGISTERED and rng.random() < 0.15:
                # An ID that had expired when it was handed in: flagged, not accepted, and the
                # reason the file's registration is not complete.
                expiry = checked - timedelta(days=rng.randint(1, 400))
                valid = False
            else:
                expiry = checked + timedelta(days=rng.randint(30, 3000 if person.saudi else 360))
                valid = True
            issue = expiry - timedelta(days=3652 if person.saudi else 365)
            self.second.append(
                self.document(
                    person,
                    DocumentType.NATIONAL_ID_CARD if person.saudi else DocumentType.IQAMA,
                    row.national_id,
                    issue,
                    expiry,
                    checked,
                    valid,
                    None if valid else "الهوية منتهية، طُلب من المستفيد تجديدها",
                )
            )
        extra = {
            Category.WIDOW: DocumentType.DEATH_CERTIFICATE,
            Category.DIVORCEE: DocumentType.DIVORCE_DEED,
            Category.DISABLED: DocumentType.MEDICAL_REPORT,
        }
        for category in person.categories:
            doc_type = extra.get(Category(category))
            if doc_type is not None and rng.random() < 0.3:
                self.second.append(
                    self.document(person, doc_type, None, None, None, None, True, None)
                )
        if row.housing_type is HousingType.RENTED and rng.random() < 0.15:
            checked = self.work_day_between(person.registered, self.today)
            self.second.append(
                self.document(
                    person,
                    DocumentType.LEASE_CONTRACT,
                    f"{rng.randrange(10**10):010d}",
                    checked - timedelta(days=rng.randint(0, 300)),
                    checked + timedelta(days=rng.randint(30, 365)),
                    checked,
                    True,
                    None,
                )
            )
        if row.iban is not None and rng.random() < 0.1:
            self.second.append(
                self.document(person, DocumentType.BANK_LETTER, None, None, None, None, True, None)
            )

    def declaration(self, person: Person) -> None:
        """The signed declaration of the file's data, which the app requires before a request
        goes to the committee and before registration is completed."""
        status = person.row.registration_status
        registered = status in (RegistrationStatus.REGISTERED, RegistrationStatus.SUSPENDED)
        if not (registered or person.submitted):
            return
        row = person.row
        # The same snapshot as intake.declared_snapshot, made from the values in hand rather
        # than one query per person.
        data = {
            key: to_json_value(value)
            for key, value in stored_values(row).items()
            if key not in _NOT_DECLARED
        }
        data["file_number"] = row.file_number
        data["phone"] = person.phone
        # The words the app shows the person to sign: in Arabic, worded for their gender.
        text = declaration_template("ar", row.gender).format(
            full_name=row.full_name, national_id=row.national_id, file_number=row.file_number
        )
        self.second.append(
            SignedDeclaration(
                id=new_id(),
                beneficiary_id=row.id,
                request_id=None,
                text=text,
                declared_data=data,
                signature_sha256=None,  # signed on paper
                content_sha256=declaration_hash(data, text, None),
                signer_name=row.full_name,
                signed_at=row.created_at,
                recorded_by_user_id=self.pick(self.staff.front_desk),
                supersedes_id=None,
                field_versions={},
                created_at=row.created_at,
            )
        )
        self.counts.signed_declarations += 1

    def document(
        self,
        person: Person,
        doc_type: DocumentType,
        number: str | None,
        issued: date | None,
        expires: date | None,
        checked: date | None,
        valid: bool,
        notes: str | None,
    ) -> DocumentCheck:
        on = checked or self.work_day_between(person.registered, self.today)
        self.counts.document_checks += 1
        return DocumentCheck(
            id=new_id(),
            beneficiary_id=person.row.id,
            # Documents handed in with a request are checked against it.
            request_id=person.request_ids[0] if person.request_ids and self.chance(0.5) else None,
            doc_type=doc_type,
            number=number,
            issue_date=issued,
            expiry_date=expires,
            checked_on=on,
            valid_on_submission=valid,
            verified_by_user_id=self.pick(self.staff.front_desk),
            attachment_sha256=None,
            notes=notes,
            field_versions={},
            created_at=self.office_time(on),
        )


def _count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _load_staff(session: Session, actor: Actor) -> Staff:
    users = session.execute(
        sa.select(User.id, User.role)
        .where(User.branch_id == actor.branch_id, User.active.is_(True), User.deleted_at.is_(None))
        .order_by(User.username)
    ).all()

    def with_roles(*roles: Role) -> list[str]:
        return [u.id for u in users if u.role in roles] or [actor.user_id]

    return Staff(
        front_desk=with_roles(Role.INTERVIEWER, Role.BRANCH_DELEGATE, Role.BRANCH_MANAGER),
        committee=with_roles(Role.COMMITTEE_MEMBER),
        researchers=with_roles(Role.SOCIAL_RESEARCHER),
        managers=with_roles(Role.BRANCH_MANAGER, Role.HQ_ADMIN),
    )
