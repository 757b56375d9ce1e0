"""The window's language: Qt's own Arabic strings, ours (romah_ar.qm), and the direction.

The catalogue's source is `resources/translations/romah_ar.ts`; its compiled `.qm` is built
by the setup (and, when missing or stale, here with PySide6's lrelease).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6

from romah_desktop import i18n as core_i18n
from romah_desktop.resources import resources_dir
from ui.qt import QApplication, QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator

log = logging.getLogger("romah.ui.i18n")

RIGHT_TO_LEFT = {"ar"}
_installed: list[QTranslator] = []


def catalogue_source(lang: str) -> Path:
    return resources_dir() / "translations" / f"romah_{lang}.ts"


def _lrelease() -> str | None:
    for candidate in (
        Path(sys.executable).with_name("pyside6-lrelease"),
        Path(PySide6.__file__).with_name("lrelease"),
    ):
        if candidate.exists():
            return str(candidate)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compiled_catalogue(lang: str) -> Path | None:
    """The `.qm` for `lang`, compiled from its `.ts` when missing or older; None if impossible."""
    source = catalogue_source(lang)
    target = source.with_suffix(".qm")
    if not source.exists():
        return target if target.exists() else None
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        # A bundle has no lrelease, and its copied files' times say nothing: use what it has.
        if target.exists():
            return target
        log.warning("lrelease not found; the window's own strings stay in English")
        return None
    subprocess.run([tool, "-silent", str(source), "-qm", str(target)], check=True)
    return target


def set_language(app: QApplication, lang: str) -> None:
    """Switch every new string, the core's messages and the layout direction to `lang`."""
    core_i18n.set_language(lang)
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    if lang != "en":
        qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_own = QTranslator(app)
        if qt_own.load(f"qtbase_{lang}", qt_translations):
            _installed.append(qt_own)
        ours = QTranslator(app)
        catalogue = compiled_catalogue(lang)
        if catalogue is not None and ours.load(str(catalogue)):
            _installed.append(ours)
        for translator in _installed:
            QCoreApplication.installTranslator(translator)
    QLocale.setDefault(
        QLocale(QLocale.Language.Arabic if lang == "ar" else QLocale.Language.English)
    )
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if lang in RIGHT_TO_LEFT else Qt.LayoutDirection.LeftToRight
    )
