"""Tests of the intake: interview steps, document checks, signed declarations, referrals,
research reports and completing the registration.

The helpers at the top (a module's workspace with one user per role, row snapshots, Arabic
message checks) are shared by the other workflow test modules.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import Base
from db.engine import connect_encrypted
from db.enums import (
    Channel,
    DocumentType,
    InterviewStep,
    ReferralStatus,
    RegistrationStatus,
    Role,
)
from db.files import attachment_path
from db.models import (
    Attachment,
    AuditEvent,
    Beneficiary,
    DocumentCheck,
    LocalState,
    NumberSequence,
    SignedDeclaration,
    User,
)
from db.outbox import AppendOnlyError
from romah_desktop.errors import (
    Conflict,
    FormErrors,
    NotFound,
    PermissionDenied,
    RomahError,
    ValidationError,
)
from romah_desktop.i18n import catalogue
from romah_desktop.protection import intact_attachment
from romah_desktop.resources import resources_dir
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.declarations import (
    PNG_MAGIC,
    current_declaration,
    declaration_is_current,
    sign_declaration,
    verify_declaration,
)
from romah_desktop.services.intake.interview import (
    RegistrationIncomplete,
    advance_interview,
    complete_registration,
    finish_interview,
    record_document_check,
    start_interview,
)
from romah_desktop.services.people.beneficiaries import register_beneficiary, update_beneficiary
from romah_desktop.services.research import (
    answer_referral,
    refer_to_research,
    write_research_report,
)
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form

ADMIN_PASSWORD = "admin-pass-1"
TODAY = date(2024, 8, 29)
SIGNATURE = PNG_MAGIC + b"a signature drawn on the pad"
DECLARATION_TEXT = "أقر بأن البيانات المقدمة صحيحة وأنني مسؤول مسؤولية مباشرة عن صحتها."
WORKFLOW_MODULES = (
    "intake/contacts",
    "form_check",
    "intake/interview",
    "intake/declarations",
    "research",
    "committee/requests",
    "feedback",
    "library",
)
_ARABIC = re.compile("[\u0600-\u06ff]")


# --- shared helpers -------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """A workspace with one signed-in user per role, all in the administrator's branch."""

    ws: Workspace
    actors: dict[Role, Actor]

    def __getitem__(self, role: Role) -> Actor:
        return self.actors[role]

    @property
    def clerk(self) -> Actor:
        return self.actors[Role.INTERVIEWER]


def make_world(folder: Path) -> World:
    ws = Workspace.create(folder / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD)
    with ws.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        actors = {Role.HQ_ADMIN: Actor.of(admin)}
        for role in Role:
            if role != Role.HQ_ADMIN:
                # Nobody signs in as these users, so no (slow) password hash is needed.
                user = User(
                    username=f"user.{role.value}",
                    full_name=f"User {role.value}",
                    role=role,
                    branch_id=admin.branch_id,
                    password_hash="-",
                )
                session.add(user)
                session.flush()
                actors[role] = Actor.of(user)
    return World(ws, actors)


def world_fixture(name: str) -> Callable[[pytest.TempPathFactory], Iterator[World]]:
    """A module-scoped `world` fixture (one workspace per test module keeps the tests fast)."""

    @pytest.fixture(scope="module")
    def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
        made = make_world(tmp_path_factory.mktemp(name))
        yield made
        made.ws.close()

    return world


world = world_fixture("intake")


def snapshot(session: Session) -> dict[str, Any]:
    """Every table's row count, the number sequences and the local state (the clock)."""
    session.flush()
    counts: dict[str, Any] = {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }
    counts["number_sequence"] = sorted(
        tuple(row)
        for row in session.execute(sa.select(NumberSequence.kind, NumberSequence.next_value))
    )
    counts["local_state"] = sorted(
        tuple(row) for row in session.execute(sa.select(LocalState.key, LocalState.value))
    )
    return counts


