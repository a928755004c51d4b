"""Nothing is lost: abandoned jobs (a worker killed mid-job) are retried, and work whose job vanished is requeued.

Two layers: RQ's own abandoned-job handling (StartedJobRegistry cleanup, which retries a job with retries
left), and a database sweep that requeues documents and applications whose job no longer exists in Redis
(e.g. the Redis data was lost). ``now`` is a parameter so both are testable.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from idp.models import ApplicationStatus, DocumentStatus
from idp.settings import Settings
from idp.storage.db import session_scope
from idp.storage.tables import ApplicationRow, DocumentRow
from queues import enqueue, liveness
from queues.connection import get_redis

logger = logging.getLogger(__name__)

#: Work untouched this long with no live job behind it is requeued.
STALE_AFTER = timedelta(minutes=2)

_LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def recover_abandoned(settings: Settings, *, now: datetime) -> int:
    """Let RQ retry (or fail, visibly) every job whose worker died or stopped heart-beating before ``now``."""
    conn = get_redis(settings)
    count = 0
    for q in enqueue.all_queues(settings):
        registry = StartedJobRegistry(queue=q)
        _expire_jobs_of_dead_workers(conn, registry)
        expired = registry.get_expired_job_ids(now.timestamp())
        if expired:
            registry.cleanup(timestamp=now.timestamp())
            count += len(expired)
    if count:
        logger.warning("recovered %d abandoned job(s)", count)
    return count


def _expire_jobs_of_dead_workers(conn: Redis, registry: StartedJobRegistry) -> None:
    """An execution whose worker lease is gone is abandoned now, whatever RQ's own TTL says."""
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        try:
            execution = Execution.fetch(execution_id, job_id, connection=conn)
        except Exception:
            continue
        if execution.worker_name and not liveness.is_alive(conn, execution.worker_name):
            logger.warning("worker %s is gone; job %s is abandoned", execution.worker_name, job_id)
            conn.zadd(registry.key, {execution.composite_key: 0})


def _job_alive(settings: Settings, job_id: str | None) -> bool:
    if not job_id:
        return False
    try:
        job = Job.fetch(job_id, connection=get_redis(settings))
    except NoSuchJobError:
        return False
    return job.get_status() in _LIVE


def requeue_orphans(settings: Settings, *, now: datetime) -> list[str]:
    """Requeue documents (and deciding applications) whose job no longer exists; returns their ids."""
    from queues.intake import queue_read

    cutoff = now - STALE_AFTER
    url = settings.effective_database_url
    with session_scope(url) as s:
        docs = [
            (d.id, d.job_id)
            for d in s.scalars(
                select(DocumentRow).where(
                    DocumentRow.status.in_(
                        [DocumentStatus.STORED.value, DocumentStatus.QUEUED.value, DocumentStatus.PROCESSING.value]
                    ),
                    DocumentRow.updated_at < cutoff,
                )
            )
        ]
        apps = [
            a.id
            for a in s.scalars(
                select(ApplicationRow).where(
                    ApplicationRow.status == ApplicationStatus.DECIDING.value, ApplicationRow.updated_at < cutoff
                )
            )
        ]
    requeued: list[str] = []
    for doc_id, job_id in docs:
        if not _job_alive(settings, job_id):
            queue_read(settings, doc_id, now=now)
            requeued.append(doc_id)
    for app_id in apps:
        live = any(
            j.args and j.args[0] == app_id
            for j in enqueue.queue(settings, enqueue.APPLICATIONS).get_jobs()
        )
        if not live:
            enqueue.enqueue_decide(settings, app_id)
            requeued.append(app_id)
    if requeued:
        logger.warning("requeued %d orphaned item(s)", len(requeued))
    return requeued
