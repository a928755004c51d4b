"""The decision on an application and the reasons behind it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class DecisionOutcome(StrEnum):
    STRAIGHT_THROUGH = "straight_through"
    REVIEW = "review"


class Reason(BaseModel):
    """Why a decision is ``review``: which rule, which fields, which values."""

    code: str = Field(description="rule id or a decision code such as 'field.low_confidence'")
    message: str
    fields: list[str] = Field(default_factory=list)
    values: dict[str, str | None] = Field(default_factory=dict)
    document_id: str | None = None
    severity: str | None = None


class Decision(BaseModel):
    outcome: DecisionOutcome
    reasons: list[Reason] = Field(default_factory=list)
    policy_version: str = "default-4"
    decided_at: datetime
