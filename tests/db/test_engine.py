"""Foreign keys are enforced at commit, so one flush may write rows in any order."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from db.enums import Channel, DecisionOutcome, RequestType
from db.ids import new_id
from db.models import CommitteeDecision, SupportRequest
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form


def _decision(request_id: str, actor: Actor) -> CommitteeDecision:
    return CommitteeDecision(
        request_id=request_id,
        outcome=DecisionOutcome.APPROVE,
        decided_on=date.today(),
        recorded_by_user_id=actor.user_id,
    )


def test_a_decision_and_its_request_in_one_flush_in_either_order(
    workspace: Workspace, admin: Actor
) -> None:
    with workspace.transaction() as session:
        person = register_beneficiary(session, admin, person_form())
    request_id = new_id()
    with workspace.transaction() as session:
        session.add(_decision(request_id, admin))  # added before the request it points at
        session.add(
            SupportRequest(
                id=request_id,
                request_number="RYD-TEST-1",
                branch_id=admin.branch_id,
                beneficiary_id=person.id,
                request_type=RequestType.FOOD,
                justification="—",
                channel=Channel.PHONE,
                created_by_user_id=admin.user_id,
            )
        )
    with workspace.db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CommitteeDecision)) == 1


def test_a_dangling_reference_is_still_refused_at_commit(
    workspace: Workspace, admin: Actor
) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="FOREIGN KEY"):
        with workspace.transaction() as session:
            session.add(_decision(new_id(), admin))
    with workspace.db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CommitteeDecision)) == 0
