"""The relational schema. JSON columns hold pydantic dumps of the core models (fields, findings, reasons)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from idp.storage.types import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UtcDateTime}


class ClientRow(Base):
    """A lending system calling the API; its key is stored only as a hash."""

    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ApplicationRow(Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("client_id", "external_id", name="uq_applications_client_external"),
        UniqueConstraint("client_id", "idempotency_key", name="uq_applications_client_idem"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    borrower_name: Mapped[str] = mapped_column(String(200))
    borrower_uscc: Mapped[str] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(100))
    requested_amount: Mapped[str | None] = mapped_column(String(32))
    statement_period: Mapped[dict[str, Any] | None]
    status: Mapped[str] = mapped_column(String(30), index=True)
    decision: Mapped[dict[str, Any] | None]
    result: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finalized_at: Mapped[datetime | None]
    #: awaiting_verification: when the authority may be asked again
    verification_retry_at: Mapped[datetime | None] = mapped_column(index=True)
    #: what the authorities answered (发票查验 by document, 工商 by USCC): evidence for the result
    authority: Mapped[dict[str, Any] | None]
    policy_version: Mapped[str | None] = mapped_column(String(60))


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("application_id", "sha256", "part_index", name="uq_documents_app_sha_part"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    #: A file holding several documents (a contract then invoices) is split: part 0 is the upload's own
    #: row, parts 1.. are rows pointing at it, each with its page span (1-based, inclusive).
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", name="fk_documents_parent"),
                                                  index=True)
    part_index: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    page_from: Mapped[int | None]
    page_to: Mapped[int | None]
    #: code+number or the 20-digit number of an invoice: the same invoice in another application
    invoice_key: Mapped[str | None] = mapped_column(String(40), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="unknown")
    subtype: Mapped[str | None] = mapped_column(String(60))
    pages: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[str | None] = mapped_column(String(60))
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(60))
    page_text: Mapped[list[Any] | None]
    extraction: Mapped[dict[str, Any] | None]
    findings: Mapped[list[Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


#: Statuses of a task still waiting for people (kept here because partial indexes name them).
ACTIVE_STATUSES = ("open", "claimed", "waiting_customer", "awaiting_verification", "pending_approval")
_ACTIVE_SQL = "status IN ({})".format(", ".join(f"'{s}'" for s in ACTIVE_STATUSES))


class ReviewTaskRow(Base):
    """One task in the one queue. The ``sla_*_at`` columns are the instants its clock reaches each level."""

    __tablename__ = "review_tasks"
    __table_args__ = (
        Index("ix_review_tasks_status_due", "status", "sla_due_at"),
        # next task: most urgent level, then priority, then age, among open tasks
        Index("ix_review_tasks_next", text("sla_rank DESC"), "priority", "created_at",
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
        # filtered lists of active tasks, in the same order
        Index("ix_review_tasks_active_kind", "kind", text("sla_rank DESC"), "priority", "created_at",
              postgresql_where=text(_ACTIVE_SQL), sqlite_where=text(_ACTIVE_SQL)),
        Index("ix_review_tasks_active_rank", text("sla_rank DESC"), "priority", "created_at",
              postgresql_where=text(_ACTIVE_SQL), sqlite_where=text(_ACTIVE_SQL)),
        Index("ix_review_tasks_lease", "lease_expires_at",
              postgresql_where=text("status = 'claimed'"), sqlite_where=text("status = 'claimed'")),
        Index("ix_review_tasks_assignee", "assignee", "status"),
        Index("ix_review_tasks_claimed_by", "claimed_by", "status"),
        Index("ix_review_tasks_resolved", "resolved_at"),
        # tasks whose clock has only a due time, for the sweep's backfill (normally none)
        Index("ix_review_tasks_unclocked", "created_at", postgresql_where=text("sla_target_s IS NULL"),
              sqlite_where=text("sla_target_s IS NULL")),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[str] = mapped_column(String(20))
    sla_due_at: Mapped[datetime]
    reasons: Mapped[list[Any]]
    assignee: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(100))
    required_role: Mapped[str] = mapped_column(String(20), default="reviewer", server_default="reviewer")
    required_skill: Mapped[str | None] = mapped_column(String(40))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None]
    first_touched_at: Mapped[datetime | None]
    sla_policy: Mapped[str | None] = mapped_column(String(60))
    sla_started_at: Mapped[datetime | None]
    sla_target_s: Mapped[float | None] = mapped_column(Float)
    sla_paused_at: Mapped[datetime | None]
    sla_paused_s: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    sla_blue_at: Mapped[datetime | None]
    sla_yellow_at: Mapped[datetime | None]
    sla_orange_at: Mapped[datetime | None]
    sla_level: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    sla_rank: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: when a sweep recorded the current level, and the rank before it (how a sweep finds what it moved)
    sla_level_at: Mapped[datetime | None] = mapped_column(index=True)
    sla_prev_rank: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sla_calendar: Mapped[str | None] = mapped_column(String(20))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(40))


class TaskCommentRow(Base):
    __tablename__ = "task_comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("review_tasks.id"), index=True)
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class TaskSlaEventRow(Base):
    """A task entered an SLA level (append-only): ``entered_at`` when, ``recorded_at`` when a sweep saw it.

    Like the audit trail, this log holds ids without foreign keys: the sweep writes tens of thousands of rows
    in one statement when a backlog catches up, and a key check per row would double its time.
    """

    __tablename__ = "task_sla_events"
    __table_args__ = (Index("ix_task_sla_events_level_entered", "level", "entered_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(String(36), index=True)
    level: Mapped[str] = mapped_column(String(10))
    entered_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    calendar: Mapped[str | None] = mapped_column(String(20))


class EscalationNoticeRow(Base):
    """One 督办 notice sent by a sweep for one level (it lists many tasks); whether it went out."""

    __tablename__ = "escalation_notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    level: Mapped[int] = mapped_column(Integer)
    sla_level: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20))
    recipients: Mapped[list[Any]]
    channel: Mapped[str] = mapped_column(String(20))
    total: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class EscalationRow(Base):
    """A 督办 record: which level, whom it notified, when, by when they must act (a log: no foreign keys)."""

    __tablename__ = "escalations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(String(36), index=True)
    level: Mapped[int] = mapped_column(Integer)  #: 1 = team lead (橙), 2 = supervisor (红)
    sla_level: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20))
    recipients: Mapped[list[Any]]
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(index=True)
    deadline: Mapped[datetime]
    notice_id: Mapped[int | None] = mapped_column(Integer)  #: the escalation_notices row that announced it


class PendingCorrectionRow(Base):
    """A four-eyes correction: proposed by a maker, applied only after a different checker approves it."""

    __tablename__ = "pending_corrections"
    __table_args__ = (Index("ix_pending_corrections_app_status", "application_id", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("review_tasks.id"), index=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"))
    field: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    maker: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), index=True)
    required_role: Mapped[str] = mapped_column(String(20), default="reviewer", server_default="reviewer")
    checker: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[datetime | None]
    check_comment: Mapped[str | None] = mapped_column(Text)


class FieldCorrectionRow(Base):
    """A person's change of an extracted value: old → new, who, when, why."""

    __tablename__ = "field_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"))
    task_id: Mapped[str | None] = mapped_column(ForeignKey("review_tasks.id"))
    field: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    corrected_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    approved_by: Mapped[str | None] = mapped_column(String(100))  #: the four-eyes checker, if one was needed


