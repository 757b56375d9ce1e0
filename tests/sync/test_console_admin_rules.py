"""The rules behind the console's branches and users pages, without a browser: which phones,
codes and roles HQ accepts, that every wrong field is named at once, and that a change is
HQ's change of the synced record (in the feed laptops pull)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.engine import create_engine
from db.values import check
from romah_desktop import settings
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.validation import validate_phone
from sync.server import devices
from sync.server.console import auth
from sync.server.hub import Hub
from sync.server.migrate import upgrade
from sync.server.schema import hq_change
from tests.sync.conftest import HQ, Laptop


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    engine = create_engine(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
    upgrade(engine)
    found = Hub(engine)
    found.add_branch("RYD", "فرع الرياض")
    yield found
    engine.dispose()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0501234567", "0501234567"),
        ("+966 50 123 4567", "0501234567"),
        ("011 234 5678", "011 234 5678"),
        ("+966112345678", "+966112345678"),
        ("9200 12345", "9200 12345"),
        ("800 123 4567", "800 123 4567"),
        ("٠١١ ٢٣٤ ٥٦٧٨", "011 234 5678"),
        ("٠٥٠١٢٣٤٥٦٧", "0501234567"),
        ("   ", None),
    ],
)
def test_a_branch_phone_is_a_saudi_mobile_landline_or_unified_number(
    typed: str, kept: str | None
) -> None:
    assert validate_phone(typed) == kept


@pytest.mark.parametrize("typed", ["12ab", "0123", "050123", "+44 20 7946 0000"])
def test_other_phones_are_refused_with_a_message(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_phone(typed)
    assert caught.value.field == "phone"
    assert any("\u0621" <= c <= "\u064a" for c in caught.value.text("ar"))


def test_every_wrong_field_of_a_new_branch_is_named_and_nothing_is_written(hub: Hub) -> None:
    head = _head(hub)
    with pytest.raises(FormErrors) as caught, hub.writing() as connection:
        devices.create_branch(hub, connection, "ryd", "", "12ab", "x" * 301)
    assert [e.field for e in caught.value.errors] == ["code", "name", "phone", "address"]
    assert _head(hub) == head


def test_a_branch_edit_writes_only_what_changed_as_hqs_change(hub: Hub) -> None:
    branch_id = hub.branch_id("RYD")
    head = _head(hub)
    with hub.writing() as connection:
        changed = devices.update_branch(hub, connection, branch_id, "فرع الرياض", "0112345678", "")
    assert changed == {"phone": "0112345678"}
    with hub.engine.connect() as connection:
        data = connection.execute(
            sa.select(hq_change.c.data, hq_change.c.scope).where(hq_change.c.seq > head)
        ).one()
    assert data.scope == branch_id and data.data["phone"] == "0112345678"
    with hub.writing() as connection:
        assert (
            devices.update_branch(hub, connection, branch_id, "فرع الرياض", "0112345678", "") == {}
        )


def test_branch_users_roles_are_the_laptops_and_secrets_stay_at_hq(hub: Hub) -> None:
    branch_id = hub.branch_id("RYD")
    with pytest.raises(FormErrors) as caught, hub.writing() as connection:
        devices.add_branch_user(hub, connection, "", "x", "", "king", "short")
    assert [e.field for e in caught.value.errors] == [
        "branch",
        "username",
        "full_name",
        "role",
        "password",
    ]
    with hub.writing() as connection:
        user_id, _ = devices.add_branch_user(
            hub, connection, branch_id, "Nora", "نورة", "social_researcher", "nora-pass-1"
        )
    with pytest.raises(FormErrors) as caught, hub.writing() as connection:
        devices.add_branch_user(
            hub, connection, branch_id, "nora", "نورة", "interviewer", "nora-pass-1"
        )
    assert caught.value.errors[0].field == "username"
    listed = devices.branch_users(hub, branch_id)
    assert [u["username"] for u in listed] == ["nora"]
    assert not {"password_hash", "private_key_box", "public_key"} & set(listed[0])
    with hub.writing() as connection:
        assert devices.set_user_active(hub, connection, user_id, False)
        assert not devices.set_user_active(hub, connection, user_id, False)
    assert devices.branch_user(hub, user_id)["active"] is False


def test_an_hq_console_user_is_added_with_every_wrong_field_named(hub: Hub) -> None:
    with pytest.raises(FormErrors) as caught, hub.engine.begin() as connection:
        auth.form_user(connection, "1x", "", "branch_manager", "short")
    assert [e.field for e in caught.value.errors] == ["username", "full_name", "role", "password"]
    with hub.engine.begin() as connection:
        user_id, username = auth.form_user(connection, "Sami", "سامي", "hq_steward", "sami-pass-1")
    assert username == "sami"
    found = auth.user_by_id(hub.engine, user_id)
    assert found is not None and "password_hash" not in found
    assert not auth.is_locked(found)
    auth.sign_in(hub.engine, "sami", "sami-pass-1")


def test_branch_settings_out_of_their_limits_are_refused_and_nothing_is_written(hub: Hub) -> None:
    branch_id = hub.branch_id("RYD")
    head = _head(hub)
    typed = {"committee_answer_days": "0", "lockout_attempts": "abc", "lockout_minutes": "30"}
    with pytest.raises(FormErrors) as caught, hub.writing() as connection:
        devices.update_branch_settings(hub, connection, branch_id, typed)
    assert [e.field for e in caught.value.errors] == ["committee_answer_days", "lockout_attempts"]
    assert _head(hub) == head
    # The synced record's own rule, as HQ and the laptops apply it: the declarations'.
    assert check("branch", "settings", {"language": "en"}) is not None
    assert check("branch", "settings", {"lockout_attempts": 21}) is not None
    with hub.writing() as connection:
        assert devices.update_branch_settings(hub, connection, branch_id, {}) is None
    assert _head(hub) == head


def test_branch_settings_set_at_hq_reach_every_laptop_of_the_branch(
    hq: HQ, laptop: Callable[[str, str], Laptop]
) -> None:
    riyadh, jeddah = laptop("riyadh", "RYD"), laptop("jeddah", "JED")
    with riyadh.workspace.transaction() as session:
        settings.put(session, "lockout_minutes", 30)
    branch_id = hq.hub.branch_id("RYD")
    typed = {"committee_answer_days": "١٠", "lockout_attempts": "7"}
    with hq.hub.writing() as connection:
        chosen = devices.update_branch_settings(hq.hub, connection, branch_id, typed)
    assert chosen == {"committee_answer_days": 10, "lockout_attempts": 7}
    riyadh.sync()
    jeddah.sync()
    later = laptop("riyadh-2", "RYD")  # enrolled after: the branch record it adopts has them
    for machine in (riyadh, later):
        with machine.workspace.db.session() as session:
            assert settings.get(session, "committee_answer_days") == 10
            assert settings.get(session, "lockout_attempts") == 7
            assert settings.set_by_hq(session) == {"committee_answer_days", "lockout_attempts"}
    with riyadh.workspace.db.session() as session:
        assert settings.get(session, "lockout_minutes") == 30  # left to the branch
    with jeddah.workspace.db.session() as session:
        assert settings.get(session, "committee_answer_days") == 14
    # Left blank again: each laptop's own value is back after the next sync.
    with hq.hub.writing() as connection:
        assert devices.update_branch_settings(hq.hub, connection, branch_id, {}) == {}
    riyadh.sync()
    with riyadh.workspace.db.session() as session:
        assert settings.get(session, "committee_answer_days") == 14
        assert settings.set_by_hq(session) == frozenset()


def _head(hub: Hub) -> int:
    with hub.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(hq_change.c.seq))).scalar() or 0)
