"""Every setting, declared once: key, type, default, scope and description."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from romah_desktop.i18n import N_
from romah_desktop.services.context import local_value, set_local_value


class Scope(StrEnum):
    DEVICE = "device"
    BRANCH = "branch"


@dataclass(frozen=True)
class Setting:
    key: str
    type: type[int] | type[str]
    default: int | str
    scope: Scope
    description: str


_DECLARED = (
    Setting(
        "committee_answer_days",
        int,
        14,
        Scope.BRANCH,
        N_(
            "Days the research committee has to answer a submitted request "
            "(the policy says two weeks)."
        ),
    ),
    Setting("language", str, "ar", Scope.DEVICE, N_("Language of the app: ar or en.")),
    Setting(
        "lockout_attempts", int, 5, Scope.BRANCH, N_("Wrong passwords before an account locks.")
    ),
    Setting("lockout_minutes", int, 15, Scope.BRANCH, N_("Minutes a locked account stays locked.")),
    Setting(
        "lock_screen_minutes", int, 10, Scope.DEVICE, N_("Idle minutes before the screen locks.")
    ),
)

SETTINGS: dict[str, Setting] = {s.key: s for s in _DECLARED}


def _key(name: str) -> str:
    return f"setting:{name}"


def get(session: Session, name: str) -> int | str:
    """The setting's value (its default if never set). Raises KeyError for an unknown name."""
    setting = SETTINGS[name]
    stored = local_value(session, _key(name))
    return setting.default if stored is None else setting.type(stored)


def get_int(session: Session, name: str) -> int:
    value = get(session, name)
    assert isinstance(value, int), f"setting {name} is not an integer"
    return value


def put(session: Session, name: str, value: int | str) -> None:
    """Store a value; raises KeyError for an unknown name and ValueError for a wrong type."""
    setting = SETTINGS[name]
    set_local_value(session, _key(name), str(setting.type(value)))
