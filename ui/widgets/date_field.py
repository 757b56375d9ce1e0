"""A date typed in Gregorian or Hijri (Umm al-Qura), shown in both calendars side by side.

Qt's own Islamic calendar is not Umm al-Qura, so the month picker here is built on hijridate
(through romah_desktop.dates), like every other Hijri date in the app.
"""

from __future__ import annotations

from datetime import date

from hijridate import Hijri

from romah_desktop.dates import (
    HIJRI_MAX,
    HIJRI_MIN,
    format_dual,
    hijri_month_name,
    parse_date,
    to_hijri_parts,
)
from romah_desktop.errors import ValidationError
from ui.qt import (
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QLocale,
    QPoint,
    QRect,
    QShortcut,
    QSize,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

ERROR_STYLE = "color: #b00020;"
PICKER_KEYS = ("Alt+Down", "F4")
"""Open the calendar from the date's text, as a drop-down list opens (the button is not in the
Tab chain: Tab goes from the date to the next field)."""


def line_height(label: QLabel) -> int:
    """How tall `label` makes one line of text (a pixel over its font's line spacing): the room
    a line that is sometimes empty keeps, so that what is below it does not move."""
    metrics = label.fontMetrics()
    return metrics.boundingRect(QRect(0, 0, 1000, 1000), Qt.TextFlag.TextWordWrap, "|").height()


class ErrorLabel(QLabel):
    """A field's problem, in red right under the field; hidden when there is none.

    Its line is kept while hidden, and the layout plans with that one line whatever the message,
    so the fields never move when a message comes or goes (a click aimed at one field would
    otherwise land on another). Only a message longer than the field is wide takes more lines.
    """

    sig_text_changed = Signal(str)
    """The message changed; the argument is the new one ("" once the field is corrected)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_error")
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self._line = 0
        self._measure_line()
        self.hide()

    def _measure_line(self) -> None:
        self._line = line_height(self)
        self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FontChange:
            self._measure_line()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, self._line)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, self._line)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return max(self._line, super().heightForWidth(width))

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        changed = text != self.text()
        super().setText(text)
        self.setVisible(bool(text))
        if changed:
            self.sig_text_changed.emit(text)


class HijriMonthPicker(QFrame):
    """A popup month of the Umm al-Qura calendar; a click on a day picks it."""

    sig_picked = Signal(object)
    """A day was clicked; the argument is its Gregorian datetime.date."""

    def __init__(self, parent: QWidget | None = None, selected: date | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.selected = selected
        year, month, _day = to_hijri_parts(selected or date.today())
        self.year, self.month = year, month
        rtl = (parent or self).layoutDirection() == Qt.LayoutDirection.RightToLeft
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        # The arrows point the way the eye reads: backwards is to the right in Arabic.
        back, forward = ("›", "‹") if rtl else ("‹", "›")
        self.previous_year = self._nav(back * 2, self.tr("Previous year"), -12)
        self.previous_month = self._nav(back, self.tr("Previous month"), -1)
        self.next_month = self._nav(forward, self.tr("Next month"), 1)
        self.next_year = self._nav(forward * 2, self.tr("Next year"), 12)
        self.title = QLabel()
        self.title.setObjectName("hijri_month_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        header = QHBoxLayout()
        for widget in (self.previous_year, self.previous_month):
            header.addWidget(widget)
        header.addWidget(self.title, 1)
        for widget in (self.next_month, self.next_year):
            header.addWidget(widget)
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        self.days: dict[int, QToolButton] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.grid)
        self._fill()

    def _nav(self, text: str, tip: str, months: int) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda: self.move_months(months))
        return button

    def move_months(self, months: int) -> None:
        """Show the month `months` later (earlier when negative), within hijridate's range."""
        index = self.year * 12 + self.month - 1 + months
        lowest = HIJRI_MIN[0] * 12 + HIJRI_MIN[1] - 1
        highest = HIJRI_MAX[0] * 12 + HIJRI_MAX[1] - 1
        index = max(lowest, min(highest, index))
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self._fill()

    def _fill(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.days.clear()
        self.title.setText(f"{hijri_month_name(self.month)} {self.year}")
        locale = QLocale()
        # The Saudi week starts on Sunday; Qt numbers the days Monday = 1 ... Sunday = 7.
        for column, qt_day in enumerate((7, 1, 2, 3, 4, 5, 6)):
            # Narrow names (one letter in Arabic) keep the seven columns as narrow as the days.
            name = QLabel(locale.dayName(qt_day, QLocale.FormatType.NarrowFormat))
            name.setToolTip(locale.dayName(qt_day, QLocale.FormatType.LongFormat))
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(name, 0, column)
        first = Hijri(self.year, self.month, 1)
        offset = (first.to_gregorian().weekday() + 1) % 7  # Monday = 0 → Sunday-first column
        for day in range(1, int(first.month_length()) + 1):
            gregorian = Hijri(self.year, self.month, day).to_gregorian()
            when = date(gregorian.year, gregorian.month, gregorian.day)
            button = QToolButton()
            button.setText(str(day))
            button.setToolTip(format_dual(when))
            button.setCheckable(True)
            button.setChecked(when == self.selected)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _checked=False, d=when: self._pick(d))
            cell = offset + day - 1
            self.grid.addWidget(button, 1 + cell // 7, cell % 7)
            self.days[day] = button
        self.previous_month.setEnabled((self.year, self.month) > HIJRI_MIN[:2])
        self.previous_year.setEnabled((self.year, self.month) > HIJRI_MIN[:2])
        self.next_month.setEnabled((self.year, self.month) < HIJRI_MAX[:2])
        self.next_year.setEnabled((self.year, self.month) < HIJRI_MAX[:2])

    def focus_day(self) -> None:
        """Put the keyboard on the chosen day (else the 1st): Tab and Shift+Tab walk the days,
        Enter or Space picks one, Escape closes the month."""
        chosen = next((b for b in self.days.values() if b.isChecked()), self.days.get(1))
        if chosen is not None:
            chosen.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        focus = self.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focus, QToolButton):
            focus.click()
            return
        super().keyPressEvent(event)

    def _pick(self, day: date) -> None:
        self.sig_picked.emit(day)
        self.close()


class DualDateField(QWidget):
    """A line edit for a Gregorian (YYYY-MM-DD) or Hijri (YYYY/MM/DD هـ) date, Arabic-Indic
    digits accepted, with the date in both calendars beside it and its problem below it.

    What was typed is never replaced: a text that is not a date stays, with the message.
    """

    sig_date_changed = Signal(object)
    """The date typed is now another one: a datetime.date, or None (blank or not a date)."""

    sig_editing_finished = Signal()
    """The user left the field or pressed Enter (after the field checked its text)."""

    def __init__(self, parent: QWidget | None = None, field: str = "date") -> None:
        super().__init__(parent)
        self.field = field
        self._date: date | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{field}_text")
        self.edit.setPlaceholderText(self.tr("e.g. 1446/02/25 هـ or 2024-08-29"))
        self.edit.setAccessibleName(self.tr("Date, Gregorian or Hijri"))
        self.pick = QToolButton()
        self.pick.setObjectName(f"{field}_pick")
        self.pick.setText("▾")
        self.pick.setToolTip(
            self.tr("Choose the day on the Hijri (Umm al-Qura) calendar (Alt+Down or F4)")
        )
        self.pick.setAccessibleName(self.pick.toolTip())
        # Typing goes straight through: Tab leaves the date for the next field, never for this
        # button (whatever was typed next would be lost on it).
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick.clicked.connect(self.open_picker)
        for keys in PICKER_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self.edit)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_picker)
        self.other = QLabel()
        self.other.setObjectName(f"{field}_dual")
        self.other.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = ErrorLabel(field)
        self.picker: HijriMonthPicker | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick)
        row.addWidget(self.other)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)

    # --- the value ---------------------------------------------------------------------------

    def date(self) -> date | None:
        """The date typed, or None when the field is blank or its text is not a date."""
        return self._date

    def setDate(self, value: date | None) -> None:  # noqa: N802 (Qt naming)
        """Show `value` (Gregorian in the field, both calendars beside it); None clears it."""
        self.edit.setText("" if value is None else value.isoformat())
        self.set_error("")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        self.edit.setText(text)

    # --- the message ------------------------------------------------------------------------

    def set_error(self, text: str) -> None:
        """Show `text` below the field ("" hides it)."""
        self.error.setText(text)

    def error_text(self) -> str:
        return self.error.text()

    def check(self) -> bool:
        """Show the problem of the text typed, if any (blank is no problem here)."""
        if not self.edit.text().strip():
            self.set_error("")
            return True
        try:
            parse_date(self.edit.text(), self.field)
        except ValidationError as error:
            self.set_error(error.text())
            return False
        self.set_error("")
        return True

    # --- reacting ---------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        try:
            value: date | None = parse_date(text, self.field) if text.strip() else None
        except ValidationError:
            value = None
        self.other.setText("" if value is None else format_dual(value))
        if value is not None and self.error.isVisible():
            self.set_error("")  # the text became a date: its old problem is gone
        if value != self._date:
            self._date = value
            self.sig_date_changed.emit(value)

    def _finished(self) -> None:
        self.check()
        self.sig_editing_finished.emit()

    def open_picker(self) -> None:
        """Open the Umm al-Qura month under the field, at the typed date's month."""
        try:
            picker = HijriMonthPicker(self, self._date)
        except ValidationError:
            picker = HijriMonthPicker(self, None)
        picker.sig_picked.connect(self._picked)
        self.picker = picker
        picker.move(self.mapToGlobal(QPoint(0, self.height())))
        picker.show()
        picker.focus_day()

    def _picked(self, value: date) -> None:
        self.setDate(value)
        self.edit.setFocus()
        self.sig_editing_finished.emit()
