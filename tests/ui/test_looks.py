"""The window's looks on the laptop a branch has: a 1366×768 screen with a taskbar, at 100 % and
at 150 % scaling, in Arabic and in English. Page names whole in the navigation, the Today
heading in reading order, bottom buttons on screen, and a picture of every page to look at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from bidi import get_display
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from db.enums import Role
from romah_desktop.dates import format_dual
from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import SCREENSHOTS, screenshot, sign_in, wait_idle
from tests.ui.test_committee import prepared_request
from tests.ui.test_followthrough import staff
from ui.app import RomahApp
from ui.login import FirstRunDialog
from ui.main_window import MainWindow
from ui.pages.committee.page import CommitteePage
from ui.pages.reports import ReportsPage
from ui.pages.today import TodayPage, isolated_dual
from ui.qt import (
    QApplication,
    QDialog,
    QLabel,
    QLocale,
    QPoint,
    QRect,
    QScrollArea,
    QSize,
    Qt,
    QWidget,
    QWizard,
)
from ui.style import app_icon

# A 1366×768 laptop screen less a 40-pixel taskbar, and a window's title bar on it.
SCREEN = QSize(1366, 768)
TASKBAR = 40
TITLE_BAR = 30
ROOT = Path(__file__).resolve().parents[2]
BIDI_CONTROLS = "\u2066\u2067\u2068\u2069"


def scale() -> float:
    return float(os.environ.get("QT_SCALE_FACTOR", "1") or 1)


def client_area() -> QSize:
    """The room a maximised window's content has, in the window's (scaled) pixels."""
    factor = scale()
    usable = SCREEN.height() - TASKBAR - TITLE_BAR
    return QSize(int(SCREEN.width() / factor), int(usable / factor))


def in_language(qtbot: QtBot, app: RomahApp, lang: str) -> MainWindow:
    """The main window rebuilt in `lang` (as Settings does when the language changes)."""
    app.change_language(lang)
    window = app.window
    assert window is not None
    qtbot.waitUntil(window.isVisible)
    wait_idle(qtbot, app)
    return window


def fit(window: QWidget) -> None:
    """Give a window the laptop's room, as a maximised window has."""
    window.resize(client_area())
    QApplication.processEvents()


def plain(text: str) -> str:
    return "".join(c for c in text if c not in BIDI_CONTROLS)


# --- the navigation -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_navigation_shows_every_page_name_whole_with_its_icon(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, lang: str
) -> None:
    window = in_language(qtbot, romah_app, lang)
    nav = window.nav
    metrics = nav.fontMetrics()
    room = nav.viewport().width()
    names = [nav.item(row).text() for row in range(nav.count())]
    assert "Beneficiaries" in names if lang == "en" else "المستفيدون" in names
    for row in range(nav.count()):
        item = nav.item(row)
        assert not item.icon().isNull(), item.text()
        needed = metrics.horizontalAdvance(item.text()) + nav.iconSize().width()
        assert needed < room, item.text()
        assert nav.sizeHintForIndex(nav.model().index(row, 0)).width() <= room, item.text()
    # Every page has an icon of its own.
    icons = {nav.item(row).icon().cacheKey() for row in range(nav.count())}
    assert len(icons) == nav.count()


