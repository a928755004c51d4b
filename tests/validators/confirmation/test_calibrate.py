"""Confidence combination: agreeing sources and holding checks raise it, disagreement and findings cap it."""

from __future__ import annotations

from datetime import datetime

import pytest

from idp.models import (
    BBox,
    Confirmation,
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    FieldSource,
    Finding,
    Severity,
)
from validators import check_document, validate_document
from validators.confirmation import CHECK_HOLDS, DISAGREES_CAP, ERROR_CAP, SOURCE_AGREES, calibrate

#: A consistent invoice as an OCR read would give it (0.9 everywhere).
VALUES = {
    "invoice_kind": "10",
    "invoice_code": "012001800211",
    "invoice_number": "23326471",
    "issue_date": "2018-09-21",
    "check_code": "16707184549009707698",
    "buyer_name": "聚光科技（杭州）股份有限公司",
    "buyer_tax_id": "91330000734500338C",
    "seller_tax_id": "911201163409833307",
    "amount_without_tax": "734.59",
    "tax_amount": "22.04",
    "total_with_tax": "756.63",
    "total_in_words": "柒佰伍拾陆元陆角叁分",
}
ITEM = {
    "name": "*运输服务*客运服务费",
    "quantity": "1",
    "price": "734.59",
    "amount": "734.59",
    "tax_rate": "3%",
    "tax": "22.04",
}


def _doc(confidence: float = 0.9, **extra: str) -> ExtractedDocument:
    fields = {
        k: ExtractedField(name=k, value=v, confidence=confidence, source=FieldSource.OCR, bbox=None)
        for k, v in {**VALUES, **extra}.items()
    }
    for name in extra:
        if name.startswith("qr."):
            fields[name].source = FieldSource.QR_CODE
    item = {
        k: ExtractedField(name=k, value=v, confidence=confidence, source=FieldSource.OCR)
        for k, v in ITEM.items()
    }
    return ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="t", fields=fields, items=[item])


def _after(doc: ExtractedDocument) -> ExtractedDocument:
    return calibrate(doc, check_document(doc, now=datetime(2018, 10, 1)))


def test_arithmetic_that_holds_raises_the_totals():
    out = _after(_doc())
    # amount + tax = total, items sum to the totals: two checks
    assert out.fields["amount_without_tax"].confidence == pytest.approx(1 - 0.1 * CHECK_HOLDS * CHECK_HOLDS)
    # the total also agrees with its 大写 form: three
    assert out.fields["total_with_tax"].confidence == pytest.approx(1 - 0.1 * CHECK_HOLDS**2)
    assert out.fields["total_in_words"].confidence == pytest.approx(1 - 0.1 * CHECK_HOLDS)
    assert out.items[0]["quantity"].confidence == pytest.approx(1 - 0.1 * CHECK_HOLDS)


def test_a_name_nothing_confirms_keeps_its_reading_confidence():
    out = _after(_doc())
    assert out.fields["buyer_name"].confidence == pytest.approx(0.9)
    assert out.items[0]["name"].confidence == pytest.approx(0.9)


def test_a_valid_uscc_check_character_confirms_the_id():
    out = _after(_doc())
    assert out.fields["buyer_tax_id"].confidence == pytest.approx(1 - 0.1 * CHECK_HOLDS)


def test_qr_agreement_raises_and_disagreement_caps():
    agree = _after(_doc(**{"qr.invoice_number": "23326471", "qr.kind": "10"}))
    assert agree.fields["invoice_number"].confidence == pytest.approx(1 - 0.1 * SOURCE_AGREES)
    disagree = _after(_doc(**{"qr.invoice_number": "23326477"}))
    assert disagree.fields["invoice_number"].confidence <= min(DISAGREES_CAP, ERROR_CAP)


def test_an_error_finding_caps_the_fields_it_names_and_only_those():
    doc = _doc(total_in_words="柒佰伍拾陆元陆角肆分")
    out = _after(doc)
    assert out.fields["total_in_words"].confidence <= ERROR_CAP
    assert out.fields["total_with_tax"].confidence <= ERROR_CAP
    assert out.fields["invoice_code"].confidence > ERROR_CAP


def test_item_findings_reach_the_item_field():
    doc = _doc()
    finding = Finding(
        rule_id="invoice.line_tax", severity=Severity.ERROR, message="x", fields=["items[0].tax"]
    )
    assert calibrate(doc, [finding]).items[0]["tax"].confidence == ERROR_CAP


def test_validate_document_returns_a_calibrated_copy():
    doc = _doc()
    out, findings = validate_document(doc, now=datetime(2018, 10, 1))
    assert findings == [] and out is not doc
    assert doc.fields["total_with_tax"].confidence == 0.9  # the input is not changed
    assert out.fields["total_with_tax"].confidence > 0.99


def test_a_value_copied_from_the_qr_code_is_not_its_own_confirmation():
    doc = _doc(**{"qr.check_code": "16707184549009707698"})
    copy = doc.fields["qr.check_code"].model_copy(update={"name": "check_code", "confidence": 0.9})
    doc.fields["check_code"] = copy
    assert calibrate(doc, []).fields["check_code"].confidence == pytest.approx(0.9)
    doc.fields["check_code"] = copy.model_copy(update={"source": FieldSource.OCR})  # read on the page too
    assert calibrate(doc, []).fields["check_code"].confidence == pytest.approx(1 - 0.1 * SOURCE_AGREES)


def test_a_derived_value_is_not_confirmed_by_the_identity_it_came_from():
    doc = _doc()
    doc.items[0]["quantity"] = doc.items[0]["quantity"].model_copy(
        update={"source": FieldSource.DERIVED, "confidence": 0.8}
    )
    out = calibrate(doc, [])
    assert out.items[0]["quantity"].confidence == 0.8
    assert out.items[0]["price"].confidence > 0.9


def _contract(sign_date: str, reprint: str) -> ExtractedDocument:
    fields = {name: ExtractedField(name=name, value=value, confidence=0.9, source=FieldSource.OCR,
                                   bbox=BBox(x0=0.1, y0=0.1 + 0.5 * i, x1=0.4, y1=0.15 + 0.5 * i))
              for i, (name, value) in enumerate((("sign_date", sign_date), ("reprint.sign_date", reprint)))}
    return ExtractedDocument(kind=DocumentKind.PURCHASE_CONTRACT, extractor="t", fields=fields)


def test_a_signing_date_the_page_prints_again_the_same_is_confirmed_as_reprinted_and_a_different_one_capped():
    same = calibrate(_contract("2024-03-05", "2024-03-05"), [])
    field = same.fields["sign_date"]
    assert field.confirmed_by == [str(Confirmation.REPRINTED)]
    assert field.confidence == pytest.approx(1 - 0.1 * CHECK_HOLDS)  # the same reader twice: an identity's factor
    assert any("另一处印刷" in line for line in field.evidence)
    other = calibrate(_contract("2024-03-05", "2024-08-05"), [])
    assert other.fields["sign_date"].confirmed_by == [] and other.fields["sign_date"].confidence <= DISAGREES_CAP


def test_a_kind_the_title_and_the_code_both_print_is_confirmed_and_one_they_differ_on_is_not():
    agree = _after(_doc(invoice_title="天津增值税电子普通发票"))
    assert agree.fields["invoice_kind"].confirmed_by == [str(Confirmation.REPRINTED)]
    assert agree.fields["invoice_kind"].confidence > 0.95
    differ = _after(_doc(invoice_title="天津增值税电子专用发票"))  # the code 0120018002|11| says 电子普票
    assert not differ.fields["invoice_kind"].confirmed_by
