"""`romah print` and `romah verify`, driven as a person would from a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from db.models import SupportRequest
from romah_desktop.cli import main
from romah_desktop.printing import FormKind
from tests.romah_desktop.printing.conftest import CODE, read_pages
from tests.romah_desktop.printing.scenario import ADMIN_PASSWORD, FULL_NAME, Branch1


def romah(branch: Branch1, *args: str) -> Result:
    env = {"ROMAH_PASSWORD": ADMIN_PASSWORD}
    base = ["--data-dir", str(branch.ws.data_dir), "--user", "admin"]
    return CliRunner().invoke(main, [*base, *args], env=env, catch_exceptions=False)


def request_number(branch: Branch1) -> str:
    with branch.ws.db.session() as session:
        number = session.scalar(
            sa.select(SupportRequest.request_number).where(SupportRequest.id == branch.request)
        )
    assert number is not None
    return number


@pytest.mark.parametrize("kind", [kind.value for kind in FormKind])
def test_print_every_kind(branch: Branch1, tmp_path: Path, kind: str) -> None:
    record = {
        "request": request_number(branch),
        "receipt": request_number(branch),
        "decision": request_number(branch),
        "declaration": branch.declaration,
        "interview": branch.interview,
        "delivery": branch.delivery,
    }.get(kind)
    out = tmp_path / f"{kind}.pdf"
    result = romah(branch, "print", kind, *(["--id", record] if record else []), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    pages = read_pages(out.read_bytes())
    assert pages and "جمعية رومة" in pages[0].text


def test_print_and_verify_a_receipt_as_json(branch: Branch1, tmp_path: Path) -> None:
    out = tmp_path / "receipt.pdf"
    result = romah(
        branch, "--json", "print", "receipt", "--id", request_number(branch), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["record_id"] == branch.request
    code = CODE.findall("\n".join(read_pages(out.read_bytes())[0].drawn))[0]
    result = romah(branch, "verify", code, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True and data["kind"] == "receipt" and data["differences"] == []
    assert FULL_NAME in data["summary"]
    # Every value printed on the receipt, as printed, and the same now.
    assert data["printed"]["full_name"] == FULL_NAME and data["printed"] == data["now"]
    assert data["printed"]["request_number"] == request_number(branch)
    result = romah(branch, "verify", code.lower())
    assert result.exit_code == 0 and "الورقة أصلية ومطابقة للسجل" in result.output
    assert request_number(branch) in result.output


def test_print_a_day_s_receipts(branch: Branch1, tmp_path: Path) -> None:
    out = tmp_path / "receipts.pdf"
    result = romah(branch, "print", "receipts", "--date", branch.day.isoformat(), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert len(read_pages(out.read_bytes())) == 2
    result = romah(branch, "print", "decisions", "--date", "2025-01-01", "--out", str(out))
    assert result.exit_code == 1
    assert "لا يوجد ما يُطبع" in result.output
    assert len(read_pages(out.read_bytes())) == 2  # the earlier file is untouched


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "receipt", "--out", "x.pdf"], "--id"),
        (["print", "receipts", "--out", "x.pdf"], "--date"),
        (["print", "receipts", "--date", "1446/13/01 هـ", "--out", "x.pdf"], "الشهر"),
        (["print", "receipt", "--id", "RYD-0000-1999-00001", "--out", "x.pdf"], "لم يُعثر"),
        (["print", "blank-request", "--out", "/no/such/folder/x.pdf"], "غير موجود"),
        (["verify", "7K2M-9QXD"], "١٦"),
    ],
)
def test_mistakes_are_one_sentence(branch: Branch1, args: list[str], message: str) -> None:
    result = romah(branch, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_verify_a_changed_record_exits_1_and_says_what_differs(
    branch: Branch1, tmp_path: Path
) -> None:
    out = tmp_path / "request.pdf"
    assert romah(branch, "print", "request", "--id", branch.draft, "--out", str(out)).exit_code == 0
    code = CODE.findall("\n".join(read_pages(out.read_bytes())[0].drawn))[0]
    with branch.ws.transaction() as session:
        request = session.get(SupportRequest, branch.draft)
        assert request is not None
        old = request.justification
        request.justification = "مبررات أخرى"
    try:
        result = romah(branch, "verify", code)
        assert result.exit_code == 1
        assert "تغيّر بعد طباعتها" in result.output
        # The line that differs shows the reasons as printed, then as they are now.
        (line,) = [text for text in result.output.splitlines() if text.startswith("✗")]
        assert "مبررات الطلب" in line and line.endswith("→  مبررات أخرى")
        assert old in line
    finally:
        with branch.ws.transaction() as session:
            request = session.get(SupportRequest, branch.draft)
            assert request is not None
            request.justification = old
    assert romah(branch, "verify", code).exit_code == 0
