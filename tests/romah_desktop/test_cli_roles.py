"""`romah user add` and `romah user role` with several roles: the first `--role` is the main
one, the others further roles, each checked by the users service with the window's messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from db.enums import Role
from db.models import User
from romah_desktop.cli import main
from romah_desktop.labels import label
from romah_desktop.permissions import roles_label
from romah_desktop.workspace import Workspace

PASSWORD = "admin-pass-1"
# Every user the tests add has this first password.
NEW_PASSWORD = "new-user-pass-1"


class Romah:
    """The command line on one data folder, as a given user."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.runner = CliRunner()

    def __call__(
        self, *args: str, user: str | None = "admin", password: str = PASSWORD, lang: str = "ar"
    ) -> Result:
        base = ["--data-dir", str(self.data_dir), "--lang", lang]
        if user:
            base += ["--user", user]
        env = {
            "ROMAH_PASSWORD": password,
            "ROMAH_ADMIN_PASSWORD": PASSWORD,
            "ROMAH_NEW_PASSWORD": NEW_PASSWORD,
        }
        return self.runner.invoke(main, [*base, *args], env=env, catch_exceptions=False)

    def roles(self, username: str) -> tuple[Role, frozenset[Role]] | None:
        """A user's main role and every role they hold, as the database keeps them (None for
        no such user)."""
        workspace, _admin = Workspace.unlock(self.data_dir, "admin", PASSWORD)
        try:
            with workspace.db.session() as session:
                user = session.scalars(sa.select(User).where(User.username == username)).first()
                return None if user is None else (user.role, user.roles)
        finally:
            workspace.close()


@pytest.fixture
def romah(tmp_path: Path) -> Romah:
    run = Romah(tmp_path / "data")
    made = run(
        "init", "--branch", "ryd", "--branch-name", "فرع الرياض", "--admin", "admin", user=None
    )
    assert made.exit_code == 0, made.output
    manager = run("user", "add", "mona", "--role", "branch_manager", "--full-name", "منى")
    assert manager.exit_code == 0, manager.output
    return run


def test_a_user_is_added_with_two_roles_and_given_others(romah: Romah) -> None:
    assert romah("user", "add", "huda").exit_code == 2  # no role
    wrong = romah("user", "add", "huda", "--role", "interviewer", "--role", "superuser")
    assert wrong.exit_code == 2 and "superuser" in wrong.stderr
    added = romah(
        "user", "add", "huda", "--role", "interviewer", "--role", "social_researcher", "--json"
    )
    assert added.exit_code == 0, added.output
    result = json.loads(added.stdout)
    assert (result["role"], result["extra_roles"]) == ("interviewer", ["social_researcher"])
    assert romah.roles("huda") == (
        Role.INTERVIEWER,
        {Role.INTERVIEWER, Role.SOCIAL_RESEARCHER},
    )

    changed = romah(
        "user",
        "role",
        "huda",
        "--role",
        "branch_delegate",
        "--role",
        "committee_member",
        "--role",
        "social_researcher",
        user="mona",
        password=NEW_PASSWORD,
    )
    assert changed.exit_code == 0, changed.output
    three = frozenset({Role.BRANCH_DELEGATE, Role.SOCIAL_RESEARCHER, Role.COMMITTEE_MEMBER})
    assert f"أدوار huda الآن: {roles_label(three, 'ar')}." in changed.stdout
    assert romah.roles("huda") == (Role.BRANCH_DELEGATE, three)

    # One role: every further one is taken away.
    alone = romah("user", "role", "huda", "--role", "interviewer", "--json")
    assert alone.exit_code == 0, alone.output
    assert json.loads(alone.stdout)["extra_roles"] == []
    assert romah.roles("huda") == (Role.INTERVIEWER, {Role.INTERVIEWER})


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_further_role_the_manager_may_not_give_is_refused_with_the_services_message(
    romah: Romah, lang: str
) -> None:
    assert romah("user", "add", "huda", "--role", "interviewer").exit_code == 0
    manager = {"user": "mona", "password": NEW_PASSWORD, "lang": lang}
    manager_role, admin_role = label(Role.BRANCH_MANAGER, "ar"), label(Role.HQ_ADMIN, "ar")
    refused = {
        "ar": f"دورك ({manager_role}) لا يسمح بمنح دور «{admin_role}»",
        "en": f"may not give or manage the role {label(Role.HQ_ADMIN, 'en')}",
    }[lang]

    added = romah("user", "add", "sami", "--role", "interviewer", "--role", "hq_admin", **manager)
    assert added.exit_code == 1
    assert refused in added.stderr and "Traceback" not in added.output

    changed = romah(
        "user", "role", "huda", "--role", "interviewer", "--role", "hq_admin", **manager
    )
    assert changed.exit_code == 1
    assert refused in changed.stderr
    assert romah.roles("huda") == (Role.INTERVIEWER, {Role.INTERVIEWER})

    own = romah("user", "role", "mona", "--role", "interviewer", **manager)
    assert own.exit_code == 1
    yourself = {"ar": "لا يمكنك تغيير دورك", "en": "You cannot change your own role"}[lang]
    assert yourself in own.stderr
    assert romah.roles("sami") is None
