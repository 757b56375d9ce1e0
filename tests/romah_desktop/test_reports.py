"""Reports and their exports, checked against a month built by hand.

One scene serves the module: two branches, and requests, decisions, deliveries, surveys and
complaints dated around Safar 1446 (2024-08-05 – 2024-09-03), each placed to test one rule —
the period's first and last days, a first answer before the period, a corrected decision, a
return for more information, a withdrawal, another branch's and deleted records. The expected
numbers are worked out by hand in the comments.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from db.enums import (
    Channel,
    DecisionOutcome,
    FeedbackKind,
    FeedbackStatus,
    RequestStatus,
    RequestType,
    Role,
    ServiceType,
)
from db.models import (
    AuditEvent,
    Branch,
    CommitteeDecision,
    DeadlinePause,
    Feedback,
    SatisfactionSurvey,
    ServiceDelivery,
    SupportRequest,
    User,
)
from romah_desktop import permissions
from romah_desktop.cli import main
from romah_desktop.dates import to_hijri
from romah_desktop.errors import NotFound, PermissionDenied, RomahError, ValidationError
from romah_desktop.i18n import catalogue, translate
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.reports.complaints import (
    ComplaintRow,
    ComplaintsReport,
    complaints_report,
)
from romah_desktop.services.reports.compliance import compliance_report
from romah_desktop.services.reports.dashboard import dashboard
from romah_desktop.services.reports.decision_time import _median, _percentile, decision_time_report
from romah_desktop.services.reports.excel import sheet_name
from romah_desktop.services.reports.export import (
    ReportKind,
    export_report,
    request_list_headers,
)
from romah_desktop.services.reports.periods import (
    MonthCalendar,
    Period,
    gregorian_month,
    hijri_month,
    hijri_year_period,
    make_period,
    months_in,
    parse_period,
)
from romah_desktop.services.reports.request_list import count_request_list, request_list
from romah_desktop.services.reports.requests import requests_report
from romah_desktop.services.reports.satisfaction import (
    Ratings,
    SatisfactionReport,
    satisfaction_report,
)
from romah_desktop.services.reports.scope import ReportScope, report_branches, report_scope
from romah_desktop.services.reports.services_delivered import ServiceLine, services_report
from romah_desktop.services.reports.writing import ExportCancelled
from tests.conftest import ADMIN_PASSWORD
from tests.helpers.people import person_form
from tests.romah_desktop.test_intake import World, make_world, register

SAFAR = date(2024, 8, 5), date(2024, 9, 3)  # Safar 1446: 30 days
TODAY = date(2024, 9, 10)
_numbers = itertools.count(1)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on `day` on this laptop's clock (the reports count days on it)."""
    return datetime.combine(day, time(hour, minute)).astimezone()


def d(month: int, day: int) -> date:
    return date(2024, month, day)


@dataclass
class Scene:
    world: World
    jed: str
    jed_manager: Actor
    people: dict[str, str]
    requests: dict[str, str]

    @property
    def manager(self) -> Actor:
        return self.world[Role.BRANCH_MANAGER]

    @property
    def admin(self) -> Actor:
        return self.world[Role.HQ_ADMIN]

    def scope(
        self,
        actor: Actor | None = None,
        period: tuple[date, date] = SAFAR,
        *,
        branch_id: str | None = None,
        today: date = TODAY,
        calendar: MonthCalendar = MonthCalendar.HIJRI,
    ) -> ReportScope:
        with self.world.ws.db.session() as session:
            return report_scope(
                session,
                actor or self.manager,
                make_period(*period),
                branch_id=branch_id,
                today=today,
                calendar=calendar,
            )

    def run(self, report: Any, scope: ReportScope, actor: Actor | None = None) -> Any:
        with self.world.ws.db.session() as session:
            return report(session, actor or self.manager, scope)


def _request(
    session: sa.orm.Session,
    scene_people: dict[str, str],
    branch_id: str,
    user_id: str,
    person: str,
    *,
    created: date,
    channel: Channel = Channel.INTERVIEW,
    kind: RequestType = RequestType.CASH,
    amount: int | None = None,
    status: RequestStatus,
    submitted: date | None = None,
    deleted: bool = False,
) -> SupportRequest:
    request = SupportRequest(
        request_number=f"RYD-TEST-2024-{next(_numbers):05d}",
        branch_id=branch_id,
        beneficiary_id=scene_people[person],
        request_type=kind,
        amount_requested_halalas=amount,
        justification="الأسرة تحتاج إلى الدعم",
        channel=channel,
        status=status,
        submitted_at=at(submitted) if submitted else None,
        committee_due_on=submitted + timedelta(days=14) if submitted else None,
        created_by_user_id=user_id,
        created_at=at(created),
        deleted_at=at(created) if deleted else None,
    )
    session.add(request)
    session.flush()
    return request