def refused(
    ws: Workspace, error: type[RomahError], action: Callable[[Session], object]
) -> RomahError:
    """Run `action`, expect `error`, and check that nothing at all was written."""
    files_before = sorted(ws.attachments_dir.rglob("*")) if ws.attachments_dir.exists() else []
    with ws.db.session() as session:
        before = snapshot(session)
        with pytest.raises(error) as raised:
            action(session)
        assert snapshot(session) == before
        session.rollback()
    files_after = sorted(ws.attachments_dir.rglob("*")) if ws.attachments_dir.exists() else []
    assert files_after == files_before
    return raised.value


def arabic(error: RomahError) -> str:
    """The error's Arabic text, checked to be translated (not the English source)."""
    text = error.text("ar")
    assert _ARABIC.search(text), text
    if not isinstance(error, FormErrors):
        assert text != error.text("en")
    return text


def field_error(error: RomahError, field: str) -> ValidationError:
    """The problem `error` reports on `field` (a FormErrors or a single ValidationError)."""
    errors = error.errors if isinstance(error, FormErrors) else [error]
    found = [e for e in errors if isinstance(e, ValidationError) and e.field == field]
    assert found, f"no error on {field}: {[getattr(e, 'field', e) for e in errors]}"
    arabic(found[0])
    return found[0]


def register(world: World, **fields: str) -> str:
    with world.ws.transaction() as session:
        person = register_beneficiary(session, world.clerk, person_form(**fields), today=TODAY)
        return person.id


def declare(world: World, beneficiary_id: str, signature: bytes | None = SIGNATURE) -> str:
    with world.ws.transaction() as session:
        declaration = sign_declaration(
            session,
            world.clerk,
            beneficiary_id=beneficiary_id,
            signer_name="عبدالله محمد علي القحطاني",
            text=DECLARATION_TEXT,
            signature_png=signature,
        )
        return declaration.id


def audit_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


# --- translations ---------------------------------------------------------------------------


