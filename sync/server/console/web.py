"""What every console page shares: the templates, the signed-in user, the language, CSRF and
the permission check, and the shape of a refusal.

A page handler asks `ctx.user(request, permission)` first (which refuses a request without a
session, or with a role that lacks `permission`), reads a posted form only through
`ctx.form(request, user)` (which refuses a missing or wrong CSRF token), and answers with
`ctx.render(...)` or `ctx.done(...)` (a redirect back with a message).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from romah_desktop.dates import format_dual
from romah_desktop.grammar import ENTRY, count_phrase
from romah_desktop.i18n import LANGUAGES, N_, translate
from romah_desktop.permissions import Permission
from sync.server.console import auth
from sync.server.console.access import ROLE_LABELS, ConsoleRole, may
from sync.server.hub import Hub

SESSION_COOKIE = "romah_hq_session"
LANG_COOKIE = "romah_hq_lang"
# The sign-in form's own CSRF token, before there is a session.
LOGIN_COOKIE = "romah_hq_login"
FORM_EXPIRED = N_(
    "The form has expired or did not come from this console. Open the page again and repeat "
    "the action."
)
PREFIX = "/console"
MAX_FORM_BYTES = 256 * 1024

_HERE = Path(__file__).parent
STATIC_DIR = _HERE / "static"


class NotSignedIn(Exception):
    """No valid session: the browser is sent to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but not allowed (role, CSRF, another branch): a 403 page; nothing changed."""

    def __init__(self, text: str, **params: Any) -> None:
        super().__init__(text)
        self.text = text
        self.params = params


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "ar")
    return lang if lang in LANGUAGES else "ar"


def _when(value: Any, lang: str) -> str:
    """A date or time in both calendars (Gregorian and Umm al-Qura), as the laptops show."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        text = value
        try:
            # A bare date (2024-08-24) is a day, not midnight of it.
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo else value
        return f"{format_dual(local.date())} {local.strftime('%H:%M')}"
    if isinstance(value, date):
        return format_dual(value)
    return str(value)


@dataclass
class Console:
    """The console's state, kept on the FastAPI application (`app.state.console`)."""

    hub: Hub
    blob_dir: Path
    templates: jinja2.Environment

    @classmethod
    def make(cls, hub: Hub, blob_dir: Path) -> Console:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_HERE / "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        return cls(hub, blob_dir, env)

    # -- who is asking -------------------------------------------------------------------

    async def user(
        self, request: Request, permission: Permission | None = None
    ) -> auth.ConsoleUser:
        """The signed-in user; raises NotSignedIn, or Forbidden when their role lacks
        `permission`."""
        token = request.cookies.get(SESSION_COOKIE)
        found = await run_in_threadpool(auth.session_user, self.hub.engine, token)
        if found is None:
            raise NotSignedIn()
        if permission is not None and not may(found.role, permission):
            raise Forbidden(N_("Your role does not allow this page or action."))
        return found

    async def form(self, request: Request, user: auth.ConsoleUser) -> dict[str, str]:
        """The posted form's fields (the last value of each), once its CSRF token is checked."""
        # A body without a declared length (chunked) would get past the limit: refused.
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
            raise Forbidden(N_("The form is too large."))
        data = await request.form()
        fields = {k: v for k, v in data.multi_items() if isinstance(v, str)}
        if not same_token(fields.get("csrf", ""), user.csrf):
            raise Forbidden(FORM_EXPIRED)
        return fields

    async def form_list(self, request: Request, user: auth.ConsoleUser, name: str) -> list[str]:
        """Every value posted for `name` (a group of checkboxes), once the form's CSRF token
        is checked as `form` checks it."""
        await self.form(request, user)
        data = await request.form()  # read once: Starlette keeps the parsed form
        return [v for v in data.getlist(name) if isinstance(v, str)]

    # -- answers -------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        user: auth.ConsoleUser | None,
        template: str,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        lang = language(request)

        def t(text: str, **params: Any) -> str:
            return translate(text, lang, **params)

        page = self.templates.get_template(template).render(
            request=request,
            user=user,
            lang=lang,
            dir="rtl" if lang == "ar" else "ltr",
            t=t,
            entry_count=lambda n: count_phrase(n, ENTRY, lang),
            # Isolated right to left: its Arabic era letters keep the date in order on an
            # English page too.
            when=lambda value: Markup('<bdi dir="rtl">{}</bdi>').format(_when(value, lang)),
            may=lambda permission: user is not None and may(user.role, Permission(permission)),
            role_label=lambda role: (
                t(ROLE_LABELS[ConsoleRole(role)]) if role in set(ConsoleRole) else role
            ),
            notice=request.query_params.get("notice"),
            problem=request.query_params.get("problem"),
            prefix=PREFIX,
            path=request.url.path,
            csrf=user.csrf if user else "",
            **context,
        )
        return HTMLResponse(page, status_code=status)

    def done(
        self, where: str, notice: str | None = None, problem: str | None = None, **query: Any
    ) -> RedirectResponse:
        """Back to a console page after a POST (303), with a message already translated."""
        params = {k: v for k, v in {"notice": notice, "problem": problem, **query}.items() if v}
        target = f"{PREFIX}{where}" + (f"?{urlencode(params)}" if params else "")
        return RedirectResponse(target, status_code=303)


def same_token(a: str, b: str) -> bool:
    """Whether a token sent with a form is the one expected (in constant time)."""
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = PREFIX + "/"
    return RedirectResponse(f"{PREFIX}/login?next={quote(target)}", status_code=303)


def safe_next(value: str | None) -> str:
    """A place inside the console to go after signing in (never another site)."""
    if value and value.startswith(PREFIX + "/") and "//" not in value and "\\" not in value:
        return value
    return PREFIX + "/"


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console
