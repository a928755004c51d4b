"""The worker process: migrations, recovery of lost work, then RQ's worker loop with its scheduler."""

from __future__ import annotations

import logging

from rq.worker import SimpleWorker

from idp.settings import Settings
from idp.storage.migrate import upgrade
from queues import enqueue, recovery
from queues.clock import utcnow
from queues.connection import get_redis

logger = logging.getLogger(__name__)


class IdpWorker(SimpleWorker):
    """Runs jobs in this process, so the OCR engine is loaded once per worker, not once per job."""


def run_worker(settings: Settings, *, burst: bool = False, name: str | None = None,
               maintenance_interval: int = 30) -> bool:
    """Work the idp queues until stopped (or until empty with ``burst``)."""
    upgrade(settings.effective_database_url)
    conn = get_redis(settings)
    now = utcnow()
    recovery.recover_abandoned(settings, now=now)
    recovery.requeue_orphans(settings, now=now)
    worker = IdpWorker(enqueue.all_queues(settings), connection=conn, name=name,
                       maintenance_interval=maintenance_interval)
    return bool(worker.work(burst=burst, with_scheduler=True, logging_level="WARNING"))
