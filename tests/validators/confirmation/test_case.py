"""Confirmation from outside a document: the registry, another document of the application, the application."""

from __future__ import annotations

from datetime import UTC, date, datetime

from idp.models import (
    Application,
    ApplicationStatus,
    Borrower,
    Confirmation,
    Document,
    DocumentKind,
    DocumentStatus,
    ExtractedDocument,
    ExtractedField,
    Period,
)
from idp.models.authority import CompanyRecord, CompanyStatus
from idp.models.case import CaseDocument, CaseFile
from validators.confirmation.case import confirm_case

NOW = datetime(2024, 8, 1, tzinfo=UTC)
BORROWER = Borrower(name="成都德弘工贸有限公司", uscc="915101160305029170")
BUYER = ("四川蓉欣建材有限公司", "91510100MA61R6XG0H")


def _doc(id_: str, kind: DocumentKind, **values: str) -> Document:
    fields = {k: ExtractedField(name=k, value=v, confidence=0.9) for k, v in values.items()}
    return Document(id=id_, application_id="a", filename=f"{id_}.pdf", sha256="0", size=1, kind=kind,
                    status=DocumentStatus.EXTRACTED, created_at=NOW,
                    extraction=ExtractedDocument(kind=kind, extractor="t", fields=fields))


def _line(**values: str) -> dict[str, ExtractedField]:
    """A goods line read at 0.9 everywhere."""
    return {k: ExtractedField(name=k, value=v, confidence=0.9) for k, v in values.items()}


def _app(period: Period | None = None) -> Application:
    return Application(id="a", client_id="c", borrower=BORROWER, product="p", statement_period=period,
                       status=ApplicationStatus.DECIDING, created_at=NOW, updated_at=NOW)


def _company(name: str, uscc: str, former: list[str] | None = None, rep: str | None = None) -> CompanyRecord:
    return CompanyRecord(name=name, uscc=uscc, former_names=former or [], legal_rep=rep,
                         status=CompanyStatus.ACTIVE, source="t", fetched_at=NOW)


def _case(docs: list[Document], **companies: CompanyRecord) -> CaseFile:
    return CaseFile(borrower=BORROWER, companies={c.uscc: c for c in companies.values() if c.uscc})


def test_the_registry_confirms_a_party_by_name_and_code_and_its_legal_representative():
    contract = _doc("c", DocumentKind.PURCHASE_CONTRACT, seller_name=BORROWER.name, seller_tax_id=BORROWER.uscc,
                    seller_legal_rep="张伟", buyer_name="别的名字有限公司", buyer_tax_id=BUYER[1])
    case = _case([contract], b=_company(BORROWER.name, BORROWER.uscc, rep="张伟"), s=_company(*BUYER))
    assert confirm_case(_app(), [contract], case) == [contract]
    fields = contract.extraction.fields
    assert str(Confirmation.REGISTRY) in fields["seller_name"].confirmed_by
    assert str(Confirmation.REGISTRY) in fields["seller_legal_rep"].confirmed_by
    # a name the registry does not hold for that code confirms neither the name nor the code
    assert fields["buyer_name"].confirmed_by == [] and fields["buyer_tax_id"].confirmed_by == []


def test_a_statement_under_the_borrowers_former_name_is_confirmed_by_the_registry():
    statement = _doc("s", DocumentKind.BANK_STATEMENT, account_holder="成都德弘商贸有限公司")
    case = _case([statement], b=_company(BORROWER.name, BORROWER.uscc, former=["成都德弘商贸有限公司"]))
    confirm_case(_app(), [statement], case)
    assert str(Confirmation.REGISTRY) in statement.extraction.fields["account_holder"].confirmed_by
    stranger = _doc("t", DocumentKind.BANK_STATEMENT, account_holder="他人公司")
    confirm_case(_app(), [stranger], case)
    assert stranger.extraction.fields["account_holder"].confirmed_by == []


def test_the_application_confirms_the_borrower_and_the_period_it_asked_for():
    period = Period(start=date(2024, 1, 1), end=date(2024, 6, 30))
    statement = _doc("s", DocumentKind.BANK_STATEMENT, account_holder=BORROWER.name, period_start="2024-01-01",
                     period_end="2024-07-31")
    confirm_case(_app(period), [statement], _case([statement]))
    fields = statement.extraction.fields
    assert fields["account_holder"].confirmed_by == [str(Confirmation.APPLICATION)]
    assert fields["period_start"].confirmed_by and fields["period_end"].confirmed_by == []


