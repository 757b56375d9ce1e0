"""Tests of service delivery: from an approved request to a fulfilled one, with the
beneficiary's signature on the receipt stored by its hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from db.enums import Channel, DecisionOutcome, RequestStatus, RequestType, Role, ServiceType
from db.files import attachment_path
from db.models import Attachment, AuditEvent, ServiceDelivery, SupportRequest
from romah_desktop.errors import Conflict, FormErrors, NotFound, PermissionDenied
from romah_desktop.protection import intact_attachment
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    submit_request,
)
from romah_desktop.services.delivery import (
    SERVICE_OF_REQUEST,
    DeliveryResult,
    awaiting_delivery,
    deliver_service,
    deliveries_of,
    delivery_plan,
)
from romah_desktop.services.feedback import record_survey, survey_subjects
from tests.romah_desktop.test_intake import (
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

world = world_fixture("delivery")
SUBMITTED = datetime(2024, 8, 29, 12, 0, tzinfo=UTC)
DECIDED = date(2024, 9, 10)
DELIVERED = date(2024, 9, 11)  # 1446/03/08 هـ


def approved_request(
    world: World,
    request_type: RequestType = RequestType.RENT,
    amount: str | None = "3,000",
    approved: str | None = "3,000",
    outcome: DecisionOutcome = DecisionOutcome.APPROVE,
) -> tuple[str, str]:
    """A new person whose request the committee decided: (person, request)."""
    person = register(world)
    declare(world, person)
    with world.ws.transaction() as session:
        request = create_request(
            session,
            world.clerk,
            beneficiary_id=person,
            request_type=request_type,
            amount=amount,
            justification="الأسرة متأخرة في سداد الإيجار",
            channel=Channel.INTERVIEW,
            today=SUBMITTED.date(),
        ).id
        submit_request(session, world.clerk, request, now=SUBMITTED)
        record_decision(
            session,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=outcome,
            approved_amount=approved if outcome == DecisionOutcome.APPROVE else None,
            reason=None if outcome == DecisionOutcome.APPROVE else "الدخل يكفي",
            decided_on=DECIDED,
            members="أعضاء لجنة البحث",
            today=DECIDED,
        )
    return person, request


def deliver(world: World, request: str, **changes: Any) -> DeliveryResult:
    values: dict[str, Any] = {
        "request_id": request,
        "service_type": ServiceType.RENT,
        "amount": "3,000",
        "items": None,
        "delivered_on": "1446/03/08 هـ",
        "signature_png": SIGNATURE,
        "today": DELIVERED,
        **changes,
    }
    with world.ws.transaction() as session:
        return deliver_service(session, world.clerk, **values)


def status_of(world: World, request: str) -> RequestStatus:
    with world.ws.db.session() as session:
        row = session.get(SupportRequest, request)
        assert row is not None
        return row.status


def test_a_delivery_with_a_signed_receipt_fulfils_the_request(world: World) -> None:
    _person, request = approved_request(world)
    result = deliver(world, request)
    assert result.fulfilled and result.remaining_halalas == 0
    assert status_of(world, request) == RequestStatus.FULFILLED
    sha = hashlib.sha256(SIGNATURE).hexdigest()
    assert result.receipt_signature_sha256 == sha
    # The signature is stored by its content's hash, as a declaration's is.
    assert SIGNATURE not in attachment_path(world.ws.attachments_dir, sha).read_bytes()
    assert intact_attachment(world.ws.attachments_dir, sha, world.ws.files) == SIGNATURE
    with world.ws.db.session() as session:
        delivery = session.get(ServiceDelivery, result.delivery_id)
        assert delivery is not None
        assert delivery.delivered_on == DELIVERED  # typed in Hijri
        assert delivery.amount_halalas == 300_000
        assert delivery.delivered_by_user_id == world.clerk.user_id
        assert delivery.receipt_signature_sha256 == sha
        assert session.scalar(sa.select(Attachment).where(Attachment.sha256 == sha)) is not None
        actions = session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.entity_id == result.delivery_id)
        ).all()
        assert sorted(actions) == ["service.deliver", "service.receipt_signed"]
        listed = deliveries_of(session, world.clerk, request)
        assert [(d.id, d.receipt_signed, d.delivered_by) for d in listed] == [
            (result.delivery_id, True, world.clerk.full_name)
        ]
    # Once fulfilled, nothing more is delivered on it.
    error = refused(
        world.ws, Conflict, lambda s: deliver_service(s, world.clerk, **_values(request))
    )
    arabic(error)


def _values(request: str, **changes: Any) -> dict[str, Any]:
    return {
        "request_id": request,
        "service_type": ServiceType.RENT,
        "amount": "500",
        "items": None,
        "delivered_on": None,
        "signature_png": SIGNATURE,
        "today": DELIVERED,
        **changes,
    }


def test_deliveries_in_parts_fulfil_the_request_when_the_approved_amount_is_reached(
    world: World,
) -> None:
    _person, request = approved_request(world, amount="3,000", approved="2,000")
    first = deliver(world, request, amount="1,500", signature_png=None)  # a paper receipt
    assert not first.fulfilled and first.remaining_halalas == 50_000
    assert first.receipt_signature_sha256 is None
    assert status_of(world, request) == RequestStatus.APPROVED
    with world.ws.db.session() as session:
        plan = delivery_plan(session, world.clerk, request)
        assert plan.can_deliver
        assert plan.awaiting.approved_amount_halalas == 200_000
        assert plan.awaiting.delivered_halalas == 150_000
        assert plan.awaiting.remaining_halalas == 50_000
        assert plan.suggested_service == ServiceType.RENT
        assert plan.delivered_by == world.clerk.full_name
        assert [d.receipt_signed for d in plan.history] == [False]
        waiting = {row.id: row for row in awaiting_delivery(session, world.clerk)}
        assert waiting[request].remaining_halalas == 50_000
    # More than what is left: refused with what is left, and nothing written.
    error = refused(
        world.ws,
        FormErrors,
        lambda s: deliver_service(s, world.clerk, **_values(request, amount="600")),
    )
    assert "500.00" in field_error(error, "amount").text("ar")
    second = deliver(world, request, amount="500")
    assert second.fulfilled and second.remaining_halalas == 0
    assert status_of(world, request) == RequestStatus.FULFILLED
    with world.ws.db.session() as session:
        assert request not in {row.id for row in awaiting_delivery(session, world.clerk)}
        # Food baskets are what a food request usually ends in.
        assert SERVICE_OF_REQUEST[RequestType.FOOD] == ServiceType.FOOD_BASKET


def test_an_approval_without_an_amount_is_fulfilled_by_its_delivery(world: World) -> None:
    _person, request = approved_request(
        world, request_type=RequestType.FOOD, amount=None, approved=None
    )
    with world.ws.db.session() as session:
        plan = delivery_plan(session, world.clerk, request)
        assert plan.suggested_service == ServiceType.FOOD_BASKET
        assert plan.awaiting.remaining_halalas is None
    error = refused(
        world.ws,
        FormErrors,
        lambda s: deliver_service(
            s, world.clerk, **_values(request, service_type="food_basket", amount=None)
        ),
    )
    field_error(error, "items")  # neither items nor an amount
    result = deliver(
        world, request, service_type="food_basket", amount=None, items="سلة غذائية كاملة"
    )
    assert result.fulfilled and result.remaining_halalas is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_type": "voucher"}, "service_type"),
        ({"amount": "ألف"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"items": "x" * 301}, "items"),
        ({"delivered_on": "1446/13/01 هـ"}, "delivered_on"),
        ({"delivered_on": "2024-09-30"}, "delivered_on"),  # after today
        ({"delivered_on": "2024-09-01"}, "delivered_on"),  # before the approval
        ({"signature_png": b"GIF89a not a png"}, "signature"),
        ({"signature_png": SIGNATURE + b"0" * 1_000_000}, "signature"),
    ],
)
def test_delivery_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    _person, request = approved_request(world)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: deliver_service(s, world.clerk, **_values(request, **changes)),
    )
    field_error(error, field)
    assert status_of(world, request) == RequestStatus.APPROVED


@pytest.mark.parametrize("outcome", [DecisionOutcome.REJECT, DecisionOutcome.NEED_INFO])
def test_only_an_approved_request_is_delivered(world: World, outcome: DecisionOutcome) -> None:
    _person, request = approved_request(world, outcome=outcome)
    error = refused(
        world.ws, Conflict, lambda s: deliver_service(s, world.clerk, **_values(request))
    )
    arabic(error)
    refused(
        world.ws,
        NotFound,
        lambda s: deliver_service(s, world.clerk, **_values("no-such-request")),
    )


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.SOCIAL_RESEARCHER, Role.HQ_ADMIN])
def test_who_may_deliver(world: World, role: Role) -> None:
    _person, request = approved_request(world)
    error = refused(
        world.ws, PermissionDenied, lambda s: deliver_service(s, world[role], **_values(request))
    )
    arabic(error)
    with world.ws.db.session() as session:
        with pytest.raises(PermissionDenied):
            awaiting_delivery(session, world[role])
        with pytest.raises(PermissionDenied):
            delivery_plan(session, world[role], request)


def test_the_waiting_list_is_paged_oldest_first(tmp_path: Any) -> None:
    mine = make_world(tmp_path)
    requests = [approved_request(mine)[1] for _ in range(3)]
    with mine.ws.db.session() as session:
        first = awaiting_delivery(session, mine.clerk, limit=2)
        assert [row.id for row in first] == requests[:2]
        rest = awaiting_delivery(session, mine.clerk, limit=2, after=first[-1])
        assert [row.id for row in rest] == requests[2:]
        assert all(row.approved_amount_halalas == 300_000 for row in first + rest)
        with pytest.raises(ValueError):
            awaiting_delivery(session, mine.clerk, limit=-1)
    mine.ws.close()


def test_a_survey_after_the_delivery(world: World) -> None:
    person, request = approved_request(world)
    result = deliver(world, request)
    with world.ws.db.session() as session:
        subjects = survey_subjects(session, world.clerk, DELIVERED, days=0)
        mine = [s for s in subjects if s.id == result.delivery_id]
        assert len(mine) == 1
        assert mine[0].kind == "delivery" and mine[0].request_id == request
        assert mine[0].beneficiary_id == person and mine[0].service_type == ServiceType.RENT
        assert mine[0].subject.startswith("RYD-")  # the request's number
    with world.ws.transaction() as session:
        survey = record_survey(
            session,
            world.clerk,
            channel=Channel.INTERVIEW,
            overall="4",
            beneficiary_id=person,
            request_id=request,
            collected_on=DELIVERED,
        )
        assert survey.request_id == request
