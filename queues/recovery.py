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
from rq.queue import Queue
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import select

from idp.models import ApplicationStatus, DeliveryStatus, DocumentStatus
from idp.settings import Settings
from idp.storage import documents
from idp.storage.db import session_scope
from idp.storage.tables import ApplicationRow, DocumentRow, WebhookDeliveryRow
from queues import enqueue, liveness, pipeline
from queues.connection import get_redis

logger = logging.getLogger(__name__)

#: Work untouched this long with no live job behind it is requeued.
STALE_AFTER = timedelta(minutes=2)

_LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def recover_abandoned(settings: Settings, *, now: datetime) -> int:
    """Take again every job whose worker died (its lease lapsed), at once; let RQ retry (or fail, visibly)
    every job that stopped heart-beating before ``now``."""
    conn = get_redis(settings)
    count = 0
    for q in enqueue.all_queues(settings):
        registry = StartedJobRegistry(queue=q)
        count += _requeue_jobs_of_dead_workers(conn, q, registry)
        expired = registry.get_expired_job_ids(now.timestamp())
        if expired:
            registry.cleanup(timestamp=now.timestamp())
            count += len(expired)
    if count:
        logger.warning("recovered %d abandoned job(s)", count)
    return count


def _requeue_jobs_of_dead_workers(conn: Redis, queue: Queue, registry: StartedJobRegistry) -> int:
    """An execution whose worker lease is gone is abandoned now: its job goes back to the front of its queue
    (one retry spent, no backoff wait: the worker died, not the job). With no retry left, RQ's cleanup fails
    it visibly (its failure callback opens the processing_failed task)."""
    count = 0
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        try:
            execution = Execution.fetch(execution_id, job_id, connection=conn)
        except Exception:
            continue
        if not execution.worker_name or liveness.is_alive(conn, execution.worker_name):
            continue
        logger.warning("worker %s is gone; job %s is abandoned", execution.worker_name, job_id)
        try:
            job = Job.fetch(job_id, connection=conn)
        except NoSuchJobError:
            conn.zrem(registry.key, execution.composite_key)
            continue
        if job.get_status(refresh=False) != JobStatus.STARTED or not job.retries_left:
            conn.zadd(registry.key, {execution.composite_key: 0})  # cleanup decides: fail it, visibly
            continue
        if not conn.zrem(registry.key, execution.composite_key):
            continue  # another worker's round took it first
        job.retries_left -= 1
        job.save()
        queue.enqueue_job(job, at_front=True)
        count += 1
    return count


def _job_alive(settings: Settings, job_id: str | None) -> bool:
    if not job_id:
        return False
    try:
        job = Job.fetch(job_id, connection=get_redis(settings))
    except NoSuchJobError:
        return False
    return job.get_status() in _LIVE


def live_job_subjects(settings: Settings, name: str) -> set[str]:
    """First arguments (an application or delivery id) of every job of queue ``name`` that is queued,
    scheduled for a retry or running."""
    q = enqueue.queue(settings, name)
    ids = set(q.get_job_ids())
    ids |= set(ScheduledJobRegistry(queue=q).get_job_ids())
    ids |= {job_id for job_id, _ in StartedJobRegistry(queue=q).get_job_and_execution_ids(cleanup=False)}
    jobs = Job.fetch_many(sorted(ids), connection=q.connection)
    return {str(j.args[0]) for j in jobs if j is not None and j.args}


def requeue_orphans(settings: Settings, *, now: datetime) -> list[str]:
    """The periodic sweep: queue every document, application and webhook delivery whose next step is
    missing (its job vanished, or it was never queued), untouched for ``STALE_AFTER``; returns their ids."""
    from queues.intake import queue_read

    cutoff = now - STALE_AFTER
    url = settings.effective_database_url
    with session_scope(url) as s:
        docs = [(d.id, d.job_id) for d in s.scalars(select(DocumentRow).where(
            DocumentRow.status.in_([DocumentStatus.STORED.value, DocumentStatus.QUEUED.value,
                                    DocumentStatus.PROCESSING.value]),
            DocumentRow.updated_at < cutoff))]
        deciding = list(s.scalars(select(ApplicationRow.id).where(
            ApplicationRow.status == ApplicationStatus.DECIDING.value, ApplicationRow.updated_at < cutoff)))
        read = [a for a in s.scalars(select(ApplicationRow.id).where(
            ApplicationRow.status == ApplicationStatus.PROCESSING.value, ApplicationRow.updated_at < cutoff))
            if not documents.pending_count(s, a)]
        deliveries = list(s.scalars(select(WebhookDeliveryRow.id).where(
            WebhookDeliveryRow.status == DeliveryStatus.PENDING.value, WebhookDeliveryRow.created_at < cutoff)))
    requeued: list[str] = []
    for doc_id, job_id in docs:
        if not _job_alive(settings, job_id):
            queue_read(settings, doc_id, now=now)
            requeued.append(doc_id)
    if deciding:
        live = live_job_subjects(settings, enqueue.APPLICATIONS)
        for app_id in deciding:
            if app_id not in live:
                enqueue.enqueue_decide(settings, app_id)
                requeued.append(app_id)
    for app_id in read:  # every document read, but the step that queues the decision never ran
        if pipeline.maybe_decide(settings, app_id, now=now):
            requeued.append(app_id)
    if deliveries:
        live = live_job_subjects(settings, enqueue.WEBHOOKS)
        for delivery_id in deliveries:
            if delivery_id not in live:
                enqueue.enqueue_webhook(settings, delivery_id)
                requeued.append(delivery_id)
    if requeued:
        logger.warning("requeued %d orphaned item(s)", len(requeued))
    return requeued
