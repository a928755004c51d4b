"""Who is who: the borrower is a party to the contract and holds the statement; invoices are between the
contract's parties; every party is what the business registry says it is, and alive (domain.md §6.1, §6.3)."""

from __future__ import annotations

from idp.models import DocumentKind, Finding, Severity
from idp.models.authority import CompanyStatus
from idp.models.case import CaseDocument, CaseFile
from idp.policy import CrossCheckParams
from validators import taxpayer_id
from validators.company_name import matches_any, same_company
from validators.rules._cross import finding, tax_id, text

RULE_IDS = (
    "cross.borrower_not_party",
    "cross.invoice_party_mismatch",
    "cross.company_name_mismatch",
    "cross.company_not_active",
    "cross.company_unknown",
)


def _same_party(name_a: str | None, id_a: str | None, name_b: str | None, id_b: str | None) -> bool:
    """Tax IDs decide when both are known and valid; otherwise the normalised names. An id that fails its
    format or check character is a misreading more often than another company (a character lost under a
    stamp): it says nothing either way, and its own low confidence holds it for a person."""
    if id_a and id_b and (id_a == id_b or (taxpayer_id.is_valid(id_a) and taxpayer_id.is_valid(id_b))):
        return id_a == id_b
    return same_company(name_a, name_b)


def _borrower_names(case: CaseFile) -> list[str]:
    """The borrower's name as applied for, and as the registry knows it (current and former names): a
    document made before a renaming still names the borrower."""
    record = case.companies.get(case.borrower.uscc.strip().upper())
    return [case.borrower.name, *([record.name, *record.former_names] if record is not None else [])]


def _is_borrower(names: list[str], uscc: str, name: str | None, tax: str | None) -> bool:
    """The borrower's USCC decides when the document's id is valid; a misread one leaves it to the names."""
    if tax and (tax == uscc.strip().upper() or taxpayer_id.is_valid(tax)):
        return tax == uscc.strip().upper()
    return matches_any(name, names)


def _borrower_checks(case: CaseFile) -> list[Finding]:
    out: list[Finding] = []
    b = case.borrower
    names = _borrower_names(case)
    for contract in case.of_kind(DocumentKind.PURCHASE_CONTRACT):
        ex = contract.extraction
        parties = [(text(ex, f"{r}_name"), tax_id(ex, f"{r}_tax_id")) for r in ("buyer", "seller")]
        if not any(_is_borrower(names, b.uscc, n, t) for n, t in parties):
            out.append(finding(
                "cross.borrower_not_party", Severity.ERROR,
                f"借款人「{b.name}」({b.uscc}) 不是合同当事方 (买方「{parties[0][0]}」, 卖方「{parties[1][0]}」)",
                [contract], fields=["buyer_name", "seller_name"],
                values={"borrower": b.name, "buyer": parties[0][0], "seller": parties[1][0]}))
    if not case.of_kind(DocumentKind.PURCHASE_CONTRACT):
        # no contract names the parties: each invoice itself must be the borrower's purchase or sale
        for inv in case.of_kind(DocumentKind.VAT_INVOICE):
            ex = inv.extraction
            parties = [(text(ex, f"{r}_name"), tax_id(ex, f"{r}_tax_id")) for r in ("buyer", "seller")]
            if _parties_read(ex) and not any(_is_borrower(names, b.uscc, n, t) for n, t in parties):
                out.append(finding(
                    "cross.borrower_not_party", Severity.ERROR,
                    f"借款人「{b.name}」({b.uscc}) 既不是发票购买方「{parties[0][0]}」也不是销售方「{parties[1][0]}」",
                    [inv], fields=["buyer_name", "seller_name"],
                    values={"borrower": b.name, "buyer": parties[0][0], "seller": parties[1][0]}))
    for statement in case.of_kind(DocumentKind.BANK_STATEMENT):
        holder = text(statement.extraction, "account_holder")
        if holder and not matches_any(holder, names):
            out.append(finding(
                "cross.borrower_not_party", Severity.ERROR,
                f"银行流水户名「{holder}」与借款人「{b.name}」不一致", [statement],
                fields=["account_holder"], values={"account_holder": holder, "borrower": b.name}))
    return out


