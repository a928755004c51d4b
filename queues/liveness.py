"""Worker liveness leases: a heartbeat thread per worker process keeps a short-lived Redis key alive.

RQ's SimpleWorker runs jobs in its main thread, so it cannot heartbeat during a long OCR job and RQ would only
notice a killed worker after the job timeout. A lease of a few seconds, kept by a daemon thread, dies with
the process (SIGKILL included), so recovery can tell a dead worker's job from a slow one quickly.
"""

from __future__ import annotations

import logging
import threading

from redis import Redis

logger = logging.getLogger(__name__)

#: Seconds a worker's lease lives without renewal.
LEASE_TTL_S = 10
#: Seconds between renewals.
RENEW_EVERY_S = 3.0


def lease_key(worker_name: str) -> str:
    return f"idp:worker-lease:{worker_name}"


def is_alive(conn: Redis, worker_name: str) -> bool:
    return bool(worker_name) and bool(conn.exists(lease_key(worker_name)))


class LeaseKeeper:
    """Renews ``idp:worker-lease:<name>`` until stopped or the process dies."""

    def __init__(self, conn: Redis, worker_name: str) -> None:
        self._conn = conn
        self._key = lease_key(worker_name)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{worker_name}", daemon=True)

    def start(self) -> LeaseKeeper:
        self._conn.set(self._key, "1", ex=LEASE_TTL_S)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(RENEW_EVERY_S):
            try:
                self._conn.set(self._key, "1", ex=LEASE_TTL_S)
            except Exception:  # a Redis hiccup: try again next round
                logger.warning("could not renew worker lease %s", self._key, exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=RENEW_EVERY_S + 1)
        try:
            self._conn.delete(self._key)
        except Exception:
            pass
