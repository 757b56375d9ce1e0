"""The guided intake's steps in the core: each step's write, its checks, and where it leaves the
interview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from db.enums import (
    Channel,
    DecisionOutcome,
    DocumentType,
    InterviewStep,
    RegistrationStatus,
    RequestStatus,
    RequestType,
    Role,
    ServiceType,
)
from db.models import Contact, DocumentCheck, Interview, SignedDeclaration, SupportRequest
from romah_desktop import settings
from romah_desktop.dates import format_dual
from romah_desktop.errors import Conflict, FormErrors, PermissionDenied
from romah_desktop.services.committee.requests import record_decision
from romah_desktop.services.intake import guided as gi
from romah_desktop.services.intake import views as iv
from romah_desktop.services.intake.declarations import PNG_MAGIC, current_declaration
from romah_desktop.services.intake.interview import RegistrationIncomplete
from romah_desktop.services.people.beneficiaries import update_beneficiary
from tests.romah_desktop.test_intake import (
    World,
    arabic,
    field_error,
    refused,
    register,
    world_fixture,
)

world = world_fixture("guided")
SIGNATURE = PNG_MAGIC + b"drawn on the pad"
TODAY = date.today()


def receive(world: World, person: str, kind: RequestType = RequestType.RENT) -> gi.Reception:
    with world.ws.transaction() as session:
        return gi.receive_person(
            session,
            world.clerk,
            beneficiary_id=person,
            channel=Channel.INTERVIEW,
            request_type=kind,
            amount="1500" if kind == RequestType.RENT else "",
            subject="مساعدة في الإيجار",
            justification="تأخر سداد الإيجار شهرين.",
        )


def national_id(world: World, person: str) -> str:
    with world.ws.transaction() as session:
        return iv.person_summary(session, world.clerk, person).national_id


def verify(
    world: World,
    reception: gi.Reception,
    documents: list[gi.DocumentEntry],
    fields: dict[str, str] | None = None,
) -> list[gi.DocumentResult]:
    with world.ws.transaction() as session:
        return gi.verify_file(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            fields=fields or {},
            documents=documents,
            today=TODAY,
        )


def rent_documents(
    world: World, person: str, id_expiry: date, lease_expiry: date | None = None
) -> list[gi.DocumentEntry]:
    lease = lease_expiry or TODAY + timedelta(days=300)
    return [
        gi.DocumentEntry("national_id_card", national_id(world, person), id_expiry.isoformat()),
        gi.DocumentEntry("lease_contract", "عقد-1", lease.isoformat()),
    ]


RENT_FIELDS = {"household_size": "5", "housing_type": "rented", "monthly_rent": "1500"}


def interview_of(world: World, reception: gi.Reception) -> Interview:
    with world.ws.transaction() as session:
        interview = session.get(Interview, reception.interview_id)
        assert interview is not None
        session.expunge(interview)
        return interview


# --- 1. receive -------------------------------------------------------------------------------


def test_receiving_logs_the_contact_starts_the_interview_and_opens_the_request(
    world: World,
) -> None:
    person = register(world)
    reception = receive(world, person)
    with world.ws.transaction() as session:
        contact = session.get(Contact, reception.contact_id)
        request = session.get(SupportRequest, reception.request_id)
        interview = session.get(Interview, reception.interview_id)
        assert contact is not None and contact.beneficiary_id == person
        assert contact.subject == "مساعدة في الإيجار" and contact.channel == Channel.INTERVIEW
        assert request is not None and request.status == RequestStatus.DRAFT
        assert request.amount_requested_halalas == 150_000
        assert request.request_number == reception.request_number
        assert interview is not None and interview.contact_id == contact.id
        assert interview.current_step == InterviewStep.RECEIVE


def test_receiving_reports_every_problem_at_once_and_writes_nothing(world: World) -> None:
    def nobody(session: sa.orm.Session) -> object:
        return gi.receive_person(
            session,
            world.clerk,
            beneficiary_id=None,
            channel="fax",
            request_type=RequestType.RENT,
            amount="",
            subject="",
            justification="",
        )

    error = refused(world.ws, FormErrors, nobody)
    for field in ("beneficiary_id", "channel", "amount", "subject", "justification"):
        field_error(error, field)
    assert "اختر المستفيد" in field_error(error, "beneficiary_id").text("ar")
    person = register(world)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: gi.receive_person(
            s,
            world.clerk,
            beneficiary_id=person,
            channel=Channel.PHONE,
            request_type=RequestType.CASH,
            amount="0",
            subject="x" * 301,
            justification="سبب",
        ),
    )
    assert isinstance(error, FormErrors)
    assert {e.field for e in error.errors} == {"amount", "subject"}


def test_a_committee_member_does_not_receive_people(world: World) -> None:
    person = register(world)
    refused(
        world.ws,
        PermissionDenied,
        lambda s: gi.receive_person(
            s,
            world[Role.COMMITTEE_MEMBER],
            beneficiary_id=person,
            channel=Channel.PHONE,
            request_type=RequestType.FOOD,
            amount="",
            subject="سلة",
            justification="سبب",
        ),
    )


# --- 2. collect and verify --------------------------------------------------------------------


def test_the_review_lists_missing_fields_and_the_checklist_with_last_checks(world: World) -> None:
    person = register(world, categories="widow")
    reception = receive(world, person)
    with world.ws.transaction() as session:
        review = iv.review_file(session, world.clerk, reception.request_id)
    assert review.person.id == person and review.request_type == RequestType.RENT
    assert review.missing_fields == ("household_size", "housing_type", "monthly_rent")
    assert [d.doc_type for d in review.documents] == [
        DocumentType.NATIONAL_ID_CARD,
        DocumentType.LEASE_CONTRACT,
        DocumentType.DEATH_CERTIFICATE,
    ]
    assert all(d.required and d.last_number is None for d in review.documents)
    docs = [
        *rent_documents(world, person, TODAY + timedelta(days=30)),
        gi.DocumentEntry("death_certificate", "و-55"),
        gi.DocumentEntry("bank_letter", "خطاب-3"),  # another document, not required
    ]
    verify(world, reception, docs, RENT_FIELDS)
    with world.ws.transaction() as session:
        review = iv.review_file(session, world.clerk, reception.request_id)
    assert review.missing_fields == ()
    by_type = {d.doc_type: d for d in review.documents}
    assert by_type[DocumentType.LEASE_CONTRACT].last_number == "عقد-1"
    assert by_type[DocumentType.BANK_LETTER].required is False
    assert by_type[DocumentType.NATIONAL_ID_CARD].last_expiry == TODAY + timedelta(days=30)


def test_verifying_records_each_document_and_flags_the_expired_one(world: World) -> None:
    person = register(world)
    reception = receive(world, person)
    results = verify(
        world, reception, rent_documents(world, person, TODAY - timedelta(days=1)), RENT_FIELDS
    )
    flagged = {r.doc_type: r.valid_on_submission for r in results}
    assert flagged == {DocumentType.NATIONAL_ID_CARD: False, DocumentType.LEASE_CONTRACT: True}
    assert interview_of(world, reception).current_step == InterviewStep.COLLECT_VERIFY
    with world.ws.transaction() as session:
        checks = session.scalars(
            sa.select(DocumentCheck).where(DocumentCheck.beneficiary_id == person)
        ).all()
        assert {c.request_id for c in checks} == {reception.request_id}
        review = iv.review_file(session, world.clerk, reception.request_id)
        assert review.missing_fields == ()
    # A renewed document checked again later does not move the interview back.
    with world.ws.transaction() as session:
        interview = session.get(Interview, reception.interview_id)
        assert interview is not None
        gi._reach(session, world.clerk, interview, InterviewStep.DECLARE)
    verify(world, reception, rent_documents(world, person, TODAY + timedelta(days=700)))
    assert interview_of(world, reception).current_step == InterviewStep.DECLARE


@pytest.mark.parametrize(
    ("documents", "fields", "problem"),
    [
        (lambda w, p: rent_documents(w, p, TODAY), {}, "file.household_size"),
        (
            lambda w, p: rent_documents(w, p, TODAY),
            {**RENT_FIELDS, "household_size": "كثير"},
            "file.household_size",
        ),
        (
            lambda w, p: [
                gi.DocumentEntry("national_id_card", "", TODAY.isoformat()),
                rent_documents(w, p, TODAY)[1],
            ],
            RENT_FIELDS,
            "documents.0.number",
        ),
        (
            lambda w, p: [
                rent_documents(w, p, TODAY)[0],
                gi.DocumentEntry("lease_contract", "عقد-1", ""),
            ],
            RENT_FIELDS,
            "documents.1.expiry_date",
        ),
        (
            lambda w, p: [
                rent_documents(w, p, TODAY)[0],
                gi.DocumentEntry("lease_contract", "عقد-1", "ليس تاريخًا"),
            ],
            RENT_FIELDS,
            "documents.1.expiry_date",
        ),
        (lambda w, p: rent_documents(w, p, TODAY)[:1], RENT_FIELDS, "documents"),
        (
            lambda w, p: [*rent_documents(w, p, TODAY), gi.DocumentEntry("passport", "1")],
            RENT_FIELDS,
            "documents.2.doc_type",
        ),
    ],
)
def test_verify_bad_input(
    world: World,
    documents: Callable[[World, str], list[gi.DocumentEntry]],
    fields: dict[str, str],
    problem: str,
) -> None:
    person = register(world)
    reception = receive(world, person)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: gi.verify_file(
            s,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            fields=fields,
            documents=documents(world, person),
            today=TODAY,
        ),
    )
    field_error(error, problem)
    assert interview_of(world, reception).current_step == InterviewStep.RECEIVE


def test_the_identity_document_must_be_the_file_s(world: World) -> None:
    person = register(world)
    other = register(world)
    reception = receive(world, person)
    docs = rent_documents(world, person, TODAY)
    docs[0] = gi.DocumentEntry("national_id_card", national_id(world, other), TODAY.isoformat())
    error = refused(
        world.ws,
        FormErrors,
        lambda s: gi.verify_file(
            s,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            fields=RENT_FIELDS,
            documents=docs,
            today=TODAY,
        ),
    )
    assert national_id(world, person) in arabic(field_error(error, "documents.0.number"))


def test_a_step_of_another_person_s_request_is_refused(world: World) -> None:
    mine = receive(world, register(world))
    theirs = receive(world, register(world))
    refused(
        world.ws,
        Conflict,
        lambda s: gi.submit(
            s, world.clerk, interview_id=mine.interview_id, request_id=theirs.request_id
        ),
    )


# --- 3. refer ---------------------------------------------------------------------------------


def test_a_referral_goes_to_a_chosen_officer(world: World) -> None:
    with world.ws.transaction() as session:
        officers = iv.research_officers(session, world.clerk)
    roles = {o.role for o in officers}
    assert roles == {Role.SOCIAL_RESEARCHER, Role.BRANCH_MANAGER}
    officer = next(o for o in officers if o.role == Role.SOCIAL_RESEARCHER)
    person = register(world)
    reception = receive(world, person)
    verify(world, reception, rent_documents(world, person, TODAY), RENT_FIELDS)
    with world.ws.transaction() as session:
        referral_id = gi.refer(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            question="متى يُصرف الدعم؟",
            officer_id=officer.user_id,
        )
    assert interview_of(world, reception).current_step == InterviewStep.REFER
    error = refused(
        world.ws,
        FormErrors,
        lambda s: gi.refer(
            s,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            question=" ",
            officer_id=world.clerk.user_id,  # not someone who answers referrals
        ),
    )
    field_error(error, "question")
    field_error(error, "assigned_to_user_id")
    assert referral_id


# --- 4. declare -------------------------------------------------------------------------------


def test_the_declaration_text_names_the_person_in_both_languages(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        summary = iv.person_summary(session, world.clerk, person)
    arabic_text = iv.declaration_text("ar", summary)
    english_text = iv.declaration_text("en", summary)
    for text in (arabic_text, english_text):
        assert summary.full_name in text and summary.national_id in text
        assert summary.file_number in text and "{" not in text
    assert "مسؤول" in arabic_text and "responsible" in english_text
    with pytest.raises(ValueError):
        iv.declaration_text("fr", summary)


def _declare(world: World, reception: gi.Reception, shown: dict[str, object]) -> gi.SignedSummary:
    with world.ws.transaction() as session:
        return gi.declare(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            signer_name="المستفيد",
            lang="ar",
            shown_data=shown,
            signature_png=SIGNATURE,
            attachments_dir=world.ws.attachments_dir,
        )


def test_a_declaration_covers_exactly_what_was_shown_and_replaces_the_last(world: World) -> None:
    person = register(world)
    reception = receive(world, person)
    verify(world, reception, rent_documents(world, person, TODAY), RENT_FIELDS)
    with world.ws.transaction() as session:
        preview = iv.preview_declaration(session, world.clerk, person, "ar")
    assert preview.declared_data["household_size"] == 5 and preview.current_declaration_id is None
    first = _declare(world, reception, preview.declared_data)
    assert interview_of(world, reception).current_step == InterviewStep.DECLARE
    with world.ws.transaction() as session:
        assert iv.declaration_current(session, world.clerk, first.id)
        signed = session.get(SignedDeclaration, first.id)
        assert signed is not None and signed.text == preview.text
        assert signed.request_id == reception.request_id
        update_beneficiary(session, world.clerk, person, {"city": "جدة"})
    with world.ws.transaction() as session:
        assert not iv.declaration_current(session, world.clerk, first.id)
    # The person was shown the old data: signing it now is refused.
    error = refused(
        world.ws,
        Conflict,
        lambda s: gi.declare(
            s,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            signer_name="المستفيد",
            lang="ar",
            shown_data=preview.declared_data,
            signature_png=SIGNATURE,
            attachments_dir=world.ws.attachments_dir,
        ),
    )
    assert "تغيّرت" in arabic(error)
    with world.ws.transaction() as session:
        fresh = iv.preview_declaration(session, world.clerk, person, "en")
    second = _declare(world, reception, fresh.declared_data)
    with world.ws.transaction() as session:
        signed = session.get(SignedDeclaration, second.id)
        assert signed is not None and signed.supersedes_id == first.id
        current = current_declaration(session, person)
        assert current is not None and current.id == second.id


# --- 5. submit --------------------------------------------------------------------------------


def test_submitting_sets_and_tells_the_committee_s_date(world: World) -> None:
    person = register(world)
    reception = receive(world, person)
    verify(world, reception, rent_documents(world, person, TODAY), RENT_FIELDS)
    error = refused(
        world.ws,
        Conflict,
        lambda s: gi.submit(
            s, world.clerk, interview_id=reception.interview_id, request_id=reception.request_id
        ),
    )
    assert "إقرار" in arabic(error)  # no declaration yet
    with world.ws.transaction() as session:
        preview = iv.preview_declaration(session, world.clerk, person)
    _declare(world, reception, preview.declared_data)
    with world.ws.transaction() as session:
        settings.put(session, "committee_answer_days", 10)
        expected = iv.committee_due_preview(session, world.clerk, TODAY)
    assert expected.days == 10 and expected.due_on == TODAY + timedelta(days=10)
    assert expected.text == format_dual(expected.due_on) and "هـ" in expected.text
    moment = datetime.now().astimezone()
    with world.ws.transaction() as session:
        due = gi.submit(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            now=moment,
        )
        settings.put(session, "committee_answer_days", 14)
    assert due.days == 10 and due.due_on == moment.date() + timedelta(days=10)
    assert due.text == format_dual(due.due_on)
    with world.ws.transaction() as session:
        request = session.get(SupportRequest, reception.request_id)
        assert request is not None and request.committee_due_on == due.due_on
    assert interview_of(world, reception).current_step == InterviewStep.INFORM


# --- 6 and 7. register and deliver ------------------------------------------------------------


def _through_submission(world: World, id_expiry: date) -> tuple[str, gi.Reception]:
    person = register(world)
    reception = receive(world, person)
    verify(world, reception, rent_documents(world, person, id_expiry), RENT_FIELDS)
    with world.ws.transaction() as session:
        preview = iv.preview_declaration(session, world.clerk, person)
    _declare(world, reception, preview.declared_data)
    with world.ws.transaction() as session:
        gi.submit(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
        )
    return person, reception


def test_registration_waits_for_a_valid_identity_document(world: World) -> None:
    person, reception = _through_submission(world, TODAY - timedelta(days=10))
    with world.ws.transaction() as session:
        review = iv.review_registration(session, world.clerk, person)
    assert review.status != RegistrationStatus.REGISTERED and len(review.gaps) == 1
    assert arabic_text(review.gaps[0])
    error = refused(
        world.ws,
        RegistrationIncomplete,
        lambda s: gi.register(
            s, world.clerk, interview_id=reception.interview_id, request_id=reception.request_id
        ),
    )
    assert isinstance(error, RegistrationIncomplete)
    verify(world, reception, rent_documents(world, person, TODAY + timedelta(days=900)))
    for _again in range(2):  # a file registered already stays so
        with world.ws.transaction() as session:
            status = gi.register(
                session,
                world.clerk,
                interview_id=reception.interview_id,
                request_id=reception.request_id,
            )
        assert status == RegistrationStatus.REGISTERED
    with world.ws.transaction() as session:
        assert iv.review_registration(session, world.clerk, person).gaps == ()
    assert interview_of(world, reception).current_step == InterviewStep.COMPLETE_REGISTRATION


def arabic_text(text: str) -> bool:
    return any("\u0621" <= c <= "\u064a" for c in text)


def test_delivery_waits_for_the_approval_then_finishes_the_interview(world: World) -> None:
    person, reception = _through_submission(world, TODAY + timedelta(days=400))
    with world.ws.transaction() as session:
        gi.register(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
        )
    with world.ws.transaction() as session:
        review = iv.review_request(session, world.clerk, reception.request_id)
    assert review.status == RequestStatus.SUBMITTED and review.outcome is None
    assert review.committee_due is not None and "هـ" in review.committee_due

    def deliver(session: sa.orm.Session, delivered_on: str = "") -> str:
        return gi.deliver(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
            service_type=iv.SERVICE_FOR[RequestType.RENT],
            amount="1500",
            items="",
            delivered_on=delivered_on,
        )

    refused(world.ws, Conflict, deliver)  # not approved yet
    with world.ws.transaction() as session:
        record_decision(
            session,
            world[Role.COMMITTEE_MEMBER],
            reception.request_id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="1500",
            reason=None,
            decided_on=None,
            members=None,
        )
    error = refused(world.ws, FormErrors, lambda s: deliver(s, "أمس"))
    field_error(error, "delivered_on")
    with world.ws.transaction() as session:
        delivery_id = deliver(session)
        review = iv.review_request(session, world.clerk, reception.request_id)
    assert delivery_id and review.status == RequestStatus.FULFILLED
    assert review.approved_amount == 150_000 and review.delivered_total == 150_000
    interview = interview_of(world, reception)
    assert interview.finished_at is not None
    assert interview.current_step == InterviewStep.DELIVER_SERVICE
    assert ServiceType.RENT == iv.SERVICE_FOR[RequestType.RENT]


def test_a_rejected_request_closes_the_interview_without_a_delivery(world: World) -> None:
    _person, reception = _through_submission(world, TODAY + timedelta(days=400))
    with world.ws.transaction() as session:
        record_decision(
            session,
            world[Role.COMMITTEE_MEMBER],
            reception.request_id,
            outcome=DecisionOutcome.REJECT,
            approved_amount=None,
            reason="لا تنطبق الشروط",
            decided_on=None,
            members=None,
        )
        review = iv.review_request(session, world.clerk, reception.request_id)
        assert review.outcome == DecisionOutcome.REJECT and review.reason == "لا تنطبق الشروط"
        gi.close_interview(
            session,
            world.clerk,
            interview_id=reception.interview_id,
            request_id=reception.request_id,
        )
    assert interview_of(world, reception).finished_at is not None
    refused(
        world.ws,
        Conflict,
        lambda s: gi.close_interview(
            s, world.clerk, interview_id=reception.interview_id, request_id=reception.request_id
        ),
    )


@pytest.mark.parametrize(
    "step", ["verify", "refer", "declare", "submit", "register", "deliver", "close"]
)
def test_each_step_checks_the_permission_first(world: World, step: str) -> None:
    person = register(world)
    reception = receive(world, person)
    member = world[Role.COMMITTEE_MEMBER]
    ids = {"interview_id": reception.interview_id, "request_id": reception.request_id}
    calls = {
        "verify": lambda s: gi.verify_file(s, member, fields={}, documents=[], **ids),
        "refer": lambda s: gi.refer(s, member, question="؟", officer_id=None, **ids),
        "declare": lambda s: gi.declare(
            s,
            member,
            signer_name="x",
            lang="ar",
            shown_data={},
            signature_png=None,
            attachments_dir=world.ws.attachments_dir,
            **ids,
        ),
        "submit": lambda s: gi.submit(s, member, **ids),
        "register": lambda s: gi.register(s, member, **ids),
        "deliver": lambda s: gi.deliver(
            s, member, service_type="cash", amount="1", items="", delivered_on="", **ids
        ),
        "close": lambda s: gi.close_interview(s, member, **ids),
    }
    error = refused(world.ws, PermissionDenied, calls[step])
    assert arabic(error)
