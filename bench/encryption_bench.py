"""`python -m bench.encryption_bench [--people N] [--record]`: the cost of encryption at rest.

Builds (or reuses, see bench/build.py) the encrypted benchmark database of 20,000 people, copies
it with its key ring, and makes in the same run a **plaintext twin**: the same database exported
by SQLCipher into a plain SQLite file (`sqlcipher_export`), beside a copy of the key ring. The
twin is opened with the same code as the app's (`Workspace` with `laptop_database`, the plain
file through `sqlite_url`), so the only difference is the encryption. Then it measures both side
by side, alternating between them run by run (a noisy machine slows both alike):

- searching (`find_people`, the searches of `python -m bench`: names, national IDs whole and
  begun, mobiles) — p95;
- registering one person in its own transaction — median;
- the Beneficiaries page's first page on screen (as `python -m bench.registry_bench`) — median;
- cold start to the sign-in window, and sign-in to the main window — medians of fresh
  processes (`python -m bench.cold_start`'s; on the twin, sign-in opens the plain file instead
  of unlocking the encrypted one, and checks the password against the key ring all the same);
- for information, the sign-in's core in process: `Workspace.unlock` against opening the twin
  and `Workspace.login`, and the key ring's argon2id alone.

Each pair is reported with the ratio encrypted / plaintext and whether it is within 15 % (the
limit of issue 11). `--record` appends the results to bench/RESULTS.md. The page is measured
offscreen unless a display is set.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import cases, cold_start
from bench.build import PASSWORD, Build, cached_database, copy_data
from bench.report import environment, record
from bench.stats import format_seconds, percentile
from db.engine import connect_encrypted
from db.models import Beneficiary
from romah_desktop import paths
from romah_desktop.keyring import KEYRING_FILE, Keyring
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    PossibleDuplicate,
    find_people,
    register_beneficiary,
)
from romah_desktop.workspace import Workspace, is_plaintext

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
PEOPLE = 20_000
LIMIT = 1.15  # encrypted within 15 % of plaintext
VARIANTS = ("encrypted", "plaintext")
_MARK = "<!-- encryption-bench: "
_MARK_RE = re.compile(r"<!-- encryption-bench: (\{.*?\}) -->")

assert cold_start.PASSWORD == PASSWORD


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.encryption_bench", description=__doc__)
    parser.add_argument("--people", type=int, default=PEOPLE, help=f"default {PEOPLE:,}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    parser.add_argument("--rounds", type=int, default=20, help="runs of each search (20)")
    parser.add_argument("--registers", type=int, default=200, help="people registered (200)")
    parser.add_argument("--pages", type=int, default=15, help="first-page runs (15)")
    parser.add_argument("--cold-runs", type=int, default=9, help="fresh processes each (9)")
    parser.add_argument("--unlocks", type=int, default=9, help="sign-ins in process (9)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="give both the query planner's statistics first (PRAGMA optimize), which the app "
        "does not keep yet",
    )
    parser.add_argument(
        "--record", action="store_true", help="append the results to bench/RESULTS.md"
    )
    return parser.parse_args(argv)


@dataclass
class Pair:
    """One measure on both databases: its samples (seconds) and the statistic compared."""

    name: str
    statistic: str  # "median" or "p95"
    samples: dict[str, list[float]] = field(default_factory=lambda: {v: [] for v in VARIANTS})
    checked: bool = True  # False: for information, the 15 % limit does not apply
    note: str = ""

    def value(self, variant: str) -> float:
        values = self.samples[variant]
        return statistics.median(values) if self.statistic == "median" else percentile(values, 95)

    @property
    def ratio(self) -> float:
        return self.value("encrypted") / self.value("plaintext")

    @property
    def within(self) -> bool | None:
        return self.ratio <= LIMIT if self.checked else None


def order(turn: int) -> tuple[str, ...]:
    """Which goes first on this turn: each in turn, so neither always runs on a warmer cache."""
    return VARIANTS if turn % 2 == 0 else VARIANTS[::-1]


# --- the two databases ------------------------------------------------------------------------


@dataclass
class Twins:
    folders: dict[str, Path]
    database_key: bytes
    sizes: dict[str, int]


def make_twins(build: Build, folder: Path, *, analyze: bool = False) -> Twins:
    """A copy of the encrypted build (with the clerk the measures act as) and its plaintext
    twin, exported by SQLCipher from that copy; with `analyze`, the copy gets the query
    planner's statistics first (so both have the same)."""
    encrypted, plain = folder / "encrypted", folder / "plaintext"
    copy_data(build.data_dir, encrypted)
    workspace, admin = Workspace.unlock(encrypted, "admin", PASSWORD)
    try:
        cases.add_clerk(workspace, admin)
        database_key = workspace.database_key
    finally:
        workspace.close()
    shutil.rmtree(plain, ignore_errors=True)
    plain.mkdir(parents=True, mode=0o700)
    shutil.copyfile(encrypted / KEYRING_FILE, plain / KEYRING_FILE)
    plain_path = plain / paths.DATABASE_FILE
    connection = connect_encrypted(encrypted / paths.DATABASE_FILE, database_key)
    try:
        if analyze:
            connection.execute("PRAGMA analysis_limit=400")
            connection.execute("PRAGMA optimize=0x10002")
        quoted = str(plain_path).replace("'", "''")
        connection.execute(f"ATTACH DATABASE '{quoted}' AS plain KEY ''")
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    finally:
        connection.close()
    # The app's databases are in WAL mode; the export leaves the twin in rollback mode.
    plain_db = sqlite3.connect(plain_path)
    try:
        plain_db.execute("PRAGMA journal_mode=WAL")
    finally:
        plain_db.close()
    assert is_plaintext(plain_path) and not is_plaintext(encrypted / paths.DATABASE_FILE)
    sizes = {
        "encrypted": (encrypted / paths.DATABASE_FILE).stat().st_size,
        "plaintext": plain_path.stat().st_size,
    }
    return Twins({"encrypted": encrypted, "plaintext": plain}, database_key, sizes)


