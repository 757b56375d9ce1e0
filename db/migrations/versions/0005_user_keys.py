"""Encryption at rest: each user's key pair travels with their record; the lockout moves out of
the database (which cannot be read before a password opens it) into the key ring; and the
beneficiary list gets an index in its own order (a page read from an encrypted file costs).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("user_account", sa.Column("public_key", sa.String(64), nullable=True))
    op.add_column("user_account", sa.Column("private_key_box", sa.Text(), nullable=True))
    op.drop_index("ix_login_failure_username", table_name="login_failure")
    op.drop_table("login_failure")
    op.create_index(
        "ix_beneficiary_branch_list",
        "beneficiary",
        ["branch_id", "deleted_at", "file_number", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_beneficiary_branch_list", table_name="beneficiary")
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_login_failure_username", "login_failure", ["username"])
    op.drop_column("user_account", "private_key_box")
    op.drop_column("user_account", "public_key")
