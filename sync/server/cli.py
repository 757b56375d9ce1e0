"""`romah-hq`: run HQ's sync server and administer branches, users, laptops and conflicts.

The data folder (`--data-dir`, `ROMAH_HQ_DATA_DIR`, or the user's data folder) holds the
SQLite database by default and the synced files; `--db postgresql+psycopg://...` (or
`ROMAH_HQ_DB`) puts the records in PostgreSQL instead.
"""

from __future__ import annotations

import getpass
import json
import os
import ssl
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click
import platformdirs
import sqlalchemy as sa

from db.engine import create_engine
from db.enums import Role
from sync.server.blobs import DEFAULT_MAX_UPLOAD_MB
from sync.server.hub import Hub
from sync.server.migrate import upgrade
from sync.server.store import Refused
from sync.tls import certificate_file_fingerprint, is_loopback

DB_ENV = "ROMAH_HQ_DB"
DATA_ENV = "ROMAH_HQ_DATA_DIR"
MAX_UPLOAD_ENV = "ROMAH_HQ_MAX_UPLOAD_MB"


@dataclass
class HQ:
    data_dir: Path
    url: str

    def hub(self) -> Hub:
        return open_hub(self.url)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("romah-hq", appauthor=False))


def database_url(data_dir: Path, url: str | None) -> str:
    return url or f"sqlite+pysqlite:///{data_dir / 'hq.sqlite3'}"


_hubs: dict[str, Hub] = {}


def open_hub(url: str) -> Hub:
    """The hub over `url`, its schema brought up to date (once per process)."""
    hub = _hubs.get(url)
    if hub is None:
        engine = create_engine(url, pool_pre_ping=True)
        upgrade(engine)
        hub = _hubs[url] = Hub(engine)
    return hub


def app_from_env() -> Any:
    """The ASGI application for uvicorn's workers, configured by the environment."""
    from sync.server.app import create_app

    data_dir = Path(os.environ.get(DATA_ENV) or default_data_dir())
    url = database_url(data_dir, os.environ.get(DB_ENV))
    return create_app(open_hub(url), data_dir / "blobs", max_upload_mb=upload_limit_from_env())


def upload_limit_from_env() -> int:
    """The largest file HQ accepts, in MB, from the environment (or the default)."""
    value = os.environ.get(MAX_UPLOAD_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_UPLOAD_MB
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{MAX_UPLOAD_ENV} must be a whole number of MB, 1 or more: {value!r}")
    return int(value)


def fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


@click.group()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=DATA_ENV,
    help="HQ's data folder.",
)
@click.option("--db", "url", envvar=DB_ENV, help="Database URL (default: SQLite in the folder).")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, url: str | None) -> None:
    """HQ's sync server for Romah branch laptops."""
    folder = data_dir or default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    ctx.obj = HQ(folder, database_url(folder, url))


def _run(hq: HQ, action: Any) -> Any:
    try:
        return action(hq.hub())
    except Refused as exc:
        fail(exc.reason)
    except sa.exc.OperationalError as exc:
        fail(f"HQ's database cannot be reached: {exc.orig}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8470, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--max-upload-mb",
    default=DEFAULT_MAX_UPLOAD_MB,
    show_default=True,
    type=click.IntRange(1, 100_000),
    envvar=MAX_UPLOAD_ENV,
    help="The largest attachment (scan, signature) a laptop may upload, in MB.",
)
@click.option(
    "--certfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="HQ's certificate (PEM, with its chain): serve HTTPS.",
)
@click.option(
    "--keyfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The private key of --certfile (PEM).",
)
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Serve plain HTTP on a host other than this machine (data crosses in clear).",
)
@click.pass_obj
def serve(
    hq: HQ,
    host: str,
    port: int,
    workers: int,
    max_upload_mb: int,
    certfile: Path | None,
    keyfile: Path | None,
    insecure_http: bool,
) -> None:
    """Serve the sync API (OpenAPI documentation at /docs)."""
    import uvicorn

    if (certfile is None) != (keyfile is None):
        fail("Give both --certfile and --keyfile to serve HTTPS.")
    if certfile is None:
        if not insecure_http and not is_loopback(host):
            fail(
                f"Refusing to serve plain HTTP on {host}: laptops' credentials and people's data "
                "would cross the network in clear. Give --certfile and --keyfile to serve HTTPS "
                "(or --insecure-http on a network you trust)."
            )
        click.echo(
            "Warning: serving plain HTTP: laptops' data crosses the network in clear. Give "
            "--certfile and --keyfile to serve HTTPS (or put a TLS proxy in front of HQ).",
            err=True,
        )
    else:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
            pin = certificate_file_fingerprint(certfile)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            fail(f"HQ's certificate and key cannot be used: {exc}")
        click.echo(f"Serving HTTPS; HQ's certificate fingerprint (for --pin): {pin}", err=True)
    _run(hq, lambda hub: None)  # migrate once before the workers start
    os.environ[DATA_ENV] = str(hq.data_dir)
    os.environ[DB_ENV] = hq.url
    os.environ[MAX_UPLOAD_ENV] = str(max_upload_mb)
    uvicorn.run(
        "sync.server.cli:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        server_header=False,  # bytes on every answer that tell a laptop nothing
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
    )


