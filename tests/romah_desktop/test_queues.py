"""Tests of what the screens list: a user's day, the branch's requests and contacts, the library.

One scene is built for the module (two branches, requests at every point of the committee's
deadline, contacts with and without follow-ups, referrals to research) and each test reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.enums import Channel, DecisionOutcome, RequestStatus, RequestType, Role
from db.models import Branch, User
from romah_desktop import permissions
from romah_desktop.errors import NotFound, PermissionDenied
from romah_desktop.permissions import Permission
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.library import seed_relations_policy
from romah_desktop.services.queues import (
    DUE_SOON_DAYS,
    list_contacts,
    list_library,
    list_requests,
    my_day,
    request_details,
)
from romah_desktop.services.research import answer_referral, refer_to_research
from tests.romah_desktop.test_intake import World, declare, make_world, register

TODAY = date(2024, 8, 29)


def noon(month: int, day: int) -> datetime:
    return datetime(2024, month, day, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Scene:
    world: World
    jed_clerk: Actor
    researcher2: Actor
    people: dict[str, str]
    requests: dict[str, str]
    numbers: dict[str, str]
    contacts: dict[str, str]
    referrals: dict[str, str]
    created: list[str]  # the RYD requests in the order they were created

    @property
    def clerk(self) -> Actor:
        return self.world.clerk

    def __getitem__(self, role: Role) -> Actor:
        return self.world[role]


def _user(world: World, branch_id: str, username: str, role: Role) -> Actor:
    with world.ws.transaction() as session:
        user = User(
            username=username,
            full_name=username,
            role=role,
            branch_id=branch_id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        return Actor.of(user)


def _request(
    world: World,
    clerk: Actor,
    person: str,
    kind: RequestType,
    amount: str | None,
    submitted_on: datetime | None,
) -> tuple[str, str]:
    with world.ws.transaction() as session:
        request = create_request(
            session,
            clerk,
            beneficiary_id=person,
            request_type=kind,
            amount=amount,
            justification="الأسرة تحتاج إلى الدعم",
            channel=Channel.INTERVIEW,
            today=TODAY,
        )
        if submitted_on is not None:
            submit_request(session, clerk, request.id, now=submitted_on)
        return request.id, request.request_number


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    world = make_world(tmp_path_factory.mktemp("queues"))
    clerk = world.clerk
    with world.ws.transaction() as session:
        jed = Branch(code="JED", name="فرع جدة")
        session.add(jed)
        session.flush()
        jed_id = jed.id
    jed_clerk = _user(world, jed_id, "jed.clerk", Role.INTERVIEWER)
    researcher2 = _user(world, clerk.branch_id, "researcher.two", Role.SOCIAL_RESEARCHER)
    people = {"a": register(world), "b": register(world, first_name="خالد")}
    with world.ws.transaction() as session:
        from romah_desktop.services.people.beneficiaries import register_beneficiary
        from tests.helpers.people import person_form

        people["j"] = register_beneficiary(session, jed_clerk, person_form(), today=TODAY).id
    for key in ("a", "b"):
        declare(world, people[key])
    with world.ws.transaction() as session:
        from romah_desktop.services.intake.declarations import sign_declaration

        sign_declaration(
            session,
            jed_clerk,
            beneficiary_id=people["j"],
            signer_name="مقدم الطلب",
            text="أقر بصحة البيانات",
            signature_png=None,
        )
    requests: dict[str, str] = {}
    numbers: dict[str, str] = {}
    created: list[str] = []
    plan = [
        # key, person, type, amount, submitted (due 14 days later)
        ("late", "a", RequestType.RENT, "3,000", noon(8, 1)),  # due 08-15: overdue
        ("soon", "b", RequestType.FOOD, None, noon(8, 17)),  # due 08-31: in two days
        ("later", "a", RequestType.CASH, "500", noon(8, 25)),  # due 09-08
        ("decided", "b", RequestType.MEDICAL, None, noon(8, 10)),
        ("draft", "a", RequestType.EDUCATION, None, None),
    ]
    for key, person, kind, amount, submitted in plan:
        requests[key], numbers[key] = _request(
            world, clerk, people[person], kind, amount, submitted
        )
        created.append(requests[key])
    requests["jed_late"], numbers["jed_late"] = _request(
        world, jed_clerk, people["j"], RequestType.RENT, "1,000", noon(8, 1)
    )
    committee = world[Role.COMMITTEE_MEMBER]
    with world.ws.transaction() as session:
        first = record_decision(
            session,
            committee,
            requests["decided"],
            outcome=DecisionOutcome.REJECT,
            approved_amount=None,
            reason="لا تنطبق الشروط",
            decided_on=date(2024, 8, 20),
            members=None,
            today=TODAY,
        )
        record_decision(
            session,
            committee,
            requests["decided"],
            outcome=DecisionOutcome.APPROVE,
            approved_amount=None,
            reason=None,
            decided_on=date(2024, 8, 21),
            members="أعضاء اللجنة",
            supersedes_id=first.id,
            today=TODAY,
        )

    contacts: dict[str, str] = {}

    def contact(key: str, actor: Actor, when: datetime, **fields: object) -> None:
        with world.ws.transaction() as session:
            contacts[key] = log_contact(session, actor, occurred_at=when, **fields).id  # type: ignore[arg-type]

    contact(
        "past",
        clerk,
        noon(8, 20),
        channel=Channel.PHONE,
        subject="موعد الصرف",
        beneficiary_id=people["a"],
        follow_up_on="2024-08-27",
    )
    contact(
        "today",
        clerk,
        noon(8, 28),
        channel=Channel.WEBSITE,
        subject="كيف أسجل؟",
        inquirer_name="سارة أحمد",
        inquirer_phone="0501234567",
        follow_up_on="1446/02/25 هـ",  # 2024-08-29
    )
    contact(
        "future",
        clerk,
        noon(8, 28),
        channel=Channel.PHONE,
        subject="يتصل لاحقًا",
        beneficiary_id=people["b"],
        follow_up_on="2024-09-05",
    )
    contact(
        "letter",
        clerk,
        noon(8, 29),
        channel=Channel.LETTER,
        subject="خطاب من الجهة",
        beneficiary_id=people["b"],
        letter_reference="1446/ر/15",
        letter_date="1446/02/20 هـ",
    )
    contact(
        "jed",
        jed_clerk,
        noon(8, 20),
        channel=Channel.PHONE,
        subject="فرع آخر",
        inquirer_name="سائل",
        follow_up_on="2024-08-28",
    )

    researcher = world[Role.SOCIAL_RESEARCHER]
    referrals: dict[str, str] = {}
    for key, actor, person, assigned in (
        ("mine", clerk, "a", researcher.user_id),
        ("open", clerk, "b", None),
        ("other", clerk, "a", researcher2.user_id),
        ("answered", clerk, "b", None),
        ("jed", jed_clerk, "j", None),
    ):
        with world.ws.transaction() as session:
            referrals[key] = refer_to_research(
                session,
                actor,
                beneficiary_id=people[person],
                question=f"سؤال ({key})",
                assigned_to_user_id=assigned,
            ).id
    with world.ws.transaction() as session:
        answer_referral(session, researcher, referrals["answered"], "الإجراءات كالتالي")
    yield Scene(
        world, jed_clerk, researcher2, people, requests, numbers, contacts, referrals, created
    )
    world.ws.close()


def ids(rows: list[object]) -> list[str]:
    return [row.id for row in rows]  # type: ignore[attr-defined]


# --- my day ---------------------------------------------------------------------------------


def test_a_clerks_day(scene: Scene) -> None:
    with scene.world.ws.db.session() as session:
        day = my_day(session, scene.clerk, TODAY)
    assert day.sections == {"requests", "follow_ups"}
    assert ids(day.follow_ups) == [scene.contacts["past"], scene.contacts["today"]]
    assert ids(day.overdue) == [scene.requests["late"]]
    assert ids(day.due_soon) == [scene.requests["soon"]]
    assert day.referrals == [] and day.awaiting_committee == []
    assert day.total == 4
    assert day.counts == {"follow_ups": 2, "overdue": 1, "due_soon": 1}

    past, inquiry = day.follow_ups
    assert past.registered and past.person_name == "عبدالله محمد علي القحطاني"
    assert past.file_number is not None and past.file_number.startswith("RYD-")
    assert past.handled_by == "User interviewer" and past.channel == Channel.PHONE
    assert not inquiry.registered and inquiry.person_name == "سارة أحمد"
    assert inquiry.file_number is None and inquiry.inquirer_phone == "+966501234567"
    assert inquiry.follow_up_on == TODAY

    late = day.overdue[0]
    assert late.request_number == scene.numbers["late"]
    assert late.committee_due_on == date(2024, 8, 15) and late.is_overdue(TODAY)
    assert late.days_left(TODAY) == -14 and late.amount_requested_halalas == 300_000
    soon = day.due_soon[0]
    assert soon.person_name.startswith("خالد") and soon.request_type == RequestType.FOOD
    assert soon.days_left(TODAY) == 2 <= DUE_SOON_DAYS and not soon.is_overdue(TODAY)


def test_the_day_moves_on(scene: Scene) -> None:
    with scene.world.ws.db.session() as session:
        day = my_day(session, scene.clerk, date(2024, 9, 6))
    assert ids(day.follow_ups) == [
        c for k, c in scene.contacts.items() if k in ("past", "today", "future")
    ]
    assert ids(day.overdue) == [scene.requests["late"], scene.requests["soon"]]
    assert ids(day.due_soon) == [scene.requests["later"]]


def test_a_researchers_day_has_the_referrals_for_them_or_nobody(scene: Scene) -> None:
    with scene.world.ws.db.session() as session:
        day = my_day(session, scene[Role.SOCIAL_RESEARCHER], TODAY)
        other = my_day(session, scene.researcher2, TODAY)
        jed = my_day(session, scene.jed_clerk, TODAY)
    assert day.sections == {"requests", "follow_ups", "referrals"}
    assert ids(day.referrals) == [scene.referrals["mine"], scene.referrals["open"]]
    assert [r.assigned_to_me for r in day.referrals] == [True, False]
    assert day.referrals[0].question == "سؤال (mine)"
    assert day.referrals[0].person_name == "عبدالله محمد علي القحطاني"
    assert ids(other.referrals) == [scene.referrals["open"], scene.referrals["other"]]
    # Another branch's queue: its own follow-up and request, none of this branch's.
    assert ids(jed.follow_ups) == [scene.contacts["jed"]]
    assert ids(jed.overdue) == [scene.requests["jed_late"]]
    assert jed.referrals == []


def test_a_committee_members_day_has_the_requests_awaiting_it(scene: Scene) -> None:
    with scene.world.ws.db.session() as session:
        day = my_day(session, scene[Role.COMMITTEE_MEMBER], TODAY)
    assert day.sections == {"requests", "committee"}
    assert day.follow_ups == [] and day.referrals == []
    assert ids(day.awaiting_committee) == [
        scene.requests["late"],
        scene.requests["soon"],
        scene.requests["later"],
    ]
    assert day.total == 3  # the overdue and due-soon requests are counted once


def test_the_administrator_sees_every_branchs_deadlines_but_logs_no_contacts(
    scene: Scene,
) -> None:
    with scene.world.ws.db.session() as session:
        day = my_day(session, scene[Role.HQ_ADMIN], TODAY)
        manager = my_day(session, scene[Role.BRANCH_MANAGER], TODAY)
    assert day.sections == {"requests"} and day.follow_ups == []
    assert set(ids(day.overdue)) == {scene.requests["late"], scene.requests["jed_late"]}
    assert manager.sections == {"requests", "follow_ups", "referrals"}
    assert ids(manager.overdue) == [scene.requests["late"]]


def test_todays_lists_are_cut_but_counted_in_full(scene: Scene) -> None:
    with scene.world.ws.db.session() as session:
        day = my_day(session, scene[Role.COMMITTEE_MEMBER], date(2024, 9, 6), limit=1)
        clerk = my_day(session, scene.clerk, date(2024, 9, 6), limit=1)
        with pytest.raises(ValueError):
            my_day(session, scene.clerk, TODAY, limit=-1)
    assert ids(day.awaiting_committee) == [scene.requests["late"]]
    assert day.count("awaiting_committee") == 3 and day.count("overdue") == 2
    assert day.total == 3
    assert ids(clerk.follow_ups) == [scene.contacts["past"]]
    assert clerk.count("follow_ups") == 3 and clerk.total == 3 + 2 + 1


@pytest.mark.parametrize("on", [date(2024, 8, 10), TODAY, date(2024, 9, 6), date(2024, 12, 1)])
def test_today_lists_what_the_workflow_services_list(scene: Scene, on: date) -> None:
    # Today counts and cuts its lists itself; they must stay those of the services.
    from romah_desktop.services.committee.requests import due_soon, overdue_requests
    from romah_desktop.services.intake.contacts import due_follow_ups

    with scene.world.ws.db.session() as session:
        for actor in (scene.clerk, scene.jed_clerk, scene[Role.BRANCH_MANAGER]):
            day = my_day(session, actor, on)
            assert ids(day.follow_ups) == ids(due_follow_ups(session, actor, on))
            assert ids(day.overdue) == ids(overdue_requests(session, actor, on))
            assert ids(day.due_soon) == ids(due_soon(session, actor, on, DUE_SOON_DAYS))
        admin = my_day(session, scene[Role.HQ_ADMIN], on)
        assert ids(admin.overdue) == ids(overdue_requests(session, scene[Role.HQ_ADMIN], on))


# --- requests -------------------------------------------------------------------------------


def test_the_branchs_requests_newest_first(scene: Scene) -> None:
    newest_first = list(reversed(scene.created))
    with scene.world.ws.db.session() as session:
        assert ids(list_requests(session, scene.clerk)) == newest_first
        everyone = ids(list_requests(session, scene[Role.HQ_ADMIN]))
        assert everyone == [scene.requests["jed_late"], *newest_first]
        assert ids(list_requests(session, scene.jed_clerk)) == [scene.requests["jed_late"]]
        first = list_requests(session, scene.clerk, limit=2)
        second = list_requests(session, scene.clerk, limit=2, after=first[-1])
        third = list_requests(session, scene.clerk, limit=2, after=second[-1])
        assert [ids(p) for p in (first, second, third)] == [
            newest_first[:2],
            newest_first[2:4],
            newest_first[4:],
        ]
        assert list_requests(session, scene.clerk, after=third[-1]) == []
        with pytest.raises(ValueError):
            list_requests(session, scene.clerk, limit=-1)


def test_requests_by_status_type_and_search(scene: Scene) -> None:
    r = scene.requests
    with scene.world.ws.db.session() as session:

        def found(**filters: object) -> list[str]:
            return ids(list_requests(session, scene.clerk, **filters))  # type: ignore[arg-type]

        assert found(status=RequestStatus.SUBMITTED) == [r["later"], r["soon"], r["late"]]
        assert found(status=RequestStatus.APPROVED) == [r["decided"]]
        assert found(status=RequestStatus.DRAFT) == [r["draft"]]
        assert found(request_type=RequestType.RENT) == [r["late"]]
        assert found(status=RequestStatus.DRAFT, request_type=RequestType.RENT) == []
        # By number (any part, any case), by name (Arabic-aware), by national ID.
        assert found(query=scene.numbers["soon"].lower()) == [r["soon"]]
        assert found(query="خالد") == [r["decided"], r["soon"]]
        assert found(query="  خالد  ", status=RequestStatus.SUBMITTED) == [r["soon"]]
        assert found(query="no such thing") == []
        assert found(query="%") == []
        assert found(query="") == list(reversed(scene.created))
        person_a = session.scalar(
            sa.text("SELECT national_id FROM beneficiary WHERE id = :id"), {"id": scene.people["a"]}
        )
        assert found(query=person_a) == [r["draft"], r["later"], r["late"]]
        # Another branch's person is not found from this branch.
        jed_id = session.scalar(
            sa.text("SELECT national_id FROM beneficiary WHERE id = :id"), {"id": scene.people["j"]}
        )
        assert found(query=jed_id) == []


def test_a_requests_details_with_its_corrected_decision(scene: Scene) -> None:
    with scene.world.ws.db.session() as session:
        details = request_details(session, scene.clerk, scene.requests["decided"])
        assert details.row.status == RequestStatus.APPROVED
        assert details.channel == Channel.INTERVIEW
        assert details.justification == "الأسرة تحتاج إلى الدعم"
        assert [(d.outcome, d.in_force) for d in details.decisions] == [
            (DecisionOutcome.REJECT, False),
            (DecisionOutcome.APPROVE, True),
        ]
        assert details.decisions[0].reason == "لا تنطبق الشروط"
        assert details.decisions[1].members == "أعضاء اللجنة"
        assert request_details(session, scene.clerk, scene.requests["draft"]).decisions == []
        with pytest.raises(PermissionDenied):
            request_details(session, scene.clerk, scene.requests["jed_late"])
        with pytest.raises(NotFound):
            request_details(session, scene.clerk, "nope")


# --- contacts -------------------------------------------------------------------------------


def test_the_branchs_contacts_newest_first_with_filters(scene: Scene) -> None:
    c = scene.contacts
    with scene.world.ws.db.session() as session:

        def found(actor: Actor | None = None, **filters: object) -> list[str]:
            return ids(list_contacts(session, actor or scene.clerk, **filters))  # type: ignore[arg-type]

        # Two contacts at the same moment: the later-made one first.
        assert found() == [c["letter"], c["future"], c["today"], c["past"]]
        assert found(channel=Channel.LETTER) == [c["letter"]]
        assert found(channel=Channel.PHONE) == [c["future"], c["past"]]
        assert found(channel=Channel.VOLUNTEERING) == []
        assert found(since=date(2024, 8, 28)) == [c["letter"], c["future"], c["today"]]
        assert found(since=date(2024, 8, 30)) == []
        assert found(beneficiary_id=scene.people["b"]) == [c["letter"], c["future"]]
        (newest,) = list_contacts(session, scene.clerk, limit=1)
        # The next page after a row: the same moment's older rows, then earlier moments.
        assert found(limit=2, after=newest) == [c["future"], c["today"]]
        second = list_contacts(session, scene.clerk, limit=2, after=newest)
        assert found(after=second[-1]) == [c["past"]]
        assert found(scene.jed_clerk) == [c["jed"]]
        assert found(scene[Role.HQ_ADMIN]) == [
            c["letter"],
            c["future"],
            c["today"],
            c["jed"],
            c["past"],
        ]
        letter = list_contacts(session, scene.clerk, channel=Channel.LETTER)[0]
        assert letter.letter_reference == "1446/ر/15" and letter.letter_date == date(2024, 8, 24)
        assert letter.follow_up_on is None and letter.person_name.startswith("خالد")
        with pytest.raises(PermissionDenied):
            list_contacts(session, scene.clerk, beneficiary_id=scene.people["j"])
        with pytest.raises(NotFound):
            list_contacts(session, scene.clerk, beneficiary_id="nope")
        with pytest.raises(ValueError):
            list_contacts(session, scene.clerk, limit=-5)


# --- library --------------------------------------------------------------------------------


def test_the_library_flags_an_overdue_review(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    with world.ws.transaction() as session:
        seed_relations_policy(session, world[Role.HQ_ADMIN])  # seeded already: nothing written
    with world.ws.db.session() as session:
        [before] = [
            d
            for d in list_library(session, world.clerk, date(2024, 12, 25))
            if d.version == "1.0" and d.title == "سياسة تنظيم العلاقة مع المستفيدين"
        ]
        [after] = [
            d
            for d in list_library(session, world.clerk, date(2024, 12, 26))
            if d.title == before.title
        ]
    assert before.title == "سياسة تنظيم العلاقة مع المستفيدين" and before.version == "1.0"
    assert before.approved_on == date(2024, 8, 29)
    assert before.review_due_on == date(2024, 12, 25)
    assert not before.review_overdue and after.review_overdue
    assert before.body is not None and "لجنة البحث" in before.body
    world.ws.close()


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda s, a: my_day(s, a, TODAY),
        lambda s, a: list_requests(s, a),
        lambda s, a: list_contacts(s, a),
        lambda s, a: request_details(s, a, "any"),
        lambda s, a: list_library(s, a, TODAY),
    ],
    ids=["my_day", "list_requests", "list_contacts", "request_details", "list_library"],
)
def test_every_list_checks_the_permission(
    scene: Scene, monkeypatch: pytest.MonkeyPatch, call: object
) -> None:
    # No role may view beneficiaries today: every list must refuse.
    monkeypatch.setitem(permissions.MATRIX, Permission.VIEW_BENEFICIARIES, frozenset())
    with scene.world.ws.db.session() as session:
        with pytest.raises(PermissionDenied):
            call(session, scene.clerk)  # type: ignore[operator]
