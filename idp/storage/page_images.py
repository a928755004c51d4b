"""Stored page images of documents (rendered by the worker; see :mod:`queues.page_images`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.storage.tables import DocumentRow, PageImageRow


def file_document_id(doc: DocumentRow) -> str:
    """Page images belong to the upload (part 0); a part of a split file shares them."""
    return doc.parent_id or doc.id


def save(session: Session, *, document_id: str, page_no: int, storage_key: str, thumb_key: str, media_type: str,
         size: tuple[int, int], frame: str, now: datetime) -> PageImageRow:
    row = session.get(PageImageRow, (document_id, page_no))
    if row is None:
        row = PageImageRow(document_id=document_id, page_no=page_no)
        session.add(row)
    row.storage_key, row.thumb_key, row.media_type = storage_key, thumb_key, media_type
    row.width, row.height, row.frame, row.created_at = size[0], size[1], frame, now
    session.flush()
    return row


def get(session: Session, document_id: str, page_no: int) -> PageImageRow | None:
    return session.get(PageImageRow, (document_id, page_no))


def for_document(session: Session, document_id: str) -> dict[int, PageImageRow]:
    rows = session.scalars(select(PageImageRow).where(PageImageRow.document_id == document_id))
    return {r.page_no: r for r in rows}
