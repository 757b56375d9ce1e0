"""`python -m bench.reports_bench [--db PATH] [--record]`: reports and the dashboard on a branch
database of 200,000 beneficiaries, 500,000 contacts and 100,000 support requests.

Measures, as a branch manager, on a copy of the database (without --db: the cached
200,000-person demo build in bench/out/, made first when missing):

- the dashboard's queries (`reports.dashboard`: requests by status, channel, type and month,
  time to the committee's answer, deadline compliance, services, satisfaction, complaints) for
  the Reports page's default period (the current Hijri month) and for a whole Hijri year —
  target median ≤ 500 ms;
- the Reports page opening on those periods: from `refresh()` to every chart drawn and the
  visible tab painted — target median ≤ 500 ms;
- the Excel export of a year's requests (`export_report(REQUEST_LIST)`: one row per request
  with its dates in Hijri and Gregorian, status, channel, decision, amounts and days to the
  answer), from the first query to the file renamed into place, progress reported — target
  ≤ 10 s.

The demo generator draws its contacts and requests at random, so a build may fall a little
short of 500,000 contacts or 100,000 requests. The copy is then topped up by duplicating
existing rows under fresh ids in one INSERT … SELECT per table (benchmark filler: no outbox
entries, no audit events); the counts measured on are printed and recorded. The copy is
deleted afterwards. `--record` appends the results to bench/RESULTS.md. The page is measured
offscreen unless a display is set.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.build import PASSWORD, cached_database, copy_data
from bench.report import environment, record, table
from bench.stats import Measure, repeat
from db.enums import Role
from db.models import Contact, SupportRequest
from romah_desktop.dates import to_hijri_parts
from romah_desktop.services.context import Actor
from romah_desktop.services.reports.dashboard import dashboard
from romah_desktop.services.reports.export import ReportKind, export_report
from romah_desktop.services.reports.periods import Period, hijri_month, hijri_year_period
from romah_desktop.services.reports.scope import report_scope
from romah_desktop.services.users import add_user
from romah_desktop.workspace import Workspace

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
PEOPLE = 200_000
CONTACTS = 500_000
REQUESTS = 100_000
DASHBOARD_TARGET_S = 0.500
EXPORT_TARGET_S = 10.0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reports_bench", description=__doc__)
    parser.add_argument("--db", type=Path, help="a data folder or its romah.db")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--exports", type=int, default=3, help="year exports (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--record", action="store_true", help="append the results to bench/RESULTS.md"
    )
    return parser.parse_args(argv)


def source_folder(db: Path | None, seed: int) -> Path:
    """--db, else the cached 200,000-person build (made when there is none)."""
    if db is not None:
        return db.parent if db.is_file() else db
    for candidate in (
        OUT / f"db-{PEOPLE}-seed{seed}",
        OUT / "registry" / f"db-{PEOPLE}-seed{seed}",
    ):
        if (candidate / "build.json").exists():
            return candidate
    return cached_database(OUT, PEOPLE, seed, rebuild=False).data_dir


def working_copy(source: Path) -> Path:
    """A fresh copy of the database and its key ring for this run (it is migrated, topped up
    and written)."""
    work = OUT / "reports-work"
    copy_data(source, work)
    return work


def _columns(table_: sa.Table) -> list[str]:
    return [column.name for column in table_.columns]


def top_up(workspace: Workspace) -> dict[str, int]:
    """Bring the copy to CONTACTS contacts and REQUESTS requests by duplicating rows under
    fresh ids (and, for requests, fresh numbers); return the counts measured on."""
    counts: dict[str, int] = {}
    with workspace.db.engine.begin() as connection:
        for model, wanted in ((Contact, CONTACTS), (SupportRequest, REQUESTS)):
            table_ = model.__table__
            assert isinstance(table_, sa.Table)
            name = table_.name
            have = int(connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one())
            if have < wanted:
                columns = _columns(table_)
                values = [
                    "'bench-' || lower(hex(randomblob(15)))"
                    if column == "id"
                    else "request_number || '-B' || rowid"
                    if column == "request_number"
                    else column
                    for column in columns
                ]
                connection.exec_driver_sql(
                    f"INSERT INTO {name} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {name} ORDER BY rowid LIMIT ?",
                    (wanted - have,),
                )
                print(f"  topped up {name}: {have:,} → {wanted:,}", file=sys.stderr)
                have = wanted
            counts[name] = have
        for name in ("beneficiary", "committee_decision", "satisfaction_survey", "feedback"):
            counts[name] = int(
                connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one()
            )
    return counts


def manager(workspace: Workspace, admin: Actor) -> Actor:
    with workspace.transaction() as session:
        add_user(session, admin, "bench.manager", "مدير الفرع", Role.BRANCH_MANAGER, PASSWORD)
    return workspace.login("bench.manager", PASSWORD)


def periods(today: date) -> dict[str, Period]:
    """The page's default (the current Hijri month) and the last whole Hijri year."""
    year, month, _day = to_hijri_parts(today)
    return {
        "current Hijri month": hijri_month(year, month).period,
        f"Hijri year {year - 1}": hijri_year_period(year - 1),
    }


# --- in this process --------------------------------------------------------------------------


def query_measures(
    workspace: Workspace, actor: Actor, spans: dict[str, Period], repeats: int
) -> list[Measure]:
    measures = []
    for name, period in spans.items():
        with workspace.db.session() as session:
            board = dashboard(session, actor, period)
            samples = repeat(lambda p=period: dashboard(session, actor, p), repeats)
        measures.append(
            Measure(
                f"dashboard queries, {name}",
                samples,
                target_s=DASHBOARD_TARGET_S,
                target_on="median",
                note=f"{board.requests.total:,} requests received, "
                f"{board.compliance.total.due:,} due",
            )
        )
    return measures


