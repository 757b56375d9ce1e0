"""HQ accepting a laptop's changes (a push).

A push is idempotent by (device, device sequence): a change HQ already holds is answered as
before, and the same sequence number with other content is refused (an old backup was
restored; the laptop renumbers). The rest is checked: the known table and fields, every value
against its column by the rules laptops apply too, a sane clock stamp
(`sync/server/checks.py`), the device's branch, the rights of the user who made it
(`sync/server/rights.py`) and append-only records. Accepted changes are merged field by
field by the rule in `sync/merge.py`, in memory over the batch's records (read in one query
per table); then the batch's one-of rules
(`db.values.ONE_OF`: one primary phone per person) are kept: a second holder loses the flag
by a change HQ makes, which every laptop pulls, and is kept as a conflict. A change that
cannot be applied is quarantined with its reason and the rest of the batch goes on. A national
ID that another live record holds opens a duplicate-person case for HQ.

All of this but the last is done before a write lock is taken, under numbers of the batch's
own. Holding the lock, HQ checks that no write since has changed what the merge read,
numbers the batch and writes it with multi-row statements, in one transaction; when
something did change, it merges the batch again holding the lock (see `push`). On
PostgreSQL a batch that writes only its branch's records holds its branch's lock, and the
branches' pushes are written at the same time (`Store.writing`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec
import sqlalchemy as sa
from pydantic_core import from_json
from sqlalchemy.dialects import postgresql

from db.base import utcnow
from db.hlc import ClockError, HybridClock, Stamp
from db.ids import new_id
from db.outbox import ROW_VERSION_KEY
from db.values import ONE_OF, OneOf
from sync import merge
from sync.merge import META_FIELDS
from sync.protocol import PushedChange, PushResult, change_dict, collector_paused
from sync.server import rights
from sync.server.checks import checks, clock_reason
from sync.server.people import add_person_keys, open_cases, person_keys
from sync.server.schema import (
    hq_change,
    hq_device,
    hq_quarantine,
)
from sync.server.store import (
    HQ_DEVICE_KEY,
    PROVISIONAL,
    TABLES,
    Batch,
    DeviceAuth,
    Refused,
    Row,
    Store,
    clock_now,
    digest,
    feed_head,
    json_text,
    of_table,
    stored_field,
)

# Reference data every branch receives; laptops may publish it (the user's role is checked
# in `sync/server/rights.py`).
SHARED_TABLES = frozenset({"reference_document"})


def push(store: Store, device: DeviceAuth, changes: Sequence[PushedChange]) -> list[PushResult]:
    """Merge a batch of a laptop's changes; idempotent by (device, device sequence).

    The batch is read and merged outside a write lock, under sequence numbers of its own
    (`PROVISIONAL`), with HQ's heads read first. Holding the lock (its branch's when
    `_Draft.mine`, else the whole society's), HQ checks that nothing the merge read has
    changed since (`_still_valid`); then the batch is numbered and written. When something
    did change, the batch is read and merged again holding the lock of the whole society,
    as if it had arrived a moment later. Either way the answers and the records are those
    of the pushes applied one at a time in the order they were numbered, and what a
    branch's laptops pull is committed in the order it is numbered."""
    if not changes:
        return []
    # Worked out before taking a write lock: other pushes wait while it is held.
    with collector_paused():
        digests = {id(c): digest(c) for c in changes}
        checked = checks(device, changes)
        draft = _draft(store, device, changes, digests, checked)
    results = None
    if draft is not None and draft.mine:
        try:
            with collector_paused(), store.writing(device.branch_id) as connection:
                results = _locked(store, connection, device, changes, digests, checked, draft)
        except sa.exc.IntegrityError:
            # Another branch's push made one of its records at the same time: merged again
            # (the draft was numbered and is not written as it is).
            draft = None
    if results is None:  # or the draft is out of date: merged again, alone
        with collector_paused(), store.writing() as connection:
            results = _locked(store, connection, device, changes, digests, checked, draft, True)
    assert results is not None
    return [results[c.s] for c in changes]


