"""The `romah` command line, driven as an administrator would from a terminal."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from db.engine import connect_encrypted
from romah_desktop.cli import main
from romah_desktop.validation import make_iban, make_national_id
from romah_desktop.workspace import Workspace

PASSWORD = "admin-pass-1"
HEADER_EN = [
    "national_id",
    "first_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "gender",
    "birth_date",
    "phone",
    "city",
    "iban",
    "household_size",
    "monthly_income",
]
HEADER_AR = [
    "رقم الهوية",
    "الاسم الأول",
    "اسم الأب",
    "اسم الجد",
    "اسم العائلة",
    "الجنس",
    "تاريخ الميلاد",
    "الجوال",
    "المدينة",
    "الآيبان",
    "عدد أفراد الأسرة",
    "الدخل الشهري",
]


def good_row(n: int, **changes: str) -> list[str]:
    row = {
        "national_id": make_national_id(f"1{n:08d}"),
        "first_name": "فاطمة",
        "father_name": "سعد",
        "grandfather_name": "ناصر",
        "family_name": "العتيبي",
        "gender": "أنثى",
        "birth_date": f"19{50 + n % 40}-03-{1 + n % 27:02d}",
        "phone": f"05{n:08d}",
        "city": "الرياض",
        "iban": make_iban(f"{n:020d}"),
        "household_size": "4",
        "monthly_income": "1500.50",
    }
    row.update(changes)
    return list(row.values())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def romah(data_dir: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, user: str | None = "admin", password: str = PASSWORD) -> Result:
        base = ["--data-dir", str(data_dir)]
        if user:
            base += ["--user", user]
        env = {"ROMAH_PASSWORD": password, "ROMAH_ADMIN_PASSWORD": PASSWORD}
        return runner.invoke(main, [*base, *args], env=env, catch_exceptions=False)

    result = run(
        "init", "--branch", "ryd", "--branch-name", "فرع الرياض", "--admin", "admin", user=None
    )
    assert result.exit_code == 0, result.output
    return run


@contextlib.contextmanager
def insider(data_dir: Path) -> Iterator[Any]:
    """The database file opened behind the application's back by someone who has its key."""
    workspace, _admin = Workspace.unlock(data_dir, "admin", PASSWORD)
    connection = connect_encrypted(data_dir / "romah.db", workspace.database_key)
    try:
        yield connection
        connection.commit()
    finally:
        connection.close()
        workspace.close()


def write_csv(path: Path, header: list[str], rows: list[list[str]], bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_init_runs_the_migrations_and_refuses_a_second_time(romah, data_dir: Path) -> None:
    with insider(data_dir) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() is not None
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT code FROM branch").fetchone()[0] == "RYD"
    with pytest.raises(sqlite3.DatabaseError):  # encrypted
        sqlite3.connect(data_dir / "romah.db").execute("SELECT 1 FROM branch").fetchone()
    again = romah("init", "--branch", "RYD", "--branch-name", "x", "--admin", "admin", user=None)
    assert again.exit_code == 1
    assert "موجودة مسبقًا" in again.stderr or "توجد قاعدة بيانات" in again.stderr
    assert "Traceback" not in again.output


def test_import_csv_with_bad_rows(romah, tmp_path: Path) -> None:
    sheet = write_csv(
        tmp_path / "people.csv",
        HEADER_EN,
        [
            good_row(1),
            good_row(2, national_id="1234567890", phone="12345", birth_date="2999-01-01"),
            good_row(3),
            good_row(4, first_name="", household_size="-1", monthly_income="10.555"),
            good_row(1, first_name="نورة"),  # the same ID as row 1
            good_row(5, national_id="١" + make_national_id("100000005")[1:]),  # Arabic-Indic digit
        ],
    )
    result = romah("--json", "import", str(sheet))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["imported"] == 3
    assert report["updated"] == 0 and report["unchanged"] == 0
    rejected = {(r["row"], r["field"]) for r in report["rejected"]}
    assert {(2, "national_id"), (2, "phone"), (2, "birth_date")} <= rejected
    assert {(4, "first_name"), (4, "household_size"), (4, "monthly_income")} <= rejected
    assert all(r["message"] for r in report["rejected"])
    assert [d["row"] for d in report["duplicates"]] == [5]


def test_import_updates_only_what_changed(romah, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", HEADER_EN, [good_row(1), good_row(2)])
    assert json.loads(romah("--json", "import", str(first)).stdout)["imported"] == 2
    second = write_csv(
        tmp_path / "b.csv", HEADER_EN, [good_row(1), good_row(2, city="جدة", phone="")]
    )
    report = json.loads(romah("import", str(second), "--json").stdout)
    assert (report["imported"], report["updated"], report["unchanged"]) == (0, 1, 1)
    hits = json.loads(romah("--json", "search", make_national_id("100000002")).stdout)
    assert len(hits) == 1


def test_import_xlsx_with_arabic_headers_and_excel_numbers(romah, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER_AR)
    row = good_row(7)
    # Excel turns IDs and phones into numbers (dropping the leading 0) and dates into datetimes.
    sheet.append([int(row[0]), *row[1:6], "1/3/1990", int(row[7]), *row[8:10], 4, 1500])
    sheet.append(good_row(8, birth_date="1411/08/15 هـ"))
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    report = json.loads(romah("--json", "import", str(path)).stdout)
    assert report["imported"] == 1, report
    assert report["rejected"][0]["row"] == 1 and report["rejected"][0]["field"] == "birth_date"


def test_export_then_import_changes_nothing(romah, tmp_path: Path) -> None:
    write_csv(tmp_path / "a.csv", HEADER_EN, [good_row(n) for n in range(1, 6)])
    romah("import", str(tmp_path / "a.csv"))
    for name in ("out.csv", "out.xlsx"):
        exported = romah("--json", "export", str(tmp_path / name))
        assert json.loads(exported.stdout)["rows"] == 5
        report = json.loads(romah("--json", "import", str(tmp_path / name)).stdout)
        assert (report["imported"], report["updated"], report["unchanged"]) == (0, 0, 5), report
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle)) == HEADER_AR  # Arabic is the default language


