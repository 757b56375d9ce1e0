"""A whole-number box that shows Latin digits in either language, like every other number in
the window (the Arabic locale would show Arabic-Indic digits in a spin box alone)."""

from __future__ import annotations

from ui.qt import QLocale, QSpinBox, QWidget


class NumberBox(QSpinBox):
    """A QSpinBox that reads and shows its number in Latin digits, without grouping."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