def _decide(
    session: sa.orm.Session,
    request: SupportRequest,
    user_id: str,
    outcome: DecisionOutcome,
    decided: date,
    *,
    amount: int | None = None,
    supersedes: CommitteeDecision | None = None,
) -> CommitteeDecision:
    decision = CommitteeDecision(
        request_id=request.id,
        outcome=outcome,
        approved_amount_halalas=amount,
        reason=None if outcome is DecisionOutcome.APPROVE else "السبب",
        decided_on=decided,
        members="أعضاء اللجنة",
        recorded_by_user_id=user_id,
        supersedes_id=supersedes.id if supersedes else None,
        created_at=at(decided, 13),
    )
    session.add(decision)
    session.flush()
    return decision


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    world = make_world(tmp_path_factory.mktemp("reports"))
    clerk = world.clerk
    with world.ws.transaction() as session:
        jed = Branch(code="JED", name="فرع جدة")
        session.add(jed)
        session.flush()
        jed_id = jed.id
        jed_user = User(
            username="jed.manager",
            full_name="مدير فرع جدة",
            role=Role.BRANCH_MANAGER,
            branch_id=jed_id,
            password_hash="-",
        )
        session.add(jed_user)
        session.flush()
        jed_manager = Actor.of(jed_user)
    people = {"a": register(world), "b": register(world, first_name="خالد")}
    with world.ws.transaction() as session:
        people["j"] = register_beneficiary(session, jed_manager, person_form()).id
    requests: dict[str, str] = {}
    with world.ws.transaction() as session:
        ryd, me = clerk.branch_id, clerk.user_id
        committee = world[Role.COMMITTEE_MEMBER].user_id

        def make(key: str, person: str = "a", branch: str = ryd, **kw: Any) -> SupportRequest:
            request = _request(session, people, branch, me, person, **kw)
            requests[key] = request.id
            return request

        # Received on the period's first day; answered in 5 days; delivered.
        r1 = make(
            "r1",
            created=d(8, 5),
            amount=100000,
            status=RequestStatus.FULFILLED,
            submitted=d(8, 5),
        )
        _decide(session, r1, committee, DecisionOutcome.APPROVE, d(8, 10), amount=100000)
        # Received on the last day; answered (late) after the period.
        r2 = make(
            "r2",
            created=d(9, 3),
            channel=Channel.PHONE,
            kind=RequestType.RENT,
            amount=200000,
            status=RequestStatus.REJECTED,
            submitted=d(9, 3),
        )
        _decide(session, r2, committee, DecisionOutcome.REJECT, d(9, 20))
        # Received the day before the period, answered in it (2 days), due in it.
        r3 = make("r3", created=d(8, 4), status=RequestStatus.APPROVED, submitted=d(8, 4))
        _decide(session, r3, committee, DecisionOutcome.APPROVE, d(8, 6))
        # Waiting, due on the period's last day: overdue on TODAY.
        make(
            "r4",
            created=d(8, 20),
            channel=Channel.WEBSITE,
            kind=RequestType.FOOD,
            status=RequestStatus.SUBMITTED,
            submitted=d(8, 20),
        )
        # Waiting, due after the period.
        make(
            "r5",
            created=d(8, 25),
            kind=RequestType.MEDICAL,
            amount=50000,
            status=RequestStatus.SUBMITTED,
            submitted=d(8, 25),
        )
        # Returned for more information in the period: its clock is paused.
        r6 = make("r6", created=d(8, 1), status=RequestStatus.NEEDS_INFO, submitted=d(8, 1))
        _decide(session, r6, committee, DecisionOutcome.NEED_INFO, d(8, 10))
        # Due before the period, answered in it after 18 days.
        r7 = make("r7", created=d(7, 20), status=RequestStatus.APPROVED, submitted=d(7, 20))
        _decide(session, r7, committee, DecisionOutcome.APPROVE, d(8, 7))
        # Approved after 2 days, the approval corrected to a rejection a week later.
        r8 = make(
            "r8", created=d(8, 6), amount=30000, status=RequestStatus.REJECTED, submitted=d(8, 6)
        )
        first = _decide(session, r8, committee, DecisionOutcome.APPROVE, d(8, 8), amount=30000)
        _decide(session, r8, committee, DecisionOutcome.REJECT, d(8, 15), supersedes=first)
        # Withdrawn before any answer.
        make(
            "r9",
            created=d(8, 7),
            channel=Channel.LETTER,
            kind=RequestType.OTHER,
            status=RequestStatus.WITHDRAWN,
            submitted=d(8, 7),
        )
        # A draft, never submitted.
        make("r10", created=d(8, 9), amount=10000, status=RequestStatus.DRAFT)
        # Another branch's, and a deleted one.
        make(
            "r11",
            person="j",
            branch=jed_id,
            created=d(8, 10),
            status=RequestStatus.SUBMITTED,
            submitted=d(8, 10),
        )
        make("r12", created=d(8, 11), status=RequestStatus.SUBMITTED, deleted=True)
        # Due in the period, answered 4 days late (18 days after submission).
        r13 = make("r13", created=d(7, 25), status=RequestStatus.APPROVED, submitted=d(7, 25))
        _decide(session, r13, committee, DecisionOutcome.APPROVE, d(8, 12))
        # First answered before the period (on time), corrected inside it.
        r14 = make("r14", created=d(7, 28), status=RequestStatus.REJECTED, submitted=d(7, 28))
        before = _decide(session, r14, committee, DecisionOutcome.APPROVE, d(8, 2))
        _decide(session, r14, committee, DecisionOutcome.REJECT, d(8, 9), supersedes=before)

        def deliver(
            person: str,
            kind: ServiceType,
            day: date,
            amount: int | None = None,
            request: str | None = None,
            deleted: bool = False,
        ) -> None:
            session.add(
                ServiceDelivery(
                    request_id=request,
                    beneficiary_id=people[person],
                    service_type=kind,
                    amount_halalas=amount,
                    items=None if amount else "سلة غذائية",
                    delivered_on=day,
                    delivered_by_user_id=me,
                    deleted_at=at(day) if deleted else None,
                )
            )

        deliver("a", ServiceType.CASH, d(8, 12), 100000, requests["r1"])
        deliver("b", ServiceType.FOOD_BASKET, d(8, 20))
        deliver("b", ServiceType.FOOD_BASKET, d(9, 3))  # the last day
        deliver("a", ServiceType.CASH, d(9, 4), 5000)  # the day after
        deliver("j", ServiceType.RENT, d(8, 15), 70000)  # Jeddah's person
        deliver("a", ServiceType.CASH, d(8, 14), 9900, deleted=True)

        def survey(
            channel: Channel,
            day: date,
            overall: int,
            speed: int | None = None,
            courtesy: int | None = None,
            clarity: int | None = None,
            request: str | None = None,
            branch: str = ryd,
        ) -> None:
            session.add(
                SatisfactionSurvey(
                    branch_id=branch,
                    beneficiary_id=None,
                    request_id=request,
                    channel=channel,
                    overall=overall,
                    speed=speed,
                    courtesy=courtesy,
                    clarity=clarity,
                    collected_on=day,
                )
            )

        survey(Channel.INTERVIEW, d(8, 12), 5, 4, 5, None, requests["r1"])
        survey(Channel.PHONE, d(8, 20), 3, 2, 4, 3)
        survey(Channel.PHONE, d(9, 1), 4, request=requests["r8"])
        survey(Channel.PHONE, d(9, 4), 1, 1, 1, 1)  # the day after the period
        survey(Channel.WEBSITE, d(8, 21), 2, branch=jed_id)

        def feedback(
            kind: FeedbackKind,
            received: date,
            status: FeedbackStatus,
            branch: str = ryd,
        ) -> None:
            session.add(
                Feedback(
                    branch_id=branch,
                    kind=kind,
                    channel=Channel.PHONE,
                    text="تأخر الرد على   الطلب",
                    received_on=received,
                    due_on=received + timedelta(days=14),
                    status=status,
                )
            )

        complaint = FeedbackKind.COMPLAINT
        feedback(complaint, d(8, 10), FeedbackStatus.OPEN)  # overdue on TODAY
        feedback(complaint, d(8, 15), FeedbackStatus.ANSWERED)  # not closed, not overdue
        feedback(complaint, d(8, 20), FeedbackStatus.CLOSED)
        feedback(FeedbackKind.SUGGESTION, d(8, 22), FeedbackStatus.OPEN)
        feedback(complaint, d(6, 1), FeedbackStatus.ASSIGNED)  # older, still open, overdue
        feedback(complaint, d(9, 5), FeedbackStatus.OPEN)  # after the period
        feedback(complaint, d(8, 11), FeedbackStatus.OPEN, branch=jed_id)
    yield Scene(world, jed_id, jed_manager, people, requests)
    world.ws.close()


