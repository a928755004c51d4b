"""督办 past the supervisor: a follow-up when a 红 task outlives its 督办 deadline; the daily overdue list.

The follow-up is level 3 of the 督办 ladder (1 = team lead on 橙, 2 = supervisor on 红, 3 = 分管领导, role
``head``). It fires once the task is still 红 and running ``sla_followup_after_s`` of working time (the SLA
clock's working calendar, so nights, weekends and holidays do not count) after the deadline written on its
红 督办, and at most once per 红 episode: ``escalation_level`` goes from 2 to 3, and only a reopen (a fresh
clock, which resets it to 0, as it does for the 橙 and 红 督办) can lead to another one.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from idp.models import ROLE_LABELS, Role, SlaLevel, TaskStatus, add_business_time
from idp.models.escalation import ESCALATIONS, NOTICE_LIST_LIMIT, EscalationNotice, NoticeTask
from idp.ports import Notifier
from idp.settings import Settings
from idp.storage import tasks
from idp.storage.db import session_scope
from idp.storage.tables import (
    ApplicationRow,
    AuditEventRow,
    EscalationNoticeRow,
    EscalationRow,
    ReviewTaskRow,
    TaskSlaEventRow,
)
from queues.sla_config import calendar_for

logger = logging.getLogger(__name__)

#: The 督办 level of the follow-up, after 1 (team lead, 橙) and 2 (supervisor, 红).
FOLLOWUP_LEVEL = 3
#: Who the follow-up goes to.
FOLLOWUP_ROLE = Role.HEAD
FOLLOWUP_ROLE_LABEL = ROLE_LABELS[Role.HEAD]
#: The 红 督办 whose deadline the follow-up watches.
_SUPERVISOR_LEVEL = ESCALATIONS[SlaLevel.RED][0]


class FollowUpNotice(EscalationNotice):
    """The 督办 notice of a follow-up: same fields as the 橙/红 notices, addressed to the 分管领导."""

    def subject(self) -> str:
        return f"【督办升级】{self.total} 个审核任务超过主管督办期限仍未处理"

    def body(self) -> str:
        lines = [f"{FOLLOWUP_ROLE_LABEL}:", "",
                 f"以下 {self.total} 个任务已超时(红色预警),主管督办期限已过仍未处理(督办级别 {self.level}),"
                 "请督促处理。", ""]
        for t in self.tasks:
            lines.append(f"- 任务 {t.id}(申请 {t.application_id}):SLA 到期 {t.due_at:%Y-%m-%d %H:%M} UTC,"
                         f"督办期限 {t.deadline:%Y-%m-%d %H:%M} UTC")
        if self.total > len(self.tasks):
            lines.append(f"…… 另有 {self.total - len(self.tasks)} 个任务")
        return "\n".join(lines)


def followup_contacts(settings: Settings) -> list[str]:
    return list(settings.escalation_contacts.get(FOLLOWUP_ROLE) or [FOLLOWUP_ROLE])


def escalate_followups(session: Session, settings: Settings, now: datetime, *,
                       channel: str) -> tuple[int | None, int]:
    """Level-3 督办 records (with audit entries and one notice row) for the tasks due a follow-up at ``now``.

    Called by the sweep inside its lock and transaction. Returns the notice row's id (None when nothing was
    due) and how many tasks were escalated.
    """
    latest = (  # the deadline of each 红 task's latest supervisor 督办 (an earlier one may predate a reopen)
        select(EscalationRow.task_id, func.max(EscalationRow.deadline).label("deadline"))
        .join(ReviewTaskRow, ReviewTaskRow.id == EscalationRow.task_id)
        .where(EscalationRow.level == _SUPERVISOR_LEVEL, ReviewTaskRow.status.in_(tasks.RUNNING),
               ReviewTaskRow.sla_rank == SlaLevel.RED.rank,
               ReviewTaskRow.escalation_level == _SUPERVISOR_LEVEL)
        .group_by(EscalationRow.task_id)
        .having(func.max(EscalationRow.deadline) <= now)
    )
    cal, grace = calendar_for(settings), timedelta(seconds=settings.sla_followup_after_s)
    due = {task_id: deadline for task_id, deadline in session.execute(latest)
           if add_business_time(deadline, grace, cal) <= now}
    if not due:
        return None, 0
    moved = session.execute(  # the guard makes a concurrent or repeated pass a no-op
        update(ReviewTaskRow)
        .where(ReviewTaskRow.id.in_(list(due)), ReviewTaskRow.escalation_level == _SUPERVISOR_LEVEL)
        .values(escalation_level=FOLLOWUP_LEVEL).returning(ReviewTaskRow.id, ReviewTaskRow.application_id,
                                                           ReviewTaskRow.document_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not moved:  # pragma: no cover - the sweep lock keeps a second pass out
        return None, 0
    recipients = followup_contacts(settings)
    deadline = add_business_time(now, settings.escalation_deadline_hours, cal)
    notice = EscalationNoticeRow(created_at=now, level=FOLLOWUP_LEVEL, sla_level=SlaLevel.RED.value,
                                 role=FOLLOWUP_ROLE, recipients=recipients, channel=channel, total=len(moved))
    session.add(notice)
    session.flush()
    for task_id, application_id, document_id in moved:
        session.add(EscalationRow(task_id=task_id, level=FOLLOWUP_LEVEL, sla_level=SlaLevel.RED.value,
                                  role=FOLLOWUP_ROLE, recipients=recipients, channel=channel, created_at=now,
                                  deadline=deadline, notice_id=notice.id))
        session.add(AuditEventRow(
            at=now, actor="system", action="task.escalated", application_id=application_id,
            document_id=document_id, task_id=task_id,
            detail={"sla_level": SlaLevel.RED.value, "escalation_level": FOLLOWUP_LEVEL,
                    "role": FOLLOWUP_ROLE, "recipients": recipients, "notice_id": notice.id,
                    "follow_up": True,
                    "missed_deadline": due[task_id].isoformat()}))
    logger.info("督办 follow-up at %s: %d task(s) to %s", now.isoformat(), len(moved), FOLLOWUP_ROLE)
    return notice.id, len(moved)


def notify_followup(settings: Settings, notifier: Notifier, notice_id: int, now: datetime) -> bool:
    """Send the follow-up notice listing its tasks; whether it went out is written on the notice row."""
    with session_scope(settings.effective_database_url) as s:
        row = s.get(EscalationNoticeRow, notice_id)
        if row is None:  # pragma: no cover - written by this sweep a moment ago
            return False
        listed = s.execute(
            select(ReviewTaskRow.id, ReviewTaskRow.kind, ReviewTaskRow.application_id,
                   ReviewTaskRow.sla_due_at, EscalationRow.deadline)
            .join(EscalationRow, EscalationRow.task_id == ReviewTaskRow.id)
            .where(EscalationRow.notice_id == notice_id)
            .order_by(ReviewTaskRow.priority, ReviewTaskRow.sla_due_at).limit(NOTICE_LIST_LIMIT)
        ).all()
        notice = FollowUpNotice(level=row.level, sla_level=SlaLevel.RED, role=row.role,
                                recipients=list(row.recipients), at=now, total=row.total,
                                tasks=[NoticeTask(id=t[0], kind=t[1], application_id=t[2], due_at=t[3],
                                                  deadline=t[4]) for t in listed])
    error: str | None = None
    try:
        notifier.notify(notice)
    except Exception as exc:  # as for the 橙/红 notices: the failure stays visible on the row
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.error("督办 follow-up notice %d (%d tasks) failed: %s", notice_id, notice.total, error)
    with session_scope(settings.effective_database_url) as s:
        row = s.get(EscalationNoticeRow, notice_id)
        if row is not None:
            row.sent_at, row.error = (None, error) if error else (now, None)
    return error is None


# --- the daily overdue list ------------------------------------------------------------------------------


@dataclass
class OverdueItem:
    """One task on the daily overdue list, with its history of breaches and 督办 up to the list's end."""

    task_id: str
    application_id: str
    borrower: str
    kind: str
    status: str
    priority: int
    sla_level: str
    sla_due_at: datetime
    holder: str | None  #: who has claimed or been assigned it
    breaches: int  #: 红 entries (more than one: reopened and breached again)
    escalations: int  #: 督办 records of every level
    overdue_escalations: int  #: 督办 at the supervisor's level or above (红 and follow-ups)
    top_level: int  #: highest 督办 level reached
    reopened: int
    #: why it is listed: breached (entered 红 that day), escalated (督办 at level 2+ that day), open_overdue
    #: (in 红 and open), resolved_late (resolved that day or later, past its due time)
    flags: list[str] = field(default_factory=list)

    @property
    def repeated(self) -> bool:
        """Overdue more than once: breached again after a reopen, or 督办 past the supervisor's deadline."""
        return self.breaches > 1 or self.overdue_escalations > 1

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "sla_due_at": self.sla_due_at.isoformat(), "repeated": self.repeated}


