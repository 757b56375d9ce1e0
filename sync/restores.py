"""Restores converge: what a laptop does when HQ's history is not the one it saw (HQ was
restored from an older backup) or when HQ holds later changes of this very laptop than the
laptop has (the laptop was restored from an older backup of itself).

The laptop keeps HQ's history id and the identity of the feed entry at its cursor. Another id,
a cursor past HQ's head, another entry (or none) where the cursor stands, or HQ holding fewer
of this laptop's changes than it acknowledged (a pull says it; a push asks first) mean HQ lost
changes: the laptop asks which of its own sequences HQ holds, sends again every change HQ
lacks (and, for changes already pruned from the outbox, the whole records it changed since
the last one HQ holds), forgets the field versions of HQ's lost history, and pulls everything
again from the start, its own changes included. A laptop behind HQ's count of its own changes
numbers its new ones above it and pulls its own later changes back; should HQ later lose
those too, the laptop sends the records again, as it does for changes pruned from the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.local_state import local_value, set_local_value
from db.models import Device, OutboxEntry
from db.models.local import LocalState
from db.outbox import PRUNED_SEQ_KEY, RESERVED_OP, reserve_sequences, to_json_value
from db.values import synced_columns, synced_tables
from romah_desktop.services.numbers import catch_up_numbers
from sync.apply import APPEND_ONLY
from sync.protocol import PullResponse

CURSOR_KEY = "sync.cursor"
# What this laptop saw of HQ's history: its id, and the identity of the feed entry at the
# cursor.
GENERATION_KEY = "sync.generation"
MARK_KEY = "sync.cursor_mark"
# While set, pulls bring this device's own changes numbered after it too.
OWN_FROM_KEY = "sync.own_from"
# The highest of this device's sequences HQ held when the laptop took its own changes back:
# those came back as records, and no outbox entry stands for them, so a later restore of HQ
# from before them is repaired by sending the records again.
TAKEN_BACK_KEY = "sync.taken_back"

Runs = Sequence[tuple[int, int, str]]


@dataclass(frozen=True)
class Standing:
    """Where the laptop stands as a pull begins, read in one statement (a quiet sync is
    mostly this read): the cursor, the facts of HQ's history it saw, how many changes wait to
    be sent, the highest sequence it numbered and the highest HQ acknowledged."""

    cursor: int
    own_from: str | None
    wanted_files: bool
    generation: str | None
    mark: str | None
    waiting: int
    highest_seq: int
    highest_pushed: int


def standing(connection: sa.Connection, wanted_files_key: str) -> Standing:
    """The laptop's `Standing`; `wanted_files_key` names the files its records wait for."""
    row = connection.execute(_STANDING, {"wanted": wanted_files_key}).one()
    return Standing(
        cursor=int(row.cursor or 0),
        own_from=row.own_from,
        wanted_files=row.wanted not in (None, "[]"),
        generation=row.generation,
        mark=row.mark,
        waiting=int(row.waiting),
        highest_seq=int(row.highest_seq or 0),
        highest_pushed=max(int(row.pushed or 0), int(row.taken or 0)),
    )


def diverged(page: PullResponse, at: Standing) -> bool:
    """Whether HQ's history, as the first page of a pull describes it, is not the one this
    laptop saw (`at`, read before the pull)."""
    if page.generation is None:
        return False  # an HQ from before history ids: nothing to compare
    return (
        (at.generation is not None and at.generation != page.generation)
        or (page.head is not None and at.cursor > page.head)
        or (at.cursor > 0 and at.mark is not None and at.mark != page.at)
        # HQ acknowledged changes of this laptop it no longer holds, even where the feed
        # this laptop has seen is intact (it had not pulled since it pushed them).
        or (page.own is not None and page.own < at.highest_pushed)
    )


def news(page: PullResponse, at: Standing) -> dict[str, str]:
    """What the laptop keeps of HQ's history from the first page of a pull that has not
    diverged, when it had not kept it yet: HQ's history id, and the entry at the cursor."""
    kept: dict[str, str] = {}
    if page.generation is None:
        return kept  # an HQ from before history ids: nothing to keep
    if at.generation is None:
        kept[GENERATION_KEY] = page.generation
    if at.mark is None and page.at is not None:
        kept[MARK_KEY] = page.at
    return kept


def highest_seq(connection: sa.Connection) -> int:
    """The highest sequence this laptop has numbered a change with."""
    return int(connection.execute(sa.select(sa.func.max(OutboxEntry.seq))).scalar() or 0)


def highest_pushed(connection: sa.Connection) -> int:
    """The highest sequence of a change of this laptop HQ acknowledged (or held when the
    laptop took its own changes back)."""
    pushed, taken = connection.execute(_HIGHEST_PUSHED).one()
    return max(int(pushed or 0), int(taken or 0))


# Built once: every sync asks them.
_PUSHED = (
    sa.select(sa.func.max(OutboxEntry.seq))
    .where(OutboxEntry.pushed_at.is_not(None), OutboxEntry.op != RESERVED_OP)
    .scalar_subquery()
)


def _value(key: str | sa.BindParameter[str]) -> sa.ScalarSelect[str | None]:
    return sa.select(LocalState.value).where(LocalState.key == key).scalar_subquery()


