"""The default policy looks at every extracted value (line items too) and exempts a private buyer's tax id."""

from __future__ import annotations

from datetime import UTC, datetime

from idp.decision import decide
from idp.models import (
    Confirmation,
    Document,
    DocumentKind,
    DocumentStatus,
    ExtractedDocument,
    ExtractedField,
    FieldSource,
)
from idp.policy import DecisionPolicy

NOW = datetime(2025, 1, 1, tzinfo=UTC)
_VALUES = {
    "invoice_kind": "32",
    "invoice_number": "24120000000012345678",
    "issue_date": "2024-12-01",
    "buyer_name": "天津云帆科技有限公司",
    "buyer_tax_id": "91120116MA05XXXX0X",
    "seller_name": "天津恒达贸易有限公司",
    "seller_tax_id": "91120116MA05YYYY0Y",
    "amount_without_tax": "100.00",
    "tax_amount": "13.00",
    "total_with_tax": "113.00",
    "total_in_words": "壹佰壹拾叁圆整",
}


def _doc(item_confidence: float = 0.99, **changes: str | None) -> Document:
    values = {k: v for k, v in {**_VALUES, **changes}.items() if v is not None}
    fields = {k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in values.items()}
    fields["qr.invoice_number"] = ExtractedField(name="qr.invoice_number", value="x", confidence=0.2)
    item = {
        k: ExtractedField(name=k, value=v, confidence=item_confidence)
        for k, v in {"name": "*钢材*螺纹钢", "amount": "100.00", "tax": "13.00"}.items()
    }
    extraction = ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="t", fields=fields, items=[item])
    return Document(
        id="d",
        application_id="a",
        filename="f.pdf",
        sha256="0",
        size=1,
        kind=DocumentKind.VAT_INVOICE,
        status=DocumentStatus.EXTRACTED,
        extraction=extraction,
        created_at=NOW,
    )


def test_confident_invoice_passes_and_evidence_fields_are_not_output():
    assert decide([_doc()], DecisionPolicy(), now=NOW).outcome == "straight_through"


def test_an_unsure_line_item_value_stops_straight_through():
    decision = decide([_doc(item_confidence=0.9)], DecisionPolicy(), now=NOW)
    assert decision.outcome == "review"
    assert {r.fields[0] for r in decision.reasons} == {"items[0].name", "items[0].amount", "items[0].tax"}
    assert "第1行 项目名称" in decision.reasons[0].message
    lenient = DecisionPolicy(item_threshold=0.85)
    assert decide([_doc(item_confidence=0.9)], lenient, now=NOW).outcome == "straight_through"


def test_an_optional_field_is_checked_too():
    doc = _doc()
    doc.extraction.fields["check_code"] = ExtractedField(name="check_code", value="12345678901234567890",
                                                         confidence=0.9)
    reasons = decide([doc], DecisionPolicy(), now=NOW).reasons
    assert [(r.code, r.fields) for r in reasons] == [("field.low_confidence", ["check_code"])]
    assert decide([doc], DecisionPolicy(check_all_fields=False), now=NOW).outcome == "straight_through"


def test_a_check_code_gates_no_more_once_the_authority_has_confirmed_the_invoices_number_and_date():
    """The 校验码 is the credential verification asks for: with the invoice found and confirmed, it is shown."""
    doc = _doc()
    unsure = ExtractedField(name="check_code", value="06926048697890041273", confidence=0.88, source=FieldSource.OCR)
    doc.extraction.fields["check_code"] = unsure
    assert [r.fields for r in decide([doc], DecisionPolicy(), now=NOW).reasons] == [["check_code"]]
    doc.extraction.fields["invoice_number"].confirm(Confirmation.TAX_AUTHORITY, "税务机关查验记录载明")
    assert [r.fields for r in decide([doc], DecisionPolicy(), now=NOW).reasons] == [["check_code"]]  # date too
    doc.extraction.fields["issue_date"].confirm(Confirmation.TAX_AUTHORITY, "税务机关查验记录载明")
    assert decide([doc], DecisionPolicy(), now=NOW).outcome == "straight_through"


def test_informational_is_kept_but_gates_only_when_the_policy_names_it():
    doc = _doc()
    doc.extraction.fields["remarks"] = ExtractedField(name="remarks", value="订单号:1", confidence=0.6)
    assert decide([doc], DecisionPolicy(), now=NOW).outcome == "straight_through"
    strict = DecisionPolicy(gated_fields=["remarks"])
    assert [(r.code, r.fields) for r in decide([doc], strict, now=NOW).reasons] == [
        ("field.low_confidence", ["remarks"])]


def test_a_value_read_by_ocr_alone_never_passes_however_sure_the_engine_is():
    doc = _doc()
    sure = ExtractedField(name="seller_name", value="天津恒达贸易有限公司", confidence=0.99, source=FieldSource.OCR)
    doc.extraction.fields["seller_name"] = sure
    reasons = decide([doc], DecisionPolicy(), now=NOW).reasons
    assert [(r.code, r.fields) for r in reasons] == [("field.ocr_unconfirmed", ["seller_name"])]
    sure.confirm(Confirmation.REGISTRY, "工商登记名称一致")
    assert decide([doc], DecisionPolicy(), now=NOW).outcome == "straight_through"
    assert decide([doc], DecisionPolicy(ocr_needs_confirmation=False), now=NOW).outcome == "straight_through"


def test_private_buyer_needs_no_tax_id_but_a_company_does():
    assert (
        decide([_doc(buyer_name="个人", buyer_tax_id=None)], DecisionPolicy(), now=NOW).outcome
        == "straight_through"
    )
    reasons = decide([_doc(buyer_tax_id=None)], DecisionPolicy(), now=NOW).reasons
    assert [r.code for r in reasons] == ["field.missing"]


