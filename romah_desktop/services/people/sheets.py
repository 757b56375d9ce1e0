"""Reading and writing the beneficiary sheet (.csv or .xlsx) with English or Arabic headers."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zipfile import BadZipFile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from romah_desktop.arabic import normalize_arabic
from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_


@dataclass(frozen=True)
class Column:
    key: str
    arabic: str


COLUMNS = (
    Column("national_id", "رقم الهوية"),
    Column("first_name", "الاسم الأول"),
    Column("father_name", "اسم الأب"),
    Column("grandfather_name", "اسم الجد"),
    Column("family_name", "اسم العائلة"),
    Column("gender", "الجنس"),
    Column("birth_date", "تاريخ الميلاد"),
    Column("phone", "الجوال"),
    Column("city", "المدينة"),
    Column("iban", "الآيبان"),
    Column("household_size", "عدد أفراد الأسرة"),
    Column("monthly_income", "الدخل الشهري"),
)
_BY_HEADER = {
    **{normalize_arabic(c.key): c.key for c in COLUMNS},
    **{normalize_arabic(c.arabic): c.key for c in COLUMNS},
}
SUFFIXES = (".csv", ".xlsx")


def headers(lang: str) -> list[str]:
    return [c.arabic if lang == "ar" else c.key for c in COLUMNS]


def _check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RomahError(
            N_("Only .csv and .xlsx files are supported (got {name})."), name=path.name
        )
    return suffix


def _cell_text(value: object) -> str:
    """A cell as the text a person would have typed (Excel turns IDs into numbers and dates
    into datetimes; undo that)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(path: Path) -> Iterator[list[str]]:
    if _check_suffix(path) == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
            except csv.Error:
                dialect = csv.excel
            yield from csv.reader(handle, dialect)
        return
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        workbook.close()


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The sheet's rows as {column key: text}, row 1 being the first after the header.

    Raises RomahError for a missing or unreadable file, an unknown or repeated header, or a
    sheet without the national ID column.
    """
    try:
        rows = _rows(path)
        header = next(rows, None)
        if header is None:
            raise RomahError(N_("The file {name} is empty."), name=path.name)
        keys: list[str | None] = []
        for title in header:
            text = title.strip()
            key = _BY_HEADER.get(normalize_arabic(text)) if text else None
            if text and key is None:
                raise RomahError(
                    N_("Unknown column \u201c{column}\u201d. The columns are: {expected}."),
                    column=text,
                    expected=", ".join(c.key for c in COLUMNS),
                )
            if key is not None and key in keys:
                raise RomahError(N_("The column \u201c{column}\u201d appears twice."), column=text)
            keys.append(key)
        if "national_id" not in keys:
            raise RomahError(N_("The sheet has no national ID column (national_id or رقم الهوية)."))
        result = []
        for row in rows:
            record = {k: (row[i] if i < len(row) else "") for i, k in enumerate(keys) if k}
            result.append(record)
        return result
    except FileNotFoundError as exc:
        raise RomahError(N_("The file {name} was not found."), name=str(path)) from exc
    except (
        UnicodeDecodeError,
        csv.Error,
        OSError,
        KeyError,
        ValueError,
        BadZipFile,
        InvalidFileException,
    ) as exc:
        raise RomahError(
            N_("The file {name} could not be read as a UTF-8 CSV or an Excel workbook."),
            name=path.name,
        ) from exc


def write_sheet(path: Path, rows: Sequence[Sequence[str]], lang: str) -> None:
    """Write the header (in `lang`) and `rows` as .csv (UTF-8 with BOM, for Excel) or .xlsx."""
    suffix = _check_suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers(lang))
            writer.writerows(rows)
        return
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    if lang == "ar":
        sheet.sheet_view.rightToLeft = True
    sheet.append(headers(lang))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