class WebhookDeliveryRow(Base):
    __tablename__ = "webhook_deliveries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    event_type: Mapped[str] = mapped_column(String(60))
    msg_id: Mapped[str] = mapped_column(String(60), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class AuditEventRow(Base):
    """Append-only trail: extraction, rule hits, decisions, reviewer actions."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    application_id: Mapped[str | None] = mapped_column(String(36), index=True)
    document_id: Mapped[str | None] = mapped_column(String(36))
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, Any]]


class StaffAccountRow(Base):
    """A person of the back office: a local account (argon2 password hash) or one the bank's SSO created.

    ``name_key`` (NFKC, case-folded) is unique, so ``alice`` and ``ALICE`` cannot be two people; ``auth_epoch``
    is bumped by a password change or a deactivation, which ends every session signed before it.
    """

    __tablename__ = "staff_accounts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list[Any]]
    password_hash: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10), default="local")  #: local | oidc
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    auth_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]


class StaffTokenRow(Base):
    """A personal access token for the task API (``Authorization: Bearer``); only its hash is kept."""

    __tablename__ = "staff_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("staff_accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginAttemptRow(Base):
    """One sign-in attempt, for throttling by account and by address (pruned after a day)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "name_key", "at"),
                      Index("ix_login_attempts_ip_at", "ip", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    name_key: Mapped[str] = mapped_column(String(100))
    ip: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)


class PageImageRow(Base):
    """The page image the reader's boxes refer to (cropped, turned, deskewed), rendered by the worker.

    The review page shows it so a field's box falls on its text on every form; the bytes live in the file
    store (``storage_key``), a small thumbnail beside them.
    """

    __tablename__ = "page_images"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    page_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    frame: Mapped[str] = mapped_column(String(20))  #: reader | render (text layer) | text (drawn from text)
    created_at: Mapped[datetime]
