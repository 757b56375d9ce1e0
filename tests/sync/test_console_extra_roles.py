"""A branch user's further roles set from HQ's console: each one HQ may grant by the laptops'
rule, checked by the server whatever the browser sends, written as HQ's change of the synced
record (so the branch's laptops receive it), and audited. A role HQ may not grant is refused
with a message in the page's language, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import sqlalchemy as sa

from db.enums import Role
from db.models import User
from romah_desktop.permissions import MATRIX, Permission
from sync.server.console import auth
from sync.server.console.audit import recent
from sync.server.schema import hq_row
from tests.sync.conftest import HQ, Laptop
from tests.sync.helpers import hq_data

CONSOLE_PASSWORD = "console-pass-1"


def _console(hq: HQ, lang: str = "ar") -> str:
    """Sign an HQ administrator in on `hq.http`; the session's CSRF token."""
    auth.add_user(hq.hub.engine, "amal", "أمل العتيبي", "hq_admin", CONSOLE_PASSWORD)
    token, user = auth.sign_in(hq.hub.engine, "amal", CONSOLE_PASSWORD)
    hq.http.cookies.set("romah_hq_session", token)
    hq.http.cookies.set("romah_hq_lang", lang)
    return user.csrf


def _post(hq: HQ, path: str, fields: list[tuple[str, str]]) -> httpx.Response:
    return hq.http.post(
        path,
        content=str(httpx.QueryParams(fields)),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def _new_user(csrf: str, username: str, role: str, *extras: str) -> list[tuple[str, str]]:
    return [
        ("csrf", csrf),
        ("branch", ""),
        ("username", username),
        ("full_name", "هدى الحربي"),
        ("role", role),
        ("password", "huda-pass-1"),
        *(("extra_roles", e) for e in extras),
    ]


def _user_id(hq: HQ, username: str) -> str | None:
    with hq.hub.engine.connect() as connection:
        for row_id, data in connection.execute(
            sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "user_account")
        ):
            if data.get("username") == username:
                return str(row_id)
    return None


def _actions(hq: HQ) -> list[str]:
    return [a["action"] for a in recent(hq.hub.engine) if a["action"] != "sign_in"]


def test_a_user_added_and_edited_with_further_roles_reaches_the_branchs_laptop(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    ryd = laptop("ryd-1")
    csrf = _console(hq)
    fields = _new_user(csrf, "huda", "interviewer", "social_researcher", "interviewer")
    fields[1] = ("branch", hq.hub.branch_id("RYD"))
    answer = _post(hq, "/console/users", fields)
    assert answer.status_code == 303, answer.text
    huda_id = _user_id(hq, "huda")
    assert huda_id is not None
    held = hq_data(hq.hub.engine, "user_account", huda_id)
    assert held is not None
    assert (held["role"], held["extra_roles"]) == ("interviewer", ["social_researcher"])
    added = recent(hq.hub.engine)[0]
    assert added["action"] == "user_add"
    assert added["detail"]["extra_roles"] == ["social_researcher"]

    ryd.sync()
    with ryd.workspace.db.session() as session:
        huda = session.scalars(sa.select(User).where(User.username == "huda")).one()
        assert huda.roles == {Role.INTERVIEWER, Role.SOCIAL_RESEARCHER}

    # The main role becomes the delegate's; the researcher stays, the committee is added.
    answer = _post(
        hq,
        f"/console/users/{huda_id}/role",
        [
            ("csrf", csrf),
            ("role", "branch_delegate"),
            ("extra_roles", "social_researcher"),
            ("extra_roles", "committee_member"),
        ],
    )
    assert answer.status_code == 303, answer.text
    assert "حُفظت أدوار huda" in httpx.URL(answer.headers["location"]).params["notice"]
    held = hq_data(hq.hub.engine, "user_account", huda_id)
    assert held is not None
    assert (held["role"], held["extra_roles"]) == (
        "branch_delegate",
        ["social_researcher", "committee_member"],
    )
    edited = recent(hq.hub.engine)[0]
    assert (edited["action"], edited["target"]) == ("user_role", "huda")
    assert edited["detail"]["extra_roles"] == ["social_researcher", "committee_member"]
    assert edited["detail"]["was_extra_roles"] == ["social_researcher"]

    ryd.sync()
    with ryd.workspace.db.session() as session:
        huda = session.scalars(sa.select(User).where(User.username == "huda")).one()
        assert huda.role is Role.BRANCH_DELEGATE
        assert huda.roles == {Role.BRANCH_DELEGATE, Role.SOCIAL_RESEARCHER, Role.COMMITTEE_MEMBER}

    # Every further role taken away.
    answer = _post(hq, f"/console/users/{huda_id}/role", [("csrf", csrf), ("role", "interviewer")])
    assert answer.status_code == 303
    held = hq_data(hq.hub.engine, "user_account", huda_id)
    assert held is not None and (held["role"], held["extra_roles"]) == ("interviewer", None)


@pytest.mark.parametrize(
    ("lang", "message"),
    [("ar", "لا يحق للمركز الرئيسي منح الدور مدير الفرع"), ("en", "HQ may not grant the role")],
)
def test_a_further_role_hq_may_not_grant_is_refused_and_nothing_is_written(
    hq: HQ, monkeypatch: pytest.MonkeyPatch, lang: str, message: str
) -> None:
    # Were HQ's administrator not to see every branch, the laptops' rule would keep it from
    # granting the roles that manage users or see all branches.
    monkeypatch.setitem(MATRIX, Permission.SEE_ALL_BRANCHES, frozenset())
    csrf = _console(hq, lang)
    clerk_id = _user_id(hq, "clerk.ryd")
    assert clerk_id is not None
    before = hq_data(hq.hub.engine, "user_account", clerk_id)

    fields = _new_user(csrf, "huda", "interviewer", "social_researcher", "branch_manager")
    fields[1] = ("branch", hq.hub.branch_id("RYD"))
    answer = _post(hq, "/console/users", fields)
    assert answer.status_code == 400
    assert message in answer.text
    assert 'name="extra_roles" value="social_researcher" checked' in answer.text
    assert _user_id(hq, "huda") is None

    answer = _post(
        hq,
        f"/console/users/{clerk_id}/role",
        [("csrf", csrf), ("role", "interviewer"), ("extra_roles", "branch_manager")],
    )
    assert answer.status_code == 400
    assert message in answer.text
    assert hq_data(hq.hub.engine, "user_account", clerk_id) == before
    assert _actions(hq) == []


def test_a_forged_role_is_refused_with_every_other_wrong_field(hq: HQ) -> None:
    csrf = _console(hq)
    answer = _post(hq, "/console/users", _new_user(csrf, "Huda Q", "interviewer", "superuser"))
    assert answer.status_code == 400
    assert "يرجى اختيار أحد الخيارات من القائمة" in answer.text
    assert "يرجى اختيار فرع المستخدم" in answer.text
    assert "يتكون اسم المستخدم" in answer.text
    clerk_id = _user_id(hq, "clerk.ryd")
    answer = _post(
        hq,
        f"/console/users/{clerk_id}/role",
        [("csrf", csrf), ("role", "interviewer"), ("extra_roles", "superuser")],
    )
    assert answer.status_code == 400
    assert "يرجى اختيار أحد الخيارات من القائمة" in answer.text
    assert _actions(hq) == []
