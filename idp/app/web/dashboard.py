"""驾驶舱 (监控看板): what team leads and supervisors watch: SLA levels, backlog, straight-through rate, 督办, people.

Server-rendered like the review pages. The figures are those of ``/v1/metrics``
(:func:`idp.storage.metrics.queue_metrics`), so the page and the API never disagree; the daily overdue list
comes from :mod:`queues.sla_followup`. The wall clock is read once per request, through :func:`clock`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from idp.app.auth.gates import WEB_WATCH
from idp.app.deps import SessionDep, SettingsDep
from idp.app.web import notices
from idp.app.web.dashboard_charts import charts
from idp.app.web.queue_page import STATUS_LABELS
from idp.app.web.templating import render
from idp.app.web.views import local_time, sla_text
from idp.models import ROLE_LABELS, SLA_LEVEL_LABELS, TASK_KIND_LABELS, Reviewer, SlaLevel
from idp.models.escalation import ESCALATIONS
from idp.storage import staff
from idp.storage.metrics import escalations_in_window, queue_metrics, urgent_tasks
from queues.clock import utcnow
from queues.sla_followup import (
    FOLLOWUP_LEVEL,
    FOLLOWUP_ROLE,
    FOLLOWUP_ROLE_LABEL,
    OverdueItem,
    business_day,
    overdue_list,
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)

#: Window choices: query value → (label, days back; None = since Beijing midnight).
WINDOWS: dict[str, tuple[str, int | None]] = {
    "today": ("今日", None), "7d": ("近7天", 7), "30d": ("近30天", 30),
}
DEFAULT_WINDOW = "today"
#: Rows of the most-urgent list, of the 督办 list and of the overdue list.
_URGENT_LIMIT = 10
_ESCALATION_LIMIT = 20
_OVERDUE_LIMIT = 20
#: SLA levels in table order (正常 first, 红 last) and their labels.
_LEVELS = [(level.value, SLA_LEVEL_LABELS[level]) for level in (SlaLevel.NONE, SlaLevel.BLUE, SlaLevel.YELLOW,
                                                                  SlaLevel.ORANGE, SlaLevel.RED)]
_LEVEL_LABELS = dict(_LEVELS)
_KIND_LABELS = {kind.value: label for kind, label in TASK_KIND_LABELS.items()}
_ROLE_LABELS = {**{role.value: label for role, label in ROLE_LABELS.items()},
                FOLLOWUP_ROLE: FOLLOWUP_ROLE_LABEL}
#: 督办 level → who it went to.
_LEVEL_ROLES = {**{level: ROLE_LABELS[role] for level, role in ESCALATIONS.values()},
                FOLLOWUP_LEVEL: FOLLOWUP_ROLE_LABEL}
_OVERDUE_FLAGS = {"breached": "当日超时", "escalated": "当日督办", "open_overdue": "超时未处理",
                  "resolved_late": "超时后处理"}


def clock() -> datetime:
    """The request's ``now`` (a dependency, so tests can fix it)."""
    return utcnow()


NowDep = Annotated[datetime, Depends(clock)]


@dataclass(frozen=True)
class Tile:
    key: str  #: stable name (``data-kpi``), for tests and styling
    label: str
    value: str
    sub: str = ""
    tone: str = ""  #: "", "warn" or "bad"


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, session: SessionDep, settings: SettingsDep, now: NowDep,
                   me: Annotated[Reviewer, Depends(WEB_WATCH)], window: str = DEFAULT_WINDOW,
                   done: str | None = None) -> Response:
    """驾驶舱 for team leads and supervisors (a reviewer or risk officer gets a 403 page)."""
    window = window if window in WINDOWS else DEFAULT_WINDOW
    tz = ZoneInfo(settings.business_timezone)
    since = window_start(window, now, tz)
    m = queue_metrics(session, since=since, until=now)
    overdue = overdue_list(session, day=business_day(now, tz), now=now, tz=tz)
    people = staff.everyone(session, active_only=True)
    return render(request, "dashboard.html", {
        "window": window, "notice": notices.text(done),
        "charts": charts(session, since=since, until=now, tz=tz, window=window),
        "staff": [{"name": p.username, "label": p.display_name or p.username, "role": p.role} for p in people],
        "window_label": WINDOWS[window][0],
        "windows": [(key, label) for key, (label, _) in WINDOWS.items()],
        "since": local_time(since), "until": local_time(now), "tiles": kpi_tiles(m),
        "levels": _LEVELS, "backlog": backlog_table(m["backlog"]), "urgent": _urgent(session, now),
        "escalation_counts": _escalation_counts(m["escalations"]),
        "escalations": _escalations(session, since, now), "reviewers": _reviewers(m["reviewers"]),
        "overdue": _overdue(overdue, now), "overdue_total": len(overdue),
        "overdue_repeated": sum(1 for i in overdue if i.repeated), "refresh_s": 120,
    }, people=staff.display_names(session))


