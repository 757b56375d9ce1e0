"""Tests of a person's timeline: every kind of record, newest first, in the current language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.enums import Channel, DecisionOutcome, DocumentType, RequestType, Role, ServiceType
from db.models import Branch, Contact, User
from romah_desktop.errors import NotFound, PermissionDenied
from romah_desktop.i18n import set_language
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    record_service_delivery,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.feedback import record_survey
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.interview import record_document_check, start_interview
from romah_desktop.services.people.timeline import TimelineEntry, TimelineKind, timeline
from romah_desktop.services.research import (
    answer_referral,
    refer_to_research,
    write_research_report,
)
from tests.romah_desktop.test_intake import World, declare, register, world_fixture

world = world_fixture("timeline")
SUBMITTED = datetime(2024, 8, 29, 9, 0, tzinfo=UTC)
DECIDED = date(2024, 9, 10)


def a_full_file(world: World) -> tuple[str, dict[str, str]]:
    """A person with one record of every kind; returns their id and the records' ids."""
    person = register(world)
    ids: dict[str, str] = {}
    clerk = world.clerk
    with world.ws.transaction() as s:
        ids["contact"] = log_contact(
            s,
            clerk,
            channel=Channel.PHONE,
            subject="يسأل عن مساعدة الإيجار",
            beneficiary_id=person,
            occurred_at=datetime(2024, 8, 27, 8, 0, tzinfo=UTC),
        ).id
        ids["interview"] = start_interview(
            s, clerk, person, Channel.INTERVIEW, now=datetime(2024, 8, 28, 8, 0, tzinfo=UTC)
        ).id
        ids["document"] = record_document_check(
            s,
            clerk,
            beneficiary_id=person,
            doc_type=DocumentType.LEASE_CONTRACT,
            number="ع-12",
            issue_date="2023-01-01",
            expiry_date="2024-01-01",
            checked_on=date(2024, 8, 28),
        ).id
    ids["declaration"] = declare(world, person)
    with world.ws.transaction() as s:
        request = create_request(
            s,
            clerk,
            beneficiary_id=person,
            request_type=RequestType.RENT,
            amount="3,000",
            justification="متأخرات إيجار",
            channel=Channel.INTERVIEW,
        )
        ids["request"] = request.id
        submit_request(s, clerk, request.id, now=SUBMITTED)
    with world.ws.transaction() as s:
        ids["decision"] = record_decision(
            s,
            world[Role.COMMITTEE_MEMBER],
            ids["request"],
            outcome=DecisionOutcome.APPROVE,
            approved_amount="2,500",
            reason=None,
            decided_on=DECIDED,
            members=None,
            today=DECIDED,
        ).id
    with world.ws.transaction() as s:
        ids["service"] = record_service_delivery(
            s,
            clerk,
            request_id=ids["request"],
            service_type=ServiceType.RENT,
            amount="2,500",
            items=None,
            delivered_on=date(2024, 9, 11),
            today=date(2024, 9, 11),
        ).id
        ids["survey"] = record_survey(
            s,
            clerk,
            channel=Channel.PHONE,
            overall=4,
            comment="خدمة سريعة",
            beneficiary_id=person,
            collected_on=date(2024, 9, 12),
        ).id
        ids["referral"] = refer_to_research(
            s, clerk, beneficiary_id=person, question="هل يستحق دعمًا إضافيًا؟"
        ).id
    with world.ws.transaction() as s:
        researcher = world[Role.SOCIAL_RESEARCHER]
        answer_referral(s, researcher, ids["referral"], "نعم، بعد الزيارة")
        ids["report"] = write_research_report(
            s, researcher, beneficiary_id=person, findings="الأسرة بحاجة إلى دعم"
        ).id
    return person, ids


def plain(text: str) -> str:
    """`text` without the direction isolates."""
    return text.replace("\u2066", "").replace("\u2069", "")


def entries_of(world: World, person: str, actor: Actor | None = None) -> list[TimelineEntry]:
    with world.ws.db.session() as session:
        return timeline(session, actor or world.clerk, person)


def test_everything_about_a_person_newest_first(world: World) -> None:
    person, ids = a_full_file(world)
    other, _ = a_full_file(world)
    entries = entries_of(world, person)
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert {e.record_id for e in entries} == set(ids.values())
    assert {e.kind for e in entries} == set(TimelineKind)
    assert not {e.record_id for e in entries} & {e.record_id for e in entries_of(world, other)}
    # The request shows when it was opened and when it was submitted, the referral when it was
    # asked and answered.
    assert [e.kind for e in entries].count(TimelineKind.REQUEST) == 2
    assert [e.kind for e in entries].count(TimelineKind.REFERRAL) == 2
    by_kind = {e.kind: e for e in entries}
    # Dated records of the past sort on their day, older than the ones written today.
    assert entries[-1].kind == TimelineKind.CONTACT
    assert by_kind[TimelineKind.CONTACT].summary == "عبر الاتصال الهاتفي: يسأل عن مساعدة الإيجار"
    assert by_kind[TimelineKind.SERVICE].day == date(2024, 9, 11)
    assert "2,500.00" in by_kind[TimelineKind.DECISION].summary
    assert by_kind[TimelineKind.DECISION].when_text() == "1446/03/07 هـ (2024/09/10 م)"
    assert plain(by_kind[TimelineKind.CONTACT].when_text()).startswith(
        "1446/02/23 هـ (2024/08/27 م) "
    )


def test_an_expired_document_is_flagged(world: World) -> None:
    person, ids = a_full_file(world)
    document = next(e for e in entries_of(world, person) if e.record_id == ids["document"])
    assert document.flagged and not document.has_time
    assert "منتهي الصلاحية" in document.summary
    assert "1445/06/19 هـ (2024/01/01 م)" in plain(document.summary)
    # The Gregorian date is isolated left-to-right, or Arabic text would show it as 01-01-2024.
    assert "2024/01/01 م" in document.summary
    others = [e for e in entries_of(world, person) if e.record_id != ids["document"]]
    assert not any(e.flagged for e in others)


def test_summaries_follow_the_current_language(world: World) -> None:
    person, ids = a_full_file(world)
    arabic = {e.record_id: e.summary for e in entries_of(world, person)}
    assert "تقرير البحث الاجتماعي" in arabic[ids["report"]]
    set_language("en")
    english = {e.record_id: e.summary for e in entries_of(world, person)}
    assert english[ids["report"]] == "Social research report: الأسرة بحاجة إلى دعم"
    assert english[ids["survey"]] == "Overall rating 4 of 5. — خدمة سريعة"
    assert english[ids["service"]].startswith("Rent delivered. — 2,500.00 riyals")


def test_deleted_records_leave_the_timeline(world: World) -> None:
    person, ids = a_full_file(world)
    with world.ws.transaction() as session:
        contact = session.get(Contact, ids["contact"])
        assert contact is not None
        contact.deleted_at = utcnow()
    assert ids["contact"] not in {e.record_id for e in entries_of(world, person)}


def test_only_those_who_may_see_the_file_get_its_timeline(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        other = Branch(code="TLJ", name="فرع جدة")
        session.add(other)
        session.flush()
        user = User(
            username="jed.timeline",
            full_name="موظف جدة",
            role=Role.INTERVIEWER,
            branch_id=other.id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        outsider = Actor.of(user)
    with pytest.raises(PermissionDenied):
        entries_of(world, person, outsider)
    # The head office sees every branch; an unknown file is not found.
    assert entries_of(world, person, world[Role.HQ_ADMIN]) == []
    with pytest.raises(NotFound):
        entries_of(world, "no-such-person")
    with world.ws.db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) >= 7