def test_another_document_confirms_the_parties_it_names_alike_and_the_invoices_sum_confirms_the_total():
    contract = _doc("c", DocumentKind.PURCHASE_CONTRACT, buyer_name=BUYER[0], buyer_tax_id=BUYER[1],
                    total_amount="226000.00")
    inv1 = _doc("i1", DocumentKind.VAT_INVOICE, buyer_name="四川蓉欣建材有限公司", buyer_tax_id=BUYER[1],
                total_with_tax="113000.00")
    inv2 = _doc("i2", DocumentKind.VAT_INVOICE, buyer_name=BUYER[0], buyer_tax_id=BUYER[1],
                total_with_tax="113000.00")
    confirm_case(_app(), [contract, inv1, inv2], _case([]))
    fields = contract.extraction.fields
    assert str(Confirmation.OTHER_DOCUMENT) in fields["buyer_name"].confirmed_by
    assert fields["total_amount"].confirmed_by == [str(Confirmation.OTHER_DOCUMENT)]
    assert fields["total_amount"].confidence > 0.98


def test_a_party_printed_without_its_code_is_confirmed_by_a_registered_name_of_the_case():
    contract = _doc("c", DocumentKind.PURCHASE_CONTRACT, seller_name=BORROWER.name, buyer_name="四川蓉欣建材有限公司")
    renamed = _company("四川蓉欣建材有限责任公司", BUYER[1], former=[BUYER[0]])
    case = _case([contract], b=_company(BORROWER.name, BORROWER.uscc), s=renamed)
    assert confirm_case(_app(), [contract], case) == [contract]
    fields = contract.extraction.fields
    assert fields["seller_name"].confirmed_by == [str(Confirmation.REGISTRY)]
    assert fields["buyer_name"].confirmed_by == [str(Confirmation.REGISTRY)]  # by its former name
    assert "单据未印代码" in fields["buyer_name"].evidence[-1]


def test_a_codeless_name_that_no_company_of_the_case_is_registered_under_stays_unconfirmed():
    misread = _doc("c", DocumentKind.PURCHASE_CONTRACT, buyer_name="四川蓉欣建林有限公司")  # 材 misread as 林
    coded = _doc("d", DocumentKind.PURCHASE_CONTRACT, buyer_name=BORROWER.name, buyer_tax_id=BUYER[1])
    case = _case([misread, coded], s=_company(*BUYER))
    confirm_case(_app(), [misread, coded], case)
    assert misread.extraction.fields["buyer_name"].confirmed_by == []
    # a name printed beside a code is held to that code's record, not to any name of the case
    assert coded.extraction.fields["buyer_name"].confirmed_by == []


def test_an_invoice_line_repeating_a_contract_line_confirms_both_lines_name_spec_and_unit_and_a_near_one_nothing():
    contract = _doc("c", DocumentKind.PURCHASE_CONTRACT)
    contract.extraction.items = [_line(name="伺服电机", spec="MS1H2-75B30", unit="台"),
                                 _line(name="交流接触器", spec="CJX2-1810", unit="只")]
    invoice = _doc("i", DocumentKind.VAT_INVOICE)
    invoice.extraction.items = [_line(name="*电动机*伺服电机", spec="MS1H2-75B30", unit="台"),
                                _line(name="*电器*交流接触器组", spec="CJX2-1810", unit="个")]
    confirm_case(_app(), [contract, invoice], _case([]))
    motor, contactor = contract.extraction.items
    assert all(motor[k].confirmed_by == [str(Confirmation.OTHER_DOCUMENT)] for k in ("name", "spec", "unit"))
    assert motor["name"].confidence > 0.95
    assert all(not contactor[k].confirmed_by for k in ("name", "spec", "unit"))
    # the invoice's line is confirmed by the contract's the same way (an authority that lists no lines: the
    # contract is the only other source of an OCR'd invoice's goods)
    invoiced_motor, invoiced_contactor = invoice.extraction.items
    assert all(invoiced_motor[k].confirmed_by == [str(Confirmation.OTHER_DOCUMENT)] for k in ("name", "spec", "unit"))
    assert invoiced_motor["unit"].confidence > 0.95
    assert all(not invoiced_contactor[k].confirmed_by for k in ("name", "spec", "unit"))


