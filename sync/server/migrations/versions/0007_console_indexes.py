"""What the data steward's pages read without scanning: a file's history (its changes in the
feed), the open conflicts, a person's support requests, and a table of people's search keys
(the name folded as the laptops fold it, the national ID and the file number) that HQ keeps
up to date from the feed before each search.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Fields of a stored row indexed for the rows of one table (table, field, index name).
_FIELDS = (
    ("sync_conflict", "status", "ix_hq_row_conflict_status"),
    ("support_request", "beneficiary_id", "ix_hq_row_person_support_request"),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_index("ix_hq_change_table_row", "hq_change", ["table_name", "row_id"])
    for table, column, name in _FIELDS:
        # The same expression, spelt the same way, as sync/server/store.py `stored_field`.
        expression = f"(data ->> '{column}')" if postgres else f"json_extract(data, '$.{column}')"
        op.execute(f"CREATE INDEX {name} ON hq_row ({expression}) WHERE table_name = '{table}'")
    op.create_table(
        "hq_person_search",
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("scope", sa.String(36)),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("national_id", sa.Text),
        sa.Column("file_number", sa.Text),
        sa.Column("file_key", sa.Text),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_hq_person_search"),
    )
    op.create_index("ix_hq_person_search_national_id", "hq_person_search", ["national_id"])
    op.create_index("ix_hq_person_search_file_key", "hq_person_search", ["file_key"])


def downgrade() -> None:
    op.drop_table("hq_person_search")
    for _table, _column, name in _FIELDS:
        op.execute(f"DROP INDEX {name}")
    op.drop_index("ix_hq_change_table_row", table_name="hq_change")
