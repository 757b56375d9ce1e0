"""The console's pages, one module per area; each has a `router`."""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.console.pages import home

ROUTERS: list[APIRouter] = [home.router]
