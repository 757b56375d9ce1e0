"""The sign-in window comes first and loads only what it needs: Qt, the fonts, the language and
the key ring's file. The database, the services, the pages, printing and the icons load after
a password is accepted (`python -m bench.cold_start` times it against a bare Qt dialog).
Checked in a fresh interpreter, as a user's start is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from romah_desktop.__main__ import window_only
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[1]

# What the sign-in window must not import: each would cost it tens to hundreds of milliseconds.
NOT_BEFORE_SIGN_IN = (
    "sqlalchemy",
    "alembic",
    "sqlcipher3",
    "db.models",
    "romah_desktop.workspace",
    "romah_desktop.services",
    "romah_desktop.printing",
    "reportlab",
    "openpyxl",
    "pypdfium2",
    "qtawesome",
    "ui.context",
    "ui.main_window",
    "ui.pages",
    "ui.intake",
    "ui.printing",
    "sync",
)

SHOW_THE_FIRST_WINDOW = """
import json, linecache, sys
from pathlib import Path
from ui.app import RomahApp
from ui.qt import QApplication
app = QApplication([])
romah = RomahApp(app, Path(sys.argv[1]))
romah.start()
app.processEvents()
assert romah.dialog is not None and romah.dialog.isVisible()
import colorsys as imported_later
read = imported_later.__file__ in linecache.cache
shown = {"dialog": type(romah.dialog).__name__, "modules": sorted(sys.modules), "read": read}
print(json.dumps(shown))
"""


def run_script(script: str, data_dir: Path) -> dict[str, Any]:
    """What `script`, run in a fresh process on `data_dir`, printed last (as JSON)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return shown


def first_window_imports(data_dir: Path) -> tuple[str, set[str], bool]:
    """The first window a fresh process shows on `data_dir`, every module it imported, and
    whether PySide read the source of a module imported after it."""
    shown = run_script(SHOW_THE_FIRST_WINDOW, data_dir)
    return shown["dialog"], set(shown["modules"]), shown["read"]


def heavy(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_BEFORE_SIGN_IN)
    )


def test_the_sign_in_window_loads_nothing_of_the_database(workspace: Workspace) -> None:
    data_dir = workspace.data_dir
    workspace.close()
    dialog, modules, read = first_window_imports(data_dir)
    assert dialog == "LoginDialog"
    assert heavy(modules) == []
    # PySide's scan for its `__feature__` switches (ui.app.skip_pyside_source_scan) is off: it
    # kept the source of every module imported after Qt in memory (about 25 MB).
    assert not read


def test_the_first_run_window_loads_nothing_of_the_database(tmp_path: Path) -> None:
    dialog, modules, _read = first_window_imports(tmp_path / "new")
    assert dialog == "FirstRunDialog"
    assert heavy(modules) == []


START_ROMAH = """
import json, sys
from ui.qt import QApplication


def shown(app):
    windows = [type(w).__name__ for w in app.topLevelWidgets() if w.isVisible()]
    print(json.dumps({"dialog": windows[0], "modules": sorted(sys.modules)}))
    return 0


QApplication.exec = shown
sys.argv = ["romah", "--data-dir", sys.argv[1], "--lang", "en"]
from romah_desktop.__main__ import main
main()
"""


def test_romah_without_a_command_opens_the_sign_in_without_the_command_line(
    workspace: Workspace,
) -> None:
    data_dir = workspace.data_dir
    workspace.close()
    shown = run_script(START_ROMAH, data_dir)
    assert shown["dialog"] == "LoginDialog"
    assert heavy(set(shown["modules"])) == []
    assert "romah_desktop.cli" not in shown["modules"] and "click" not in shown["modules"]


# Signs in as the administrator, opens every page of the main window and reports what it
# imported.
SIGN_IN_AND_OPEN_EVERY_PAGE = """
import json, sys, time
from pathlib import Path
from ui.app import RomahApp
from ui.qt import QApplication
app = QApplication([])
romah = RomahApp(app, Path(sys.argv[1]))
romah.start()
romah.dialog.username.setText("admin")
romah.dialog.password.setText(%r)
romah.dialog.buttons.accepted.emit()
deadline = time.monotonic() + 60
while romah.window is None or not romah.window.isVisible():
    assert time.monotonic() < deadline, "no main window"
    app.processEvents()
    time.sleep(0.01)
window = romah.window
opened = []
for key in list(window.pages):
    window.show_page(key)
    app.processEvents()
    if window.stack.currentWidget().isVisible():
        opened.append(key)
print(json.dumps({"opened": opened, "modules": sorted(sys.modules)}))
romah.worker.wait()
"""


def test_the_main_window_draws_its_icons_without_qtawesome(workspace: Workspace) -> None:
    """The icons come from the font file inside the qtawesome package, not from qtawesome,
    which would load qtpy and its own machinery (11 MB more after every page, measured)."""
    data_dir = workspace.data_dir
    workspace.close()
    shown = run_script(SIGN_IN_AND_OPEN_EVERY_PAGE % ADMIN_PASSWORD, data_dir)
    assert "settings" in shown["opened"] and "beneficiaries" in shown["opened"]
    loaded = {m.split(".")[0] for m in shown["modules"]}
    assert not loaded & {"qtawesome", "qtpy"}


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ([], {}),
        (["--data-dir", "folder"], {"--data-dir": "folder"}),
        (["--lang=en", "--data-dir", "x"], {"--lang": "en", "--data-dir": "x"}),
        (["init"], None),
        (["--help"], None),
        (["--lang"], None),
        (["--lang", "en", "--lang", "ar"], None),
        (["--data-dir", "x", "search", "x"], None),
    ],
)
def test_only_a_command_line_without_a_command_opens_the_window_directly(
    args: list[str], options: dict[str, str] | None
) -> None:
    assert window_only(args) == options
