"""`python -m bench.cold_start [--db DIR] [--runs N] [--record]`: cold start to the sign-in
window, against a bare PySide6 dialog started the same way in the same run; then sign-in to the
main window, and the app's memory after visiting every page.

Each run is a fresh process. It reports the time from the process's own start (as the kernel
recorded it, in clock ticks of 10 ms) to the sign-in window on screen (shown, and its window
exposed by the platform, so painted), so interpreter start-up and imports count; the database
is not opened before sign-in. Then the user name and password are typed into the sign-in
window's fields and accepted, as a user would, and it reports the time from accepting to the
main window on screen: this opens the encrypted database (argon2id on the password, the key
ring, SQLCipher), signs in and builds the window. Then it opens every page of the window in
turn, each left to finish loading, and reports the process's resident memory (RSS) after
signing in, after the last page, and at its peak.

The reference is the least a PySide6 app can do: a process that imports PySide6 and shows a
right-to-left QDialog with a label, timed from the process's start to the dialog on screen
exactly as the app is. Its runs alternate with the app's, so both see the same machine.

Targets: the sign-in window ≤ 0.6 s (median) and within 5× the bare dialog; the main window
≤ 1.5 s after accepting the password; RSS ≤ 200 MB after visiting every page.

`python -m bench.encryption_bench` also starts the same app on a plaintext copy of the database
(its "twin"): sign-in then opens that file with plain SQLite instead of unlocking it, and checks
the password against the key ring exactly as on the encrypted database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
PYCACHE = HERE / "out" / "pycache"
TARGET_S = 0.6
TARGET_RATIO = 5.0
MAIN_WINDOW_TARGET_S = 1.5
RSS_TARGET_MB = 200.0
# bench.build's (not imported: the child's imports are measured).
PASSWORD = "bench-admin-password"
# The database key of a plaintext twin's original, handed to the child process.
TWIN_KEY_VARIABLE = "ROMAH_BENCH_TWIN_KEY"
# A page is done loading when the worker has stayed idle this many polls of 10 ms.
_IDLE_POLLS = 3
_MARK_RE = re.compile(r"<!-- cold-start: (\{.*?\}) -->")


def _since_process_start() -> float:
    ticks = os.sysconf(os.sysconf_names["SC_CLK_TCK"])
    with open("/proc/self/stat") as stat:
        started = int(stat.read().rsplit(")", 1)[1].split()[19]) / ticks
    with open("/proc/uptime") as uptime:
        return float(uptime.read().split()[0]) - started


def rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB."""
    now = peak = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return now, peak


def _when_on_screen(
    widget_of: Callable[[], Any],
    timer: Any,
    then: Callable[[], None],
    failed: Callable[[], str | None] = lambda: None,
) -> None:
    """Call `then` once the widget `widget_of()` gives is visible and its window exposed (the
    platform asked for it to be painted, which happens before control is back here), polling
    every millisecond; exit the process with `failed()`'s message, if it gives one."""

    def check() -> None:
        widget = widget_of()
        handle = widget.windowHandle() if widget is not None else None
        if widget is not None and widget.isVisible() and handle is not None and handle.isExposed():
            then()
            return
        problem = failed()
        if problem:
            print(problem, file=sys.stderr)
            os._exit(1)
        timer.singleShot(1, check)

    timer.singleShot(0, check)


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


