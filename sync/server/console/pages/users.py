"""Users: the accounts of every branch (synced to the branch's laptops) and HQ's own console
users, with adding one, the role, a new password, disabling and enabling, and unlocking.

A branch user has a main role and may hold further ones (a small branch's receptionist who is
also its researcher), each one HQ may grant by the laptops' rule (`may_grant`). A branch user's
change is HQ's change of their synced record, so it reaches the branch's laptops at their next
sync. An administrator may not disable or demote themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from db.enums import Role
from db.models.system import roles_of
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.permissions import Permission, may_grant, roles_label
from romah_desktop.services.users import stored_extra_roles, validate_password
from sync.server import devices
from sync.server.console import auth
from sync.server.console.access import ROLE_LABELS, ConsoleRole
from sync.server.console.audit import record
from sync.server.console.auth import ConsoleUser
from sync.server.console.pages.branches import CORRECT, form_errors
from sync.server.console.web import console_of, language
from sync.server.hub import Hub
from sync.server.store import Refused

router = APIRouter()

USER_FORM = ("branch", "username", "full_name", "role")
# The form field of a branch user's further roles (a box for each).
EXTRA = "extra_roles"
# The role whose rights HQ grants branch roles with (the laptops' rule, `may_grant`).
GRANTER = Role.HQ_ADMIN
HQ_FORM = ("username", "full_name", "role")
NO_USER = N_("There is no such user.")
NOT_YOURSELF = N_(
    "You cannot disable yourself or take the administrator's role from yourself; ask another "
    "HQ administrator."
)


def _branch_roles(lang: str) -> list[tuple[str, str]]:
    """The roles HQ may give a branch user, with their labels as the laptops show them."""
    return [(r.value, label(r, lang)) for r in Role if may_grant(GRANTER, r)]


def extra_roles(main: str, chosen: list[str]) -> list[str] | None:
    """The further roles ticked beside the main role `main`, as the user's record keeps them
    (`stored_extra_roles`: distinct, without the main role, in the matrix's order; None for
    none). Raises ValidationError (field `extra_roles`) for a value that is no role, or a
    role HQ may not grant."""
    roles: set[Role] = set()
    for value in chosen:
        try:
            role = Role(value)
        except ValueError:
            raise ValidationError(
                EXTRA, N_("Please choose one of the options in the list.")
            ) from None
        if not may_grant(GRANTER, role):
            raise ValidationError(EXTRA, N_("HQ may not grant the role {role}."), role=role)
        roles.add(role)
    try:
        return stored_extra_roles(Role(main), roles)
    except ValueError:  # no main role: the form names that field
        return [r.value for r in Role if r in roles] or None


def _roles_name(role: Any, extra_roles: Any, lang: str) -> str:
    """A branch user's roles as the laptops name them: the main one and any further ones (a
    small branch's receptionist who is also its researcher)."""
    roles = roles_of(role, extra_roles)
    return roles_label(roles, lang) if roles else str(role or "?")


def _hq_roles(lang: str) -> list[tuple[str, str]]:
    return [(r.value, translate(ROLE_LABELS[r], lang)) for r in ConsoleRole]


# -- the list -------------------------------------------------------------------------------


