"""The services report: services delivered in a period, by type and month, with the amounts
and the people served."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import ServiceType
from db.models import (
    Beneficiary,
    ServiceDelivery,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.periods import Month
from romah_desktop.services.reports.scope import (
    ReportScope,
    check_scope,
    in_branch,
    month_of_day,
)


@dataclass(frozen=True)
class ServiceLine:
    deliveries: int = 0
    amount_halalas: int = 0
    people: int = 0


@dataclass(frozen=True)
class ServicesReport:
    """Services delivered in the period, by type (deliveries, amount, people served) and
    by month."""

    total: ServiceLine
    by_type: dict[ServiceType, ServiceLine]
    by_month: list[tuple[Month, ServiceLine]]


def services_report(session: Session, actor: Actor, scope: ReportScope) -> ServicesReport:
    """Services delivered in the scope's period. Raises PermissionDenied."""
    check_scope(actor, scope)
    period = scope.period
    months = scope.months
    delivered = sa.select(
        ServiceDelivery.service_type.label("kind"),
        month_of_day(ServiceDelivery.delivered_on, months).label("month"),
        ServiceDelivery.beneficiary_id.label("person"),
        ServiceDelivery.amount_halalas.label("amount"),
    ).select_from(ServiceDelivery)
    if scope.branch_id is not None:
        # A delivery is the branch's through the file of the person served.
        delivered = delivered.join(
            Beneficiary, Beneficiary.id == ServiceDelivery.beneficiary_id
        ).where(in_branch(Beneficiary.branch_id, scope))
    # The period's deliveries are read once; the total, the types and the months are all
    # counted from that (people served are counted apart in each: one person may have had
    # several services).
    rows = (
        delivered.where(
            ServiceDelivery.deleted_at.is_(None),
            ServiceDelivery.delivered_on >= period.first,
            ServiceDelivery.delivered_on <= period.last,
        )
        .cte("delivered")
        .prefix_with("MATERIALIZED")
    )

    def figures(group: str, key: Any) -> sa.Select[Any]:
        return sa.select(
            sa.literal(group).label("grouping"),
            key.label("key"),
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(rows.c.amount), 0),
            sa.func.count(sa.distinct(rows.c.person)),
        )

    everything = sa.union_all(
        figures("total", sa.literal("")),
        figures("kind", rows.c.kind).group_by(rows.c.kind),
        figures("month", rows.c.month).group_by(rows.c.month),
    )
    total = ServiceLine()
    by_type: dict[ServiceType, ServiceLine] = {kind: ServiceLine() for kind in ServiceType}
    per_month: dict[str, ServiceLine] = {}
    for grouping, key, count, amount, people in session.execute(everything):
        line = ServiceLine(int(count), int(amount), int(people))
        if grouping == "total":
            total = line
        elif grouping == "kind":
            by_type[ServiceType(key)] = line
        else:
            per_month[key] = line
    return ServicesReport(
        total, by_type, [(m, per_month.get(m.key, ServiceLine())) for m in months]
    )
