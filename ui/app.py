"""Starting the window: display check, fonts, language, first run, sign-in, lock, sign-out.

The sign-in window comes first and needs only Qt, the fonts, the language and the key ring's
file; the database, the services and the main window's pages are imported once a password is
accepted (`_signed_in`), so the sign-in shows about as soon as a bare Qt dialog would
(tests/test_startup_imports.py keeps it so; `python -m bench.cold_start` times it).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6

from romah_desktop import paths
from romah_desktop.i18n import current_language
from romah_desktop.keyring import Keyring
from ui import i18n
from ui.fonts import register_fonts
from ui.lock import IdleLock
from ui.login import FirstRunDialog, LoginDialog, RecoveryKeyDialog
from ui.qt import QApplication, QCoreApplication, QMessageBox, QObject, QTimer, QWidget
from ui.style import apply_look
from ui.worker import Worker

if TYPE_CHECKING:
    from romah_desktop.services.context import Actor
    from romah_desktop.workspace import Workspace
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.pages.sync import SyncService

log = logging.getLogger("romah.ui")

_HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "eglfs", "linuxfb"}
# How long after the sign-in window is shown the database layer starts loading.
PRELOAD_AFTER_MS = 100


def skip_pyside_source_scan() -> None:
    """Stop PySide reading the source of every module imported after it.

    To learn whether a module uses PySide's optional `from __feature__ import …` switches,
    PySide reads each new module's whole source (`inspect.getsource`, kept in `linecache` for
    good): about 25 MB and a tenth of a second for this app's imports, which use no switch.
    Answering "ignore this module" instead makes PySide keep the selection in force, which
    without any switch is the default one the scan would have chosen."""
    feature: Any = sys.modules.get("shibokensupport.feature")
    if feature is not None and hasattr(feature, "_mod_uses_pyside"):
        feature._mod_uses_pyside = lambda module: False


def _load_the_database_layer() -> None:
    import romah_desktop.workspace  # noqa: F401 (loaded, not used here)


class GuiThreadCollector(QObject):
    """Runs Python's garbage collector on the GUI thread only, as often as it would run.

    Left automatic, the collector runs in whichever thread allocates past its threshold: on the
    worker, it may destroy a Qt object the window dropped (a dialog held by a cycle), and Qt's
    destructor then waits for the GIL while holding a lock the GUI thread, which holds the GIL,
    waits for: the app hangs. (The same as pyqtgraph's GarbageCollector.)
    """

    def __init__(self, app: QApplication, interval_ms: int = 1_000) -> None:
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)
        gc.disable()

    def collect(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def display_available() -> bool:
    """Whether Qt can open a window here (Linux needs X11/Wayland or a headless platform)."""
    if not sys.platform.startswith("linux"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or platform in _HEADLESS_PLATFORMS
    )


class RomahApp(QObject):
    """Owns the application's windows from the first start to quitting."""

    def __init__(self, app: QApplication, data_dir: Path, lang: str | None = None) -> None:
        super().__init__()
        self.app = app
        self.data_dir = data_dir
        self.worker = Worker()
        self.workspace: Workspace | None = None
        self.ctx: AppContext | None = None
        self.window: MainWindow | None = None
        self.dialog: LoginDialog | FirstRunDialog | None = None
        self.lock: IdleLock | None = None
        self.drafts_dialog: QWidget | None = None
        self.recovery_dialog: QWidget | None = None
        self._hidden_by_lock: list[QWidget] = []
        self.forced_lang = lang
        # Makes the window's sync at the first sign-in (see `run`).
        self.sync: Callable[[], SyncService] | None = None
        skip_pyside_source_scan()
        register_fonts(app)
        apply_look(app)
        i18n.set_language(app, lang or "ar")

    def start(self) -> None:
        """Show the first-run setup when there is no database, else the sign-in (which opens
        the encrypted database)."""
        if (self.data_dir / paths.DATABASE_FILE).exists():
            i18n.set_language(self.app, self.forced_lang or Keyring.language_in(self.data_dir))
            self.show_login()
        else:
            dialog = FirstRunDialog(self.data_dir, self.worker)
            dialog.sig_created.connect(self._created)
            self.dialog = dialog
            dialog.show()

    def _created(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.show_login()

    def _open_context(self, workspace: Workspace) -> None:
        from romah_desktop import settings
        from romah_desktop.logs import set_log_context
        from ui.context import AppContext

        self.ctx = AppContext(workspace, self.worker)
        with workspace.transaction() as session:
            lang = self.forced_lang or str(settings.get(session, "language"))
            minutes = settings.get_int(session, "lock_screen_minutes")
        i18n.set_language(self.app, lang)
        set_log_context(device=workspace.device_id()[-4:])
        if self.lock is None:
            self.lock = IdleLock(self.app, minutes)
            self.lock.sig_idle.connect(self.lock_screen)
        else:
            self.lock.set_minutes(minutes)

    def _sign_in(self, username: str, password: str, progress: Callable[[float], None]) -> Actor:
        """Runs on the worker: the first sign-in opens (and, once, encrypts) the database."""
        from romah_desktop.workspace import Workspace

        if self.workspace is not None:
            return self.workspace.login(username, password)
        workspace, actor = Workspace.unlock(self.data_dir, username, password, progress)
        self.workspace = workspace
        return actor

    def show_login(self, username: str = "") -> None:
        dialog = LoginDialog(self._sign_in, self.worker, username=username)
        dialog.sig_signed_in.connect(self._signed_in)
        self.dialog = dialog
        dialog.show()
        # Once the window is on screen, the worker loads the database layer the sign-in will
        # open (half a second of imports) while the password is typed; the sign-in's own job
        # queues behind it on the same thread, so the two never import at once.
        QTimer.singleShot(PRELOAD_AFTER_MS, self._preload)

    def _preload(self) -> None:
        self.worker.submit(_load_the_database_layer)

    def _signed_in(self, actor: Actor) -> None:
        from romah_desktop.logs import set_log_context
        from ui.intake import resume_drafts
        from ui.overdue import OverdueNotice

        assert self.workspace is not None
        if self.ctx is None or self.ctx.workspace is not self.workspace:
            self._open_context(self.workspace)
        assert self.ctx is not None and self.lock is not None
        self.ctx.sign_in(actor)
        set_log_context(user=actor.username)
        log.info("signed in")
        self.show_main_window()
        assert self.window is not None
        # How many requests are overdue, said once at sign-in (after Today escalated them).
        OverdueNotice(self.ctx, self.window)
        self.lock.resume()
        if self.workspace.recovery_key is not None:
            # The database was encrypted just now: its recovery key is shown this once.
            self.recovery_dialog = RecoveryKeyDialog(self.workspace, self.window)
            self.recovery_dialog.show()
        # An intake left unfinished (closed, signed out, or the laptop died) is offered again.
        self.drafts_dialog = resume_drafts(self.ctx, self.window)

    def show_main_window(self) -> None:
        from ui.intake import save_open_intakes
        from ui.main_window import MainWindow
        from ui.pages.sync import set_sync_service

        assert self.ctx is not None
        if self.sync is not None:
            set_sync_service(self.sync())
            self.sync = None
        if self.window is not None:
            # The intakes opened from the old window go with it: keep what they hold first.
            save_open_intakes(self.worker)
            self.window.sig_closed.disconnect()
            self.window.close()
            self.window.deleteLater()
        window = MainWindow(self.ctx)
        window.sig_sign_out.connect(self.sign_out)
        window.sig_closed.connect(self._window_closed)
        window.settings_page.sig_language_chosen.connect(self.change_language)
        self.window = window
        window.show()

    def change_language(self, lang: str) -> None:
        """New windows (and this one, rebuilt on its current page) use `lang` from now on; the
        language already in use rebuilds nothing."""
        if self.window is None or lang == current_language():
            return
        key = self.window.current_key() or "settings"
        i18n.set_language(self.app, lang)
        self.show_main_window()
        self.window.show_page(key)

    def lock_screen(self) -> None:
        """Hide the work behind the sign-in until the same user types their password."""
        if self.window is None or self.ctx is None or self.workspace is None:
            return
        assert self.lock is not None
        self.lock.pause()
        username = self.ctx.actor.username
        # Every window (an intake, a file) hides: personal data must not stay on screen.
        self._hidden_by_lock = [w for w in self.app.topLevelWidgets() if w.isVisible()]
        for widget in self._hidden_by_lock:
            widget.hide()
        dialog = LoginDialog(self._sign_in, self.worker, username=username)
        dialog.username.setReadOnly(True)
        dialog.setWindowTitle(dialog.tr("Romah Desktop — locked"))
        dialog.sig_signed_in.connect(self._unlocked)
        self.dialog = dialog
        dialog.show()

    def _unlocked(self, actor: Actor) -> None:
        assert self.lock is not None
        for widget in self._hidden_by_lock:
            # One may have gone meanwhile (an intake waiting for its step's answer).
            if shiboken6.isValid(widget):
                widget.show()
        self._hidden_by_lock = []
        self.lock.resume()

    def sign_out(self) -> None:
        """Keep the work in progress as drafts, then destroy every window the user saw and
        forget its rows; only the sign-in is left, and nothing listens to the context."""
        if self.ctx is None:
            return
        log.info("signed out")
        if self.lock is not None:
            self.lock.pause()
        from ui.intake import save_open_intakes
        from ui.main_window import destroy_windows

        # Saved while still signed in: a step being written comes back to its intake first.
        save_open_intakes(self.worker)
        self.ctx.sign_out()
        destroy_windows(self.app)
        self.window = None
        self.drafts_dialog = None
        self.recovery_dialog = None
        self._hidden_by_lock = []
        # The database closes: its key leaves memory, and the next sign-in opens it again.
        self.worker.wait()
        self.ctx = None
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        self.show_login()

    def _window_closed(self) -> None:
        self.shutdown()
        self.app.quit()

    def shutdown(self) -> None:
        self.worker.wait()
        if self.workspace is not None:
            self.workspace.close()


def install_crash_handler(log_folder: Path) -> None:
    """An unexpected error leaves a report in the log folder and a friendly message on screen;
    the app keeps running, since every write is a transaction that either happened or not."""

    def handle(kind: type[BaseException], error: BaseException, trace: object) -> None:
        from romah_desktop.logs import write_crash_report

        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, error.__traceback__)
            return
        report = write_crash_report(log_folder, error)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("crash", "Something went wrong"),
            QCoreApplication.translate(
                "crash",
                "Romah met an unexpected problem. What was saved is safe. "
                "A report was left for support in:\n{path}",
            ).format(path=str(report)),
        )
        box.exec()

    sys.excepthook = handle


def run(
    data_dir: Path, lang: str | None = None, sync: Callable[[], SyncService] | None = None
) -> int:
    """Open the app on `data_dir` until the window closes; return the exit code. The window
    syncs through what `sync` makes, if given: at the first sign-in, since making it loads
    the sync client's wiring, which the sign-in window does without."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Romah Desktop")
    GuiThreadCollector(app)
    install_crash_handler(paths.log_dir(data_dir))
    romah = RomahApp(app, data_dir, lang)
    romah.sync = sync
    romah.start()
    code = app.exec()
    romah.shutdown()
    return int(code)
