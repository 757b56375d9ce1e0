"""HTTP to HQ: the protocol header, the device credential, compressed bodies, and what a
refusal or a cut connection means to the laptop."""

from __future__ import annotations

from typing import Any

import httpx

from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, encode, encode_raw, lean_headers
from sync.tls import HQTrust, tls_problem

# A push answer is about 20 bytes a change; HQ compresses none shorter than 500.
COMPRESSED_ANSWER_FROM = 25


class SyncProblem(RomahError):
    """Sync could not finish; the message says why and what to do. Nothing local is lost."""


class Offline(SyncProblem):
    pass


class UpdateRequired(SyncProblem):
    pass


class Revoked(SyncProblem):
    pass


class FileRefused(SyncProblem):
    """HQ will not take one file (too large): that file waits in the quarantine; the rest of
    the sync goes on."""


class NotEnrolled(SyncProblem):
    pass


class CertificateRefused(SyncProblem):
    """HQ's certificate did not verify (or HQ's TLS failed): nothing was sent."""


class SequenceReused(Exception):
    """HQ holds changes of this device numbered from here on: the laptop was restored."""

    def __init__(self, highest: int) -> None:
        self.highest = highest


class _OlderHQ(Exception):
    """HQ refused a form only a newer HQ reads (the dictionary coding, the short
    credential): an app server older than the one that said it reads them."""


class Transport:
    """HTTP to HQ with the protocol header, the device credential and compressed bodies.

    HQ's certificate is checked as `trust` says; `client` replaces the network altogether.
    `pressed`: whether HQ said (at a pull) that it reads the newer forms: push bodies in
    the dictionary coding (`sync.codings`), and the credential as the secret alone (HQ
    finds the device by the secret's hash, from its migration 0010 on). Until then the
    credential is the device id, a dot and the secret."""

    def __init__(
        self,
        server: str,
        credential: str | None = None,
        client: httpx.Client | None = None,
        timeout: float = 60.0,
        trust: HQTrust | None = None,
        pressed: bool = False,
    ) -> None:
        self.server = server.rstrip("/")
        self.headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        self.credential = credential
        self.device_id = credential.partition(".")[0] if credential else None
        self.pressed = pressed
        self.client = client or httpx.Client(
            base_url=self.server,
            timeout=httpx.Timeout(timeout, connect=5.0),
            verify=(trust or HQTrust()).verify(),
        )
        lean_headers(self.client)

    @property
    def pressed(self) -> bool:
        return self._pressed

    @pressed.setter
    def pressed(self, pressed: bool) -> None:
        self._pressed = pressed and self.device_id is not None
        if self.credential:
            secret = self.credential.partition(".")[2] if self._pressed else self.credential
            self.headers["Authorization"] = f"Bearer {secret}"

    def push(self, raw: bytes, changes: int) -> httpx.Response:
        """A push body (JSON text) to HQ, in the dictionary coding when HQ said it reads it.
        A batch of more than a few changes asks for its answer compressed; a one-field
        push's answer is too short to gain from it."""
        return self.call(
            "POST", "/v1/push", pressable=raw, compressed_answer=changes >= COMPRESSED_ANSWER_FROM
        )

    def close(self) -> None:
        self.client.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        data: Any = None,
        content: bytes | None = None,
        pressable: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        compressed_answer: bool = True,
    ) -> httpx.Response:
        """The answer to a request to HQ; raises the `SyncProblem` a refusal means. The
        body is `data` as JSON, `content` as it is, or `pressable` (JSON text) in the
        dictionary coding when HQ reads it. Sent again in the older forms when an app
        server refuses the newer ones (one not yet upgraded behind the same address)."""
        while True:
            extra = {**self.headers, **(headers or {})}
            if compressed_answer:
                extra["Accept-Encoding"] = "gzip"
            body = content
            if data is not None:
                body, coding = encode(data)
                extra.update(coding)
            elif pressable is not None:
                body, coding = encode_raw(pressable, self.device_id if self.pressed else None)
                extra.update(coding)
            try:
                return self._call(method, path, body, params, extra)
            except _OlderHQ:
                self.pressed = False

    def _call(
        self,
        method: str,
        path: str,
        content: bytes | None,
        params: dict[str, Any] | None,
        extra: dict[str, str],
    ) -> httpx.Response:
        try:
            response = self.client.request(
                method, self.server + path, content=content, params=params, headers=extra
            )
        except httpx.TransportError as exc:
            tls = tls_problem(exc)
            # Only a handshake's failure says something about HQ's TLS; later ones are a cut.
            if tls is not None and (tls[0] or isinstance(exc, httpx.ConnectError)):
                verified, problem = tls
                raise CertificateRefused(
                    N_(
                        "HQ's certificate could not be verified: {problem}. Nothing was sent; "
                        "ask HQ for the society's CA file or its certificate fingerprint."
                    )
                    if verified
                    else N_(
                        "A secure connection to HQ at {server} could not be made ({problem}). "
                        "Nothing was sent."
                    ),
                    server=self.server,
                    problem=problem,
                ) from None
            raise Offline(
                N_(
                    "HQ cannot be reached at {server} ({problem}). Your work stays on this "
                    "laptop and will sync when HQ can be reached."
                ),
                server=self.server,
                problem=type(exc).__name__,
            ) from None
        if response.status_code < 400:
            return response
        try:
            body = response.json()
        except ValueError:
            body = {}
        reason = str(body.get("reason") or response.reason_phrase)
        code = body.get("code")
        if response.status_code == 426:
            raise UpdateRequired(
                N_("HQ needs a newer version of the app to sync. Your data stays on this laptop.")
            )
        if self.pressed and (
            response.status_code == 401
            or (response.status_code == 400 and "unsupported content encoding" in reason)
        ):
            raise _OlderHQ
        if code == "revoked":
            raise Revoked(
                N_(
                    "HQ has revoked this laptop, so it cannot sync. Its data stays on it; "
                    "ask HQ to enrol it again."
                )
            )
        if code == "too_large":
            raise FileRefused(N_("HQ refused the file: {reason}"), reason=reason)
        if code == "sequence_reused":
            raise SequenceReused(int((body.get("detail") or {}).get("highest", 0)))
        if response.status_code == 401:
            raise NotEnrolled(
                N_("HQ does not accept this laptop's credential: {reason}"), reason=reason
            )
        raise SyncProblem(N_("HQ refused the request: {reason}"), reason=reason)