# --- periods and months --------------------------------------------------------------------------


def test_a_period_needs_both_days_in_order() -> None:
    assert make_period(d(8, 5), d(8, 5)).days == 1
    with pytest.raises(ValidationError) as missing_first:
        make_period(None, d(8, 5))
    assert missing_first.value.field == "period_from"
    with pytest.raises(ValidationError) as missing_last:
        make_period(d(8, 5), None)
    assert missing_last.value.field == "period_to"
    with pytest.raises(ValidationError) as reversed_period:
        make_period(d(9, 3), d(8, 5))
    assert reversed_period.value.field == "period"
    english = reversed_period.value.text("en")
    assert "before it starts" in english and "2024/08/05" in english
    arabic = reversed_period.value.text("ar")
    assert "قبل" in arabic and "1446/02/01" in arabic
    with pytest.raises(ValidationError, match="ten years"):
        make_period(date(2010, 1, 1), date(2024, 1, 1))
    with pytest.raises(ValidationError) as outside:
        make_period(date(1900, 1, 1), d(8, 5))
    assert outside.value.field == "period_from"


def test_typed_periods_in_either_calendar() -> None:
    assert parse_period("1446/02/01 هـ", "1446/02/30 هـ") == Period(*SAFAR)
    assert parse_period("٢٠٢٤-٠٨-٠٥", "2024-09-03") == Period(*SAFAR)
    with pytest.raises(ValidationError) as blank:
        parse_period("  ", "2024-09-03")
    assert blank.value.field == "period_from"
    with pytest.raises(ValidationError) as garbage:
        parse_period("2024-08-05", "next week")
    assert garbage.value.field == "period_to"
    with pytest.raises(ValidationError) as reversed_period:
        parse_period("1446/03/01 هـ", "1446/02/01 هـ")
    assert reversed_period.value.field == "period"


def test_hijri_months_follow_umm_al_qura() -> None:
    safar = hijri_month(1446, 2)
    assert (safar.first, safar.last) == SAFAR
    ramadan = hijri_month(1446, 9)
    assert (ramadan.first, ramadan.last) == (date(2025, 3, 1), date(2025, 3, 29))
    assert hijri_month(1446, 12).next() == hijri_month(1447, 1)
    assert hijri_year_period(1446) == Period(date(2024, 7, 7), date(2025, 6, 25))
    assert safar.label("ar") == "صفر 1446" and safar.label("en") == "Safar 1446"
    assert gregorian_month(2024, 2).last == date(2024, 2, 29)
    assert gregorian_month(2024, 8).label("ar") == "أغسطس 2024"
    # The months of a period meet day to day, the first and last reaching past its ends.
    months = months_in(Period(date(2024, 7, 20), date(2025, 1, 10)))
    assert [m.key for m in months] == [f"1446-{n:02d}" for n in range(1, 8)]
    for before, after in itertools.pairwise(months):
        assert after.first == before.last + timedelta(days=1)
    assert months[0].first <= date(2024, 7, 20) and months[-1].last >= date(2025, 1, 10)
    for bad in ((1446, 13), (1446, 0), (1342, 1), (1501, 1)):
        with pytest.raises(ValidationError) as error:
            hijri_month(*bad)
        assert error.value.field == "hijri_month"
    with pytest.raises(ValidationError):
        gregorian_month(2024, 13)


