"""On PostgreSQL, HQ's sequence numbers come from a database sequence: pushes of different
branches are numbered and written at the same time, each holding its branch's lock, not one
lock for the whole society (sync/server/store.py `writing`). The sequence starts after the
highest number HQ has handed out. `hq_numbers(n)` takes n numbers in one run (a push's
changes are numbered one after another, as if the pushes came one at a time), holding a lock
only while it takes them. SQLite has one writer and numbers from the head as before.

`hq_feed_head` keeps each branch's highest feed sequence ('' for what every branch
receives): a laptop's feed head, read by key. Found in `hq_change` instead, it depended on
the planner's statistics, and a feed growing faster than they were kept had every pull read
the whole feed backwards.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hq_feed_head",
        sa.Column("scope", sa.String(36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_hq_feed_head"),
    )
    op.execute(
        "INSERT INTO hq_feed_head (scope, seq) "
        "SELECT COALESCE(scope, ''), MAX(seq) FROM hq_change GROUP BY COALESCE(scope, '')"
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE hq_seq AS bigint MINVALUE 1")
    op.execute("SELECT setval('hq_seq', COALESCE(MAX(seq), 0) + 1, false) FROM hq_change")
    # The first of `wanted` numbers one after another. nextval alone hands out one number at a
    # time, interleaved between callers; the lock is a session's, released before returning
    # (the transaction goes on), and on an error too. Never at or below a number the feed
    # holds: a database restored table by table, without its sequence, goes on from its feed.
    op.execute(
        """
        CREATE FUNCTION hq_numbers(wanted bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
            last bigint;
        BEGIN
            PERFORM pg_advisory_lock(7261304);
            BEGIN
                last := setval(
                    'hq_seq',
                    GREATEST(nextval('hq_seq'), (SELECT MAX(seq) + 1 FROM hq_change)) + wanted - 1
                );
            EXCEPTION WHEN OTHERS THEN
                PERFORM pg_advisory_unlock(7261304);
                RAISE;
            END;
            PERFORM pg_advisory_unlock(7261304);
            RETURN last - wanted + 1;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION hq_numbers(bigint)")
        op.execute("DROP SEQUENCE hq_seq")
    op.drop_table("hq_feed_head")
