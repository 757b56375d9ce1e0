"""Print actions any screen can offer: `print_form(ctx, parent, kind, record_id)` renders a form
on the worker and opens its preview; a Print button with a menu of the forms that apply; and the
main window's Print menu (blank forms, batch printing, verifying a printed form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6

from db.enums import InterviewStep
from romah_desktop.printing import FormKind, form_title, render_form
from romah_desktop.services.people.timeline import TimelineKind
from romah_desktop.services.queues import RequestDetails
from ui.context import AppContext, error_text
from ui.printing.batch import BatchPrintDialog
from ui.printing.preview import PrintPreviewDialog
from ui.printing.verify import VerifyDialog
from ui.qt import (
    QAction,
    QCoreApplication,
    QDialog,
    QKeySequence,
    QMainWindow,
    QMenu,
    QMessageBox,
    QModelIndex,
    QObject,
    QPushButton,
    Qt,
    QWidget,
    Signal,
)
from ui.widgets.timeline import TimelineRole, TimelineView

FormChoice = tuple[FormKind, str | None]


def show_whole_text(menu: QMenu) -> None:
    """Widen `menu` so that no item is cut short; call it once its items are made.

    Qt makes a menu as wide as its items' text without the access key's "&", but draws each item
    through an elision that, for Arabic text, still counts the "&": the widest Arabic item lost
    letters in its middle («طباعة إيصالات أو خـ...بات»). The menu takes that width as well.
    """
    menu.setMinimumWidth(0)  # the width of the items as Qt measures them, not as last widened
    if menu.isEmpty():
        return
    metrics = menu.fontMetrics()
    ampersands = max(
        metrics.horizontalAdvance(action.text())
        - metrics.horizontalAdvance(action.text().replace("&", ""))
        for action in menu.actions()
    )
    menu.setMinimumWidth(menu.sizeHint().width() + ampersands)


# The forms a timeline entry can be printed as (its record id is the form's record).
TIMELINE_FORMS: dict[TimelineKind, tuple[FormKind, ...]] = {
    TimelineKind.REQUEST: (FormKind.REQUEST, FormKind.RECEIPT),
    TimelineKind.DECLARATION: (FormKind.DECLARATION,),
    TimelineKind.INTERVIEW: (FormKind.INTERVIEW,),
    TimelineKind.DECISION: (FormKind.DECISION,),
    TimelineKind.SERVICE: (FormKind.DELIVERY,),
}


def request_forms(details: RequestDetails) -> list[FormChoice]:
    """The forms of one support request: its form, its receipt once submitted, and the
    letter of the committee's decision in force once decided."""
    row = details.row
    forms: list[FormChoice] = [(FormKind.REQUEST, row.id)]
    if row.submitted_at is not None:
        forms.append((FormKind.RECEIPT, row.id))
    in_force = next((d for d in details.decisions if d.in_force), None)
    if in_force is not None:
        forms.append((FormKind.DECISION, in_force.id))
    return forms


# Forms being made without a window to belong to.
_jobs: set[FormPrint] = set()


class FormPrint(QObject):
    """One form being rendered on the worker, then shown in a print preview."""

    sig_opened = Signal(object)
    """The preview is open; the argument is the PrintPreviewDialog."""

    sig_failed = Signal(str)
    """The form could not be made; the argument is the message shown to the user."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        kind: FormKind,
        record_id: str | None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window = parent
        self.kind = kind
        self.record_id = record_id
        self.preview: PrintPreviewDialog | None = None

    def start(self) -> None:
        kind, record_id = self.kind, self.record_id
        if self.parent() is None:
            _jobs.add(self)  # nothing else keeps it alive until its answer comes
        self.ctx.run(
            lambda session, actor: render_form(session, actor, kind, record_id),
            self._rendered,
            self._failed,
            owner=self,
        )

    def _file_name(self) -> str:
        if self.record_id is None:
            return f"{self.kind.value}.pdf"
        return f"{self.kind.value}-{self.record_id[-8:]}.pdf"

    def _rendered(self, data: bytes) -> None:
        _jobs.discard(self)
        preview = PrintPreviewDialog(
            self.ctx, data, form_title(self.kind), self._file_name(), self._live_window()
        )
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = preview
        preview.show()
        self.sig_opened.emit(preview)
        self.deleteLater()

    def _failed(self, error: BaseException) -> None:
        _jobs.discard(self)
        text = error_text(error)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("PrintForms", "The form could not be printed"),
            text,
            QMessageBox.StandardButton.Ok,
            self._live_window(),
        )
        box.setObjectName("print_error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.sig_failed.emit(text)
        self.deleteLater()

    def _live_window(self) -> QWidget | None:
        window = self.window
        return window if window is not None and shiboken6.isValid(window) else None


def print_form(
    ctx: AppContext, parent: QWidget | None, kind: FormKind, record_id: str | None
) -> FormPrint:
    """Render `kind` for `record_id` (None for a blank form) on the worker, then open its
    print preview over `parent`. A failure (a record that does not exist, a role that may not
    print it, a missing font) is shown in a message box; the returned object's signals say
    which way it went."""
    job = FormPrint(ctx, parent, kind, record_id)
    job.start()
    return job


class PrintFormsButton(QPushButton):
    """A Print button whose menu lists the forms that apply to what is chosen on the screen."""

    sig_printing = Signal(object)
    """A form was asked for; the argument is its FormPrint."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, text: str | None = None
    ) -> None:
        super().__init__(text or QCoreApplication.translate("PrintForms", "&Print"), parent)
        self.ctx = ctx
        self.setObjectName("print_forms")
        self.setAutoDefault(False)
        self.menu_of_forms = QMenu(self)
        self.menu_of_forms.setObjectName("print_forms_menu")
        self.setMenu(self.menu_of_forms)
        self.actions_by_kind: dict[FormKind, QAction] = {}
        self.set_forms([])

    def set_forms(self, forms: list[FormChoice], hint: str = "") -> None:
        """Offer these forms (in this order); none disables the button, `hint` says why."""
        self.menu_of_forms.clear()
        self.actions_by_kind.clear()
        for kind, record_id in forms:
            action = QAction(form_title(kind), self.menu_of_forms)
            action.setObjectName(f"print_{kind.value}")
            action.triggered.connect(
                lambda _checked=False, k=kind, r=record_id: self.print_kind(k, r)
            )
            self.menu_of_forms.addAction(action)
            self.actions_by_kind[kind] = action
        show_whole_text(self.menu_of_forms)
        self.setEnabled(bool(forms))
        self.setToolTip("" if forms else hint)

    def print_kind(self, kind: FormKind, record_id: str | None) -> FormPrint:
        job = print_form(self.ctx, self.window(), kind, record_id)
        self.sig_printing.emit(job)
        return job

    def forms(self) -> list[FormKind]:
        return list(self.actions_by_kind)


