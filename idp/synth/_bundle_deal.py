"""The deal behind one synthetic application bundle: two companies, their purchase contract, the invoices that
bill it and the borrower's statement that shows the buyer paying them, built as one consistent whole.

Names are chosen per document (the registry's, the contract's, the invoice's, the statement's) so clean
bundles can carry the traps bundles.md lists; payments are planned as patterns (one payment, two instalments,
the last day of the window) and turned into statement rows only when the deal is finished.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from idp.synth import contract as contract_gen
from idp.synth import statement as statement_gen
from idp.synth import vat_invoice
from idp.synth._parties import _BANKS, _CORES, _ROADS, _TRADES, REGIONS, Party, make_uscc, person_name
from idp.synth.contract import ContractParty, Item, SyntheticContract
from idp.synth.contract_layout.family import families as contract_families
from idp.synth.statement import SyntheticStatement, Txn
from idp.synth.vat_invoice import LineItem, SyntheticInvoice
from validators.amount_words import to_words

_CENT = Decimal("0.01")
#: (name, spec, unit, 税收分类 category on invoices, price range incl. tax in yuan) of contract goods.
GOODS = (
    ("螺纹钢", "HRB400E Φ20", "吨", "钢材", (3600, 4600)),
    ("热轧卷板", "Q235B 3.0*1500", "吨", "钢材", (3800, 4500)),
    ("不锈钢管", "304 Φ32*2.0", "米", "钢材", (30, 90)),
    ("贴片电阻", "0603 10KΩ", "盘", "电子元件", (18, 60)),
    ("A4复印纸", "70g 500张/包", "箱", "纸制品", (120, 220)),
    ("工业触摸屏", "TPC7062 7寸", "台", "计算机外部设备", (900, 1800)),
    ("伺服电机", "MS1H2-75B30", "台", "电动机", (1500, 3200)),
    ("聚乙烯包装膜", "1.2m*500m", "卷", "塑料制品", (300, 900)),
    ("铝合金型材", "6063-T5", "千克", "有色金属压延材", (20, 32)),
    ("LED面板灯", "600*600 40W", "套", "照明装置", (80, 260)),
)
#: Goods and services no contract of this generator sells (for invoices billing something else).
OTHER_GOODS = (
    ("技术咨询服务费", "", "次", "现代服务", (3000, 9000)),
    ("餐饮服务费", "", "次", "餐饮服务", (800, 3000)),
    ("东北大米", "25kg/袋", "袋", "谷物", (90, 180)),
    ("中性签字笔", "0.5mm 黑色", "支", "办公用品", (1, 6)),
    ("汽油", "92号", "升", "汽油", (7, 9)),
)
#: For each contract good, something close to it by name but other goods or a service, billed in another
#: unit (a coupler for rebar, a processing fee, a cover film for a screen …).
RELATED_GOODS = {
    "螺纹钢": ("螺纹钢套筒", "Φ20", "个", "金属制品", (3, 9)),
    "热轧卷板": ("热轧卷板开平加工费", "", "次", "加工劳务", (2000, 8000)),
    "不锈钢管": ("不锈钢板", "304 2.0mm", "张", "钢材", (400, 900)),
    "贴片电阻": ("贴片电阻检测服务费", "", "次", "现代服务", (500, 3000)),
    "A4复印纸": ("A4复印机", "M7400", "台", "办公设备", (2000, 6000)),
    "工业触摸屏": ("工业触摸屏保护膜", "7寸", "张", "塑料制品", (5, 20)),
    "伺服电机": ("伺服电机编码器线", "3m", "根", "电线电缆", (60, 200)),
    "聚乙烯包装膜": ("聚乙烯包装袋", "50*70cm", "个", "塑料制品", (1, 3)),
    "铝合金型材": ("铝合金门窗", "断桥", "樘", "建筑用金属制品", (800, 2500)),
    "LED面板灯": ("LED面板灯安装服务费", "", "次", "建筑服务", (300, 2000)),
}
TAX_RATE = Decimal("0.13")
#: Invoice kinds of the bundles: 数电专票/普票 and 电子专票/普票.
INVOICE_KINDS = ("31", "32", "08", "10")
#: Name traps a firm may carry: how it is written on documents vs in the registry.
NAME_TRAPS = ("plain", "brackets", "company_form", "renamed")


@dataclass
class Firm:
    """A company: how the registry records it and how each document family prints its name."""

    party: Party  #: tax id, address, bank; ``party.name`` is the registered name
    region: tuple[str, ...]
    legal_rep: str
    established: date
    former_names: list[str] = field(default_factory=list)
    status: str = "存续"
    printed: dict[str, str] = field(default_factory=dict)  #: document family → name printed there
    trap: str = "plain"

    @property
    def registered(self) -> str:
        return self.party.name

    @property
    def uscc(self) -> str:
        assert self.party.tax_id
        return self.party.tax_id

    @property
    def account(self) -> str:
        return self.party.bank.split(" ")[-1]

    def on(self, family: str) -> Party:
        """The party as the given document family ("contract", "invoice", "statement") prints it."""
        return replace(self.party, name=self.printed.get(family, self.registered))

    def registry_entry(self) -> dict[str, object]:
        return {
            "name": self.registered,
            "tax_id": self.uscc,
            "legal_rep": self.legal_rep,
            "status": self.status,
            "established": self.established.isoformat(),
            "former_names": list(self.former_names),
        }


@dataclass
class PaymentPlan:
    """How one invoice is paid: ``kind`` single / instalments / last_day; each payment's day as days after
    the issue date (negative: paid in advance), or None for the last day of the statement."""

    invoice: int
    kind: str
    offsets: tuple[int | None, ...]
    share: Decimal = Decimal("0.5")  #: first instalment's share
    payer: Firm | None = None  #: None: the contract's buyer


@dataclass
class Deal:
    seed: int
    application_id: str
    seller: Firm  #: the borrower
    buyer: Firm
    applicant: Firm  #: who the application names as borrower (the seller unless planted otherwise)
    contract: SyntheticContract
    invoices: list[SyntheticInvoice]
    payments: list[PaymentPlan]
    statement: SyntheticStatement
    period: tuple[date, date]  #: statement_period the application asks for
    submitted: date
    requested: Decimal
    extra_firms: list[Firm] = field(default_factory=list)
    invoice_status: dict[int, str] = field(default_factory=dict)
    authority_override: dict[int, dict[str, object]] = field(default_factory=dict)
    missing_from_authority: set[int] = field(default_factory=set)
    balance_break: bool = False
    traps: list[str] = field(default_factory=list)

    @property
    def firms(self) -> list[Firm]:
        out: list[Firm] = []
        for f in (self.seller, self.buyer, self.applicant, *self.extra_firms):
            if all(f.uscc != o.uscc for o in out):
                out.append(f)
        return out


def new_firm(rng: random.Random, trap: str = "plain", taken: set[str] | None = None) -> Firm:
    """A company with a valid USCC; ``trap`` decides how documents write its name (see NAME_TRAPS)."""
    taken = taken if taken is not None else set()
    while True:
        region = rng.choice(REGIONS)
        city, district = region[4], region[5]
        prefix = city if city in ("北京", "天津", "上海") else city + "市"
        core, trade = rng.choice(_CORES), rng.choice(_TRADES)
        if core + trade not in taken:
            break
    taken.add(core + trade)
    printed: dict[str, str] = {}
    former: list[str] = []
    if trap == "brackets":  # registered and on the contract with （）, typed with () on invoice and statement
        name = f"{core}{trade}（{city}）有限公司"
        half = name.replace("（", "(").replace("）", ")")
        printed = {"invoice": half, "statement": half}
    elif trap == "company_form":  # registered as 有限责任公司, formerly 有限公司, which documents still print
        name = f"{prefix}{core}{trade}有限责任公司"
        former = [f"{prefix}{core}{trade}有限公司"]
        printed = {"contract": former[0], "invoice": former[0], "statement": former[0]}
    elif trap == "renamed":  # renamed since; the documents were made under the former name
        old_trade = rng.choice([t for t in _TRADES if t != trade])
        name = f"{prefix}{core}{trade}有限公司"
        former = [f"{prefix}{core}{old_trade}有限公司"]
        printed = {"contract": former[0], "invoice": former[0], "statement": former[0]}
    else:
        name = f"{prefix}{core}{trade}{rng.choice(('有限公司', '有限责任公司'))}"
    phone = f"0{rng.randint(10, 999)}-{rng.randint(60000000, 89999999)}"
    address = f"{prefix}{district}区{rng.choice(_ROADS)}路{rng.randint(1, 999)}号 {phone}"
    account = str(rng.randint(1, 9)) + "".join(
        rng.choice("0123456789") for _ in range(rng.choice((11, 15, 18)))
    )
    bank = f"{rng.choice(_BANKS)}{city}{rng.choice(_ROADS)}支行 {account}"
    party = Party(name=name, tax_id=make_uscc(rng, region[2]), address=address, bank=bank)
    established = date(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
    return Firm(party, region, person_name(rng), established, former, printed=printed, trap=trap)


def _contract_party(rng: random.Random, firm: Firm) -> ContractParty:
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
    return ContractParty(firm.on("contract"), firm.legal_rep, person_name(rng), phone)


def build_contract(
    rng: random.Random, seed: int, seller: Firm, buyer: Firm, signed: date
) -> SyntheticContract:
    """A contract for 1–3 goods worth about 150–600 thousand yuan, signed on ``signed``."""
    layout = rng.choice(sorted(contract_families()))  # every contract layout family the generator has
    base = contract_gen.generate(layout, seed)
    items = []
    for name, spec, unit, _cat, (low, high) in rng.sample(GOODS, rng.randint(1, 3)):
        price = Decimal(rng.randint(low * 100, high * 100)) / 100
        qty = max(Decimal(2), (Decimal(rng.randint(60_000, 250_000)) / price).to_integral_value())
        items.append(Item(name, spec, unit, qty, price, (qty * price).quantize(_CENT, ROUND_HALF_UP)))
    total = sum((i.amount for i in items), Decimal("0.00"))
    number = f"{rng.choice(('HT', 'CG', 'GX'))}-{signed:%Y%m}-{rng.randint(100, 9999)}"
    return replace(
        base,
        number=number,
        sign_date=signed,
        buyer=_contract_party(rng, buyer),
        seller=_contract_party(rng, seller),
        items=items,
        total=total,
        printed_total=total,
        words=to_words(total, yuan=rng.choice(("元", "圆"))),
        tax_rate="13%",
        delivery_date=signed + timedelta(days=rng.randint(10, 40)),
        delivery_place=buyer.party.address.split(" ")[0],
        valid_until=date(signed.year + 3, 12, 31),
        seals={"buyer": True, "seller": True},
        signatures={"buyer": True, "seller": True},
        planted=(),
    )


def invoice_line(
    name: str, spec: str, unit: str, category: str, qty: Decimal, gross_price: Decimal
) -> LineItem:
    """One invoice line billing ``qty`` at a contract (tax-included) unit price, as the tax system
    prints it."""
    net_price = vat_invoice._printed_price(gross_price / (1 + TAX_RATE))
    amount = (qty * net_price).quantize(_CENT, ROUND_HALF_UP)
    tax = (amount * TAX_RATE).quantize(_CENT, ROUND_HALF_UP)
    return LineItem(
        name=f"*{category}*{name}",
        spec=spec,
        unit=unit,
        quantity=format(qty.normalize(), "f"),
        price=format(net_price, "f"),
        amount=amount,
        tax_rate="13%",
        tax=tax,
    )


def split_deliveries(rng: random.Random, contract: SyntheticContract, n: int) -> list[list[LineItem]]:
    """The contract's goods billed over ``n`` invoices (the first good on every one of them, the others on
    some); part of the last good is not delivered yet, so the invoices stay below the contract total."""
    category = {g[0]: g[3] for g in GOODS}
    lines: list[list[LineItem]] = [[] for _ in range(n)]
    for j, item in enumerate(contract.items):
        qty = int(item.quantity)
        if j == len(contract.items) - 1:
            qty -= max(1, qty // 5)
        targets = list(range(n)) if j == 0 else sorted(rng.sample(range(n), rng.randint(1, n)))
        cuts = sorted(rng.sample(range(1, qty), len(targets) - 1))
        for target, a, b in zip(targets, [0, *cuts], [*cuts, qty], strict=True):
            lines[target].append(
                invoice_line(item.name, item.spec, item.unit, category[item.name], Decimal(b - a), item.price)
            )
    return lines


def build_invoice(
    seed: int, kind: str, seller: Firm, buyer: Firm, issued: date, lines: list[LineItem], contract_number: str
) -> SyntheticInvoice:
    """An invoice of ``kind`` around the given parties and lines (clerks, check code and style from the
    invoice generator); codes and numbers follow the seller's region and the issue year."""
    base = vat_invoice.generate(kind, seed)
    inv = replace(
        base,
        seller=seller.on("invoice"),
        buyer=buyer.on("invoice"),
        items=list(lines),
        remark=f"合同编号:{contract_number}",
        planted=(),
        red=False,
    )
    return reissue(inv, issued, seller.region, seed)


