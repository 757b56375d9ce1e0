"""Service delivery: what was handed to the beneficiary on an approved request, by whom, and
the beneficiary's signature on the receipt.

A request is fulfilled once its approved services are delivered: when the approval has an
amount, once the amounts delivered reach it; otherwise by its delivery (the rule itself is
`requests.record_service_delivery`'s, which every delivery goes through). The receipt's
signature is stored like a declaration's: a PNG addressed by its SHA-256, which the delivery
row names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import Gender, RequestStatus, RequestType, ServiceType
from db.models import Beneficiary, CommitteeDecision, ServiceDelivery, SupportRequest, User
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.committee.requests import (
    effective_decision,
    get_request,
    record_service_delivery,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import FormCheck, optional_date
from romah_desktop.services.intake.declarations import (
    checked_signature,
    default_attachments_dir,
    store_attachment,
)
from romah_desktop.services.queues import RequestRow, request_rows

# The service a request of each type usually ends in (the form's first choice).
SERVICE_OF_REQUEST: dict[RequestType, ServiceType] = {
    RequestType.CASH: ServiceType.CASH,
    RequestType.FOOD: ServiceType.FOOD_BASKET,
    RequestType.RENT: ServiceType.RENT,
    RequestType.MEDICAL: ServiceType.MEDICAL,
    RequestType.EDUCATION: ServiceType.EDUCATION,
    RequestType.IN_KIND: ServiceType.IN_KIND,
    RequestType.OTHER: ServiceType.OTHER,
}
# SQLite refuses statements with too many parameters; look requests up in chunks.
_CHUNK = 500


@dataclass(frozen=True)
class DeliveryRow:
    """One service delivered, as a request's history shows it."""

    id: str
    service_type: ServiceType
    amount_halalas: int | None
    items: str | None
    delivered_on: date
    delivered_by: str
    receipt_signed: bool


@dataclass(frozen=True)
class AwaitingDelivery:
    """An approved request and what is left to deliver on it."""

    request: RequestRow
    approved_amount_halalas: int | None
    delivered_halalas: int
    deliveries: int

    @property
    def id(self) -> str:
        return self.request.id

    @property
    def remaining_halalas(self) -> int | None:
        """The approved amount not delivered yet; None when the approval has no amount."""
        if self.approved_amount_halalas is None:
            return None
        return max(self.approved_amount_halalas - self.delivered_halalas, 0)


@dataclass(frozen=True)
class DeliveryPlan:
    """What a delivery form shows about its request."""

    awaiting: AwaitingDelivery
    suggested_service: ServiceType
    history: list[DeliveryRow]
    delivered_by: str
    gender: Gender | None = None  # the person's: the form addresses them in their grammar

    @property
    def can_deliver(self) -> bool:
        return self.awaiting.request.status == RequestStatus.APPROVED


@dataclass(frozen=True)
class DeliveryResult:
    """A delivery just recorded, and where it left the request."""

    delivery_id: str
    request_id: str
    request_number: str
    beneficiary_id: str
    fulfilled: bool
    remaining_halalas: int | None
    receipt_signature_sha256: str | None


