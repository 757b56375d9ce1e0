"""The wire format between a laptop and HQ, shared by both sides.

Bodies are JSON, gzip-compressed when larger than a few hundred bytes, with short keys: a
laptop with a week of interviews sends tens of thousands of changes, and a one-field edit should
cost a few hundred bytes on the wire. Every request names the protocol version in a header; a
server that cannot speak it answers 426 and the laptop keeps its data until it is updated.
"""

from __future__ import annotations

import gc
import gzip
import json
import zlib
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from sync import codings

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "Romah-Protocol"
OFFSET_HEADER = "Romah-Offset"
TOTAL_HEADER = "Romah-Total"
# What a laptop reports with its first pull request of a sync, for HQ's list of laptops: its
# app version and how many changes it has waiting to send.
APP_VERSION_HEADER = "Romah-App-Version"
WAITING_HEADER = "Romah-Waiting"

MAX_BODY_BYTES = 8 * 1024 * 1024  # compressed, as received
MAX_INFLATED_BYTES = 64 * 1024 * 1024
MAX_CHANGES_PER_PUSH = 5000
MAX_PULL_PAGE = 5000
BLOB_CHUNK_BYTES = 1024 * 1024
COMPRESS_ABOVE = 200
FAST_COMPRESS_ABOVE = 64 * 1024
# What the dictionary coding costs in headers ("Content-Encoding: rz1"): a body is sent in it
# only when that saves more.
PRESSED_HEADER_BYTES = 22