def test_pages_carry_a_header_with_what_they_are_for(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    for key in main_window.pages:
        main_window.show_page(key)
        wait_idle(qtbot, romah_app)
        page = main_window.pages[key]
        if isinstance(page, TodayPage):
            assert not main_window.header.isVisible() and page.header.isVisible()
            continue
        header = main_window.header
        assert header.isVisible() and header.title.text(), key
        assert header.title.geometry().bottom() < main_window.stack.geometry().top() + 1
    # The page's own heading (fuller than its name in the navigation) is said once, by the
    # header.
    main_window.show_page("requests")
    assert main_window.header.title.text() == "طلبات الدعم"
    assert main_window.header.subtitle.text().startswith("طلبات الدعم في الفرع")
    own = main_window.pages["requests"].findChild(QLabel, "page_title")
    assert own is not None and not own.isVisible()


# --- the Today heading ----------------------------------------------------------------------


def test_the_dual_date_reads_in_order_in_an_english_and_an_arabic_line() -> None:
    day = date(2026, 12, 6)
    text = format_dual(day)
    # Without isolation an English line scrambles it: the "1448/06/26 (م 2026/12/06) هـ".
    scrambled = plain(get_display(f"Today, {text}", base_dir="L"))
    assert scrambled == "Today, 1448/06/26 )م 2026/12/06( ـه"
    english = plain(get_display(f"Sunday, {isolated_dual(day, False)}", base_dir="L"))
    hijri, gregorian = "1448/06/26 هـ", "2026/12/06 م"
    assert text == f"{hijri} ({gregorian})"
    shown = f"{get_display(hijri, base_dir='L')} ({get_display(gregorian, base_dir='L')})"
    assert english == f"Sunday, {shown}"
    arabic = plain(get_display(f"الأحد، {isolated_dual(day, True)}", base_dir="R"))
    assert arabic == get_display(f"الأحد، {text}", base_dir="R")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_today_says_the_day_in_its_header(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, lang: str
) -> None:
    window = in_language(qtbot, romah_app, lang)
    window.show_page("today")
    wait_idle(qtbot, romah_app)
    today = window.pages["today"]
    assert isinstance(today, TodayPage)
    line = today.header.subtitle.text()
    rtl = lang == "ar"
    assert line.endswith(isolated_dual(date.today(), rtl))
    assert QLocale().dayName(date.today().isoweekday()) in line
    assert today.header.title.text() == ("اليوم" if rtl else "Today")


# --- Today as cards -------------------------------------------------------------------------


def test_today_is_cards_that_open_their_lists_and_nothing_inside_scrolls(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.BRANCH_MANAGER)
    fit(window)
    window.show_page("today")
    wait_idle(qtbot, romah_app)
    today = window.pages["today"]
    assert isinstance(today, TodayPage)
    cards = [card for card in today.sections.values() if card.isVisible()]
    assert cards
    for card in [*cards, *(c for c in today.feedback_sections.values() if c.isVisible())]:
        view = card.view
        assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert view.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert card.count.text() == "0"
    overdue = today.sections["overdue"]
    assert overdue.open_button.isVisible()
    qtbot.mouseClick(overdue.open_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    requests = window.pages["requests"]
    assert window.stack.currentWidget() is requests
    assert requests.status.currentData() is not None  # filtered to the submitted ones


# --- 1366×768 with a taskbar ------------------------------------------------------------------


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size())


def scrolled_in(widget: QWidget, window: QWidget) -> QScrollArea | None:
    """The scroll area of `window` that `widget` is in (None when it is in none)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            return parent
        parent = parent.parentWidget()
    return None


def assert_fits(window: QWidget, name: str) -> None:
    """The window, laid out in the laptop's room, fits it, and every button is inside it."""
    room = client_area()
    natural = window.size()
    window.resize(natural.boundedTo(room))
    QApplication.processEvents()
    # Taken first, so that a window that does not fit can be looked at.
    screenshot(window, f"looks_fit_{name}_{int(scale() * 100)}")
    assert window.width() <= room.width(), f"{name} is {window.width()} wide"
    assert window.height() <= room.height(), f"{name} is {window.height()} high"
    inside = window.rect()
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    assert buttons, name
    for button in buttons:
        area = scrolled_in(button, window)
        if area is None:  # the dialog's own buttons: in sight, always
            where = visible_rect(button, window)
            assert inside.contains(where), f"{name}: {button.text()!r} at {where} outside {inside}"
            continue
        # A button in a part that scrolls is reached by scrolling, up and down only.
        content = area.widget()
        assert inside.contains(visible_rect(area, window)), f"{name}: {area} outside {inside}"
        assert content.width() <= area.viewport().width(), f"{name}: {area} scrolls sideways"
        where = visible_rect(button, content)
        assert content.rect().contains(where), f"{name}: {button.text()!r} at {where} cut"


def opened(before: set[int]) -> Iterator[QWidget]:
    for widget in QApplication.topLevelWidgets():
        if (
            id(widget) not in before
            and widget.isVisible()
            and isinstance(widget, QDialog | QWizard)
        ):
            yield widget


def test_the_sign_in_first_run_and_main_window_fit_a_1366x768_laptop(
    qtbot: QtBot, romah_app: RomahApp, tmp_path: Path
) -> None:
    sign_in_dialog = romah_app.dialog
    assert sign_in_dialog is not None
    assert_fits(sign_in_dialog, "sign_in")
    first_run = FirstRunDialog(tmp_path / "new", romah_app.worker)
    first_run.show()
    assert_fits(first_run, "first_run")
    first_run.close()
    window = sign_in(qtbot, romah_app, "admin", ADMIN_PASSWORD)
    assert not window.windowIcon().isNull() and not app_icon().isNull()
    fit(window)
    assert window.width() <= client_area().width()
    assert window.height() <= client_area().height()
    for key in window.pages:
        window.show_page(key)
        wait_idle(qtbot, romah_app)
        assert window.height() <= client_area().height(), key


@pytest.mark.parametrize("role", [Role.BRANCH_MANAGER, Role.HQ_ADMIN])
def test_no_page_makes_the_window_wider_than_the_laptop(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], role: Role
) -> None:
    """At 150 % the laptop is 910 logical pixels wide. The Reports filters on one line once
    asked 927 pixels of the page alone (1069 with the branch), and the window ran off screen."""
    window = window_as(role)
    room = client_area()
    reports = window.pages["reports"]
    assert isinstance(reports, ReportsPage)
    for key in window.pages:
        window.show_page(key)
        wait_idle(qtbot, romah_app)
        needed = window.minimumSizeHint()
        assert needed.width() <= room.width(), f"{key}: the window needs {needed.width()}"
        if scale() == 1:
            assert needed.height() <= room.height(), f"{key}: the window needs {needed.height()}"
    window.show_page("reports")
    for kind in range(reports.mode.count()):  # the two dates take two lines
        reports.mode.setCurrentIndex(kind)
        QApplication.processEvents()
        assert reports.minimumSizeHint().width() <= 700, reports.mode.currentText()
        assert window.minimumSizeHint().width() <= room.width(), reports.mode.currentText()
    screenshot(window, f"looks_reports_dates_{int(scale() * 100)}")


