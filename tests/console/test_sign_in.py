"""Signing in to the console, in a real browser."""

from __future__ import annotations

from pathlib import Path

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
