"""Two hosts share one queue, one database and one S3-compatible file store: separate data dirs, separate
worker processes. Host B reads what host A's API stored (nothing is on B's disk until it fetched it), and a
kill -9 of either host's worker loses nothing: the other takes its job (its maintenance round, no help)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from idp.settings import get_settings, reset_settings
from idp.storage import documents
from idp.storage.blobstore import file_store
from idp.storage.db import session_scope
from queues.connection import redis_url
from tests.helpers import api, make_client, new_application, start_worker, stop_worker, submit, upload
from tests.storage.s3_server import s3_env

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _photos() -> list[bytes]:
    return [p.read_bytes() for p in sorted((SAMPLES / "vat_invoice_photo").glob("*.jpg"))]


def test_two_hosts_share_queue_and_store_and_a_killed_worker_loses_nothing(stack, short_tmp, monkeypatch):
    host_a = stack.data_dir
    for key, value in s3_env().items():
        monkeypatch.setenv(f"IDP_{key.upper()}", value)
    monkeypatch.setenv("IDP_REDIS_URL", redis_url(stack))  # host A's Redis is the one queue of both hosts
    reset_settings()
    settings = get_settings()
    file_store(settings).ensure_bucket()  # type: ignore[attr-defined]
    _, key, _ = make_client(settings)
    with api(settings) as http:
        app = new_application(http, key)
        docs = [upload(http, key, app["id"], (f"p{i}.jpg", data + bytes([i])))[0]
                for i, data in enumerate(_photos() * 2)]  # four different files
        submit(http, key, app["id"])
    assert not (host_a / "files").exists()  # stored in the shared store only

    host_b = short_tmp / "host-b"
    host_b.mkdir()
    monkeypatch.setenv("IDP_DATA_DIR", str(host_b))
    worker_b = start_worker("host-b")
    try:
        assert _wait(lambda: _status_count(settings, docs, "processing") >= 1 and any((host_b / "cache").rglob("*"))), \
            "host B never started a document from the shared store"
        os.killpg(worker_b.pid, signal.SIGKILL)  # kill -9 mid-job: its reading child dies with it
        worker_b.wait(timeout=10)
        monkeypatch.setenv("IDP_DATA_DIR", str(host_a))
        worker_a = start_worker("host-a")
        try:
            assert _wait(lambda: _status_count(settings, docs, "extracted") == len(docs), timeout=240), \
                _statuses(settings, docs)
        finally:
            stop_worker(worker_a)
    finally:
        stop_worker(worker_b, sig=signal.SIGKILL)
    with session_scope(settings.effective_database_url) as s:
        attempts = [documents.get(s, d["id"]).attempts for d in docs]
    assert max(attempts) <= 2 and sum(attempts) <= len(docs) + 1  # only the killed job ran twice


def _statuses(settings, docs) -> list[str]:
    with session_scope(settings.effective_database_url) as s:
        return [documents.get(s, d["id"]).status for d in docs]


def _status_count(settings, docs, status: str) -> int:
    return _statuses(settings, docs).count(status)


def _wait(predicate, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