def _delivered(session: Session, request_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Request id → (number of deliveries, total amount delivered)."""
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(request_ids), _CHUNK):
        rows = session.execute(
            sa.select(
                ServiceDelivery.request_id,
                sa.func.count(ServiceDelivery.id),
                sa.func.coalesce(sa.func.sum(ServiceDelivery.amount_halalas), 0),
            )
            .where(
                ServiceDelivery.request_id.in_(request_ids[start : start + _CHUNK]),
                ServiceDelivery.deleted_at.is_(None),
            )
            .group_by(ServiceDelivery.request_id)
        )
        for request_id, count, total in rows:
            found[str(request_id)] = (int(count), int(total or 0))
    return found


def _approved_amounts(session: Session, request_ids: Sequence[str]) -> dict[str, int | None]:
    """Request id → the approved amount of the decision in force (corrections applied)."""
    by_request: dict[str, list[CommitteeDecision]] = {}
    for start in range(0, len(request_ids), _CHUNK):
        decisions = session.scalars(
            sa.select(CommitteeDecision)
            .where(CommitteeDecision.request_id.in_(request_ids[start : start + _CHUNK]))
            .order_by(CommitteeDecision.created_at, CommitteeDecision.id)
        )
        for decision in decisions:
            by_request.setdefault(decision.request_id, []).append(decision)
    amounts: dict[str, int | None] = {}
    for request_id, recorded in by_request.items():
        superseded = {d.supersedes_id for d in recorded if d.supersedes_id}
        live = [d for d in recorded if d.id not in superseded]
        amounts[request_id] = live[-1].approved_amount_halalas if live else None
    return amounts


def _awaiting_rows(session: Session, requests: Sequence[SupportRequest]) -> list[AwaitingDelivery]:
    ids = [r.id for r in requests]
    delivered = _delivered(session, ids)
    approved = _approved_amounts(session, ids)
    return [
        AwaitingDelivery(
            request=row,
            approved_amount_halalas=approved.get(row.id),
            delivered_halalas=delivered.get(row.id, (0, 0))[1],
            deliveries=delivered.get(row.id, (0, 0))[0],
        )
        for row in request_rows(session, requests)
    ]


def awaiting_delivery(
    session: Session,
    actor: Actor,
    *,
    limit: int | None = None,
    after: AwaitingDelivery | None = None,
) -> list[AwaitingDelivery]:
    """Approved requests waiting for their service, in the actor's branch (every branch for
    those who see all), longest waiting first, each with its approved amount and what was
    delivered so far. Pages: at most `limit` rows, those listed after the row `after`.
    Raises PermissionDenied, or ValueError for a negative limit."""
    actor.require(Permission.DELIVER_SERVICE)
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    query = sa.select(SupportRequest).where(
        SupportRequest.status == RequestStatus.APPROVED, SupportRequest.deleted_at.is_(None)
    )
    if (branch := actor.visible_branch()) is not None:
        query = query.where(SupportRequest.branch_id == branch)
    if after is not None:
        query = query.where(SupportRequest.id > after.id)
    # Ids are UUIDv7: their order is the order the requests were made in.
    query = query.order_by(SupportRequest.id).limit(limit)
    return _awaiting_rows(session, session.scalars(query).all())


def deliveries_of(session: Session, actor: Actor, request_id: str) -> list[DeliveryRow]:
    """Every service delivered on a request, oldest first. Raises PermissionDenied, NotFound."""
    request = get_request(session, actor, request_id)
    rows = session.execute(
        sa.select(ServiceDelivery, User.full_name)
        .join(User, User.id == ServiceDelivery.delivered_by_user_id)
        .where(ServiceDelivery.request_id == request.id, ServiceDelivery.deleted_at.is_(None))
        .order_by(ServiceDelivery.delivered_on, ServiceDelivery.id)
    )
    return [
        DeliveryRow(
            id=delivery.id,
            service_type=delivery.service_type,
            amount_halalas=delivery.amount_halalas,
            items=delivery.items,
            delivered_on=delivery.delivered_on,
            delivered_by=name,
            receipt_signed=delivery.receipt_signature_sha256 is not None,
        )
        for delivery, name in rows
    ]


def delivery_plan(session: Session, actor: Actor, request_id: str) -> DeliveryPlan:
    """A request as its delivery form shows it: the approved amount, what was delivered so
    far, the usual service for its type, and who is delivering (the actor).
    Raises PermissionDenied, NotFound."""
    actor.require(Permission.DELIVER_SERVICE)
    request = get_request(session, actor, request_id)
    return DeliveryPlan(
        awaiting=_awaiting_rows(session, [request])[0],
        suggested_service=SERVICE_OF_REQUEST[request.request_type],
        history=deliveries_of(session, actor, request.id),
        delivered_by=actor.full_name,
        gender=session.scalar(
            sa.select(Beneficiary.gender).where(Beneficiary.id == request.beneficiary_id)
        ),
    )


def deliver_service(
    session: Session,
    actor: Actor,
    *,
    request_id: str,
    service_type: ServiceType | str,
    amount: str | None,
    items: str | None,
    delivered_on: str | date | None,
    signature_png: bytes | None,
    attachments_dir: Path | None = None,
    today: date | None = None,
) -> DeliveryResult:
    """Record a service handed to the beneficiary on an approved request, delivered by the
    actor, with the beneficiary's signature on the receipt (a PNG; None when they signed a
    paper receipt), stored content-addressed under `attachments_dir` (default: beside the
    database). `delivered_on` is a date or typed text, Gregorian or Hijri (blank: today);
    `amount` is riyals as typed. The date and the signature are checked first, then the
    delivery itself (see requests.record_service_delivery). Nothing is written on any error.
    Raises PermissionDenied, NotFound, FormErrors, Conflict (the request is not approved).
    """
    actor.require(Permission.DELIVER_SERVICE)
    form = FormCheck()
    day = (
        delivered_on
        if isinstance(delivered_on, date) or delivered_on is None
        else form.run(optional_date, delivered_on, "delivered_on")
    )
    signature = form.run(checked_signature, signature_png)
    form.done()
    delivery = record_service_delivery(
        session,
        actor,
        request_id=request_id,
        service_type=service_type,  # type: ignore[arg-type]  # checked there: a member or value
        amount=amount,
        items=items,
        delivered_on=day,
        today=today,
    )
    signature_sha = None
    if signature is not None:
        folder = attachments_dir or default_attachments_dir(session)
        signature_sha = store_attachment(
            session, signature, "image/png", folder, "receipt-signature.png"
        ).sha256
        delivery.receipt_signature_sha256 = signature_sha
        audit.record(
            session,
            actor,
            "service.receipt_signed",
            "service_delivery",
            delivery.id,
            {"fields": ["receipt_signature_sha256"]},
        )
    request = get_request(session, actor, request_id)
    decision = effective_decision(session, request.id)
    approved = decision.approved_amount_halalas if decision is not None else None
    session.flush()
    delivered = _delivered(session, [request.id]).get(request.id, (0, 0))[1]
    return DeliveryResult(
        delivery_id=delivery.id,
        request_id=request.id,
        request_number=request.request_number,
        beneficiary_id=request.beneficiary_id,
        fulfilled=request.status == RequestStatus.FULFILLED,
        remaining_halalas=None if approved is None else max(approved - delivered, 0),
        receipt_signature_sha256=signature_sha,
    )
