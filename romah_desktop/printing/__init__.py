"""Printed forms: correct Arabic PDF pages with verification codes, one at a time or a day's
batch, and the check of a printed form's code.

The window and the command line call only the names exported here. Every function takes the
session and the acting user like the services do, checks the user's permission itself, and
raises the app's RomahError family for what a user can cause (a missing record, a folder that
cannot be written, a missing font package).
"""

from __future__ import annotations

from romah_desktop.printing.fonts import MissingFont
from romah_desktop.printing.kinds import FormKind, form_title
from romah_desktop.printing.records import find_record_id
from romah_desktop.printing.service import (
    BATCH_KINDS,
    PrintCancelled,
    batch_items,
    render_batch,
    render_form,
    save_pdf,
)
from romah_desktop.printing.verification import Verification, verdict_lines, verify_code

__all__ = [
    "BATCH_KINDS",
    "FormKind",
    "MissingFont",
    "PrintCancelled",
    "Verification",
    "batch_items",
    "find_record_id",
    "form_title",
    "render_batch",
    "render_form",
    "save_pdf",
    "verdict_lines",
    "verify_code",
]
