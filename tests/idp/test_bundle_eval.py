"""Bundle evaluation end to end on the fixed suite in samples/bundles (a clean bundle with the traps, a void
or otherwise abnormal invoice, and an invoice resubmitted from the clean bundle), and its scoring rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idp.evaluation.bundles import (
    KIND_OF_RULE,
    KINDS,
    BundleResult,
    build_report,
    evaluate_bundles,
    find_bundles,
    reported_kinds,
)
from idp.models import Finding, Severity
from idp.policy import DecisionPolicy
from idp.settings import Settings

SUITE = Path(__file__).resolve().parents[2] / "samples" / "bundles"


@pytest.fixture(scope="module")
def results() -> list[BundleResult]:
    settings = Settings(verify_attempts=2, verify_backoff_s=0.05, verify_backoff_max_s=0.1)
    return evaluate_bundles(SUITE, settings=settings)


def test_fixed_suite_is_detected_without_false_alarms(results: list[BundleResult]):
    report = build_report(results)
    assert [b["bundle"] for b in report["bundles"]] == [p.name for p in find_bundles(SUITE)]
    assert report["clean_bundles"] >= 1 and report["planted_bundles"] >= 2
    assert report["detection_rate"] == 1.0, [(b["bundle"], b["missed"]) for b in report["bundles"]]
    assert report["false_alarms"] == 0, [(b["bundle"], b["false_alarms"]) for b in report["bundles"]]
    # under the shipped policy the clean application passes straight through and no planted one does
    assert report["clean_straight_through"] == report["clean_bundles"], [
        (b["bundle"], b["reasons"]) for b in report["bundles"] if not b["false_accept"] and not b["expected"]]
    assert report["false_accepts"] == 0 and report["policy_version"].startswith("default")
    for result in results:
        expected = json.loads((SUITE / result.name / "expected.json").read_text(encoding="utf-8"))
        assert result.detected == {i["kind"] for i in expected["inconsistencies"]}
        assert not result.errors, result.errors  # every invoice verified, every party looked up
        if expected["inconsistencies"]:
            assert result.decision == "review"
    # every document's values, as the case left them, scored against the truth beside it
    assert report["fields_scored"] > 100 and report["field_accuracy"] == 1.0
    assert set(report["confidence_buckets_by_type"]) == {"bank_statement", "purchase_contract", "vat_invoice"}
    assert report["wrong_values_passed"] == []
    json.dumps(report, ensure_ascii=False)  # the --json report is plain JSON


def test_a_wrong_value_in_an_application_that_passed_is_reported_and_one_held_for_review_is_not():
    from idp.evaluation.scoring import FieldResult

    wrong = FieldResult("total_amount", "100.00", "10.00", False, 0.99, "totals")
    right = FieldResult("sign_date", "2024-01-02", "2024-01-02", True, 0.99, "header")
    fields = [("contract.pdf", "purchase_contract", wrong), ("contract.pdf", "purchase_contract", right)]
    passed = BundleResult("p", "A-1", {}, "straight_through", decision="straight_through", fields=fields)
    held = BundleResult("h", "A-2", {}, "straight_through", decision="review", fields=fields)
    assert passed.wrong_values_passed == [("contract.pdf", wrong)] and held.wrong_values_passed == []
    report = build_report([passed, held])
    assert report["field_accuracy"] == 0.5
    assert [(w["bundle"], w["name"]) for w in report["wrong_values_passed"]] == [("p", "total_amount")]


def test_findings_come_from_the_authorities_over_http(results: list[BundleResult]):
    by_rule = {(r.name, f.rule_id) for r in results for f in r.findings}
    abnormal = next(r for r in results if "invoice_not_normal" in r.expected)
    assert (abnormal.name, "authority.invoice_not_normal") in by_rule
    duplicate = next(r for r in results if "duplicate_invoice" in r.expected)
    assert (duplicate.name, "invoice.duplicate") in by_rule


def test_a_kind_counts_only_on_the_expected_documents():
    result = BundleResult(
        "b",
        "A-1",
        {"invoice_unpaid": {"inv_1.pdf"}},
        "review",
        reported={"invoice_unpaid": {"inv_2.pdf"}, "seal_missing": {"contract.pdf"}},
        decision="straight_through",
    )
    assert result.detected == set() and result.missed == {"invoice_unpaid"}
    assert result.false_alarms == {"seal_missing"} and not result.decision_correct
    clean = BundleResult(
        "c",
        "A-2",
        {},
        "straight_through",
        reported={"invoice_unpaid": {"inv_1.pdf"}},
        decision="straight_through",
    )
    report = build_report([result, clean])
    assert report["detection_rate"] == 0.0
    assert report["false_alarms"] == 2 and report["false_alarms_on_clean"] == 1
    assert report["decision_accuracy"] == 0.5
    assert report["false_accepts"] == 1 and report["false_accept_bundles"] == ["b"]
    assert report["clean_straight_through"] == 1 and report["straight_through_rate"] == 1.0
    assert report["by_kind"]["invoice_unpaid"] == {
        "expected": 1,
        "detected": 0,
        "missed": 1,
        "false_alarms": 1,
        "false_alarms_on_clean": 1,
        "detection_rate": 0.0,
        "passed": 1,
    }


def test_only_findings_that_stop_the_application_raise_a_kind():
    """A quiet stretch the running balance crosses is shown as a note (info): it raises no inconsistency."""
    note = Finding(rule_id="statement.period_gap", severity=Severity.INFO, message="…", documents=["s.pdf"])
    gap = note.model_copy(update={"severity": Severity.WARNING})
    assert reported_kinds([note], DecisionPolicy()) == {}
    assert reported_kinds([note, gap], DecisionPolicy()) == {"statement_period_short": {"s.pdf"}}


def test_kind_table_covers_the_vocabulary_with_rules_that_exist():
    from idp.synth.bundle import KINDS as GENERATED
    from validators import rule_ids
    from validators.rules.cross_case import RULE_IDS

    assert set(KIND_OF_RULE.values()) == set(KINDS) == set(GENERATED)
    assert set(KIND_OF_RULE) <= set(rule_ids()) | set(RULE_IDS)


def test_the_clock_is_the_submission_day_else_the_last_day_of_the_statement_period(tmp_path: Path):
    """bundles.md's application.json names no submission day: the evaluation runs on the statement period's last
    day, the earliest the application could have been made (a week later held a contract in force to that day)."""
    from datetime import UTC, date, datetime

    from idp.evaluation.bundle_case import BundleApplication

    raw = {"application_id": "A-1", "borrower": {"name": "甲公司", "tax_id": "91110000600037341L"},
           "statement_period": {"start": "2024-07-01", "end": "2025-06-30"}}
    (tmp_path / "application.json").write_text(json.dumps(raw), encoding="utf-8")
    assert BundleApplication.load(tmp_path).clock(None).date() == date(2025, 6, 30)
    (tmp_path / "application.json").write_text(json.dumps({**raw, "submitted_at": "2025-07-09"}), encoding="utf-8")
    assert BundleApplication.load(tmp_path).clock(None).date() == date(2025, 7, 9)
    given = datetime(2025, 8, 1, tzinfo=UTC)
    assert BundleApplication.load(tmp_path).clock(given) == given
