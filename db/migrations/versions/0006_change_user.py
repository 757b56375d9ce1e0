"""Each outbox entry names the user signed in when the change was made: HQ checks that user's
rights, since a laptop's token proves only the laptop.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("user_id", sa.String(36), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox", "user_id")
