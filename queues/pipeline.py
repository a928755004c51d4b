"""The document pipeline (read → classify → extract → validate) and the application step (decide → route).

Stages are plain functions over ids and a ``now``; the RQ job functions in :mod:`queues.jobs` only call these.
"""

from __future__ import annotations

import logging
from datetime import datetime

from idp.errors import InputRejected
from idp.models import (
    ApplicationStatus,
    DecisionOutcome,
    DocumentKind,
    DocumentStatus,
    ExtractedDocument,
    PageText,
)
from idp.policy import DecisionPolicy, decide
from idp.settings import Settings
from idp.storage import applications, audit, documents
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from queues import application_checks, enqueue, review

logger = logging.getLogger(__name__)


def read_pages(settings: Settings, storage_key: str, content_type: str | None) -> list[PageText]:
    from queues.docproc import read_file

    return read_file(FileStore(settings.files_dir).path(storage_key), content_type)


def extract(pages: list[PageText]) -> ExtractedDocument:
    from extractors import pick

    extractor = pick(pages)
    if extractor is None:
        return ExtractedDocument(kind=DocumentKind.UNKNOWN, extractor="none")
    return extractor.extract(pages)


def process_document(settings: Settings, document_id: str, *, now: datetime) -> str:
    """Read one document to extracted fields and findings; returns its new status."""
    from validators import validate_document
    from validators.rules.invoice_duplicate import invoice_key

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
    extraction, findings = validate_document(
        extract(pages), now=now, max_age_days=settings.invoice_max_age_days
    )
    for f in findings:
        f.document_id = document_id
    with session_scope(url) as s:
        row = documents.get(s, document_id)
        documents.save_extraction(
            row,
            extraction=extraction,
            findings=findings,
            pages=len(pages),
            page_text=[p.model_dump(mode="json") for p in pages],
            now=now,
            invoice_key=invoice_key(extraction) if extraction.kind == DocumentKind.VAT_INVOICE else None,
        )
        audit.record(
            s,
            at=now,
            actor="system",
            action="document.extracted",
            application_id=application_id,
            document_id=document_id,
            detail={
                "kind": extraction.kind.value,
                "extractor": extraction.extractor,
                "fields": {k: v.value for k, v in extraction.fields.items()},
                "findings": [f.rule_id for f in findings],
            },
        )
    maybe_decide(settings, application_id, now=now)
    return DocumentStatus.EXTRACTED.value


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
        moved = applications.transition(
            s, application_id, from_={ApplicationStatus.PROCESSING.value}, to=ApplicationStatus.DECIDING.value,
            now=now,
        )
    if moved:
        enqueue.enqueue_decide(settings, application_id)
    return moved


def decide_application(settings: Settings, application_id: str, *, now: datetime, policy: DecisionPolicy) -> str:
    """Decide, then either finalise (straight through) or open review tasks carrying the reasons."""
    with session_scope(settings.effective_database_url) as s:
        app = applications.get(s, application_id, for_update=True)
        if app.status != ApplicationStatus.DECIDING.value:
            return app.status
        docs = [documents.to_model(r) for r in documents.for_application(s, application_id)]
        application_checks.add_findings(applications.to_model(app), docs)
        decision = decide(docs, policy, now=now)
        app.decision = decision.model_dump(mode="json")
        app.updated_at = now
        audit.record(
            s,
            at=now,
            actor="system",
            action="application.decided",
            application_id=application_id,
            detail={"outcome": decision.outcome.value, "reasons": [r.code for r in decision.reasons],
                    "policy_version": decision.policy_version},
        )
        if decision.outcome == DecisionOutcome.REVIEW:
            review.open_review_tasks(s, settings, app, docs, decision, now=now)
            app.status = ApplicationStatus.REVIEW.value
            if review.active_tasks(s, application_id) == 0:  # pragma: no cover - defensive
                app.status = ApplicationStatus.DECIDING.value
        status = app.status
    if status == ApplicationStatus.DECIDING.value:
        review.finalise(settings, application_id, now=now)
        return ApplicationStatus.COMPLETED.value
    return status


def fail_application(settings: Settings, application_id: str, *, error: str, now: datetime) -> None:
    """The application job exhausted its retries: a visible processing_failed task, never a silent drop."""
    from idp.models import Reason, TaskKind, TaskPriority

    with session_scope(settings.effective_database_url) as s:
        app = applications.get(s, application_id)
        if app.status in (ApplicationStatus.COMPLETED.value,):
            return
        reason = Reason(code="application.processing_failed", message=f"申请决策处理失败: {error}", severity="error")
        review.open_task(s, settings, application_id=application_id, kind=TaskKind.PROCESSING_FAILED,
                         reasons=[reason], now=now, priority=TaskPriority.P2, product=app.product,
                         detail={"error": error})
        app.status = ApplicationStatus.REVIEW.value
        app.updated_at = now