@router.get("/users")
async def user_list(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    return await _list_page(request, user)


async def _list_page(
    request: Request,
    user: ConsoleUser,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    hq_values: dict[str, str] | None = None,
    hq_errors: dict[str, str] | None = None,
    extras: list[str] | None = None,
) -> Response:
    ctx = console_of(request)
    lang = language(request)
    chosen = request.query_params.get("branch", "")
    branches = await run_in_threadpool(devices.branches, ctx.hub)
    if chosen not in {b["id"] for b in branches}:
        chosen = ""
    found = await run_in_threadpool(devices.branch_users, ctx.hub, chosen or None)
    hq_users = await run_in_threadpool(auth.users, ctx.hub.engine)
    for hq_user in hq_users:
        hq_user["locked"] = auth.is_locked(hq_user)
    return ctx.render(
        request,
        user,
        "users.html",
        status=status,
        branches=branches,
        chosen=chosen,
        users=found,
        hq_users=hq_users,
        branch_roles=_branch_roles(lang),
        hq_roles=_hq_roles(lang),
        branch_role_label=lambda role, extra=None: _roles_name(role, extra, lang),
        values=values or {"branch": chosen},
        extras=extras or [],
        errors=errors or {},
        error=translate(CORRECT, lang) if errors else None,
        hq_values=hq_values or {},
        hq_errors=hq_errors or {},
        hq_error=translate(CORRECT, lang) if hq_errors else None,
    )


# -- HQ's console users (before /users/{user_id}, which would take "hq" for an id) ----------


@router.post("/users/hq")
async def add_hq_user(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    fields = await ctx.form(request, user)
    values = {name: fields.get(name, "") for name in HQ_FORM}
    lang = language(request)
    try:
        username = await run_in_threadpool(
            _add_hq, ctx.hub, user, values, fields.get("password", "")
        )
    except (FormErrors, ValidationError) as exc:
        return await _list_page(
            request, user, 400, hq_values=values, hq_errors=form_errors(exc, lang)
        )
    notice = translate(N_("HQ user {username} is added."), lang, username=username)
    return ctx.done("/users", notice=notice)


def _add_hq(hub: Hub, user: ConsoleUser, values: dict[str, str], password: str) -> str:
    with hub.engine.begin() as connection:
        user_id, username = auth.form_user(
            connection, values["username"], values["full_name"], values["role"], password
        )
        record(
            connection,
            user.username,
            "hq_user_add",
            username,
            user_id=user.id,
            hq_user_id=user_id,
            role=values["role"],
        )
    return username


@router.get("/users/hq/{user_id}")
async def hq_user_page(request: Request, user_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    return await _hq_page(request, user, user_id)


async def _hq_page(
    request: Request,
    user: ConsoleUser,
    user_id: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx = console_of(request)
    lang = language(request)
    found = await run_in_threadpool(auth.user_by_id, ctx.hub.engine, user_id)
    if found is None:
        return ctx.done("/users", problem=translate(NO_USER, lang))
    found["locked"] = auth.is_locked(found)
    return ctx.render(
        request,
        user,
        "user_hq.html",
        status=status,
        target=found,
        myself=found["id"] == user.id,
        hq_roles=_hq_roles(lang),
        errors=errors or {},
    )


@router.post("/users/hq/{user_id}/{action}")
async def change_hq_user(request: Request, user_id: str, action: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    fields = await ctx.form(request, user)
    lang = language(request)
    if action not in _HQ_ACTIONS:
        return Response(status_code=404)
    try:
        text, params = await run_in_threadpool(_HQ_ACTIONS[action], ctx.hub, user, user_id, fields)
    except ValidationError as exc:
        return await _hq_page(request, user, user_id, 400, form_errors(exc, lang))
    except Refused as exc:
        if exc.status == 404:
            return ctx.done("/users", problem=translate(NO_USER, lang))
        return ctx.done(f"/users/hq/{user_id}", problem=translate(exc.reason, lang))
    return ctx.done(f"/users/hq/{user_id}", notice=translate(text, lang, **params))


Notice = tuple[str, dict[str, Any]]


def _hq_change(
    hub: Hub, user: ConsoleUser, user_id: str, action: str, **values: Any
) -> tuple[str, dict[str, Any]]:
    """Change an HQ user with its audit row in one transaction; the target's name and values."""
    found = auth.user_by_id(hub.engine, user_id)
    if found is None:
        raise Refused(404, NO_USER)
    with hub.engine.begin() as connection:
        auth.update_user(connection, user_id, **values)
        detail = {k: v for k, v in values.items() if k != "password"}
        record(
            connection,
            user.username,
            action,
            found["username"],
            user_id=user.id,
            hq_user_id=user_id,
            **detail,
        )
    return str(found["username"]), found


def _hq_role(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    role = auth.console_role(fields.get("role", ""))
    if user_id == user.id and role != ConsoleRole.ADMIN:
        raise Refused(409, NOT_YOURSELF)
    username, _ = _hq_change(hub, user, user_id, "hq_user_role", role=role)
    return N_("{username}'s role is saved."), {"username": username}


def _hq_password(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    password = validate_password(fields.get("password", ""))
    username, _ = _hq_change(hub, user, user_id, "hq_user_password_reset", password=password)
    return N_("{username} has a new password; their open sessions are ended."), {
        "username": username
    }


def _hq_active(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    active = fields.get("active") == "1"
    if user_id == user.id and not active:
        raise Refused(409, NOT_YOURSELF)
    action = "hq_user_enable" if active else "hq_user_disable"
    username, _ = _hq_change(hub, user, user_id, action, active=active)
    text = N_("{username} is enabled.") if active else N_("{username} is disabled.")
    return text, {"username": username}


def _hq_unlock(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    username, _ = _hq_change(
        hub, user, user_id, "hq_user_unlock", locked_until=None, failures=0, first_failure_at=None
    )
    return N_("{username} is unlocked."), {"username": username}


_HQ_ACTIONS: dict[str, Callable[[Hub, ConsoleUser, str, dict[str, str]], Notice]] = {
    "role": _hq_role,
    "password": _hq_password,
    "active": _hq_active,
    "unlock": _hq_unlock,
}


# -- the branches' users --------------------------------------------------------------------


@router.post("/users")
async def add_user(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    fields = await ctx.form(request, user)
    extras = await ctx.form_list(request, user, EXTRA)
    values = {name: fields.get(name, "") for name in USER_FORM}
    lang = language(request)
    try:
        username, branch_id = await run_in_threadpool(
            _add, ctx.hub, user, values, extras, fields.get("password", "")
        )
    except (FormErrors, ValidationError) as exc:
        return await _list_page(request, user, 400, values, form_errors(exc, lang), extras=extras)
    notice = translate(
        N_("User {username} is added; the branch's laptops receive them at their next sync."),
        lang,
        username=username,
    )
    return ctx.done("/users", notice=notice, branch=branch_id)


def _add(
    hub: Hub, user: ConsoleUser, values: dict[str, str], chosen: list[str], password: str
) -> tuple[str, str]:
    """Add a branch user with their further roles and its audit row, in one transaction;
    raises FormErrors naming every wrong field, and writes nothing then."""
    problems: list[ValidationError] = []
    try:
        extras = extra_roles(values["role"], chosen)
    except ValidationError as exc:
        extras, problems = None, [exc]
    with hub.writing() as connection:
        try:
            user_id, username = devices.add_branch_user(
                hub,
                connection,
                values["branch"],
                values["username"],
                values["full_name"],
                values["role"],
                password,
                extras,
            )
        except FormErrors as exc:
            raise FormErrors([*exc.errors, *problems]) from None
        if problems:
            raise FormErrors(problems)  # the user just written goes with the transaction
        record(
            connection,
            user.username,
            "user_add",
            username,
            user_id=user.id,
            user_account_id=user_id,
            branch_id=values["branch"],
            role=values["role"],
            extra_roles=extras or [],
        )
    return username, values["branch"]


@router.get("/users/{user_id}")
async def user_page(request: Request, user_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    return await _user_page(request, user, user_id)


async def _user_page(
    request: Request,
    user: ConsoleUser,
    user_id: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    posted: tuple[str, list[str]] | None = None,
) -> Response:
    """A branch user's page; `posted` is the main and further roles of a refused role form,
    shown as they were sent."""
    ctx = console_of(request)
    lang = language(request)
    try:
        found = await run_in_threadpool(devices.branch_user, ctx.hub, user_id)
    except Refused:
        return ctx.done("/users", problem=translate(NO_USER, lang))
    role, extras = posted or (str(found.get("role") or ""), _listed(found.get(EXTRA)))
    return ctx.render(
        request,
        user,
        "user.html",
        status=status,
        target=found,
        branch_roles=_branch_roles(lang),
        role_name=_roles_name(found.get("role"), found.get(EXTRA), lang),
        values={"role": role},
        extras=extras,
        errors=errors or {},
    )


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


@router.post("/users/{user_id}/role")
async def change_roles(request: Request, user_id: str) -> Response:
    """A branch user's main role and further roles, from one form."""
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    fields = await ctx.form(request, user)
    extras = await ctx.form_list(request, user, EXTRA)
    role = fields.get("role", "")
    return await _answer(
        request,
        user,
        user_id,
        lambda: _roles(ctx.hub, user, user_id, role, extras),
        (role, extras),
    )


@router.post("/users/{user_id}/{action}")
async def change_user(request: Request, user_id: str, action: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    fields = await ctx.form(request, user)
    if action not in _ACTIONS:
        return Response(status_code=404)
    change = _ACTIONS[action]
    return await _answer(request, user, user_id, lambda: change(ctx.hub, user, user_id, fields))


async def _answer(
    request: Request,
    user: ConsoleUser,
    user_id: str,
    change: Callable[[], Notice],
    posted: tuple[str, list[str]] | None = None,
) -> Response:
    """Make a branch user's change and go back to their page with what happened."""
    ctx = console_of(request)
    lang = language(request)
    try:
        text, params = await run_in_threadpool(change)
    except (FormErrors, ValidationError) as exc:
        return await _user_page(request, user, user_id, 400, form_errors(exc, lang), posted)
    except Refused:
        return ctx.done("/users", problem=translate(NO_USER, lang))
    return ctx.done(f"/users/{user_id}", notice=translate(text, lang, **params))


def _branch_change(
    hub: Hub,
    user: ConsoleUser,
    user_id: str,
    action: str,
    change: Callable[[Any], bool | None],
    **detail: Any,
) -> tuple[str, bool]:
    """Change a branch user with its audit row in one transaction; their user name, and
    whether anything changed."""
    with hub.writing() as connection:
        found = devices.branch_user_record(connection, user_id)
        changed = change(connection) is not False
        if changed:
            record(
                connection,
                user.username,
                action,
                found.get("username"),
                user_id=user.id,
                user_account_id=user_id,
                branch_id=found.get("branch_id"),
                **detail,
            )
    return str(found.get("username")), changed


def _roles(hub: Hub, user: ConsoleUser, user_id: str, role: str, chosen: list[str]) -> Notice:
    """Give a branch user this main role and these further roles, as HQ's change of the
    fields that differ (as the main role alone was written before), with its audit row.
    Raises FormErrors naming each wrong field, or Refused (404)."""
    problems: list[ValidationError] = []
    granted = extras = None
    try:
        granted = devices.validate_role(role).value
    except ValidationError as exc:
        problems.append(exc)
    try:
        extras = extra_roles(role, chosen)
    except ValidationError as exc:
        problems.append(exc)
    with hub.writing() as connection:
        current = devices.branch_user_record(connection, user_id)
        if problems:
            raise FormErrors(problems)
        was = {"role": current.get("role"), EXTRA: current.get(EXTRA) or None}
        changed = {k: v for k, v in {"role": granted, EXTRA: extras}.items() if was[k] != v}
        if changed:
            hub.write_as_hq(connection, "user_account", user_id, changed, current["branch_id"])
            record(
                connection,
                user.username,
                "user_role",
                current.get("username"),
                user_id=user.id,
                user_account_id=user_id,
                branch_id=current.get("branch_id"),
                role=granted,
                extra_roles=extras or [],
                was_role=was["role"],
                was_extra_roles=was[EXTRA] or [],
            )
    return N_(
        "{username}'s roles are saved; the branch's laptops receive them at their next sync."
    ), {"username": str(current.get("username"))}


def _password(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    password = fields.get("password", "")
    username, _ = _branch_change(
        hub,
        user,
        user_id,
        "user_password_reset",
        lambda c: devices.set_user_password(hub, c, user_id, password),
    )
    return N_(
        "{username} has a new password; it works on the branch's laptops after their next sync."
    ), {"username": username}


def _active(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    active = fields.get("active") == "1"
    username, _ = _branch_change(
        hub,
        user,
        user_id,
        "user_enable" if active else "user_disable",
        lambda c: devices.set_user_active(hub, c, user_id, active),
    )
    text = N_("{username} is enabled.") if active else N_("{username} is disabled.")
    return text, {"username": username}


_ACTIONS: dict[str, Callable[[Hub, ConsoleUser, str, dict[str, str]], Notice]] = {
    "password": _password,
    "active": _active,
}
