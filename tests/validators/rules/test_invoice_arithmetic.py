"""Arithmetic rules: each fires on its planted error, naming the values, and is silent on clean data."""

from __future__ import annotations

from datetime import UTC, datetime

from idp.models import Severity
from validators.rules import invoice_arithmetic
from validators.rules.context import RuleContext
from validators.rules.invoice_arithmetic import RULE_IDS, check

#: A clock for the families that do not read it (every family takes the same context).
CONTEXT = RuleContext(now=datetime(2025, 1, 1, tzinfo=UTC))


def _ids(findings: list) -> list[str]:
    return [f.rule_id for f in findings]


def test_clean_invoice_is_silent(invoice):
    assert check(invoice(), CONTEXT) == []


def test_total_sum(invoice):
    [finding] = check(invoice(total_with_tax="756.64", total_in_words="柒佰伍拾陆元陆角肆分"), CONTEXT)
    assert finding.rule_id == "invoice.total_sum" and finding.severity is Severity.ERROR
    assert finding.values == {
        "amount_without_tax": "734.59",
        "tax_amount": "22.04",
        "total_with_tax": "756.64",
    }
    assert "756.63" in finding.message and "756.64" in finding.message


def test_amount_words_mismatch(invoice):
    [finding] = check(invoice(total_in_words="柒佰伍拾陆元陆角肆分"), CONTEXT)
    assert finding.rule_id == "invoice.amount_words" and finding.severity is Severity.ERROR
    assert finding.values["total_in_words_parsed"] == "756.64"
    assert finding.fields == ["total_in_words", "total_with_tax"]


def test_amount_words_compares_decimals_not_strings(invoice):
    assert check(invoice(total_in_words="⊗柒佰伍拾陆圆陆角叁分", total_with_tax="￥756.630"), CONTEXT) == []


def test_amount_words_unreadable(invoice):
    [finding] = check(invoice(total_in_words="柒佰伍拾陆元陆角叁分整整"), CONTEXT)
    assert finding.rule_id == "invoice.amount_words"
    assert finding.values["total_in_words_parsed"] is None


def test_items_sum(invoice):
    items = [
        {"name": "*a*b", "amount": "700.00", "tax_rate": "3%", "tax": "21.00"},
        {"name": "*a*c", "amount": "30.00", "tax_rate": "3%", "tax": "0.90"},
    ]
    findings = check(invoice(items=items), CONTEXT)
    assert _ids(findings) == ["invoice.items_sum", "invoice.items_sum"]
    assert findings[0].values == {"items_amount_sum": "730.00", "amount_without_tax": "734.59"}
    assert findings[1].values == {"items_tax_sum": "21.90", "tax_amount": "22.04"}


def test_items_with_discount_line_sum(invoice):
    items = [
        {"amount": "50.18", "tax_rate": "13%", "tax": "6.52", "quantity": "3", "price": "16.72566372"},
        {"amount": "-2.92", "tax_rate": "13%", "tax": "-0.38"},
    ]
    doc = invoice(
        items=items,
        amount_without_tax="47.26",
        tax_amount="6.14",
        total_with_tax="53.40",
        total_in_words="伍拾叁圆肆角",
    )
    assert check(doc, CONTEXT) == []


def test_tax_rate_not_legal(invoice):
    findings = check(invoice(items=[{**_line(), "tax_rate": "7%"}]), CONTEXT)
    assert _ids(findings) == ["invoice.tax_rate", "invoice.line_tax"]  # 734.59 × 7% is not 22.04 either
    assert findings[0].severity is Severity.ERROR and findings[0].values["tax_rate"] == "7%"


def test_tax_rate_by_date(invoice):
    line = {"amount": "734.59", "tax_rate": "16%", "tax": "117.53"}
    totals = {"tax_amount": "117.53", "total_with_tax": "852.12", "total_in_words": "捌佰伍拾贰元壹角贰分"}
    assert check(invoice(items=[line], **totals), CONTEXT) == []  # 16% was legal in September 2018
    [finding] = check(invoice(items=[line], issue_date="2020-01-02", **totals), CONTEXT)
    assert finding.rule_id == "invoice.tax_rate" and "2020-01-02" in finding.message


def test_exempt_on_special_invoice_warns(invoice):
    line = {"amount": "734.59", "tax_rate": "免税", "tax": "***"}
    doc = invoice(
        items=[line],
        invoice_kind="08",
        tax_amount="0.00",
        total_with_tax="734.59",
        total_in_words="柒佰叁拾肆元伍角玖分",
    )
    [finding] = [f for f in check(doc, CONTEXT) if f.rule_id == "invoice.tax_rate"]
    assert finding.severity is Severity.WARNING


def test_line_tax(invoice):
    small = check(
        invoice(
            items=[{**_line(), "tax": "22.09"}],
            tax_amount="22.09",
            total_with_tax="756.68",
            total_in_words="柒佰伍拾陆元陆角捌分",
        )
    , CONTEXT)
    assert _ids(small) == ["invoice.line_tax"] and small[0].severity is Severity.WARNING
    big = check(
        invoice(
            items=[{**_line(), "tax": "23.00"}],
            tax_amount="23.00",
            total_with_tax="757.59",
            total_in_words="柒佰伍拾柒元伍角玖分",
        )
    , CONTEXT)
    assert _ids(big) == ["invoice.line_tax"] and big[0].severity is Severity.ERROR


def test_line_amount(invoice):
    [finding] = check(invoice(items=[{**_line(), "quantity": "2"}]), CONTEXT)
    assert finding.rule_id == "invoice.line_amount"
    assert finding.values["quantity"] == "2" and finding.values["amount"] == "734.59"


def test_missing_values_are_not_guessed(invoice):
    assert check(invoice(total_with_tax=None, total_in_words=None, items=[]), CONTEXT) == []


def test_rule_ids_are_declared(invoice):
    assert invoice_arithmetic.RULE_IDS == RULE_IDS
    assert {"invoice.total_sum", "invoice.amount_words", "invoice.items_sum", "invoice.tax_rate"} <= set(
        RULE_IDS
    )


def _line() -> dict[str, str]:
    return {
        "name": "*运输服务*客运服务费",
        "quantity": "1",
        "price": "734.59",
        "amount": "734.59",
        "tax_rate": "3%",
        "tax": "22.04",
    }
