"""`python -m bench.cold_start [--db DIR]`: cold start to the sign-in window (target ≤ 1.0 s),
then signing in to the main window.

Each run is a fresh process. It reports the time from the process's own start (as the kernel
recorded it) to the sign-in window being visible, so interpreter start-up and imports count;
the database is not opened before sign-in. Then the user name and password are typed into the
sign-in window's fields and accepted, as a user would, and it reports the time from accepting
to the main window being visible: this opens the encrypted database (argon2id on the password,
the key ring, SQLCipher), signs in and builds the window.

`python -m bench.encryption_bench` also starts the same app on a plaintext copy of the database
(its "twin"): sign-in then opens that file with plain SQLite instead of unlocking it, and checks
the password against the key ring exactly as on the encrypted database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_S = 1.0
# bench.build's (not imported: the child's imports are measured).
PASSWORD = "bench-admin-password"
# The database key of a plaintext twin's original, handed to the child process.
TWIN_KEY_VARIABLE = "ROMAH_BENCH_TWIN_KEY"


def _since_process_start() -> float:
    ticks = os.sysconf(os.sysconf_names["SC_CLK_TCK"])
    with open("/proc/self/stat") as stat:
        started = int(stat.read().rsplit(")", 1)[1].split()[19]) / ticks
    with open("/proc/uptime") as uptime:
        return float(uptime.read().split()[0]) - started


def open_plain_twin(data_dir: Path, database_key: bytes) -> Any:
    """The workspace of a plaintext copy of an encrypted database (made by
    `bench.encryption_bench`): the same code on a plain SQLite file, with the key ring and the
    database key of the original (for the files beside it, and to check a password)."""
    import sqlite3

    from db.engine import create_engine, sqlite_url
    from db.outbox import HLC_STATE_KEY, DeviceContext
    from romah_desktop import paths
    from romah_desktop.keyring import Keyring
    from romah_desktop.services.context import DEVICE_ID_KEY
    from romah_desktop.workspace import Workspace, laptop_database

    path = data_dir / paths.DATABASE_FILE
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        state = dict(connection.execute("SELECT key, value FROM local_state").fetchall())
    finally:
        connection.close()
    device = DeviceContext.new(state[DEVICE_ID_KEY], state.get(HLC_STATE_KEY))
    db = laptop_database(create_engine(sqlite_url(path)), device)
    return Workspace(data_dir, db, Keyring.load(data_dir), database_key)


def _child(data_dir: Path, user: str, password: str, plain: bool) -> None:
    from ui.app import RomahApp
    from ui.login import LoginDialog
    from ui.qt import QApplication, QTimer

    class PlainTwinApp(RomahApp):
        """The app on a plaintext twin: sign-in opens the plain file instead of unlocking."""

        def _sign_in(self, username: str, password: str, progress: Callable[[float], None]) -> Any:
            if self.workspace is None:
                self.workspace = open_plain_twin(self.data_dir, twin_key)
            return self.workspace.login(username, password)

    # Given by the parent for a plaintext twin only; never written anywhere.
    twin_key = bytes.fromhex(os.environ.pop(TWIN_KEY_VARIABLE, ""))
    app = QApplication([])
    romah = (PlainTwinApp if plain else RomahApp)(app, data_dir)
    romah.start()
    result: dict[str, float] = {}
    accepted: list[float] = []

    def sign_in() -> None:
        dialog = romah.dialog
        assert isinstance(dialog, LoginDialog)
        dialog.username.setText(user)
        dialog.password.setText(password)
        accepted.append(time.perf_counter())
        dialog.buttons.accepted.emit()
        QTimer.singleShot(0, main_window)

    def main_window() -> None:
        if romah.window is not None and romah.window.isVisible():
            result["sign_in_to_main_window_s"] = time.perf_counter() - accepted[0]
            app.quit()
        elif isinstance(romah.dialog, LoginDialog) and romah.dialog.error.isVisible():
            print(f"sign-in failed: {romah.dialog.error.text()}", file=sys.stderr)
            os._exit(1)
        else:
            QTimer.singleShot(1, main_window)

    def sign_in_window() -> None:
        if romah.dialog is not None and romah.dialog.isVisible():
            result["to_sign_in_window_s"] = _since_process_start()
            sign_in()
        else:
            QTimer.singleShot(1, sign_in_window)

    QTimer.singleShot(0, sign_in_window)
    app.exec()
    print(json.dumps(result))
    sys.stdout.flush()
    romah.shutdown()
    os._exit(0)  # tearing Qt down is not measured


def run_child(
    data_dir: Path, user: str = "admin", password: str = PASSWORD, twin_key: bytes | None = None
) -> dict[str, float]:
    """One fresh process on `data_dir` (a plaintext twin if `twin_key`, its original's
    database key, is given): its two times, in seconds."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    plain = twin_key is not None
    if twin_key is not None:
        env[TWIN_KEY_VARIABLE] = twin_key.hex()
    command = [sys.executable, "-m", "bench.cold_start", "--child", "--db", str(data_dir)]
    command += ["--user", user, "--password", password]
    done = subprocess.run(
        [*command, *(["--plain-twin"] if plain else [])],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=HERE.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the cold start failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__)
    parser.add_argument("--db", type=Path, default=HERE / "out" / "db-200000-seed1")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--plain-twin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.db, args.user, args.password, args.plain_twin)
        return 0
    runs = [run_child(args.db, args.user, args.password) for _ in range(args.runs)]
    start = [r["to_sign_in_window_s"] for r in runs]
    median = statistics.median(start)
    verdict = "met" if median <= TARGET_S else "missed"
    print(
        f"cold start to the sign-in window: median {median:.2f} s, max {max(start):.2f} s "
        f"over {len(start)} runs (target ≤ {TARGET_S:.1f} s: {verdict})"
    )
    signing_in = [r["sign_in_to_main_window_s"] for r in runs]
    print(
        f"sign-in to the main window (database opened, password checked by argon2id): median "
        f"{statistics.median(signing_in):.2f} s, max {max(signing_in):.2f} s (for information)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
