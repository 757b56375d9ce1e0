"""HQ's own tables.

HQ does not need the app's models to hold the branches' data: every synced record is one row
of `hq_row` (its fields as JSON, the HQ sequence that last set each field, and the branch that
may see it), and every accepted change is one row of `hq_change`, the feed laptops pull after
their cursor. Devices, enrolment codes, quarantined changes, duplicate-person cases and blobs
have tables of their own.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = sa.JSON()

hq_meta = sa.Table(
    "hq_meta",
    metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

hq_branch = sa.Table(
    "hq_branch",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(10), nullable=False, unique=True),
)

hq_device = sa.Table(
    "hq_device",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("branch_id", sa.String(36), nullable=False),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("prefix", sa.String(6), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False),
    sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("last_seen_at", sa.DateTime(timezone=True)),
    # What the laptop said at its last sync: its app version and how many changes it had
    # waiting to send.
    sa.Column("app_version", sa.String(40)),
    sa.Column("waiting", sa.Integer),
    sa.Column("revoked_reason", sa.Text),
    sa.UniqueConstraint("branch_id", "prefix", name="uq_hq_device_branch_prefix"),
    # A credential may be the secret alone (migration 0010).
    sa.Index("ux_hq_device_token", "token_sha256", unique=True),
)

hq_enrolment = sa.Table(
    "hq_enrolment",
    metadata,
    sa.Column("code_sha256", sa.String(64), primary_key=True),
    sa.Column("branch_id", sa.String(36), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
    sa.Column("device_id", sa.String(36)),
)

hq_row = sa.Table(
    "hq_row",
    metadata,
    sa.Column("table_name", sa.String(60), primary_key=True),
    sa.Column("row_id", sa.String(36), primary_key=True),
    # The branch that sees the row; NULL for reference data every branch receives.
    sa.Column("scope", sa.String(36)),
    sa.Column("data", Json, nullable=False),
    # For each field, the hq_change sequence that last set it.
    sa.Column("versions", Json, nullable=False),
)

hq_change = sa.Table(
    "hq_change",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("device_id", sa.String(36), nullable=False),
    # NULL for HQ's own changes (conflict records, administration).
    sa.Column("device_seq", sa.BigInteger),
    sa.Column("table_name", sa.String(60), nullable=False),
    sa.Column("row_id", sa.String(36), nullable=False),
    sa.Column("scope", sa.String(36)),
    sa.Column("data", Json, nullable=False),
    sa.Column("hlc", sa.String(80), nullable=False),
    # The fields of the device's change that took; NULL when all of them did.
    sa.Column("won", Json),
    # True when the feed entry tells its own device nothing it does not know.
    sa.Column("echo", sa.Boolean, nullable=False),
    sa.Column("digest", sa.String(32)),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("device_id", "device_seq", name="uq_hq_change_device_seq"),
    sa.Index("ix_hq_change_scope_seq", "scope", "seq"),
    # A file's history (the console's duplicate cases) without reading the whole feed.
    sa.Index("ix_hq_change_table_row", "table_name", "row_id"),
)

hq_quarantine = sa.Table(
    "hq_quarantine",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("device_id", sa.String(36), nullable=False),
    sa.Column("device_seq", sa.BigInteger, nullable=False),
    sa.Column("table_name", sa.String(60), nullable=False),
    sa.Column("row_id", sa.String(36), nullable=False),
    sa.Column("change", Json, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("digest", sa.String(32)),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    # NULL while held; "retried" or "dismissed" once a person at HQ settled it.
    sa.Column("settled", sa.String(20)),
    sa.Column("settled_by", sa.String(60)),
    sa.Column("settled_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("device_id", "device_seq", name="uq_hq_quarantine_device_seq"),
)

# For each branch ('' for what every branch receives), the highest sequence of its feed
# entries: the head its laptops pull up to (sync/server/store.py `feed_head`), read without
# searching the feed.
hq_feed_head = sa.Table(
    "hq_feed_head",
    metadata,
    sa.Column("scope", sa.String(36), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)

hq_person_key = sa.Table(
    "hq_person_key",
    metadata,
    sa.Column("national_id", sa.String(20), primary_key=True),
    sa.Column("row_id", sa.String(36), primary_key=True),
    sa.Column("scope", sa.String(36)),
)

# Each person's search keys, as the laptops build them (`romah_desktop.arabic`): the name
# folded (with a space before each word, so a word is found at the start of a word), the
# national ID and the file number. Kept up to date from the feed before each search
# (`sync.server.admin.catch_up_search`), not by pushes.
hq_person_search = sa.Table(
    "hq_person_search",
    metadata,
    sa.Column("row_id", sa.String(36), primary_key=True),
    sa.Column("scope", sa.String(36)),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    sa.Column("national_id", sa.Text, index=True),
    sa.Column("file_number", sa.Text),
    sa.Column("file_key", sa.Text, index=True),
    # The file is closed (merged into another, or deleted).
    sa.Column("closed", sa.Boolean, nullable=False),
)

hq_duplicate = sa.Table(
    "hq_duplicate",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("national_id", sa.String(20), nullable=False, index=True),
    sa.Column("row_ids", Json, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("kept_row_id", sa.String(36)),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
)

hq_blob = sa.Table(
    "hq_blob",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
)

# -- the console: HQ's own users, their sessions, and the audit trail of what they did ------

hq_user = sa.Table(
    "hq_user",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("username", sa.String(60), nullable=False, unique=True),
    sa.Column("full_name", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    # Failed sign-ins since the last good one, and until when the account is locked.
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("first_failure_at", sa.DateTime(timezone=True)),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

hq_session = sa.Table(
    "hq_session",
    metadata,
    # Only the hash of the cookie's token is stored.
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(36), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
)

hq_audit = sa.Table(
    "hq_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    # NULL for the command line.
    sa.Column("user_id", sa.String(36)),
    sa.Column("username", sa.String(60), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("target", sa.String(200)),
    sa.Column("detail", Json),
)
