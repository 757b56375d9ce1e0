"""A dialog that saves a form through a use case and shows each problem beside its field.

What was typed stays in the fields when the core refuses it: the person corrects the field
the message names and saves again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from romah_desktop.changes import Change
from romah_desktop.errors import FormErrors, RomahError, ValidationError
from romah_desktop.services.context import Actor
from ui.context import AppContext, error_text
from ui.qt import (
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.date_field import ERROR_STYLE, DualDateField, ErrorLabel
from ui.widgets.form_rows import fit_to_screen


class FormDialog(QDialog):
    """A form of fields, each with its message under it, a general message and Save/Cancel.

    Subclasses add their fields with `add_field` and save with `submit(use_case, changes)`;
    on success `saved(result)` is called (by default: emit `sig_saved` and close).
    """

    sig_saved = Signal(object)
    """The form was saved; the argument is what the use case returned."""

    sig_failed = Signal(str)
    """The core refused the form; the argument is the first message shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = QLabel()
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)

    def finish_layout(self) -> None:
        """Put the form, the message and the buttons in the dialog (after the fields)."""
        self.body.addLayout(self.form)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.body.addWidget(self.buttons)
        # Made the default once in the dialog, so that it stays the default after Tab has been
        # through the buttons: Enter in any field saves.
        self.save_button.setDefault(True)
        fit_to_screen(self)

    def add_field(
        self, field: str, title: str, widget: QWidget, focus: QWidget | None = None
    ) -> QWidget:
        """Add `widget` as the form's row `title`, with its problem's label under it."""
        self.inputs[field] = focus or widget
        # In the dialog from the start: Tab then goes through the fields in the order they
        # were added, even when `beside` puts two on a line.
        box = QWidget(self)
        box.setObjectName(f"{field}_row")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        if isinstance(widget, DualDateField):
            self.errors[field] = widget.error  # the date field shows its own message
        else:
            error = ErrorLabel(field)
            self.errors[field] = error
            layout.addWidget(error)
        # Once the person corrects the field, its old message goes.
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text: self.show_error(field, ""))
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(lambda: self.show_error(field, ""))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _index: self.show_error(field, ""))
        self.form.addRow(title, box)
        return box

    def show_error(self, field: str, text: str) -> None:
        """Show `text` beside `field` ("" hides it); a field the form lacks uses the message."""
        error = self.errors.get(field)
        if error is None:
            if text:
                self.set_message(text, error=True)
            return
        error.setText(text)

    def shown_error(self, field: str) -> str:
        """The message shown beside `field` ("" when none)."""
        error = self.errors.get(field)
        return error.text() if error is not None and error.isVisibleTo(self) else ""

    def set_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    def clear_errors(self) -> None:
        for field in self.errors:
            self.show_error(field, "")
        self.set_message("")

    def save(self) -> None:
        """Check and save the form (subclasses)."""
        raise NotImplementedError

    def submit(
        self,
        use_case: Callable[[Session, Actor], Any],
        changes: set[Change],
        saving: str | None = None,
    ) -> None:
        """Run the form's write on the worker; the answer comes to `saved` or `failed`."""
        self.save_button.setEnabled(False)
        # The base class's own context: a subclass's self.tr() would look in its own.
        self.set_message(saving or QCoreApplication.translate("FormDialog", "Saving…"))
        self.ctx.run(use_case, self._done, self.failed, changes=changes, owner=self)

    def _done(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.set_message("")
        self.saved(result)

    def saved(self, result: Any) -> None:
        self.sig_saved.emit(result)
        self.accept()

    def failed(self, error: BaseException) -> None:
        """Show the core's problems beside their fields and focus the first one to correct."""
        self.save_button.setEnabled(True)
        self.set_message("")
        problems: list[RomahError]
        if isinstance(error, FormErrors):
            problems = list(error.errors)
        elif isinstance(error, ValidationError):
            problems = [error]
        else:
            text = error_text(error)
            self.set_message(text, error=True)
            self.sig_failed.emit(text)
            return
        for problem in problems:
            self.show_error(getattr(problem, "field", ""), problem.text())
        for field, widget in self.inputs.items():
            if self.errors[field].isVisibleTo(self) and widget.isVisibleTo(self):
                widget.setFocus()
                break
        self.sig_failed.emit(problems[0].text() if problems else "")