def test_export_template(romah, tmp_path: Path) -> None:
    result = romah("--lang", "en", "export", "--template", str(tmp_path / "t.xlsx"), user=None)
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER_EN and len(rows) == 1


def test_search_best_match_first(romah, tmp_path: Path) -> None:
    rows = [
        good_row(1, first_name="عبدالله", family_name="الشمري"),
        good_row(2, first_name="سعد", father_name="عبد الله", family_name="القحطاني"),
        good_row(3, first_name="أحمد", family_name="القحطاني"),
    ]
    romah("import", str(write_csv(tmp_path / "a.csv", HEADER_EN, rows)))
    hits = json.loads(romah("--json", "search", "عبد", "الله").stdout)
    assert {h["full_name"].split()[0] for h in hits} == {"عبدالله", "سعد"}
    assert set(hits[0]) == {"national_id", "full_name", "file_number"}
    assert [h["full_name"] for h in json.loads(romah("--json", "search", "احمد").stdout)] == [
        "أحمد سعد ناصر القحطاني"
    ]
    by_phone = json.loads(romah("--json", "search", "٠٥٠٠٠٠٠٠٠٣").stdout)
    assert [h["national_id"] for h in by_phone] == [make_national_id("100000003")]
    assert romah("search", "زززز").stdout.strip() == "لا يوجد مستفيد مطابق."


def test_user_add_needs_a_new_password_and_an_admin(romah, data_dir: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(data_dir)]
    env = {"ROMAH_PASSWORD": PASSWORD, "ROMAH_NEW_PASSWORD": "sara-pass-1"}
    made = runner.invoke(
        main, [*base, "--user", "admin", "user", "add", "sara", "--role", "interviewer"], env=env
    )
    assert made.exit_code == 0, made.output
    env = {"ROMAH_PASSWORD": "sara-pass-1", "ROMAH_NEW_PASSWORD": "other-pass-1"}
    denied = runner.invoke(
        main, [*base, "--user", "sara", "user", "add", "omar", "--role", "interviewer"], env=env
    )
    assert denied.exit_code == 1
    assert "لا يسمح" in denied.stderr and "إدارة المستخدمين" in denied.stderr
    english = runner.invoke(
        main, [*base, "--lang", "en", "--user", "sara", "import", "x.csv"], env=env
    )
    assert english.exit_code == 1
    assert "does not allow this action (import data)" in english.stderr


def test_user_mistakes_are_one_sentence_without_traceback(romah, tmp_path: Path) -> None:
    cases = [
        romah("import", str(tmp_path / "missing.csv")),
        romah("import", str(write_csv(tmp_path / "x.csv", ["name", "age"], [["a", "1"]]))),
        romah("import", str(tmp_path / "people.pdf")),
        romah("search", "x", password="wrong-password"),
        romah("search", "x", user=None),
    ]
    for result in cases:
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_wrong_passwords_lock_the_account(romah) -> None:
    for _ in range(5):
        assert romah("search", "x", password="wrong-password").exit_code == 1
    locked = romah("--lang", "en", "search", "x")
    assert locked.exit_code == 1 and "locked" in locked.stderr


