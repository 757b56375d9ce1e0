"""`python -m bench.outbox_size [--people N]`: the laptop's database size per 1,000 people
before and after a sync that prunes the outbox (issue 12, problem 9).

A new (encrypted, incremental auto-vacuum) laptop of branch RYD registers N people with a
mobile each (bulk ORM inserts, so the outbox holds one insert per row as if typed) and pushes
them to HQ (its application in this process, on SQLite). Then HQ records a verified backup
(`romah-hq backup-verified`) and the laptop syncs again: the pushed entries go and the freed
pages are handed back, a bounded number per sync. Sizes are of the database file after a WAL
checkpoint.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.sync_bench import BRANCH, Laptop, add_people, enrol_laptop, prepare_hq


def _size(laptop: Laptop) -> tuple[int, int, int]:
    """(file bytes, outbox entries, free pages) after folding the WAL into the file."""
    with laptop.workspace.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").all()
        entries = connection.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one()
        free = connection.exec_driver_sql("PRAGMA freelist_count").scalar_one()
    return laptop.workspace.database_path.stat().st_size, entries, free


def _per_thousand(size: int, people: int) -> str:
    return f"{size / people * 1000 / 1024 / 1024:.2f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_size", description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args(argv)
    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from sync.server.cli import open_hub

    folder = Path(tempfile.mkdtemp(prefix="romah-outbox-"))
    try:
        hq_dir = folder / "hq"
        hq_dir.mkdir()
        url = f"sqlite+pysqlite:///{hq_dir / 'hq.sqlite3'}"
        codes = prepare_hq(url, 1)
        hub = open_hub(url)
        address = "http://hq.bench"
        with TestClient(create_app(hub, hq_dir / "blobs"), base_url=address) as http:
            laptop = enrol_laptop(folder / "laptop", address, codes[BRANCH][0], http)
            print(f"Registering {args.people:,} people and pushing them…", file=sys.stderr)
            add_people(laptop, args.people, seed=7)
            laptop.client.sync()
            before = _size(laptop)
            time.sleep(1.5)  # HQ's checkpoint travels in whole seconds
            hub.backup_verified()
            started = time.perf_counter()
            laptop.client.sync()
            pruning = time.perf_counter() - started
            after = _size(laptop)
            syncs, slowest = 1, pruning
            while _size(laptop)[2] and syncs < 1000:
                started = time.perf_counter()
                laptop.client.sync()
                slowest = max(slowest, time.perf_counter() - started)
                syncs += 1
            reclaimed = _size(laptop)
            laptop.close()
        hub.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    people = args.people
    print(f"| {people:,} people | file | per 1,000 people | outbox entries | free pages |")
    print("|---|---|---|---|---|")
    for label, (size, entries, free) in (
        ("after pushing (today: kept for ever)", before),
        (f"after the pruning sync ({pruning:.2f} s)", after),
        (f"after {syncs} syncs in all (slowest {slowest:.2f} s)", reclaimed),
    ):
        print(
            f"| {label} | {size / 1024 / 1024:.1f} MB | {_per_thousand(size, people)} "
            f"| {entries:,} | {free:,} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
