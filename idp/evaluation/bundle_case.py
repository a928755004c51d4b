"""One application bundle through what production runs: each document read, split, extracted and checked by
``queues.docproc.process_file``; its invoices verified and its parties looked up through the real adapters
talking over HTTP to the stand-ins loaded with the bundle's authority.json; then the cross-document rules.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from idp.errors import IdpError
from idp.models import (
    Application,
    ApplicationStatus,
    Borrower,
    Decision,
    Document,
    DocumentKind,
    DocumentStatus,
    Finding,
    Period,
)
from idp.models.case import CaseDocument, CaseFile
from idp.policy import DecisionPolicy
from idp.settings import Settings
from queues.assessment import assess
from queues.case_checks import AuthorityAnswers, ask_authorities

logger = logging.getLogger(__name__)

#: File types a bundle's documents may have (everything else in the folder is data about it).
DOCUMENT_SUFFIXES = frozenset({".pdf", ".ofd", ".jpg", ".jpeg", ".png"})
#: Days after the statement period the evaluation pretends to run when neither the caller nor the
#: application gives a date: none, the earliest day the application could have been made (its statement covers
#: the period). Any later guess ages the documents by days nobody stated (a contract in force to the period's
#: last day was held as expired a week later).
DAYS_AFTER_PERIOD = 0


@dataclass(frozen=True)
class BundleApplication:
    """application.json as bundles.md defines it (plus the optional ``submitted_at``)."""

    application_id: str
    product: str
    borrower: Borrower
    requested_amount: Decimal | None
    period: Period | None
    submitted_at: date | None

    @classmethod
    def load(cls, folder: Path) -> BundleApplication:
        raw: dict[str, Any] = json.loads((folder / "application.json").read_text(encoding="utf-8"))
        borrower = raw.get("borrower") or {}
        period = raw.get("statement_period")
        amount = raw.get("requested_amount")
        submitted = raw.get("submitted_at")
        return cls(
            application_id=str(raw.get("application_id") or folder.name),
            product=str(raw.get("product") or ""),
            borrower=Borrower(name=borrower.get("name") or "", uscc=borrower.get("tax_id") or ""),
            requested_amount=Decimal(str(amount)) if amount not in (None, "") else None,
            period=Period(start=date.fromisoformat(period["start"]), end=date.fromisoformat(period["end"]))
            if period
            else None,
            submitted_at=date.fromisoformat(str(submitted)[:10]) if submitted else None,
        )

    def as_application(self, now: datetime) -> Application:
        """The application model the pipeline's checks take."""
        return Application(id=self.application_id, client_id="evaluation", borrower=self.borrower,
                           product=self.product, requested_amount=self.requested_amount,
                           statement_period=self.period, status=ApplicationStatus.DECIDING,
                           created_at=now, updated_at=now)

    def clock(self, now: datetime | None) -> datetime:
        """``now`` if given, else noon UTC of ``submitted_at``, else the statement period's last day."""
        if now is not None:
            return now
        day = self.submitted_at or (
            self.period.end + timedelta(days=DAYS_AFTER_PERIOD) if self.period else None
        )
        return datetime.combine(day, time(12, 0), tzinfo=UTC) if day else datetime.now(UTC)


@dataclass
class BundleRun:
    """What the checks saw and said about one bundle."""

    application: BundleApplication
    now: datetime
    case: CaseFile
    documents: list[Document]
    document_findings: list[Finding] = field(default_factory=list)
    case_findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    decision: Decision | None = None

    @property
    def findings(self) -> list[Finding]:
        return self.document_findings + self.case_findings


def document_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


@contextmanager
def authority_services(base: Settings, authority: Path) -> Iterator[Settings]:
    """The tax and registry stand-ins loaded with ``authority`` on free local ports, and settings that
    point the adapters at them (stopped on exit)."""
    from idp.standins.runner import free_port, start_for

    with tempfile.TemporaryDirectory(prefix="idp-authority-") as scratch:
        if not authority.is_file():  # nothing is known: an empty authority.json
            authority = Path(scratch) / "authority.json"
            authority.write_text('{"tax_invoices": [], "companies": []}', encoding="utf-8")
        settings = base.model_copy(
            update={
                "tax_base_url": f"http://127.0.0.1:{free_port()}",
                "registry_base_url": f"http://127.0.0.1:{free_port()}",
            }
        )
        tax, registry = start_for(settings, authority)
        try:
            yield settings
        finally:
            registry.stop()
            tax.stop()


