"""The console's guards, checked over every route the application has (found in `app.routes`,
so a page added later is checked too): no session, a wrong or missing CSRF token and a role
without the permission are refused before anything is looked up or changed; sign-in lockout,
idle expiry, cookie flags, the end of sessions, redirects after sign-in, response headers, and
the laptops' API beside the console.

In process (FastAPI's test client over `create_app`) on SQLite; the core checks run again on
PostgreSQL.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from db.base import utcnow
from db.ids import new_id
from db.keys import Credentials, hash_password
from romah_desktop.i18n import translate
from romah_desktop.permissions import Permission
from romah_desktop.services.users import user_credentials
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server.app import create_app
from sync.server.console import auth
from sync.server.console.access import may
from sync.server.console.web import MAX_FORM_BYTES, SESSION_COOKIE, Console
from sync.server.hub import Hub
from sync.server.migrate import upgrade
from sync.server.schema import (
    hq_audit,
    hq_blob,
    hq_branch,
    hq_change,
    hq_device,
    hq_duplicate,
    hq_enrolment,
    hq_person_key,
    hq_quarantine,
    hq_row,
    hq_session,
    hq_user,
)
from tests.console.conftest import CONSOLE_PASSWORD, CONSOLE_USERS
from tests.helpers.postgres import postgres_schema

# Pages that need no session: the sign-in page, the language switch, the static files, and
# the bare prefix (a redirect to the dashboard).
OPEN = ("/console", "/console/login", "/console/lang/{lang}", "/console/static/{name}")
# What the console's actions may change; a refused request changes none of it.
GUARDED = (
    hq_row,
    hq_change,
    hq_user,
    hq_device,
    hq_enrolment,
    hq_quarantine,
    hq_duplicate,
    hq_branch,
    hq_person_key,
    hq_blob,
    hq_audit,
)
ADMIN_ONLY = ("/console/branches", "/console/users", "/console/devices", "/console/library")
JUNK_TEXT = "no-such-id"
JUNK_NUMBER = 987654


@dataclass
class Env:
    hub: Hub
    app: FastAPI
    http: TestClient
    # Values that exist, for route parameters: by kind.
    existing: dict[str, list[Any]] = field(default_factory=dict)
    # The permission each request asked the console for, by (method, path).
    asked: dict[tuple[str, str], Permission | None] = field(default_factory=dict)

    @property
    def engine(self) -> sa.Engine:
        return self.hub.engine


def _seed(hub: Hub) -> dict[str, list[Any]]:
    """Branches, branch users, console users, a laptop, a conflict, a held change and a
    duplicate case, so that routes can be called with ids that exist."""
    hashed = _branch_credentials()
    branch_ids = []
    for code, name in (("RYD", "فرع الرياض"), ("JED", "فرع جدة")):
        branch_ids.append(hub.add_branch(code, name, "+966112345678"))
        hub.add_user(f"manager.{code.lower()}", f"مدير {name}", "branch_manager", code, hashed)
    user_ids = [new_id() for _ in CONSOLE_USERS]
    with hub.engine.begin() as connection:
        # As `auth.add_user` does, with the password hashed once for all the tests.
        for user_id, (username, (full_name, role)) in zip(
            user_ids, CONSOLE_USERS.items(), strict=True
        ):
            connection.execute(
                sa.insert(hq_user).values(
                    id=user_id,
                    username=username,
                    full_name=full_name,
                    role=role,
                    password_hash=_console_hash(),
                    active=True,
                    failures=0,
                    created_at=utcnow(),
                )
            )
    device_id = new_id()
    hub.enrol(hub.new_enrolment_code("RYD"), device_id, "laptop-ryd", "RY01", "RYD")
    conflict_id = new_id()
    now = utcnow()
    with hub.engine.begin() as connection:
        connection.execute(
            sa.insert(hq_row).values(
                table_name="sync_conflict",
                row_id=conflict_id,
                scope=branch_ids[0],
                data={
                    "id": conflict_id,
                    "table_name": "beneficiary",
                    "row_id": new_id(),
                    "field": "city",
                    "kind": "field",
                    "winner_value": "الرياض",
                    "other_value": "جدة",
                    "status": "open",
                    "created_at": now.isoformat(),
                },
                versions={},
            )
        )
        quarantine_id = connection.execute(
            sa.insert(hq_quarantine).values(
                device_id=device_id,
                device_seq=1,
                table_name="beneficiary",
                row_id=new_id(),
                change={"t": "beneficiary"},
                reason="test",
                received_at=now,
            )
        ).inserted_primary_key[0]
        duplicate_id = connection.execute(
            sa.insert(hq_duplicate).values(
                national_id="1000000008",
                row_ids=[new_id(), new_id()],
                status="open",
                created_at=now,
            )
        ).inserted_primary_key[0]
    return {
        "branch": [branch_ids[0], "RYD"],
        "device": [device_id],
        "user": [user_ids[1], "sara", "manager.ryd"],
        # Words an action in an address might be.
        "action": ["active", "unlock", "password", "role", "disable", "delete"],
        "conflict": [conflict_id],
        "number": [int(quarantine_id), int(duplicate_id)],
        "text": [conflict_id, device_id, branch_ids[0], user_ids[1]],
    }


@functools.cache
def _branch_credentials() -> Credentials:
    return user_credentials("branch-pass-1")


@functools.cache
def _console_hash() -> str:
    return hash_password(CONSOLE_PASSWORD)


def _make_env(hub: Hub, blob_dir: Path, base_url: str = "http://hq.test") -> Iterator[Env]:
    existing = _seed(hub)
    app = create_app(hub, blob_dir)
    with TestClient(app, base_url=base_url, follow_redirects=False) as http:
        env = Env(hub, app, http, existing)
        _watch_permissions(env)
        yield env
    hub.engine.dispose()


def _watch_permissions(env: Env) -> None:
    """Note which permission each route asks the console for (the route's own answer to
    "who may do this")."""
    console: Console = env.app.state.console
    original = console.user

    async def user(request: Any, permission: Permission | None = None) -> auth.ConsoleUser:
        env.asked.setdefault((request.method, request.url.path), permission)
        return await original(request, permission)

    console.user = user  # type: ignore[method-assign]


def _hub(url: str) -> Hub:
    from db.engine import create_engine

    engine = create_engine(url)
    upgrade(engine)
    return Hub(engine)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    hub = _hub(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
    yield from _make_env(hub, tmp_path / "blobs")


# -- helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsoleRoute:
    method: str
    path: str  # with its parameters in braces: /console/devices/{device_id}
    route: APIRoute = field(compare=False)


def _all_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """(path, route) for every route, those of included routers too."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before routers were included lazily
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield route.path_format, route
        return
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        if isinstance(original, APIRoute) and context.path_format:
            yield context.path_format, original


