"""Task life beyond claiming: comments, 补件 (waiting for the customer pauses the SLA clock), resume, reopen."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from idp.errors import Conflict, Forbidden, InputRejected
from idp.models import ApplicationStatus, ReviewTask, SlaLevel, TaskStatus, business_elapsed, same_person
from idp.models.sla import marks_for
from idp.models.staff import ASSIGNERS, Role
from idp.settings import Settings
from idp.storage import applications, audit, task_records, tasks
from idp.storage.db import session_scope
from idp.storage.locking import task_for_update
from queues.sla_config import calendar_for, clock_for, policy_for
from queues.taskguards import as_reviewer, check_role, check_visible, check_workable, release_claim, touch

logger = logging.getLogger(__name__)

#: Longest comment kept.
MAX_COMMENT = 4000


def comment(settings: Settings, task_id: str, author: str, body: str, *, now: datetime) -> dict[str, Any]:
    """Add a comment to a task (any state; it counts as a first touch)."""
    text = (body or "").strip()
    if not text:
        raise InputRejected("评论不能为空 (empty comment)", code="empty_comment")
    if len(text) > MAX_COMMENT:
        raise InputRejected(f"评论过长(最多 {MAX_COMMENT} 字)", code="comment_too_long")
    actor = as_reviewer(settings, author)
    with session_scope(settings.effective_database_url) as s:
        task = task_for_update(s, task_id)
        check_visible(task, actor)
        row = task_records.add_comment(s, task_id=task.id, author=actor.name, body=text, now=now)
        touch(task, now)
        audit.record(s, at=now, actor=actor.name, action="task.commented", application_id=task.application_id,
                     document_id=task.document_id, task_id=task.id,
                     detail={"comment_id": row.id, "body": text})
        return {"id": row.id, "author": row.author, "body": row.body, "created_at": row.created_at}


def pause(settings: Settings, task_id: str, reviewer: str, *, now: datetime, note: str | None = None,
          status: TaskStatus = TaskStatus.WAITING_CUSTOMER) -> ReviewTask:
    """Stop the SLA clock: 补件 (waiting for the customer) or waiting for an outside verification."""
    if status.value not in tasks.PAUSED:
        raise InputRejected(f"不能以状态 {status} 暂停任务", code="bad_pause_status")
    actor = as_reviewer(settings, reviewer)
    with session_scope(settings.effective_database_url) as s:
        task = task_for_update(s, task_id)
        check_workable(task, actor, now)
        task.status = status.value
        task.sla_paused_at = now
        release_claim(task)
        touch(task, now)
        audit.record(s, at=now, actor=actor.name, action="task.paused", application_id=task.application_id,
                     document_id=task.document_id, task_id=task.id,
                     detail={"status": status.value, "note": note})
        return tasks.to_model(task)


def wait_for_customer(settings: Settings, task_id: str, reviewer: str, *, now: datetime,
                      note: str | None = None) -> ReviewTask:
    """补件: ask the customer for a document or an explanation; the SLA clock stops until :func:`resume`."""
    return pause(settings, task_id, reviewer, now=now, note=note, status=TaskStatus.WAITING_CUSTOMER)


def resume(settings: Settings, task_id: str, reviewer: str, *, now: datetime,
           note: str | None = None) -> ReviewTask:
    """Back to the queue: the paused business time is added to every warning instant of the clock."""
    actor = as_reviewer(settings, reviewer)
    cal = calendar_for(settings)
    with session_scope(settings.effective_database_url) as s:
        task = task_for_update(s, task_id)
        check_role(task, actor)
        if task.status not in tasks.PAUSED:
            raise Conflict("任务未暂停 (task is not paused)", code="task_not_paused", status=task.status)
        paused = business_elapsed(task.sla_paused_at or now, now, cal)
        task.sla_paused_s = (task.sla_paused_s or 0.0) + paused.total_seconds()
        task.sla_paused_at = None
        if task.sla_started_at is not None and task.sla_target_s is not None:
            fractions = policy_for(settings, task.kind, task.product).fractions
            tasks.set_marks(task, marks_for(task.sla_started_at, timedelta(seconds=task.sla_target_s),
                                            fractions,
                                            cal, paused=timedelta(seconds=task.sla_paused_s)))
        task.status = TaskStatus.OPEN.value
        touch(task, now)
        audit.record(s, at=now, actor=actor.name, action="task.resumed", application_id=task.application_id,
                     document_id=task.document_id, task_id=task.id,
                     detail={"paused_business_s": paused.total_seconds(),
                             "sla_due_at": task.sla_due_at.isoformat(),
                             "note": note})
        return tasks.to_model(task)


def reopen(settings: Settings, task_id: str, reviewer: str, *, now: datetime, reason: str) -> ReviewTask:
    """Put a resolved task back in the queue with a fresh SLA clock, while its application is still in review.

    Its resolver, a team lead, a supervisor or a risk officer may reopen; a completed application's result has
    been sent and is not taken back.
    """
    if not (reason or "").strip():
        raise InputRejected("重新打开必须填写原因 (a reason is required)", code="reason_required")
    actor = as_reviewer(settings, reviewer)
    with session_scope(settings.effective_database_url) as s:
        task = task_for_update(s, task_id)
        if not same_person(actor.name, task.resolved_by) and actor.role not in ASSIGNERS | {Role.RISK_OFFICER}:
            raise Forbidden("只有处理人、组长、主管或风险官可以重新打开任务", code="not_allowed_to_reopen")
        if task.status not in (TaskStatus.RESOLVED.value, TaskStatus.CANCELLED.value):
            raise Conflict("任务尚未处理完,无需重新打开 (task is still active)", code="task_active",
                           status=task.status)
        app = applications.get(s, task.application_id, for_update=True)
        if app.status != ApplicationStatus.REVIEW.value:
            raise Conflict("申请已完成,结果已发送,不能重新打开任务 (application already finalised)",
                           code="application_closed", status=app.status)
        previous = {"outcome": task.outcome, "resolved_by": task.resolved_by,
                    "resolved_at": task.resolved_at.isoformat() if task.resolved_at else None}
        task.status = TaskStatus.OPEN.value
        task.outcome = task.reason_code = task.resolved_by = None
        task.resolved_at = None
        task.resolution = None
        task.sla_paused_s, task.sla_paused_at, task.escalation_level = 0.0, None, 0
        tasks.apply_clock(task, clock_for(settings, task.kind, task.product, now))
        tasks.set_level(task, SlaLevel.NONE)
        touch(task, now)
        audit.record(s, at=now, actor=actor.name, action="task.reopened", application_id=task.application_id,
                     document_id=task.document_id, task_id=task.id,
                     detail={"reason": reason, "previous": previous,
                             "sla_due_at": task.sla_due_at.isoformat()})
        return tasks.to_model(task)
