"""HQ's HTTP face: FastAPI routes over the Hub.

Every refusal is a 4xx with `{"reason": ...}` a person can read; nothing is stored for a
request that is refused. Bodies are read with a ceiling before they are parsed, and gzip bodies
are inflated with a ceiling too. The routes that touch the database run in the thread pool.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import msgspec
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from db.files import attachment_path
from sync.protocol import (
    APP_VERSION_HEADER,
    BLOB_CHUNK_BYTES,
    MAX_BODY_BYTES,
    MAX_PULL_PAGE,
    OFFSET_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SEQ_LIMIT,
    TOTAL_HEADER,
    WAITING_HEADER,
    BodyTooLarge,
    EnrolRequest,
    EnrolResponse,
    HeldResponse,
    MissingBlobsRequest,
    MissingBlobsResponse,
    PullResponse,
    PushResponse,
    UnsupportedCoding,
    collector_paused,
    decode_push,
    inflate,
)
from sync.server import blobs, devices
from sync.server.console import mount_console
from sync.server.hub import Hub
from sync.server.store import DeviceAuth, Refused

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
GZIP_ABOVE = 500  # as the middleware: smaller answers are not worth compressing


def _problem(status: int, reason: str, code: str = "refused", **detail: Any) -> JSONResponse:
    body: dict[str, Any] = {"reason": reason, "code": code}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


def create_app(
    hub: Hub, blob_dir: Path, max_upload_mb: int = blobs.DEFAULT_MAX_UPLOAD_MB
) -> FastAPI:
    app = FastAPI(
        title="Romah HQ sync",
        version=str(PROTOCOL_VERSION),
        description="Branch laptops push their changes and pull HQ's feed of their branch.",
    )
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_ABOVE, compresslevel=5)
    blob_dir.mkdir(parents=True, exist_ok=True)
    blobs.remove_abandoned_uploads(blob_dir, at_start=True)

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return _problem(exc.status, exc.reason, exc.code, **(exc.detail or {}))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Unknown paths and wrong methods get the same shape as every other refusal.
        return _problem(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _problem(422, f"Malformed request: {where} {first.get('msg', '')}".strip())

    async def body_of(
        request: Request, limit: int = MAX_BODY_BYTES, device_id: str | None = None
    ) -> bytes:
        """The request's body, decompressed; in the dictionary coding only from `device_id`."""
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise Refused(413, f"The request is larger than {limit // 1024} KiB.")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refused(413, f"The request is larger than {limit // 1024} KiB.")
            chunks.append(chunk)
        raw = b"".join(chunks)
        try:
            return inflate(raw, request.headers.get("content-encoding"), device_id)
        except BodyTooLarge as exc:
            raise Refused(413, str(exc)) from None
        except UnsupportedCoding as exc:
            raise Refused(400, str(exc), code="coding") from None
        except ValueError as exc:
            raise Refused(400, str(exc)) from None

    def device(request: Request) -> DeviceAuth:
        return hub.authenticate(request.headers.get("authorization"))

    @app.get("/v1/info")
    def info() -> dict[str, Any]:
        return {"service": "romah-hq", "protocol": PROTOCOL_VERSION}

    @app.post("/v1/enrol", response_model=EnrolResponse)
    async def enrol(request: Request) -> EnrolResponse:
        body = await body_of(request, 64 * 1024)
        try:
            asked = EnrolRequest.model_validate_json(body)
        except ValidationError as exc:
            raise Refused(422, _first_error(exc)) from None
        token, branch = await run_in_threadpool(
            hub.enrol,
            asked.code,
            asked.device_id,
            asked.name,
            asked.prefix,
            asked.branch_code,
            asked.signing_key,
        )
        return EnrolResponse(device_id=asked.device_id, token=token, branch=branch)

    @app.post("/v1/push")
    async def push(request: Request) -> Response:
        who = await run_in_threadpool(device, request)
        body = await body_of(request, device_id=who.id)

        def merge() -> bytes:
            # In the thread pool, all of it: a batch of thousands of changes takes a while
            # to validate, and the event loop serves the other laptops meanwhile.
            with collector_paused():
                try:
                    changes = decode_push(body)
                except ValidationError as exc:
                    raise Refused(422, _first_error(exc)) from None
                results = hub.push(who, changes)
                return msgspec.json.encode(PushResponse(results))

        payload = await run_in_threadpool(merge)
        # No Content-Type: a laptop reads the answer as JSON whatever it says, and the 32
        # bytes were a tenth of a one-field push's.
        return Response(payload)

    @app.get("/v1/pull", response_model=PullResponse)
    async def pull(
        request: Request, after: int = 0, limit: int = 1000, own_from: int | None = None
    ) -> Response:
        # Sequences are BIGINT at HQ: a cursor past them is refused, not failed on.
        cursors = (after, own_from or 0)
        if not all(0 <= c < SEQ_LIMIT for c in cursors) or not 1 <= limit <= MAX_PULL_PAGE:
            raise Refused(422, f"`after` is a cursor ≥ 0 and `limit` 1 to {MAX_PULL_PAGE}.")
        # One trip to the thread pool for both (a quiet sync is mostly this request). The
        # body comes ready-made: each entry's data is spliced in as HQ stored it.
        gzip_ok = "gzip" in request.headers.get("accept-encoding", "")

        def answer() -> tuple[bytes, dict[str, str]]:
            sent = request.headers
            # The first page of a sync (it carries the app version) says which push codings
            # HQ reads.
            first = sent.get(APP_VERSION_HEADER) is not None
            with hub.engine.connect() as connection:  # one for both
                who = devices.authenticate_sync(
                    connection,
                    sent.get("authorization"),
                    sent.get(APP_VERSION_HEADER),
                    sent.get(WAITING_HEADER),
                )
                page = hub.pull_json(who, after, limit, own_from, first, connection)
            return _compressed(page, gzip_ok)

        payload, headers = await run_in_threadpool(answer)
        return Response(payload, media_type="application/json", headers=headers)

    @app.get("/v1/held", response_model=HeldResponse)
    async def held(request: Request, low: int, high: int) -> HeldResponse:
        """Which of the device's own sequences from `low` to `high` HQ holds: a laptop that
        found HQ's history changed sends again what HQ lacks."""
        if not 0 <= low <= high < SEQ_LIMIT:
            raise Refused(422, "`low` and `high` are device sequences, `low` ≤ `high`.")
        runs, own = await run_in_threadpool(lambda: hub.held_runs(device(request), low, high))
        return HeldResponse(runs=runs, own=own)

    @app.post("/v1/blobs/missing", response_model=MissingBlobsResponse)
    async def missing(request: Request) -> MissingBlobsResponse:
        who = await run_in_threadpool(device, request)
        body = await body_of(request, 1024 * 1024)
        try:
            asked = MissingBlobsRequest.model_validate_json(body)
        except ValidationError as exc:
            raise Refused(422, _first_error(exc)) from None
        bad = [h for h in asked.hashes if not _SHA256.match(h)]
        if bad:
            raise Refused(422, f"Not a SHA-256 content hash: {bad[0][:70]}")

        def held() -> set[str]:
            # Only of the files a record this device may see refers to: any other hash is
            # "missing" whether HQ holds it or not (the laptop may then upload it whole).
            visible = blobs.blobs_visible(hub, who, asked.hashes)
            return hub.blobs_present(sorted(visible))

        present = await run_in_threadpool(held)
        return MissingBlobsResponse(
            missing={
                h: _received(_partial(blob_dir, h, who.id))
                for h in asked.hashes
                if h not in present
            }
        )

    @app.put("/v1/blobs/{sha256}")
    async def upload(request: Request, sha256: str) -> dict[str, int]:
        who = await run_in_threadpool(device, request)
        if not _SHA256.match(sha256):
            raise Refused(422, "Not a SHA-256 content hash.")
        offset, total = _int_header(request, OFFSET_HEADER), _int_header(request, TOTAL_HEADER)
        part = _partial(blob_dir, sha256, who.id)
        if total > max_upload_mb * 1024 * 1024:
            part.unlink(missing_ok=True)
            raise Refused(
                413,
                f"The file is larger than HQ accepts ({max_upload_mb} MB); attach a smaller scan.",
                code="too_large",
                limit_mb=max_upload_mb,
            )
        if offset == 0:
            await run_in_threadpool(blobs.remove_abandoned_uploads, blob_dir)
        chunk = await body_of(request, BLOB_CHUNK_BYTES + 1024)
        final = _final(blob_dir, sha256)
        if final.exists() and await run_in_threadpool(_may_see, hub, who, sha256):
            return {"received": total}
        # A device that may not see the file sends it whole even when HQ holds it: HQ's
        # answer must not tell it whether the file is here.
        part.parent.mkdir(parents=True, exist_ok=True)
        have = _received(part)
        if offset != have:
            raise Refused(
                409, f"HQ has {have} bytes of this file, not {offset}.", code="offset", have=have
            )
        if have + len(chunk) > total:
            part.unlink(missing_ok=True)
            raise Refused(
                422, "The upload runs past the file's declared size; send it again from the start."
            )
        # Appended to a lasting .part, not db.files.write_atomically: an upload arrives in
        # chunks over several requests (resumed after a cut), and only the whole file, once
        # its hash checks, is renamed into place.
        with part.open("ab") as out:
            out.write(chunk)
        have += len(chunk)
        if have == total:
            digest = await run_in_threadpool(_digest_of, part)
            if digest != sha256:
                part.unlink()
                raise Refused(422, "The file does not match its content hash; send it again.")
            if final.exists():
                part.unlink()  # the same bytes, held already: stored once
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(part, final)
            await run_in_threadpool(hub.blob_received, sha256, total)
        return {"received": have}

    @app.get("/v1/blobs/{sha256}")
    async def download(request: Request, sha256: str) -> FileResponse:
        who = await run_in_threadpool(device, request)
        # One answer whether HQ lacks the file or the device may not see it.
        if (
            not _SHA256.match(sha256)
            or not await run_in_threadpool(_may_see, hub, who, sha256)
            or not _final(blob_dir, sha256).exists()
        ):
            raise Refused(
                404,
                "HQ has no such file for this laptop: no record it may see refers to it, "
                "or the file has not reached HQ yet.",
            )
        return FileResponse(_final(blob_dir, sha256), media_type="application/octet-stream")

    # The console's pages after the sync routes: a laptop's request, the one HQ serves most,
    # finds its route without first being tried against every page of the console.
    mount_console(app, hub, blob_dir)
    app.add_middleware(_ProtocolCheck)  # outermost: refuses before anything else is done
    return app


