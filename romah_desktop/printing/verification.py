"""Verifying a printed paper: is it genuine, and what did it say?

The code typed from the paper (or its scanned QR) finds the printed paper's record; its
signature is checked with the public key of the device that printed it, as HQ registered it
(the synced `device` table), never a key the paper carries. Then every value printed on the
paper is shown beside the same value computed from the record now, so a clerk can compare the
paper line by line; the answer is "matches" only when the signature is good and every printed
value is what the record says now.

A code that was never printed (or has not reached this laptop) gets one sentence that names
no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.models import Device, PrintedPaper
from romah_desktop.dates import format_dual
from romah_desktop.errors import NotFound
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.printing.kinds import FormKind, form_title
from romah_desktop.printing.papers import (
    QR_PREFIX,
    Proof,
    parse_proof,
    signature_valid,
    signed_content,
)
from romah_desktop.printing.printed import (
    OPTIONAL_VALUES,
    field_label,
    printed_values,
    same_label_value,
)
from romah_desktop.printing.records import Subject, load
from romah_desktop.services.context import Actor

__all__ = [
    "PRINT_ACTION",
    "QR_PREFIX",
    "Difference",
    "Verification",
    "compare",
    "verdict_lines",
    "verify_code",
]

PRINT_ACTION = "form.print"

NEVER_PRINTED = N_(
    "No paper with this code is known here: it was not printed by the society, or it was "
    "printed at a branch that has not synced yet. Check the code against the paper."
)
NOT_GENUINE_SIGNATURE = N_(
    "This paper is not genuine: its proof does not match what was printed with this code."
)
NOT_GENUINE_DEVICE = N_(
    "This paper is not genuine: the laptop that printed it is not registered with HQ or has "
    "been revoked."
)


@dataclass(frozen=True)
class Difference:
    """A printed value that is not what the record says now (`now` None: not shown now)."""

    field: str
    label: str
    printed: str | None
    now: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "printed": self.printed, "now": self.now}


@dataclass(frozen=True)
class Verification:
    """The answer to "is this paper genuine and still true?".

    `found`: a paper was printed with this code. `genuine`: its signature is good by a
    registered, unrevoked device. `printed`: every value on the paper as printed; `now`: the
    same values from the record now (empty when the record is gone). `ok` only when genuine
    and nothing differs. `summary` describes the paper in the current language."""

    ok: bool
    kind: FormKind | None
    record_id: str | None
    summary: str
    found: bool = False
    genuine: bool = False
    code: str | None = None
    printed: dict[str, str] = field(default_factory=dict)
    now: dict[str, str] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    printed_at: str | None = None
    device_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The answer as `romah verify --json` (and `romah-hq verify --json`) give it."""
        return {
            "ok": self.ok,
            "kind": self.kind.value if self.kind is not None else None,
            "found": self.found,
            "genuine": self.genuine,
            "code": self.code,
            "record_id": self.record_id,
            "printed_at": self.printed_at,
            "device_id": self.device_id,
            "summary": self.summary,
            "printed": self.printed,
            "now": self.now,
            "differences": [d.as_dict() for d in self.differences],
        }

    def lines(self) -> list[tuple[str, str, str | None]]:
        """Each printed value's label, as printed, and now (None: not shown now)."""
        return [
            (field_label(name), value, self.now.get(name) if self.now else None)
            for name, value in self.printed.items()
        ]


def compare(printed: dict[str, str], now: dict[str, str] | None) -> list[Difference]:
    """The printed values that differ from the record's values now (every one when the record
    is gone), in the paper's order, then values the record shows now that the paper did not.
    A value that describes the person is the same in either gender: a paper printed before the
    forms printed a woman's «مطلقة» says «مطلق», the same fact. An optional value (the branch's
    working days) missing on either side is no difference."""
    if now is None:
        return [Difference(n, field_label(n), v, None) for n, v in printed.items()]
    found = [
        Difference(n, field_label(n), v, now.get(n))
        for n, v in printed.items()
        if _differs(n, v, now)
    ]
    found += [
        Difference(n, field_label(n), None, v)
        for n, v in now.items()
        if n not in printed and n not in OPTIONAL_VALUES
    ]
    return found


def _differs(name: str, printed: str, now: dict[str, str]) -> bool:
    if name not in now:
        return name not in OPTIONAL_VALUES
    return now[name] != printed and not same_label_value(name, printed, now[name])


def never_printed(code: str | None, kind: FormKind | None = None) -> Verification:
    return Verification(False, kind, None, translate(NEVER_PRINTED), code=code)


def paper_content(paper: PrintedPaper) -> bytes:
    """The bytes the paper's signature covers."""
    return signed_content(
        paper.kind, paper.record_id, paper.code, paper.device_id, paper.printed_at, paper.printed
    )