def _bare_child() -> None:
    """The reference: PySide6 and a right-to-left dialog with a label, nothing else."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout

    app = QApplication([])
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    dialog = QDialog()
    dialog.setWindowTitle("رومة")
    QVBoxLayout(dialog).addWidget(QLabel("جمعية رومة لتطوير العمل غير الربحي"))
    dialog.show()
    result: dict[str, float] = {}

    def shown() -> None:
        result["to_sign_in_window_s"] = _since_process_start()
        result["cpu_to_sign_in_window_s"] = time.process_time()
        app.quit()

    _when_on_screen(lambda: dialog, QTimer, shown)
    app.exec()
    print(json.dumps(result), flush=True)
    os._exit(0)


def _entry_child(data_dir: Path) -> None:
    """`romah --data-dir DIR` as a user starts it (the entry point, its command line or not),
    timed to the sign-in window like the others."""
    import ui.app
    from ui.qt import QTimer

    start = ui.app.RomahApp.start

    def start_and_time(romah: Any) -> None:
        start(romah)

        def shown() -> None:
            result = {
                "to_sign_in_window_s": _since_process_start(),
                "cpu_to_sign_in_window_s": time.process_time(),
            }
            print(json.dumps(result), flush=True)
            os._exit(0)

        _when_on_screen(lambda: romah.dialog, QTimer, shown)

    ui.app.RomahApp.start = start_and_time  # type: ignore[method-assign]
    sys.argv = ["romah", "--data-dir", str(data_dir)]
    from romah_desktop.__main__ import main

    main()


def _child(data_dir: Path, user: str, password: str, plain: bool, pages: bool) -> None:
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

    def sign_in_failed() -> str | None:
        dialog = romah.dialog
        if isinstance(dialog, LoginDialog) and dialog.error.isVisible():
            return f"sign-in failed: {dialog.error.text()}"
        return None

    def sign_in() -> None:
        result["to_sign_in_window_s"] = _since_process_start()
        result["cpu_to_sign_in_window_s"] = time.process_time()
        dialog = romah.dialog
        assert isinstance(dialog, LoginDialog)
        dialog.username.setText(user)
        dialog.password.setText(password)
        accepted.extend((time.perf_counter(), time.process_time()))
        dialog.buttons.accepted.emit()
        _when_on_screen(lambda: romah.window, QTimer, main_window, sign_in_failed)

    def main_window() -> None:
        result["sign_in_to_main_window_s"] = time.perf_counter() - accepted[0]
        result["cpu_sign_in_to_main_window_s"] = time.process_time() - accepted[1]
        result["rss_signed_in_mb"] = rss_mb()[0]
        if pages:
            assert romah.window is not None
            visit(list(romah.window.pages))
        else:
            app.quit()

    def visit(keys: list[str], idle: int = 0) -> None:
        """Open each page in turn, the next once the worker has been idle for a while."""
        window = romah.window
        assert window is not None
        if romah.worker.busy or idle < _IDLE_POLLS:
            QTimer.singleShot(10, lambda: visit(keys, 0 if romah.worker.busy else idle + 1))
        elif keys:
            window.show_page(keys[0])
            QTimer.singleShot(10, lambda: visit(keys[1:]))
        else:
            result["rss_after_pages_mb"], result["rss_peak_mb"] = rss_mb()
            app.quit()

    _when_on_screen(lambda: romah.dialog, QTimer, sign_in)
    app.exec()
    print(json.dumps(result), flush=True)
    romah.worker.wait()
    os._exit(0)  # tearing Qt down is not measured


def _run(command: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=env, cwd=HERE.parent
    )
    if done.returncode != 0:
        raise RuntimeError(f"the cold start failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _env() -> dict[str, str]:
    """The children's environment: offscreen unless told otherwise, and Python's bytecode
    cached (in bench/out) as an installed app has it, even where the shell turns it off."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def run_child(
    data_dir: Path,
    user: str = "admin",
    password: str = PASSWORD,
    twin_key: bytes | None = None,
    pages: bool = False,
) -> dict[str, float]:
    """One fresh process on `data_dir` (a plaintext twin if `twin_key`, its original's
    database key, is given): its times in seconds (and, with `pages`, its memory in MB after
    visiting every page)."""
    env = _env()
    if twin_key is not None:
        env[TWIN_KEY_VARIABLE] = twin_key.hex()
    command = [sys.executable, "-m", "bench.cold_start", "--child", "--db", str(data_dir)]
    command += ["--user", user, "--password", password]
    command += ["--plain-twin"] if twin_key is not None else []
    command += ["--pages"] if pages else []
    return _run(command, env)


def run_bare() -> dict[str, float]:
    """One fresh process showing the bare dialog: seconds from its start to the dialog (and
    the CPU time it took)."""
    command = [sys.executable, "-m", "bench.cold_start", "--bare-child"]
    return _run(command, _env())


def run_entry(data_dir: Path) -> dict[str, float]:
    """One fresh `romah --data-dir DIR`: seconds from its start to the sign-in window."""
    command = [sys.executable, "-m", "bench.cold_start", "--entry-child", "--db", str(data_dir)]
    return _run(command, _env())


def _load() -> float:
    return os.getloadavg()[0]


