"""The worker process: migrations, recovery of lost work, then RQ's worker loop with its scheduler."""

from __future__ import annotations

import logging

from rq.worker import SimpleWorker

from idp.settings import Settings
from idp.storage.migrate import upgrade
from queues import enqueue, liveness, recovery, sla
from queues.clock import utcnow
from queues.connection import get_redis

logger = logging.getLogger(__name__)


class IdpWorker(SimpleWorker):
    """Runs jobs in this process, so the OCR engine is loaded once per worker, not once per job.

    Its maintenance round also recovers jobs of dead workers (see :mod:`queues.liveness`) and schedules the
    SLA sweep: one job per ``sla_sweep_interval_s`` across all workers (:func:`queues.sla.schedule_sweep`).
    """

    idp_settings: Settings | None = None

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        if self.idp_settings is not None:
            try:
                recovery.recover_abandoned(self.idp_settings, now=utcnow())
                recovery.requeue_orphans(self.idp_settings, now=utcnow())
            except Exception:
                logger.exception("recovery round failed")
            try:
                sla.schedule_sweep(self.idp_settings, self.connection, utcnow())
            except Exception:
                logger.exception("could not schedule the SLA sweep")


def run_worker(settings: Settings, *, burst: bool = False, name: str | None = None,
               maintenance_interval: int = 30) -> bool:
    """Work the idp queues until stopped (or until empty with ``burst``)."""
    upgrade(settings.effective_database_url)
    conn = get_redis(settings)
    worker = IdpWorker(enqueue.all_queues(settings), connection=conn, name=name,
                       maintenance_interval=maintenance_interval)
    worker.idp_settings = settings
    lease = liveness.LeaseKeeper(conn, worker.name).start()
    try:
        now = utcnow()
        recovery.recover_abandoned(settings, now=now)
        recovery.requeue_orphans(settings, now=now)
        return bool(worker.work(burst=burst, with_scheduler=True, logging_level="WARNING"))
    finally:
        lease.stop()
