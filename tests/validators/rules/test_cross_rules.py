"""Cross-document rules: each fires on its planted inconsistency and stays silent on the clean case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from idp.models import Borrower, DocumentKind, ExtractedDocument, ExtractedField, Period
from idp.models.authority import (
    CompanyRecord,
    CompanyStatus,
    InvoiceStatus,
    TaxInvoiceRecord,
    VerificationOutcome,
    VerificationStatus,
)
from idp.models.case import CaseDocument, CaseFile
from validators.rules.cross_case import check_case
from validators.rules.cross_payments import PaymentState, match_payments, payment_rows

BORROWER = Borrower(name="成都德弘工贸有限公司", uscc="915101160305029170")
BUYER = ("四川蓉欣建材有限公司", "91510100MA61R6XG0H")
NOW = datetime(2024, 8, 1, tzinfo=UTC)


def _f(values: dict[str, str | None]) -> dict[str, ExtractedField]:
    return {k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in values.items()}


def _doc(id_: str, kind: DocumentKind, fields: dict[str, str | None], items: list[dict[str, str]] | None = None):
    ex = ExtractedDocument(kind=kind, extractor="test", fields=_f(fields), items=[_f(i) for i in items or []])
    return CaseDocument(id=id_, filename=f"{id_}.pdf", extraction=ex)


def contract(**over: str | None) -> CaseDocument:
    fields = {"contract_number": "HT-1", "sign_date": "2024-05-14", "seller_name": BORROWER.name,
              "seller_tax_id": BORROWER.uscc, "buyer_name": BUYER[0], "buyer_tax_id": BUYER[1],
              "total_amount": "226000.00", "valid_until": "2024-12-31", **over}
    return _doc("contract", DocumentKind.PURCHASE_CONTRACT, fields, [{"name": "螺纹钢 HRB400"}])


def invoice(id_: str = "inv1", **over: str | None) -> CaseDocument:
    fields = {"invoice_number": "24512000000012345678", "issue_date": "2024-05-20", "seller_name": BORROWER.name,
              "seller_tax_id": BORROWER.uscc, "buyer_name": BUYER[0], "buyer_tax_id": BUYER[1],
              "amount_without_tax": "100000.00", "tax_amount": "13000.00", "total_with_tax": "113000.00", **over}
    return _doc(id_, DocumentKind.VAT_INVOICE, fields, [{"name": "*钢材*螺纹钢"}])


def statement(rows: list[tuple[str, str, str]], **over: str | None) -> CaseDocument:
    fields = {"account_holder": BORROWER.name, "account_number": "6222", "period_start": "2024-01-01",
              "period_end": "2024-06-30", **over}
    items = [{"date": d, "amount": a, "counterparty_name": c} for d, a, c in rows]
    return _doc("stmt", DocumentKind.BANK_STATEMENT, fields, items)


def _company(name: str, uscc: str, status: str = "存续", former: list[str] | None = None) -> CompanyRecord:
    return CompanyRecord(name=name, uscc=uscc, status_raw=status, status=CompanyStatus.ACTIVE if status == "存续"
                         else CompanyStatus.CANCELLED, former_names=former or [], source="test", fetched_at=NOW)


def _verified(inv: CaseDocument, status: InvoiceStatus = InvoiceStatus.NORMAL, **over) -> VerificationOutcome:
    ex = inv.extraction
    record = TaxInvoiceRecord(number=ex.value("invoice_number") or "",
                              issue_date=date.fromisoformat(ex.value("issue_date")),
                              seller_tax_id=ex.value("seller_tax_id"), buyer_tax_id=ex.value("buyer_tax_id"),
                              seller_name=ex.value("seller_name"), buyer_name=ex.value("buyer_name"),
                              amount_without_tax=Decimal(ex.value("amount_without_tax")),
                              tax_amount=Decimal(ex.value("tax_amount")),
                              total_with_tax=Decimal(ex.value("total_with_tax")), status=status, **over)
    return VerificationOutcome(status=VerificationStatus.FOUND, record=record, provider="test", checked_at=NOW)


def clean_case(**over) -> CaseFile:
    inv1 = invoice()
    inv2 = invoice("inv2", invoice_number="24512000000012345679", issue_date="2024-06-03")
    stmt = statement([("2024-05-25", "113000.00", BUYER[0]), ("2024-06-30", "60000.00", "四川蓉欣建材有限公司"),
                      ("2024-07-02", "53000.00", BUYER[0])], period_end="2024-07-31")
    docs = [contract(), inv1, inv2, stmt]
    base = {"borrower": BORROWER, "statement_period": Period(start=date(2024, 1, 1), end=date(2024, 6, 30)),
                "documents": docs, "verifications": {"inv1": _verified(inv1), "inv2": _verified(inv2)},
                "companies": {BORROWER.uscc: _company(BORROWER.name, BORROWER.uscc),
                           BUYER[1]: _company(BUYER[0], BUYER[1])}}
    base.update(over)
    return CaseFile(**base)


def _rules(case: CaseFile) -> set[str]:
    return {f.rule_id for f in check_case(case)}


def test_clean_case_raises_nothing_and_instalments_count_as_paid():
    case = clean_case()
    assert _rules(case) == set()
    states = {r.invoice_id: r.state for r in match_payments(case)}
    assert states == {"inv1": PaymentState.PAID, "inv2": PaymentState.PAID}


def test_the_rows_taken_as_payments_are_those_settling_an_invoice_and_no_other():
    case = _replace(clean_case(), statement([("2024-05-02", "8000.00", "成都某某物流有限公司"),
                                             ("2024-05-25", "113000.00", BUYER[0]),
                                             ("2024-06-30", "60000.00", BUYER[0]),
                                             ("2024-07-02", "53000.00", BUYER[0])], period_end="2024-07-31"))
    assert payment_rows(case) == {"stmt": {1, 2, 3}}


def test_name_variants_and_former_names_are_the_same_company():
    case = clean_case(companies={
        BORROWER.uscc: _company("成都德弘工贸有限责任公司", BORROWER.uscc),
        BUYER[1]: _company("四川蓉欣新材料有限公司", BUYER[1], former=["四川蓉欣建材有限公司"]),
    })
    assert _rules(case) == set()


def _replace(case: CaseFile, doc: CaseDocument) -> CaseFile:
    return case.model_copy(update={"documents": [doc if d.id == doc.id else d for d in case.documents]})


def test_borrower_not_party_to_contract():
    case = _replace(clean_case(), contract(seller_name="别的公司", seller_tax_id="91110000600037341L"))
    assert "cross.borrower_not_party" in _rules(case)


def test_statement_of_someone_else():
    case = clean_case()
    stmt = next(d for d in case.documents if d.id == "stmt")
    other = stmt.model_copy(update={"extraction": stmt.extraction.model_copy(update={"fields": {
        **stmt.extraction.fields,
        "account_holder": ExtractedField(name="account_holder", value="他人公司", confidence=1)}})})
    assert "cross.borrower_not_party" in _rules(_replace(case, other))


def test_an_invoice_only_application_needs_the_borrower_on_each_invoice():
    alone = clean_case(documents=[invoice()])
    assert "cross.borrower_not_party" not in _rules(alone)
    stranger = invoice(seller_name="别的公司", seller_tax_id="91110000600037341L")
    found = [f for f in check_case(clean_case(documents=[stranger])) if f.rule_id == "cross.borrower_not_party"]
    assert [f.document_id for f in found] == ["inv1"]
    # with a contract, invoices are checked against its parties instead (no second report)
    with_contract = _replace(clean_case(), stranger)
    assert [f.rule_id for f in check_case(with_contract) if "inv1" in f.documents].count(
        "cross.borrower_not_party") == 0


def test_invoice_party_mismatch():
    case = _replace(clean_case(), invoice(buyer_name="另一买方有限公司", buyer_tax_id="91110000600037341L"))
    assert "cross.invoice_party_mismatch" in _rules(case)


def test_a_tax_id_misread_under_a_stamp_is_no_other_party_the_names_decide():
    """A scanned contract's buyer id read with its last character lost (17 characters, no valid id): the
    invoices are still between the contract's parties; the id's own low confidence holds it for a person."""
    valid = "91510100MA61R6XG0B"
    case = clean_case(documents=[contract(buyer_tax_id=valid), invoice(buyer_tax_id=valid)])
    assert "cross.invoice_party_mismatch" not in _rules(case)
    lost = _replace(case, contract(buyer_tax_id=valid[:-1]))  # 91510100MA61R6XG0: no valid id
    assert "cross.invoice_party_mismatch" not in _rules(lost)
    # a valid id of another company is another party, whatever the name
    other = _replace(case, contract(buyer_tax_id="91110000600037341L"))
    assert "cross.invoice_party_mismatch" in _rules(other)


def test_invoice_before_contract_and_goods_mismatch():
    case = _replace(clean_case(), invoice(issue_date="2024-04-30"))
    assert "cross.invoice_before_contract" in _rules(case)
    goods = invoice()
    goods.extraction.items[0]["name"] = ExtractedField(name="name", value="*餐饮服务*餐费", confidence=1)
    assert "cross.invoice_goods_mismatch" in _rules(_replace(clean_case(), goods))


def test_invoices_exceeding_the_contract():
    case = _replace(clean_case(), contract(total_amount="200000.00"))
    assert "cross.invoice_exceeds_contract" in _rules(case)


def test_unpaid_invoice_and_short_period():
    case = clean_case()
    stmt = statement([("2024-05-25", "113000.00", BUYER[0])], period_end="2024-05-31")
    rules = _rules(_replace(case, stmt))
    assert {"cross.invoice_unpaid", "cross.statement_period_short"} <= rules


def test_payment_on_the_last_day_of_the_window_counts():
    case = clean_case()
    stmt = statement([("2024-08-18", "113000.00", BUYER[0]), ("2024-06-10", "113000.00", BUYER[0])])
    # inv1 2024-05-20 + 90 days = 2024-08-18 (inclusive); inv2 paid on 06-10
    assert "cross.invoice_unpaid" not in _rules(_replace(case, stmt))


def test_authority_not_found_not_normal_and_mismatch():
    case = clean_case()
    inv1 = next(d for d in case.documents if d.id == "inv1")
    missing = VerificationOutcome(status=VerificationStatus.NOT_FOUND, provider="t", checked_at=NOW)
    assert "authority.invoice_not_found" in _rules(case.model_copy(update={"verifications": {"inv1": missing}}))
    void = _verified(inv1, InvoiceStatus.VOID)
    assert "authority.invoice_not_normal" in _rules(case.model_copy(update={"verifications": {"inv1": void}}))
    other = _verified(inv1)
    other.record.total_with_tax = Decimal("131000.00")
    found = _rules(case.model_copy(update={"verifications": {"inv1": other}}))
    assert "authority.invoice_authority_mismatch" in found


def test_company_not_active_name_mismatch_and_duplicate():
    case = clean_case(companies={BORROWER.uscc: _company(BORROWER.name, BORROWER.uscc, status="注销"),
                                 BUYER[1]: _company("完全不同的公司", BUYER[1])})
    rules = _rules(case)
    assert {"cross.company_not_active", "cross.company_name_mismatch"} <= rules
    assert "invoice.duplicate" in _rules(clean_case(duplicates={"inv1": ["A-2"]}))


def _holder(case: CaseFile, name: str) -> CaseFile:
    stmt = next(d for d in case.documents if d.id == "stmt")
    holder = ExtractedField(name="account_holder", value=name, confidence=1)
    fields = {**stmt.extraction.fields, "account_holder": holder}
    extraction = stmt.extraction.model_copy(update={"fields": fields})
    return _replace(case, stmt.model_copy(update={"extraction": extraction}))


def test_statement_under_the_borrowers_former_name_is_the_borrower():
    # the application uses the new name; the bank still prints the old one
    renamed_to = "成都德弘新材料有限公司"
    companies = {BORROWER.uscc: _company(renamed_to, BORROWER.uscc, former=[BORROWER.name]),
                 BUYER[1]: _company(BUYER[0], BUYER[1])}
    case = clean_case(borrower=BORROWER.model_copy(update={"name": renamed_to}), companies=companies)
    assert "cross.borrower_not_party" not in _rules(case)
    # a holder the registry never knew for this code is still someone else
    assert "cross.borrower_not_party" in _rules(_holder(case, "成都德弘商贸有限公司"))
    # without a registry answer only the application's name counts
    unknown = case.model_copy(update={"companies": {}})
    assert "cross.borrower_not_party" in _rules(unknown)


def _with_items(doc: CaseDocument, items: list[dict[str, str]]) -> CaseDocument:
    rows = [{k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in i.items()} for i in items]
    return doc.model_copy(update={"extraction": doc.extraction.model_copy(update={"items": rows})})


def test_every_invoice_line_must_be_contract_goods_in_the_same_unit():
    steel = {"name": "螺纹钢", "unit": "吨"}
    base = _replace(clean_case(), _with_items(contract(), [steel]))

    def goods_rules(items: list[dict[str, str]]) -> set[str]:
        return {r for r in _rules(_replace(base, _with_items(invoice(), items))) if r.endswith("goods_mismatch")}

    assert goods_rules([{"name": "*钢材*螺纹钢", "unit": "t"}]) == set()  # 吨 written as t
    assert goods_rules([{"name": "*钢材*螺纹钢"}]) == set()  # no unit read: the name decides
    assert goods_rules([{"name": "*钢材*螺纹钢", "unit": "TON 吨"}]) == set()  # an English gloss beside 吨
    assert goods_rules([{"name": "*钢材*螺纹钢", "unit": "kg"}]) == {"cross.invoice_goods_mismatch"}
    # a related product billed in another unit (a coupler for rebar, counted in pieces) is other goods
    assert goods_rules([{"name": "*金属制品*螺纹钢套筒", "unit": "个"}]) == {"cross.invoice_goods_mismatch"}
    # one contract line does not cover a foreign line on the same invoice
    mixed = [{"name": "*钢材*螺纹钢", "unit": "吨"}, {"name": "*餐饮服务*餐费", "unit": "次"}]
    assert goods_rules(mixed) == {"cross.invoice_goods_mismatch"}


def test_a_unit_read_unsure_is_no_evidence_of_other_goods_but_a_sure_one_is():
    base = _replace(clean_case(), _with_items(contract(), [{"name": "螺纹钢", "unit": "吨"}]))
    misread = _with_items(invoice(), [{"name": "*钢材*螺纹钢", "unit": "屯"}])  # OCR's 吨 → 屯
    misread.extraction.items[0]["unit"].confidence = 0.59
    assert not {r for r in _rules(_replace(base, misread)) if r.endswith("goods_mismatch")}
    misread.extraction.items[0]["unit"].confidence = 0.9
    assert "cross.invoice_goods_mismatch" in _rules(_replace(base, misread))


def test_a_dimension_printed_with_a_times_sign_typed_as_a_star_or_read_as_x_is_one_spec():
    from validators.rules.cross_invoices import goods_name

    assert goods_name("YJV 4×35") == goods_name("YJV4*35") == goods_name("YJV 4x35") == goods_name("YJV 4X35")
    assert goods_name("*电线电缆*电力电缆") == goods_name("电力电缆")
    assert goods_name("YJV 4×35") != goods_name("YJV 4×50")


def test_an_invoice_whose_parties_were_not_read_is_no_party_mismatch():
    """A scan that lost the form's labels gave an invoice with no buyer or seller: missing values hold it for a
    person; they are not other companies (it had raised invoice-party-mismatch and borrower-not-party)."""
    unread = invoice(seller_name=None, seller_tax_id=None, buyer_name=None, buyer_tax_id=None)
    assert not {"cross.invoice_party_mismatch", "cross.borrower_not_party"} & _rules(_replace(clean_case(), unread))
    alone = [f.rule_id for f in check_case(clean_case(documents=[unread]))]
    assert "cross.borrower_not_party" not in alone
    half = invoice(seller_name=None, seller_tax_id=None, buyer_name="另一买方有限公司", buyer_tax_id=None)
    assert "cross.invoice_party_mismatch" in _rules(_replace(clean_case(), half))
