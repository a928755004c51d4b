"""Queue measures over a time window (charts come later): straight-through rate, backlog, breaches, people."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter

from idp.app.api.schemas import ErrorBody
from idp.app.deps import SessionDep, WatcherDep
from idp.errors import InputRejected
from idp.storage.metrics import queue_metrics
from queues.clock import utcnow

router = APIRouter(prefix="/v1/metrics", tags=["metrics"])

#: Window used when none is given.
DEFAULT_WINDOW = timedelta(days=7)


@router.get("", responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}})
def get_metrics(session: SessionDep, reviewer: WatcherDep, since: datetime | None = None,
                until: datetime | None = None) -> dict[str, Any]:
    """Measures for ``[since, until)`` (default: the last 7 days); times need a zone (e.g. ``+08:00``)."""
    until = until or utcnow()
    since = since or until - DEFAULT_WINDOW
    if since.tzinfo is None or until.tzinfo is None:
        raise InputRejected("时间须带时区,例如 2026-03-02T09:00:00+08:00", code="naive_datetime")
    if since >= until:
        raise InputRejected("since 必须早于 until", code="bad_window")
    return queue_metrics(session, since=since, until=until)
