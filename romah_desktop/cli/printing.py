"""`romah print KIND` and `romah verify CODE`: printed forms from the command line.

    romah --user noura print receipt --id RYD-7F3A-2026-00045 --out receipt.pdf
    romah --user noura print blank-request --out blank.pdf
    romah --user noura print receipts --date 2026-11-26 --out receipts.pdf
    romah --user noura verify 7K2M-9QXD-4TBH-A3F5 --json

Registered on the `romah` group in `romah_desktop.cli`.
"""

from __future__ import annotations

from pathlib import Path

import click

from romah_desktop.cli.app import EXIT_USER_ERROR, Options, emit, fail, json_option, progress
from romah_desktop.dates import parse_date
from romah_desktop.i18n import translate
from romah_desktop.printing import (
    FormKind,
    batch_items,
    find_record_id,
    form_title,
    render_batch,
    render_form,
    save_pdf,
    verdict_lines,
    verify_code,
)
from romah_desktop.printing.kinds import RECORD_KINDS

# A day's batch is named in the plural: `romah print receipts --date …`.
BATCHES = {"receipts": FormKind.RECEIPT, "decisions": FormKind.DECISION}
KINDS = [kind.value for kind in FormKind] + list(BATCHES)


@click.command("print")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--id",
    "record",
    help="The record to print: its id, or for request, receipt and decision the request number.",
)
@click.option(
    "--date",
    "day",
    help="The day of a batch (receipts, decisions): YYYY-MM-DD or a Hijri date YYYY/MM/DD هـ.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The PDF file to write.",
)
@json_option
@click.pass_obj
def print_command(
    options: Options, kind: str, record: str | None, day: str | None, out: Path
) -> None:
    """Print a form to a PDF file: request, declaration, receipt, interview, decision,
    delivery, blank-request, blank-declaration; or a day's receipts or decisions."""
    if kind in BATCHES:
        if not day:
            fail(translate("Give the day to print with --date, for example --date 2026-11-26."))
        batch_day = parse_date(day, "date")
        actor = options.actor()
        with options.open().transaction() as session:
            form = BATCHES[kind]
            count = len(batch_items(session, actor, form, batch_day))
            data = render_batch(session, actor, form, batch_day, progress=progress("print"))
            save_pdf(data, out)
        emit(
            options,
            {"file": str(out), "kind": kind, "date": batch_day.isoformat(), "forms": count},
            translate(
                "Saved {count} forms ({title}) in {name}.",
                count=count,
                title=form_title(form),
                name=str(out),
            ),
        )
        return
    form = FormKind(kind)
    if form in RECORD_KINDS and not record:
        fail(translate("Give the record to print with --id."))
    actor = options.actor()
    with options.open().transaction() as session:
        record_id = (
            find_record_id(session, actor, form, record)
            if record and form in RECORD_KINDS
            else None
        )
        data = render_form(session, actor, form, record_id)
        save_pdf(data, out)
    emit(
        options,
        {"file": str(out), "kind": kind, "record_id": record_id},
        translate("Saved {title} in {name}.", title=form_title(form), name=str(out)),
    )


@click.command("verify")
@click.argument("code")
@json_option
@click.pass_obj
def verify_command(options: Options, code: str) -> None:
    """Check a printed paper by its code (or its scanned QR): whether it is genuine, and every
    value printed on it beside the record's value now; exit 1 unless it matches."""
    actor = options.actor()
    with options.open().transaction() as session:
        result = verify_code(session, actor, code)
    emit(options, result.as_dict(), "\n".join(verdict_lines(result)))
    if not result.ok:
        raise SystemExit(EXIT_USER_ERROR)
