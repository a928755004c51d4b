"""``idp tasks …``, ``idp sla sweep`` and ``idp bench queue``: the task queue from the command line.

Like the API, the reviewer is just a name (``--reviewer``) looked up in the staff list; there is no SSO here.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from idp.settings import get_settings

logger = logging.getLogger(__name__)
console = Console()

tasks_app = typer.Typer(help="审核任务队列 (the one task queue)", no_args_is_help=True)
sla_app = typer.Typer(help="SLA 时效与督办 (SLA levels and escalation)", no_args_is_help=True)

_Reviewer = Annotated[str, typer.Option("--reviewer", "-r", envvar="IDP_REVIEWER", help="审核人姓名")]


def register(app: typer.Typer) -> None:
    """Attach ``tasks …``, ``sla sweep`` and ``bench queue`` to the main ``idp`` app (``bench`` is shared)."""
    from idp.app.cli_eval import group

    app.add_typer(tasks_app, name="tasks")
    app.add_typer(sla_app, name="sla")
    group(app, "bench", "性能基准 (benchmarks)").command("queue")(bench_queue)
    group(app, "bench", "性能基准 (benchmarks)").command("review")(bench_review)


def _ready() -> None:
    from idp.storage.migrate import upgrade

    upgrade(get_settings().effective_database_url)


@tasks_app.command("list")
def list_tasks(
    status: Annotated[str, typer.Option(help="active | open | claimed | waiting_customer | …")] = "active",
    kind: Annotated[str | None, typer.Option()] = None,
    level: Annotated[str | None, typer.Option(help="none | blue | yellow | orange | red")] = None,
    assignee: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option()] = 30,
) -> None:
    """List tasks, most urgent first."""
    from idp.models import SLA_LEVEL_LABELS, TASK_STATUS_LABELS, SlaLevel, TaskStatus
    from idp.storage import tasks
    from idp.storage.db import session_scope

    _ready()
    flt = tasks.TaskFilter(status=status, kind=kind, level=SlaLevel(level) if level else None,
                           assignee=assignee)
    with session_scope(get_settings().effective_database_url) as s:
        rows, count = tasks.list_tasks(s, flt, limit=limit)
        table = Table("任务", "类型", "P", "状态", "预警", "SLA 到期 (UTC)", "领取人", "指派给",
                      title=f"共 {count} 个任务")
        for r in rows:
            table.add_row(r.id[:8], r.kind, str(r.priority),
                          TASK_STATUS_LABELS.get(TaskStatus(r.status), r.status),
                          SLA_LEVEL_LABELS.get(SlaLevel(r.sla_level),
                                               r.sla_level), f"{r.sla_due_at:%Y-%m-%d %H:%M}",
                          r.claimed_by or "", r.assignee or "")
    console.print(table)


@tasks_app.command("next")
def next_task(reviewer: _Reviewer, kind: Annotated[str | None, typer.Option()] = None) -> None:
    """Claim the most urgent task you may take and print it."""
    from queues.clock import utcnow
    from queues.taskqueue import next_task as pick

    _ready()
    task = pick(get_settings(), reviewer, now=utcnow(), kind=kind)
    if task is None:
        console.print("没有可领取的任务 (queue empty)")
        raise typer.Exit(1)
    console.print_json(task.model_dump_json())


@tasks_app.command("show")
def show(task_id: str) -> None:
    """A task with its history (audit trail)."""
    from idp.storage import audit, tasks
    from idp.storage.db import session_scope

    _ready()
    with session_scope(get_settings().effective_database_url) as s:
        task = tasks.to_model(tasks.get(s, task_id)).model_dump(mode="json")
        task["history"] = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "detail": e.detail}
                           for e in audit.for_task(s, task_id)]
    console.print_json(json.dumps(task, ensure_ascii=False))


@tasks_app.command("release")
def release(task_id: str, reviewer: _Reviewer) -> None:
    """Give a claimed task back to the queue."""
    from queues.clock import utcnow
    from queues.taskqueue import release as give_back

    _ready()
    console.print(give_back(get_settings(), task_id, reviewer, now=utcnow()).status.value)


@tasks_app.command("reassign")
def reassign(
    task_ids: Annotated[list[str], typer.Argument(help="one or more task ids")],
    to: Annotated[str, typer.Option(help="new assignee")],
    reviewer: _Reviewer,
    reason: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Assign tasks to someone (team lead: one; supervisor: many)."""
    from queues.clock import utcnow
    from queues.taskqueue import reassign as move

    _ready()
    result = move(get_settings(), task_ids, to=to, by=reviewer, now=utcnow(), reason=reason)
    console.print_json(json.dumps(result, ensure_ascii=False))


