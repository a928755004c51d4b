"""The document pipeline (read → classify → extract → validate), up to the hand-over to the application step
(:mod:`queues.decision_step`) once every document of a submitted application is read.

Stages are plain functions over ids and a ``now``; the RQ job functions in :mod:`queues.jobs` only call these.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from idp.errors import InputRejected
from idp.models import (
    DocumentStatus,
    PageText,
)
from idp.settings import Settings
from idp.storage import documents
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from queues import enqueue, lifecycle, parts, review

logger = logging.getLogger(__name__)


def read_pages(settings: Settings, storage_key: str, content_type: str | None) -> list[PageText]:
    from queues.docproc import read_file

    return read_file(FileStore(settings.files_dir).path(storage_key), content_type)


def process_document(settings: Settings, document_id: str, *, now: datetime) -> str:
    """Read one upload, split it into the documents it holds and store each as a part; returns its new status.

    What runs is :func:`queues.docproc.process_file`, exactly as the evaluation harness runs it; the parts are
    stored by :func:`queues.parts.save_parts` (part 0 is this row, parts 1.. point at it).
    """
    from queues.docproc import process_file

    url = settings.effective_database_url
    with session_scope(url) as s:
        row = documents.get(s, document_id)
        if row.status in documents.TERMINAL:
            return row.status  # a re-delivered job: the work is already done
        row.status = DocumentStatus.PROCESSING.value
        row.attempts += 1
        row.updated_at = now
        storage_key, content_type, application_id = row.storage_key, row.content_type, row.application_id
    try:
        pages = read_pages(settings, storage_key, content_type)
        if not any(p.lines for p in pages):
            raise InputRejected(
                "文档中没有可识别的文字 (no readable text in the document)", code="no_text", pages=len(pages)
            )
    except InputRejected as exc:
        # Bad input will not get better with a retry: fail now, visibly, and keep the file.
        fail_document(settings, document_id, error=f"{exc.code}: {exc.message}", code=exc.code, now=now)
        return DocumentStatus.FAILED.value
    path = FileStore(settings.files_dir).path(storage_key)
    _render_pages(settings, document_id, path, pages, now=now)
    processed = process_file(path, now=now, content_type=content_type, pages=pages,
                             max_age_days=settings.invoice_max_age_days)
    with session_scope(url) as s:
        row = documents.get(s, document_id, for_update=True)
        if row.status in documents.TERMINAL:
            return row.status  # a concurrent delivery of this job stored the parts first
        parts.save_parts(s, row, processed, now=now)
    maybe_decide(settings, application_id, now=now)
    return DocumentStatus.EXTRACTED.value


def _render_pages(settings: Settings, document_id: str, path: Path, pages: list[PageText], *, now: datetime) -> None:
    """Store the page images the review viewer shows (a failure costs the preview only, never the document)."""
    from queues.page_images import render_document

    try:
        render_document(settings, document_id, path, pages, now=now)
    except Exception:
        logger.exception("page images of %s could not be rendered", document_id)


def fail_document(settings: Settings, document_id: str, *, error: str, code: str | None, now: datetime) -> None:
    """Retries are exhausted (or the input is bad): the document becomes a visible processing_failed task."""
    with session_scope(settings.effective_database_url) as s:
        row = documents.get(s, document_id)
        if row.status == DocumentStatus.FAILED.value:
            return
        row.status = DocumentStatus.FAILED.value
        row.error = error[:4000]
        row.error_code = code
        row.updated_at = now
        review.open_processing_failed(s, settings, row, now=now)
        application_id = row.application_id
    maybe_decide(settings, application_id, now=now)


def maybe_decide(settings: Settings, application_id: str, *, now: datetime) -> bool:
    """Enqueue the application job once it is submitted and every document is read (exactly once)."""
    with session_scope(settings.effective_database_url) as s:
        if documents.pending_count(s, application_id):
            return False
        moved = lifecycle.all_documents_read(s, application_id, now=now)
    if moved:
        enqueue.enqueue_decide(settings, application_id)
    return moved