def console_routes(app: FastAPI) -> list[ConsoleRoute]:
    """Every console route that needs a session, once per method."""
    found = []
    for path, route in _all_routes(app):
        if not path.startswith("/console") or path in OPEN:
            continue
        if path.startswith("/console/static/"):
            continue
        for method in sorted(route.methods or ()):
            if method in {"GET", "POST"}:
                found.append(ConsoleRoute(method, path, route))
    return found


def _kind(name: str, annotation: Any) -> str:
    lowered = name.lower()
    if annotation is int:
        return "number"
    for kind in ("branch", "device", "conflict", "user", "action"):
        if kind in lowered:
            return kind
    if lowered in {"code"}:
        return "branch"
    if lowered in {"name", "username"}:
        return "user"
    return "text"


def urls_of(env: Env, route: ConsoleRoute) -> list[str]:
    """The route's address with junk in its parameters, then with values that exist."""
    params = {
        p.name: _kind(p.name, p.field_info.annotation) for p in route.route.dependant.path_params
    }
    if not params:
        return [route.path]
    fills: list[dict[str, Any]] = [
        {n: JUNK_NUMBER if k == "number" else JUNK_TEXT for n, k in params.items()}
    ]
    most = max(len(env.existing[k]) for k in params.values())
    for i in range(most):
        fills.append({n: env.existing[k][i % len(env.existing[k])] for n, k in params.items()})
    return [route.path.format(**fill) for fill in fills]


def snapshot(engine: sa.Engine, tables: tuple[sa.Table, ...] = GUARDED) -> dict[str, list[str]]:
    """Every row of the guarded tables (as text, sorted)."""
    with engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(sa.select(table)))
            for table in tables
        }


