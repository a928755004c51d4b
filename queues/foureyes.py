"""Four-eyes (双人复核): a second reviewer approves or rejects a held-back correction; never the maker."""

from __future__ import annotations

import logging
from datetime import datetime

from idp.errors import Conflict, Forbidden, InputRejected
from idp.models import CorrectionStatus, Reviewer, TaskStatus, same_person
from idp.settings import Settings
from idp.storage import audit, documents, task_records
from idp.storage.db import session_scope
from idp.storage.locking import task_for_update
from idp.storage.tables import PendingCorrectionRow
from queues.corrections import apply_corrections
from queues.review import close_if_done, finalise, finish
from queues.taskguards import as_reviewer

logger = logging.getLogger(__name__)


def _check(row: PendingCorrectionRow, checker: Reviewer) -> None:
    if row.status != CorrectionStatus.PENDING.value:
        raise Conflict("该修正已复核 (correction already decided)", code="correction_closed", status=row.status)
    if same_person(checker.name, row.maker):
        raise Conflict("不能复核自己提交的修正,须由另一位审核人复核 (the maker cannot approve their own correction)",
                       code="four_eyes_self", maker=row.maker)
    if not checker.can_take(row.required_role):
        raise Forbidden(f"该修正须由 {row.required_role} 复核 (needs role {row.required_role})",
                        code="role_required", required_role=row.required_role)


def _decide(row: PendingCorrectionRow, status: CorrectionStatus, checker: Reviewer, now: datetime,
            comment: str | None) -> None:
    row.status, row.checker, row.checked_at, row.check_comment = status.value, checker.name, now, comment


def approve_correction(settings: Settings, correction_id: int, *, checker: str | Reviewer, now: datetime,
                       comment: str | None = None) -> str:
    """Apply the correction; with none pending left the task is resolved (and the application may finish)."""
    actor = as_reviewer(settings, checker)
    done = False
    with session_scope(settings.effective_database_url) as s:
        task_id = task_records.get_correction(s, correction_id).task_id
        task = task_for_update(s, task_id)
        row = task_records.get_correction(s, correction_id)
        _check(row, actor)
        doc = documents.get(s, row.document_id)
        apply_corrections(s, doc, {row.field: row.new_value}, task_id=task.id, reviewer=row.maker,
                          reason=row.reason, now=now, approved_by=actor.name)
        _decide(row, CorrectionStatus.APPROVED, actor, now, comment)
        audit.record(s, at=now, actor=actor.name, action="correction.approved",
                     application_id=row.application_id,
                     document_id=row.document_id, task_id=task.id,
                     detail={"correction_id": row.id, "field": row.field, "old": row.old_value,
                             "new": row.new_value,
                             "maker": row.maker, "checker": actor.name, "comment": comment})
        if not task_records.corrections_for_task(s, task.id, status=CorrectionStatus.PENDING):
            task.resolution = {**(task.resolution or {}), "approved_by": actor.name}
            finish(task, by=row.maker, now=now)
            audit.record(s, at=now, actor=actor.name, action="task.resolved",
                         application_id=task.application_id,
                         document_id=task.document_id, task_id=task.id,
                         detail={"outcome": task.outcome, "maker": row.maker, "checker": actor.name})
            done = close_if_done(s, task.application_id, now=now)
        application_id, status = task.application_id, task.status
    if done:
        finalise(settings, application_id, now=now)
    return status


def reject_correction(settings: Settings, correction_id: int, *, checker: str | Reviewer, now: datetime,
                      comment: str) -> str:
    """Refuse the correction: the rest of the submission is withdrawn and the task goes back to the queue."""
    actor = as_reviewer(settings, checker)
    with session_scope(settings.effective_database_url) as s:
        task_id = task_records.get_correction(s, correction_id).task_id
        task = task_for_update(s, task_id)
        row = task_records.get_correction(s, correction_id)
        _check(row, actor)
        if not (comment or "").strip():
            raise InputRejected("驳回修正必须填写理由 (a reason is required)", code="comment_required")
        _decide(row, CorrectionStatus.REJECTED, actor, now, comment)
        audit.record(s, at=now, actor=actor.name, action="correction.rejected",
                     application_id=row.application_id,
                     document_id=row.document_id, task_id=task.id,
                     detail={"correction_id": row.id, "field": row.field, "old": row.old_value,
                             "new": row.new_value,
                             "maker": row.maker, "checker": actor.name, "comment": comment})
        for other in task_records.corrections_for_task(s, task.id, status=CorrectionStatus.PENDING):
            other.status, other.checker, other.checked_at = CorrectionStatus.WITHDRAWN.value, actor.name, now
            audit.record(s, at=now, actor=actor.name, action="correction.withdrawn",
                         application_id=other.application_id, task_id=task.id,
                         detail={"correction_id": other.id, "field": other.field, "because": row.id})
        task.status = TaskStatus.OPEN.value  # back in the queue; its SLA clock kept running meanwhile
        task.resolution = None
        task.updated_at = now
        audit.record(s, at=now, actor=actor.name, action="task.reopened", application_id=task.application_id,
                     document_id=task.document_id, task_id=task.id,
                     detail={"reason": "correction_rejected", "correction_id": row.id, "comment": comment})
        return task.status
