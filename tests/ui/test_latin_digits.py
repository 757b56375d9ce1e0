"""Numbers typed and shown in the window's number boxes use Latin digits in Arabic too, as
every other number in the window does (the finding: Settings and the Reports year showed
Arabic-Indic digits, "١٤٤٨", beside "1448/06/26" everywhere else)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import wait_idle
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.reports import ReportsPage
from ui.pages.settings import SettingsPage
from ui.qt import QLocale, QSpinBox


def _digits(box: QSpinBox) -> str:
    return "".join(ch for ch in box.text() if ch.isdigit())


def test_number_boxes_show_latin_digits_in_arabic(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    assert QLocale().language() == QLocale.Language.Arabic
    assert QLocale().toString(1448) != "1448"  # the trap: the Arabic locale's own digits
    boxes: list[QSpinBox] = []
    for key, kind in (("settings", SettingsPage), ("reports", ReportsPage)):
        main_window.show_page(key)
        wait_idle(qtbot, romah_app)
        page = main_window.pages[key]
        assert isinstance(page, kind)
        boxes += page.findChildren(QSpinBox)
    assert len(boxes) >= 4
    for box in boxes:
        assert _digits(box) and _digits(box).isascii(), box.objectName() or box.text()
    reports = main_window.pages["reports"]
    assert isinstance(reports, ReportsPage)
    year = reports.hijri_year
    year.lineEdit().selectAll()
    qtbot.keyClicks(year.lineEdit(), "1447")
    assert year.value() == 1447  # Latin digits typed are read
