"""A push on PostgreSQL holds its write lock for few round trips to the database: one read,
its sequence numbers, the national IDs HQ holds (under their own lock), the writes sent
together, and the commit."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from sync.protocol import decode_push
from sync.server.hub import Hub
from sync.server.migrate import upgrade
from sync.server.schema import hq_change, hq_device, hq_meta, hq_person_key, hq_row
from sync.server.store import HQ_CLOCK_KEY
from tests.helpers.postgres import postgres_schema
from tests.sync.test_bulk_push import ONE, P2, _body, _change, _person, _prepared, _stamp

pytestmark = pytest.mark.postgres


def test_a_push_waits_on_the_database_three_times_holding_the_lock_and_writes_all_it_did() -> None:
    with postgres_schema() as engine:
        upgrade(engine)
        hub = Hub(engine)
        one, _two = _prepared(hub)
        with engine.connect() as connection:
            p2 = connection.execute(
                sa.select(sa.func.max(hq_change.c.seq)).where(hq_change.c.row_id == P2)
            ).scalar_one()
        people = [f"01900000-0000-7000-8000-0000000001{n:02d}" for n in range(40)]
        body = _body(
            *(
                _change(
                    10 + n,
                    "beneficiary",
                    row,
                    "i",
                    _person(f"20000001{n:02d}", "جدة"),
                    _stamp(10 + n, ONE),
                )
                for n, row in enumerate(people)
            ),
            _change(60, "beneficiary", P2, "u", {"city": "مكة"}, _stamp(60, ONE), city=p2),
        )
        waited: list[str] = []
        locked = False

        def note(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            nonlocal locked
            if "pg_advisory_xact_lock" in statement:
                locked = True
            elif locked and not conn.connection.driver_connection.pgconn.pipeline_status:
                waited.append(statement)

        sa.event.listen(engine, "after_cursor_execute", note)
        try:
            results = hub.push(one, decode_push(body))
        finally:
            sa.event.remove(engine, "after_cursor_execute", note)
        assert all(r.q is None and r.g is not None for r in results), results
        # What HQ holds of the batch with its heads and clock; the batch's numbers; the
        # national IDs HQ holds.
        assert len(waited) == 3, waited
        assert "hq_numbers" in waited[1] and "hq_person_key" in waited[2], waited
        with engine.connect() as connection:
            held = connection.execute(
                sa.select(sa.func.count()).select_from(hq_row).where(hq_row.c.row_id.in_(people))
            ).scalar_one()
            keys = connection.execute(
                sa.select(sa.func.count())
                .select_from(hq_person_key)
                .where(hq_person_key.c.row_id.in_(people))
            ).scalar_one()
            city = connection.execute(
                sa.select(hq_row.c.data["city"].as_string()).where(hq_row.c.row_id == P2)
            ).scalar_one()
            clock = connection.execute(
                sa.select(hq_meta.c.value).where(hq_meta.c.key == HQ_CLOCK_KEY)
            ).scalar_one()
            seen = connection.execute(
                sa.select(hq_device.c.last_seen_at).where(hq_device.c.id == one.id)
            ).scalar_one()
        assert (held, keys, city) == (40, 40, "مكة")
        assert clock is not None and seen is not None
