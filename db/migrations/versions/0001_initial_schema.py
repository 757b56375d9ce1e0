"""initial schema

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
        "attachment",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("sha256", name=op.f("uq_attachment_sha256")),
    )
    op.create_table(
        "audit_event",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("device_id", "device_seq", name="uq_audit_event_device_seq"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "branch",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branch")),
        sa.UniqueConstraint("code", name=op.f("uq_branch_code")),
    )
    op.create_table(
        "local_state",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_state")),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failure_username"), ["username"], unique=False)

    op.create_table(
        "number_sequence",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_number_sequence")),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("pushed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_pushed_at"), ["pushed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_row_id"), ["row_id"], unique=False)

    op.create_table(
        "reference_document",
        sa.Column(
            "kind",
            sa.Enum(
                "bylaws",
                "research_guide",
                "support_policy_guide",
                "support_request_form",
                "relations_policy",
                name="referencekind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_document")),
    )
    op.create_table(
        "beneficiary",
        sa.Column("file_number", sa.String(length=30), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("first_name", sa.String(length=40), nullable=False),
        sa.Column("father_name", sa.String(length=40), nullable=False),
        sa.Column("grandfather_name", sa.String(length=40), nullable=False),
        sa.Column("family_name", sa.String(length=40), nullable=False),
        sa.Column("national_id", sa.String(length=10), nullable=False),
        sa.Column(
            "id_type",
            sa.Enum("national_id", "iqama", name="idtype", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "gender", sa.Enum("M", "F", name="gender", native_enum=False, length=40), nullable=False
        ),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=40), nullable=True),
        sa.Column(
            "marital_status",
            sa.Enum(
                "single",
                "married",
                "divorced",
                "widowed",
                name="maritalstatus",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("city", sa.String(length=60), nullable=True),
        sa.Column("district", sa.String(length=60), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column(
            "housing_type",
            sa.Enum(
                "owned",
                "rented",
                "shared",
                "charity",
                "other",
                name="housingtype",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("monthly_rent_halalas", sa.Integer(), nullable=True),
        sa.Column("household_size", sa.Integer(), nullable=True),
        sa.Column("monthly_income_halalas", sa.Integer(), nullable=True),
        sa.Column("iban", sa.String(length=24), nullable=True),
        sa.Column(
            "registration_status",
            sa.Enum(
                "inquiry",
                "in_progress",
                "registered",
                "suspended",
                name="registrationstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_beneficiary_branch_id_branch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficiary")),
        sa.UniqueConstraint("file_number", name=op.f("uq_beneficiary_file_number")),
    )
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.create_index("ix_beneficiary_birth_date", ["birth_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_beneficiary_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(
            "uq_beneficiary_national_id_live",
            ["national_id"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "device",
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("prefix", sa.String(length=6), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_device_branch_id_branch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("branch_id", "prefix", name="uq_device_branch_prefix"),
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_branch_id"), ["branch_id"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "interviewer",
                "branch_delegate",
                "social_researcher",
                "committee_member",
                "branch_manager",
                "hq_admin",
                name="role",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_user_account_branch_id_branch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_branch_id"), ["branch_id"], unique=False)

    op.create_table(
        "beneficiary_phone",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_beneficiary_phone_beneficiary_id_beneficiary"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficiary_phone")),
    )
    with op.batch_alter_table("beneficiary_phone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_beneficiary_phone_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_beneficiary_phone_number"), ["number"], unique=False)

    op.create_table(
        "contact",
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("beneficiary_id", sa.String(length=36), nullable=True),
        sa.Column("inquirer_name", sa.String(length=200), nullable=True),
        sa.Column("inquirer_phone", sa.String(length=16), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "interview",
                "phone",
                "social_media",
                "letter",
                "assistance_request",
                "volunteering",
                "website",
                "branch_delegate",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("letter_reference", sa.String(length=60), nullable=True),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("handled_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_contact_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_contact_branch_id_branch")
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_contact_handled_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contact_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_follow_up_on"), ["follow_up_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contact_handled_by_user_id"), ["handled_by_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contact_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("suggestion", "complaint", name="feedbackkind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("beneficiary_id", sa.String(length=36), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "interview",
                "phone",
                "social_media",
                "letter",
                "assistance_request",
                "volunteering",
                "website",
                "branch_delegate",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("assigned_to_user_id", sa.String(length=36), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "assigned",
                "answered",
                "closed",
                name="feedbackstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to_user_id"],
            ["user_account.id"],
            name=op.f("fk_feedback_assigned_to_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_feedback_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_feedback_branch_id_branch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_assigned_to_user_id"), ["assigned_to_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feedback_branch_id"), ["branch_id"], unique=False)

    op.create_table(
        "household_member",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=40), nullable=False),
        sa.Column(
            "gender", sa.Enum("M", "F", name="gender", native_enum=False, length=40), nullable=True
        ),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("national_id", sa.String(length=10), nullable=True),
        sa.Column("is_dependent", sa.Boolean(), nullable=False),
        sa.Column("has_disability", sa.Boolean(), nullable=False),
        sa.Column("in_education", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_household_member_beneficiary_id_beneficiary"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
    )
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_member_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_household_member_national_id"), ["national_id"], unique=False
        )

    op.create_table(
        "income_source",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "salary",
                "retirement",
                "social_security",
                "citizen_account",
                "charity",
                "other",
                name="incomesourcetype",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("monthly_amount_halalas", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_income_source_beneficiary_id_beneficiary"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_income_source")),
    )
    with op.batch_alter_table("income_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_income_source_beneficiary_id"), ["beneficiary_id"], unique=False
        )

    op.create_table(
        "support_request",
        sa.Column("request_number", sa.String(length=30), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column(
            "request_type",
            sa.Enum(
                "cash",
                "food",
                "rent",
                "medical",
                "education",
                "in_kind",
                "other",
                name="requesttype",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("amount_requested_halalas", sa.Integer(), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "interview",
                "phone",
                "social_media",
                "letter",
                "assistance_request",
                "volunteering",
                "website",
                "branch_delegate",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "needs_info",
                "approved",
                "rejected",
                "fulfilled",
                "withdrawn",
                name="requeststatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("committee_due_on", sa.Date(), nullable=True),
        sa.Column("created_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_support_request_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_support_request_branch_id_branch")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_support_request_created_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_request")),
        sa.UniqueConstraint("request_number", name=op.f("uq_support_request_request_number")),
    )
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_request_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_request_branch_id"), ["branch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_request_committee_due_on"), ["committee_due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_request_created_by_user_id"),
            ["created_by_user_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_support_request_status"), ["status"], unique=False)

    op.create_table(
        "committee_decision",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "approve",
                "reject",
                "need_info",
                name="decisionoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("approved_amount_halalas", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("members", sa.String(length=300), nullable=True),
        sa.Column("recorded_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_committee_decision_recorded_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_committee_decision_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_decision")),
    )
    with op.batch_alter_table("committee_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_decision_recorded_by_user_id"),
            ["recorded_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_committee_decision_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "document_check",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column(
            "doc_type",
            sa.Enum(
                "national_id_card",
                "iqama",
                "family_card",
                "death_certificate",
                "divorce_deed",
                "lease_contract",
                "salary_certificate",
                "medical_report",
                "bank_letter",
                "other",
                name="documenttype",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("valid_on_submission", sa.Boolean(), nullable=False),
        sa.Column("verified_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.String(length=300), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_document_check_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_document_check_request_id_support_request"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_document_check_verified_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_check")),
    )
    with op.batch_alter_table("document_check", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_check_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_check_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_check_verified_by_user_id"),
            ["verified_by_user_id"],
            unique=False,
        )

    op.create_table(
        "interview",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("interviewer_id", sa.String(length=36), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "interview",
                "phone",
                "social_media",
                "letter",
                "assistance_request",
                "volunteering",
                "website",
                "branch_delegate",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column(
            "current_step",
            sa.Enum(
                "receive",
                "collect_verify",
                "refer",
                "declare",
                "inform",
                "complete_registration",
                "deliver_service",
                name="interviewstep",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("completed_steps", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_interview_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_interview_contact_id_contact")
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"],
            ["user_account.id"],
            name=op.f("fk_interview_interviewer_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interview_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_interview_interviewer_id"), ["interviewer_id"], unique=False
        )

    op.create_table(
        "research_referral",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("referred_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("assigned_to_user_id", sa.String(length=36), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open", "answered", "closed", name="referralstatus", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to_user_id"],
            ["user_account.id"],
            name=op.f("fk_research_referral_assigned_to_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_research_referral_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["referred_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_research_referral_referred_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_research_referral_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_referral")),
    )
    with op.batch_alter_table("research_referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_research_referral_assigned_to_user_id"),
            ["assigned_to_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_research_referral_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_research_referral_referred_by_user_id"),
            ["referred_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_research_referral_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "satisfaction_survey",
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("beneficiary_id", sa.String(length=36), nullable=True),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "interview",
                "phone",
                "social_media",
                "letter",
                "assistance_request",
                "volunteering",
                "website",
                "branch_delegate",
                name="channel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("speed", sa.Integer(), nullable=True),
        sa.Column("courtesy", sa.Integer(), nullable=True),
        sa.Column("clarity", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "clarity IS NULL OR clarity BETWEEN 1 AND 5",
            name=op.f("ck_satisfaction_survey_clarity_range"),
        ),
        sa.CheckConstraint(
            "courtesy IS NULL OR courtesy BETWEEN 1 AND 5",
            name=op.f("ck_satisfaction_survey_courtesy_range"),
        ),
        sa.CheckConstraint(
            "overall BETWEEN 1 AND 5", name=op.f("ck_satisfaction_survey_overall_range")
        ),
        sa.CheckConstraint(
            "speed IS NULL OR speed BETWEEN 1 AND 5",
            name=op.f("ck_satisfaction_survey_speed_range"),
        ),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_satisfaction_survey_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_satisfaction_survey_branch_id_branch")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_satisfaction_survey_contact_id_contact")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_satisfaction_survey_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_survey")),
    )
    with op.batch_alter_table("satisfaction_survey", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_satisfaction_survey_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_satisfaction_survey_branch_id"), ["branch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_satisfaction_survey_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_satisfaction_survey_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "service_delivery",
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column(
            "service_type",
            sa.Enum(
                "cash",
                "food_basket",
                "rent",
                "medical",
                "education",
                "in_kind",
                "other",
                name="servicetype",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("amount_halalas", sa.Integer(), nullable=True),
        sa.Column("items", sa.String(length=300), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("delivered_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("receipt_signature_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_service_delivery_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["delivered_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_service_delivery_delivered_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_service_delivery_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_delivery")),
    )
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_delivery_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_delivery_delivered_by_user_id"),
            ["delivered_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_service_delivery_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "signed_declaration",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("declared_data", sa.JSON(), nullable=False),
        sa.Column("signature_sha256", sa.String(length=64), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_signed_declaration_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_signed_declaration_recorded_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_signed_declaration_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_declaration")),
    )
    with op.batch_alter_table("signed_declaration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signed_declaration_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_signed_declaration_recorded_by_user_id"),
            ["recorded_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_signed_declaration_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "research_report",
        sa.Column("beneficiary_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("referral_id", sa.String(length=36), nullable=True),
        sa.Column("author_user_id", sa.String(length=36), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["user_account.id"],
            name=op.f("fk_research_report_author_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_research_report_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["research_referral.id"],
            name=op.f("fk_research_report_referral_id_research_referral"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_research_report_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_report")),
    )
    with op.batch_alter_table("research_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_research_report_author_user_id"), ["author_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_research_report_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_research_report_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_research_report_request_id"), ["request_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        _create_search_index()
        _create_append_only_triggers()


APPEND_ONLY_TABLES = ("signed_declaration", "committee_decision", "audit_event")


def _create_search_index() -> None:
    # Full-text index over normalised names and numbers (national ID, phones); the application
    # keeps it current in the same transaction as each change. `beneficiary_search_key` maps
    # the index's integer rowids to the UUID keys.
    op.execute(
        "CREATE VIRTUAL TABLE beneficiary_search USING fts5("
        "names, numbers, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')"
    )
    op.execute(
        "CREATE TABLE beneficiary_search_key ("
        "rowid INTEGER PRIMARY KEY, "
        "beneficiary_id VARCHAR(36) NOT NULL UNIQUE REFERENCES beneficiary (id))"
    )


def _create_append_only_triggers() -> None:
    # The database itself refuses to change these records, whatever code touches them.
    for table in APPEND_ONLY_TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        op.execute("DROP TABLE IF EXISTS beneficiary_search_key")
        op.execute("DROP TABLE IF EXISTS beneficiary_search")
    with op.batch_alter_table("research_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_research_report_request_id"))
        batch_op.drop_index(batch_op.f("ix_research_report_referral_id"))
        batch_op.drop_index(batch_op.f("ix_research_report_beneficiary_id"))
        batch_op.drop_index(batch_op.f("ix_research_report_author_user_id"))

    op.drop_table("research_report")
    with op.batch_alter_table("signed_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signed_declaration_request_id"))
        batch_op.drop_index(batch_op.f("ix_signed_declaration_recorded_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_signed_declaration_beneficiary_id"))

    op.drop_table("signed_declaration")
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_delivery_request_id"))
        batch_op.drop_index(batch_op.f("ix_service_delivery_delivered_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_service_delivery_beneficiary_id"))

    op.drop_table("service_delivery")
    with op.batch_alter_table("satisfaction_survey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_satisfaction_survey_request_id"))
        batch_op.drop_index(batch_op.f("ix_satisfaction_survey_contact_id"))
        batch_op.drop_index(batch_op.f("ix_satisfaction_survey_branch_id"))
        batch_op.drop_index(batch_op.f("ix_satisfaction_survey_beneficiary_id"))

    op.drop_table("satisfaction_survey")
    with op.batch_alter_table("research_referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_research_referral_request_id"))
        batch_op.drop_index(batch_op.f("ix_research_referral_referred_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_research_referral_beneficiary_id"))
        batch_op.drop_index(batch_op.f("ix_research_referral_assigned_to_user_id"))

    op.drop_table("research_referral")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_interviewer_id"))
        batch_op.drop_index(batch_op.f("ix_interview_contact_id"))
        batch_op.drop_index(batch_op.f("ix_interview_beneficiary_id"))

    op.drop_table("interview")
    with op.batch_alter_table("document_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_check_verified_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_document_check_request_id"))
        batch_op.drop_index(batch_op.f("ix_document_check_beneficiary_id"))

    op.drop_table("document_check")
    with op.batch_alter_table("committee_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_decision_request_id"))
        batch_op.drop_index(batch_op.f("ix_committee_decision_recorded_by_user_id"))

    op.drop_table("committee_decision")
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_request_status"))
        batch_op.drop_index(batch_op.f("ix_support_request_created_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_support_request_committee_due_on"))
        batch_op.drop_index(batch_op.f("ix_support_request_branch_id"))
        batch_op.drop_index(batch_op.f("ix_support_request_beneficiary_id"))

    op.drop_table("support_request")
    with op.batch_alter_table("income_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_income_source_beneficiary_id"))

    op.drop_table("income_source")
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_member_national_id"))
        batch_op.drop_index(batch_op.f("ix_household_member_beneficiary_id"))

    op.drop_table("household_member")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_branch_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_beneficiary_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_assigned_to_user_id"))

    op.drop_table("feedback")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_contact_handled_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_contact_follow_up_on"))
        batch_op.drop_index(batch_op.f("ix_contact_branch_id"))
        batch_op.drop_index(batch_op.f("ix_contact_beneficiary_id"))

    op.drop_table("contact")
    with op.batch_alter_table("beneficiary_phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_beneficiary_phone_number"))
        batch_op.drop_index(batch_op.f("ix_beneficiary_phone_beneficiary_id"))

    op.drop_table("beneficiary_phone")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_branch_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_branch_id"))

    op.drop_table("device")
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_beneficiary_national_id_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_beneficiary_branch_id"))
        batch_op.drop_index("ix_beneficiary_birth_date")

    op.drop_table("beneficiary")
    op.drop_table("reference_document")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_row_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_pushed_at"))

    op.drop_table("outbox")
    op.drop_table("number_sequence")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failure_username"))

    op.drop_table("login_failure")
    op.drop_table("local_state")
    op.drop_table("branch")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_id"))

    op.drop_table("audit_event")
    op.drop_table("attachment")
