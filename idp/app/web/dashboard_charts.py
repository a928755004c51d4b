"""The 驾驶舱's chart data (drawn in the browser by the vendored Apache ECharts, ``static/vendor/echarts``)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from idp.app.web.labels import kind_label
from idp.models import SLA_LEVEL_LABELS, SlaLevel
from idp.storage.metrics_series import (
    backlog_over_time,
    escalations_by_day,
    straight_through_by_day,
    time_distributions,
)

#: Daily charts look back at least this many days, whatever the window.
MIN_DAYS = 7
_LEVEL_LABELS = {level.value: label for level, label in SLA_LEVEL_LABELS.items()}
_ESCALATION_LABELS = {"1": "督办组长(橙)", "2": "督办主管(红)", "3": "督办分管领导"}


def charts(session: Session, *, since: datetime, until: datetime, tz: tzinfo, window: str) -> dict[str, Any]:
    """Everything the four charts draw, with Chinese series names."""
    daily_since = min(since, until - timedelta(days=MIN_DAYS - 1))
    points = 25 if window == "today" else 29
    backlog = backlog_over_time(session, since=since, until=until, points=points)
    fmt = "%H:%M" if window == "today" else "%m-%d %H时"
    stp = straight_through_by_day(session, since=daily_since, until=until, tz=tz)
    esc = escalations_by_day(session, since=daily_since, until=until, tz=tz)
    return {
        "backlog": {"x": [datetime.fromisoformat(t).astimezone(tz).strftime(fmt) for t in backlog["at"]],
                    "series": [{"name": _LEVEL_LABELS.get(level, level), "level": level, "data": data}
                               for level, data in backlog["levels"].items()]},
        "straight_through": {"x": stp["days"], "decided": stp["decided"],
                             "series": [{"name": "申请直通率", "data": stp["applications"]}]
                             + [{"name": f"{kind_label(k)}免人工率", "data": v} for k, v in stp["kinds"].items()]},
        "times": time_distributions(session, since=since, until=until),
        "escalations": {"x": esc["days"], "series": [{"name": _ESCALATION_LABELS[k], "data": v}
                                                     for k, v in esc["levels"].items()]},
        "level_colors": {SlaLevel.NONE.value: "#94a3b8", "blue": "#2563eb", "yellow": "#facc15",
                         "orange": "#f97316", "red": "#dc2626"},
    }
