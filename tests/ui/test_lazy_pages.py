"""The main window builds a page the first time it is shown, not all of them at sign-in; the
navigation names every page the user may open all the same."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from db.enums import Role
from tests.ui.conftest import wait_idle
from ui.app import RomahApp
from ui.main_window import BUILT_AT_ONCE, MainWindow
from ui.pages.committee.page import committee_pages
from ui.pages.delivery import delivery_pages
from ui.pages.feedback import feedback_pages
from ui.pages.reports import reports_pages
from ui.pages.today import TodayPage
from ui.pages.users import users_pages


def built(window: MainWindow) -> list[str]:
    return [key for key in window.pages if window.pages.built(key) is not None]


def names(window: MainWindow) -> dict[str, str]:
    return {key: window.nav.item(row).text() for row, key in enumerate(window.pages)}


def test_only_today_sync_and_settings_are_built_at_sign_in(main_window: MainWindow) -> None:
    assert built(main_window) == ["today", "sync", "settings"]
    assert list(BUILT_AT_ONCE) == ["today", "sync", "settings"]
    # The first page is on screen at once, with its header.
    today = main_window.pages.built("today")
    assert isinstance(today, TodayPage) and today.isVisible()
    assert main_window.stack.currentWidget() is today
    # Every page is in the navigation, with its name and icon.
    assert main_window.nav.count() == len(main_window.pages) > len(BUILT_AT_ONCE)
    assert "beneficiaries" in main_window.pages and "reports" in main_window.pages


def test_a_page_is_built_on_its_first_visit_and_kept(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    assert main_window.pages.built("requests") is None
    main_window.nav.setCurrentRow(list(main_window.pages).index("requests"))
    wait_idle(qtbot, romah_app)
    page = main_window.pages.built("requests")
    assert page is not None and page.isVisible()
    assert main_window.stack.currentWidget() is page
    # Its own heading moved to the window's header, as for a page built at sign-in.
    assert main_window.header.title.text() == "طلبات الدعم"
    main_window.show_page("today")
    main_window.show_page("requests")
    assert main_window.pages["requests"] is page
    assert main_window.stack.indexOf(page) >= 0
    assert built(main_window) == ["today", "requests", "sync", "settings"]


def test_asking_for_a_page_builds_it_without_showing_it(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    page = main_window.pages["library"]
    assert main_window.pages.built("library") is page
    assert main_window.stack.currentWidget() is main_window.pages["today"]
    assert main_window.current_key() == "today"
    with pytest.raises(KeyError):
        main_window.pages["no-such-page"]
    assert main_window.pages.get("no-such-page") is None


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_names_each_page_in_arabic_before_it_is_built(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], role: Role
) -> None:
    """Each optional page, for the roles its module gives it to, under its own translated
    name (the navigation names it before it is built); building it gives that page."""
    window = window_as(role)
    ctx = window.ctx
    expected: dict[str, str] = {}
    for entries in (committee_pages, delivery_pages, feedback_pages, reports_pages, users_pages):
        for key, title, factory in entries(ctx):
            expected[key] = title
            assert ARABIC.search(title), f"{key}: {title!r} is not translated"
            assert isinstance(window.pages[key], factory)  # type: ignore[arg-type]
    listed = names(window)
    assert {key: name for key, name in listed.items() if key not in ALWAYS} == expected
    assert set(ALWAYS) <= set(listed)
    assert all(ARABIC.search(name) for name in listed.values())
    wait_idle(qtbot, romah_app)


ARABIC = re.compile("[\u0600-\u06ff]")
ALWAYS = ("today", "beneficiaries", "requests", "contacts", "library", "sync", "settings")
