"""`romah enrol`, `romah sync` and `romah conflicts`: the laptop's side of sync from the shell.

The CLI is the face that wires the core to sync; the core itself never imports `sync`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from romah_desktop import paths
from romah_desktop.cli.app import Options, emit, json_option, recovery_key_text
from romah_desktop.grammar import CHANGE, count_phrase
from romah_desktop.i18n import translate
from romah_desktop.permissions import Permission
from romah_desktop.services.conflicts import open_conflicts, resolve_conflict
from romah_desktop.services.context import this_device


@click.command()
@click.option("--server", required=True, help="HQ's address, e.g. https://hq.example.org")
@click.option("--code", required=True, help="The one-time enrolment code HQ gave.")
@click.option("--name", help="A name for this laptop (default: its host name).")
@click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The society's CA certificate (PEM) that signed HQ's certificate.",
)
@click.option(
    "--pin",
    metavar="sha256:HEX",
    help="HQ's certificate fingerprint, for an HQ whose certificate is self-signed.",
)
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Allow an http:// address of another machine (data crosses the network in clear).",
)
@json_option
@click.pass_obj
def enrol(
    options: Options,
    server: str,
    code: str,
    name: str | None,
    ca_file: Path | None,
    pin: str | None,
    insecure_http: bool,
) -> None:
    """Enrol this laptop with HQ (a laptop used standalone keeps all its data).

    HQ's certificate is checked against the system's trusted authorities unless --ca-file or
    --pin is given; every later sync checks it the same way."""
    from sync.enrolment import enrol as enrol_laptop

    existing = None
    if (options.data_dir / paths.DATABASE_FILE).exists():
        options.actor().require(Permission.ENROL_DEVICE)
        existing = options.open()
    workspace = enrol_laptop(
        options.data_dir,
        server,
        code,
        name,
        workspace=existing,
        ca_file=ca_file,
        pin=pin,
        insecure_http=insecure_http,
    )
    options.workspace = workspace
    if existing is None and workspace.recovery_key is not None:
        click.echo(recovery_key_text(workspace.recovery_key), err=True)
    with workspace.db.session() as session:
        device = this_device(session)
    emit(
        options,
        {"device_id": device.device_id, "branch": device.branch_code, "server": server},
        translate(
            "This laptop is enrolled in branch {branch}. Run `romah sync` to bring its data.",
            branch=device.branch_code,
        ),
    )


@click.command("sync")
@json_option
@click.pass_obj
def sync_command(options: Options) -> None:
    """Send this laptop's changes to HQ and bring HQ's changes for its branch."""
    from romah_desktop.settings import outbox_retention_days
    from sync.client import SyncClient

    workspace = options.open()
    client = SyncClient(
        workspace.db,
        workspace.attachments_dir,
        keep_pushed_days=outbox_retention_days(workspace.db),
    )
    try:
        report = client.sync()
    finally:
        client.close()
    data: dict[str, Any] = {**report.as_dict(), "restored": report.restored}
    text = translate(
        "Sent {pushed}, received {pulled}; open conflicts: {conflicts}; "
        "quarantined: {quarantined}.",
        pushed=count_phrase(report.pushed, CHANGE),
        pulled=report.pulled,
        conflicts=report.conflicts,
        quarantined=report.quarantined,
    )
    if report.restore_message is not None:
        # A restore found and repaired (of HQ, or of this laptop): said first, in full.
        text = translate(report.restore_message, resent=report.resent) + "\n" + text
    emit(options, data, text)


def _value_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def conflicts(ctx: click.Context) -> None:
    """Open sync conflicts: the record, the field, both values and who wrote them."""
    if ctx.invoked_subcommand is not None:
        return
    options: Options = ctx.obj
    actor = options.actor()
    with options.open().db.session() as session:
        found = open_conflicts(session, actor)
    data = [
        {
            "id": c.id,
            "record": f"{c.table_name}/{c.row_id}",
            "field": c.field,
            "kind": c.kind,
            "kept": c.current,
            "kept_by": c.current_by,
            "other": c.other,
            "other_by": c.other_by,
        }
        for c in found
    ]
    text = "\n".join(
        f"{c['id']}  {c['record']}  {c['field']}\n"
        f"    {translate('kept')}: {_value_text(c['kept'])} ({c['kept_by']})\n"
        f"    {translate('other')}: {_value_text(c['other'])} ({c['other_by']})"
        for c in data
    )
    emit(options, data, text or translate("No open conflicts."))


@conflicts.command("resolve")
@click.argument("conflict_id")
@click.option("--value", "value", required=True, help="The value to keep (JSON, or plain text).")
@click.pass_obj
def conflicts_resolve(options: Options, conflict_id: str, value: str) -> None:
    """Keep VALUE for the conflict's field; the choice syncs like any change."""
    try:
        parsed: Any = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    actor = options.actor()
    with options.open().transaction() as session:
        resolve_conflict(session, actor, conflict_id, parsed)
    click.echo(translate("Resolved; it reaches HQ with the next sync."))