def _locked(
    store: Store,
    connection: sa.Connection,
    device: DeviceAuth,
    changes: Sequence[PushedChange],
    digests: dict[int, str],
    checked: dict[int, str | None],
    draft: _Draft | None,
    alone: bool = False,
) -> dict[int, PushResult] | None:
    """The answers to a batch, written holding a write lock: the draft when still valid, else
    (holding the lock of the whole society, `alone`) the batch merged again; None when the
    draft is out of date and the lock is a branch's (nothing was written)."""
    # One read holding the lock: what HQ holds of the batch, its heads and its clock.
    seen, heads, clock = _already_received(store, connection, device, changes, digests)
    fresh = [c for c in changes if c.s not in seen]
    results = {c.s: seen[c.s] for c in changes if c.s in seen}
    if not fresh:
        connection.execute(_seen_now(device.id))
    elif draft is not None and _still_valid(store, connection, draft, fresh, heads):
        branch = None if alone else device.branch_id
        results.update(_write_draft(store, connection, draft, heads, clock, device.id, branch))
    elif not alone:
        return None
    else:
        merged = _merge_batch(store, connection, device, fresh, digests, checked, device.id)
        results.update(merged)
    return results


def _reads_own_branch(
    store: Store,
    connection: sa.Connection,
    batch: Batch,
    asked: set[tuple[str, str]],
    branch: str,
) -> bool:
    """Whether every record a merged batch read is of the pushing device's `branch` or one
    every branch receives (or one the batch makes), and the parents of the one-of groups it
    looked at are of its branch. Only that branch's pushes, and HQ's writes holding the lock
    of the whole society, change those, numbered after the head of the branch's feed the
    draft read (`feed_head`): a change since is found by its number. Other branches'
    pushes commit numbers below that head at any time (PostgreSQL); a record one of them
    makes at the same moment as the batch fails on its key (the push is merged again)."""
    for key in asked:
        row = batch.rows.get(key)
        if row is None or (not row.new and row.scope not in (branch, None)):
            return False
    parents = {
        (rule.parent, parent)
        for rule in ONE_OF
        for table, _group, held in batch.groups
        if table == rule.table
        for parent in held
    }
    found = store.load_rows(connection, parents) if parents else {}
    return len(found) == len(parents) and all(r.scope == branch for r in found.values())


def _seen_now(device_id: str) -> sa.Update:
    """Note that the laptop `device_id` pushed now."""
    return sa.update(hq_device).where(hq_device.c.id == device_id).values(last_seen_at=utcnow())


@dataclass
class _Draft:
    """A batch merged outside the write lock, and what its merge read: HQ's heads (its
    highest sequence and the head of the device's feed, `feed_head`) read before the
    records, the changes merged (those HQ did not hold yet), the records asked for (held or
    not), HQ's clock stamp, and whether it may be written holding its branch's lock only."""

    batch: Batch
    results: dict[int, PushResult]
    heads: tuple[int, int]
    fresh: list[int]
    asked: set[tuple[str, str]]
    clock: HybridClock
    clock_read: str | None
    mine: bool


