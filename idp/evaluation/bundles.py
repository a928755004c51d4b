"""Evaluate a folder of application bundles (docs bundles.md): run every bundle as production would, map the
findings onto the shared vocabulary of inconsistency kinds, and score detection, false alarms and decisions.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from idp.decision import decide
from idp.evaluation.bundle_case import BundleRun, run_bundle
from idp.evaluation.report import confidence_buckets
from idp.evaluation.scoring import SCORERS, FieldResult, score
from idp.models import Finding
from idp.policy import DecisionPolicy
from idp.settings import Settings

logger = logging.getLogger(__name__)

#: Our rule ids → the bundles.md kinds (the one place this mapping lives). Rule ids not listed are reported
#: per bundle as other findings but are not kinds (they still count for the decision).
KIND_OF_RULE: dict[str, str] = {
    "cross.borrower_not_party": "borrower_not_party",
    "cross.invoice_party_mismatch": "invoice_party_mismatch",
    "cross.invoice_goods_mismatch": "invoice_goods_mismatch",
    "cross.invoice_exceeds_contract": "invoice_exceeds_contract",
    "cross.invoice_before_contract": "invoice_before_contract",
    "authority.invoice_not_found": "invoice_not_found",
    "authority.invoice_not_normal": "invoice_not_normal",
    "authority.invoice_authority_mismatch": "invoice_authority_mismatch",
    "cross.company_not_active": "company_not_active",
    "cross.company_name_mismatch": "company_name_mismatch",
    "cross.invoice_unpaid": "invoice_unpaid",
    "statement.balance_continuity": "statement_balance_break",
    "cross.statement_period_short": "statement_period_short",
    "statement.period_not_covered": "statement_period_short",
    "statement.period_gap": "statement_period_short",
    "invoice.amount_words": "amount_words_mismatch",
    "contract.amount_words": "amount_words_mismatch",
    "contract.seal_missing": "seal_missing",
    "invoice.duplicate": "duplicate_invoice",
}
#: The vocabulary of bundles.md, in its order.
KINDS = (
    "borrower_not_party",
    "invoice_party_mismatch",
    "invoice_goods_mismatch",
    "invoice_exceeds_contract",
    "invoice_before_contract",
    "invoice_not_found",
    "invoice_not_normal",
    "invoice_authority_mismatch",
    "company_not_active",
    "company_name_mismatch",
    "invoice_unpaid",
    "statement_balance_break",
    "statement_period_short",
    "amount_words_mismatch",
    "seal_missing",
    "duplicate_invoice",
)


def is_bundle(folder: Path) -> bool:
    return folder.is_dir() and (folder / "application.json").is_file()


def find_bundles(directory: Path) -> list[Path]:
    """The bundle folders under ``directory`` (itself if it is one), sorted by name."""
    if is_bundle(directory):
        return [directory]
    return sorted(p for p in directory.iterdir() if is_bundle(p)) if directory.is_dir() else []


def _doc(name: str) -> str:
    """A document id back to its file name (a file holding several documents gives ``name#2`` …)."""
    return name.split("#", 1)[0]


@dataclass
class BundleResult:
    name: str
    application_id: str
    expected: dict[str, set[str]]  #: kind → documents involved
    expected_decision: str
    reported: dict[str, set[str]] = field(default_factory=dict)  #: kind → documents the findings name
    decision: str = "review"
    reasons: list[str] = field(default_factory=list)
    #: what held the application, per reason: ``code: field, …`` (which value a person must look at)
    held_by: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ms: float = 0.0
    family: str = ""  #: the generator's family of the bundle (expected.json ``family``), if it says
    #: the documents' values as the case decided them, scored against ``<file>.truth.json`` where a bundle has it
    fields: list[tuple[str, str, FieldResult]] = field(default_factory=list)  #: (file, doc_type, result)
    #: the layout family of each document with a truth (``purchase_contract/jiayi``, ``bank_statement/icbc``)
    document_families: set[str] = field(default_factory=set)

    @property
    def wrong_values_passed(self) -> list[tuple[str, FieldResult]]:
        """Wrong values of a bundle that passed straight through: what the lender would receive as read."""
        return [(file, f) for file, _, f in self.fields if not f.correct] if self.passed else []

    @property
    def clean(self) -> bool:
        return not self.expected

    @property
    def passed(self) -> bool:
        return self.decision == "straight_through"

    @property
    def false_accept(self) -> bool:
        """A bundle with a planted inconsistency that passed straight through: the worst outcome."""
        return not self.clean and self.passed

    @property
    def detected(self) -> set[str]:
        """Expected kinds reported by a finding that names at least one of the expected documents."""
        return {
            k
            for k, docs in self.expected.items()
            if k in self.reported and (not docs or self.reported[k] & docs)
        }

    @property
    def missed(self) -> set[str]:
        return set(self.expected) - self.detected

    @property
    def false_alarms(self) -> set[str]:
        return set(self.reported) - set(self.expected)

    @property
    def decision_correct(self) -> bool:
        return self.decision == self.expected_decision

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.name,
            "application_id": self.application_id,
            "expected": sorted(self.expected),
            "detected": sorted(self.detected),
            "missed": sorted(self.missed),
            "false_alarms": sorted(self.false_alarms),
            "expected_decision": self.expected_decision,
            "decision": self.decision,
            "decision_correct": self.decision_correct,
            "false_accept": self.false_accept,
            "family": self.family,
            "reasons": self.reasons,
            "held_by": self.held_by,
            "findings": [
                {
                    "rule_id": f.rule_id,
                    "kind": KIND_OF_RULE.get(f.rule_id),
                    "severity": f.severity.value,
                    "documents": f.documents or ([f.document_id] if f.document_id else []),
                    "message": f.message,
                }
                for f in self.findings
            ],
            "errors": self.errors,
            "ms": round(self.ms, 1),
            "fields_scored": len(self.fields),
            "wrong_values": [{"file": file, **f.as_dict()} for file, _, f in self.fields if not f.correct],
            "wrong_values_passed": len(self.wrong_values_passed),
            "document_families": sorted(self.document_families),
        }


