"""Branch settings HQ sets for a whole branch: HQ's value wins on the laptop, the laptop's own
value stands where HQ set none, and the laptop refuses to change what HQ set."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from db.models import Branch
from db.values import check
from romah_desktop import settings
from romah_desktop.errors import ValidationError
from romah_desktop.services.context import Actor, this_device
from romah_desktop.workspace import Workspace


def _hq_sets(workspace: Workspace, values: dict[str, Any] | None) -> None:
    """The branch record as a sync from HQ leaves it."""
    with workspace.transaction() as session:
        branch_id = this_device(session).branch_id
        session.execute(sa.update(Branch).where(Branch.id == branch_id).values(settings=values))


def test_hqs_value_wins_and_the_rest_stay_the_laptops(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        settings.change(session, admin, "committee_answer_days", 20)
        settings.change(session, admin, "lockout_minutes", 30)
    _hq_sets(workspace, {"committee_answer_days": 10})
    with workspace.db.session() as session:
        assert settings.get(session, "committee_answer_days") == 10
        assert settings.get(session, "lockout_minutes") == 30
        assert settings.get(session, "lockout_attempts") == 5  # the default
        assert settings.set_by_hq(session) == {"committee_answer_days"}
        assert settings.read_all(session)["committee_answer_days"] == 10
    _hq_sets(workspace, None)
    with workspace.db.session() as session:
        assert settings.get(session, "committee_answer_days") == 20
        assert settings.set_by_hq(session) == frozenset()


def test_a_setting_hq_set_cannot_be_changed_on_the_laptop(
    workspace: Workspace, admin: Actor
) -> None:
    _hq_sets(workspace, {"lockout_attempts": 7})
    with pytest.raises(ValidationError) as caught, workspace.transaction() as session:
        settings.change(session, admin, "lockout_attempts", 4)
    assert caught.value.field == "lockout_attempts"
    assert "المركز الرئيسي" in caught.value.text("ar")
    with workspace.transaction() as session:
        settings.change(session, admin, "lockout_minutes", 5)  # HQ left this one to the branch
        assert settings.get(session, "lockout_attempts") == 7


@pytest.mark.parametrize(
    "value",
    [
        {"language": "en"},  # a laptop's own setting, not the branch's
        {"nonsense": 1},
        {"committee_answer_days": 0},
        {"committee_answer_days": 91},
        {"committee_answer_days": "10"},
        {"committee_answer_days": True},
        [10],
    ],
)
def test_a_malformed_settings_map_is_refused(value: object) -> None:
    assert check("branch", "settings", value) is not None


def test_a_good_settings_map_is_accepted() -> None:
    good = {"committee_answer_days": 10, "lockout_attempts": 3, "outbox_retention_days": 3650}
    assert check("branch", "settings", good) is None
    assert check("branch", "settings", None) is None
    assert check("branch", "settings", {}) is None
