"""HQ administration of what sync sets aside for a person: conflicts (the losing value of a
concurrent edit, see `sync/merge.py`), quarantined changes, and duplicate-person cases.

Resolutions are written as HQ's own changes, so they reach the branch's laptops like any
other change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    hq_person_search,
    hq_quarantine,
    hq_row,
)
from sync.server.store import DeviceAuth, Refused, Store, of_table, stored_field

# Called inside an administration action's transaction (to write its audit row with it).
OnDone = Callable[[sa.Connection], None]
# Rows on one page of the console's lists.
PAGE_SIZE = 50
# A person's name, as the laptops build it from the file's fields.
NAME_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name")
HQ_DEVICE = "HQ"


def conflicts(store: Store, status: str = "open") -> list[dict[str, Any]]:
    pg = store.postgres
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_row.c.data).where(
                of_table("sync_conflict"), stored_field("status", postgres=pg) == status
            )
        ).scalars()
        found = [dict(r) for r in rows]
    return sorted(found, key=lambda c: str(c["created_at"]))


def conflict_page(
    store: Store, page: int = 1, size: int = PAGE_SIZE
) -> tuple[int, list[dict[str, Any]]]:
    """How many conflicts are open, and page `page` of them (newest first), each with what
    `conflict` shows beside it."""
    pg = store.postgres
    where = (of_table("sync_conflict"), stored_field("status", postgres=pg) == "open")
    with store.engine.connect() as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(hq_row).where(*where)
        ).scalar_one()
        rows = connection.execute(
            sa.select(hq_row.c.data, hq_row.c.scope)
            .where(*where)
            .order_by(stored_field("created_at", postgres=pg).desc(), hq_row.c.row_id)
            .limit(size)
            .offset((max(page, 1) - 1) * size)
        ).all()
        return int(total), _described(store, connection, [(dict(r.data), r.scope) for r in rows])


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


def quarantine_page(
    store: Store, page: int = 1, size: int = PAGE_SIZE, settled: int = PAGE_SIZE
) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """How many changes are held, page `page` of them (newest first, each with the name of
    the laptop that sent it), and the `settled` most recently settled."""
    held_now = hq_quarantine.c.settled.is_(None)
    with store.engine.connect() as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(hq_quarantine).where(held_now)
        ).scalar_one()
        held = [
            dict(r)
            for r in connection.execute(
                sa.select(hq_quarantine)
                .where(held_now)
                .order_by(hq_quarantine.c.id.desc())
                .limit(size)
                .offset((max(page, 1) - 1) * size)
            ).mappings()
        ]
        names = _device_names(store, connection, {q["device_id"] for q in held})
        for item in held:
            item["device"] = names[item["device_id"]]
        done = [
            dict(r)
            for r in connection.execute(
                sa.select(hq_quarantine)
                .where(hq_quarantine.c.settled.is_not(None))
                .order_by(hq_quarantine.c.settled_at.desc(), hq_quarantine.c.id.desc())
                .limit(settled)
            ).mappings()
        ]
        return int(total), held, done


def duplicates(store: Store, status: str = "open") -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_duplicate)
            .where(hq_duplicate.c.status == status)
            .order_by(hq_duplicate.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def duplicate_page(
    store: Store, page: int = 1, size: int = PAGE_SIZE
) -> tuple[int, list[dict[str, Any]]]:
    """How many duplicate cases are open, and page `page` of them (newest first), each with
    its files (`files`: row id, name and branch)."""
    is_open = hq_duplicate.c.status == "open"
    with store.engine.connect() as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(hq_duplicate).where(is_open)
        ).scalar_one()
        cases = [
            dict(r)
            for r in connection.execute(
                sa.select(hq_duplicate)
                .where(is_open)
                .order_by(hq_duplicate.c.id.desc())
                .limit(size)
                .offset((max(page, 1) - 1) * size)
            ).mappings()
        ]
        ids = {str(i) for case in cases for i in case["row_ids"]}
        rows = _rows(connection, "beneficiary", ids)
        branches = _branch_names(connection, {scope for _data, scope in rows.values()} | {None})
        for case in cases:
            files = []
            for row_id in case["row_ids"]:
                data, scope = rows.get(str(row_id), ({"id": row_id}, None))
                files.append({"row_id": row_id, "name": full_name(data), "branch": branches[scope]})
            case["files"] = files
        return int(total), cases


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


def _rows(
    connection: sa.Connection, table: str, ids: set[str]
) -> dict[str, tuple[dict[str, Any], str | None]]:
    """The records of `table` with these ids (data and branch), in one query per 900 ids."""
    wanted = sorted(i for i in ids if isinstance(i, str) and i)
    found: dict[str, tuple[dict[str, Any], str | None]] = {}
    for start in range(0, len(wanted), 900):
        for row in connection.execute(
            sa.select(hq_row.c.row_id, hq_row.c.data, hq_row.c.scope).where(
                hq_row.c.table_name == table, hq_row.c.row_id.in_(wanted[start : start + 900])
            )
        ):
            found[row.row_id] = (dict(row.data), row.scope)
    return found


def full_name(data: dict[str, Any]) -> str:
    return " ".join(str(data[f]) for f in NAME_FIELDS if data.get(f))


def _branch_names(connection: sa.Connection, ids: set[str | None]) -> dict[str | None, str]:
    rows = _rows(connection, "branch", {i for i in ids if i})
    names: dict[str | None, str] = {}
    for branch_id in ids:
        data = rows[branch_id][0] if branch_id in rows else {}
        names[branch_id] = str(data.get("name") or data.get("code") or "—")
    return names


def _described(
    store: Store, connection: sa.Connection, found: list[tuple[dict[str, Any], str | None]]
) -> list[dict[str, Any]]:
    """Conflicts (data, branch) with what the console shows beside each (see `conflict`),
    read in a few queries for all of them."""
    by_table: dict[str, set[str]] = {}
    for item, _scope in found:
        by_table.setdefault(str(item["table_name"]), set()).add(str(item["row_id"]))
    records = {
        (table, row_id): data
        for table, ids in by_table.items()
        for row_id, (data, _scope) in _rows(connection, table, ids).items()
    }

    def record_of(item: dict[str, Any]) -> dict[str, Any] | None:
        return records.get((str(item["table_name"]), str(item["row_id"])))

    people_ids = {
        str(record.get("beneficiary_id"))
        for item, _scope in found
        if (record := record_of(item)) is not None and item["table_name"] != "beneficiary"
    }
    people = {k: d for k, (d, _s) in _rows(connection, "beneficiary", people_ids).items()}
    devices = {
        str(item.get(key))
        for item, _scope in found
        for key in ("winner_device_id", "other_device_id")
    }
    names = _device_names(store, connection, devices)
    branches = _branch_names(connection, {scope for _item, scope in found})
    described = []
    for item, scope in found:
        record = record_of(item)
        person = None
        if record is not None:
            person = (
                record
                if item["table_name"] == "beneficiary"
                else people.get(str(record.get("beneficiary_id")))
            )
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
            branch=branches[scope],
            winner_by=names[str(item.get("winner_device_id"))],
            other_by=names[str(item.get("other_device_id"))],
            winner_at=stamp_time(item.get("winner_hlc")),
            other_at=stamp_time(item.get("other_hlc")),
        )
        described.append(item)
    return described


def conflict(store: Store, conflict_id: str) -> dict[str, Any] | None:
    """One conflict with what the console shows beside it: the record now (`record`, and
    `current`, the field's value now), the person it concerns (`person`: name, file number),
    the branch, and who made each value (`winner_by`, `other_by`: the laptops' names) and
    when (`winner_at`, `other_at`)."""
    with store.engine.connect() as connection:
        found = _rows(connection, "sync_conflict", {conflict_id}).get(conflict_id)
        if found is None:
            return None
        return _described(store, connection, [found])[0]


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


def _children(
    connection: sa.Connection, table: str, person_ids: list[str], postgres: bool
) -> dict[str, list[dict[str, Any]]]:
    """The live rows of `table` that name each of these people (by `beneficiary_id`)."""
    named = stored_field("beneficiary_id", postgres=postgres)
    found: dict[str, list[dict[str, Any]]] = {p: [] for p in person_ids}
    for data in connection.execute(
        sa.select(hq_row.c.data).where(of_table(table), named.in_(person_ids))
    ).scalars():
        if data.get("deleted_at") is None and data.get("beneficiary_id") in found:
            found[data["beneficiary_id"]].append(dict(data))
    return found


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
        row_ids = [str(r) for r in case["row_ids"]]
        rows = _rows(connection, "beneficiary", set(row_ids))
        branches = _branch_names(connection, {scope for _data, scope in rows.values()} | {None})
        phones = _children(connection, "beneficiary_phone", row_ids, store.postgres)
        requests = _children(connection, "support_request", row_ids, store.postgres)
        history: dict[str, list[dict[str, Any]]] = {r: [] for r in row_ids}
        for change in connection.execute(
            sa.select(
                hq_change.c.seq,
                hq_change.c.row_id,
                hq_change.c.device_id,
                hq_change.c.data,
                hq_change.c.received_at,
            )
            .where(hq_change.c.table_name == "beneficiary", hq_change.c.row_id.in_(row_ids))
            .order_by(hq_change.c.seq)
        ).mappings():
            history[change["row_id"]].append(dict(change))
        names = _device_names(
            store, connection, {h["device_id"] for entries in history.values() for h in entries}
        )
        files: list[dict[str, Any]] = []
        for row_id in row_ids:
            data, scope = rows.get(row_id, ({"id": row_id}, None))
            for entry in history[row_id]:
                entry["device"] = names[entry["device_id"]]
                entry["at"] = stamp_time(entry["data"].get("hlc")) or entry["received_at"]
            files.append(
                {
                    "row_id": row_id,
                    "data": data,
                    "name": full_name(data),
                    "branch": branches[scope],
                    "phones": [str(p.get("number")) for p in phones[row_id]],
                    "requests": len(requests[row_id]),
                    "history": history[row_id],
                }
            )
        item["files"] = files
        return item


# -- finding a person at HQ, across branches -----------------------------------------------

SEARCH_KEY = "search_seq"
# Taken while the search table catches up with the feed (not HQ's write lock: pushes go on).
_SEARCH_LOCK_KEY = 7_261_302
_SEARCH_COLUMNS = (
    "row_id",
    "scope",
    "name",
    "name_key",
    "national_id",
    "file_number",
    "file_key",
    "closed",
)


# What a search row is made of: a file's id, branch, and these fields (as text).
_SEARCH_FIELDS = (*NAME_FIELDS, "national_id", "file_number", "deleted_at")


def _search_row(row: sa.Row[Any]) -> tuple[Any, ...]:
    row_id, scope, *names, national_id, file_number, deleted_at = tuple(row)
    name = " ".join(n for n in names if n)
    return (
        row_id,
        scope,
        name,
        # A space before each word: "% word%" then finds a word at the start of a word.
        "".join(" " + w for w in normalize_arabic(name).split()),
        national_id or None,
        file_number or None,
        file_number.upper() if file_number else None,
        deleted_at is not None,
    )


def _write_search_rows(
    store: Store, connection: sa.Connection, rows: list[tuple[Any, ...]]
) -> None:
    if not store.postgres:
        store.insert(connection, hq_person_search, _SEARCH_COLUMNS, rows)
        return
    # COPY: a first catch-up writes a row for every person HQ holds.
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        with cursor.copy(
            f"COPY hq_person_search ({', '.join(_SEARCH_COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)


@contextmanager
def _search_writing(store: Store) -> Iterator[sa.Connection]:
    if not store.postgres:
        with store.writing() as connection:  # SQLite has one writer anyway
            yield connection
        return
    with store.engine.begin() as connection:
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_SEARCH_LOCK_KEY)))
        yield connection


def catch_up_search(store: Store) -> int:
    """Bring the people's search keys (`hq_person_search`) up to HQ's feed: the files changed
    since the last catch-up (every file the first time) are read again from `hq_row`. Pushes
    do not wait for it; a search does, so it finds what HQ holds. Returns how many files were
    read again."""
    with store.engine.connect() as connection:
        cursor = int(store.meta(connection, SEARCH_KEY) or 0)
        if cursor >= store.head(connection):
            return 0
    # Every sequence up to this head is committed, so none at or below it can appear later;
    # a row read below may be newer still, which is harmless (it is read again at the next
    # catch-up).
    head = store.settled_head()
    with _search_writing(store) as connection:
        # Again under the lock: another search may have caught up meanwhile.
        cursor = int(store.meta(connection, SEARCH_KEY) or 0)
        if cursor >= head:
            return 0
        pg = store.postgres
        columns = (
            hq_row.c.row_id,
            hq_row.c.scope,
            *(stored_field(f, postgres=pg) for f in _SEARCH_FIELDS),
        )
        if cursor == 0:
            connection.execute(sa.delete(hq_person_search))
            found = connection.execute(sa.select(*columns).where(of_table("beneficiary")))
            rows = [_search_row(r) for r in found]
        else:
            changed = sorted(
                connection.execute(
                    sa.select(hq_change.c.row_id)
                    .distinct()
                    .where(
                        hq_change.c.seq > cursor,
                        hq_change.c.seq <= head,
                        hq_change.c.table_name == "beneficiary",
                    )
                ).scalars()
            )
            rows = []
            for start in range(0, len(changed), 900):
                chunk = changed[start : start + 900]
                connection.execute(
                    sa.delete(hq_person_search).where(hq_person_search.c.row_id.in_(chunk))
                )
                found = connection.execute(
                    sa.select(*columns).where(of_table("beneficiary"), hq_row.c.row_id.in_(chunk))
                )
                rows += [_search_row(r) for r in found]
        _write_search_rows(store, connection, rows)
        store.set_meta(connection, SEARCH_KEY, str(head))
        return len(rows)


def search_people(store: Store, query: str, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """People of every branch whose national ID or file number is `query`, or whose name
    holds each of its words at the start of a word, compared by the laptops' search key
    (`romah_desktop.arabic.normalize_arabic`: hamza forms, taa marbuta, alef maqsura and
    diacritics folded). Live files first, then closed ones; at most `limit`."""
    text = normalize_digits(query).strip()
    words = normalize_arabic(text).split()
    if not words:
        return []
    catch_up_search(store)
    found = hq_person_search.c
    name = found.name.collate("C") if store.postgres else found.name
    compact = text.replace(" ", "")

    def matching(*where: sa.ColumnElement[bool]) -> sa.Select[Any]:
        return (
            sa.select(
                found.row_id,
                found.scope,
                found.name,
                found.national_id,
                found.file_number,
                found.closed,
            )
            .where(*where)
            .order_by(found.closed, name, found.row_id)
            .limit(limit)
        )

    with store.engine.connect() as connection:
        by_number = [found.file_key == compact.upper()]
        if compact.isdigit():
            by_number.append(found.national_id == compact)
        rows = connection.execute(matching(sa.or_(*by_number))).all()
        if not rows:
            rows = connection.execute(
                matching(*(found.name_key.like(f"% {w}%") for w in words))
            ).all()
        branches = _branch_names(connection, {r.scope for r in rows})
    return [
        {
            "id": r.row_id,
            "branch": branches[r.scope],
            "name": r.name,
            "national_id": r.national_id,
            "file_number": r.file_number,
            "closed": bool(r.closed),
        }
        for r in rows
    ]
