"""Decision policies as TOML files: the shipped default, key-by-key overrides, clear errors, per-rule
blocking, routing, and a version that changes with the content."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from idp.decision import decide
from idp.models import (
    Document,
    DocumentKind,
    DocumentStatus,
    ExtractedDocument,
    ExtractedField,
    Finding,
    Severity,
    TaskKind,
    TaskPriority,
)
from idp.policy import DecisionPolicy
from queues.policies import SHIPPED, PolicyFileInvalid, load_policy, policy_layers

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
_VALUES = {
    "invoice_number": "26120000000012345678",
    "issue_date": "2026-03-01",
    "buyer_name": "天津云帆科技有限公司",
    "buyer_tax_id": "91120116MA05XXXX0X",
    "seller_name": "天津恒达贸易有限公司",
    "seller_tax_id": "91120116MA05YYYY0Y",
    "amount_without_tax": "100.00",
    "tax_amount": "13.00",
    "total_with_tax": "113.00",
    "total_in_words": "壹佰壹拾叁圆整",
}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _invoice(*findings: Finding) -> Document:
    fields = {k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in _VALUES.items()}
    extraction = ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="t", fields=fields)
    return Document(id="d", application_id="a", filename="f.pdf", sha256="0", size=1,
                    kind=DocumentKind.VAT_INVOICE, status=DocumentStatus.EXTRACTED, extraction=extraction,
                    findings=list(findings), created_at=NOW)


def _finding(rule_id: str, severity: Severity) -> Finding:
    return Finding(rule_id=rule_id, severity=severity, message="测试", document_id="d")


def test_the_shipped_file_is_exactly_the_code_default() -> None:
    shipped = load_policy(SHIPPED)
    assert shipped.model_dump(exclude={"version"}) == DecisionPolicy().model_dump(exclude={"version"})
    assert re.fullmatch(r"default-4@[0-9a-f]{8}", shipped.version)
    assert policy_layers(SHIPPED) == [SHIPPED.resolve()]


def test_a_file_overrides_only_the_keys_it_names(tmp_path: Path) -> None:
    path = _write(tmp_path, "acme.toml", """
version = "acme-1"
default_threshold = 0.97
[field_thresholds]
seller_tax_id = 0.99
[routing.severity.error]
priority = "P1"
[cross_checks]
payment_window_days_after = 120
""")
    policy = load_policy(path)
    assert policy.version.startswith("acme-1@")
    assert policy.default_threshold == 0.97 and policy.threshold("seller_tax_id") == 0.99
    assert policy.required_fields == DecisionPolicy().required_fields
    assert policy.routing.severity[Severity.ERROR].priority == TaskPriority.P1
    assert policy.routing.severity[Severity.WARNING].priority == TaskPriority.P3  # kept from the default
    assert set(policy.routing.rules) == set(DecisionPolicy().routing.rules)  # kept from the default
    assert policy.cross_checks.payment_window_days_after == 120
    assert policy.cross_checks.payment_window_days_before == 30


def test_extends_layers_files_and_a_list_replaces(tmp_path: Path) -> None:
    _write(tmp_path, "acme.toml", """
