"""The reference library: publish a new version of the policy, the bylaws or a guide, with its
approval and review dates, to every branch's laptops; list what is published.

The values are checked as the laptop checks them (`romah_desktop/services/library.py`): dates
typed Gregorian or Hijri, the review after the approval, one version number once per document;
and as HQ checks every value that travels (`db/values.py`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from db.enums import ReferenceKind
from db.ids import new_id
from db.values import check
from romah_desktop.errors import Conflict, FormErrors
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    optional_date,
    optional_text,
    required_text,
)
from romah_desktop.services.library import MAX_BODY
from sync.server.console.audit import record
from sync.server.console.auth import ConsoleUser
from sync.server.console.web import console_of, language
from sync.server.hub import Hub
from sync.server.schema import hq_row

router = APIRouter()
TABLE = "reference_document"
FIELDS = ("kind", "title", "version", "approved_on", "review_due_on", "body")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def documents(hub: Hub, lang: str, today: date) -> list[dict[str, Any]]:
    """Each published document (by kind and title) with its versions, newest first; only the
    current version's review can be overdue."""
    with hub.engine.connect() as connection:
        rows = [
            dict(data)
            for (data,) in connection.execute(
                sa.select(hq_row.c.data).where(hq_row.c.table_name == TABLE)
            )
            if data.get("deleted_at") is None
        ]
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r.get("created_at") or "", r["id"]), reverse=True):
        grouped.setdefault((row.get("kind", ""), row.get("title", "")), []).append(row)
    order = [k.value for k in ReferenceKind]
    found = []
    for (kind, title), versions in sorted(
        grouped.items(),
        key=lambda item: (order.index(item[0][0]) if item[0][0] in order else 99, item[0][1]),
    ):
        current = versions[0]
        review = _day(current.get("review_due_on"))
        found.append(
            {
                "kind": kind,
                "kind_label": label(ReferenceKind(kind), lang) if kind in order else kind,
                "title": title,
                "overdue": review is not None and review < today,
                "versions": [
                    {
                        **v,
                        "approved": _day(v.get("approved_on")),
                        "review": _day(v.get("review_due_on")),
                    }
                    for v in versions
                ],
            }
        )
    return found


def checked(fields: dict[str, str]) -> dict[str, Any]:
    """The document's values as they travel, checked as the laptop checks them. Raises
    FormErrors with every field's problem."""
    form = FormCheck()
    kind = form.run(choice, ReferenceKind, fields.get("kind", ""), "kind")
    title = form.run(required_text, fields.get("title"), "title", 200)
    version = form.run(required_text, fields.get("version"), "version", 20)
    approved = form.run(optional_date, fields.get("approved_on"), "approved_on")
    review = form.run(optional_date, fields.get("review_due_on"), "review_due_on")
    body = form.run(optional_text, fields.get("body"), "body", MAX_BODY)
    if approved is not None and review is not None and review <= approved:
        form.fail("review_due_on", N_("The review date must come after the approval date."))
    form.done()
    values: dict[str, Any] = {
        "kind": kind.value if kind else None,
        "title": title,
        "version": version,
        "approved_on": approved.isoformat() if approved else None,
        "review_due_on": review.isoformat() if review else None,
        "body": body,
        "attachment_sha256": None,
    }
    for name, value in values.items():
        reason = check(TABLE, name, value)
        if reason is not None:
            form.fail(name if name in FIELDS else "body", reason)
    form.done()
    return values


def publish(hub: Hub, user: ConsoleUser, values: dict[str, Any]) -> str:
    """Write the new version for every branch (scope None), with its audit row; returns its
    id. Raises Conflict when this version of the document is published already."""
    document_id = new_id()
    with hub.writing() as connection:
        for (data,) in connection.execute(
            sa.select(hq_row.c.data).where(hq_row.c.table_name == TABLE)
        ):
            same = all(data.get(k) == values[k] for k in ("kind", "title", "version"))
            if same and data.get("deleted_at") is None:
                raise Conflict(
                    N_("Version {version} of this document is already published."),
                    version=values["version"],
                )
        hub.write_as_hq(connection, TABLE, document_id, values, scope=None)
        record(
            connection,
            user.username,
            "reference_published",
            document_id,
            user_id=user.id,
            kind=values["kind"],
            title=values["title"],
            version=values["version"],
        )
    return document_id


def _page(
    request: Request,
    user: ConsoleUser,
    typed: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx = console_of(request)
    lang = language(request)
    return ctx.render(
        request,
        user,
        "library.html",
        status=status,
        documents=documents(ctx.hub, lang, date.today()),
        kinds=[(k.value, label(k, lang)) for k in ReferenceKind],
        typed=typed,
        errors=errors or {},
    )


@router.get("/library")
async def library_page(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.PUBLISH_REFERENCE)
    # "New version of…" fills in the document's kind and title.
    typed = {k: request.query_params.get(k, "") for k in ("kind", "title")}
    return await run_in_threadpool(_page, request, user, typed)


@router.post("/library")
async def publish_document(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.PUBLISH_REFERENCE)
    fields = await ctx.form(request, user)
    lang = language(request)
    typed = {k: fields.get(k, "") for k in FIELDS}
    try:
        values = checked(fields)
        await run_in_threadpool(publish, ctx.hub, user, values)
    except Conflict as exc:
        return await run_in_threadpool(
            _page, request, user, typed, {"version": exc.text(lang)}, 409
        )
    except FormErrors as exc:
        errors = {e.field: e.text(lang) for e in reversed(exc.errors)}
        return await run_in_threadpool(_page, request, user, typed, errors, 400)
    notice = translate(
        N_(
            "Version {version} of “{title}” is published; every laptop receives it at its "
            "next sync."
        ),
        lang,
        version=values["version"],
        title=values["title"],
    )
    return ctx.done("/library", notice=notice)
