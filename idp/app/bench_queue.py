"""``idp bench queue``: seed N open tasks, then time next-task, filtered lists and the SLA sweep over them.

Targets on PostgreSQL with 100,000 open tasks: next-task and a filtered list ≤ 50 ms p95, the sweep ≤ 5 s.
The seeded rows belong to one bench client and are deleted afterwards unless ``keep`` is set.
"""

from __future__ import annotations

import logging
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, text

from idp.adapters.notify import RecordingNotifier
from idp.models import SlaClock, SlaLevel, TaskKind, TaskStatus
from idp.settings import Settings
from idp.storage import tasks
from idp.storage.db import session_scope
from idp.storage.migrate import upgrade
from idp.storage.tables import (
    ApplicationRow,
    AuditEventRow,
    ClientRow,
    EscalationRow,
    ReviewTaskRow,
    TaskCommentRow,
    TaskSlaEventRow,
)
from queues import sla, taskqueue
from queues.sla_config import clock_for

logger = logging.getLogger(__name__)

#: Task kinds in the seeded queue, with their share.
_KINDS = [(TaskKind.FIELD_REVIEW, 0.55), (TaskKind.CROSS_CHECK, 0.2), (TaskKind.UNCLASSIFIED, 0.1),
          (TaskKind.PROCESSING_FAILED, 0.08), (TaskKind.VERIFICATION_UNAVAILABLE, 0.05),
          (TaskKind.VERIFICATION_FAILED, 0.02)]
_PRODUCTS = ["订单贷", "发票贷", "经营贷"]
_SKILLS = {TaskKind.FIELD_REVIEW: ["vat_invoice", "bank_statement", None]}
#: Tasks are opened over the last this many hours (on a 5-minute grid, so clocks can be shared).
_SPREAD_H = 72
_APPLICATIONS = 1000
_CHUNK = 5000


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(round(p * len(ordered))) - 1)] * 1000, 2)


def _timed(samples: int, call: Callable[[int], object]) -> dict[str, float]:
    took: list[float] = []
    for i in range(samples):
        start = time.perf_counter()
        call(i)
        took.append(time.perf_counter() - start)
    return {"samples": samples, "p50_ms": _pct(took, 0.5), "p95_ms": _pct(took, 0.95),
            "max_ms": round(max(took) * 1000, 2), "mean_ms": round(statistics.fmean(took) * 1000, 2)}


def seed(settings: Settings, count: int, *, now: datetime, rng: random.Random) -> str:
    """Insert ``count`` open tasks (bulk) under a new bench client; returns the client id."""
    url = settings.effective_database_url
    client_id = str(uuid.uuid4())
    app_ids = [str(uuid.uuid4()) for _ in range(_APPLICATIONS)]
    with session_scope(url) as s:
        s.add(ClientRow(id=client_id, name=f"bench-queue-{client_id[:8]}", api_key_hash=uuid.uuid4().hex * 2,
                        created_at=now))
        s.flush()
        s.execute(insert(ApplicationRow), [
            {"id": a, "client_id": client_id, "borrower_name": f"基准测试企业{i}",
             "borrower_uscc": "91310115MA1H8XXX2Q", "product": _PRODUCTS[i % len(_PRODUCTS)],
             "status": "review", "created_at": now, "updated_at": now}
            for i, a in enumerate(app_ids)])
    clocks: dict[tuple[str, str, int], SlaClock] = {}
    kinds, weights = zip(*_KINDS, strict=True)
    rows: list[dict[str, Any]] = []
    for n in range(count):
        app_index = rng.randrange(_APPLICATIONS)
        kind = rng.choices(kinds, weights)[0]
        product = _PRODUCTS[app_index % len(_PRODUCTS)]
        step = rng.randrange(_SPREAD_H * 12)
        created = now - timedelta(minutes=5 * step)
        clock = clocks.get((kind.value, product, step))
        if clock is None:
            clock = clocks[(kind.value, product, step)] = clock_for(settings, kind, product, created)
        rows.append({
            "id": str(uuid.uuid4()), "application_id": app_ids[app_index], "kind": kind.value,
            "priority": 1 if kind == TaskKind.VERIFICATION_FAILED else rng.choice((2, 3, 3, 4)),
            "status": TaskStatus.OPEN.value, "reasons": [{"code": "bench", "message": "基准测试任务"}],
            "created_at": created, "updated_at": created, "product": product,
            "required_role": "risk_officer" if kind == TaskKind.VERIFICATION_FAILED else "reviewer",
            "required_skill": rng.choice(_SKILLS.get(kind, [None])), "sla_policy": clock.policy,
            "sla_started_at": created, "sla_target_s": clock.target.total_seconds(), "sla_paused_s": 0.0,
            "sla_blue_at": clock.marks[SlaLevel.BLUE], "sla_yellow_at": clock.marks[SlaLevel.YELLOW],
            "sla_orange_at": clock.marks[SlaLevel.ORANGE], "sla_due_at": clock.due_at,
            "sla_level": "none", "sla_rank": 0, "sla_calendar": clock.calendar.value, "escalation_level": 0,
        })
        if len(rows) >= _CHUNK or n == count - 1:
            with session_scope(url) as s:
                s.execute(insert(ReviewTaskRow), rows)
            rows = []
    _analyze(settings)
    return client_id


