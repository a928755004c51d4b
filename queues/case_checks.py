"""The application step's look outside one document: 发票查验 of every invoice, 工商 of every party, the same
invoice in other applications, then the cross-document rules over the case file.

The pipeline and the bundle evaluation both call these functions, so what is measured is what runs. Answers
already obtained are kept with the application (``AuthorityAnswers``) and reused when the step runs again
(a retry after an outage, the wake-up after ``awaiting_verification``): a question answered is never asked
twice, even if Redis (the adapters' own cache) lost its data.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from idp.errors import VerificationUnavailable
from idp.models import Application, Document, DocumentKind, DocumentStatus, Finding, Severity
from idp.models.authority import (
    CompanyRecord,
    InvoiceQuery,
    InvoiceStatus,
    VerificationOutcome,
    VerificationStatus,
)
from idp.models.case import CaseDocument, CaseFile
from idp.policy import CrossCheckParams
from idp.ports import BusinessRegistry, TaxInvoiceVerifier
from validators.confirmation.authority import confirm_by_record

logger = logging.getLogger(__name__)

#: Document kinds the cross-document rules look at.
CASE_KINDS = (DocumentKind.VAT_INVOICE, DocumentKind.PURCHASE_CONTRACT, DocumentKind.BANK_STATEMENT)
#: Outcomes that mean "ask again later" rather than an answer or an outage.
_WAIT = (VerificationStatus.NOT_YET_VERIFIABLE, VerificationStatus.QUOTA_EXCEEDED)
UNAVAILABLE_RULE = "authority.verification_unavailable"
NOT_VERIFIED_RULE = "authority.invoice_not_verified"


class AuthorityAnswers(BaseModel):
    """What the authorities said about one application so far, kept with it as evidence."""

    #: 发票查验 outcomes by document id (final answers, too_old, and the latest wait/outage answer)
    verifications: dict[str, VerificationOutcome] = Field(default_factory=dict)
    #: 工商 records by USCC; None: the registry has no such company
    companies: dict[str, CompanyRecord | None] = Field(default_factory=dict)
    #: questions that could not be answered now: subject (document id or ``company:<USCC>``) → message
    unavailable: dict[str, str] = Field(default_factory=dict)
    #: other applications holding the same invoice, by document id
    duplicates: dict[str, list[str]] = Field(default_factory=dict)
    #: application steps in a row that met an outage (the retry budget is counted in these)
    outage_attempts: int = 0
    #: values the tax authority's record repeats, by document id (``items[i].key`` for line items)
    confirmed: dict[str, list[str]] = Field(default_factory=dict)

    @property
    def waiting(self) -> dict[str, VerificationOutcome]:
        """Invoices that cannot be checked yet (issued today, provider quota), with their ``retry_at``."""
        return {k: v for k, v in self.verifications.items() if v.status in _WAIT}

    def retry_at(self) -> datetime | None:
        times = [v.retry_at for v in self.waiting.values() if v.retry_at is not None]
        return min(times) if times else None

    def settled(self, document_id: str, query: InvoiceQuery) -> VerificationOutcome | None:
        """A stored answer that needs no new check: final for the same question, or too old."""
        known = self.verifications.get(document_id)
        if known is None:
            return None
        if known.status == VerificationStatus.TOO_OLD:
            return known
        if known.final and known.record is not None and _same_question(known, query):
            return known
        if known.final and known.record is None:
            return known  # not found / mismatch: the negative answer stands for this application
        return None

    @classmethod
    def load(cls, raw: dict[str, Any] | None) -> AuthorityAnswers:
        return cls.model_validate(raw) if raw else cls()


def _same_question(outcome: VerificationOutcome, query: InvoiceQuery) -> bool:
    record = outcome.record
    return record is not None and record.number.replace(" ", "") == query.number


def case_of(app: Application, docs: list[Document]) -> CaseFile:
    """The case file of an application: its borrower and claims, and every read document of a case kind."""
    return CaseFile(
        borrower=app.borrower,
        product=app.product,
        requested_amount=app.requested_amount,
        statement_period=app.statement_period,
        documents=[
            CaseDocument(id=d.id, filename=d.filename, extraction=d.extraction)
            for d in docs
            if d.extraction is not None and d.kind in CASE_KINDS and d.status == DocumentStatus.EXTRACTED
        ],
    )


def party_codes(case: CaseFile) -> list[str]:
    """The borrower's USCC, then every 18-character party code the documents state (each once)."""
    codes = [case.borrower.uscc.strip().upper()]
    for doc in case.documents:
        for role in ("buyer", "seller"):
            value = (doc.extraction.value(f"{role}_tax_id") or "").strip().upper().replace(" ", "")
            if len(value) == 18 and value not in codes:
                codes.append(value)
    return codes