class TimelinePrintButton(PrintFormsButton):
    """Print the form of the entry chosen in a person's timeline (request, declaration,
    interview, decision or service delivery)."""

    def __init__(self, ctx: AppContext, timeline: TimelineView, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.timeline = timeline
        timeline.table.selectionModel().currentRowChanged.connect(self._chosen)
        timeline.model.modelReset.connect(lambda: self._chosen(QModelIndex()))
        self._chosen(QModelIndex())

    def _chosen(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        forms: list[FormChoice] = []
        if index.isValid():
            kind = TimelineKind(str(index.data(TimelineRole.KIND)))
            record_id = str(index.data(TimelineRole.RECORD_ID))
            forms = [(form, record_id) for form in TIMELINE_FORMS.get(kind, ())]
        self.set_forms(
            forms,
            QCoreApplication.translate(
                "PrintForms",
                "Choose a request, declaration, interview, decision or service in the "
                "timeline to print its form.",
            ),
        )


class IntakePrintButton(PrintFormsButton):
    """Print what the guided intake has just made: the receipt once the request is submitted,
    the signed declaration and the request form. Hidden until there is something to print."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, QCoreApplication.translate("PrintForms", "&Print…"))
        self.setObjectName("intake_print")
        self.hide()

    def show_for(self, record: dict[str, Any]) -> None:
        """Offer the forms of the intake's `record` (its ids and the steps done)."""
        forms: list[FormChoice] = []
        request_id = record.get("request_id")
        if request_id and InterviewStep.INFORM.value in record.get("done", ()):
            forms.append((FormKind.RECEIPT, str(request_id)))
        if record.get("declaration_id"):
            forms.append((FormKind.DECLARATION, str(record["declaration_id"])))
        if request_id:
            forms.append((FormKind.REQUEST, str(request_id)))
        self.set_forms(forms)
        self.setVisible(bool(forms))


class PrintMenu(QObject):
    """The main window's Print menu: blank forms, batch printing, verifying a printed form."""

    sig_dialog_opened = Signal(object)
    """A batch print or verify dialog was opened; the argument is the dialog."""

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.dialogs: dict[str, QDialog] = {}
        self.menu = window.menuBar().addMenu(QCoreApplication.translate("PrintForms", "&Print"))
        self.menu.setObjectName("print_menu")
        self.blank_request = self._action(
            QCoreApplication.translate("PrintForms", "Blank support &request form"),
            lambda: print_form(ctx, window, FormKind.BLANK_REQUEST, None),
        )
        self.blank_declaration = self._action(
            QCoreApplication.translate("PrintForms", "Blank &declaration"),
            lambda: print_form(ctx, window, FormKind.BLANK_DECLARATION, None),
        )
        self.menu.addSeparator()
        self.batch = self._action(
            QCoreApplication.translate("PrintForms", "&Batch print receipts or letters…"),
            lambda: self.open_dialog("batch", BatchPrintDialog),
        )
        self.verify = self._action(
            QCoreApplication.translate("PrintForms", "&Verify a printed form…"),
            lambda: self.open_dialog("verify", VerifyDialog),
        )
        self.verify.setShortcut(QKeySequence("Ctrl+Shift+V"))
        show_whole_text(self.menu)

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def open_dialog(self, key: str, make: Callable[[AppContext, QWidget], QDialog]) -> QDialog:
        """Show the dialog (brought to the front if it is open already)."""
        dialog = self.dialogs.get(key)
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = make(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs[key] = dialog
        dialog.show()
        self.sig_dialog_opened.emit(dialog)
        return dialog


def add_print_menu(window: QMainWindow, ctx: AppContext) -> PrintMenu:
    """Add the Print menu to the main window's menu bar."""
    return PrintMenu(window, ctx)
