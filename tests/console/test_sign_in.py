"""Signing in to the console, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.conftest import screenshot, sign_in


def test_an_administrator_signs_in_and_sees_the_console_in_arabic(
    page: object, tmp_path: Path
) -> None:
    page.goto("/console/")  # type: ignore[attr-defined]
    assert "/console/login" in page.url  # type: ignore[attr-defined]
    screenshot(page, "login", tmp_path)
    sign_in(page, "amal")
    assert page.url.endswith("/console/")  # type: ignore[attr-defined]
    assert page.get_attribute("html", "dir") == "rtl"  # type: ignore[attr-defined]
    assert "أمل العتيبي" in page.inner_text("header")  # type: ignore[attr-defined]
    screenshot(page, "dashboard", tmp_path)


@pytest.mark.postgres
@pytest.mark.parametrize("hq_server", ["postgres"], indirect=True)
def test_the_console_runs_on_postgresql(page: object, tmp_path: Path) -> None:
    """HQ's production database: sign in, the dashboard, a search and the branches page."""
    sign_in(page, "amal")
    assert page.url.endswith("/console/")  # type: ignore[attr-defined]
    assert "لوحة المؤشرات" in page.inner_text("h1")  # type: ignore[attr-defined]
    page.goto("/console/people?q=" + "أحمد")  # type: ignore[attr-defined]
    assert page.locator("main").is_visible()  # type: ignore[attr-defined]
    page.goto("/console/branches")  # type: ignore[attr-defined]
    assert "فرع جدة" in page.inner_text("main")  # type: ignore[attr-defined]
    screenshot(page, "branches-postgres", tmp_path)
