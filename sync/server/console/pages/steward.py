"""The data steward's pages: conflicts side by side, the quarantine, duplicate people across
branches, verifying a printed paper, and finding a person in any branch.

Each page calls the HQ module the command line calls (`sync/server/admin.py`,
`sync/server/papers.py`); every action writes its audit row in the action's own transaction.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from db.values import check
from romah_desktop.arabic import normalize_digits
from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_, translate
from romah_desktop.permissions import Permission
from romah_desktop.printing.printed import field_label as printed_label
from sync.server import admin
from sync.server.console.audit import record
from sync.server.console.auth import ConsoleUser
from sync.server.console.web import console_of, language
from sync.server.papers import verify_paper
from sync.server.store import Refused

router = APIRouter()

# What the laptops call a record's table and a file's fields (ui/pages/sync.py and
# ui/intake/fields.py), here for the console.
TABLE_LABELS = {
    "beneficiary": N_("Beneficiary's file"),
    "support_request": N_("Support request"),
    "contact": N_("Contact"),
    "document_check": N_("Document check"),
    "service_delivery": N_("Service delivery"),
    "feedback": N_("Suggestion or complaint"),
    "satisfaction_survey": N_("Satisfaction survey"),
    "research_referral": N_("Referral to social research"),
    "research_report": N_("Social research report"),
    "household_member": N_("Household member"),
    "income_source": N_("Source of income"),
    "beneficiary_phone": N_("Phone number"),
    "interview": N_("Interview"),
    "reference_document": N_("Reference document"),
    "user_account": N_("User"),
    "branch": N_("Branch"),
}
FIELD_LABELS = {
    "file_number": N_("File number"),
    "first_name": N_("First name"),
    "father_name": N_("Father's name"),
    "grandfather_name": N_("Grandfather's name"),
    "family_name": N_("Family name"),
    "national_id": N_("National ID / Iqama number"),
    "id_type": N_("Kind of ID"),
    "gender": N_("Gender"),
    "birth_date": N_("Date of birth"),
    "nationality": N_("Nationality"),
    "marital_status": N_("Marital status"),
    "phone": N_("Mobile"),
    "number": N_("Mobile"),
    "is_primary": N_("Primary number"),
    "city": N_("City"),
    "district": N_("District"),
    "address": N_("Address"),
    "categories": N_("Categories"),
    "housing_type": N_("Housing"),
    "monthly_rent_halalas": N_("Monthly rent (halalas)"),
    "household_size": N_("Household size"),
    "monthly_income_halalas": N_("Monthly income (halalas)"),
    "iban": N_("IBAN"),
    "status": N_("Status"),
    "deleted_at": N_("Closed"),
}
# What a file's history shows of each change (the rest is bookkeeping).
_HIDDEN = frozenset({"id", "hlc", "updated_at", "created_at", "origin_device_id", "branch_id"})


def table_label(table: str, lang: str) -> str:
    return translate(TABLE_LABELS[table], lang) if table in TABLE_LABELS else table


def field_label(name: str, lang: str) -> str:
    return translate(FIELD_LABELS[name], lang) if name in FIELD_LABELS else name


def shown(value: Any, lang: str) -> str:
    """A stored value as a person reads it."""
    if value is None:
        return "—"
    if value is True:
        return translate(N_("Yes"), lang)
    if value is False:
        return translate(N_("No"), lang)
    if isinstance(value, list):
        return "، ".join(str(v) for v in value)
    return str(value)


def typed_value(text: str, samples: list[Any]) -> Any:
    """What a person typed, as the field's values travel: a whole number or yes/no where the
    field holds one, else text (nothing typed: no value)."""
    text = normalize_digits(text).strip()
    if not text:
        return None
    kinds = {type(s) for s in samples if s is not None}
    if bool in kinds:
        if text.lower() in ("true", "yes", "1", "نعم"):
            return True
        if text.lower() in ("false", "no", "0", "لا"):
            return False
    if int in kinds and text.lstrip("-").isdigit():
        return int(text)
    return text


def _audit(user: ConsoleUser, action: str, target: str, **detail: Any) -> admin.OnDone:
    def write(connection: Any) -> None:
        record(connection, user.username, action, target, user_id=user.id, **detail)

    return write


def _problem(request: Request, exc: Refused) -> str:
    return translate(exc.reason, language(request))


def _page_number(request: Request) -> int:
    value = request.query_params.get("page", "")
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


def _pages(total: int, page: int) -> dict[str, Any]:
    """What a list's template shows of its pages (see `admin.PAGE_SIZE`)."""
    pages = max(1, -(-total // admin.PAGE_SIZE))
    return {
        "total": total,
        "page": min(page, pages),
        "pages": pages,
        "previous_page": page - 1 if 1 < page <= pages else None,
        "next_page": page + 1 if page < pages else None,
    }


# -- conflicts -----------------------------------------------------------------------------


@router.get("/conflicts")
async def conflicts(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    lang = language(request)
    page = _page_number(request)
    total, items = await run_in_threadpool(admin.conflict_page, ctx.hub, page)
    return ctx.render(
        request,
        user,
        "conflicts.html",
        items=items,
        **_pages(total, page),
        table_label=lambda t: table_label(t, lang),
        field_label=lambda f: field_label(f, lang),
        shown=lambda v: shown(v, lang),
    )


def _conflict_page(
    request: Request, user: ConsoleUser, item: dict[str, Any], status: int = 200, **extra: Any
) -> Response:
    ctx = console_of(request)
    lang = language(request)
    deleted = translate(N_("(deleted)"), lang)
    return ctx.render(
        request,
        user,
        "conflict.html",
        status=status,
        item=item,
        table_label=lambda t: table_label(t, lang),
        field_label=lambda f: field_label(f, lang),
        shown=lambda v: deleted if item["kind"] == "delete" and v is None else shown(v, lang),
        **extra,
    )


@router.get("/conflicts/{conflict_id}")
async def conflict_page(request: Request, conflict_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    item = await run_in_threadpool(admin.conflict, ctx.hub, conflict_id)
    if item is None:
        return ctx.done(
            "/conflicts", problem=translate(N_("There is no such conflict."), language(request))
        )
    return _conflict_page(request, user, item)


@router.post("/conflicts/{conflict_id}")
async def resolve(request: Request, conflict_id: str) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    fields = await ctx.form(request, user)
    lang = language(request)
    item = await run_in_threadpool(admin.conflict, ctx.hub, conflict_id)
    if item is None:
        return ctx.done("/conflicts", problem=translate(N_("There is no such conflict."), lang))
    choice = fields.get("choice", "")
    typed = fields.get("value", "")
    if choice == "kept":
        value = item["winner_value"]
    elif choice == "other":
        value = item["other_value"]
    elif choice == "typed":
        value = typed_value(typed, [item["winner_value"], item["other_value"], item["current"]])
    else:
        return ctx.done(
            f"/conflicts/{conflict_id}", problem=translate(N_("Choose a value to keep."), lang)
        )
    table, name = str(item["table_name"]), str(item["field"])
    reason = check(table, name, value)
    if reason is not None:
        message = translate(
            N_("This value cannot be kept for {field}: {reason}"),
            lang,
            field=field_label(name, lang),
            reason=reason,
        )
        return _conflict_page(request, user, item, status=422, error=message, typed=typed)
    try:
        await run_in_threadpool(
            admin.resolve_conflict,
            ctx.hub,
            conflict_id,
            value,
            user.username,
            _audit(user, "conflict_resolved", conflict_id, table=table, field=name, choice=choice),
        )
    except Refused as exc:
        return _conflict_page(
            request, user, item, status=exc.status, error=_problem(request, exc), typed=typed
        )
    return ctx.done(
        "/conflicts",
        notice=translate(
            N_("The conflict is resolved; the branch's laptops take the value at their next sync."),
            lang,
        ),
    )


# -- quarantine ----------------------------------------------------------------------------


@router.get("/quarantine")
async def quarantine(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    lang = language(request)
    page = _page_number(request)
    total, held, settled = await run_in_threadpool(admin.quarantine_page, ctx.hub, page)
    return ctx.render(
        request,
        user,
        "quarantine.html",
        held=held,
        settled=settled,
        **_pages(total, page),
        table_label=lambda t: table_label(t, lang),
        field_label=lambda f: field_label(f, lang),
        shown=lambda v: shown(v, lang),
    )


@router.post("/quarantine/{quarantine_id}/retry")
async def retry(request: Request, quarantine_id: int) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    fields = await ctx.form(request, user)
    lang = language(request)

    def audit(connection: Any) -> None:
        # Written once the outcome is known, in the retry's own transaction.
        _audit(user, "quarantine_retried", str(quarantine_id))(connection)

    try:
        reason = await run_in_threadpool(
            admin.retry_quarantined,
            ctx.hub,
            quarantine_id,
            user.username,
            fields.get("note", "").strip(),
            audit,
        )
    except Refused as exc:
        return ctx.done("/quarantine", problem=_problem(request, exc))
    if reason is None:
        return ctx.done(
            "/quarantine",
            notice=translate(
                N_("The change was applied; it reaches the branch's laptops at their next sync."),
                lang,
            ),
        )
    return ctx.done(
        "/quarantine",
        problem=translate(
            N_("The change is still held: {reason}"), lang, reason=translate(reason, lang)
        ),
    )


@router.post("/quarantine/{quarantine_id}/dismiss")
async def dismiss(request: Request, quarantine_id: int) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    fields = await ctx.form(request, user)
    lang = language(request)
    note = fields.get("note", "").strip()
    if not note:
        return ctx.done(
            "/quarantine",
            problem=translate(N_("Write a note saying why the change is dismissed."), lang),
        )
    try:
        await run_in_threadpool(
            admin.dismiss_quarantined,
            ctx.hub,
            quarantine_id,
            user.username,
            note,
            _audit(user, "quarantine_dismissed", str(quarantine_id), note=note),
        )
    except Refused as exc:
        return ctx.done("/quarantine", problem=_problem(request, exc))
    return ctx.done(
        "/quarantine", notice=translate(N_("The change was dismissed with your note."), lang)
    )


# -- duplicate people ----------------------------------------------------------------------


@router.get("/duplicates")
async def duplicates(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    page = _page_number(request)
    total, cases = await run_in_threadpool(admin.duplicate_page, ctx.hub, page)
    return ctx.render(request, user, "duplicates.html", cases=cases, **_pages(total, page))


def _changed(entry: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    return [
        (field_label(k, lang), shown(v, lang))
        for k, v in entry["data"].items()
        if k not in _HIDDEN and v not in (None, "", [])
    ]


@router.get("/duplicates/{case_id}")
async def duplicate_page(request: Request, case_id: int) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    lang = language(request)
    case = await run_in_threadpool(admin.duplicate, ctx.hub, case_id)
    if case is None:
        return ctx.done(
            "/duplicates", problem=translate(N_("There is no such duplicate case."), lang)
        )
    return ctx.render(
        request,
        user,
        "duplicate.html",
        case=case,
        changed=lambda entry: _changed(entry, lang),
        shown=lambda v: shown(v, lang),
    )


@router.post("/duplicates/{case_id}")
async def merge(request: Request, case_id: int) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.RESOLVE_CONFLICTS)
    fields = await ctx.form(request, user)
    lang = language(request)
    keep = fields.get("keep", "")
    if not keep:
        return ctx.done(
            f"/duplicates/{case_id}", problem=translate(N_("Choose the file to keep."), lang)
        )
    note = fields.get("note", "").strip() or None
    try:
        await run_in_threadpool(
            admin.merge_duplicate,
            ctx.hub,
            case_id,
            keep,
            note,
            _audit(user, "duplicate_merged", str(case_id), kept=keep, note=note),
        )
    except Refused as exc:
        return ctx.done(f"/duplicates/{case_id}", problem=_problem(request, exc))
    return ctx.done(
        "/duplicates",
        notice=translate(
            N_("The files are merged: one is kept with all its history; the others are closed."),
            lang,
        ),
    )


# -- verifying a paper, finding a person ---------------------------------------------------


@router.get("/verify")
async def verify(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.VIEW_REPORTS)
    lang = language(request)
    code = request.query_params.get("code", "").strip()
    result = error = None
    if code:
        try:
            result = await run_in_threadpool(verify_paper, ctx.hub, code)
        except RomahError as exc:
            error = exc.text(lang)
    rows: list[tuple[str, str, str | None, bool]] = []
    if result is not None and result.found:
        differing = {d.field for d in result.differences}
        rows = [
            (
                printed_label(name, lang),
                value,
                result.now.get(name) if result.now else None,
                name in differing,
            )
            for name, value in result.printed.items()
        ]
        rows += [(d.label, "—", d.now, True) for d in result.differences if d.printed is None]
    return ctx.render(
        request, user, "verify.html", code=code, result=result, error=error, rows=rows
    )


@router.get("/people")
async def people(request: Request) -> Response:
    ctx = console_of(request)
    user = await ctx.user(request, Permission.VIEW_BENEFICIARIES)
    query = request.query_params.get("q", "").strip()[:100]
    size = admin.PAGE_SIZE
    found = await run_in_threadpool(admin.search_people, ctx.hub, query, size + 1) if query else []
    return ctx.render(
        request, user, "people.html", query=query, found=found[:size], more=len(found) > size
    )
