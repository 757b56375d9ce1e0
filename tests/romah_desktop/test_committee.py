"""Tests of the research committee's workspace, the research officer's queue and the two-week
deadline through the services: pauses while a request is back for more information, and
escalation. The deadline's rules alone are in test_deadline, the on-time figure in
test_compliance, when a case may be decided or corrected in test_case_rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from db.enums import Channel, DecisionOutcome, DocumentType, RequestStatus, RequestType, Role
from db.models import (
    AuditEvent,
    CommitteeDecision,
    Contact,
    DeadlinePause,
    PrintQueueItem,
    SupportRequest,
)
from romah_desktop import settings
from romah_desktop.dates import to_hijri
from romah_desktop.errors import Conflict, FormErrors, PermissionDenied, ValidationError
from romah_desktop.services.committee.deadline import (
    Deadline,
    DeadlineState,
    Pause,
    deadline_of,
)
from romah_desktop.services.committee.requests import (
    create_request,
    overdue_requests,
    record_decision,
    submit_request,
)
from romah_desktop.services.committee.watch import deadline_watch, escalate
from romah_desktop.services.committee.workspace import (
    DECISION_LETTER,
    case_file,
    committee_queue,
    decide,
    list_meetings,
    mark_printed,
    print_queue,
    record_meeting,
)
from romah_desktop.services.intake.interview import record_document_check
from romah_desktop.services.research import (
    refer_to_research,
    research_queue,
    write_research_report,
)
from tests.romah_desktop.test_intake import (
    World,
    arabic,
    declare,
    field_error,
    refused,
    register,
    world_fixture,
)

world = world_fixture("committee")

# 1446/02/17 هـ: the two weeks end on the first day of Rabi' al-Awwal (Safar has 30 days).
SUBMITTED = datetime(2024, 8, 21, 12, 0, tzinfo=UTC)
FIRST_DUE = date(2024, 9, 4)


# --- helpers on the workspace --------------------------------------------------------------


def submitted_request(
    world: World,
    amount: str | None = "3,000",
    now: datetime = SUBMITTED,
    request_type: RequestType = RequestType.RENT,
) -> tuple[str, str]:
    """A new person with a declaration and a request submitted at `now`: (person, request)."""
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
            today=now.date(),
        ).id
        submit_request(session, world.clerk, request, now=now)
    return person, request


def meeting(world: World, held_on: date, members: str = "أحمد السالم\nمنى العتيبي") -> str:
    with world.ws.transaction() as session:
        return record_meeting(
            session,
            world[Role.COMMITTEE_MEMBER],
            held_on=held_on.isoformat(),
            members_present=members,
            today=held_on,
        ).id


def decided(
    world: World,
    request: str,
    meeting_id: str,
    on: date,
    outcome: DecisionOutcome = DecisionOutcome.APPROVE,
    amount: str | None = "3,000",
    reason: str | None = None,
    **extra: object,
) -> str:
    with world.ws.transaction() as session:
        return decide(
            session,
            world[Role.COMMITTEE_MEMBER],
            request,
            meeting_id=meeting_id,
            outcome=outcome,
            approved_amount=amount,
            reason=reason,
            today=on,
            **extra,  # type: ignore[arg-type]
        ).decision_id


def load(world: World, request: str) -> SupportRequest:
    with world.ws.db.session() as session:
        row = session.get(SupportRequest, request)
        assert row is not None
        return row


def deadline_now(world: World, request: str) -> Deadline:
    with world.ws.db.session() as session:
        row = session.get(SupportRequest, request)
        assert row is not None
        return deadline_of(session, row)


# --- the deadline through the services ---------------------------------------------------


def test_a_return_for_information_stops_the_clock_and_resubmission_restarts_it(
    world: World,
) -> None:
    _person, request = submitted_request(world)
    assert load(world, request).committee_due_on == FIRST_DUE
    sitting = meeting(world, date(2024, 8, 25))
    decided(
        world,
        request,
        sitting,
        date(2024, 8, 25),
        DecisionOutcome.NEED_INFO,
        amount=None,
        reason="إرفاق عقد الإيجار",
    )
    row = load(world, request)
    assert row.status == RequestStatus.NEEDS_INFO and row.committee_due_on == FIRST_DUE
    late_day = date(2024, 9, 10)  # past the first due date, but the clock stands still
    stopped = deadline_now(world, request)
    assert stopped.state(late_day) is DeadlineState.PAUSED
    assert stopped.days_left(late_day) == 10
    with world.ws.db.session() as session:
        assert request not in {r.id for r in overdue_requests(session, world.clerk, late_day)}
        watch = deadline_watch(session, world.clerk, late_day)
        assert request in {r.id for r in watch.paused}
        assert watch.compliance is None and not watch.can_escalate

    with world.ws.transaction() as session:
        submit_request(session, world.clerk, request, now=datetime(2024, 9, 10, 12, 0, tzinfo=UTC))
    row = load(world, request)
    assert row.status == RequestStatus.SUBMITTED
    assert row.submitted_at == SUBMITTED  # the first submission is kept
    assert row.committee_due_on == date(2024, 9, 20)  # 16 days away added
    assert to_hijri(date(2024, 9, 20)) == "1446/03/17 هـ"
    resumed = deadline_now(world, request)
    assert resumed.pauses == (Pause(date(2024, 8, 25), date(2024, 9, 10)),)
    assert resumed.days_left(late_day) == 10  # the same ten days as when it stopped
    assert "1446/03/17" in resumed.explain(late_day, "ar")
    with world.ws.db.session() as session:
        event = session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.entity_id == request, AuditEvent.action == "request.resubmit"
            )
        ).one()
        assert event.details["paused_days"] == 16

    decided(world, request, meeting(world, date(2024, 9, 15)), date(2024, 9, 15))
    assert deadline_now(world, request).state(date(2024, 9, 15)) is DeadlineState.ANSWERED_ON_TIME


def test_correcting_a_return_for_information_withdraws_its_pause(world: World) -> None:
    _person, request = submitted_request(world)
    sitting = meeting(world, date(2024, 8, 26))
    returned = decided(
        world,
        request,
        sitting,
        date(2024, 8, 26),
        DecisionOutcome.NEED_INFO,
        amount=None,
        reason="صورة الهوية غير واضحة",
    )
    decided(world, request, sitting, date(2024, 8, 26), supersedes_id=returned)
    row = load(world, request)
    assert row.status == RequestStatus.APPROVED and row.committee_due_on == FIRST_DUE
    with world.ws.db.session() as session:
        pause = session.scalars(
            sa.select(DeadlinePause).where(DeadlinePause.request_id == request)
        ).one()
        assert pause.deleted_at is not None  # tombstoned, never deleted
    assert deadline_now(world, request).pauses == ()


def test_a_decision_while_waiting_for_information_ends_the_pause(world: World) -> None:
    _person, request = submitted_request(world)
    decided(
        world,
        request,
        meeting(world, date(2024, 8, 25)),
        date(2024, 8, 25),
        DecisionOutcome.NEED_INFO,
        amount=None,
        reason="إرفاق عقد الإيجار",
    )
    decided(
        world,
        request,
        meeting(world, date(2024, 8, 30)),
        date(2024, 8, 30),
        DecisionOutcome.REJECT,
        amount=None,
        reason="لم تُرفق المستندات",
    )
    row = load(world, request)
    assert row.status == RequestStatus.REJECTED
    assert row.committee_due_on == FIRST_DUE + timedelta(days=5)
    assert deadline_now(world, request).state(date(2024, 8, 30)) is DeadlineState.ANSWERED_ON_TIME


def test_a_request_returned_before_pauses_were_kept_resumes_from_the_decision(
    world: World,
) -> None:
    _person, request = submitted_request(world)
    with world.ws.transaction() as session:
        record_decision(
            session,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.NEED_INFO,
            approved_amount=None,
            reason="إرفاق عقد الإيجار",
            decided_on=date(2024, 8, 24),
            members=None,
            today=date(2024, 8, 24),
        )
        # As a request returned by an older version of the app: no pause row.
        pause = session.scalars(
            sa.select(DeadlinePause).where(DeadlinePause.request_id == request)
        ).one()
        pause.deleted_at = datetime(2024, 8, 24, tzinfo=UTC)
    with world.ws.transaction() as session:
        submit_request(session, world.clerk, request, now=datetime(2024, 8, 27, 12, tzinfo=UTC))
    assert load(world, request).committee_due_on == FIRST_DUE + timedelta(days=3)
    assert deadline_now(world, request).paused_days == 3


def test_the_answer_days_are_the_branch_setting(world: World) -> None:
    with world.ws.transaction() as session:
        settings.put(session, "committee_answer_days", 7)
    try:
        _person, request = submitted_request(world)
    finally:
        with world.ws.transaction() as session:
            settings.put(session, "committee_answer_days", 14)
    assert load(world, request).committee_due_on == date(2024, 8, 28)
    assert deadline_now(world, request).answer_days == 7


# --- meetings, decisions, the contact and the print queue -------------------------------


def test_a_decision_at_a_meeting_logs_a_contact_and_queues_the_letter(world: World) -> None:
    person, request = submitted_request(world)
    sitting = meeting(world, date(2024, 8, 27), "أحمد السالم، منى العتيبي، خالد الحربي")
    with world.ws.db.session() as session:
        meetings = list_meetings(session, world[Role.COMMITTEE_MEMBER])
        held = next(m for m in meetings if m.id == sitting)
        assert held.members_present == ("أحمد السالم", "منى العتيبي", "خالد الحربي")
        assert held.meeting_number.startswith("RYD-") and "-M2024-" in held.meeting_number
    with world.ws.transaction() as session:
        result = decide(
            session,
            world[Role.COMMITTEE_MEMBER],
            request,
            meeting_id=sitting,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="2,500",
            today=date(2024, 9, 1),
        )
    assert result.status == RequestStatus.APPROVED
    with world.ws.db.session() as session:
        decision = session.get(CommitteeDecision, result.decision_id)
        assert decision is not None
        assert decision.meeting_id == sitting
        assert decision.decided_on == date(2024, 8, 27)  # the meeting's day
        assert decision.members == "أحمد السالم، منى العتيبي، خالد الحربي"
        assert decision.approved_amount_halalas == 250_000
        contact = session.get(Contact, result.contact_id)
        assert contact is not None
        assert contact.beneficiary_id == person and contact.channel == Channel.LETTER
        assert contact.letter_reference == load(world, request).request_number
        assert "وافقت لجنة البحث" in contact.subject
        queued = print_queue(session, world.clerk)
        item = next(q for q in queued if q.id == result.print_item_id)
        assert item.form_kind == DECISION_LETTER and item.entity_id == result.decision_id
        assert load(world, request).request_number in item.title
        assert next(m for m in list_meetings(session, world.clerk) if m.id == sitting).decisions
    with world.ws.transaction() as session:
        mark_printed(session, world.clerk, result.print_item_id)
    with world.ws.db.session() as session:
        assert result.print_item_id not in {q.id for q in print_queue(session, world.clerk)}
        row = session.get(PrintQueueItem, result.print_item_id)
        assert row is not None and row.printed_by_user_id == world.clerk.user_id
    error = refused(
        world.ws, Conflict, lambda s: mark_printed(s, world.clerk, result.print_item_id)
    )
    assert "طُبع" in arabic(error)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"outcome": DecisionOutcome.REJECT, "amount": None}, "reason", "سبب"),
        ({"amount": "3,500"}, "approved_amount", "أكّده"),
        ({"amount": "abc"}, "approved_amount", ""),
        ({"meeting_id": None}, "meeting_id", "الاجتماع"),
        ({"outcome": DecisionOutcome.NEED_INFO, "amount": None}, "reason", "المعلومات"),
        (
            {"outcome": DecisionOutcome.REJECT, "amount": "100", "reason": "x"},
            "approved_amount",
            "",
        ),
    ],
)
def test_decision_bad_input_writes_nothing(
    world: World, changes: dict[str, object], field: str, words: str
) -> None:
    _person, request = submitted_request(world)
    sitting = meeting(world, date(2024, 8, 27))
    values: dict[str, object] = {
        "meeting_id": sitting,
        "outcome": DecisionOutcome.APPROVE,
        "amount": "3,000",
        "reason": None,
    }
    values.update(changes)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: decide(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            meeting_id=values["meeting_id"],  # type: ignore[arg-type]
            outcome=values["outcome"],  # type: ignore[arg-type]
            approved_amount=values["amount"],  # type: ignore[arg-type]
            reason=values["reason"],  # type: ignore[arg-type]
            today=date(2024, 9, 1),
        ),
    )
    assert words in field_error(error, field).text("ar")
    assert load(world, request).status == RequestStatus.SUBMITTED


def test_an_amount_above_the_request_needs_its_confirmation(world: World) -> None:
    _person, request = submitted_request(world)
    sitting = meeting(world, date(2024, 8, 27))
    decision = decided(
        world, request, sitting, date(2024, 9, 1), amount="3,500", confirm_above_requested=True
    )
    with world.ws.db.session() as session:
        row = session.get(CommitteeDecision, decision)
        assert row is not None and row.approved_amount_halalas == 350_000


def test_every_problem_is_reported_at_once(world: World) -> None:
    _person, request = submitted_request(world)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: decide(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            meeting_id=None,
            outcome=DecisionOutcome.REJECT,
            reason="  ",
            today=date(2024, 9, 1),
        ),
    )
    assert isinstance(error, FormErrors)
    assert {e.field for e in error.errors} == {"meeting_id", "reason"}


def test_a_meeting_of_another_day_or_branch_is_refused(world: World) -> None:
    _person, request = submitted_request(world)
    sitting = meeting(world, date(2024, 8, 27))
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="3000",
            reason=None,
            decided_on=date(2024, 8, 28),
            members=None,
            meeting_id=sitting,
            today=date(2024, 9, 1),
        ),
    )
    field_error(error, "decided_on")
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="3000",
            reason=None,
            decided_on=None,
            members=None,
            meeting_id="no-such-meeting",
            today=date(2024, 9, 1),
        ),
    )
    field_error(error, "meeting_id")


@pytest.mark.parametrize(
    ("held_on", "members", "field"),
    [
        ("2024-09-02", "أحمد السالم", "held_on"),  # after "today"
        ("1446/02/31 هـ", "أحمد السالم", "held_on"),  # no such Hijri day
        ("2024-08-27", " ، \n ", "members_present"),
        ("2024-08-27", "،".join(f"عضو {n}" for n in range(25)), "members_present"),
    ],
)
def test_meeting_bad_input_writes_nothing(
    world: World, held_on: str, members: str, field: str
) -> None:
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_meeting(
            s,
            world[Role.COMMITTEE_MEMBER],
            held_on=held_on,
            members_present=members,
            today=date(2024, 9, 1),
        ),
    )
    field_error(error, field)


def test_a_meeting_date_may_be_typed_in_hijri(world: World) -> None:
    with world.ws.transaction() as session:
        sitting = record_meeting(
            session,
            world[Role.COMMITTEE_MEMBER],
            held_on="1446/02/23 هـ",
            members_present="أحمد السالم",
            today=date(2024, 9, 1),
        )
        assert sitting.held_on == date(2024, 8, 27)


@pytest.mark.parametrize("role", [Role.INTERVIEWER, Role.BRANCH_MANAGER, Role.SOCIAL_RESEARCHER])
def test_only_the_committee_records_meetings_and_decisions(world: World, role: Role) -> None:
    _person, request = submitted_request(world)
    sitting = meeting(world, date(2024, 8, 27))
    refused(
        world.ws,
        PermissionDenied,
        lambda s: record_meeting(s, world[role], held_on=None, members_present="أحمد"),
    )
    refused(
        world.ws,
        PermissionDenied,
        lambda s: decide(
            s, world[role], request, meeting_id=sitting, outcome=DecisionOutcome.APPROVE
        ),
    )


# --- the committee's queue and a request's file ------------------------------------------


def test_the_queue_lists_waiting_requests_soonest_first_then_returned_ones(
    world: World,
) -> None:
    _p1, later = submitted_request(world, now=SUBMITTED + timedelta(days=2))
    _p2, sooner = submitted_request(world, now=SUBMITTED - timedelta(days=1))
    _p3, returned = submitted_request(world, now=SUBMITTED - timedelta(days=5))
    decided(
        world,
        returned,
        meeting(world, date(2024, 8, 22)),
        date(2024, 8, 22),
        DecisionOutcome.NEED_INFO,
        amount=None,
        reason="إرفاق عقد الإيجار",
    )
    with world.ws.db.session() as session:
        rows = committee_queue(session, world[Role.COMMITTEE_MEMBER])
    ids = [r.id for r in rows]
    assert ids.index(sooner) < ids.index(later) < ids.index(returned)
    by_id = {r.id: r for r in rows}
    assert by_id[returned].paused and by_id[returned].status == RequestStatus.NEEDS_INFO
    assert not by_id[later].has_report and by_id[later].person_name


def test_the_file_has_documents_reports_and_decisions(world: World) -> None:
    person, request = submitted_request(world)
    researcher = world[Role.SOCIAL_RESEARCHER]
    with world.ws.transaction() as session:
        record_document_check(
            session,
            world.clerk,
            beneficiary_id=person,
            doc_type=DocumentType.LEASE_CONTRACT,
            number="12345",
            issue_date="2024-01-01",
            expiry_date="2025-01-01",
            checked_on=date(2024, 8, 21),
        )
        write_research_report(
            session,
            researcher,
            beneficiary_id=person,
            request_id=request,
            findings="زيارة منزلية: الأسرة تسكن شقة مستأجرة بحالة متواضعة",
            recommendation="نوصي بالموافقة",
            visit_date="2024-08-23",
            today=date(2024, 8, 24),
        )
    with world.ws.db.session() as session:
        case = case_file(session, world[Role.COMMITTEE_MEMBER], request)
    assert case.row.has_report
    assert [d.doc_type for d in case.documents] == [DocumentType.LEASE_CONTRACT]
    assert case.documents[0].valid_on_submission
    assert case.reports[0].recommendation == "نوصي بالموافقة"
    assert case.reports[0].visit_date == date(2024, 8, 23) and case.reports[0].about_this_request
    assert case.person.file_number and case.justification
    assert case.decisions == [] and case.escalations == []


# --- the research officer's queue -----------------------------------------------------------


def test_the_research_queue_holds_referrals_and_requests_without_a_report(world: World) -> None:
    person, request = submitted_request(world)
    researcher = world[Role.SOCIAL_RESEARCHER]
    with world.ws.transaction() as session:
        referral = refer_to_research(
            session, world.clerk, beneficiary_id=person, question="هل يحق للأسرة دعم الإيجار؟"
        ).id
    with world.ws.db.session() as session:
        queue = research_queue(session, researcher)
    assert request in {r.id for r in queue.requests}
    assert referral in {r.id for r in queue.referrals}
    with world.ws.transaction() as session:
        write_research_report(
            session,
            researcher,
            beneficiary_id=person,
            request_id=request,
            referral_id=referral,
            findings="الأسرة مكونة من خمسة أفراد",
            today=date(2024, 8, 24),
        )
    with world.ws.db.session() as session:
        queue = research_queue(session, researcher)
    assert request not in {r.id for r in queue.requests}
    refused(world.ws, PermissionDenied, lambda s: research_queue(s, world.clerk))


# --- escalation (the on-time figure is tested in test_compliance) --------------------------


def test_escalating_an_overdue_request(world: World) -> None:
    _person, request = submitted_request(world)
    manager = world[Role.BRANCH_MANAGER]
    refused(
        world.ws,
        PermissionDenied,
        lambda s: escalate(s, world[Role.COMMITTEE_MEMBER], request, "x"),
    )
    error = refused(world.ws, ValidationError, lambda s: escalate(s, manager, request, "  "))
    assert error.field == "note"  # type: ignore[attr-defined]
    with world.ws.db.session() as session:
        offered = deadline_watch(session, manager, date(2024, 9, 6)).escalatable
        assert request in {r.id for r in offered}
        # Not yet near its due date (09-04): not offered on 08-25.
        assert request not in {
            r.id for r in deadline_watch(session, manager, date(2024, 8, 25)).escalatable
        }
    with world.ws.transaction() as session:
        escalate(session, manager, request, "تأخر الرد أكثر من أسبوعين", now=SUBMITTED)
    with world.ws.db.session() as session:
        offered = deadline_watch(session, manager, date(2024, 9, 6)).escalatable
        assert request not in {r.id for r in offered}
    with world.ws.db.session() as session:
        watch = deadline_watch(session, world[Role.COMMITTEE_MEMBER], date(2024, 9, 6))
        assert request in {r.id for r in watch.escalated}
        assert next(r for r in watch.escalated if r.id == request).escalated
        event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "deadline.escalate")
        ).all()
        assert event and event[-1].details == {"request": request}
        case = case_file(session, manager, request)
        assert case.escalations[0].note == "تأخر الرد أكثر من أسبوعين"
    error = refused(world.ws, Conflict, lambda s: escalate(s, manager, request, "مرة أخرى"))
    assert "1446/02/17" in arabic(error)
    decided(world, request, meeting(world, date(2024, 9, 1)), date(2024, 9, 1))
    with world.ws.db.session() as session:
        watch = deadline_watch(session, manager, date(2024, 9, 6))
        assert request not in {r.id for r in watch.escalated}
    error = refused(world.ws, Conflict, lambda s: escalate(s, manager, request, "بعد القرار"))
    assert "«مقبول»" in arabic(error)