def open_both(twins: Twins) -> tuple[dict[str, Workspace], dict[str, Actor]]:
    """Both databases open, the clerk signed in on each."""
    encrypted, clerk = Workspace.unlock(twins.folders["encrypted"], cases.CLERK, PASSWORD)
    plain: Workspace = cold_start.open_plain_twin(twins.folders["plaintext"], twins.database_key)
    return (
        {"encrypted": encrypted, "plaintext": plain},
        {"encrypted": clerk, "plaintext": plain.login(cases.CLERK, PASSWORD)},
    )


def check_same(workspaces: dict[str, Workspace], actors: dict[str, Actor]) -> None:
    """The twins hold the same people and find the same for the same search."""
    found = {}
    for variant, workspace in workspaces.items():
        with workspace.db.session() as session:
            people = session.scalar(sa.select(sa.func.count()).select_from(Beneficiary))
            hits = find_people(session, actors[variant], "محمد القحطاني")
            found[variant] = (people, [repr(hit) for hit in hits])
    if found["encrypted"] != found["plaintext"]:
        raise RuntimeError("the plaintext twin differs from the encrypted database")


# --- in this process --------------------------------------------------------------------------


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def search(
    workspaces: dict[str, Workspace], actors: dict[str, Actor], rounds: int, seed: int
) -> list[Pair]:
    """Every search of `python -m bench`, `rounds` times on each database, alternating."""
    kinds = cases.search_queries(workspaces["encrypted"], seed)
    pairs = {kind: Pair(kind, "p95", checked=False, note="information") for kind in kinds}
    overall = Pair("search, all kinds (find_people)", "p95")
    sessions = {variant: workspace.db.session() for variant, workspace in workspaces.items()}
    try:
        queries = [(kind, query) for kind, found in kinds.items() for query in found]
        for variant in VARIANTS:  # warm-up, untimed
            for _kind, query in queries:
                find_people(sessions[variant], actors[variant], query)
        turn = 0
        for _ in range(rounds):
            for kind, query in queries:
                for variant in order(turn):
                    seconds = _time(partial(find_people, sessions[variant], actors[variant], query))
                    pairs[kind].samples[variant].append(seconds)
                    overall.samples[variant].append(seconds)
                turn += 1
    finally:
        for session in sessions.values():
            session.close()
    count = len(queries)
    overall.note = f"{count} queries × {rounds} runs each"
    return [overall, *pairs.values()]


def register(
    workspaces: dict[str, Workspace], actors: dict[str, Actor], count: int, seed: int
) -> Pair:
    """The same new people registered in both, each in its own transaction, alternating."""
    warmup = 5
    forms = cases.new_people(workspaces["encrypted"], count + warmup + 20, seed)
    pair = Pair("register one beneficiary (own transaction)", "median")
    done = 0
    for form in forms:
        if done == count + warmup:
            break
        timed: dict[str, float] = {}
        for variant in order(done):

            def one(v: str = variant, person: dict[str, str] = form) -> None:
                with workspaces[v].transaction() as session:
                    register_beneficiary(session, actors[v], person)

            try:
                timed[variant] = _time(one)
            except PossibleDuplicate:
                pass  # same name and birth date as someone on file: not a new person
        if len(timed) == len(VARIANTS):
            if done >= warmup:
                for variant, seconds in timed.items():
                    pair.samples[variant].append(seconds)
            done += 1
    pair.note = f"{count} people, the same in both"
    return pair


