"""`python -m bench.load_bench [--record] [--quick]`: a society's day of sync at HQ.

Ten branches of five laptops each sync at once against HQ on PostgreSQL (127.0.0.1:5432,
database `test`, a fresh schema dropped afterwards). In each round every laptop registers new
people, edits some it registered earlier (an update with the base versions HQ gave it, as a
laptop's outbox sends one), pushes, then pulls its branch's feed from its own cursor. Run
twice: one `romah-hq serve` with 4 uvicorn workers, then two `romah-hq serve` processes of 2
workers each over the same database, the laptops spread across them.

Reported: changes applied per second, p50/p95/p99 of push and pull, errors, and the CPU used by
HQ's app servers and by PostgreSQL over the run (from /proc, in seconds of one core per
second of the run). Targets (issue 13): ≥ 2,000 changes/s and push p95 ≤ 250 ms.

The laptops are simulated at the HTTP level (a real SQLite laptop each would make the 2-core
machine measure the laptops, not HQ); what they send is what a laptop's outbox sends.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.report import environment, record, table
from bench.stats import Measure, format_seconds
from bench.sync_bench import app_server, device_changes, postgres_schema

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"

BRANCHES = 10
LAPTOPS_PER_BRANCH = 5
NEW_PER_ROUND = 40
EDITS_PER_ROUND = 10
RATE_TARGET = 2000
PUSH_P95_TARGET_S = 0.250
PULL_PAGE = 2000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load_bench", description=__doc__)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 10")
    return parser.parse_args(argv)


# --- CPU from /proc -------------------------------------------------------------------------


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    # utime, stime, cutime, cstime: fields 14–17 of stat(5), 12–15 after the name.
    return sum(int(value) for value in fields[11:15])


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, rest = (entry / "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        found.append((int(entry.name), int(rest.split()[1]), name))
    return found


def cpu_seconds(roots: list[int]) -> tuple[float, float]:
    """CPU seconds so far of the process trees under `roots` (HQ's app servers and their
    workers), and of every PostgreSQL process."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, parent, _ in processes:
        children.setdefault(parent, []).append(pid)
    tree, stack = set(), list(roots)
    while stack:
        pid = stack.pop()
        tree.add(pid)
        stack.extend(children.get(pid, []))
    hq = sum(_cpu_ticks(pid) for pid in tree)
    postgres = sum(_cpu_ticks(pid) for pid, _, name in processes if name.startswith("postgres"))
    return hq / CLOCK_TICKS, postgres / CLOCK_TICKS


# --- HQ -------------------------------------------------------------------------------------


@dataclass
class Device:
    number: int
    branch_id: str
    device_id: str
    token: str


def enrol_society(url: str) -> list[Device]:
    from db.ids import new_id
    from sync.server.cli import open_hub

    hub = open_hub(url)
    devices = []
    try:
        for b in range(BRANCHES):
            code = f"B{b:02d}"
            branch_id = hub.add_branch(code, f"فرع {b + 1}")
            for n in range(LAPTOPS_PER_BRANCH):
                number = b * LAPTOPS_PER_BRANCH + n
                device_id = new_id()
                token, _ = hub.enrol(
                    hub.new_enrolment_code(code),
                    device_id,
                    f"laptop {number}",
                    f"L{number:03d}",
                    code,
                )
                devices.append(Device(number, branch_id, device_id, token))
    finally:
        hub.engine.dispose()
    return devices


# --- the laptops ----------------------------------------------------------------------------


@dataclass
class Tally:
    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    applied: int = 0
    pulled: int = 0


def edits(
    device: Device, clock: Any, first: int, mine: dict[str, int], rng: random.Random
) -> list[dict[str, Any]]:
    """Updates of `EDITS_PER_ROUND` people this laptop registered, each with the version HQ
    gave the field (and the row) as its base."""
    changes = []
    for n, person in enumerate(rng.sample(sorted(mine), min(EDITS_PER_ROUND, len(mine)))):
        stamp = clock.now()
        version = mine[person]
        changes.append(
            {
                "s": first + n,
                "t": "beneficiary",
                "r": person,
                "o": "u",
                "c": {
                    "household_size": rng.randint(1, 12),
                    "hlc": stamp,
                    "updated_at": datetime.now(UTC).isoformat(),
                },
                "b": {"household_size": version, "*": version},
                "h": stamp,
            }
        )
    return changes


