"""Laptops: issue a branch's one-time enrolment code (as text and as a QR code), see each
laptop's last sync, app version, changes waiting and errors, and revoke one with a reason."""

# qrcode ships no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from datetime import datetime
from typing import Any

import qrcode
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from qrcode.image.svg import SvgPathFillImage
from starlette.concurrency import run_in_threadpool

from romah_desktop.i18n import N_, translate
from romah_desktop.permissions import Permission
from sync.server import devices
from sync.server.console.audit import record
from sync.server.console.auth import ConsoleUser
from sync.server.console.web import console_of, language
from sync.server.hub import Hub
from sync.server.schema import hq_branch, hq_row
from sync.server.store import Refused

router = APIRouter()
QR_PIXELS = 220


def branches(hub: Hub) -> list[dict[str, str]]:
    """Every branch HQ has, by code, with its name."""
    with hub.engine.connect() as connection:
        names = {
            row_id: str(data.get("name") or "")
            for row_id, data in connection.execute(
                sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "branch")
            )
        }
        return [
            {"code": code, "name": names.get(branch_id, "")}
            for branch_id, code in connection.execute(
                sa.select(hq_branch.c.id, hq_branch.c.code).order_by(hq_branch.c.code)
            )
        ]


def qr_svg(text: str) -> str:
    """`text` as a QR code, an SVG element to put in the page (no file, no script)."""
    image = qrcode.make(text, image_factory=SvgPathFillImage, border=2)
    svg = image.to_string(encoding="unicode")
    # The size in pixels rather than the library's millimetres; the view box scales it.
    head, _, rest = svg.partition(">")
    head = " ".join(part for part in head.split(" ") if not part.startswith(("width=", "height=")))
    label = 'role="img" aria-label="QR"'
    return f'{head} width="{QR_PIXELS}" height="{QR_PIXELS}" {label}>{rest}'


def _page(request: Request, user: ConsoleUser, status: int = 200, **context: Any) -> Response:
    ctx = console_of(request)
    return ctx.render(
        request,
        user,
        "devices.html",
        status=status,
        laptops=devices.laptops(ctx.hub),
        branches=branches(ctx.hub),
        **context,
    )


@router.get("/devices")
async def devices_page(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.ENROL_DEVICE)
    return await run_in_threadpool(_page, request, user)


@router.post("/devices/code")
async def issue_code(request: Request) -> Response:
    """A new code, shown once in the answer to this request (never put in an address)."""
    ctx = console_of(request)
    user = await ctx.user(request, Permission.ENROL_DEVICE)
    fields = await ctx.form(request, user)
    branch = fields.get("branch", "").strip().upper()

    def issue() -> tuple[str, datetime]:
        return devices.issue_enrolment_code(
            ctx.hub,
            branch,
            lambda connection: record(
                connection, user.username, "enrolment_code_issued", branch, user_id=user.id
            ),
        )

    try:
        code, expires = await run_in_threadpool(issue)
    except Refused as exc:
        return ctx.done("/devices", problem=exc.reason)
    issued = {"code": code, "branch": branch, "expires": expires, "qr": qr_svg(code)}
    return await run_in_threadpool(_page, request, user, 200, issued=issued)


@router.post("/devices/{device_id}/revoke")
async def revoke(request: Request, device_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.ENROL_DEVICE)
    fields = await ctx.form(request, user)
    lang = language(request)
    reason = " ".join(fields.get("reason", "").split())[:500]
    if not reason:
        return ctx.done("/devices", problem=translate(N_("Say why this laptop is revoked."), lang))

    def revoke_it() -> None:
        devices.revoke_device(
            ctx.hub,
            device_id,
            reason,
            lambda connection: record(
                connection,
                user.username,
                "device_revoked",
                device_id,
                user_id=user.id,
                reason=reason,
            ),
        )

    try:
        await run_in_threadpool(revoke_it)
    except Refused as exc:
        return ctx.done("/devices", problem=exc.reason)
    return ctx.done(
        "/devices",
        notice=translate(N_("The laptop is revoked: its next sync will be refused."), lang),
    )
