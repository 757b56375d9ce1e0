"""Tests of the demo data generator: plausible people, the whole workflow, every row in the
outbox, administrators only, and repeatable runs that never collide."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.orm import Session

from db.enums import (
    Category,
    Channel,
    DecisionOutcome,
    Gender,
    IdType,
    MaritalStatus,
    RegistrationStatus,
    RequestStatus,
    Role,
)
from db.models import (
    AuditEvent,
    Beneficiary,
    BeneficiaryPhone,
    CommitteeDecision,
    Contact,
    DocumentCheck,
    Feedback,
    HouseholdMember,
    IncomeSource,
    OutboxEntry,
    ResearchReferral,
    SatisfactionSurvey,
    ServiceDelivery,
    SignedDeclaration,
    SupportRequest,
)
from romah_desktop.cli import main
from romah_desktop.demo import generator as demo
from romah_desktop.demo import vocabulary as demo_data
from romah_desktop.demo.generator import generate
from romah_desktop.errors import PermissionDenied
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import current_declaration, verify_declaration
from romah_desktop.services.people.beneficiaries import find_people
from romah_desktop.validation import (
    format_mobile_local,
    validate_iban,
    validate_mobile,
    validate_national_id,
)
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD

TODAY = date(2026, 3, 15)
PEOPLE = 300
COUNTED: dict[str, type[Any]] = {
    "beneficiaries": Beneficiary,
    "phones": BeneficiaryPhone,
    "household_members": HouseholdMember,
    "income_sources": IncomeSource,
    "contacts": Contact,
    "support_requests": SupportRequest,
    "committee_decisions": CommitteeDecision,
    "service_deliveries": ServiceDelivery,
    "document_checks": DocumentCheck,
    "signed_declarations": SignedDeclaration,
    "research_referrals": ResearchReferral,
    "satisfaction_surveys": SatisfactionSurvey,
    "feedback": Feedback,
}


def count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def table_counts(session: Session) -> dict[str, int]:
    return {key: count(session, model) for key, model in COUNTED.items()}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Actor]]:
    """One workspace with PEOPLE demo people, for the checks that only read."""
    ws = Workspace.create(
        tmp_path_factory.mktemp("demo") / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD
    )
    admin = ws.login("admin", ADMIN_PASSWORD)
    yield ws, admin
    ws.close()


@pytest.fixture(scope="module")
def counts(shared: tuple[Workspace, Actor]) -> dict[str, int]:
    ws, admin = shared
    with ws.transaction() as session:
        return generate(session, admin, PEOPLE, seed=7, today=TODAY)


@pytest.fixture
def session(shared: tuple[Workspace, Actor], counts: dict[str, int]) -> Iterator[Session]:
    with shared[0].db.session() as s:
        yield s


# --- what one run writes --------------------------------------------------------------------


def test_the_counts_returned_match_the_database(session: Session, counts: dict[str, int]) -> None:
    assert set(counts) == set(COUNTED)
    assert table_counts(session) == counts
    assert counts["beneficiaries"] == PEOPLE


def test_the_ratios_are_those_of_a_real_branch(counts: dict[str, int]) -> None:
    assert 2.5 <= counts["household_members"] / PEOPLE <= 3.5
    assert 2.0 <= counts["contacts"] / PEOPLE <= 3.0
    assert 0.35 <= counts["support_requests"] / PEOPLE <= 0.65
    for key in COUNTED:
        assert counts[key] > 0, key


def test_every_request_status_and_every_channel_appears(session: Session) -> None:
    statuses = set(session.scalars(sa.select(SupportRequest.status).distinct()))
    channels = set(session.scalars(sa.select(Contact.channel).distinct()))
    assert statuses == set(RequestStatus)
    assert channels == set(Channel)


def test_every_national_id_validates_and_matches_the_nationality(session: Session) -> None:
    people = session.execute(
        sa.select(Beneficiary.national_id, Beneficiary.id_type, Beneficiary.nationality)
    ).all()
    assert len({p.national_id for p in people}) == len(people)
    for national_id, id_type, nationality in people:
        assert validate_national_id(national_id) == (national_id, id_type)
        assert (nationality == demo_data.SAUDI) == (id_type is IdType.NATIONAL_ID)
    assert {p.id_type for p in people} == set(IdType)  # some Iqama holders too
    members = session.scalars(
        sa.select(HouseholdMember.national_id).where(HouseholdMember.national_id.is_not(None))
    ).all()
    assert members
    for member_id in members:
        assert member_id is not None
        validate_national_id(member_id)


def test_people_are_plausible(session: Session) -> None:
    members: dict[str, int] = dict(
        session.execute(
            sa.select(HouseholdMember.beneficiary_id, sa.func.count()).group_by(
                HouseholdMember.beneficiary_id
            )
        ).all()
    )
    incomes: dict[str, int] = dict(
        session.execute(
            sa.select(
                IncomeSource.beneficiary_id, sa.func.sum(IncomeSource.monthly_amount_halalas)
            ).group_by(IncomeSource.beneficiary_id)
        ).all()
    )
    for person in session.scalars(sa.select(Beneficiary)):
        names = demo_data.FEMALE_NAMES if person.gender is Gender.FEMALE else demo_data.MALE_NAMES
        assert person.first_name in names
        assert person.father_name in demo_data.MALE_NAMES
        assert person.grandfather_name in demo_data.MALE_NAMES
        assert len(person.full_name.split()) >= 4
        assert person.birth_date is not None
        assert date(1930, 1, 1) <= person.birth_date <= date(2010, 12, 31)
        assert person.city in demo_data.CITIES
        assert person.district in demo_data.CITIES[person.city]
        assert person.household_size == 1 + members.get(person.id, 0)
        assert person.monthly_income_halalas == incomes.get(person.id, 0)
        assert set(person.categories) <= {c.value for c in Category}
        assert person.categories
        if Category.WIDOW in person.categories:
            assert person.gender is Gender.FEMALE
            assert person.marital_status is MaritalStatus.WIDOWED
        if person.iban is not None:
            assert validate_iban(person.iban) == person.iban
    for number in session.scalars(sa.select(BeneficiaryPhone.number)):
        assert validate_mobile(number) == number


def test_the_workflow_follows_the_policy(session: Session) -> None:
    requests = session.scalars(sa.select(SupportRequest)).all()
    decisions = {d.request_id: d for d in session.scalars(sa.select(CommitteeDecision))}
    delivered = set(session.scalars(sa.select(ServiceDelivery.request_id)))
    pattern = re.compile(r"^RYD-[0-9A-F]{4}-\d{4}-\d{5}$")
    assert len({r.request_number for r in requests}) == len(requests)
    for request in requests:
        assert pattern.match(request.request_number), request.request_number
        if request.status is RequestStatus.DRAFT:
            assert request.submitted_at is None and request.committee_due_on is None
        if request.submitted_at is not None:
            # Working hours in Riyadh fall on the same day in UTC.
            submitted_day = request.submitted_at.date()
            assert request.committee_due_on == submitted_day + timedelta(days=14)
        if request.status in (RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO):
            assert request.submitted_at is not None
        expected = {
            RequestStatus.APPROVED: DecisionOutcome.APPROVE,
            RequestStatus.FULFILLED: DecisionOutcome.APPROVE,
            RequestStatus.REJECTED: DecisionOutcome.REJECT,
            RequestStatus.NEEDS_INFO: DecisionOutcome.NEED_INFO,
        }.get(request.status)
        if expected is None:
            assert request.id not in decisions
        else:
            decision = decisions[request.id]
            assert decision.outcome is expected
            assert request.submitted_at is not None
            assert decision.decided_on >= request.submitted_at.date()
            assert decision.decided_on <= TODAY
        assert (request.id in delivered) == (request.status is RequestStatus.FULFILLED)


def test_the_office_works_sunday_to_thursday_from_eight_to_three(session: Session) -> None:
    riyadh = timedelta(hours=3)
    moments = [
        *session.scalars(sa.select(Contact.occurred_at)),
        *session.scalars(
            sa.select(SupportRequest.submitted_at).where(SupportRequest.submitted_at.is_not(None))
        ),
    ]
    days = [
        *session.scalars(sa.select(CommitteeDecision.decided_on)),
        *session.scalars(sa.select(ServiceDelivery.delivered_on)),
        *session.scalars(sa.select(DocumentCheck.checked_on)),
    ]
    for moment in moments:
        assert moment is not None
        local = moment + riyadh
        assert local.weekday() not in (4, 5), moment  # Friday, Saturday
        # A request may be submitted up to 20 minutes after a file opened just before three.
        assert time(8) <= local.time() <= time(15, 20), moment
    for day in days:
        assert day.weekday() not in (4, 5), day


def test_children_carry_their_fathers_names(session: Session) -> None:
    rows = session.execute(
        sa.select(Beneficiary, HouseholdMember.full_name)
        .join(HouseholdMember, HouseholdMember.beneficiary_id == Beneficiary.id)
        .where(Beneficiary.gender == Gender.MALE, HouseholdMember.relationship.in_(("ابن", "ابنة")))
    ).all()
    assert rows
    for father, child in rows:
        assert child.split(" ", 1)[1] == f"{father.first_name} {father.father_name} " + (
            father.family_name
        )


def test_letters_carry_a_reference_and_a_date(session: Session) -> None:
    for contact in session.scalars(sa.select(Contact)):
        is_letter = contact.channel is Channel.LETTER
        assert (contact.letter_reference is not None) == is_letter
        assert (contact.letter_date is not None) == is_letter
        if contact.letter_date is not None:
            assert contact.letter_date <= contact.occurred_at.date()
        assert (contact.beneficiary_id is None) == (contact.inquirer_name is not None)


def test_a_few_documents_had_expired_and_none_of_a_registered_person(session: Session) -> None:
    expired = session.execute(
        sa.select(DocumentCheck, Beneficiary.registration_status)
        .join(Beneficiary, Beneficiary.id == DocumentCheck.beneficiary_id)
        .where(DocumentCheck.valid_on_submission.is_(False))
    ).all()
    total = count(session, DocumentCheck)
    assert 0 < len(expired) < total / 5
    for check, status in expired:
        assert check.expiry_date is not None and check.expiry_date < check.checked_on
        assert status is not RegistrationStatus.REGISTERED


def test_declarations_cover_the_files_that_need_one(session: Session) -> None:
    needing = set(
        session.scalars(
            sa.select(Beneficiary.id).where(
                Beneficiary.registration_status == RegistrationStatus.REGISTERED
            )
        )
    ) | set(
        session.scalars(
            sa.select(SupportRequest.beneficiary_id).where(SupportRequest.submitted_at.is_not(None))
        )
    )
    assert needing
    for beneficiary_id in needing:
        declaration = current_declaration(session, beneficiary_id)
        assert declaration is not None, beneficiary_id
        assert verify_declaration(declaration)


def test_each_declaration_is_worded_for_the_person_who_signed_it(session: Session) -> None:
    """A woman signs as «صاحبة الهوية … مسؤولة», a man as «صاحب الهوية … مسؤول», each
    naming themselves and their numbers."""
    signed = session.execute(
        sa.select(SignedDeclaration.text, Beneficiary).join(
            Beneficiary, Beneficiary.id == SignedDeclaration.beneficiary_id
        )
    ).all()
    genders = {person.gender for _text, person in signed}
    assert genders == {Gender.MALE, Gender.FEMALE}
    for text, person in signed:
        assert person.full_name in text and person.national_id in text
        assert person.file_number in text
        if person.gender == Gender.FEMALE:
            assert "صاحبة الهوية" in text and "مسؤولة" in text, person.id
        else:
            assert "صاحب الهوية" in text and "مسؤولة" not in text, person.id


def test_every_row_has_its_outbox_entry(session: Session, counts: dict[str, int]) -> None:
    inserts: dict[str, int] = dict(
        session.execute(
            sa.select(OutboxEntry.table_name, sa.func.count())
            .where(OutboxEntry.op == "insert")
            .group_by(OutboxEntry.table_name)
        ).all()
    )
    for key, model in COUNTED.items():
        assert inserts.get(model.__tablename__) == counts[key], key
    people = set(session.scalars(sa.select(Beneficiary.id)))
    recorded = set(
        session.scalars(
            sa.select(OutboxEntry.row_id).where(OutboxEntry.table_name == "beneficiary")
        )
    )
    assert people <= recorded


def test_one_audit_event_records_the_run(
    shared: tuple[Workspace, Actor], session: Session, counts: dict[str, int]
) -> None:
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "demo.generate")
    ).all()
    assert len(events) == 1
    assert events[0].details == {"seed": 7, **counts}
    assert events[0].user_id == shared[1].user_id
    assert audit.verify(session, shared[1]).ok


def test_the_people_can_be_found_by_name_id_and_phone(
    shared: tuple[Workspace, Actor], session: Session
) -> None:
    admin = shared[1]
    person = session.scalars(sa.select(Beneficiary).order_by(Beneficiary.file_number)).first()
    assert person is not None
    phone = session.scalar(
        sa.select(BeneficiaryPhone.number).where(BeneficiaryPhone.beneficiary_id == person.id)
    )
    queries = [person.national_id, person.national_id[:6], person.full_name]
    if phone is not None:
        queries.append(format_mobile_local(phone))
    for query in queries:
        assert person.id in {hit.id for hit in find_people(session, admin, query, 500)}, query


# --- repeated runs, seeds and permissions ---------------------------------------------------


def people_of(data_dir: Path, seed: int) -> list[tuple[Any, ...]]:
    ws = Workspace.create(data_dir, "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD)
    try:
        admin = ws.login("admin", ADMIN_PASSWORD)
        with ws.transaction() as session:
            generate(session, admin, 40, seed=seed, today=TODAY)
            rows = session.execute(
                sa.select(
                    Beneficiary.national_id,
                    Beneficiary.first_name,
                    Beneficiary.family_name,
                    Beneficiary.birth_date,
                    Beneficiary.city,
                    Beneficiary.household_size,
                ).order_by(Beneficiary.file_number)
            ).all()
        return [tuple(r) for r in rows]
    finally:
        ws.close()


def test_the_same_seed_gives_the_same_people(tmp_path: Path) -> None:
    first = people_of(tmp_path / "a", seed=3)
    assert people_of(tmp_path / "b", seed=3) == first
    assert people_of(tmp_path / "c", seed=4) != first


def test_running_again_adds_people_without_collisions(workspace: Workspace, admin: Actor) -> None:
    totals: dict[str, int] = dict.fromkeys(COUNTED, 0)
    for seed in (1, 1, 2):
        with workspace.transaction() as session:
            for key, value in generate(session, admin, 150, seed=seed).items():
                totals[key] += value
    with workspace.db.session() as session:
        assert table_counts(session) == totals
        ids = session.scalars(sa.select(Beneficiary.national_id)).all()
        numbers = session.scalars(sa.select(SupportRequest.request_number)).all()
    assert len(ids) == len(set(ids)) == 450
    assert len(numbers) == len(set(numbers))


def test_an_id_already_on_file_is_skipped(
    workspace: Workspace, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The IDs a fresh database gets first, put on file here before the generator runs, with
    # the offset that would otherwise step past them forced back to the start.
    wanted = [row[0] for row in people_of(tmp_path / "other", seed=5)][:3]
    with workspace.transaction() as session:
        branch = admin.branch_id
        for n, national_id in enumerate(wanted):
            session.add(
                Beneficiary(
                    file_number=f"OLD-{n}",
                    branch_id=branch,
                    first_name="سارة",
                    father_name="علي",
                    grandfather_name="حسن",
                    family_name="الحربي",
                    national_id=national_id,
                    id_type=IdType(validate_national_id(national_id)[1]),
                    gender=Gender.FEMALE,
                )
            )
    monkeypatch.setattr(demo, "_count", lambda _session, _model: 0)
    with workspace.transaction() as session:
        generate(session, admin, 40, seed=5, today=TODAY)
    with workspace.db.session() as session:
        ids = session.scalars(sa.select(Beneficiary.national_id)).all()
    assert len(ids) == len(set(ids)) == 43


def test_a_role_without_import_permission_is_refused_and_nothing_is_written(
    workspace: Workspace, actor_for: Callable[[Role], Actor]
) -> None:
    interviewer = actor_for(Role.INTERVIEWER)
    with workspace.db.session() as session:
        before = (count(session, OutboxEntry), count(session, AuditEvent))
    with pytest.raises(PermissionDenied), workspace.transaction() as session:
        generate(session, interviewer, 20)
    with workspace.db.session() as session:
        assert table_counts(session) == dict.fromkeys(COUNTED, 0)
        assert (count(session, OutboxEntry), count(session, AuditEvent)) == before


def test_a_negative_count_is_refused(workspace: Workspace, admin: Actor) -> None:
    with pytest.raises(ValueError), workspace.transaction() as session:
        generate(session, admin, -1)


def test_progress_is_reported_after_each_chunk(
    workspace: Workspace, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 100)
    calls: list[tuple[int, int]] = []
    with workspace.transaction() as session:
        counts = generate(session, admin, 250, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
    assert counts["beneficiaries"] == 250


def test_the_cli_demo_command(workspace: Workspace) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(workspace.data_dir),
            "--user",
            "admin",
            "demo",
            "--beneficiaries",
            "50",
            "--json",
        ],
        env={"ROMAH_PASSWORD": ADMIN_PASSWORD},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["beneficiaries"] == 50
    with workspace.db.session() as session:
        assert table_counts(session) == {key: summary[key] for key in COUNTED}