def _draft(
    store: Store,
    device: DeviceAuth,
    changes: Sequence[PushedChange],
    digests: dict[int, str],
    checked: dict[int, str | None],
) -> _Draft | None:
    """The batch merged outside the write lock (None when HQ has never written, and so has
    no device id of its own yet: the first write makes it, holding the lock)."""
    with store.engine.connect() as connection:
        hq = store.meta(connection, HQ_DEVICE_KEY)
        if hq is None:
            return None
        # HQ's heads and clock in the same statement, before the records are read: whatever
        # is numbered after the heads may already show in those, and is then seen as a
        # change since (the batch is merged again, holding the lock).
        seen, heads, clock_read = _already_received(store, connection, device, changes, digests)
        fresh = [c for c in changes if c.s not in seen]
        if not fresh:
            return None
        asked = {(c.t, c.r) for c in fresh} | rights.acting_users(fresh)
        batch = Batch(
            connection,
            next_seq=PROVISIONAL,
            rows=store.load_rows(connection, asked),
            digests=digests,
        )
        clock = HybridClock(hq, clock_read)
        results = _merge_all(batch, device, fresh, checked, clock)
        asked.update(batch.rows)
        branch = device.branch_id
        if store.postgres and not _reads_own_branch(store, connection, batch, asked, branch):
            return None  # what it read other branches' pushes may change at any time
        # Written beside other branches' pushes: its branch's records only, and no change of
        # HQ's own (HQ's stamps are handed out one write at a time).
        mine = store.postgres and all(
            c["scope"] == branch and c["device_id"] != hq for c in batch.changes
        )
    return _Draft(batch, results, heads, [c.s for c in fresh], asked, clock, clock_read, mine)


def _still_valid(
    store: Store,
    connection: sa.Connection,
    draft: _Draft,
    fresh: Sequence[PushedChange],
    heads: tuple[int, int],
) -> bool:
    """Whether the draft is what merging the batch now, holding the lock (HQ's heads now
    `heads`), would give: the same changes to merge, and no change numbered after the head
    of the device's feed it read to a record it read or asked for (or to a one-of group it
    looked up); any write it did not see is numbered after that head (`feed_head`).
    HQ's clock is caught up when the draft is written."""
    if draft.fresh != [c.s for c in fresh]:
        return False
    if heads == draft.heads:
        return True
    if store.changed_since(connection, draft.heads[1], draft.asked):
        return False
    for table, group, held in draft.batch.groups:
        query = _group_query(table, group, held, "row_id", postgres=store.postgres)
        for row_id in connection.execute(query).scalars():
            if (table, row_id) not in draft.batch.rows:
                return False  # a record joined the group since
    return True


def _write_draft(
    store: Store,
    connection: sa.Connection,
    draft: _Draft,
    heads: tuple[int, int],
    now: str | None,
    seen: str,
    branch: str | None,
) -> dict[int, PushResult]:
    """Number a still-valid draft (HQ's heads now `heads`) and write it; `now` is HQ's clock
    stamp as the lock found it, `seen` the device that pushed it, `branch` the branch whose
    lock is held (None: the whole society's)."""
    batch = draft.batch
    batch.connection = connection
    numbered = store.number(connection, batch, heads[0])
    # HQ's clock never goes back, and its stamps keep rising: another push may have left
    # a later stamp than this draft read.
    last, hq = draft.clock.last, draft.clock.device_id
    if now is not None and now != draft.clock_read:
        later = max(now, last, key=Stamp.parse)
        issued = [c["hlc"] for c in batch.changes if c["device_id"] == hq]
        if issued and Stamp.parse(min(issued, key=Stamp.parse)) <= Stamp.parse(now):
            last = _restamped(batch, hq, later)
        else:
            last = later
    _write(store, connection, batch, last, seen, branch)
    return {
        s: result if result.g is None else msgspec.structs.replace(result, g=numbered(result.g))
        for s, result in draft.results.items()
    }


@cache
def _received(postgres: bool) -> sa.CompoundSelect[Any]:
    """The statement of `_already_received`, built once for each kind of database (building
    it, and its cache key, at every push cost more than its answer)."""
    device = hq_change.c.device_id == sa.bindparam("device")
    accepted = sa.select(
        sa.literal_column("'g'"),
        hq_change.c.device_seq,
        hq_change.c.seq,
        sa.cast(hq_change.c.won, sa.Text),
        hq_change.c.digest,
    ).where(device, hq_change.c.device_seq.between(sa.bindparam("low"), sa.bindparam("high")))
    set_aside = sa.select(
        sa.literal_column("'q'"),
        hq_quarantine.c.device_seq,
        sa.null(),
        hq_quarantine.c.reason,
        hq_quarantine.c.digest,
    ).where(
        hq_quarantine.c.device_id == sa.bindparam("device"),
        hq_quarantine.c.device_seq.between(sa.bindparam("low"), sa.bindparam("high")),
        # One HQ retried and applied is answered as the accepted change it became.
        sa.or_(hq_quarantine.c.settled.is_(None), hq_quarantine.c.settled != "retried"),
    )
    head_now = sa.select(sa.func.max(hq_change.c.seq)).scalar_subquery()
    feed_now = feed_head(sa.bindparam("branch"))
    facts = sa.select(sa.literal_column("'h'"), head_now, feed_now, clock_now(postgres), sa.null())
    return sa.union_all(accepted, set_aside, facts)