@main.group()
def branch() -> None:
    """Branches."""


@branch.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--phone", help="The branch's phone number, printed on receipts.")
@click.pass_obj
def branch_add(hq: HQ, code: str, name: str, phone: str | None) -> None:
    """Add a branch, e.g. `branch add RYD "فرع الرياض"`."""
    branch_id = _run(hq, lambda hub: hub.add_branch(code, name, phone))
    click.echo(branch_id)


@main.group()
def user() -> None:
    """Users (they reach the branch's laptops with the next sync)."""


@user.command("add")
@click.argument("name")
@click.option("--branch", "branch_code", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--full-name", help="Full name (default: the user name).")
@click.pass_obj
def user_add(hq: HQ, name: str, branch_code: str, role: str, full_name: str | None) -> None:
    """Add a user; the password is read from $ROMAH_PASSWORD or asked for."""
    from romah_desktop.errors import ValidationError
    from romah_desktop.services.users import user_credentials, validate_username

    password = os.environ.get("ROMAH_PASSWORD") or getpass.getpass("Password: ")
    try:
        name = validate_username(name)
        credentials = user_credentials(password)
    except ValidationError as exc:
        fail(str(exc))
    user_id = _run(
        hq,
        lambda hub: hub.add_user(name, full_name or name, role, branch_code, credentials),
    )
    click.echo(user_id)


@user.command("reset")
@click.argument("name")
@click.pass_obj
def user_reset(hq: HQ, name: str) -> None:
    """Give a user a new password ($ROMAH_PASSWORD or asked for); it reaches their laptops
    with the next sync, and the old one stops opening them after that."""
    from romah_desktop.errors import ValidationError
    from romah_desktop.services.users import user_credentials

    password = os.environ.get("ROMAH_PASSWORD") or getpass.getpass("New password: ")
    try:
        credentials = user_credentials(password)
    except ValidationError as exc:
        fail(str(exc))
    click.echo(_run(hq, lambda hub: hub.reset_password(name.strip().lower(), credentials)))


@main.group()
def admin() -> None:
    """HQ's own console users (the first one is made here)."""


@admin.command("add")
@click.argument("name")
@click.option("--full-name", help="Full name (default: the user name).")
@click.option(
    "--role",
    type=click.Choice(["hq_admin", "hq_steward", "hq_auditor"]),
    default="hq_admin",
    show_default=True,
)
@click.pass_obj
def admin_add(hq: HQ, name: str, full_name: str | None, role: str) -> None:
    """Add a console user; the password is read from $ROMAH_PASSWORD or asked for."""
    from romah_desktop.errors import ValidationError
    from sync.server.console import auth
    from sync.server.console.audit import record

    password = os.environ.get("ROMAH_PASSWORD") or getpass.getpass("Password: ")

    def add(hub: Hub) -> str:
        user_id = auth.add_user(hub.engine, name, full_name or name, role, password)
        with hub.engine.begin() as connection:
            record(connection, "command line", "hq_user_add", name, role=role)
        return user_id

    try:
        click.echo(_run(hq, add))
    except ValidationError as exc:
        fail(exc.text())


@main.command()
@click.option("--branch", "branch_code", required=True)
@click.pass_obj
def enrol(hq: HQ, branch_code: str) -> None:
    """Print a one-time code that enrols one laptop in the branch (valid for a week)."""
    click.echo(_run(hq, lambda hub: hub.new_enrolment_code(branch_code)))


@main.command("backup-verified")
@click.option(
    "--at",
    "at",
    help="When the backup was taken, ISO 8601 (UTC unless a zone is given); default now.",
)
@click.pass_obj
def backup_verified(hq: HQ, at: str | None) -> None:
    """Record that HQ's backup taken at a time has been restored and checked: laptops then
    delete from their outbox the changes HQ had received before it."""
    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            fail(f"Not a time: {at!r} (use ISO 8601, e.g. 2025-03-01T02:00:00Z).")
    recorded = _run(hq, lambda hub: hub.backup_verified(when))
    click.echo(
        f"Recorded HQ's verified backup of {recorded.isoformat(timespec='seconds')}: laptops "
        "delete the changes HQ had received before it after their next sync."
    )


@main.command("restored")
@click.pass_obj
def restored(hq: HQ) -> None:
    """Say that HQ's database was just restored from a backup: laptops then check what HQ
    holds of their changes, send again what it lost, and take HQ's data afresh. (Laptops
    also notice a restore by themselves; this makes sure even when HQ's history happens to
    look the same.)"""
    generation = _run(hq, lambda hub: hub.new_generation())
    click.echo(
        f"HQ's history is now {generation}: each laptop sends again what HQ lost at its next sync."
    )


@main.group()
def device() -> None:
    """Enrolled laptops."""


@device.command("revoke")
@click.argument("device_id")
@click.option("--reason", default=None, help="Why (lost, stolen, retired); kept at HQ.")
@click.pass_obj
def device_revoke(hq: HQ, device_id: str, reason: str | None) -> None:
    """Refuse every further sync from a laptop (lost, stolen, retired)."""
    from sync.server.devices import revoke_device

    _run(hq, lambda hub: revoke_device(hub, device_id, reason))
    click.echo(f"Revoked {device_id}.")


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def conflicts(ctx: click.Context, as_json: bool) -> None:
    """Open conflicts across all branches."""
    if ctx.invoked_subcommand is not None:
        return
    found = _run(ctx.obj, lambda hub: hub.conflicts())
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, default=str))
        return
    for c in found:
        click.echo(
            f"{c['id']}  {c['table_name']}.{c['field']}  {c['row_id']}\n"
            f"    kept:  {c['winner_value']!r}  ({c['winner_device_id']})\n"
            f"    other: {c['other_value']!r}  ({c['other_device_id']})"
        )
    if not found:
        click.echo("No open conflicts.")


