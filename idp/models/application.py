"""Applications and their documents, as the core sees them (storage rows are mapped to these)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from idp.models.decision import Decision
from idp.models.fields import DocumentKind, ExtractedDocument
from idp.models.findings import Finding


class Borrower(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    uscc: str = Field(min_length=15, max_length=20, description="统一社会信用代码 / 纳税人识别号")


class Period(BaseModel):
    start: date
    end: date


class ApplicationStatus(StrEnum):
    RECEIVING = "receiving"  #: documents may still be uploaded
    PROCESSING = "processing"  #: submitted; documents are being read
    DECIDING = "deciding"  #: all documents read; the application job runs
    #: an invoice cannot be checked yet (issued today, provider quota): waits until ``retry_at``, no clock runs
    AWAITING_VERIFICATION = "awaiting_verification"
    REVIEW = "review"  #: waiting for people
    COMPLETED = "completed"  #: a final result exists and was sent


_S = ApplicationStatus
#: Every move an application may make: status → the statuses it may go to (``queues.lifecycle`` makes them).
APPLICATION_MOVES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    _S.RECEIVING: frozenset({_S.PROCESSING}),  # submitted
    _S.PROCESSING: frozenset({_S.DECIDING, _S.REVIEW}),  # every document read / the step failed
    _S.DECIDING: frozenset({_S.AWAITING_VERIFICATION, _S.REVIEW, _S.COMPLETED}),
    _S.AWAITING_VERIFICATION: frozenset({_S.DECIDING, _S.REVIEW}),  # the wait is over / the step failed
    _S.REVIEW: frozenset({_S.DECIDING}),  # every task done: decided again and finalised
    _S.COMPLETED: frozenset(),  # the result was sent; nothing takes it back
}


def moves_into(target: ApplicationStatus) -> frozenset[ApplicationStatus]:
    """The statuses from which an application may move to ``target``."""
    return frozenset(s for s, targets in APPLICATION_MOVES.items() if target in targets)


class Application(BaseModel):
    id: str
    client_id: str
    external_id: str | None = None
    borrower: Borrower
    product: str
    requested_amount: Decimal | None = None
    statement_period: Period | None = None
    status: ApplicationStatus
    decision: Decision | None = None
    created_at: datetime
    updated_at: datetime


class DocumentStatus(StrEnum):
    STORED = "stored"  #: file written and row committed
    QUEUED = "queued"  #: a read job is queued
    PROCESSING = "processing"
    EXTRACTED = "extracted"
    FAILED = "failed"  #: retries exhausted; a processing_failed task exists
    DUPLICATE = "duplicate"  #: same bytes already uploaded to this application


class Document(BaseModel):
    id: str
    application_id: str
    filename: str
    content_type: str | None = None
    sha256: str
    size: int
    kind: DocumentKind = DocumentKind.UNKNOWN
    subtype: str | None = None
    pages: int | None = None
    status: DocumentStatus
    attempts: int = 0
    error: str | None = None
    extraction: ExtractedDocument | None = None
    findings: list[Finding] = Field(default_factory=list)
    created_at: datetime
    #: part of a split upload: the upload's document id, the part's number (0 = the upload itself) and its
    #: page span in the file (1-based, inclusive)
    parent_id: str | None = None
    part_index: int = 0
    page_from: int | None = None
    page_to: int | None = None
