"""What every document rule family is given besides the document: the clock and the deployment's limits.

One signature for every family, ``check(doc, context) -> list[Finding]`` (as python-stdnum gives every number
module one surface), so the runner never needs to know which family wants what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Default age limit in days of a verifiable invoice: the tax authority checks the last 5 years only (§1.6).
DEFAULT_MAX_AGE_DAYS = 5 * 365


@dataclass(frozen=True)
class RuleContext:
    now: datetime  #: the clock date rules compare against (never a hidden ``datetime.now()``)
    max_age_days: int = DEFAULT_MAX_AGE_DAYS  #: invoices older than this cannot be verified