def test_every_workflow_message_has_arabic() -> None:
    arabic_texts = catalogue("ar")
    source = Path(__file__).resolve().parents[2] / "romah_desktop" / "services"
    missing = []
    for name in WORKFLOW_MODULES:
        tree = ast.parse((source / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                msgid = node.args[0]
                assert isinstance(msgid, ast.Constant) and isinstance(msgid.value, str)
                if not _ARABIC.search(arabic_texts.get(msgid.value, "")):
                    missing.append((name, msgid.value))
    assert missing == []
    assert (resources_dir() / "translations" / "ar" / "workflow.po").exists()


# --- interview ------------------------------------------------------------------------------


def test_interview_moves_forward_in_policy_order(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        interview = start_interview(session, world.clerk, person, Channel.INTERVIEW)
        assert interview.current_step == InterviewStep.RECEIVE
        interview_id = interview.id
    with world.ws.transaction() as session:
        advance_interview(session, world.clerk, interview_id, InterviewStep.COLLECT_VERIFY)
        # The referral is needed only when the procedure is unclear: it may be skipped.
        interview = advance_interview(session, world.clerk, interview_id, InterviewStep.DECLARE)
        assert interview.completed_steps == ["receive", "collect_verify"]
        assert interview.current_step == InterviewStep.DECLARE

    error = refused(
        world.ws,
        Conflict,
        lambda s: advance_interview(s, world.clerk, interview_id, InterviewStep.RECEIVE),
    )
    assert "«استقبال المستفيد»" not in arabic(error)  # it names the current step
    assert "الإقرار والتوقيع" in arabic(error)
    error = refused(
        world.ws,
        Conflict,
        lambda s: advance_interview(
            s, world.clerk, interview_id, InterviewStep.COMPLETE_REGISTRATION
        ),
    )
    assert "إبلاغ المستفيد" in arabic(error)  # the step that must come first

    with world.ws.transaction() as session:
        interview = finish_interview(session, world.clerk, interview_id, "عاد المستفيد لاحقًا")
        assert interview.finished_at is not None
        assert interview.completed_steps == ["receive", "collect_verify", "declare"]
    refused(
        world.ws,
        Conflict,
        lambda s: advance_interview(s, world.clerk, interview_id, InterviewStep.INFORM),
    )


def test_interview_bad_input(world: World) -> None:
    person = register(world)
    other = register(world)
    error = refused(
        world.ws,
        FormErrors,
        lambda s: start_interview(s, world.clerk, person, "fax"),  # type: ignore[arg-type]
    )
    field_error(error, "channel")
    with world.ws.transaction() as session:
        contact = log_contact(
            session, world.clerk, channel=Channel.PHONE, subject="استفسار", beneficiary_id=other
        )
        contact_id = contact.id
    error = refused(
        world.ws,
        FormErrors,
        lambda s: start_interview(s, world.clerk, person, Channel.INTERVIEW, contact_id),
    )
    field_error(error, "contact_id")
    refused(world.ws, NotFound, lambda s: start_interview(s, world.clerk, "nope", Channel.PHONE))
    refused(
        world.ws,
        NotFound,
        lambda s: advance_interview(s, world.clerk, "nope", InterviewStep.INFORM),
    )


# --- documents ------------------------------------------------------------------------------


def test_an_expired_document_is_recorded_and_flagged(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        before = audit_count(session)
        check = record_document_check(
            session,
            world.clerk,
            beneficiary_id=person,
            doc_type=DocumentType.NATIONAL_ID_CARD,
            number=make_national_id("100000017"),
            issue_date="1440/01/01 هـ",
            expiry_date="2024-08-28",
            checked_on=TODAY,
        )
        assert check.valid_on_submission is False
        assert check.issue_date == date(2018, 9, 11)
        assert audit_count(session) == before + 1
        valid = record_document_check(
            session,
            world.clerk,
            beneficiary_id=person,
            doc_type=DocumentType.FAMILY_CARD,
            number="  ٥٥٥٥ ",
            issue_date=None,
            expiry_date="2024-08-29",  # valid through the day of submission
            checked_on=TODAY,
        )
        assert valid.valid_on_submission is True
        undated = record_document_check(
            session,
            world.clerk,
            beneficiary_id=person,
            doc_type=DocumentType.LEASE_CONTRACT,
            number=None,
            issue_date=None,
            expiry_date=None,
            checked_on=TODAY,
        )
        assert undated.valid_on_submission is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"doc_type": "passport"}, "doc_type"),
        ({"number": "123"}, "number"),  # an ID card number must be a valid ID
        ({"number": make_national_id("200000001")}, "number"),  # an Iqama number on an ID card
        ({"issue_date": "2024-13-01"}, "issue_date"),
        ({"issue_date": "2024-09-01"}, "issue_date"),  # after the day of the check
        ({"expiry_date": "yesterday"}, "expiry_date"),
        ({"issue_date": "2024-01-02", "expiry_date": "2024-01-01"}, "expiry_date"),
        ({"notes": "x" * 301}, "notes"),
        ({"request_id": "not-a-request"}, "request_id"),
    ],
)
def test_document_check_bad_input(world: World, changes: dict[str, str], field: str) -> None:
    person = register(world)
    values: dict[str, Any] = {
        "beneficiary_id": person,
        "doc_type": DocumentType.NATIONAL_ID_CARD,
        "number": make_national_id("100000017"),
        "issue_date": None,
        "expiry_date": None,
        "checked_on": TODAY,
        **changes,
    }
    error = refused(world.ws, FormErrors, lambda s: record_document_check(s, world.clerk, **values))
    field_error(error, field)


# --- declarations ---------------------------------------------------------------------------


