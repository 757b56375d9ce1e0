"""`python -m bench.registry_bench --db PATH`: the beneficiary list with 200,000 people.

Measures, on a data folder (or its romah.db) made by `python -m bench` or `romah init` and the
demo generator (without --db: the cached 200,000-person build in bench/out/, made first when
missing):

- the first page on screen: from creating the Beneficiaries page to its first rows painted
  — target median ≤ 50 ms (the whole list's ids follow in the background, for information);
- search as you type: from the text changing to the best matches painted, and to every match
  listed and counted, over 30 queries a clerk would type (names with and without hamza,
  national IDs whole and begun, mobiles in every form) — target p95 ≤ 100 ms;
- cold start: a fresh process that opens the app, signs in and waits for the list's first
  page — target median ≤ 1.5 s (the operating system's file cache is warm);
- the memory of that app process with the whole list read and scrolled to 60 places —
  target ≤ 250 MB RSS.

The database is only read, apart from the sign-in records. `--record` appends the results to
bench/RESULTS.md. Run with QT_QPA_PLATFORM=offscreen on a machine without a display.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shiboken6

from bench.build import PASSWORD, cached_database
from bench.report import environment, record, table
from bench.stats import Measure, format_seconds, repeat

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
PEOPLE = 200_000
FIRST_PAGE_TARGET_S = 0.050
SEARCH_TARGET_S = 0.100
RSS_TARGET_MB = 250
COLD_START_TARGET_S = 1.5

# What a clerk types into the list's search box (the numbers are added from the database).
NAME_QUERIES = (
    "محمد",
    "أحمد",
    "احمد",
    "عبد الله",
    "عبدالرح",
    "إبراهيم",
    "ابراهيم",
    "عائشة",
    "عايشه",
    "هيفاء",
    "القحطاني",
    "نورة الدوسري",
    "نوره الدوسري",
    "محمد القحطاني",
    "عبد الله الغامدي",
    "فاطمة العتيبي",
    "سارة الشمري",
    "خالد المطيري",
)
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.registry_bench", description=__doc__)
    parser.add_argument("--db", type=Path, help="a data folder or its romah.db")
    parser.add_argument("--user", default="admin", help="who signs in (default admin)")
    parser.add_argument("--password", default=PASSWORD, help="their password")
    parser.add_argument("--repeats", type=int, default=10, help="first-page runs (default 10)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--record", action="store_true", help="append the results to bench/RESULTS.md"
    )
    parser.add_argument("--cold-start-child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def data_folder(db: Path | None, seed: int) -> Path:
    """The data folder to measure: --db, else a cached 200,000-person build (made if none)."""
    if db is not None:
        return db.parent if db.is_file() else db
    for candidate in (HERE / "out" / f"db-{PEOPLE}-seed{seed}", HERE / "out" / "registry"):
        found = candidate / "build.json"
        if found.exists():
            return candidate
        nested = candidate / f"db-{PEOPLE}-seed{seed}"
        if (nested / "build.json").exists():
            return nested
    return cached_database(HERE / "out" / "registry", PEOPLE, seed, rebuild=False).data_dir


def rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB."""
    now = peak = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    now = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:  # not Linux: the peak is all getrusage knows
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
            1024 * 1024 if sys.platform == "darwin" else 1024
        )
    return now or peak, peak


# --- waiting for the window -----------------------------------------------------------------


