"""Verification codes: a short code on each printed form that binds its record to the content
it showed, and the check of a code against the records.

A code is 16 characters of Crockford's base32 (digits and capital letters without I, L, O
and U, so nothing is mistaken for something else), written in four groups: 7K2M-9QXD-4TBH-A3F5.
It carries 75 bits and a check character:

* 3 bits: the kind of form;
* 42 bits: the millisecond timestamp that starts the record's UUIDv7, which finds the record
  through the primary key's index (ids made in one process never share a millisecond; two
  laptops rarely do, and then the content tells them apart);
* 30 bits: the start of the SHA-256 of the form's facts (see records.py);
* a Luhn mod 32 check character, which catches any one mistyped character and most swaps of
  two neighbours before the database is asked.

The QR code carries the same code after "ROMAH:". Each print records, in its audit event, a
short digest of every fact, so that a code whose content no longer matches can say which facts
changed without keeping the values themselves a second time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.canonical import canonical_json
from db.models import AuditEvent
from romah_desktop.arabic import normalize_digits, remove_invisible
from romah_desktop.dates import format_dual
from romah_desktop.errors import NotFound, ValidationError
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.printing.kinds import FormKind, form_title
from romah_desktop.printing.records import FACT_LABELS, FACTS_VERSION, MODELS, Subject, load
from romah_desktop.services.context import Actor

__all__ = [
    "PRINT_ACTION",
    "QR_PREFIX",
    "Verification",
    "content_hash",
    "fact_digests",
    "make_code",
    "parse_code",
    "verify_code",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
QR_PREFIX = "ROMAH:"
PRINT_ACTION = "form.print"
CODE_LENGTH = 16
_KIND_BITS = {
    FormKind.REQUEST: 0,
    FormKind.DECLARATION: 1,
    FormKind.RECEIPT: 2,
    FormKind.INTERVIEW: 3,
    FormKind.DECISION: 4,
    FormKind.DELIVERY: 5,
}
_KINDS = {bits: kind for kind, bits in _KIND_BITS.items()}
_TIME_BITS = 42
_HASH_BITS = 30


def content_hash(kind: FormKind, record_id: str, facts: dict[str, Any]) -> str:
    """SHA-256 (hex) of a form's kind, record and facts."""
    content = {"v": FACTS_VERSION, "form": kind.value, "id": record_id, "facts": facts}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def fact_digests(record_id: str, facts: dict[str, Any]) -> dict[str, str]:
    """A short digest of each fact, salted with the record's id, to tell later which changed."""
    return {
        name: hashlib.sha256(
            record_id.encode() + b"\x1f" + name.encode() + b"\x1f" + canonical_json(value)
        ).hexdigest()[:16]
        for name, value in facts.items()
    }


def _check_character(payload: str) -> str:
    # Luhn mod N (N = 32) over the payload's values, from the right.
    total = 0
    factor = 2
    for ch in reversed(payload):
        addend = factor * _VALUES[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def _record_millis(record_id: str) -> int:
    return int(record_id.replace("-", "")[:12], 16)


def make_code(kind: FormKind, record_id: str, digest: str) -> str:
    """The verification code of form `kind` printed from `record_id` with content hash `digest`.

    Raises ValueError for a blank form's kind or an id that is not a UUID."""
    value = (
        (_KIND_BITS[kind] << (_TIME_BITS + _HASH_BITS))
        | ((_record_millis(record_id) & ((1 << _TIME_BITS) - 1)) << _HASH_BITS)
        | (int(digest[:8], 16) >> (32 - _HASH_BITS))
    )
    payload = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(15)))
    code = payload + _check_character(payload)
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class ParsedCode:
    code: str
    kind: FormKind
    millis: int
    hash_bits: int


