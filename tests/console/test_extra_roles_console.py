"""A branch user with two roles, added and then given other roles in the console, in a real
browser against a real HQ process; the branch's laptop receives every role at its next sync."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from db.enums import Role
from db.models import User
from romah_desktop.permissions import roles_label
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.server.console.audit import recent
from tests.console.conftest import screenshot, sign_in, submit
from tests.sync.helpers import HQProcess

BOX = "input[name=extra_roles][value={}]"


def _box(page: object, form: str, role: str) -> tuple[bool, bool]:
    """Whether a role's box is ticked, and whether it is fixed (the main role's)."""
    box = page.locator(f"{form} {BOX.format(role)}")  # type: ignore[attr-defined]
    return bool(box.is_checked()), bool(box.is_disabled())


def _roles_on_laptop(workspace: Workspace, username: str) -> tuple[Role, frozenset[Role]]:
    with workspace.db.session() as session:
        user = session.scalars(sa.select(User).where(User.username == username)).one()
        return user.role, user.roles


def test_a_user_with_two_roles_is_added_and_given_others_and_the_laptop_receives_them(
    page: object, hq_server: HQProcess, laptop: tuple[Workspace, SyncClient], tmp_path: Path
) -> None:
    workspace, client = laptop
    sign_in(page, "amal")
    page.goto("/console/users")  # type: ignore[attr-defined]
    form = "#add-user"
    page.select_option(f"{form} select[name=branch]", label="فرع الرياض (RYD)")  # type: ignore[attr-defined]
    page.fill(f"{form} input[name=username]", "huda")  # type: ignore[attr-defined]
    page.fill(f"{form} input[name=full_name]", "هدى الحربي")  # type: ignore[attr-defined]
    page.fill(f"{form} input[name=password]", "huda-pass-1")  # type: ignore[attr-defined]
    page.select_option(f"{form} select[name=role]", "interviewer")  # type: ignore[attr-defined]
    # The main role's box is ticked and fixed, as on the laptops' Users page.
    assert _box(page, form, "interviewer") == (True, True)
    page.check(f"{form} {BOX.format('social_researcher')}")  # type: ignore[attr-defined]
    screenshot(page, "users-two-roles", tmp_path)
    assert submit(page, form) == 200
    assert "أُضيف المستخدم huda" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    both = roles_label(frozenset({Role.INTERVIEWER, Role.SOCIAL_RESEARCHER}), "ar")
    assert both in page.inner_text("#branch-users tr[data-username=huda]")  # type: ignore[attr-defined]

    client.sync()
    assert _roles_on_laptop(workspace, "huda") == (
        Role.INTERVIEWER,
        {Role.INTERVIEWER, Role.SOCIAL_RESEARCHER},
    )

    page.click("#branch-users tr[data-username=huda] >> text=إدارة المستخدم")  # type: ignore[attr-defined]
    form = "#user-role"
    assert both in page.inner_text("#user-facts")  # type: ignore[attr-defined]
    assert _box(page, form, "interviewer") == (True, True)
    assert _box(page, form, "social_researcher") == (True, False)
    assert _box(page, form, "committee_member") == (False, False)
    # Another main role frees the old one's box; the researcher stays, the committee is added.
    page.select_option(f"{form} select[name=role]", "branch_delegate")  # type: ignore[attr-defined]
    assert _box(page, form, "interviewer") == (False, False)
    assert _box(page, form, "branch_delegate") == (True, True)
    page.check(f"{form} {BOX.format('committee_member')}")  # type: ignore[attr-defined]
    assert submit(page, form) == 200
    assert "حُفظت أدوار huda" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    three = frozenset({Role.BRANCH_DELEGATE, Role.SOCIAL_RESEARCHER, Role.COMMITTEE_MEMBER})
    assert roles_label(three, "ar") in page.inner_text("#user-facts")  # type: ignore[attr-defined]
    assert page.input_value(f"{form} select[name=role]") == "branch_delegate"  # type: ignore[attr-defined]
    assert _box(page, form, "committee_member") == (True, False)
    screenshot(page, "user-roles", tmp_path)

    client.sync()
    assert _roles_on_laptop(workspace, "huda") == (Role.BRANCH_DELEGATE, three)
    done = [a for a in recent(hq_server.hub.engine) if a["action"] in {"user_add", "user_role"}]
    assert [(a["action"], a["detail"]["extra_roles"]) for a in reversed(done)] == [
        ("user_add", ["social_researcher"]),
        ("user_role", ["social_researcher", "committee_member"]),
    ]