def reissue(inv: SyntheticInvoice, issued: date, region: tuple[str, ...], seed: int) -> SyntheticInvoice:
    """The same invoice with totals recomputed from its lines and ids for ``issued`` (year in code/number)."""
    rng = random.Random(f"bundle-invoice-ids:{seed}:{inv.kind}:{issued}")
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    amount = sum((i.amount for i in inv.items), Decimal("0.00"))
    tax = sum((i.tax for i in inv.items), Decimal("0.00"))
    code: str | None = None
    title = inv.title
    if inv.fully_digital:
        number = f"{issued.year % 100:02d}{region[3]}{rng.choice('0123')}" + digits(15)
    else:
        special = inv.kind == "08"
        code = f"0{region[0]}{issued.year % 100:02d}{digits(3)}{'13' if special else '11'}"
        number = digits(8)
        title = f"{region[1]}增值税电子{'专用' if special else '普通'}发票"  # the code's province
    yuan = "圆" if inv.fully_digital else ("元" if seed % 2 else "圆")
    return replace(
        inv,
        issue_date=issued,
        title=title,
        code=code,
        number=number,
        amount=amount,
        tax=tax,
        total=amount + tax,
        words=to_words(amount + tax, yuan=yuan),
    )


def authority_invoice(inv: SyntheticInvoice, status: str = "normal") -> dict[str, object]:
    """The tax authority's record of an invoice as it was issued (bundles.md authority.json form)."""
    return {
        "invoice_code": inv.code,
        "invoice_number": inv.number,
        "issue_date": inv.issue_date.isoformat(),
        "kind": inv.kind,
        "check_code": inv.check_code,
        "seller_tax_id": inv.seller.tax_id,
        "buyer_tax_id": inv.buyer.tax_id,
        "seller_name": inv.seller.name,
        "buyer_name": inv.buyer.name,
        "amount_without_tax": str(inv.amount),
        "tax_amount": str(inv.tax),
        "total_with_tax": str(inv.total),
        "status": status,
        "items": [
            {
                "name": i.name,
                "spec": i.spec or None,
                "unit": i.unit or None,
                "quantity": i.quantity,
                "price": i.price,
                "amount": str(i.amount),
                "tax_rate": i.tax_rate,
                "tax": str(i.tax),
            }
            for i in inv.items
        ],
    }


