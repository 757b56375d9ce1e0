"""A headless check that a build works: database, migrations, fonts, translations, window."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from romah_desktop.workspace import Workspace
from ui.qt import QApplication, QCoreApplication, QFontDatabase


def self_check() -> int:
    """Create a throw-away workspace, sign in and draw the main window offscreen.

    Prints one line per check and returns 0 when all pass.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import RomahApp

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    failures = 0

    def check(name: str, ok: bool) -> None:
        nonlocal failures
        failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}")

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        Workspace.create(data, "CHK", "فحص", "admin", "self-check-1").close()
        check("database created by the migrations", Workspace.exists(data))
        check("database encrypted", not (data / "romah.db").read_bytes().startswith(b"SQLite"))
        romah = RomahApp(app, data, "ar")
        romah.start()
        romah._signed_in(romah._sign_in("admin", "self-check-1", lambda _done: None))
        window = romah.window
        check("main window", window is not None and window.isVisible())
        check("right to left", app.layoutDirection().name == "RightToLeft")
        check("Arabic font registered", "IBM Plex Sans Arabic" in QFontDatabase.families())
        qt_context = "QPlatformTheme"  # Qt's own catalogue, not ours
        arabic = QCoreApplication.translate(qt_context, "Cancel")
        check("Qt's Arabic strings", arabic != "Cancel")
        ours = QCoreApplication.translate("MainWindow", "Settings")
        check("Romah's Arabic strings", ours != "Settings")
        check("window draws", window is not None and not window.grab().isNull())
        romah.worker.wait()
        if window is not None:
            window.sig_closed.disconnect()
            window.close()
        romah.shutdown()
    print("self-check passed" if failures == 0 else f"self-check: {failures} failed")
    return 0 if failures == 0 else 1