# The columns that name a file by the SHA-256 of its content: what a laptop uploads with a
# record, and what HQ lets a device download (only files its visible records name).
FILE_COLUMNS = {
    "attachment": "sha256",
    "document_check": "attachment_sha256",
    "signed_declaration": "signature_sha256",
    "service_delivery": "receipt_signature_sha256",
    "reference_document": "attachment_sha256",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# HQ stores sequence numbers as BIGINT: a larger one is refused as malformed, not failed on.
SEQ_LIMIT = 2**63
_Version = Annotated[int, Field(ge=0, lt=SEQ_LIMIT)]
# No NUL character in a name HQ stores as text (PostgreSQL's text cannot hold one); values
# are checked against their columns (db/values.py) and quarantined with the reason.
_NO_NUL = r"^[^\x00]*$"


class Change(_Strict):
    """One outbox entry: `s` device sequence, `t` table, `r` row id, `o` insert/update/delete,
    `c` changed fields, `b` the version of each field the laptop had seen, `h` clock stamp,
    `u` the signed-in user who made it (absent from older laptops: an unknown user)."""

    s: int = Field(ge=1, lt=SEQ_LIMIT)
    t: str = Field(min_length=1, max_length=60, pattern=_NO_NUL)
    r: str = Field(min_length=1, max_length=36, pattern=_NO_NUL)
    o: Literal["i", "u", "d"]
    c: dict[Annotated[str, Field(max_length=60, pattern=_NO_NUL)], Any]
    b: dict[Annotated[str, Field(max_length=60, pattern=_NO_NUL)], _Version] = Field(
        default_factory=dict
    )
    h: str = Field(min_length=1, max_length=80, pattern=_NO_NUL)
    u: str | None = Field(default=None, min_length=1, max_length=36, pattern=_NO_NUL)


class PushRequest(_Strict):
    changes: list[Change] = Field(max_length=MAX_CHANGES_PER_PUSH)


push_request = TypeAdapter(PushRequest)


# The same limits for the fast decoder below (msgspec takes an inclusive bound below 2**63).
_Seq = Annotated[int, msgspec.Meta(ge=1, le=SEQ_LIMIT - 1)]
_WireVersion = Annotated[int, msgspec.Meta(ge=0, le=SEQ_LIMIT - 1)]
_WireField = Annotated[str, msgspec.Meta(max_length=60)]


class WireChange(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A pushed `Change` as HQ decodes it on the hot path: the same keys, types and limits,
    but strict (a number sent as text, which `Change` would coerce, is left to `Change`), and
    without its NUL pattern, which `decode_push` checks in one pass. A struct, not a model:
    a push of thousands of changes is decoded several times faster."""

    s: _Seq
    t: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    r: Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
    o: Literal["i", "u", "d"]
    c: dict[_WireField, Any]
    h: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    b: dict[_WireField, _WireVersion] = {}
    u: Annotated[str, msgspec.Meta(min_length=1, max_length=36)] | None = None


class _WirePush(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    changes: Annotated[list[WireChange], msgspec.Meta(max_length=MAX_CHANGES_PER_PUSH)]


# A change of a push as HQ merges it: decoded by either codec (see `decode_push`).
PushedChange = Change | WireChange
_push_decoder = msgspec.json.Decoder(_WirePush)


def decode_push(body: bytes) -> Sequence[PushedChange]:
    """The changes of a push body. The fast strict decoder takes every well-formed body; any
    body it refuses (or one with a NUL character in a name) goes through `PushRequest`, which
    raises the same `ValidationError` as ever for a malformed one, and accepts what it always
    accepted (e.g. a sequence number written as text)."""
    try:
        changes = _push_decoder.decode(body).changes
    except (msgspec.DecodeError, ValueError):  # ValueError: bytes that are not UTF-8
        return push_request.validate_json(body).changes
    for change in changes:
        names = change.t + change.r + change.h + (change.u or "")
        if "\x00" in names or "\x00" in "".join(change.c) or "\x00" in "".join(change.b):
            return push_request.validate_json(body).changes
    return changes


def change_dict(change: PushedChange) -> dict[str, Any]:
    """A pushed change as a plain dict, keys in `Change`'s order (as a quarantine keeps it)."""
    if isinstance(change, Change):
        return change.model_dump()
    return {
        "s": change.s,
        "t": change.t,
        "r": change.r,
        "o": change.o,
        "c": change.c,
        "b": change.b,
        "h": change.h,
        "u": change.u,
    }


class PushResult(msgspec.Struct, frozen=True, omit_defaults=True, forbid_unknown_fields=True):
    """`g` HQ's sequence for the change; `w` the fields that took (absent: all of them);
    `q` the reason it was quarantined instead. A struct, as `WireChange`: HQ answers a push
    with one per change."""

    s: int
    g: int | None = None
    w: list[str] | None = None
    q: str | None = None


class PushResponse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    results: list[PushResult]


push_response = msgspec.json.Decoder(PushResponse)


class Entry(_Strict):
    """One change in HQ's feed: `g` global sequence, the values HQ holds after merging `d`."""

    g: int
    t: str
    r: str
    d: dict[str, Any]
    h: str


class PullResponse(_Strict):
    """A page of the feed. `durable_age`: seconds since HQ's last verified backup, by HQ's
    clock (absent until an operator records one): the laptop may forget the changes HQ
    acknowledged before then. An age, not a time, so a laptop's wrong clock cannot move it.
    Keys this version does not know are ignored, so HQ can add to the answer.

    How a laptop tells that HQ's history is not the one it saw (HQ restored from a backup):
    `generation` HQ's history id, `head` its highest sequence, `at` the identity of the entry
    at the cursor asked after (absent when HQ holds no such entry), `mark` the identity of the
    entry at `next` (kept with the cursor), `own` the highest sequence HQ holds from this
    device (higher than the laptop's own: the laptop was restored from an older backup).
    `codings`, on the first page of a sync: the push codings HQ reads besides gzip (absent
    from an HQ older than `sync.codings`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    entries: list[Entry]
    next: int
    more: bool
    durable_age: int | None = Field(default=None, ge=0)
    generation: str | None = None
    head: int | None = None
    at: str | None = None
    mark: str | None = None
    own: int | None = None
    codings: list[str] | None = None


class HeldResponse(BaseModel):
    """Which of a device's sequences HQ holds, as runs [first, last, clock stamp of last]."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    runs: list[tuple[int, int, str]]
    own: int


class EnrolRequest(_Strict):
    code: str = Field(min_length=4, max_length=40, pattern=_NO_NUL)
    device_id: str = Field(min_length=1, max_length=36, pattern=_NO_NUL)
    name: str = Field(min_length=1, max_length=120, pattern=_NO_NUL)
    prefix: str = Field(min_length=2, max_length=6, pattern=_NO_NUL)
    branch_code: str | None = Field(default=None, max_length=10, pattern=_NO_NUL)
    # The Ed25519 public key the laptop signs printed papers with (base64 of 32 bytes).
    signing_key: str | None = Field(default=None, max_length=44, pattern=_NO_NUL)


class EnrolResponse(_Strict):
    device_id: str
    token: str
    branch: dict[str, Any]


class MissingBlobsRequest(_Strict):
    hashes: list[str] = Field(max_length=10_000)


class MissingBlobsResponse(_Strict):
    """For each blob HQ does not hold whole: how many bytes of it have already arrived."""

    missing: dict[str, int]


class Problem(BaseModel):
    """Every refusal: a reason a person can read, and for some a machine-readable detail."""

    reason: str
    code: str = "refused"
    detail: dict[str, Any] | None = None


def encode(data: Any) -> tuple[bytes, dict[str, str]]:
    """A JSON body and its headers, gzip-compressed when that saves bytes."""
    return encode_raw(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def encode_raw(raw: bytes, pressed_for: str | None = None) -> tuple[bytes, dict[str, str]]:
    """Headers for a body that is JSON text already (the push splices stored JSON in). With
    `pressed_for` (a device id), in the dictionary coding of that device's pushes."""
    # A batch of thousands of changes is mostly repeated keys: the fastest level already
    # shrinks it over tenfold, at half the time of level 5 (kept for small bodies, where
    # every byte on the wire counts). No Content-Type: every body HQ reads is JSON, and the
    # 32 bytes were a tenth of a one-field push.
    level = 1 if len(raw) > FAST_COMPRESS_ABOVE else 5
    if pressed_for is not None:
        pressed = codings.press(raw, pressed_for, level)
        if len(pressed) + PRESSED_HEADER_BYTES < len(raw):
            return pressed, {"Content-Encoding": codings.DICTIONARY_CODING}
        return raw, {}
    if len(raw) <= COMPRESS_ABOVE:
        return raw, {}
    return gzip.compress(raw, compresslevel=level, mtime=0), {"Content-Encoding": "gzip"}


def lean_headers(client: Any) -> None:
    """Trim a laptop's HTTP client to the headers HQ reads: not httpx's Accept, Connection
    (HTTP/1.1 keeps the connection anyway) or User-Agent, and Accept-Encoding only where an
    answer can be long enough to compress (HQ compresses with gzip only). A one-field push
    is a few hundred bytes, and these were a sixth of them. A stand-in without default
    headers (a test's cut network) is left as it is."""
    headers: MutableMapping[str, str] | None = getattr(client, "headers", None)
    if headers is None:
        return
    for name in ("Accept", "Accept-Encoding", "Connection", "User-Agent"):
        headers.pop(name, None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a batch of thousands of changes is turned
    into objects and back (on both sides): the batch makes no reference cycles, yet its
    allocations set off collection after collection over everything alive, about a third
    of a push's time. The collector is back on, as it was, when the batch is done."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class BodyTooLarge(ValueError):
    pass


class UnsupportedCoding(ValueError):
    pass


def inflate(body: bytes, encoding: str | None, device_id: str | None = None) -> bytes:
    """The body as sent, decompressed with a ceiling (a small gzip can hide a huge body).
    A body in the dictionary coding is read only from the device it names (`device_id`)."""
    if not encoding or encoding == "identity":
        return body
    if encoding == codings.DICTIONARY_CODING and device_id is not None:
        inflater = codings.unpresser(device_id)
    elif encoding == "gzip":
        inflater = zlib.decompressobj(wbits=31)
    else:
        raise UnsupportedCoding(f"unsupported content encoding {encoding!r}")
    try:
        out = inflater.decompress(body, MAX_INFLATED_BYTES)
    except zlib.error as exc:
        raise ValueError(f"the body is not valid {encoding}: {exc}") from None
    if inflater.unconsumed_tail or (len(out) == MAX_INFLATED_BYTES and not inflater.eof):
        raise BodyTooLarge("the body is larger than allowed once decompressed")
    if encoding != "gzip" and not inflater.eof:  # raw deflate: no length or checksum after
        raise ValueError(f"the body is not valid {encoding}: it ends early")
    return out