async def laptop(device: Device, address: str, rounds: int, tally: Tally) -> None:
    from db.hlc import HybridClock
    from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, encode

    headers = {
        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
        "Authorization": f"Bearer {device.device_id}.{device.token}",
    }
    clock = HybridClock(device.device_id)
    rng = random.Random(device.number)
    mine: dict[str, int] = {}  # person → the newest version HQ gave
    seq, cursor = 1, 0
    async with httpx.AsyncClient(base_url=address, headers=headers, timeout=120) as http:
        for _ in range(rounds):
            changes = edits(device, clock, seq, mine, rng)
            changes += device_changes(
                device.branch_id, device.number, clock, seq + len(changes), NEW_PER_ROUND
            )
            seq += len(changes)
            body, extra = encode({"changes": changes})
            began = time.perf_counter()
            response = await http.post("/v1/push", content=body, headers=extra)
            tally.push.append(time.perf_counter() - began)
            if response.status_code != 200:
                tally.errors.append(f"push {response.status_code}: {response.text[:200]}")
                continue
            by_seq = {c["s"]: c["r"] for c in changes}
            for result in response.json()["results"]:
                if result.get("q"):
                    tally.errors.append(f"quarantined: {result['q']}")
                elif result.get("g") is not None:
                    tally.applied += 1
                    mine[by_seq[result["s"]]] = result["g"]
            began = time.perf_counter()
            more = True
            while more:
                response = await http.get("/v1/pull", params={"after": cursor, "limit": PULL_PAGE})
                if response.status_code != 200:
                    tally.errors.append(f"pull {response.status_code}: {response.text[:200]}")
                    break
                page = response.json()
                tally.pulled += len(page.get("entries", []))
                cursor, more = page["next"], page["more"]
            tally.pull.append(time.perf_counter() - began)


async def society(devices: list[Device], addresses: list[str], rounds: int, tally: Tally) -> float:
    tasks = [
        laptop(device, addresses[n % len(addresses)], rounds, tally)
        for n, device in enumerate(devices)
    ]
    began = time.perf_counter()
    await asyncio.gather(*tasks)
    return time.perf_counter() - began


# --- the run --------------------------------------------------------------------------------


def one_run(
    folder: Path, servers: int, workers: int, rounds: int
) -> tuple[list[Measure], list[str]]:
    label = f"{servers} × romah-hq ({workers} workers each)"
    with postgres_schema() as url, ExitStack() as stack:
        devices = enrol_society(url)
        data_dir = folder / f"hq-{servers}"
        data_dir.mkdir()
        started = [stack.enter_context(app_server(data_dir, url, workers)) for _ in range(servers)]
        addresses, pids = [a for a, _ in started], [p for _, p in started]
        print(f"{len(devices)} laptops on {label}…", file=sys.stderr)
        tally = Tally()
        hq_before, pg_before = cpu_seconds(pids)
        wall = asyncio.run(society(devices, addresses, rounds, tally))
        hq_after, pg_after = cpu_seconds(pids)
    rate = tally.applied / wall
    measures = [
        Measure(
            f"{label}: push of {NEW_PER_ROUND} new + {EDITS_PER_ROUND} edits",
            tally.push,
            PUSH_P95_TARGET_S,
            "p95",
        ),
        Measure(
            f"{label}: pull of the branch's feed after the push", tally.pull, note="information"
        ),
    ]
    met = "met" if rate >= RATE_TARGET and not tally.errors else "**missed**"
    facts = [
        f"{label}: {tally.applied:,} changes applied in {format_seconds(wall)} = {rate:,.0f} "
        f"changes/s (target ≥ {RATE_TARGET:,}) — {met}; {tally.pulled:,} feed entries pulled; "
        f"{len(tally.errors)} errors" + (f" (first: {tally.errors[0]})" if tally.errors else ""),
        f"{label}: CPU over the run — app servers {(hq_after - hq_before) / wall:.2f} cores, "
        f"PostgreSQL {(pg_after - pg_before) / wall:.2f} cores; push p50/p95/p99 "
        f"{_percentiles(tally.push)}, pull p50/p95/p99 {_percentiles(tally.pull)}",
    ]
    return measures, facts


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(q: float) -> str:
        return format_seconds(ordered[min(len(ordered) - 1, int(q * len(ordered)))])

    return f"{at(0.50)} / {at(0.95)} / {at(0.99)}"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    rounds = 3 if args.quick else 10
    load_at_start = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="romah-load-bench-"))
    measures: list[Measure] = []
    facts: list[str] = []
    try:
        for servers, workers in ((1, 4), (2, 2)):
            more_measures, more_facts = one_run(folder, servers, workers, rounds)
            measures += more_measures
            facts += more_facts
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    facts.append(
        f"{BRANCHES} branches × {LAPTOPS_PER_BRANCH} laptops, {rounds} rounds; "
        f"load average (1 min) at the start: {load_at_start:.1f}"
    )
    print()
    print(table(measures, None))
    print()
    for fact in facts:
        print(f"- {fact}")
    if args.record:
        env = environment()
        date_text = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        record(
            RESULTS,
            "\n".join(
                [
                    f"## {date_text} — a society's sync at once (`python -m bench.load_bench"
                    + (" --quick" if args.quick else "")
                    + "`)",
                    "",
                    f"- Machine: {env['machine']}, {env['cpu']}, {env['cores']} cores (HQ, "
                    "PostgreSQL and the simulated laptops all on it)",
                    *(f"- {fact}" for fact in facts),
                    "",
                    table(measures, None),
                    "",
                ]
            ),
        )
        print(f"Recorded in {RESULTS.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
