"""The branch's own details: its name, phone and address (printed on its papers, the receipt's
"contact the branch" among them) and the days it receives people.

A laptop working alone since `init` takes them from its branch manager. Once it is enrolled,
HQ's record of the branch is the one that counts: the name, phone and address arrive by sync and
cannot be changed here (HQ refuses a laptop's change of a branch record anyway), and the working
days too once HQ sets them for the branch (the branch settings' rule, romah_desktop/settings.py).
HQ's console checks what it is given by the same rule (`branch_values`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import Branch, Device
from db.values import check as check_value
from romah_desktop import settings
from romah_desktop.errors import FormErrors, NotFound, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor, this_device
from romah_desktop.validation import validate_phone, validate_text
from romah_desktop.weekdays import working_days

WORKING_DAYS = "working_days"
SET_BY_HQ = N_("HQ sets the branch's details for this laptop; they cannot be changed here.")


@dataclass(frozen=True)
class BranchDetails:
    """The branch's details as this laptop holds them; `from_hq` when the laptop is enrolled
    (the name, phone and address are HQ's), `working_days_from_hq` when HQ sets those too."""

    code: str
    name: str
    phone: str | None
    address: str | None
    working_days: tuple[str, ...]
    from_hq: bool
    working_days_from_hq: bool


def branch_values(name: str, phone: str, address: str) -> dict[str, Any]:
    """A branch's name, phone and address as stored (blank phone and address as None), checked
    by the rules every laptop and HQ apply. Raises FormErrors naming every field that is wrong."""
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}
    checks: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("name", lambda: validate_text(name, "name", max_length=120, required=True)),
        ("phone", lambda: validate_phone(phone)),
        ("address", lambda: validate_text(address, "address", max_length=300) or None),
    )
    for field, check in checks:
        try:
            values[field] = check()
        except ValidationError as exc:
            errors.append(exc)
            continue
        reason = check_value("branch", field, values[field])
        if reason is not None:
            errors.append(
                ValidationError(field, N_("This value cannot be stored: {reason}"), reason=reason)
            )
    if errors:
        raise FormErrors(errors)
    return values


def _branch(session: Session) -> tuple[Branch, bool]:
    """This laptop's branch record, and whether the laptop is enrolled with HQ."""
    device = this_device(session)
    branch = session.get(Branch, device.branch_id)
    if branch is None:
        raise NotFound(N_("This laptop's branch was not found."))
    enrolled_at = session.scalar(sa.select(Device.enrolled_at).where(Device.id == device.device_id))
    return branch, enrolled_at is not None


def branch_details(session: Session) -> BranchDetails:
    """The details of this laptop's branch. Raises LookupError on a database without a device."""
    branch, enrolled = _branch(session)
    return BranchDetails(
        branch.code,
        branch.name,
        branch.phone,
        branch.address,
        working_days(str(settings.get(session, WORKING_DAYS))),
        enrolled,
        WORKING_DAYS in settings.set_by_hq(session),
    )


def update_branch_details(
    session: Session,
    actor: Actor,
    name: str,
    phone: str,
    address: str,
    days: Iterable[str],
) -> BranchDetails:
    """Set the branch's name, phone, address and working days (short day names, "sun"…"sat").
    On an enrolled laptop the name, phone and address are HQ's and must be given unchanged,
    and so must the working days when HQ sets them.

    Raises PermissionDenied; FormErrors naming every wrong field (an Arabic message each, a
    changed detail that HQ sets among them); writes nothing then."""
    actor.require(Permission.CHANGE_SETTINGS)
    branch, enrolled = _branch(session)
    errors: list[ValidationError] = []
    try:
        values = branch_values(name, phone, address)
    except FormErrors as exc:
        errors.extend(exc.errors)
        values = {}
    changed = {k: v for k, v in values.items() if getattr(branch, k) != v}
    if enrolled:
        errors.extend(ValidationError(field, SET_BY_HQ) for field in changed)
    days_text = " ".join(days)
    days_changed = False
    try:
        chosen = " ".join(working_days(days_text))
        days_changed = chosen != settings.get(session, WORKING_DAYS)
        if days_changed and WORKING_DAYS in settings.set_by_hq(session):
            errors.append(ValidationError(WORKING_DAYS, SET_BY_HQ))
    except ValidationError as exc:
        errors.append(exc)
    if errors:
        raise FormErrors(errors)
    for field, value in changed.items():
        setattr(branch, field, value)
    if days_changed:
        settings.change(session, actor, WORKING_DAYS, chosen)
    if changed or days_changed:
        session.flush()
        # The fields that changed, not their values (the audit trail's rule).
        fields = sorted(changed) + ([WORKING_DAYS] if days_changed else [])
        audit.record(session, actor, "branch.details", "branch", branch.id, {"fields": fields})
    return branch_details(session)
