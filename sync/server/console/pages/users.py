"""Users: the accounts of every branch (synced to the branch's laptops) and HQ's own console
users, with adding one, the role, a new password, disabling and enabling, and unlocking.

A branch user's change is HQ's change of their synced record, so it reaches the branch's
laptops at their next sync. An administrator may not disable or demote themselves.
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
from romah_desktop.services.users import validate_password
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
HQ_FORM = ("username", "full_name", "role")
NO_USER = N_("There is no such user.")
NOT_YOURSELF = N_(
    "You cannot disable yourself or take the administrator's role from yourself; ask another "
    "HQ administrator."
)


def _branch_roles(lang: str) -> list[tuple[str, str]]:
    """The roles HQ may give a branch user, with their labels as the laptops show them."""
    return [(r.value, label(r, lang)) for r in Role if may_grant(Role.HQ_ADMIN, r)]


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
    values = {name: fields.get(name, "") for name in USER_FORM}
    lang = language(request)
    try:
        username, branch_id = await run_in_threadpool(
            _add, ctx.hub, user, values, fields.get("password", "")
        )
    except (FormErrors, ValidationError) as exc:
        return await _list_page(request, user, 400, values, form_errors(exc, lang))
    notice = translate(
        N_("User {username} is added; the branch's laptops receive them at their next sync."),
        lang,
        username=username,
    )
    return ctx.done("/users", notice=notice, branch=branch_id)


def _add(hub: Hub, user: ConsoleUser, values: dict[str, str], password: str) -> tuple[str, str]:
    with hub.writing() as connection:
        user_id, username = devices.add_branch_user(
            hub,
            connection,
            values["branch"],
            values["username"],
            values["full_name"],
            values["role"],
            password,
        )
        record(
            connection,
            user.username,
            "user_add",
            username,
            user_id=user.id,
            user_account_id=user_id,
            branch_id=values["branch"],
            role=values["role"],
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
) -> Response:
    ctx = console_of(request)
    lang = language(request)
    try:
        found = await run_in_threadpool(devices.branch_user, ctx.hub, user_id)
    except Refused:
        return ctx.done("/users", problem=translate(NO_USER, lang))
    return ctx.render(
        request,
        user,
        "user.html",
        status=status,
        target=found,
        branch_roles=_branch_roles(lang),
        role_name=_roles_name(found.get("role"), found.get("extra_roles"), lang),
        errors=errors or {},
    )


@router.post("/users/{user_id}/{action}")
async def change_user(request: Request, user_id: str, action: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.MANAGE_USERS)
    fields = await ctx.form(request, user)
    lang = language(request)
    if action not in _ACTIONS:
        return Response(status_code=404)
    try:
        text, params = await run_in_threadpool(_ACTIONS[action], ctx.hub, user, user_id, fields)
    except ValidationError as exc:
        return await _user_page(request, user, user_id, 400, form_errors(exc, lang))
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


def _role(hub: Hub, user: ConsoleUser, user_id: str, fields: dict[str, str]) -> Notice:
    role = fields.get("role", "")
    username, _ = _branch_change(
        hub,
        user,
        user_id,
        "user_role",
        lambda c: devices.set_user_role(hub, c, user_id, role),
        role=role,
    )
    return N_("{username}'s role is saved; the branch's laptops receive it at their next sync."), {
        "username": username
    }


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
    "role": _role,
    "password": _password,
    "active": _active,
}
