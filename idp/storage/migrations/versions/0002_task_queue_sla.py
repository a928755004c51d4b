"""task queue: claims with leases, SLA clocks and levels, 督办, comments, four-eyes corrections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import idp.storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ACTIVE = "status IN ('open', 'claimed', 'waiting_customer', 'awaiting_verification', 'pending_approval')"


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, idp.storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("required_role", sa.String(length=20), server_default="reviewer",
                                      nullable=False))
        batch_op.add_column(sa.Column("required_skill", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(_at("lease_expires_at"))
        batch_op.add_column(_at("first_touched_at"))
        batch_op.add_column(sa.Column("sla_policy", sa.String(length=60), nullable=True))
        batch_op.add_column(_at("sla_started_at"))
        batch_op.add_column(sa.Column("sla_target_s", sa.Float(), nullable=True))
        batch_op.add_column(_at("sla_paused_at"))
        batch_op.add_column(sa.Column("sla_paused_s", sa.Float(), server_default="0", nullable=False))
        batch_op.add_column(_at("sla_blue_at"))
        batch_op.add_column(_at("sla_yellow_at"))
        batch_op.add_column(_at("sla_orange_at"))
        batch_op.add_column(sa.Column("sla_level", sa.String(length=10), server_default="none",
                                      nullable=False))
        batch_op.add_column(sa.Column("sla_rank", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(_at("sla_level_at"))
        batch_op.add_column(sa.Column("sla_prev_rank", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("sla_calendar", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("escalation_level", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("reason_code", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_review_tasks_next", [sa.text("sla_rank DESC"), "priority", "created_at"],
                              postgresql_where=sa.text("status = 'open'"),
                              sqlite_where=sa.text("status = 'open'"))
        batch_op.create_index("ix_review_tasks_active_kind",
                              ["kind", sa.text("sla_rank DESC"), "priority", "created_at"],
                              postgresql_where=sa.text(_ACTIVE), sqlite_where=sa.text(_ACTIVE))
        batch_op.create_index("ix_review_tasks_active_rank", [sa.text("sla_rank DESC"), "priority",
                                                              "created_at"],
                              postgresql_where=sa.text(_ACTIVE), sqlite_where=sa.text(_ACTIVE))
        batch_op.create_index("ix_review_tasks_lease", ["lease_expires_at"],
                              postgresql_where=sa.text("status = 'claimed'"),
                              sqlite_where=sa.text("status = 'claimed'"))
        batch_op.create_index("ix_review_tasks_assignee", ["assignee", "status"])
        batch_op.create_index("ix_review_tasks_claimed_by", ["claimed_by", "status"])
        batch_op.create_index("ix_review_tasks_resolved", ["resolved_at"])
        batch_op.create_index("ix_review_tasks_unclocked", ["created_at"],
                              postgresql_where=sa.text("sla_target_s IS NULL"),
                              sqlite_where=sa.text("sla_target_s IS NULL"))
        batch_op.create_index("ix_review_tasks_sla_level_at", ["sla_level_at"])

    # Existing tasks: the clock started when the task was opened; the sweep fills in the warning instants.
    op.execute("UPDATE review_tasks SET sla_started_at = created_at WHERE sla_started_at IS NULL")
    op.execute("UPDATE review_tasks SET product = (SELECT applications.product FROM applications "
               "WHERE applications.id = review_tasks.application_id) WHERE product IS NULL")
    op.execute("UPDATE review_tasks SET outcome = 'accepted' WHERE status = 'resolved' AND outcome IS NULL")

    with op.batch_alter_table("field_corrections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_by", sa.String(length=100), nullable=True))
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_task_id", ["task_id"])

    op.create_table(
        "task_comments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _at("created_at", nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["review_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_task_comments_task_id", "task_comments", ["task_id"])
    op.create_table(
        "task_sla_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        _at("entered_at", nullable=False),
        _at("recorded_at", nullable=False),
        sa.Column("calendar", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id"),  # a log: ids without foreign keys (bulk inserts by the sweep)
    )
    op.create_index("ix_task_sla_events_task_id", "task_sla_events", ["task_id"])
    op.create_index("ix_task_sla_events_level_entered", "task_sla_events", ["level", "entered_at"])
    op.create_table(
        "escalation_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _at("created_at", nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("sla_level", sa.String(length=10), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        _at("sent_at"),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_escalation_notices_created_at", "escalation_notices", ["created_at"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("sla_level", sa.String(length=10), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        _at("created_at", nullable=False),
        _at("deadline", nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),  # a log: ids without foreign keys (bulk inserts by the sweep)
    )
    op.create_index("ix_escalations_task_id", "escalations", ["task_id"])
    op.create_index("ix_escalations_created_at", "escalations", ["created_at"])
    op.create_table(
        "pending_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("maker", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        _at("made_at", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("required_role", sa.String(length=20), server_default="reviewer", nullable=False),
        sa.Column("checker", sa.String(length=100), nullable=True),
        _at("checked_at"),
        sa.Column("check_comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["review_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pending_corrections_task_id", "pending_corrections", ["task_id"])
    op.create_index("ix_pending_corrections_status", "pending_corrections", ["status"])
    op.create_index("ix_pending_corrections_app_status", "pending_corrections", ["application_id", "status"])


def downgrade() -> None:
    op.drop_table("pending_corrections")
    op.drop_table("escalations")
    op.drop_table("escalation_notices")
    op.drop_table("task_sla_events")
    op.drop_table("task_comments")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_task_id")
    with op.batch_alter_table("field_corrections", schema=None) as batch_op:
        batch_op.drop_column("approved_by")
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        for name in ("ix_review_tasks_unclocked", "ix_review_tasks_sla_level_at", "ix_review_tasks_resolved",
                     "ix_review_tasks_claimed_by",
                     "ix_review_tasks_assignee", "ix_review_tasks_lease", "ix_review_tasks_active_rank",
                     "ix_review_tasks_active_kind", "ix_review_tasks_next"):
            batch_op.drop_index(name)
        for column in ("reason_code", "outcome", "escalation_level", "sla_calendar", "sla_prev_rank",
                       "sla_level_at", "sla_rank", "sla_level", "sla_orange_at", "sla_yellow_at",
                       "sla_blue_at", "sla_paused_s", "sla_paused_at", "sla_target_s", "sla_started_at",
                       "sla_policy", "first_touched_at", "lease_expires_at", "claimed_by", "required_skill",
                       "required_role", "product"):
            batch_op.drop_column(column)
