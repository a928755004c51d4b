"""Request and response models of the public API (each direction of the boundary has its own type)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from idp.models import Borrower, Decision, Period


class ApplicationCreate(BaseModel):
    external_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"\S",
                                    description="the lending system's own id (not empty or blank)")
    borrower: Borrower
    product: str = Field(min_length=1, max_length=100)
    requested_amount: Decimal | None = Field(default=None, ge=0, decimal_places=2)
    statement_period: Period | None = None


class DocumentPublic(BaseModel):
    """One document; a file holding several documents is listed once per part (part 0 is the upload)."""

    id: str
    filename: str
    sha256: str
    size: int
    kind: str
    subtype: str | None
    pages: int | None
    status: str
    error: str | None
    duplicate: bool = False
    parent_id: str | None = Field(default=None, description="the upload's id, for parts 1.. of a split file")
    part_index: int = Field(default=0, description="0 = the upload itself, 1.. = further documents in it")
    page_from: int | None = Field(default=None, description="its first page in the file, 1-based")
    page_to: int | None = Field(default=None, description="its last page in the file, inclusive")


class TaskSummary(BaseModel):
    id: str
    kind: str
    status: str
    priority: int
    sla_due_at: datetime
    reasons: list[dict[str, Any]]


class ApplicationPublic(BaseModel):
    id: str
    external_id: str | None
    borrower: Borrower
    product: str
    requested_amount: Decimal | None
    statement_period: Period | None = Field(default=None, description="the window the statement must cover")
    status: str
    decision: Decision | None
    documents: list[DocumentPublic]
    tasks: list[TaskSummary]
    created_at: datetime
    updated_at: datetime
    result_url: str


class UploadResult(BaseModel):
    documents: list[DocumentPublic]


class ErrorBody(BaseModel):
    code: str
    message: str
    detail: dict[str, Any] = Field(default_factory=dict)
