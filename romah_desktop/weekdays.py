"""The days of the week a branch receives people, as its setting keeps them: short English day
names in the week's order from Sunday ("sun mon tue wed thu"), the same on every laptop and as
HQ's console types them."""

from __future__ import annotations

import re

from romah_desktop.errors import ValidationError
from romah_desktop.i18n import N_

WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
DAY_NAMES = {
    "sun": N_("Sunday"),
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
}
# A Saudi branch's usual week.
USUAL_WEEK = "sun mon tue wed thu"

_SEPARATORS = re.compile(r"[\s,،]+")


def working_days(text: str, field: str = "working_days") -> tuple[str, ...]:
    """The days `text` names (separated by spaces or commas, in any order and case), in the
    week's order. Raises ValidationError for an unknown name or for no day at all."""
    named = {word.lower() for word in _SEPARATORS.split(text.strip()) if word}
    unknown = named - set(WEEKDAYS)
    if unknown:
        raise ValidationError(field, N_("Name the days with sun, mon, tue, wed, thu, fri and sat."))
    if not named:
        raise ValidationError(field, N_("Choose at least one working day."))
    return tuple(day for day in WEEKDAYS if day in named)


def checked_working_days(text: str) -> str:
    """`text` as the setting stores it ("sun mon tue wed thu"). Raises ValidationError."""
    return " ".join(working_days(text))
