"""The console: HQ's own users (argon2id hashes, lockout), their server-side sessions, and
HQ's audit trail of every console action.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hq_user",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("first_failure_at", _WHEN),
        sa.Column("locked_until", _WHEN),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hq_user"),
        sa.UniqueConstraint("username", name="uq_hq_user_username"),
    )
    op.create_table(
        "hq_session",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("last_seen_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_hq_session"),
    )
    op.create_index("ix_hq_session_user_id", "hq_session", ["user_id"])
    op.create_table(
        "hq_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("user_id", sa.String(36)),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.String(200)),
        sa.Column("detail", sa.JSON()),
        sa.PrimaryKeyConstraint("id", name="pk_hq_audit"),
    )
    op.create_index("ix_hq_audit_at", "hq_audit", ["at"])


def downgrade() -> None:
    op.drop_table("hq_audit")
    op.drop_table("hq_session")
    op.drop_table("hq_user")
