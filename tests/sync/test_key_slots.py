"""Users who arrive by sync open a laptop's encrypted database; a password reset at HQ reaches
the laptop with the next signed-in sync; HQ holds nothing that opens a laptop."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from db import keys
from romah_desktop.errors import AuthenticationError
from romah_desktop.keyring import Keyring
from romah_desktop.services.users import user_credentials
from romah_desktop.workspace import Workspace
from sync.server.schema import hq_row
from tests.sync.conftest import HQ, PASSWORD, Laptop


def test_a_user_created_at_hq_signs_in_on_a_laptop(hq: HQ, laptop: Callable[..., Laptop]) -> None:
    ryd = laptop("ryd-1")
    hq.hub.add_user("huda", "هدى", "interviewer", "RYD", user_credentials("huda-pass-1"))
    ryd.sync()  # the manager's session brings her and seals the laptop's key to her
    data_dir = ryd.workspace.data_dir
    ryd.workspace.close()
    workspace, actor = Workspace.unlock(data_dir, "huda", "huda-pass-1")
    ryd.workspace = workspace
    assert actor.username == "huda"
    # Another branch's users are not admitted.
    assert "clerk.jed" not in {s.username for s in Keyring.load(data_dir).slots.values()}
    with pytest.raises(AuthenticationError):
        workspace.login("clerk.jed", PASSWORD)


def test_a_password_reset_at_hq_reaches_the_laptop(hq: HQ, laptop: Callable[..., Laptop]) -> None:
    ryd = laptop("ryd-1")
    assert ryd.login("clerk.ryd").username == "clerk.ryd"
    hq.hub.reset_password("clerk.ryd", user_credentials("clerk-new-pass-1"))
    ryd.sync()
    with pytest.raises(AuthenticationError):
        ryd.login("clerk.ryd")
    assert ryd.workspace.login("clerk.ryd", "clerk-new-pass-1").username == "clerk.ryd"


def test_hq_holds_nothing_that_opens_a_laptop(hq: HQ, laptop: Callable[..., Laptop]) -> None:
    ryd = laptop("ryd-1")
    slot = Keyring.load(ryd.workspace.data_dir).slot_named("clerk.ryd")
    assert slot is not None and slot.sealed_key is not None
    with hq.hub.engine.connect() as connection:
        held = [json.dumps(data) for (data,) in connection.execute(sa.select(hq_row.c.data))]
    everything = "\n".join(held)
    assert ryd.workspace.database_key.hex() not in everything
    assert slot.sealed_key not in everything
    # What HQ holds of the clerk opens nothing without her password.
    record = next(json.loads(h) for h in held if '"clerk.ryd"' in h)
    with pytest.raises(keys.WrongKey):
        keys.open_private_key(record["private_key_box"], "")
    private_key = keys.open_private_key(record["private_key_box"], PASSWORD)
    assert keys.unseal(private_key, slot.sealed_key) == ryd.workspace.database_key


def test_only_a_pull_of_users_or_branches_refreshes_the_key_ring(
    hq: HQ, laptop: Callable[..., Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    from romah_desktop.services.people.beneficiaries import register_beneficiary
    from tests.helpers.people import person_form

    refreshed: list[str] = []
    refresh = Workspace.refresh_key_slots

    def counted(workspace: Workspace) -> None:
        refreshed.append(workspace.data_dir.name)
        refresh(workspace)

    monkeypatch.setattr(Workspace, "refresh_key_slots", counted)
    ryd1, ryd2 = laptop("ryd-1"), laptop("ryd-2")
    clerk = ryd1.login("clerk.ryd")
    with ryd1.workspace.transaction() as session:
        register_beneficiary(session, clerk, person_form())
    ryd1.sync()
    refreshed.clear()
    assert ryd2.sync()["pulled"]  # people only: the key ring cannot have changed
    assert refreshed == []
    hq.hub.add_user("huda", "هدى", "interviewer", "RYD", user_credentials("huda-pass-1"))
    assert ryd2.sync()["pulled"]
    assert refreshed == ["ryd-2"]
    assert Keyring.load(ryd2.workspace.data_dir).slot_named("huda") is not None
