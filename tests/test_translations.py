"""Every user-facing string in the source has an Arabic translation in the catalogue."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import polib
import pytest

from romah_desktop.i18n import catalogue
from romah_desktop.resources import resources_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    p for folder in ("romah_desktop", "sync", "ui") for p in (ROOT / folder).rglob("*.py")
)
MARKERS = {"N_", "translate", "_"}
TEMPLATES = sorted((ROOT / "sync" / "server" / "console" / "templates").glob("*.html"))
# `t("...")` in the console's templates (either quote).
_TEMPLATE_CALL = re.compile(r"""\bt\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _msgids() -> dict[str, str]:
    """msgid → the file that uses it, for every marked string literal."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, path.relative_to(ROOT).as_posix())
    for path in TEMPLATES:
        for double, single in _TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(double or single, path.relative_to(ROOT).as_posix())
    return found


MSGIDS = _msgids()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_messages() -> None:
    assert len(MSGIDS) > 100


@pytest.mark.parametrize("msgid", sorted(MSGIDS))
def test_message_has_arabic(msgid: str) -> None:
    msgstr = catalogue("ar").get(msgid)
    assert msgstr, f"no Arabic for {msgid!r} (used in {MSGIDS[msgid]})"
    assert re.search(r"[\u0621-\u064a]", msgstr)
    assert _placeholders(msgstr) == _placeholders(msgid), msgstr


def test_catalogues_are_well_formed_and_have_no_duplicates() -> None:
    seen: dict[str, str] = {}
    for po_file in sorted((resources_dir() / "translations" / "ar").glob("*.po")):
        po = polib.pofile(str(po_file))
        assert po.metadata["Language"] == "ar"
        assert "charset=UTF-8" in po.metadata["Content-Type"]
        for entry in po:
            assert entry.msgid not in seen, (
                f"{entry.msgid!r} in {po_file.name} and {seen[entry.msgid]}"
            )
            seen[entry.msgid] = po_file.name


TS_FILE = resources_dir() / "translations" / "romah_ar.ts"
UI_SOURCES = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))


def _ts_messages(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(context, source) → (translation, type) for every message of a Qt catalogue."""
    import xml.etree.ElementTree as ET

    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(name, message.findtext("source") or "")] = (
                translation.text or "",
                translation.get("type"),
            )
    return found


def test_window_catalogue_is_complete_and_arabic() -> None:
    messages = _ts_messages(TS_FILE)
    assert messages
    for (context, source), (translation, kind) in messages.items():
        assert kind is None, f"{context}: {source!r} is {kind}"
        # Arabic text, or a bare pattern of placeholders and punctuation ("{what}: {message}").
        bare = re.sub(r"\{\w+\}", "", translation)
        assert re.search(r"[\u0600-\u06ff]", bare) or not re.search(r"[A-Za-z]", bare), source
        assert _placeholders(translation) == _placeholders(source), source


def test_window_catalogue_has_every_string_of_the_source(tmp_path: Path) -> None:
    """Every tr() string in ui/ is in romah_ar.ts (run `make translations` after adding some)."""
    import subprocess
    import sys

    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(lupdate), *UI_SOURCES, "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    missing = set(_ts_messages(fresh)) - set(_ts_messages(TS_FILE))
    assert not missing, f"not in the catalogue: {sorted(missing)}"