def _truth(folder: Path, application_id: str) -> BundleResult:
    """An unscored result holding what expected.json says."""
    truth = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    expected: dict[str, set[str]] = {}
    for item in truth.get("inconsistencies") or []:
        expected.setdefault(str(item["kind"]), set()).update(_doc(d) for d in item.get("documents") or [])
    decision = str(truth.get("decision") or ("review" if expected else "straight_through"))
    return BundleResult(folder.name, application_id, expected, decision, family=str(truth.get("family") or ""))


def reported_kinds(findings: list[Finding], policy: DecisionPolicy) -> dict[str, set[str]]:
    """Per inconsistency kind, the documents the findings that raise it name: only findings that stop the
    application under ``policy`` (a note shown for information raises nothing)."""
    out: dict[str, set[str]] = {}
    for f in findings:
        kind = KIND_OF_RULE.get(f.rule_id)
        if kind is not None and policy.blocks(f):
            named = f.documents or ([f.document_id] if f.document_id else [])
            out.setdefault(kind, set()).update(_doc(d) for d in named)
    return out


def score_bundle(folder: Path, run: BundleRun, policy: DecisionPolicy) -> BundleResult:
    """Compare one bundle's findings and decision with its expected.json."""
    result = _truth(folder, run.application.application_id)
    result.reported = reported_kinds(run.findings, policy)
    decision = run.decision or decide(run.documents, policy, now=run.now)
    result.fields, result.document_families = _scored_fields(folder, run)
    result.decision = decision.outcome.value
    result.reasons = sorted({r.code for r in decision.reasons})
    result.held_by = sorted({f"{r.code}: {', '.join(r.fields)}" if r.fields else r.code for r in decision.reasons})
    result.findings = run.findings
    result.errors = run.errors
    return result


def _scored_fields(folder: Path, run: BundleRun) -> tuple[list[tuple[str, str, FieldResult]], set[str]]:
    """Each document with a truth file beside it, scored as the case left it (confirmed by the registry, the
    tax authority, the other documents): the reliability that the decision actually relies on; and the layout
    families the truths name."""
    from idp.evaluation.run import family_of

    out, families = [], set()
    for doc in run.documents:
        truth_file = folder / f"{_doc(doc.filename)}.truth.json"
        if "#" in doc.id or not truth_file.is_file():  # a further document split from the file has no truth
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        if str(truth.get("doc_type")) not in SCORERS:
            continue
        out += [(doc.filename, str(truth["doc_type"]), f) for f in score(truth, doc.extraction)]
        families.add(family_of(truth, truth_file))
    return out, families


