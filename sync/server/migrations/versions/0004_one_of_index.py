"""An index for "the other rows of this person": a push that gives a person a primary phone
looks at the person's other phones (the one-of rule), and that must not scan every phone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in db.values.ONE_OF when this migration was written (a migration never changes).
_GROUPS = {"beneficiary_phone": "beneficiary_id"}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column in _GROUPS.items():
        # The same expression, spelt the same way, as sync/server/store.py `stored_field`.
        expression = f"(data ->> '{column}')" if postgres else f"json_extract(data, '$.{column}')"
        op.execute(
            f"CREATE INDEX ix_hq_row_group_{table} ON hq_row ({expression}) "
            f"WHERE table_name = '{table}'"
        )


def downgrade() -> None:
    for table in _GROUPS:
        op.execute(f"DROP INDEX ix_hq_row_group_{table}")
