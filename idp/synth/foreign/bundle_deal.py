"""One loan application's deal for a foreign bundle: the borrower sells goods to a buyer under a contract,
bills them on 2-3 VAT invoices (the project's standard invoice generator) and is paid on its statement.

The name traps of clean bundles live here: a registered name with full-width brackets printed with half-width
ones, an 有限责任公司 registered after the printed 有限公司 (a former name), and a renamed company whose
documents still carry the old name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from idp.synth._parties import Party
from idp.synth.foreign import fmt
from idp.synth.foreign.contract_model import Contract
from idp.synth.foreign.goods import Line
from idp.synth.foreign.people import Company, company
from idp.synth.foreign.statement_model import Txn
from idp.synth.vat_invoice import LineItem, SyntheticInvoice
from idp.synth.vat_invoice import generate as generate_invoice

#: Invoice kinds bundles use: 数电专票, 数电普票, 电子专票 (税控).
INVOICE_KINDS = ("31", "31", "32", "08")
TRAPS = ("plain", "brackets", "company_form", "renamed")


@dataclass
class Firm:
    """A company as the registry holds it plus the trap that makes documents print it differently."""

    company: Company
    trap: str = "plain"
    former_names: list[str] = field(default_factory=list)
    status: str = "存续"
    established: date = date(2015, 1, 1)
    registry_name: str = ""  #: the registry's name when it differs from ``company.name`` (a plant)

    @property
    def printed(self) -> Company:
        return self.company

    def registry(self) -> dict[str, object]:
        c = self.company
        return {"name": self.registry_name or c.name, "tax_id": c.tax_id, "legal_rep": c.legal_rep,
                "status": self.status, "established": self.established.isoformat(),
                "former_names": list(self.former_names)}


def new_firm(rng: random.Random, trap: str, taken: set[str]) -> Firm:
    """A fresh company with ``trap`` applied: ``company.name`` is the registered name, ``printed`` the one on
    the documents."""
    c = company(rng, taken=taken)
    established = date(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
    if trap == "brackets":
        city = c.city.removesuffix("市")
        core = c.name.removeprefix(c.city).removeprefix(city)
        registered = f"{core[:2]}（{city}）{core[2:]}"
        c = replace(c, name=registered, printed=registered.replace("（", "(").replace("）", ")"))
        return Firm(c, trap, established=established)
    if trap == "company_form":
        base = c.name.removesuffix("有限责任公司").removesuffix("股份有限公司").removesuffix("有限公司")
        base = base.removesuffix("商贸行")
        c = replace(c, name=base + "有限责任公司", printed=base + "有限公司")
        return Firm(c, trap, former_names=[base + "有限公司"], established=established)
    if trap == "renamed":  # registered under a new name; the documents still carry the old one
        old = c.name
        c = replace(c, name=company(rng, taken=taken).name, printed=old)
        return Firm(c, trap, former_names=[old], established=established)
    return Firm(c, "plain", established=established)


def party(c: Company) -> Party:
    """The invoice generator's party: name as printed, address and phone, bank and account."""
    return Party(name=c.shown, tax_id=c.tax_id, address=f"{c.address} {c.phone}", bank=f"{c.bank} {c.account}")


def split(rng: random.Random, lines: list[Line], n: int) -> list[list[Line]]:
    """The contract's lines over ``n`` deliveries; a line is split by quantity when lines are fewer than n."""
    lines = list(lines)
    while len(lines) < n:
        big = max(range(len(lines)), key=lambda i: lines[i].amount)
        ln = lines[big]
        first_qty = (ln.quantity / 2).quantize(Decimal("1") if ln.quantity == ln.quantity.to_integral() else
                                              Decimal("0.001"), rounding=ROUND_HALF_UP)
        if first_qty <= 0 or first_qty >= ln.quantity:
            break
        first = replace(ln, quantity=first_qty, amount=(first_qty * ln.price).quantize(fmt.CENT, ROUND_HALF_UP))
        second = replace(ln, quantity=ln.quantity - first_qty, amount=ln.amount - first.amount)
        lines[big:big + 1] = [first, second]
    groups: list[list[Line]] = [[] for _ in range(min(n, len(lines)))]
    for i, ln in enumerate(lines):
        groups[i % len(groups)].append(ln)
    return groups


