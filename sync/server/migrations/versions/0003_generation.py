"""HQ's history id: every pull answer names it, and `romah-hq restored` starts a new
one after HQ's database was restored from a backup, so laptops send again what HQ lost.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_meta = sa.table("hq_meta", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    bind = op.get_bind()
    held = bind.execute(sa.select(_meta.c.value).where(_meta.c.key == "generation")).first()
    if held is None:
        op.execute(sa.insert(_meta).values(key="generation", value=str(uuid.uuid4())))


def downgrade() -> None:
    op.execute(sa.delete(_meta).where(_meta.c.key == "generation"))
