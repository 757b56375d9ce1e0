"""Who may do what: the permission matrix, checked by every service itself."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from db import values as synced_values
from db.enums import Role
from romah_desktop.errors import PermissionDenied
from romah_desktop.i18n import N_
from romah_desktop.labels import LABELS, label


class Permission(StrEnum):
    """An action a service may refuse; its label is what a denied user is told."""

    VIEW_BENEFICIARIES = "view_beneficiaries"
    REGISTER_BENEFICIARY = "register_beneficiary"
    EDIT_BENEFICIARY = "edit_beneficiary"
    DELETE_BENEFICIARY = "delete_beneficiary"
    LOG_CONTACT = "log_contact"
    CHECK_DOCUMENTS = "check_documents"
    TAKE_DECLARATION = "take_declaration"
    SUBMIT_REQUEST = "submit_request"
    REFER_TO_RESEARCH = "refer_to_research"
    ANSWER_REFERRAL = "answer_referral"
    RECORD_DECISION = "record_decision"
    DELIVER_SERVICE = "deliver_service"
    RECORD_SURVEY = "record_survey"
    RECORD_FEEDBACK = "record_feedback"
    MANAGE_FEEDBACK = "manage_feedback"
    MANAGE_USERS = "manage_users"
    IMPORT_DATA = "import_data"
    EXPORT_DATA = "export_data"
    BACKUP = "backup"
    PUBLISH_REFERENCE = "publish_reference"
    VERIFY_AUDIT = "verify_audit"
    SEE_ALL_BRANCHES = "see_all_branches"
    CHANGE_SETTINGS = "change_settings"
    PRINT_FORMS = "print_forms"
    WATCH_DEADLINES = "watch_deadlines"
    VIEW_REPORTS = "view_reports"
    SYNC = "sync"
    ENROL_DEVICE = "enrol_device"
    RESOLVE_CONFLICTS = "resolve_conflicts"


LABELS.update(
    {
        Permission.VIEW_BENEFICIARIES: N_("view beneficiaries"),
        Permission.REGISTER_BENEFICIARY: N_("register a beneficiary"),
        Permission.EDIT_BENEFICIARY: N_("edit a beneficiary's file"),
        Permission.DELETE_BENEFICIARY: N_("delete a beneficiary's file"),
        Permission.LOG_CONTACT: N_("log a contact"),
        Permission.CHECK_DOCUMENTS: N_("check documents"),
        Permission.TAKE_DECLARATION: N_("take a signed declaration"),
        Permission.SUBMIT_REQUEST: N_("submit a support request"),
        Permission.REFER_TO_RESEARCH: N_("refer to social research"),
        Permission.ANSWER_REFERRAL: N_("answer a referral"),
        Permission.RECORD_DECISION: N_("record a committee decision"),
        Permission.DELIVER_SERVICE: N_("record a service delivery"),
        Permission.RECORD_SURVEY: N_("record a satisfaction survey"),
        Permission.RECORD_FEEDBACK: N_("record a suggestion or complaint"),
        Permission.MANAGE_FEEDBACK: N_("follow up suggestions and complaints"),
        Permission.MANAGE_USERS: N_("manage users"),
        Permission.IMPORT_DATA: N_("import data"),
        Permission.EXPORT_DATA: N_("export data"),
        Permission.BACKUP: N_("back up or restore the database"),
        Permission.PUBLISH_REFERENCE: N_("publish reference documents"),
        Permission.VERIFY_AUDIT: N_("verify the audit trail"),
        Permission.SEE_ALL_BRANCHES: N_("see all branches"),
        Permission.CHANGE_SETTINGS: N_("change the branch's settings"),
        Permission.PRINT_FORMS: N_("print forms"),
        Permission.WATCH_DEADLINES: N_("watch the committee's deadline and escalate"),
        Permission.VIEW_REPORTS: N_("view reports and dashboards"),
        Permission.SYNC: N_("sync with HQ"),
        Permission.ENROL_DEVICE: N_("enrol this laptop with HQ"),
        Permission.RESOLVE_CONFLICTS: N_("resolve sync conflicts"),
    }
)

_FRONT_DESK = {Role.INTERVIEWER, Role.BRANCH_DELEGATE, Role.BRANCH_MANAGER}
_ALL = set(Role)

MATRIX: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_BENEFICIARIES: frozenset(_ALL),
    Permission.REGISTER_BENEFICIARY: frozenset(_FRONT_DESK | {Role.HQ_ADMIN}),
    Permission.EDIT_BENEFICIARY: frozenset(_FRONT_DESK | {Role.HQ_ADMIN}),
    Permission.DELETE_BENEFICIARY: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.LOG_CONTACT: frozenset(_FRONT_DESK | {Role.SOCIAL_RESEARCHER}),
    Permission.CHECK_DOCUMENTS: frozenset(_FRONT_DESK),
    Permission.TAKE_DECLARATION: frozenset(_FRONT_DESK),
    Permission.SUBMIT_REQUEST: frozenset(_FRONT_DESK),
    Permission.REFER_TO_RESEARCH: frozenset(_FRONT_DESK),
    Permission.ANSWER_REFERRAL: frozenset({Role.SOCIAL_RESEARCHER, Role.BRANCH_MANAGER}),
    Permission.RECORD_DECISION: frozenset({Role.COMMITTEE_MEMBER}),
    Permission.DELIVER_SERVICE: frozenset(_FRONT_DESK),
    Permission.RECORD_SURVEY: frozenset(_FRONT_DESK | {Role.SOCIAL_RESEARCHER}),
    Permission.RECORD_FEEDBACK: frozenset(_FRONT_DESK | {Role.SOCIAL_RESEARCHER}),
    Permission.MANAGE_FEEDBACK: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    # A branch's manager adds and looks after the branch's own users (see `may_grant`).
    Permission.MANAGE_USERS: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.IMPORT_DATA: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.EXPORT_DATA: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.BACKUP: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.PUBLISH_REFERENCE: frozenset({Role.HQ_ADMIN}),
    Permission.VERIFY_AUDIT: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.SEE_ALL_BRANCHES: frozenset({Role.HQ_ADMIN}),
    Permission.CHANGE_SETTINGS: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.PRINT_FORMS: frozenset(_ALL),
    Permission.WATCH_DEADLINES: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.VIEW_REPORTS: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.SYNC: frozenset(_ALL),
    Permission.ENROL_DEVICE: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
    Permission.RESOLVE_CONFLICTS: frozenset({Role.BRANCH_MANAGER, Role.HQ_ADMIN}),
}


def allowed(roles: Role | frozenset[Role], permission: Permission) -> bool:
    """Whether a role, or a user holding `roles` (the union of their rights), has `permission`."""
    if isinstance(roles, Role):
        return roles in MATRIX[permission]
    return not roles.isdisjoint(MATRIX[permission])


def may_grant(granter: Role | frozenset[Role], role: Role) -> bool:
    """Whether `granter` may give a user `role` (or manage a user who has it): a role that sees
    all branches grants any; one that manages the users of its branch grants only roles that
    neither see all branches nor manage users."""
    if not allowed(granter, Permission.MANAGE_USERS):
        return False
    if allowed(granter, Permission.SEE_ALL_BRANCHES):
        return True
    return not (
        allowed(role, Permission.SEE_ALL_BRANCHES) or allowed(role, Permission.MANAGE_USERS)
    )


def may_grant_all(granter: Role | frozenset[Role], roles: Iterable[Role]) -> bool:
    """Whether `granter` may give (or manage a user holding) every one of `roles`."""
    return all(may_grant(granter, role) for role in roles)


def require(roles: Role | frozenset[Role], permission: Permission) -> None:
    """Raise PermissionDenied unless `roles` (one role, or all of a user's) have `permission`."""
    if not allowed(roles, permission):
        if not isinstance(roles, Role) and len(roles) == 1:
            roles = next(iter(roles))
        raise PermissionDenied(
            N_("Your role ({role}) does not allow this action ({action})."),
            # One role is named in the language the message is shown in; several are joined now.
            role=roles if isinstance(roles, Role) else roles_label(roles),
            action=permission,
        )


def roles_label(roles: frozenset[Role], lang: str | None = None) -> str:
    """A user's roles as a person reads them: their labels in the matrix's order."""
    return " · ".join(label(role, lang) for role in Role if role in roles)


def extra_roles_problem(value: Any) -> str | None:
    """Why `value` cannot be a user record's `extra_roles` (a list of distinct role values),
    or None when it can. Checked wherever the record is stored, at HQ and on the laptops."""
    if not isinstance(value, list):
        return "user_account.extra_roles must be a list of roles."
    valid = {role.value for role in Role}
    for item in value:
        if not isinstance(item, str) or item not in valid:
            return f"user_account.extra_roles has no role {str(item)[:40]!r}."
    if len(set(value)) != len(value):
        return "user_account.extra_roles names a role twice."
    return None


synced_values.add_rule("user_account", "extra_roles", extra_roles_problem)
