"""Tests of contacts on the eight channels and their follow-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.enums import Channel, Role
from db.models import AuditEvent, Branch, Contact, OutboxEntry
from romah_desktop.errors import FormErrors, NotFound, PermissionDenied
from romah_desktop.services.intake.contacts import complete_follow_up, due_follow_ups, log_contact
from tests.romah_desktop.test_intake import (
    World,
    arabic,
    field_error,
    make_world,
    refused,
    register,
    world_fixture,
)

world = world_fixture("contacts")
NOON = datetime(2024, 8, 29, 12, 0, tzinfo=UTC)


def test_a_contact_with_a_registered_person(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        contact = log_contact(
            session,
            world.clerk,
            channel=Channel.PHONE,
            subject="  سؤال عن موعد صرف الدعم  ",
            beneficiary_id=person,
            notes="اتصل صباحًا",
            follow_up_on="1446/03/01 هـ",
            occurred_at=NOON,
        )
        contact_id = contact.id
        assert contact.subject == "سؤال عن موعد صرف الدعم"
        assert contact.follow_up_on == date(2024, 9, 4)
        assert contact.branch_id == world.clerk.branch_id
        assert contact.handled_by_user_id == world.clerk.user_id
    with world.ws.db.session() as session:
        entries = session.scalars(
            sa.select(OutboxEntry).where(OutboxEntry.row_id == contact_id)
        ).all()
        assert [(e.table_name, e.op) for e in entries] == [("contact", "insert")]
        event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.entity_id == contact_id)
        ).one()
        assert event.action == "contact.log"
        assert event.details == {"channel": "phone"}


def test_an_inquiry_from_someone_not_registered(world: World) -> None:
    with world.ws.transaction() as session:
        contact = log_contact(
            session,
            world.clerk,
            channel=Channel.WEBSITE,
            subject="كيف أسجل في الجمعية؟",
            inquirer_name="سارة أحمد",
            inquirer_phone="٠٥٠١٢٣٤٥٦٧",
        )
        assert contact.beneficiary_id is None
        assert contact.inquirer_phone == "+966501234567"
    error = refused(
        world.ws,
        FormErrors,
        lambda s: log_contact(s, world.clerk, channel=Channel.PHONE, subject="سؤال"),
    )
    assert "يجب تعبئة" in field_error(error, "inquirer_name").text("ar")


def test_a_letter_needs_its_reference(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        letter = log_contact(
            session,
            world.clerk,
            channel=Channel.LETTER,
            subject="خطاب من الضمان الاجتماعي",
            beneficiary_id=person,
            letter_reference="ض/1446/77",
            letter_date="20/02/1446 هـ",
            occurred_at=NOON,
        )
        assert letter.letter_date == date(2024, 8, 24)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: log_contact(
            s, world.clerk, channel=Channel.LETTER, subject="خطاب", beneficiary_id=person
        ),
    )
    field_error(error, "letter_reference")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"subject": ""}, "subject"),
        ({"subject": "س" * 301}, "subject"),
        ({"inquirer_name": "x" * 201}, "inquirer_name"),
        ({"inquirer_phone": "12345"}, "inquirer_phone"),
        ({"notes": "a\x00b"}, "notes"),
        ({"letter_reference": "x" * 61}, "letter_reference"),
        ({"letter_date": "29/8/2024"}, "letter_date"),
        ({"letter_date": "2024-08-30"}, "letter_date"),  # after the contact
        ({"follow_up_on": "2024-02-30"}, "follow_up_on"),
        ({"follow_up_on": "2024-08-28"}, "follow_up_on"),  # before the contact
        ({"occurred_at": utcnow() + timedelta(hours=1)}, "occurred_at"),
    ],
)
def test_contact_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {
        "channel": Channel.SOCIAL_MEDIA,
        "subject": "استفسار",
        "inquirer_name": "سارة أحمد",
        "occurred_at": NOON,
        **changes,
    }
    error = refused(world.ws, FormErrors, lambda s: log_contact(s, world.clerk, **values))
    field_error(error, field)


def test_every_problem_is_reported_at_once(world: World) -> None:
    error = refused(
        world.ws,
        FormErrors,
        lambda s: log_contact(
            s, world.clerk, channel=Channel.LETTER, subject=" ", inquirer_phone="abc"
        ),
    )
    assert isinstance(error, FormErrors)
    assert {e.field for e in error.errors} == {
        "subject",
        "inquirer_name",
        "inquirer_phone",
        "letter_reference",
    }
    arabic(error)


def test_an_unknown_file_is_not_found(world: World) -> None:
    refused(
        world.ws,
        NotFound,
        lambda s: log_contact(
            s, world.clerk, channel=Channel.PHONE, subject="سؤال", beneficiary_id="nope"
        ),
    )


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.HQ_ADMIN])
def test_contact_permission_denied(world: World, role: Role) -> None:
    person = register(world)
    error = refused(
        world.ws,
        PermissionDenied,
        lambda s: log_contact(
            s, world[role], channel=Channel.PHONE, subject="سؤال", beneficiary_id=person
        ),
    )
    arabic(error)
    refused(world.ws, PermissionDenied, lambda s: due_follow_ups(s, world[role], date.today()))
    refused(world.ws, PermissionDenied, lambda s: complete_follow_up(s, world[role], "nope"))


def test_other_roles_log_contacts(world: World) -> None:
    person = register(world)
    for role in (Role.BRANCH_DELEGATE, Role.SOCIAL_RESEARCHER, Role.BRANCH_MANAGER):
        with world.ws.transaction() as session:
            log_contact(
                session,
                world[role],
                channel=Channel.BRANCH_DELEGATE,
                subject="زيارة ميدانية",
                beneficiary_id=person,
            )


def test_due_follow_ups_of_the_branch(tmp_path: Path) -> None:
    # A workspace of its own: the list covers the whole branch.
    mine = make_world(tmp_path)
    workspace, clerk = mine.ws, mine.clerk

    def contact(follow_up: str | None, subject: str) -> str:
        with workspace.transaction() as session:
            return log_contact(
                session,
                clerk,
                channel=Channel.PHONE,
                subject=subject,
                inquirer_name="سائل",
                follow_up_on=follow_up,
                occurred_at=NOON,
            ).id

    overdue = contact("2024-09-01", "متأخرة")
    today = contact("2024-09-04", "اليوم")
    contact("2024-09-05", "غدًا")
    contact(None, "بلا متابعة")
    with workspace.transaction() as session:
        other = Branch(code="JED", name="فرع جدة")
        session.add(other)
        session.flush()
        session.add(
            Contact(
                branch_id=other.id,
                inquirer_name="سائل",
                channel=Channel.PHONE,
                subject="فرع آخر",
                occurred_at=NOON,
                follow_up_on=date(2024, 9, 1),
                handled_by_user_id=clerk.user_id,
            )
        )
    with workspace.db.session() as session:
        due = due_follow_ups(session, clerk, date(2024, 9, 4))
        assert [c.id for c in due] == [overdue, today]

    with workspace.transaction() as session:
        done = complete_follow_up(session, clerk, overdue, "تم الاتصال وإبلاغه")
        assert done.follow_up_on is None
        assert done.notes == "تم الاتصال وإبلاغه"
    with workspace.db.session() as session:
        assert [c.id for c in due_follow_ups(session, clerk, date(2024, 9, 4))] == [today]
    refused(workspace, NotFound, lambda s: complete_follow_up(s, clerk, "nope"))
    workspace.close()