def evaluate_bundles(
    directory: Path,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    policy: DecisionPolicy | None = None,
    on_result: Callable[[BundleResult], None] | None = None,
) -> list[BundleResult]:
    """Every bundle under ``directory`` in name order (so duplicates are found against earlier bundles)."""
    from idp.settings import get_settings

    settings = settings or get_settings()
    policy = policy or DecisionPolicy()
    seen: dict[str, list[str]] = {}
    out = []
    for folder in find_bundles(directory):
        started = time.perf_counter()
        try:
            run = run_bundle(folder, settings=settings, now=now, seen=seen, policy=policy)
        except Exception as exc:  # one broken bundle is reported, the others are still evaluated
            logger.exception("bundle %s failed", folder.name)
            result = _truth(folder, folder.name)
            result.decision = "failed"
            result.errors = [f"申请包处理失败 {type(exc).__name__}: {exc}"]
        else:
            result = score_bundle(folder, run, policy)
        result.ms = (time.perf_counter() - started) * 1000
        out.append(result)
        if on_result is not None:
            on_result(result)
    return out


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def build_report(results: list[BundleResult], policy: DecisionPolicy | None = None) -> dict[str, Any]:
    """What the shipped policy does to whole applications: clean ones straight through, false alarms on clean
    ones, planted inconsistencies detected, planted applications passed (false accepts) — overall, per
    inconsistency kind and per family."""
    report = _summary(results)
    report.update({
        "bundles": [r.as_dict() for r in results],
        "kinds_planted": sorted(k for k, v in report["by_kind"].items() if v["expected"]),
        "by_family": {f: _summary([r for r in results if r.family == f]) for f in sorted({r.family for r in results})
                      if f},
        # a bundle counts under the family of each of its documents: which contract or statement layout holds back
        "by_document_family": {f: _summary([r for r in results if f in r.document_families])
                               for f in sorted({f for r in results for f in r.document_families})},
        "policy_version": (policy or DecisionPolicy()).version,
    })
    report.update(_field_report(results, policy or DecisionPolicy()))
    return report


def _field_report(results: list[BundleResult], policy: DecisionPolicy) -> dict[str, Any]:
    """Field accuracy and the reliability curve per document type after the case's confirmations, and every
    wrong value that left in a straight-through application (must be none), marked ``asserted`` when its
    confidence met the policy's default threshold (the lender was told it is sure) rather than flagged unsure."""
    scored = [(t, f) for r in results for _, t, f in r.fields]
    passed = [{"bundle": r.name, "file": file, **f.as_dict(),
               "asserted": f.confidence >= policy.default_threshold}
              for r in results for file, f in r.wrong_values_passed]
    return {
        "fields_scored": len(scored),
        "field_accuracy": _rate(sum(1 for _, f in scored if f.correct), len(scored)) if scored else None,
        "confidence_buckets_by_type": {
            t: confidence_buckets([f for u, f in scored if u == t]) for t in sorted({t for t, _ in scored})
        },
        "wrong_values_passed": passed,
    }


def _summary(results: list[BundleResult]) -> dict[str, Any]:
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in (*KINDS, *sorted({k for r in results for k in (*r.expected, *r.reported)} - set(KINDS))):
        expected = sum(1 for r in results if kind in r.expected)
        detected = sum(1 for r in results if kind in r.detected)
        alarms = sum(1 for r in results if kind in r.false_alarms)
        if expected or alarms:
            by_kind[kind] = {
                "expected": expected,
                "detected": detected,
                "missed": expected - detected,
                "false_alarms": alarms,
                "false_alarms_on_clean": sum(1 for r in results if r.clean and kind in r.false_alarms),
                "detection_rate": _rate(detected, expected),
                "passed": sum(1 for r in results if kind in r.expected and r.passed),
            }
    expected_total = sum(len(r.expected) for r in results)
    detected_total = sum(len(r.detected) for r in results)
    clean = [r for r in results if r.clean]
    planted = [r for r in results if not r.clean]
    return {
        "bundle_count": len(results),
        "clean_bundles": len(clean),
        "planted_bundles": len(planted),
        "clean_straight_through": sum(1 for r in clean if r.passed),
        "straight_through_rate": _rate(sum(1 for r in clean if r.passed), len(clean)),
        "expected_inconsistencies": expected_total,
        "detected_inconsistencies": detected_total,
        "detection_rate": _rate(detected_total, expected_total),
        "false_alarms": sum(len(r.false_alarms) for r in results),
        "false_alarms_on_clean": sum(len(r.false_alarms) for r in clean),
        "clean_held_without_alarm": sum(1 for r in clean if not r.passed and not r.false_alarms),
        "false_accepts": sum(1 for r in planted if r.passed),
        "false_accept_bundles": [r.name for r in planted if r.passed],
        "decision_accuracy": _rate(sum(1 for r in results if r.decision_correct), len(results)),
        "by_kind": by_kind,
    }

