"""Review tasks in the one queue, stored in the database (Redis only carries jobs)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.models import Reason, Reviewer, ReviewTask, SlaClock, SlaLevel, TaskKind, TaskPriority, TaskStatus
from idp.storage.tables import ACTIVE_STATUSES, ApplicationRow, ReviewTaskRow

#: Statuses of a task still waiting for people.
ACTIVE = frozenset(ACTIVE_STATUSES)
#: Active statuses whose SLA clock is stopped (补件, waiting for an outside check).
PAUSED = frozenset({TaskStatus.WAITING_CUSTOMER.value, TaskStatus.AWAITING_VERIFICATION.value})
#: Active statuses whose SLA clock runs.
RUNNING = ACTIVE - PAUSED
#: Lists count matching tasks up to this many (beyond it the count reads "more than 1,000"); full backlog
#: figures by level and kind come from the metrics.
COUNT_CAP = 1_000
#: The order of "next task": SLA urgency, then priority, then age.
URGENCY = (ReviewTaskRow.sla_rank.desc(), ReviewTaskRow.priority, ReviewTaskRow.created_at)


def create_task(
    session: Session,
    *,
    application_id: str,
    kind: TaskKind,
    reasons: list[Reason],
    now: datetime,
    sla_due_at: datetime | None = None,
    clock: SlaClock | None = None,
    document_id: str | None = None,
    priority: TaskPriority = TaskPriority.P3,
    product: str | None = None,
    required_role: str = "reviewer",
    required_skill: str | None = None,
) -> ReviewTaskRow:
    """A new open task; its SLA from ``clock`` (or only a due time: the sweep fills in the warnings)."""
    if clock is None and sla_due_at is None:
        raise ValueError("a task needs an SLA clock or a due time")
    row = ReviewTaskRow(
        id=str(uuid.uuid4()), application_id=application_id, document_id=document_id, kind=kind.value,
        priority=int(priority), status=TaskStatus.OPEN.value, sla_due_at=sla_due_at or now,
        reasons=[r.model_dump(mode="json") for r in reasons], created_at=now, updated_at=now, product=product,
        required_role=required_role, required_skill=required_skill, sla_started_at=now, sla_paused_s=0.0,
        sla_level=SlaLevel.NONE.value, sla_rank=0, escalation_level=0,
    )
    if clock is not None:
        apply_clock(row, clock)
    session.add(row)
    session.flush()
    return row


def apply_clock(row: ReviewTaskRow, clock: SlaClock) -> None:
    """Store a clock's start, target and the instant of each warning level on the task."""
    row.sla_policy = clock.policy
    row.sla_started_at = clock.started_at
    row.sla_target_s = clock.target.total_seconds()
    set_marks(row, clock.marks)
    row.sla_calendar = clock.calendar.value


def set_marks(row: ReviewTaskRow, marks: dict[SlaLevel, datetime]) -> None:
    row.sla_blue_at = marks[SlaLevel.BLUE]
    row.sla_yellow_at = marks[SlaLevel.YELLOW]
    row.sla_orange_at = marks[SlaLevel.ORANGE]
    row.sla_due_at = marks[SlaLevel.RED]


def set_level(row: ReviewTaskRow, level: SlaLevel) -> None:
    row.sla_level = level.value
    row.sla_rank = level.rank


def get(session: Session, task_id: str) -> ReviewTaskRow:
    row = session.get(ReviewTaskRow, task_id)
    if row is None:
        raise NotFound("未找到该任务 (task not found)", code="task_not_found")
    return row


