"""The results as a markdown table, and the dated sections of RESULTS.md.

Each recorded section ends with its medians as a JSON comment, so the next run can compare
itself with the previous run of the same size without parsing the table.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.stats import Measure, format_seconds

_MARK = "<!-- bench: "
_MARK_RE = re.compile(r"<!-- bench: (\{.*?\}) -->")
_HEADER = "# Benchmark results\n\nAppended by `python -m bench --record`; newest last.\n"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment() -> dict[str, Any]:
    return {
        "machine": platform.machine(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def previous_run(results: Path, people: int) -> dict[str, Any] | None:
    """The last recorded run with the same number of people, if any."""
    if not results.exists():
        return None
    found = None
    for match in _MARK_RE.finditer(results.read_text(encoding="utf-8")):
        data = json.loads(match.group(1))
        if data.get("people") == people:
            found = data
    return found


def _change(now: float, before: float | None) -> str:
    if before is None or before <= 0:
        return "–"
    return f"{(now - before) / before * 100:+.0f} %"


def table(measures: list[Measure], previous: dict[str, Any] | None) -> str:
    """The markdown table: each measure's median and p95 against its target and the
    previous run's median."""
    before: dict[str, float] = (previous or {}).get("medians", {})
    lines = [
        "| measure | n | median | p95 | target | met | previous median | change |",
        "|---|---:|---:|---:|---|:-:|---:|---:|",
    ]
    for m in measures:
        target = "–" if m.target_s is None else f"{m.target_on} ≤ {format_seconds(m.target_s)}"
        met = {None: "–", True: "yes", False: "**no**"}[m.met]
        old = before.get(m.name)
        name = f"{m.name} ({m.note})" if m.note else m.name
        lines.append(
            f"| {name} | {len(m.samples)} | {format_seconds(m.median)} | "
            f"{format_seconds(m.p95)} | {target} | {met} | "
            f"{'–' if old is None else format_seconds(old)} | {_change(m.median, old)} |"
        )
    return "\n".join(lines)


def section(
    measures: list[Measure],
    previous: dict[str, Any] | None,
    people: int,
    facts: list[str],
) -> str:
    """A dated section of RESULTS.md for this run."""
    env = environment()
    now = datetime.now(UTC)
    compared = (
        f"Compared with the run of {previous['date']}."
        if previous
        else "No earlier run of this size to compare with."
    )
    data = {
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "people": people,
        "medians": {m.name: round(m.median, 6) for m in measures},
    }
    body = [
        f"## {data['date']} — {people:,} people",
        "",
        f"- Machine: {env['machine']}, {env['cpu']}, {env['cores']} cores",
        f"- Python {env['python']}, SQLite {env['sqlite']}",
        *(f"- {fact}" for fact in facts),
        f"- {compared}",
        "",
        table(measures, previous),
        "",
        f"{_MARK}{json.dumps(data, ensure_ascii=False)} -->",
        "",
    ]
    return "\n".join(body)


def record(results: Path, text: str) -> None:
    """Append a section to RESULTS.md (created with its heading the first time)."""
    existing = results.read_text(encoding="utf-8") if results.exists() else _HEADER
    results.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")
