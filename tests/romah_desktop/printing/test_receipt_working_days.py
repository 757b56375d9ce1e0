"""The receipt tells the person when to come: the days the branch receives people, in Arabic,
in the week's order from Sunday, read right to left. The days are one of the receipt's printed
values: a paper printed before the receipt gave them still verifies, and so does a paper checked
where the branch's days are not known (HQ, for days that only the branch's laptops keep)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Branch, PrintedPaper
from romah_desktop import settings
from romah_desktop.printing import FormKind, records, render_form, service, verify_code
from romah_desktop.printing.verification import compare
from sync.server.papers import verify_paper
from tests.helpers.people import declared_rent_request
from tests.romah_desktop.printing.conftest import changed, nfkc, pdftotext, record_of
from tests.romah_desktop.printing.scenario import Branch1
from tests.romah_desktop.printing.test_contact_and_receipt_signature import Spy, ar, render
from tests.sync import conftest as hq_fixtures

# HQ and an enrolled laptop (tests/sync/conftest.py).
hq, laptop = hq_fixtures.hq, hq_fixtures.laptop

USUAL = "الأحد، الاثنين، الثلاثاء، الأربعاء، الخميس"


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


def test_the_receipt_gives_the_branch_s_working_days(branch: Branch1, spy: Spy) -> None:
    with changed(branch) as session:
        render(session, branch, FormKind.RECEIPT)
    assert (ar("Working days:"), USUAL) in spy.pairs


def test_the_days_are_in_the_week_s_order_whatever_order_they_were_set_in(
    branch: Branch1, spy: Spy
) -> None:
    with changed(branch) as session:
        settings.put(session, "working_days", "sat thu sun")
        render(session, branch, FormKind.RECEIPT)
    assert (ar("Working days:"), "الأحد، الخميس، السبت") in spy.pairs


def test_days_hq_sets_for_the_branch_are_the_ones_printed(branch: Branch1, spy: Spy) -> None:
    with changed(branch) as session:
        for row in session.scalars(sa.select(Branch)):
            row.settings = {"working_days": "mon tue"}
        session.flush()
        render(session, branch, FormKind.RECEIPT)
    assert (ar("Working days:"), "الاثنين، الثلاثاء") in spy.pairs


def _words(data: bytes) -> list[tuple[str, float, float]]:
    """Each word pdftotext finds on the first page, with its left and top edges (letters as
    drawn, joined forms as letters)."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "read.pdf"
        pdf.write_bytes(data)
        out = subprocess.run(
            [pdftotext(), "-bbox", "-l", "1", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    root = ElementTree.fromstring(out)
    return [
        (nfkc(word.text or ""), float(word.get("xMin", "0")), float(word.get("yMin", "0")))
        for word in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]


def test_the_days_read_right_to_left(branch: Branch1) -> None:
    with changed(branch) as session:
        data = render(session, branch, FormKind.RECEIPT)
    words = _words(data)
    # The line of the days: the one with Thursday (the only word with these letters).
    (line,) = {round(top) for text, _x, top in words if set("خميس") <= set(text)}

    def left_of(letters: str, but_not: str = "") -> float:
        """The left edge of the one word of the line with these letters (in any order: as
        drawn)."""
        found = [
            x
            for text, x, top in words
            if round(top) == line and set(letters) <= set(text) and not set(but_not) & set(text)
        ]
        assert len(found) == 1, (letters, found)
        return found[0]

    sunday, monday = left_of("حد", but_not="خ"), left_of("ثنين")
    wednesday, thursday = left_of("ربعاء"), left_of("خميس")
    # Sunday first, on the right; Thursday last, on the left.
    assert sunday > monday > wednesday > thursday


# --- verification --------------------------------------------------------------------------


def _print(branch: Branch1) -> str:
    """Print the receipt (committed, as printing does) and return its code."""
    record = record_of(branch, FormKind.RECEIPT)
    with branch.ws.transaction() as session:
        render_form(session, branch[Role.INTERVIEWER], FormKind.RECEIPT, record)
        code = session.scalars(
            sa.select(PrintedPaper.code)
            .where(PrintedPaper.record_id == record, PrintedPaper.kind == FormKind.RECEIPT)
            .order_by(PrintedPaper.created_at.desc(), PrintedPaper.id.desc())
        ).first()
    assert code is not None
    return code


def _verify(branch: Branch1, code: str, days: str | None = None):  # type: ignore[no-untyped-def]
    with changed(branch) as session:
        if days is not None:
            settings.put(session, "working_days", days)
        return verify_code(session, branch[Role.BRANCH_MANAGER], code)


def test_a_receipt_keeps_the_days_it_printed_and_matches(branch: Branch1) -> None:
    result = _verify(branch, _print(branch))
    assert result.printed["branch_working_days"] == USUAL
    assert result.ok and result.differences == []


def test_a_receipt_printed_before_the_days_were_printed_still_matches(
    branch: Branch1, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = service.printed_values

    def without_days(subject: records.Subject) -> dict[str, str]:
        values = real(subject)
        del values["branch_working_days"]
        return values

    monkeypatch.setattr(service, "printed_values", without_days)
    code = _print(branch)
    monkeypatch.undo()
    result = _verify(branch, code)
    assert "branch_working_days" not in result.printed
    assert result.now["branch_working_days"] == USUAL
    assert result.ok and result.differences == []


def test_changed_working_days_show_on_an_earlier_receipt(branch: Branch1) -> None:
    code = _print(branch)
    result = _verify(branch, code, days="sat sun mon tue wed")
    assert not result.ok and result.genuine
    assert [(d.field, d.printed, d.now) for d in result.differences] == [
        ("branch_working_days", USUAL, "الأحد، الاثنين، الثلاثاء، الأربعاء، السبت")
    ]


def test_where_the_days_are_not_known_the_receipt_still_matches(
    branch: Branch1, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As at HQ, which holds no laptop's own settings: the record gives no days now."""
    code = _print(branch)

    def no_device(session: Session) -> object:
        raise LookupError("no device")

    monkeypatch.setattr(records, "this_device", no_device)
    result = _verify(branch, code)
    assert "branch_working_days" not in result.now
    assert result.ok and result.differences == []


def test_only_the_optional_values_may_be_missing() -> None:
    printed = {"branch_phone": "0114567890", "branch_working_days": USUAL}
    assert compare(printed, {"branch_phone": "0114567890"}) == []
    assert compare({"branch_phone": "0114567890"}, printed) == []
    assert [d.field for d in compare(printed, {"branch_working_days": USUAL})] == ["branch_phone"]
    assert [d.field for d in compare({"branch_working_days": USUAL}, printed)] == ["branch_phone"]


def test_a_receipt_verifies_at_hq_which_does_not_hold_the_laptop_s_days(
    hq: hq_fixtures.HQ, laptop
) -> None:
    machine = laptop("ryd-1", "RYD")
    clerk = machine.login("clerk.ryd")
    with machine.workspace.transaction() as session:
        settings.put(session, "working_days", "sat sun mon")  # the laptop's own
        person, request = declared_rent_request(session, clerk, first_name="هند")
        render_form(session, clerk, FormKind.RECEIPT, request.id)
        code = session.scalars(
            sa.select(PrintedPaper.code).where(PrintedPaper.record_id == request.id)
        ).one()
    machine.sync()
    result = verify_paper(hq.hub, code)
    assert result.printed["branch_working_days"] == "الأحد، الاثنين، السبت"
    assert "branch_working_days" not in result.now
    assert result.ok and result.genuine and result.differences == []
