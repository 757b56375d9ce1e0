"""Every setting, declared once: key, type, default, scope, title, description and limits.

Values live in this laptop's local state. Branch-scoped settings are changed only by a branch
manager or an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from db.local_state import local_value, set_local_value
from romah_desktop import keyring
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import LANGUAGES, N_
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor

if TYPE_CHECKING:
    from db.engine import Database


class Scope(StrEnum):
    DEVICE = "device"
    BRANCH = "branch"


@dataclass(frozen=True)
class Setting:
    """One setting. `title` names it on a form and `description` explains it (both marked
    for translation, in English); an integer must lie from `minimum` to `maximum`."""

    key: str
    type: type[int] | type[str]
    default: int | str
    scope: Scope
    title: str
    description: str
    minimum: int = 0
    maximum: int = 0
    choices: tuple[str, ...] = ()


# In the order the Settings page shows them.
_DECLARED = (
    Setting(
        "committee_answer_days",
        int,
        14,
        Scope.BRANCH,
        N_("Days for the committee's answer"),
        N_(
            "Days the research committee has to answer a submitted request "
            "(the policy says two weeks)."
        ),
        minimum=1,
        maximum=90,
    ),
    Setting(
        "language",
        str,
        "ar",
        Scope.DEVICE,
        N_("Language"),
        N_("Language of the app: ar or en."),
        choices=LANGUAGES,
    ),
    Setting(
        "lock_screen_minutes",
        int,
        10,
        Scope.DEVICE,
        N_("Lock the screen after idle minutes"),
        N_("Idle minutes before the screen locks."),
        minimum=1,
        maximum=240,
    ),
    Setting(
        "lockout_attempts",
        int,
        5,
        Scope.BRANCH,
        N_("Wrong passwords before an account locks"),
        N_("Wrong passwords before an account locks."),
        minimum=3,
        maximum=20,
    ),
    Setting(
        "lockout_minutes",
        int,
        15,
        Scope.BRANCH,
        N_("Minutes an account stays locked"),
        N_("Minutes a locked account stays locked."),
        minimum=1,
        maximum=1440,
    ),
    Setting(
        "outbox_retention_days",
        int,
        90,
        Scope.BRANCH,
        N_("Days to keep changes sent to HQ"),
        N_(
            "Changes sent to HQ are deleted from this laptop once HQ's verified backup "
            "holds them, or after this many days at the latest."
        ),
        minimum=1,
        maximum=3650,
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


def _checked(setting: Setting, value: int | str) -> int | str:
    if setting.type is int:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit():
            raise ValidationError(setting.key, N_("Type a whole number."))
        number = int(text)
        if not setting.minimum <= number <= setting.maximum:
            raise ValidationError(
                setting.key,
                N_("Choose a number from {minimum} to {maximum}."),
                minimum=setting.minimum,
                maximum=setting.maximum,
            )
        return number
    text = str(value)
    if setting.choices and text not in setting.choices:
        raise ValidationError(setting.key, N_("This value is not one of the choices."))
    return text


def put(session: Session, name: str, value: int | str) -> None:
    """Store a value without a permission check (setup and tests).

    Raises KeyError for an unknown name and ValidationError for a value out of its limits.
    """
    setting = SETTINGS[name]
    set_local_value(session, _key(name), str(_checked(setting, value)))
    if name in keyring.COPIED_SETTINGS:
        keyring.mark_stale(session)


def change(session: Session, actor: Actor, name: str, value: int | str) -> None:
    """Change a setting for the signed-in user: branch settings need CHANGE_SETTINGS.

    Raises PermissionDenied, KeyError or ValidationError.
    """
    if SETTINGS[name].scope is Scope.BRANCH:
        actor.require(Permission.CHANGE_SETTINGS)
    put(session, name, value)


def outbox_retention_days(db: Database) -> int:
    """Days a change sent to HQ stays on this laptop at most (what the sync client keeps)."""
    with db.session() as session:
        return get_int(session, "outbox_retention_days")


def read_all(session: Session) -> dict[str, int | str]:
    return {name: get(session, name) for name in SETTINGS}