def wait_for(signal: Any, action: Callable[[], object], timeout_s: float = 60) -> None:
    """Run `action`, then run the event loop until `signal` is emitted."""
    from ui.qt import QEventLoop, QTimer

    loop = QEventLoop()
    fired: list[bool] = []

    def done(*_args: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    try:
        action()
        if not fired:
            loop.exec()
    finally:
        signal.disconnect(done)
        timer.stop()
    if not fired:
        raise TimeoutError(f"nothing after {timeout_s} s")


def painted(page: Any) -> None:
    """Paint the visible rows now, as the next screen refresh would."""
    page.table.viewport().repaint()


# --- in this process ------------------------------------------------------------------------


def realistic_queries(workspace: Any, actor: Any, seed: int) -> list[str]:
    """NAME_QUERIES and numbers of real people: IDs whole and begun, mobiles in every form."""
    from romah_desktop.services.people.registry import list_ids, rows

    rng = random.Random(seed)
    with workspace.db.session() as session:
        everyone = list_ids(session, actor)
        picked = rows(session, actor, rng.sample(everyone, 200))
    with_phone = [r for r in picked if r.phone][:5]
    ids = [r.national_id for r in picked[:6]]
    queries = list(NAME_QUERIES)
    queries += [ids[0], ids[1], ids[2][:4], ids[3][:6], ids[4][:8], ids[5].translate(ARABIC_DIGITS)]
    phones = [r.phone for r in with_phone if r.phone]
    queries += [phones[0], phones[1], "+966" + phones[2][1:], phones[3][:6]]
    queries += [phones[4].translate(ARABIC_DIGITS), f"{phones[0][:3]} {phones[0][3:]}"]
    return queries[:30]


def core_measures(workspace: Any, actor: Any, queries: list[str]) -> list[Measure]:
    """The registry's queries alone, without the window (to see where the time goes)."""
    from romah_desktop.services.people.registry import first_rows, list_ids, rows
    from ui.pages.beneficiaries import MAX_MATCHES

    with workspace.db.session() as session:
        everyone = list_ids(session, actor)
        middle = everyone[len(everyone) // 2 : len(everyone) // 2 + 100]
        measures = [
            Measure(
                "core: first_rows of the whole list", repeat(lambda: first_rows(session, actor), 20)
            ),
            Measure(
                f"core: list_ids of the whole list ({len(everyone):,})",
                repeat(lambda: list_ids(session, actor), 10),
            ),
            Measure(
                "core: rows of a page of 100", repeat(lambda: rows(session, actor, middle), 20)
            ),
        ]
        best: list[float] = []
        every: list[float] = []
        for query in queries:
            best += repeat(lambda q=query: first_rows(session, actor, query=q), 3)
            every += repeat(
                lambda q=query: list_ids(session, actor, query=q, limit=MAX_MATCHES + 1), 3
            )
        measures.append(Measure("core: first_rows of a search", best))
        measures.append(Measure(f"core: list_ids of a search (≤ {MAX_MATCHES:,})", every))
    return measures


def window_measures(
    data_dir: Path, user: str, password: str, repeats: int, seed: int
) -> tuple[list[Measure], list[str]]:
    """The page in this process: first page, search as you type, memory after scrolling."""
    from romah_desktop.workspace import Workspace
    from ui.context import AppContext
    from ui.fonts import register_fonts
    from ui.i18n import set_language
    from ui.pages.beneficiaries import BeneficiariesPage
    from ui.qt import QApplication
    from ui.worker import Worker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_fonts(app)
    set_language(app, "ar")
    workspace, actor = Workspace.unlock(data_dir, user, password)
    worker = Worker()
    ctx = AppContext(workspace, worker)
    ctx.sign_in(actor)
    measures: list[Measure] = []
    facts: list[str] = []
    try:
        queries = realistic_queries(workspace, ctx.actor, seed)
        measures += core_measures(workspace, ctx.actor, queries)

        first: list[float] = []
        whole: list[float] = []
        page = None
        for _ in range(repeats + 1):
            if page is not None:
                page.close()
                shiboken6.delete(page)  # now: each page holds its own 200,000 ids
            start = time.perf_counter()
            page = BeneficiariesPage(ctx)
            page.resize(1000, 700)
            wait_for(page.sig_first_rows_shown, page.show)
            painted(page)
            first.append(time.perf_counter() - start)
            assert page.model.is_loaded(0)
            wait_for(page.sig_listed, lambda: None)
            whole.append(time.perf_counter() - start)
        assert page is not None
        people = page.model.rowCount()
        measures.append(
            Measure(
                "first page on screen",
                first[1:],
                FIRST_PAGE_TARGET_S,
                "median",
                note=f"page created → first rows painted; the first run {format_seconds(first[0])}",
            )
        )
        measures.append(
            Measure(
                f"the whole list ready ({people:,} files, count shown)",
                whole[1:],
                note="information",
            )
        )

        shown: list[float] = []
        listed: list[float] = []
        counts: list[int] = []
        for query in queries:
            if page.search.text():
                wait_for(page.sig_listed, page.search.clear)
            start = time.perf_counter()
            wait_for(page.sig_first_rows_shown, lambda q=query: page.search.setText(q))
            painted(page)
            shown.append(time.perf_counter() - start)
            wait_for(page.sig_listed, lambda: None)
            painted(page)
            listed.append(time.perf_counter() - start)
            counts.append(page.model.rowCount())
        measures.append(
            Measure(
                "search as you type: text changed → best matches on screen",
                shown,
                SEARCH_TARGET_S,
                "p95",
                note=f"{len(queries)} queries, {page.SEARCH_DELAY_MS} ms debounce included",
            )
        )
        measures.append(
            Measure(
                "search as you type: text changed → every match listed and counted",
                listed,
                SEARCH_TARGET_S,
                "p95",
                note=f"{min(counts):,}–{max(counts):,} matches",
            )
        )

        # Scroll through the list as a clerk would, then read the memory.
        if page.search.text():
            wait_for(page.sig_listed, page.search.clear)
        rng = random.Random(seed)
        model = page.model
        for row in sorted(rng.sample(range(model.rowCount()), 60)):
            if not model.is_loaded(row):
                wait_for(model.sig_page_loaded, lambda r=row: _show_row(page, r))
        now, peak = rss_mb()
        facts.append(
            f"for information, this benchmark's own process (which also read 200,000 ids a "
            f"dozen times): RSS {now:.0f} MB (peak {peak:.0f} MB); the target is checked on the "
            "app's process below"
        )
    finally:
        worker.wait()
        workspace.close()
    return measures, facts


def _show_row(page: Any, row: int) -> None:
    index = page.model.index(row, 0)
    page.table.scrollTo(index)
    painted(page)


# --- cold start in a fresh process ----------------------------------------------------------


def cold_start_child(data_dir: Path, user: str, password: str, seed: int) -> int:
    """Open the app, sign in, wait for the registry's first page and whole list, scroll it;
    print the times and the memory as JSON."""
    marks = {"started": time.time()}
    from ui.app import RomahApp
    from ui.pages.beneficiaries import BeneficiariesPage
    from ui.qt import QApplication, QEventLoop

    app = QApplication(sys.argv[:1])
    romah = RomahApp(app, data_dir, lang="ar")
    romah.start()
    marks["sign-in shown"] = time.time()
    dialog = romah.dialog
    assert dialog is not None
    pages: list[BeneficiariesPage] = []

    def signed_in(_actor: object) -> None:
        window = romah.window
        assert window is not None
        marks["main window"] = time.time()
        page = next((p for p in window.pages.values() if isinstance(p, BeneficiariesPage)), None)
        if page is None:  # not wired into the window yet: added as the window would
            page = BeneficiariesPage(window.ctx)
            window.add_page("beneficiaries", page.tr("Beneficiaries"), page)
        pages.append(page)

        def first_rows_shown() -> None:
            painted(page)
            marks["first page"] = time.time()

        def listed(_count: int) -> None:
            marks["whole list"] = time.time()
            loop.quit()

        page.sig_first_rows_shown.connect(first_rows_shown)
        page.sig_listed.connect(listed)
        window.show_page(next(k for k, p in window.pages.items() if p is page))

    dialog.sig_signed_in.connect(signed_in)
    dialog.username.setText(user)
    dialog.password.setText(password)
    # Not app.exec(): quitting the application would close the window and the database.
    loop = QEventLoop()
    dialog.buttons.accepted.emit()
    loop.exec()
    after_start, _peak = rss_mb()
    page = pages[0]
    model = page.model
    rng = random.Random(seed)
    for row in sorted(rng.sample(range(model.rowCount()), 60)):
        if not model.is_loaded(row):
            wait_for(model.sig_page_loaded, lambda r=row: _show_row(page, r))
    now, peak = rss_mb()
    result = {"marks": marks, "people": model.rowCount(), "rss_mb": now, "peak_mb": peak}
    print(json.dumps({**result, "rss_after_start_mb": after_start}))
    sys.stdout.flush()
    romah.worker.wait()
    os._exit(0)  # what happens after the measure (closing the database, Qt) is not measured


def cold_starts(
    data_dir: Path, user: str, password: str, runs: int, seed: int
) -> tuple[list[Measure], str]:
    """Fresh processes to the list's first page; their median time and memory."""
    totals: list[float] = []
    steps: dict[str, list[float]] = {}
    rss: list[float] = []
    rss_start: list[float] = []
    whole: list[float] = []
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    command = [sys.executable, "-m", "bench.registry_bench", "--cold-start-child"]
    command += ["--db", str(data_dir), "--user", user, "--password", password, "--seed", str(seed)]
    for _ in range(runs):
        spawned = time.time()
        done = subprocess.run(
            command, env=env, cwd=HERE.parent, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"the cold start failed: {done.stderr.strip()}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        marks = result["marks"]
        totals.append(marks["first page"] - spawned)
        previous = spawned
        for name in ("started", "sign-in shown", "main window", "first page"):
            steps.setdefault(name, []).append(marks[name] - previous)
            previous = marks[name]
        whole.append(marks["whole list"] - spawned)
        rss.append(result["rss_mb"])
        rss_start.append(result["rss_after_start_mb"])
    breakdown = ", ".join(
        f"{name} +{format_seconds(statistics.median(values))}" for name, values in steps.items()
    )
    measures = [
        Measure(
            "cold start to the main window with the list's first page",
            totals,
            COLD_START_TARGET_S,
            "median",
            note=f"warm file cache; {breakdown}",
        ),
        Measure("cold start to the whole list counted", whole, note="information"),
    ]
    middle = statistics.median(rss)
    fact = (
        f"memory of the app with the list open (cold start, whole list read, scrolled to 60 "
        f"places): RSS {middle:.0f} MB ({statistics.median(rss_start):.0f} MB before "
        f"scrolling) — target ≤ {RSS_TARGET_MB} MB: "
        + ("met" if middle <= RSS_TARGET_MB else "**missed**")
    )
    return measures, fact


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    data_dir = data_folder(args.db, args.seed)
    if args.cold_start_child:
        return cold_start_child(data_dir, args.user, args.password, args.seed)
    print(f"Measuring the beneficiary list on {data_dir}…", file=sys.stderr)
    cold, cold_memory = cold_starts(data_dir, args.user, args.password, args.cold_runs, args.seed)
    measures, facts = window_measures(data_dir, args.user, args.password, args.repeats, args.seed)
    measures += cold
    facts.append(cold_memory)
    print()
    print(table(measures, None))
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    facts.append(f"{os.cpu_count()} cores, load average {load} at the end (other work slows it)")
    print()
    for fact in facts:
        print(f"- {fact}")
    missed = [m.name for m in measures if m.met is False] + [f for f in facts if "missed" in f]
    print()
    print("All targets met." if not missed else f"Targets missed: {len(missed)}.")
    if args.record:
        record(RESULTS, section(measures, facts))
        print(f"Recorded in {RESULTS.relative_to(HERE.parent)}.")
    return 0


def section(measures: list[Measure], facts: list[str]) -> str:
    """A dated section of RESULTS.md. It carries no `bench:` marker on purpose: `python -m
    bench` compares itself with its own previous run of the same size, not with this one."""
    env = environment()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {date} — the beneficiary list (`python -m bench.registry_bench`)",
        "",
        f"- Machine: {env['machine']}, {env['cpu']}, {env['cores']} cores",
        f"- Python {env['python']}, SQLite {env['sqlite']}",
        *(f"- {fact}" for fact in facts),
        "",
        table(measures, None),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
