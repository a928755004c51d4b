"""The application step: once every document is read, ask the authorities, assess the case once
(:func:`queues.assessment.assess`: findings, confirmations, the decision), record it, and move the application
on — completed (straight through), waiting for people (review), or waiting for an authority that cannot answer
yet (awaiting_verification). Status moves are made by :mod:`queues.lifecycle`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from idp.models import Application, ApplicationStatus, DecisionOutcome, Document, Reason, TaskKind, TaskPriority
from idp.policy import DecisionPolicy
from idp.settings import Settings
from idp.storage import applications, audit, documents
from idp.storage.db import session_scope
from queues import enqueue, lifecycle, review
from queues.assessment import Assessment, assess
from queues.case_checks import AuthorityAnswers, ask_authorities, case_of

logger = logging.getLogger(__name__)


@dataclass
class _Case:
    """What the step works on, loaded in one read."""

    app: Application
    docs: list[Document]
    known: AuthorityAnswers
    policy: DecisionPolicy


def decide_application(
    settings: Settings,
    application_id: str,
    *,
    now: datetime,
    policy: DecisionPolicy | None = None,
) -> str:
    """Verify, assess and decide; then finalise (straight through), wait, or open review tasks.

    An invoice that cannot be checked yet (issued today, provider quota) parks the application in
    ``awaiting_verification`` until its ``retry_at``; so does an outage, once per delay of
    ``settings.verification_outage_retry_s``. No task exists while it waits, so no SLA clock runs;
    :func:`resume_awaiting` (the periodic round) wakes it. Answers obtained are kept and never asked again.
    When the outage budget is spent, what is still unanswered becomes ``verification_unavailable`` tasks and
    the rest is decided as usual.
    """
    loaded = _load(settings, application_id, policy)
    if isinstance(loaded, str):
        return loaded
    answers = _ask(settings, loaded, now=now)
    if answers.unavailable:
        budget = settings.verification_outage_retry_s
        if loaded.known.outage_attempts < len(budget):
            answers.outage_attempts = loaded.known.outage_attempts + 1
            wake = now + timedelta(seconds=budget[loaded.known.outage_attempts])
            return _await_verification(settings, application_id, answers, now=now, until=wake)
        logger.warning("application %s: outside checks still unavailable after %d tries: %s", application_id,
                       loaded.known.outage_attempts + 1, sorted(answers.unavailable))
    elif answers.waiting:
        return _await_verification(settings, application_id, answers, now=now)
    verdict = assess(loaded.app, loaded.docs, case_of(loaded.app, loaded.docs), answers, loaded.policy, now=now)
    return _record(settings, application_id, loaded, answers, verdict, now=now)


def _load(settings: Settings, application_id: str, policy: DecisionPolicy | None) -> _Case | str:
    """The application, its documents, the answers kept from earlier tries, and its policy; or its status
    when it is not (or no longer) waiting for this step."""
    from queues.policies import policy_for

    with session_scope(settings.effective_database_url) as s:
        app_row = applications.get(s, application_id)
        if app_row.status != ApplicationStatus.DECIDING.value:
            return app_row.status
        known = AuthorityAnswers.load(app_row.authority)
        known.duplicates = _duplicates(s, application_id, app_row.client_id)
        return _Case(
            app=applications.to_model(app_row),
            docs=[documents.to_model(r) for r in documents.for_application(s, application_id)],
            known=known,
            policy=policy or policy_for(settings, client_id=app_row.client_id, product=app_row.product),
        )


def _ask(settings: Settings, loaded: _Case, *, now: datetime) -> AuthorityAnswers:
    from queues.verification import company_registry, invoice_verifier

    return ask_authorities(case_of(loaded.app, loaded.docs), invoice_verifier(settings), company_registry(settings),
                           now=now, known=loaded.known)


def _record(settings: Settings, application_id: str, loaded: _Case, answers: AuthorityAnswers,
            verdict: Assessment, *, now: datetime) -> str:
    """Store the decision, its evidence and the confirmed values; then open tasks or finalise."""
    decision = verdict.decision
    with session_scope(settings.effective_database_url) as s:
        app_row = applications.get(s, application_id, for_update=True)
        if app_row.status != ApplicationStatus.DECIDING.value:
            return app_row.status
        app_row.authority = answers.model_dump(mode="json")
        app_row.verification_retry_at = None
        app_row.decision = decision.model_dump(mode="json")
        app_row.policy_version = decision.policy_version
        app_row.updated_at = now
        for doc in loaded.docs:
            _save_document(s, doc, confirmed=any(d.id == doc.id for d in verdict.confirmed))
        audit.record(
            s, at=now, actor="system", action="application.decided", application_id=application_id,
            detail={"outcome": decision.outcome.value, "reasons": [r.code for r in decision.reasons],
                    "policy_version": decision.policy_version,
                    "verifications": {k: v.status.value for k, v in answers.verifications.items()},
                    "unavailable": sorted(answers.unavailable)},
        )
        if decision.outcome == DecisionOutcome.REVIEW:
            review.open_review_tasks(s, settings, app_row, loaded.docs, decision, now=now, policy=loaded.policy)
            lifecycle.hold_for_review(s, application_id, now=now)
            return ApplicationStatus.REVIEW.value
    review.finalise(settings, application_id, now=now)
    return ApplicationStatus.COMPLETED.value


def _save_document(s: Session, doc: Document, *, confirmed: bool) -> None:
    """Persist what the step added to a document: its findings (cross-checks, authorities) and, when an
    outside source confirmed values, the raised confidences reviewers and the lending system see."""
    row = documents.get(s, doc.id)
    row.findings = [f.model_dump(mode="json") for f in doc.findings]
    if confirmed and doc.extraction is not None:
        row.extraction = doc.extraction.model_dump(mode="json")


def _duplicates(s: Session, application_id: str, client_id: str) -> dict[str, list[str]]:
    """Other applications (any client) holding the same invoice, by this application's document id. Another
    client's application is never named to this one: it appears as ``another_client``."""
    out: dict[str, list[str]] = {}
    for row in documents.for_application(s, application_id):
        if row.invoice_key:
            holders = documents.holders_of_invoice(s, row.invoice_key, except_application=application_id)
            if holders:
                out[row.id] = [h if applications.get(s, h).client_id == client_id else "another_client"
                               for h in holders]
    return out