def invoice_items(lines: list[Line], rate: str) -> list[LineItem]:
    """Invoice lines whose amounts with tax equal the contract lines' (tax-inclusive) amounts."""
    r = Decimal(rate.rstrip("%")) / 100
    out = []
    for ln in lines:
        amount = (ln.amount / (1 + r)).quantize(fmt.CENT, ROUND_HALF_UP)
        price = (amount / ln.quantity).quantize(Decimal("0.000001"), ROUND_HALF_UP).normalize()
        out.append(LineItem(name=f"*{ln.category}*{ln.name}", spec=ln.spec, unit=ln.unit,
                            quantity=fmt.quantity(ln.quantity), price=format(price, "f"), amount=amount,
                            tax_rate=rate, tax=ln.amount - amount))
    return out


def make_invoice(seed: int, kind: str, seller: Company, buyer: Company, issued: date, items: list[LineItem],
                 contract_no: str) -> SyntheticInvoice:
    """An invoice of the standard generator re-drawn with this deal's parties, goods and date."""
    base = generate_invoice(kind, seed)
    amount = sum((i.amount for i in items), Decimal("0.00"))
    tax = sum((i.tax for i in items), Decimal("0.00"))
    number = base.number
    if base.fully_digital:
        number = f"{issued.year % 100:02d}" + base.number[2:]
    return replace(base, seller=party(seller), buyer=party(buyer), issue_date=issued, items=items, amount=amount,
                   tax=tax, total=amount + tax, words=fmt.words(amount + tax, yuan="圆"), number=number,
                   remark=f"合同编号：{contract_no}", planted=())


def authority_invoice(inv: SyntheticInvoice, status: str = "normal") -> dict[str, object]:
    """What the tax authority holds for ``inv`` (bundles.md authority.json)."""
    return {
        "invoice_code": inv.code, "invoice_number": inv.number, "issue_date": inv.issue_date.isoformat(),
        "kind": inv.kind, "check_code": inv.check_code, "seller_tax_id": inv.seller.tax_id,
        "buyer_tax_id": inv.buyer.tax_id, "seller_name": inv.seller.name, "buyer_name": inv.buyer.name,
        "amount_without_tax": str(inv.amount), "tax_amount": str(inv.tax), "total_with_tax": str(inv.total),
        "status": status,
        "items": [{"name": i.name, "spec": i.spec or None, "unit": i.unit or None, "quantity": i.quantity,
                   "price": i.price, "amount": str(i.amount), "tax_rate": i.tax_rate, "tax": str(i.tax)}
                  for i in inv.items],
    }


def payment(rng: random.Random, day: date, amount: Decimal, payer: Company, invoice_no: str) -> Txn:
    """A credit on the borrower's statement from ``payer``."""
    memo = rng.choice(("货款", "收到货款", "支付货款", f"发票{invoice_no[-8:]}货款", "合同款"))
    return Txn(datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59), rng.randint(0, 59))), memo,
               amount, cp_name=payer.shown, cp_account=payer.account)


@dataclass
class Deal:
    seed: int
    application_id: str
    borrower: Firm
    seller: Firm
    buyer: Firm
    contract: Contract
    invoices: list[SyntheticInvoice]
    payments: list[tuple[int, Txn]]  #: (invoice index, the credit that pays it)
    start: date
    end: date
    statement_start: date
    submitted: date
    requested: Decimal
    invoice_status: dict[int, str] = field(default_factory=dict)
    authority_override: dict[int, dict[str, str]] = field(default_factory=dict)
    missing_from_authority: set[int] = field(default_factory=set)
    extra_firms: list[Firm] = field(default_factory=list)
    balance_break: bool = False
    traps: list[str] = field(default_factory=list)
