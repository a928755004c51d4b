"""The resilient registry over the Tianyancha adapter, the running stand-in and a real Redis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis import Redis

from idp.adapters._common import timeout
from idp.adapters.resilience import ResiliencePolicy, ResilientRegistry
from idp.adapters.tianyancha import TianyanchaRegistry
from idp.errors import VerificationUnavailable
from idp.standins.runner import BackgroundServer
from tests.authority_helpers import TOKEN

NOW = datetime.now(UTC)


def make(server: BackgroundServer, redis: Redis, prefix: str, sleeps: list[float],
         **policy: Any) -> ResilientRegistry:
    inner = TianyanchaRegistry(base_url=server.url, token=TOKEN, timeout=timeout(0.5, 2))
    settings = ResiliencePolicy(**({"backoff_s": 0.01, "backoff_max_s": 0.05} | policy))
    return ResilientRegistry(inner, policy=settings, redis=redis, prefix=prefix, sleep=sleeps.append)


def calls(server: BackgroundServer) -> int:
    return int(server.app.state.calls.count())


def test_answers_and_absences_are_cached(registry_server: BackgroundServer,
                                         redis_conn: tuple[Redis, str]) -> None:
    registry = make(registry_server, *redis_conn, [])
    first = registry.lookup(uscc="91440106762B25NLXE", now=NOW)
    assert registry.lookup(uscc="91440106762B25NLXE", now=NOW + timedelta(hours=1)) == first
    assert calls(registry_server) == 1
    assert registry.lookup(uscc="911100000000000000", name="不存在的公司", now=NOW) is None
    assert registry.lookup(uscc="911100000000000000", name="不存在的公司", now=NOW) is None
    assert calls(registry_server) == 3  # USCC then name, once
    later = NOW + timedelta(seconds=registry.policy.cache_ttl_s)
    registry.lookup(uscc="91440106762B25NLXE", now=later)
    assert calls(registry_server) == 4


def test_stopped_mid_run_retries_then_raises_unavailable(registry_server: BackgroundServer,
                                                         redis_conn: tuple[Redis, str]) -> None:
    sleeps: list[float] = []
    registry = make(registry_server, *redis_conn, sleeps)
    assert registry.lookup(uscc="91440106762B25NLXE", now=NOW) is not None
    registry_server.stop()
    assert registry.lookup(uscc="91440106762B25NLXE", now=NOW) is not None  # from the cache
    with pytest.raises(VerificationUnavailable) as caught:
        registry.lookup(uscc="91120116631QK7ER97", now=NOW)
    assert caught.value.detail["retryable"] is True and sleeps == [0.01, 0.02, 0.04]


def test_a_refusal_is_not_retried(registry_server: BackgroundServer, redis_conn: tuple[Redis, str]) -> None:
    sleeps: list[float] = []
    inner = TianyanchaRegistry(base_url=registry_server.url, token="wrong", timeout=timeout(0.5, 2))
    registry = ResilientRegistry(inner, policy=ResiliencePolicy(), redis=redis_conn[0], prefix=redis_conn[1],
                                 sleep=sleeps.append)
    with pytest.raises(VerificationUnavailable):
        registry.lookup(uscc="91440106762B25NLXE", now=NOW)
    assert sleeps == [] and registry.breaker.state(NOW) == "closed"


def test_the_circuit_opens_and_half_opens(registry_server: BackgroundServer,
                                          redis_conn: tuple[Redis, str]) -> None:
    registry = make(registry_server, *redis_conn, [], attempts=1, breaker_failures=2, breaker_cooldown_s=10)
    port = registry_server.port
    registry_server.stop()
    for uscc in ("91440106762B25NLXE", "91120116631QK7ER97"):
        with pytest.raises(VerificationUnavailable):
            registry.lookup(uscc=uscc, now=NOW)
    restarted = BackgroundServer(registry_server.app, port=port).start()
    try:
        with pytest.raises(VerificationUnavailable) as caught:
            registry.lookup(uscc="91440106762B25NLXE", now=NOW + timedelta(seconds=9))
        assert caught.value.detail["provider_code"] == "CircuitOpen"
        record = registry.lookup(uscc="91440106762B25NLXE", now=NOW + timedelta(seconds=10))
        assert record is not None and calls(restarted) == 1
    finally:
        restarted.stop()