def _device_key(session: Session, device_id: str) -> str | None:
    """The device's registered public key, or None for an unknown or revoked device."""
    device = session.get(Device, device_id)
    if device is None or device.revoked_at is not None or device.deleted_at is not None:
        return None
    return device.signing_key


def _describe(subject: Subject | None, kind: FormKind, printed: dict[str, str]) -> str:
    parts = [form_title(kind)]
    if printed.get("request_number"):
        parts.append(printed["request_number"])
    if subject is not None:
        parts.append(subject.person.full_name)
        if kind == FormKind.DECLARATION and subject.declaration is not None:
            signed = format_dual(subject.declaration.signed_at)
            parts.append(translate("signed on {date}", date=signed))
        if kind == FormKind.DECISION and subject.decision is not None:
            decided = format_dual(subject.decision.decided_on)
            parts.append(f"{label(subject.decision.outcome)} ({decided})")
    text = " — ".join(parts)
    if subject is not None and subject.superseded and kind == FormKind.DECISION:
        text += "\n" + translate("This decision was corrected by a later decision.")
    if subject is not None and subject.superseded and kind == FormKind.DECLARATION:
        text += "\n" + translate("This declaration was replaced by a newer one.")
    return text


def check_paper(
    kind: FormKind,
    record_id: str,
    code: str,
    printed: dict[str, str],
    *,
    genuine: bool,
    subject: Subject | None,
    now: dict[str, str] | None,
    printed_at: str,
    device_id: str,
    not_genuine: str = NOT_GENUINE_SIGNATURE,
) -> Verification:
    """The verdict on a found paper, from its signature check and the record now (None when
    the record is gone). Used by the laptop and by HQ."""
    differences = compare(printed, now)
    summary = _describe(subject, kind, printed)
    if not genuine:
        summary = translate(not_genuine) + "\n" + summary
    elif now is None:
        summary += "\n" + translate("The record of this paper was deleted.")
    return Verification(
        genuine and not differences,
        kind,
        record_id,
        summary,
        found=True,
        genuine=genuine,
        code=code,
        printed=dict(printed),
        now=dict(now or {}),
        differences=differences,
        printed_at=printed_at,
        device_id=device_id,
    )


def _genuine(session: Session, paper: PrintedPaper, proof: Proof) -> tuple[bool, str]:
    key = _device_key(session, paper.device_id)
    if key is None:
        return False, NOT_GENUINE_DEVICE
    if proof.device_id is not None and (
        proof.device_id != paper.device_id or proof.signature != paper.signature
    ):
        return False, NOT_GENUINE_SIGNATURE
    if not signature_valid(key, paper_content(paper), paper.signature):
        return False, NOT_GENUINE_SIGNATURE
    return True, NOT_GENUINE_SIGNATURE


def verify_code(session: Session, actor: Actor, code: str) -> Verification:
    """Check a printed paper by the code typed from it, or by its scanned QR.

    Raises ValidationError("code", ...) for text that is neither, PermissionDenied for a paper
    of a branch the user may not see."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    proof = parse_proof(code)
    paper = session.scalar(sa.select(PrintedPaper).where(PrintedPaper.code == proof.code))
    if paper is None or paper.deleted_at is not None:
        return never_printed(proof.code)
    actor.require_branch(paper.branch_id)
    try:
        kind = FormKind(paper.kind)
    except ValueError:
        return never_printed(proof.code)
    genuine, reason = _genuine(session, paper, proof)
    subject: Subject | None
    try:
        subject = load(session, actor, kind, paper.record_id, to_print=False)
    except NotFound:
        subject = None
    now = printed_values(subject) if subject is not None else None
    return check_paper(
        kind,
        paper.record_id,
        paper.code,
        paper.printed,
        genuine=genuine,
        subject=subject,
        now=now,
        printed_at=paper.printed_at.isoformat(timespec="seconds"),
        device_id=paper.device_id,
        not_genuine=reason,
    )


def verdict_lines(result: Verification) -> list[str]:
    """The verdict, then each printed value beside the record's value now."""
    if not result.found:
        return [result.summary]
    if result.ok:
        lines = [translate("The paper is genuine and matches the record."), result.summary]
    elif result.genuine:
        lines = [
            translate("The paper is genuine, but the record has changed since."),
            result.summary,
        ]
    else:
        lines = [result.summary]
    differing = {d.field for d in result.differences}
    lines.append(translate("As printed on the paper, and in the record now:"))
    for name, (title, printed, now) in zip(result.printed, result.lines(), strict=True):
        if name in differing:
            shown_now = now if now is not None else translate("(not in the record now)")
            lines.append(f"✗ {title}: {printed}  →  {shown_now}")
        else:
            lines.append(f"  {title}: {printed}")
    for difference in result.differences:
        if difference.printed is None:
            lines.append(f"✗ {difference.label}: —  →  {difference.now}")
    return lines
