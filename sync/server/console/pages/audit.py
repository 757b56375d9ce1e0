"""HQ's audit trail: every action taken in the console or with HQ's command line, newest
first, filtered by user and by action, a page at a time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from romah_desktop.i18n import N_, translate
from romah_desktop.permissions import Permission
from sync.server.console.web import console_of, language
from sync.server.schema import hq_audit

router = APIRouter()

PAGE_SIZE = 100

# What each recorded action is called on the page; an action not listed is shown as written.
ACTION_LABELS = {
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Failed sign-in"),
    "sign_out": N_("Signed out"),
    "hq_user_add": N_("Added an HQ user"),
    "hq_user_role": N_("Changed an HQ user's role"),
    "hq_user_password_reset": N_("Gave an HQ user a new password"),
    "hq_user_disable": N_("Disabled an HQ user"),
    "hq_user_enable": N_("Enabled an HQ user"),
    "hq_user_unlock": N_("Unlocked an HQ user"),
    "user_add": N_("Added a branch user"),
    "user_role": N_("Changed a branch user's role"),
    "user_password_reset": N_("Gave a branch user a new password"),
    "user_disable": N_("Disabled a branch user"),
    "user_enable": N_("Enabled a branch user"),
    "branch_add": N_("Added a branch"),
    "branch_edit": N_("Changed a branch"),
    "enrolment_code_issued": N_("Issued a laptop enrolment code"),
    "device_revoked": N_("Revoked a laptop"),
    "reference_published": N_("Published a reference document"),
    "conflict_resolved": N_("Resolved a conflict"),
    "quarantine_retried": N_("Retried a held change"),
    "quarantine_dismissed": N_("Dismissed a held change"),
    "duplicate_merged": N_("Merged a duplicated person"),
    "export_report": N_("Exported a report"),
}


# The name HQ's command line records its actions under.
COMMAND_LINE = "command line"


def who_label(username: str, lang: str) -> str:
    return translate(N_("HQ's command line"), lang) if username == COMMAND_LINE else username


def action_label(action: str, lang: str) -> str:
    label = ACTION_LABELS.get(action)
    return translate(label, lang) if label else action


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 1_000_000 else 1


def _trail(engine: sa.Engine, username: str, action: str, page: int) -> dict[str, Any]:
    """One page of the trail (with the filters' choices and the number of matching rows)."""
    where = []
    if username:
        where.append(hq_audit.c.username == username)
    if action:
        where.append(hq_audit.c.action == action)
    with engine.connect() as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(hq_audit).where(*where)
        ).scalar_one()
        rows = connection.execute(
            sa.select(hq_audit)
            .where(*where)
            .order_by(hq_audit.c.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).mappings()
        entries = [dict(r) for r in rows]
        usernames = connection.execute(
            sa.select(hq_audit.c.username).distinct().order_by(hq_audit.c.username)
        ).scalars()
        actions = connection.execute(
            sa.select(hq_audit.c.action).distinct().order_by(hq_audit.c.action)
        ).scalars()
        return {
            "total": int(total),
            "entries": entries,
            "usernames": list(usernames),
            "actions": list(actions),
        }


@router.get("/audit")
async def audit_trail(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.VERIFY_AUDIT)
    lang = language(request)
    username = request.query_params.get("user", "").strip()[:60]
    action = request.query_params.get("action", "").strip()[:60]
    page = _page_number(request.query_params.get("page"))
    found = await run_in_threadpool(_trail, ctx.hub.engine, username, action, page)
    pages = max(1, -(-found["total"] // PAGE_SIZE))

    def link(number: int) -> str:
        query = {"user": username, "action": action, "page": str(number) if number > 1 else ""}
        return urlencode({k: v for k, v in query.items() if v})

    actions = sorted(
        ((a, action_label(a, lang)) for a in found["actions"]), key=lambda pair: pair[1]
    )
    return ctx.render(
        request,
        user,
        "audit.html",
        entries=found["entries"],
        total=found["total"],
        usernames=found["usernames"],
        actions=actions,
        chosen_user=username,
        chosen_action=action,
        page=min(page, pages),
        pages=pages,
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if page < pages else None,
        page_link=link,
        label=lambda a: action_label(a, lang),
        who=lambda name: who_label(name, lang),
    )
