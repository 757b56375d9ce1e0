"""Every setting, declared once: key, type, default, scope, title, description and limits.

Values live in this laptop's local state. Branch-scoped settings are changed only by a branch
manager or an administrator, unless HQ sets them for the whole branch: HQ's value (the
`settings` map of the branch's synced record) then wins on every laptop of the branch, and the
laptop refuses to change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db import values as synced_values
from db.local_state import local_value, set_local_value
from db.models import Branch
from romah_desktop import keyring, weekdays
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import LANGUAGES, N_
from romah_desktop.permissions import Permission
from romah_desktop.services.context import Actor, this_device

if TYPE_CHECKING:
    from db.engine import Database


class Scope(StrEnum):
    DEVICE = "device"
    BRANCH = "branch"


@dataclass(frozen=True)
class Setting:
    """One setting. `title` names it on a form and `description` explains it (both marked
    for translation, in English); an integer must lie from `minimum` to `maximum`; a text's
    own `rule` gives it as stored or raises ValidationError."""

    key: str
    type: type[int] | type[str]
    default: int | str
    scope: Scope
    title: str
    description: str
    minimum: int = 0
    maximum: int = 0
    choices: tuple[str, ...] = ()
    rule: Callable[[str], str] | None = None


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
    Setting(
        "working_days",
        str,
        weekdays.USUAL_WEEK,
        Scope.BRANCH,
        N_("Working days"),
        N_(
            "The days of the week the branch receives people, named sun mon tue wed thu fri "
            "sat (the branch's details in Settings)."
        ),
        rule=weekdays.checked_working_days,
    ),
)

SETTINGS: dict[str, Setting] = {s.key: s for s in _DECLARED}
# The settings of a whole branch, which HQ may set for all of its laptops.
BRANCH_SETTINGS: tuple[Setting, ...] = tuple(s for s in _DECLARED if s.scope is Scope.BRANCH)


def _key(name: str) -> str:
    return f"setting:{name}"


def branch_settings_problem(value: Any) -> str | None:
    """Why `value` cannot be a branch record's `settings` (a map of branch-scoped settings to
    values within their limits), or None when it can. Checked wherever the record is stored."""
    if not isinstance(value, dict):
        return "branch.settings must be a map of settings to values."
    for key, item in value.items():
        setting = SETTINGS.get(key)
        if setting is None or setting.scope is not Scope.BRANCH:
            return f"branch.settings has no branch setting {str(key)[:40]!r}."
        if setting.type is int:
            if not isinstance(item, int) or isinstance(item, bool):
                return f"branch.settings: {key} must be a whole number."
            if not setting.minimum <= item <= setting.maximum:
                return (
                    f"branch.settings: {key} must be from {setting.minimum} "
                    f"to {setting.maximum}, not {item}."
                )
        elif not isinstance(item, str) or (setting.choices and item not in setting.choices):
            return f"branch.settings: {key} is not one of its choices."
        elif setting.rule is not None:
            try:
                if setting.rule(item) != item:
                    raise ValueError(item)
            except (ValidationError, ValueError):
                return f"branch.settings: {key} is not written as the setting keeps it."
    return None


synced_values.add_rule("branch", "settings", branch_settings_problem)


def hq_values(session: Session) -> dict[str, int | str]:
    """The branch settings HQ set for this laptop's branch (none on a database without a
    device)."""
    try:
        branch_id = this_device(session).branch_id
    except LookupError:
        return {}
    stored = session.scalar(sa.select(Branch.settings).where(Branch.id == branch_id))
    if not isinstance(stored, dict):
        return {}
    return {k: v for k, v in stored.items() if branch_settings_problem({k: v}) is None}


def set_by_hq(session: Session) -> frozenset[str]:
    """The names of the settings HQ sets for this laptop's branch (read-only here)."""
    return frozenset(hq_values(session))


def get(session: Session, name: str) -> int | str:
    """The setting's value: HQ's for a branch setting HQ set, else this laptop's (its default
    if never set). Raises KeyError for an unknown name."""
    setting = SETTINGS[name]
    if setting.scope is Scope.BRANCH:
        from_hq = hq_values(session).get(name)
        if from_hq is not None:
            return from_hq
    stored = local_value(session, _key(name))
    return setting.default if stored is None else setting.type(stored)


def get_int(session: Session, name: str) -> int:
    value = get(session, name)
    assert isinstance(value, int), f"setting {name} is not an integer"
    return value


def checked(setting: Setting, value: int | str) -> int | str:
    """`value` (a number typed as text, with Latin or Arabic-Indic digits) as the setting
    holds it; raises ValidationError, naming the setting, for a value out of its limits."""
    if setting.type is int and isinstance(value, str):
        value = value.translate(_ARABIC_DIGITS)
    return _checked(setting, value)


_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


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
    return text if setting.rule is None else setting.rule(text)


def put(session: Session, name: str, value: int | str) -> None:
    """Store a value without a permission check (setup and tests).

    Raises KeyError for an unknown name and ValidationError for a value out of its limits or
    for a branch setting HQ sets.
    """
    setting = SETTINGS[name]
    if setting.scope is Scope.BRANCH and name in hq_values(session):
        raise ValidationError(
            name,
            N_("HQ sets this setting for the whole branch; it cannot be changed on this laptop."),
        )
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