def test_backup_and_restore(romah, tmp_path: Path) -> None:
    romah("import", str(write_csv(tmp_path / "a.csv", HEADER_EN, [good_row(1)])))
    assert romah("backup", str(tmp_path / "b.db")).exit_code == 0
    romah("import", str(write_csv(tmp_path / "b.csv", HEADER_EN, [good_row(2)])))
    assert len(json.loads(romah("--json", "search", "فاطمة").stdout)) == 2
    restored = romah("restore", str(tmp_path / "b.db"))
    assert restored.exit_code == 0, restored.output
    assert len(json.loads(romah("--json", "search", "فاطمة").stdout)) == 1
    assert romah("backup", str(tmp_path / "b.db")).exit_code == 1  # never overwrites
    foreign = tmp_path / "foreign"
    other = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(foreign),
            "init",
            "--branch",
            "JED",
            "--branch-name",
            "جدة",
            "--admin",
            "admin",
        ],
        env={"ROMAH_ADMIN_PASSWORD": PASSWORD},
    )
    assert other.exit_code == 0
    foreign_backup = CliRunner().invoke(
        main,
        ["--data-dir", str(foreign), "--user", "admin", "backup", str(tmp_path / "f.romah")],
        env={"ROMAH_PASSWORD": PASSWORD},
    )
    assert foreign_backup.exit_code == 0, foreign_backup.output
    refused = romah("restore", str(tmp_path / "f.romah"))
    assert refused.exit_code == 1 and "جهاز آخر" in refused.stderr
    # The database file itself is no backup.
    not_backup = romah("restore", str(foreign / "romah.db"))
    assert not_backup.exit_code == 1 and "ليس نسخة احتياطية" in not_backup.stderr
    assert romah("audit", "verify").exit_code == 0


def test_audit_verify_detects_tampering(romah, data_dir: Path, tmp_path: Path) -> None:
    romah("import", str(write_csv(tmp_path / "a.csv", HEADER_EN, [good_row(1), good_row(2)])))
    ok = json.loads(romah("--json", "audit", "verify").stdout)
    assert ok["ok"] and ok["events"] >= 3
    with insider(data_dir) as db:
        db.execute("DROP TRIGGER audit_event_no_update")
        db.execute("UPDATE audit_event SET action = 'nothing' WHERE device_seq = 2")
    broken = romah("--json", "audit", "verify")
    assert broken.exit_code == 1
    assert json.loads(broken.stdout)["problems"][0]["device_seq"] == 2


def test_no_display_says_so_and_offers_the_command_line(tmp_path: Path) -> None:
    screenless = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    done = subprocess.run(
        [sys.executable, "-m", "romah_desktop", "--data-dir", str(tmp_path), "--lang", "en"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
        env=screenless,
    )
    assert done.returncode == 0, done.stderr
    assert "No display is available" in done.stderr
    assert "Usage: romah" in done.stdout and "import" in done.stdout


def test_hostile_cells_are_rejected_and_nothing_partial_is_written(romah, tmp_path: Path) -> None:
    rows = [
        good_row(1, first_name="x" * 10_000),
        good_row(2, family_name="'; DROP TABLE beneficiary;--"),
        good_row(3, city="الرياض\x00\x1b[31m"),
        good_row(4, national_id="10000000٠٨x"),
        good_row(5),
    ]
    report = json.loads(
        romah("--json", "import", str(write_csv(tmp_path / "h.csv", HEADER_EN, rows))).stdout
    )
    assert report["imported"] == 1
    assert {r["row"] for r in report["rejected"]} == {1, 2, 3, 4}
    assert {r["field"] for r in report["rejected"] if r["row"] == 1} == {"first_name"}
    hits = json.loads(romah("--json", "search", make_national_id("100000005")).stdout)
    assert len(hits) == 1  # the table is still there, with only the good row


def test_interactive_help_runs_commands(
    romah, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("romah_desktop.cli.app.stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(data_dir), "--lang", "en", "--user", "admin"],
        input="help\nsearch nobody\nhelp import\nquit\n",
        env={"ROMAH_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert "Type a command" in result.stdout
    assert "No one matches." in result.stdout
    assert "Import beneficiaries from a .csv or .xlsx sheet" in result.stdout
