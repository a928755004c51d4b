"""Review tasks in the one queue, stored in the database (Redis only carries jobs)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.models import Reason, ReviewTask, TaskKind, TaskPriority, TaskStatus
from idp.storage.tables import ReviewTaskRow

#: Statuses of a task still waiting for people.
ACTIVE = {TaskStatus.OPEN.value, TaskStatus.CLAIMED.value, TaskStatus.WAITING_CUSTOMER.value}


def create_task(
    session: Session,
    *,
    application_id: str,
    kind: TaskKind,
    reasons: list[Reason],
    sla_due_at: datetime,
    now: datetime,
    document_id: str | None = None,
    priority: TaskPriority = TaskPriority.P3,
) -> ReviewTaskRow:
    row = ReviewTaskRow(
        id=str(uuid.uuid4()),
        application_id=application_id,
        document_id=document_id,
        kind=kind.value,
        priority=int(priority),
        status=TaskStatus.OPEN.value,
        sla_due_at=sla_due_at,
        reasons=[r.model_dump(mode="json") for r in reasons],
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, task_id: str) -> ReviewTaskRow:
    row = session.get(ReviewTaskRow, task_id)
    if row is None:
        raise NotFound("未找到该任务 (task not found)", code="task_not_found")
    return row


def list_active(session: Session, *, limit: int = 200) -> list[ReviewTaskRow]:
    return list(
        session.scalars(
            select(ReviewTaskRow)
            .where(ReviewTaskRow.status.in_(ACTIVE))
            .order_by(ReviewTaskRow.sla_due_at, ReviewTaskRow.priority, ReviewTaskRow.created_at)
            .limit(limit)
        )
    )


def for_application(session: Session, application_id: str) -> list[ReviewTaskRow]:
    return list(
        session.scalars(
            select(ReviewTaskRow)
            .where(ReviewTaskRow.application_id == application_id)
            .order_by(ReviewTaskRow.created_at)
        )
    )


def active_count(session: Session, application_id: str) -> int:
    return sum(1 for t in for_application(session, application_id) if t.status in ACTIVE)


def to_model(row: ReviewTaskRow) -> ReviewTask:
    return ReviewTask(
        id=row.id,
        application_id=row.application_id,
        document_id=row.document_id,
        kind=TaskKind(row.kind),
        priority=TaskPriority(row.priority),
        status=TaskStatus(row.status),
        sla_due_at=row.sla_due_at,
        reasons=[Reason.model_validate(r) for r in row.reasons],
        assignee=row.assignee,
        resolution=row.resolution,
        created_at=row.created_at,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
    )
