"""Findings are data, not exceptions: they are what a review task shows as its reason."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Severity(StrEnum):
    """How bad a finding is; the decision policy says which severities block straight-through."""

    ERROR = "error"  #: the value is wrong or contradicts another
    WARNING = "warning"  #: suspicious, needs a person or an outside check
    INFO = "info"  #: for the record


class Finding(BaseModel):
    rule_id: str = Field(description="stable id, e.g. 'invoice.amount_words'")
    severity: Severity
    message: str = Field(description="Chinese-first message a reviewer reads")
    fields: list[str] = Field(default_factory=list)
    values: dict[str, str | None] = Field(default_factory=dict)
    document_id: str | None = None
    #: every document the finding is about (cross-document findings name several)
    documents: list[str] = Field(default_factory=list)