def window_start(window: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Start of the window: Beijing midnight for 今日, else so many days back from ``now``."""
    days = WINDOWS[window][1]
    if days is None:
        return datetime.combine(now.astimezone(tz).date(), time(0), tz)
    return now - timedelta(days=days)


def kpi_tiles(m: dict[str, Any]) -> list[Tile]:
    """The six headline figures of the metrics."""
    apps, backlog = m["applications"], m["backlog"]
    rate = apps["straight_through_rate"]
    red = int(backlog["by_level"].get(SlaLevel.RED.value, 0))
    waiting = int(apps.get("in_flight", {}).get("awaiting_verification", 0))
    next_check = apps.get("next_verification_at")
    touch, handle = m["time_to_first_touch"], m["handle_time"]
    return [
        Tile("straight_through", "直通率", percent(rate),
             f"{apps['straight_through']} / {apps['decided']} 笔已决策申请自动通过"),
        Tile("backlog", "待处理积压", str(backlog["total"]), "当前未完成的审核任务"),
        Tile("red", "已超时(红)", str(red), f"窗口内新增超时 {m['breaches']['entered_red']} 个",
             "bad" if red else ""),
        Tile("awaiting_verification", "等待查验", str(waiting),
             f"下次查验 {local_time(datetime.fromisoformat(next_check))}" if next_check else "无待查验申请",
             "warn" if waiting else ""),
        Tile("first_touch", "平均首次响应", duration(touch["mean_s"]),
             f"P90 {duration(touch['p90_s'])} · 未响应 {touch['untouched']} 个"),
        Tile("handle_time", "平均处理时长", duration(handle["mean_s"]),
             f"从打开任务起计 · P90 {duration(handle['p90_s'])} · 已处理 {handle['count']} 个"),
    ]


def backlog_table(backlog: dict[str, Any]) -> dict[str, Any]:
    """Rows by task kind (the known kinds in their usual order, then any other), columns by SLA level."""
    by_kind: dict[str, dict[str, int]] = backlog["by_kind"]
    kinds = [k for k in _KIND_LABELS if k in by_kind] + sorted(k for k in by_kind if k not in _KIND_LABELS)
    rows = [{"kind": k, "label": _KIND_LABELS.get(k, k),
             "cells": [by_kind[k].get(level, 0) for level, _ in _LEVELS], "total": sum(by_kind[k].values())}
            for k in kinds]
    totals = [int(backlog["by_level"].get(level, 0)) for level, _ in _LEVELS]
    return {"rows": rows, "totals": totals, "total": backlog["total"]}


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def duration(seconds: float | None) -> str:
    """Seconds in words ("45秒", "12分钟", "1小时5分", "2天3小时"); "—" without a value."""
    if seconds is None:
        return "—"
    total = int(round(seconds))
    if total < 60:
        return f"{total}秒"
    minutes = total // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分" if mins else f"{hours}小时"
    return f"{mins}分钟"


def _urgent(session: Session, now: datetime) -> list[dict[str, Any]]:
    out = []
    for t in urgent_tasks(session, limit=_URGENT_LIMIT):
        due, left, overdue = sla_text(t["sla_due_at"], now)
        out.append({**t, "kind_label": _KIND_LABELS.get(t["kind"], t["kind"]),
                    "status_label": STATUS_LABELS.get(t["status"], t["status"]), "due": due, "left": left,
                    "overdue": overdue, "level_label": _LEVEL_LABELS.get(t["sla_level"], "")})
    return out


def _escalation_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(level, label, int(counts.get(level, 0))) for level, label in _LEVELS
            if level in (SlaLevel.ORANGE.value, SlaLevel.RED.value)]


def _escalations(session: Session, since: datetime, now: datetime) -> list[dict[str, Any]]:
    return [{**e, "at": local_time(e["created_at"]), "deadline_text": local_time(e["deadline"]),
             "role_label": _ROLE_LABELS.get(e["role"], e["role"]),
             "level_label": _LEVEL_LABELS.get(e["sla_level"], e["sla_level"]),
             "kind_label": _KIND_LABELS.get(e["kind"] or "", e["kind"] or "—"),
             "late": e["open"] and e["deadline"] < now}
            for e in escalations_in_window(session, since=since, until=now, limit=_ESCALATION_LIMIT)]


def _reviewers(people: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [{"name": name, **p, "rate": percent(p["correction_rate"])} for name, p in people.items()]
    return sorted(rows, key=lambda r: (-r["resolved"], -r["checked"], r["name"]))


def _overdue(items: list[OverdueItem], now: datetime) -> list[dict[str, Any]]:
    out = []
    for i in items[:_OVERDUE_LIMIT]:
        due, left, _ = sla_text(i.sla_due_at, now)
        out.append({"item": i, "kind_label": _KIND_LABELS.get(i.kind, i.kind), "due": due,
                    "left": left if i.status in ("open", "claimed") else "",
                    "status_label": STATUS_LABELS.get(i.status, i.status),
                    "level_label": _LEVEL_LABELS.get(i.sla_level, ""),
                    "flags": [_OVERDUE_FLAGS.get(f, f) for f in i.flags],
                    "top_role": _LEVEL_ROLES.get(i.top_level, "—")})
    return out
