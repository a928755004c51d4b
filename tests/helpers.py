"""Helpers shared by tests: building clients and applications, and running a burst worker in-process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from idp.app.main import create_app
from idp.settings import Settings
from idp.storage import clients
from idp.storage.db import session_scope
from queues.clock import utcnow


def make_client(settings: Settings, name: str = "bank-a", webhook_url: str | None = None) -> tuple[str, str, str]:
    """(client_id, api_key, webhook_secret)."""
    with session_scope(settings.effective_database_url) as s:
        row, key = clients.create_client(s, name=name, webhook_url=webhook_url, now=utcnow())
        return row.id, key, str(row.webhook_secret)


def api(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


def new_application(http: TestClient, key: str, *, name: str = "示例借款企业有限公司",
                    uscc: str = "91110000600037341L", **extra: Any) -> dict[str, Any]:
    body = {"borrower": {"name": name, "uscc": uscc}, "product": "供应链订单贷", **extra}
    resp = http.post("/v1/applications", json=body, headers={"X-API-Key": key})
    assert resp.status_code in (200, 201), resp.text
    return dict(resp.json())


def upload(http: TestClient, key: str, app_id: str, *files: tuple[str, bytes]) -> list[dict[str, Any]]:
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    resp = http.post(f"/v1/applications/{app_id}/documents", files=parts, headers={"X-API-Key": key})
    assert resp.status_code == 201, resp.text
    return list(resp.json()["documents"])


def submit(http: TestClient, key: str, app_id: str) -> dict[str, Any]:
    resp = http.post(f"/v1/applications/{app_id}/submit", headers={"X-API-Key": key})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def run_burst_worker(settings: Settings) -> None:
    """Work every queue until empty, in this process (real Redis, real RQ)."""
    from queues import enqueue
    from queues.connection import get_redis
    from queues.worker import IdpWorker

    IdpWorker(enqueue.all_queues(settings), connection=get_redis(settings)).work(burst=True)


def sample(name: str) -> Path:
    return Path(__file__).resolve().parents[1] / "samples" / name


def start_worker(name: str, *extra: str) -> subprocess.Popen[bytes]:
    """``idp worker`` as its own process (its own session, so a test can kill it with its children)."""
    repo = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(repo))
    log = open(Path(env.get("IDP_DATA_DIR", ".")) / f"worker-{name}.log", "ab")  # noqa: SIM115 - kept open
    return subprocess.Popen([sys.executable, "-m", "idp.app.cli", "worker", "--name", name, *extra], env=env,
                            cwd=repo, start_new_session=True, stdout=log, stderr=log)


def stop_worker(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 60) -> None:
    """Stop a worker started by :func:`start_worker` (SIGTERM: warm shutdown) and wait for it."""
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