def run_bundle(
    folder: Path,
    *,
    settings: Settings,
    now: datetime | None = None,
    seen: dict[str, list[str]] | None = None,
    policy: DecisionPolicy | None = None,
) -> BundleRun:
    """Process, verify, look up and cross-check one bundle. ``seen`` maps invoice keys to the applications
    (earlier bundles of the run) that held them; this bundle's keys are added to it."""
    application = BundleApplication.load(folder)
    clock = application.clock(now)
    run = BundleRun(application, clock, CaseFile(borrower=application.borrower), [])
    case_docs: list[CaseDocument] = []
    for path in document_files(folder):
        case_docs += _read(path, clock, run)
    case = CaseFile(
        borrower=application.borrower,
        product=application.product,
        requested_amount=application.requested_amount,
        statement_period=application.period,
        documents=case_docs,
    )
    authority = folder / "authority.json"
    if not authority.is_file():  # the authorities know nothing of this application
        run.errors.append("缺少 authority.json: 税务与工商视为查无记录")
    with authority_services(settings, authority) as live:
        answers = _ask(case, live, clock, run)
    answers.duplicates = _duplicates(case, application.application_id, seen if seen is not None else {})
    verdict = assess(application.as_application(clock), run.documents, case, answers, policy or DecisionPolicy(),
                     now=clock)
    run.case, run.case_findings, run.decision = verdict.case, verdict.findings, verdict.decision
    return run


def _ask(case: CaseFile, settings: Settings, clock: datetime, run: BundleRun) -> AuthorityAnswers:
    """发票查验 and 工商 through the resilient adapters (in-process ledger: no Redis needed)."""
    from idp.adapters.factory import business_registry, tax_verifier

    answers = ask_authorities(case, tax_verifier(settings, redis=None), business_registry(settings, redis=None),
                              now=clock)
    for subject, message in answers.unavailable.items():
        run.errors.append(f"{subject}: 查验/查询未完成 {message}")
    for doc_id, outcome in answers.waiting.items():
        run.errors.append(f"{doc_id}: 查验未完成 {outcome.status.value} {outcome.message}")
    return answers


def _read(path: Path, clock: datetime, run: BundleRun) -> list[CaseDocument]:
    from queues.docproc import process_file

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        processed = process_file(path, now=clock)
    except IdpError as exc:
        run.errors.append(f"{path.name}: {exc.code}: {exc.message}")
        run.documents.append(
            Document(
                id=path.name,
                application_id=run.application.application_id,
                filename=path.name,
                sha256=digest,
                size=len(data),
                status=DocumentStatus.FAILED,
                error=exc.message,
                created_at=clock,
            )
        )
        return []
    out = []
    for i, doc in enumerate(processed):
        doc_id = path.name if i == 0 else f"{path.name}#{i + 1}"
        findings = [
            f.model_copy(update={"document_id": doc_id, "documents": f.documents or [doc_id]})
            for f in doc.findings
        ]
        run.document_findings += findings
        run.documents.append(
            Document(
                id=doc_id,
                application_id=run.application.application_id,
                filename=path.name,
                sha256=digest,
                size=len(data),
                kind=doc.kind,
                subtype=doc.subtype,
                pages=len(doc.pages),
                status=DocumentStatus.EXTRACTED,
                extraction=doc.extraction,
                findings=findings,
                created_at=clock,
            )
        )
        if doc.kind in (
            DocumentKind.VAT_INVOICE,
            DocumentKind.PURCHASE_CONTRACT,
            DocumentKind.BANK_STATEMENT,
        ):
            out.append(CaseDocument(id=doc_id, filename=path.name, extraction=doc.extraction))
    return out


def _duplicates(case: CaseFile, application_id: str, seen: dict[str, list[str]]) -> dict[str, list[str]]:
    from validators.rules.invoice_duplicate import invoice_key

    out: dict[str, list[str]] = {}
    keys = []
    for doc in case.of_kind(DocumentKind.VAT_INVOICE):
        key = invoice_key(doc.extraction)
        if key is None:
            continue
        earlier = [a for a in seen.get(key, []) if a != application_id]
        if earlier:
            out[doc.id] = earlier
        keys.append(key)
    for key in keys:
        seen.setdefault(key, []).append(application_id)
    return out
