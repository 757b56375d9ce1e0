"""The layer contract and the shape of the source tree, checked on every test run.

`lint-imports` checks the contracts declared in pyproject.toml ([tool.importlinter]): ui and
sync stand on the core, the core on db, only the face (romah_desktop.cli) joins them, and Qt
stays in the window. The tests below add what import-linter does not say directly: no import
cycle between two modules, and no source module too long to read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("romah_desktop", "db", "sync", "ui")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LONGEST_MODULE = 900


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layer_contracts_hold() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("module", "wrong_import"),
    [
        ("romah_desktop/search.py", "import sync.client"),
        ("romah_desktop/validation.py", "import ui.qt"),
        ("db/engine.py", "import romah_desktop.arabic"),
        ("sync/protocol.py", "import PySide6.QtWidgets"),
        ("ui/pages/today.py", "from PySide6 import QtWidgets"),
    ],
)
def test_a_wrong_import_breaks_the_contract(tmp_path: Path, module: str, wrong_import: str) -> None:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{wrong_import}\n", "utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout


def import_cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's
    strongly connected components over the import graph, TYPE_CHECKING imports aside)."""
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    edges = {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            # A module importing its own package (its __init__) is not a cycle of modules.
            if imported in graph.modules and not module.startswith(imported + ".")
        }
        for module in graph.modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(edges)))
    for module in sorted(edges):
        if module not in index:
            visit(module)
    return cycles


def test_no_two_modules_import_each_other() -> None:
    assert import_cycles() == []


def test_no_source_module_is_too_long_to_read() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }
    assert long == {}