def test_a_declaration_snapshots_the_file_and_stores_the_signature(world: World) -> None:
    person = register(world, phone="0551234567")
    declaration_id = declare(world, person)
    signature_sha = hashlib.sha256(SIGNATURE).hexdigest()
    # Stored encrypted, at the address of the image's own hash.
    stored = attachment_path(world.ws.attachments_dir, signature_sha)
    assert SIGNATURE not in stored.read_bytes()
    assert intact_attachment(world.ws.attachments_dir, signature_sha, world.ws.files) == SIGNATURE
    with world.ws.db.session() as session:
        declaration = session.get(SignedDeclaration, declaration_id)
        assert declaration is not None
        assert declaration.signature_sha256 == signature_sha
        assert declaration.declared_data["phone"] == "+966551234567"
        assert declaration.declared_data["first_name"] == "عبدالله"
        assert "notes" not in declaration.declared_data
        assert verify_declaration(declaration)
        assert declaration_is_current(session, declaration)
        assert current_declaration(session, person) is declaration
        events = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.entity_id == declaration_id)
        ).all()
        assert [e.details for e in events] == [{"signature": True, "supersedes": False}]

    # The same signature again reuses the stored file and its attachment row.
    second = register(world)
    declare(world, second)
    with world.ws.db.session() as session:
        rows = session.scalars(sa.select(Attachment).where(Attachment.sha256 == signature_sha))
        assert len(rows.all()) == 1


def test_a_declaration_is_not_current_after_the_file_changes(world: World) -> None:
    person = register(world)
    first = declare(world, person, signature=None)  # signed on paper
    with world.ws.transaction() as session:
        update_beneficiary(session, world.clerk, person, {"phone": "0569999999"}, today=TODAY)
    with world.ws.db.session() as session:
        old = session.get(SignedDeclaration, first)
        assert old is not None
        assert verify_declaration(old)  # intact, but no longer covering the file
        assert not declaration_is_current(session, old)
        assert current_declaration(session, person) is None

    with world.ws.transaction() as session:
        renewed = sign_declaration(
            session,
            world.clerk,
            beneficiary_id=person,
            signer_name="عبدالله القحطاني",
            text=DECLARATION_TEXT,
            signature_png=SIGNATURE,
            supersedes_id=first,
        )
        renewed_id = renewed.id
    with world.ws.db.session() as session:
        current = current_declaration(session, person)
        assert current is not None and current.id == renewed_id
        assert current.supersedes_id == first

    # Staff notes are not part of what the person declared.
    with world.ws.transaction() as session:
        update_beneficiary(session, world.clerk, person, {"notes": "زيارة منزلية"}, today=TODAY)
    with world.ws.db.session() as session:
        assert current_declaration(session, person) is not None
    with world.ws.transaction() as session:
        update_beneficiary(session, world.clerk, person, {"city": "جدة"}, today=TODAY)
    with world.ws.db.session() as session:
        assert current_declaration(session, person) is None

    # A declaration already replaced cannot be replaced again.
    error = refused(
        world.ws,
        Conflict,
        lambda s: sign_declaration(
            s,
            world.clerk,
            beneficiary_id=person,
            signer_name="عبدالله القحطاني",
            text=DECLARATION_TEXT,
            signature_png=None,
            supersedes_id=first,
        ),
    )
    arabic(error)


def test_verify_declaration_detects_tampering(tmp_path: Path) -> None:
    # Its own workspace: the database's append-only triggers are removed to tamper with it.
    mine = make_world(tmp_path)
    workspace = mine.ws
    person = register(mine)
    declaration_id = declare(mine, person)
    with workspace.db.session() as session:
        declaration = session.get(SignedDeclaration, declaration_id)
        assert declaration is not None and verify_declaration(declaration)

    # Someone edits the database file directly, around the application and its triggers.
    raw = connect_encrypted(workspace.database_path, workspace.database_key)
    triggers = raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'signed_declaration'"
    ).fetchall()
    for (name,) in triggers:
        raw.execute(f'DROP TRIGGER "{name}"')
    raw.execute(
        "UPDATE signed_declaration SET declared_data = json_set(declared_data, '$.city', 'جدة') "
        "WHERE id = ?",
        (declaration_id,),
    )
    raw.commit()
    raw.close()
    with workspace.db.session() as session:
        declaration = session.get(SignedDeclaration, declaration_id)
        assert declaration is not None
        assert declaration.declared_data["city"] == "جدة"
        assert not verify_declaration(declaration)
        assert current_declaration(session, person) is None

    # A forged hash over the original content is detected too.
    with workspace.db.session() as session:
        declaration = session.get(SignedDeclaration, declaration_id)
        assert declaration is not None
        session.expunge(declaration)
        declaration.declared_data = {**declaration.declared_data, "city": "الرياض"}
        assert verify_declaration(declaration)  # the original content again
        declaration.content_sha256 = "0" * 64
        assert not verify_declaration(declaration)
    workspace.close()


