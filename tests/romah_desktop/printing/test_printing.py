"""Printing as the window and the command line call it: bad input gets a clear message and
leaves nothing half-written; a day's batch reports progress and can be cancelled."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import fontpkg
import pytest
import sqlalchemy as sa

from db.enums import Role
from db.models import AuditEvent, Branch, PrintedPaper, User
from romah_desktop.errors import Conflict, NotFound, PermissionDenied, RomahError
from romah_desktop.printing import (
    FormKind,
    MissingFont,
    PrintCancelled,
    arabic_text,
    batch_items,
    find_record_id,
    fonts,
    layout,
    render_batch,
    render_form,
    save_pdf,
    verify_code,
)
from romah_desktop.printing.verification import PRINT_ACTION
from romah_desktop.services.context import Actor
from tests.romah_desktop.printing.conftest import read_pages
from tests.romah_desktop.printing.drawn import Drawn
from tests.romah_desktop.printing.scenario import Branch1
from tests.romah_desktop.test_intake import arabic


def audit_count(branch: Branch1) -> int:
    with branch.ws.db.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


def refused(
    branch: Branch1, error: type[RomahError], kind: FormKind, record: str | None
) -> RomahError:
    before = audit_count(branch)
    with pytest.raises(error) as raised, branch.ws.transaction() as session:
        render_form(session, branch[Role.INTERVIEWER], kind, record)
    assert audit_count(branch) == before
    return raised.value


# --- one form -------------------------------------------------------------------------------


def test_printing_writes_an_audit_event_with_the_code(branch: Branch1) -> None:
    with branch.ws.transaction() as session:
        render_form(session, branch[Role.INTERVIEWER], FormKind.DELIVERY, branch.delivery)
        event = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action == PRINT_ACTION, AuditEvent.entity_id == branch.delivery)
            .order_by(AuditEvent.device_seq.desc())
        ).first()
    assert event is not None and event.entity == "service_delivery"
    assert event.details["form"] == "delivery" and len(event.details["code"]) == 19
    # The paper's record holds what was printed; the audit trail only points at it.
    assert "1023456781" not in str(event.details)
    paper = session.get(PrintedPaper, event.details["paper"])
    assert paper is not None and paper.code == event.details["code"]
    assert paper.record_id == branch.delivery and paper.kind == "delivery"


def test_a_missing_record_is_a_clear_message(branch: Branch1) -> None:
    error = refused(branch, NotFound, FormKind.RECEIPT, "01a21750-a408-74de-845a-a35d4e8883cf")
    assert "لم يُعثر" in arabic(error) or "غير موجود" in arabic(error)
    refused(branch, NotFound, FormKind.DECLARATION, "not-an-id")
    error = refused(branch, NotFound, FormKind.DECISION, None)
    assert "اختر السجل" in arabic(error)


def test_a_receipt_waits_for_the_submission(branch: Branch1) -> None:
    error = refused(branch, Conflict, FormKind.RECEIPT, branch.draft)
    assert "لم يُرفع" in arabic(error)


def test_another_branch_cannot_print_this_branch_s_records(branch: Branch1) -> None:
    with branch.ws.transaction() as session:
        other = session.scalar(sa.select(Branch).where(Branch.code == "DMM"))
        if other is None:
            other = Branch(code="DMM", name="فرع الدمام")
            session.add(other)
            session.flush()
            session.add(
                User(
                    username="dammam.clerk",
                    full_name="موظف الدمام",
                    role=Role.INTERVIEWER,
                    branch_id=other.id,
                    password_hash="-",
                )
            )
            session.flush()
        clerk = Actor.of(
            session.scalars(sa.select(User).where(User.username == "dammam.clerk")).one()
        )
    with pytest.raises(PermissionDenied), branch.ws.transaction() as session:
        render_form(session, clerk, FormKind.REQUEST, branch.request)


def test_records_are_found_by_request_number(branch: Branch1) -> None:
    clerk = branch[Role.INTERVIEWER]
    with branch.ws.transaction() as session:
        number = read_number(session, branch)
        assert find_record_id(session, clerk, FormKind.RECEIPT, number.lower()) == branch.request
        assert find_record_id(session, clerk, FormKind.DECISION, number) == branch.decision
        assert (
            find_record_id(session, clerk, FormKind.INTERVIEW, branch.interview.upper())
            == branch.interview
        )
        with pytest.raises(NotFound) as raised:
            find_record_id(session, clerk, FormKind.DELIVERY, number)
        assert number in arabic(raised.value)


def read_number(session: sa.orm.Session, branch: Branch1) -> str:
    from db.models import SupportRequest

    request = session.get(SupportRequest, branch.request)
    assert request is not None
    return request.request_number


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The font packages missing, as on a damaged installation."""

    def caches() -> None:
        fonts.font_set.cache_clear()
        arabic_text.shaper.cache_clear()
        layout.styles.cache_clear()

    def missing(name: str, *args: object, **kwargs: object) -> Path:
        raise fontpkg.FamilyNotInstalled(name)

    caches()
    monkeypatch.setattr(fontpkg, "path", missing)
    yield
    monkeypatch.undo()
    caches()


