"""The tax authority's record confirms what it repeats exactly, once, and nothing it contradicts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from idp.models import DocumentKind, ExtractedDocument, ExtractedField, FieldSource
from idp.models.authority import InvoiceStatus, TaxInvoiceItem, TaxInvoiceRecord
from validators.confirmation import SOURCE_AGREES
from validators.confirmation.authority import TAX_AUTHORITY, confirm_by_record

READ = {
    "invoice_code": "012001800211",
    "invoice_number": "23326471",
    "issue_date": "2018-09-21",
    "buyer_name": "聚光科技（杭州）股份有限公司",
    "buyer_tax_id": "91330000734500338C",
    "seller_name": "天津滴滴出行科技有限公司",
    "seller_tax_id": "911201163409833307",
    "amount_without_tax": "734.59",
    "tax_amount": "22.04",
    "total_with_tax": "756.63",
    "total_in_words": "柒佰伍拾陆圆陆角叁分",
    "drawer": "王梅",
}
ITEM = {
    "name": "*运输服务*客运服务费",
    "quantity": "1",
    "price": "734.59",
    "amount": "734.59",
    "tax_rate": "3%",
    "tax": "22.04",
}


def _doc(**changes: str) -> ExtractedDocument:
    values = {**READ, **changes}
    fields = {
        k: ExtractedField(name=k, value=v, confidence=0.92, source=FieldSource.OCR) for k, v in values.items()
    }
    item = {
        k: ExtractedField(name=k, value=v, confidence=0.92, source=FieldSource.OCR) for k, v in ITEM.items()
    }
    return ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="t", fields=fields, items=[item])


def _record(**changes: object) -> TaxInvoiceRecord:
    base: dict[str, object] = {
        "kind": "10",
        "code": "012001800211",
        "number": "23326471",
        "issue_date": date(2018, 9, 21),
        "buyer_name": "聚光科技(杭州)股份有限公司",
        "buyer_tax_id": "91330000734500338C",
        "seller_name": "天津滴滴出行科技有限公司",
        "seller_tax_id": "911201163409833307",
        "amount_without_tax": Decimal("734.59"),
        "tax_amount": Decimal("22.04"),
        "total_with_tax": Decimal("756.63"),
        "status": InvoiceStatus.NORMAL,
        "items": [
            TaxInvoiceItem(
                name="*运输服务*客运服务费",
                quantity=Decimal("1"),
                unit_price=Decimal("734.59"),
                amount=Decimal("734.59"),
                tax_rate="3",
                tax_amount=Decimal("22.04"),
            )
        ],
    }
    return TaxInvoiceRecord(**{**base, **changes})


def test_every_value_the_record_repeats_is_raised_as_by_an_agreeing_source():
    out, names = confirm_by_record(_doc(), _record())
    sure = 1 - 0.08 * SOURCE_AGREES
    for name in (
        "invoice_number",
        "issue_date",
        "buyer_name",
        "seller_tax_id",
        "total_with_tax",
        "total_in_words",
    ):
        assert (
            out.fields[name].confidence == pytest.approx(sure)
            and TAX_AUTHORITY in out.fields[name].confirmed_by
        )
    assert out.items[0]["tax_rate"].confidence == pytest.approx(sure)  # "3%" read, "3" recorded
    assert "items[0].price" in names and "buyer_name" in names  # full-width brackets read, half-width on file
    assert out.fields["drawer"].confidence == 0.92 and "drawer" not in names  # the record has no drawer


def test_a_value_the_record_contradicts_is_left_as_read():
    out, names = confirm_by_record(
        _doc(total_with_tax="765.63", buyer_name="聚光科技股份有限公司"), _record()
    )
    assert out.fields["total_with_tax"].confidence == 0.92 and "total_with_tax" not in names
    assert "total_in_words" not in names  # words agree with the record only through a confirmed total
    assert out.fields["buyer_name"].confidence == 0.92  # a near match confirms nothing


def test_confirming_twice_raises_once():
    once, _ = confirm_by_record(_doc(), _record())
    twice, names = confirm_by_record(once, _record())
    assert twice.fields["invoice_number"].confidence == once.fields["invoice_number"].confidence
    assert twice.fields["invoice_number"].confirmed_by == [TAX_AUTHORITY] and "invoice_number" in names


def test_line_items_are_compared_only_when_both_sides_list_as_many():
    extra = TaxInvoiceItem(name="*运输服务*其他", amount=Decimal("1.00"))
    out, names = confirm_by_record(_doc(), _record(items=[*_record().items, extra]))
    assert not [n for n in names if n.startswith("items[")]
    assert out.items[0]["amount"].confidence == 0.92


def test_the_original_document_is_not_changed():
    doc = _doc()
    confirm_by_record(doc, _record())
    assert doc.fields["invoice_number"].confidence == 0.92 and doc.fields["invoice_number"].confirmed_by == []


def test_the_authoritys_record_settles_structural_suspicions_but_only_once_it_confirmed_the_invoice():
    from idp.models import Finding, Severity
    from validators.confirmation.authority import settle_suspicions

    def region() -> Finding:
        return Finding(rule_id="invoice.region_mismatch", severity=Severity.WARNING, message="地区不符")

    other = Finding(rule_id="invoice.amount_words", severity=Severity.ERROR, message="大写不符")
    findings = [region(), other]
    assert settle_suspicions(findings, ["invoice_number", "issue_date"]) == 0  # the seller not confirmed
    assert findings[0].severity is Severity.WARNING
    assert settle_suspicions(findings, ["invoice_number", "issue_date", "seller_tax_id", "total_with_tax"]) == 1
    assert findings[0].severity is Severity.INFO and "税务机关" in findings[0].message
    assert findings[1].severity is Severity.ERROR  # not a structural doubt: the record does not settle it


def test_a_value_a_settled_suspicion_capped_is_as_sure_as_a_suspect_value_the_record_confirms():
    from idp.models import Finding, Severity
    from validators.confirmation.authority import settle_suspicions
    from validators.confirmation.core import ERROR_CAP, SUSPECT_CAP

    doc = _doc()
    for name in ("invoice_code", "issue_date", "buyer_name"):
        doc.fields[name].confidence = ERROR_CAP  # capped by the code-year doubt (and, for the name, another)
    doc, confirmed = confirm_by_record(doc, _record())
    year = Finding(rule_id="invoice.code_year", severity=Severity.ERROR, message="代码年份晚于开票年份",
                   fields=["invoice_code", "issue_date"])
    assert settle_suspicions([year], confirmed, doc) == 1
    settled = 1 - (1 - SUSPECT_CAP) * SOURCE_AGREES
    assert doc.fields["invoice_code"].confidence == pytest.approx(settled) and settled >= 0.95
    assert doc.fields["issue_date"].confidence == pytest.approx(settled)
    assert doc.fields["buyer_name"].confidence < 0.95  # named by no settled finding: its cap stands


def test_the_record_confirms_a_kind_it_states_and_a_digital_kind_once_it_has_the_invoices_number():
    out, names = confirm_by_record(_doc(invoice_kind="10"), _record())
    assert "invoice_kind" in names and TAX_AUTHORITY in out.fields["invoice_kind"].confirmed_by
    # a record that does not state the kind (bundles.md's authority.json) confirms a 数电 kind by the number
    digital = {"invoice_code": "", "invoice_number": "24332000000005695979", "invoice_kind": "31"}
    record = {"kind": None, "code": None, "number": "24332000000005695979"}
    out, names = confirm_by_record(_doc(**digital), _record(**record))
    assert "invoice_kind" in names and out.fields["invoice_kind"].confidence > 0.95
    assert "专用/普通以票面名称为准" in out.fields["invoice_kind"].evidence[-1]
    # ... but not an older kind (its code and title say it, not the number), nor before the number is confirmed
    out, names = confirm_by_record(_doc(invoice_kind="10"), _record(kind=None))
    assert "invoice_kind" not in names
    out, names = confirm_by_record(_doc(**digital), _record(**record, seller_tax_id="91110000600037341L"))
    assert "invoice_kind" not in names
