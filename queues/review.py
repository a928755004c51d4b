"""Opening review tasks with their SLA clock, resolving them (four-eyes for money and tax ids), finalising."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.errors import InputRejected
from idp.models import (
    OUTCOMES,
    RESOLUTION_CODES,
    Decision,
    Document,
    DocumentKind,
    Reason,
    Reviewer,
    Role,
    TaskKind,
    TaskPriority,
    TaskStatus,
)
from idp.policy import DecisionPolicy, Route
from idp.settings import Settings
from idp.storage import applications, audit, documents, task_records, tasks
from idp.storage.db import session_scope
from idp.storage.locking import task_for_update
from idp.storage.tables import ApplicationRow, DocumentRow, FieldCorrectionRow, ReviewTaskRow
from queues import lifecycle
from queues.corrections import apply_corrections, propose, split
from queues.policies import policy_for
from queues.sla_config import clock_for
from queues.taskguards import as_reviewer, check_workable, release_claim, touch

logger = logging.getLogger(__name__)

#: Task kinds that need a particular role (a fake or voided invoice is a 红 hard stop for a risk officer).
_REQUIRED_ROLE = {TaskKind.VERIFICATION_FAILED: Role.RISK_OFFICER}


def active_tasks(session: Session, application_id: str) -> int:
    return tasks.active_count(session, application_id)


def open_task(
    session: Session,
    settings: Settings,
    *,
    application_id: str,
    kind: TaskKind,
    reasons: list[Reason],
    now: datetime,
    document_id: str | None = None,
    priority: TaskPriority = TaskPriority.P3,
    product: str | None = None,
    required_skill: str | None = None,
    detail: dict[str, Any] | None = None,
    sla_policy: str | None = None,
) -> ReviewTaskRow:
    """Open a task in the one queue; its SLA clock runs by ``sla_policy``, else by its kind and product."""
    if product is None:
        product = applications.get(session, application_id).product
    task = tasks.create_task(
        session, application_id=application_id, document_id=document_id, kind=kind, reasons=reasons, now=now,
        clock=clock_for(settings, kind, product, now, sla_policy), priority=priority, product=product,
        required_role=_REQUIRED_ROLE.get(kind, Role.REVIEWER).value, required_skill=required_skill,
    )
    audit.record(session, at=now, actor="system", action="task.opened", application_id=application_id,
                 document_id=document_id, task_id=task.id,
                 detail={"kind": kind.value, "priority": int(priority), "sla_policy": task.sla_policy,
                         "sla_due_at": task.sla_due_at.isoformat(), "sla_calendar": task.sla_calendar,
                         **(detail or {})})
    return task


def open_processing_failed(session: Session, settings: Settings, row: DocumentRow, *, now: datetime) -> None:
    reason = Reason(
        code="document.processing_failed",
        message=f"文档处理失败: {row.filename} — {row.error}",
        document_id=row.id,
        values={"error_code": row.error_code, "attempts": str(row.attempts)},
        severity="error",
    )
    open_task(session, settings, application_id=row.application_id, document_id=row.id,
              kind=TaskKind.PROCESSING_FAILED, reasons=[reason], now=now, priority=TaskPriority.P2,
              detail={"error": row.error})


def open_review_tasks(
    session: Session,
    settings: Settings,
    app: ApplicationRow,
    docs: list[Document],
    decision: Decision,
    *,
    now: datetime,
    policy: DecisionPolicy | None = None,
) -> None:
    """One task per document and task kind, routed by the policy (failed documents already have theirs).

    Each reason gets its task kind, priority and SLA from ``policy.routing``; a task takes the most urgent
    priority of its reasons and the SLA named by the most urgent one that names any (else the SLA of its kind
    and product). ``policy`` defaults to the one that applies to the application's client and product.
    """
    if policy is None:
        policy = policy_for(settings, client_id=app.client_id, product=app.product)
    groups: dict[tuple[str | None, TaskKind], list[tuple[Reason, Route]]] = defaultdict(list)
    for reason in decision.reasons:
        route = policy.route(reason)
        groups[(reason.document_id, TaskKind(route.task_kind))].append((reason, route))
    existing = {(t.document_id, t.kind) for t in tasks.for_application(session, app.id)}
    kinds = {d.id: d.kind for d in docs}
    for (doc_id, kind), routed in groups.items():
        reasons = [reason for reason, _ in routed]
        if (any(r.code == "document.processing_failed" for r in reasons)
                and (doc_id, TaskKind.PROCESSING_FAILED.value) in existing):
            continue
        skill = None
        if kind == TaskKind.FIELD_REVIEW:
            doc_kind = kinds.get(doc_id or "")
            skill = doc_kind.value if doc_kind not in (None, DocumentKind.UNKNOWN) else None
        urgent_first = sorted((route for _, route in routed), key=lambda r: r.priority or TaskPriority.P4)
        priority = TaskPriority(urgent_first[0].priority or TaskPriority.P3)
        sla = next((r.sla for r in urgent_first if r.sla), None)
        open_task(session, settings, application_id=app.id, document_id=doc_id, kind=kind, reasons=reasons,
                  now=now, priority=priority, product=app.product, required_skill=skill, sla_policy=sla,
                  detail={"reasons": [r.code for r in reasons], "policy_version": decision.policy_version})


def resolve_task(
    settings: Settings,
    task_id: str,
    *,
    reviewer: str | Reviewer,
    outcome: str,
    corrections: dict[str, str | None] | None = None,
    comment: str | None = None,
    now: datetime,
    reason_code: str | None = None,
) -> str:
    """Close a task with an outcome; returns its new status.

    Corrections of money fields and taxpayer ids are held (status ``pending_approval``) until a second
    reviewer approves them (:mod:`queues.foureyes`); the application is finalised once nothing is left open.
    """
    actor = as_reviewer(settings, reviewer)
    if outcome not in OUTCOMES:
        raise InputRejected(f"未知的处理结果: {outcome}", code="bad_outcome")
    if reason_code is not None and reason_code not in RESOLUTION_CODES:
        raise InputRejected(f"未知的原因代码: {reason_code}", code="bad_reason_code")
    done = False
    with session_scope(settings.effective_database_url) as s:
        task = task_for_update(s, task_id)
        check_workable(task, actor, now)
        applied: dict[str, dict[str, str | None]] = {}
        pending: list[dict[str, Any]] = []
        if corrections and task.document_id:
            doc = documents.get(s, task.document_id)
            plain, sensitive = split(corrections)
            applied = apply_corrections(s, doc, plain, task_id=task.id, reviewer=actor.name, reason=comment,
                                        now=now)
            pending = propose(s, doc, sensitive, task=task, maker=actor.name, reason=comment, now=now)
        task.resolution = {"outcome": outcome, "corrections": applied, "pending": pending, "comment": comment,
                           "reason_code": reason_code, "by": actor.name}
        release_claim(task)
        touch(task, now)
        detail = {"outcome": outcome, "reason_code": reason_code, "corrections": applied, "comment": comment}
        if pending:
            task.status = TaskStatus.PENDING_APPROVAL.value
            audit.record(s, at=now, actor=actor.name, action="task.submitted_for_approval",
                         application_id=task.application_id, document_id=task.document_id, task_id=task.id,
                         detail={**detail, "pending": pending})
        else:
            finish(task, by=actor.name, now=now)
            audit.record(s, at=now, actor=actor.name, action="task.resolved",
                         application_id=task.application_id,
                         document_id=task.document_id, task_id=task.id, detail=detail)
            done = close_if_done(s, task.application_id, now=now)
        application_id, status = task.application_id, task.status
    if done:
        finalise(settings, application_id, now=now)
    return status


def finish(task: ReviewTaskRow, *, by: str, now: datetime) -> None:
    """Mark a task resolved with the outcome already in its resolution."""
    resolution = task.resolution or {}
    task.status = TaskStatus.RESOLVED.value
    task.outcome = str(resolution.get("outcome") or "accepted")
    code = resolution.get("reason_code")
    task.reason_code = str(code) if code else None
    task.resolved_at = now
    task.resolved_by = by
    task.updated_at = now


def close_if_done(session: Session, application_id: str, *, now: datetime) -> bool:
    """True when no task is active and no correction pending: the application moves on to be finalised."""
    if tasks.active_count(session, application_id) or task_records.pending_count(session, application_id):
        return False
    lifecycle.review_done(session, application_id, now=now)
    return True


def finalise(settings: Settings, application_id: str, *, now: datetime) -> None:
    """Write the final result and queue the signed webhook (exactly once per application)."""
    from queues import enqueue, results, webhooks

    with session_scope(settings.effective_database_url) as s:
        moved = lifecycle.complete(s, application_id, now=now)
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
    """Per document: the fields a person changed (latest value wins), with the four-eyes checker if any."""
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    rows = session.scalars(
        select(FieldCorrectionRow).where(FieldCorrectionRow.application_id == application_id)
        .order_by(FieldCorrectionRow.id)
    )
    for r in rows:
        out[r.document_id][r.field] = {"old": r.old_value, "new": r.new_value, "by": r.corrected_by,
                                       "at": r.created_at.isoformat(), "approved_by": r.approved_by}
    return out
