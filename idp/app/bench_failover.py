"""``idp bench failover``: a worker killed with SIGKILL mid-document; seconds until another worker takes the
document again (the issue's target: within 30 s, not after the job timeout)."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from idp.app.bench_stack import BenchStack, new_application


def _document(stack: BenchStack, doc_id: str) -> tuple[str, int]:
    from idp.storage import documents
    from idp.storage.db import session_scope

    with session_scope(stack.settings.effective_database_url) as s:
        row = documents.get(s, doc_id)
        return row.status, row.attempts


def _worker_running(stack: BenchStack) -> str | None:
    """Name of the worker running a document job (from RQ's started registry)."""
    from rq.executions import Execution
    from rq.registry import StartedJobRegistry

    from queues import enqueue
    from queues.connection import get_redis

    conn = get_redis(stack.settings)
    registry = StartedJobRegistry(queue=enqueue.queue(stack.settings, enqueue.DOCUMENTS))
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        execution = Execution.fetch(execution_id, job_id, connection=conn)
        if execution.worker_name:
            return str(execution.worker_name)
    return None


def run_failover(rounds: int = 3, timeout_s: float = 120) -> dict[str, Any]:
    from idp.app.bench_load import _invoice

    data = _invoice("photo")
    taken_again: list[float] = []
    kills, skipped, lost = 0, 0, 0
    with BenchStack(workers=2) as stack:
        names = {f"bench-{i}": proc for i, proc in enumerate(p for p in stack.procs[1:])}
        for r in range(rounds):
            app_id = new_application(stack.http)
            resp = stack.http.post(f"/v1/applications/{app_id}/documents",
                                   files=[("files", (f"f{r}.jpg", data + bytes([r]), "image/jpeg"))])
            doc_id = resp.json()["documents"][0]["id"]
            deadline = time.monotonic() + timeout_s
            victim = None
            while victim is None and time.monotonic() < deadline:
                victim = _worker_running(stack)
                time.sleep(0.05)
            if victim is None or victim not in names:
                skipped += 1  # the job finished (or no worker held it) before it could be killed
                continue
            os.killpg(names[victim].pid, signal.SIGKILL)
            killed, kills = time.monotonic(), kills + 1
            while time.monotonic() < deadline:
                status, attempts = _document(stack, doc_id)
                if attempts >= 2 or status == "extracted":
                    taken_again.append(round(time.monotonic() - killed, 1))
                    break
                time.sleep(0.1)
            else:
                lost += 1  # not taken again within the timeout: the figure the issue forbids
            names[f"bench-r{r}"] = stack.start_worker(f"bench-r{r}")  # the host's supervisor restarts it
            names.pop(victim)
    return {"rounds": rounds, "kills": kills, "skipped": skipped, "not_taken_again": lost,
            "taken_again_s": taken_again, "max_s": max(taken_again, default=None)}