@conflicts.command("resolve")
@click.argument("conflict_id")
@click.option(
    "--value", required=True, help="The value to keep, as JSON (e.g. '\"text\"', 5, null)."
)
@click.option("--by", default="HQ", show_default=True)
@click.pass_obj
def conflicts_resolve(hq: HQ, conflict_id: str, value: str, by: str) -> None:
    """Settle a conflict with a value; it reaches the branch with the next sync."""
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    _run(hq, lambda hub: hub.resolve_conflict(conflict_id, parsed, by))
    click.echo("Resolved.")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def quarantine(hq: HQ, as_json: bool) -> None:
    """Changes HQ refused, with the reason."""
    found = _run(hq, lambda hub: hub.quarantined())
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, default=str))
        return
    for q in found:
        click.echo(
            f"{q['device_id']}#{q['device_seq']} {q['table_name']} {q['row_id']}: {q['reason']}"
        )
    if not found:
        click.echo("Nothing is quarantined.")


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def duplicates(ctx: click.Context, as_json: bool) -> None:
    """People registered with the same national ID in more than one file."""
    if ctx.invoked_subcommand is not None:
        return
    found = _run(ctx.obj, lambda hub: hub.duplicates())
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, default=str))
        return
    for case in found:
        click.echo(f"case {case['id']}: ID {case['national_id']} in {', '.join(case['row_ids'])}")
    if not found:
        click.echo("No open duplicate cases.")


@duplicates.command("merge")
@click.argument("case_id", type=int)
@click.option("--keep", "keep_row_id", required=True, help="The file to keep.")
@click.option("--note")
@click.pass_obj
def duplicates_merge(hq: HQ, case_id: int, keep_row_id: str, note: str | None) -> None:
    """Keep one file; the others are closed, with their history."""
    _run(hq, lambda hub: hub.merge_duplicate(case_id, keep_row_id, note))
    click.echo("Merged.")


@main.command()
@click.argument("code")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def verify(hq: HQ, code: str, as_json: bool) -> None:
    """Check a paper printed at any branch by its code (or scanned QR): whether it is genuine,
    and every value printed on it beside the record's value now; exit 1 unless it matches."""
    from romah_desktop.errors import ValidationError
    from romah_desktop.printing.verification import verdict_lines
    from sync.server.papers import verify_paper

    try:
        result = _run(hq, lambda hub: verify_paper(hub, code))
    except ValidationError as exc:
        fail(exc.text())
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        click.echo("\n".join(verdict_lines(result)))
    if not result.ok:
        sys.exit(1)
