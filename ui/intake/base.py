"""What every step of the guided intake shares: messages next to the fields, a step's write run
in the background, and the step's typed values for the draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from db.enums import InterviewStep
from romah_desktop.changes import Change
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.labels import label
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.interview import STEPS
from ui.context import error_text
from ui.qt import (
    QComboBox,
    QCoreApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizardPage,
    Signal,
)
from ui.widgets.date_field import ERROR_STYLE, DualDateField, ErrorLabel

if TYPE_CHECKING:
    from ui.intake.wizard import IntakeWizard

RESULT_STYLE = "color: #1b5e20;"


def error_label(name: str) -> QLabel:
    """An empty, hidden label for a field's problem, shown under the field (its line kept)."""
    return ErrorLabel(name)


def buddy(text: str, widget: QWidget) -> QLabel:
    """A field's label whose &-letter (Alt+letter) moves the focus to the field."""
    title = QLabel(text)
    title.setBuddy(widget)
    return title


def text_of(widget: QWidget) -> str:
    """What a field holds as text (a list's chosen value)."""
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return "" if data is None else str(data)
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit | DualDateField):
        return widget.text()
    raise TypeError(f"not a field: {widget!r}")


def set_text_of(widget: QWidget, value: str) -> None:
    """Put a draft's value back into a field."""
    if isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QLineEdit | DualDateField):
        widget.setText(value)
    else:
        raise TypeError(f"not a field: {widget!r}")


