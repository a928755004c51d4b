"""The append-only audit trail: rows are inserted, never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.storage.tables import AuditEventRow


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    application_id: str | None = None,
    document_id: str | None = None,
    task_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEventRow(
            at=at,
            actor=actor,
            action=action,
            application_id=application_id,
            document_id=document_id,
            task_id=task_id,
            detail=detail or {},
        )
    )


def trail(session: Session, *, application_id: str) -> list[AuditEventRow]:
    return list(
        session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.application_id == application_id)
            .order_by(AuditEventRow.id)
        )
    )


def for_task(session: Session, task_id: str) -> list[AuditEventRow]:
    """Every recorded event of one task, oldest first."""
    return list(session.scalars(select(AuditEventRow).where(AuditEventRow.task_id == task_id)
                                .order_by(AuditEventRow.id)))
