"""Contract rules: silent on a consistent contract, each firing on its planted error, naming the values."""

from __future__ import annotations

from datetime import UTC, datetime

from idp.models import DocumentKind, ExtractedDocument, ExtractedField, Severity
from validators import check_document
from validators.rules import contract_arithmetic, contract_dates, contract_parties
from validators.rules.context import RuleContext

#: A clock for the families that do not read it (every family takes the same context).
CONTEXT = RuleContext(now=datetime(2025, 1, 1, tzinfo=UTC))

NOW = datetime(2024, 6, 1, tzinfo=UTC)
CLEAN = {
    "contract_number": "HT-2024-0315",
    "sign_date": "2024-03-01",
    "delivery_date": "2024-03-20",
    "valid_until": "2024-12-31",
    "buyer_name": "上海示例贸易有限公司",
    "buyer_tax_id": "91110000600037341L",
    "seller_name": "杭州样本电子科技有限公司",
    "seller_tax_id": "91330106MA2B3C4D5D",
    "total_amount": "12345.67",
    "total_in_words": "壹万贰仟叁佰肆拾伍元陆角柒分",
    "seal_buyer": "true",
    "seal_seller": "true",
    "signature_buyer": "true",
    "signature_seller": "true",
}
ITEMS = [
    {"name": "集成电路", "quantity": "500", "price": "20", "amount": "10000.00"},
    {"name": "电阻", "quantity": "3", "price": "781.89", "amount": "2345.67"},
]


def contract(items: list[dict[str, str]] | None = None, **changes: str | None) -> ExtractedDocument:
    values = {**CLEAN, **changes}
    return ExtractedDocument(
        kind=DocumentKind.PURCHASE_CONTRACT,
        extractor="test",
        fields={
            k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in values.items() if v is not None
        },
        items=[
            {k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in row.items()}
            for row in (ITEMS if items is None else items)
        ],
    )


def rules(doc: ExtractedDocument) -> list[str]:
    return sorted(f.rule_id for f in check_document(doc, now=NOW))


def test_clean_contract_is_silent():
    assert rules(contract()) == []


def test_lines_must_add_up_to_the_total():
    found = contract_arithmetic.check(
        contract(total_amount="12445.67", total_in_words="壹万贰仟肆佰肆拾伍元陆角柒分"), CONTEXT)
    assert [f.rule_id for f in found] == ["contract.items_total"]
    assert found[0].values["difference"] == "100.00" and found[0].severity is Severity.ERROR


def test_words_must_equal_figures():
    found = contract_arithmetic.check(contract(total_in_words="壹万贰仟叁佰肆拾陆元陆角柒分"), CONTEXT)
    assert [f.rule_id for f in found] == ["contract.amount_words"]
    assert "12346.67" in found[0].message and "12345.67" in found[0].message
    bad = contract_arithmetic.check(contract(total_in_words="壹万贰仟叁佰肆拾伍元陆角柒分整"), CONTEXT)
    assert [f.rule_id for f in bad] == ["contract.amount_words_format"]


def test_line_arithmetic_warns():
    rows = [
        {"name": "集成电路", "quantity": "500", "price": "20.5", "amount": "10000.00"},
        {"name": "电阻", "quantity": "3", "price": "781.89", "amount": "2345.67"},
    ]
    found = contract_arithmetic.check(contract(items=rows), CONTEXT)
    assert [(f.rule_id, f.severity) for f in found] == [("contract.item_arithmetic", Severity.WARNING)]


def test_party_ids_and_seals():
    found = contract_parties.check(
        contract(
            seller_tax_id="91330106MA2B3C4D5E",
            seal_buyer="false",
            signature_seller="false",
            seller_name="上海示例贸易有限公司",
        ), CONTEXT)
    assert sorted(f.rule_id for f in found) == [
        "contract.party_id_checksum",
        "contract.same_party",
        "contract.seal_missing",
        "contract.signature_missing",
    ]
    seal = next(f for f in found if f.rule_id == "contract.seal_missing")
    assert "上海示例贸易有限公司" in seal.message and seal.severity is Severity.ERROR
    assert [f.rule_id for f in contract_parties.check(contract(buyer_tax_id="9111000060003734"), CONTEXT)] == [
        "contract.party_id_format"
    ]
    assert "contract.seal_missing" in [f.rule_id for f in contract_parties.check(contract(seal_seller=None), CONTEXT)]


def test_dates_sane_and_ordered():
    assert contract_dates.check(contract(), RuleContext(now=NOW)) == []
    assert [
        f.rule_id
        for f in contract_dates.check(
            contract(sign_date="2024-07-01", delivery_date="2024-07-20", valid_until="2025-01-01"),
            RuleContext(now=NOW))
    ] == ["contract.date_future"]
    assert [f.rule_id for f in contract_dates.check(contract(delivery_date="2024-02-01"), RuleContext(now=NOW))] == [
        "contract.date_order"
    ]
    assert [f.rule_id for f in contract_dates.check(contract(valid_until="2024-05-01"), RuleContext(now=NOW))] == [
        "contract.expired"
    ]
    assert [f.rule_id for f in contract_dates.check(contract(sign_date=None), RuleContext(now=NOW))] == [
        "contract.date_missing"
    ]