def on_edit(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call `slot` whenever the user changes the field."""
    if isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda _index: slot())
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QLineEdit):
        widget.textEdited.connect(lambda _text: slot())
    elif isinstance(widget, DualDateField):
        widget.edit.textEdited.connect(lambda _text: slot())
    else:
        raise TypeError(f"not a field: {widget!r}")


class StepPage(QWizardPage):
    """One step of the policy. Next runs the step's write in the background; once it is
    recorded the step is done: its fields are locked and Next just moves on."""

    sig_changed = Signal()
    """The user changed something on the page (the wizard saves the draft soon after)."""

    step: InterviewStep
    changes: frozenset[Change] = frozenset()
    # Move on by itself once recorded; a step whose result the person must hear stays.
    auto_advance = True
    # Read again each time the step is shown (what it shows changes elsewhere).
    refresh_on_entry = False

    def __init__(self, intake: IntakeWizard) -> None:
        super().__init__()
        self.intake = intake
        self.ctx = intake.ctx
        self._busy = False
        self._write_pending = False
        self._errors: dict[str, tuple[QLabel | DualDateField, QWidget]] = {}
        number = STEPS.index(self.step) + 1
        # The base class's own context: a subclass's self.tr() would look in its own.
        self.setTitle(
            QCoreApplication.translate("StepPage", "Step {number} of {total}: {step}").format(
                number=number, total=len(STEPS), step=label(self.step)
            )
        )
        self.message = QLabel()
        self.message.setObjectName("step_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("step_busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        # Its room is kept while hidden: a step that comes and goes would move the fields.
        policy = self.busy_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy_bar.setSizePolicy(policy)
        self.busy_bar.hide()
        # The step's fields scroll within the page: on a small screen the wizard's buttons
        # stay in view. The fields are never squeezed below their own height either (the
        # page scrolls instead), so a message under the page does not move them.
        content = QWidget()
        content.setObjectName("step_content")
        content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("step_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Tab goes from field to field, and a field it reaches is scrolled into view.
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.message)
        outer.addWidget(self.busy_bar)

    # --- state ----------------------------------------------------------------------------

    @property
    def record(self) -> dict[str, Any]:
        """The intake's ids and results (shared by the steps, kept in the draft)."""
        return self.intake.record

    def done(self) -> bool:
        return self.step.value in self.record["done"]

    def busy(self) -> bool:
        return self._busy

    def writing(self) -> bool:
        """Whether the step's write was sent and its answer has not come back yet."""
        return self._write_pending

    def dump(self) -> dict[str, Any]:
        """What the user typed on this page, for the draft."""
        return {}

    def restore(self, data: dict[str, Any]) -> None:
        """Put a draft's typed values back."""

    def refresh(self) -> None:
        """Read again what the page shows from the database."""

    def set_locked(self, locked: bool) -> None:
        """Lock the fields once the step is recorded (unlock to do it again)."""

    def show_done(self) -> None:
        """Show the step as recorded (also when restored from a draft)."""
        self.set_locked(True)

    def changed(self) -> None:
        self.sig_changed.emit()

    # --- messages ---------------------------------------------------------------------------

    def watch(self, name: str, error: QLabel | DualDateField, focus: QWidget) -> None:
        """Show the problems the core reports on field `name` in `error`, focusing `focus`."""
        self._errors[name] = (error, focus)

    def field(self, name: str, widget: QWidget, focus: QWidget | None = None) -> QWidget:
        """`widget` with its problem's label under it, watched as field `name`."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)  # the message's line keeps its room: no gap above it is needed
        layout.addWidget(widget)
        error = error_label(name.replace(".", "_"))
        layout.addWidget(error)
        self.watch(name, error, focus or widget)
        # Once the user corrects the field, its old message goes.
        if isinstance(widget, QComboBox | QPlainTextEdit | QLineEdit):
            on_edit(widget, lambda: self.clear_field_error(name))
        return box

    def clear_field_error(self, name: str) -> None:
        watched = self._errors.get(name)
        if watched is None:
            return
        error, _focus = watched
        if isinstance(error, DualDateField):
            error.set_error("")
        else:
            error.setText("")
            error.hide()

    def clear_errors(self) -> None:
        for name in self._errors:
            self.clear_field_error(name)
        self.set_message("")

    def set_message(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if problem else RESULT_STYLE)
        self.message.setVisible(bool(text))

    def field_error(self, name: str, text: str) -> bool:
        """Show `text` next to field `name`; False when the page has no such field."""
        watched = self._errors.get(name)
        if watched is None:
            return False
        error, _focus = watched
        if isinstance(error, DualDateField):
            error.set_error("\n".join(filter(None, [error.error_text(), text])))
        else:
            error.setText("\n".join(filter(None, [error.text(), text])))
            error.show()
        return True

    def show_error(self, error: BaseException) -> None:
        """Show a failed step's problems next to their fields (the rest under the page),
        and put the cursor in the first field to correct. What was typed stays."""
        problems = error.errors if isinstance(error, FormErrors) else [error]
        elsewhere: list[str] = []
        first: QWidget | None = None
        for problem in problems:
            if isinstance(problem, ValidationError) and self.field_error(
                problem.field, problem.text()
            ):
                first = first or self._errors[problem.field][1]
            else:
                elsewhere.append(error_text(problem))
        self.set_message("\n".join(elsewhere), problem=True)
        if first is not None:
            first.setFocus()

    # --- doing the step ---------------------------------------------------------------------

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return not self._busy

    def check(self) -> bool:
        """Checks of the window itself before the write (False: a message is shown)."""
        return True

    def commit(self) -> bool:
        """Start the step's write with `run_step`; True when there is nothing to write."""
        return True

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        if self.done():
            return True
        if self._busy:
            return False
        self.clear_errors()
        if not self.check():
            return False
        if self.commit():
            self.intake.mark_done(self.step)
            self.show_done()
            return True
        return False

    def run_step(
        self, use_case: Callable[[Session, Actor], Any], on_done: Callable[[Any], None]
    ) -> None:
        """Run the step's write on the worker; `on_done(result)` then records its ids."""
        self._set_busy(True)
        self._write_pending = True
        self.ctx.run(
            use_case,
            lambda result: self._recorded(result, on_done),
            self._failed,
            changes=set(self.changes),
            owner=self,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.completeChanged.emit()

    def _recorded(self, result: Any, on_done: Callable[[Any], None]) -> None:
        self._set_busy(False)
        self._write_pending = False
        on_done(result)
        self.intake.mark_done(self.step)
        self.show_done()
        if self.auto_advance and self.intake.currentPage() is self:
            self.intake.advance()
        self.intake.step_settled()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._write_pending = False
        self.show_error(error)
        self.intake.step_settled()
