"""Confirmations from outside a document: what the business registry holds for a party, what another document
of the same application states, and what the application itself claims.

A value read from a page is only as good as its reader. When an independent source states the same value, the
chance that both are wrong in the same way is negligible: a misread name that happens to equal the registry's
name for that USCC, or a misread total that equals the sum of the invoices. Each such agreement is recorded in the
field's ``confirmed_by`` and ``evidence`` and divides its error chance (``SOURCE_AGREES``);
disagreements are the cross-document rules' business, not this module's.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from idp.models import Application, Confirmation, Document, DocumentKind, DocumentStatus, ExtractedField
from idp.models.authority import CompanyRecord
from idp.models.case import CaseFile
from idp.models.schema.values import parse_date, parse_money
from idp.policy import CrossCheckParams
from validators.company_name import matches_any, same_company
from validators.confirmation.core import SOURCE_AGREES, confirm
from validators.rules.cross_invoices import goods_name, unit_key
from validators.rules.cross_payments import PaymentState, match_payments

#: Party fields of each kind: (name field, tax-id field, legal-representative field or None).
_PARTIES: dict[DocumentKind, tuple[tuple[str, str, str | None], ...]] = {
    DocumentKind.VAT_INVOICE: (("buyer_name", "buyer_tax_id", None), ("seller_name", "seller_tax_id", None)),
    DocumentKind.PURCHASE_CONTRACT: (("buyer_name", "buyer_tax_id", "buyer_legal_rep"),
                                     ("seller_name", "seller_tax_id", "seller_legal_rep")),
}


def confirm_case(app: Application, docs: list[Document], case: CaseFile,
                 params: CrossCheckParams | None = None) -> list[Document]:
    """Confirm, in place, every value an outside source repeats; returns the documents changed."""
    live = [d for d in docs if d.extraction is not None and d.status == DocumentStatus.EXTRACTED]
    changed: dict[str, Document] = {}
    for doc in live:
        if _by_registry(doc, case.companies, app.borrower.uscc) | _by_application(doc, app):
            changed[doc.id] = doc
    for doc in _by_other_documents(live) + _payments_by_invoices(live, case, params):
        changed.setdefault(doc.id, doc)
    return list(changed.values())


def _payments_by_invoices(docs: list[Document], case: CaseFile, params: CrossCheckParams | None) -> list[Document]:
    """A statement row that pays an invoice exactly (alone, or with the other instalments that add up to its
    价税合计): its amount is confirmed by the invoice. A misread amount does not add up to another document's
    total; one that is off stays unconfirmed, and the invoice unpaid."""
    by_id = {d.id: d for d in docs}
    changed: dict[str, Document] = {}
    for result in match_payments(case, params):
        invoice = by_id.get(result.invoice_id)
        if result.state != PaymentState.PAID or result.paid != result.total or invoice is None:
            continue
        why = f"与 {invoice.filename} 价税合计 {result.total} 相符的付款"
        for payment in result.payments:
            statement = by_id.get(payment.statement_id)
            if statement is None or statement.extraction is None:
                continue
            row = statement.extraction.items[payment.row - 1]
            for key in ("amount", "credit", "debit"):
                value = parse_money(row[key].value) if key in row else None
                if value is not None and abs(value) == abs(payment.amount) and \
                        _confirm(row[key], Confirmation.OTHER_DOCUMENT, why):
                    changed[statement.id] = statement
            # an account whose rows pay a VAT invoice's 价税合计 to the cent keeps its books in 人民币
            currency = statement.extraction.fields.get("currency")
            if currency is not None and currency.value == "CNY" and \
                    _confirm(currency, Confirmation.OTHER_DOCUMENT, f"付款与 {invoice.filename} 人民币价税合计相符"):
                changed[statement.id] = statement
    return list(changed.values())


def _confirm(field: ExtractedField | None, source: Confirmation, why: str) -> bool:
    return confirm(field, source, why, SOURCE_AGREES)


def _record(companies: dict[str, CompanyRecord | None], tax_id: str | None) -> CompanyRecord | None:
    code = "".join((tax_id or "").split()).upper()
    return companies.get(code) if code else None


def _by_registry(doc: Document, companies: dict[str, CompanyRecord | None], borrower_uscc: str) -> bool:
    """A party whose name is the registry's name (or a former name) for the USCC read beside it: both the
    name and the code are confirmed; so is a legal representative the registry names. A statement prints no
    code: its holder is confirmed when it is the borrower's registered name or one of its former names."""
    assert doc.extraction is not None
    fields, done = doc.extraction.fields, False
    if doc.kind == DocumentKind.BANK_STATEMENT:
        record = _record(companies, borrower_uscc)
        holder = doc.extraction.value("account_holder")
        if record is not None and holder and matches_any(holder, [record.name, *record.former_names]):
            done |= _confirm(fields.get("account_holder"), Confirmation.REGISTRY,
                             f"工商登记: 借款人 {record.uscc or borrower_uscc} 的名称(含曾用名)为 {holder}")
    for name_key, code_key, rep_key in _PARTIES.get(doc.kind, ()):
        record = _record(companies, doc.extraction.value(code_key))
        name = doc.extraction.value(name_key)
        if record is None and name and not doc.extraction.value(code_key):
            done |= _by_registered_name(fields.get(name_key), name, companies)
            continue
        if record is None or not name or not matches_any(name, [record.name, *record.former_names]):
            continue
        why = f"工商登记: {record.uscc or doc.extraction.value(code_key)} 名称为 {record.name}"
        done |= _confirm(fields.get(name_key), Confirmation.REGISTRY, why)
        done |= _confirm(fields.get(code_key), Confirmation.REGISTRY, why)
        rep = doc.extraction.value(rep_key) if rep_key else None
        if rep and record.legal_rep and "".join(rep.split()) == "".join(record.legal_rep.split()):
            done |= _confirm(fields.get(rep_key or ""), Confirmation.REGISTRY, f"工商登记法定代表人 {record.legal_rep}")
    return done