# --- who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_and_head_office_see_reports(scene: Scene, role: Role) -> None:
    actor = scene.world[role]
    with scene.world.ws.db.session() as session:
        if role in (Role.BRANCH_MANAGER, Role.HQ_ADMIN):
            board = dashboard(session, actor, make_period(*SAFAR), today=TODAY)
            assert board.requests.total > 0
        else:
            with pytest.raises(PermissionDenied):
                dashboard(session, actor, make_period(*SAFAR), today=TODAY)
            with pytest.raises(PermissionDenied):
                report_branches(session, actor)


def test_a_branch_manager_sees_only_their_branch(scene: Scene) -> None:
    scope = scene.scope()
    assert scope.branch_id == scene.manager.branch_id
    assert scope.branch_name == "فرع الرياض"
    with pytest.raises(PermissionDenied):
        scene.scope(branch_id=scene.jed)
    with scene.world.ws.db.session() as session:
        assert [b.code for b in report_branches(session, scene.manager)] == ["RYD"]
        assert [b.code for b in report_branches(session, scene.admin)] == ["JED", "RYD"]
    # A scope made for every branch is refused to a user limited to one.
    every = scene.scope(scene.admin)
    assert every.branch_id is None
    with pytest.raises(PermissionDenied):
        scene.run(requests_report, every)
    jeddah = scene.scope(scene.admin, branch_id=scene.jed)
    assert scene.run(requests_report, jeddah, scene.admin).total == 1
    with pytest.raises(NotFound):
        scene.scope(scene.admin, branch_id="no-such-branch")


# --- the numbers ---------------------------------------------------------------------------------


def test_requests_by_status_channel_type_and_month(scene: Scene) -> None:
    # Received in Safar: r1 (first day), r2 (last day), r4, r5, r8, r9, r10 — not r3 (the
    # day before), r6, r7, r13, r14 (July), r11 (Jeddah) nor r12 (deleted).
    report = scene.run(requests_report, scene.scope())
    assert report.total == 7
    assert report.amount_requested_halalas == 100000 + 200000 + 50000 + 30000 + 10000
    assert {s: n for s, n in report.by_status.items() if n} == {
        RequestStatus.FULFILLED: 1,
        RequestStatus.REJECTED: 2,
        RequestStatus.SUBMITTED: 2,
        RequestStatus.WITHDRAWN: 1,
        RequestStatus.DRAFT: 1,
    }
    assert list(report.by_status) == list(RequestStatus)  # every status, zeros too
    assert {c: n for c, n in report.by_channel.items() if n} == {
        Channel.INTERVIEW: 4,
        Channel.PHONE: 1,
        Channel.WEBSITE: 1,
        Channel.LETTER: 1,
    }
    assert report.by_type[RequestType.CASH] == 3
    assert [(m.key, n) for m, n in report.by_month] == [("1446-02", 7)]
    gregorian = scene.run(requests_report, scene.scope(calendar=MonthCalendar.GREGORIAN))
    assert [(m.key, n) for m, n in gregorian.by_month] == [("2024-08", 6), ("2024-09", 1)]
    assert scene.run(requests_report, scene.scope(scene.admin), scene.admin).total == 8


def test_a_day_of_the_period_is_a_day_on_this_laptops_clock(scene: Scene) -> None:
    with scene.world.ws.transaction() as session:
        late = _request(
            session,
            scene.people,
            scene.manager.branch_id,
            scene.manager.user_id,
            "b",
            created=d(10, 1),
            status=RequestStatus.DRAFT,
        )
        late.created_at = at(d(10, 1), 23, 59)
        early = _request(
            session,
            scene.people,
            scene.manager.branch_id,
            scene.manager.user_id,
            "b",
            created=d(10, 2),
            status=RequestStatus.DRAFT,
        )
        early.created_at = at(d(10, 2), 0, 0)
    try:
        only_first = scene.scope(period=(d(10, 1), d(10, 1)))
        only_second = scene.scope(period=(d(10, 2), d(10, 2)))
        assert scene.run(requests_report, only_first).total == 1
        assert scene.run(requests_report, only_second).total == 1
    finally:
        with scene.world.ws.transaction() as session:
            for request in (late, early):
                session.get(SupportRequest, request.id).deleted_at = at(d(10, 3))  # type: ignore[union-attr]


def test_time_to_the_committees_answer(scene: Scene) -> None:
    # First answers in Safar: r1 5 days, r3 2, r7 18, r8 2 (its correction does not count),
    # r13 18. Not r14 (first answered before the period), nor r2 (after), nor r6 (returned).
    report = scene.run(decision_time_report, scene.scope())
    assert report.answered == 5
    assert report.by_days == {2: 2, 5: 1, 18: 2}
    assert report.median_days == 5
    assert report.p90_days == 18
    assert report.mean_days == pytest.approx(9.0)
    assert report.by_outcome == {DecisionOutcome.APPROVE: 5, DecisionOutcome.REJECT: 0}
    assert report.returned_for_information == 1
    assert [(g.first, g.last, g.count) for g in report.groups] == [
        (0, 3, 2),
        (4, 7, 1),
        (8, 14, 0),
        (15, 21, 2),
        (22, 30, 0),
        (31, None, 0),
    ]
    # r2's rejection, 17 days after it came on the period's last day.
    later = scene.run(decision_time_report, scene.scope(period=(d(9, 4), d(9, 30))))
    assert later.by_days == {17: 1}
    assert later.median_days == 17 and later.by_outcome[DecisionOutcome.REJECT] == 1
    empty = scene.run(decision_time_report, scene.scope(period=(d(1, 1), d(1, 31))))
    assert (empty.answered, empty.median_days, empty.p90_days) == (0, None, None)


