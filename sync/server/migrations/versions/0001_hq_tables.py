"""hq tables

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hq_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hq_blob")),
    )
    op.create_table(
        "hq_branch",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_branch")),
        sa.UniqueConstraint("code", name=op.f("uq_hq_branch_code")),
    )
    op.create_table(
        "hq_change",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=True),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("won", sa.JSON(), nullable=True),
        sa.Column("echo", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_hq_change")),
        sa.UniqueConstraint("device_id", "device_seq", name="uq_hq_change_device_seq"),
    )
    with op.batch_alter_table("hq_change", schema=None) as batch_op:
        batch_op.create_index("ix_hq_change_scope_seq", ["scope", "seq"], unique=False)

    op.create_table(
        "hq_device",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("prefix", sa.String(length=6), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_device")),
        sa.UniqueConstraint("branch_id", "prefix", name="uq_hq_device_branch_prefix"),
    )
    op.create_table(
        "hq_duplicate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("national_id", sa.String(length=20), nullable=False),
        sa.Column("row_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("kept_row_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_duplicate")),
    )
    with op.batch_alter_table("hq_duplicate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hq_duplicate_national_id"), ["national_id"], unique=False
        )

    op.create_table(
        "hq_enrolment",
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("code_sha256", name=op.f("pk_hq_enrolment")),
    )
    op.create_table(
        "hq_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_hq_meta")),
    )
    op.create_table(
        "hq_person_key",
        sa.Column("national_id", sa.String(length=20), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("national_id", "row_id", name=op.f("pk_hq_person_key")),
    )
    op.create_table(
        "hq_quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_quarantine")),
        sa.UniqueConstraint("device_id", "device_seq", name="uq_hq_quarantine_device_seq"),
    )
    op.create_table(
        "hq_row",
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_hq_row")),
    )


def downgrade() -> None:
    op.drop_table("hq_row")
    op.drop_table("hq_quarantine")
    op.drop_table("hq_person_key")
    op.drop_table("hq_meta")
    op.drop_table("hq_enrolment")
    with op.batch_alter_table("hq_duplicate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_duplicate_national_id"))

    op.drop_table("hq_duplicate")
    op.drop_table("hq_device")
    with op.batch_alter_table("hq_change", schema=None) as batch_op:
        batch_op.drop_index("ix_hq_change_scope_seq")

    op.drop_table("hq_change")
    op.drop_table("hq_branch")
    op.drop_table("hq_blob")
