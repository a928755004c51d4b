"""Run the real pipeline composition on every document with truth: read → split → extract → validate → decide.

``queues.docproc.process_file`` and ``idp.decision.decide`` with the default policy are what production runs,
so the figures measure exactly that. The clock is fixed per document (see :func:`clock_for`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from idp.decision import decide
from idp.errors import IdpError
from idp.evaluation.score_invoice import expected_kind
from idp.evaluation.scoring import SCORERS, FieldResult, score
from idp.evaluation.truth import TruthFile, find_truth_files, iso_date
from idp.models import DecisionOutcome, Document, DocumentKind, DocumentStatus
from idp.policy import DecisionPolicy

logger = logging.getLogger(__name__)

#: Days after the document's own date the evaluation pretends to run, when no ``now`` is given: recent
#: enough that nothing is "too old to verify", late enough that nothing is "in the future".
DAYS_AFTER_DOCUMENT = 30
#: Truth keys holding the document's own date, by preference.
_DATE_KEYS = ("issue_date", "sign_date", "period_end")


@dataclass
class DocResult:
    """One evaluated document: its scored fields, the decision and the time it took."""

    file: str
    doc_type: str
    kind: str
    form: str
    family: str = ""
    fields: list[FieldResult] = field(default_factory=list)
    outcome: str = DecisionOutcome.REVIEW.value
    reasons: list[str] = field(default_factory=list)
    ms: float = 0.0
    error: str | None = None

    @property
    def straight_through(self) -> bool:
        return self.outcome == DecisionOutcome.STRAIGHT_THROUGH.value

    @property
    def exact(self) -> bool:
        return bool(self.fields) and all(f.correct for f in self.fields)

    @property
    def false_accept(self) -> bool:
        """Passed straight through although a scored value is wrong."""
        return self.straight_through and any(not f.correct for f in self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "doc_type": self.doc_type,
            "kind": self.kind,
            "form": self.form,
            "family": self.family,
            "outcome": self.outcome,
            "reasons": self.reasons,
            "ms": round(self.ms, 1),
            "error": self.error,
            "exact": self.exact,
            "false_accept": self.false_accept,
            "wrong": [f.as_dict() for f in self.fields if not f.correct],
            "fields": len(self.fields),
        }


def clock_for(truth: dict[str, Any], now: datetime | None) -> datetime:
    """``now`` if given, else noon UTC ``DAYS_AFTER_DOCUMENT`` days after the truth's own date."""
    if now is not None:
        return now
    for key in _DATE_KEYS:
        found = iso_date(truth.get(key))
        if found:
            day = date.fromisoformat(found) + timedelta(days=DAYS_AFTER_DOCUMENT)
            return datetime.combine(day, dtime(12, 0), tzinfo=UTC)
    return datetime.now(UTC)


def kind_of(truth: dict[str, Any]) -> str:
    """The group a document is reported under: its invoice kind code, else its doc_type."""
    if truth.get("doc_type") == "vat_invoice":
        return expected_kind(truth) or "unknown"
    return str(truth.get("doc_type") or "unknown")


def family_of(truth: dict[str, Any], path: Path) -> str:
    """The layout family a document is reported under: the truth's ``family``, else its generator's ``layout``,
    else (real documents) the repository it was collected from; prefixed with the document type."""
    doc_type = str(truth.get("doc_type") or "unknown")
    family = truth.get("family") or truth.get("layout")
    if family:
        name = str(family)
        return name if "/" in name else f"{doc_type}/{name}"
    source = truth.get("source") or {}
    if isinstance(source, dict) and source.get("repo"):
        return f"{doc_type}/{str(source['repo']).split('/')[-1]}"
    return f"{doc_type}/{path.parent.name}"


def evaluate_file(
    item: TruthFile, *, now: datetime | None = None, policy: DecisionPolicy | None = None
) -> DocResult:
    """Process one file as the pipeline does, score the document of the truth's type, decide on it."""
    from queues.docproc import process_file

    policy = policy or DecisionPolicy()
    clock = clock_for(item.truth, now)
    result = DocResult(file=item.path.name, doc_type=item.doc_type, kind=kind_of(item.truth), form=item.form,
                       family=family_of(item.truth, item.path))
    started = time.perf_counter()
    try:
        processed = process_file(item.path, now=clock)
    except IdpError as exc:
        result.error = f"{exc.code}: {exc.message}"
        processed = []
    wanted = [p for p in processed if p.kind.value == item.doc_type] or processed[:1]
    chosen = wanted[0] if wanted else None
    document = _as_document(item.path, chosen, clock, failed=result.error)
    decision = decide([document], policy, now=clock)
    result.ms = (time.perf_counter() - started) * 1000
    result.outcome = decision.outcome.value
    result.reasons = sorted({r.code for r in decision.reasons})
    result.fields = score(item.truth, chosen.extraction if chosen else None)
    return result


def evaluate_dir(
    directory: Path,
    *,
    now: datetime | None = None,
    policy: DecisionPolicy | None = None,
    on_result: Callable[[DocResult], None] | None = None,
) -> list[DocResult]:
    """Every document with a truth file of a known ``doc_type`` under ``directory``."""
    items = [t for t in find_truth_files(directory) if t.doc_type in SCORERS]
    out = []
    for item in items:
        result = evaluate_file(item, now=now, policy=policy)
        out.append(result)
        if on_result is not None:
            on_result(result)
    return out


def count_documents(directory: Path) -> int:
    return sum(1 for t in find_truth_files(directory) if t.doc_type in SCORERS)


def _as_document(path: Path, processed: Any, now: datetime, *, failed: str | None) -> Document:
    """The storage-free ``Document`` the policy decides on."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if processed is None:
        return Document(
            id=path.name,
            application_id="eval",
            filename=path.name,
            sha256=digest,
            size=path.stat().st_size,
            kind=DocumentKind.UNKNOWN,
            status=DocumentStatus.FAILED,
            error=failed or "no document found",
            created_at=now,
        )
    findings = [f.model_copy(update={"document_id": path.name}) for f in processed.findings]
    return Document(
        id=path.name,
        application_id="eval",
        filename=path.name,
        sha256=digest,
        size=path.stat().st_size,
        kind=processed.kind,
        subtype=processed.subtype,
        pages=len(processed.pages),
        status=DocumentStatus.EXTRACTED,
        extraction=processed.extraction,
        findings=findings,
        created_at=now,
    )
