"""The document pipeline (read → classify → extract → validate), up to the hand-over to the application step
(:mod:`queues.decision_step`) once every document of a submitted application is read.

Stages are plain functions over ids and a ``now``; the RQ job functions in :mod:`queues.jobs` only call these.
"""

from __future__ import annotations

import logging
from datetime import datetime

from idp.errors import InputRejected
from idp.models import DocumentStatus
from idp.settings import Settings
from idp.storage import documents
from idp.storage.blobstore import file_store
from idp.storage.db import session_scope
from queues import enqueue, lifecycle, parts, review
from queues.docproc import ProcessedDocument

logger = logging.getLogger(__name__)


def read_and_extract(settings: Settings, storage_key: str, content_type: str | None, *,
                     now: datetime) -> list[ProcessedDocument]:
    """The stored file checked against the input limits, then read and extracted in the bounded child."""
    from queues.reading import process_upload

    return process_upload(settings, file_store(settings).local_path(storage_key), content_type, now=now)


def process_document(settings: Settings, document_id: str, *, now: datetime) -> str:
    """Read one upload, split it into the documents it holds and store each as a part; returns its new status.

    What runs is :func:`queues.docproc.process_file` (in the bounded child, after the input limits: see
    :mod:`queues.reading`), exactly as the evaluation harness runs it; the parts are stored by
    :func:`queues.parts.save_parts` (part 0 is this row, parts 1.. point at it).
    """
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
        processed = read_and_extract(settings, storage_key, content_type, now=now)
    except InputRejected as exc:
        # Bad input will not get better with a retry: fail now, visibly, and keep the file.
        fail_document(settings, document_id, error=f"{exc.code}: {exc.message}", code=exc.code, now=now)
        return DocumentStatus.FAILED.value
    store_page_images(settings, document_id, storage_key, processed, now=now)
    with session_scope(url) as s:
        row = documents.get(s, document_id, for_update=True)
        if row.status in documents.TERMINAL:
            return row.status  # a concurrent delivery of this job stored the parts first
        parts.save_parts(s, row, processed, now=now)
    maybe_decide(settings, application_id, now=now)
    return DocumentStatus.EXTRACTED.value


def store_page_images(settings: Settings, document_id: str, storage_key: str, processed: list[ProcessedDocument],
                      *, now: datetime) -> None:
    """The page images the review viewer shows, rendered in the frame the reader's boxes refer to — in the
    bounded child, within the input limits — and stored; a failure costs the preview only, never the document."""
    from queues.page_images import render_pages, save_pages

    pages = sorted({p.page_no: p for doc in processed for p in doc.pages}.values(), key=lambda p: p.page_no)
    path = file_store(settings).local_path(storage_key)
    try:
        if settings.job_sandbox:
            from queues.sandbox import run_bounded

            rendered = run_bounded(render_pages, path, pages, settings=settings,
                                   timeout_s=settings.job_seconds_base + settings.job_seconds_per_page * len(pages))
        else:
            rendered = render_pages(path, pages)
    except Exception:
        logger.exception("page images of %s could not be rendered", document_id)
        return
    save_pages(settings, document_id, rendered, now=now)


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