def _already_received(
    store: Store,
    connection: sa.Connection,
    device: DeviceAuth,
    changes: Sequence[PushedChange],
    known: dict[int, str] | None = None,
) -> tuple[dict[int, PushResult], tuple[int, int], str | None]:
    """The answers HQ gave already to changes of the batch (accepted or set aside), with
    HQ's heads (its highest sequence and the head of the device's feed, `feed_head`)
    and clock stamp, in one statement."""
    device_id = device.id
    seqs = [c.s for c in changes]
    digested = known or {}
    digests = {c.s: digested.get(id(c)) or digest(c) for c in changes}
    found: dict[int, tuple[PushResult, str | None]] = {}
    # By range, then picked here: an IN list of thousands of numbers cost more to build
    # and compile than the (device, sequence) index scan it stands for.
    wanted, low, high = set(seqs), min(seqs), max(seqs)
    heads, clock = (0, 0), None
    asked = {"device": device_id, "low": low, "high": high, "branch": device.branch_id}
    for kind, device_seq, seq, text, stored in connection.execute(_received(store.postgres), asked):
        if kind == "h":
            heads, clock = (int(device_seq or 0), int(seq or 0)), text
        elif device_seq in wanted and kind == "g":
            won = from_json(text) if text is not None else None
            found[device_seq] = (PushResult(s=device_seq, g=seq, w=won), stored)
        elif device_seq in wanted:
            found[device_seq] = (PushResult(s=device_seq, q=text), stored)
    reused = [s for s, (_, d) in found.items() if d is not None and d != digests[s]]
    if reused:
        highest = store.own_highest(connection, device_id)
        raise Refused(
            409,
            "This laptop is sending changes under sequence numbers HQ already holds with "
            "other content (was an old backup restored?). It will renumber and send again.",
            code="sequence_reused",
            highest=highest,
        )
    return {s: result for s, (result, _) in found.items()}, heads, clock


def _restamped(batch: Batch, hq: str, after: str) -> str:
    """Give the stamps HQ issued in a draft again, after `after` (the later of the clock's
    stamp another push left and the draft's own): HQ's stamps must keep rising. Nothing in a
    batch is decided by a stamp HQ issued in it (they stamp the conflicts it keeps and the
    flags it clears, last), so only the stamps change. Returns the clock's new last stamp."""
    clock = HybridClock(hq, after)
    issued = sorted((c["hlc"] for c in batch.changes if c["device_id"] == hq), key=Stamp.parse)
    again = {old: clock.now() for old in issued}

    def swap(data: dict[str, Any]) -> None:
        for name, value in data.items():
            if type(value) is str and value in again:
                data[name] = again[value]

    for change in batch.changes:
        if change["hlc"] in again:
            change["hlc"] = again[change["hlc"]]
        swap(change["data"])
    for row in batch.rows.values():
        if row.new or row.dirty:
            swap(row.data)
    return clock.last


