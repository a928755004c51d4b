"""Assemble a foreign bundle's deal (clean, with its traps) and plant one inconsistency kind of bundles.md.

Each planter changes the deal so that exactly its kind is wrong and names the documents involved; everything
else stays consistent (a replaced buyer also pays, a moved invoice is still paid inside its window).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from idp.synth.foreign import contract_model
from idp.synth.foreign.bundle_deal import (
    INVOICE_KINDS,
    Deal,
    Firm,
    invoice_items,
    make_invoice,
    new_firm,
    payment,
    split,
)
from idp.synth.foreign.family import contract_families
from idp.synth.foreign.goods import INDUSTRIES, pick_lines
from idp.synth.foreign.people import company
from idp.synth.foreign.statement_model import Txn

CONTRACT, STATEMENT = "contract", "statement"


def invoice_file(k: int) -> str:
    return f"inv_{k + 1}.pdf"


@dataclass(frozen=True)
class Planted:
    kind: str
    documents: list[str]
    note: str

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "documents": self.documents, "note": self.note}


def _month_after(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def build_deal(seed: int, traps: tuple[str, str], *, sign_after: tuple[int, int] = (20, 40)) -> Deal:
    """A consistent deal: contract signed early in a six-month statement period, 2-3 invoices, each paid
    (one in two instalments, the last one on the last day of its window, which ends the statement)."""
    rng = random.Random(f"foreign-bundle:{seed}")
    taken: set[str] = set()
    seller, buyer = new_firm(rng, traps[0], taken), new_firm(rng, traps[1], taken)
    start = date(2024, rng.randint(1, 6), 1)
    end = _month_after(start, 6) - timedelta(days=1)
    signed = start + timedelta(days=rng.randint(*sign_after))
    family = rng.choice(contract_families())
    lines = pick_lines(rng, rng.choice(family.industries), rng.randint(2, 5))
    contract = contract_model.build(family, seed, seller=seller.company, buyer=buyer.company, signed=signed,
                                    lines=lines)
    contract.seals = {"seller": True, "buyer": True}
    n = 3 if rng.random() < 0.6 else 2
    groups = split(rng, contract.lines, n)
    n = len(groups)
    dates = sorted(signed + timedelta(days=rng.randint(2, 25)) for _ in range(n - 1)) + [end - timedelta(days=90)]
    invoices = [make_invoice(seed * 10 + k, rng.choice(INVOICE_KINDS), seller.company, buyer.company, dates[k],
                             invoice_items(g, contract.tax_rate), contract.number) for k, g in enumerate(groups)]
    payments: list[tuple[int, Txn]] = []
    traps_noted: list[str] = []
    for k, inv in enumerate(invoices):
        if k == n - 1:
            payments.append((k, payment(rng, end, inv.total, buyer.company, inv.number)))
            traps_noted.append(f"{invoice_file(k)} 在付款窗口最后一天付款（{end}），即流水最后一天")
        elif k == 0:
            first = (inv.total * Decimal(rng.randint(30, 70)) / 100).quantize(Decimal("0.01"))
            for day, amount in ((rng.randint(3, 12), first), (rng.randint(20, 50), inv.total - first)):
                payments.append((k, payment(rng, inv.issue_date + timedelta(days=day), amount, buyer.company,
                                            inv.number)))
            traps_noted.append(f"{invoice_file(k)} 分两笔付款")
        else:
            payments.append((k, payment(rng, inv.issue_date + timedelta(days=rng.randint(5, 45)), inv.total,
                                        buyer.company, inv.number)))
    for firm, role in ((seller, "借款人"), (buyer, "买方")):
        if firm.trap == "brackets":
            traps_noted.append(f"{role}登记名称「{firm.company.name}」, 单据印「{firm.company.shown}」")
        elif firm.trap in ("company_form", "renamed"):
            traps_noted.append(f"{role}登记名称「{firm.company.name}」, 单据印曾用名「{firm.former_names[0]}」")
    requested = max(Decimal(50000), (contract.total / 2 / 10000).to_integral_value() * 10000)
    return Deal(seed=seed, application_id=f"F-{start.year}-{seed:05d}", borrower=seller, seller=seller, buyer=buyer,
                contract=contract, invoices=invoices, payments=payments, start=start, end=end, statement_start=start,
                submitted=end + timedelta(days=rng.randint(3, 10)), requested=requested, traps=traps_noted)


def _third(deal: Deal, rng: random.Random) -> Firm:
    firm = new_firm(rng, "plain", {deal.seller.company.name, deal.buyer.company.name})
    deal.extra_firms.append(firm)
    return firm


def _contract_and(deal: Deal, k: int) -> list[str]:
    return [invoice_file(k), CONTRACT]


def _borrower_not_party(deal: Deal, rng: random.Random) -> Planted:
    deal.borrower = _third(deal, rng)
    return Planted("borrower_not_party", [CONTRACT, STATEMENT],
                   f"申请人「{deal.borrower.company.name}」不是合同当事人，也不是流水户名")


def _invoice_party_mismatch(deal: Deal, rng: random.Random) -> Planted:
    k = rng.randrange(len(deal.invoices))
    other = _third(deal, rng).company
    inv = deal.invoices[k]
    deal.invoices[k] = make_invoice(deal.seed * 10 + k, inv.kind, deal.seller.company, other, inv.issue_date,
                                    inv.items, deal.contract.number)
    deal.payments = [(i, replace(p, cp_name=other.shown, cp_account=other.account) if i == k else p)
                     for i, p in deal.payments]
    return Planted("invoice_party_mismatch", _contract_and(deal, k), f"发票购买方为「{other.name}」，非合同买方")


def _invoice_goods_mismatch(deal: Deal, rng: random.Random) -> Planted:
    k = rng.randrange(len(deal.invoices))
    inv = deal.invoices[k]
    used = {ln.category for ln in deal.contract.lines}
    industry = next(i for i in rng.sample(sorted(INDUSTRIES), len(INDUSTRIES))
                    if not {a.category for a in INDUSTRIES[i]} & used)
    other = pick_lines(rng, industry, len(inv.items))
    scaled = [replace(ln, amount=it.amount + it.tax) for ln, it in zip(other, inv.items, strict=True)]
    items = invoice_items(scaled, inv.items[0].tax_rate)
    deal.invoices[k] = make_invoice(deal.seed * 10 + k, inv.kind, deal.seller.company, deal.buyer.company,
                                    inv.issue_date, items, deal.contract.number)
    return Planted("invoice_goods_mismatch", _contract_and(deal, k),
                   f"发票货物「{items[0].name}」不在合同标的中")


def _invoice_exceeds_contract(deal: Deal, rng: random.Random) -> Planted:
    k = len(deal.invoices)
    lines = [replace(ln, quantity=ln.quantity, amount=ln.amount) for ln in deal.contract.lines[:1]]
    issued = deal.invoices[0].issue_date + timedelta(days=rng.randint(3, 20))
    inv = make_invoice(deal.seed * 10 + k, deal.invoices[0].kind, deal.seller.company, deal.buyer.company, issued,
                       invoice_items(lines, deal.contract.tax_rate), deal.contract.number)
    deal.invoices.append(inv)
    deal.payments.append((k, payment(rng, issued + timedelta(days=rng.randint(5, 30)), inv.total,
                                     deal.buyer.company, inv.number)))
    return Planted("invoice_exceeds_contract", [*(invoice_file(i) for i in range(k + 1)), CONTRACT],
                   f"发票合计超出合同总额 {deal.contract.total}（多开 {inv.total}）")


def _invoice_before_contract(deal: Deal, rng: random.Random) -> Planted:
    inv = deal.invoices[0]
    early = deal.contract.sign_date - timedelta(days=rng.randint(3, 15))
    deal.invoices[0] = replace(inv, issue_date=early)
    return Planted("invoice_before_contract", _contract_and(deal, 0),
                   f"发票日期 {early}，合同签订于 {deal.contract.sign_date}")


def _invoice_not_found(deal: Deal, rng: random.Random) -> Planted:
    k = rng.randrange(len(deal.invoices))
    deal.missing_from_authority.add(k)
    return Planted("invoice_not_found", [invoice_file(k)], f"税务机关查无发票 {deal.invoices[k].number}")


def _invoice_not_normal(deal: Deal, rng: random.Random) -> Planted:
    k = rng.randrange(len(deal.invoices))
    status = rng.choice(("void", "red_flushed", "abnormal"))
    deal.invoice_status[k] = status
    return Planted("invoice_not_normal", [invoice_file(k)], f"发票状态为 {status}")


def _invoice_authority_mismatch(deal: Deal, rng: random.Random) -> Planted:
    k = rng.randrange(len(deal.invoices))
    inv = deal.invoices[k]
    delta = Decimal(rng.choice((1000, 5000, 300)))
    deal.authority_override[k] = {"amount_without_tax": str(inv.amount + delta),
                                  "total_with_tax": str(inv.total + delta)}
    return Planted("invoice_authority_mismatch", [invoice_file(k)], f"税务记录金额比票面多 {delta}")


def _company_not_active(deal: Deal, rng: random.Random) -> Planted:
    deal.buyer.status = rng.choice(("注销", "吊销"))
    return Planted("company_not_active", [CONTRACT, *(invoice_file(i) for i in range(len(deal.invoices)))],
                   f"买方登记状态为{deal.buyer.status}")


def _company_name_mismatch(deal: Deal, rng: random.Random) -> Planted:
    other = company(rng).name
    deal.buyer.registry_name, deal.buyer.former_names = other, []
    return Planted("company_name_mismatch", [CONTRACT, *(invoice_file(i) for i in range(len(deal.invoices)))],
                   f"买方税号在工商登记的名称为「{other}」")


def _invoice_unpaid(deal: Deal, rng: random.Random) -> Planted:
    k = rng.randrange(len(deal.invoices) - 1)  # not the last-day one: its payment is the statement's last row
    number = deal.invoices[k].number
    deal.payments = [(i, p) for i, p in deal.payments if i != k]
    return Planted("invoice_unpaid", [invoice_file(k), STATEMENT], f"流水中无发票 {number} 的回款")


def _balance_break(deal: Deal, rng: random.Random) -> Planted:
    deal.balance_break = True
    return Planted("statement_balance_break", [STATEMENT], "流水中一行余额不连续")


def _period_short(deal: Deal, rng: random.Random) -> Planted:
    deal.statement_start = _month_after(deal.start, 1)
    return Planted("statement_period_short", [STATEMENT],
                   f"流水起于 {deal.statement_start}，申请要求自 {deal.start} 起")


def _amount_words(deal: Deal, rng: random.Random) -> Planted:
    deal.contract.planted = ("amount_words_mismatch",)
    deal.contract.words = contract_model.fmt.words(deal.contract.total + Decimal(rng.choice((1000, 10000))),
                                                   yuan=deal.contract.family.yuan, whole=deal.contract.family.whole)
    return Planted("amount_words_mismatch", [CONTRACT], "合同大写金额与小写不符")


def _seal_missing(deal: Deal, rng: random.Random) -> Planted:
    role = rng.choice(("buyer", "seller"))
    deal.contract.seals[role] = False
    deal.contract.planted = ("seal_missing",)
    return Planted("seal_missing", [CONTRACT], f"合同{'买方' if role == 'buyer' else '卖方'}未盖章")


PLANTERS: dict[str, Callable[[Deal, random.Random], Planted]] = {
    "borrower_not_party": _borrower_not_party,
    "invoice_party_mismatch": _invoice_party_mismatch,
    "invoice_goods_mismatch": _invoice_goods_mismatch,
    "invoice_exceeds_contract": _invoice_exceeds_contract,
    "invoice_before_contract": _invoice_before_contract,
    "invoice_not_found": _invoice_not_found,
    "invoice_not_normal": _invoice_not_normal,
    "invoice_authority_mismatch": _invoice_authority_mismatch,
    "company_not_active": _company_not_active,
    "company_name_mismatch": _company_name_mismatch,
    "invoice_unpaid": _invoice_unpaid,
    "statement_balance_break": _balance_break,
    "statement_period_short": _period_short,
    "amount_words_mismatch": _amount_words,
    "seal_missing": _seal_missing,
}
#: Every kind of bundles.md: the planters', then the one that needs an earlier bundle.
KINDS = (*PLANTERS, "duplicate_invoice")
