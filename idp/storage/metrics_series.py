"""Time series for the 驾驶舱 charts: backlog by SLA level over time, straight-through rate per day (and per
document kind), first-touch and handle time distributions, 督办 per day. Computed from the tasks' own SLA marks
and the audit trail, so history is there without snapshots."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from idp.storage.metrics import decided_in_window
from idp.storage.tables import AuditEventRow, DocumentRow, EscalationRow, ReviewTaskRow

#: Most tasks looked at for the backlog curve (a bigger window is drawn from the most recent ones).
MAX_TASKS = 20_000
#: Distribution buckets (upper bounds in seconds) and their labels.
BUCKETS = [(60, "<1分钟"), (300, "1–5分钟"), (900, "5–15分钟"), (3600, "15–60分钟"), (4 * 3600, "1–4小时"),
           (24 * 3600, "4–24小时"), (float("inf"), ">1天")]
LEVELS = ("none", "blue", "yellow", "orange", "red")


def backlog_over_time(session: Session, *, since: datetime, until: datetime, points: int = 24) -> dict[str, Any]:
    """Open tasks at ``points`` instants of the window, by the SLA level each had reached then."""
    step = (until - since) / max(1, points - 1)
    instants = [since + step * i for i in range(points)]
    rows = session.execute(
        select(ReviewTaskRow.created_at, ReviewTaskRow.resolved_at, ReviewTaskRow.sla_blue_at,
               ReviewTaskRow.sla_yellow_at, ReviewTaskRow.sla_orange_at, ReviewTaskRow.sla_due_at,
               ReviewTaskRow.status)
        .where(ReviewTaskRow.created_at < until,
               or_(ReviewTaskRow.resolved_at.is_(None), ReviewTaskRow.resolved_at >= since),
               ReviewTaskRow.status != "cancelled")
        .order_by(ReviewTaskRow.created_at.desc()).limit(MAX_TASKS)).all()
    series: dict[str, list[int]] = {level: [0] * points for level in LEVELS}
    for created, resolved, blue, yellow, orange, red, _ in rows:
        marks = [(red, "red"), (orange, "orange"), (yellow, "yellow"), (blue, "blue")]
        for i, t in enumerate(instants):
            if created <= t and (resolved is None or resolved > t):
                level = next((name for at, name in marks if at is not None and at <= t), "none")
                series[level][i] += 1
    return {"at": [t.isoformat() for t in instants], "levels": series, "sampled": len(rows) >= MAX_TASKS}


def straight_through_by_day(session: Session, *, since: datetime, until: datetime, tz: tzinfo) -> dict[str, Any]:
    """Per Beijing day: the share of applications decided straight through, and per document kind the share of
    documents that needed no person (no task names them)."""
    decided = decided_in_window(session, since=since, until=until)
    when = dict(session.execute(select(AuditEventRow.application_id, AuditEventRow.at)
                                .where(AuditEventRow.action == "application.decided", AuditEventRow.at >= since,
                                       AuditEventRow.at < until)).all())
    days = _days(since, until, tz)
    apps: dict[str, list[int]] = {d: [0, 0] for d in days}
    for application_id, outcome in decided.items():
        at = when.get(application_id)
        day = at.astimezone(tz).date().isoformat() if at else None
        if day in apps:
            apps[day][0] += outcome == "straight_through"
            apps[day][1] += 1
    docs = session.execute(select(DocumentRow.id, DocumentRow.application_id, DocumentRow.kind)
                           .where(DocumentRow.application_id.in_(list(when)))).all() if when else []
    touched = set(session.scalars(select(ReviewTaskRow.document_id).where(
        ReviewTaskRow.document_id.in_([d.id for d in docs])))) if docs else set()
    kinds: dict[str, dict[str, list[int]]] = defaultdict(lambda: {d: [0, 0] for d in days})
    for doc_id, application_id, kind in docs:
        day = when[application_id].astimezone(tz).date().isoformat()
        if day in apps:
            kinds[kind][day][0] += doc_id not in touched
            kinds[kind][day][1] += 1
    return {"days": days, "applications": [_rate(*apps[d]) for d in days],
            "decided": [apps[d][1] for d in days],
            "kinds": {k: [_rate(*v[d]) for d in days] for k, v in sorted(kinds.items())}}


def time_distributions(session: Session, *, since: datetime, until: datetime) -> dict[str, Any]:
    """How long tasks waited for a first look (from creation) and took to handle (first look to resolved)."""
    first = Counter[str]()
    handle = Counter[str]()
    rows = session.execute(select(ReviewTaskRow.created_at, ReviewTaskRow.first_touched_at, ReviewTaskRow.resolved_at)
                           .where(or_(and_(ReviewTaskRow.created_at >= since, ReviewTaskRow.created_at < until),
                                      and_(ReviewTaskRow.resolved_at >= since, ReviewTaskRow.resolved_at < until))))
    for created, touched, resolved in rows:
        if touched is not None and since <= created < until:
            first[_bucket((touched - created).total_seconds())] += 1
        if resolved is not None and since <= resolved < until:
            handle[_bucket((resolved - (touched or created)).total_seconds())] += 1
    labels = [label for _, label in BUCKETS]
    return {"buckets": labels, "first_touch": [first[b] for b in labels], "handle": [handle[b] for b in labels]}


def escalations_by_day(session: Session, *, since: datetime, until: datetime, tz: tzinfo) -> dict[str, Any]:
    """督办 per Beijing day and level (1 组长, 2 主管, 3 分管领导)."""
    days = _days(since, until, tz)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for level, at in session.execute(select(EscalationRow.level, EscalationRow.created_at)
                                     .where(EscalationRow.created_at >= since, EscalationRow.created_at < until)):
        counts[int(level)][at.astimezone(tz).date().isoformat()] += 1
    return {"days": days, "levels": {str(level): [counts[level][d] for d in days] for level in (1, 2, 3)}}


def _days(since: datetime, until: datetime, tz: tzinfo) -> list[str]:
    first, last = since.astimezone(tz).date(), until.astimezone(tz).date()
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def _rate(good: int, total: int) -> float | None:
    return round(good / total, 4) if total else None


def _bucket(seconds: float) -> str:
    return next(label for bound, label in BUCKETS if seconds < bound)