def _merge_batch(
    store: Store,
    connection: sa.Connection,
    device: DeviceAuth,
    changes: Sequence[PushedChange],
    digests: dict[int, str] | None = None,
    checked: dict[int, str | None] | None = None,
    seen: str | None = None,
) -> dict[int, PushResult]:
    """Merge the changes HQ does not hold yet, holding the write lock; `checked` is `checks`
    of them, when worked out before the lock was taken; `seen` pushed them, seen now."""
    if checked is None:
        checked = checks(device, changes)
    clock = store.clock(connection)
    batch = Batch(
        connection,
        next_seq=PROVISIONAL,
        # With the users who made the changes, whose rights are checked.
        rows=store.load_rows(
            connection, {(c.t, c.r) for c in changes} | rights.acting_users(changes)
        ),
        digests=digests or {},
    )
    results = _merge_all(batch, device, changes, checked, clock)
    numbered = store.number(connection, batch)
    _write(store, connection, batch, clock.last, seen)
    return {
        s: result if result.g is None else msgspec.structs.replace(result, g=numbered(result.g))
        for s, result in results.items()
    }


def _merge_all(
    batch: Batch,
    device: DeviceAuth,
    changes: Sequence[PushedChange],
    checked: dict[int, str | None],
    clock: HybridClock,
) -> dict[int, PushResult]:
    """Merge `changes` into the batch (its records read), then keep the one-of rules."""
    hq = clock.device_id
    results: dict[int, PushResult] = {}
    for change in changes:
        reason = (
            checked[id(change)]
            or _refusal(device, change, batch)
            or rights.refusal(device, change, batch)
        )
        if reason is None:
            try:
                clock.receive(change.h)
            except ClockError:
                reason = clock_reason(change.h)
        if reason is not None:
            batch.quarantined.append(
                {
                    "device_id": device.id,
                    "device_seq": change.s,
                    "table_name": change.t,
                    "row_id": change.r,
                    "change": _storable(change_dict(change)),
                    "reason": reason,
                    "digest": batch.digest(change),
                    "received_at": batch.received_at,
                }
            )
            results[change.s] = PushResult(s=change.s, q=reason)
            continue
        results[change.s] = _merge(batch, device, change, clock, hq)
    for rule in ONE_OF:
        _keep_one(batch, rule, clock, hq)
    return results


def _write(
    store: Store,
    connection: sa.Connection,
    batch: Batch,
    clock: str,
    seen: str | None,
    branch: str | None = None,
) -> None:
    """Write a merged batch (numbered) and what it set aside, holding the write lock of
    `branch` (None: the whole society's); open duplicate-person cases by what HQ holds now;
    keep HQ's clock stamp `clock`; note that the device `seen` (if any) pushed now. Most
    writes go to the server together."""
    if batch.quarantined:  # before the others: SQLAlchemy reads an answer of its own
        connection.execute(sa.insert(hq_quarantine), batch.quarantined)
    people = batch.national_ids
    with store.pipeline(connection):
        store.write_batch(connection, batch)
        if seen is not None:
            connection.execute(_seen_now(seen))
        store.raise_clock(connection, clock, branch)
    if people:
        # Who else holds the batch's national IDs, read holding their locks: two branches'
        # pushes registering one person at once would each miss the other's.
        store.lock_person_keys(connection, [number for number, _, _ in people])
        known = person_keys(store, connection, people)
        with store.pipeline(connection):
            numbers = add_person_keys(store, connection, people, known)
        open_cases(connection, numbers, known)