_HIGHEST_PUSHED = sa.select(_PUSHED, _value(TAKEN_BACK_KEY))
_STANDING = sa.select(
    _value(CURSOR_KEY).label("cursor"),
    _value(OWN_FROM_KEY).label("own_from"),
    _value(sa.bindparam("wanted")).label("wanted"),
    _value(GENERATION_KEY).label("generation"),
    _value(MARK_KEY).label("mark"),
    sa.select(sa.func.count())
    .where(OutboxEntry.pushed_at.is_(None))
    .scalar_subquery()
    .label("waiting"),
    sa.select(sa.func.max(OutboxEntry.seq)).scalar_subquery().label("highest_seq"),
    _PUSHED.label("pushed"),
    _value(TAKEN_BACK_KEY).label("taken"),
)


def take_own_back(connection: sa.Connection, own: int) -> None:
    """Number new changes above `own` (the highest HQ holds of this device) and pull this
    device's own changes after the cursor back."""
    reserve_sequences(connection, own)
    if own > int(local_value(connection, TAKEN_BACK_KEY) or 0):
        set_local_value(connection, TAKEN_BACK_KEY, str(own))
    if local_value(connection, OWN_FROM_KEY) is None:
        set_local_value(connection, OWN_FROM_KEY, local_value(connection, CURSOR_KEY) or "0")


def own_taken_back(connection: sa.Connection, device_id: str | None) -> None:
    """This device's own changes are back: pulls leave them out again, the numbers of the
    records that came back are not handed out again, and the laptop's own device record keeps
    that it is enrolled (a fact of this laptop alone, which its record at HQ lacks)."""
    connection.execute(sa.delete(LocalState).where(LocalState.key == OWN_FROM_KEY))
    with Session(bind=connection) as session:
        catch_up_numbers(session)
    if device_id is not None:
        connection.execute(
            sa.update(Device)
            .where(Device.id == device_id, Device.enrolled_at.is_(None))
            .values(enrolled_at=utcnow())
        )


def repair_after_hq_restore(
    connection: sa.Connection, device_id: str | None, runs: Runs, own: int
) -> int:
    """Queue again what HQ no longer holds (given the `runs` of this device's sequences it
    holds) and start the pull over; returns how many changes and records go again."""

    def holds(seq: int) -> bool:
        return any(first <= seq <= last for first, last, _ in runs)

    sent = connection.execute(
        sa.select(OutboxEntry.seq).where(
            OutboxEntry.pushed_at.is_not(None), OutboxEntry.op != RESERVED_OP
        )
    ).scalars()
    lost = [seq for seq in sent if not holds(seq)]
    for start in range(0, len(lost), 900):
        connection.execute(
            sa.update(OutboxEntry)
            .where(OutboxEntry.seq.in_(lost[start : start + 900]))
            .values(pushed_at=None)
        )
    resent = len(lost)
    # Changes HQ held that no outbox entry stands for: pruned after a verified backup, or
    # taken back from HQ by this laptop restored from an older backup of itself.
    gone = [
        point
        for point in (
            int(local_value(connection, PRUNED_SEQ_KEY) or 0),
            int(local_value(connection, TAKEN_BACK_KEY) or 0),
        )
        if point and not holds(point)
    ]
    if gone and device_id is not None:
        # The last change HQ still holds from before the first such point: every record this
        # device changed after it is sent again whole.
        below = [(last, stamp) for _, last, stamp in runs if last < min(gone)]
        resent += resend_records(connection, device_id, max(below)[1] if below else "")
    for table in synced_tables().values():
        if table.name not in APPEND_ONLY:  # never changed, versions and all
            connection.execute(sa.update(table).values(field_versions={}))
    reserve_sequences(connection, own)
    set_local_value(connection, CURSOR_KEY, "0")
    set_local_value(connection, OWN_FROM_KEY, "0")
    forgotten = [MARK_KEY, GENERATION_KEY, TAKEN_BACK_KEY]
    connection.execute(sa.delete(LocalState).where(LocalState.key.in_(forgotten)))
    return resent


def resend_records(connection: sa.Connection, device_id: str, since: str) -> int:
    """Queue the current state of every record this device last changed after the clock
    stamp `since` as a new outbox entry (HQ merges it like an insert it may already hold).
    Parents before children, as the outbox orders a flush. Returns how many."""
    now = utcnow()
    count = 0
    mine = "%-" + device_id
    for table in synced_tables().values():
        names = synced_columns(table)
        columns = [c for c in table.columns if c.name in names]
        rows = connection.execute(
            sa.select(*columns, table.c.field_versions).where(
                table.c.hlc > since, table.c.hlc.like(mine)
            )
        ).all()
        entries = []
        for row in rows:
            values = row._asdict()
            versions = values.pop("field_versions") or {}
            changes = {name: to_json_value(value) for name, value in values.items()}
            last_user = connection.execute(
                sa.select(OutboxEntry.user_id)
                .where(OutboxEntry.row_id == values["id"], OutboxEntry.user_id.is_not(None))
                .order_by(OutboxEntry.seq.desc())
                .limit(1)
            ).scalar()
            entries.append(
                {
                    "table_name": table.name,
                    "row_id": values["id"],
                    "op": "insert",
                    "changes": changes,
                    "base": {k: v for k, v in versions.items() if k in changes},
                    "hlc": values["hlc"],
                    "created_at": now,
                    "pushed_at": None,
                    "user_id": last_user,
                }
            )
        if entries:
            connection.execute(sa.insert(OutboxEntry), entries)
            count += len(entries)
    return count
