"""Which decision policy applies (one default now; per client/product files come with issue 7)."""

from __future__ import annotations

from idp.policy import DecisionPolicy
from idp.settings import Settings


def policy_for(settings: Settings) -> DecisionPolicy:
    return DecisionPolicy(default_threshold=settings.default_field_threshold)
