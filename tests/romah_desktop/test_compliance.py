"""Answered on time, the one figure: of the requests whose answer fell due (answered on time,
answered late, or still unanswered past the due date), the share answered by the due date.
Paused and withdrawn requests, and those not yet due, are not judged. Today's watch counts the
same requests as the Reports page's compliance report and shows the same figure."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from db.enums import DecisionOutcome, Role
from romah_desktop.errors import PermissionDenied, ValidationError
from romah_desktop.services.committee.deadline import on_time_percent
from romah_desktop.services.committee.requests import withdraw_request
from romah_desktop.services.committee.watch import (
    Compliance,
    compliance,
    compliance_period,
    deadline_watch,
)
from romah_desktop.services.reports import dashboard
from tests.romah_desktop.test_committee import decided, load, meeting, submitted_request
from tests.romah_desktop.test_intake import arabic, make_world

TODAY = date(2024, 9, 20)


def test_the_definition() -> None:
    assert on_time_percent(0, 0, 0) is None
    assert on_time_percent(3, 1, 0) == 75
    # A request still unanswered past its due date counts against the committee.
    assert on_time_percent(1, 1, 1) == pytest.approx(100 / 3)
    # Paused, withdrawn and not-yet-due requests are not judged.
    counts = Compliance(TODAY, TODAY, on_time=1, late=1, overdue=2, open=5, paused=4, withdrawn=3)
    assert counts.on_time_percent == 25
    assert Compliance(TODAY, TODAY, open=2, paused=1, withdrawn=1).on_time_percent is None


def test_compliance_counts_the_requests_that_fell_due(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    fresh = make_world(tmp_path_factory.mktemp("compliance"))
    try:
        _a, on_time = submitted_request(fresh)  # due 09-04, answered 09-01
        _b, late = submitted_request(fresh)  # due 09-04, answered 09-10
        _c, overdue = submitted_request(fresh)  # due 09-04, no answer
        _d, open_one = submitted_request(fresh, now=datetime(2024, 9, 15, 12, tzinfo=UTC))
        _e, paused = submitted_request(fresh)
        _f, withdrawn = submitted_request(fresh)
        _g, corrected = submitted_request(fresh)  # approved, then the approval corrected away
        decided(fresh, on_time, meeting(fresh, date(2024, 9, 1)), date(2024, 9, 1))
        decided(fresh, late, meeting(fresh, date(2024, 9, 10)), date(2024, 9, 10))
        returned = meeting(fresh, date(2024, 8, 30))
        decided(
            fresh,
            paused,
            returned,
            date(2024, 8, 30),
            DecisionOutcome.NEED_INFO,
            amount=None,
            reason="إرفاق عقد الإيجار",
        )
        approval = decided(fresh, corrected, returned, date(2024, 8, 30))
        decided(
            fresh,
            corrected,
            meeting(fresh, date(2024, 8, 31)),
            date(2024, 8, 31),
            DecisionOutcome.NEED_INFO,
            amount=None,
            reason="إرفاق صك الإعالة",
            supersedes_id=approval,
        )
        with fresh.ws.transaction() as session:
            withdraw_request(session, fresh.clerk, withdrawn, "بطلب المستفيد")
        manager = fresh[Role.BRANCH_MANAGER]
        with fresh.ws.db.session() as session:
            # Due from 08-01 to 09-30: every request; the one submitted on 09-15 is due 09-29.
            result = compliance(session, manager, date(2024, 8, 1), date(2024, 9, 30), TODAY)
            assert (result.on_time, result.late, result.overdue) == (1, 1, 1)
            # An answer corrected into a return for information stands paused, not answered.
            assert (result.open, result.paused, result.withdrawn) == (1, 2, 1)
            assert result.answered == 2 and result.total == 7
            assert result.on_time_percent == pytest.approx(100 / 3)
            assert [r.id for r in result.problems] == sorted(
                [late, overdue], key=lambda r: load(fresh, r).request_number
            )
            # The period is the due date: up to 09-20, the request due 09-29 is not counted.
            assert compliance(session, manager, date(2024, 8, 1), TODAY, TODAY).open == 0
            with pytest.raises(ValidationError) as reversed_period:
                compliance(session, manager, TODAY, date(2024, 8, 1), TODAY)
            assert arabic(reversed_period.value)
            with pytest.raises(PermissionDenied):
                compliance(session, fresh.clerk, date(2024, 8, 1), TODAY, TODAY)
            watch = deadline_watch(session, manager, TODAY)
            assert watch.can_escalate and watch.compliance is not None
            assert (watch.compliance.since, watch.compliance.until) == compliance_period(TODAY)
            assert watch.compliance.overdue == 1

            # The Reports page's compliance report counts the same requests, the same way.
            for first, last in ((date(2024, 8, 1), date(2024, 9, 30)), compliance_period(TODAY)):
                scope = dashboard.report_scope(
                    session, manager, dashboard.Period(first, last), today=TODAY
                )
                report = dashboard.compliance_report(session, manager, scope).total
                ours = compliance(session, manager, first, last, TODAY)
                assert (report.on_time, report.late, report.open_overdue) == (
                    ours.on_time,
                    ours.late,
                    ours.overdue,
                )
                assert (report.open_not_due, report.paused, report.withdrawn) == (
                    ours.open,
                    ours.paused,
                    ours.withdrawn,
                )
                assert report.on_time_share == ours.on_time_percent
    finally:
        fresh.ws.close()
