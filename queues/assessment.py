"""The application step's judgement, in one place: every finding about the case (cross-document rules, the
authorities' answers, the application's own claims), the confirmations outside sources give the values read,
and the one decision made from all of them.

Production (:mod:`queues.decision_step`) and the bundle evaluation (``idp.evaluation.bundle_case``) both call
:func:`assess`, so what is measured is what runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from idp.decision import decide
from idp.models import Application, Decision, Document, Finding
from idp.models.case import CaseFile
from idp.policy import DecisionPolicy
from queues.case_checks import (
    AuthorityAnswers,
    attach,
    confirm_by_authority,
    cross_findings,
    unavailable_findings,
    unverified_findings,
    with_answers,
)
from validators.confirmation.authority import settle_suspicions
from validators.confirmation.case import confirm_case
from validators.rules.cross_payments import payment_rows


@dataclass
class Assessment:
    """What the application step concluded, and why."""

    decision: Decision
    case: CaseFile
    #: every finding the step made (documents' own findings are on the documents)
    findings: list[Finding] = field(default_factory=list)
    #: the findings about the application as a whole, which no document owns
    application_findings: list[Finding] = field(default_factory=list)
    #: documents whose values an outside source (authority, registry, another document) confirmed
    confirmed: list[Document] = field(default_factory=list)


def assess(app: Application, docs: list[Document], case: CaseFile, answers: AuthorityAnswers,
           policy: DecisionPolicy, *, now: datetime) -> Assessment:
    """Confirm, cross-check and decide, once. ``docs`` are updated in place (confirmations, findings)."""
    case = with_answers(case, answers)
    confirmed = {d.id: d for d in confirm_by_authority(docs, answers)}
    for doc in docs:
        settle_suspicions(doc.findings, answers.confirmed.get(doc.id, []), doc.extraction)
    for doc in confirm_case(app, docs, case, policy.cross_checks):
        confirmed.setdefault(doc.id, doc)
    found, orphans = cross_findings(app, docs, case, policy.cross_checks)
    outside = unavailable_findings(answers, docs) + unverified_findings(case, answers)
    orphans += attach(outside, docs)
    payments = payment_rows(case, policy.cross_checks)
    decision = decide(docs, policy, now=now, application_findings=orphans, payments=payments)
    return Assessment(decision=decision, case=case, findings=found + outside, application_findings=orphans,
                      confirmed=list(confirmed.values()))