def session_of(env: Env, username: str) -> tuple[str, str]:
    """A fresh session for the user, as a sign-in makes it (without checking the password
    again): (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    with env.engine.begin() as connection:
        connection.execute(
            sa.insert(hq_session).values(
                token_sha256=hashlib.sha256(token.encode()).hexdigest(),
                user_id=_user_id(env, username),
                csrf=csrf,
                created_at=now,
                last_seen_at=now,
            )
        )
    return token, csrf


def request(
    env: Env,
    method: str,
    url: str,
    token: str | None = None,
    data: dict[str, str] | None = None,
) -> httpx.Response:
    env.http.cookies.clear()
    headers = {"Cookie": f"{SESSION_COOKIE}={token}"} if token is not None else {}
    if method == "GET":
        return env.http.get(url, headers=headers)
    return env.http.post(url, headers=headers, data=data or {})


def refused_unchanged(
    env: Env,
    method: str,
    url: str,
    token: str | None,
    data: dict[str, str] | None,
    status: int,
) -> httpx.Response:
    """Send the request; assert its status and that nothing was changed."""
    before = snapshot(env.engine)
    response = request(env, method, url, token, data)
    assert response.status_code == status, f"{method} {url}: {response.status_code}"
    assert snapshot(env.engine) == before, f"{method} {url} changed HQ's data"
    return response


def _problem(page: str) -> str:
    found = re.search(r'<p class="problem" role="alert">(.*?)</p>', page, re.S)
    assert found, "no message on the page"
    return html.unescape(found.group(1)).strip()


def post_login(env: Env, username: str, password: str, next_: str = "") -> httpx.Response:
    """Sign in through the form, as a browser does: the form first (its token), then post."""
    env.http.cookies.clear()
    form = env.http.get("/console/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert token, "the sign-in form has no token"
    return env.http.post(
        "/console/login",
        data={
            "username": username,
            "password": password,
            "next": next_,
            "login_csrf": token.group(1),
        },
    )


# -- the checks (shared with the PostgreSQL variant) ---------------------------------------


def check_no_session(env: Env) -> None:
    routes = console_routes(env.app)
    assert routes, "the console has no routes"
    expired, _ = session_of(env, "amal")
    with env.engine.begin() as connection:
        connection.execute(sa.update(hq_session).values(last_seen_at=utcnow() - timedelta(hours=2)))
    for route in routes:
        for url in urls_of(env, route):
            for token in (None, "garbage-token", expired):
                response = refused_unchanged(env, route.method, url, token, {"csrf": "x"}, 303)
                location = response.headers["location"]
                assert location.startswith("/console/login?next="), location
                if route.method == "GET":
                    assert parse_qs(urlsplit(location).query)["next"] == [url]


def check_csrf(env: Env) -> None:
    token, csrf = session_of(env, "amal")
    posts = [r for r in console_routes(env.app) if r.method == "POST"]
    assert any(r.path == "/console/logout" for r in posts)
    for route in posts:
        for url in urls_of(env, route):
            for data in ({}, {"csrf": ""}, {"csrf": csrf[:-2] + "xx"}, {"csrf": "wrong"}):
                refused_unchanged(env, "POST", url, token, data, 403)
    # A form larger than the limit, or one whose length is not declared (sent in chunks, so
    # that no limit is seen coming), is refused even with the right token.
    env.http.cookies.clear()
    cookie = {"Cookie": f"{SESSION_COOKIE}={token}"}
    form = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}

    def chunks() -> Iterator[bytes]:
        yield f"csrf={csrf}&x=".encode()
        yield b"a" * 1000

    before = snapshot(env.engine)
    chunked = env.http.post("/console/logout", headers=form, content=chunks())
    assert chunked.status_code == 403
    large = env.http.post(
        "/console/logout", headers=cookie, data={"csrf": csrf, "x": "a" * (MAX_FORM_BYTES + 1)}
    )
    assert large.status_code == 403
    assert snapshot(env.engine) == before
    # Still signed in: none of that ended the session.
    assert request(env, "GET", "/console/", token).status_code == 200


def check_auditor_changes_nothing(env: Env) -> None:
    token, csrf = session_of(env, "omar")
    for route in console_routes(env.app):
        if route.method != "POST" or route.path == "/console/logout":
            continue
        for url in urls_of(env, route):
            page = refused_unchanged(env, "POST", url, token, {"csrf": csrf}, 403)
            assert "عمر الشهري" in page.text


def learn_permissions(env: Env) -> dict[ConsoleRoute, Permission | None]:
    """The permission each route asks for, learnt without doing anything: as an
    administrator, and each POST without its CSRF token (refused after the role check)."""
    amal, _ = session_of(env, "amal")
    learnt = {}
    for route in console_routes(env.app):
        url = urls_of(env, route)[0]
        response = request(env, route.method, url, amal, {})
        assert response.status_code < 500, f"{route.method} {url}: {response.status_code}"
        key = (route.method, url)
        assert key in env.asked, f"{route.method} {route.path} does not check who asks first"
        learnt[route] = env.asked[key]
        if route.path != "/console/logout":
            assert learnt[route] is not None, f"{route.method} {route.path} needs no permission"
    return learnt


def check_roles(env: Env) -> None:
    """Each route asks for a permission; a role without it is refused (403), changing
    nothing, whatever the route's parameters."""
    learnt = learn_permissions(env)
    for username in ("sara", "omar"):
        token, csrf = session_of(env, username)
        role = CONSOLE_USERS[username][1]
        for route, permission in learnt.items():
            if permission is None:
                continue
            if may(role, permission):
                assert not route.path.startswith(ADMIN_ONLY), f"{role} may {route.path}"
                continue
            for url in urls_of(env, route):
                refused_unchanged(env, route.method, url, token, {"csrf": csrf}, 403)


