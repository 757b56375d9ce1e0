"""Indexes for the console's dashboard: each report counts the records of a period, found by
the date it is counted on (a request's creation, a request's committee due date, a delivery,
a survey, a complaint's receipt), and a request's committee decisions, found by the request.
Without them every report reads and parses the JSON of every record of its table.

On PostgreSQL each field also gets statistics of its own: the planner does not use a partial
index's statistics, and without them it guesses a period's requests a hundredth of what they
are and each request's decisions in the thousands, and reads every decision to join them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As sync/server/console/dashboard.py reads them when this migration was written (a migration
# never changes): the index's name, the table and the field.
_INDEXES = (
    ("ix_hq_row_dash_request_created", "support_request", "created_at"),
    ("ix_hq_row_dash_request_due", "support_request", "committee_due_on"),
    ("ix_hq_row_dash_decision_request", "committee_decision", "request_id"),
    ("ix_hq_row_dash_delivery_day", "service_delivery", "delivered_on"),
    ("ix_hq_row_dash_survey_day", "satisfaction_survey", "collected_on"),
    ("ix_hq_row_dash_feedback_day", "feedback", "received_on"),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, column in _INDEXES:
        # The same expression, spelt the same way, as sync/server/store.py `stored_field`.
        expression = f"(data ->> '{column}')" if postgres else f"json_extract(data, '$.{column}')"
        op.execute(f"CREATE INDEX {name} ON hq_row ({expression}) WHERE table_name = '{table}'")
    if postgres:
        for column in sorted({column for _name, _table, column in _INDEXES}):
            op.execute(
                f"CREATE STATISTICS st_hq_row_{column} ON ((data ->> '{column}')) FROM hq_row"
            )
        op.execute("ANALYZE hq_row")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in sorted({column for _name, _table, column in _INDEXES}):
            op.execute(f"DROP STATISTICS st_hq_row_{column}")
    for name, _table, _column in _INDEXES:
        op.execute(f"DROP INDEX {name}")
