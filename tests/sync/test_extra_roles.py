"""A user's further roles travel like any field: the manager's laptop gives them, HQ checks each
one as it checks the main role, and the branch's other laptops grant the user every right of
every role. A laptop that slips a higher role in among the extras is refused."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from db.enums import Role
from db.models import User
from romah_desktop.permissions import Permission, roles_label
from romah_desktop.services.users import add_user, change_role
from sync.server.console import auth
from sync.server.schema import hq_quarantine
from tests.sync.conftest import HQ, PASSWORD, Laptop
from tests.sync.helpers import hq_data


def test_a_receptionist_researcher_reaches_the_other_laptop_with_both_roles(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    first, second = laptop("ryd-1"), laptop("ryd-2")
    manager = first.login("manager.ryd")
    with first.workspace.db.transaction() as session:
        huda = add_user(
            session,
            manager,
            "huda.ryd",
            "هدى الحربي",
            Role.INTERVIEWER,
            PASSWORD,
            extra_roles={Role.SOCIAL_RESEARCHER},
        )
        huda_id = huda.id
    assert first.sync()["quarantined"] == 0
    held = hq_data(hq.hub.engine, "user_account", huda_id)
    assert held is not None
    assert held["role"] == "interviewer" and held["extra_roles"] == ["social_researcher"]

    # HQ's console shows both, as the laptops name them.
    auth.add_user(hq.hub.engine, "console.admin", "مشرف", "hq_admin", "console-pass-1")
    token, _user = auth.sign_in(hq.hub.engine, "console.admin", "console-pass-1")
    hq.http.cookies.set("romah_hq_session", token)
    for page in (hq.http.get("/console/users"), hq.http.get(f"/console/users/{huda_id}")):
        assert page.status_code == 200
        assert roles_label(frozenset({Role.INTERVIEWER, Role.SOCIAL_RESEARCHER}), "ar") in page.text

    second.sync()
    there = second.login("huda.ryd")
    assert there.roles == {Role.INTERVIEWER, Role.SOCIAL_RESEARCHER}
    there.require(Permission.ANSWER_REFERRAL)
    there.require(Permission.REGISTER_BENEFICIARY)


def test_hq_refuses_a_higher_role_slipped_in_among_the_extras(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    ryd = laptop("ryd-1")
    manager = ryd.login("manager.ryd")
    with ryd.workspace.db.session() as session:
        clerk_id = session.scalars(sa.select(User.id).where(User.username == "clerk.ryd")).one()
    with ryd.workspace.db.transaction() as session:
        change_role(session, manager, "clerk.ryd", Role.INTERVIEWER, {Role.BRANCH_DELEGATE})
    assert ryd.sync()["quarantined"] == 0
    # As a tampered laptop would write it, past the laptop's own check.
    with ryd.workspace.db.transaction() as session:
        clerk = session.get(User, clerk_id)
        assert clerk is not None
        clerk.extra_roles = ["branch_delegate", "hq_admin"]
    assert ryd.sync()["quarantined"] == 1
    with hq.hub.engine.connect() as connection:
        reasons = list(connection.execute(sa.select(hq_quarantine.c.reason)).scalars())
    assert any("may not grant the role hq_admin" in r for r in reasons), reasons
    held = hq_data(hq.hub.engine, "user_account", clerk_id)
    assert held is not None and held["extra_roles"] == ["branch_delegate"]
