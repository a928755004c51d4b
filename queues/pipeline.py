"""The document pipeline (read → classify → extract → validate) and the application step (decide → route).

Stages are plain functions over ids and a ``now``; the RQ job functions in :mod:`queues.jobs` only call these.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from idp.errors import InputRejected
from idp.models import (
    ApplicationStatus,
    DecisionOutcome,
    Document,
    DocumentStatus,
    Finding,
    Reason,
)
from idp.policy import DecisionPolicy, decide
from idp.settings import Settings
from idp.storage import applications, audit, documents
from idp.storage.blobstore import file_store
from idp.storage.db import session_scope
from queues import enqueue, parts, review
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
    with session_scope(url) as s:
        row = documents.get(s, document_id, for_update=True)
        if row.status in documents.TERMINAL:
            return row.status  # a concurrent delivery of this job stored the parts first
        parts.save_parts(s, row, processed, now=now)
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


def decide_application(
    settings: Settings,
    application_id: str,
    *,
    now: datetime,
    policy: DecisionPolicy | None = None,
) -> str:
    """Verify, cross-check and decide; then finalise (straight through), wait, or open review tasks.

    An invoice that cannot be checked yet (issued today, provider quota) parks the application in
    ``awaiting_verification`` until its ``retry_at``; so does an outage, once per delay of
    ``settings.verification_outage_retry_s``. No task exists while it waits, so no SLA clock runs;
    :func:`resume_awaiting` (the periodic round) wakes it. Answers obtained are kept and never asked again.
    When the outage budget is spent, what is still unanswered becomes
    ``verification_unavailable`` tasks and the rest is decided as usual.
    """
    from queues import case_checks
    from queues.policies import policy_for
    from queues.verification import company_registry, invoice_verifier

    url = settings.effective_database_url
    with session_scope(url) as s:
        app_row = applications.get(s, application_id)
        if app_row.status != ApplicationStatus.DECIDING.value:
            return app_row.status
        app = applications.to_model(app_row)
        docs = [documents.to_model(r) for r in documents.for_application(s, application_id)]
        known = case_checks.AuthorityAnswers.load(app_row.authority)
        known.duplicates = _duplicates(s, application_id)
        if policy is None:
            policy = policy_for(settings, client_id=app_row.client_id, product=app_row.product)
    case = case_checks.case_of(app, docs)
    answers = case_checks.ask_authorities(
        case, invoice_verifier(settings), company_registry(settings), now=now, known=known
    )
    if answers.unavailable:
        budget = settings.verification_outage_retry_s
        if known.outage_attempts < len(budget):
            answers.outage_attempts = known.outage_attempts + 1
            wake = now + timedelta(seconds=budget[known.outage_attempts])
            return _await_verification(settings, application_id, answers, now=now, until=wake)
        logger.warning("application %s: outside checks still unavailable after %d tries: %s", application_id,
                       known.outage_attempts + 1, sorted(answers.unavailable))
    elif answers.waiting:
        return _await_verification(settings, application_id, answers, now=now)
    case = case_checks.with_answers(case, answers)
    confirmed = case_checks.confirm_by_authority(docs, answers)
    _, orphans = case_checks.cross_findings(app, docs, case, policy.cross_checks)
    outside = case_checks.unavailable_findings(answers, docs) + case_checks.unverified_findings(case, answers)
    orphans += case_checks.attach(outside, docs)
    decision = decide(docs, policy, now=now)
    extra = [_reason(f) for f in orphans if policy.blocks(f)]
    if extra:
        decision = decision.model_copy(update={"outcome": DecisionOutcome.REVIEW,
                                               "reasons": [*decision.reasons, *extra]})
    with session_scope(url) as s:
        app_row = applications.get(s, application_id, for_update=True)
        if app_row.status != ApplicationStatus.DECIDING.value:
            return app_row.status
        app_row.authority = answers.model_dump(mode="json")
        app_row.verification_retry_at = None
        app_row.decision = decision.model_dump(mode="json")
        app_row.policy_version = decision.policy_version
        app_row.updated_at = now
        _save_case_findings(s, docs)
        for doc in confirmed:  # the raised confidences are what reviewers and the lending system see
            documents.get(s, doc.id).extraction = doc.extraction.model_dump(mode="json")
        audit.record(
            s, at=now, actor="system", action="application.decided", application_id=application_id,
            detail={"outcome": decision.outcome.value, "reasons": [r.code for r in decision.reasons],
                    "policy_version": decision.policy_version,
                    "verifications": {k: v.status.value for k, v in answers.verifications.items()},
                    "unavailable": sorted(answers.unavailable)},
        )
        if decision.outcome == DecisionOutcome.REVIEW:
            review.open_review_tasks(s, settings, app_row, docs, decision, now=now, policy=policy)
            app_row.status = ApplicationStatus.REVIEW.value
            if review.active_tasks(s, application_id) == 0:  # pragma: no cover - defensive
                app_row.status = ApplicationStatus.DECIDING.value
        status = app_row.status
    if status == ApplicationStatus.DECIDING.value:
        review.finalise(settings, application_id, now=now)
        return ApplicationStatus.COMPLETED.value
    return status


#: How an application of another client is named in a duplicate-invoice reason: never by its id.
ANOTHER_CLIENT = "其他客户的申请 (another client's application)"


def _duplicates(s: Session, application_id: str) -> dict[str, list[str]]:
    """Other applications (any client) holding the same invoice, by this application's document id.

    Applications of the same client are named by id; those of another client only as "another client's
    application" (once), so no client ever sees another's ids in a reason or a result."""
    client_id = applications.get(s, application_id).client_id
    out: dict[str, list[str]] = {}
    for row in documents.for_application(s, application_id):
        if row.invoice_key:
            holders = documents.holders_of_invoice(s, row.invoice_key, except_application=application_id)
            if holders:
                own = [h for h in holders if applications.get(s, h).client_id == client_id]
                out[row.id] = own + ([ANOTHER_CLIENT] if len(own) < len(holders) else [])
    return out


