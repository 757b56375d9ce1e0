"""Papers that cannot be forged, tried as a forger would: an edited decision letter keeps its
code, a forged QR, a changed record against many guessed codes, a code never printed."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from db.enums import Role
from db.models import CommitteeDecision, Device, PrintedPaper
from romah_desktop.cli import main
from romah_desktop.printing import FormKind, render_form, verify_code
from romah_desktop.printing.papers import (
    ALPHABET,
    CODE_BITS,
    QR_PREFIX,
    new_code,
    parse_proof,
    qr_payload,
    signature_valid,
    signed_content,
)
from romah_desktop.services.context import this_device
from tests.romah_desktop.printing.conftest import read_pages
from tests.romah_desktop.printing.scenario import ADMIN_PASSWORD, FULL_NAME, Branch1, build

CODE = re.compile(r"(?<![0-9A-Z-])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}(?![0-9A-Z-])")
GENUINE_AMOUNT = "3,000.25"  # the scenario's approved amount
FORGED_AMOUNT = "93,000.25"


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Branch1]:
    made = build(tmp_path_factory.mktemp("papers"))
    yield made
    made.ws.close()


def print_letter(branch: Branch1) -> tuple[str, bytes]:
    """A genuine decision letter, printed and committed as the app does; (code, PDF)."""
    with branch.ws.transaction() as session:
        pdf = render_form(session, branch[Role.INTERVIEWER], FormKind.DECISION, branch.decision)
    codes = {c for page in read_pages(pdf) for c in CODE.findall("\n".join(page.drawn))}
    assert len(codes) == 1, codes
    return codes.pop(), pdf


def verify(branch: Branch1, text: str):  # type: ignore[no-untyped-def]
    with branch.ws.db.session() as session:
        return verify_code(session, branch[Role.BRANCH_MANAGER], text)


def paper(branch: Branch1, code: str) -> PrintedPaper:
    with branch.ws.db.session() as session:
        found = session.scalars(sa.select(PrintedPaper).where(PrintedPaper.code == code)).one()
        session.expunge(found)
        return found


def device_key(branch: Branch1, device_id: str) -> str | None:
    with branch.ws.db.session() as session:
        device = session.get(Device, device_id)
        return device.signing_key if device is not None else None


def romah(branch: Branch1, *args: str):  # type: ignore[no-untyped-def]
    base = ["--data-dir", str(branch.ws.data_dir), "--user", "admin"]
    return CliRunner().invoke(
        main, [*base, *args], env={"ROMAH_PASSWORD": ADMIN_PASSWORD}, catch_exceptions=False
    )


def test_a_genuine_letter_verifies_and_shows_every_printed_value(branch: Branch1) -> None:
    code, pdf = print_letter(branch)
    result = verify(branch, code)
    assert result.ok and result.genuine and result.kind == FormKind.DECISION
    assert result.differences == []
    # Every value verify shows as printed is on the paper itself.
    on_paper = "\n".join(page.text for page in read_pages(pdf))
    for name in ("full_name", "national_id", "request_number", "approved_amount"):
        assert result.printed[name].split(" ")[0] in on_paper, name
    assert result.printed["full_name"] == FULL_NAME
    assert GENUINE_AMOUNT in result.printed["approved_amount"]
    assert result.printed == result.now


def test_an_edited_letter_keeping_its_code_shows_the_amount_really_printed(
    branch: Branch1,
) -> None:
    code, _pdf = print_letter(branch)
    original = paper(branch, code)
    # What a forger with a printer makes: the same letter, the same code, another amount.
    forged = dict(original.printed)
    forged["approved_amount"] = forged["approved_amount"].replace(GENUINE_AMOUNT, FORGED_AMOUNT)
    result = verify(branch, code)
    # The clerk reads the amount printed with this code and sees the paper differs.
    assert GENUINE_AMOUNT in result.printed["approved_amount"]
    assert FORGED_AMOUNT not in json.dumps(result.as_dict(), ensure_ascii=False)
    assert result.printed["approved_amount"] != forged["approved_amount"]
    # The CLI says the same, line by line.
    shown = romah(branch, "verify", code)
    assert shown.exit_code == 0, shown.output
    assert GENUINE_AMOUNT in shown.output and FORGED_AMOUNT not in shown.output

    # A QR forged to carry the edited amount does not carry a signature of it.
    scanned = parse_proof(qr_payload(original.code, original.device_id, original.signature))
    assert scanned.device_id == original.device_id and scanned.signature == original.signature
    key = device_key(branch, original.device_id)

    def content(printed: dict[str, str]) -> bytes:
        return signed_content(
            original.kind,
            original.record_id,
            code,
            original.device_id,
            original.printed_at,
            printed,
        )

    assert signature_valid(key, content(original.printed), original.signature)
    assert not signature_valid(key, content(forged), original.signature)
    # A QR whose signature was altered is refused as not genuine.
    raw = bytearray(base64.b64decode(original.signature))
    raw[0] ^= 1
    bad = qr_payload(code, original.device_id, base64.b64encode(bytes(raw)).decode())
    result = verify(branch, bad)
    assert not result.ok and not result.genuine and "ليست أصلية" in result.summary


def test_a_record_changed_to_match_a_forgery_is_shown_against_the_paper(
    branch: Branch1,
) -> None:
    code, _pdf = print_letter(branch)
    with branch.ws.db.session() as session:
        # Behind the app's back (the append-only guard lifted in this transaction only).
        session.execute(sa.text("UPDATE local_state SET value = value WHERE 0"))
        session.execute(sa.text("DROP TRIGGER committee_decision_no_update"))
        session.execute(
            sa.update(CommitteeDecision)
            .where(CommitteeDecision.id == branch.decision)
            .values(approved_amount_halalas=9_300_025)
            .execution_options(synchronize_session=False)
        )
        session.expire_all()
        result = verify_code(session, branch[Role.BRANCH_MANAGER], code)
        session.rollback()
    assert result.genuine and not result.ok
    assert [d.field for d in result.differences] == ["approved_amount"]
    (difference,) = result.differences
    assert GENUINE_AMOUNT in (difference.printed or "")
    assert FORGED_AMOUNT in (difference.now or "")
    data = result.as_dict()
    assert set(data) >= {"ok", "kind", "printed", "now", "differences"}
    assert data["ok"] is False and data["kind"] == "decision"


def test_a_paper_whose_stored_values_were_altered_is_not_genuine(branch: Branch1) -> None:
    code, _pdf = print_letter(branch)
    with branch.ws.db.session() as session:
        session.execute(sa.text("UPDATE local_state SET value = value WHERE 0"))
        session.execute(sa.text("DROP TRIGGER printed_paper_no_update"))
        stored = session.scalars(sa.select(PrintedPaper).where(PrintedPaper.code == code)).one()
        printed = dict(stored.printed)
        printed["approved_amount"] = printed["approved_amount"].replace(
            GENUINE_AMOUNT, FORGED_AMOUNT
        )
        session.execute(
            sa.update(PrintedPaper)
            .where(PrintedPaper.code == code)
            .values(printed=printed)
            .execution_options(synchronize_session=False)
        )
        session.expire_all()
        result = verify_code(session, branch[Role.BRANCH_MANAGER], code)
        session.rollback()
    assert not result.ok and not result.genuine
    assert "ليست أصلية" in result.summary


def test_a_revoked_or_unknown_laptop_s_paper_is_not_genuine(branch: Branch1) -> None:
    code, _pdf = print_letter(branch)
    with branch.ws.db.session() as session:
        device_id = this_device(session).device_id
        session.execute(
            sa.update(Device).where(Device.id == device_id).values(revoked_at=sa.func.now())
        )
        revoked = verify_code(session, branch[Role.BRANCH_MANAGER], code)
        session.rollback()
        session.execute(sa.update(Device).where(Device.id == device_id).values(signing_key=None))
        unknown = verify_code(session, branch[Role.BRANCH_MANAGER], code)
        session.rollback()
    for result in (revoked, unknown):
        assert not result.ok and not result.genuine
        assert "ليست أصلية" in result.summary
    assert verify(branch, code).ok


def test_guessing_a_code_is_hopeless(branch: Branch1) -> None:
    """2^24 guesses at a code against a changed record never match.

    The code is 80 random bits and verify only finds printed papers by their exact code,
    so each guess matches with probability (papers printed) / 2^80. Even with a million
    papers printed, 2^24 guesses succeed with probability at most 2^24 · 2^20 / 2^80 = 2^-36.
    Here the record is changed, and 100,000 random codes are looked up as verify looks them up
    (a sample: each is an independent draw, and none may be found)."""
    assert CODE_BITS >= 80 and len(ALPHABET) ** 16 == 2**CODE_BITS
    code, _pdf = print_letter(branch)
    with branch.ws.db.session() as session:
        printed = session.scalar(sa.select(sa.func.count()).select_from(PrintedPaper)) or 0
    assert 2**24 * max(printed, 2**20) / 2**CODE_BITS <= 2**-36
    # The codes are drawn from the system's random source: no two alike, every character used.
    drawn = {new_code() for _ in range(100_000)}
    assert len(drawn) == 100_000 and code not in drawn
    assert set("".join(drawn).replace("-", "")) == set(ALPHABET)
    with branch.ws.db.session() as session:
        session.execute(sa.text("UPDATE local_state SET value = value WHERE 0"))
        session.execute(sa.text("DROP TRIGGER committee_decision_no_update"))
        session.execute(
            sa.update(CommitteeDecision)
            .where(CommitteeDecision.id == branch.decision)
            .values(approved_amount_halalas=9_300_025)
            .execution_options(synchronize_session=False)
        )
        assert not verify_code(session, branch[Role.BRANCH_MANAGER], code).ok
        found: set[str] = set()
        guesses = sorted(drawn)
        for start in range(0, len(guesses), 900):
            chunk = guesses[start : start + 900]
            found |= set(
                session.scalars(sa.select(PrintedPaper.code).where(PrintedPaper.code.in_(chunk)))
            )
        assert found == set()
        # And verify itself answers "never printed" for guesses.
        for guess in guesses[:200]:
            result = verify_code(session, branch[Role.BRANCH_MANAGER], guess)
            assert not result.found and not result.ok
        session.rollback()


def test_a_code_never_printed_reveals_no_one(branch: Branch1, tmp_path: Path) -> None:
    print_letter(branch)
    guess = new_code()
    result = verify(branch, guess)
    assert not result.ok and not result.found and result.record_id is None
    assert result.printed == {} and result.now == {} and result.differences == []
    with branch.ws.db.session() as session:
        person = session.scalars(sa.select(PrintedPaper)).first()
        assert person is not None
        secrets_on_file = [
            FULL_NAME,
            *person.printed["full_name"].split(),
            person.printed["national_id"],
            person.printed["request_number"],
        ]
    shown = romah(branch, "--json", "verify", guess)
    assert shown.exit_code == 1
    data = json.loads(shown.output)
    assert data["ok"] is False and data["printed"] == {} and data["now"] == {}
    plain = romah(branch, "verify", guess)
    assert plain.exit_code == 1 and len(plain.output.strip().splitlines()) == 1
    for text in (result.summary, shown.output, plain.output):
        for secret in secrets_on_file:
            assert secret not in text


def test_the_qr_is_small_enough_to_scan(branch: Branch1) -> None:
    from romah_desktop.printing.layout import QR_SIZE, qr_modules

    code, _pdf = print_letter(branch)
    stored = paper(branch, code)
    payload = qr_payload(code, stored.device_id, stored.signature)
    assert payload.startswith(QR_PREFIX) and len(payload) < 140
    modules = len(qr_modules(payload))
    # Modules of at least 0.45 mm on the printed page (QR_SIZE is in points).
    assert QR_SIZE / modules * 25.4 / 72 >= 0.45
    assert verify(branch, payload).ok
    assert secrets.compare_digest(parse_proof(payload).code, code)
