"""committee meetings, the paused deadline, escalations and the print queue

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _synced_columns() -> list[sa.Column[object]]:
    """The columns every synced table carries (db.base.Synced)."""
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
    ]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _append_only_triggers(create: bool) -> None:
    # SQLite's batch mode rebuilds committee_decision as a new table, which loses the triggers
    # that make it append-only: they are dropped first and made again afterwards.
    for action in ("UPDATE", "DELETE"):
        name = f"committee_decision_no_{action.lower()}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {action} ON committee_decision "
                "BEGIN SELECT RAISE(ABORT, 'committee_decision is append-only'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    op.create_table(
        "committee_meeting",
        sa.Column("meeting_number", sa.String(length=30), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("members_present", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.String(length=36), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_committee_meeting_branch_id_branch")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_committee_meeting_recorded_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meeting")),
        sa.UniqueConstraint("meeting_number", name=op.f("uq_committee_meeting_meeting_number")),
    )
    with op.batch_alter_table("committee_meeting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_meeting_branch_id"), ["branch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_committee_meeting_held_on"), ["held_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_committee_meeting_recorded_by_user_id"),
            ["recorded_by_user_id"],
            unique=False,
        )

    if _sqlite():
        _append_only_triggers(create=False)
    with op.batch_alter_table("committee_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_committee_decision_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_committee_decision_meeting_id_committee_meeting"),
            "committee_meeting",
            ["meeting_id"],
            ["id"],
        )
    if _sqlite():
        _append_only_triggers(create=True)

    op.create_table(
        "deadline_pause",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["committee_decision.id"],
            name=op.f("fk_deadline_pause_decision_id_committee_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_deadline_pause_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_pause")),
    )
    with op.batch_alter_table("deadline_pause", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_pause_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_pause_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "deadline_escalation",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("escalated_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_deadline_escalation_branch_id_branch")
        ),
        sa.ForeignKeyConstraint(
            ["escalated_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_deadline_escalation_escalated_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_deadline_escalation_request_id_support_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_escalation")),
    )
    with op.batch_alter_table("deadline_escalation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_escalation_branch_id"), ["branch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_escalation_escalated_by_user_id"),
            ["escalated_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_escalation_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "print_queue_item",
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("form_kind", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("queued_by_user_id", sa.String(length=36), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=True),
        sa.Column("printed_by_user_id", sa.String(length=36), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_print_queue_item_branch_id_branch")
        ),
        sa.ForeignKeyConstraint(
            ["printed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_print_queue_item_printed_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["queued_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_print_queue_item_queued_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_queue_item")),
    )
    with op.batch_alter_table("print_queue_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_print_queue_item_branch_id"), ["branch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_print_queue_item_entity_id"), ["entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_print_queue_item_printed_by_user_id"),
            ["printed_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_print_queue_item_queued_by_user_id"),
            ["queued_by_user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("print_queue_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_queue_item_queued_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_print_queue_item_printed_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_print_queue_item_entity_id"))
        batch_op.drop_index(batch_op.f("ix_print_queue_item_branch_id"))
    op.drop_table("print_queue_item")

    with op.batch_alter_table("deadline_escalation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_escalation_request_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_escalation_escalated_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_escalation_branch_id"))
    op.drop_table("deadline_escalation")

    with op.batch_alter_table("deadline_pause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_pause_request_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_pause_decision_id"))
    op.drop_table("deadline_pause")

    if _sqlite():
        _append_only_triggers(create=False)
    with op.batch_alter_table("committee_decision", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_committee_decision_meeting_id_committee_meeting"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_committee_decision_meeting_id"))
        batch_op.drop_column("meeting_id")
    if _sqlite():
        _append_only_triggers(create=True)

    with op.batch_alter_table("committee_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_meeting_recorded_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_committee_meeting_held_on"))
        batch_op.drop_index(batch_op.f("ix_committee_meeting_branch_id"))
    op.drop_table("committee_meeting")
