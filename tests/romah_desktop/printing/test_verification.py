"""Verifying printed papers: a paper's code finds what it printed; it matches until the record
changes, and then every printed value is shown beside the value now. Records are changed in a
transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import DecisionOutcome, Role
from db.models import (
    Branch,
    PrintedPaper,
    ServiceDelivery,
    SignedDeclaration,
    SupportRequest,
    User,
)
from romah_desktop.errors import PermissionDenied, ValidationError
from romah_desktop.printing import FormKind, render_form, verify_code
from romah_desktop.printing.kinds import RECORD_KINDS
from romah_desktop.printing.papers import new_code, parse_proof, qr_payload
from romah_desktop.services.committee.requests import record_decision
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import update_beneficiary
from tests.romah_desktop.printing.conftest import changed, record_of
from tests.romah_desktop.printing.scenario import FULL_NAME, Branch1
from tests.romah_desktop.test_intake import arabic


def printed(branch: Branch1, kind: FormKind) -> str:
    """Print the form (committed, as printing does) and return its verification code."""
    clerk = branch[Role.INTERVIEWER]
    with branch.ws.transaction() as session:
        render_form(session, clerk, kind, record_of(branch, kind))
        paper = session.scalars(
            sa.select(PrintedPaper)
            .where(PrintedPaper.record_id == record_of(branch, kind), PrintedPaper.kind == kind)
            .order_by(PrintedPaper.created_at.desc(), PrintedPaper.id.desc())
        ).first()
        assert paper is not None
        return paper.code


def paper_of(branch: Branch1, code: str) -> PrintedPaper:
    with branch.ws.db.session() as session:
        paper = session.scalars(sa.select(PrintedPaper).where(PrintedPaper.code == code)).one()
        session.expunge(paper)
        return paper


def changed_fields(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [difference.field for difference in result.differences]


def check(branch: Branch1, code: str, change: Callable[[Session], object] | None = None):  # type: ignore[no-untyped-def]
    with changed(branch) as session:
        if change is not None:
            change(session)
            session.flush()
        return verify_code(session, branch[Role.BRANCH_MANAGER], code)


@pytest.mark.parametrize("kind", RECORD_KINDS)
def test_a_printed_form_matches_its_record(branch: Branch1, kind: FormKind) -> None:
    code = printed(branch, kind)
    result = check(branch, code)
    assert result.ok and result.genuine and result.kind == kind and result.differences == []
    assert result.record_id == record_of(branch, kind)
    assert FULL_NAME in result.summary
    # Every value printed, as printed, and the same now.
    assert result.printed and result.printed == result.now
    assert result.printed["full_name"] == FULL_NAME
    # Each print is its own paper, with its own code.
    assert printed(branch, kind) != code


def test_the_code_is_typable_and_forgiving(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)
    assert len(code) == 19 and code.count("-") == 3
    assert set(code.replace("-", "")) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    paper = paper_of(branch, code)
    scanned = qr_payload(code, paper.device_id, paper.signature)
    # Typed in lower case, without hyphens, with O for 0 and Arabic digits, or scanned.
    typed = code.replace("-", " ").lower().replace("0", "o")
    arabic_digits = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for variant in (typed, arabic_digits, scanned, f"  {code}\u200f "):
        assert check(branch, variant).ok, variant
    assert parse_proof(typed).code == code


def test_a_mistyped_code_finds_no_paper(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)
    chars = code.replace("-", "")
    wrong = chars[:5] + ("A" if chars[5] != "A" else "B") + chars[6:]
    result = check(branch, wrong)
    assert not result.ok and not result.found and "طابق الرمز" in result.summary
    for nonsense in ("", "1234", "ROMAH:hello world", code + "7", "ROMAH2:abc"):
        with pytest.raises(ValidationError) as raised:
            check(branch, nonsense)
        assert raised.value.field == "code"
        assert "١٦" in arabic(raised.value)


def test_a_code_never_printed_says_so(branch: Branch1) -> None:
    result = check(branch, new_code())
    assert not result.ok and not result.found and result.record_id is None
    assert "لم تطبعها الجمعية" in result.summary and FULL_NAME not in result.summary


def test_a_changed_request_shows_the_amount_printed_and_now(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)

    def change_amount(session: Session) -> None:
        request = session.get(SupportRequest, branch.request)
        assert request is not None
        request.amount_requested_halalas = 999_999

    result = check(branch, code, change_amount)
    assert result.genuine and not result.ok and result.kind == FormKind.RECEIPT
    assert result.record_id == branch.request
    assert changed_fields(result) == ["amount_requested"]
    (difference,) = result.differences
    assert difference.label == "المبلغ المطلوب"
    assert "3,500.50" in (difference.printed or "") and "9,999.99" in (difference.now or "")


def test_a_changed_file_fails_the_request_form_but_not_the_receipt(branch: Branch1) -> None:
    request_code = printed(branch, FormKind.REQUEST)
    receipt_code = printed(branch, FormKind.RECEIPT)

    def new_phone_and_name(session: Session) -> None:
        update_beneficiary(
            session,
            branch[Role.INTERVIEWER],
            branch.person,
            {"phone": "0559876543", "family_name": "الدوسري"},
        )

    result = check(branch, request_code, new_phone_and_name)
    assert not result.ok
    assert changed_fields(result) == ["full_name", "phone"]
    # The receipt shows the name but not the phone.
    assert changed_fields(check(branch, receipt_code, new_phone_and_name)) == ["full_name"]
    assert check(branch, receipt_code).ok  # rolled back: nothing changed for real


def _triggers(session: Session) -> set[str]:
    rows = session.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {row[0] for row in rows}


def test_an_altered_declaration_is_detected(branch: Branch1) -> None:
    code = printed(branch, FormKind.DECLARATION)

    def alter(session: Session) -> None:
        # Behind the app's back: the append-only guard is lifted inside this transaction
        # (a write first, so that SQLite has begun it), and the stored hash is left as it was.
        session.execute(sa.text("UPDATE local_state SET value = value WHERE 0"))
        session.execute(sa.text("DROP TRIGGER signed_declaration_no_update"))
        session.execute(
            sa.update(SignedDeclaration)
            .where(SignedDeclaration.id == branch.declaration)
            .values(text="نص آخر لم يوقع عليه أحد")
            .execution_options(synchronize_session=False)
        )
        session.expire_all()

    result = check(branch, code, alter)
    assert result.genuine and not result.ok
    assert changed_fields(result) == ["declaration_text"]
    assert result.differences[0].now == "نص آخر لم يوقع عليه أحد"
    with branch.ws.db.session() as session:
        assert "signed_declaration_no_update" in _triggers(session)  # rolled back with it


def test_a_corrected_decision_still_matches_but_says_it_was_corrected(branch: Branch1) -> None:
    code = printed(branch, FormKind.DECISION)

    def correct(session: Session) -> None:
        record_decision(
            session,
            branch[Role.COMMITTEE_MEMBER],
            branch.request,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="2,000",
            reason=None,
            decided_on=date.today(),
            members=None,
            supersedes_id=branch.decision,
        )

    with changed(branch) as session:
        # The request is fulfilled by its delivery, so a correction is refused; undo that first.
        session.execute(
            sa.update(SupportRequest)
            .where(SupportRequest.id == branch.request)
            .values(status="approved")
        )
        session.execute(
            sa.update(ServiceDelivery)
            .where(ServiceDelivery.id == branch.delivery)
            .values(deleted_at=sa.func.current_timestamp())
        )
        session.expire_all()
        correct(session)
        session.flush()
        result = verify_code(session, branch[Role.BRANCH_MANAGER], code)
    assert result.ok
    assert "صُحّح هذا القرار" in result.summary


def test_a_deleted_record_fails(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)

    def delete(session: Session) -> None:
        session.execute(
            sa.update(SupportRequest)
            .where(SupportRequest.id == branch.request)
            .values(deleted_at=sa.func.current_timestamp())
        )
        session.expire_all()

    result = check(branch, code, delete)
    assert result.genuine and not result.ok and "حُذف" in result.summary
    assert result.now == {} and len(result.differences) == len(result.printed)


def test_another_branch_cannot_verify_this_branch_s_papers(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)
    with changed(branch) as session:
        other = Branch(code="JED", name="فرع جدة")
        session.add(other)
        session.flush()
        user = User(
            username="jeddah.manager",
            full_name="مدير جدة",
            role=Role.BRANCH_MANAGER,
            branch_id=other.id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        with pytest.raises(PermissionDenied):
            verify_code(session, Actor.of(user), code)
        # Head office sees every branch.
        assert verify_code(session, branch[Role.HQ_ADMIN], code).ok
