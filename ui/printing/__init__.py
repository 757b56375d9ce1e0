"""Printing in the window: print preview, printing through Qt, saving as PDF, batch printing and
verifying a printed form. Screens call `print_form(ctx, parent, kind, record_id)`."""

from ui.printing.actions import (
    FormPrint,
    IntakePrintButton,
    PrintFormsButton,
    PrintMenu,
    TimelinePrintButton,
    add_print_menu,
    print_form,
    request_forms,
)
from ui.printing.batch import BatchPrintDialog
from ui.printing.preview import PrintPreviewDialog
from ui.printing.verify import VerifyDialog

__all__ = [
    "BatchPrintDialog",
    "FormPrint",
    "IntakePrintButton",
    "PrintFormsButton",
    "PrintMenu",
    "PrintPreviewDialog",
    "TimelinePrintButton",
    "VerifyDialog",
    "add_print_menu",
    "print_form",
    "request_forms",
]