def first_page(workspaces: dict[str, Workspace], actors: dict[str, Actor], runs: int) -> Pair:
    """The Beneficiaries page from its creation to its first rows painted (as
    `python -m bench.registry_bench` measures it), alternating; the first run of each is not
    counted. Each page's whole list is waited for before the next page is made."""
    import shiboken6

    from bench.registry_bench import painted, wait_for
    from ui.context import AppContext
    from ui.fonts import register_fonts
    from ui.i18n import set_language
    from ui.pages.beneficiaries import BeneficiariesPage
    from ui.qt import QApplication
    from ui.worker import Worker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    register_fonts(app)
    set_language(app, "ar")
    contexts: dict[str, Any] = {}
    for variant, workspace in workspaces.items():
        contexts[variant] = AppContext(workspace, Worker())
        contexts[variant].sign_in(actors[variant])
    pair = Pair("Beneficiaries page: first page on screen", "median")
    try:
        for turn in range(runs + 1):
            for variant in order(turn):
                contexts[variant].worker.wait()  # from an idle worker: the last page's work done
                listed: list[int] = []
                start = time.perf_counter()
                page = BeneficiariesPage(contexts[variant])
                page.sig_listed.connect(listed.append)
                page.resize(1000, 700)
                wait_for(page.sig_first_rows_shown, page.show)
                painted(page)
                seconds = time.perf_counter() - start
                if turn > 0:
                    pair.samples[variant].append(seconds)
                if not listed:
                    wait_for(page.sig_listed, lambda: None)
                page.close()
                shiboken6.delete(page)
    finally:
        for context in contexts.values():
            context.worker.wait()
    pair.note = "page created → first rows painted"
    return pair


def sign_in_core(twins: Twins, runs: int) -> list[Pair]:
    """For information: the sign-in's work without the window, in this process."""
    folders = twins.folders
    core = Pair(
        "sign-in core: Workspace.unlock / open the twin + login",
        "median",
        checked=False,
        note="information; argon2id included in both",
    )
    argon = Pair(
        "the key ring's password check alone (argon2id, unseal)",
        "median",
        checked=False,
        note="information; the same work on both",
    )

    def unlock() -> None:
        workspace, _actor = Workspace.unlock(folders["encrypted"], cases.CLERK, PASSWORD)
        workspace.close()

    def open_plain() -> None:
        workspace = cold_start.open_plain_twin(folders["plaintext"], twins.database_key)
        workspace.login(cases.CLERK, PASSWORD)
        workspace.close()

    def open_key_ring(folder: Path) -> None:
        Keyring.load(folder).open_with_password(cases.CLERK, PASSWORD)

    actions = {"encrypted": unlock, "plaintext": open_plain}
    for turn in range(runs + 1):
        for variant in order(turn):
            seconds = _time(actions[variant])
            checked = _time(partial(open_key_ring, folders[variant]))
            if turn > 0:
                core.samples[variant].append(seconds)
                argon.samples[variant].append(checked)
    return [core, argon]


# --- in fresh processes -----------------------------------------------------------------------


def cold_starts(twins: Twins, runs: int) -> list[Pair]:
    """Fresh app processes on each database, alternating: to the sign-in window, and from
    accepting the typed password to the main window."""
    start = Pair("cold start to the sign-in window", "median", note="fresh processes")
    signing_in = Pair("sign-in to the main window", "median", note="fresh processes")
    for turn in range(runs):
        for variant in order(turn):
            key = twins.database_key if variant == "plaintext" else None
            result = cold_start.run_child(twins.folders[variant], twin_key=key)
            start.samples[variant].append(result["to_sign_in_window_s"])
            signing_in.samples[variant].append(result["sign_in_to_main_window_s"])
    return [start, signing_in]


# --- the report -------------------------------------------------------------------------------


def table(pairs: list[Pair], previous: dict[str, Any] | None) -> str:
    before: dict[str, list[float]] = (previous or {}).get("values", {})
    lines = [
        "| measure | n (each) | statistic | encrypted | plaintext | ratio | within 15 % "
        "| previous encrypted / plaintext |",
        "|---|---:|---|---:|---:|---:|:-:|---:|",
    ]
    for pair in pairs:
        within = {None: "–", True: "yes", False: "**no**"}[pair.within]
        old = before.get(pair.name)
        earlier = "–" if old is None else f"{format_seconds(old[0])} / {format_seconds(old[1])}"
        name = f"{pair.name} ({pair.note})" if pair.note else pair.name
        lines.append(
            f"| {name} | {len(pair.samples['encrypted'])} | {pair.statistic} | "
            f"{format_seconds(pair.value('encrypted'))} | "
            f"{format_seconds(pair.value('plaintext'))} | {pair.ratio:.2f} | {within} | "
            f"{earlier} |"
        )
    return "\n".join(lines)


