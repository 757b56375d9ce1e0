"""Paper proofs: the typed code, the device's signature over every printed value, and the QR.

Each print of a form is a `PrintedPaper`: a random code, the values printed (printed.py), and
an Ed25519 signature by the printing laptop over the canonical JSON of {kind, record id, code,
device id, printed at, printed values}. The laptop's private key stays in its own local state;
its public key is on its `device` row, registered with HQ, so HQ and the branch's laptops can
tell a genuine paper from an edited one and show what the paper said.

The typed code is 16 characters of Crockford's base32 in four groups (80 random bits): guessing
a printed code is hopeless, and the code says nothing about the record or the person. The QR
carries the proof: the code, the device and the signature.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy.orm import Session

from db.canonical import canonical_json
from db.local_state import local_value, set_local_value
from db.models import Device, OutboxEntry
from romah_desktop.arabic import normalize_digits, remove_invisible
from romah_desktop.errors import ValidationError
from romah_desktop.i18n import N_

__all__ = [
    "ALPHABET",
    "CODE_BITS",
    "QR_PREFIX",
    "Proof",
    "device_signing_key",
    "new_code",
    "new_signing_key",
    "parse_proof",
    "public_key_text",
    "qr_payload",
    "signature_valid",
    "signed_content",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
CODE_LENGTH = 16
CODE_BITS = 5 * CODE_LENGTH
QR_PREFIX = "ROMAH2:"
# The laptop's private signing key (base64 of the raw 32 bytes), in local_state: never synced.
SIGNING_KEY = "paper_signing_key"
_SIGNATURE_BYTES = 64


def _group(chars: str) -> str:
    return "-".join(chars[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def new_code() -> str:
    """A new random typed code (80 bits from the operating system's generator)."""
    value = secrets.randbits(CODE_BITS)
    return _group("".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(16))))


def _code_bytes(code: str) -> bytes:
    value = 0
    for ch in code.replace("-", ""):
        value = value * 32 + _VALUES[ch]
    return value.to_bytes(CODE_BITS // 8, "big")


def _code_of(raw: bytes) -> str:
    value = int.from_bytes(raw, "big")
    return _group("".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(16))))


def _bad_code() -> ValidationError:
    return ValidationError(
        "code",
        N_(
            "A verification code has 16 letters and digits, like 7K2M-9QXD-4TBH-A3F5. "
            "Check what you typed against the paper."
        ),
    )


@dataclass(frozen=True)
class Proof:
    """What a verifier was given: the code, and from a scanned QR also the printing device
    and its signature."""

    code: str
    device_id: str | None = None
    signature: str | None = None


def parse_proof(text: str) -> Proof:
    """Read a typed code or a scanned QR. Case, spaces, hyphens, Arabic digits and the
    look-alikes O/I/L (read as 0/1/1) do not matter in a typed code.

    Raises ValidationError("code", ...) for text that is neither."""
    cleaned = normalize_digits(remove_invisible(text)).strip()
    if cleaned.upper().startswith(QR_PREFIX):
        body = cleaned[len(QR_PREFIX) :].strip()
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError) as error:
            raise _bad_code() from error
        if len(raw) != CODE_BITS // 8 + 16 + _SIGNATURE_BYTES:
            raise _bad_code()
        code = _code_of(raw[:10])
        device_id = str(uuid.UUID(bytes=raw[10:26]))
        signature = base64.b64encode(raw[26:]).decode()
        return Proof(code, device_id, signature)
    chars = "".join(ch for ch in cleaned.upper() if ch not in " -_\t")
    if len(chars) != CODE_LENGTH or any(ch not in _VALUES for ch in chars):
        raise _bad_code()
    return Proof(_group("".join(ALPHABET[_VALUES[ch]] for ch in chars)))


def qr_payload(code: str, device_id: str, signature: str) -> str:
    """The QR's text: the code, the printing device and its signature (about 130 characters,
    a QR small enough to scan from the page's corner)."""
    raw = _code_bytes(code) + uuid.UUID(device_id).bytes + base64.b64decode(signature)
    return QR_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def stamp(moment: datetime) -> str:
    """A printing time as the signature covers it (UTC, whole seconds)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def signed_content(
    kind: str,
    record_id: str,
    code: str,
    device_id: str,
    printed_at: datetime,
    printed: dict[str, Any],
) -> bytes:
    """The bytes a paper's signature covers: canonical JSON of what the paper is and shows."""
    return canonical_json(
        {
            "kind": kind,
            "record_id": record_id,
            "code": code,
            "device_id": device_id,
            "printed_at": stamp(printed_at),
            "printed": printed,
        }
    )


def sign(key: Ed25519PrivateKey, content: bytes) -> str:
    """The Ed25519 signature of `content`, base64."""
    return base64.b64encode(key.sign(content)).decode()


def signature_valid(public_key: str | None, content: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is the signature of `content` by `public_key` (base64 of
    the raw 32 bytes). False for a missing or malformed key or signature."""
    if not public_key:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), content)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The public half of `key` as stored on a device row: base64 of the raw 32 bytes."""
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def store_signing_key(session: Session, device_id: str, key: Ed25519PrivateKey) -> None:
    """Keep `key` as this laptop's signing key and write its public half on the device's row
    (it then syncs to HQ and the branch's laptops)."""
    set_local_value(session, SIGNING_KEY, private_key_text(key))
    _publish(session, device_id, key)


def _publish(session: Session, device_id: str, key: Ed25519PrivateKey) -> None:
    """Write the public key on the device's row, unless it is there already."""
    device = session.get(Device, device_id)
    if device is None or device.signing_key is not None:
        return
    public = public_key_text(key)
    pending = session.scalar(
        sa.select(OutboxEntry.seq).where(
            OutboxEntry.table_name == "device",
            OutboxEntry.row_id == device_id,
            OutboxEntry.op == "insert",
            OutboxEntry.pushed_at.is_(None),
        )
    )
    if pending is None:
        device.signing_key = public  # an update, recorded in the outbox
        return
    # The row's creation has not reached HQ yet: the key travels in it, rather than as an
    # update based on no version of the row, which HQ would take for a concurrent edit.
    entry = session.get(OutboxEntry, pending)
    assert entry is not None
    entry.changes = {**entry.changes, "signing_key": public}
    session.execute(
        sa.update(Device)
        .where(Device.id == device_id)
        .values(signing_key=public)
        .execution_options(synchronize_session=False)
    )
    session.expire(device)


def device_signing_key(session: Session, device_id: str) -> Ed25519PrivateKey:
    """This laptop's signing key, made (and its public half written on the device's row) on
    first need."""
    stored = local_value(session, SIGNING_KEY)
    if stored is not None:
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(stored))
        _publish(session, device_id, key)
        return key
    key = new_signing_key()
    store_signing_key(session, device_id, key)
    return key
