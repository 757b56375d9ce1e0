"""Fonts from the fontpkg packages, registered with Qt at start (no font files in the repo)."""

from __future__ import annotations

import logging

import fontpkg

from ui.qt import QApplication, QFont, QFontDatabase

log = logging.getLogger("romah.ui.fonts")

UI_FAMILY = "ibm-plex-sans-arabic"
FORMAL_FAMILY = "amiri"


def register_fonts(app: QApplication, point_size: int = 11) -> str | None:
    """Register the packaged Arabic fonts and make IBM Plex Sans Arabic the app's font.

    Returns the family name Qt knows it by, or None when the package is missing.
    """
    family_name = None
    for slug in (UI_FAMILY, FORMAL_FAMILY):
        try:
            family = fontpkg.family(slug)
        except fontpkg.FontpkgError:
            log.warning("font package %s is not installed", slug)
            continue
        for font_file in family.files:
            font_id = QFontDatabase.addApplicationFont(str(font_file.path))
            if font_id >= 0 and slug == UI_FAMILY and family_name is None:
                family_name = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family_name is not None:
        app.setFont(QFont(family_name, point_size))
    return family_name