def test_days_the_clock_was_paused_are_not_the_committees(scene: Scene) -> None:
    # Submitted on 5 May, returned for more information on the 8th, back from the person on
    # the 14th (6 days paused), approved on the 20th: 15 days, 9 of them the committee's.
    # A pause whose return was corrected away (tombstoned) takes nothing off. (In May, so
    # that the scene's Safar stays as the other tests know it.)
    with scene.world.ws.transaction() as session:
        user = scene.manager.user_id
        request = _request(
            session,
            scene.people,
            scene.manager.branch_id,
            user,
            "b",
            created=d(5, 5),
            status=RequestStatus.APPROVED,
            submitted=d(5, 5),
        )
        returned = _decide(session, request, user, DecisionOutcome.NEED_INFO, d(5, 8))
        session.add(
            DeadlinePause(
                request_id=request.id,
                decision_id=returned.id,
                paused_on=d(5, 8),
                resumed_on=d(5, 14),
            )
        )
        session.add(
            DeadlinePause(
                request_id=request.id,
                decision_id=returned.id,
                paused_on=d(5, 15),
                resumed_on=d(5, 18),
                deleted_at=at(d(5, 18)),
            )
        )
        _decide(session, request, user, DecisionOutcome.APPROVE, d(5, 20))
    report = scene.run(decision_time_report, scene.scope(period=(d(5, 1), d(5, 31))))
    assert report.by_days == {9: 1}
    assert (report.answered, report.median_days, report.mean_days) == (1, 9, 9)
    assert report.by_outcome[DecisionOutcome.APPROVE] == 1
    assert report.returned_for_information == 1


def test_median_and_percentile_of_counted_days() -> None:
    assert _median({3: 1, 7: 1}) == 5
    assert _median({1: 2, 9: 1}) == 1
    assert _percentile({1: 9, 30: 1}, 90) == 1
    assert _percentile({1: 8, 30: 2}, 90) == 30


def test_deadline_compliance(scene: Scene) -> None:
    # Due in Safar: on time r1, r3, r8 (its first answer), r14 (answered before the
    # period); late r13; open and overdue r4 (due on the last day, TODAY after it);
    # paused r6; withdrawn r9. r2, r5 are due after Safar, r7 before it.
    report = scene.run(compliance_report, scene.scope())
    total = report.total
    assert (total.on_time, total.late, total.open_overdue, total.open_not_due) == (4, 1, 1, 0)
    assert (total.paused, total.withdrawn, total.due) == (1, 1, 8)
    assert total.on_time_share == pytest.approx(100 * 4 / 6)
    assert [(m.key, c.due) for m, c in report.by_month] == [("1446-02", 8)]
    # Seen on the 25th of August, r4 is not yet due.
    earlier = scene.run(compliance_report, scene.scope(today=d(8, 25))).total
    assert (earlier.open_overdue, earlier.open_not_due) == (0, 1)


def test_services_delivered(scene: Scene) -> None:
    # In Safar: cash to A on the 12th, food baskets to B on the 20th and the last day. Not
    # the cash after the period, Jeddah's rent, nor the deleted delivery.
    report = scene.run(services_report, scene.scope())
    assert report.total == ServiceLine(deliveries=3, amount_halalas=100000, people=2)
    assert report.by_type[ServiceType.CASH] == ServiceLine(1, 100000, 1)
    assert report.by_type[ServiceType.FOOD_BASKET] == ServiceLine(2, 0, 1)
    assert report.by_type[ServiceType.RENT] == ServiceLine()
    every = scene.run(services_report, scene.scope(scene.admin), scene.admin)
    assert every.by_type[ServiceType.RENT] == ServiceLine(1, 70000, 1)


def test_satisfaction_by_month_service_channel_and_branch(scene: Scene) -> None:
    report = scene.run(satisfaction_report, scene.scope(calendar=MonthCalendar.GREGORIAN))
    total = report.total
    assert total.surveys == 3
    assert total.overall == pytest.approx(4.0)  # (5 + 3 + 4) / 3
    assert total.speed == pytest.approx(3.0)  # (4 + 2) / 2: an unanswered rating is left out
    assert total.courtesy == pytest.approx(4.5)
    assert total.clarity == pytest.approx(3.0)
    assert [(m.key, x.surveys, x.overall) for m, x in report.by_month] == [
        ("2024-08", 2, 4.0),
        ("2024-09", 1, 4.0),
    ]
    assert [(c, x.surveys, x.overall) for c, x in report.by_channel] == [
        (Channel.INTERVIEW, 1, 5.0),
        (Channel.PHONE, 2, 3.5),
    ]
    assert [(k, x.surveys, x.overall) for k, x in report.by_service] == [
        (RequestType.CASH, 2, 4.5),
        (None, 1, 3.0),
    ]
    assert [(name, x.surveys) for name, x in report.by_branch] == [("فرع الرياض", 3)]
    assert report.overall_counts == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    every = scene.run(satisfaction_report, scene.scope(scene.admin), scene.admin)
    assert [(name, x.surveys) for name, x in every.by_branch] == [
        ("فرع جدة", 1),
        ("فرع الرياض", 3),
    ]


def test_satisfaction_never_names_staff() -> None:
    for report in (SatisfactionReport, Ratings, ComplaintRow, ComplaintsReport):
        names = {f.name for f in fields(report)}
        assert not names & {"user", "user_id", "staff", "handled_by", "assigned_to"}, report