def _statement(rows: list[tuple[str, str, str]]) -> Document:
    doc = _doc("s", DocumentKind.BANK_STATEMENT, account_name=BORROWER.name)
    assert doc.extraction is not None
    doc.extraction.items = [{"date": ExtractedField(name="date", value=d, confidence=0.9),
                             "amount": ExtractedField(name="amount", value=a, confidence=0.9),
                             "counterparty_name": ExtractedField(name="counterparty_name", value=c, confidence=0.9)}
                            for d, a, c in rows]
    return doc


def _with_documents(docs: list[Document]) -> CaseFile:
    return CaseFile(borrower=BORROWER, documents=[CaseDocument(id=d.id, filename=d.filename, extraction=d.extraction)
                                                  for d in docs if d.extraction is not None])


def test_a_statement_row_paying_an_invoice_exactly_is_confirmed_by_it_and_instalments_that_add_up_too():
    inv1 = _doc("i1", DocumentKind.VAT_INVOICE, seller_name=BORROWER.name, seller_tax_id=BORROWER.uscc,
                buyer_name=BUYER[0], buyer_tax_id=BUYER[1], total_with_tax="113000.00", issue_date="2024-05-20")
    inv2 = _doc("i2", DocumentKind.VAT_INVOICE, seller_name=BORROWER.name, seller_tax_id=BORROWER.uscc,
                buyer_name=BUYER[0], buyer_tax_id=BUYER[1], total_with_tax="50000.00", issue_date="2024-06-03")
    statement = _statement([("2024-05-02", "8000.00", "成都某某物流有限公司"),  # pays no invoice
                            ("2024-05-28", "113000.00", BUYER[0]),
                            ("2024-06-10", "20000.00", BUYER[0]), ("2024-06-20", "30000.00", BUYER[0])])
    statement.extraction.fields["currency"] = ExtractedField(name="currency", value="CNY", confidence=0.9)
    docs = [inv1, inv2, statement]
    assert statement in confirm_case(_app(), docs, _with_documents(docs))
    rows = statement.extraction.items
    assert [bool(r["amount"].confirmed_by) for r in rows] == [False, True, True, True]
    assert rows[1]["amount"].confirmed_by == [str(Confirmation.OTHER_DOCUMENT)]
    # rows paying a VAT invoice's 价税合计 to the cent: the account is kept in 人民币
    assert statement.extraction.fields["currency"].confirmed_by == [str(Confirmation.OTHER_DOCUMENT)]


def test_a_payment_that_is_off_by_a_misread_digit_confirms_nothing():
    inv = _doc("i1", DocumentKind.VAT_INVOICE, seller_name=BORROWER.name, seller_tax_id=BORROWER.uscc,
               buyer_name=BUYER[0], buyer_tax_id=BUYER[1], total_with_tax="113000.00", issue_date="2024-05-20")
    statement = _statement([("2024-05-28", "118000.00", BUYER[0])])
    statement.extraction.fields["currency"] = ExtractedField(name="currency", value="CNY", confidence=0.9)
    confirm_case(_app(), [inv, statement], _with_documents([inv, statement]))
    assert statement.extraction.items[0]["amount"].confirmed_by == []
    assert statement.extraction.fields["currency"].confirmed_by == []


def test_contract_lines_of_one_name_in_two_specs_are_each_confirmed_by_the_invoice_line_of_their_spec():
    contract = _doc("c", DocumentKind.PURCHASE_CONTRACT)
    contract.extraction.items = [_line(name="LED投光灯", spec="200W IP65", unit="套"),
                                 _line(name="LED投光灯", spec="400W IP66", unit="套")]
    invoice = _doc("i", DocumentKind.VAT_INVOICE)
    invoice.extraction.items = [_line(name="*照明装置*LED投光灯", spec="400W IP66", unit="套"),
                                _line(name="*照明装置*LED投光灯", spec="200W IP65", unit="套")]
    confirm_case(_app(), [contract, invoice], _case([]))
    for row in [*contract.extraction.items, *invoice.extraction.items]:
        assert all(row[k].confirmed_by for k in ("name", "spec", "unit")), row