class _ProtocolCheck:
    """Refuses a sync request (any /v1/ path but /v1/info) that does not speak this
    protocol version, before anything else is done with it. Plain ASGI, not an `http`
    middleware: that one runs every request in a task of its own and streams the answer
    through a queue, a cost each small sync paid."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith("/v1/") and path != "/v1/info":
            if Headers(scope=scope).get(PROTOCOL_HEADER) != str(PROTOCOL_VERSION):
                refusal = _problem(
                    426,
                    "This version of the app cannot sync with HQ: update the app. "
                    "Your data stays on the laptop.",
                    code="update_required",
                    server_protocol=PROTOCOL_VERSION,
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _compressed(body: bytes, gzip_ok: bool) -> tuple[bytes, dict[str, str]]:
    """A large answer gzipped here, in the worker thread, at the fastest level: a page of
    thousands of feed entries is mostly repeated keys, which level 1 already shrinks about
    sixteen-fold at half the cost of the middleware's level. (The middleware passes an
    answer that is encoded already through untouched.)"""
    if not gzip_ok or len(body) < GZIP_ABOVE:
        return body, {}
    return gzip.compress(body, compresslevel=1, mtime=0), {
        "Content-Encoding": "gzip",
        "Vary": "Accept-Encoding",
    }


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "Malformed request."
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"Malformed request: {where}: {first.get('msg', '')}"[:300]


def _int_header(request: Request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise Refused(422, f"The {name} header must be a whole number.")
    return int(value)


def _final(blob_dir: Path, sha256: str) -> Path:
    return attachment_path(blob_dir, sha256)


def _partial(blob_dir: Path, sha256: str, device_id: str) -> Path:
    """Where one device's upload of a file collects until it is whole: each device its own,
    so what one device sent tells another nothing."""
    device = hashlib.sha256(device_id.encode()).hexdigest()[:16]
    return blob_dir / blobs.UPLOADS_FOLDER / f"{sha256}.{device}{blobs.PARTIAL_SUFFIX}"


def _may_see(hub: Hub, device: DeviceAuth, sha256: str) -> bool:
    """Whether a record `device` may see refers to the file `sha256`."""
    return bool(blobs.blobs_visible(hub, device, [sha256]))


def _received(part: Path) -> int:
    try:
        return part.stat().st_size
    except FileNotFoundError:
        return 0


def _digest_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()