def _reason(finding: Finding) -> Reason:
    return Reason(code=finding.rule_id, message=finding.message, fields=finding.fields, values=finding.values,
                  document_id=finding.document_id, severity=finding.severity.value)


def _save_case_findings(s: Session, docs: list[Document]) -> None:
    """Persist the findings the application step added to each document (cross-checks, authorities)."""
    for doc in docs:
        row = documents.get(s, doc.id)
        if len(row.findings or []) != len(doc.findings):
            row.findings = [f.model_dump(mode="json") for f in doc.findings]


def _await_verification(settings: Settings, application_id: str, answers: Any, *, now: datetime,
                        until: datetime | None = None) -> str:
    """Park the application until ``until`` (an outage's next try) or the earliest ``retry_at`` of its
    not-yet-checkable invoices, keeping every answer obtained so far."""
    times = [t for t in (until, answers.retry_at()) if t is not None]
    retry_at = min(times) if times else now
    with session_scope(settings.effective_database_url) as s:
        moved = applications.transition(
            s, application_id, from_={ApplicationStatus.DECIDING.value},
            to=ApplicationStatus.AWAITING_VERIFICATION.value, now=now,
        )
        if not moved:
            return applications.get(s, application_id).status
        app_row = applications.get(s, application_id)
        app_row.authority = answers.model_dump(mode="json")
        app_row.verification_retry_at = retry_at
        audit.record(s, at=now, actor="system", action="application.awaiting_verification",
                     application_id=application_id,
                     detail={"retry_at": retry_at.isoformat(), "outage_attempts": answers.outage_attempts,
                             "unavailable": answers.unavailable,
                             "waiting": {k: v.status.value for k, v in answers.waiting.items()}})
    logger.info("application %s awaits verification until %s", application_id, retry_at)
    return ApplicationStatus.AWAITING_VERIFICATION.value


def resume_awaiting(settings: Settings, *, now: datetime) -> list[str]:
    """Applications whose wait for verification is over go back to the application step."""
    with session_scope(settings.effective_database_url) as s:
        due = applications.awaiting_verification_due(s, now)
    resumed = []
    for application_id in due:
        with session_scope(settings.effective_database_url) as s:
            moved = applications.transition(
                s, application_id, from_={ApplicationStatus.AWAITING_VERIFICATION.value},
                to=ApplicationStatus.DECIDING.value, now=now,
            )
            if moved:
                audit.record(s, at=now, actor="system", action="application.verification_resumed",
                             application_id=application_id)
        if moved:
            enqueue.enqueue_decide(settings, application_id)
            resumed.append(application_id)
    return resumed


def fail_application(settings: Settings, application_id: str, *, error: str, now: datetime) -> None:
    """The application job exhausted its retries: a visible processing_failed task, never a silent drop."""
    from idp.models import TaskKind, TaskPriority

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
