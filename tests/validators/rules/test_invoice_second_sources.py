"""invoice_sources, invoice_red_letter, invoice_structure, invoice_duplicate: each rule fires on its planted
error and stays silent on the clean invoice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idp.models import ExtractedField, FieldSource, Severity
from validators import check_document, duplicate_finding, invoice_key, rule_ids
from validators.rules import invoice_red_letter, invoice_sources, invoice_structure
from validators.rules.context import RuleContext

#: A clock for the families that do not read it (every family takes the same context).
CONTEXT = RuleContext(now=datetime(2025, 1, 1, tzinfo=UTC))


def _with(doc, **values):
    for name, value in values.items():
        doc.fields[name] = ExtractedField(name=name, value=value, confidence=0.99, source=FieldSource.QR_CODE)
    return doc


def _ids(findings):
    return sorted(f.rule_id for f in findings)


def test_clean_invoice_is_silent(invoice):
    doc = _with(
        invoice(),
        **{
            "qr.kind": "10",
            "qr.invoice_code": "012001800211",
            "qr.invoice_number": "23326471",
            "qr.amount": "734.59",
            "qr.issue_date": "2018-09-21",
            "qr.check_code": "16707184549009707698",
        },
    )
    assert check_document(doc, now=datetime(2018, 10, 1)) == []


def test_qr_disagreeing_with_the_print_is_an_error(invoice):
    doc = _with(invoice(), **{"qr.invoice_number": "23326472", "qr.amount": "734.59"})
    found = invoice_sources.check(doc, CONTEXT)
    assert _ids(found) == ["invoice.qr_mismatch"]
    assert found[0].severity is Severity.ERROR and found[0].fields == ["invoice_number"]


def test_qr_amount_must_match_amount_or_total(invoice):
    assert invoice_sources.check(_with(invoice(), **{"qr.amount": "756.63"}), CONTEXT) == []  # 数电: the total
    assert invoice_sources.check(_with(invoice(), **{"qr.amount": "734.5900"}), CONTEXT) == []
    found = invoice_sources.check(_with(invoice(), **{"qr.amount": "735.59"}), CONTEXT)
    assert _ids(found) == ["invoice.qr_mismatch"]


def test_toll_invoice_kind_14_matches_qr_kind_10(invoice):
    assert invoice_sources.check(_with(invoice(invoice_kind="14"), **{"qr.kind": "10"}), CONTEXT) == []
    assert _ids(invoice_sources.check(_with(invoice(), **{"qr.kind": "01"}), CONTEXT)) == ["invoice.qr_mismatch"]


def test_embedded_data_disagreeing_is_an_error(invoice):
    doc = _with(
        invoice(), **{"embedded.seller_tax_id": "911201163409833308", "embedded.total_with_tax": "756.63"}
    )
    assert _ids(invoice_sources.check(doc, CONTEXT)) == ["invoice.embedded_mismatch"]


def test_red_letter_is_a_warning_naming_the_blue_invoice(invoice):
    doc = invoice(
        amount_without_tax="-734.59",
        tax_amount="-22.04",
        total_with_tax="-756.63",
        total_in_words="（负数）柒佰伍拾陆元陆角叁分",
        remarks="被红冲蓝字发票号码：23326470",
        items=[{"name": "*运输服务*客运服务费", "amount": "-734.59", "tax_rate": "3%", "tax": "-22.04"}],
    )
    found = invoice_red_letter.check(doc, CONTEXT)
    assert _ids(found) == ["invoice.red_letter"]
    assert found[0].severity is Severity.WARNING and found[0].values["blue_invoice"] == "23326470"
    assert _ids(check_document(doc, now=datetime(2018, 10, 1))) == ["invoice.red_letter"]


def test_red_letter_with_a_positive_amount_is_an_error(invoice):
    doc = invoice(total_with_tax="-756.63", total_in_words="（负数）柒佰伍拾陆元陆角叁分")
    assert _ids(invoice_red_letter.check(doc, CONTEXT)) == ["invoice.red_letter", "invoice.red_letter_sign"]
    assert invoice_red_letter.check(invoice(), CONTEXT) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        (
            {
                "invoice_kind": "32",
                "invoice_code": None,
                "invoice_number": "25120000000012345678",
                "check_code": "16707184549009707698",
            },
            "invoice.check_code_unexpected",
        ),
        ({"check_code": None}, "invoice.check_code_missing"),
        ({"machine_no": "6619123"}, "invoice.machine_no_format"),
        ({"invoice_code": "044001800211"}, "invoice.region_mismatch"),
    ],
)
def test_structure_rules_fire(invoice, changes, rule):
    assert rule in _ids(invoice_structure.check(invoice(**changes), CONTEXT))


def test_structure_rules_silent_on_clean(invoice):
    assert invoice_structure.check(invoice(machine_no="499099801283"), CONTEXT) == []


def test_invoice_key_and_duplicate_finding(invoice):
    assert invoice_key(invoice()) == "012001800211-23326471"
    digital = invoice(invoice_code=None, invoice_number="25120000000012345678")
    assert invoice_key(digital) == "25120000000012345678"
    assert invoice_key(invoice(invoice_code="0120018002")) == "0120018002-23326471"
    assert invoice_key(invoice(invoice_number="2332647")) is None  # misread: never matches another
    assert invoice_key(invoice(invoice_code=None)) is None
    found = duplicate_finding(
        "012001800211-23326471",
        other_application_id="app-7",
        other_client="某银行",
        link="/review/applications/app-7",
    )
    assert found.rule_id == "invoice.duplicate" and found.severity is Severity.ERROR
    assert "app-7" in found.message and "发票代码 012001800211" in found.message
    assert found.values["link"] == "/review/applications/app-7"
    assert "invoice.duplicate" in rule_ids()
