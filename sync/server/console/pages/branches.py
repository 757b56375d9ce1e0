"""Branches: the list, adding one, and editing a branch's name, phone and address.

A branch's record is synced: what is changed here reaches the branch's laptops at their next
sync, and is printed on their papers. The branch settings (the committee's days, the lockout)
are each laptop's own (`romah_desktop/settings.py`), changed there by the branch manager,
unless HQ sets them here for all of the branch's laptops.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from romah_desktop import settings
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_, translate
from romah_desktop.permissions import Permission
from sync.server import devices
from sync.server.console.audit import record
from sync.server.console.auth import ConsoleUser
from sync.server.console.web import console_of, language
from sync.server.hub import Hub
from sync.server.store import Refused

router = APIRouter()

BRANCH_FORM = ("code", "name", "phone", "address")
CORRECT = N_("Some fields need correcting; nothing was saved.")


def form_errors(exc: FormErrors | ValidationError, lang: str) -> dict[str, str]:
    """Each wrong field's message in `lang`, by the form field's name."""
    found = exc.errors if isinstance(exc, FormErrors) else [exc]
    errors: dict[str, str] = {}
    for error in found:
        errors.setdefault(error.field, error.text(lang))
    return errors


@router.get("/branches")
async def branch_list(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.CHANGE_SETTINGS)
    return await _list_page(request, user)


async def _list_page(
    request: Request,
    user: ConsoleUser,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx = console_of(request)
    found = await run_in_threadpool(devices.branches, ctx.hub)
    return ctx.render(
        request,
        user,
        "branches.html",
        status=status,
        branches=found,
        values=values or {},
        errors=errors or {},
        error=translate(CORRECT, language(request)) if errors else None,
    )


@router.post("/branches")
async def add_branch(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.CHANGE_SETTINGS)
    fields = await ctx.form(request, user)
    values = {name: fields.get(name, "") for name in BRANCH_FORM}
    lang = language(request)
    try:
        code = await run_in_threadpool(_add, ctx.hub, user, values)
    except (FormErrors, ValidationError) as exc:
        return await _list_page(request, user, 400, values, form_errors(exc, lang))
    notice = translate(N_("Branch {code} is added."), lang, code=code)
    return ctx.done("/branches", notice=notice)


def _add(hub: Hub, user: ConsoleUser, values: dict[str, str]) -> str:
    with hub.writing() as connection:
        branch_id, code = devices.create_branch(
            hub, connection, values["code"], values["name"], values["phone"], values["address"]
        )
        record(connection, user.username, "branch_add", code, user_id=user.id, branch_id=branch_id)
    return code


@router.get("/branches/{branch_id}")
async def branch_page(request: Request, branch_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.CHANGE_SETTINGS)
    return await _branch_page(request, user, branch_id)


async def _branch_page(
    request: Request,
    user: ConsoleUser,
    branch_id: str,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    typed_settings: dict[str, str] | None = None,
    settings_errors: dict[str, str] | None = None,
) -> Response:
    ctx = console_of(request)
    lang = language(request)
    try:
        found = await run_in_threadpool(devices.branch, ctx.hub, branch_id)
    except Refused:
        return ctx.done(
            "/branches", problem=translate(N_("There is no such branch."), language(request))
        )
    shown: dict[str, Any] = {name: found.get(name) or "" for name in BRANCH_FORM}
    from_hq = found.get("settings") or {}
    if typed_settings is None:
        typed_settings = {s.key: str(from_hq.get(s.key, "")) for s in settings.BRANCH_SETTINGS}
    branch_settings = [
        {
            "key": s.key,
            "title": translate(s.title, lang),
            "description": translate(s.description, lang),
            "limits": translate(
                N_("From {minimum} to {maximum}; leave it blank to leave it to the branch."),
                lang,
                minimum=s.minimum,
                maximum=s.maximum,
            )
            if s.type is int
            else translate(N_("Leave it blank to leave it to the branch."), lang),
            "numeric": s.type is int,
            "value": typed_settings.get(s.key, ""),
        }
        for s in settings.BRANCH_SETTINGS
    ]
    return ctx.render(
        request,
        user,
        "branch.html",
        status=status,
        branch=found,
        values=values or shown,
        errors=errors or {},
        error=translate(CORRECT, lang) if errors else None,
        branch_settings=branch_settings,
        settings_errors=settings_errors or {},
        settings_error=translate(CORRECT, lang) if settings_errors else None,
    )


@router.post("/branches/{branch_id}")
async def edit_branch(request: Request, branch_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.CHANGE_SETTINGS)
    fields = await ctx.form(request, user)
    values = {name: fields.get(name, "") for name in BRANCH_FORM if name != "code"}
    lang = language(request)
    try:
        changed = await run_in_threadpool(_edit, ctx.hub, user, branch_id, values)
    except (FormErrors, ValidationError) as exc:
        return await _branch_page(request, user, branch_id, 400, values, form_errors(exc, lang))
    except Refused:
        return ctx.done("/branches", problem=translate(N_("There is no such branch."), lang))
    if not changed:
        notice = translate(N_("Nothing was changed."), lang)
    else:
        notice = translate(
            N_("The branch is saved; its laptops receive it at their next sync."), lang
        )
    return ctx.done(f"/branches/{branch_id}", notice=notice)


def _edit(hub: Hub, user: ConsoleUser, branch_id: str, values: dict[str, str]) -> list[str]:
    with hub.writing() as connection:
        changed = devices.update_branch(
            hub, connection, branch_id, values["name"], values["phone"], values["address"]
        )
        if changed:
            code = devices.branch_row(connection, branch_id)["code"]
            record(
                connection,
                user.username,
                "branch_edit",
                code,
                user_id=user.id,
                branch_id=branch_id,
                **changed,
            )
    return sorted(changed)


@router.post("/branches/{branch_id}/settings")
async def edit_branch_settings(request: Request, branch_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.CHANGE_SETTINGS)
    fields = await ctx.form(request, user)
    typed = {s.key: fields.get(s.key, "") for s in settings.BRANCH_SETTINGS}
    lang = language(request)
    try:
        changed = await run_in_threadpool(_edit_settings, ctx.hub, user, branch_id, typed)
    except (FormErrors, ValidationError) as exc:
        errors = form_errors(exc, lang)
        return await _branch_page(
            request, user, branch_id, 400, typed_settings=typed, settings_errors=errors
        )
    except Refused:
        return ctx.done("/branches", problem=translate(N_("There is no such branch."), lang))
    if changed is None:
        notice = translate(N_("Nothing was changed."), lang)
    else:
        notice = translate(
            N_("The branch settings are saved; its laptops use them after their next sync."),
            lang,
        )
    return ctx.done(f"/branches/{branch_id}", notice=notice)


def _edit_settings(
    hub: Hub, user: ConsoleUser, branch_id: str, typed: dict[str, str]
) -> dict[str, int | str] | None:
    with hub.writing() as connection:
        changed = devices.update_branch_settings(hub, connection, branch_id, typed)
        if changed is not None:
            code = devices.branch_row(connection, branch_id)["code"]
            record(
                connection,
                user.username,
                "branch_settings",
                code,
                user_id=user.id,
                branch_id=branch_id,
                settings=changed,
            )
    return changed
