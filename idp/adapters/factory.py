"""Build the verification adapters the settings choose, wrapped for resilience (wired here only).

The Redis client is a parameter so this package never imports ``queues``; :mod:`queues.verification`
passes the one from ``queues.connection.get_redis`` (embedded or server).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from idp.adapters._common import timeout
from idp.adapters.baidu_tax import BaiduTaxVerifier
from idp.adapters.resilience import ResiliencePolicy, ResilientRegistry, ResilientTaxVerifier
from idp.adapters.tencent_tax import TencentTaxVerifier
from idp.adapters.tianyancha import TianyanchaRegistry
from idp.ports import BusinessRegistry, TaxInvoiceVerifier
from idp.settings import Settings

if TYPE_CHECKING:
    from redis import Redis


def provider_tax_verifier(settings: Settings) -> TaxInvoiceVerifier:
    """The bare adapter for ``settings.tax_provider`` (no cache, quota or retries)."""
    limits = timeout(settings.verify_connect_timeout_s, settings.verify_timeout_s)
    if settings.tax_provider == "baidu":
        return BaiduTaxVerifier(base_url=settings.tax_base_url, api_key=settings.baidu_api_key,
                                secret_key=settings.baidu_secret_key.get_secret_value(), timeout=limits)
    return TencentTaxVerifier(base_url=settings.tax_base_url, secret_id=settings.tencent_secret_id,
                              secret_key=settings.tencent_secret_key.get_secret_value(),
                              region=settings.tencent_region, timeout=limits)


def provider_registry(settings: Settings) -> BusinessRegistry:
    """The bare adapter for ``settings.registry_provider``."""
    limits = timeout(settings.verify_connect_timeout_s, settings.verify_timeout_s)
    return TianyanchaRegistry(base_url=settings.registry_base_url,
                              token=settings.tianyancha_token.get_secret_value(), timeout=limits)


def tax_verifier(settings: Settings, *, redis: Redis | None = None) -> ResilientTaxVerifier:
    """The verifier the pipeline uses: adapter + quota rules, cache, breaker, rate limit and retries."""
    return ResilientTaxVerifier(provider_tax_verifier(settings), policy=ResiliencePolicy.for_tax(settings),
                                redis=redis, prefix=f"{settings.queue_prefix}:verify")


def business_registry(settings: Settings, *, redis: Redis | None = None) -> ResilientRegistry:
    """The registry the pipeline uses: provider adapter + cache, breaker, rate limit and retries."""
    return ResilientRegistry(provider_registry(settings), policy=ResiliencePolicy.for_registry(settings),
                             redis=redis, prefix=f"{settings.queue_prefix}:registry")