def ask_authorities(
    case: CaseFile,
    verifier: TaxInvoiceVerifier,
    registry: BusinessRegistry,
    *,
    now: datetime,
    known: AuthorityAnswers | None = None,
) -> AuthorityAnswers:
    """Verify every invoice and look up every party, reusing ``known`` answers."""
    known = known or AuthorityAnswers()
    out = AuthorityAnswers(duplicates=dict(known.duplicates))
    for doc in case.of_kind(DocumentKind.VAT_INVOICE):
        try:
            query = InvoiceQuery.from_document(doc.extraction)
        except ValueError as exc:
            logger.info("invoice %s cannot be verified: %s", doc.id, exc)
            continue  # unreadable key fields: the document's own findings already stop it
        outcome = known.settled(doc.id, query) or verifier.verify(query, now=now)
        out.verifications[doc.id] = outcome
        if outcome.status == VerificationStatus.UNAVAILABLE:
            out.unavailable[doc.id] = outcome.message or "发票查验服务不可用"
    for code in party_codes(case):
        if code in known.companies:
            out.companies[code] = known.companies[code]
            continue
        try:
            out.companies[code] = registry.lookup(uscc=code, now=now)
        except VerificationUnavailable as exc:
            out.unavailable[f"company:{code}"] = exc.message
    return out


def with_answers(case: CaseFile, answers: AuthorityAnswers) -> CaseFile:
    """The case file with what the authorities answered (only real answers: not waits or outages)."""
    return case.model_copy(update={
        "verifications": {k: v for k, v in answers.verifications.items()
                          if v.status not in (*_WAIT, VerificationStatus.UNAVAILABLE)},
        "companies": dict(answers.companies),
        "duplicates": dict(answers.duplicates),
    })


def confirm_by_authority(docs: list[Document], answers: AuthorityAnswers) -> list[Document]:
    """Raise the confidence of every invoice value the tax authority's record repeats (as an agreeing
    second source would), record which in ``answers.confirmed``, and return the documents changed."""
    changed = []
    for doc in docs:
        outcome = answers.verifications.get(doc.id)
        if (doc.extraction is None or outcome is None or outcome.status != VerificationStatus.FOUND
                or outcome.record is None or outcome.record.status != InvoiceStatus.NORMAL):
            continue
        doc.extraction, names = confirm_by_record(doc.extraction, outcome.record)
        if names:
            answers.confirmed[doc.id] = names
            changed.append(doc)
    return changed


def unavailable_findings(answers: AuthorityAnswers, docs: list[Document]) -> list[Finding]:
    """One finding per question the authorities could not answer within the retry budget."""
    by_id = {d.id: d for d in docs}
    out = []
    for subject, message in answers.unavailable.items():
        if subject.startswith("company:"):
            code = subject.split(":", 1)[1]
            out.append(Finding(rule_id=UNAVAILABLE_RULE, severity=Severity.ERROR,
                               message=f"工商信息查询暂不可用,请人工核实企业 {code} 的登记状态: {message}",
                               values={"uscc": code, "service": "registry"}))
            continue
        doc = by_id.get(subject)
        number = doc.extraction.value("invoice_number") if doc and doc.extraction else None
        out.append(Finding(rule_id=UNAVAILABLE_RULE, severity=Severity.ERROR,
                           message=f"发票查验暂不可用,请人工查验发票 {number or subject}: {message}",
                           fields=["invoice_number"], values={"invoice_number": number, "service": "tax"},
                           document_id=subject, documents=[subject]))
    return out


def unverified_findings(case: CaseFile, answers: AuthorityAnswers) -> list[Finding]:
    """An invoice the authority has not confirmed may not pass straight through: one finding for each
    invoice without an answer (its key fields unreadable, or still not checkable when the step had to
    decide). Outages are reported by :func:`unavailable_findings` instead; too-old ones by the rules."""
    out = []
    for doc in case.of_kind(DocumentKind.VAT_INVOICE):
        outcome = answers.verifications.get(doc.id)
        if doc.id in answers.unavailable or (outcome is not None and outcome.status not in _WAIT):
            continue
        number = doc.extraction.value("invoice_number")
        why = outcome.message if outcome is not None else "发票代码/号码、日期或金额未能读出,无法查验"
        out.append(Finding(rule_id=NOT_VERIFIED_RULE, severity=Severity.ERROR,
                           message=f"发票 {number or doc.filename} 未经税务机关查验: {why}",
                           fields=["invoice_number"], values={"invoice_number": number},
                           document_id=doc.id, documents=[doc.id]))
    return out


def cross_findings(
    app: Application, docs: list[Document], case: CaseFile, params: CrossCheckParams | None = None
) -> tuple[list[Finding], list[Finding]]:
    """Cross-document and authority findings, plus the checks of a document against the application:
    (all of them, those about the application alone). Findings about a document are appended to it."""
    from queues import application_checks
    from validators.rules.cross_case import check_case

    found = check_case(case, params)
    before = {d.id: len(d.findings) for d in docs}
    application_checks.add_findings(app, docs)
    for doc in docs:
        for f in doc.findings[before[doc.id]:]:
            f.documents = f.documents or [doc.id]
            found.append(f)
    return found, attach(found, docs)


def attach(findings: list[Finding], docs: list[Document]) -> list[Finding]:
    """Give each finding to the document that owns it (its ``document_id``, else the first it names);
    returns the findings about the application alone, which no document owns."""
    by_id = {d.id: d for d in docs}
    orphans = []
    for f in findings:
        owner = by_id.get(f.document_id or "") or next((by_id[i] for i in f.documents if i in by_id), None)
        if owner is None:
            orphans.append(f)
            continue
        f.document_id = owner.id
        if not any(f is g for g in owner.findings):
            owner.findings.append(f)
    return orphans
