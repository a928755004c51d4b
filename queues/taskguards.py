"""Who may do what to a task, checked the same way by every queue operation."""

from __future__ import annotations

from datetime import datetime

from idp.errors import Conflict, Forbidden
from idp.models import ROLE_LABELS, WATCHERS, Reviewer, TaskStatus, same_person
from idp.settings import Settings
from idp.storage.tables import ReviewTaskRow
from queues.staff import reviewer_for

#: Statuses in which a person can work on (resolve, pause, release) a task.
WORKABLE = frozenset({TaskStatus.OPEN.value, TaskStatus.CLAIMED.value})
_ROLE_LABELS = {role.value: label for role, label in ROLE_LABELS.items()}
_CLOSED = frozenset({TaskStatus.RESOLVED.value, TaskStatus.CANCELLED.value})


def as_reviewer(settings: Settings, who: str | Reviewer) -> Reviewer:
    return who if isinstance(who, Reviewer) else reviewer_for(settings, who)


def lease_held_by_other(task: ReviewTaskRow, reviewer: Reviewer, now: datetime) -> bool:
    return (task.status == TaskStatus.CLAIMED.value and task.claimed_by is not None
            and not same_person(task.claimed_by, reviewer.name)
            and task.lease_expires_at is not None and task.lease_expires_at > now)


def check_workable(task: ReviewTaskRow, reviewer: Reviewer, now: datetime) -> None:
    """Raise unless this reviewer may work the task now (its state, its role, another person's lease)."""
    if task.status in _CLOSED:
        raise Conflict("任务已处理 (task already resolved)", code="task_closed", status=task.status)
    if task.status == TaskStatus.PENDING_APPROVAL.value:
        raise Conflict("任务正在等待双人复核 (waiting for a second reviewer)", code="task_pending_approval")
    if task.status not in WORKABLE:
        raise Conflict("任务已暂停(等待客户补件或查验),请先恢复 (task is paused; resume it first)",
                       code="task_paused", status=task.status)
    check_role(task, reviewer)
    check_assignee(task, reviewer)
    if lease_held_by_other(task, reviewer, now):
        raise Conflict(f"任务已被 {task.claimed_by} 领取 (claimed by someone else)", code="task_claimed",
                       claimed_by=task.claimed_by or "")


def check_assignee(task: ReviewTaskRow, reviewer: Reviewer) -> None:
    """A task assigned to someone is theirs alone (a team lead reassigns it first)."""
    if task.assignee is not None and not same_person(task.assignee, reviewer.name):
        raise Conflict(f"任务已指派给 {task.assignee} (assigned to someone else)", code="task_assigned",
                       assignee=task.assignee)


def visible_roles(reviewer: Reviewer) -> tuple[str, ...] | None:
    """The task roles whose tasks this person's lists show (None: all, for watchers)."""
    return None if reviewer.role in WATCHERS else tuple(sorted(r.value for r in reviewer.task_roles))


def check_visible(task: ReviewTaskRow, reviewer: Reviewer) -> None:
    """Watchers see every task; others the tasks their role may take, and any they hold, hold or closed."""
    if reviewer.role in WATCHERS or reviewer.can_take(task.required_role):
        return
    if any(same_person(n, reviewer.name) for n in (task.claimed_by, task.assignee, task.resolved_by)):
        return
    check_role(task, reviewer)


def check_role(task: ReviewTaskRow, reviewer: Reviewer) -> None:
    if not reviewer.can_take(task.required_role, task.required_skill):
        role = _ROLE_LABELS.get(task.required_role, task.required_role)
        raise Forbidden(f"该任务需要{role}处理 (task needs role {task.required_role})", code="role_required",
                        required_role=task.required_role, required_skill=task.required_skill or "")


def touch(task: ReviewTaskRow, now: datetime) -> None:
    """First touch (for time-to-first-touch) and the last change."""
    if task.first_touched_at is None:
        task.first_touched_at = now
    task.updated_at = now


def release_claim(task: ReviewTaskRow) -> None:
    task.claimed_by = None
    task.lease_expires_at = None
