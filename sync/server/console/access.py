"""Who may do what in the console: HQ's own roles, each a set of the app's permissions
(`romah_desktop/permissions.py`), so the console asks the same questions the laptops do.

* HQ administrator: branches, users of every branch and of HQ, laptops, the reference library,
  and everything the data steward does;
* HQ data steward: conflicts, the quarantine, duplicate people, verifying papers;
* HQ manager / auditor: reads the dashboard, the reports and their exports; changes nothing.

Every role reads the dashboard and verifies papers.
"""

from __future__ import annotations

from enum import StrEnum

from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission


class ConsoleRole(StrEnum):
    ADMIN = "hq_admin"
    STEWARD = "hq_steward"
    AUDITOR = "hq_auditor"


ROLE_LABELS = {
    ConsoleRole.ADMIN: N_("HQ administrator"),
    ConsoleRole.STEWARD: N_("HQ data steward"),
    ConsoleRole.AUDITOR: N_("HQ manager / auditor (read-only)"),
}

_READ = frozenset({Permission.VIEW_REPORTS, Permission.SEE_ALL_BRANCHES, Permission.EXPORT_DATA})
_STEWARD = _READ | {
    Permission.RESOLVE_CONFLICTS,
    Permission.VIEW_BENEFICIARIES,
    Permission.VERIFY_AUDIT,
}
_ADMIN = _STEWARD | {
    Permission.MANAGE_USERS,
    Permission.ENROL_DEVICE,
    Permission.CHANGE_SETTINGS,
    Permission.PUBLISH_REFERENCE,
}

GRANTS: dict[ConsoleRole, frozenset[Permission]] = {
    ConsoleRole.ADMIN: frozenset(_ADMIN),
    ConsoleRole.STEWARD: frozenset(_STEWARD),
    ConsoleRole.AUDITOR: _READ,
}


def may(role: str, permission: Permission) -> bool:
    """Whether a console user with `role` has `permission` (False for an unknown role)."""
    try:
        return permission in GRANTS[ConsoleRole(role)]
    except ValueError:
        return False