def _invoice_parties(case: CaseFile) -> list[Finding]:
    contracts = case.of_kind(DocumentKind.PURCHASE_CONTRACT)
    if not contracts:
        return []
    out: list[Finding] = []
    for inv in case.of_kind(DocumentKind.VAT_INVOICE):
        ex = inv.extraction
        if not _parties_read(ex) or any(_invoice_matches(ex, c) for c in contracts):
            continue  # parties not read at all are missing values (they hold the invoice), not other companies
        c = contracts[0].extraction
        out.append(finding(
            "cross.invoice_party_mismatch", Severity.ERROR,
            f"发票购销双方与合同不一致: 发票销售方「{text(ex, 'seller_name')}」/购买方「{text(ex, 'buyer_name')}」,"
            f" 合同卖方「{text(c, 'seller_name')}」/买方「{text(c, 'buyer_name')}」",
            [inv, contracts[0]], fields=["seller_name", "seller_tax_id", "buyer_name", "buyer_tax_id"],
            values={"invoice_seller": text(ex, "seller_name"), "invoice_buyer": text(ex, "buyer_name"),
                    "contract_seller": text(c, "seller_name"), "contract_buyer": text(c, "buyer_name")}))
    return out


def _parties_read(ex) -> bool:  # type: ignore[no-untyped-def]
    """Some name or tax id of either party was read."""
    return any(text(ex, f"{r}_{k}") for r in ("buyer", "seller") for k in ("name", "tax_id"))


def _invoice_matches(inv, contract: CaseDocument) -> bool:  # type: ignore[no-untyped-def]
    c = contract.extraction
    return all(
        _same_party(text(inv, f"{r}_name"), tax_id(inv, f"{r}_tax_id"), text(c, f"{r}_name"), tax_id(c, f"{r}_tax_id"))
        for r in ("seller", "buyer")
    )


def _parties(case: CaseFile) -> list[tuple[str | None, str | None, list[CaseDocument]]]:
    """Every (name, USCC) a document or the application states, with the documents stating it."""
    seen: dict[tuple[str, str], list[CaseDocument]] = {}
    for doc in case.documents:
        ex = doc.extraction
        for role in ("buyer", "seller"):
            name, uscc = text(ex, f"{role}_name"), tax_id(ex, f"{role}_tax_id")
            if uscc and len(uscc) == 18:
                seen.setdefault((uscc, name or ""), []).append(doc)
    out = [(name or None, uscc, docs) for (uscc, name), docs in seen.items()]
    out.append((case.borrower.name, case.borrower.uscc.upper(), []))
    return out


def _registry_checks(case: CaseFile) -> list[Finding]:
    out: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    for name, uscc, docs in _parties(case):
        if not uscc or uscc not in case.companies:
            continue
        record = case.companies[uscc]
        if record is None:
            if (uscc, "unknown") not in reported:
                reported.add((uscc, "unknown"))
                out.append(finding("cross.company_unknown", Severity.WARNING,
                                   f"工商登记中查无此企业: {name} ({uscc})", docs, values={"uscc": uscc, "name": name}))
            continue
        if record.status != CompanyStatus.ACTIVE and (uscc, "status") not in reported:
            reported.add((uscc, "status"))
            out.append(finding("cross.company_not_active", Severity.ERROR,
                               f"企业「{record.name}」登记状态为「{record.status_raw or record.status}」,非存续",
                               docs, values={"uscc": uscc, "status": record.status_raw or record.status.value}))
        if name and not same_company(name, record.name) and not matches_any(name, record.former_names):
            out.append(finding("cross.company_name_mismatch", Severity.ERROR,
                               f"名称「{name}」与工商登记名称「{record.name}」不一致 (统一社会信用代码 {uscc})",
                               docs, values={"uscc": uscc, "stated": name, "registered": record.name}))
    return out


def check(case: CaseFile, params: CrossCheckParams) -> list[Finding]:
    return _borrower_checks(case) + _invoice_parties(case) + _registry_checks(case)