def list_active(session: Session, *, limit: int = 200) -> list[ReviewTaskRow]:
    """Active tasks, the earliest SLA due first (the review UI's queue)."""
    return list(
        session.scalars(
            select(ReviewTaskRow)
            .where(ReviewTaskRow.status.in_(ACTIVE))
            .order_by(ReviewTaskRow.sla_due_at, ReviewTaskRow.priority, ReviewTaskRow.created_at)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class TaskFilter:
    """Filters of a task list; ``status="active"`` means every status still waiting for people."""

    status: str | None = "active"
    kind: str | None = None
    level: SlaLevel | None = None
    assignee: str | None = None
    claimed_by: str | None = None
    application_id: str | None = None
    product: str | None = None
    required_role: str | None = None
    overdue_at: datetime | None = None  #: only tasks whose due time is at or before this instant
    roles: tuple[str, ...] | None = None  #: only tasks needing one of these roles (what a person may see)
    mine: str | None = None  #: only tasks this person holds or is assigned
    free_for: str | None = None  #: only tasks assigned to nobody or to this person
    search: str | None = None  #: borrower name, application/external id or task id (prefix), via ``matching``

    def clauses(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.status == "active":
            out.append(ReviewTaskRow.status.in_(ACTIVE_STATUSES))
        elif self.status:
            out.append(ReviewTaskRow.status == self.status)
        if self.level is not None:
            out.append(ReviewTaskRow.sla_rank == self.level.rank)
        for column, value in ((ReviewTaskRow.kind, self.kind), (ReviewTaskRow.assignee, self.assignee),
                              (ReviewTaskRow.claimed_by, self.claimed_by),
                              (ReviewTaskRow.application_id, self.application_id),
                              (ReviewTaskRow.product, self.product),
                              (ReviewTaskRow.required_role, self.required_role)):
            if value is not None:
                out.append(column == value)
        if self.overdue_at is not None:
            out.append(ReviewTaskRow.sla_due_at <= self.overdue_at)
        if self.roles is not None:
            out.append(ReviewTaskRow.required_role.in_(self.roles))
        if self.mine is not None:
            out.append(or_(ReviewTaskRow.claimed_by == self.mine, ReviewTaskRow.assignee == self.mine))
        if self.free_for is not None:
            out.append(or_(ReviewTaskRow.assignee.is_(None), ReviewTaskRow.assignee == self.free_for))
        if self.search:
            out.append(_matching(self.search))
        return out


def _matching(text: str) -> ColumnElement[bool]:
    """Tasks whose id starts with ``text``, or whose application's borrower, id or external id contains it."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    apps = select(ApplicationRow.id).where(or_(ApplicationRow.borrower_name.like(like, escape="\\"),
                                               ApplicationRow.external_id.like(like, escape="\\"),
                                               ApplicationRow.borrower_uscc == text,
                                               ApplicationRow.id.startswith(text, autoescape=True)))
    return or_(ReviewTaskRow.id.startswith(text, autoescape=True), ReviewTaskRow.application_id.in_(apps))


def list_tasks(session: Session, flt: TaskFilter, *, limit: int = 50, offset: int = 0,
               with_count: bool = True) -> tuple[list[ReviewTaskRow], int | None]:
    """One page of tasks in urgency order, and how many match, counted up to ``COUNT_CAP + 1``.

    The cap keeps a list fast on a queue of 100,000 tasks; a count above ``COUNT_CAP`` means "more than that".
    """
    clauses = flt.clauses()
    rows = list(session.scalars(select(ReviewTaskRow).where(*clauses).order_by(*URGENCY, ReviewTaskRow.id)
                                .limit(limit).offset(offset)))
    count = None
    if with_count:
        # ordered like the page, so the planner walks the same index instead of gambling on a table scan
        capped = select(ReviewTaskRow.id).where(*clauses).order_by(*URGENCY).limit(COUNT_CAP + 1).subquery()
        count = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    return rows, count


def eligible(reviewer: Reviewer, *, kind: str | None = None) -> list[ColumnElement[bool]]:
    """Open tasks this reviewer may take: their role, their skills, assigned to nobody else."""
    out: list[ColumnElement[bool]] = [
        ReviewTaskRow.status == TaskStatus.OPEN.value,
        ReviewTaskRow.required_role.in_(sorted(reviewer.task_roles)),
        or_(ReviewTaskRow.assignee.is_(None), ReviewTaskRow.assignee == reviewer.name),
    ]
    if reviewer.skills:
        out.append(or_(ReviewTaskRow.required_skill.is_(None), ReviewTaskRow.required_skill.in_(
            sorted(reviewer.skills))))
    if kind is not None:
        out.append(ReviewTaskRow.kind == kind)
    return out


def expired_leases(now: datetime) -> ColumnElement[bool]:
    return and_(ReviewTaskRow.status == TaskStatus.CLAIMED.value, ReviewTaskRow.lease_expires_at <= now)


def for_application(session: Session, application_id: str) -> list[ReviewTaskRow]:
    return list(
        session.scalars(
            select(ReviewTaskRow)
            .where(ReviewTaskRow.application_id == application_id)
            .order_by(ReviewTaskRow.created_at)
        )
    )


def active_count(session: Session, application_id: str) -> int:
    return int(session.scalar(
        select(func.count()).select_from(ReviewTaskRow)
        .where(ReviewTaskRow.application_id == application_id, ReviewTaskRow.status.in_(ACTIVE_STATUSES))
    ) or 0)


def to_model(row: ReviewTaskRow) -> ReviewTask:
    data: dict[str, Any] = {
        c: getattr(row, c) for c in (
            "id", "application_id", "document_id", "sla_due_at", "assignee", "resolution", "created_at",
            "resolved_at", "resolved_by", "product", "required_role", "required_skill", "claimed_by",
            "lease_expires_at", "first_touched_at", "sla_policy", "sla_started_at", "sla_level",
            "sla_paused_at", "sla_calendar", "escalation_level", "outcome", "reason_code",
        )
    }
    return ReviewTask(
        **data, kind=TaskKind(row.kind), priority=TaskPriority(row.priority), status=TaskStatus(row.status),
        reasons=[Reason.model_validate(r) for r in row.reasons], sla_paused_s=row.sla_paused_s or 0.0,
    )


def products_query():  # type: ignore[no-untyped-def]
    """Products of active tasks (the queue's product filter)."""
    return select(ReviewTaskRow.product).where(ReviewTaskRow.status.in_(ACTIVE_STATUSES)).distinct()
