"""The resilient tax verifier over the Tencent adapter, the running stand-in and a real Redis.

Sleeps are recorded instead of slept, so backoff is visible and the tests stay fast; time is the ``now``
given. Redis is the embedded server, and also the server one when ``IDP_TEST_REDIS_URL`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from redis import Redis

from idp.adapters._common import timeout
from idp.adapters.resilience import (
    ResiliencePolicy,
    ResilientRegistry,
    ResilientTaxVerifier,
    next_china_midnight,
)
from idp.adapters.tencent_tax import TencentTaxVerifier
from idp.adapters.tianyancha import TianyanchaRegistry
from idp.models.authority import CHINA_TZ, InvoiceQuery, VerificationOutcome, VerificationStatus, china_date
from idp.ports import BusinessRegistry, TaxInvoiceVerifier
from idp.standins.runner import BackgroundServer
from tests.authority_helpers import DIGITAL_31, NORMAL_10, SECRET_ID, SECRET_KEY, SPECIAL_08, TODAY_10, today

NOW = datetime.now(UTC)


@dataclass
class Rig:
    verifier: ResilientTaxVerifier
    server: BackgroundServer
    sleeps: list[float] = field(default_factory=list)

    def calls(self) -> int:
        return int(self.server.app.state.calls.count())

    def restart(self) -> None:
        self.server = BackgroundServer(self.server.app, port=self.server.port).start()


def make_rig(server: BackgroundServer, redis: Redis | None, prefix: str, **policy: Any) -> Rig:
    sleeps: list[float] = []
    inner = TencentTaxVerifier(base_url=server.url, secret_id=SECRET_ID, secret_key=SECRET_KEY,
                               timeout=timeout(0.5, 2))
    settings = ResiliencePolicy(**({"backoff_s": 0.01, "backoff_max_s": 0.05} | policy))
    verifier = ResilientTaxVerifier(inner, policy=settings, redis=redis, prefix=prefix, sleep=sleeps.append)
    return Rig(verifier, server, sleeps)


@pytest.fixture
def rig(tax_server: BackgroundServer, redis_conn: tuple[Redis, str]) -> Rig:
    return make_rig(tax_server, *redis_conn)


def query(invoice: tuple[str | None, str, str, str, str | None], *, check: str | None = None,
          issued: date | None = None) -> InvoiceQuery:
    code, number, kind, _, check_code = invoice
    return InvoiceQuery.build(kind=kind, code=code, number=number, check_code=check or check_code,
                              issue_date=issued or today() - timedelta(days=30), amount_without_tax="1000.00",
                              total_with_tax="1130.00")


def test_stand_in_stopped_mid_run_gives_retries_then_unavailable(rig: Rig) -> None:
    first = rig.verifier.verify(query(NORMAL_10), now=NOW)
    assert first.status is VerificationStatus.FOUND and rig.calls() == 1
    rig.server.stop()
    again = rig.verifier.verify(query(NORMAL_10), now=NOW)  # answered before: the cache still knows
    assert again.status is VerificationStatus.FOUND and again.from_cache
    lost = rig.verifier.verify(query(SPECIAL_08), now=NOW)
    assert lost.status is VerificationStatus.UNAVAILABLE and lost.retryable
    assert rig.sleeps == [0.01, 0.02, 0.04]  # 4 attempts, exponential backoff between them
    rig.restart()
    back = rig.verifier.verify(query(SPECIAL_08), now=NOW)  # unavailable was not cached
    assert back.status is VerificationStatus.FOUND and rig.calls() == 2
    quota = rig.verifier.ledger.get(f"quota:{query(SPECIAL_08).invoice_key}:{china_date(NOW):%Y%m%d}")
    assert quota == "1"  # the refused connections spent no check


def test_cache_prevents_a_second_call_until_its_ttl_ends(rig: Rig) -> None:
    ttl = rig.verifier.policy.cache_ttl_s
    assert not rig.verifier.verify(query(NORMAL_10), now=NOW).from_cache
    assert rig.verifier.verify(query(NORMAL_10), now=NOW + timedelta(seconds=ttl - 1)).from_cache
    assert rig.calls() == 1
    fresh = rig.verifier.verify(query(NORMAL_10), now=NOW + timedelta(seconds=ttl))
    assert not fresh.from_cache and rig.calls() == 2


def test_not_found_is_cached_for_the_shorter_negative_ttl(rig: Rig) -> None:
    unknown = query(("044002405111", "87654321", "10", "", "1" * 20))
    negative = rig.verifier.policy.negative_cache_ttl_s
    assert rig.verifier.verify(unknown, now=NOW).status is VerificationStatus.NOT_FOUND
    assert rig.verifier.verify(unknown, now=NOW + timedelta(seconds=negative - 1)).from_cache
    assert not rig.verifier.verify(unknown, now=NOW + timedelta(seconds=negative)).from_cache
    assert rig.calls() == 2


def test_cache_is_shared_by_every_wrapper_on_the_same_redis(rig: Rig, redis_conn: tuple[Redis, str]) -> None:
    other_worker = make_rig(rig.server, *redis_conn)
    rig.verifier.verify(query(DIGITAL_31), now=NOW)
    assert other_worker.verifier.verify(query(DIGITAL_31), now=NOW).from_cache
    assert rig.calls() == 1


def test_quota_is_enforced_locally_and_per_beijing_day(rig: Rig) -> None:
    answers = [rig.verifier.verify(query(NORMAL_10, check=f"{i:020d}"), now=NOW) for i in range(5)]
    assert {a.status for a in answers} == {VerificationStatus.MISMATCH} and rig.calls() == 5
    sixth = rig.verifier.verify(query(NORMAL_10), now=NOW)  # a new question, but no check left today
    assert sixth.status is VerificationStatus.QUOTA_EXCEEDED and sixth.provider_code == "local"
    assert sixth.retry_at == next_china_midnight(china_date(NOW)) and rig.calls() == 5
    tomorrow = NOW + timedelta(days=1)  # our count starts again; the stand-in's (real) day has not
    answer = rig.verifier.verify(query(NORMAL_10), now=tomorrow)
    assert answer.status is VerificationStatus.QUOTA_EXCEEDED
    assert answer.provider_code == "FailedOperation.CountLimitError" and rig.calls() == 6
    assert rig.verifier.verify(query(NORMAL_10, check="1" * 20), now=tomorrow).provider_code == "local"
    assert rig.calls() == 6  # the provider's refusal closed the day locally


def test_same_day_and_too_old_are_answered_without_a_call(rig: Rig) -> None:
    same_day = rig.verifier.verify(query(TODAY_10, issued=today()), now=NOW)
    assert same_day.status is VerificationStatus.NOT_YET_VERIFIABLE
    assert same_day.retry_at == datetime.combine(today() + timedelta(days=1), datetime.min.time(), CHINA_TZ)
    five_years_ago = date(today().year - 5, today().month, min(today().day, 28))
    old = rig.verifier.verify(query(NORMAL_10, issued=five_years_ago - timedelta(days=1)), now=NOW)
    assert old.status is VerificationStatus.TOO_OLD
    assert rig.calls() == 0


def test_circuit_opens_after_consecutive_failures_and_half_opens_by_time(
        tax_server: BackgroundServer, redis_conn: tuple[Redis, str]) -> None:
    rig = make_rig(tax_server, *redis_conn, attempts=1, breaker_failures=3, breaker_cooldown_s=60)
    rig.server.stop()
    for invoice in (NORMAL_10, SPECIAL_08, DIGITAL_31):
        assert rig.verifier.verify(query(invoice), now=NOW).provider_code is None  # refused connections
    assert rig.verifier.breaker.state(NOW) == "open"
    rig.restart()
    blocked = rig.verifier.verify(query(NORMAL_10), now=NOW + timedelta(seconds=59))
    assert blocked.provider_code == "CircuitOpen" and not blocked.retryable
    assert blocked.retry_at == NOW + timedelta(seconds=60) and rig.calls() == 0
    trial = rig.verifier.verify(query(NORMAL_10), now=NOW + timedelta(seconds=60))  # half-open: one trial
    assert trial.status is VerificationStatus.FOUND and rig.calls() == 1
    assert rig.verifier.breaker.state(NOW + timedelta(seconds=60)) == "closed"


def test_a_failed_trial_opens_the_circuit_again(tax_server: BackgroundServer,
                                                redis_conn: tuple[Redis, str]) -> None:
    rig = make_rig(tax_server, *redis_conn, attempts=1, breaker_failures=2, breaker_cooldown_s=30)
    rig.server.stop()
    rig.verifier.verify(query(NORMAL_10), now=NOW)
    rig.verifier.verify(query(SPECIAL_08), now=NOW)
    trial_at = NOW + timedelta(seconds=30)
    assert rig.verifier.verify(query(NORMAL_10), now=trial_at).provider_code is None  # the trial fails
    blocked = rig.verifier.verify(query(NORMAL_10), now=trial_at + timedelta(seconds=29))
    assert blocked.provider_code == "CircuitOpen"
    rig.restart()
    late = rig.verifier.verify(query(NORMAL_10), now=trial_at + timedelta(seconds=30))
    assert late.status is VerificationStatus.FOUND


def test_the_request_rate_is_limited(tax_server: BackgroundServer, redis_conn: tuple[Redis, str]) -> None:
    rig = make_rig(tax_server, *redis_conn, attempts=1, rate_per_s=1, rate_max_wait_s=0)
    ledger = rig.verifier.ledger
    while ledger.clock() % 1 > 0.5:  # start early in a second, so both calls fall in it
        pass
    assert rig.verifier.verify(query(NORMAL_10), now=NOW).status is VerificationStatus.FOUND
    throttled = rig.verifier.verify(query(SPECIAL_08), now=NOW)
    assert throttled.provider_code == "RateLimited" and throttled.retryable and rig.calls() == 1
    assert ledger.get(f"quota:{query(SPECIAL_08).invoice_key}:{china_date(NOW):%Y%m%d}") == "0"


class _Broken:
    name = "broken"

    def verify(self, query: InvoiceQuery, *, now: datetime) -> VerificationOutcome:
        raise RuntimeError("a bug in an adapter")


def test_nothing_is_raised_past_the_wrapper(redis_conn: tuple[Redis, str]) -> None:
    wrapper = ResilientTaxVerifier(_Broken(), policy=ResiliencePolicy(), redis=redis_conn[0],
                                   prefix=redis_conn[1])
    outcome = wrapper.verify(query(NORMAL_10), now=NOW)
    assert outcome.status is VerificationStatus.UNAVAILABLE and outcome.provider_code == "LocalError"


def test_without_redis_the_state_lives_in_the_process(tax_server: BackgroundServer) -> None:
    rig = make_rig(tax_server, None, "unused")
    rig.verifier.verify(query(NORMAL_10), now=NOW)
    assert rig.verifier.verify(query(NORMAL_10), now=NOW).from_cache and rig.calls() == 1


def test_adapters_and_wrappers_satisfy_the_ports(rig: Rig) -> None:
    assert isinstance(rig.verifier, TaxInvoiceVerifier) and isinstance(rig.verifier.inner, TaxInvoiceVerifier)
    inner = TianyanchaRegistry(base_url="http://127.0.0.1:9", token="t", timeout=timeout(1, 1))
    registry = ResilientRegistry(inner, policy=ResiliencePolicy())
    assert isinstance(registry, BusinessRegistry) and isinstance(registry.inner, BusinessRegistry)
