"""Payments on the statement that settle the invoices: the counterparty and the amount (one payment or
instalments) within a window around each invoice date; also whether the statement covers the period asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import combinations

from idp.models import DocumentKind, ExtractedDocument, Finding, Severity
from idp.models.case import CaseDocument, CaseFile
from idp.policy import CrossCheckParams
from validators.company_name import same_company
from validators.rules._cross import day, finding, invoice_total, money, tax_id, text
from validators.rules._statement import implied_period

RULE_IDS = ("cross.invoice_unpaid", "cross.statement_period_short")


class PaymentState(StrEnum):
    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    UNPAID = "unpaid"


@dataclass(frozen=True)
class Payment:
    statement_id: str
    row: int
    on: date
    amount: Decimal  #: positive: money in; negative: money out
    counterparty: str | None


@dataclass
class InvoicePayment:
    invoice_id: str
    total: Decimal
    state: PaymentState
    payments: list[Payment] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return sum((abs(p.amount) for p in self.payments), Decimal("0"))


def _payments(statement: CaseDocument) -> list[Payment]:
    out = []
    for i, item in enumerate(statement.extraction.items, start=1):
        def get(k: str, item: dict = item) -> object:
            return item[k].value if k in item else None

        on = day(get("date"))
        amount = money(get("amount"))
        if amount is None:
            credit, debit = money(get("credit")), money(get("debit"))
            amount = (credit or Decimal(0)) - (debit or Decimal(0)) if (credit or debit) else None
        if on and amount:
            out.append(Payment(statement.id, i, on, amount, get("counterparty_name")))
    return out


def _borrower_role(case: CaseFile, inv: ExtractedDocument) -> str | None:
    b = case.borrower
    for role in ("seller", "buyer"):
        if tax_id(inv, f"{role}_tax_id") == b.uscc.upper() or same_company(text(inv, f"{role}_name"), b.name):
            return role
    return None


def match_payments(case: CaseFile, params: CrossCheckParams | None = None) -> list[InvoicePayment]:
    """For each invoice: the statement rows that pay it (each row used once), oldest invoices first."""
    params = params or CrossCheckParams()
    pool = [p for s in case.of_kind(DocumentKind.BANK_STATEMENT) for p in _payments(s)]
    used: set[tuple[str, int]] = set()
    results = []
    invoices = sorted(case.of_kind(DocumentKind.VAT_INVOICE),
                      key=lambda d: text(d.extraction, "issue_date") or "")
    for inv in invoices:
        ex = inv.extraction
        total, issued, role = invoice_total(ex), day(text(ex, "issue_date")), _borrower_role(case, ex)
        if total is None or issued is None or role is None or total <= 0:
            continue
        other = text(ex, "buyer_name" if role == "seller" else "seller_name")
        sign = 1 if role == "seller" else -1  # the seller receives money, the buyer pays it
        lo = issued - timedelta(days=params.payment_window_days_before)
        hi = issued + timedelta(days=params.payment_window_days_after)
        candidates = [p for p in pool if (p.statement_id, p.row) not in used and lo <= p.on <= hi
                      and p.amount * sign > 0 and same_company(p.counterparty, other)]
        chosen = _settle(candidates, total, params)
        if chosen:
            used.update((p.statement_id, p.row) for p in chosen)
            results.append(InvoicePayment(inv.id, total, PaymentState.PAID, chosen))
            continue
        partial = [p for p in candidates if abs(p.amount) < total]
        state = PaymentState.PARTLY_PAID if partial else PaymentState.UNPAID
        results.append(InvoicePayment(inv.id, total, state, partial))
    return results


def payment_rows(case: CaseFile, params: CrossCheckParams | None = None) -> dict[str, set[int]]:
    """Per statement id, the rows (0-based) taken as some invoice's payment, settling it or in part: the rows
    whose amounts the decision uses."""
    out: dict[str, set[int]] = {s.id: set() for s in case.of_kind(DocumentKind.BANK_STATEMENT)}
    for result in match_payments(case, params):
        for p in result.payments:
            out.setdefault(p.statement_id, set()).add(p.row - 1)
    return out


def _settle(candidates: list[Payment], total: Decimal, params: CrossCheckParams) -> list[Payment]:
    """The fewest payments (up to max_instalments) whose amounts add up to the invoice total."""
    tol = params.payment_amount_tolerance
    candidates = candidates[:16]
    for n in range(1, min(params.max_instalments, len(candidates)) + 1):
        for combo in combinations(candidates, n):
            if abs(sum((abs(p.amount) for p in combo), Decimal("0")) - total) <= tol:
                return list(combo)
    return []


def _period_findings(case: CaseFile) -> list[Finding]:
    wanted = case.statement_period
    statements = case.of_kind(DocumentKind.BANK_STATEMENT)
    if wanted is None or not statements:
        return []
    starts, ends = [], []
    for s in statements:
        ex = s.extraction
        implied_from, implied_to = implied_period([p.on for p in _payments(s)])
        start = day(text(ex, "period_start")) or implied_from
        end = day(text(ex, "period_end")) or implied_to
        if start and end:
            starts.append(start)
            ends.append(end)
    if not starts:
        return []
    covered_from, covered_to = min(starts), max(ends)
    if covered_from <= wanted.start and covered_to >= wanted.end:
        return []
    return [finding("cross.statement_period_short", Severity.WARNING,
                    f"银行流水期间 {covered_from} 至 {covered_to} 未覆盖申请要求的 {wanted.start} 至 {wanted.end}",
                    statements, fields=["period_start", "period_end"],
                    values={"covered_from": str(covered_from), "covered_to": str(covered_to),
                            "required_from": str(wanted.start), "required_to": str(wanted.end)})]


def check(case: CaseFile, params: CrossCheckParams | None = None) -> list[Finding]:
    out = _period_findings(case)
    if not case.of_kind(DocumentKind.BANK_STATEMENT):
        return out
    by_id = {d.id: d for d in case.documents}
    statements = case.of_kind(DocumentKind.BANK_STATEMENT)
    for result in match_payments(case, params):
        if result.state == PaymentState.PAID:
            continue
        inv = by_id[result.invoice_id]
        label = "部分付款" if result.state == PaymentState.PARTLY_PAID else "未见付款"
        out.append(finding("cross.invoice_unpaid", Severity.WARNING,
                           f"发票 {text(inv.extraction, 'invoice_number')} (价税合计 {result.total}) "
                           f"在银行流水中{label}"
                           f" (已匹配 {result.paid})", [inv, *statements], fields=["total_with_tax"],
                           values={"invoice_total": str(result.total), "matched": str(result.paid),
                                   "state": result.state.value}))
    return out
