"""A user may hold further roles beside their main one (a small branch's receptionist who is
also its researcher); the main role stays where HQ's console and older laptops read it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("user_account", sa.Column("extra_roles", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("user_account", "extra_roles")