def test_a_declaration_cannot_be_edited(world: World) -> None:
    person = register(world)
    declaration_id = declare(world, person)
    with world.ws.db.session() as session:
        declaration = session.get(SignedDeclaration, declaration_id)
        assert declaration is not None
        declaration.text = "نص معدل"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()


def test_the_default_attachments_folder_is_the_workspace_s(world: World) -> None:
    person = register(world)
    drawn = PNG_MAGIC + b"another signature"
    declare(world, person, signature=drawn)
    assert attachment_path(world.ws.attachments_dir, hashlib.sha256(drawn).hexdigest()).exists()


def test_an_explicit_attachments_folder_is_used(world: World, tmp_path: Path) -> None:
    person = register(world)
    drawn = PNG_MAGIC + b"a third signature"
    with world.ws.transaction() as session:
        sign_declaration(
            session,
            world.clerk,
            beneficiary_id=person,
            signer_name="عبدالله القحطاني",
            text=DECLARATION_TEXT,
            signature_png=drawn,
            attachments_dir=tmp_path / "files",
        )
    sha = hashlib.sha256(drawn).hexdigest()
    assert (tmp_path / "files" / sha[:2] / sha).exists()
    assert intact_attachment(tmp_path / "files", sha, world.ws.files) == drawn


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signer_name": "  "}, "signer_name"),
        ({"signer_name": "x" * 201}, "signer_name"),
        ({"text": ""}, "text"),
        ({"signature_png": b"GIF89a..."}, "signature"),
        ({"signature_png": PNG_MAGIC + b"\0" * 1_000_001}, "signature"),
        ({"request_id": "not-a-request"}, "request_id"),
        ({"supersedes_id": "not-a-declaration"}, "supersedes_id"),
    ],
)
def test_declaration_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    person = register(world)
    values: dict[str, Any] = {
        "beneficiary_id": person,
        "signer_name": "عبدالله القحطاني",
        "text": DECLARATION_TEXT,
        "signature_png": PNG_MAGIC + b"never stored",
        **changes,
    }
    error = refused(world.ws, FormErrors, lambda s: sign_declaration(s, world.clerk, **values))
    field_error(error, field)


# --- social research ------------------------------------------------------------------------


