"""HQ verifying a paper printed at any branch.

A print's `printed_paper` record reaches HQ with the branch's next sync. HQ finds it by the
code, checks its signature with the printing laptop's key as HQ registered it (at enrolment,
or set on the laptop's own device record by the laptop itself, over its own credential), and
refuses a revoked or unknown laptop. The record's values now are computed by the laptop's own
rules (romah_desktop.printing) over a scratch copy of the few records the form draws on, so
HQ shows exactly what a laptop of the branch would.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import Base
from db.enums import Role
from db.outbox import from_json_values
from romah_desktop.errors import NotFound
from romah_desktop.printing.kinds import FormKind
from romah_desktop.printing.papers import parse_proof, signature_valid, signed_content
from romah_desktop.printing.printed import printed_values
from romah_desktop.printing.records import MODELS, load
from romah_desktop.printing.verification import (
    NOT_GENUINE_DEVICE,
    NOT_GENUINE_SIGNATURE,
    Verification,
    check_paper,
    never_printed,
)
from romah_desktop.services.context import Actor
from sync.server.devices import SIGNING_KEY_META
from sync.server.schema import hq_change, hq_device, hq_row
from sync.server.store import Store

__all__ = ["registered_key", "verify_paper"]

# The records a form draws on, found from the person's and the request's ids.
_BY_PERSON = (
    "beneficiary_phone",
    "household_member",
    "income_source",
    "document_check",
    "signed_declaration",
)


def _row(connection: sa.Connection, table: str, row_id: str | None) -> dict[str, Any] | None:
    if not row_id:
        return None
    data = connection.execute(
        sa.select(hq_row.c.data).where(hq_row.c.table_name == table, hq_row.c.row_id == row_id)
    ).scalar_one_or_none()
    return dict(data) if data is not None else None


def _rows_where(
    connection: sa.Connection, table: str, field: str, value: str
) -> list[dict[str, Any]]:
    query = sa.select(hq_row.c.data).where(
        hq_row.c.table_name == table, hq_row.c.data[field].as_string() == value
    )
    return [dict(data) for (data,) in connection.execute(query)]


def registered_key(store: Store, connection: sa.Connection, device_id: str) -> str | None:
    """The public key HQ holds for an enrolled, unrevoked laptop, or None.

    The key sent at enrolment, or else the one on the laptop's device record when the laptop
    itself wrote it (another laptop of the branch may not vouch for it)."""
    device = connection.execute(
        sa.select(hq_device.c.revoked_at).where(hq_device.c.id == device_id)
    ).one_or_none()
    if device is None or device.revoked_at is not None:
        return None
    registered = store.meta(connection, SIGNING_KEY_META.format(device_id=device_id))
    if registered:
        return registered
    row = connection.execute(
        sa.select(hq_row.c.data, hq_row.c.versions).where(
            hq_row.c.table_name == "device", hq_row.c.row_id == device_id
        )
    ).one_or_none()
    if row is None or not row.data.get("signing_key"):
        return None
    writer = connection.execute(
        sa.select(hq_change.c.device_id).where(
            hq_change.c.seq == int(row.versions.get("signing_key") or 0)
        )
    ).scalar_one_or_none()
    return str(row.data["signing_key"]) if writer == device_id else None


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _scratch_copy(connection: sa.Connection, kind: FormKind, record_id: str) -> sa.Engine | None:
    """An in-memory database of the app's schema holding the record of a paper and what its
    form draws on; None when HQ does not hold the record."""
    table = MODELS[kind].__tablename__
    record = _row(connection, table, record_id)
    if record is None:
        return None
    rows: dict[tuple[str, str], dict[str, Any]] = {(table, record_id): record}
    request = _row(connection, "support_request", record.get("request_id")) or (
        record if table == "support_request" else None
    )
    if request is not None:
        rows[("support_request", request["id"])] = request
        for decision in _rows_where(connection, "committee_decision", "request_id", request["id"]):
            rows[("committee_decision", decision["id"])] = decision
    person_id = record.get("beneficiary_id") or (request or {}).get("beneficiary_id")
    person = _row(connection, "beneficiary", person_id)
    if person is not None:
        rows[("beneficiary", person["id"])] = person
        for child in _BY_PERSON:
            for data in _rows_where(connection, child, "beneficiary_id", person["id"]):
                rows[(child, data["id"])] = data
    scopes = {d.get("branch_id") for d in rows.values()} - {None}
    for branch_id in scopes:
        branch = _row(connection, "branch", str(branch_id))
        if branch is not None:
            rows[("branch", branch["id"])] = branch
        for user in _rows_where(connection, "user_account", "branch_id", str(branch_id)):
            rows[("user_account", user["id"])] = user
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as scratch:
        for (name, _row_id), data in rows.items():
            columns = Base.metadata.tables[name].c
            values = from_json_values(name, {k: v for k, v in data.items() if k in columns})
            values["field_versions"] = {}
            scratch.execute(sa.insert(Base.metadata.tables[name]).values(**values))
    return engine


def verify_paper(store: Store, text: str) -> Verification:
    """Check a paper by its code (or scanned QR) against what HQ holds.

    Raises ValidationError("code", ...) for text that is not a code."""
    proof = parse_proof(text)
    with store.engine.connect() as connection:
        found = _rows_where(connection, "printed_paper", "code", proof.code)
        paper = next((p for p in found if p.get("deleted_at") is None), None)
        if paper is None:
            return never_printed(proof.code)
        try:
            kind = FormKind(paper["kind"])
        except ValueError:
            return never_printed(proof.code)
        printed_at = _moment(paper["printed_at"])
        printed = dict(paper["printed"])
        key = registered_key(store, connection, paper["device_id"])
        content = signed_content(
            paper["kind"],
            paper["record_id"],
            paper["code"],
            paper["device_id"],
            printed_at,
            printed,
        )
        qr_agrees = proof.device_id is None or (
            proof.device_id == paper["device_id"] and proof.signature == paper["signature"]
        )
        genuine = qr_agrees and signature_valid(key, content, paper["signature"])
        scratch = _scratch_copy(connection, kind, paper["record_id"])
    subject = None
    if scratch is not None:
        actor = Actor("hq", "hq", "HQ", Role.HQ_ADMIN, paper["branch_id"])
        try:
            with Session(scratch) as session:
                subject = load(session, actor, kind, paper["record_id"], to_print=False)
                now: dict[str, str] | None = printed_values(subject)
        except NotFound:
            subject, now = None, None
        finally:
            scratch.dispose()
    else:
        now = None
    return check_paper(
        kind,
        paper["record_id"],
        paper["code"],
        printed,
        genuine=genuine,
        subject=subject,
        now=now,
        printed_at=printed_at.isoformat(timespec="seconds"),
        device_id=paper["device_id"],
        not_genuine=NOT_GENUINE_DEVICE if key is None else NOT_GENUINE_SIGNATURE,
    )
