"""Nothing is lost: a SIGKILL'd worker's job is picked up again; a job lost from Redis is requeued."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from redis import Redis
from rq import Callback, Retry

from idp.storage import documents
from idp.storage.db import session_scope
from queues import enqueue, liveness, recovery
from queues.clock import utcnow
from queues.connection import redis_url
from tests.helpers import api, make_client, new_application, run_burst_worker, submit, upload

REPO = Path(__file__).resolve().parents[2]


def _clean_invoice() -> bytes:
    return sorted((REPO / "samples" / "vat_invoice").glob("*.pdf"))[0].read_bytes()


def _start_worker(name: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "idp.app.cli", "worker", "--name", name], env=env, cwd=REPO,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_sigkilled_worker_loses_nothing(stack, short_tmp, monkeypatch):
    from queues import intake

    settings = stack
    _, key, _ = make_client(settings)
    with api(settings) as http:
        app = new_application(http, key)
        # Store the document through intake without its normal job: we queue a slow one ourselves.
        with monkeypatch.context() as m:
            m.setattr(intake, "queue_read", lambda *a, **k: None)
            doc = upload(http, key, app["id"], ("invoice.pdf", _clean_invoice()))[0]
            submit(http, key, app["id"])
    marker = short_tmp / "marker"
    job = enqueue.queue(settings, enqueue.DOCUMENTS).enqueue(
        "tests.queues.jobs_fixtures.slow_first_read", doc["id"], str(marker), 60.0,
        retry=Retry(max=2), on_failure=Callback("queues.jobs.on_read_failure"), job_timeout=300,
    )
    worker = _start_worker("victim")
    try:
        assert _wait(lambda: marker.exists()), "worker never started the job"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    with session_scope(settings.effective_database_url) as s:
        assert documents.get(s, doc["id"]).status == "processing"
    # The victim's lease dies with it: once it has lapsed, the job counts as abandoned and RQ retries it.
    conn = Redis.from_url(redis_url(settings))
    assert recovery.recover_abandoned(settings, now=utcnow()) == 0  # the lease is still fresh
    assert _wait(lambda: not liveness.is_alive(conn, "victim"), timeout=liveness.LEASE_TTL_S + 5)
    assert recovery.recover_abandoned(settings, now=utcnow()) == 1
    run_burst_worker(settings)
    assert marker.read_text() == "retried"
    with session_scope(settings.effective_database_url) as s:
        row = documents.get(s, doc["id"])
        assert row.status == "extracted"
        assert row.attempts == 2
    job.refresh()
    assert job.get_status() == "finished"


def test_job_lost_from_redis_is_requeued_by_the_database_sweep(stack):
    settings = stack
    _, key, _ = make_client(settings)
    with api(settings) as http:
        app = new_application(http, key)
        doc = upload(http, key, app["id"], ("invoice.pdf", _clean_invoice()))[0]
        submit(http, key, app["id"])
    Redis.from_url(redis_url(settings)).flushdb()  # Redis lost every job
    assert recovery.requeue_orphans(settings, now=utcnow()) == []  # too fresh to call lost
    assert doc["id"] in recovery.requeue_orphans(settings, now=utcnow() + timedelta(minutes=5))
    run_burst_worker(settings)
    with session_scope(settings.effective_database_url) as s:
        assert documents.get(s, doc["id"]).status == "extracted"
