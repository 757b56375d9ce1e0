"""What the console shows and settles: each laptop's app version, the changes it had waiting
and why it was revoked; who settled a quarantined change (retried or dismissed), when, and
with what note.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hq_device") as table:
        table.add_column(sa.Column("app_version", sa.String(40)))
        table.add_column(sa.Column("waiting", sa.Integer))
        table.add_column(sa.Column("revoked_reason", sa.Text))
    with op.batch_alter_table("hq_quarantine") as table:
        table.add_column(sa.Column("settled", sa.String(20)))
        table.add_column(sa.Column("settled_by", sa.String(60)))
        table.add_column(sa.Column("settled_at", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("note", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("hq_quarantine") as table:
        for name in ("note", "settled_at", "settled_by", "settled"):
            table.drop_column(name)
    with op.batch_alter_table("hq_device") as table:
        for name in ("revoked_reason", "waiting", "app_version"):
            table.drop_column(name)
