"""The console in a real browser: Debian's Chromium, driven by Playwright, against a real
`romah-hq serve` process on 127.0.0.1.

Chromium is the system's (`/usr/bin/chromium`, or `$ROMAH_CHROMIUM`); nothing is downloaded. In
CI a missing browser fails the tests; elsewhere they are skipped with the reason.
Screenshots go to `$ROMAH_SCREENSHOTS` when it is set (to look at them), else to the test's
temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.server.console import auth
from tests.sync.helpers import HQProcess, postgres_url

CONSOLE_PASSWORD = "console-pass-1"
# HQ's console users the fixtures make: one of each role.
CONSOLE_USERS = {
    "amal": ("أمل العتيبي", "hq_admin"),
    "sara": ("سارة القحطاني", "hq_steward"),
    "omar": ("عمر الشهري", "hq_auditor"),
}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("ROMAH_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        message = "the console's browser tests need Debian's chromium and playwright"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; .ci/run installs them")
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def hq_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HQProcess]:
    """`romah-hq serve` with branches RYD and JED (a manager and an interviewer in each) and
    one console user of each HQ role: on SQLite, or on PostgreSQL for a test parametrised
    with `hq_server=["postgres"]` (indirect)."""
    with contextlib.ExitStack() as stack:
        if getattr(request, "param", "sqlite") == "postgres":
            url = stack.enter_context(postgres_url())
        else:
            url = f"sqlite+pysqlite:///{tmp_path / 'hq' / 'hq.sqlite3'}"
        yield from _serve(HQProcess(tmp_path / "hq", url))


def _serve(server: HQProcess) -> Iterator[HQProcess]:
    server.seed()
    for username, (full_name, role) in CONSOLE_USERS.items():
        auth.add_user(server.hub.engine, username, full_name, role, CONSOLE_PASSWORD)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def page(browser: object, hq_server: HQProcess) -> Iterator[object]:
    """A fresh browser page (its own cookies) in Arabic, at a laptop's screen size."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=hq_server.url, locale="ar-SA", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: object, username: str, password: str = CONSOLE_PASSWORD) -> None:
    """Sign in through the form, as a person would, and wait for the dashboard (or the page
    the console was asked for)."""
    page.goto("/console/login")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("input[name=password]", password)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#sign-in button[type=submit]")  # type: ignore[attr-defined]


def screenshot(page: object, name: str, tmp_path: Path) -> Path:
    """Save a full-page screenshot, to look at."""
    folder = Path(os.environ.get("ROMAH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


@pytest.fixture
def laptop(hq_server: HQProcess, tmp_path: Path) -> Iterator[tuple[Workspace, SyncClient]]:
    """A Riyadh laptop enrolled with HQ and synced once."""
    code = hq_server.hub.new_enrolment_code("RYD")
    workspace = enrol(tmp_path / "laptop", hq_server.url, code, "laptop")
    client = SyncClient(workspace.db, workspace.attachments_dir)
    client.sync()
    yield workspace, client
    client.close()
    workspace.close()


def submit(page: object, form: str) -> int:
    """Submit a form as a person would; the status of the page it leads to."""
    with page.expect_navigation() as answer:  # type: ignore[attr-defined]
        page.click(f"{form} button[type=submit]")  # type: ignore[attr-defined]
    return int(answer.value.status)
