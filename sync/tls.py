"""HQ over HTTPS: how a laptop trusts HQ's certificate, and when plain HTTP is allowed.

HQ serves HTTPS (`romah-hq serve --certfile --keyfile`). A laptop checks HQ's certificate
against the system's trusted authorities (the default), a society's own CA given at
enrolment, or one pinned certificate fingerprint (a self-signed HQ). What enrolment chose is
kept in the laptop's local state beside HQ's address and used by every later sync. Plain HTTP
is for the machine itself (tests, or HQ behind a TLS proxy on the same host) unless asked for
in so many words: tokens and personal data would otherwise cross the network in clear.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from romah_desktop.errors import RomahError
from romah_desktop.i18n import N_

PIN_PREFIX = "sha256:"
# "sha256:HEX", or OpenSSL's "sha256 Fingerprint=AB:CD:...", or the bare digits.
_PIN = re.compile(
    r"(?i)^(?:sha-?256(?:\s+fingerprint)?\s*[:=]\s*)?((?:[0-9a-f]{2}:?){31}[0-9a-f]{2})$"
)


class InsecureAddress(RomahError):
    """HQ's address is plain HTTP to another machine, and plain HTTP was not asked for."""


class TrustSettingsInvalid(RomahError):
    """A CA file or a certificate fingerprint given at enrolment cannot be used."""


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(server: str, insecure_http: bool = False) -> None:
    """Refuse an `http://` address of another machine unless `insecure_http`.

    Raises InsecureAddress."""
    parts = urlsplit(server.strip())
    if parts.scheme.lower() == "http" and not insecure_http:
        if not is_loopback(parts.hostname or ""):
            raise InsecureAddress(
                N_(
                    "HQ's address {server} is plain HTTP: this laptop's credential and its "
                    "people's data would cross the network in clear. Use HQ's https:// address."
                ),
                server=server,
            )


def fingerprint(der: bytes) -> str:
    """A certificate's fingerprint as a pin: `sha256:` and the hex of its DER bytes' hash."""
    return PIN_PREFIX + hashlib.sha256(der).hexdigest()


def certificate_file_fingerprint(path: Path) -> str:
    """The fingerprint of the first certificate of a PEM file (a server's own one).

    Raises ValueError when the file holds no PEM certificate."""
    text = path.read_text(encoding="ascii", errors="replace")
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    start = text.find(begin)
    stop = text.find(end, start)
    if start < 0 or stop < 0:
        raise ValueError(f"{path} holds no PEM certificate")
    return fingerprint(ssl.PEM_cert_to_DER_cert(text[start : stop + len(end)]))


def normalise_pin(text: str) -> str:
    """`sha256:` and 64 lower-case hex digits, from a pin as typed (colons and case as
    `openssl x509 -noout -fingerprint -sha256` prints it are accepted).

    Raises TrustSettingsInvalid."""
    found = _PIN.match(text.strip())
    if found is None:
        raise TrustSettingsInvalid(
            N_(
                "A certificate fingerprint is sha256: and 64 hexadecimal digits (colons "
                "allowed), as `openssl x509 -noout -fingerprint -sha256` prints it."
            )
        )
    return PIN_PREFIX + found.group(1).replace(":", "").lower()


class PinMismatch(ssl.SSLCertVerificationError):
    """HQ presented a certificate other than the pinned one."""


def _pinned_context(pin: str) -> ssl.SSLContext:
    """A client context that accepts exactly the certificate whose fingerprint is `pin`,
    checked as the handshake ends, before a byte of the request is sent."""

    class PinnedSocket(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            super().do_handshake(block)
            der = self.getpeercert(binary_form=True)
            found = fingerprint(der) if der else "none"
            if found != pin:
                raise PinMismatch(f"its fingerprint {found} is not the pinned {pin}")

    # Chain and name are not checked: the pin names the one certificate HQ may present.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.sslsocket_class = PinnedSocket
    return context


@dataclass(frozen=True)
class HQTrust:
    """How the laptop checks HQ's certificate: the system's trusted authorities (neither
    field), a society's CA certificates (`ca_pem`, PEM text), or a pinned fingerprint."""

    ca_pem: str | None = None
    pin: str | None = None

    @classmethod
    def from_options(cls, ca_file: Path | None = None, pin: str | None = None) -> HQTrust:
        """The trust enrolment was given. Raises TrustSettingsInvalid."""
        if ca_file is not None and pin is not None:
            raise TrustSettingsInvalid(
                N_("Give HQ's CA file or its certificate fingerprint, not both.")
            )
        if pin is not None:
            return cls(pin=normalise_pin(pin))
        if ca_file is None:
            return cls()
        try:
            pem = Path(ca_file).read_text(encoding="ascii")
            ssl.create_default_context(cadata=pem)
        except (OSError, UnicodeDecodeError, ssl.SSLError) as exc:
            raise TrustSettingsInvalid(
                N_("The CA file {path} cannot be used: {problem}"),
                path=str(ca_file),
                problem=getattr(exc, "strerror", None) or str(exc),
            ) from None
        return cls(ca_pem=pem)

    def dumps(self) -> str:
        """As kept in the laptop's local state."""
        return json.dumps({k: v for k, v in (("ca", self.ca_pem), ("pin", self.pin)) if v})

    @classmethod
    def loads(cls, text: str | None) -> HQTrust:
        data = json.loads(text) if text else {}
        return cls(ca_pem=data.get("ca"), pin=data.get("pin"))

    def verify(self) -> ssl.SSLContext | bool:
        """What httpx's `verify` takes: True for the system's authorities, else a context."""
        if self.pin is not None:
            return _pinned_context(self.pin)
        if self.ca_pem is not None:
            return ssl.create_default_context(cadata=self.ca_pem)
        return True


# A connection cut mid-way (HQ stopped, the network dropped): the laptop is offline, no more.
_CUT_OFF = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)


def tls_problem(error: BaseException) -> tuple[bool, str] | None:
    """For a connection error caused by TLS: (whether HQ's certificate failed to verify,
    what OpenSSL or the pin check said); None for any other cause."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            said = getattr(current, "verify_message", None) or (current.args or ("",))[-1]
            return True, str(said or current)
        if isinstance(current, ssl.SSLError) and not isinstance(current, _CUT_OFF):
            return False, str(getattr(current, "reason", None) or current)
        current = current.__cause__ or current.__context__
    return None
