"""Input widgets the intake's steps build the same way: a multi-line text box and a list of an
enum's members."""

from __future__ import annotations

from typing import Any

from romah_desktop.labels import label
from ui.qt import QComboBox, QPlainTextEdit


def text_box(height: int = 80) -> QPlainTextEdit:
    """A multi-line text field no taller than `height` pixels that Tab leaves."""
    box = QPlainTextEdit()
    # Tab moves on to the next field, as everywhere else in the intake.
    box.setTabChangesFocus(True)
    box.setMaximumHeight(height)
    return box


def enum_combo(members: list[Any]) -> QComboBox:
    """A list of `members` shown by their translated labels, holding each member's value."""
    combo = QComboBox()
    for member in members:
        combo.addItem(label(member), member.value)
    return combo
