"""The one queue: next task (claimed with a lease), claim, release, lease expiry and reassignment.

Concurrency: on PostgreSQL the next task is picked with ``SELECT … FOR UPDATE SKIP LOCKED``, so parallel
reviewers skip each other's rows; on SQLite the pick runs inside ``BEGIN IMMEDIATE`` (one writer at a time).
On both, the claim itself is a conditional ``UPDATE … WHERE status = 'open'``: no row back, no claim.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, literal, select, update
from sqlalchemy.orm import Session

from idp.errors import Conflict, Forbidden, InputRejected
from idp.models import Reviewer, ReviewTask, TaskStatus, same_person
from idp.models.staff import ASSIGNERS, BULK_ASSIGNERS
from idp.settings import Settings
from idp.storage import audit, tasks
from idp.storage.db import session_scope
from idp.storage.locking import begin_write, lock, task_for_update
from idp.storage.tables import ReviewTaskRow
from idp.storage.types import UtcDateTime
from queues.taskguards import (
    as_reviewer,
    check_assignee,
    check_role,
    lease_held_by_other,
    release_claim,
    touch,
)

logger = logging.getLogger(__name__)

#: Most tasks one bulk reassignment may move.
MAX_BULK = 1000


def lease_for(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.task_lease_minutes)


def expire_leases(settings: Settings, *, now: datetime) -> list[str]:
    """Abandoned claims (lease ran out) go back to the queue; returns their task ids."""
    with session_scope(settings.effective_database_url) as s:
        begin_write(s)
        return _expire(s, now)


def _expire(session: Session, now: datetime) -> list[str]:
    rows = session.execute(
        update(ReviewTaskRow).where(tasks.expired_leases(now))
        .values(status=TaskStatus.OPEN.value, claimed_by=None, lease_expires_at=None, updated_at=now)
        .returning(ReviewTaskRow.id, ReviewTaskRow.application_id, ReviewTaskRow.document_id)
        .execution_options(synchronize_session=False)
    ).all()
    for task_id, application_id, document_id in rows:
        audit.record(session, at=now, actor="system", action="task.lease_expired",
                     application_id=application_id,
                     document_id=document_id, task_id=task_id, detail={})
    if rows:
        logger.info("%d abandoned claim(s) returned to the queue", len(rows))
    return [r[0] for r in rows]


def next_task(settings: Settings, reviewer: str | Reviewer, *, now: datetime,
              kind: str | None = None, exclude: tuple[str, ...] = ()) -> ReviewTask | None:
    """Claim the most urgent open task this reviewer may take (SLA level, then priority, then age).

    ``exclude``: task ids not to take (the one a reviewer just skipped). One statement picks and claims:
    ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) AND status = 'open' RETURNING …`` (on
    SQLite inside ``BEGIN IMMEDIATE``); expired leases are returned first.
    """
    actor = as_reviewer(settings, reviewer)
    lease_end = now + lease_for(settings)
    with session_scope(settings.effective_database_url) as s:
        begin_write(s)
        _expire(s, now)
        wanted = [*tasks.eligible(actor, kind=kind)]
        if exclude:  # "skip": the task just left is not taken straight back
            wanted.append(ReviewTaskRow.id.not_in(exclude))
        pick = select(ReviewTaskRow.id).where(*wanted).order_by(*tasks.URGENCY).limit(1)
        claimed = s.scalars(
            update(ReviewTaskRow)
            .where(ReviewTaskRow.id == lock(s, pick, skip_locked=True).scalar_subquery(),
                   ReviewTaskRow.status == TaskStatus.OPEN.value)
            .values(status=TaskStatus.CLAIMED.value, claimed_by=actor.name, lease_expires_at=lease_end,
                    updated_at=now,
                    first_touched_at=func.coalesce(ReviewTaskRow.first_touched_at,
                                                   literal(now, UtcDateTime())))
            .returning(ReviewTaskRow)
            .execution_options(synchronize_session=False)
        ).first()
        if claimed is None:
            return None
        audit.record(s, at=now, actor=actor.name, action="task.claimed",
                     application_id=claimed.application_id,
                     document_id=claimed.document_id, task_id=claimed.id,
                     detail={"via": "next", "lease_expires_at": lease_end.isoformat()})
        return tasks.to_model(claimed)


def claim(settings: Settings, task_id: str, reviewer: str | Reviewer, *, now: datetime) -> ReviewTask:
    """Claim one task (or renew one's own lease); an expired lease of someone else may be taken over."""
    actor = as_reviewer(settings, reviewer)
    with session_scope(settings.effective_database_url) as s:
        row = task_for_update(s, task_id)
        check_role(row, actor)
        check_assignee(row, actor)
        previous = row.claimed_by if row.status == TaskStatus.CLAIMED.value else None
        if row.status == TaskStatus.CLAIMED.value:
            if lease_held_by_other(row, actor, now):
                raise Conflict(f"任务已被 {previous} 领取 (claimed by someone else)", code="task_claimed",
                               claimed_by=previous or "")
        elif row.status != TaskStatus.OPEN.value:
            raise Conflict(f"任务当前状态为 {row.status},不能领取 (task cannot be claimed now)",
                           code="task_not_open", status=row.status)
        row.status, row.claimed_by = TaskStatus.CLAIMED.value, actor.name
        row.lease_expires_at = now + lease_for(settings)
        touch(row, now)
        action = "task.lease_renewed" if same_person(previous, actor.name) else "task.claimed"
        audit.record(s, at=now, actor=actor.name, action=action, application_id=row.application_id,
                     document_id=row.document_id, task_id=row.id,
                     detail={"lease_expires_at": row.lease_expires_at.isoformat(), "taken_over_from": previous
                             if previous and not same_person(previous, actor.name) else None})
        return tasks.to_model(row)


def release(settings: Settings, task_id: str, reviewer: str | Reviewer, *, now: datetime) -> ReviewTask:
    """Give a claimed task back to the queue (its holder, or a team lead/supervisor)."""
    actor = as_reviewer(settings, reviewer)
    with session_scope(settings.effective_database_url) as s:
        row = task_for_update(s, task_id)
        if row.status != TaskStatus.CLAIMED.value:
            raise Conflict("任务未被领取 (task is not claimed)", code="task_not_claimed", status=row.status)
        if not same_person(row.claimed_by, actor.name) and actor.role not in ASSIGNERS:
            raise Forbidden("只能释放自己领取的任务 (only the holder may release)", code="not_holder")
        holder = row.claimed_by
        row.status = TaskStatus.OPEN.value
        release_claim(row)
        row.updated_at = now
        audit.record(s, at=now, actor=actor.name, action="task.released", application_id=row.application_id,
                     document_id=row.document_id, task_id=row.id, detail={"holder": holder})
        return tasks.to_model(row)


def leave(settings: Settings, task_id: str, reviewer: str | Reviewer, *, lease: datetime, now: datetime) -> bool:
    """The holder closed the task's page: the task goes back to the queue, unless the holder has claimed it
    again since (a reload renews the lease, so a late "left" from the old page carries an older ``lease``)."""
    actor = as_reviewer(settings, reviewer)
    with session_scope(settings.effective_database_url) as s:
        row = task_for_update(s, task_id)
        if (row.status != TaskStatus.CLAIMED.value or not same_person(row.claimed_by, actor.name)
                or row.lease_expires_at is None or abs((row.lease_expires_at - lease).total_seconds()) > 0.001):
            return False
        row.status = TaskStatus.OPEN.value
        release_claim(row)
        row.updated_at = now
        audit.record(s, at=now, actor=actor.name, action="task.released", application_id=row.application_id,
                     document_id=row.document_id, task_id=row.id, detail={"holder": actor.name, "via": "left"})
        return True


def reassign(settings: Settings, task_ids: list[str], *, to: str, by: str | Reviewer, now: datetime,
             reason: str | None = None) -> dict[str, object]:
    """Assign tasks to a person (team leads one at a time, supervisors in bulk); their claims are released.

    Returns ``{"reassigned": [...],
               "skipped": {task_id: why}}``; closed tasks and tasks the new person's role may
    not take are skipped, not failed.
    """
    actor = as_reviewer(settings, by)
    ids = list(dict.fromkeys(task_ids))
    if not ids:
        raise InputRejected("没有要转派的任务 (no tasks given)", code="no_tasks")
    if len(ids) > MAX_BULK:
        raise InputRejected(f"一次最多转派 {MAX_BULK} 个任务", code="too_many_tasks")
    if actor.role not in (BULK_ASSIGNERS if len(ids) > 1 else ASSIGNERS):
        raise Forbidden("只有组长可以转派任务,只有主管可以批量转派 (not allowed to reassign)", code="not_assigner")
    target = as_reviewer(settings, to)
    done: list[str] = []
    skipped: dict[str, str] = {}
    with session_scope(settings.effective_database_url) as s:
        begin_write(s)
        rows = {r.id: r for r in s.scalars(lock(s, select(ReviewTaskRow).where(ReviewTaskRow.id.in_(ids))
                                                .order_by(ReviewTaskRow.id)))}
        for task_id in ids:
            row = rows.get(task_id)
            if row is None:
                skipped[task_id] = "not_found"
            elif row.status not in tasks.ACTIVE:
                skipped[task_id] = "closed"
            elif not target.can_take(row.required_role, row.required_skill):
                skipped[task_id] = "role_required"
            else:
                previous, holder = row.assignee, row.claimed_by
                row.assignee = target.name
                if row.status == TaskStatus.CLAIMED.value and holder != target.name:
                    row.status = TaskStatus.OPEN.value
                    release_claim(row)
                row.updated_at = now
                audit.record(s, at=now, actor=actor.name, action="task.reassigned",
                             application_id=row.application_id, document_id=row.document_id, task_id=row.id,
                             detail={"from": previous, "to": target.name, "released_claim_of": holder
                                     if holder not in (None, target.name) else None, "reason": reason,
                                     "bulk": len(ids) > 1})
                done.append(task_id)
    return {"reassigned": done, "skipped": skipped}