@pytest.mark.parametrize("role", [Role.BRANCH_MANAGER, Role.HQ_ADMIN])
def test_no_page_makes_the_window_wider_than_the_laptop_in_english(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], role: Role
) -> None:
    """The English texts are longer: at 150 % the status bar's texts on one line once asked
    919 pixels of the window for the branch manager and 932 for the HQ administrator."""
    window_as(role)
    window = in_language(qtbot, romah_app, "en")
    room = client_area()
    too_wide = {}
    for key in window.pages:
        window.show_page(key)
        wait_idle(qtbot, romah_app)
        needed = window.minimumSizeHint().expandedTo(window.minimumSize())
        if needed.width() > room.width():
            too_wide[key] = needed.width()
    assert not too_wide, f"the window needs more than {room.width()}: {too_wide}"
    bar = window.statusBar()  # its names give way, cut with "…", rather than widen the window
    assert bar.minimumSizeHint().width() < bar.sizeHint().width()
    fit(window)
    screenshot(window, f"looks_en_status_{int(scale() * 100)}")


@pytest.mark.parametrize("role", [Role.BRANCH_MANAGER, Role.HQ_ADMIN])
def test_no_page_makes_the_window_taller_than_the_laptop(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], role: Role
) -> None:
    """At 150 % a maximised window on the laptop has 465 logical pixels of height. Research,
    Reports and the Committee once asked 533 to 541, and the window ran under the taskbar: a
    page asks only the room its fixed parts need, and what is longer scrolls, once, as a page."""
    window_as(role)
    room = client_area()
    for lang in ("ar", "en"):
        window = in_language(qtbot, romah_app, lang)
        too_tall = {}
        for key in window.pages:
            window.show_page(key)
            wait_idle(qtbot, romah_app)
            needed = window.minimumSizeHint().expandedTo(window.minimumSize())
            if needed.height() > room.height():
                too_tall[key] = needed.height()
        assert not too_tall, f"{lang}: the window needs more than {room.height()}: {too_tall}"