def _analyze(settings: Settings) -> None:
    with session_scope(settings.effective_database_url) as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("ANALYZE review_tasks"))


def cleanup(settings: Settings, client_id: str) -> None:
    """Delete everything the bench seeded (tasks, their records and trail, applications, the client)."""
    with session_scope(settings.effective_database_url) as s:
        apps = select(ApplicationRow.id).where(ApplicationRow.client_id == client_id).scalar_subquery()
        task_ids = select(ReviewTaskRow.id).where(ReviewTaskRow.application_id.in_(apps)).scalar_subquery()
        for table in (TaskSlaEventRow, EscalationRow, TaskCommentRow):
            s.execute(delete(table).where(table.task_id.in_(task_ids)))
        s.execute(delete(AuditEventRow).where(AuditEventRow.application_id.in_(apps)))
        s.execute(delete(ReviewTaskRow).where(ReviewTaskRow.application_id.in_(apps)))
        s.execute(delete(ApplicationRow).where(ApplicationRow.client_id == client_id))
        s.execute(delete(ClientRow).where(ClientRow.id == client_id))


def run_queue_bench(settings: Settings, *, count: int, now: datetime, samples: int = 200, keep: bool = False,
                    seed_value: int = 8) -> dict[str, Any]:
    """Seed, measure, clean up; returns the figures (milliseconds and seconds)."""
    rng = random.Random(seed_value)
    url = settings.effective_database_url
    upgrade(url)
    started = time.perf_counter()
    client_id = seed(settings, count, now=now, rng=rng)
    figures: dict[str, Any] = {"database": url.split("://", 1)[0], "tasks": count,
                               "seed_s": round(time.perf_counter() - started, 2)}
    try:
        notifier = RecordingNotifier()
        first = sla.sweep(settings, now, notifier=notifier)
        figures["sweep_catch_up"] = {"seconds": first.seconds, "entered": first.entered,
                                     "notices": first.notices}
        _analyze(settings)  # what autovacuum does after a bulk change, so the planner sees the new levels
        again = sla.sweep(settings, now + timedelta(minutes=1), notifier=notifier)
        figures["sweep_steady"] = {"seconds": again.seconds, "entered": again.entered}
        reviewers = [f"bench-{i}" for i in range(20)]

        def list_once(i: int) -> None:
            flt = tasks.TaskFilter(status="open", kind=_KINDS[i % 4][0].value,
                                   level=[None, *sla.MARKS][i % 5])
            with session_scope(url) as s:
                tasks.list_tasks(s, flt, limit=50)

        figures["filtered_list"] = _timed(samples, list_once)
        figures["next_task"] = _timed(samples, lambda i: taskqueue.next_task(
            settings, reviewers[i % len(reviewers)], now=now, kind=None))
        figures["next_task_by_kind"] = _timed(samples, lambda i: taskqueue.next_task(
            settings, reviewers[i % len(reviewers)], now=now, kind=_KINDS[i % 3][0].value))
        figures["plan_next_task"] = _plan(settings, now)
    finally:
        if not keep:
            cleanup(settings, client_id)
    figures["targets"] = {"next_task_p95_ms": 50, "filtered_list_p95_ms": 50, "sweep_s": 5}
    figures["host"] = {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)}
    return figures


def _plan(settings: Settings, now: datetime) -> list[str]:
    """PostgreSQL's plan for the next-task pick (to show the partial index is used)."""
    from idp.models import Reviewer

    with session_scope(settings.effective_database_url) as s:
        if s.get_bind().dialect.name != "postgresql":
            return []
        stmt = (select(ReviewTaskRow.id).where(*tasks.eligible(Reviewer(name="bench-plan")))
                .order_by(*tasks.URGENCY).limit(1).with_for_update(skip_locked=True))
        compiled = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        return [r[0] for r in s.execute(text(f"EXPLAIN ANALYZE {compiled}"))]
