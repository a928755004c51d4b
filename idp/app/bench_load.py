"""``idp bench load`` and ``idp bench workers``: the API under a steady rate, and how a backlog drains.

Loopback only, bounded in count and time. ``load``: ``rate`` requests a second for ``seconds`` seconds, as
create → upload → submit rounds (a text-PDF invoice each), printing errors, p50/p95 latencies of each request
and of each round, and the time the workers take to settle the backlog. ``workers``: the same backlog
drained by one worker process, then by two (one OCR thread each), printing the ratio.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from idp.app.bench_stack import BenchStack

_SAMPLES = Path(__file__).resolve().parents[2] / "samples"
_SETTLED = {"completed", "review", "awaiting_verification"}


def _invoice(kind: str) -> bytes:
    folder = {"pdf": "vat_invoice", "scan": "vat_invoice_scan", "photo": "vat_invoice_photo"}[kind]
    files = sorted(p for p in (_SAMPLES / folder).iterdir() if p.suffix.lower() in (".pdf", ".jpg", ".png"))
    return files[0].read_bytes()


def _round(http: httpx.Client, data: bytes, i: int) -> tuple[list[float], list[str]]:
    """create → upload → submit; (seconds of each request, errors)."""
    times: list[float] = []
    errors: list[str] = []

    def timed(method: str, url: str, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        try:
            return http.request(method, url, **kwargs)
        finally:
            times.append(time.perf_counter() - started)

    try:
        created = timed("POST", "/v1/applications", json={**_BODY, "external_id": f"load-{i}"})
        if created.status_code != 201:
            return times, [f"create {created.status_code} {created.text[:120]}"]
        app_id = created.json()["id"]
        up = timed("POST", f"/v1/applications/{app_id}/documents",
                   files=[("files", (f"invoice-{i}.pdf", data + b"\n%" + str(i).encode(), "application/pdf"))])
        sub = timed("POST", f"/v1/applications/{app_id}/submit")
        errors += [f"{r.status_code} {r.text[:120]}" for r in (up, sub) if r.status_code >= 300]
    except httpx.HTTPError as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    return times, errors


_BODY = {"borrower": {"name": "示例借款企业有限公司", "uscc": "91110000600037341L"}, "product": "供应链订单贷"}


def _pending(stack: BenchStack) -> int:
    from sqlalchemy import func, select

    from idp.storage.db import session_scope
    from idp.storage.tables import ApplicationRow

    with session_scope(stack.settings.effective_database_url) as s:
        return int(s.scalar(select(func.count()).select_from(ApplicationRow)
                            .where(ApplicationRow.status.not_in(_SETTLED))) or 0)


def drain(stack: BenchStack, timeout_s: float) -> float:
    """Seconds until no application is left unsettled (or ``timeout_s``)."""
    started = time.monotonic()
    while _pending(stack) and time.monotonic() - started < timeout_s:
        time.sleep(0.2)
    return time.monotonic() - started


def run_load(*, rate: float, seconds: float, workers: int = 1, drain_timeout_s: float = 1800) -> dict[str, Any]:
    """The load run at ``rate`` requests a second (a round is three: create, upload, submit); every figure the
    issue asks for, as a dict. Latencies are per round (three requests)."""
    data = _invoice("pdf")
    total = int(rate * seconds / 3)
    rate = rate / 3  # rounds a second
    latencies: list[float] = []
    rounds: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    with BenchStack(workers=workers) as stack, ThreadPoolExecutor(64) as pool:
        clients = [httpx.Client(base_url=stack.url, headers={"X-API-Key": stack.api_key}, timeout=30)
                   for _ in range(8)]

        def one(i: int) -> None:
            took, errs = _round(clients[i % len(clients)], data, i)
            with lock:
                latencies.extend(took)
                rounds.append(sum(took))
                errors.extend(errs)

        started = time.monotonic()
        futures = []
        for i in range(total):  # open loop: a round starts every 1/rate s whatever the answers do
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(one, i))
        for f in futures:
            f.result()
        sent_s = time.monotonic() - started
        drain_s = drain(stack, drain_timeout_s)
        for c in clients:
            c.close()
        peaks = stack.sampler.stop()
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    round_cuts = statistics.quantiles(rounds, n=100) if len(rounds) > 1 else [0.0] * 99
    return {"rounds": total, "requests": 3 * total, "requests_per_s": round(3 * rate, 1), "seconds": seconds,
            "sent_in_s": round(sent_s, 1),
            "errors": len(errors), "error_samples": errors[:5],
            "p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1),
            "round_p50_ms": round(round_cuts[49] * 1000, 1), "round_p95_ms": round(round_cuts[94] * 1000, 1),
            "max_ms": round(max(latencies, default=0) * 1000, 1),
            "backlog_drained_s_after_last_submit": round(drain_s, 1), "workers": workers,
            "api_peak_mb": round(peaks.get("api", 0)), "worker_peak_mb": round(peaks.get("worker", 0))}


def run_backlog(*, workers: int, count: int, kind: str, drain_timeout_s: float = 3600) -> float:
    """Seconds ``workers`` worker processes (one OCR thread each) take to settle ``count`` applications that
    were all queued before the (already started, suspended) workers were let go."""
    from rq.suspension import resume, suspend
    from rq.worker import Worker

    from queues.connection import get_redis

    data = _invoice(kind)
    with BenchStack(workers=0, env={"IDP_OCR_THREADS": "1"}) as stack:
        conn = get_redis(stack.settings)
        suspend(conn)
        try:
            for i in range(count):
                _, errs = _round(stack.http, data, i)
                if errs:
                    raise RuntimeError(f"could not queue the backlog: {errs}")
            for w in range(workers):
                stack.start_worker(f"drain-{w}")
            deadline = time.monotonic() + 120
            while len(Worker.all(connection=conn)) < workers and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            resume(conn)
        return drain(stack, drain_timeout_s)
