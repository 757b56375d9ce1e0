"""A page's header: its icon, its title and one line saying what the page is for, the same on
every page, with a rule under it that separates it from the work; and the heading of a part of a
page, with that part's buttons beside it."""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QFrame, QHBoxLayout, QIcon, QLabel, QSize, QVBoxLayout, QWidget
from ui.style import BORDER, HEADER_ICON, MUTED, SPACING, tint


class PageHeader(QWidget):
    """Shown above a page's content; `set_page` changes what it says."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_header")
        self._icon = QIcon()
        self.icon = QLabel()
        self.icon.setObjectName("page_header_icon")
        self.icon.setFixedSize(QSize(HEADER_ICON, HEADER_ICON))
        self.title = QLabel()
        self.title.setObjectName("page_header_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("page_header_subtitle")
        self.subtitle.setWordWrap(True)
        tint(self.subtitle, MUTED)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        row = QHBoxLayout()
        row.setSpacing(SPACING + 2)
        row.addWidget(self.icon)
        row.addLayout(texts, 1)
        rule = QFrame()
        rule.setObjectName("page_header_rule")
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        tint(rule, BORDER)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, SPACING // 2)
        layout.setSpacing(SPACING)
        layout.addLayout(row)
        layout.addWidget(rule)

    def set_page(self, title: str, subtitle: str = "", icon: QIcon | None = None) -> None:
        """Say which page this is; an empty subtitle takes no room."""
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self._icon = icon or QIcon()
        self.icon.setVisible(not self._icon.isNull())
        self._draw_icon()

    def _draw_icon(self) -> None:
        # Drawn for this screen's scale, so the icon is as sharp at 150 % as at 100 %.
        if not self._icon.isNull():
            size = QSize(HEADER_ICON, HEADER_ICON)
            self.icon.setPixmap(self._icon.pixmap(size, self.devicePixelRatioF()))

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt API)
        self._draw_icon()
        super().showEvent(event)


class Section(QWidget):
    """A part of a page under a heading of its own: the heading and the part's buttons on one
    line, its list under them. A group box gives its title one line and its buttons another;
    here they share one, so that two lists fit one above the other on a laptop at 150 %."""

    def __init__(
        self,
        name: str,
        content: QWidget,
        buttons: Sequence[QWidget] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.heading = QLabel()
        self.heading.setObjectName(f"{name}_heading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        row = QHBoxLayout()
        row.addWidget(self.heading, 1)
        for button in buttons:
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING // 2)
        layout.addLayout(row)
        layout.addWidget(content, 1)

    def title(self) -> str:
        return self.heading.text()

    def set_title(self, text: str) -> None:
        self.heading.setText(text)
