"""Verification codes: a printed form's code matches its record until the record changes, and
then the check says what changed. Records are changed in a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import DecisionOutcome, Role
from db.models import Branch, ServiceDelivery, SignedDeclaration, SupportRequest, User
from romah_desktop.errors import PermissionDenied, ValidationError
from romah_desktop.printing import FormKind, render_form, verify_code
from romah_desktop.printing.kinds import RECORD_KINDS
from romah_desktop.printing.records import load
from romah_desktop.printing.verification import (
    QR_PREFIX,
    code_for,
    make_code,
    parse_code,
)
from romah_desktop.services.committee.requests import record_decision
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import update_beneficiary
from tests.romah_desktop.printing.scenario import FULL_NAME, Branch1
from tests.romah_desktop.test_intake import arabic


def record_of(branch: Branch1, kind: FormKind) -> str:
    return {
        FormKind.REQUEST: branch.request,
        FormKind.RECEIPT: branch.request,
        FormKind.DECLARATION: branch.declaration,
        FormKind.INTERVIEW: branch.interview,
        FormKind.DECISION: branch.decision,
        FormKind.DELIVERY: branch.delivery,
    }[kind]


def printed(branch: Branch1, kind: FormKind) -> str:
    """Print the form (committed, as printing does) and return its verification code."""
    clerk = branch[Role.INTERVIEWER]
    with branch.ws.transaction() as session:
        render_form(session, clerk, kind, record_of(branch, kind))
        code, _digest = code_for(load(session, clerk, kind, record_of(branch, kind)))
    return code


@contextmanager
def changed(branch: Branch1) -> Iterator[Session]:
    """A session whose changes are checked and then thrown away."""
    session = branch.ws.db.session()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


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
    assert result.ok and result.kind == kind and result.differences == []
    assert result.record_id == record_of(branch, kind)
    assert FULL_NAME in result.summary
    # Printing again gives the same code: it depends on the content, not on the moment.
    assert printed(branch, kind) == code


def test_the_code_is_short_typable_and_forgiving(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)
    assert len(code) == 19 and code.count("-") == 3
    assert set(code.replace("-", "")) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    # Typed in lower case, without hyphens, with O for 0 and Arabic digits, or scanned.
    typed = code.replace("-", " ").lower().replace("0", "o")
    arabic_digits = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for variant in (typed, arabic_digits, QR_PREFIX + code, f"  {code}\u200f "):
        assert check(branch, variant).ok, variant
    assert parse_code(typed).code == code


def test_a_typing_mistake_is_caught_before_looking_anything_up(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)
    chars = code.replace("-", "")
    wrong = chars[:5] + ("A" if chars[5] != "A" else "B") + chars[6:]
    swapped = chars[:7] + chars[8] + chars[7] + chars[9:]
    for bad in (wrong, swapped if swapped != chars else wrong):
        with pytest.raises(ValidationError) as raised:
            check(branch, bad)
        assert raised.value.field == "code"
        assert "خطأ" in arabic(raised.value)
    for nonsense in ("", "1234", "ROMAH:hello world", code + "7"):
        with pytest.raises(ValidationError) as raised:
            check(branch, nonsense)
        assert "١٦" in arabic(raised.value)


def test_a_code_of_no_record_here_says_so(branch: Branch1) -> None:
    forged = make_code(FormKind.DECISION, "00000001-0000-7000-8000-000000000000", "ab" * 32)
    result = check(branch, forged)
    assert not result.ok and result.record_id is None
    assert "لم يُزامن" in result.summary or "فرع" in result.summary


def test_a_changed_request_fails_and_says_what_changed(branch: Branch1) -> None:
    code = printed(branch, FormKind.RECEIPT)

    def change_amount(session: Session) -> None:
        request = session.get(SupportRequest, branch.request)
        assert request is not None
        request.amount_requested_halalas = 999_999

    result = check(branch, code, change_amount)
    assert not result.ok and result.kind == FormKind.RECEIPT
    assert result.record_id == branch.request
    assert result.differences == ["المبلغ المطلوب"]


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
    assert result.differences == ["الاسم الكامل", "الجوال"]
    # The receipt shows the name but not the phone.
    assert check(branch, receipt_code, new_phone_and_name).differences == ["الاسم الكامل"]
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
    assert not result.ok
    assert result.differences == ["البيانات المقرّ بها ونص الإقرار"]
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
    assert not result.ok and "حُذف" in result.summary


def test_a_paper_printed_elsewhere_fails_without_saying_what_changed(branch: Branch1) -> None:
    """A paper printed on another laptop whose print record has not synced yet."""
    clerk = branch[Role.INTERVIEWER]
    # The rejected request's form is printed by no other test.
    with changed(branch) as session:
        code, _digest = code_for(load(session, clerk, FormKind.REQUEST, branch.rejected_request))

    def change(session: Session) -> None:
        request = session.get(SupportRequest, branch.rejected_request)
        assert request is not None
        request.amount_requested_halalas = 1

    assert check(branch, code).ok
    result = check(branch, code, change)
    assert not result.ok and len(result.differences) == 1
    assert "لا يُعرف" in result.differences[0]


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
