"""The benchmark database: made once with `romah init` and the demo generator, then cached.

A cached build is reused while the demo generator and the migrations are unchanged (their
fingerprint is stored beside it); each run works on a copy, so the writes a benchmark makes
never leak into the next run. The database is encrypted, as every laptop's is: a copy takes the
key ring (`keyring.json`) with it, and is opened with the administrator's password.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import db.migrations
import romah_desktop.demo.generator as demo_module
import romah_desktop.demo.vocabulary as demo_data_module
from romah_desktop import paths
from romah_desktop.demo.generator import generate
from romah_desktop.keyring import KEYRING_FILE
from romah_desktop.workspace import Workspace

PASSWORD = "bench-admin-password"
BRANCH = "RYD"
META_FILE = "build.json"


@dataclass
class Build:
    """A built database and how it was made."""

    data_dir: Path
    people: int
    seed: int
    wall_s: float
    cpu_s: float
    counts: dict[str, int]
    built_at: str
    fingerprint: str
    reused: bool = False

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def fingerprint() -> str:
    """Changes whenever the generator or the schema does, so a stale build is not reused."""
    digest = hashlib.sha256(Path(demo_module.__file__).read_bytes())
    digest.update(Path(demo_data_module.__file__).read_bytes())
    versions = Path(db.migrations.__file__).parent / "versions"
    for migration in sorted(versions.glob("*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def romah_init(data_dir: Path) -> None:
    """`romah init` in a child process, as an administrator would set up a laptop."""
    command = [sys.executable, "-m", "romah_desktop", "--data-dir", str(data_dir), "--lang", "en"]
    command += ["init", "--branch", BRANCH, "--branch-name", "فرع الرياض", "--admin", "admin"]
    env = {**os.environ, "ROMAH_ADMIN_PASSWORD": PASSWORD}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"romah init failed: {done.stderr.strip() or done.stdout.strip()}")


def make_demo(data_dir: Path, people: int, seed: int, *, show_progress: bool) -> Build:
    """Initialise `data_dir` and fill it with `people` demo people, timing the generation
    (its commit included)."""
    romah_init(data_dir)
    workspace, admin = Workspace.unlock(data_dir, "admin", PASSWORD)
    try:
        step = max(people // 10, 1)

        def progress(done: int, total: int) -> None:
            if show_progress and (done % step < demo_module.CHUNK or done == total):
                print(f"  demo: {done:,}/{total:,}", file=sys.stderr, flush=True)

        start, cpu = time.perf_counter(), time.process_time()
        with workspace.transaction() as session:
            counts = generate(session, admin, people, seed=seed, progress=progress)
        wall_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    finally:
        workspace.close()
    return Build(
        data_dir=data_dir,
        people=people,
        seed=seed,
        wall_s=wall_s,
        cpu_s=cpu_s,
        counts=counts,
        built_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        fingerprint=fingerprint(),
    )


def cached_database(out_dir: Path, people: int, seed: int, *, rebuild: bool) -> Build:
    """The cached database of `people` demo people, built first if missing or stale."""
    target = out_dir / f"db-{people}-seed{seed}"
    meta_path = target / META_FILE
    if not rebuild and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("fingerprint") == fingerprint():
            meta["data_dir"] = target
            return Build(**meta, reused=True)
    print(f"Building the benchmark database: {people:,} people…", file=sys.stderr, flush=True)
    scratch = target.with_name(target.name + ".building")
    shutil.rmtree(scratch, ignore_errors=True)
    build = make_demo(scratch, people, seed, show_progress=True)
    meta = asdict(build)
    del meta["data_dir"], meta["reused"]
    (scratch / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    # Only a complete build takes the cache's name.
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    build.data_dir = target
    return build


def working_copy(build: Build, out_dir: Path) -> Path:
    """A fresh copy of the build's data folder for one run to write in."""
    work = out_dir / "work"
    copy_data(build.data_dir, work)
    return work


def copy_data(source: Path, target: Path) -> None:
    """Copy a data folder's database and its key ring (without which it cannot be opened) into
    `target`, made afresh (private, as the app makes its own)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, mode=0o700)
    for name in (paths.DATABASE_FILE, f"{paths.DATABASE_FILE}-wal", KEYRING_FILE):
        if (source / name).exists():
            shutil.copyfile(source / name, target / name)
            (target / name).chmod(0o600)


def database_size(data_dir: Path) -> int:
    return sum(f.stat().st_size for f in data_dir.glob(paths.DATABASE_FILE + "*"))