def _await_verification(settings: Settings, application_id: str, answers: AuthorityAnswers, *, now: datetime,
                        until: datetime | None = None) -> str:
    """Park the application until ``until`` (an outage's next try) or the earliest ``retry_at`` of its
    not-yet-checkable invoices, keeping every answer obtained so far."""
    times = [t for t in (until, answers.retry_at()) if t is not None]
    retry_at = min(times) if times else now
    with session_scope(settings.effective_database_url) as s:
        if not lifecycle.await_verification(s, application_id, now=now):
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
            moved = lifecycle.verification_due(s, application_id, now=now)
            if moved:
                audit.record(s, at=now, actor="system", action="application.verification_resumed",
                             application_id=application_id)
        if moved:
            enqueue.enqueue_decide(settings, application_id)
            resumed.append(application_id)
    return resumed


def fail_application(settings: Settings, application_id: str, *, error: str, now: datetime) -> None:
    """The application job exhausted its retries: a visible processing_failed task, never a silent drop."""
    with session_scope(settings.effective_database_url) as s:
        app = applications.get(s, application_id)
        if app.status == ApplicationStatus.COMPLETED.value:
            return
        reason = Reason(code="application.processing_failed", message=f"申请决策处理失败: {error}", severity="error")
        review.open_task(s, settings, application_id=application_id, kind=TaskKind.PROCESSING_FAILED,
                         reasons=[reason], now=now, priority=TaskPriority.P2, product=app.product,
                         detail={"error": error})
        lifecycle.step_failed(s, application_id, now=now)
