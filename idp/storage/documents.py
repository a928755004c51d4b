"""Documents: one row per distinct file in an application, written only after the file is on disk."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.models import Document, DocumentKind, DocumentStatus, ExtractedDocument, Finding
from idp.storage.tables import DocumentRow

#: Statuses after which a document needs no more work.
TERMINAL = {DocumentStatus.EXTRACTED.value, DocumentStatus.FAILED.value}


def add_document(
    session: Session,
    *,
    application_id: str,
    filename: str,
    content_type: str | None,
    sha256: str,
    size: int,
    storage_key: str,
    now: datetime,
) -> tuple[DocumentRow, bool]:
    """Add a stored file to an application; the same bytes again return the first row (created=False)."""
    existing = session.scalar(
        select(DocumentRow).where(
            DocumentRow.application_id == application_id,
            DocumentRow.sha256 == sha256,
            DocumentRow.part_index == 0,
        )
    )
    if existing is not None:
        return existing, False
    row = DocumentRow(
        id=str(uuid.uuid4()),
        application_id=application_id,
        filename=filename,
        content_type=content_type,
        sha256=sha256,
        size=size,
        storage_key=storage_key,
        kind=DocumentKind.UNKNOWN.value,
        status=DocumentStatus.STORED.value,
        part_index=0,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row, True


def get(session: Session, document_id: str, *, for_update: bool = False) -> DocumentRow:
    """The document row; ``for_update`` locks it (PostgreSQL) until the unit of work ends."""
    row = session.get(DocumentRow, document_id, with_for_update=for_update)
    if row is None:
        raise NotFound("未找到该文档 (document not found)", code="document_not_found")
    return row


def for_application(session: Session, application_id: str) -> list[DocumentRow]:
    """Every document of the application in upload order; a split upload's parts follow it in file order."""
    return list(
        session.scalars(
            select(DocumentRow)
            .where(DocumentRow.application_id == application_id)
            .order_by(DocumentRow.created_at, func.coalesce(DocumentRow.parent_id, DocumentRow.id),
                      DocumentRow.part_index)
        )
    )


def parts_of(session: Session, upload: DocumentRow) -> list[DocumentRow]:
    """The rows a split upload became, by part index: the upload's own row (part 0) first."""
    return list(
        session.scalars(
            select(DocumentRow)
            .where(DocumentRow.application_id == upload.application_id, DocumentRow.sha256 == upload.sha256)
            .order_by(DocumentRow.part_index)
        )
    )


def split_uploads(session: Session, upload_ids: set[str]) -> set[str]:
    """Those of the given uploads whose file was split into several documents (they have parts 1..)."""
    if not upload_ids:
        return set()
    found = session.scalars(
        select(DocumentRow.parent_id).where(DocumentRow.parent_id.in_(upload_ids)).distinct()
    )
    return {str(i) for i in found}


def ensure_part(session: Session, upload: DocumentRow, part_index: int, *, now: datetime) -> DocumentRow:
    """The row of part ``part_index`` (>= 1) of a split upload, created once.

    Parts are found by the unique key (application, sha256, part index), so a re-delivered job updates the
    rows an earlier run made instead of adding more. A part shares the upload's file and its ``created_at``
    (it was received with the upload, which keeps the application's documents in upload order); it is
    ``extracted`` from the start because its pages were read with the upload's.
    """
    if part_index < 1:
        raise ValueError("part 0 is the upload's own row")
    existing = session.scalar(
        select(DocumentRow).where(
            DocumentRow.application_id == upload.application_id,
            DocumentRow.sha256 == upload.sha256,
            DocumentRow.part_index == part_index,
        )
    )
    if existing is not None:
        return existing
    row = DocumentRow(
        id=str(uuid.uuid4()),
        application_id=upload.application_id,
        parent_id=upload.id,
        part_index=part_index,
        filename=upload.filename,
        content_type=upload.content_type,
        sha256=upload.sha256,
        size=upload.size,
        storage_key=upload.storage_key,
        kind=DocumentKind.UNKNOWN.value,
        status=DocumentStatus.EXTRACTED.value,
        attempts=0,
        created_at=upload.created_at,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def pending_count(session: Session, application_id: str) -> int:
    """Documents of the application that still need reading."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(DocumentRow)
            .where(DocumentRow.application_id == application_id, DocumentRow.status.not_in(TERMINAL))
        )
        or 0
    )


def save_extraction(
    row: DocumentRow,
    *,
    extraction: ExtractedDocument,
    findings: list[Finding],
    pages: int,
    page_text: list[dict[str, Any]],
    now: datetime,
    invoice_key: str | None = None,
) -> None:
    row.invoice_key = invoice_key
    row.kind = extraction.kind.value
    row.subtype = extraction.subtype
    row.pages = pages
    row.extraction = extraction.model_dump(mode="json")
    row.findings = [f.model_dump(mode="json") for f in findings]
    row.page_text = page_text
    row.status = DocumentStatus.EXTRACTED.value
    row.error = None
    row.error_code = None
    row.updated_at = now


def to_model(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        application_id=row.application_id,
        filename=row.filename,
        content_type=row.content_type,
        sha256=row.sha256,
        size=row.size,
        kind=DocumentKind(row.kind),
        subtype=row.subtype,
        pages=row.pages,
        status=DocumentStatus(row.status),
        attempts=row.attempts,
        error=row.error,
        extraction=ExtractedDocument.model_validate(row.extraction) if row.extraction else None,
        findings=[Finding.model_validate(f) for f in row.findings or []],
        created_at=row.created_at,
        parent_id=row.parent_id,
        part_index=row.part_index or 0,
        page_from=row.page_from,
        page_to=row.page_to,
    )


def holders_of_invoice(session: Session, invoice_key: str, *, except_application: str) -> list[str]:
    """Other applications (of any client) holding a document with this invoice key, oldest first."""
    rows = session.execute(
        select(DocumentRow.application_id, func.min(DocumentRow.created_at).label("first"))
        .where(DocumentRow.invoice_key == invoice_key, DocumentRow.application_id != except_application)
        .group_by(DocumentRow.application_id)
        .order_by("first")
    )
    return [r.application_id for r in rows]