def check_lockout(env: Env) -> None:
    wrong = translate(auth.WRONG, "ar")
    locked = translate(auth.LOCKED, "ar", minutes=15)
    before = snapshot(env.engine, (hq_row, hq_change, hq_device, hq_enrolment, hq_session))
    unknown = post_login(env, "nobody", "whatever-it-is")
    assert unknown.status_code == 401
    for attempt in range(1, 6):
        response = post_login(env, "sara", f"wrong-password-{attempt}")
        assert response.status_code == 401
        message = _problem(response.text)
        assert message == (locked if attempt == 5 else wrong), attempt
        if attempt == 1:
            # An unknown user and a wrong password read the same.
            assert _problem(unknown.text) == message
    right = post_login(env, "sara", CONSOLE_PASSWORD)
    assert right.status_code == 401
    assert _problem(right.text) == locked
    assert SESSION_COOKIE not in right.headers.get("set-cookie", "")
    assert snapshot(env.engine, (hq_row, hq_change, hq_device, hq_enrolment, hq_session)) == (
        before
    )
    # The others are not locked out with her.
    assert post_login(env, "amal", CONSOLE_PASSWORD).status_code == 303


def check_idle_expiry(env: Env) -> None:
    token, _ = session_of(env, "sara")
    assert request(env, "GET", "/console/", token).status_code == 200
    mine = hq_session.c.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    with env.engine.begin() as connection:
        connection.execute(
            sa.update(hq_session).where(mine).values(last_seen_at=utcnow() - timedelta(minutes=31))
        )
    response = request(env, "GET", "/console/", token)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login?next=")
    with env.engine.connect() as connection:
        left = connection.execute(sa.select(sa.func.count()).select_from(hq_session).where(mine))
        assert left.scalar_one() == 0


# -- tests on SQLite -----------------------------------------------------------------------


def test_every_route_without_a_session_goes_to_the_sign_in_page(env: Env) -> None:
    check_no_session(env)


def test_every_form_without_its_csrf_token_is_refused(env: Env) -> None:
    check_csrf(env)


def test_the_auditor_changes_nothing(env: Env) -> None:
    check_auditor_changes_nothing(env)


def test_each_role_reaches_only_what_it_may(env: Env) -> None:
    check_roles(env)
    # The administrator-only pages, whatever permission they ask, are not the steward's.
    token, _ = session_of(env, "sara")
    for route in console_routes(env.app):
        if route.path.startswith(ADMIN_ONLY):
            for url in urls_of(env, route):
                assert request(env, route.method, url, token, {}).status_code == 403, url


def test_five_wrong_passwords_lock_the_account(env: Env) -> None:
    check_lockout(env)


def test_a_sign_in_posted_from_elsewhere_is_refused(env: Env) -> None:
    """Another site's page cannot post the sign-in form: without the form's own token (or
    with another one) the right password signs no one in, and the person is told why."""
    before = snapshot(env.hub.engine, (hq_session,))
    for token in (None, "forged"):
        env.http.cookies.clear()
        data = {"username": "amal", "password": CONSOLE_PASSWORD, "next": ""}
        if token is not None:
            env.http.cookies.set("romah_hq_login", "another", path="/console")
            data["login_csrf"] = token
        refused = env.http.post("/console/login", data=data)
        assert refused.status_code == 403
        assert SESSION_COOKIE not in refused.cookies
        assert "انتهت صلاحية النموذج" in _problem(refused.text)
    assert snapshot(env.hub.engine, (hq_session,)) == before
    assert post_login(env, "amal", CONSOLE_PASSWORD).status_code == 303


def test_an_idle_session_ends_after_thirty_minutes(env: Env) -> None:
    check_idle_expiry(env)


def test_the_session_cookie_is_http_only_strict_and_for_the_console(env: Env) -> None:
    response = post_login(env, "amal", CONSOLE_PASSWORD)
    assert response.status_code == 303
    (cookie,) = [
        c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")
    ]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/console"} <= flags
    assert "secure" not in flags


