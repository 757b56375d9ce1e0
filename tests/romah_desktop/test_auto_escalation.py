"""Automatic escalation: a request past the committee's due date is escalated without anyone
acting (at sign-in and when Today is loaded), once, audited, and synced like a manager's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from db.enums import DecisionOutcome, Role
from db.models import AuditEvent, DeadlineEscalation
from db.models.local import OutboxEntry
from romah_desktop.services.committee.watch import (
    deadline_watch,
    escalate,
    escalate_overdue,
    overdue_count,
    overdue_notice,
)
from romah_desktop.services.committee.workspace import case_file
from tests.romah_desktop.test_committee import decided, meeting, submitted_request
from tests.romah_desktop.test_intake import World, make_world

TODAY = date(2024, 9, 20)
LATER = datetime(2024, 9, 15, 12, tzinfo=UTC)  # due 09-29: not yet overdue on TODAY


@pytest.fixture
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    made = make_world(tmp_path_factory.mktemp("auto_escalation"))
    yield made
    made.ws.close()


def _escalations(world: World) -> dict[str, int]:
    with world.ws.db.session() as session:
        rows = session.execute(
            sa.select(DeadlineEscalation.request_id, sa.func.count())
            .where(DeadlineEscalation.deleted_at.is_(None))
            .group_by(DeadlineEscalation.request_id)
        ).all()
    return {request_id: count for request_id, count in rows}


def test_only_overdue_requests_are_escalated_once_and_audited(fresh: World) -> None:
    _a, overdue = submitted_request(fresh)  # due 09-04, no answer
    _b, not_due = submitted_request(fresh, now=LATER)
    _c, answered = submitted_request(fresh)  # due 09-04, answered on time
    _d, paused = submitted_request(fresh)  # returned for more information: clock stopped
    _e, by_hand = submitted_request(fresh)  # already escalated by the manager
    decided(fresh, answered, meeting(fresh, date(2024, 9, 1)), date(2024, 9, 1))
    decided(
        fresh,
        paused,
        meeting(fresh, date(2024, 8, 30)),
        date(2024, 8, 30),
        DecisionOutcome.NEED_INFO,
        amount=None,
        reason="ينقص عقد الإيجار",
    )
    manager = fresh[Role.BRANCH_MANAGER]
    with fresh.ws.transaction() as session:
        escalate(session, manager, by_hand, "تأخر الرد")
    clerk = fresh.clerk
    with fresh.ws.db.session() as session:
        assert overdue_count(session, clerk, TODAY) == 2  # the escalated one is still overdue

    # Whoever is signed in: the system escalates, in their name, without them acting.
    with fresh.ws.transaction() as session:
        assert escalate_overdue(session, clerk, TODAY) == [overdue]
    assert _escalations(fresh) == {overdue: 1, by_hand: 1}
    # Idempotent: again, and again the next day, nothing more is written.
    with fresh.ws.transaction() as session:
        assert escalate_overdue(session, clerk, TODAY) == []
        assert escalate_overdue(session, manager, date(2024, 9, 21)) == []
    assert _escalations(fresh) == {overdue: 1, by_hand: 1}

    with fresh.ws.db.session() as session:
        events = session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "deadline.escalate",
                AuditEvent.details["automatic"].as_boolean().is_(True),
            )
        ).all()
        assert [(e.user_id, e.details["request"]) for e in events] == [(clerk.user_id, overdue)]
        escalation = session.scalars(
            sa.select(DeadlineEscalation).where(DeadlineEscalation.request_id == overdue)
        ).one()
        # Synced like every other change: the escalation waits in the outbox.
        assert session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxEntry)
            .where(
                OutboxEntry.table_name == "deadline_escalation",
                OutboxEntry.row_id == escalation.id,
            )
        )
        # The manager's Today flags it, though nobody escalated it by hand.
        watch = deadline_watch(session, manager, TODAY)
        assert {r.id for r in watch.escalated} == {overdue, by_hand}
        assert overdue not in {r.id for r in watch.escalatable}
        (row,) = case_file(session, manager, overdue).escalations
        assert "1446/03/01" in row.note or "2024-09-04" in row.note  # the due date it missed
        assert not_due not in _escalations(fresh)


def test_the_notice_counts_in_arabic(fresh: World) -> None:
    with fresh.ws.db.session() as session:
        assert overdue_count(session, fresh.clerk, TODAY) == 0
    assert overdue_notice(0, "ar") == ""
    assert overdue_notice(1, "ar") == "لم تردّ لجنة البحث في موعدها على طلب واحد."
    # After the preposition: «طلبين», not «طلبان».
    assert overdue_notice(2, "ar") == "لم تردّ لجنة البحث في موعدها على طلبين."
    assert overdue_notice(3, "ar").endswith("على 3 طلبات.")
    assert overdue_notice(11, "ar").endswith("على 11 طلبًا.")
    assert overdue_notice(3, "en") == "The research committee's answer is overdue for 3 requests."