def parse_code(text: str) -> ParsedCode:
    """Read a typed or scanned code: case, spaces, hyphens, Arabic digits, the QR's "ROMAH:"
    and the look-alikes O/I/L (read as 0/1/1) do not matter.

    Raises ValidationError("code", ...) for something that is not a code, or that has a
    typing mistake (the check character does not match)."""
    cleaned = normalize_digits(remove_invisible(text)).strip().upper()
    if cleaned.startswith(QR_PREFIX):
        cleaned = cleaned[len(QR_PREFIX) :]
    chars = "".join(ch for ch in cleaned if ch not in " -_\t")
    if len(chars) != CODE_LENGTH or any(ch not in _VALUES for ch in chars):
        raise ValidationError(
            "code",
            N_(
                "A verification code has 16 letters and digits, like 7K2M-9QXD-4TBH-A3F5. "
                "Check what you typed against the paper."
            ),
        )
    canonical = "".join(ALPHABET[_VALUES[ch]] for ch in chars)
    if _check_character(canonical[:-1]) != canonical[-1]:
        raise ValidationError(
            "code",
            N_(
                "This code has a typing mistake: one of its characters does not match. "
                "Check each character against the paper."
            ),
        )
    value = 0
    for ch in canonical[:-1]:
        value = value * 32 + _VALUES[ch]
    kind = _KINDS.get(value >> (_TIME_BITS + _HASH_BITS))
    if kind is None:
        raise ValidationError("code", N_("This is not a code printed by Romah Desktop."))
    grouped = "-".join(canonical[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    return ParsedCode(
        grouped,
        kind,
        (value >> _HASH_BITS) & ((1 << _TIME_BITS) - 1),
        value & ((1 << _HASH_BITS) - 1),
    )


def _hash_bits(digest: str) -> int:
    return int(digest[:8], 16) >> (32 - _HASH_BITS)


def code_for(subject: Subject) -> tuple[str, str]:
    """(verification code, content hash) of a loaded record's form."""
    digest = content_hash(subject.kind, subject.record_id, subject.facts)
    return make_code(subject.kind, subject.record_id, digest), digest


@dataclass(frozen=True)
class Verification:
    """The answer to "is this paper genuine and still true?".

    `ok` when the record exists and its content is what the paper showed. `summary` describes
    the record (in the current language); `differences` names what changed since printing."""

    ok: bool
    kind: FormKind | None
    record_id: str | None
    summary: str
    differences: list[str] = field(default_factory=list)


def _id_bounds(millis: int) -> tuple[str, str]:
    def prefix(ms: int) -> str:
        text = f"{ms:012x}"
        return f"{text[:8]}-{text[8:]}"

    return prefix(millis), prefix(millis + 1)


def _describe(subject: Subject) -> str:
    facts = subject.facts
    parts = [form_title(subject.kind)]
    if facts.get("request_number"):
        parts.append(str(facts["request_number"]))
    parts.append(subject.person.full_name)
    if subject.kind == FormKind.DECLARATION and subject.declaration is not None:
        parts.append(translate("signed on {date}", date=format_dual(subject.declaration.signed_at)))
    if subject.kind == FormKind.DECISION and subject.decision is not None:
        parts.append(
            f"{label(subject.decision.outcome)} ({format_dual(subject.decision.decided_on)})"
        )
    text = " — ".join(parts)
    if subject.superseded and subject.kind == FormKind.DECISION:
        text += "\n" + translate("This decision was corrected by a later decision.")
    if subject.superseded and subject.kind == FormKind.DECLARATION:
        text += "\n" + translate("This declaration was replaced by a newer one.")
    return text


def _printed_digests(session: Session, record_id: str, code: str) -> dict[str, str] | None:
    events = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.entity_id == record_id, AuditEvent.action == PRINT_ACTION
        )
    )
    for event in events:
        if event.details.get("code") == code:
            fields = event.details.get("fields")
            return dict(fields) if isinstance(fields, dict) else None
    return None


def _differences(printed: dict[str, str] | None, subject: Subject) -> list[str]:
    if printed is None:
        return [
            translate(
                "The record changed after this paper was printed. Which parts changed is "
                "not known here: the printing was not recorded in this database."
            )
        ]
    now = fact_digests(subject.record_id, subject.facts)
    changed = [name for name in now.keys() | printed.keys() if now.get(name) != printed.get(name)]
    order = list(FACT_LABELS)
    changed.sort(key=lambda name: order.index(name) if name in order else len(order))
    if not changed:
        return [translate("The record's content differs from what was printed.")]
    return [translate(FACT_LABELS.get(name, name)) for name in changed]


def verify_code(session: Session, actor: Actor, code: str) -> Verification:
    """Check a code from a printed form against the records in this database.

    Raises ValidationError("code", ...) for text that is not a code or has a typing mistake,
    PermissionDenied for a record of a branch the user may not see."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    parsed = parse_code(code)
    model = MODELS[parsed.kind]
    low, high = _id_bounds(parsed.millis)
    ids = list(session.scalars(sa.select(model.id).where(model.id >= low, model.id < high)))
    if not ids:
        return Verification(
            False,
            parsed.kind,
            None,
            translate(
                "No record of this code is in this database ({kind}). It may have been "
                "printed at a branch that has not synced yet, or the paper is not genuine.",
                kind=form_title(parsed.kind),
            ),
            [translate("No such record.")],
        )
    subjects: list[Subject] = []
    for record_id in ids:
        try:
            subject = load(session, actor, parsed.kind, record_id, to_print=False)
        except NotFound:
            continue
        if _hash_bits(content_hash(parsed.kind, record_id, subject.facts)) == parsed.hash_bits:
            return Verification(True, parsed.kind, record_id, _describe(subject), [])
        subjects.append(subject)
    if not subjects:
        return Verification(
            False,
            parsed.kind,
            ids[0],
            translate("The record of this paper was deleted."),
            [translate("The record was deleted.")],
        )
    # Of several records made in the same millisecond, the one this code was printed from.
    for subject in subjects:
        printed = _printed_digests(session, subject.record_id, parsed.code)
        if printed is not None:
            break
    else:
        subject, printed = subjects[0], None
    return Verification(
        False,
        parsed.kind,
        subject.record_id,
        _describe(subject),
        _differences(printed, subject),
    )