version = "acme-1"
[required_fields]
vat_invoice = ["invoice_number", "total_with_tax"]
[blocking_rules]
"statement." = false
""")
    loan = _write(tmp_path, "acme.loan.toml",
                  'version = "acme.loan-3"\nextends = "acme"\ndefault_threshold = 0.9\n')
    policy = load_policy(loan)
    assert policy.version.startswith("acme.loan-3@")
    assert policy.required_fields[DocumentKind.VAT_INVOICE] == ["invoice_number", "total_with_tax"]
    assert policy.blocking_rules == {"statement.": False}
    assert policy.default_threshold == 0.9
    assert [p.name for p in policy_layers(loan)] == ["default.toml", "acme.toml", "acme.loan.toml"]


def test_the_folders_default_sits_between_the_shipped_one_and_client_files(tmp_path: Path) -> None:
    _write(tmp_path, "default.toml", 'version = "bank-7"\nitem_threshold = 0.9\n')
    acme = _write(tmp_path, "acme.toml", 'version = "acme-1"\ndefault_threshold = 0.97\n')
    policy = load_policy(acme)
    assert (policy.item_threshold, policy.default_threshold) == (0.9, 0.97)
    assert policy_layers(acme) == [SHIPPED.resolve(), (tmp_path / "default.toml").resolve(), acme.resolve()]


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('version = "x-1"\ndefault_treshold = 0.9\n', "default_treshold", "未知的键"),
        ('version = "x-1"\ndefault_threshold = 1.5\n', "default_threshold", "超出范围"),
        ('version = "x-1"\n[field_thresholds]\nbuyer_name = "high"\n', "field_thresholds.buyer_name", "类型"),
        ('version = "x-1"\n[cross_checks]\nmax_instalment = 3\n', "cross_checks.max_instalment", "未知的键"),
        ('version = "x-1"\nautomatable_kinds = ["vat_invoice", "receipt"]\n', "automatable_kinds.1", "取值"),
        ('version = "x-1"\n[routing.rules."statement."]\ntask_kind = "review"\n',
         'routing.rules."statement.".task_kind', "取值"),
        ('version = "x-1"\n[routing.default]\npriority = 9\n', "routing.default.priority", "取值"),
        ('version = "x-1"\n[blocking_rules]\n"field.low_confidence" = false\n', "blocking_rules", "只能针对校验规则"),
        ('default_threshold = 0.9\n', "version", "version"),
        ('version = "x@1"\n', "version", "version"),
        ('version = "x-1"\ndefault_threshold = \n', "-", "TOML"),
        ('version = "x-1"\nextends = "nowhere"\n', "extends", "nowhere.toml"),
        ('version = "x-1"\nextends = "../etc/passwd"\n', "extends", "同一目录"),
    ],
)
def test_a_bad_file_names_the_file_and_the_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = _write(tmp_path, "acme.toml", text)
    with pytest.raises(PolicyFileInvalid) as caught:
        load_policy(path)
    assert [(f.name, k) for f, k, _ in caught.value.problems] == [("acme.toml", key)]
    assert words in caught.value.problems[0][2]
    assert str(caught.value).startswith("决策策略文件无效 (invalid policy file)")
    assert f"{key}:" in str(caught.value) and caught.value.code == "policy_invalid"


def test_an_error_in_an_extended_file_names_that_file_and_a_cycle_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "acme.toml", 'version = "acme-1"\n[routing.default]\nsla_policy = "x"\n')
    loan = _write(tmp_path, "acme.loan.toml", 'version = "acme.loan-1"\nextends = "acme"\n')
    with pytest.raises(PolicyFileInvalid) as caught:
        load_policy(loan)
    assert [(f.name, k) for f, k, _ in caught.value.problems] == [("acme.toml", "routing.default.sla_policy")]
    _write(tmp_path, "acme.toml", 'version = "acme-2"\nextends = "acme.loan"\n')
    with pytest.raises(PolicyFileInvalid, match="循环继承"):
        load_policy(loan)


def test_a_rule_override_makes_a_warning_pass_and_an_info_block(tmp_path: Path) -> None:
    warning = _invoice(_finding("invoice.tax_rate", Severity.WARNING))
    info = _invoice(_finding("invoice.red_letter", Severity.INFO))
    default = DecisionPolicy()
    assert decide([warning], default, now=NOW).outcome == "review"
    assert decide([info], default, now=NOW).outcome == "straight_through"
    path = _write(tmp_path, "acme.toml", """
version = "acme-1"
[blocking_rules]
"invoice.tax_rate" = false
"invoice." = true
""")
    policy = load_policy(path)
    assert decide([warning], policy, now=NOW).outcome == "straight_through"
    decision = decide([info], policy, now=NOW)
    assert decision.outcome == "review" and decision.policy_version == policy.version
    assert [(r.code, r.severity) for r in decision.reasons] == [("invoice.red_letter", "info")]
    # the exact rule id beats the family prefix, in either direction
    assert decide([_invoice(_finding("invoice.tax_rate", Severity.ERROR))], policy, now=NOW).outcome == (
        "straight_through")


def test_each_part_of_a_route_comes_from_the_most_specific_route_that_sets_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "acme.toml", """
version = "acme-1"
[routing.rules."statement."]
task_kind = "cross_check"
[routing.rules."statement.fast_in_out"]
priority = "P1"
sla = "verification_failed"
""")
    routing = load_policy(path).routing
    fast = routing.route("statement.fast_in_out", "warning")
    assert (fast.task_kind, fast.priority) == (TaskKind.CROSS_CHECK, TaskPriority.P1)
    assert fast.sla == "verification_failed"
    gap = routing.route("statement.period_gap", "error")
    assert (gap.task_kind, gap.priority, gap.sla) == (TaskKind.CROSS_CHECK, TaskPriority.P2, None)
    other = routing.route("invoice.tax_rate", "info")
    assert (other.task_kind, other.priority) == (TaskKind.FIELD_REVIEW, TaskPriority.P3)
    failed = routing.route("document.processing_failed", "error")
    assert (failed.task_kind, failed.priority) == (TaskKind.PROCESSING_FAILED, TaskPriority.P2)


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_the_version_hash_follows_the_content_not_the_comments(tmp_path: Path) -> None:
    path = _write(tmp_path, "acme.toml", 'version = "acme-1"\ndefault_threshold = 0.97\n')
    first = load_policy(path).version
    path.write_text('# stricter for acme\nversion = "acme-1"\ndefault_threshold = 0.97\n', encoding="utf-8")
    _touch_later(path)
    assert load_policy(path).version == first
    path.write_text('version = "acme-1"\ndefault_threshold = 0.98\n', encoding="utf-8")
    _touch_later(path)
    edited = load_policy(path).version
    assert edited != first and edited.startswith("acme-1@")
    # an edit of the file it extends shows too
    _write(tmp_path, "default.toml", 'version = "bank-1"\nitem_threshold = 0.9\n')
    assert load_policy(path).version not in (first, edited)


def test_a_threshold_from_the_environment_sits_under_every_file(tmp_path: Path) -> None:
    assert load_policy(SHIPPED, threshold=0.9).default_threshold == 0.9
    assert load_policy(SHIPPED, threshold=0.9).version != load_policy(SHIPPED).version
    path = _write(tmp_path, "acme.toml", 'version = "acme-1"\ndefault_threshold = 0.97\n')
    assert load_policy(path, threshold=0.9).default_threshold == 0.97