@pytest.mark.usefixtures("no_fonts")
def test_a_missing_font_package_is_a_clear_message(branch: Branch1, tmp_path: Path) -> None:
    error = refused(branch, MissingFont, FormKind.RECEIPT, branch.request)
    text = arabic(error)
    assert "ibm-plex-sans-arabic" in text and "أعد تثبيت" in text
    refused(branch, MissingFont, FormKind.BLANK_REQUEST, None)


def test_fonts_come_back_after_the_package_is_reinstalled(branch: Branch1) -> None:
    # Runs after the test above: nothing about the missing fonts was cached.
    with branch.ws.transaction() as session:
        assert render_form(session, branch[Role.INTERVIEWER], FormKind.BLANK_DECLARATION, None)


# --- saving ---------------------------------------------------------------------------------


def test_save_writes_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "form.pdf"
    save_pdf(b"%PDF-1.4 first", target)
    save_pdf(b"%PDF-1.4 second", target)
    assert target.read_bytes() == b"%PDF-1.4 second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.pdf"]


def test_save_to_a_missing_folder_or_a_folder_name(tmp_path: Path) -> None:
    with pytest.raises(RomahError) as raised:
        save_pdf(b"%PDF", tmp_path / "no such folder" / "form.pdf")
    assert "غير موجود" in arabic(raised.value)
    with pytest.raises(RomahError) as raised:
        save_pdf(b"%PDF", tmp_path)
    assert "مجلد" in arabic(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "receipt.pdf"
    target.write_bytes(b"the old receipt")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(RomahError) as raised:
        save_pdf(b"%PDF new", target)
    assert "لا يُسمح" in arabic(raised.value)
    assert target.read_bytes() == b"the old receipt"


def test_a_failure_while_writing_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "receipt.pdf"
    target.write_bytes(b"the old receipt")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(RomahError) as raised:
        save_pdf(b"%PDF new" * 1000, target)
    assert "No space left on device" in arabic(raised.value)
    assert target.read_bytes() == b"the old receipt"
    assert [p.name for p in tmp_path.iterdir()] == ["receipt.pdf"]


# --- a day's batch --------------------------------------------------------------------------


def test_batch_items_are_the_day_s_receipts_and_decisions(branch: Branch1) -> None:
    manager = branch[Role.BRANCH_MANAGER]
    with branch.ws.transaction() as session:
        receipts = batch_items(session, manager, FormKind.RECEIPT, branch.day)
        letters = batch_items(session, manager, FormKind.DECISION, branch.day)
        assert batch_items(session, manager, FormKind.RECEIPT, branch.day - timedelta(days=1)) == []
        with pytest.raises(RomahError):
            batch_items(session, manager, FormKind.INTERVIEW, branch.day)
    assert receipts == [branch.request, branch.rejected_request]  # by request number
    assert letters == [branch.decision, branch.rejection]


def test_a_batch_is_one_pdf_with_progress_and_every_code_verifies(branch: Branch1) -> None:
    manager = branch[Role.BRANCH_MANAGER]
    seen: list[tuple[int, int]] = []
    with branch.ws.transaction() as session:
        data = render_batch(
            session,
            manager,
            FormKind.DECISION,
            branch.day,
            progress=lambda d, t: seen.append((d, t)),
        )
    assert seen == [(1, 2), (2, 2)]
    pages = read_pages(data)
    assert len(pages) == 2
    text = "\n".join(page.text for page in pages)
    assert "الموافقة عليه" in text and "الاعتذار عن قبوله" in text
    # Each letter says "page 1 of 1": its pages are counted on their own.
    assert all("صفحة1من1" in "".join(page.text.split()) for page in pages)
    import re

    codes = re.findall(
        r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", "\n".join(p.text for p in pages)
    )
    assert len(set(codes)) == 2
    with branch.ws.transaction() as session:
        assert all(verify_code(session, manager, code).ok for code in codes)


def test_a_cancelled_batch_makes_nothing(branch: Branch1) -> None:
    before = audit_count(branch)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # cancel after the first form

    with pytest.raises(PrintCancelled) as raised, branch.ws.transaction() as session:
        render_batch(
            session, branch[Role.BRANCH_MANAGER], FormKind.RECEIPT, branch.day, cancelled=cancelled
        )
    assert "أُلغيت" in arabic(raised.value)
    assert audit_count(branch) == before  # the first form's event rolled back too


def test_a_day_with_nothing_to_print_says_so(branch: Branch1) -> None:
    with pytest.raises(NotFound) as raised, branch.ws.transaction() as session:
        render_batch(session, branch[Role.BRANCH_MANAGER], FormKind.RECEIPT, date(2025, 1, 1))
    assert "لا يوجد ما يُطبع" in arabic(raised.value)


# --- the layout's page rules ----------------------------------------------------------------


def sheet_pdf(draw: Callable[[layout.Sheet], None], *, landscape: bool = False) -> bytes:
    """A document of the blocks `draw` puts on a sheet, under a short letterhead."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=fonts.font_set().regular)
    head = layout.Letterhead(
        "جمعية رومة", "Romah", "فرع الرياض", "تقرير", page_label="صفحة {page} من {pages}"
    )
    sheet = layout.Sheet(canvas, head, landscape=landscape)
    draw(sheet)
    sheet.close()
    canvas.save()
    return buffer.getvalue()


# Columns far too narrow, by weight, for what they hold.
NARROW = [
    layout.Column("رقم الطلب", 0.2),
    layout.Column("المبلغ المطلوب", 0.2),
    layout.Column("الاسم", 4),
    layout.Column("المبلغ المسلّم", 0.2),
    layout.Column("الحالة", 3),
]


def narrow_rows(count: int) -> list[list[str]]:
    return [
        [
            f"RYD-2024-{n:06d}",
            f"{n * 1137:,}.50",
            "عبدالرحمن عبدالعزيز الدوسري",
            "11,400",
            "قيد الدراسة لدى اللجنة",
        ]
        for n in range(1, count + 1)
    ]


def test_a_long_table_repeats_its_header_and_never_breaks_a_number_or_a_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = Drawn().spy(monkeypatch)
    pages = read_pages(sheet_pdf(lambda sheet: sheet.table(NARROW, narrow_rows(120))))
    assert len(pages) >= 3
    heads = [page for page, kind, _kw in drawn.events if kind == "head"]
    bodies = {page for page, kind, _kw in drawn.events if kind == "row"}
    assert heads == sorted(bodies) == list(range(1, len(pages) + 1))
    assert drawn.wraps and not drawn.broken_words()


def test_a_heading_never_ends_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = [
        layout.Column("عدد الطلبات التي رُدّ عليها في موعدها المحدد"),
        layout.Column("عدد الطلبات التي تأخر الرد عليها بعد موعدها"),
        layout.Column("المبلغ"),
    ]
    for lines in range(30, 48):
        drawn = Drawn().spy(monkeypatch)

        def draw(sheet: layout.Sheet, lines: int = lines) -> None:
            for n in range(lines):
                sheet.paragraph(f"سطر رقم {n}")
            sheet.heading("جدول المبالغ")
            sheet.table(columns, [["12", "3", "11,400.50"]] * 4)
            sheet.heading("ملاحظات")
            sheet.paragraph("نص طويل " * 60)

        sheet_pdf(draw)
        for page, kinds in drawn.pages().items():
            if "heading" in kinds:
                after = kinds[len(kinds) - kinds[::-1].index("heading") :]
                assert "row" in after or "text" in after, (lines, page, kinds)
        monkeypatch.undo()


def test_a_landscape_sheet_has_a4_landscape_pages_within_its_margins() -> None:
    data = sheet_pdf(lambda sheet: sheet.table(NARROW, narrow_rows(60)), landscape=True)
    pages = read_pages(data)
    assert len(pages) >= 2
    for page in pages:
        assert (round(page.width), round(page.height)) == (842, 595)
        for run in page.runs:
            assert layout.MARGIN - 1.5 <= run.left and run.right <= 842 - layout.MARGIN + 1.5, run
            assert layout.MARGIN - 12 <= run.bottom and run.top <= 595 - layout.MARGIN + 12, run


def test_a_table_too_wide_for_its_font_is_set_a_step_smaller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = Drawn().spy(monkeypatch)
    columns = [layout.Column(f"العمود {n}") for n in range(8)]
    sheet_pdf(lambda sheet: sheet.table(columns, [["1,234,567.50"] * 8] * 3))
    sizes = {kw["style"].size for _page, kind, kw in drawn.events if kind == "row"}
    assert sizes and max(sizes) < layout.styles().body.size
    assert not drawn.broken_words()
