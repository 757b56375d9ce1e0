"""A page whose content scrolls instead of squeezing: a long message beside a field, or a
large font, never crushes a form."""

from __future__ import annotations

from ui.qt import QFrame, QScrollArea, QVBoxLayout, QWidget


def scrolled(content: QWidget, name: str | None = None, frame: bool = False) -> QScrollArea:
    """`content` in a scroll area that resizes it to the width available."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setWidgetResizable(True)
    if not frame:
        area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


def fill_with_scrolled(page: QWidget, content: QWidget, name: str) -> QScrollArea:
    """Make `content`, scrolled, the whole of `page`."""
    area = scrolled(content, name)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return area
