"""The printing service: the use cases the window and the command line call (one form, a
day's batch, saving a PDF). Each reads its records, checks the acting user's permission itself
and records what was printed in the audit trail; the drawing is in forms.py and layout.py."""

# ReportLab, qrcode and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.files import write_atomically
from db.models import Branch, CommitteeDecision, PrintedPaper, SupportRequest
from romah_desktop import __version__
from romah_desktop.dates import format_dual, local_midnight
from romah_desktop.errors import NotFound, RomahError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.printing.kinds import FORM_LANGUAGE, RECORD_KINDS, FormKind, form_title
from romah_desktop.printing.papers import (
    device_signing_key,
    new_code,
    qr_payload,
    sign,
    signed_content,
)
from romah_desktop.printing.printed import printed_values
from romah_desktop.printing.records import MODELS, Subject, load
from romah_desktop.printing.verification import PRINT_ACTION
from romah_desktop.protection import file_cipher, intact_attachment
from romah_desktop.services import audit
from romah_desktop.services.context import Actor, this_device
from romah_desktop.services.intake.declarations import default_attachments_dir

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# The drawing modules (ReportLab, the shaper, qrcode) are imported when the first PDF is made:
# importing them would cost the app's start, and every `romah` command, some 80 ms.

# The forms printed a day at a time.
BATCH_KINDS = (FormKind.RECEIPT, FormKind.DECISION)


class PrintCancelled(RomahError):
    """The person cancelled a batch; nothing was made."""


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    """A new A4 canvas. Raises MissingFont (before anything is drawn)."""
    from reportlab.pdfgen.canvas import Canvas

    from romah_desktop.printing.fonts import font_set
    from romah_desktop.printing.forms import SOCIETY_LATIN
    from romah_desktop.printing.layout import PAGE_HEIGHT, PAGE_WIDTH

    # The canvas's own first font, unused, would otherwise be a Helvetica without Arabic.
    regular = font_set().regular
    canvas = Canvas(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, initialFontName=regular
    )
    canvas.setTitle(title)
    canvas.setAuthor(SOCIETY_LATIN)
    canvas.setCreator(f"Romah Desktop {__version__}")
    return canvas


def _signature_png(session: Session, subject: Subject) -> bytes | None:
    """The signature image the form prints (the declarant's, or the recipient's on a delivery
    receipt) from the attachments, if it is on this computer and intact."""
    if subject.declaration is not None:
        sha = subject.declaration.signature_sha256
    elif subject.delivery is not None:
        sha = subject.delivery.receipt_signature_sha256
    else:
        return None
    if sha is None:
        return None
    try:
        folder = default_attachments_dir(session)
    except ValueError:
        return None
    return intact_attachment(folder, sha, file_cipher(session))


def _own_branch(session: Session) -> Branch | None:
    """This laptop's branch (HQ's record of it), which heads its blank forms."""
    try:
        return session.get(Branch, this_device(session).branch_id)
    except LookupError:
        return None


def record_paper(session: Session, actor: Actor, subject: Subject) -> PrintedPaper:
    """Record one print of `subject`'s form: a new code, every value the form prints, and this
    laptop's signature over them. The paper syncs to HQ with the next sync."""
    device = this_device(session)
    key = device_signing_key(session, device.device_id)
    code = new_code()
    while session.scalar(sa.select(PrintedPaper.id).where(PrintedPaper.code == code)):
        code = new_code()  # 80 random bits: never in practice
    printed = printed_values(subject)
    printed_at = utcnow().replace(microsecond=0)
    content = signed_content(
        subject.kind.value, subject.record_id, code, device.device_id, printed_at, printed
    )
    paper = PrintedPaper(
        code=code,
        kind=subject.kind.value,
        record_id=subject.record_id,
        device_id=device.device_id,
        printed_at=printed_at,
        user_id=actor.user_id,
        branch_id=subject.branch.id,
        printed=printed,
        signature=sign(key, content),
    )
    session.add(paper)
    session.flush()
    return paper


def _draw_record(canvas: Canvas, session: Session, actor: Actor, subject: Subject) -> None:
    from romah_desktop.printing.forms import draw_subject

    paper = record_paper(session, actor, subject)
    qr = qr_payload(paper.code, paper.device_id, paper.signature)
    draw_subject(canvas, subject, paper.code, _signature_png(session, subject), qr)
    audit.record(
        session,
        actor,
        PRINT_ACTION,
        MODELS[subject.kind].__tablename__,
        subject.record_id,
        {"form": subject.kind.value, "code": paper.code, "paper": paper.id},
    )


