"""The SLA sweep: moves every running task to the level its clock has reached, records each level entered,
and escalates (督办) on entering 橙 (team lead) and 红 (supervisor) through the configured notifier; a
task still 红 past the supervisor's deadline is followed up once more (:mod:`queues.sla_followup`).

Set-based SQL, so a sweep over 100,000 open tasks stays within seconds: each task stores the instant its
clock reaches each level (:mod:`idp.models.sla`), so finding the tasks that crossed one is a comparison.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from redis import Redis
from sqlalchemy import JSON, ColumnElement, and_, case, func, insert, literal, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from idp.models import SlaLevel, add_business_time, business_elapsed
from idp.models.escalation import ESCALATIONS, NOTICE_LIST_LIMIT, EscalationNotice, NoticeTask
from idp.models.sla import WARNING_LEVELS, marks_for
from idp.ports import Notifier
from idp.settings import Settings
from idp.storage import tasks
from idp.storage.db import session_scope
from idp.storage.locking import begin_write, is_sqlite
from idp.storage.tables import (
    AuditEventRow,
    EscalationNoticeRow,
    EscalationRow,
    ReviewTaskRow,
    TaskSlaEventRow,
)
from idp.storage.types import UtcDateTime
from queues import sla_followup
from queues.sla_config import calendar_for, contacts_for, fractions_for, notifier_for
from queues.taskqueue import expire_leases

logger = logging.getLogger(__name__)

#: The instant each level is reached, per task.
MARKS: dict[SlaLevel, InstrumentedAttribute[datetime | None]] = {
    SlaLevel.BLUE: ReviewTaskRow.sla_blue_at,
    SlaLevel.YELLOW: ReviewTaskRow.sla_yellow_at,
    SlaLevel.ORANGE: ReviewTaskRow.sla_orange_at,
    SlaLevel.RED: ReviewTaskRow.sla_due_at,
}
#: PostgreSQL advisory lock held by the one sweep running at a time.
_SWEEP_LOCK = 0x51A_5EE9
#: Most tasks backfilled (clock without warning instants) per sweep.
_BACKFILL_BATCH = 5000


@dataclass
class SweepReport:
    at: datetime
    entered: dict[str, int] = field(default_factory=dict)  #: tasks that entered each level
    escalated: dict[str, int] = field(default_factory=dict)  #: 督办 records written per level
    notices: int = 0
    notice_errors: int = 0
    expired_leases: int = 0
    backfilled: int = 0
    fallback_tasks: int = 0  #: tasks moved by this sweep on a fallback-calendar clock (an unknown year)
    followed_up: int = 0  #: 红 tasks past the supervisor's 督办 deadline escalated to the 分管领导 (level 3)
    seconds: float = 0.0
    skipped: bool = False  #: another sweep held the lock

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


def _utc(value: datetime) -> ColumnElement[datetime]:
    return literal(value, UtcDateTime())


def sweep(settings: Settings, now: datetime, *, notifier: Notifier | None = None) -> SweepReport:
    """One pass over every running task at ``now`` (expired leases, levels, 督办, notices)."""
    started = time.perf_counter()
    report = SweepReport(at=now)
    report.expired_leases = len(expire_leases(settings, now=now))
    report.backfilled = _backfill(settings, now)
    notifier = notifier or notifier_for(settings)
    notices: list[tuple[int, SlaLevel]] = []
    followup_id: int | None = None
    with session_scope(settings.effective_database_url) as s:
        if not _take_lock(s):
            report.skipped = True
            return report
        if _advance(s, now):
            for level in WARNING_LEVELS:
                report.entered[level.value] = _record_entries(s, level, now)
            for level in ESCALATIONS:
                notice_id, count = _escalate(s, settings, level, now, channel=notifier.channel)
                report.escalated[level.value] = count
                if notice_id is not None:
                    notices.append((notice_id, level))
            report.fallback_tasks = int(s.scalar(
                select(func.count()).select_from(ReviewTaskRow)
                .where(ReviewTaskRow.sla_level_at == now, ReviewTaskRow.sla_calendar == "fallback")) or 0)
        # tasks already 红 do not move, so the follow-up is looked for on every sweep
        followup_id, report.followed_up = sla_followup.escalate_followups(s, settings, now,
                                                                          channel=notifier.channel)
    for notice_id, level in notices:
        ok = _notify(settings, notifier, notice_id, level, now)
        report.notices += 1
        report.notice_errors += 0 if ok else 1
    if followup_id is not None:
        ok = sla_followup.notify_followup(settings, notifier, followup_id, now)
        report.notices += 1
        report.notice_errors += 0 if ok else 1
    if report.fallback_tasks:
        logger.warning("%d task(s) changed level on SLA times from the fallback calendar (weekends, fixed "
                       "holidays and overrides: chinese-calendar lacks the year)", report.fallback_tasks)
    report.seconds = round(time.perf_counter() - started, 3)
    if any(report.entered.values()):
        logger.info("SLA sweep at %s: %s", now.isoformat(), report.entered)
    return report


def _take_lock(session: Session) -> bool:
    if is_sqlite(session):
        begin_write(session)  # one writer at a time: a second sweep waits, then finds nothing left to do
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _SWEEP_LOCK}))


def _advance(session: Session, now: datetime) -> int:
    """One UPDATE moves every running task whose next level's instant has passed; returns how many moved.

    Each moved row keeps its previous rank and ``sla_level_at = now``, which is how the entries and 督办 of
    this sweep are found afterwards (exactly the rows this statement changed).
    """
    rank = ReviewTaskRow.sla_rank
    next_mark = case((rank == 0, MARKS[SlaLevel.BLUE]), (rank == 1, MARKS[SlaLevel.YELLOW]),
                     (rank == 2, MARKS[SlaLevel.ORANGE]), else_=MARKS[SlaLevel.RED])
    reached = [(MARKS[level] <= now, level) for level in reversed(WARNING_LEVELS)]
    new_rank = case(*[(cond, level.rank) for cond, level in reached], else_=0)
    new_level = case(*[(cond, level.value) for cond, level in reached], else_=SlaLevel.NONE.value)
    escalation = case(*[(cond, ESCALATIONS[level][0]) for cond, level in reached if level in ESCALATIONS],
                      else_=ReviewTaskRow.escalation_level)
    moved = session.execute(
        update(ReviewTaskRow)
        .where(ReviewTaskRow.status.in_(tasks.RUNNING), rank < SlaLevel.RED.rank, next_mark <= now)
        .values(sla_prev_rank=rank, sla_rank=new_rank, sla_level=new_level, sla_level_at=now,
                escalation_level=escalation)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return int(moved)


def _entered(level: SlaLevel, now: datetime) -> ColumnElement[bool]:
    """Rows this sweep moved into or past ``level``."""
    return and_(ReviewTaskRow.sla_level_at == now, ReviewTaskRow.sla_prev_rank < level.rank,
                ReviewTaskRow.sla_rank >= level.rank)


def _record_entries(session: Session, level: SlaLevel, now: datetime) -> int:
    """One append-only entry per task that entered ``level``, at the instant its clock reached it."""
    count = _count_entered(session, level, now)
    if count:
        session.execute(insert(TaskSlaEventRow).from_select(
            ["task_id", "level", "entered_at", "recorded_at", "calendar"],
            select(ReviewTaskRow.id, literal(level.value), MARKS[level], _utc(now),
                   ReviewTaskRow.sla_calendar)
            .where(_entered(level, now)),
        ))
    return count


def _count_entered(session: Session, level: SlaLevel, now: datetime) -> int:
    stmt = select(func.count()).select_from(ReviewTaskRow).where(_entered(level, now))
    return int(session.scalar(stmt) or 0)


def _escalate(session: Session, settings: Settings, level: SlaLevel, now: datetime, *,
              channel: str) -> tuple[int | None, int]:
    """督办 records (and audit entries) for the tasks that entered ``level``; one notice row groups them."""
    count = _count_entered(session, level, now)
    if not count:
        return None, 0
    esc_level, role = ESCALATIONS[level]
    recipients = contacts_for(settings, role)
    notice = EscalationNoticeRow(created_at=now, level=esc_level, sla_level=level.value, role=role.value,
                                 recipients=recipients, channel=channel, total=count)
    session.add(notice)
    session.flush()
    # the team lead has until the task's due time; the supervisor a fixed number of business hours from now
    deadline: ColumnElement[datetime] | InstrumentedAttribute[datetime] = (
        ReviewTaskRow.sla_due_at if level != SlaLevel.RED else _utc(_red_deadline(settings, now))
    )
    session.execute(insert(EscalationRow).from_select(
        ["task_id", "level", "sla_level", "role", "recipients", "channel", "created_at", "deadline",
         "notice_id"],
        select(ReviewTaskRow.id, literal(esc_level), literal(level.value), literal(role.value),
               literal(recipients, JSON()), literal(channel), _utc(now), deadline, literal(notice.id))
        .where(_entered(level, now)),
    ))
    detail = {"sla_level": level.value, "escalation_level": esc_level, "role": role.value,
              "recipients": recipients,
              "notice_id": notice.id}
    session.execute(insert(AuditEventRow).from_select(
        ["at", "actor", "action", "application_id", "document_id", "task_id", "detail"],
        select(_utc(now), literal("system"), literal("task.escalated"), ReviewTaskRow.application_id,
               ReviewTaskRow.document_id, ReviewTaskRow.id, literal(detail, JSON()))
        .where(_entered(level, now)),
    ))
    return notice.id, count


def _red_deadline(settings: Settings, now: datetime) -> datetime:
    return add_business_time(now, settings.escalation_deadline_hours, calendar_for(settings))


def _notify(settings: Settings, notifier: Notifier, notice_id: int, level: SlaLevel, now: datetime) -> bool:
    """Send one notice listing the escalated tasks; whether it went out is written on the notice row."""
    with session_scope(settings.effective_database_url) as s:
        row = s.get(EscalationNoticeRow, notice_id)
        if row is None:  # pragma: no cover - written by this sweep a moment ago
            return False
        tasks_listed = s.execute(  # the tasks this sweep moved (found by the sla_level_at index)
            select(ReviewTaskRow.id, ReviewTaskRow.kind, ReviewTaskRow.application_id,
                   ReviewTaskRow.sla_due_at)
            .where(_entered(level, now))
            .order_by(ReviewTaskRow.priority, ReviewTaskRow.sla_due_at).limit(NOTICE_LIST_LIMIT)
        ).all()
        red_deadline = _red_deadline(settings, now)
        notice = EscalationNotice(
            level=row.level, sla_level=level, role=ESCALATIONS[level][1], recipients=list(row.recipients),
            at=now, total=row.total,
            tasks=[NoticeTask(id=t[0], kind=t[1], application_id=t[2], due_at=t[3],
                              deadline=red_deadline if level == SlaLevel.RED else t[3])
                   for t in tasks_listed],
        )
    error: str | None = None
    try:
        notifier.notify(notice)
    except Exception as exc:  # a notice that cannot go out must not stop the sweep; it stays visible
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.error("督办 notice %d (%s, %d tasks) failed: %s", notice_id, level.value, notice.total, error)
    with session_scope(settings.effective_database_url) as s:
        row = s.get(EscalationNoticeRow, notice_id)
        if row is not None:
            row.sent_at, row.error = (None, error) if error else (now, None)
    return error is None


def _backfill(settings: Settings, now: datetime) -> int:
    """Tasks with only a due time (older rows, or tests) get their warning instants, keeping that due time."""
    cal = calendar_for(settings)
    fractions = fractions_for(settings)
    with session_scope(settings.effective_database_url) as s:
        stmt = select(ReviewTaskRow).where(ReviewTaskRow.status.in_(tasks.ACTIVE),
                                           ReviewTaskRow.sla_target_s.is_(None)).limit(_BACKFILL_BATCH)
        rows = list(s.scalars(stmt))
        for row in rows:
            start = row.sla_started_at or row.created_at
            target = business_elapsed(start, row.sla_due_at, cal)
            marks = marks_for(start, target, fractions, cal) if target else dict.fromkeys(WARNING_LEVELS,
                                                                                           row.sla_due_at)
            marks[SlaLevel.RED] = row.sla_due_at
            row.sla_started_at, row.sla_target_s = start, target.total_seconds()
            tasks.set_marks(row, marks)
            row.sla_policy = row.sla_policy or "explicit_due"
            row.sla_calendar = "fallback" if cal.uses_fallback(start, row.sla_due_at) else "chinese_calendar"
    return len(rows)


def schedule_sweep(settings: Settings, conn: Redis, now: datetime) -> bool:
    """Enqueue one sweep job per interval across all workers (called from each worker's maintenance round)."""
    from queues import enqueue

    key = f"{settings.queue_prefix}:sla-sweep-scheduled"
    if not conn.set(key, now.isoformat(), nx=True, ex=max(1, settings.sla_sweep_interval_s)):
        return False
    enqueue.enqueue_sla_sweep(settings)
    return True
