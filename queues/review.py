"""Opening review tasks, resolving them with a person's corrections, and finalising the application."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from idp.errors import Conflict, InputRejected
from idp.models import (
    ApplicationStatus,
    Decision,
    Document,
    ExtractedDocument,
    ExtractedField,
    FieldSource,
    Reason,
    TaskKind,
    TaskPriority,
    TaskStatus,
)
from idp.settings import Settings
from idp.storage import applications, audit, documents, tasks
from idp.storage.db import session_scope
from idp.storage.tables import ApplicationRow, DocumentRow, FieldCorrectionRow

logger = logging.getLogger(__name__)

#: Resolution outcomes a reviewer can choose.
OUTCOMES = {"accepted", "corrected", "rejected"}


def _due(settings: Settings, now: datetime) -> datetime:
    return now + timedelta(hours=settings.review_sla_hours)


def active_tasks(session: Session, application_id: str) -> int:
    return tasks.active_count(session, application_id)


def open_processing_failed(session: Session, settings: Settings, row: DocumentRow, *, now: datetime) -> None:
    reason = Reason(
        code="document.processing_failed",
        message=f"文档处理失败: {row.filename} — {row.error}",
        document_id=row.id,
        values={"error_code": row.error_code, "attempts": str(row.attempts)},
        severity="error",
    )
    task = tasks.create_task(
        session,
        application_id=row.application_id,
        document_id=row.id,
        kind=TaskKind.PROCESSING_FAILED,
        reasons=[reason],
        sla_due_at=_due(settings, now),
        now=now,
        priority=TaskPriority.P2,
    )
    audit.record(session, at=now, actor="system", action="task.opened", application_id=row.application_id,
                 document_id=row.id, task_id=task.id, detail={"kind": task.kind, "error": row.error})


def open_review_tasks(
    session: Session,
    settings: Settings,
    app: ApplicationRow,
    docs: list[Document],
    decision: Decision,
    *,
    now: datetime,
) -> None:
    """One task per document with reasons (failed documents already have theirs)."""
    by_doc: dict[str | None, list[Reason]] = defaultdict(list)
    for reason in decision.reasons:
        by_doc[reason.document_id].append(reason)
    existing = {(t.document_id, t.kind) for t in tasks.for_application(session, app.id)}
    for doc_id, reasons in by_doc.items():
        if any(r.code == "document.processing_failed" for r in reasons):
            if (doc_id, TaskKind.PROCESSING_FAILED.value) in existing:
                continue
            kind = TaskKind.PROCESSING_FAILED
        elif any(r.code == "document.unclassified" for r in reasons):
            kind = TaskKind.UNCLASSIFIED
        else:
            kind = TaskKind.FIELD_REVIEW
        priority = TaskPriority.P2 if any(r.severity == "error" for r in reasons) else TaskPriority.P3
        task = tasks.create_task(
            session, application_id=app.id, document_id=doc_id, kind=kind, reasons=reasons,
            sla_due_at=_due(settings, now), now=now, priority=priority,
        )
        audit.record(session, at=now, actor="system", action="task.opened", application_id=app.id,
                     document_id=doc_id, task_id=task.id,
                     detail={"kind": kind.value, "reasons": [r.code for r in reasons]})


def resolve_task(
    settings: Settings,
    task_id: str,
    *,
    reviewer: str,
    outcome: str,
    corrections: dict[str, str | None] | None = None,
    comment: str | None = None,
    now: datetime,
) -> str:
    """Close a task with the reviewer's outcome and corrections; finalise the application if nothing is left."""
    if outcome not in OUTCOMES:
        raise InputRejected(f"未知的处理结果: {outcome}", code="bad_outcome")
    corrections = {k: v for k, v in (corrections or {}).items()}
    with session_scope(settings.effective_database_url) as s:
        task = tasks.get(s, task_id)
        if task.status not in tasks.ACTIVE:
            raise Conflict("任务已处理 (task already resolved)", code="task_closed")
        applied: dict[str, dict[str, str | None]] = {}
        if corrections and task.document_id:
            doc = documents.get(s, task.document_id)
            applied = _apply_corrections(s, doc, corrections, task_id=task.id, reviewer=reviewer,
                                         reason=comment, now=now)
        task.status = TaskStatus.RESOLVED.value
        task.resolution = {"outcome": outcome, "corrections": applied, "comment": comment}
        task.resolved_at = now
        task.resolved_by = reviewer
        task.updated_at = now
        audit.record(s, at=now, actor=reviewer, action="task.resolved", application_id=task.application_id,
                     document_id=task.document_id, task_id=task.id,
                     detail={"outcome": outcome, "corrections": applied, "comment": comment})
        application_id = task.application_id
        remaining = tasks.active_count(s, application_id)
        if remaining == 0:
            applications.transition(s, application_id, from_={ApplicationStatus.REVIEW.value},
                                    to=ApplicationStatus.DECIDING.value, now=now)
    if remaining == 0:
        finalise(settings, application_id, now=now)
    return TaskStatus.RESOLVED.value


