"""A worker's children (RQ's scheduler, the webhook workers, the reading child) die with it, even when the
worker itself is killed with SIGKILL: no orphan lives on."""

from __future__ import annotations

import os
import signal
import time

import psutil

from tests.helpers import start_worker, stop_worker


def _wait(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_sigkill_of_a_worker_leaves_no_orphan_children(stack):
    worker = start_worker("parent")
    try:
        # the scheduler (a fork) and the webhook worker (its own session) both run under the worker
        assert _wait(lambda: len(_descendants(worker.pid)) >= 2), [p.cmdline() for p in _descendants(worker.pid)]
        children = _descendants(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)  # the worker alone, not its process group
        worker.wait(timeout=10)
        gone, alive = psutil.wait_procs(children, timeout=30)
        assert alive == [], [p.cmdline() for p in alive]
    finally:
        stop_worker(worker, sig=signal.SIGKILL)
