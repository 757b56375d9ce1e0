"""`romah report KIND`: the reports of the Reports page, written to an Excel or PDF file.

The period is two days (Gregorian YYYY-MM-DD or Hijri YYYY/MM/DD هـ), or a whole Hijri month
or year: ``romah report compliance --hijri-month 1446/09 --out ramadan.xlsx``.
Registered on the `romah` group in `romah_desktop.cli`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from romah_desktop.arabic import normalize_digits
from romah_desktop.cli.app import Options, emit, json_option
from romah_desktop.errors import NotFound, ValidationError
from romah_desktop.grammar import ROW, count_phrase
from romah_desktop.i18n import N_, translate
from romah_desktop.services.reports.export import ReportKind, export_report, report_title
from romah_desktop.services.reports.periods import (
    MonthCalendar,
    Period,
    hijri_month,
    hijri_year_period,
    parse_period,
)
from romah_desktop.services.reports.scope import report_branches, report_scope
from romah_desktop.services.reports.writing import check_suffix

_HIJRI_MONTH = re.compile(r"(\d{4})[/-](\d{1,2})")


def _period(first: str | None, last: str | None, month: str | None, year: int | None) -> Period:
    """The period the options name. Raises ValidationError."""
    chosen = sum(x is not None for x in (month, year)) + (first is not None or last is not None)
    if chosen > 1:
        raise ValidationError(
            "period",
            N_("Give the period once: --from and --to, or --hijri-month, or --hijri-year."),
        )
    if month is not None:
        match = _HIJRI_MONTH.fullmatch(normalize_digits(month.strip()))
        if match is None:
            raise ValidationError(
                "hijri_month",
                N_("Write the Hijri month as YEAR/MONTH, for example 1446/09 (got {typed})."),
                typed=month,
            )
        return hijri_month(int(match.group(1)), int(match.group(2))).period
    if year is not None:
        return hijri_year_period(year)
    return parse_period(first, last)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        click.echo(
            f"\r{translate('Writing the report')}: {done}/{total}", err=True, nl=done >= total
        )


@click.command("report")
@click.argument("kind", type=click.Choice([k.value for k in ReportKind]))
@click.option("--from", "first", help="First day: YYYY-MM-DD or Hijri YYYY/MM/DD هـ.")
@click.option("--to", "last", help="Last day (included): YYYY-MM-DD or Hijri YYYY/MM/DD هـ.")
@click.option("--hijri-month", "month", help="A whole Hijri month instead, e.g. 1446/09.")
@click.option("--hijri-year", "year", type=int, help="A whole Hijri year instead, e.g. 1446.")
@click.option("--branch", "branch_code", help="One branch's code (for those who see all).")
@click.option(
    "--months",
    type=click.Choice([c.value for c in MonthCalendar]),
    default=MonthCalendar.HIJRI.value,
    show_default=True,
    help="The calendar whose months the trends are counted in.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .xlsx or .pdf.",
)
@json_option
@click.pass_obj
def report_command(
    options: Options,
    kind: str,
    first: str | None,
    last: str | None,
    month: str | None,
    year: int | None,
    branch_code: str | None,
    months: str,
    out: Path,
) -> None:
    """Write a report to an Excel (.xlsx) or PDF file.

    KIND: dashboard (every report), requests, decision-time, compliance, services,
    satisfaction, complaints, or request-list (one row per request received in the period).
    """
    # Mistakes in the options are told before the password is asked for.
    check_suffix(out)
    period = _period(first, last, month, year)
    actor = options.actor()
    with options.open().transaction() as session:
        branch_id = None
        if branch_code is not None:
            wanted = branch_code.strip().upper()
            matches = [b.id for b in report_branches(session, actor) if b.code == wanted]
            if not matches:
                raise NotFound(N_("No branch you may report on has the code {code}."), code=wanted)
            branch_id = matches[0]
        scope = report_scope(
            session, actor, period, branch_id=branch_id, calendar=MonthCalendar(months)
        )
        result = export_report(
            session, actor, ReportKind(kind), scope, out, lang=options.lang, progress=_progress
        )
    title = report_title(ReportKind(kind), options.lang)
    emit(
        options,
        {
            "file": str(result.path),
            "kind": kind,
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "tables": result.tables,
            "rows": result.rows,
        },
        translate(
            "Wrote “{title}” ({first} – {last}) to {name}: {rows}.",
            title=title,
            first=period.first.isoformat(),
            last=period.last.isoformat(),
            name=str(result.path),
            rows=count_phrase(result.rows, ROW),
        ),
    )
