"""The console's first page after signing in: the dashboard across branches."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from romah_desktop.permissions import Permission
from sync.server.console.web import console_of

router = APIRouter()


@router.get("/")
async def home(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.VIEW_REPORTS)
    return ctx.render(request, user, "home.html")
