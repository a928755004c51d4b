"""Synthetic application bundles (docs bundles.md): a loan application, its contract, invoices and
statement, what the authorities hold, and the expected outcome; clean ones carry the traps, planted ones
one inconsistency each.

Deterministic by seed (documents render with reportlab ``invariant=1``). The deal is built in
:mod:`idp.synth._bundle_deal`, the inconsistencies are planted by :mod:`idp.synth._bundle_plant`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from idp.synth import statement as statement_gen
from idp.synth._bundle_deal import (
    INVOICE_KINDS,
    Deal,
    PaymentPlan,
    authority_invoice,
    base_statement,
    build_contract,
    build_invoice,
    new_firm,
    payment_rows,
    split_deliveries,
)
from idp.synth._bundle_plant import KINDS, PLANTERS, Planted, invoice_file
from idp.synth.statement import SyntheticStatement, Txn

__all__ = ["CLEAN_TRAPS", "KINDS", "Bundle", "duplicate_of", "generate"]
#: Name traps of clean bundles, rotated: (the borrower's, the buyer's).
CLEAN_TRAPS = (
    ("brackets", "company_form"),
    ("company_form", "renamed"),
    ("renamed", "brackets"),
    ("plain", "brackets"),
    ("brackets", "renamed"),
)
PRODUCT = "供应链订单贷"


@dataclass
class Bundle:
    """A finished deal and what was planted in it, ready to be written."""

    name: str
    deal: Deal
    planted: list[Planted] = field(default_factory=list)
    #: invoices (by index) left out of the documents (the resubmitted application carries only some)
    omitted: set[int] = field(default_factory=set)

    @property
    def clean(self) -> bool:
        return not self.planted

    def application(self) -> dict[str, object]:
        d = self.deal
        return {
            "application_id": d.application_id,
            "product": PRODUCT,
            "borrower": {"name": d.applicant.registered, "tax_id": d.applicant.uscc},
            "requested_amount": f"{d.requested:.2f}",
            "statement_period": {"start": d.period[0].isoformat(), "end": d.period[1].isoformat()},
            "submitted_at": d.submitted.isoformat(),
        }

    def authority(self) -> dict[str, object]:
        d = self.deal
        invoices = []
        for k, inv in enumerate(d.invoices):
            if k in d.missing_from_authority or k in self.omitted:
                continue
            invoices.append(
                {
                    **authority_invoice(inv, d.invoice_status.get(k, "normal")),
                    **d.authority_override.get(k, {}),
                }
            )
        return {"tax_invoices": invoices, "companies": [f.registry_entry() for f in d.firms]}

    def expected(self) -> dict[str, object]:
        return {
            "decision": "straight_through" if self.clean else "review",
            "inconsistencies": [p.as_dict() for p in self.planted],
            "traps": self.deal.traps,
        }


def _deal(seed: int, application_id: str, traps: tuple[str, str]) -> Deal:
    """A consistent deal: the borrower sells goods to the buyer under a contract, bills them on 2–3 invoices
    and is paid on its statement (one payment, two instalments, one on the last day of the window)."""
    rng = random.Random(f"bundle:{seed}")
    taken: set[str] = set()
    seller, buyer = new_firm(rng, traps[0], taken), new_firm(rng, traps[1], taken)
    stmt = base_statement(rng, seed, seller)
    start, end = stmt.period_start, stmt.period_end
    signed = start + timedelta(days=rng.randint(20, 40))
    contract = build_contract(rng, seed, seller, buyer, signed)
    n = 3 if rng.random() < 0.7 else 2
    dates = [signed + timedelta(days=rng.randint(2, 12))]
    if n == 3:
        dates.append(dates[0] + timedelta(days=rng.randint(5, 20)))
    dates.append(end - timedelta(days=90))  # paid on its window's last day, which ends the statement too
    kinds = [rng.choice(INVOICE_KINDS) for _ in range(n)]
    invoices = [
        build_invoice(seed * 10 + k, kinds[k], seller, buyer, dates[k], lines, contract.number)
        for k, lines in enumerate(split_deliveries(rng, contract, n))
    ]
    share = Decimal(rng.randint(30, 70)) / 100
    # the first instalment sometimes comes a day or two before the invoice (预付, after signing)
    first = rng.randint(3, 15) if rng.random() < 0.6 else -rng.randint(1, 2)
    payments = [PaymentPlan(0, "single", (rng.randint(5, 30),))]
    if n == 3:
        payments += [
            PaymentPlan(1, "instalments", (first, rng.randint(30, 60)), share),
            PaymentPlan(2, "last_day", (None,)),
        ]
    else:
        payments.append(PaymentPlan(1, "instalments", (first, None), share))
    requested = (contract.printed_total * Decimal("0.5") / 10000).to_integral_value() * 10000
    deal = Deal(
        seed=seed,
        application_id=f"A-{start.year}-{seed:05d}",
        seller=seller,
        buyer=buyer,
        applicant=seller,
        contract=contract,
        invoices=invoices,
        payments=payments,
        statement=stmt,
        period=(start, end),
        submitted=end + timedelta(days=rng.randint(3, 10)),
        requested=max(requested, Decimal(50000)),
    )
    deal.application_id = application_id or deal.application_id
    deal.traps = _trap_notes(deal)
    return deal


def _trap_notes(deal: Deal) -> list[str]:
    notes = []
    for role, firm in (("借款人", deal.seller), ("买方", deal.buyer)):
        if firm.trap == "brackets":
            notes.append(
                f"{role}名称登记为「{firm.registered}」, 发票与流水写作「{firm.printed['invoice']}」"
            )
        elif firm.trap == "company_form":
            notes.append(f"{role}登记名称「{firm.registered}」, 曾用名「{firm.former_names[0]}」印在单据上")
        elif firm.trap == "renamed":
            notes.append(f"{role}已更名为「{firm.registered}」, 单据使用曾用名「{firm.former_names[0]}」")
    for plan in deal.payments:
        if plan.kind == "instalments":
            early = plan.offsets[0] is not None and plan.offsets[0] < 0
            advance = "，首笔在开票日前预付" if early else ""
            notes.append(f"{invoice_file(plan.invoice)} 分两笔付款{advance}")
        if None in plan.offsets:
            notes.append(
                f"{invoice_file(plan.invoice)} 的付款在付款窗口与流水期间的最后一天 "
                f"({deal.statement.period_end})"
            )
    return notes


def _finish(deal: Deal, rng: random.Random, *, split_mid_day: bool = True) -> None:
    """Put the planned payments on the statement, then the statement-level plants and the mid-day split."""
    stmt = deal.statement
    paid = payment_rows(deal, rng)
    txns = sorted([*stmt.txns, *paid], key=lambda t: t.when)
    _no_fast_in_out(txns)
    statement_gen.balance_rows(txns, stmt.opening)
    stmt = replace(stmt, txns=txns, printed_amounts={})
    protected = {id(t) for t in paid}
    note = _split_mid_day(stmt, protected) if split_mid_day else None
    if note:
        deal.traps.append(note)
    if deal.balance_break:
        choices = [i for i, t in enumerate(stmt.txns) if i > 2 and id(t) not in protected]
        k = rng.choice(choices)
        delta = Decimal(rng.choice((10, 100, 1000)))
        stmt.printed_amounts[k] = stmt.txns[k].amount + (delta if stmt.txns[k].amount > 0 else -delta)
    deal.statement = stmt


def _no_fast_in_out(txns: list[Txn]) -> None:
    """Clean business: no large credit leaves again at once (a near-equal debit within two days is made
    smaller), so the base rows never look like 快进快出 by chance."""
    for i, a in enumerate(txns):
        if a.amount < 20000:
            continue
        for b in txns[i + 1 :]:
            if (b.when.date() - a.when.date()).days > 2:
                break
            if b.amount < 0 and abs(a.amount + b.amount) <= a.amount * Decimal("0.03"):
                b.amount = (b.amount * Decimal("0.7")).quantize(Decimal("0.01"))


def _page_rows(stmt: SyntheticStatement) -> list[list[int]]:
    """Which transactions (by index) each rendered page shows, found by their printed balances."""
    import pypdfium2

    from idp.synth.statement.cells import plain_money
    from idp.synth.statement.render import render

    pdf = pypdfium2.PdfDocument(render(stmt))
    try:
        texts = [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()
    pages: list[list[int]] = [[] for _ in texts]
    for i, t in enumerate(stmt.txns):
        pattern = re.compile(r"(?<![\d,.])" + re.escape(plain_money(t.balance, stmt.family)) + r"(?![\d])")
        found = [p for p, text in enumerate(texts) if pattern.search(text)]
        if found:  # the last page: page 1's header may repeat a balance as 期末余额
            pages[found[-1]].append(i)
    return pages


def _split_mid_day(stmt: SyntheticStatement, protected: set[int]) -> str | None:
    """Make one page break fall inside a day (the next page starts with a row of the same date)."""
    pages = _page_rows(stmt)
    for p in range(len(pages) - 1):
        if not pages[p] or not pages[p + 1]:
            continue
        a, b = max(pages[p]), min(pages[p + 1])  # indices are in time order whatever the print order
        if stmt.family.newest_first:
            a, b = max(pages[p + 1]), min(pages[p])
        if b != a + 1:
            continue
        older, newer = stmt.txns[a], stmt.txns[b]
        if older.when.date() == newer.when.date():
            return f"流水第{p + 1}页与第{p + 2}页在同一天 ({older.when.date()}) 内分页"
        if id(older) in protected or id(newer) in protected:
            continue
        moved = older.when + timedelta(minutes=1)
        if moved.date() == older.when.date():
            newer.when = moved
            return f"流水第{p + 1}页与第{p + 2}页在同一天 ({older.when.date()}) 内分页"
    return None


def generate(
    seed: int,
    *,
    kind: str | None = None,
    name: str = "",
    application_id: str = "",
    traps: tuple[str, str] | None = None,
    split_mid_day: bool = True,
) -> Bundle:
    """One bundle from ``seed``: clean (``kind`` None) or with the planted inconsistency ``kind``.

    ``split_mid_day`` renders the statement once to find its page breaks (the slow part of building a
    bundle: a font subset); without it the statement's pages may or may not split inside a day."""
    if kind is not None and kind not in PLANTERS:
        raise ValueError(f"unknown or suite-only kind {kind!r}; expected one of {sorted(PLANTERS)}")
    rng = random.Random(f"bundle-plant:{seed}:{kind}")
    if traps is None:
        traps = (
            rng.choice(("plain", "plain", "brackets", "company_form", "renamed")),
            rng.choice(("plain", "plain", "brackets", "company_form", "renamed")),
        )
    deal = _deal(seed, application_id, traps)
    planted = [PLANTERS[kind](deal, rng)] if kind else []
    _finish(deal, rng, split_mid_day=split_mid_day)
    return Bundle(name or f"bundle-{seed}", deal, planted)


def duplicate_of(source: Bundle, *, name: str, application_id: str) -> Bundle:
    """The source's deal submitted again as another application, with its first invoice only."""
    again = generate(source.deal.seed, traps=(source.deal.seller.trap, source.deal.buyer.trap))
    again.deal.application_id = application_id
    again.name = name
    again.omitted = set(range(1, len(again.deal.invoices)))
    again.planted = [
        Planted(
            "duplicate_invoice",
            [invoice_file(0)],
            f"发票 {again.deal.invoices[0].number} 已在申请 {source.deal.application_id} 中提交",
        )
    ]
    return again