def test_the_session_cookie_is_secure_over_https(tmp_path: Path) -> None:
    hub = _hub(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
    for secure in _make_env(hub, tmp_path / "blobs", base_url="https://hq.test"):
        response = post_login(secure, "amal", CONSOLE_PASSWORD)
        assert response.status_code == 303
        flags = {p.strip().lower() for p in response.headers["set-cookie"].split(";")[1:]}
        assert {"secure", "httponly", "samesite=strict", "path=/console"} <= flags


def _user_id(env: Env, username: str) -> str:
    with env.engine.connect() as connection:
        return str(
            connection.execute(
                sa.select(hq_user.c.id).where(hq_user.c.username == username)
            ).scalar_one()
        )


def _sessions(env: Env, username: str) -> int:
    with env.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count())
                .select_from(hq_session)
                .where(hq_session.c.user_id == _user_id(env, username))
            ).scalar_one()
        )


def test_signing_out_ends_the_session_at_hq(env: Env) -> None:
    token, csrf = session_of(env, "sara")
    response = request(env, "POST", "/console/logout", token, {"csrf": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login"
    assert _sessions(env, "sara") == 0
    assert request(env, "GET", "/console/", token).status_code == 303


def test_disabling_a_user_or_a_new_password_ends_their_sessions(env: Env) -> None:
    first, _ = session_of(env, "sara")
    second, _ = session_of(env, "sara")
    other, _ = session_of(env, "omar")
    with env.engine.begin() as connection:
        auth.update_user(connection, _user_id(env, "sara"), password="another-pass-2")
    assert _sessions(env, "sara") == 0
    for token in (first, second):
        assert request(env, "GET", "/console/", token).status_code == 303
    assert request(env, "GET", "/console/", other).status_code == 200
    with env.engine.begin() as connection:
        auth.update_user(connection, _user_id(env, "sara"), password=CONSOLE_PASSWORD)
    third, _ = session_of(env, "sara")
    with env.engine.begin() as connection:
        auth.update_user(connection, _user_id(env, "sara"), active=False)
    assert _sessions(env, "sara") == 0
    assert request(env, "GET", "/console/", third).status_code == 303
    disabled = post_login(env, "sara", CONSOLE_PASSWORD)
    assert disabled.status_code == 401
    assert _problem(disabled.text) == translate(auth.DISABLED, "ar")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example", "/\\evil.example", "/console//evil.example"],
)
def test_signing_in_never_sends_the_browser_to_another_site(env: Env, target: str) -> None:
    env.http.cookies.clear()
    form = env.http.get("/console/login", params={"next": target})
    hidden = re.search(r'name="next" value="([^"]*)"', form.text)
    assert hidden is not None and html.unescape(hidden.group(1)) == "/console/"
    response = post_login(env, "amal", CONSOLE_PASSWORD, next_=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/"
    # A place inside the console is kept.
    kept = post_login(env, "amal", CONSOLE_PASSWORD, next_="/console/audit")
    assert kept.headers["location"] == "/console/audit"


def test_console_pages_forbid_inline_code_framing_and_caching(env: Env) -> None:
    amal, _ = session_of(env, "amal")
    omar, _ = session_of(env, "omar")
    pages = [("/console/login", None), ("/console/", amal)]
    for route in console_routes(env.app):
        if route.method == "GET":
            pages += [(url, token) for url in urls_of(env, route) for token in (amal, omar)]
    for url, token in pages:
        response = request(env, "GET", url, token)
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY", url
        assert response.headers["cache-control"] == "no-store", url


def test_the_laptops_api_is_untouched_by_the_console(env: Env) -> None:
    amal, _ = session_of(env, "amal")
    info = request(env, "GET", "/v1/info")
    assert info.status_code == 200
    assert info.json() == {"service": "romah-hq", "protocol": PROTOCOL_VERSION}
    assert "content-security-policy" not in info.headers
    env.http.cookies.clear()
    pulled = env.http.get(
        "/v1/pull",
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Cookie": f"{SESSION_COOKIE}={amal}"},
    )
    assert pulled.status_code == 401
    assert "changes" not in pulled.text


# -- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_the_core_checks_on_postgresql(tmp_path: Path) -> None:
    with postgres_schema() as engine:
        upgrade(engine)
        for on_postgres in _make_env(Hub(engine), tmp_path / "blobs"):
            check_no_session(on_postgres)
            check_csrf(on_postgres)
            check_auditor_changes_nothing(on_postgres)
            check_roles(on_postgres)
            check_lockout(on_postgres)
            check_idle_expiry(on_postgres)
