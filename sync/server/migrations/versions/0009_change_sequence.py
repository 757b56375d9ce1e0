"""On PostgreSQL, HQ's sequence numbers come from a database sequence: pushes of different
branches are numbered and written at the same time, each holding its branch's lock, not one
lock for the whole society (sync/server/store.py `writing`). The sequence starts after the
highest number HQ has handed out. `hq_numbers(n)` takes n numbers in one run (a push's
changes are numbered one after another, as if the pushes came one at a time), holding a lock
only while it takes them. SQLite has one writer and numbers from the head as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
