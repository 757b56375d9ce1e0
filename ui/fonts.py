"""Fonts from the fontpkg packages, registered with Qt at start (no font files in the repo).

Only the faces the window draws with are registered, found through the font's own package
(its `metadata.json`, the schema fontpkg reads): fontpkg's lookup by name scans every installed
distribution's entry points, which cost the sign-in window more than registering the faces.
The formal family (Amiri) is for the printed forms, where ReportLab embeds it
(`romah_desktop/printing/fonts.py`); the window never draws with it.
"""

from __future__ import annotations

import importlib
import json
import logging
from pathlib import Path

from ui.qt import QApplication, QFont, QFontDatabase

log = logging.getLogger("romah.ui.fonts")

UI_PACKAGE = "fontpkg_ibm_plex_sans_arabic"
# Regular, semibold (titles: font-weight 600) and bold (setBold, font-weight: bold): the
# weights the window uses; Qt draws any other weight with the nearest of these.
UI_WEIGHTS = frozenset({400, 600, 700})


def _ui_font_files() -> list[Path]:
    try:
        package = importlib.import_module(UI_PACKAGE)
        root = Path(package.__file__ or "").resolve().parent
        meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError):
        log.warning("font package %s is not installed", UI_PACKAGE)
        return []
    return [
        root / entry["path"]
        for entry in meta["files"]
        if entry.get("weight") in UI_WEIGHTS and entry.get("style", "normal") == "normal"
    ]


def register_fonts(app: QApplication, point_size: int = 11) -> str | None:
    """Register the packaged Arabic font's faces and make IBM Plex Sans Arabic the app's font.

    Returns the family name Qt knows it by, or None when the package is missing.
    """
    family_name = None
    for path in _ui_font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0 and family_name is None:
            family_name = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family_name is not None:
        app.setFont(QFont(family_name, point_size))
    return family_name