def _contract(**confirmed: bool) -> Document:
    values = {"sign_date": "2024-05-14", "buyer_name": "天津云帆科技有限公司", "buyer_tax_id": "91120116MA05XXXX0X",
              "seller_name": "天津恒达贸易有限公司", "seller_tax_id": "91120116MA05YYYY0Y",
              "total_amount": "113.00", "seal_buyer": "true", "seal_seller": "true"}
    fields = {k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in values.items()}
    for name, yes in confirmed.items():
        if yes:
            fields[name].confirm(Confirmation.REGISTRY, "工商登记一致")
    extraction = ExtractedDocument(kind=DocumentKind.PURCHASE_CONTRACT, extractor="t", fields=fields)
    return Document(id="c", application_id="a", filename="c.pdf", sha256="0", size=1,
                    kind=DocumentKind.PURCHASE_CONTRACT, status=DocumentStatus.EXTRACTED, extraction=extraction,
                    created_at=NOW)


def test_a_contracts_decisive_values_pass_only_when_something_independent_confirmed_them():
    decisive = ("buyer_name", "buyer_tax_id", "seller_name", "seller_tax_id", "total_amount")
    unsure = decide([_contract()], DecisionPolicy(), now=NOW)
    assert {r.code for r in unsure.reasons} == {"field.unconfirmed"}
    assert {f for r in unsure.reasons for f in r.fields} == set(decisive)  # seals are marks: exempt
    sure = _contract(**dict.fromkeys(decisive, True))
    assert decide([sure], DecisionPolicy(), now=NOW).outcome == "straight_through"
    assert decide([_contract()], DecisionPolicy(confirm_decisive=set()), now=NOW).outcome == "straight_through"


def test_a_scanned_statements_words_and_account_numbers_are_shown_but_gate_only_when_named():
    """摘要, counterparties and the account number on a scan are OCR alone (0.93): no check of the decision rests
    on them (the red-flag rules read them leniently), so they wait for a person only under a policy naming them."""
    fields = {"account_holder": ExtractedField(name="account_holder", value="天津云帆科技有限公司", confidence=0.99),
              "account_number": ExtractedField(name="account_number", value="6222020200112233445", confidence=0.93,
                                               source=FieldSource.OCR)}
    fields["account_holder"].confirm(Confirmation.REGISTRY, "工商登记名称一致")
    row = {"date": ExtractedField(name="date", value="2024-03-01", confidence=0.99),
           "description": ExtractedField(name="description", value="货款", confidence=0.93, source=FieldSource.OCR),
           "counterparty_name": ExtractedField(name="counterparty_name", value="天津恒达贸易有限公司",
                                               confidence=0.93, source=FieldSource.OCR)}
    extraction = ExtractedDocument(kind=DocumentKind.BANK_STATEMENT, extractor="t", fields=fields, items=[row])
    doc = Document(id="s", application_id="a", filename="s.pdf", sha256="0", size=1,
                   kind=DocumentKind.BANK_STATEMENT, status=DocumentStatus.EXTRACTED, extraction=extraction,
                   created_at=NOW)
    assert decide([doc], DecisionPolicy(), now=NOW).outcome == "straight_through"
    strict = DecisionPolicy(gated_fields=["account_number", "items.counterparty_name"])
    assert {f for r in decide([doc], strict, now=NOW).reasons for f in r.fields} == {
        "account_number", "items[0].counterparty_name"}


def _statement_with_a_first_amount_nothing_confirms() -> Document:
    fields = {"account_holder": ExtractedField(name="account_holder", value="天津云帆科技有限公司", confidence=0.99)}
    fields["account_holder"].confirm(Confirmation.REGISTRY, "工商登记名称一致")

    def row(amount: str, balance: str, confirmed: bool) -> dict[str, ExtractedField]:
        out = {"date": ExtractedField(name="date", value="2024-03-01", confidence=0.99),
               "amount": ExtractedField(name="amount", value=amount, confidence=0.97, source=FieldSource.OCR),
               "balance": ExtractedField(name="balance", value=balance, confidence=0.99)}
        if confirmed:
            out["amount"].confirm(Confirmation.ARITHMETIC, "上一笔余额 + 本笔发生额 = 本笔余额")
        return out

    items = [row("8000.00", "58000.00", confirmed=False), row("113000.00", "171000.00", confirmed=True)]
    extraction = ExtractedDocument(kind=DocumentKind.BANK_STATEMENT, extractor="t", fields=fields, items=items)
    return Document(id="s", application_id="a", filename="s.pdf", sha256="0", size=1,
                    kind=DocumentKind.BANK_STATEMENT, status=DocumentStatus.EXTRACTED, extraction=extraction,
                    created_at=NOW)


def test_a_statement_amount_gates_only_where_the_decision_takes_its_row_as_a_payment():
    """The first row's amount (OCR, no opening balance to chain it) pays no invoice: no rule uses it, so it is
    shown and does not hold the application; taken as an invoice's payment, or judged alone, it holds."""
    doc = _statement_with_a_first_amount_nothing_confirms()
    assert decide([doc], DecisionPolicy(), now=NOW, payments={"s": {1}}).outcome == "straight_through"
    held = decide([doc], DecisionPolicy(), now=NOW, payments={"s": {0, 1}})
    assert [f for r in held.reasons for f in r.fields] == ["items[0].amount"]
    assert decide([doc], DecisionPolicy(), now=NOW).outcome == "review"  # alone: nothing says what it is for
    strict = DecisionPolicy(unmatched_amounts_gate=True)
    assert decide([doc], strict, now=NOW, payments={"s": {1}}).outcome == "review"
