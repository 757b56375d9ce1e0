"""The icons: glyphs of the icon font shipped inside the qtawesome package, drawn without
importing it, for the screen's scale (sharp at 150 % as at 100 %), white on the chosen item."""

from __future__ import annotations

import ast
import json
import re
from fnmatch import fnmatch
from importlib.util import find_spec
from pathlib import Path

import pytest

from ui import style
from ui.qt import QApplication, QColor, QIcon, QImage, QSize
from ui.style import CARD_ICON, HEADER_ICON, NAV_ICON, PAGE_ICONS, icon, page_icon


def inked(image: QImage) -> list[QColor]:
    """The colours of the pixels something was drawn on."""
    found = []
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > 0:
                found.append(colour)
    return found


def opaque(colours: list[QColor]) -> set[str]:
    return {c.name() for c in colours if c.alpha() == 255}


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("size", [NAV_ICON, CARD_ICON, HEADER_ICON])
def test_every_page_icon_is_drawn_for_the_screens_scale(
    qapp: QApplication, scale: float, size: int
) -> None:
    pictures = set()
    for key in PAGE_ICONS:
        pixmap = page_icon(key).pixmap(QSize(size, size), scale)
        # Drawn at the screen's own pixels, not a smaller picture stretched to them.
        assert pixmap.size() == QSize(round(size * scale), round(size * scale)), key
        assert pixmap.devicePixelRatio() == scale, key
        image = pixmap.toImage()
        ink = inked(image)
        share = len(ink) / (image.width() * image.height())
        assert 0.1 < share < 0.9, (key, share)
        # In the text's colour, smoothed at the edges.
        assert opaque(ink) == {style.TEXT}, key
        assert len({c.alpha() for c in ink}) > 2, key
        pictures.add(bytes(image.constBits()))
    # Each page its own picture.
    assert len(pictures) == len(PAGE_ICONS)


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_chosen_items_icon_is_white(qapp: QApplication, scale: float) -> None:
    size = QSize(NAV_ICON, NAV_ICON)
    chosen = page_icon("beneficiaries").pixmap(size, scale, QIcon.Mode.Selected)
    assert chosen.size() == size * scale
    assert opaque(inked(chosen.toImage())) == {"#ffffff"}
    # Hovered (active) it keeps the text's colour.
    hovered = page_icon("beneficiaries").pixmap(size, scale, QIcon.Mode.Active)
    assert opaque(inked(hovered.toImage())) == {style.TEXT}


def test_an_icon_takes_the_colour_asked_for(qapp: QApplication) -> None:
    pixmap = icon("mdi6.clock-alert-outline", style.LATE).pixmap(QSize(CARD_ICON, CARD_ICON), 1.0)
    assert opaque(inked(pixmap.toImage())) == {style.LATE}


def test_the_glyphs_are_those_of_the_shipped_charmap() -> None:
    spec = find_spec("qtawesome")
    assert spec is not None and spec.submodule_search_locations
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    (charmap,) = fonts.glob("materialdesignicons6-webfont-charmap-*.json")
    codes = json.loads(charmap.read_text(encoding="utf-8"))
    for name in [*PAGE_ICONS.values(), style.FALLBACK_ICON]:
        assert style.codepoint(name) == int(codes[name.removeprefix("mdi6.")], 16), name


def test_an_unknown_icon_name_is_an_error(qapp: QApplication) -> None:
    with pytest.raises(KeyError, match="mdi6.no-such-icon"):
        icon("mdi6.no-such-icon")
    with pytest.raises(KeyError, match="fa5s.home"):
        icon("fa5s.home")


def test_a_page_without_an_icon_of_its_own_has_a_neutral_one(qapp: QApplication) -> None:
    pixmap = page_icon("no-such-page").pixmap(QSize(NAV_ICON, NAV_ICON), 1.0)
    assert inked(pixmap.toImage())


def test_the_bundle_takes_the_icon_font_and_its_charmap() -> None:
    """build.spec collects the files the icons are read from, and qtawesome's folder (a
    hidden import: the window itself never imports the package)."""
    spec = (Path(__file__).resolve().parents[2] / "build.spec").read_text(encoding="utf-8")
    collected = re.search(r'collect_data_files\(\s*"qtawesome",\s*includes=(\[.*?\])\s*\)', spec)
    assert collected is not None
    patterns = ast.literal_eval(collected.group(1))
    fonts = style._icon_fonts_dir()
    assert fonts is not None
    for wanted in (style.ICON_FONT, style.ICON_CHARMAP):
        (path,) = fonts.glob(wanted)
        relative = path.relative_to(fonts.parent).as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative
    assert re.search(r'\+ \["qtawesome"\]', spec)
