"""RQ job functions: thin, importable by dotted path, taking ids only."""

from __future__ import annotations

import logging
from typing import Any

from idp.settings import get_settings
from queues import decision_step, pipeline, webhooks
from queues.clock import utcnow

logger = logging.getLogger(__name__)


def read_document(document_id: str) -> str:
    return pipeline.process_document(get_settings(), document_id, now=utcnow())


def decide_application(application_id: str) -> str:
    """The application step; its policy is the one for the application's client and product."""
    return decision_step.decide_application(get_settings(), application_id, now=utcnow())


def deliver_webhook(delivery_id: str) -> str:
    return webhooks.deliver(get_settings(), delivery_id, now=utcnow())


def sla_sweep() -> dict[str, Any]:
    """The periodic round: SLA levels and 督办, and applications whose wait for verification is over."""
    from queues import sla

    settings, now = get_settings(), utcnow()
    report = sla.sweep(settings, now).as_dict()
    report["verification_resumed"] = len(decision_step.resume_awaiting(settings, now=now))
    return report


def _final(job: Any) -> bool:
    """True when RQ will not retry this job again."""
    return not job.retries_left


def _error_text(exc_type: Any, value: Any) -> str:
    if value is None:
        return "worker died while processing (abandoned job)"
    return f"{getattr(exc_type, '__name__', exc_type)}: {value}"


def on_read_failure(job: Any, connection: Any, exc_type: Any, value: Any, tb: Any) -> None:
    document_id = job.args[0]
    error = _error_text(exc_type, value)
    logger.warning("read of %s failed (retries left: %s): %s", document_id, job.retries_left, error)
    if _final(job):
        pipeline.fail_document(get_settings(), document_id, error=error, code="processing_error", now=utcnow())


def on_decide_failure(job: Any, connection: Any, exc_type: Any, value: Any, tb: Any) -> None:
    application_id = job.args[0]
    error = _error_text(exc_type, value)
    logger.error("decision for %s failed (retries left: %s): %s", application_id, job.retries_left, error)
    if _final(job):
        decision_step.fail_application(get_settings(), application_id, error=error, now=utcnow())


def on_webhook_failure(job: Any, connection: Any, exc_type: Any, value: Any, tb: Any) -> None:
    if _final(job):
        webhooks.give_up(get_settings(), job.args[0], error=_error_text(exc_type, value))
