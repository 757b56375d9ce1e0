"""Printing in the real window: a form from a person's file, the request screen and the intake
into the print preview; saving it as a PDF and printing it through Qt (a PDF printer stands in
for a real one); a day's batch with its progress and Cancel; and verifying a printed form."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import shiboken6
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Channel, DecisionOutcome, InterviewStep, RequestType, Role
from db.models import AuditEvent, SupportRequest, User
from romah_desktop.drafts import new_draft, save_draft
from romah_desktop.printing import FormKind
from romah_desktop.printing.papers import new_code
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.interview import STEPS
from romah_desktop.services.people.beneficiaries import register_beneficiary
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from ui.app import RomahApp
from ui.intake import open_intake
from ui.intake.pages import DeliverPage, SubmitPage
from ui.main_window import MainWindow
from ui.pages.beneficiaries import BeneficiariesPage
from ui.pages.requests import RequestDetailsDialog, RequestsPage
from ui.printing import (
    BatchPrintDialog,
    FormPrint,
    PrintFormsButton,
    PrintPreviewDialog,
    VerifyDialog,
    print_form,
)
from ui.profile.dialog import TIMELINE, ProfileDialog
from ui.qt import QApplication, QImage, QMessageBox, QPrinter, Qt, QWidget
from ui.widgets.timeline import TimelineRole

PRINT_ACTION = "form.print"


@dataclass(frozen=True)
class Papers:
    """A person with a signed declaration and a support request."""

    person: str
    declaration: str
    request: str


def prepare(app: RomahApp, clerk: Actor, submitted: bool = True, **person: str) -> Papers:
    with database_of(app) as workspace, workspace.transaction() as session:
        beneficiary = register_beneficiary(session, clerk, person_form(**person)).id
        declaration = sign_declaration(
            session,
            clerk,
            beneficiary_id=beneficiary,
            signer_name="مقدم الطلب",
            text="أقر بصحة البيانات المدونة أعلاه",
            signature_png=None,
        ).id
        request = create_request(
            session,
            clerk,
            beneficiary_id=beneficiary,
            request_type=RequestType.RENT,
            amount="2,500.50",
            justification="متأخرات إيجار (ثلاثة أشهر)",
            channel=Channel.INTERVIEW,
        ).id
        if submitted:
            submit_request(session, clerk, request)
        return Papers(beneficiary, declaration, request)


def committee_member(app: RomahApp) -> Actor:
    """A member of the branch's research committee (nobody signs in as them)."""
    with database_of(app) as workspace, workspace.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        user = User(
            username="committee.member",
            full_name="عضو اللجنة",
            role=Role.COMMITTEE_MEMBER,
            branch_id=admin.branch_id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        return Actor.of(user)


def approve(app: RomahApp, member: Actor, request_id: str) -> str:
    with database_of(app) as workspace, workspace.transaction() as session:
        return record_decision(
            session,
            member,
            request_id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="2,000.25",
            reason=None,
            decided_on=date.today(),
            members="عضو اللجنة",
        ).id


def printed_codes(app: RomahApp, record_id: str | None = None) -> list[str]:
    """The verification codes of the forms printed (from the audit trail)."""
    with database_of(app) as workspace, workspace.transaction() as session:
        query = sa.select(AuditEvent).where(AuditEvent.action == PRINT_ACTION)
        if record_id is not None:
            query = query.where(AuditEvent.entity_id == record_id)
        return [str(e.details.get("code")) for e in session.scalars(query)]


def ink(image: QImage) -> float:
    """The share of a page's pixels that are ink, not paper (0.0 for a blank page)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    # A width that is a multiple of 4 leaves no padding at the end of each line.
    gray = gray.copy(0, 0, gray.width() - gray.width() % 4, gray.height())
    data = bytes(gray.constBits())[: gray.bytesPerLine() * gray.height()]
    return sum(data.count(bytes([value])) for value in range(128)) / max(len(data), 1)


def pdf_pages(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def wait_preview(qtbot: QtBot, app: RomahApp, job: FormPrint) -> PrintPreviewDialog:
    with qtbot.waitSignal(job.sig_opened, timeout=15_000) as opened:
        pass
    preview = opened.args[0]
    assert isinstance(preview, PrintPreviewDialog)
    qtbot.waitExposed(preview)
    wait_idle(qtbot, app)
    return preview


def print_from(qtbot: QtBot, button: PrintFormsButton, kind: FormKind) -> FormPrint:
    assert button.isEnabled() and kind in button.forms()
    with qtbot.waitSignal(button.sig_printing) as asked:
        button.actions_by_kind[kind].trigger()
    job = asked.args[0]
    assert isinstance(job, FormPrint)
    return job


def snap(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    screenshot(widget, name)


def close(qtbot: QtBot, dialog: QWidget) -> None:
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


@pytest.fixture
def desk(window_as: Callable[[Role], MainWindow]) -> MainWindow:
    """Signed in as a beneficiary relations officer."""
    return window_as(Role.INTERVIEWER)


# --- from a person's file: preview, zoom, save, print -----------------------------------------


def open_file(qtbot: QtBot, app: RomahApp, window: MainWindow, person: str) -> ProfileDialog:
    window.show_page("beneficiaries")
    page = window.pages["beneficiaries"]
    assert isinstance(page, BeneficiariesPage)
    page.open_file(person)
    wait_idle(qtbot, app)
    (dialog,) = page.findChildren(ProfileDialog)
    qtbot.waitUntil(lambda: dialog.file is not None and dialog.file.id == person)
    return dialog


def choose_entry(qtbot: QtBot, app: RomahApp, dialog: ProfileDialog, kind: str) -> None:
    """Choose the newest timeline entry of `kind` with the keyboard."""
    dialog.tabs.setCurrentIndex(TIMELINE)
    wait_idle(qtbot, app)
    table = dialog.timeline.table
    model = dialog.timeline.model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(TimelineRole.KIND) == kind]
    assert rows, f"no {kind} in the timeline"
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    while table.currentIndex().row() < rows[0]:
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().data(TimelineRole.KIND) == kind


def test_a_request_form_from_a_persons_file_is_previewed_saved_and_printed(
    qtbot: QtBot,
    romah_app: RomahApp,
    desk: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    papers = prepare(romah_app, desk.ctx.actor, first_name="عبدالله", family_name="الحربي")
    dialog = open_file(qtbot, romah_app, desk, papers.person)
    button = dialog.print_button
    assert not button.isEnabled() and button.toolTip()  # says what to choose first

    choose_entry(qtbot, romah_app, dialog, "declaration")
    assert button.forms() == [FormKind.DECLARATION]
    choose_entry(qtbot, romah_app, dialog, "request")
    assert button.forms() == [FormKind.REQUEST, FormKind.RECEIPT]
    snap(dialog, "profile_print_button")
    preview = wait_preview(qtbot, romah_app, print_from(qtbot, button, FormKind.REQUEST))

    # The preview shows the PDF the core made, every page, right to left.
    assert preview.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert preview.data.startswith(b"%PDF")
    pages = preview.page_count()
    assert pages == pdf_pages(preview.data) >= 1
    assert len(preview.canvases) == preview.thumbnails.count() == pages
    assert printed_codes(romah_app, papers.request)  # the print is in the audit trail
    qtbot.waitUntil(preview.thumbnails_ready)
    assert 0.005 < ink(preview.page_image(0)) < 0.6
    on_screen = preview.canvases[0].grab().toImage()
    assert 0.005 < ink(on_screen) < 0.6
    assert preview.page_label.text()
    snap(preview, "print_preview")

    # Zoom: 100% is the paper's own size; Ctrl++ makes it larger, Ctrl+- smaller.
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findData(1.0))
    actual = round(preview.pages.size(0).width() * preview.logicalDpiX() / 72)
    assert abs(preview.canvases[0].width() - actual) <= 1
    qtbot.keyClick(preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert abs(preview.canvases[0].width() - actual * 1.25) <= 2
    assert preview.zoom_box.currentData() == 1.25
    qtbot.keyClick(preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoom_box.currentData() == 0.75
    assert 0.005 < ink(preview.canvases[0].grab().toImage()) < 0.6

    # Save as PDF: the very bytes, under the name chosen.
    target = tmp_path / "أوراق" / "طلب دعم.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(preview, "choose_save_path", lambda: target)
    with qtbot.waitSignal(preview.sig_saved, timeout=10_000) as saved:
        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [str(target)]
    assert target.read_bytes() == preview.data
    assert str(target) in preview.message.text()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left

    # A folder that does not exist: a clear message, nothing written, the preview stays.
    missing = tmp_path / "no-such-folder" / "form.pdf"
    monkeypatch.setattr(preview, "choose_save_path", lambda: missing)
    with qtbot.waitSignal(preview.sig_save_failed, timeout=10_000) as failed:
        qtbot.keyClick(preview, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "no-such-folder" in failed.args[0] and preview.message.text() == failed.args[0]
    assert not missing.parent.exists()
    assert preview.isVisible() and preview.save_button.isEnabled()

    # Print…: to a PDF printer, which gets every page, drawn (not blank), on A4.
    printed = tmp_path / "printed.pdf"

    def pdf_printer(path: Path) -> QPrinter:
        printer = preview.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    monkeypatch.setattr(preview, "choose_printer", lambda: pdf_printer(printed))
    with qtbot.waitSignal(preview.sig_printed, timeout=30_000) as done:
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert done.args == [pages]
    assert not preview.progress.isVisible() and preview.print_button.isEnabled()
    paper = pdfium.PdfDocument(printed.read_bytes())
    try:
        assert len(paper) == pages
        width, height = paper[0].get_size()
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2
        bitmap = paper[0].render(scale=0.5, rev_byteorder=True)
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB888,
        ).copy()
        assert 0.005 < ink(image) < 0.6
    finally:
        paper.close()

    # A printer that fails: a clear message naming what failed, and Print… works again.
    broken = tmp_path / "unplugged" / "printer.pdf"
    monkeypatch.setattr(preview, "choose_printer", lambda: pdf_printer(broken))
    with qtbot.waitSignal(preview.sig_print_failed, timeout=10_000) as refused:
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert "unplugged" in refused.args[0]
    assert preview.message.text() == refused.args[0] and preview.message.isVisible()
    assert preview.print_button.isEnabled() and not broken.exists()
    snap(preview, "print_preview_printer_error")
    close(qtbot, preview)
    dialog.close()


def test_a_form_that_cannot_be_made_says_why(
    qtbot: QtBot, romah_app: RomahApp, desk: MainWindow
) -> None:
    papers = prepare(romah_app, desk.ctx.actor, submitted=False)
    dialog = open_file(qtbot, romah_app, desk, papers.person)
    choose_entry(qtbot, romah_app, dialog, "request")
    # A receipt is for a submitted request: the core refuses, the window says so in Arabic.
    job = print_from(qtbot, dialog.print_button, FormKind.RECEIPT)
    with qtbot.waitSignal(job.sig_failed, timeout=10_000) as failed:
        pass
    boxes = [b for b in dialog.findChildren(QMessageBox) if b.objectName() == "print_error"]
    assert len(boxes) == 1 and boxes[0].isVisible()
    assert boxes[0].text() == failed.args[0]
    assert any("\u0621" <= ch <= "\u064a" for ch in failed.args[0])
    assert not dialog.findChildren(PrintPreviewDialog)
    assert dialog.isVisible()  # the file stays open as it was
    boxes[0].accept()
    dialog.close()


# --- the request screen and the intake ----------------------------------------------------------


def test_the_request_screen_prints_its_form_receipt_and_decision_letter(
    qtbot: QtBot, romah_app: RomahApp, desk: MainWindow
) -> None:
    papers = prepare(romah_app, desk.ctx.actor)
    requests = desk.pages["requests"]
    assert isinstance(requests, RequestsPage)
    desk.show_page("requests")
    wait_idle(qtbot, romah_app)

    def details() -> RequestDetailsDialog:
        with qtbot.waitSignal(requests.sig_opened):
            dialog = requests.open_request(papers.request)
        with qtbot.waitSignal(dialog.sig_loaded, timeout=10_000):
            pass
        return dialog

    undecided = details()
    assert undecided.print_button.forms() == [FormKind.REQUEST, FormKind.RECEIPT]
    close(qtbot, undecided)

    decision = approve(romah_app, committee_member(romah_app), papers.request)
    decided = details()
    assert decided.print_button.forms() == [FormKind.REQUEST, FormKind.RECEIPT, FormKind.DECISION]
    preview = wait_preview(
        qtbot, romah_app, print_from(qtbot, decided.print_button, FormKind.DECISION)
    )
    assert preview.page_count() >= 1 and printed_codes(romah_app, decision)
    qtbot.waitUntil(preview.thumbnails_ready)
    assert 0.005 < ink(preview.page_image(0)) < 0.6
    close(qtbot, preview)
    close(qtbot, decided)


def test_the_intake_prints_the_receipt_and_declaration_it_made(
    qtbot: QtBot, romah_app: RomahApp, desk: MainWindow
) -> None:
    assert romah_app.ctx is not None and romah_app.workspace is not None
    papers = prepare(romah_app, desk.ctx.actor)
    # An intake whose request was submitted today, waiting for the committee's answer.
    done = [step.value for step in STEPS if step != InterviewStep.DELIVER_SERVICE]
    draft = new_draft(
        "ui.interviewer",
        "intake",
        "مقدم الطلب",
        {
            "version": 1,
            "page": len(STEPS),
            "record": {
                "done": done,
                "beneficiary_id": papers.person,
                "request_id": papers.request,
                "declaration_id": papers.declaration,
                "person_text": "مقدم الطلب",
            },
            "pages": {},
        },
    )
    save_draft(romah_app.workspace.data_dir, draft, cipher=romah_app.workspace.files)
    wizard = open_intake(romah_app.ctx, desk, draft.id)
    qtbot.waitExposed(wizard)
    wait_idle(qtbot, romah_app)
    deliver = wizard.currentPage()
    assert isinstance(deliver, DeliverPage)
    button = deliver.print_button
    assert button.isVisible()
    assert button.forms() == [FormKind.RECEIPT, FormKind.DECLARATION, FormKind.REQUEST]
    submit = wizard.page_of(InterviewStep.INFORM)
    assert isinstance(submit, SubmitPage) and submit.print_button.forms() == button.forms()
    snap(wizard, "intake_print_button")
    receipt = wait_preview(qtbot, romah_app, print_from(qtbot, button, FormKind.RECEIPT))
    assert receipt.page_count() >= 1 and printed_codes(romah_app, papers.request)
    close(qtbot, receipt)
    declaration = wait_preview(qtbot, romah_app, print_from(qtbot, button, FormKind.DECLARATION))
    assert declaration.page_count() >= 1 and printed_codes(romah_app, papers.declaration)
    close(qtbot, declaration)
    wizard.close()


def test_blank_forms_from_the_print_menu(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    menu = main_window.print_menu
    titles = [a.text() for a in menu.menu.actions() if not a.isSeparator()]
    assert len(titles) == 4 and all(titles)
    for action in (menu.blank_request, menu.blank_declaration):
        action.trigger()
        qtbot.waitUntil(lambda: bool(main_window.findChildren(PrintPreviewDialog)), timeout=15_000)
        (preview,) = main_window.findChildren(PrintPreviewDialog)
        qtbot.waitUntil(preview.thumbnails_ready)
        assert preview.page_count() >= 1
        assert 0.005 < ink(preview.page_image(0)) < 0.6
        close(qtbot, preview)


# --- a day's batch ------------------------------------------------------------------------------


def open_batch(qtbot: QtBot, app: RomahApp, window: MainWindow) -> BatchPrintDialog:
    with qtbot.waitSignal(window.print_menu.sig_dialog_opened) as opened:
        window.print_menu.batch.trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, BatchPrintDialog)
    qtbot.waitExposed(dialog)
    wait_idle(qtbot, app)
    return dialog


def retype(qtbot: QtBot, dialog: BatchPrintDialog, text: str) -> None:
    dialog.day.edit.setFocus()
    dialog.day.edit.selectAll()
    qtbot.keyClick(dialog.day.edit, Qt.Key.Key_Delete)
    type_text(dialog.day.edit, text)


def test_a_days_receipts_in_one_batch_with_progress_and_cancel(
    qtbot: QtBot,
    romah_app: RomahApp,
    desk: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clerk = desk.ctx.actor
    names = ("نورة", "سارة", "هيفاء", "ريم", "منيرة")
    made = [prepare(romah_app, clerk, first_name=name, gender="أنثى") for name in names]
    prepare(romah_app, clerk, submitted=False)  # not submitted: no receipt
    dialog = open_batch(qtbot, romah_app, desk)
    assert dialog.chosen_kind() == FormKind.RECEIPT
    assert dialog.day.date() == date.today()
    qtbot.waitUntil(lambda: "5" in dialog.count.text())

    # Bad days: the message is beside the field, the text stays, nothing is made.
    retype(qtbot, dialog, "1446/13/01 هـ")
    qtbot.keyClick(dialog.day.edit, Qt.Key.Key_Return)
    assert dialog.day.error_text() and dialog.day.error.isVisible()
    assert dialog.day.text() == "1446/13/01 هـ" and not dialog.running()
    retype(qtbot, dialog, "")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.day.error_text() and not dialog.running()
    # A day with nothing to print says so.
    retype(qtbot, dialog, "2001-01-01")
    wait_idle(qtbot, romah_app)
    assert "5" not in dialog.count.text() and dialog.count.text()
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000) as nothing:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == nothing.args[0]
    retype(qtbot, dialog, date.today().isoformat())
    wait_idle(qtbot, romah_app)
    assert not dialog.day.error.isVisible() and "5" in dialog.count.text()

    # Cancel while it runs: the worker holds after the first form until Cancel was pressed.
    gate = threading.Event()
    report = dialog.report_progress

    def held(done: int, total: int) -> None:
        report(done, total)
        if done == 1:
            gate.wait(10)

    monkeypatch.setattr(dialog, "report_progress", held)
    try:
        with qtbot.waitSignal(dialog.sig_progress, timeout=10_000) as first:
            qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert first.args == [1, 5]
        assert dialog.running() and dialog.cancel_button.isEnabled()
        assert not dialog.start_button.isEnabled() and not dialog.day.isEnabled()
        assert (dialog.progress.value(), dialog.progress.maximum()) == (1, 5)
        snap(dialog, "batch_print_running")
        with qtbot.waitSignal(dialog.sig_cancelled, timeout=10_000):
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
            gate.set()
    finally:
        gate.set()
    assert not dialog.running() and dialog.preview is None and dialog.start_button.isEnabled()
    assert dialog.message.text()
    assert not desk.findChildren(PrintPreviewDialog)
    assert printed_codes(romah_app) == []  # the cancelled batch left no print behind
    monkeypatch.setattr(dialog, "report_progress", report)

    # The whole batch: progress to the end, then the preview, one receipt per page.
    steps: list[tuple[int, int]] = []
    dialog.sig_progress.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(dialog.sig_finished, timeout=30_000) as finished:
        qtbot.keyClick(dialog.day.edit, Qt.Key.Key_Return)
    assert steps == [(n, 5) for n in range(1, 6)]
    preview = finished.args[0]
    assert isinstance(preview, PrintPreviewDialog) and preview is dialog.preview
    qtbot.waitExposed(preview)
    assert preview.page_count() == 5
    assert sorted(printed_codes(romah_app)) == sorted(
        code for papers in made for code in printed_codes(romah_app, papers.request)
    )
    qtbot.waitUntil(preview.thumbnails_ready)
    preview.thumbnails.setCurrentRow(3)
    assert preview.current_page() == 4
    qtbot.waitUntil(lambda: preview.canvases[3].visibleRegion().boundingRect().height() > 100)
    assert 0.005 < ink(preview.canvases[3].grab().toImage()) < 0.6
    snap(dialog, "batch_print_done")
    snap(preview, "batch_print_preview")
    close(qtbot, preview)
    close(qtbot, dialog)


# --- verifying a printed form ---------------------------------------------------------------------


def test_verify_a_printed_receipt_then_a_tampered_one(
    qtbot: QtBot, romah_app: RomahApp, desk: MainWindow
) -> None:
    assert romah_app.workspace is not None and romah_app.ctx is not None
    papers = prepare(romah_app, desk.ctx.actor)
    receipt = wait_preview(
        qtbot, romah_app, print_form(romah_app.ctx, desk, FormKind.RECEIPT, papers.request)
    )
    close(qtbot, receipt)
    (code,) = printed_codes(romah_app, papers.request)

    with qtbot.waitSignal(desk.print_menu.sig_dialog_opened) as opened:
        desk.print_menu.verify.trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, VerifyDialog)
    qtbot.waitExposed(dialog)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft

    # Nothing typed, a short code, a wrong QR: a message beside the code, text kept.
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.error.isVisible() and dialog.error.text()
    assert not dialog.result_box.isVisible()
    for wrong in ("7K2M-9QXD", "ROMAH2:abc"):
        dialog.code.clear()
        qtbot.keyClicks(dialog.code, wrong)
        with qtbot.waitSignal(dialog.sig_failed, timeout=10_000) as refused:
            qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        assert dialog.error.text() == refused.args[0] and dialog.error.isVisible()
        assert any("\u0621" <= ch <= "\u064a" for ch in refused.args[0])
        assert dialog.code.text() == wrong

    # A well-formed code that was never printed: one sentence, no one named, no values.
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, new_code())
    with qtbot.waitSignal(dialog.sig_verified, timeout=10_000) as checked:
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert not checked.args[0].ok and checked.args[0].record_id is None
    assert "✗" in dialog.verdict.text() and dialog.summary.text()
    assert not dialog.values.isVisible() and dialog.values.rowCount() == 0
    snap(dialog, "verify_unknown")

    # The genuine code, typed in lower case with spaces: it matches, every printed value shown.
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, code.lower().replace("-", " "))
    with qtbot.waitSignal(dialog.sig_verified, timeout=10_000) as checked:
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    result = checked.args[0]
    assert result.ok and result.record_id == papers.request
    assert not dialog.error.isVisible() and dialog.result_box.isVisible()
    assert "✓" in dialog.verdict.text() and dialog.summary.text()
    assert dialog.values.isVisible() and dialog.values.rowCount() == len(result.printed)
    assert dialog.differing_rows() == []
    snap(dialog, "verify_match")

    # The record is changed behind the paper's back: the amount printed beside the amount now.
    with romah_app.workspace.transaction() as session:
        session.execute(
            sa.update(SupportRequest)
            .where(SupportRequest.id == papers.request)
            .values(amount_requested_halalas=999_900)
        )
    with qtbot.waitSignal(dialog.sig_verified, timeout=10_000) as checked:
        qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    result = checked.args[0]
    assert not result.ok and [d.field for d in result.differences] == ["amount_requested"]
    assert "✗" in dialog.verdict.text()
    (row,) = dialog.differing_rows()
    cells = [dialog.values.item(row, column).text() for column in range(3)]
    assert "المبلغ المطلوب" in cells[0]
    assert cells[1] == result.differences[0].printed and "9,999.00" in cells[2]
    snap(dialog, "verify_tampered")
    close(qtbot, dialog)


def test_closing_the_preview_while_printing_stops_the_job(
    qtbot: QtBot,
    romah_app: RomahApp,
    desk: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert romah_app.ctx is not None
    for name in ("نورة", "سارة", "ريم"):
        prepare(romah_app, desk.ctx.actor, first_name=name, gender="أنثى")
    dialog = open_batch(qtbot, romah_app, desk)
    with qtbot.waitSignal(dialog.sig_finished, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    preview = finished.args[0]
    assert preview.page_count() == 3
    close(qtbot, dialog)
    printer = preview.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "stopped.pdf"))
    monkeypatch.setattr(preview, "choose_printer", lambda: printer)
    failures: list[str] = []
    preview.sig_print_failed.connect(failures.append)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    run = preview.run
    assert run is not None and run.running and not preview.print_button.isEnabled()
    with qtbot.waitSignal(run.sig_progress, timeout=10_000):
        pass
    preview.close()  # after the first of three pages
    assert not run.running and run.sent < 3
    assert failures and failures[0]
    qtbot.waitUntil(lambda: not shiboken6.isValid(preview))
