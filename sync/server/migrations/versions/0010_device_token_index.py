"""A laptop's credential may be its secret alone: HQ finds the device by the secret's hash,
so the hash is indexed (and unique: each is the hash of 32 random bytes). The credential
was the device id, a dot and the secret; without the id it is 37 bytes shorter, which is a
tenth of a one-field push.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ux_hq_device_token", "hq_device", ["token_sha256"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_hq_device_token", "hq_device")
