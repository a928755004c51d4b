"""documents split into parts, invoice keys for duplicates across applications, verification state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import idp.storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("part_index", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("page_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("page_to", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("invoice_key", sa.String(length=40), nullable=True))
        batch_op.drop_constraint("uq_documents_app_sha", type_="unique")
        batch_op.create_unique_constraint("uq_documents_app_sha_part", ["application_id", "sha256", "part_index"])
        batch_op.create_foreign_key("fk_documents_parent", "documents", ["parent_id"], ["id"])
        batch_op.create_index("ix_documents_invoice_key", ["invoice_key"])
        batch_op.create_index("ix_documents_parent_id", ["parent_id"])
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=20), type_=sa.String(length=30))
        batch_op.add_column(sa.Column("verification_retry_at", idp.storage.types.UtcDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("authority", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("policy_version", sa.String(length=60), nullable=True))
        batch_op.create_index("ix_applications_verification_retry_at", ["verification_retry_at"])


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_verification_retry_at")
        batch_op.drop_column("policy_version")
        batch_op.drop_column("authority")
        batch_op.drop_column("verification_retry_at")
        batch_op.alter_column("status", existing_type=sa.String(length=30), type_=sa.String(length=20))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_parent_id")
        batch_op.drop_index("ix_documents_invoice_key")
        batch_op.drop_constraint("fk_documents_parent", type_="foreignkey")
        batch_op.drop_constraint("uq_documents_app_sha_part", type_="unique")
        batch_op.create_unique_constraint("uq_documents_app_sha", ["application_id", "sha256"])
        batch_op.drop_column("invoice_key")
        batch_op.drop_column("page_to")
        batch_op.drop_column("page_from")
        batch_op.drop_column("part_index")
        batch_op.drop_column("parent_id")
