"""What was read against what the tax authority recorded (发票查验, domain.md §6.2): existence, status,
and every key field; plus the same invoice held by another application."""

from __future__ import annotations

from decimal import Decimal

from idp.models import DocumentKind, Finding, Severity
from idp.models.authority import INVOICE_STATUS_LABELS, InvoiceStatus, VerificationStatus
from idp.models.case import CaseFile
from idp.models.schema import field_label
from idp.policy import CrossCheckParams
from validators.company_name import same_company
from validators.rules._cross import day, finding, money, tax_id, text

RULE_IDS = (
    "authority.invoice_not_found",
    "authority.invoice_not_normal",
    "authority.invoice_authority_mismatch",
    "authority.invoice_too_old",
    "invoice.duplicate",
)

#: (field read from the invoice, attribute of the authority's record, how to compare, blocking?)
_COMPARED = (
    ("amount_without_tax", "amount_without_tax", "money", True),
    ("tax_amount", "tax_amount", "money", True),
    ("total_with_tax", "total_with_tax", "money", True),
    ("issue_date", "issue_date", "date", True),
    ("seller_tax_id", "seller_tax_id", "id", True),
    ("buyer_tax_id", "buyer_tax_id", "id", True),
    ("seller_name", "seller_name", "name", False),
    ("buyer_name", "buyer_name", "name", False),
)


def _differs(kind: str, read: str | None, recorded: object) -> bool:
    if recorded is None or read is None:
        return False
    if kind == "money":
        a = money(read)
        return a is None or a != Decimal(str(recorded))
    if kind == "date":
        return day(read) != recorded
    if kind == "id":
        return read.upper().replace(" ", "") != str(recorded).upper().replace(" ", "")
    return not same_company(read, str(recorded))


def check(case: CaseFile, params: CrossCheckParams) -> list[Finding]:
    out: list[Finding] = []
    for inv in case.of_kind(DocumentKind.VAT_INVOICE):
        ex = inv.extraction
        number = text(ex, "invoice_number")
        others = case.duplicates.get(inv.id)
        if others:
            shown = ", ".join("其他机构的申请" if o == "another_client" else o for o in others)
            out.append(finding("invoice.duplicate", Severity.ERROR,
                               f"发票 {number} 已在其他申请中提交: {shown}", [inv],
                               fields=["invoice_number"], values={"other_applications": ", ".join(others)}))
        outcome = case.verifications.get(inv.id)
        if outcome is None:
            continue
        if outcome.status == VerificationStatus.NOT_FOUND:
            out.append(finding("authority.invoice_not_found", Severity.ERROR,
                               f"发票查验查无此票: {number} ({outcome.message})", [inv], fields=["invoice_number"],
                               values={"provider": outcome.provider, "request_id": outcome.request_id}))
        elif outcome.status == VerificationStatus.TOO_OLD:
            out.append(finding("authority.invoice_too_old", Severity.WARNING,
                               f"发票 {number} 超出可查验期限,税务机关不再受理查验,需人工核实 ({outcome.message})",
                               [inv], fields=["issue_date"], values={"issue_date": text(ex, "issue_date")}))
        elif outcome.status == VerificationStatus.MISMATCH:
            out.append(finding("authority.invoice_authority_mismatch", Severity.ERROR,
                               f"发票查验不一致: {number} ({outcome.message})", [inv], fields=["invoice_number"],
                               values={"provider": outcome.provider, "request_id": outcome.request_id}))
        elif outcome.status == VerificationStatus.FOUND and outcome.record is not None:
            record = outcome.record
            if record.status != InvoiceStatus.NORMAL:
                label = INVOICE_STATUS_LABELS.get(record.status, record.status.value)
                out.append(finding("authority.invoice_not_normal", Severity.ERROR,
                                   f"税务机关记录发票 {number} 状态为「{label}」", [inv], fields=["invoice_number"],
                                   values={"status": record.status.value, "request_id": outcome.request_id}))
            for name, attr, kind, blocking in _COMPARED:
                read = text(ex, name) if kind != "id" else tax_id(ex, name)
                recorded = getattr(record, attr)
                if _differs(kind, read, recorded):
                    out.append(finding(
                        "authority.invoice_authority_mismatch", Severity.ERROR if blocking else Severity.WARNING,
                        f"发票 {number} 的「{field_label(name, 'vat_invoice')}」与税务机关记录不一致: 票面 {read}, "
                        f"税局 {recorded}", [inv],
                        fields=[name], values={"read": read, "recorded": str(recorded)}))
    return out
