"""A whole stack for the reliability benches: the API and workers as their own processes on loopback, a fresh
data dir, the authority stand-ins, one API client, and a sampler of each process tree's peak memory.

Only loopback addresses are used; every process started here is stopped (and reaped) on exit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import psutil

from idp.settings import Settings, get_settings, reset_settings
from idp.standins.runner import free_port, start_for

_SAMPLES = Path(__file__).resolve().parents[2] / "samples"


class TreeSampler:
    """Peak resident memory of each named process and its children, sampled every ``every_s`` seconds."""

    def __init__(self, every_s: float = 0.1) -> None:
        self.every_s = every_s
        self.pids: dict[str, list[int]] = {}
        self.peaks_mb: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, name: str, pid: int) -> None:
        self.pids.setdefault(name, []).append(pid)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join(timeout=5)
        return dict(self.peaks_mb)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            for name, pids in list(self.pids.items()):
                for pid in pids:
                    rss = _tree_rss(pid)
                    self.peaks_mb[name] = max(self.peaks_mb.get(name, 0.0), rss / 2**20)


def _tree_rss(pid: int) -> int:
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


class BenchStack(AbstractContextManager["BenchStack"]):
    """``with BenchStack(workers=2) as stack:`` → ``stack.http`` (authenticated), ``stack.settings``."""

    def __init__(self, *, workers: int = 1, env: dict[str, str] | None = None, data_dir: Path | None = None) -> None:
        self.workers = workers
        self.extra_env = env or {}
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="idpbench"))
        self.procs: list[subprocess.Popen[bytes]] = []
        self.sampler = TreeSampler()
        self.standins: list[Any] = []
        self._saved_env: dict[str, str | None] = {}

    def __enter__(self) -> BenchStack:
        from idp.storage import clients

        signal.signal(signal.SIGTERM, _terminate)  # a SIGTERM still stops every process started here
        from idp.storage.db import session_scope
        from idp.storage.migrate import upgrade
        from queues.clock import utcnow

        base = Settings(tax_base_url=f"http://127.0.0.1:{free_port()}",
                        registry_base_url=f"http://127.0.0.1:{free_port()}", verify_daily_limit=1_000_000)
        self.standins = start_for(base, _SAMPLES / "authority" / "authority.json")
        self.port = free_port()
        env = {"IDP_DATA_DIR": str(self.data_dir), "IDP_TAX_BASE_URL": self.standins[0].url,
               "IDP_REGISTRY_BASE_URL": self.standins[1].url, "IDP_PUBLIC_URL": f"http://127.0.0.1:{self.port}",
               **self.extra_env}
        for key, value in env.items():
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value
        reset_settings()
        self.settings = get_settings()
        upgrade(self.settings.effective_database_url)
        with session_scope(self.settings.effective_database_url) as s:
            _, self.api_key = clients.create_client(s, name="bench", webhook_url=None, now=utcnow())
        self._start("api", ["serve", "--port", str(self.port)])
        for i in range(self.workers):
            self.start_worker(f"bench-{i}")
        self.sampler.start()
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(base_url=self.url, headers={"X-API-Key": self.api_key}, timeout=60)
        _wait_http(self.url + "/healthz")
        return self

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        return self._start("worker", ["worker", "--name", name])

    def _start(self, role: str, args: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, "-m", "idp.app.cli", *args], env=dict(os.environ),
                                start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=open(self.data_dir / f"{role}-{len(self.procs)}.log", "wb"))  # noqa: SIM115
        self.procs.append(proc)
        self.sampler.watch(role, proc.pid)
        return proc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.sampler.stop()
        self.http.close()
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for server in self.standins:
            server.stop()
        if self.settings.uses_embedded_redis:
            from queues.connection import stop_embedded_redis

            stop_embedded_redis(self.settings.redis_dir)
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def new_application(http: httpx.Client, external_id: str | None = None) -> str:
    body: dict[str, Any] = {"borrower": {"name": "示例借款企业有限公司", "uscc": "91110000600037341L"},
                            "product": "供应链订单贷"}
    if external_id:
        body["external_id"] = external_id
    resp = http.post("/v1/applications", json=body)
    resp.raise_for_status()
    return str(resp.json()["id"])