# How each main dialog is opened from the main window: (page or None, method).
DIALOGS: dict[str, tuple[str | None, str]] = {
    "intake": (None, "new_intake"),
    "verify": (None, "verify"),
    "batch_print": (None, "batch"),
    "contact": ("contacts", "log_contact"),
    "new_file": ("beneficiaries", "open_new_file"),
    "feedback": ("feedback", "new_feedback"),
    "survey": ("feedback", "new_survey"),
    "add_user": ("users", "add_user"),
    "meeting": ("committee", "open_meeting_dialog"),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_each_main_dialog_fits_a_1366x768_laptop_with_its_buttons_on_screen(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], name: str
) -> None:
    window = window_as(Role.BRANCH_MANAGER)
    page_key, method = DIALOGS[name]
    if page_key is None:
        opener = getattr(window, method, None) or getattr(window.print_menu, method).trigger
    else:
        if page_key not in window.pages:
            pytest.skip(f"the branch manager has no {page_key} page")
        opener = getattr(window.pages[page_key], method)
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    opener()
    wait_idle(qtbot, romah_app)
    dialogs = list(opened(before))
    assert dialogs, name
    for dialog in dialogs:
        # Opened no larger than its screen has room for (a size meant for a large screen
        # once ran under a laptop's taskbar), unless its fields need more.
        screen = dialog.screen().availableGeometry().size()
        room = screen.expandedTo(dialog.minimumSizeHint())
        assert dialog.size().boundedTo(room) == dialog.size(), f"{name}: {dialog.size()}"
        assert_fits(dialog, name)


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.BRANCH_MANAGER])
def test_the_committee_s_request_fits_a_1366x768_laptop(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], role: Role
) -> None:
    """The request as the committee studies it, with the decision's form: its file above the
    form once asked 829 pixels, more than the laptop has even at 100 %."""
    window = window_as(role)
    request = prepared_request(romah_app, staff(romah_app, Role.INTERVIEWER), days_ago=2)
    committee = window.pages["committee"]
    assert isinstance(committee, CommitteePage)
    case = committee.open_case(request)
    qtbot.waitUntil(lambda: case.case is not None, timeout=10_000)
    wait_idle(qtbot, romah_app)
    case.resize(client_area())
    QApplication.processEvents()
    assert_fits(case, f"case_{role.value}")
    case.close()


# --- pictures of every page -------------------------------------------------------------------


def test_a_picture_of_every_page_in_arabic_and_english(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    """Saved as bench/out/screenshots/looks_<lang>_<scale>_<page>.png, for people to look at."""
    percent = int(scale() * 100)
    window = window_as(Role.BRANCH_MANAGER)
    for lang in ("ar", "en"):
        window = in_language(qtbot, romah_app, lang)
        fit(window)
        for key in list(window.pages):
            window.show_page(key)
            wait_idle(qtbot, romah_app)
            QApplication.processEvents()
            path = screenshot(window, f"looks_{lang}_{percent}_{key}")
            assert path.stat().st_size > 0
    assert (SCREENSHOTS / f"looks_en_{percent}_today.png").exists()


@pytest.mark.slow
def test_the_pictures_at_150_percent(tmp_path: Path) -> None:
    """The same pictures and checks with the screen scaled to 150 %, in a process of its own
    (the scale is fixed when Qt starts)."""
    if scale() != 1:
        pytest.skip("already scaled")
    # The laptop's screen (the offscreen one is 800×800, 533×533 at 150 %).
    screen = {"name": "laptop", "x": 0, "y": 0, "width": SCREEN.width()}
    screen |= {"height": SCREEN.height(), "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config = tmp_path / "laptop.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    platform = f"offscreen:configfile={config}"
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": platform}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            str(Path(__file__)),
            "-k",
            "picture_of_every_page or navigation_shows or wider_than_the_laptop"
            " or taller_than_the_laptop or committee_s_request_fits"
            " or each_main_dialog",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (SCREENSHOTS / "looks_ar_150_today.png").exists()
