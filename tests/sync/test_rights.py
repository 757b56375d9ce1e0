"""HQ enforces who may write what: a laptop's token proves the laptop, not its user's rights.

Each change names the user signed in when it was made; HQ checks that user's role, branch and
standing in its own records. A refused change is quarantined with its reason and never reaches
another laptop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from db.enums import ReferenceKind, Role
from db.models import ReferenceDocument, User
from romah_desktop.services.users import change_password, user_credentials
from sync.server.schema import hq_change, hq_quarantine, hq_row
from tests.sync.conftest import HQ, PASSWORD, Laptop
from tests.sync.helpers import hq_data, push_raw, raw_device

DEVICE_ID = "01900000-0000-7000-8000-00000000beef"
NEW_USER = "01900000-0000-7000-8000-0000000000a1"
STAMP = "0001700000000000-00000-device"


@pytest.fixture
def device(hq: HQ) -> dict[str, str]:
    """The headers of a Riyadh laptop enrolled over HTTP (its token, nothing else)."""
    return raw_device(hq.http, hq.hub, DEVICE_ID)


def _user_id(hq: HQ, username: str) -> str:
    with hq.hub.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_row.c.row_id, hq_row.c.data).where(hq_row.c.table_name == "user_account")
        ).all()
    return next(r.row_id for r in rows if r.data.get("username") == username)


def _new_user(hq: HQ, role: str, by: str | None, s: int = 1) -> dict[str, Any]:
    """A user account created on the Riyadh laptop by the user `by` (None: no user named)."""
    values = {
        "username": "intruder",
        "full_name": "متسلل",
        "role": role,
        "branch_id": hq.hub.branch_id("RYD"),
        "active": True,
        "deleted_at": None,
        "origin_device_id": DEVICE_ID,
        "hlc": STAMP,
        "created_at": "2026-12-01T10:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
        **user_credentials(PASSWORD).values(),
    }
    change = {"s": s, "t": "user_account", "r": NEW_USER, "o": "i", "c": values, "h": STAMP}
    if by is not None:
        change["u"] = _user_id(hq, by)
    return change


def _quarantined(hq: HQ) -> list[str]:
    with hq.hub.engine.connect() as connection:
        return list(connection.execute(sa.select(hq_quarantine.c.reason)).scalars())


def _in_feed(hq: HQ, row_id: str) -> bool:
    with hq.hub.engine.connect() as connection:
        return (
            connection.execute(
                sa.select(sa.func.count()).where(hq_change.c.row_id == row_id)
            ).scalar_one()
            > 0
        )


def _laptop_users(machine: Laptop) -> set[str]:
    with machine.workspace.db.session() as session:
        return set(session.scalars(sa.select(User.username)))


@pytest.mark.parametrize("by", [None, "clerk.ryd", "manager.ryd"])
def test_a_device_token_cannot_make_an_hq_administrator(
    hq: HQ, device: dict[str, str], laptop: Callable[..., Laptop], by: str | None
) -> None:
    result = push_raw(hq.http, device, _new_user(hq, "hq_admin", by))[0]
    # A branch's manager manages its users, but never grants a role above the branch.
    assert any(w in result.get("q", "") for w in ("user", "grant the role")), result
    assert any(w in result["q"] for w in ("must name", "may not")), result
    assert result.get("g") is None
    assert len(_quarantined(hq)) == 1
    assert hq_data(hq.hub.engine, "user_account", NEW_USER) is None
    assert not _in_feed(hq, NEW_USER)
    fresh = laptop("ryd-new")
    assert "intruder" not in _laptop_users(fresh)


def test_an_administrator_creates_an_interviewer_of_a_branch(
    hq: HQ, device: dict[str, str], laptop: Callable[..., Laptop]
) -> None:
    hq.hub.add_user("admin.hq", "مدير النظام", "hq_admin", "RYD", user_credentials(PASSWORD))
    result = push_raw(hq.http, device, _new_user(hq, "interviewer", "admin.hq"))[0]
    assert result.get("q") is None and result.get("g"), result
    assert "intruder" in _laptop_users(laptop("ryd-new"))


def test_a_user_of_another_branch_disabled_or_unknown_is_refused(
    hq: HQ, device: dict[str, str]
) -> None:
    change = _new_user(hq, "interviewer", "manager.jed")
    assert "another branch" in push_raw(hq.http, device, change)[0]["q"]
    change = {**_new_user(hq, "interviewer", None, s=2), "u": NEW_USER}
    assert "not known" in push_raw(hq.http, device, change)[0]["q"]
    # The clerk, once disabled at HQ, changes nothing more; a person's record neither.
    clerk = _user_id(hq, "clerk.ryd")
    held = hq_data(hq.hub.engine, "user_account", clerk)
    assert held is not None
    with hq.hub.engine.begin() as connection:
        connection.execute(
            sa.update(hq_row)
            .where(hq_row.c.table_name == "user_account", hq_row.c.row_id == clerk)
            .values(data={**held, "active": False})
        )
    person = {
        "s": 3,
        "t": "beneficiary",
        "r": "01900000-0000-7000-8000-0000000000b1",
        "o": "i",
        "c": {"first_name": "سارة"},
        "h": STAMP,
        "u": clerk,
    }
    assert "disabled" in push_raw(hq.http, device, person)[0]["q"]
    assert not _in_feed(hq, person["r"])
    # The branch manager, once disabled at HQ, makes no more users.
    manager = _user_id(hq, "manager.ryd")
    held = hq_data(hq.hub.engine, "user_account", manager)
    assert held is not None
    with hq.hub.engine.begin() as connection:
        connection.execute(
            sa.update(hq_row)
            .where(hq_row.c.table_name == "user_account", hq_row.c.row_id == manager)
            .values(data={**held, "active": False})
        )
    change = _new_user(hq, "interviewer", "manager.ryd", s=4)
    assert "disabled" in push_raw(hq.http, device, change)[0]["q"]
    assert len(_quarantined(hq)) == 4


def test_a_reference_document_from_a_branch_manager_does_not_reach_jeddah(
    hq: HQ, device: dict[str, str], laptop: Callable[..., Laptop]
) -> None:
    document = "01900000-0000-7000-8000-0000000000d1"
    values = {
        "kind": ReferenceKind.BYLAWS.value,
        "title": "سياسة مزورة",
        "version": "9",
        "approved_on": None,
        "review_due_on": None,
        "body": "نص",
        "attachment_sha256": None,
        "deleted_at": None,
        "origin_device_id": DEVICE_ID,
        "hlc": STAMP,
        "created_at": "2026-12-01T10:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
    }
    for s, by in ((1, None), (2, "manager.ryd")):
        change = {"s": s, "t": "reference_document", "r": document, "o": "i", "c": values}
        change["h"] = STAMP
        if by is not None:
            change["u"] = _user_id(hq, by)
        result = push_raw(hq.http, device, change)[0]
        assert result.get("g") is None, result
        assert any(w in result["q"] for w in ("must name", "may not")), result
    assert not _in_feed(hq, document)
    jeddah = laptop("jed-1", "JED")
    with jeddah.workspace.db.session() as session:
        assert session.get(ReferenceDocument, document) is None


def test_a_user_changes_their_own_password_but_not_their_own_role(
    hq: HQ, laptop: Callable[..., Laptop]
) -> None:
    """On a real laptop: each change carries the signed-in user; HQ takes the clerk's new
    password and refuses the clerk's own promotion (as a tampered laptop would push it)."""
    ryd = laptop("ryd-1")
    clerk = ryd.login("clerk.ryd")
    with ryd.workspace.db.transaction() as session:
        change_password(session, clerk, PASSWORD, "clerk-new-pass-1")
    assert ryd.sync()["quarantined"] == 0
    held = hq_data(hq.hub.engine, "user_account", clerk.user_id)
    assert held is not None
    with ryd.workspace.db.session() as session:
        mine = session.get(User, clerk.user_id)
        assert mine is not None and held["private_key_box"] == mine.private_key_box
    with ryd.workspace.db.transaction() as session:
        mine = session.get(User, clerk.user_id)
        assert mine is not None
        mine.role = Role.HQ_ADMIN
    assert ryd.sync()["quarantined"] == 1
    assert any("may not change user accounts" in r for r in _quarantined(hq))
    held = hq_data(hq.hub.engine, "user_account", clerk.user_id)
    assert held is not None and held["role"] == "interviewer"
