"""Rows of a form laid out to fit a laptop at 150 %: short fields two to a line, and text
boxes and lists as short as a few lines (they grow when the window has room)."""

from __future__ import annotations

from ui.qt import QFormLayout, QFrame, QHBoxLayout, QLabel, Qt, QWidget


def beside(form: QFormLayout, first: QWidget, second: QWidget) -> QLabel | None:
    """Move the form's row of `second` (its title and its field) to the end of the row of
    `first`: short fields two to a line, so that a form fits a laptop at 150 %. Returns the
    moved title."""
    taken = form.takeRow(second)
    title = taken.labelItem.widget() if taken.labelItem is not None else None
    row, _role = form.getWidgetPosition(first)
    kept = form.takeRow(row)
    line = QWidget()
    layout = QHBoxLayout(line)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(first, 1)
    if isinstance(title, QLabel):
        # Level with the field's first line (its message is under it).
        field = second.layout().itemAt(0).widget() if second.layout() else second
        title.setMinimumHeight(field.sizeHint().height())
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(second, 1)
    first_title = kept.labelItem.widget() if kept.labelItem is not None else None
    if first_title is not None:
        form.insertRow(row, first_title, line)
    else:
        form.insertRow(row, line)
    return title if isinstance(title, QLabel) else None


def lines_high(view: QFrame, lines: int) -> int:
    """The height of a text box or list that shows `lines` lines of its font, frame included."""
    padding = 8  # a list's item padding and a text box's document margins, about
    return lines * (view.fontMetrics().lineSpacing() + 2) + 2 * view.frameWidth() + padding
