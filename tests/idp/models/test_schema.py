"""The document schema is the one home of the vocabulary: labels, synonyms, types, four-eyes flags, kinds."""

from __future__ import annotations

import pytest

from idp.models.schema import SCHEMAS, field_label, field_spec, four_eyes, infer_kind, kind_from_code
from idp.models.schema.spec import ConstraintKind
from idp.models.schema.values import ValueType


def test_every_kind_has_labelled_fields_items_and_constraints_that_name_real_fields():
    for kind, schema in SCHEMAS.items():
        assert schema.fields and schema.items and schema.constraints, kind
        for spec in (*schema.fields, *schema.items):
            assert spec.label and not spec.label.isascii(), (kind, spec.name)
        for constraint in schema.constraints:
            for name in (*constraint.fields, constraint.target):
                if name and constraint.kind not in (ConstraintKind.LINE_PRODUCT, ConstraintKind.LINE_TAX):
                    assert schema.field(name) is not None, (kind, constraint.id, name)
            if constraint.item_field:
                assert schema.item(constraint.item_field) is not None, (kind, constraint.id)


@pytest.mark.parametrize(("name", "kind", "label"), [
    ("items[0].price", "vat_invoice", "第1行 单价"), ("items[1].tax", "vat_invoice", "第2行 税额"),
    ("qr.invoice_number", "vat_invoice", "二维码·发票号码"), ("buyer_tax_id", "vat_invoice", "购买方纳税人识别号"),
    ("seller_name", "purchase_contract", "卖方名称"), ("seal_buyer", None, "买方盖章"),
    ("items[3].balance", "bank_statement", "第4行 余额"), ("no_such_field", None, "其他字段(no_such_field)"),
])
def test_labels_come_from_the_schema(name: str, kind: str | None, label: str):
    assert field_label(name, kind) == label


def test_money_ids_and_accounts_need_four_eyes_informational_does_not():
    assert four_eyes("total_with_tax", "vat_invoice") and four_eyes("items[2].amount", "vat_invoice")
    assert four_eyes("buyer_tax_id") and four_eyes("account_number", "bank_statement")
    assert not four_eyes("remarks", "vat_invoice") and not four_eyes("payment_terms", "purchase_contract")


def test_field_specs_normalise_and_compare_by_type():
    total = field_spec("total_with_tax", "vat_invoice")
    assert total is not None and total.type is ValueType.MONEY
    assert total.normalise("￥1,130.00") == "1130.00" and total.same("1130", "¥1,130.00")
    name = field_spec("buyer_name", "vat_invoice")
    assert name is not None and name.same("聚光科技(杭州)股份有限公司", "聚光科技（杭州）股份有限公司")
    number = field_spec("invoice_number", "vat_invoice")
    assert number is not None and number.normalise("1234 5678") == "12345678" and number.normalise("123") is None


@pytest.mark.parametrize(("title", "code", "number", "kind"), [
    ("电子发票（增值税专用发票）", None, "24442000000012345678", "31"),
    ("电子发票(普通发票)", None, "24442000000012345678", "32"),
    ("增值税专用发票", None, "24442000000012345678", "31"),  # an image of a 数电专票 whose title lost 电子发票
    ("增值税普通发票", None, "24442000000012345678", "32"),
    ("增值税电子普通发票", "011001900211", "12345678", "10"),
    ("增值税电子普通发票", "011001900112", "12345678", "14"),
    ("增值税专用发票", "1200154130", "03630024", "01"),
    (None, "1200154130", "03630024", "01"),
    ("天津增值普通发票", "012001800211", "23326471", "10"),  # 税电子 hidden by the 监制章 on a photo
    ("湖北增值普通发票", "042001700112", "07007198", "14"),
    ("增值税专用发票", "044031900113", "12345678", "08"),
    ("增值税普通发票", "044031900104", "12345678", "04"),  # a paper 普票's own code
])
def test_invoice_kind_from_title_refined_by_code_and_number(title, code, number, kind):
    found = infer_kind(title, code, number)
    assert found is not None and found[0] == kind


def test_invoice_code_structure():
    assert kind_from_code("012001800211") == "10" and kind_from_code("144031539110") == "10"
    assert kind_from_code("123") is None
