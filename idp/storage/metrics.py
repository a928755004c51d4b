"""Queue measures over a time window: straight-through rate, backlog, handle times, breaches, people."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idp.storage.tables import (
    ACTIVE_STATUSES,
    ApplicationRow,
    AuditEventRow,
    EscalationRow,
    PendingCorrectionRow,
    ReviewTaskRow,
    TaskSlaEventRow,
)
from idp.storage.tasks import RUNNING


def _durations(pairs: list[tuple[datetime | None, datetime | None]]) -> dict[str, float | int | None]:
    """Count, mean, p50 and p90 in seconds of (start, end) pairs with both ends known."""
    values = sorted((end - start).total_seconds() for start, end in pairs if start and end and end >= start)
    if not values:
        return {"count": 0, "mean_s": None, "p50_s": None, "p90_s": None}
    def rank(p: float) -> float:  # nearest-rank percentile
        return round(values[max(0, math.ceil(p * len(values)) - 1)], 1)

    return {"count": len(values), "mean_s": round(statistics.fmean(values), 1), "p50_s": rank(0.5),
            "p90_s": rank(0.9)}


def decided_in_window(session: Session, *, since: datetime, until: datetime) -> dict[str, str]:
    """Application id → outcome of its last decision in ``[since, until)`` (the ``application.decided`` audit
    records; an application finalised in the window without one counts with its stored decision)."""
    out: dict[str, str] = {}
    rows = session.execute(select(AuditEventRow.application_id, AuditEventRow.detail)
                           .where(AuditEventRow.action == "application.decided", AuditEventRow.at >= since,
                                  AuditEventRow.at < until).order_by(AuditEventRow.at))
    for application_id, detail in rows:
        if application_id:
            out[application_id] = str((detail or {}).get("outcome") or "")
    finalised = session.execute(select(ApplicationRow.id, ApplicationRow.decision)
                                .where(ApplicationRow.finalized_at >= since, ApplicationRow.finalized_at < until))
    for application_id, decision in finalised:
        out.setdefault(application_id, str((decision or {}).get("outcome") or ""))
    return out


def queue_metrics(session: Session, *, since: datetime, until: datetime) -> dict[str, Any]:
    """Every measure for what happened inside ``[since, until)``; the backlog is as of now."""
    def in_window(column: Any) -> tuple[Any, Any]:
        return column >= since, column < until

    decisions = [d for (d,) in session.execute(select(ApplicationRow.decision)
                                               .where(*in_window(ApplicationRow.finalized_at)))]
    decided = decided_in_window(session, since=since, until=until)
    straight = sum(1 for outcome in decided.values() if outcome == "straight_through")
    by_status = dict(session.execute(
        select(ApplicationRow.status, func.count()).where(ApplicationRow.status != "completed")
        .group_by(ApplicationRow.status)).all())
    next_check = session.scalar(select(func.min(ApplicationRow.verification_retry_at))
                                .where(ApplicationRow.status == "awaiting_verification"))

    backlog_rows = session.execute(
        select(ReviewTaskRow.kind, ReviewTaskRow.sla_level, func.count())
        .where(ReviewTaskRow.status.in_(ACTIVE_STATUSES)).group_by(ReviewTaskRow.kind,
                                                                   ReviewTaskRow.sla_level)
    ).all()
    by_level: Counter[str] = Counter()
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, level, count in backlog_rows:
        by_level[level] += count
        by_kind[kind][level] = count

    created = session.execute(select(ReviewTaskRow.created_at, ReviewTaskRow.first_touched_at)
                              .where(*in_window(ReviewTaskRow.created_at))).all()
    resolved = session.execute(
        select(ReviewTaskRow.created_at, ReviewTaskRow.first_touched_at, ReviewTaskRow.resolved_at,
               ReviewTaskRow.sla_due_at, ReviewTaskRow.resolved_by, ReviewTaskRow.outcome)
        .where(ReviewTaskRow.status == "resolved", *in_window(ReviewTaskRow.resolved_at))
    ).all()
    breaches = session.scalar(select(func.count()).select_from(TaskSlaEventRow).where(
        TaskSlaEventRow.level == "red", *in_window(TaskSlaEventRow.entered_at))) or 0
    escalations = dict(session.execute(
        select(EscalationRow.sla_level, func.count()).where(*in_window(EscalationRow.created_at))
        .group_by(EscalationRow.sla_level)).all())
    checks = dict(session.execute(
        select(PendingCorrectionRow.checker, func.count())
        .where(PendingCorrectionRow.status.in_(["approved", "rejected"]),
               *in_window(PendingCorrectionRow.checked_at))
        .group_by(PendingCorrectionRow.checker)).all())

    people: dict[str, dict[str, Any]] = defaultdict(lambda: {"resolved": 0, "corrected": 0, "checked": 0})
    for row in resolved:
        person = people[row.resolved_by or "—"]
        person["resolved"] += 1
        person["corrected"] += 1 if row.outcome == "corrected" else 0
    for checker, count in checks.items():
        people[checker or "—"]["checked"] = count
    for person in people.values():
        person["correction_rate"] = round(person["corrected"] / person["resolved"],
                                          4) if person["resolved"] else None

    return {
        "window": {"since": since.isoformat(), "until": until.isoformat()},
        # 直通率 over every application decided in the window (straight through or sent to review), not only
        # those already finished: a backlog of reviews would otherwise flatter it
        "applications": {"finalised": len(decisions), "decided": len(decided), "straight_through": straight,
                         "straight_through_rate": round(straight / len(decided), 4) if decided else None,
                         # in flight now: awaiting_verification waits on the authorities, not on people
                         "in_flight": by_status,
                         "next_verification_at": next_check.isoformat() if next_check else None},
        "backlog": {"total": sum(by_level.values()), "by_level": dict(by_level), "by_kind": dict(by_kind)},
        "time_to_first_touch": {**_durations([(c, t) for c, t in created]),
                                "untouched": sum(1 for _, t in created if t is None)},
        "handle_time": _durations([(r.first_touched_at or r.created_at, r.resolved_at) for r in resolved]),
        "cycle_time": _durations([(r.created_at, r.resolved_at) for r in resolved]),
        "breaches": {"entered_red": int(breaches),
                     "resolved_late": sum(1 for r in resolved
                                          if r.resolved_at and r.resolved_at > r.sla_due_at)},
        "escalations": escalations,
        "reviewers": dict(sorted(people.items())),
    }


def urgent_tasks(session: Session, *, limit: int = 10) -> list[dict[str, Any]]:
    """The most urgent running tasks (highest SLA level, then the earliest due), for the 监控看板.

    Paused tasks (补件, waiting for an outside check) are left out: their clock is stopped.
    """
    rows = session.execute(
        select(ReviewTaskRow, ApplicationRow.borrower_name)
        .join(ApplicationRow, ApplicationRow.id == ReviewTaskRow.application_id)
        .where(ReviewTaskRow.status.in_(RUNNING))
        .order_by(ReviewTaskRow.sla_rank.desc(), ReviewTaskRow.sla_due_at, ReviewTaskRow.priority,
                  ReviewTaskRow.created_at, ReviewTaskRow.id)
        .limit(limit)
    ).all()
    return [{"id": r.id, "kind": r.kind, "status": r.status, "priority": r.priority, "sla_level": r.sla_level,
             "sla_due_at": r.sla_due_at, "created_at": r.created_at, "borrower": borrower or "",
             "holder": r.claimed_by if r.status == "claimed" else None, "assignee": r.assignee,
             "escalation_level": r.escalation_level}
            for r, borrower in rows]


def escalations_in_window(session: Session, *, since: datetime, until: datetime,
                          limit: int = 20) -> list[dict[str, Any]]:
    """The latest 督办 records created inside ``[since, until)``, with whether their task is still open."""
    rows = session.execute(
        select(EscalationRow, ReviewTaskRow.status, ReviewTaskRow.kind)
        .join(ReviewTaskRow, ReviewTaskRow.id == EscalationRow.task_id, isouter=True)
        .where(EscalationRow.created_at >= since, EscalationRow.created_at < until)
        .order_by(EscalationRow.created_at.desc(), EscalationRow.level.desc(), EscalationRow.id.desc())
        .limit(limit)
    ).all()
    return [{"task_id": e.task_id, "level": e.level, "sla_level": e.sla_level, "role": e.role,
             "recipients": list(e.recipients or []), "created_at": e.created_at, "deadline": e.deadline,
             "kind": kind, "open": status in ACTIVE_STATUSES} for e, status, kind in rows]
