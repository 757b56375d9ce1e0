"""The `romah` group and its shared options, and the commands for setup, users, demo data,
import/export, search, backup and audit. The other command modules register on the group in
`romah_desktop.cli`."""

from __future__ import annotations

import json
import logging
import os
import shlex
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from db.enums import Role
from romah_desktop import __version__, paths
from romah_desktop.errors import RomahError
from romah_desktop.i18n import LANGUAGES, N_, set_language, translate
from romah_desktop.logs import set_log_context, setup_logging
from romah_desktop.permissions import Permission, allowed, roles_label
from romah_desktop.services import audit
from romah_desktop.services.context import Actor, this_device
from romah_desktop.workspace import Workspace

if TYPE_CHECKING:
    from db.models import User

log = logging.getLogger("romah.cli")
F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 70


@dataclass
class Options:
    data_dir: Path = Path()
    username: str | None = None
    lang: str = "ar"
    json: bool = False
    workspace: Workspace | None = None
    signed_in: Actor | None = None

    def open(self) -> Workspace:
        """The database, opened with the --user's password (the database is encrypted)."""
        if self.workspace is None:
            self.actor()
        assert self.workspace is not None
        return self.workspace

    def actor(self) -> Actor:
        """Sign in the --user (password from ROMAH_PASSWORD or a prompt)."""
        if self.signed_in is not None:
            return self.signed_in
        if not self.username:
            fail(translate("This command needs a signed-in user: add --user NAME."))
        password = os.environ.get("ROMAH_PASSWORD")
        if password is None:
            password = click.prompt(translate("Password"), hide_input=True, err=True)
        if self.workspace is None:
            show = progress(translate("Encrypting the database"))
            workspace, actor = Workspace.unlock(
                self.data_dir, self.username, password, lambda done: show(int(done * 100), 100)
            )
            self.workspace = workspace
            set_log_context(device=workspace.device_id()[-4:])
            if workspace.recovery_key is not None:
                click.echo(recovery_key_text(workspace.recovery_key), err=True)
        else:
            actor = self.workspace.login(self.username, password)
        set_log_context(user=actor.username)
        self.signed_in = actor
        return actor

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        self.signed_in = None


def recovery_key_text(recovery_key: str) -> str:
    """What a person is told, once, with a new recovery key."""
    return translate(
        "Recovery key: {key}\n"
        "Write it down (or print the recovery sheet) and keep it away from the laptop. "
        "It is shown only now. If every password and this key are lost, the data on this "
        "laptop is lost: nobody, not even HQ, can open it.",
        key=recovery_key,
    )


def fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    raise SystemExit(EXIT_USER_ERROR)


def emit(options: Options, data: Any, text: str) -> None:
    """Print `data` as JSON with --json, else `text` for a person."""
    if options.json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(text)


def json_option(command: F) -> F:
    """Accept --json after the command too (`romah import x.csv --json`)."""

    def set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.ensure_object(Options).json = True

    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        expose_value=False,
        callback=set_json,
        help="Print the result as JSON.",
    )(command)


