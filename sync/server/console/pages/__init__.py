"""The console's pages, one module per area; each has a `router`."""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.console.pages import audit, branches, devices, home, library, steward, users

ROUTERS: list[APIRouter] = [
    home.router,
    audit.router,
    devices.router,
    library.router,
    steward.router,
    branches.router,
    users.router,
]
