"""Wrap a provider adapter so checks are cheap, bounded and never lost: quota rules, cache, breaker, retries.

Order of one ``verify``: the local rules (older than 5 years: ``too_old``; issued today:
``not_yet_verifiable``), then the answer cache (final answers only), then per attempt: the circuit breaker,
the invoice's daily quota (reserved before the call, released if the provider was never reached), the
request rate, the call. Retryable failures are retried with exponential backoff (tenacity); when the budget
is spent the answer is ``unavailable`` and nothing is raised.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING

from tenacity import Retrying, retry_if_exception, retry_if_result, stop_after_attempt, wait_exponential

from idp.adapters.ledger import CircuitBreaker, Ledger, MemoryLedger, RateLimiter, RedisLedger
from idp.errors import VerificationUnavailable
from idp.models.authority import (
    CHINA_TZ,
    CompanyRecord,
    InvoiceQuery,
    VerificationOutcome,
    VerificationStatus,
    china_date,
)
from idp.ports import BusinessRegistry, TaxInvoiceVerifier
from idp.settings import Settings

if TYPE_CHECKING:
    from redis import Redis

logger = logging.getLogger(__name__)

#: Seconds a quota counter is kept (a Beijing day plus slack for time zones and clock skew).
_QUOTA_KEEP_S = 2 * 24 * 3600


@dataclass(frozen=True)
class ResiliencePolicy:
    attempts: int = 4
    backoff_s: float = 0.5
    backoff_max_s: float = 8.0
    breaker_failures: int = 5
    breaker_cooldown_s: float = 60.0
    cache_ttl_s: int = 24 * 3600
    negative_cache_ttl_s: int = 6 * 3600
    daily_limit: int = 5
    max_age_years: int = 5
    rate_per_s: int = 20
    rate_max_wait_s: float = 5.0

    @classmethod
    def for_tax(cls, s: Settings) -> ResiliencePolicy:
        return cls(attempts=s.verify_attempts, backoff_s=s.verify_backoff_s,
                   backoff_max_s=s.verify_backoff_max_s, breaker_failures=s.verify_breaker_failures,
                   breaker_cooldown_s=s.verify_breaker_cooldown_s, cache_ttl_s=s.verify_cache_ttl_s,
                   negative_cache_ttl_s=s.verify_negative_cache_ttl_s,
                   daily_limit=s.verify_daily_limit, max_age_years=s.verify_max_age_years,
                   rate_per_s=s.verify_rate_per_s)

    @classmethod
    def for_registry(cls, s: Settings) -> ResiliencePolicy:
        return cls(attempts=s.verify_attempts, backoff_s=s.verify_backoff_s,
                   backoff_max_s=s.verify_backoff_max_s, breaker_failures=s.verify_breaker_failures,
                   breaker_cooldown_s=s.verify_breaker_cooldown_s, cache_ttl_s=s.registry_cache_ttl_s,
                   negative_cache_ttl_s=s.registry_cache_ttl_s,
                   rate_per_s=s.registry_rate_per_s)


def _ledger(redis: Redis | None, prefix: str) -> Ledger:
    return RedisLedger(redis, prefix) if redis is not None else MemoryLedger()


def next_china_midnight(day: date) -> datetime:
    """The first instant (Beijing) of the day after ``day``: when a same-day or over-quota check may go."""
    return datetime.combine(day + timedelta(days=1), dtime(0, 0), CHINA_TZ)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def local_refusal(
    query: InvoiceQuery, *, now: datetime, max_age_years: int, provider: str
) -> VerificationOutcome | None:
    """The answer the authority would give without asking it (and without spending a check), or None."""
    today = china_date(now)
    if query.issue_date < years_before(today, max_age_years):
        return VerificationOutcome(status=VerificationStatus.TOO_OLD, provider=provider, checked_at=now,
                                   provider_code="local", message=f"超过{max_age_years}年的发票不能查验")
    if query.issue_date >= today:
        return VerificationOutcome(status=VerificationStatus.NOT_YET_VERIFIABLE, provider=provider,
                                   checked_at=now, provider_code="local",
                                   message="当日开具的发票次日才能查验",
                                   retry_at=next_china_midnight(query.issue_date))
    return None


class ResilientTaxVerifier:
    """A :class:`idp.ports.TaxInvoiceVerifier` around another one; never raises."""

    def __init__(self, inner: TaxInvoiceVerifier, *, policy: ResiliencePolicy, redis: Redis | None = None,
                 prefix: str = "idp:verify", sleep: Callable[[float], None] = time.sleep) -> None:
        self.inner, self.policy, self._sleep = inner, policy, sleep
        self.name = inner.name
        self.ledger = _ledger(redis, prefix)
        self.breaker = CircuitBreaker(self.ledger, f"tax:{inner.name}", failures=policy.breaker_failures,
                                      cooldown_s=policy.breaker_cooldown_s)
        self.limiter = RateLimiter(self.ledger, f"tax:{inner.name}", per_second=policy.rate_per_s,
                                   max_wait_s=policy.rate_max_wait_s, sleep=sleep)

    def verify(self, query: InvoiceQuery, *, now: datetime) -> VerificationOutcome:
        refused = local_refusal(query, now=now, max_age_years=self.policy.max_age_years, provider=self.name)
        if refused is not None:
            return refused
        try:
            cached = self._cached(query, now)
            if cached is not None:
                return cached
            retrying = Retrying(
                stop=stop_after_attempt(self.policy.attempts),
                wait=wait_exponential(multiplier=self.policy.backoff_s, max=self.policy.backoff_max_s),
                retry=retry_if_result(lambda o: o.status is VerificationStatus.UNAVAILABLE and o.retryable),
                retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
                sleep=self._sleep,
            )
            outcome: VerificationOutcome = retrying(self._attempt, query, now)
            if outcome.final:
                self._remember(query, outcome, now)
            return outcome
        except Exception as exc:  # a bug or a dead Redis must not lose the document: report unavailable
            logger.exception("verification of %s failed", query.invoice_key)
            return VerificationOutcome(status=VerificationStatus.UNAVAILABLE, provider=self.name,
                                       checked_at=now, provider_code="LocalError", retryable=True,
                                       message=f"查验过程出错：{type(exc).__name__}")

    def _attempt(self, query: InvoiceQuery, now: datetime) -> VerificationOutcome:
        if not self.breaker.allow(now):
            return VerificationOutcome(status=VerificationStatus.UNAVAILABLE, provider=self.name,
                                       checked_at=now, provider_code="CircuitOpen", retryable=False,
                                       retry_at=self.breaker.reopens_at(now),
                                       message="查验服务连续失败，已暂停调用（熔断）")
        quota_key = f"quota:{query.invoice_key}:{china_date(now):%Y%m%d}"
        if self.ledger.incr(quota_key, ttl_s=_QUOTA_KEEP_S) > self.policy.daily_limit:
            self.ledger.incr(quota_key, by=-1)
            return self._over_quota(now, "local")
        if not self.limiter.acquire():
            self.ledger.incr(quota_key, by=-1)
            return VerificationOutcome(status=VerificationStatus.UNAVAILABLE, provider=self.name,
                                       checked_at=now, provider_code="RateLimited", retryable=True,
                                       message="本地查验限流，稍后重试")
        outcome = self.inner.verify(query, now=now)
        if outcome.status is VerificationStatus.UNAVAILABLE and outcome.retryable:
            self.breaker.record_failure(now)
            if outcome.provider_code is None:  # never reached the provider: no check was spent
                self.ledger.incr(quota_key, by=-1)
            return outcome
        self.breaker.record_success()
        if outcome.status is VerificationStatus.QUOTA_EXCEEDED:
            self.ledger.put(quota_key, str(self.policy.daily_limit), ttl_s=_QUOTA_KEEP_S)
            return self._over_quota(now, outcome.provider_code, outcome)
        if outcome.status is VerificationStatus.NOT_YET_VERIFIABLE:
            return outcome.model_copy(update={"retry_at": next_china_midnight(china_date(now))})
        return outcome

    def _over_quota(self, now: datetime, code: str | None, answer: VerificationOutcome | None = None,
                    ) -> VerificationOutcome:
        base = answer or VerificationOutcome(status=VerificationStatus.QUOTA_EXCEEDED, provider=self.name,
                                             checked_at=now, message="该发票今日查验次数已达上限")
        tomorrow = next_china_midnight(china_date(now))
        return base.model_copy(update={"provider_code": code, "retry_at": tomorrow})

    def _cached(self, query: InvoiceQuery, now: datetime) -> VerificationOutcome | None:
        raw = self.ledger.get(f"answer:{query.cache_key}")
        if raw is None:
            return None
        entry = json.loads(raw)
        if now.timestamp() >= float(entry["expires_at"]):
            return None
        return VerificationOutcome.model_validate(entry["outcome"]).model_copy(update={"from_cache": True})

    def _remember(self, query: InvoiceQuery, outcome: VerificationOutcome, now: datetime) -> None:
        ttl = (self.policy.negative_cache_ttl_s if outcome.status is VerificationStatus.NOT_FOUND
               else self.policy.cache_ttl_s)
        entry = {"expires_at": now.timestamp() + ttl, "outcome": outcome.model_dump(mode="json")}
        self.ledger.put(f"answer:{query.cache_key}", json.dumps(entry, ensure_ascii=False), ttl_s=ttl)


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, VerificationUnavailable) and bool(exc.detail.get("retryable"))


class ResilientRegistry:
    """A :class:`idp.ports.BusinessRegistry` around another one: cache (absence too), breaker, rate, retries.

    Raises only :class:`VerificationUnavailable` (after the retry budget, or while the circuit is open).
    """

    def __init__(self, inner: BusinessRegistry, *, policy: ResiliencePolicy, redis: Redis | None = None,
                 prefix: str = "idp:registry", sleep: Callable[[float], None] = time.sleep) -> None:
        self.inner, self.policy, self._sleep = inner, policy, sleep
        self.name = inner.name
        self.ledger = _ledger(redis, prefix)
        self.breaker = CircuitBreaker(self.ledger, f"registry:{inner.name}", failures=policy.breaker_failures,
                                      cooldown_s=policy.breaker_cooldown_s)
        self.limiter = RateLimiter(self.ledger, f"registry:{inner.name}", per_second=policy.rate_per_s,
                                   max_wait_s=policy.rate_max_wait_s, sleep=sleep)

    def lookup(
        self, *, uscc: str | None = None, name: str | None = None, now: datetime
    ) -> CompanyRecord | None:
        key = f"company:{self.name}:{(uscc or '').strip().upper()}:{(name or '').strip()}"
        raw = self.ledger.get(key)
        if raw is not None:
            entry = json.loads(raw)
            if now.timestamp() < float(entry["expires_at"]):
                return None if entry["record"] is None else CompanyRecord.model_validate(entry["record"])
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts), retry=retry_if_exception(_retryable),
            wait=wait_exponential(multiplier=self.policy.backoff_s, max=self.policy.backoff_max_s),
            sleep=self._sleep, reraise=True,
        )
        try:
            record: CompanyRecord | None = retrying(self._attempt, uscc, name, now)
        except VerificationUnavailable:
            raise
        except Exception as exc:
            logger.exception("registry lookup of %s/%s failed", uscc, name)
            raise VerificationUnavailable(f"工商查询过程出错：{type(exc).__name__}", provider=self.name,
                                          retryable=True) from exc
        ttl = self.policy.cache_ttl_s if record is not None else self.policy.negative_cache_ttl_s
        entry = {"expires_at": now.timestamp() + ttl,
                 "record": None if record is None else record.model_dump(mode="json")}
        self.ledger.put(key, json.dumps(entry, ensure_ascii=False), ttl_s=ttl)
        return record

    def _attempt(self, uscc: str | None, name: str | None, now: datetime) -> CompanyRecord | None:
        if not self.breaker.allow(now):
            raise VerificationUnavailable("工商信息服务连续失败，已暂停调用（熔断）", provider=self.name,
                                          provider_code="CircuitOpen", retryable=False,
                                          retry_at=str(self.breaker.reopens_at(now)))
        if not self.limiter.acquire():
            raise VerificationUnavailable("本地查询限流，稍后重试", provider=self.name,
                                          provider_code="RateLimited", retryable=True)
        try:
            record = self.inner.lookup(uscc=uscc, name=name, now=now)
        except VerificationUnavailable as exc:
            if exc.detail.get("retryable"):
                self.breaker.record_failure(now)
            raise
        self.breaker.record_success()
        return record
