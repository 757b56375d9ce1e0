"""Batch printing: one day's receipts or decision letters in one PDF, made on the worker with
its progress shown and a Cancel that stops it, then shown in the print preview."""

from __future__ import annotations

import threading
from datetime import date

import shiboken6

from romah_desktop.grammar import PAGE, count_phrase
from romah_desktop.printing import FormKind, batch_items, render_batch
from ui.context import AppContext, error_text
from ui.printing.preview import ERROR_STYLE, PrintPreviewDialog
from ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import DualDateField


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the worker's progress reaches the dialog through it, queued."""

    sig_progress = Signal(int, int)


class BatchPrintDialog(QDialog):
    """Choose receipts or decision letters and a day; make one PDF of them all."""

    sig_counted = Signal(int)
    """The forms of the chosen kind and day were counted; the argument is how many."""

    sig_progress = Signal(int, int)
    """Forms made so far and how many in all."""

    sig_finished = Signal(object)
    """The PDF is made and its preview is open; the argument is the preview dialog."""

    sig_cancelled = Signal()
    """The batch was stopped by Cancel; nothing was made."""

    sig_failed = Signal(str)
    """The batch could not be made; the argument is the message shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: PrintPreviewDialog | None = None
        self._cancel = threading.Event()
        self._running = False
        self._count_query = 0
        self._relay = _ProgressRelay(self)
        self._relay.sig_progress.connect(self._progressed)
        self.setObjectName("batch_print")
        self.setWindowTitle(self.tr("Batch print"))
        self.resize(560, 300)

        self.kind = QComboBox()
        self.kind.setObjectName("batch_kind")
        self.kind.addItem(self.tr("Receipts of the requests submitted that day"), FormKind.RECEIPT)
        self.kind.addItem(
            self.tr("Decision letters of the decisions made that day"), FormKind.DECISION
        )
        self.day = DualDateField(field="batch_day")
        self.day.setDate(date.today())
        self.count = QLabel()
        self.count.setObjectName("batch_count")
        self.count.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("batch_progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setObjectName("batch_message")
        self.message.setWordWrap(True)
        self.start_button = QPushButton(self.tr("&Make the PDF"))
        self.start_button.setObjectName("batch_start")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.cancel_button.setObjectName("batch_cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("batch_close")
        self.close_button.clicked.connect(self.close)
        for button in (self.start_button, self.cancel_button, self.close_button):
            button.setAutoDefault(False)
        self.start_button.setDefault(True)

        form = QFormLayout()
        kind_label = QLabel(self.tr("&Forms"))
        kind_label.setBuddy(self.kind)
        day_label = QLabel(self.tr("&Day"))
        day_label.setBuddy(self.day.edit)
        form.addRow(kind_label, self.kind)
        form.addRow(day_label, self.day)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count)
        layout.addWidget(self.progress)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)

        self.kind.currentIndexChanged.connect(lambda _i: self.count_forms())
        self.day.sig_date_changed.connect(lambda _d: self.count_forms())
        self.day.edit.returnPressed.connect(self.start)
        self.count_forms()

    # --- what will be printed ---------------------------------------------------------------

    def chosen_kind(self) -> FormKind:
        return FormKind(self.kind.currentData())

    def _kind_words(self, kind: FormKind, count: int) -> str:
        if kind == FormKind.RECEIPT:
            return self.tr("Receipts to print for this day: {count}.").format(count=count)
        return self.tr("Decision letters to print for this day: {count}.").format(count=count)

    def count_forms(self) -> None:
        """Say how many forms the chosen kind and day have (a wrong day says nothing)."""
        day = self.day.date()
        self._count_query += 1
        query = self._count_query
        if day is None:
            self.count.clear()
            return
        kind = self.chosen_kind()
        self.ctx.run(
            lambda session, actor: batch_items(session, actor, kind, day),
            lambda items: self._counted(query, kind, len(items)),
            lambda error: self._count_failed(query, error),
            owner=self,
        )

    def _counted(self, query: int, kind: FormKind, count: int) -> None:
        if query != self._count_query:
            return  # the kind or day changed meanwhile
        if count == 0:
            self.count.setText(self.tr("There is nothing of this kind to print for this day."))
        else:
            self.count.setText(self._kind_words(kind, count))
        self.sig_counted.emit(count)

    def _count_failed(self, query: int, error: BaseException) -> None:
        if query == self._count_query:
            self.count.setText(error_text(error))

    # --- making the PDF ---------------------------------------------------------------------

    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Make the PDF of the chosen day's forms on the worker (Cancel stops it)."""
        if self._running:
            return
        if not self.day.text().strip():
            self.day.set_error(self.tr("Type the day whose forms to print."))
            self.day.edit.setFocus()
            return
        if not self.day.check():
            self.day.edit.setFocus()
            return
        day = self.day.date()
        if day is None:
            return
        kind = self.chosen_kind()
        self._cancel.clear()
        self._running = True
        self._show_running()
        self.progress.setRange(0, 0)  # until the first form says how many there are
        self._set_message(self.tr("Making the PDF…"))
        cancelled = self._cancel.is_set
        report = self.report_progress
        self.ctx.run(
            lambda session, actor: render_batch(
                session, actor, kind, day, progress=report, cancelled=cancelled
            ),
            lambda data: self._made(kind, day, data),
            self._failed,
            owner=self,
        )

    def report_progress(self, done: int, total: int) -> None:
        """Called on the worker after each form; passed on to the window."""
        if shiboken6.isValid(self._relay):  # the dialog may have been closed meanwhile
            self._relay.sig_progress.emit(done, total)

    def cancel(self) -> None:
        """Stop the batch after the form being made; nothing is printed."""
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self._set_message(self.tr("Cancelling…"))

    def _progressed(self, done: int, total: int) -> None:
        if not self._running:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not self._cancel.is_set():
            self._set_message(
                self.tr("Making form {done} of {total}…").format(done=done, total=total)
            )
        self.sig_progress.emit(done, total)

    def _made(self, kind: FormKind, day: date, data: bytes) -> None:
        self._running = False
        self._show_running()
        if self._cancel.is_set():
            self._was_cancelled()
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        title = self._batch_title(kind, day)
        preview = PrintPreviewDialog(
            self.ctx, data, title, f"{kind.value}-{day.isoformat()}.pdf", self.parentWidget()
        )
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = preview
        self._set_message(
            self.tr("Made: {pages}, shown in the preview.").format(
                pages=count_phrase(preview.page_count(), PAGE)
            )
        )
        preview.show()
        self.sig_finished.emit(preview)

    def _batch_title(self, kind: FormKind, day: date) -> str:
        if kind == FormKind.RECEIPT:
            return self.tr("Receipts of {day}").format(day=day.isoformat())
        return self.tr("Decision letters of {day}").format(day=day.isoformat())

    def _failed(self, error: BaseException) -> None:
        self._running = False
        self._show_running()
        if self._cancel.is_set():
            self._was_cancelled()
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        text = error_text(error)
        self._set_message(text, problem=True)
        self.sig_failed.emit(text)

    def _was_cancelled(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._set_message(self.tr("Cancelled: nothing was printed."))
        self.sig_cancelled.emit()

    def _show_running(self) -> None:
        running = self._running
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.kind.setEnabled(not running)
        self.day.setEnabled(not running)

    def _set_message(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if problem else "")

    def done(self, result: int) -> None:
        # Closing stops a batch still being made: nobody is left to look at it.
        self.cancel()
        super().done(result)
