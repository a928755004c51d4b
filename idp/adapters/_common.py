"""Helpers the provider adapters share: lenient parsing of provider strings, and the unavailable answer."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import httpx

from idp.models.authority import VerificationOutcome, VerificationStatus

_DIGITS = re.compile(r"\d+")


def text(value: object) -> str | None:
    """A provider string, with empty and whitespace-only values as None."""
    if value is None:
        return None
    out = str(value).strip()
    return out or None


def money(value: object) -> Decimal | None:
    """``"1,234.50"``, ``"¥12.00"`` or ``""`` → Decimal or None (never float)."""
    raw = text(value)
    if raw is None:
        return None
    try:
        return Decimal(raw.replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation:
        return None


def day(value: object) -> date | None:
    """``20240520``, ``2024-05-20`` or ``2024年05月20日`` → date; anything else → None."""
    raw = text(value)
    if raw is None:
        return None
    digits = "".join(_DIGITS.findall(raw))
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def timeout(connect_s: float, total_s: float) -> httpx.Timeout:
    """Every adapter sets both: a dead host fails fast, a slow answer cannot hang a worker."""
    return httpx.Timeout(total_s, connect=connect_s)


def transport_code(exc: httpx.HTTPError) -> str | None:
    """None when the request certainly never reached the provider (so no check was spent), else a label."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return None
    return type(exc).__name__


def unavailable(
    provider: str, *, now: datetime, message: str, retryable: bool, code: str | None = None,
    request_id: str | None = None,
) -> VerificationOutcome:
    """The answer when the provider could not answer (``code`` None: it was never reached)."""
    return VerificationOutcome(status=VerificationStatus.UNAVAILABLE, provider=provider,
                               request_id=request_id, checked_at=now, provider_code=code, message=message,
                               retryable=retryable)
