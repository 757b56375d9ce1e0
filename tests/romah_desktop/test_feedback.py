"""Tests of satisfaction surveys, and of suggestions and complaints followed up to closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import Channel, FeedbackKind, FeedbackStatus, RequestType, Role
from db.models import AuditEvent, Feedback
from romah_desktop.errors import (
    Conflict,
    FormErrors,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from romah_desktop.services.committee.requests import create_request
from romah_desktop.services.feedback import (
    answer_feedback,
    assign_feedback,
    close_feedback,
    feedback_assignees,
    feedback_due,
    feedback_overdue,
    list_feedback,
    list_surveys,
    record_feedback,
    record_survey,
    survey_subjects,
)
from romah_desktop.services.intake.contacts import log_contact
from tests.romah_desktop.test_intake import (
    World,
    arabic,
    field_error,
    make_world,
    refused,
    register,
    world_fixture,
)

world = world_fixture("feedback")
RECEIVED = date(2024, 9, 1)


def complaint(world: World, **changes: Any) -> str:
    values: dict[str, Any] = {
        "kind": FeedbackKind.COMPLAINT,
        "channel": Channel.PHONE,
        "text": "تأخر الرد على طلبي",
        "received_on": RECEIVED,
        **changes,
    }
    with world.ws.transaction() as session:
        return record_feedback(session, world.clerk, **values).id


# --- surveys --------------------------------------------------------------------------------


def test_an_anonymous_survey(world: World) -> None:
    with world.ws.transaction() as session:
        survey = record_survey(
            session, world.clerk, channel=Channel.WEBSITE, overall=4, comment="  خدمة ممتازة "
        )
        survey_id = survey.id
        assert survey.beneficiary_id is None
        assert survey.comment == "خدمة ممتازة"
        assert survey.collected_on == date.today()
    with world.ws.db.session() as session:
        event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.entity_id == survey_id)
        ).one()
        # The trail records that a survey was taken, never its ratings.
        assert event.details == {"anonymous": True}


def test_a_survey_about_a_request_and_a_contact(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        request = create_request(
            session,
            world.clerk,
            beneficiary_id=person,
            request_type=RequestType.FOOD,
            amount=None,
            justification="سبب",
            channel=Channel.INTERVIEW,
        )
        contact = log_contact(
            session, world.clerk, channel=Channel.INTERVIEW, subject="مراجعة", beneficiary_id=person
        )
        survey = record_survey(
            session,
            world.clerk,
            channel=Channel.INTERVIEW,
            overall=5,
            speed=3,
            courtesy=5,
            clarity=4,
            beneficiary_id=person,
            request_id=request.id,
            contact_id=contact.id,
            collected_on=RECEIVED,
        )
        assert (survey.overall, survey.speed, survey.courtesy, survey.clarity) == (5, 3, 5, 4)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"overall": 0}, "overall"),
        ({"overall": 6}, "overall"),
        ({"overall": None}, "overall"),
        ({"overall": "  "}, "overall"),  # typed blank: not given
        ({"overall": "خمسة"}, "overall"),
        ({"overall": "٦"}, "overall"),  # Arabic-Indic 6
        ({"overall": "4.5"}, "overall"),
        ({"overall": "-3"}, "overall"),
        ({"speed": "0"}, "speed"),
        ({"overall": True}, "overall"),
        ({"overall": 4.5}, "overall"),
        ({"speed": 9}, "speed"),
        ({"courtesy": -1}, "courtesy"),
        ({"clarity": 0}, "clarity"),
        ({"comment": "x" * 2001}, "comment"),
        ({"channel": "email"}, "channel"),
        ({"request_id": "nope"}, "request_id"),  # anonymous: no request
        ({"contact_id": "nope"}, "contact_id"),
    ],
)
def test_survey_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"channel": Channel.PHONE, "overall": 3, **changes}
    error = refused(world.ws, FormErrors, lambda s: record_survey(s, world.clerk, **values))
    found = field_error(error, field)
    if field in ("overall", "speed", "courtesy", "clarity"):
        assert "1" in found.text("ar") and "5" in found.text("ar")


def test_a_survey_names_only_the_beneficiary_s_own_request(world: World) -> None:
    person, other = register(world), register(world)
    with world.ws.transaction() as session:
        request = create_request(
            session,
            world.clerk,
            beneficiary_id=other,
            request_type=RequestType.FOOD,
            amount=None,
            justification="سبب",
            channel=Channel.INTERVIEW,
        ).id
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_survey(
            s,
            world.clerk,
            channel=Channel.PHONE,
            overall=3,
            beneficiary_id=person,
            request_id=request,
        ),
    )
    field_error(error, "request_id")


# --- suggestions and complaints -------------------------------------------------------------


def test_a_complaint_is_followed_up_to_closing(world: World) -> None:
    manager = world[Role.BRANCH_MANAGER]
    person = register(world)
    item = complaint(world, beneficiary_id=person, due_in_days=7)
    with world.ws.db.session() as session:
        row = session.get(Feedback, item)
        assert row is not None
        assert row.status == FeedbackStatus.OPEN
        assert row.due_on == date(2024, 9, 8)

    error = refused(world.ws, Conflict, lambda s: close_feedback(s, manager, item))
    arabic(error)
    with world.ws.transaction() as session:
        assigned = assign_feedback(session, manager, item, world.clerk.user_id)
        assert assigned.status == FeedbackStatus.ASSIGNED
        # Reassigning is allowed until it is answered.
        assign_feedback(session, manager, item, world[Role.SOCIAL_RESEARCHER].user_id)
    with world.ws.transaction() as session:
        answered = answer_feedback(session, manager, item, "تم التواصل مع المستفيد وحل المشكلة")
        assert answered.status == FeedbackStatus.ANSWERED
    error = refused(world.ws, Conflict, lambda s: answer_feedback(s, manager, item, "مرة أخرى"))
    assert "تم الرد" in arabic(error)
    refused(
        world.ws,
        Conflict,
        lambda s: assign_feedback(s, manager, item, world.clerk.user_id),
    )
    closed_at = datetime(2024, 9, 5, 10, 0, tzinfo=UTC)
    with world.ws.transaction() as session:
        closed = close_feedback(session, manager, item, now=closed_at)
        assert closed.status == FeedbackStatus.CLOSED
        assert closed.closed_at == closed_at
    refused(world.ws, Conflict, lambda s: close_feedback(s, manager, item))


def test_an_anonymous_suggestion(world: World) -> None:
    item = complaint(world, kind=FeedbackKind.SUGGESTION, text="إتاحة التقديم عبر الموقع")
    with world.ws.db.session() as session:
        row = session.get(Feedback, item)
        assert row is not None and row.beneficiary_id is None
        assert row.due_on == date(2024, 9, 15)  # 14 days by default


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "praise"}, "kind"),
        ({"channel": "email"}, "channel"),
        ({"text": "  "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"due_in_days": 0}, "due_in_days"),
        ({"due_in_days": 366}, "due_in_days"),
        ({"due_in_days": "7"}, "due_in_days"),
    ],
)
def test_feedback_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {
        "kind": FeedbackKind.COMPLAINT,
        "channel": Channel.PHONE,
        "text": "نص",
        **changes,
    }
    error = refused(world.ws, FormErrors, lambda s: record_feedback(s, world.clerk, **values))
    field_error(error, field)


def test_follow_up_bad_input(world: World) -> None:
    manager = world[Role.BRANCH_MANAGER]
    item = complaint(world)
    error = refused(
        world.ws, ValidationError, lambda s: assign_feedback(s, manager, item, "nobody")
    )
    field_error(error, "user_id")
    error = refused(world.ws, ValidationError, lambda s: answer_feedback(s, manager, item, ""))
    field_error(error, "response")
    refused(world.ws, NotFound, lambda s: answer_feedback(s, manager, "nope", "رد"))


def _feedback_calls(world: World, item: str) -> dict[str, Callable[[Session, Any], object]]:
    return {
        "record_survey": lambda s, a: record_survey(s, a, channel=Channel.PHONE, overall=3),
        "record_feedback": lambda s, a: record_feedback(
            s, a, kind=FeedbackKind.SUGGESTION, channel=Channel.PHONE, text="اقتراح"
        ),
        "assign_feedback": lambda s, a: assign_feedback(s, a, item, world.clerk.user_id),
        "answer_feedback": lambda s, a: answer_feedback(s, a, item, "رد"),
        "close_feedback": lambda s, a: close_feedback(s, a, item),
    }


@pytest.mark.parametrize(
    ("call", "role"),
    [
        ("record_survey", Role.COMMITTEE_MEMBER),
        ("record_survey", Role.HQ_ADMIN),
        ("record_feedback", Role.COMMITTEE_MEMBER),
        ("assign_feedback", Role.INTERVIEWER),
        ("answer_feedback", Role.SOCIAL_RESEARCHER),
        ("close_feedback", Role.INTERVIEWER),
    ],
)
def test_feedback_permission_denied(world: World, call: str, role: Role) -> None:
    item = complaint(world)
    action = _feedback_calls(world, item)[call]
    error = refused(world.ws, PermissionDenied, lambda s: action(s, world[role]))
    arabic(error)


# --- typed ratings, anonymity, the assignee's answer and the lists ----------------------------


def test_ratings_typed_as_text(world: World) -> None:
    with world.ws.transaction() as session:
        survey = record_survey(
            session,
            world.clerk,
            channel=Channel.PHONE,
            overall=" ٥ ",  # Arabic-Indic five, as typed
            speed="3",
            courtesy="",
            clarity=None,
        )
        assert (survey.overall, survey.speed, survey.courtesy, survey.clarity) == (5, 3, None, None)


def test_an_anonymous_survey_does_not_name_a_registered_person_s_contact(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        theirs = log_contact(
            session, world.clerk, channel=Channel.PHONE, subject="سؤال", beneficiary_id=person
        ).id
        inquiry = log_contact(
            session,
            world.clerk,
            channel=Channel.WEBSITE,
            subject="استفسار",
            inquirer_name="سائل",
            inquirer_phone="0551234567",
        ).id
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_survey(
            s, world.clerk, channel=Channel.PHONE, overall=4, contact_id=theirs
        ),
    )
    assert "هويته" in field_error(error, "contact_id").text("ar")
    with world.ws.transaction() as session:
        survey = record_survey(
            session, world.clerk, channel=Channel.WEBSITE, overall=4, contact_id=inquiry
        )
        assert survey.beneficiary_id is None and survey.contact_id == inquiry


def test_a_survey_cannot_be_dated_in_the_future(world: World) -> None:
    error = refused(
        world.ws,
        FormErrors,
        lambda s: record_survey(
            s,
            world.clerk,
            channel=Channel.PHONE,
            overall=4,
            collected_on=date(2024, 9, 2),
            today=date(2024, 9, 1),
        ),
    )
    field_error(error, "collected_on")


def test_the_assigned_colleague_answers(world: World) -> None:
    manager = world[Role.BRANCH_MANAGER]
    researcher = world[Role.SOCIAL_RESEARCHER]
    item = complaint(world)
    with world.ws.transaction() as session:
        assign_feedback(session, manager, item, researcher.user_id)
    # Another colleague without the follow-up permission may not answer it.
    refused(world.ws, PermissionDenied, lambda s: answer_feedback(s, world.clerk, item, "رد"))
    with world.ws.transaction() as session:
        answered = answer_feedback(session, researcher, item, "اتصلنا بالمستفيد واعتذرنا")
        assert answered.status == FeedbackStatus.ANSWERED
    # Closing stays with those who follow feedback up.
    refused(world.ws, PermissionDenied, lambda s: close_feedback(s, researcher, item))


def test_the_follow_up_list_puts_the_overdue_first_and_shows_each_their_own(
    tmp_path: Path,
) -> None:
    mine = make_world(tmp_path)
    manager, clerk = mine[Role.BRANCH_MANAGER], mine.clerk
    person = register(mine)

    def new(**changes: Any) -> str:
        values: dict[str, Any] = {
            "kind": FeedbackKind.COMPLAINT,
            "channel": Channel.PHONE,
            "text": "شكوى",
            "received_on": RECEIVED,
            **changes,
        }
        with mine.ws.transaction() as session:
            return record_feedback(session, clerk, **values).id

    late = new(due_in_days=3, beneficiary_id=person)  # due 2024-09-04
    soon = new(due_in_days=30, kind=FeedbackKind.SUGGESTION, text="اقتراح")  # due 2024-10-01
    done = new(due_in_days=1)
    with mine.ws.transaction() as session:
        assign_feedback(session, manager, soon, clerk.user_id)
        answer_feedback(session, manager, done, "تم")
        close_feedback(session, manager, done)
    today = date(2024, 9, 10)
    with mine.ws.db.session() as session:
        rows = list_feedback(session, manager, today)
        assert [r.id for r in rows] == [late, soon, done]
        assert [r.overdue for r in rows] == [True, False, False]  # a closed one is never late
        assert rows[0].person_name and rows[0].file_number
        assert rows[1].assigned_to == clerk.full_name and rows[1].person_name == ""
        assert [r.id for r in list_feedback(session, manager, today, open_only=True)] == [
            late,
            soon,
        ]
        assert [
            r.id for r in list_feedback(session, manager, today, kind=FeedbackKind.SUGGESTION)
        ] == [soon]
        # A colleague sees what is assigned to them, nothing else.
        assert [r.id for r in list_feedback(session, clerk, today)] == [soon]
        assert feedback_overdue(FeedbackStatus.ANSWERED, date(2024, 1, 1), today) is False
        names = {c.full_name for c in feedback_assignees(session, manager, late)}
        assert clerk.full_name in names and manager.full_name in names
        with pytest.raises(PermissionDenied):
            feedback_assignees(session, clerk, late)
        with pytest.raises(ValueError):
            list_feedback(session, manager, today, limit=-1)
    mine.ws.close()


def test_the_survey_list_and_what_a_survey_can_be_about(tmp_path: Path) -> None:
    mine = make_world(tmp_path)
    clerk = mine.clerk
    person = register(mine)
    with mine.ws.transaction() as session:
        contact = log_contact(
            session, clerk, channel=Channel.SOCIAL_MEDIA, subject="شكر", beneficiary_id=person
        ).id
        record_survey(session, clerk, channel=Channel.WEBSITE, overall=2, collected_on=RECEIVED)
        record_survey(
            session,
            clerk,
            channel=Channel.SOCIAL_MEDIA,
            overall=5,
            beneficiary_id=person,
            contact_id=contact,
            collected_on=date(2024, 9, 2),
        )
    with mine.ws.db.session() as session:
        rows = list_surveys(session, mine[Role.BRANCH_MANAGER])
        assert [(r.overall, r.anonymous, r.about_contact) for r in rows] == [
            (5, False, True),
            (2, True, False),
        ]
        assert rows[0].person_name and rows[1].person_name == ""
        assert [r.overall for r in list_surveys(session, clerk, since=date(2024, 9, 2))] == [5]
        with pytest.raises(PermissionDenied):
            list_surveys(session, mine[Role.COMMITTEE_MEMBER])
        subjects = survey_subjects(session, clerk, date.today())
        assert [(s.kind, s.id, s.channel) for s in subjects] == [
            ("contact", contact, Channel.SOCIAL_MEDIA)
        ]
        assert subjects[0].beneficiary_id == person
    mine.ws.close()


def test_today_lists_the_overdue_and_the_soon_due_feedback(tmp_path: Path) -> None:
    mine = make_world(tmp_path)
    manager, clerk = mine[Role.BRANCH_MANAGER], mine.clerk

    def new(days: int, kind: FeedbackKind = FeedbackKind.COMPLAINT) -> str:
        with mine.ws.transaction() as session:
            return record_feedback(
                session,
                clerk,
                kind=kind,
                channel=Channel.PHONE,
                text="ملاحظة",
                received_on=RECEIVED,
                due_in_days=days,
            ).id

    late = new(3)  # due 2024-09-04
    later = new(5, FeedbackKind.SUGGESTION)  # due 2024-09-06
    today_due = new(9)  # due 2024-09-10, the day itself: due soon
    soon = new(12)  # due 2024-09-13, the last day of "soon"
    far = new(13)  # due 2024-09-14: not yet
    answered = new(1)  # answered, not closed: no longer waiting for its answer
    with mine.ws.transaction() as session:
        answer_feedback(session, manager, answered, "تم")
    today = date(2024, 9, 10)
    with mine.ws.db.session() as session:
        due = feedback_due(session, manager, today)
        assert [r.id for r in due.overdue] == [late, later]
        assert [r.id for r in due.due_soon] == [today_due, soon]
        assert (due.overdue_count, due.due_soon_count, due.total) == (2, 2, 4)
        assert far not in {r.id for r in due.overdue + due.due_soon}
        # The lists are cut at `limit`; the counts stay complete.
        short = feedback_due(session, manager, today, limit=1)
        assert [r.id for r in short.overdue] == [late] and short.overdue_count == 2
        assert feedback_due(session, manager, today, soon_days=0).due_soon_count == 1
        with pytest.raises(PermissionDenied):
            feedback_due(session, clerk, today)
        with pytest.raises(ValueError):
            feedback_due(session, manager, today, limit=-1)
    mine.ws.close()