def export_measure(
    workspace: Workspace, actor: Actor, name: str, period: Period, runs: int
) -> tuple[Measure, str]:
    samples: list[float] = []
    rows = calls = 0
    size = 0
    with tempfile.TemporaryDirectory(prefix="romah-reports-") as folder:
        for run in range(runs):
            path = Path(folder) / f"requests-{run}.xlsx"
            steps: list[int] = []
            start = time.perf_counter()
            with workspace.transaction() as session:
                scope = report_scope(session, actor, period)
                result = export_report(
                    session,
                    actor,
                    ReportKind.REQUEST_LIST,
                    scope,
                    path,
                    lang="ar",
                    progress=lambda done, _total, s=steps: s.append(done),
                )
            samples.append(time.perf_counter() - start)
            rows, calls, size = result.rows, len(steps), path.stat().st_size
    measure = Measure(
        f"Excel export of a year's requests ({name})",
        samples,
        target_s=EXPORT_TARGET_S,
        target_on="median",
        note=f"{rows:,} rows, {size / 1e6:.1f} MB",
    )
    return measure, f"The export told its progress {calls} times per run ({rows:,} rows)"


# --- the page ---------------------------------------------------------------------------------


def page_measures(
    workspace: Workspace, actor: Actor, spans: dict[str, Period], repeats: int
) -> list[Measure]:
    """The Reports page in a real (offscreen) window: refresh() to the charts drawn."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.registry_bench import wait_for
    from ui import i18n
    from ui.context import AppContext
    from ui.fonts import register_fonts
    from ui.pages.reports import ReportsPage
    from ui.qt import QApplication
    from ui.worker import Worker

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    register_fonts(app)
    i18n.set_language(app, "ar")
    worker = Worker()
    ctx = AppContext(workspace, worker)
    ctx.sign_in(actor)
    page = ReportsPage(ctx)
    page.resize(1300, 900)
    page.show()
    app.processEvents()
    measures = []
    choose: dict[str, Callable[[], None]] = {
        "current Hijri month": lambda: page.mode.setCurrentIndex(
            page.mode.findData(ReportsPage.HIJRI_MONTH)
        ),
    }
    for name in spans:
        if name not in choose:
            year = int(name.rsplit(" ", 1)[1])

            def pick_year(y: int = year) -> None:
                page.mode.setCurrentIndex(page.mode.findData(ReportsPage.HIJRI_YEAR))
                page.hijri_year.setValue(y)

            choose[name] = pick_year

    def open_page() -> None:
        wait_for(page.sig_loaded, page.refresh)
        page.tabs.currentWidget().repaint()

    for name in spans:
        choose[name]()
        page._reload.stop()  # measured from refresh(), not after the filters' pause
        board: Any = None

        def keep(value: Any) -> None:
            nonlocal board
            board = value

        page.sig_loaded.connect(keep)
        samples = repeat(open_page, repeats)
        page.sig_loaded.disconnect(keep)
        assert board is not None and board.scope.period == spans[name], name
        measures.append(
            Measure(
                f"Reports page opened, {name}",
                samples,
                target_s=DASHBOARD_TARGET_S,
                target_on="median",
                note="from refresh() to the charts drawn",
            )
        )
    page.close()
    worker.wait()
    return measures


# --- the run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    source = source_folder(args.db, args.seed)
    print(f"Copying {source} for the reports benchmark…", file=sys.stderr)
    work = working_copy(source)
    try:
        # Migrated here if the app is newer than the build.
        workspace, admin = Workspace.unlock(work, "admin", PASSWORD)
        try:
            counts = top_up(workspace)
            actor = manager(workspace, admin)
            spans = periods(date.today())
            print("Measuring the dashboard's queries…", file=sys.stderr)
            measures = query_measures(workspace, actor, spans, args.repeats)
            print("Measuring the Reports page…", file=sys.stderr)
            measures += page_measures(workspace, actor, spans, args.repeats)
            print("Exporting a year's requests…", file=sys.stderr)
            year_name, year = list(spans.items())[-1]
            export, export_fact = export_measure(workspace, actor, year_name, year, args.exports)
            measures.append(export)
        finally:
            workspace.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_at_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    facts = [
        "Database: "
        + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
        + f" (copy of {source.name})",
        "Periods: " + "; ".join(f"{name} = {p.first} – {p.last}" for name, p in spans.items()),
        export_fact,
        f"Load average (1 min): {load_at_start:.1f} at the start, {load_at_end:.1f} at the end "
        f"({os.cpu_count()} cores; other work on the machine stretches every timing)",
    ]
    print()
    print(table(measures, None))
    print()
    for fact in facts:
        print(f"- {fact}")
    missed = [m.name for m in measures if m.met is False]
    print()
    print("All targets met." if not missed else f"Targets missed: {', '.join(missed)}.")
    if args.record:
        record(RESULTS, section(measures, facts))
        print(f"Recorded in {RESULTS.relative_to(HERE.parent)}.")
    return 0


def section(measures: list[Measure], facts: list[str]) -> str:
    """A dated section of RESULTS.md (without `python -m bench`'s marker: that one compares
    itself with its own previous runs only)."""
    env = environment()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {stamp} — reports and the dashboard (`python -m bench.reports_bench`)",
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
