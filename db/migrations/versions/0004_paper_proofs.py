"""printed papers and the devices' signing keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_key", sa.String(length=44), nullable=True))
    op.create_table(
        "printed_paper",
        sa.Column("code", sa.String(length=19), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("printed", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=88), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_printed_paper_branch_id_branch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printed_paper")),
        sa.UniqueConstraint("code", name=op.f("uq_printed_paper_code")),
    )
    with op.batch_alter_table("printed_paper", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_printed_paper_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_printed_paper_record_id"), ["record_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # Like the other append-only records, the database itself refuses to change a paper.
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER printed_paper_no_{action.lower()} BEFORE {action} ON "
                "printed_paper BEGIN SELECT RAISE(ABORT, 'printed_paper is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS printed_paper_no_update")
        op.execute("DROP TRIGGER IF EXISTS printed_paper_no_delete")
    with op.batch_alter_table("printed_paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_printed_paper_record_id"))
        batch_op.drop_index(batch_op.f("ix_printed_paper_branch_id"))
    op.drop_table("printed_paper")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("signing_key")