def progress(label: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{label}: {done}/{total}", err=True, nl=done >= total)

    return show


class RomahGroup(click.Group):
    """Turns a user's mistake into one clear sentence on stderr, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RomahError as error:
            fail(error.text())
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception:
            log.exception("unexpected error")
            detail = traceback.format_exc(limit=-1).strip().splitlines()[-1]
            click.echo(
                translate("Unexpected error: {detail}. The log has the details.", detail=detail),
                err=True,
            )
            raise SystemExit(EXIT_INTERNAL_ERROR) from None
        finally:
            options = ctx.find_object(Options)
            if options is not None and ctx.parent is None:
                options.close()


@click.group(cls=RomahGroup, invoke_without_command=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=paths.DATA_DIR_ENV,
    help="Folder of the local database (default: your user data folder).",
)
@click.option("--user", "username", help="User name to act as (password: $ROMAH_PASSWORD).")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=lambda: os.environ.get("ROMAH_LANG", "ar"),
    help="Language of messages: ar (default) or en.",
)
@click.option("--json", "as_json", is_flag=True, help="Print data as JSON.")
@click.version_option(__version__, prog_name="romah")
@click.pass_context
def main(
    ctx: click.Context, data_dir: Path | None, username: str | None, lang: str, as_json: bool
) -> None:
    """Romah Desktop: beneficiary relations for Romah Society's branch offices."""
    set_language(lang)
    folder = paths.data_dir(data_dir)
    options = ctx.ensure_object(Options)
    options.data_dir, options.username, options.lang = folder, username, lang
    options.json = options.json or as_json
    setup_logging(paths.log_dir(folder))
    if ctx.invoked_subcommand is None:
        start_without_command(ctx)


class NoDisplay(Exception):
    """There is no screen to open the window on."""


# Set by the entry point (`romah_desktop.__main__`): opens the window and returns an exit code.
window_opener: Callable[[Path, str | None], int] | None = None


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def start_without_command(ctx: click.Context) -> None:
    """Open the window; without a display, say so and offer the command line instead."""
    options = ctx.ensure_object(Options)
    if window_opener is not None:
        explicit = ctx.get_parameter_source("lang") is not click.core.ParameterSource.DEFAULT
        try:
            raise SystemExit(window_opener(options.data_dir, options.lang if explicit else None))
        except NoDisplay:
            click.echo(
                translate(
                    "No display is available, so the window cannot open here. "
                    "The command line works: see `romah --help`."
                ),
                err=True,
            )
    if stdin_is_terminal():
        interactive_help(ctx)
    else:
        click.echo(ctx.get_help())


def interactive_help(ctx: click.Context) -> None:
    """A small prompt that runs `romah` commands and explains them."""
    click.echo(
        translate(
            "Romah Desktop {version}. Type a command, `help`, or `quit`.", version=__version__
        )
    )
    if not Workspace.exists(ctx.ensure_object(Options).data_dir):
        click.echo(
            translate(
                "There is no database yet. Start with: "
                "init --branch CODE --branch-name NAME --admin USER"
            )
        )
    while True:
        try:
            line = input("romah> ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if line in {"quit", "exit", "q"}:
            return
        if line in {"", "help", "?"}:
            click.echo(ctx.get_help())
            continue
        args = shlex.split(line)
        if args[0] == "help":
            args = [*args[1:], "--help"]
        options = ctx.ensure_object(Options)
        base = ["--data-dir", str(options.data_dir), "--lang", options.lang]
        if options.username:
            base += ["--user", options.username]
        try:
            main.main(base + args, prog_name="romah", standalone_mode=False)
        except SystemExit:
            pass
        except click.ClickException as error:
            error.show()


@main.command()
@click.option("--branch", "branch_code", required=True, help="Branch code, e.g. RYD.")
@click.option("--branch-name", required=True, help="Branch name, e.g. فرع الرياض.")
@click.option(
    "--admin", "admin_username", required=True, help="The first administrator's user name."
)
@click.option("--admin-name", help="The administrator's full name.")
@click.option(
    "--recovery-sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the recovery key as a printable PDF sheet to this file.",
)
@json_option
@click.pass_obj
def init(
    options: Options,
    branch_code: str,
    branch_name: str,
    admin_username: str,
    admin_name: str | None,
    recovery_sheet: Path | None,
) -> None:
    """Create the encrypted local database with its branch and administrator, and show the
    recovery key once."""
    password = os.environ.get("ROMAH_ADMIN_PASSWORD") or click.prompt(
        translate("Administrator's password"), hide_input=True, confirmation_prompt=True, err=True
    )
    workspace = Workspace.create(
        options.data_dir, branch_code, branch_name, admin_username, password, admin_name
    )
    options.workspace = workspace
    assert workspace.recovery_key is not None
    if recovery_sheet is not None:
        write_recovery_sheet(workspace, recovery_sheet)
    emit(
        options,
        {
            "data_dir": str(options.data_dir),
            "branch": branch_code.upper(),
            "admin": admin_username,
            "recovery_key": workspace.recovery_key,
        },
        translate("Created the encrypted database in {folder}.", folder=str(options.data_dir))
        + "\n"
        + recovery_key_text(workspace.recovery_key),
    )


def write_recovery_sheet(workspace: Workspace, path: Path) -> None:
    from romah_desktop.recovery_sheet import write_recovery_sheet as write_sheet

    assert workspace.recovery_key is not None
    with workspace.db.session() as session:
        device = this_device(session)
    write_sheet(path, workspace.recovery_key, device.branch_code, device.prefix, datetime.now())
    click.echo(translate("The recovery sheet is in {name}.", name=str(path)), err=True)


def new_password(prompt: str) -> str:
    return os.environ.get("ROMAH_NEW_PASSWORD") or click.prompt(
        translate(prompt), hide_input=True, confirmation_prompt=True, err=True
    )


@main.command()
@click.option(
    "--recovery-key",
    envvar="ROMAH_RECOVERY_KEY",
    prompt="Recovery key",
    hide_input=True,
    help="The recovery key shown when the database was made ($ROMAH_RECOVERY_KEY).",
)
@click.pass_obj
def unlock(options: Options, recovery_key: str) -> None:
    """Set a new password for the administrator --user with the recovery key (every password
    forgotten). The new password: $ROMAH_NEW_PASSWORD or a prompt."""
    from romah_desktop.services.users import reset_password

    if not options.username:
        fail(translate("Name the administrator whose password to set: add --user NAME."))
    workspace = Workspace.unlock_with_recovery_key(options.data_dir, recovery_key)
    options.workspace = workspace
    # The holder of the recovery key acts as that administrator: the change of their own
    # password is theirs (HQ takes a user's own new key pair from them only).
    workspace.act_as(options.username)
    password = new_password(N_("New password"))
    with workspace.transaction() as session:
        user = reset_password(session, None, options.username, password)
        if not allowed(user.roles, Permission.MANAGE_USERS):
            fail(translate("{name} is not an administrator.", name=options.username))
    click.echo(translate("The password of {name} is set. Sign in with it.", name=user.username))


@main.command("recovery-key")
@click.option(
    "--sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the new key as a printable PDF sheet to this file.",
)
@json_option
@click.pass_obj
def new_recovery_key(options: Options, sheet: Path | None) -> None:
    """Replace the recovery key (the old one stops working) and show the new one once."""
    actor = options.actor()
    actor.require(Permission.MANAGE_USERS)
    workspace = options.open()
    workspace.replace_recovery_key()
    assert workspace.recovery_key is not None
    if sheet is not None:
        write_recovery_sheet(workspace, sheet)
    emit(
        options,
        {"recovery_key": workspace.recovery_key},
        recovery_key_text(workspace.recovery_key),
    )


@main.group()
def user() -> None:
    """Manage users."""


@user.command("passwd")
@click.pass_obj
def user_passwd(options: Options) -> None:
    """Change your own password (the current one: $ROMAH_PASSWORD; the new one:
    $ROMAH_NEW_PASSWORD, or prompts)."""
    from romah_desktop.services.users import change_password

    actor = options.actor()
    current = os.environ.get("ROMAH_PASSWORD") or ""
    password = new_password(N_("New password"))
    with options.open().transaction() as session:
        change_password(session, actor, current, password)
    click.echo(translate("Your password is changed."))


@user.command("reset")
@click.argument("name")
@click.pass_obj
def user_reset(options: Options, name: str) -> None:
    """Give user NAME a new password (theirs is forgotten): $ROMAH_NEW_PASSWORD or a prompt."""
    from romah_desktop.services.users import reset_password

    actor = options.actor()
    password = new_password(N_("New password for the user"))
    with options.open().transaction() as session:
        user = reset_password(session, actor, name, password)
    click.echo(translate("The password of {name} is set.", name=user.username))


def roles_option(command: F) -> F:
    """`--role`, once or more: the first is the user's main role, the others further roles
    (a small branch's receptionist who is also its researcher)."""
    return click.option(
        "--role",
        "roles",
        type=click.Choice([r.value for r in Role]),
        multiple=True,
        required=True,
        help="A role the user holds; repeat it for several (the first is the main one).",
    )(command)


def main_and_extra(roles: tuple[str, ...]) -> tuple[Role, frozenset[Role]]:
    return Role(roles[0]), frozenset(Role(r) for r in roles[1:])


def roles_result(user: User) -> dict[str, Any]:
    """A user's roles as --json shows them: the main one and the further ones."""
    return {"role": user.role.value, "extra_roles": list(user.extra_roles or [])}


@user.command("add")
@click.argument("name")
@roles_option
@click.option("--full-name", help="Full name (default: the user name).")
@json_option
@click.pass_obj
def user_add(options: Options, name: str, roles: tuple[str, ...], full_name: str | None) -> None:
    """Add a user (their password: $ROMAH_NEW_PASSWORD or a prompt)."""
    from romah_desktop.services.users import add_user

    actor = options.actor()
    role, extras = main_and_extra(roles)
    password = new_password(N_("New user's password"))
    with options.open().transaction() as session:
        created = add_user(
            session, actor, name, full_name or name, role, password, extra_roles=extras
        )
        result = {"id": created.id, "username": created.username, **roles_result(created)}
    emit(options, result, translate("Added the user {name}.", name=result["username"]))


@user.command("role")
@click.argument("name")
@roles_option
@json_option
@click.pass_obj
def user_role(options: Options, name: str, roles: tuple[str, ...]) -> None:
    """Give user NAME these roles (the first is the main one; any they held besides are
    taken away)."""
    from romah_desktop.services.users import change_role

    actor = options.actor()
    role, extras = main_and_extra(roles)
    with options.open().transaction() as session:
        changed = change_role(session, actor, name, role, extras)
        result = {"username": changed.username, **roles_result(changed)}
        held = roles_label(changed.roles)
    emit(
        options,
        result,
        translate("The roles of {name} are now: {roles}.", name=result["username"], roles=held),
    )


@main.command()
@click.option(
    "--beneficiaries", "count", type=click.IntRange(1, 1_000_000), default=1000, show_default=True
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same people.")
@json_option
@click.pass_obj
def demo(options: Options, count: int, seed: int) -> None:
    """Fill the database with realistic Arabic demo data."""
    from romah_desktop.demo.generator import generate

    actor = options.actor()
    with options.open().transaction() as session:
        summary = generate(session, actor, count, seed=seed, progress=progress("demo"))
    emit(options, summary, translate("Demo data added: {summary}", summary=json.dumps(summary)))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_obj
def import_command(options: Options, file: Path) -> None:
    """Import beneficiaries from a .csv or .xlsx sheet (English or Arabic headers)."""
    from romah_desktop.services.people.importer import import_beneficiaries

    actor = options.actor()
    with options.open().transaction() as session:
        report = import_beneficiaries(
            session, actor, file, lang=options.lang, progress=progress("import")
        )
    data = report.as_json()
    lines = [
        translate(
            "Imported {imported}, updated {updated}, unchanged {unchanged}, "
            "rejected rows {rejected}, duplicates {duplicates}.",
            imported=report.imported,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len({r.row for r in report.rejected}),
            duplicates=len(report.duplicates),
        )
    ]
    for rejected in report.rejected:
        lines.append(
            translate(
                "Row {row}, {field}: {message}",
                row=rejected.row,
                field=rejected.field,
                message=rejected.message,
            )
        )
    for duplicate in report.duplicates:
        lines.append(
            translate("Row {row}: {message}", row=duplicate["row"], message=duplicate["message"])
        )
    emit(options, data, "\n".join(lines))


@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--template", is_flag=True, help="Write only the headers, as a sheet to fill in.")
@json_option
@click.pass_obj
def export_command(options: Options, file: Path, template: bool) -> None:
    """Export beneficiaries to .csv or .xlsx in the import's columns."""
    from romah_desktop.services.people.exporter import export_beneficiaries, write_template

    if template:
        write_template(file, options.lang)
        emit(
            options,
            {"file": str(file), "rows": 0},
            translate("Wrote the template {name}.", name=str(file)),
        )
        return
    actor = options.actor()
    with options.open().transaction() as session:
        count = export_beneficiaries(session, actor, file, lang=options.lang)
    emit(
        options,
        {"file": str(file), "rows": count},
        translate("Exported {count} beneficiaries to {name}.", count=count, name=str(file)),
    )


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@json_option
@click.pass_obj
def search(options: Options, query: tuple[str, ...], limit: int) -> None:
    """Find people by name, national ID or phone (Arabic-aware), best match first."""
    from romah_desktop.services.people.beneficiaries import find_people

    actor = options.actor()
    with options.open().transaction() as session:
        hits = find_people(session, actor, " ".join(query), limit)
    data = [
        {"national_id": h.national_id, "full_name": h.full_name, "file_number": h.file_number}
        for h in hits
    ]
    text = "\n".join(f"{h.file_number}\t{h.national_id}\t{h.full_name}" for h in hits) or translate(
        "No one matches."
    )
    emit(options, data, text)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup(options: Options, file: Path) -> None:
    """Back up the local database to FILE (safe while the app is running)."""
    from romah_desktop.services.backup import backup as run_backup

    actor = options.actor()
    run_backup(options.open(), actor, file)
    emit(options, {"file": str(file)}, translate("Backed up to {name}.", name=str(file)))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--recovery-key",
    envvar="ROMAH_RECOVERY_KEY",
    help="On a new laptop: open the backup with its recovery key instead of a password.",
)
@click.pass_obj
def restore(options: Options, file: Path, recovery_key: str | None) -> None:
    """Replace the local database with a backup made on this laptop; on a new laptop (no
    database yet), make it that laptop again (--user and its password, or --recovery-key)."""
    from romah_desktop.services.backup import restore as run_restore
    from romah_desktop.services.backup import restore_on_new_laptop

    if not Workspace.exists(options.data_dir):
        if recovery_key is None and not options.username:
            fail(translate("Open the backup with --user NAME or --recovery-key."))
        password = None
        if recovery_key is None:
            password = os.environ.get("ROMAH_PASSWORD") or click.prompt(
                translate("Password"), hide_input=True, err=True
            )
        options.workspace = restore_on_new_laptop(
            options.data_dir,
            file,
            username=options.username,
            password=password,
            recovery_key=recovery_key,
        )
    else:
        actor = options.actor()
        run_restore(options.open(), actor, file)
    emit(options, {"file": str(file)}, translate("Restored from {name}.", name=str(file)))


@main.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@json_option
@click.pass_obj
def audit_verify(options: Options) -> None:
    """Check the audit trail's hash chains; exit 1 if anything was altered."""
    actor = options.actor()
    with options.open().transaction() as session:
        report = audit.verify(session, actor)
    data = {
        "ok": report.ok,
        "events": report.events,
        "devices": report.devices,
        "problems": [p.__dict__ for p in report.problems],
    }
    if report.ok:
        emit(
            options,
            data,
            translate(
                "The audit trail is intact: {events} events from {devices} devices.",
                events=report.events,
                devices=report.devices,
            ),
        )
        return
    emit(
        options,
        data,
        "\n".join(f"{p.device_id} #{p.device_seq}: {p.problem}" for p in report.problems),
    )
    raise SystemExit(EXIT_USER_ERROR)
