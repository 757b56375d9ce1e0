"""Shared fixtures: a real workspace (SQLite file made by the migrations) and signed-in users."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db import keys
from db.enums import Role
from romah_desktop.i18n import set_language
from romah_desktop.services.context import Actor
from romah_desktop.services.users import add_user
from romah_desktop.workspace import Workspace

ADMIN_PASSWORD = "admin-pass-1"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Key boxes made in tests are opened a few thousand times: argon2id at its lightest keeps the
# same code path at a millisecond each (tests/db/test_keys.py checks the real cost).
keys.PASSWORD_KDF = keys.KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _arabic_by_default() -> Iterator[None]:
    set_language("ar")
    yield
    set_language("ar")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A freshly initialised laptop database in a temporary data folder."""
    ws = Workspace.create(tmp_path / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD)
    yield ws
    ws.close()


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.login("admin", ADMIN_PASSWORD)


@pytest.fixture
def actor_for(workspace: Workspace, admin: Actor) -> Callable[[Role], Actor]:
    """Make (once) and sign in a user with the given role in the admin's branch."""
    made: dict[Role, Actor] = {}

    def make(role: Role) -> Actor:
        if role not in made:
            with workspace.transaction() as session:
                add_user(
                    session, admin, f"user.{role.value}", f"User {role.value}", role, "password-1"
                )
            made[role] = workspace.login(f"user.{role.value}", "password-1")
        return made[role]

    return make
