"""Ledger, circuit breaker and rate limiter on a real Redis and in-process, with time as a parameter."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis

from idp.adapters.ledger import CircuitBreaker, Ledger, MemoryLedger, RateLimiter, RedisLedger
from tests.authority_helpers import REDIS_KINDS, redis_client

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=[*REDIS_KINDS, "memory"])
def ledger(request: pytest.FixtureRequest) -> Iterator[Ledger]:
    if request.param == "memory":
        yield MemoryLedger()
        return
    with redis_client(request.param) as (client, prefix):
        yield RedisLedger(client, prefix)


def test_counters_values_and_put_if_absent(ledger: Ledger) -> None:
    assert ledger.incr("n", ttl_s=60) == 1 and ledger.incr("n", ttl_s=60) == 2
    assert ledger.incr("n", by=-1) == 1 and ledger.get("n") == "1"
    assert ledger.put_if_absent("p", "a") and not ledger.put_if_absent("p", "b") and ledger.get("p") == "a"
    ledger.delete("n", "p")
    assert ledger.get("n") is None and ledger.get("p") is None


def test_the_expiry_of_a_counter_is_set_once(redis_conn: tuple[Redis, str]) -> None:
    client, prefix = redis_conn
    ledger = RedisLedger(client, prefix)
    ledger.incr("k", ttl_s=100)
    client.expire(f"{prefix}:k", 5)
    ledger.incr("k", ttl_s=100)  # must not push the expiry back out
    assert 0 < client.ttl(f"{prefix}:k") <= 5


def test_breaker_opens_after_n_failures_and_a_success_resets_the_count(ledger: Ledger) -> None:
    breaker = CircuitBreaker(ledger, "p", failures=3, cooldown_s=60)
    breaker.record_failure(T0)
    breaker.record_failure(T0)
    breaker.record_success()
    breaker.record_failure(T0)
    breaker.record_failure(T0)
    assert breaker.state(T0) == "closed" and breaker.allow(T0)
    breaker.record_failure(T0)
    assert breaker.state(T0) == "open" and not breaker.allow(T0 + timedelta(seconds=59))
    assert breaker.reopens_at(T0) == T0 + timedelta(seconds=60)


def test_half_open_lets_one_trial_through_per_cooldown(ledger: Ledger) -> None:
    breaker = CircuitBreaker(ledger, "p", failures=1, cooldown_s=60)
    breaker.record_failure(T0)
    later = T0 + timedelta(seconds=60)
    assert breaker.state(later) == "half_open"
    assert breaker.allow(later) and not breaker.allow(later + timedelta(seconds=1))
    assert breaker.allow(later + timedelta(seconds=60))  # the trial never reported: another may go
    breaker.record_success()
    assert breaker.state(later) == "closed"


def test_a_failed_trial_reopens_from_its_own_time(ledger: Ledger) -> None:
    breaker = CircuitBreaker(ledger, "p", failures=5, cooldown_s=60)
    for _ in range(5):
        breaker.record_failure(T0)
    trial = T0 + timedelta(seconds=60)
    assert breaker.allow(trial)
    breaker.record_failure(trial)
    assert breaker.state(trial + timedelta(seconds=59)) == "open"
    assert breaker.state(trial + timedelta(seconds=60)) == "half_open"


def test_rate_limiter_allows_at_most_n_per_second(ledger: Ledger) -> None:
    limiter = RateLimiter(ledger, "p", per_second=3, max_wait_s=5)
    stamps = []
    for _ in range(8):
        assert limiter.acquire()
        stamps.append(ledger.clock())
    per_second: dict[int, int] = {}
    for stamp in stamps:
        per_second[int(stamp)] = per_second.get(int(stamp), 0) + 1
    assert max(per_second.values()) <= 3
    assert stamps[-1] - stamps[0] >= 1.0  # 8 calls at 3/s span at least three seconds' windows


def test_rate_limiter_gives_up_after_its_wait_budget(ledger: Ledger) -> None:
    limiter = RateLimiter(ledger, "q", per_second=1, max_wait_s=0)
    while ledger.clock() % 1 > 0.5:
        time.sleep(0.01)
    assert limiter.acquire() and not limiter.acquire()
