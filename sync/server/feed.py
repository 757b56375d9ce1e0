"""The feed a laptop pulls: HQ's numbered changes after its cursor, of its own branch and of
the data every branch receives, without the echoes of its own changes.

A page never reaches past the head sequence read when it starts, and sequences are committed
in order (see `sync/server/store.py`), so a cursor never skips a change.

Each page also says how long ago HQ's last verified backup was taken (when an operator has
recorded one with `romah-hq backup-verified`): the changes a laptop had pushed before then
would survive a restore of HQ, so the laptop may delete them from its outbox.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from db.base import utcnow
from sync.server.schema import hq_change
from sync.server.store import DeviceAuth, Store


def pull_json(store: Store, device: DeviceAuth, after: int, limit: int) -> bytes:
    """The feed after `after` that this device may see, as the JSON body of a
    `PullResponse` with the cursor to ask from next. The database writes
    each entry's JSON text itself, splicing in the data as HQ stored it: decoding and
    re-encoding every value of a page of thousands of entries was most of what a pull
    cost HQ."""
    quote = "to_json({})::text" if store.postgres else "json_quote({})"
    data = "data::text" if store.postgres else "data"
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
    rows, cursor, more, durable_at = _feed(store, device, after, limit, entry)
    entries = ",".join([r[1] for r in rows])
    more_text = "true" if more else "false"
    # Left out while HQ has no verified backup, so the answer stays as laptops before this
    # field knew it (they refuse keys they do not know).
    durable = "" if durable_at is None else f',"durable_age":{durable_age(durable_at)}'
    return f'{{"entries":[{entries}],"next":{cursor},"more":{more_text}{durable}}}'.encode()


def durable_age(durable_at: datetime) -> int:
    """Whole seconds since `durable_at`, rounded up (a later cut-off would be unsafe), and
    never below 0."""
    return max(0, math.ceil((utcnow() - durable_at).total_seconds()))


def _feed(
    store: Store, device: DeviceAuth, after: int, limit: int, *columns: sa.ColumnElement[Any]
) -> tuple[Sequence[Any], int, bool, datetime | None]:
    """A page of the feed (each row is its sequence, then `columns`), the cursor after it,
    whether more follows, and when HQ's last verified backup was taken."""
    with store.engine.connect() as connection:
        durable_at = store.durable_at(connection)
        head = store.head(connection)
        if head <= after:
            return [], after, False, durable_at
        rows = connection.execute(
            sa.select(hq_change.c.seq, *columns)
            .where(
                hq_change.c.seq > after,
                hq_change.c.seq <= head,
                sa.or_(hq_change.c.scope == device.branch_id, hq_change.c.scope.is_(None)),
                sa.not_(sa.and_(hq_change.c.device_id == device.id, hq_change.c.echo)),
            )
            .order_by(hq_change.c.seq)
            .limit(limit)
        ).all()
    if len(rows) < limit:
        return rows, head, False, durable_at
    return rows, int(rows[-1][0]), True, durable_at