def _apply_corrections(
    session: Session,
    doc: DocumentRow,
    corrections: dict[str, str | None],
    *,
    task_id: str,
    reviewer: str,
    reason: str | None,
    now: datetime,
) -> dict[str, dict[str, str | None]]:
    extraction = (
        ExtractedDocument.model_validate(doc.extraction)
        if doc.extraction
        else ExtractedDocument(kind=documents.DocumentKind(doc.kind), extractor="human")
    )
    applied: dict[str, dict[str, str | None]] = {}
    for name, new in corrections.items():
        new = (new or "").strip() or None
        old_field = extraction.fields.get(name)
        old = old_field.value if old_field else None
        if new == old:
            continue
        extraction.fields[name] = ExtractedField(
            name=name, value=new, confidence=1.0, source=FieldSource.HUMAN,
            page=old_field.page if old_field else None, bbox=old_field.bbox if old_field else None,
            raw=old_field.raw if old_field else None,
        )
        session.add(FieldCorrectionRow(application_id=doc.application_id, document_id=doc.id, task_id=task_id,
                                       field=name, old_value=old, new_value=new, corrected_by=reviewer,
                                       reason=reason, created_at=now))
        applied[name] = {"old": old, "new": new}
    doc.extraction = extraction.model_dump(mode="json")
    doc.updated_at = now
    return applied


def finalise(settings: Settings, application_id: str, *, now: datetime) -> None:
    """Write the final result and queue the signed webhook (exactly once per application)."""
    from queues import enqueue, results, webhooks

    with session_scope(settings.effective_database_url) as s:
        moved = applications.transition(s, application_id, from_={ApplicationStatus.DECIDING.value},
                                        to=ApplicationStatus.COMPLETED.value, now=now)
        if not moved:
            return
        app = applications.get(s, application_id)
        result = results.build_result(s, app, now=now)
        app.result = result
        app.finalized_at = now
        audit.record(s, at=now, actor="system", action="application.finalised", application_id=application_id,
                     detail={"final": result["final"], "outcome": result["outcome"]})
        delivery_id = webhooks.create_for_result(s, app, result, now=now)
    if delivery_id:
        enqueue.enqueue_webhook(settings, delivery_id)


def corrected_fields(session: Session, application_id: str) -> dict[str, dict[str, Any]]:
    """Per document: the fields a person changed (latest value wins)."""
    from sqlalchemy import select

    out: dict[str, dict[str, Any]] = defaultdict(dict)
    rows = session.scalars(
        select(FieldCorrectionRow).where(FieldCorrectionRow.application_id == application_id)
        .order_by(FieldCorrectionRow.id)
    )
    for r in rows:
        out[r.document_id][r.field] = {"old": r.old_value, "new": r.new_value, "by": r.corrected_by,
                                       "at": r.created_at.isoformat()}
    return out