def _by_registered_name(field: ExtractedField | None, name: str, companies: dict[str, CompanyRecord | None]) -> bool:
    """A party printed without its code (many contracts give names only): its name is confirmed when it is,
    exactly, the registered name (or a former name) of a company the case looked up by the codes the other
    documents and the application carry — a misread name would not spell a registered name of this very case."""
    for code, record in companies.items():
        if record is not None and matches_any(name, [record.name, *record.former_names]):
            return _confirm(field, Confirmation.REGISTRY,
                            f"工商登记: 与本案 {record.uscc or code} 的登记名称 {record.name} 一致(单据未印代码)")
    return False


def _by_application(doc: Document, app: Application) -> bool:
    """The borrower's name and USCC as the lending system submitted them; the statement period it asked for."""
    assert doc.extraction is not None
    ex, done = doc.extraction, False
    borrower = app.borrower
    why = f"申请信息: 借款人 {borrower.name} {borrower.uscc}"
    for name_key, code_key, _ in _PARTIES.get(doc.kind, ()):
        code = "".join((ex.value(code_key) or "").split()).upper()
        if code and code == borrower.uscc.strip().upper() and same_company(ex.value(name_key), borrower.name):
            done |= _confirm(ex.fields.get(name_key), Confirmation.APPLICATION, why)
            done |= _confirm(ex.fields.get(code_key), Confirmation.APPLICATION, why)
    if doc.kind == DocumentKind.BANK_STATEMENT:
        if same_company(ex.value("account_holder"), borrower.name):
            done |= _confirm(ex.fields.get("account_holder"), Confirmation.APPLICATION, why)
        period = app.statement_period
        if period is not None:
            for key, day in (("period_start", period.start), ("period_end", period.end)):
                if parse_date(ex.value(key)) == day:
                    done |= _confirm(ex.fields.get(key), Confirmation.APPLICATION, f"申请的流水期间 {day}")
    return done


