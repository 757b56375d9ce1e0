"""The window's look in one place: spacing, colours, the page icons and the application icon.

No style sheet: an application-wide one makes Qt connect and disconnect every widget to its
style whenever it is parented, taking Qt's signal locks on the GUI thread; with the worker
thread collecting a Python-owned QObject at the same moment (it takes those locks, then waits
for the GIL the GUI thread holds), the window froze. Colours go through palettes instead.

The icons are glyphs of the Material Design icon font shipped inside the qtawesome package
(nothing is fetched). The font file and its charmap are read straight from the package's folder,
which is found without importing it: qtawesome would load qtpy and its own machinery (11 MB
more after every page, measured) for a few glyphs. Each glyph is drawn at the screen's own pixels
for the sizes and scales the window uses, so it stays crisp at 150 % as at 100 %; the
application icon is an SVG.
"""

from __future__ import annotations

import functools
import logging
import re
from importlib.util import find_spec
from pathlib import Path

from romah_desktop.resources import resources_dir
from ui.qt import (
    QApplication,
    QColor,
    QFont,
    QFontDatabase,
    QFrame,
    QIcon,
    QListWidget,
    QPainter,
    QPalette,
    QPixmap,
    QRect,
    Qt,
    QWidget,
)

log = logging.getLogger("romah.ui.style")

# Spacing, in device-independent pixels: between widgets, around a page, inside a card.
SPACING = 8
MARGIN = 12
CARD_PADDING = 12
# The navigation's icons, the room around each of its items, Today's cards' icons and the page
# header's icon.
NAV_ICON = 20
NAV_SPACING = 3
CARD_ICON = 24
HEADER_ICON = 28
# Each icon is drawn at these sizes for these screen scales (100 %, 150 %, 200 %); any other
# size or scale is made from the nearest.
ICON_SIZES = (NAV_ICON, CARD_ICON, HEADER_ICON)
ICON_SCALES = (1.0, 1.5, 2.0)

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


# The icon font inside the qtawesome package: its file and its charmap (name → code point).
ICON_PREFIX = "mdi6."
ICON_FONT = "materialdesignicons6-webfont-*.ttf"
ICON_CHARMAP = "materialdesignicons6-webfont-charmap-*.json"
# What follows a name in the charmap: `: "0xf0849"`.
_CODE = re.compile(r'\s*:\s*"0x([0-9a-fA-F]+)"')


def _icon_fonts_dir() -> Path | None:
    """The font folder of the installed qtawesome package, found without running it."""
    spec = find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _shipped(pattern: str) -> Path | None:
    folder = _icon_fonts_dir()
    found = sorted(folder.glob(pattern)) if folder is not None else []
    return found[-1] if found else None


@functools.cache
def _charmap() -> str:
    """The charmap's text. It is searched, not parsed: its 7,000 names as a dictionary would
    take four times the memory, for the twenty the window draws."""
    path = _shipped(ICON_CHARMAP)
    return path.read_text(encoding="utf-8") if path is not None else ""


@functools.cache
def codepoint(name: str) -> int:
    """The code point of the icon `name` ("mdi6.account-group") in the icon font."""
    found = None
    if name.startswith(ICON_PREFIX):
        key = f'"{name.removeprefix(ICON_PREFIX)}"'
        charmap = _charmap()
        at = charmap.find(key)
        found = _CODE.match(charmap, at + len(key)) if at >= 0 else None
    if found is None:
        raise KeyError(f"no icon {name!r} in the icon font")
    return int(found.group(1), 16)


@functools.cache
def _icon_family() -> str | None:
    """The icon font, registered with Qt on the first icon (the sign-in window needs none)."""
    path = _shipped(ICON_FONT)
    font_id = QFontDatabase.addApplicationFont(str(path)) if path is not None else -1
    if font_id < 0:
        log.warning("the icon font is missing from the qtawesome package; no icons are drawn")
        return None
    return QFontDatabase.applicationFontFamilies(font_id)[0]


def _glyph(family: str, char: str, size: int, scale: float, color: str) -> QPixmap:
    """One glyph on a transparent square of `size` at `scale`, drawn at the screen's pixels."""
    pixels = round(size * scale)
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    font = QFont(family)
    # Seven eighths of the square: the glyphs are drawn with room for the font's bearings.
    font.setPixelSize(round(0.875 * pixels))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(QColor(color))
    painter.drawText(QRect(0, 0, pixels, pixels), Qt.AlignmentFlag.AlignCenter, char)
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap


def icon(name: str, color: str = TEXT) -> QIcon:
    """An icon from the shipped icon font, in `color`, white where it is drawn on the chosen
    item (an empty icon if the font is missing). Raises KeyError for a name not in the font."""
    return QIcon(_drawn(name, color))


@functools.cache
def _drawn(name: str, color: str) -> QIcon:
    # Drawn once: the header asks for its page's icon on every visit.
    char = chr(codepoint(name))
    family = _icon_family()
    drawn = QIcon()
    if family is None:
        return drawn
    for mode, ink in ((QIcon.Mode.Normal, color), (QIcon.Mode.Selected, "white")):
        for size in ICON_SIZES:
            for scale in ICON_SCALES:
                drawn.addPixmap(_glyph(family, char, size, scale, ink), mode, QIcon.State.Off)
    return drawn


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