def test_a_referral_is_answered_by_the_social_researcher(world: World) -> None:
    person = register(world)
    researcher = world[Role.SOCIAL_RESEARCHER]
    with world.ws.transaction() as session:
        referral = refer_to_research(
            session,
            world.clerk,
            beneficiary_id=person,
            question="هل يشمل الدعم الإيجار المتأخر؟",
            assigned_to_user_id=researcher.user_id,
        )
        referral_id = referral.id
        assert referral.status == ReferralStatus.OPEN

    error = refused(
        world.ws,
        PermissionDenied,
        lambda s: answer_referral(s, world.clerk, referral_id, "نعم"),
    )
    arabic(error)

    with world.ws.transaction() as session:
        answered = answer_referral(session, researcher, referral_id, "نعم، وفق دليل سياسة الدعم.")
        assert answered.status == ReferralStatus.ANSWERED
        assert answered.answered_at is not None
    refused(world.ws, Conflict, lambda s: answer_referral(s, researcher, referral_id, "مرة أخرى"))
    error = refused(
        world.ws, ValidationError, lambda s: answer_referral(s, researcher, referral_id, " ")
    )
    field_error(error, "answer")
    refused(world.ws, NotFound, lambda s: answer_referral(s, researcher, "nope", "نعم"))

    with world.ws.transaction() as session:
        report = write_research_report(
            session,
            researcher,
            beneficiary_id=person,
            findings="الأسرة تسكن بالإيجار وتحتاج إلى دعم.",
            recommendation="دعم الإيجار لستة أشهر",
            visit_date="1446/02/20 هـ",
            referral_id=referral_id,
            today=TODAY,
        )
        assert report.visit_date == date(2024, 8, 24)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({"assigned_to_user_id": "nobody"}, "assigned_to_user_id"),
        ({"assigned_to_user_id": "committee"}, "assigned_to_user_id"),  # cannot answer
        ({"request_id": "nope"}, "request_id"),
    ],
)
def test_referral_bad_input(world: World, changes: dict[str, str], field: str) -> None:
    person = register(world)
    if changes.get("assigned_to_user_id") == "committee":
        changes = {"assigned_to_user_id": world[Role.COMMITTEE_MEMBER].user_id}
    values: dict[str, Any] = {"beneficiary_id": person, "question": "سؤال", **changes}
    error = refused(world.ws, FormErrors, lambda s: refer_to_research(s, world.clerk, **values))
    field_error(error, field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"findings": " "}, "findings"),
        ({"recommendation": "x" * 2001}, "recommendation"),
        ({"visit_date": "2024-08-30"}, "visit_date"),  # after TODAY
        ({"visit_date": "30/02/1446"}, "visit_date"),  # no هـ: ambiguous
        ({"referral_id": "nope"}, "referral_id"),
    ],
)
def test_research_report_bad_input(world: World, changes: dict[str, str], field: str) -> None:
    person = register(world)
    values: dict[str, Any] = {
        "beneficiary_id": person,
        "findings": "ملاحظات",
        "today": TODAY,
        **changes,
    }
    researcher = world[Role.SOCIAL_RESEARCHER]
    error = refused(world.ws, FormErrors, lambda s: write_research_report(s, researcher, **values))
    field_error(error, field)


# --- completing the registration ------------------------------------------------------------