def _parties(doc: Document) -> Iterator[tuple[str, str, str, str]]:
    """(name field, code field, name, code) of each party the document names with both."""
    assert doc.extraction is not None
    for name_key, code_key, _ in _PARTIES.get(doc.kind, ()):
        name, code = doc.extraction.value(name_key), doc.extraction.value(code_key)
        if name and code:
            yield name_key, code_key, name, "".join(code.split()).upper()


def _by_other_documents(docs: list[Document]) -> list[Document]:
    """A party stated with the same name and code on two documents; a contract total equal to the sum of
    its invoices (价税合计)."""
    changed: dict[str, Document] = {}
    for doc in docs:
        for other in docs:
            if other is doc:
                continue
            for name_key, code_key, name, code in _parties(doc):
                if any(code == c and same_company(name, n) for _, _, n, c in _parties(other)):
                    why = f"与 {other.filename} 所载当事人一致"
                    assert doc.extraction is not None
                    if _confirm(doc.extraction.fields.get(name_key), Confirmation.OTHER_DOCUMENT, why) | \
                            _confirm(doc.extraction.fields.get(code_key), Confirmation.OTHER_DOCUMENT, why):
                        changed[doc.id] = doc
    contracts = [d for d in docs if d.kind == DocumentKind.PURCHASE_CONTRACT]
    invoices = [d for d in docs if d.kind == DocumentKind.VAT_INVOICE]
    for contract in contracts:
        for doc in _same_goods(contract, invoices):
            changed[doc.id] = doc
    totals = [parse_money(d.extraction.value("total_with_tax")) for d in invoices if d.extraction]
    if contracts and invoices and all(t is not None for t in totals):
        invoiced = sum((t for t in totals if t is not None), Decimal("0.00"))
        for contract in contracts:
            assert contract.extraction is not None
            if parse_money(contract.extraction.value("total_amount")) == invoiced:
                why = f"= 各发票价税合计之和 {invoiced}"
                if _confirm(contract.extraction.fields.get("total_amount"), Confirmation.OTHER_DOCUMENT, why):
                    changed[contract.id] = contract
    return list(changed.values())


def _same_goods(contract: Document, invoices: list[Document]) -> list[Document]:
    """A contract's goods line and an invoice line with the same name (without its *类别*): each confirms the
    other's name, and the spec and unit where both print the same. Two documents read apart agreeing on a name
    is no chance; a near match confirms nothing (the goods check judges it). Returns the documents changed."""
    if contract.extraction is None:
        return []
    changed: dict[str, Document] = {}
    for invoice in invoices:
        for item in invoice.extraction.items if invoice.extraction else []:
            name = goods_name(item["name"].value) if "name" in item else ""
            for row in (r for r in contract.extraction.items  # every line of that name (one per spec, say)
                        if name and "name" in r and goods_name(r["name"].value) == name):
                _confirm_pair(contract, row, invoice, item, changed)
    return list(changed.values())


def _confirm_pair(contract: Document, row: dict[str, ExtractedField], invoice: Document,
                  item: dict[str, ExtractedField], changed: dict[str, Document]) -> None:
    """A contract line and an invoice line of the same goods confirm each other's name, and spec and unit where
    both print the same."""
    for key, same in (("name", _same_name), ("spec", _same_name), ("unit", _same_unit)):
        if key in row and key in item and row[key].value and item[key].value and \
                same(row[key].value, item[key].value):
            if _confirm(row[key], Confirmation.OTHER_DOCUMENT, f"与 {invoice.filename} 所载货物一致"):
                changed[contract.id] = contract
            if _confirm(item[key], Confirmation.OTHER_DOCUMENT, f"与 {contract.filename} 所载货物一致"):
                changed[invoice.id] = invoice


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a) and goods_name(a) == goods_name(b)


def _same_unit(a: str | None, b: str | None) -> bool:
    return bool(a) and unit_key(a) == unit_key(b)
