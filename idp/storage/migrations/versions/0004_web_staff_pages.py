"""staff accounts, access tokens and sign-in attempts; stored page images for the review viewer

Revision ID: 0004w
Revises: 0003
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import idp.storage.types

revision = "0004w"
down_revision = "0003"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, idp.storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True, unique=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("auth_epoch", sa.Integer(), nullable=False),
        _at("created_at", False), _at("updated_at", False), _at("last_login_at"),
    )
    op.create_table(
        "staff_tokens",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("account_id", sa.String(length=36), sa.ForeignKey("staff_accounts.id"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("label", sa.String(length=100), nullable=True),
        _at("created_at", False), _at("expires_at"), _at("last_used_at"), _at("revoked_at"),
    )
    op.create_index("ix_staff_tokens_account_id", "staff_tokens", ["account_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _at("at", False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_login_attempts_key_at", "login_attempts", ["name_key", "at"])
    op.create_index("ix_login_attempts_ip_at", "login_attempts", ["ip", "at"])
    op.create_table(
        "page_images",
        sa.Column("document_id", sa.String(length=36), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("page_no", sa.Integer(), primary_key=True),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("thumb_key", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("frame", sa.String(length=20), nullable=False),
        _at("created_at", False),
    )


def downgrade() -> None:
    op.drop_table("page_images")
    op.drop_index("ix_login_attempts_ip_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_key_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index("ix_staff_tokens_account_id", table_name="staff_tokens")
    op.drop_table("staff_tokens")
    op.drop_table("staff_accounts")
