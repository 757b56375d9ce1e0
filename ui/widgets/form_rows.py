"""Rows of a form laid out to fit a laptop at 150 %: short fields two to a line, text boxes
and lists as short as a few lines (they grow when the window has room), and windows opened no
larger than their screen."""

from __future__ import annotations

from ui.qt import QFormLayout, QFrame, QHBoxLayout, QLabel, QSize, Qt, QWidget

TITLE_BAR = 32
"""The height of a window's title bar, about, before the window is on screen."""


def beside(form: QFormLayout, first: QWidget, second: QWidget) -> QLabel | None:
    """Move the form's row of `second` (its title and its field) to the end of the row of
    `first`: short fields two to a line, so that a form fits a laptop at 150 %. Returns the
    moved title."""
    taken = form.takeRow(second)
    title = taken.labelItem.widget() if taken.labelItem is not None else None
    row, _role = form.getWidgetPosition(first)
    kept = form.takeRow(row)
    # Made in the window the fields are in, so that Tab still goes through them in the order
    # they were added (a widget moved to another window goes to the end of its Tab order).
    line = QWidget(first.parentWidget())
    layout = QHBoxLayout(line)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(first, 1)
    layout.addSpacing(layout.spacing() * 2)  # the second title apart from the first field
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


def fit_to_screen(window: QWidget) -> None:
    """Make `window` no larger than the room its screen has, less the taskbar and its title
    bar; called once its size is chosen, before it is shown (a dialog is then placed on the
    screen when shown). A size chosen for a large screen (1040×720) ran under the taskbar of
    a 1366×768 laptop at 150 %, where a window has about 910×465. The fields' own minimum
    still wins: the layout has the last word."""
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    frame = window.frameGeometry().height() - window.height()
    title = frame if frame > 0 else TITLE_BAR
    most = QSize(room.width(), room.height() - title)
    size = window.size()
    if size.boundedTo(most) == size:
        return
    window.resize(size.boundedTo(most).expandedTo(window.minimumSizeHint()))
