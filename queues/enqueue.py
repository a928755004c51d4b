"""Queue names and enqueue helpers: jobs take ids, never ORM rows, and are found by dotted path."""

from __future__ import annotations

from rq import Callback, Queue, Retry
from rq.job import Job

from idp.settings import Settings
from queues.connection import get_redis

DOCUMENTS = "documents"
APPLICATIONS = "applications"
WEBHOOKS = "webhooks"
#: Periodic housekeeping (the SLA sweep), scheduled by the workers' maintenance round.
MAINTENANCE = "maintenance"
ALL = (APPLICATIONS, DOCUMENTS, WEBHOOKS, MAINTENANCE)


def queue(settings: Settings, name: str) -> Queue:
    return Queue(f"{settings.queue_prefix}:{name}", connection=get_redis(settings))


def all_queues(settings: Settings) -> list[Queue]:
    conn = get_redis(settings)
    return [Queue(f"{settings.queue_prefix}:{n}", connection=conn) for n in ALL]


def _retry(settings: Settings, retries: int, intervals: list[int]) -> Retry | None:
    return Retry(max=retries, interval=intervals or [0]) if retries > 0 else None


def enqueue_read(settings: Settings, document_id: str) -> Job:
    return queue(settings, DOCUMENTS).enqueue(
        "queues.jobs.read_document",
        document_id,
        job_timeout=settings.job_timeout_s,
        retry=_retry(settings, settings.job_retries, settings.job_retry_intervals_s),
        on_failure=Callback("queues.jobs.on_read_failure"),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


def enqueue_decide(settings: Settings, application_id: str) -> Job:
    return queue(settings, APPLICATIONS).enqueue(
        "queues.jobs.decide_application",
        application_id,
        job_timeout=settings.job_timeout_s,
        retry=_retry(settings, settings.job_retries, settings.job_retry_intervals_s),
        on_failure=Callback("queues.jobs.on_decide_failure"),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


def enqueue_webhook(settings: Settings, delivery_id: str) -> Job:
    return queue(settings, WEBHOOKS).enqueue(
        "queues.jobs.deliver_webhook",
        delivery_id,
        job_timeout=int(settings.webhook_timeout_s) + 30,
        retry=_retry(settings, settings.webhook_attempts - 1, settings.webhook_retry_intervals_s),
        on_failure=Callback("queues.jobs.on_webhook_failure"),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


def enqueue_sla_sweep(settings: Settings) -> Job:
    return queue(settings, MAINTENANCE).enqueue(
        "queues.jobs.sla_sweep",
        job_timeout=max(60, settings.sla_sweep_interval_s * 5),
        result_ttl=600,
        failure_ttl=24 * 3600,
    )
