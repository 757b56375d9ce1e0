"""Indexes for "which records name this file": a device downloads a file only if a record it
may see names it, and that question must not scan a branch's rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in sync.protocol.FILE_COLUMNS when this migration was written (a migration never changes).
_FILE_COLUMNS = {
    "attachment": "sha256",
    "document_check": "attachment_sha256",
    "signed_declaration": "signature_sha256",
    "service_delivery": "receipt_signature_sha256",
    "reference_document": "attachment_sha256",
}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column in _FILE_COLUMNS.items():
        # The same expression, spelt the same way, as sync/server/blobs.py `file_column`.
        expression = f"(data ->> '{column}')" if postgres else f"json_extract(data, '$.{column}')"
        op.execute(
            f"CREATE INDEX ix_hq_row_file_{table} ON hq_row ({expression}) "
            f"WHERE table_name = '{table}'"
        )


def downgrade() -> None:
    for table in _FILE_COLUMNS:
        op.execute(f"DROP INDEX ix_hq_row_file_{table}")