def business_day(now: datetime, tz: tzinfo) -> date:
    """The local (Beijing) date of ``now``: the day a daily list is about."""
    return now.astimezone(tz).date()


def overdue_list(session: Session, *, day: date, now: datetime, tz: tzinfo,
                 repeated_only: bool = False) -> list[OverdueItem]:
    """The daily list of overdue tasks for the local ``day``, repeat offenders first.

    Listed: every task that entered 红 or got a 督办 at the supervisor's level or above during the day, and
    every task still overdue during it: in 红 and open (as of now), or resolved during or after the day but
    past its due time. The counts cover the task's history up to the end of the day (or ``now`` if earlier).
    """
    start = datetime.combine(day, time(0), tz)
    end = min(start + timedelta(days=1), now)
    if end <= start:
        return []
    breached_ids = set(session.scalars(select(TaskSlaEventRow.task_id).where(
        TaskSlaEventRow.level == SlaLevel.RED.value, TaskSlaEventRow.entered_at >= start,
        TaskSlaEventRow.entered_at < end)))
    escalated_ids = set(session.scalars(select(EscalationRow.task_id).where(
        EscalationRow.level >= _SUPERVISOR_LEVEL, EscalationRow.created_at >= start,
        EscalationRow.created_at < end)))
    open_ids = set(session.scalars(select(ReviewTaskRow.id).where(
        ReviewTaskRow.sla_due_at < end, ReviewTaskRow.status.in_(tasks.ACTIVE),
        ReviewTaskRow.sla_rank == SlaLevel.RED.rank)))
    late_ids = set(session.scalars(select(ReviewTaskRow.id).where(
        ReviewTaskRow.sla_due_at < end, ReviewTaskRow.status == TaskStatus.RESOLVED.value,
        ReviewTaskRow.resolved_at >= start, ReviewTaskRow.resolved_at > ReviewTaskRow.sla_due_at)))
    ids = breached_ids | escalated_ids | open_ids | late_ids
    if not ids:
        return []
    breaches = Counter(session.scalars(select(TaskSlaEventRow.task_id).where(
        TaskSlaEventRow.task_id.in_(ids), TaskSlaEventRow.level == SlaLevel.RED.value,
        TaskSlaEventRow.entered_at < end)))
    levels: dict[str, list[int]] = defaultdict(list)
    for task_id, level in session.execute(select(EscalationRow.task_id, EscalationRow.level).where(
            EscalationRow.task_id.in_(ids), EscalationRow.created_at < end)):
        levels[task_id].append(level)
    reopened: Counter[str] = Counter()
    for task_id, detail in session.execute(select(AuditEventRow.task_id, AuditEventRow.detail).where(
            AuditEventRow.task_id.in_(ids), AuditEventRow.action == "task.reopened", AuditEventRow.at < end)):
        if (detail or {}).get("reason") != "correction_rejected":  # a rejected correction is no reopen
            reopened[task_id or ""] += 1
    rows = session.execute(select(ReviewTaskRow, ApplicationRow.borrower_name)
                           .join(ApplicationRow, ApplicationRow.id == ReviewTaskRow.application_id)
                           .where(ReviewTaskRow.id.in_(ids))).all()
    items = []
    for row, borrower in rows:
        flags = [flag for flag, found in (("breached", breached_ids), ("escalated", escalated_ids),
                                          ("open_overdue", open_ids), ("resolved_late", late_ids))
                 if row.id in found]
        esc = levels.get(row.id, [])
        items.append(OverdueItem(
            task_id=row.id, application_id=row.application_id, borrower=borrower or "", kind=row.kind,
            status=row.status, priority=row.priority, sla_level=row.sla_level, sla_due_at=row.sla_due_at,
            holder=row.claimed_by or row.assignee, breaches=breaches.get(row.id, 0), escalations=len(esc),
            overdue_escalations=sum(1 for level in esc if level >= _SUPERVISOR_LEVEL),
            top_level=max(esc, default=0), reopened=reopened.get(row.id, 0), flags=flags))
    if repeated_only:
        items = [i for i in items if i.repeated]
    items.sort(key=lambda i: (not i.repeated, -i.breaches, -i.top_level, i.sla_due_at, i.task_id))
    return items