def _storable(value: Any) -> Any:
    """A quarantined change as HQ keeps it for a person to read: a NUL character (the reason
    such a change is refused) shown as U+FFFD, since PostgreSQL's JSON functions fail on one."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value


def _refusal(device: DeviceAuth, change: PushedChange, batch: Batch) -> str | None:
    """Why HQ refuses `change` given the record it holds (after `checks`)."""
    row = batch.rows.get((change.t, change.r))
    if row is None:
        if change.o != "i":
            return (
                "HQ has no such record to change: its creation never arrived or was "
                "refused (see the quarantined changes)."
            )
        scope = _scope(change, device)
        if scope is not None and scope != device.branch_id:
            return "The record belongs to another branch."
        return None
    if row.scope is not None and row.scope != device.branch_id:
        return "The record belongs to another branch; this laptop may not change it."
    if TABLES[change.t].append_only and (change.o != "i" or row.data != {**row.data, **change.c}):
        return f"{change.t} records are append-only; a correction is a new record."
    return None


def _scope(change: PushedChange, device: DeviceAuth) -> str | None:
    if change.t in SHARED_TABLES:
        return None
    if change.t in ("user_account", "device"):
        branch = change.c.get("branch_id")
        return branch if isinstance(branch, str) else device.branch_id
    return device.branch_id


def _merge(
    batch: Batch, device: DeviceAuth, change: PushedChange, clock: HybridClock, hq: str
) -> PushResult:
    """Merge one accepted change into the batch by the rule in `sync.merge`."""
    device_id = device.id
    seq = batch.take_seq()
    batch.writers[seq] = (change.h, device_id)
    key = (change.t, change.r)
    row = batch.rows.get(key)
    if row is None:
        data = dict(change.c)
        data["id"] = change.r
        row = Row(
            _scope(change, device),
            data,
            {f: seq for f in change.c if f not in META_FIELDS},
            new=True,
        )
        batch.rows[key] = row
        _note_person(batch, change, row)
        _record(batch, seq, device_id, change, change.c, None, echo=True)
        return PushResult(s=change.s, g=seq)
    applied: dict[str, Any] = {}
    won: list[str] = []
    conflicts: list[dict[str, Any]] = []
    seen = change.b.get(ROW_VERSION_KEY, 0)
    for name, value in change.c.items():
        if name in META_FIELDS:
            continue
        current = row.versions.get(name, 0)
        outcome = merge.field_outcome(
            current_version=current,
            base_version=change.b.get(name, 0),
            current_value=row.data.get(name),
            incoming_value=value,
            held=name in row.data,
        )
        if outcome is merge.Outcome.UPDATE:
            if row.data.get(name) != value or name not in row.data:
                row.data[name] = value
                row.versions[name] = seq
                applied[name] = value
            won.append(name)
        elif outcome is merge.Outcome.AGREE:
            won.append(name)
        else:
            writer_hlc, writer_device = _writer(batch, current)
            incoming = merge.Write(value, device_id, change.h)
            winner, loser = merge.settle(
                incoming, merge.Write(row.data.get(name), writer_device, writer_hlc)
            )
            conflicts.append(merge.conflict_record(change.t, change.r, name, winner, loser))
            if winner is incoming:
                row.data[name] = value
                row.versions[name] = seq
                applied[name] = value
                won.append(name)
            else:
                applied[name] = row.data.get(name)
    delete_version = row.versions.get("deleted_at", 0)
    if change.o == "d":
        # A delete based on a row version older than an edit it never saw.
        edits = [v for f, v in row.versions.items() if f != "deleted_at" and v != seq]
        newest = max(edits, default=0)
        if merge.changed_since(newest, seen):
            writer_hlc, writer_device = _writer(batch, newest)
            conflicts.append(
                merge.conflict_record(
                    change.t,
                    change.r,
                    "deleted_at",
                    merge.Write(change.c.get("deleted_at"), device_id, change.h),
                    merge.Write(None, writer_device, writer_hlc),
                    kind="delete",
                )
            )
    elif (
        row.data.get("deleted_at") is not None
        and "deleted_at" not in change.c
        and merge.changed_since(delete_version, seen)
        and applied
    ):
        # An edit based on a row version older than the delete it never saw.
        writer_hlc, writer_device = _writer(batch, delete_version)
        conflicts.append(
            merge.conflict_record(
                change.t,
                change.r,
                "deleted_at",
                merge.Write(row.data["deleted_at"], writer_device, writer_hlc),
                merge.Write(None, device_id, change.h),
                kind="delete",
            )
        )
    newer = merge.takes_stamp(change.h, str(row.data.get("hlc") or ""))
    for name in merge.STAMP_FIELDS:
        if name in change.c and row.data.get(name) != change.c[name]:
            if newer:
                row.data[name] = change.c[name]
            # An older stamp does not take; the sender is sent the row's own back (the
            # entry is then no echo), or it would keep its older stamp.
            applied[name] = row.data.get(name)
    row.dirty = True
    if "national_id" in applied:
        _note_person(batch, change, row)
    all_won = len(won) == len([f for f in change.c if f not in META_FIELDS])
    echo = all_won and all(change.c.get(f) == v for f, v in applied.items())
    _record(batch, seq, device_id, change, applied, None if all_won else won, echo=echo)
    for conflict in conflicts:
        _add_conflict(batch, conflict, row.scope, clock, hq)
    return PushResult(s=change.s, g=seq, w=None if all_won else won)


def _holds(rule: OneOf, row: Row) -> bool:
    return row.data.get(rule.flag) is True and row.data.get("deleted_at") is None


def _keep_one(batch: Batch, rule: OneOf, clock: HybridClock, hq: str) -> None:
    """Keep a one-of rule (`db.values.ONE_OF`) over the rows this batch touched: where two
    live rows of one group hold the flag, the later write keeps it and HQ clears it on the
    others, as a change of its own in the feed, keeping each as a conflict.

    Only a row that may have come to hold the flag in this batch (new, or its flag, tombstone
    or group set) is looked at: an edit of other fields leaves the holders as they were."""
    deciding = {rule.flag, rule.group, "deleted_at"}
    touched = {
        c["row_id"]
        for c in batch.changes
        if c["table_name"] == rule.table and not deciding.isdisjoint(c["data"])
    }
    groups = {
        str(row.data[rule.group])
        for row in (batch.rows[(rule.table, row_id)] for row_id in touched)
        if _holds(rule, row) and row.data.get(rule.group) is not None
    }
    if not groups:
        return
    # Other rows of the groups HQ holds; none when the parent itself is new in this batch.
    held = sorted(
        g for g in groups if not getattr(batch.rows.get((rule.parent, str(g))), "new", False)
    )
    postgres = batch.connection.dialect.name == "postgresql"
    if held:
        batch.groups.append((rule.table, rule.group, held))
    for row_id, scope, data, versions in batch.connection.execute(
        group_rows(rule, held, postgres=postgres)
    ):
        key = (rule.table, row_id)
        if key not in batch.rows:
            batch.rows[key] = Row(scope, from_json(data), from_json(versions), new=False)
    holders: dict[str, dict[str, merge.Write]] = {}
    for (table, row_id), row in batch.rows.items():
        group = str(row.data.get(rule.group))
        if table == rule.table and group in groups and _holds(rule, row):
            version = row.versions.get(rule.flag, 0)
            if version:
                stamp, device_id = _writer(batch, version)
            else:
                stamp, device_id = (
                    str(row.data.get("hlc") or ""),
                    str(row.data.get("origin_device_id") or ""),
                )
            holders.setdefault(group, {})[row_id] = merge.Write(True, device_id, stamp)
    for rows in holders.values():
        if len(rows) < 2:
            continue
        _kept, losers = merge.keep_one(rows)
        for row_id in losers:
            row = batch.rows[(rule.table, row_id)]
            seq = batch.take_seq()
            stamp = clock.now()
            batch.writers[seq] = (stamp, hq)
            cleared = {rule.flag: False, "hlc": stamp, "updated_at": utcnow().isoformat()}
            row.data.update(cleared)
            row.versions[rule.flag] = seq
            row.dirty = True
            batch.changes.append(
                {
                    "seq": seq,
                    "device_id": hq,
                    "device_seq": None,
                    "table_name": rule.table,
                    "row_id": row_id,
                    "scope": row.scope,
                    "data": cleared,
                    "hlc": stamp,
                    "won": None,
                    "echo": False,
                    "digest": None,
                    "received_at": batch.received_at,
                }
            )
            conflict = merge.conflict_record(
                rule.table,
                row_id,
                rule.flag,
                merge.Write(False, hq, stamp),
                rows[row_id],
                kind="one_of",
            )
            _add_conflict(batch, conflict, row.scope, clock, hq)


def group_rows(rule: OneOf, groups: list[str], *, postgres: bool) -> sa.TextClause:
    """The rows HQ holds of `rule`'s table in `groups` (id, scope, data and versions as
    text), found through the index on the same expression (HQ's migration 0004)."""
    columns = "row_id, scope, CAST(data AS TEXT), CAST(versions AS TEXT)"
    return _group_query(rule.table, rule.group, groups, columns, postgres=postgres)


def _group_query(
    table: str, group: str, groups: list[str], columns: str, *, postgres: bool
) -> sa.TextClause:
    """`columns` of the rows of `table` whose field `group` is one of `groups`, the groups
    bound as one value (an array; JSON text SQLite unpacks), so a batch's thousands of groups
    are one statement compiled once. On SQLite the groups are the outer loop (CROSS JOIN
    fixes SQLite's join order): its planner, without statistics, would otherwise read every
    row of the table by the primary key's prefix and test each against the list."""
    field, rows = stored_field(group, postgres=postgres), of_table(table)
    if postgres:
        sql = f"SELECT {columns} FROM hq_row WHERE {rows} AND {field} = ANY(:groups)"
        bound = sa.bindparam("groups", groups, type_=postgresql.ARRAY(sa.String))
    else:
        sql = (
            f"SELECT {columns} FROM json_each(:groups) AS wanted CROSS JOIN hq_row "
            f"WHERE {rows} AND {field} = wanted.value"
        )
        bound = sa.bindparam("groups", json_text(groups), type_=sa.String)
    return sa.text(sql).bindparams(bound)


def _writer(batch: Batch, seq: int) -> tuple[str, str]:
    """The clock stamp and device of the change that set a field's current value."""
    found = batch.writers.get(seq)
    if found is None:
        row = batch.connection.execute(
            sa.select(hq_change.c.hlc, hq_change.c.device_id).where(hq_change.c.seq == seq)
        ).one()
        found = batch.writers[seq] = (row.hlc, row.device_id)
    return found


def _add_conflict(
    batch: Batch,
    values: dict[str, Any],
    scope: str | None,
    clock: HybridClock,
    hq: str,
) -> None:
    row_id = new_id()
    stamp = clock.now()
    now = utcnow().isoformat()
    data = {
        **values,
        "id": row_id,
        "origin_device_id": hq,
        "hlc": stamp,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
    seq = batch.take_seq()
    batch.writers[seq] = (stamp, hq)
    batch.rows[("sync_conflict", row_id)] = Row(
        scope, data, {f: seq for f in data if f not in META_FIELDS}, new=True
    )
    batch.changes.append(
        {
            "seq": seq,
            "device_id": hq,
            "device_seq": None,
            "table_name": "sync_conflict",
            "row_id": row_id,
            "scope": scope,
            "data": data,
            "hlc": stamp,
            "won": None,
            "echo": False,
            "digest": None,
            "received_at": batch.received_at,
        }
    )


def _record(
    batch: Batch,
    seq: int,
    device_id: str,
    change: PushedChange,
    applied: dict[str, Any],
    won: list[str] | None,
    echo: bool,
) -> None:
    row = batch.rows[(change.t, change.r)]
    batch.changes.append(
        {
            "seq": seq,
            "device_id": device_id,
            "device_seq": change.s,
            "table_name": change.t,
            "row_id": change.r,
            "scope": row.scope,
            "data": applied,
            "hlc": change.h,
            "won": won,
            "echo": echo,
            "digest": batch.digest(change),
            "received_at": batch.received_at,
        }
    )


def _note_person(batch: Batch, change: PushedChange, row: Row) -> None:
    if change.t == "beneficiary" and isinstance(row.data.get("national_id"), str):
        batch.national_ids.append((row.data["national_id"], change.r, row.scope))