def test_hijri_month_boundaries_split_the_trends(scene: Scene) -> None:
    # The last day of Rabi' al-Awwal and the first of Rabi' al-Akhir: two months.
    assert hijri_month(1446, 3).last == d(10, 3)
    with scene.world.ws.transaction() as session:
        for day in (d(10, 3), d(10, 4), d(10, 4)):
            session.add(
                ServiceDelivery(
                    beneficiary_id=scene.people["b"],
                    service_type=ServiceType.IN_KIND,
                    items="بطانيات",
                    delivered_on=day,
                    delivered_by_user_id=scene.manager.user_id,
                    deleted_at=None,
                )
            )
    report = scene.run(services_report, scene.scope(period=(d(10, 3), d(10, 4))))
    assert [(m.key, line.deliveries) for m, line in report.by_month] == [
        ("1446-03", 1),
        ("1446-04", 2),
    ]
    assert [m.label("ar") for m, _line in report.by_month] == ["ربيع الأول 1446", "ربيع الآخر 1446"]
    gregorian = scene.run(
        services_report,
        scene.scope(period=(d(10, 3), d(10, 4)), calendar=MonthCalendar.GREGORIAN),
    )
    assert [(m.key, line.deliveries) for m, line in gregorian.by_month] == [("2024-10", 3)]


def test_open_complaints(scene: Scene) -> None:
    report = scene.run(complaints_report, scene.scope())
    assert report.received == 3
    assert {s: n for s, n in report.by_status.items() if n} == {
        FeedbackStatus.OPEN: 1,
        FeedbackStatus.ANSWERED: 1,
        FeedbackStatus.CLOSED: 1,
    }
    assert report.suggestions == 1
    # Not closed by the period's end: the two of August and the one of June, however old.
    assert (report.open_count, report.overdue_count) == (3, 2)
    assert [(c.received_on, c.overdue_days) for c in report.open] == [
        (d(6, 1), (TODAY - d(6, 15)).days),
        (d(8, 10), (TODAY - d(8, 24)).days),
        (d(8, 15), 0),
    ]
    assert report.open[0].text == "تأخر الرد على الطلب"
    shown = scene.run(lambda s, a, scope: complaints_report(s, a, scope, limit=1), scene.scope())
    assert (len(shown.open), shown.open_count) == (1, 3)


def test_request_list(scene: Scene) -> None:
    scope = scene.scope()
    with scene.world.ws.db.session() as session:
        rows = {row.request_number: row for row in request_list(session, scene.manager, scope)}
        assert count_request_list(session, scene.manager, scope) == len(rows) == 7
        numbers = {
            key: session.get(SupportRequest, rid).request_number  # type: ignore[union-attr]
            for key, rid in scene.requests.items()
        }
    first = rows[numbers["r1"]]
    assert (first.received_on, first.submitted_on, first.due_on) == (d(8, 5), d(8, 5), d(8, 19))
    assert (first.answered_on, first.days_to_answer) == (d(8, 10), 5)
    assert first.decision is DecisionOutcome.APPROVE
    assert (first.amount_approved_halalas, first.amount_delivered_halalas) == (100000, 100000)
    corrected = rows[numbers["r8"]]
    assert corrected.answered_on == d(8, 8) and corrected.decision is DecisionOutcome.REJECT
    draft = rows[numbers["r10"]]
    assert (draft.submitted_on, draft.answered_on, draft.decision) == (None, None, None)


def test_the_request_list_needs_the_right_to_export(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(permissions.MATRIX, Permission.EXPORT_DATA, frozenset({Role.HQ_ADMIN}))
    with scene.world.ws.db.session() as session, pytest.raises(PermissionDenied):
        list(request_list(session, scene.manager, scene.scope()))


# --- exports -------------------------------------------------------------------------------------


def _sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    """The rows of the sheet named after the table `title` (cut as Excel needs)."""
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name(title, set())]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_every_report_message_has_arabic() -> None:
    import romah_desktop.services.reports as reports_package

    arabic = catalogue("ar")
    for module in sorted(Path(reports_package.__file__).parent.glob("*.py")):
        source = module.read_text(encoding="utf-8")
        import ast

        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"N_", "translate", "t"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                assert arabic.get(node.args[0].value), node.args[0].value


