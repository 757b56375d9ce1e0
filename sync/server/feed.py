"""The feed a laptop pulls: HQ's numbered changes after its cursor, of its own branch and of
the data every branch receives, without the echoes of its own changes.

A page never reaches past the head of the device's feed read when it starts, below which
every change it may see is committed (see `sync/server/store.py` `feed_head`), so a cursor
never skips a change.

Each page also says how long ago HQ's last verified backup was taken (when an operator has
recorded one with `romah-hq backup-verified`): the changes a laptop had pushed before then
would survive a restore of HQ, so the laptop may delete them from its outbox.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from sync.codings import DICTIONARY_CODING
from sync.server.schema import hq_change
from sync.server.store import DeviceAuth, Store


def pull_json(
    store: Store,
    connection: sa.Connection,
    device: DeviceAuth,
    after: int,
    limit: int,
    own_from: int | None = None,
    codings: bool = False,
) -> bytes:
    """The feed after `after` that this device may see, as the JSON body of a
    `PullResponse` with the cursor to ask from next, and the facts that tell a laptop
    whether HQ's history is still the one it saw. With `own_from`, the device's own
    changes numbered after it come too (a laptop restored from a backup, or repairing after
    HQ was restored, takes its own changes back). The database writes
    each entry's JSON text itself, splicing in the data as HQ stored it: decoding and
    re-encoding every value of a page of thousands of entries was most of what a pull
    cost HQ."""
    rows, cursor, more, durable_at, history = _feed(
        store, connection, device, after, limit, own_from
    )
    entries = ",".join([r[1] for r in rows])
    more_text = "true" if more else "false"
    # Left out while HQ has no verified backup, so the answer stays as laptops before this
    # field knew it (they refuse keys they do not know).
    durable = "" if durable_at is None else f',"durable_age":{durable_age(durable_at)}'
    facts = "".join(f",{json.dumps(k)}:{json.dumps(v)}" for k, v in history.items())
    if codings:
        facts += f',"codings":["{DICTIONARY_CODING}"]'
    return f'{{"entries":[{entries}],"next":{cursor},"more":{more_text}{durable}{facts}}}'.encode()


def durable_age(durable_at: datetime) -> int:
    """Whole seconds since `durable_at`, rounded up (a later cut-off would be unsafe), and
    never below 0."""
    return max(0, math.ceil((utcnow() - durable_at).total_seconds()))


@cache
def _page(postgres: bool, own: bool) -> sa.Select[Any]:
    """The query of a page of the feed, each row its sequence and its entry's JSON text: built
    once for each kind of database, with the device's own changes after `own_from` or without
    (building it took longer than SQLite's answer to a small pull)."""
    quote = "to_json({})::text" if postgres else "json_quote({})"
    data = "data::text" if postgres else "data"
    entry = sa.literal_column(
        """'{"g":' || seq || ',"t":' || """
        + quote.format("table_name")
        + """ || ',"r":' || """
        + quote.format("row_id")
        + f""" || ',"d":' || {data} || ',"h":' || """
        + quote.format("hlc")
        + " || '}'",
        sa.Text,
    )
    not_echo = sa.not_(sa.and_(hq_change.c.device_id == sa.bindparam("device"), hq_change.c.echo))
    if own:
        not_echo = sa.or_(not_echo, hq_change.c.seq > sa.bindparam("own_from"))
    return (
        sa.select(hq_change.c.seq, entry)
        .where(
            hq_change.c.seq > sa.bindparam("after"),
            hq_change.c.seq <= sa.bindparam("head"),
            sa.or_(hq_change.c.scope == sa.bindparam("branch"), hq_change.c.scope.is_(None)),
            not_echo,
        )
        .order_by(hq_change.c.seq)
        .limit(sa.bindparam("limit"))
    )


def _feed(
    store: Store,
    connection: sa.Connection,
    device: DeviceAuth,
    after: int,
    limit: int,
    own_from: int | None,
) -> tuple[Sequence[Any], int, bool, datetime | None, dict[str, Any]]:
    """A page of the feed (each row is its sequence, then its entry's JSON text), the cursor
    after it, whether more follows, when HQ's last verified backup was taken, and the facts of
    HQ's history (`PullResponse`: generation, head, at, mark, own)."""
    durable_at, (highest, head), generation, own = store.feed_facts(connection, device)
    if generation is None:  # a database made before generations: one is made now
        generation = store.new_generation()
    # HQ's highest sequence, not the feed's head: a laptop takes a cursor past it for a
    # sign that HQ lost changes, and a cursor an HQ before branch locks gave (its highest
    # then) may be past its branch's head (a page waits for the head to pass it).
    history: dict[str, Any] = {"generation": generation, "head": highest, "own": own}
    history["at"] = store.mark(connection, after)
    if head <= after:
        history["mark"] = history["at"]
        return [], after, False, durable_at, history
    rows = connection.execute(
        _page(store.postgres, own_from is not None),
        {
            "after": after,
            "head": head,
            "branch": device.branch_id,
            "device": device.id,
            "own_from": own_from,
            "limit": limit,
        },
    ).all()
    cursor, more = (head, False) if len(rows) < limit else (int(rows[-1][0]), True)
    history["mark"] = store.mark(connection, cursor)
    return rows, cursor, more, durable_at, history