def base_statement(rng: random.Random, seed: int, holder: Firm) -> SyntheticStatement:
    """Six months of the holder's ordinary business (the generator's rows), before the buyer's payments."""
    stmt = statement_gen.generate(rng.choice(statement_gen.FAMILIES), seed, months=6, per_month=10)
    return replace(stmt, holder=holder.on("statement"), txns=list(stmt.txns))


def payment_rows(deal: Deal, rng: random.Random) -> list[Txn]:
    """The statement rows of every planned payment (amounts from the invoices as they finally are)."""
    rows = []
    end = deal.statement.period_end
    for plan in deal.payments:
        inv = deal.invoices[plan.invoice]
        payer = plan.payer or deal.buyer
        if plan.kind == "instalments":
            first = (inv.total * plan.share).quantize(_CENT, ROUND_HALF_UP)
            amounts = [first, inv.total - first]
        else:
            amounts = [inv.total]
        for offset, amount in zip(plan.offsets, amounts, strict=True):
            day = end if offset is None else min(end, inv.issue_date + timedelta(days=offset))
            when = datetime(
                day.year, day.month, day.day, rng.randint(9, 16), rng.randint(0, 59), rng.randint(0, 59)
            )
            rows.append(
                Txn(
                    when,
                    rng.choice(("货款", "收到货款", "销售回款")),
                    amount,
                    counterparty_name=payer.printed.get("statement", payer.registered),
                    counterparty_account=payer.account,
                    voucher="".join(rng.choice("0123456789") for _ in range(8)),
                )
            )
    return rows