def test_registration_needs_a_current_declaration_and_no_expired_document(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        record_document_check(
            session,
            world.clerk,
            beneficiary_id=person,
            doc_type=DocumentType.NATIONAL_ID_CARD,
            number=make_national_id("100000025"),
            issue_date=None,
            expiry_date="2024-08-01",
            checked_on=TODAY,
        )
    error = refused(
        world.ws, RegistrationIncomplete, lambda s: complete_registration(s, world.clerk, person)
    )
    assert isinstance(error, RegistrationIncomplete) and len(error.missing) == 2
    text = arabic(error)
    assert "إقرار موقّع" in text
    assert "بطاقة الهوية الوطنية" in text
    assert "1446/01/26 هـ (2024/08/01 م)" in text
    assert "National ID card" in error.text("en")

    declare(world, person)
    error = refused(
        world.ws, RegistrationIncomplete, lambda s: complete_registration(s, world.clerk, person)
    )
    assert isinstance(error, RegistrationIncomplete) and len(error.missing) == 1

    # The renewed card replaces the expired one.
    with world.ws.transaction() as session:
        record_document_check(
            session,
            world.clerk,
            beneficiary_id=person,
            doc_type=DocumentType.NATIONAL_ID_CARD,
            number=make_national_id("100000025"),
            issue_date="2024-08-20",
            expiry_date="2034-08-19",
            checked_on=date(2024, 8, 30),
        )
    with world.ws.transaction() as session:
        registered = complete_registration(session, world.clerk, person)
        assert registered.registration_status == RegistrationStatus.REGISTERED
    # Completing the registration does not invalidate the declaration.
    with world.ws.db.session() as session:
        assert current_declaration(session, person) is not None
    refused(world.ws, Conflict, lambda s: complete_registration(s, world.clerk, person))


def test_a_suspended_file_cannot_be_registered(world: World) -> None:
    person = register(world)
    declare(world, person)
    with world.ws.transaction() as session:
        row = session.get(Beneficiary, person)
        assert row is not None
        row.registration_status = RegistrationStatus.SUSPENDED
    error = refused(world.ws, Conflict, lambda s: complete_registration(s, world.clerk, person))
    assert "موقوف" in arabic(error)


# --- permissions ----------------------------------------------------------------------------


def _intake_calls(world: World, person: str) -> dict[str, Callable[[Session, Actor], object]]:
    return {
        "start_interview": lambda s, a: start_interview(s, a, person, Channel.INTERVIEW),
        "record_document_check": lambda s, a: record_document_check(
            s,
            a,
            beneficiary_id=person,
            doc_type=DocumentType.OTHER,
            number=None,
            issue_date=None,
            expiry_date=None,
        ),
        "sign_declaration": lambda s, a: sign_declaration(
            s,
            a,
            beneficiary_id=person,
            signer_name="عبدالله",
            text=DECLARATION_TEXT,
            signature_png=SIGNATURE,
        ),
        "refer_to_research": lambda s, a: refer_to_research(
            s, a, beneficiary_id=person, question="سؤال"
        ),
        "write_research_report": lambda s, a: write_research_report(
            s, a, beneficiary_id=person, findings="ملاحظات"
        ),
        "complete_registration": lambda s, a: complete_registration(s, a, person),
        # The permission is checked first, so no real interview or referral is needed.
        "advance_interview": lambda s, a: advance_interview(s, a, "nope", InterviewStep.INFORM),
        "finish_interview": lambda s, a: finish_interview(s, a, "nope"),
        "answer_referral": lambda s, a: answer_referral(s, a, "nope", "جواب"),
    }


@pytest.mark.parametrize(
    ("call", "role"),
    [
        ("start_interview", Role.COMMITTEE_MEMBER),
        ("record_document_check", Role.SOCIAL_RESEARCHER),
        ("record_document_check", Role.COMMITTEE_MEMBER),
        ("sign_declaration", Role.SOCIAL_RESEARCHER),
        ("sign_declaration", Role.HQ_ADMIN),
        ("refer_to_research", Role.COMMITTEE_MEMBER),
        ("write_research_report", Role.INTERVIEWER),
        ("complete_registration", Role.SOCIAL_RESEARCHER),
        ("complete_registration", Role.COMMITTEE_MEMBER),
        ("advance_interview", Role.COMMITTEE_MEMBER),
        ("finish_interview", Role.HQ_ADMIN),
        ("answer_referral", Role.INTERVIEWER),
        ("answer_referral", Role.COMMITTEE_MEMBER),
    ],
)
def test_intake_permission_denied(world: World, call: str, role: Role) -> None:
    person = register(world)
    action = _intake_calls(world, person)[call]
    error = refused(world.ws, PermissionDenied, lambda s: action(s, world[role]))
    arabic(error)


def test_permission_is_checked_before_anything_else(world: World) -> None:
    # A missing file and a bad channel still answer "not allowed" to a role without the right.
    committee = world[Role.COMMITTEE_MEMBER]
    refused(world.ws, PermissionDenied, lambda s: start_interview(s, committee, "nope", "fax"))  # type: ignore[arg-type]
    refused(
        world.ws,
        PermissionDenied,
        lambda s: sign_declaration(
            s, committee, beneficiary_id="nope", signer_name="", text="", signature_png=b"x"
        ),
    )


def test_checks_are_kept_per_document_type(world: World) -> None:
    person = register(world)
    with world.ws.transaction() as session:
        for expiry, checked in (("2024-01-01", TODAY), ("2030-01-01", date(2024, 9, 1))):
            record_document_check(
                session,
                world.clerk,
                beneficiary_id=person,
                doc_type=DocumentType.IQAMA,
                number=make_national_id("200000001"),
                issue_date=None,
                expiry_date=expiry,
                checked_on=checked,
            )
    with world.ws.db.session() as session:
        checks = session.scalars(
            sa.select(DocumentCheck).where(DocumentCheck.beneficiary_id == person)
        ).all()
        assert sorted(c.valid_on_submission for c in checks) == [False, True]