def test_dashboard_workbook_in_arabic(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "reports" / "dashboard.xlsx"
    seen: list[tuple[int, int]] = []
    with scene.world.ws.transaction() as session:
        result = export_report(
            session,
            scene.manager,
            ReportKind.DASHBOARD,
            scene.scope(),
            path,
            lang="ar",
            progress=lambda done, total: seen.append((done, total)),
        )
    assert result.path == path and path.exists()
    assert seen[-1][0] == seen[-1][1] == result.tables
    book = openpyxl.load_workbook(path)
    assert len(book.sheetnames) == result.tables
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    status_sheet = translate("Requests by status", "ar")
    rows = _sheet_rows(path, status_sheet)
    assert rows[0] == (
        translate("Status today", "ar"),
        translate("Number of requests", "ar"),
        translate("Share of the total (%)", "ar"),
    )
    assert all(re.search("[\u0621-\u064a]", header) for header in rows[0])
    counts = {row[0]: row[1] for row in rows[1:]}
    assert counts[label(RequestStatus.REJECTED, "ar")] == 2
    assert counts[translate("All together", "ar")] == 7
    summary = _sheet_rows(path, translate("Report summary", "ar"))
    assert (translate("Branch office", "ar"), "فرع الرياض") in summary
    compliance = _sheet_rows(path, translate("Compliance with the committee's deadline", "ar"))
    assert compliance[1][:3] == ("صفر 1446", 4, 1)
    # Who served whom appears nowhere: no member of staff is named.
    staff = {scene.world[role].full_name for role in Role} - {scene.manager.full_name}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not staff & {str(v) for v in row if v is not None}
    assert [p.name for p in path.parent.iterdir()] == ["dashboard.xlsx"]


def test_report_workbook_in_english(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "services.xlsx"
    with scene.world.ws.transaction() as session:
        export_report(session, scene.manager, ReportKind.SERVICES, scene.scope(), path, lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Report summary",
        "Services delivered by type",
        "Services delivered by month",
    ]
    assert not book.worksheets[0].sheet_view.rightToLeft
    rows = _sheet_rows(path, "Services delivered by type")
    assert rows[0] == ("Service", "Number of deliveries", "Amount in riyals", "People served")
    assert ("Cash assistance", 1, 1000.0, 1) in rows
    assert rows[-1] == ("All together", 3, 1000.0, 2)


def test_request_list_workbook(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "requests.xlsx"
    with scene.world.ws.transaction() as session:
        result = export_report(
            session, scene.manager, ReportKind.REQUEST_LIST, scene.scope(), path, lang="ar"
        )
        number = session.get(SupportRequest, scene.requests["r1"]).request_number  # type: ignore[union-attr]
    assert result.rows == 7
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == request_list_headers("ar")
    assert len(rows) == 8
    first = next(row for row in rows if row[0] == number)
    assert first[6] == to_hijri(d(8, 5)) == "1446/02/01 هـ"
    assert first[7] == datetime(2024, 8, 5)
    assert first[14] == 5 and first[15] == label(DecisionOutcome.APPROVE, "ar")
    assert first[16:] == (1000.0, 1000.0, 1000.0)


def test_a_cancelled_export_writes_nothing(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"an older export")
    with scene.world.ws.transaction() as session:
        audits = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        for kind in (ReportKind.REQUEST_LIST, ReportKind.DASHBOARD):
            with pytest.raises(ExportCancelled) as cancelled:
                export_report(
                    session, scene.manager, kind, scene.scope(), path, cancelled=lambda: True
                )
            assert "لم يُحفظ" in cancelled.value.text("ar")
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == audits
    assert path.read_bytes() == b"an older export"
    assert [p.name for p in tmp_path.iterdir()] == ["list.xlsx"]


def test_exports_are_audited_without_personal_data(scene: Scene, tmp_path: Path) -> None:
    with scene.world.ws.transaction() as session:
        export_report(
            session,
            scene.manager,
            ReportKind.REQUEST_LIST,
            scene.scope(),
            tmp_path / "x.xlsx",
        )
        event = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "report.export")
            .order_by(AuditEvent.device_seq.desc())
        ).first()
    assert event is not None and event.user_id == scene.manager.user_id
    assert event.details == {
        "kind": "request-list",
        "format": "xlsx",
        "from": "2024-08-05",
        "to": "2024-09-03",
        "branch_id": scene.manager.branch_id,
        "rows": 7,
    }


def test_only_xlsx_and_pdf(scene: Scene, tmp_path: Path) -> None:
    with scene.world.ws.transaction() as session, pytest.raises(RomahError) as error:
        export_report(
            session, scene.manager, ReportKind.REQUESTS, scene.scope(), tmp_path / "x.csv"
        )
    assert ".xlsx" in error.value.text("en")


def test_sheet_names_excel_accepts() -> None:
    taken: set[str] = set()
    assert sheet_name("Requests: by status?", taken) == "Requests by status"
    long = "x" * 40
    assert sheet_name(long, taken) == "x" * 31
    assert sheet_name(long, taken) == "x" * 27 + " (2)"


# --- the command line ----------------------------------------------------------------------------


def _romah(scene: Scene, *args: str) -> Any:
    data_dir = scene.world.ws.data_dir
    return CliRunner().invoke(
        main,
        ["--data-dir", str(data_dir), "--user", "admin", *args],
        env={"ROMAH_PASSWORD": ADMIN_PASSWORD},
    )


def test_romah_report_writes_the_file(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "safar.xlsx"
    result = _romah(
        scene, "--lang", "en", "report", "requests", "--hijri-month", "1446/02", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "2024-08-05 – 2024-09-03" in result.output
    rows = _sheet_rows(out, "Requests by status")
    assert rows[-1] == ("All together", 8, 100)  # every branch, for the head office's administrator
    result = _romah(
        scene,
        "--json",
        "report",
        "request-list",
        "--from",
        "1446/02/01 هـ",
        "--to",
        "2024-09-03",
        "--branch",
        "jed",
        "--out",
        str(tmp_path / "jed.xlsx"),
    )
    assert result.exit_code == 0, result.output
    assert '"rows": 1' in result.output


def test_romah_report_refuses_bad_periods(scene: Scene, tmp_path: Path) -> None:
    out = str(tmp_path / "x.xlsx")
    cases = {
        ("--from", "2024-09-03", "--to", "2024-08-05"): "before it starts",
        ("--to", "2024-08-05"): "first day",
        ("--hijri-month", "1446-13"): "between 1 and 12",
        ("--hijri-month", "Safar"): "YEAR/MONTH",
        ("--hijri-year", "1446", "--from", "2024-08-05"): "once",
        ("--branch", "XYZ", "--hijri-year", "1446"): "XYZ",
    }
    for options, message in cases.items():
        result = _romah(scene, "--lang", "en", "report", "requests", *options, "--out", out)
        assert result.exit_code == 1, (options, result.output)
        assert message in result.output, (options, result.output)
    assert not Path(out).exists()
    result = _romah(scene, "report", "requests", "--hijri-year", "1446", "--out", "x.txt")
    assert result.exit_code == 1 and ".xlsx" in result.output


def _pdf_text(path: Path) -> str:
    import unicodedata

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return unicodedata.normalize("NFKC", text)


def test_dashboard_pdf(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "safar.pdf"
    seen: list[tuple[int, int]] = []
    with scene.world.ws.transaction() as session:
        export_report(
            session,
            scene.manager,
            ReportKind.DASHBOARD,
            scene.scope(),
            path,
            lang="en",  # printed reports are Arabic whatever the window's language
            progress=lambda done, total: seen.append((done, total)),
        )
    assert path.read_bytes().startswith(b"%PDF")
    assert seen and seen[-1][0] == seen[-1][1] > 0
    text = _pdf_text(path)
    for expected in (
        "جمعية رومة لتطوير العمل غير الربحي",
        "فرع الرياض",
        "1446/02/01 هـ (2024/08/05 م) – 1446/02/30 هـ (2024/09/03 م)",
        "الطلبات حسب الحالة",
        f"{label(RequestStatus.REJECTED, 'ar')} 2",
        "الالتزام بمهلة رد اللجنة",
        "صفر 1446",
        "تأخر الرد على الطلب",
    ):
        assert expected in text, expected


def test_request_list_pdf(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    with scene.world.ws.transaction() as session:
        result = export_report(session, scene.manager, ReportKind.REQUEST_LIST, scene.scope(), path)
    assert result.rows == 7
    text = _pdf_text(path)
    assert "طلبات الفترة، لكل طلب سطر" in text
    assert "1446/02/01 هـ" in text and "2024/08/05 م" in text
    assert text.count("عبدالله") >= 5  # the person of every request but those of خالد


# --- report PDFs on paper: whole tokens, repeated headers, landscape when wide -------------


def _pdf_sizes(path: Path) -> list[tuple[int, int]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [tuple(round(v) for v in page.get_size()) for page in document]  # type: ignore[misc]
    finally:
        document.close()


@pytest.mark.parametrize("kind", list(ReportKind), ids=str)
def test_every_report_pdf_keeps_numbers_and_words_whole_and_says_who_prepared_it(
    scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: ReportKind
) -> None:
    from tests.romah_desktop.printing.drawn import Drawn

    drawn = Drawn().spy(monkeypatch)
    path = tmp_path / f"{kind.value}.pdf"
    with scene.world.ws.transaction() as session:
        export_report(session, scene.manager, kind, scene.scope(), path)
    assert drawn.wraps and not drawn.broken_words()
    prepared = translate("Prepared by", "ar")
    assert any(prepared in text and scene.manager.full_name in text for text, _ in drawn.wraps)
    # Every page that has table rows starts them under the table's header row.
    for page, kinds in drawn.pages().items():
        if "row" in kinds:
            assert "head" in kinds[: kinds.index("row")], (page, kinds)
        if "heading" in kinds:
            after = kinds[len(kinds) - kinds[::-1].index("heading") :]
            assert {"row", "text"} & set(after), (page, kinds)


def test_the_request_list_pdf_keeps_every_amount_and_fits_twenty_rows_a_page(
    scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from romah_desktop.services.reports import export
    from tests.romah_desktop.printing.drawn import Drawn

    with scene.world.ws.db.session() as session:
        rows = list(request_list(session, scene.manager, scene.scope()))
    many = rows * 12  # a busy month
    monkeypatch.setattr(export, "request_list", lambda *args: iter(many))
    monkeypatch.setattr(export, "count_request_list", lambda *args: len(many))
    drawn = Drawn().spy(monkeypatch)
    path = tmp_path / "list.pdf"
    with scene.world.ws.transaction() as session:
        result = export_report(session, scene.manager, ReportKind.REQUEST_LIST, scene.scope(), path)
    assert result.rows == len(many)
    titles = {text for text, _lines in drawn.wraps}
    for header in ("Amount requested (SAR)", "Amount approved (SAR)", "Amount delivered (SAR)"):
        assert translate(header, "ar") in titles, header
    per_page = [kinds.count("row") for kinds in drawn.pages().values()]
    assert sum(per_page) == len(many)
    assert max(per_page) >= 20, per_page
    tables = [kinds for kinds in drawn.pages().values() if "row" in kinds]
    assert all(kinds.count("head") == 1 for kinds in tables)
    assert not drawn.broken_words()


def test_a_report_too_wide_for_a_portrait_page_is_printed_landscape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from romah_desktop.services.reports.pdf import write_tables_pdf
    from romah_desktop.services.reports.writing import Table
    from tests.romah_desktop.printing.drawn import Drawn

    drawn = Drawn().spy(monkeypatch)

    narrow = Table("narrow", "جدول", ["الشهر", "العدد"], [["صفر 1446", 1_234_567]])
    wide = Table(
        "wide",
        "جدول عريض",
        [f"العمود {n}" for n in range(14)],
        [[1_234_567.25 + n for n in range(14)]] * 30,
    )
    for tables, size in (([narrow], (595, 842)), ([narrow, wide], (842, 595))):
        path = tmp_path / "wide.pdf"
        write_tables_pdf(path, "تقرير", tables, branch="فرع", subtitle="صفر 1446")
        assert set(_pdf_sizes(path)) == {size}
    # Too wide even for a landscape page at the smallest size: smaller still, numbers whole.
    assert drawn.wraps and not drawn.broken_words()
