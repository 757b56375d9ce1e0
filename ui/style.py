"""The window's look in one place: spacing, colours, the page icons and the application icon.

No style sheet: an application-wide one makes Qt connect and disconnect every widget to its
style whenever it is parented, taking Qt's signal locks on the GUI thread; with the worker
thread collecting a Python-owned QObject at the same moment (it takes those locks, then waits
for the GIL the GUI thread holds), the window froze. Colours go through palettes instead.

The icons are drawn from an icon font shipped inside the qtawesome package (nothing is fetched),
and the application icon is an SVG: both are vectors, drawn for the screen's scale, so they stay
crisp at 150 % as at 100 %.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from romah_desktop.resources import resources_dir
from ui.qt import QApplication, QColor, QFrame, QIcon, QListWidget, QPalette, QWidget

# Spacing, in device-independent pixels: between widgets, around a page, inside a card.
SPACING = 8
MARGIN = 12
CARD_PADDING = 12
# The navigation's icons, the room around each of its items, and the page header's icon.
NAV_ICON = 20
NAV_SPACING = 3
HEADER_ICON = 28

# A calm teal for what is chosen, amber for what needs attention, red for what is late.
ACCENT = "#0f766e"
TEXT = "#1f2933"
MUTED = "#5b6770"
LATE = "#b42318"
SOON = "#b54708"
PANEL = "#f3f5f6"
BORDER = "#d5dbe0"

# One icon per page, chosen for what the page is for (Material Design Icons, "mdi6.").
PAGE_ICONS = {
    "today": "mdi6.calendar-today",
    "beneficiaries": "mdi6.account-group",
    "requests": "mdi6.file-document-multiple-outline",
    "committee": "mdi6.scale-balance",
    "research": "mdi6.home-search-outline",
    "contacts": "mdi6.phone-message-outline",
    "delivery": "mdi6.hand-heart-outline",
    "feedback": "mdi6.emoticon-happy-outline",
    "reports": "mdi6.chart-box-outline",
    "library": "mdi6.bookshelf",
    "sync": "mdi6.cloud-sync-outline",
    "users": "mdi6.account-key-outline",
    "settings": "mdi6.cog-outline",
}
FALLBACK_ICON = "mdi6.circle-medium"


@functools.cache
def _icon_font() -> Any:
    """The Material Design icon font, loaded once, on the first icon (not at start: the
    sign-in window needs none)."""
    # qtawesome reaches Qt through qtpy, which must use the binding the window uses.
    os.environ.setdefault("QT_API", "pyside6")
    import qtawesome
    from qtawesome.iconic_font import IconicFont

    # Only the font the icons come from: qtawesome's own loader would first load and checksum
    # all ten of its fonts, about 0.1 s more when the main window opens.
    return IconicFont(*(font for font in qtawesome._BUNDLED_FONTS if font[0] == "mdi6"))


def icon(name: str, color: str = TEXT) -> QIcon:
    """An icon from the shipped icon font, white where it is drawn on the chosen item."""
    return _icon_font().icon(name, color=color, color_selected="white", color_active=color)


def page_icon(key: str) -> QIcon:
    """The icon of the page `key` (a neutral dot for a page without its own)."""
    return icon(PAGE_ICONS.get(key, FALLBACK_ICON))


def app_icon() -> QIcon:
    """Romah's mark, for every window's title bar and the taskbar."""
    return QIcon(str(resources_dir() / "icons" / "romah.svg"))


def apply_look(app: QApplication) -> None:
    """Give the application its icon (every window's title bar and the taskbar)."""
    app.setWindowIcon(app_icon())


def tint(
    widget: QWidget, color: str, role: QPalette.ColorRole = QPalette.ColorRole.WindowText
) -> None:
    """Colour one role of a widget's palette (its text, by default)."""
    palette = widget.palette()
    palette.setColor(role, QColor(color))
    widget.setPalette(palette)


def style_navigation(nav: QListWidget) -> None:
    """The navigation: a quiet panel, the chosen page in the accent colour, white on it."""
    nav.setFrameShape(QFrame.Shape.NoFrame)
    nav.setAutoFillBackground(True)
    nav.setSpacing(NAV_SPACING)
    for role, color in (
        (QPalette.ColorRole.Base, PANEL),
        (QPalette.ColorRole.Text, TEXT),
        (QPalette.ColorRole.Highlight, ACCENT),
        (QPalette.ColorRole.HighlightedText, "white"),
    ):
        tint(nav, color, role)
