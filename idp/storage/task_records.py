"""What happens around a task: comments, SLA level entries, 督办 records and four-eyes corrections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.models import CorrectionStatus
from idp.storage.tables import (
    EscalationRow,
    PendingCorrectionRow,
    TaskCommentRow,
    TaskSlaEventRow,
)


def add_comment(session: Session, *, task_id: str, author: str, body: str, now: datetime) -> TaskCommentRow:
    row = TaskCommentRow(task_id=task_id, author=author, body=body, created_at=now)
    session.add(row)
    session.flush()
    return row


def comments(session: Session, task_id: str) -> list[TaskCommentRow]:
    return list(session.scalars(select(TaskCommentRow).where(TaskCommentRow.task_id == task_id)
                                .order_by(TaskCommentRow.id)))


def sla_events(session: Session, task_id: str) -> list[TaskSlaEventRow]:
    return list(session.scalars(select(TaskSlaEventRow).where(TaskSlaEventRow.task_id == task_id)
                                .order_by(TaskSlaEventRow.id)))


def escalations(session: Session, task_id: str) -> list[EscalationRow]:
    return list(session.scalars(select(EscalationRow).where(EscalationRow.task_id == task_id)
                                .order_by(EscalationRow.id)))


def propose_correction(session: Session, *, task_id: str, application_id: str, document_id: str, field: str,
                       old: str | None, new: str | None, maker: str, reason: str | None, required_role: str,
                       now: datetime) -> PendingCorrectionRow:
    row = PendingCorrectionRow(task_id=task_id, application_id=application_id, document_id=document_id,
                               field=field, old_value=old, new_value=new, maker=maker, reason=reason,
                               made_at=now, status=CorrectionStatus.PENDING.value, required_role=required_role)
    session.add(row)
    session.flush()
    return row


def get_correction(session: Session, correction_id: int) -> PendingCorrectionRow:
    row = session.get(PendingCorrectionRow, correction_id)
    if row is None:
        raise NotFound("未找到该修正 (correction not found)", code="correction_not_found")
    return row


def corrections_for_task(session: Session, task_id: str, *, status: CorrectionStatus | None = None) -> list[
        PendingCorrectionRow]:
    stmt = select(PendingCorrectionRow).where(PendingCorrectionRow.task_id == task_id)
    if status is not None:
        stmt = stmt.where(PendingCorrectionRow.status == status.value)
    return list(session.scalars(stmt.order_by(PendingCorrectionRow.id)))


def pending_count(session: Session, application_id: str) -> int:
    """Corrections of this application still waiting for a checker."""
    return int(session.scalar(
        select(func.count()).select_from(PendingCorrectionRow)
        .where(PendingCorrectionRow.application_id == application_id,
               PendingCorrectionRow.status == CorrectionStatus.PENDING.value)) or 0)


def list_corrections(session: Session, *, status: CorrectionStatus | None = CorrectionStatus.PENDING,
                     limit: int = 100) -> list[PendingCorrectionRow]:
    stmt = select(PendingCorrectionRow)
    if status is not None:
        stmt = stmt.where(PendingCorrectionRow.status == status.value)
    return list(session.scalars(stmt.order_by(PendingCorrectionRow.id).limit(limit)))
