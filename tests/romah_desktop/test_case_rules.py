"""When the committee may decide a request and when it may correct its decision: the case file
the screens read says so (`can_decide`, `can_correct`, the refusal), by the same rule the write
enforces, across statuses; nothing is corrected once a service was delivered."""

from __future__ import annotations

import pytest

from db.enums import DecisionOutcome, RequestStatus, Role
from romah_desktop.errors import Conflict, PermissionDenied
from romah_desktop.services.committee.case_rules import (
    AWAITING_DECISION,
    CORRECTABLE,
    correction_refusal,
    decision_refusal,
)
from romah_desktop.services.committee.requests import effective_decision, record_decision
from romah_desktop.services.committee.workspace import CaseFile, case_file
from romah_desktop.services.context import Actor
from tests.romah_desktop.test_intake import World, refused, register, world_fixture
from tests.romah_desktop.test_requests import (
    DECIDED,
    decide,
    deliver,
    draft,
    submitted,
)

world = world_fixture("case_rules")


@pytest.mark.parametrize("status", list(RequestStatus))
def test_each_status_has_one_answer(status: RequestStatus) -> None:
    may_decide = status in (RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO)
    may_correct = status in (
        RequestStatus.APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.NEEDS_INFO,
    )
    assert (decision_refusal(status) is None) == may_decide == (status in AWAITING_DECISION)
    assert (correction_refusal(status, delivered=False) is None) == may_correct
    assert (status in CORRECTABLE) == may_correct
    # Once a service was delivered, no status lets the decision be corrected.
    assert isinstance(correction_refusal(status, delivered=True), Conflict)


def file_of(world: World, request: str, actor: Actor | None = None) -> CaseFile:
    with world.ws.db.session() as session:
        return case_file(session, actor or world[Role.COMMITTEE_MEMBER], request)


def write_agrees(world: World, request: str, case: CaseFile) -> None:
    """A new decision, and a correction of the one in force, are refused exactly when the
    case file says they are not possible (nothing is written either way)."""
    committee = world[Role.COMMITTEE_MEMBER]
    with world.ws.db.session() as session:
        in_force = effective_decision(session, request)
        attempts: list[tuple[bool, str | None]] = [(case.can_decide, None)]
        if in_force is not None:
            attempts.append((case.can_correct, in_force.id))
        for allowed, supersedes in attempts:
            try:
                record_decision(
                    session,
                    committee,
                    request,
                    outcome=DecisionOutcome.REJECT,
                    approved_amount=None,
                    reason="لم تكتمل الشروط",
                    decided_on=DECIDED,
                    members=None,
                    supersedes_id=supersedes,
                    today=DECIDED,
                )
            except Conflict:
                assert not allowed, f"refused although the case file allows it ({supersedes})"
            else:
                assert allowed, f"accepted although the case file refuses it ({supersedes})"
            session.rollback()


def test_a_request_through_its_life(world: World) -> None:
    _person, request = submitted(world)
    case = file_of(world, request)
    assert (case.can_decide, case.can_correct, case.refusal) == (True, False, None)
    write_agrees(world, request, case)

    returned = decide(world, request, DecisionOutcome.NEED_INFO, amount=None, reason="عقد الإيجار")
    case = file_of(world, request)
    # Returned for information: answered by a new decision, or its return corrected.
    assert (case.can_decide, case.can_correct) == (True, True)
    write_agrees(world, request, case)

    decide(world, request, supersedes_id=returned)  # corrected into an approval
    case = file_of(world, request)
    assert (case.can_decide, case.can_correct, case.refusal) == (False, True, None)
    write_agrees(world, request, case)

    deliver(world, request, "1000")  # part of the approved 3,000: still "approved"
    case = file_of(world, request)
    assert case.row.status == RequestStatus.APPROVED
    assert (case.can_decide, case.can_correct) == (False, False)
    assert isinstance(case.refusal, Conflict) and case.refusal.text("ar")
    write_agrees(world, request, case)


def test_a_draft_cannot_be_decided(world: World) -> None:
    request = draft(world, register(world))
    case = file_of(world, request)
    assert (case.can_decide, case.can_correct) == (False, False)
    assert isinstance(case.refusal, Conflict)
    refused(
        world.ws,
        Conflict,
        lambda s: record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="3000",
            reason=None,
            decided_on=None,
            members=None,
        ),
    )


def test_only_those_who_record_decisions_may(world: World) -> None:
    _person, request = submitted(world)
    case = file_of(world, request, world[Role.BRANCH_MANAGER])
    assert (case.can_decide, case.can_correct) == (False, False)
    assert isinstance(case.refusal, PermissionDenied)