def render_form(session: Session, actor: Actor, kind: FormKind, record_id: str | None) -> bytes:
    """The PDF of form `kind` (A4, Arabic, fonts embedded) printed from `record_id`, or a blank
    paper form when `kind` is one of the blank ones (`record_id` is then ignored).

    Writes an audit event with the form's verification code. Raises PermissionDenied, NotFound
    (no such record, or no record given), Conflict (e.g. a receipt of an unsubmitted request),
    MissingFont."""
    actor.require(Permission.PRINT_FORMS)
    kind = FormKind(kind)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, form_title(kind, FORM_LANGUAGE))
    if kind in RECORD_KINDS:
        if not record_id:
            raise NotFound(N_("Choose the record whose form to print."))
        _draw_record(canvas, session, actor, load(session, actor, kind, record_id))
    else:
        from romah_desktop.printing.forms import draw_blank

        draw_blank(canvas, kind, _own_branch(session))
        audit.record(session, actor, PRINT_ACTION, "form", None, {"form": kind.value})
    canvas.save()
    return buffer.getvalue()


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    return local_midnight(day), local_midnight(day + timedelta(days=1))


def batch_items(session: Session, actor: Actor, kind: FormKind, day: date) -> list[str]:
    """The records a batch of `kind` for `day` prints, in print order: receipts of the requests
    submitted that day (on this laptop's clock), or the letters of the decisions dated that day
    (those corrected since are left out). Only the branches the user may see.

    Raises PermissionDenied, RomahError for a kind that is not printed in batches."""
    actor.require(Permission.PRINT_FORMS)
    kind = FormKind(kind)
    branch = actor.visible_branch()
    if kind == FormKind.RECEIPT:
        start, end = _local_day_bounds(day)
        query = sa.select(SupportRequest.id).where(
            SupportRequest.submitted_at >= start,
            SupportRequest.submitted_at < end,
            SupportRequest.committee_due_on.is_not(None),
            SupportRequest.deleted_at.is_(None),
        )
        if branch is not None:
            query = query.where(SupportRequest.branch_id == branch)
        return list(session.scalars(query.order_by(SupportRequest.request_number)))
    if kind == FormKind.DECISION:
        corrected = sa.select(CommitteeDecision.supersedes_id).where(
            CommitteeDecision.supersedes_id.is_not(None)
        )
        query = (
            sa.select(CommitteeDecision.id)
            .join(SupportRequest, SupportRequest.id == CommitteeDecision.request_id)
            .where(
                CommitteeDecision.decided_on == day,
                CommitteeDecision.deleted_at.is_(None),
                SupportRequest.deleted_at.is_(None),
                CommitteeDecision.id.not_in(corrected),
            )
        )
        if branch is not None:
            query = query.where(SupportRequest.branch_id == branch)
        return list(
            session.scalars(
                query.order_by(SupportRequest.request_number, CommitteeDecision.created_at)
            )
        )
    raise RomahError(N_("Only receipts and decision letters are printed a day at a time."))


def render_batch(
    session: Session,
    actor: Actor,
    kind: FormKind,
    day: date,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """One PDF with every receipt (or decision letter) of `day`, see `batch_items`.

    `progress(done, total)` is called after each form; `cancelled()` is asked before each
    form, and a True answer stops the batch with PrintCancelled (nothing is returned; the
    audit events of the forms made so far roll back with the caller's transaction). Raises
    PermissionDenied, NotFound (nothing to print that day), PrintCancelled, MissingFont."""
    kind = FormKind(kind)
    ids = batch_items(session, actor, kind, day)
    if not ids:
        raise NotFound(
            N_("There is nothing of this kind to print for {day}."), day=format_dual(day)
        )
    buffer = io.BytesIO()
    canvas = _canvas(buffer, f"{form_title(kind, FORM_LANGUAGE)} {day.isoformat()}")
    for done, record_id in enumerate(ids, start=1):
        if cancelled is not None and cancelled():
            raise PrintCancelled(N_("Printing was cancelled; nothing was printed."))
        _draw_record(canvas, session, actor, load(session, actor, kind, record_id))
        if progress is not None:
            progress(done, len(ids))
    canvas.save()
    return buffer.getvalue()


def save_pdf(data: bytes, path: Path) -> None:
    """Write `data` to `path` whole or not at all: into a temporary file in the same folder,
    flushed to disk, then renamed over `path`. Raises RomahError with a clear message when the
    folder does not exist or cannot be written, or `path` is a folder; `path` is then as it
    was, and no temporary file is left behind."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise RomahError(
            N_("{path} is a folder. Choose a file name, such as form.pdf."), path=str(path)
        )
    if not folder.is_dir():
        raise RomahError(N_("The folder {folder} does not exist."), folder=str(folder))
    try:
        write_atomically(path, data)
    except PermissionError as error:
        raise RomahError(
            N_("Romah Desktop is not allowed to write {path}. Choose another folder."),
            path=str(path),
        ) from error
    except OSError as error:
        raise RomahError(
            N_("The PDF could not be saved as {path}: {reason}"),
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