def _previous(results: Path) -> dict[str, Any] | None:
    if not results.exists():
        return None
    found = None
    for match in _MARK_RE.finditer(results.read_text(encoding="utf-8")):
        found = json.loads(match.group(1))
    return found


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__)
    parser.add_argument("--db", type=Path, default=HERE / "out" / "db-200000-seed1")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--no-pages", action="store_true", help="skip visiting the pages")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--note", default="", help="a line for the recorded section")
    parser.add_argument("--plain-twin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--entry-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_child:
        _bare_child()
    if args.entry_child:
        _entry_child(args.db)
    if args.child:
        _child(args.db, args.user, args.password, args.plain_twin, args.pages)
        return 0
    # Not measured: the first of each fills the bytecode cache and the file cache.
    run_bare()
    run_entry(args.db)
    run_child(args.db, args.user, args.password, pages=not args.no_pages)
    load_before = _load()
    bares: list[dict[str, float]] = []
    entries: list[dict[str, float]] = []
    runs: list[dict[str, float]] = []
    for _ in range(args.runs):
        # Alternating, so that the load of the moment falls on both alike.
        bares.append(run_bare())
        entries.append(run_entry(args.db))
        runs.append(run_child(args.db, args.user, args.password, pages=not args.no_pages))
    load_after = _load()
    start = [r["to_sign_in_window_s"] for r in runs]
    bare = [r["to_sign_in_window_s"] for r in bares]
    signing_in = [r["sign_in_to_main_window_s"] for r in runs]
    median, reference = statistics.median(start), statistics.median(bare)
    values: dict[str, list[float]] = {
        "sign-in window": start,
        "bare dialog": bare,
        "main window after sign-in": signing_in,
        "CPU to the sign-in window": [r["cpu_to_sign_in_window_s"] for r in runs],
        "CPU of the bare dialog": [r["cpu_to_sign_in_window_s"] for r in bares],
        "romah to the sign-in window": [r["to_sign_in_window_s"] for r in entries],
        "CPU of romah to the sign-in window": [r["cpu_to_sign_in_window_s"] for r in entries],
        "CPU from sign-in to the main window": [r["cpu_sign_in_to_main_window_s"] for r in runs],
        "RSS signed in (MB)": [r["rss_signed_in_mb"] for r in runs],
    }
    if not args.no_pages:
        values["RSS after every page (MB)"] = [r["rss_after_pages_mb"] for r in runs]
        values["RSS peak (MB)"] = [r["rss_peak_mb"] for r in runs]
    medians = {name: statistics.median(samples) for name, samples in values.items()}
    ratio = median / reference

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        f"cold start to the sign-in window: median {_seconds(median)} (min {_seconds(min(start))},"
        f" max {_seconds(max(start))}) — target ≤ {_seconds(TARGET_S)}: "
        f"{verdict(median <= TARGET_S)}",
        f"bare PySide6 RTL dialog, same way, same run: median {_seconds(reference)} (min "
        f"{_seconds(min(bare))}, max {_seconds(max(bare))}); the sign-in window is {ratio:.1f}× "
        f"it — target ≤ {TARGET_RATIO:.0f}×: {verdict(ratio <= TARGET_RATIO)}",
        f"`romah --data-dir DIR` (the entry point a user starts) to the sign-in window: median "
        f"{_seconds(medians['romah to the sign-in window'])} "
        f"({medians['romah to the sign-in window'] / reference:.1f}× the bare dialog)",
        f"sign-in to the main window (argon2id, the key ring, SQLCipher, the window): median "
        f"{_seconds(statistics.median(signing_in))}, max {_seconds(max(signing_in))} — target ≤ "
        f"{_seconds(MAIN_WINDOW_TARGET_S)}: "
        f"{verdict(statistics.median(signing_in) <= MAIN_WINDOW_TARGET_S)}",
        f"CPU time (user + system, all threads; less sensitive to the machine's load): to the "
        f"sign-in window {_seconds(medians['CPU to the sign-in window'])}, the bare dialog "
        f"{_seconds(medians['CPU of the bare dialog'])} "
        f"({medians['CPU to the sign-in window'] / medians['CPU of the bare dialog']:.1f}×), "
        f"`romah` {_seconds(medians['CPU of romah to the sign-in window'])}, "
        f"sign-in to the main window {_seconds(medians['CPU from sign-in to the main window'])}",
        f"RSS after signing in: median {medians['RSS signed in (MB)']:.0f} MB",
    ]
    if not args.no_pages:
        after = medians["RSS after every page (MB)"]
        lines.append(
            f"RSS after visiting every page: median {after:.0f} MB (max "
            f"{max(values['RSS after every page (MB)']):.0f} MB), peak median "
            f"{medians['RSS peak (MB)']:.0f} MB — target ≤ {RSS_TARGET_MB:.0f} MB: "
            f"{verdict(after <= RSS_TARGET_MB)}"
        )
    lines.append(
        f"{args.runs} runs of each; load average (1 min) {load_before:.1f} → {load_after:.1f}"
    )
    print("\n".join(lines))
    if args.record:
        _record(args, lines, medians)
    return 0


def _record(args: argparse.Namespace, lines: list[str], medians: dict[str, float]) -> None:
    from bench.report import cpu_model, record

    previous = _previous(RESULTS)
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if previous is None:
        compared = "No earlier run recorded in this form (the 2026-11-26 09:25 UTC run: 0.70 s)."
    else:
        before = ", ".join(
            f"{name} {_format(name, value)}" for name, value in previous["medians"].items()
        )
        compared = f"Compared with the run of {previous['date']}: {before}."
    data = {
        "date": date,
        "db": args.db.name,
        "medians": {k: round(v, 4) for k, v in medians.items()},
    }
    body = [
        f"## {date} — cold start (`python -m bench.cold_start`)",
        "",
        f"- Machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} cores, shared; "
        f"Python {platform.python_version()}; database `{args.db.name}`; offscreen platform",
        *(f"- {line}" for line in [*lines, *([args.note] if args.note else [])]),
        f"- {compared}",
        "",
        f"<!-- cold-start: {json.dumps(data, ensure_ascii=False)} -->",
        "",
    ]
    record(RESULTS, "\n".join(body))


def _format(name: str, value: float) -> str:
    return f"{value:.0f} MB" if "MB" in name else _seconds(value)


if __name__ == "__main__":
    raise SystemExit(main())