@sla_app.command("sweep")
def sweep(at: Annotated[str | None, typer.Option(help="ISO time with zone (default: now)")] = None) -> None:
    """Move every running task to its SLA level, record entries and escalate (督办)."""
    from queues import sla
    from queues.clock import utcnow

    _ready()
    now = datetime.fromisoformat(at) if at else utcnow()
    if now.tzinfo is None:
        raise typer.BadParameter("--at needs a time zone, e.g. 2026-03-02T10:00:00+08:00")
    console.print_json(json.dumps(sla.sweep(get_settings(), now).as_dict(), ensure_ascii=False))


@sla_app.command("overdue")
def overdue(
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD, 北京时间 (default: today)")] = None,
    repeated: Annotated[bool, typer.Option("--repeated", help="only items overdue more than once")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
) -> None:
    """The daily overdue list (超时督办清单): tasks breached or escalated that day, repeat offenders first."""
    from datetime import date
    from zoneinfo import ZoneInfo

    from idp.storage.db import session_scope
    from queues.clock import utcnow
    from queues.sla_followup import business_day, overdue_list

    _ready()
    settings, now = get_settings(), utcnow()
    tz = ZoneInfo(settings.business_timezone)
    try:
        which = date.fromisoformat(day) if day else business_day(now, tz)
    except ValueError as exc:
        raise typer.BadParameter("--date must be YYYY-MM-DD") from exc
    with session_scope(settings.effective_database_url) as s:
        items = overdue_list(s, day=which, now=now, tz=tz, repeated_only=repeated)
    if as_json:
        console.print_json(json.dumps([i.as_dict() for i in items], ensure_ascii=False))
        return
    table = Table("任务", "借款人", "类型", "状态", "SLA 到期", "超时次数", "督办次数", "最高督办", "重开",
                  "重复超时", title=f"{which} 超时督办清单:共 {len(items)} 项")
    for i in items:
        table.add_row(i.task_id[:8], i.borrower, i.kind, i.status,
                      f"{i.sla_due_at.astimezone(tz):%Y-%m-%d %H:%M}", str(i.breaches), str(i.escalations),
                      str(i.top_level), str(i.reopened), "是" if i.repeated else "")
    console.print(table)


def bench_queue(
    count: Annotated[int, typer.Option("--tasks", help="open tasks to seed")] = 100_000,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures to this file")] = None,
    samples: Annotated[int, typer.Option(help="timed calls per measure")] = 200,
    keep: Annotated[bool, typer.Option(help="keep the seeded tasks")] = False,
) -> None:
    """Seed N open tasks in the configured database; p50/p95 of next-task and a filtered list; sweep time."""
    from idp.app.bench_queue import run_queue_bench
    from queues.clock import utcnow

    figures = run_queue_bench(get_settings(), count=count, now=utcnow(), samples=samples, keep=keep)
    table = Table("measure", "p50 ms", "p95 ms", "max ms")
    for name in ("next_task", "next_task_by_kind", "filtered_list"):
        f = figures[name]
        table.add_row(name, str(f["p50_ms"]), str(f["p95_ms"]), str(f["max_ms"]))
    console.print(table)
    catch_up, steady = figures["sweep_catch_up"], figures["sweep_steady"]
    console.print(f"seed {figures['seed_s']} s · sweep (catch-up) {catch_up['seconds']} s "
                  f"{catch_up['entered']} · sweep (steady) {steady['seconds']} s")
    if json_out:
        json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def bench_review(loads: Annotated[int, typer.Option(help="timed loads after 3 warm-up ones")] = 20,
                 json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
                 ) -> None:
    """Page load of a review task on a photographed invoice (warm): HTTP and, with Chromium, in a browser."""
    from idp.app.bench_review import run_review_bench

    result = run_review_bench(loads=loads)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    console.print(text)
    if json_out is not None:
        json_out.write_text(text, encoding="utf-8")