def previous_run(people: int, analyze: bool) -> dict[str, Any] | None:
    """The last recorded run with as many people, and statistics or not alike."""
    if not RESULTS.exists():
        return None
    found = None
    for match in _MARK_RE.finditer(RESULTS.read_text(encoding="utf-8")):
        data = json.loads(match.group(1))
        if data.get("people") == people and data.get("analyze", False) == analyze:
            found = data
    return found


def section(
    pairs: list[Pair],
    previous: dict[str, Any] | None,
    people: int,
    analyze: bool,
    facts: list[str],
) -> str:
    env = environment()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    compared = (
        f"Compared with the run of {previous['date']}."
        if previous
        else "No earlier run of this benchmark with this many people to compare with."
    )
    data = {
        "date": now,
        "people": people,
        "analyze": analyze,
        "values": {
            p.name: [round(p.value("encrypted"), 6), round(p.value("plaintext"), 6)] for p in pairs
        },
    }
    lines = [
        f"## {now} — encryption at rest (`python -m bench.encryption_bench`)",
        "",
        f"- Machine: {env['machine']}, {env['cpu']}, {env['cores']} cores",
        f"- Python {env['python']}, SQLite {env['sqlite']} (plaintext), "
        f"SQLCipher {sqlcipher_version()} (encrypted)",
        *(f"- {fact}" for fact in facts),
        f"- {compared}",
        "",
        table(pairs, previous),
        "",
        f"{_MARK}{json.dumps(data, ensure_ascii=False)} -->",
        "",
    ]
    return "\n".join(lines)


def sqlcipher_version() -> str:
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()[0]
        sqlite = connection.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        connection.close()
    return f"{cipher} on SQLite {sqlite}"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    load_at_start = os.getloadavg()[0]
    build = cached_database(OUT, args.people, args.seed, rebuild=args.rebuild)
    folder = OUT / "encryption"
    print("Copying the database and exporting its plaintext twin…", file=sys.stderr)
    twins = make_twins(build, folder, analyze=args.analyze)
    pairs: list[Pair] = []
    try:
        workspaces, actors = open_both(twins)
        try:
            check_same(workspaces, actors)
            print("Searching…", file=sys.stderr)
            found = search(workspaces, actors, args.rounds, args.seed)
            print("Registering…", file=sys.stderr)
            registered = register(workspaces, actors, args.registers, args.seed)
            print("Opening the Beneficiaries page…", file=sys.stderr)
            page = first_page(workspaces, actors, args.pages)
        finally:
            for workspace in workspaces.values():
                workspace.close()
        print("Starting the app afresh…", file=sys.stderr)
        starts = cold_starts(twins, args.cold_runs)
        print("Signing in, in process…", file=sys.stderr)
        core = sign_in_core(twins, args.unlocks)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    pairs = [found[0], registered, page, *starts, *found[1:], *core]
    load_at_end = os.getloadavg()[0]
    previous = previous_run(args.people, args.analyze)
    facts = [
        f"Database: {args.people:,} demo people, {build.rows:,} rows; encrypted "
        f"{twins.sizes['encrypted'] / 1e6:.0f} MB, its plaintext twin "
        f"{twins.sizes['plaintext'] / 1e6:.0f} MB (`sqlcipher_export` in the same run); "
        "warm file cache",
        "Runs of the two alternate, each going first in turn; ratio = encrypted / plaintext",
        "Query planner statistics: "
        + (
            "given to both first (`--analyze`: PRAGMA analysis_limit=400; PRAGMA optimize=0x10002)"
            if args.analyze
            else "none, as the app keeps none (the build never ran ANALYZE)"
        ),
        f"Load average (1 min): {load_at_start:.1f} at the start, {load_at_end:.1f} at the end "
        f"({os.cpu_count()} cores; other work on the machine stretches every timing)",
    ]
    print()
    print(table(pairs, previous))
    print()
    for fact in facts:
        print(f"- {fact}")
    over = [p.name for p in pairs if p.within is False]
    print()
    print(
        "All within 15 % of plaintext."
        if not over
        else f"Over 15 % of plaintext: {', '.join(over)}."
    )
    if args.record:
        record(RESULTS, section(pairs, previous, args.people, args.analyze, facts))
        print(f"Recorded in {RESULTS.relative_to(HERE.parent)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
