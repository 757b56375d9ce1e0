"""Tests of support requests, the committee's decisions and service deliveries, and the whole
policy workflow from the first contact to the satisfaction survey."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    DecisionOutcome,
    DocumentType,
    InterviewStep,
    RegistrationStatus,
    RequestStatus,
    RequestType,
    Role,
    ServiceType,
)
from db.models import AuditEvent, Beneficiary, CommitteeDecision, Interview, SupportRequest
from db.outbox import AppendOnlyError
from romah_desktop import settings
from romah_desktop.dates import to_hijri, to_hijri_parts
from romah_desktop.errors import Conflict, FormErrors, NotFound, PermissionDenied, ValidationError
from romah_desktop.services.committee.requests import (
    committee_due_text,
    create_request,
    decisions,
    due_soon,
    effective_decision,
    overdue_requests,
    record_decision,
    record_service_delivery,
    submit_request,
    withdraw_request,
)
from romah_desktop.services.feedback import record_survey
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.interview import (
    RegistrationIncomplete,
    advance_interview,
    complete_registration,
    finish_interview,
    record_document_check,
    start_interview,
)
from romah_desktop.services.people.beneficiaries import update_beneficiary
from romah_desktop.services.research import answer_referral, refer_to_research
from romah_desktop.validation import make_national_id
from tests.romah_desktop.test_intake import (
    DECLARATION_TEXT,
    SIGNATURE,
    World,
    arabic,
    declare,
    field_error,
    make_world,
    refused,
    register,
    world_fixture,
)

T = TypeVar("T")
world = world_fixture("requests")
# Submitted on 1446/02/25 هـ (Safar); the committee's answer is due in Rabi' al-Awwal.
SUBMITTED = datetime(2024, 8, 29, 12, 0, tzinfo=UTC)
DECIDED = date(2024, 9, 10)
DELIVERED = date(2024, 9, 11)


def one_change(world: World, action: Callable[[Session], T]) -> T:
    """Run `action` in its own transaction and check it wrote exactly one audit event."""
    with world.ws.transaction() as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        result = action(session)
        session.flush()
        after = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        assert after == (before or 0) + 1
        return result


def draft(
    world: World,
    person: str,
    request_type: RequestType = RequestType.RENT,
    amount: str | None = "3,000",
) -> str:
    return one_change(
        world,
        lambda s: (
            create_request(
                s,
                world.clerk,
                beneficiary_id=person,
                request_type=request_type,
                amount=amount,
                justification="الأسرة متأخرة في سداد الإيجار",
                channel=Channel.INTERVIEW,
                today=SUBMITTED.date(),
            ).id
        ),
    )


def submitted(
    world: World,
    request_type: RequestType = RequestType.RENT,
    amount: str | None = "3,000",
    now: datetime = SUBMITTED,
) -> tuple[str, str]:
    """A new person with a declaration and a submitted request: (person, request)."""
    person = register(world)
    declare(world, person)
    request = draft(world, person, request_type, amount)
    one_change(world, lambda s: submit_request(s, world.clerk, request, now=now))
    return person, request


def decide(
    world: World,
    request: str,
    outcome: DecisionOutcome = DecisionOutcome.APPROVE,
    amount: str | None = "3,000",
    reason: str | None = None,
    **extra: Any,
) -> str:
    committee = world[Role.COMMITTEE_MEMBER]
    return one_change(
        world,
        lambda s: (
            record_decision(
                s,
                committee,
                request,
                outcome=outcome,
                approved_amount=amount,
                reason=reason,
                decided_on=DECIDED,
                members="أعضاء لجنة البحث",
                today=DECIDED,
                **extra,
            ).id
        ),
    )


def deliver(world: World, request: str, amount: str | None, items: str | None = None) -> str:
    return one_change(
        world,
        lambda s: (
            record_service_delivery(
                s,
                world.clerk,
                request_id=request,
                service_type=ServiceType.RENT,
                amount=amount,
                items=items,
                delivered_on=DELIVERED,
                today=DELIVERED,
            ).id
        ),
    )


def load(world: World, request: str) -> SupportRequest:
    with world.ws.db.session() as session:
        row = session.get(SupportRequest, request)
        assert row is not None
        return row


# --- the whole policy workflow --------------------------------------------------------------


def test_the_policy_workflow_from_contact_to_survey(world: World) -> None:
    clerk = world.clerk
    researcher = world[Role.SOCIAL_RESEARCHER]
    person = register(world)

    # 1. Receive: the contact, and the interview it starts.
    contact = one_change(
        world,
        lambda s: (
            log_contact(
                s,
                clerk,
                channel=Channel.INTERVIEW,
                subject="طلب مساعدة في الإيجار",
                beneficiary_id=person,
                occurred_at=SUBMITTED - timedelta(hours=2),
            ).id
        ),
    )
    interview = one_change(
        world, lambda s: start_interview(s, clerk, person, Channel.INTERVIEW, contact).id
    )

    def step(target: InterviewStep) -> None:
        one_change(world, lambda s: advance_interview(s, clerk, interview, target))

    # 2. Collect and verify: one document has expired and is flagged, not refused.
    step(InterviewStep.COLLECT_VERIFY)

    def check(doc_type: DocumentType, number: str | None, expiry: str, on: date) -> bool:
        return one_change(
            world,
            lambda s: (
                record_document_check(
                    s,
                    clerk,
                    beneficiary_id=person,
                    doc_type=doc_type,
                    number=number,
                    issue_date=None,
                    expiry_date=expiry,
                    checked_on=on,
                ).valid_on_submission
            ),
        )

    assert check(
        DocumentType.NATIONAL_ID_CARD,
        make_national_id("100000033"),
        "1450/01/01 هـ",
        SUBMITTED.date(),
    )
    assert not check(DocumentType.LEASE_CONTRACT, "عقد 5531", "2024-08-01", SUBMITTED.date())

    # 3. Refer: the social research officer answers the person's question.
    step(InterviewStep.REFER)
    referral = one_change(
        world,
        lambda s: (
            refer_to_research(
                s,
                clerk,
                beneficiary_id=person,
                question="ما المستندات المطلوبة لدعم الإيجار؟",
                assigned_to_user_id=researcher.user_id,
            ).id
        ),
    )
    one_change(
        world, lambda s: answer_referral(s, researcher, referral, "عقد الإيجار ساري المفعول.")
    )

    # 4. Declare: the signed declaration.
    step(InterviewStep.DECLARE)
    one_change(
        world,
        lambda s: (
            sign_declaration(
                s,
                clerk,
                beneficiary_id=person,
                signer_name="عبدالله محمد علي القحطاني",
                text=DECLARATION_TEXT,
                signature_png=SIGNATURE,
            ).id
        ),
    )

    # 5. Inform: the request goes to the committee, due two weeks later.
    request = draft(world, person)
    step(InterviewStep.INFORM)
    one_change(world, lambda s: submit_request(s, clerk, request, now=SUBMITTED))
    row = load(world, request)
    assert row.status == RequestStatus.SUBMITTED
    assert row.submitted_at == SUBMITTED
    assert row.committee_due_on == date(2024, 9, 12)
    assert to_hijri(SUBMITTED.date()) == "1446/02/25 هـ"
    assert to_hijri(row.committee_due_on) == "1446/03/09 هـ"  # across the end of Safar
    assert committee_due_text(row) == "1446/03/09 هـ (2024/09/12 م)"
    assert re.fullmatch(r"RYD-[0-9A-F]{4}-2024-\d{5}", row.request_number)

    # 6. Complete the registration: not with the expired lease; yes once it is renewed.
    error = refused(
        world.ws, RegistrationIncomplete, lambda s: complete_registration(s, clerk, person)
    )
    assert "عقد الإيجار" in arabic(error)
    assert check(DocumentType.LEASE_CONTRACT, "عقد 6120", "2025-09-01", date(2024, 9, 2))
    one_change(world, lambda s: complete_registration(s, clerk, person))
    step(InterviewStep.COMPLETE_REGISTRATION)

    # The committee decides within the period.
    decide(world, request, amount="3,000")
    assert load(world, request).status == RequestStatus.APPROVED

    # 7. Deliver the service, in two payments.
    deliver(world, request, "1,500")
    assert load(world, request).status == RequestStatus.APPROVED
    deliver(world, request, "1500.00")
    assert load(world, request).status == RequestStatus.FULFILLED
    step(InterviewStep.DELIVER_SERVICE)
    one_change(world, lambda s: finish_interview(s, clerk, interview))

    # Then measure satisfaction.
    survey = one_change(
        world,
        lambda s: record_survey(
            s,
            clerk,
            channel=Channel.INTERVIEW,
            overall=5,
            speed=4,
            courtesy=5,
            clarity=4,
            beneficiary_id=person,
            request_id=request,
            contact_id=contact,
        ),
    )
    assert survey.overall == 5

    with world.ws.db.session() as session:
        file = session.get(Beneficiary, person)
        assert file is not None and file.registration_status == RegistrationStatus.REGISTERED
        done = session.get(Interview, interview)
        assert done is not None and done.finished_at is not None
        assert done.completed_steps == [member.value for member in InterviewStep]


# --- creating and submitting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"request_type": "loan"}, "request_type"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "-500"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "1,50"}, "amount"),
        ({"amount": "20,000,000"}, "amount"),
        ({"amount": None}, "amount"),  # a rent request needs its amount
        ({"request_type": RequestType.CASH, "amount": " "}, "amount"),
        ({"justification": ""}, "justification"),
        ({"justification": "x" * 5001}, "justification"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_create_request_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    person = register(world)
    values: dict[str, Any] = {
        "beneficiary_id": person,
        "request_type": RequestType.RENT,
        "amount": "3000",
        "justification": "سبب",
        "channel": Channel.PHONE,
        **changes,
    }
    error = refused(world.ws, FormErrors, lambda s: create_request(s, world.clerk, **values))
    field_error(error, field)


def test_a_request_without_an_amount(world: World) -> None:
    person = register(world)
    request = draft(world, person, RequestType.FOOD, None)
    assert load(world, request).amount_requested_halalas is None
    cash = draft(world, person, RequestType.CASH, "١٥٠٠٫٥٠")
    assert load(world, cash).amount_requested_halalas == 150050


def test_submitting_needs_a_current_declaration(world: World) -> None:
    person = register(world)
    request = draft(world, person)
    error = refused(world.ws, Conflict, lambda s: submit_request(s, world.clerk, request))
    assert "إقرار" in arabic(error)
    declare(world, person)
    with world.ws.transaction() as session:
        update_beneficiary(session, world.clerk, person, {"household_size": "6"})
    refused(world.ws, Conflict, lambda s: submit_request(s, world.clerk, request))
    declare(world, person)
    one_change(world, lambda s: submit_request(s, world.clerk, request, now=SUBMITTED))
    error = refused(world.ws, Conflict, lambda s: submit_request(s, world.clerk, request))
    assert "مرفوع إلى لجنة البحث" in arabic(error)  # the status label, in Arabic


def test_the_due_date_follows_the_setting(world: World) -> None:
    with world.ws.transaction() as session:
        settings.put(session, "committee_answer_days", 10)
    try:
        _person, request = submitted(world, now=datetime(2024, 8, 21, 12, 0, tzinfo=UTC))
        assert load(world, request).committee_due_on == date(2024, 8, 31)
    finally:
        with world.ws.transaction() as session:
            settings.put(session, "committee_answer_days", 14)
    _person, request = submitted(world, now=datetime(2024, 8, 21, 12, 0, tzinfo=UTC))
    due = load(world, request).committee_due_on
    assert due == date(2024, 9, 4)
    # 1446/02/17 + 14 days is the first day of the next Hijri month (Safar has 30 days here).
    assert to_hijri_parts(date(2024, 8, 21)) == (1446, 2, 17)
    assert due is not None and to_hijri(due) == "1446/03/01 هـ"


@pytest.mark.parametrize(
    ("call", "role"),
    [
        ("create", Role.SOCIAL_RESEARCHER),
        ("create", Role.COMMITTEE_MEMBER),
        ("submit", Role.COMMITTEE_MEMBER),
        ("submit", Role.HQ_ADMIN),
        ("withdraw", Role.SOCIAL_RESEARCHER),
        ("decide", Role.INTERVIEWER),
        ("decide", Role.BRANCH_MANAGER),
        ("deliver", Role.SOCIAL_RESEARCHER),
        ("deliver", Role.COMMITTEE_MEMBER),
    ],
)
def test_request_permission_denied(world: World, call: str, role: Role) -> None:
    person = register(world)
    declare(world, person)
    request = draft(world, person)
    actor = world[role]
    calls: dict[str, Callable[[Session], object]] = {
        "create": lambda s: create_request(
            s,
            actor,
            beneficiary_id=person,
            request_type=RequestType.FOOD,
            amount=None,
            justification="سبب",
            channel=Channel.PHONE,
        ),
        "submit": lambda s: submit_request(s, actor, request),
        "withdraw": lambda s: withdraw_request(s, actor, request, "بطلب المستفيد"),
        "decide": lambda s: record_decision(
            s,
            actor,
            request,
            outcome=DecisionOutcome.REJECT,
            approved_amount=None,
            reason="سبب",
            decided_on=None,
            members=None,
        ),
        "deliver": lambda s: record_service_delivery(
            s,
            actor,
            request_id=request,
            service_type=ServiceType.RENT,
            amount="100",
            items=None,
            delivered_on=None,
        ),
    }
    error = refused(world.ws, PermissionDenied, calls[call])
    arabic(error)


def test_an_unknown_request_is_not_found(world: World) -> None:
    refused(world.ws, NotFound, lambda s: submit_request(s, world.clerk, "nope"))


# --- the committee's decision ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": DecisionOutcome.REJECT, "approved_amount": None}, "reason"),
        ({"outcome": DecisionOutcome.NEED_INFO, "approved_amount": None}, "reason"),
        ({"outcome": DecisionOutcome.REJECT, "reason": "سبب"}, "approved_amount"),
        ({"approved_amount": None}, "approved_amount"),
        ({"approved_amount": "0"}, "approved_amount"),
        ({"approved_amount": "ثلاثة آلاف"}, "approved_amount"),
        ({"approved_amount": "3,500"}, "approved_amount"),  # above the requested 3,000
        ({"reason": "x" * 2001}, "reason"),
        ({"members": "x" * 301}, "members"),
        ({"decided_on": date(2024, 9, 11)}, "decided_on"),  # after "today"
        ({"decided_on": date(2024, 8, 28)}, "decided_on"),  # before the submission
        ({"supersedes_id": "nope"}, "supersedes_id"),
    ],
)
def test_decision_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    _person, request = submitted(world)
    values: dict[str, Any] = {
        "outcome": DecisionOutcome.APPROVE,
        "approved_amount": "3000",
        "reason": None,
        "decided_on": DECIDED,
        "members": None,
        "today": DECIDED,
        **changes,
    }
    committee = world[Role.COMMITTEE_MEMBER]
    error = refused(
        world.ws, FormErrors, lambda s: record_decision(s, committee, request, **values)
    )
    found = field_error(error, field)
    if changes.get("approved_amount") == "3,500":
        assert "3,500.00" in found.text("ar") and "3,000.00" in found.text("ar")


def test_an_amount_above_the_requested_needs_confirmation(world: World) -> None:
    _person, request = submitted(world)
    decision = decide(world, request, amount="3,500", confirm_above_requested=True)
    with world.ws.db.session() as session:
        row = session.get(CommitteeDecision, decision)
        assert row is not None and row.approved_amount_halalas == 350_000


def test_a_rejection_records_its_reason(world: World) -> None:
    _person, request = submitted(world)
    decide(world, request, DecisionOutcome.REJECT, amount=None, reason="الدخل يتجاوز الحد")
    assert load(world, request).status == RequestStatus.REJECTED
    # A decided request is not decided again: a correction supersedes the decision.
    error = refused(
        world.ws,
        Conflict,
        lambda s: record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="100",
            reason=None,
            decided_on=DECIDED,
            members=None,
            today=DECIDED,
        ),
    )
    assert "مرفوض" in arabic(error)


def test_more_information_then_resubmission_then_approval(world: World) -> None:
    _person, request = submitted(world)
    decide(world, request, DecisionOutcome.NEED_INFO, amount=None, reason="إرفاق عقد الإيجار")
    assert load(world, request).status == RequestStatus.NEEDS_INFO
    # Back with the person from the decision (09-10) to 09-13: the clock stood still 3 days.
    later = datetime(2024, 9, 13, 12, 0, tzinfo=UTC)
    one_change(world, lambda s: submit_request(s, world.clerk, request, now=later))
    row = load(world, request)
    assert row.status == RequestStatus.SUBMITTED
    assert row.committee_due_on == date(2024, 9, 15)
    decide(world, request)
    assert load(world, request).status == RequestStatus.APPROVED
    with world.ws.db.session() as session:
        assert [d.outcome for d in decisions(session, request)] == [
            DecisionOutcome.NEED_INFO,
            DecisionOutcome.APPROVE,
        ]


def test_a_decision_cannot_be_edited(world: World) -> None:
    _person, request = submitted(world)
    decision_id = decide(world, request)
    with world.ws.db.session() as session:
        decision = session.get(CommitteeDecision, decision_id)
        assert decision is not None
        decision.approved_amount_halalas = 999_999
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()
    with world.ws.db.session() as session:
        decision = session.get(CommitteeDecision, decision_id)
        assert decision is not None
        session.delete(decision)
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()


def test_a_correction_supersedes_the_decision(world: World) -> None:
    _person, request = submitted(world)
    first = decide(world, request)
    second = decide(
        world,
        request,
        DecisionOutcome.REJECT,
        amount=None,
        reason="تبين وجود دخل آخر",
        supersedes_id=first,
    )
    assert load(world, request).status == RequestStatus.REJECTED
    with world.ws.db.session() as session:
        in_force = effective_decision(session, request)
        assert in_force is not None and in_force.id == second
        assert len(decisions(session, request)) == 2
        event = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_id == second)).one()
        assert event.details == {"outcome": "reject", "correction": True}
    # The first decision was already corrected.
    error = refused(
        world.ws,
        Conflict,
        lambda s: record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="3000",
            reason=None,
            decided_on=DECIDED,
            members=None,
            supersedes_id=first,
            today=DECIDED,
        ),
    )
    arabic(error)
    # Once a service is delivered, the decision stands.
    third = decide(world, request, supersedes_id=second)
    deliver(world, request, "1000")
    refused(
        world.ws,
        Conflict,
        lambda s: record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.REJECT,
            approved_amount=None,
            reason="سبب",
            decided_on=DECIDED,
            members=None,
            supersedes_id=third,
            today=DECIDED,
        ),
    )


# --- service delivery -----------------------------------------------------------------------


def test_delivery_needs_an_approved_request(world: World) -> None:
    _person, request = submitted(world)
    error = refused(
        world.ws,
        Conflict,
        lambda s: record_service_delivery(
            s,
            world.clerk,
            request_id=request,
            service_type=ServiceType.RENT,
            amount="100",
            items=None,
            delivered_on=DELIVERED,
            today=DELIVERED,
        ),
    )
    assert "مقبول" in arabic(error)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_type": "voucher"}, "service_type"),
        ({"amount": "3,000.01"}, "amount"),  # above the approved amount
        ({"amount": None, "items": "سلة"}, "amount"),  # the approval has an amount
        ({"amount": "0"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"items": "x" * 301}, "items"),
        ({"delivered_on": date(2024, 9, 12)}, "delivered_on"),  # after "today"
        ({"delivered_on": date(2024, 9, 9)}, "delivered_on"),  # before the approval
    ],
)
def test_delivery_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    _person, request = submitted(world)
    decide(world, request)
    values: dict[str, Any] = {
        "request_id": request,
        "service_type": ServiceType.RENT,
        "amount": "1000",
        "items": None,
        "delivered_on": DELIVERED,
        "today": DELIVERED,
        **changes,
    }
    error = refused(
        world.ws, FormErrors, lambda s: record_service_delivery(s, world.clerk, **values)
    )
    found = field_error(error, field)
    if changes.get("amount") == "3,000.01":
        assert "3,000.00" in found.text("ar")


def test_the_remaining_amount_is_shown(world: World) -> None:
    _person, request = submitted(world)
    decide(world, request)
    deliver(world, request, "2,000")
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_service_delivery(
            s,
            world.clerk,
            request_id=request,
            service_type=ServiceType.RENT,
            amount="1,500",
            items=None,
            delivered_on=DELIVERED,
            today=DELIVERED,
        ),
    )
    assert "1,000.00" in field_error(error, "amount").text("ar")


def test_a_service_without_an_amount_is_fulfilled_by_its_delivery(world: World) -> None:
    _person, request = submitted(world, RequestType.FOOD, None)
    decide(world, request, amount=None)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_service_delivery(
            s,
            world.clerk,
            request_id=request,
            service_type=ServiceType.FOOD_BASKET,
            amount=None,
            items=None,
            delivered_on=DELIVERED,
            today=DELIVERED,
        ),
    )
    field_error(error, "items")
    one_change(
        world,
        lambda s: record_service_delivery(
            s,
            world.clerk,
            request_id=request,
            service_type=ServiceType.FOOD_BASKET,
            amount=None,
            items="سلة غذائية كاملة",
            delivered_on=DELIVERED,
            today=DELIVERED,
        ),
    )
    assert load(world, request).status == RequestStatus.FULFILLED
    refused(
        world.ws,
        Conflict,
        lambda s: record_service_delivery(
            s,
            world.clerk,
            request_id=request,
            service_type=ServiceType.FOOD_BASKET,
            amount=None,
            items="سلة أخرى",
            delivered_on=DELIVERED,
            today=DELIVERED,
        ),
    )


# --- withdrawing ----------------------------------------------------------------------------


def test_withdrawing_a_request(world: World) -> None:
    _person, request = submitted(world)
    error = refused(
        world.ws, ValidationError, lambda s: withdraw_request(s, world.clerk, request, "")
    )
    field_error(error, "reason")
    one_change(world, lambda s: withdraw_request(s, world.clerk, request, "بطلب المستفيد"))
    assert load(world, request).status == RequestStatus.WITHDRAWN
    refused(world.ws, Conflict, lambda s: withdraw_request(s, world.clerk, request, "مرة أخرى"))


# --- the committee's deadline ---------------------------------------------------------------


def test_overdue_and_due_soon(tmp_path: Path) -> None:
    # A workspace of its own: the lists cover the whole branch.
    mine = make_world(tmp_path)
    workspace = mine.ws
    manager = mine[Role.BRANCH_MANAGER]
    person = register(mine)
    declare(mine, person)

    def on(day: int) -> str:
        request = draft(mine, person)
        with workspace.transaction() as session:
            submit_request(
                session, mine.clerk, request, now=datetime(2024, 8, day, 12, 0, tzinfo=UTC)
            )
        return request

    late, due_today, due_in_3, due_in_4 = on(1), on(15), on(18), on(19)
    draft(mine, person)  # a draft has no due date
    today = date(2024, 8, 29)
    with workspace.db.session() as session:
        assert [r.id for r in overdue_requests(session, manager, today)] == [late]
        assert [r.id for r in due_soon(session, manager, today)] == [due_today, due_in_3]
        assert [r.id for r in due_soon(session, manager, today, days=4)] == [
            due_today,
            due_in_3,
            due_in_4,
        ]
        with pytest.raises(ValueError):
            due_soon(session, manager, today, days=-1)
    workspace.close()
