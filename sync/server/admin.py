"""HQ administration of what sync sets aside for a person: conflicts (the losing value of a
concurrent edit, see `sync/merge.py`), quarantined changes, and duplicate-person cases.

Resolutions are written as HQ's own changes, so they reach the branch's laptops like any
other change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from db.hlc import ClockError, Stamp
from db.values import check
from romah_desktop.arabic import normalize_arabic, normalize_digits
from sync.protocol import Change
from sync.server.schema import (
    hq_change,
    hq_device,
    hq_duplicate,
    hq_person_key,
    hq_quarantine,
    hq_row,
)
from sync.server.store import DeviceAuth, Refused, Store, of_table, stored_field

# Called inside an administration action's transaction (to write its audit row with it).
OnDone = Callable[[sa.Connection], None]
# A person's name, as the laptops build it from the file's fields.
NAME_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name")
HQ_DEVICE = "HQ"


def conflicts(store: Store, status: str = "open") -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_row.c.data).where(hq_row.c.table_name == "sync_conflict")
        ).scalars()
        found = [dict(r) for r in rows if r.get("status") == status]
    return sorted(found, key=lambda c: str(c["created_at"]))


def resolve_conflict(
    store: Store, conflict_id: str, value: Any, by: str, on_done: OnDone | None = None
) -> None:
    """Settle a conflict at HQ: the chosen value is written to the record and the conflict
    closed, both as HQ changes that reach the branch's laptops like any other.

    Raises Refused for an unknown or settled conflict, or a value the field cannot hold (by
    the rules of `db/values.py`, the same a pushed change is checked by)."""
    with store.writing() as connection:
        found = store.load_rows(connection, [("sync_conflict", conflict_id)])
        conflict = found.get(("sync_conflict", conflict_id))
        if conflict is None:
            raise Refused(404, f"There is no conflict {conflict_id}.")
        if conflict.data.get("status") != "open":
            raise Refused(409, "This conflict has been resolved already.")
        target = conflict.data
        reason = check(str(target["table_name"]), str(target["field"]), value)
        if reason is not None:
            raise Refused(422, f"This value cannot be kept: {reason}")
        store.write_as_hq(
            connection,
            target["table_name"],
            target["row_id"],
            {target["field"]: value},
            scope=conflict.scope,
        )
        store.write_as_hq(
            connection,
            "sync_conflict",
            conflict_id,
            {
                "status": "resolved",
                "resolved_value": value,
                "resolved_by": by,
                "resolved_at": utcnow().isoformat(),
            },
            scope=conflict.scope,
        )
        if on_done is not None:
            on_done(connection)


def quarantined(store: Store, held: bool = True) -> list[dict[str, Any]]:
    """The changes HQ set aside and still holds (`held`), or those a person settled."""
    settled = hq_quarantine.c.settled
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_quarantine)
            .where(settled.is_(None) if held else settled.is_not(None))
            .order_by(hq_quarantine.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def duplicates(store: Store, status: str = "open") -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_duplicate)
            .where(hq_duplicate.c.status == status)
            .order_by(hq_duplicate.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def merge_duplicate(
    store: Store,
    case_id: int,
    keep_row_id: str,
    note: str | None = None,
    on_done: OnDone | None = None,
) -> None:
    """Keep one file of a duplicated person; the others are closed (tombstoned, not
    deleted), so every record that points at them, and their history, stays."""
    with store.writing() as connection:
        case = connection.execute(
            sa.select(hq_duplicate).where(hq_duplicate.c.id == case_id)
        ).one_or_none()
        if case is None or case.status != "open":
            raise Refused(404, f"There is no open duplicate case {case_id}.")
        if keep_row_id not in case.row_ids:
            raise Refused(400, "The record to keep is not one of the case's records.")
        now = utcnow().isoformat()
        for row_id in case.row_ids:
            if row_id != keep_row_id:
                rows = store.load_rows(connection, [("beneficiary", row_id)])
                row = rows[("beneficiary", row_id)]
                if row.data.get("deleted_at") is None:
                    store.write_as_hq(
                        connection, "beneficiary", row_id, {"deleted_at": now}, row.scope
                    )
        connection.execute(
            sa.update(hq_duplicate)
            .where(hq_duplicate.c.id == case_id)
            .values(status="merged", kept_row_id=keep_row_id, note=note, resolved_at=utcnow())
        )
        if on_done is not None:
            on_done(connection)


# -- what the console shows beside a case ---------------------------------------------------


def stamp_time(stamp: Any) -> datetime | None:
    """When a clock stamp was made (its wall time), or None for a malformed one."""
    try:
        return datetime.fromtimestamp(Stamp.parse(str(stamp)).wall_ms / 1000, UTC)
    except ClockError:
        return None


def _device_names(store: Store, connection: sa.Connection, ids: set[str]) -> dict[str, str]:
    """Each device's name (HQ's own changes: "HQ"; an unknown device: the end of its id)."""
    hq = store.hq_device_id(connection) if ids else None
    found = dict(
        connection.execute(
            sa.select(hq_device.c.id, hq_device.c.name).where(hq_device.c.id.in_(sorted(ids)))
        ).all()
    )
    return {i: HQ_DEVICE if i == hq else str(found.get(i) or i[-8:]) for i in ids}


def _data(connection: sa.Connection, table: str, row_id: Any) -> dict[str, Any] | None:
    if not isinstance(row_id, str) or not row_id:
        return None
    data = connection.execute(
        sa.select(hq_row.c.data).where(hq_row.c.table_name == table, hq_row.c.row_id == row_id)
    ).scalar_one_or_none()
    return dict(data) if data is not None else None


def full_name(data: dict[str, Any]) -> str:
    return " ".join(str(data[f]) for f in NAME_FIELDS if data.get(f))


def _branch_names(connection: sa.Connection, ids: set[str | None]) -> dict[str | None, str]:
    names: dict[str | None, str] = {}
    for branch_id in ids:
        data = _data(connection, "branch", branch_id) or {}
        names[branch_id] = str(data.get("name") or data.get("code") or "—")
    return names


def conflict(store: Store, conflict_id: str) -> dict[str, Any] | None:
    """One conflict with what the console shows beside it: the record now (`record`, and
    `current`, the field's value now), the person it concerns (`person`: name, file number),
    the branch, and who made each value (`winner_by`, `other_by`: the laptops' names) and
    when (`winner_at`, `other_at`)."""
    with store.engine.connect() as connection:
        found = connection.execute(
            sa.select(hq_row.c.data, hq_row.c.scope).where(
                hq_row.c.table_name == "sync_conflict", hq_row.c.row_id == conflict_id
            )
        ).one_or_none()
        if found is None:
            return None
        item = dict(found.data)
        record = _data(connection, str(item["table_name"]), item["row_id"])
        person = None
        if record is not None:
            person = (
                record
                if item["table_name"] == "beneficiary"
                else _data(connection, "beneficiary", record.get("beneficiary_id"))
            )
        devices = {str(item.get("winner_device_id")), str(item.get("other_device_id"))}
        names = _device_names(store, connection, devices)
        item.update(
            record=record,
            current=None if record is None else record.get(str(item["field"])),
            person=None
            if person is None
            else {
                "id": person.get("id"),
                "name": full_name(person),
                "file_number": person.get("file_number"),
                "national_id": person.get("national_id"),
            },
            branch=_branch_names(connection, {found.scope})[found.scope],
            winner_by=names[str(item.get("winner_device_id"))],
            other_by=names[str(item.get("other_device_id"))],
            winner_at=stamp_time(item.get("winner_hlc")),
            other_at=stamp_time(item.get("other_hlc")),
        )
        return item


# -- quarantined changes: retried after a fix, or dismissed with a note ----------------------


def quarantined_change(store: Store, quarantine_id: int) -> dict[str, Any] | None:
    """One quarantined change (held or settled), with the name of the laptop that sent it."""
    with store.engine.connect() as connection:
        row = (
            connection.execute(sa.select(hq_quarantine).where(hq_quarantine.c.id == quarantine_id))
            .mappings()
            .one_or_none()
        )
        if row is None:
            return None
        item = dict(row)
        item["device"] = _device_names(store, connection, {item["device_id"]})[item["device_id"]]
        return item


def retry_quarantined(
    store: Store,
    quarantine_id: int,
    by: str,
    note: str | None = None,
    on_done: OnDone | None = None,
) -> str | None:
    """Run a held change through HQ's merge again, as its laptop's push would (the same
    checks, the same merge), once its cause is put right (the user enabled again, the record
    it changes arrived). Returns None when it was applied (it is then in the feed under its
    laptop's sequence number, and the entry is kept as "retried"), or the reason it is still
    held (the entry stays held with that reason)."""
    from sync.server import push  # push imports what the hub shares; admin is imported first

    with store.writing() as connection:
        held = connection.execute(
            sa.select(hq_quarantine).where(hq_quarantine.c.id == quarantine_id)
        ).one_or_none()
        if held is None or held.settled is not None:
            raise Refused(404, "This quarantined change does not exist or has been settled.")
        branch = connection.execute(
            sa.select(hq_device.c.branch_id).where(hq_device.c.id == held.device_id)
        ).scalar_one_or_none()
        if branch is None:
            raise Refused(409, "The laptop that sent this change is not known at HQ.")
        try:
            change = Change.model_validate(held.change)
        except ValueError:
            raise Refused(
                422, "This quarantined change cannot be read, so it cannot be applied again."
            ) from None
        connection.execute(sa.delete(hq_quarantine).where(hq_quarantine.c.id == held.id))
        digests = {id(change): held.digest} if held.digest else {}
        results = push._merge_batch(
            store, connection, DeviceAuth(held.device_id, branch), [change], digests
        )
        reason = results[change.s].q
        same = (hq_quarantine.c.device_id == held.device_id) & (
            hq_quarantine.c.device_seq == held.device_seq
        )
        if reason is not None:
            # Held again, as the same entry, with this attempt's reason.
            connection.execute(
                sa.update(hq_quarantine)
                .where(same)
                .values(id=held.id, received_at=held.received_at, digest=held.digest)
            )
        else:
            # Its laptop pulls it back (not an echo), so its own record learns the version.
            connection.execute(
                sa.update(hq_change)
                .where(
                    hq_change.c.device_id == held.device_id,
                    hq_change.c.device_seq == held.device_seq,
                )
                .values(echo=False)
            )
            connection.execute(
                sa.insert(hq_quarantine).values(
                    {
                        **held._asdict(),
                        "settled": "retried",
                        "settled_by": by,
                        "settled_at": utcnow(),
                        "note": note or None,
                    }
                )
            )
        if on_done is not None:
            on_done(connection)
        return reason


def dismiss_quarantined(
    store: Store, quarantine_id: int, by: str, note: str, on_done: OnDone | None = None
) -> None:
    """Settle a held change without applying it, with a note saying why. Its laptop's
    repeat push is still answered with the refusal."""
    note = note.strip()
    if not note:
        raise Refused(422, "Write a note saying why the change is dismissed.")
    with store.writing() as connection:
        done = connection.execute(
            sa.update(hq_quarantine)
            .where(hq_quarantine.c.id == quarantine_id, hq_quarantine.c.settled.is_(None))
            .values(settled="dismissed", settled_by=by, settled_at=utcnow(), note=note)
        ).rowcount
        if not done:
            raise Refused(404, "This quarantined change does not exist or has been settled.")
        if on_done is not None:
            on_done(connection)


# -- duplicate people: both files side by side ---------------------------------------------


def _children(connection: sa.Connection, table: str, person_id: str, postgres: bool) -> list[Any]:
    return [
        dict(d)
        for d in connection.execute(
            sa.select(hq_row.c.data).where(
                of_table(table), stored_field("beneficiary_id", postgres=postgres) == person_id
            )
        ).scalars()
    ]


def duplicate(store: Store, case_id: int) -> dict[str, Any] | None:
    """One duplicate-person case with each of its files: the record, its branch, its phones,
    how many support requests name it, and the history of its changes at HQ (oldest first,
    each with the laptop that made it and when HQ received it)."""
    with store.engine.connect() as connection:
        case = (
            connection.execute(sa.select(hq_duplicate).where(hq_duplicate.c.id == case_id))
            .mappings()
            .one_or_none()
        )
        if case is None:
            return None
        item = dict(case)
        files: list[dict[str, Any]] = []
        for row_id in case["row_ids"]:
            found = connection.execute(
                sa.select(hq_row.c.data, hq_row.c.scope).where(
                    hq_row.c.table_name == "beneficiary", hq_row.c.row_id == row_id
                )
            ).one_or_none()
            data = dict(found.data) if found is not None else {"id": row_id}
            scope = found.scope if found is not None else None
            phones = [
                p
                for p in _children(connection, "beneficiary_phone", row_id, store.postgres)
                if p.get("deleted_at") is None
            ]
            requests = [
                r
                for r in _children(connection, "support_request", row_id, store.postgres)
                if r.get("deleted_at") is None
            ]
            history = [
                dict(h)
                for h in connection.execute(
                    sa.select(
                        hq_change.c.seq,
                        hq_change.c.device_id,
                        hq_change.c.data,
                        hq_change.c.received_at,
                    )
                    .where(hq_change.c.table_name == "beneficiary", hq_change.c.row_id == row_id)
                    .order_by(hq_change.c.seq)
                ).mappings()
            ]
            names = _device_names(store, connection, {h["device_id"] for h in history})
            for entry in history:
                entry["device"] = names[entry["device_id"]]
                entry["at"] = stamp_time(entry["data"].get("hlc")) or entry["received_at"]
            files.append(
                {
                    "row_id": row_id,
                    "data": data,
                    "name": full_name(data),
                    "branch": _branch_names(connection, {scope})[scope],
                    "phones": [str(p.get("number")) for p in phones],
                    "requests": len(requests),
                    "history": history,
                }
            )
        item["files"] = files
        return item


# -- finding a person at HQ, across branches -----------------------------------------------


def search_people(store: Store, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """People of every branch whose national ID or file number is `query`, or whose name
    holds each of its words at the start of a word, compared by the laptops' search key
    (`romah_desktop.arabic.normalize_arabic`: hamza forms, taa marbuta, alef maqsura and
    diacritics folded). Live files first, then closed ones; at most `limit`."""
    text = normalize_digits(query).strip()
    words = normalize_arabic(text).split()
    if not words:
        return []
    pg = store.postgres
    columns = [
        hq_row.c.row_id,
        hq_row.c.scope,
        *(stored_field(f, postgres=pg) for f in (*NAME_FIELDS, "national_id", "file_number")),
        stored_field("deleted_at", postgres=pg),
    ]
    compact = text.replace(" ", "")
    with store.engine.connect() as connection:
        ids: set[str] = set()
        if compact.isdigit():
            ids.update(
                connection.execute(
                    sa.select(hq_person_key.c.row_id).where(hq_person_key.c.national_id == compact)
                ).scalars()
            )
        by_number = sa.select(*columns).where(
            of_table("beneficiary"),
            sa.or_(
                hq_row.c.row_id.in_(sorted(ids)),
                sa.func.upper(stored_field("file_number", postgres=pg)) == compact.upper(),
            ),
        )
        rows = list(connection.execute(by_number))
        if not rows:
            rows = []
            for row in connection.execute(sa.select(*columns).where(of_table("beneficiary"))):
                name = normalize_arabic(" ".join(v for v in row[2:6] if v))
                tokens = name.split()
                if all(any(t.startswith(w) for t in tokens) for w in words):
                    rows.append(row)
        branches = _branch_names(connection, {r[1] for r in rows})
    found = [
        {
            "id": r[0],
            "branch": branches[r[1]],
            "name": " ".join(v for v in r[2:6] if v),
            "national_id": r[6],
            "file_number": r[7],
            "closed": r[8] is not None,
        }
        for r in rows
    ]
    found.sort(key=lambda p: (p["closed"], p["name"]))
    return found[:limit]
