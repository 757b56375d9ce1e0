"""`python -m bench [--quick] [--record]`: build (or reuse) the benchmark database, run every
measure and print a markdown table; with --record, append it to bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import cases
from bench.build import cached_database, database_size, working_copy
from bench.report import previous_run, record, section, table
from bench.stats import Measure

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
FULL_PEOPLE = 200_000
QUICK_PEOPLE = 20_000
FRESH_DEMO_PEOPLE = 10_000


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--quick", action="store_true", help=f"a {QUICK_PEOPLE:,}-person database, fewer repeats"
    )
    size.add_argument("--people", type=int, help=f"database size (default {FULL_PEOPLE:,})")
    parser.add_argument("--seed", type=int, default=1, help="demo data seed (default 1)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    parser.add_argument("--record", action="store_true", help="append the results to RESULTS.md")
    parser.add_argument(
        "--only",
        choices=("search", "register", "import", "demo"),
        action="append",
        help="run only these measures (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    load_at_start = os.getloadavg()[0]
    people = args.people or (QUICK_PEOPLE if args.quick else FULL_PEOPLE)
    only = set(args.only or ("search", "register", "import", "demo"))
    search_repeats, register_repeats, import_runs = (10, 100, 1) if args.quick else (20, 300, 3)

    build = cached_database(OUT, people, args.seed, rebuild=args.rebuild)
    measures: list[Measure] = []
    if "demo" in only:
        measures.append(
            Measure(
                f"demo data, {people:,} people (benchmark database)",
                samples=[build.wall_s],
                target_s=people * cases.DEMO_TARGET_S_PER_PERSON,
                target_on="median",
                note=f"{build.rows:,} rows, CPU {build.cpu_s:.0f} s"
                + (f", built {build.built_at}" if build.reused else ""),
            )
        )
        print(f"Generating {FRESH_DEMO_PEOPLE:,} demo people afresh…", file=sys.stderr)
        measures.append(cases.demo_fresh(FRESH_DEMO_PEOPLE, args.seed))

    work = working_copy(build, OUT)
    workspace, admin, clerk = cases.open_as(work)
    try:
        if "search" in only:
            print("Searching…", file=sys.stderr)
            measures += cases.search(workspace, clerk, search_repeats, args.seed)
        if "register" in only:
            print("Registering…", file=sys.stderr)
            measures.append(cases.register(workspace, clerk, register_repeats, args.seed))
        if "import" in only:
            print("Importing…", file=sys.stderr)
            with tempfile.TemporaryDirectory(prefix="romah-bench-") as folder:
                sheets = cases.write_import_sheets(workspace, Path(folder), import_runs, args.seed)
                measures += cases.import_sheets(workspace, admin, sheets)
    finally:
        workspace.close()
        shutil.rmtree(work, ignore_errors=True)

    previous = previous_run(RESULTS, people)
    facts = [
        f"Database: {people:,} demo people, {build.rows:,} rows, "
        f"{database_size(build.data_dir) / 1e9:.2f} GB; searches run with a warm cache",
        # Timings on a shared machine stretch with its load; the CPU time of the demo does not.
        f"Load average (1 min) at the start: {load_at_start:.1f}",
    ]
    print()
    print(table(measures, previous))
    print()
    missed = [m.name for m in measures if m.met is False]
    print("All targets met." if not missed else f"Targets missed: {', '.join(missed)}.")
    if args.record:
        record(RESULTS, section(measures, previous, people, facts))
        print(f"Recorded in {RESULTS.relative_to(HERE.parent)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
