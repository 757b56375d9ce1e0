"""HQ's console: headquarters' half of the system, in the browser, served by `romah-hq serve`
beside the laptops' API (one process, one port).

Server-rendered pages (Jinja2 templates), Arabic right to left by default with English
switchable, no script fetched from anywhere: every asset, the font included, is served here.
The pages call the same HQ modules the API and the command line call (`sync/server/*`), and
check roles with `access.py`; every action is written to HQ's audit trail (`audit.py`).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from romah_desktop.i18n import LANGUAGES, translate
from romah_desktop.printing.fonts import TEXT_FAMILY
from sync.server.console import auth, pages
from sync.server.console.audit import record
from sync.server.console.web import (
    FORM_EXPIRED,
    LANG_COOKIE,
    LOGIN_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    STATIC_DIR,
    Console,
    Forbidden,
    NotSignedIn,
    console_of,
    language,
    safe_next,
    same_token,
    sign_in_redirect,
)
from sync.server.hub import Hub

_STATIC = {"console.css": "text/css", "console.js": "text/javascript"}
_FONTS = {"regular.ttf": 400, "bold.ttf": 700}
# Answers that show people's data are never cached and never framed; nothing but this
# server's own files runs or loads.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _ConsoleHeaders:
    """The console's answers get `_HEADERS` (and, but for its static files, no-store); the
    laptops' API passes straight through. Plain ASGI: an `http` middleware would cost every
    sync request a task and a queue."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        no_store = not path.startswith(f"{PREFIX}/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers[name] = value
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def mount_console(app: FastAPI, hub: Hub, blob_dir: Path) -> None:
    app.state.console = Console.make(hub, blob_dir)

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _exc: NotSignedIn) -> Response:
        return sign_in_redirect(request)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        ctx = console_of(request)
        token = request.cookies.get(SESSION_COOKIE)
        user = await run_in_threadpool(auth.session_user, hub.engine, token)
        message = translate(exc.text, language(request), **exc.params)
        return ctx.render(request, user, "refused.html", status=403, message=message)

    app.add_middleware(_ConsoleHeaders)

    @app.get(PREFIX, include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    @app.get(PREFIX + "/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name in _STATIC:
            return FileResponse(STATIC_DIR / name, media_type=_STATIC[name])
        if name in _FONTS:
            import fontpkg

            return FileResponse(fontpkg.path(TEXT_FAMILY, _FONTS[name]), media_type="font/ttf")
        return Response(status_code=404)

    def sign_in_form(request: Request, status: int = 200, **context: object) -> Response:
        """The sign-in page, with its own CSRF token (there is no session yet): the same
        random value in a cookie and in the form, so another site cannot post the form and
        sign a browser in to an account of its choosing."""
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        context.setdefault("next", safe_next(request.query_params.get("next")))
        response = console_of(request).render(
            request, None, "login.html", status=status, login_csrf=token, **context
        )
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path=PREFIX,
        )
        return response

    @app.get(PREFIX + "/login", include_in_schema=False)
    async def login_page(request: Request) -> Response:
        return sign_in_form(request)

    @app.post(PREFIX + "/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        data = await request.form()
        username = str(data.get("username", ""))
        password = str(data.get("password", ""))
        target = safe_next(str(data.get("next", "")))
        sent = str(data.get("login_csrf", ""))
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not same_token(sent, expected):
            message = translate(FORM_EXPIRED, language(request))
            return sign_in_form(request, 403, error=message, next=target, username=username)
        try:
            token, user = await run_in_threadpool(auth.sign_in, hub.engine, username, password)
        except auth.SignInRefused as exc:
            await run_in_threadpool(_audit_failure, hub, username)
            message = translate(exc.text, language(request), **exc.params)
            return sign_in_form(request, 401, error=message, next=target, username=username)
        await run_in_threadpool(_audit, hub, user, "sign_in")
        response = RedirectResponse(target, status_code=303)
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX, samesite="strict")
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path=PREFIX,
        )
        return response

    @app.post(PREFIX + "/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        ctx = console_of(request)
        user = await ctx.user(request)
        await ctx.form(request, user)
        token = request.cookies.get(SESSION_COOKIE, "")
        await run_in_threadpool(auth.sign_out, hub.engine, token)
        await run_in_threadpool(_audit, hub, user, "sign_out")
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    @app.get(PREFIX + "/lang/{lang}", include_in_schema=False)
    async def choose_language(request: Request, lang: str) -> Response:
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        if lang in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE, lang, samesite="strict", path=PREFIX, max_age=365 * 24 * 3600
            )
        return response

    for router in pages.ROUTERS:
        app.include_router(router, prefix=PREFIX, include_in_schema=False)


def _audit(hub: Hub, user: auth.ConsoleUser, action: str) -> None:
    with hub.engine.begin() as connection:
        record(connection, user.username, action, user_id=user.id)


def _audit_failure(hub: Hub, username: str) -> None:
    with hub.engine.begin() as connection:
        record(connection, username.strip().lower()[:60] or "?", "sign_in_failed")
