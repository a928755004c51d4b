"""Invoice verification and registry lookups for jobs: the adapters from settings, sharing this Redis.

Cache, quota counters and circuit breaker live in Redis (embedded or server) under
``<queue_prefix>:verify`` and ``<queue_prefix>:registry``, so every worker sees the same counts. What an
outcome means for the application is :data:`TASK_KINDS` plus ``outcome.retry_at``.
"""

from __future__ import annotations

from idp.adapters.factory import business_registry, tax_verifier
from idp.adapters.resilience import ResilientRegistry, ResilientTaxVerifier
from idp.models import TaskKind
from idp.models.authority import VerificationStatus
from idp.settings import Settings
from queues.connection import get_redis

#: The review task an outcome calls for. None means no task: ``found`` goes on to the field-by-field
#: comparison; ``not_yet_verifiable``/``quota_exceeded`` wait in ``awaiting_verification`` until
#: ``retry_at`` (SLA paused). ``unavailable`` is first retried by the job (RQ retry intervals); only after
#: that budget does it become a ``verification_unavailable`` task.
TASK_KINDS: dict[VerificationStatus, TaskKind | None] = {
    VerificationStatus.FOUND: None,
    VerificationStatus.NOT_FOUND: TaskKind.VERIFICATION_FAILED,
    VerificationStatus.MISMATCH: TaskKind.VERIFICATION_FAILED,
    VerificationStatus.TOO_OLD: TaskKind.FIELD_REVIEW,
    VerificationStatus.NOT_YET_VERIFIABLE: None,
    VerificationStatus.QUOTA_EXCEEDED: None,
    VerificationStatus.UNAVAILABLE: TaskKind.VERIFICATION_UNAVAILABLE,
}


def invoice_verifier(settings: Settings) -> ResilientTaxVerifier:
    """发票查验 for this deployment (provider from settings, state in the configured Redis)."""
    return tax_verifier(settings, redis=get_redis(settings))


def company_registry(settings: Settings) -> ResilientRegistry:
    """工商登记 lookups for this deployment (provider from settings, cache in the configured Redis)."""
    return business_registry(settings, redis=get_redis(settings))
