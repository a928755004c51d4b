"""One planted inconsistency per bundle, for each kind of the bundles.md vocabulary: each planter changes a
consistent deal in exactly one way and says which documents a reviewer must be pointed at.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from idp.synth._bundle_deal import (
    OTHER_GOODS,
    RELATED_GOODS,
    TAX_RATE,
    Deal,
    invoice_line,
    new_firm,
    reissue,
)
from idp.synth._parties import make_uscc
from validators.amount_words import to_words

CONTRACT, STATEMENT = "contract.pdf", "statement.pdf"


def invoice_file(index: int) -> str:
    return f"inv_{index + 1}.pdf"


@dataclass(frozen=True)
class Planted:
    kind: str
    documents: list[str]
    note: str

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "documents": self.documents, "note": self.note}


def _pick(rng: random.Random, deal: Deal) -> int:
    return rng.randrange(len(deal.invoices))


def _all_invoices(deal: Deal) -> list[str]:
    return [invoice_file(i) for i in range(len(deal.invoices))]


def borrower_not_party(deal: Deal, rng: random.Random) -> Planted:
    """The application names a third company (its own statement attached): not a party to the contract."""
    taken = {f.registered for f in deal.firms}
    other = new_firm(rng, taken=taken)
    deal.applicant = other
    deal.statement = replace(deal.statement, holder=other.on("statement"))
    deal.payments = []  # the buyer pays the seller, not the applicant: nothing of it on this statement
    return Planted(
        "borrower_not_party",
        [CONTRACT],
        f"申请人「{other.registered}」不是合同当事方 (卖方「{deal.seller.registered}」, "
        f"买方「{deal.buyer.registered}」)",
    )


def invoice_party_mismatch(deal: Deal, rng: random.Random) -> Planted:
    k = _pick(rng, deal)
    other = new_firm(rng, taken={f.registered for f in deal.firms})
    deal.extra_firms.append(other)
    deal.invoices[k] = replace(deal.invoices[k], buyer=other.on("invoice"))
    for plan in deal.payments:
        if plan.invoice == k:
            plan.payer = other
    return Planted(
        "invoice_party_mismatch",
        [invoice_file(k), CONTRACT],
        f"发票购买方为「{other.registered}」, 合同买方为「{deal.buyer.registered}」",
    )


def invoice_goods_mismatch(deal: Deal, rng: random.Random) -> Planted:
    """One line of an invoice bills something else: unrelated goods, or goods close to a contract good by
    name but not it (another product or a service, in another unit)."""
    k = _pick(rng, deal)
    inv = deal.invoices[k]
    j = rng.randrange(len(inv.items))
    old = inv.items[j]
    billed = old.amount + old.tax
    related = RELATED_GOODS.get(old.name.split("*")[-1]) if rng.random() < 0.5 else None
    name, spec, unit, category, (low, high) = related or rng.choice(OTHER_GOODS)
    price = Decimal(rng.randint(low * 100, high * 100)) / 100
    qty = max(Decimal(1), (billed / price).to_integral_value())
    items = [*inv.items[:j], invoice_line(name, spec, unit, category, qty, price), *inv.items[j + 1 :]]
    deal.invoices[k] = reissue(replace(inv, items=items), inv.issue_date, deal.seller.region, deal.seed + k)
    return Planted(
        "invoice_goods_mismatch",
        [invoice_file(k), CONTRACT],
        f"发票第{j + 1}行货物「{name}」({unit}) 不在合同标的之内",
    )


def invoice_exceeds_contract(deal: Deal, rng: random.Random) -> Planted:
    k = len(deal.invoices) - 1
    inv = deal.invoices[k]
    billed = sum((i.total for i in deal.invoices), Decimal(0))
    target = deal.contract.printed_total * (1 + Decimal(rng.randint(1, 30)) / 100)
    first = inv.items[0]
    gross_unit = Decimal(first.price or 0) * (1 + TAX_RATE)
    extra = ((target - billed) / gross_unit).to_integral_value(rounding="ROUND_CEILING") + 1
    name = first.name.split("*")[-1]
    category = first.name.split("*")[1]
    gross_price = next(i.price for i in deal.contract.items if i.name == name)
    grown = invoice_line(
        name, first.spec, first.unit, category, Decimal(first.quantity or 0) + extra, gross_price
    )
    deal.invoices[k] = reissue(
        replace(inv, items=[grown, *inv.items[1:]]), inv.issue_date, deal.seller.region, deal.seed + k
    )
    total = sum((i.total for i in deal.invoices), Decimal(0))
    return Planted(
        "invoice_exceeds_contract",
        [CONTRACT, *_all_invoices(deal)],
        f"发票价税合计之和 {total} 超过合同总金额 {deal.contract.printed_total}",
    )


def invoice_before_contract(deal: Deal, rng: random.Random) -> Planted:
    signed = deal.contract.sign_date
    days = rng.randint(3, min(25, (signed - deal.statement.period_start).days))
    issued = signed - timedelta(days=days)
    deal.invoices[0] = reissue(deal.invoices[0], issued, deal.seller.region, deal.seed)
    return Planted(
        "invoice_before_contract",
        [invoice_file(0), CONTRACT],
        f"发票开票日期 {issued}, 合同签订日期 {signed}",
    )


def invoice_not_found(deal: Deal, rng: random.Random) -> Planted:
    k = _pick(rng, deal)
    deal.missing_from_authority.add(k)
    return Planted("invoice_not_found", [invoice_file(k)], f"税务机关查无发票 {deal.invoices[k].number}")


def invoice_not_normal(deal: Deal, rng: random.Random) -> Planted:
    k = _pick(rng, deal)
    status = rng.choice(("void", "red_flushed", "abnormal"))
    deal.invoice_status[k] = status
    return Planted(
        "invoice_not_normal", [invoice_file(k)], f"税务机关记录发票 {deal.invoices[k].number} 状态为 {status}"
    )


def invoice_authority_mismatch(deal: Deal, rng: random.Random) -> Planted:
    k = _pick(rng, deal)
    inv = deal.invoices[k]
    variant = rng.choice(("amount", "buyer_tax_id", "issue_date"))
    if variant == "amount":
        net = inv.amount - Decimal(rng.choice((1000, 5000, 10000)))
        tax = (net * TAX_RATE).quantize(Decimal("0.01"))
        change: dict[str, object] = {
            "amount_without_tax": str(net),
            "tax_amount": str(tax),
            "total_with_tax": str(net + tax),
        }
        note = f"税局记录合计金额 {net}, 票面 {inv.amount}"
    elif variant == "buyer_tax_id":
        other = make_uscc(rng, deal.buyer.region[2])
        change, note = {"buyer_tax_id": other}, f"税局记录购买方税号 {other}, 票面 {inv.buyer.tax_id}"
    else:
        day = inv.issue_date - timedelta(days=rng.randint(1, 9))
        change, note = {"issue_date": day.isoformat()}, f"税局记录开票日期 {day}, 票面 {inv.issue_date}"
    deal.authority_override[k] = change
    return Planted("invoice_authority_mismatch", [invoice_file(k)], note)


def company_not_active(deal: Deal, rng: random.Random) -> Planted:
    deal.buyer.status = rng.choice(("注销", "吊销，未注销", "吊销"))
    return Planted(
        "company_not_active",
        [CONTRACT, *_all_invoices(deal)],
        f"买方「{deal.buyer.registered}」登记状态为「{deal.buyer.status}」",
    )


def company_name_mismatch(deal: Deal, rng: random.Random) -> Planted:
    firm = deal.buyer
    printed = firm.printed.get("contract", firm.registered)
    other = new_firm(rng, taken={f.registered for f in deal.firms})
    for family in ("contract", "invoice", "statement"):
        firm.printed.setdefault(family, printed)
    firm.party = replace(firm.party, name=other.registered)
    firm.former_names = []
    return Planted(
        "company_name_mismatch",
        [CONTRACT, *_all_invoices(deal)],
        f"买方名称「{printed}」与工商登记名称「{other.registered}」不一致 (代码 {firm.uscc})",
    )


def invoice_unpaid(deal: Deal, rng: random.Random) -> Planted:
    k = _pick(rng, deal)
    deal.payments = [p for p in deal.payments if p.invoice != k]
    return Planted(
        "invoice_unpaid",
        [invoice_file(k), STATEMENT],
        f"发票 {deal.invoices[k].number} (价税合计 {deal.invoices[k].total}) 在流水中无付款",
    )


def statement_balance_break(deal: Deal, rng: random.Random) -> Planted:
    deal.balance_break = True
    return Planted("statement_balance_break", [STATEMENT], "流水中一笔交易金额与余额变动不符")


def statement_period_short(deal: Deal, rng: random.Random) -> Planted:
    start = deal.statement.period_start
    wanted = (start - timedelta(days=1)).replace(day=1)
    if rng.random() < 0.5:
        wanted = (wanted - timedelta(days=1)).replace(day=1)
    deal.period = (wanted, deal.period[1])
    return Planted(
        "statement_period_short",
        [STATEMENT],
        f"申请要求流水期间 {wanted} 至 {deal.period[1]}, 流水自 {start} 起",
    )


def amount_words_mismatch(deal: Deal, rng: random.Random) -> Planted:
    delta = Decimal(rng.choice((10, 100, 1000)))
    if rng.random() < 0.5:
        c = deal.contract
        deal.contract = replace(c, words=to_words(c.printed_total + delta, yuan="元"))
        return Planted("amount_words_mismatch", [CONTRACT], f"合同大写金额比小写多 {delta}")
    k = _pick(rng, deal)
    inv = deal.invoices[k]
    deal.invoices[k] = replace(inv, words=to_words(inv.total + delta, yuan="圆"))
    return Planted("amount_words_mismatch", [invoice_file(k)], f"发票大写金额比小写多 {delta}")


def seal_missing(deal: Deal, rng: random.Random) -> Planted:
    side = rng.choice(("buyer", "seller"))
    deal.contract.seals = {**deal.contract.seals, side: False}
    return Planted("seal_missing", [CONTRACT], f"合同{'买方' if side == 'buyer' else '卖方'}未盖章")


#: The kinds of bundles.md in its order, each with its planter (duplicate_invoice is made by the suite: it
#: needs an invoice of an earlier bundle).
PLANTERS: dict[str, Callable[[Deal, random.Random], Planted]] = {
    "borrower_not_party": borrower_not_party,
    "invoice_party_mismatch": invoice_party_mismatch,
    "invoice_goods_mismatch": invoice_goods_mismatch,
    "invoice_exceeds_contract": invoice_exceeds_contract,
    "invoice_before_contract": invoice_before_contract,
    "invoice_not_found": invoice_not_found,
    "invoice_not_normal": invoice_not_normal,
    "invoice_authority_mismatch": invoice_authority_mismatch,
    "company_not_active": company_not_active,
    "company_name_mismatch": company_name_mismatch,
    "invoice_unpaid": invoice_unpaid,
    "statement_balance_break": statement_balance_break,
    "statement_period_short": statement_period_short,
    "amount_words_mismatch": amount_words_mismatch,
    "seal_missing": seal_missing,
}
KINDS = (*PLANTERS, "duplicate_invoice")
