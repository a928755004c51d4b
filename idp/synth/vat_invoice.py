"""Synthetic VAT invoices (电子普通/电子专用发票, 数电普票/专票) as text PDFs with a truth JSON beside each.

Deterministic by seed: the same seed gives the same data and (reportlab ``invariant=1``) the same bytes.
Errors can be planted on purpose (大写≠小写, a bad USCC check digit); the truth lists the rule ids they trip.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from idp.synth._parties import REGIONS, Party, company, corrupt_check_digit, individual, person_name
from validators.amount_words import to_words

#: Planted error → the rule id that must report it.
PLANTED_ERRORS = {
    "amount_words_mismatch": "invoice.amount_words",
    "bad_uscc_checksum": "taxpayer_id.checksum",
}
#: Kinds this generator renders: 10 电子普票, 08 电子专票 (税控 layout); 32 数电普票, 31 数电专票;
#: 01 专票 and 04 普票 on paper (pre-printed code and No., 密码区, 机器编号; rendered to scans and photos).
KINDS = ("10", "08", "32", "31", "01", "04")
#: Paper kinds (the form is printed, then filled in by the tax device).
PAPER_KINDS = ("01", "04")
_CENT = Decimal("0.01")
#: (category, product, spec, unit, rate, price range incl. tax in yuan, goods?) of `*category*product` lines.
_CATALOGUE = (
    ("钢材", "螺纹钢", "HRB400 20mm", "吨", "0.13", (3600, 4600), True),
    ("电子元件", "贴片电阻", "0603 10K", "盘", "0.13", (18, 60), True),
    ("纸制品", "A4复印纸", "70g 500张/包", "箱", "0.13", (120, 220), True),
    ("办公用品", "中性签字笔", "0.5mm 黑色", "支", "0.13", (1, 6), True),
    ("计算机外部设备", "无线键盘鼠标套装", "KM-200", "套", "0.13", (80, 260), True),
    ("塑料制品", "聚乙烯包装膜加工定制专用卷材（工业级）", "1.2m*500m", "卷", "0.13", (300, 900), True),
    ("谷物", "东北大米", "25kg/袋", "袋", "0.09", (90, 180), True),
    ("信息技术服务", "软件运维服务费", "", "项", "0.06", (2000, 30000), False),
    ("现代服务", "技术咨询服务费", "", "次", "0.06", (500, 8000), False),
    ("运输服务", "国内道路货物运输服务", "", "次", "0.09", (300, 5000), False),
)


@dataclass(frozen=True)
class LineItem:
    name: str
    spec: str
    unit: str
    quantity: str | None
    price: str | None
    amount: Decimal
    tax_rate: str
    tax: Decimal


@dataclass
class SyntheticInvoice:
    """Everything printed on one synthetic invoice, plus what was planted."""

    seed: int
    kind: str
    title: str
    code: str | None
    number: str
    issue_date: date
    check_code: str | None
    machine_no: str | None
    buyer: Party
    seller: Party
    items: list[LineItem]
    amount: Decimal
    tax: Decimal
    total: Decimal
    words: str
    remark: str
    clerks: tuple[str, str, str]
    cipher: list[str] = field(default_factory=list)
    planted: tuple[str, ...] = ()
    style: dict[str, object] = field(default_factory=dict)
    red: bool = False

    @property
    def fully_digital(self) -> bool:
        return self.kind in ("31", "32")

    @property
    def paper(self) -> bool:
        return self.kind in PAPER_KINDS

    @property
    def qr_payload(self) -> str:
        """The QR text (domain.md §1.7): amount excluding tax on 税控 invoices, including tax on 数电票."""
        amount = self.total if self.fully_digital else self.amount
        return (f"01,{self.kind},{self.code or ''},{self.number},{amount},{self.issue_date:%Y%m%d},"
                f"{self.check_code or ''},{self.seed * 7919 % 65536:04X},")

    def _party(self, party: Party) -> dict[str, str | None]:
        printed = not self.fully_digital  # the 数电 layout drawn here shows no address or bank
        return {"name": party.name, "tax_id": party.tax_id,
                "address_phone": party.address or None if printed else None,
                "bank_account": party.bank or None if printed else None}

    def truth(self, filename: str) -> dict[str, object]:
        """The truth JSON, in the schema of shared/real/invoices/*.truth.json."""
        return {
            "file": filename,
            "doc_type": "vat_invoice",
            "invoice_kind": self.title,
            "invoice_kind_code": self.kind,
            "invoice_code": self.code,
            "invoice_number": self.number,
            "issue_date": self.issue_date.isoformat(),
            "check_code": self.check_code,
            "machine_no": self.machine_no,
            "buyer": self._party(self.buyer),
            "seller": self._party(self.seller),
            "amount_without_tax": str(self.amount),
            "tax_amount": str(self.tax),
            "total_with_tax": str(self.total),
            "total_in_words": self.words,
            "line_items": [
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
                for i in self.items
            ],
            "remarks": self.remark or None,
            "payee": None if self.fully_digital else self.clerks[0],
            "reviewer": None if self.fully_digital else self.clerks[1],
            "drawer": self.clerks[2],
            "planted_errors": [PLANTED_ERRORS[p] for p in self.planted]
            + (["invoice.red_letter"] if self.red else []),
            "synthetic": True,
            "seed": self.seed,
            "truth_method": "generated by idp.synth.vat_invoice (the values drawn on the page)",
        }


def generate(kind: str, seed: int, *, planted: tuple[str, ...] = (), red: bool = False) -> SyntheticInvoice:
    """Draw one invoice's data from ``seed``: parties, items, consistent totals, then the planted errors."""
    if kind not in KINDS:
        raise ValueError(f"unsupported kind {kind!r}; expected one of {KINDS}")
    unknown = set(planted) - set(PLANTED_ERRORS)
    if unknown:
        raise ValueError(f"unknown planted errors {sorted(unknown)}")
    rng = random.Random(f"vat_invoice:{kind}:{seed}")
    region = rng.choice(REGIONS)
    issued = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    digital = kind in ("31", "32")
    special = kind in ("08", "31", "01")
    seller = company(rng, region)
    buyer = individual() if kind == "32" and rng.random() < 0.3 else company(rng, rng.choice(REGIONS))
    items = _items(rng, special=special, sign=-1 if red else 1)
    amount = sum((i.amount for i in items), Decimal("0.00"))
    tax = sum((i.tax for i in items), Decimal("0.00"))
    total = amount + tax
    yuan = "圆" if digital or rng.random() < 0.5 else "元"
    negative = "（负数）" if digital else "负"
    words = to_words(total, yuan=yuan, negative=negative)
    if "amount_words_mismatch" in planted:
        words = to_words(total + Decimal(rng.choice((1, 10, 100))), yuan=yuan, negative=negative)
    if "bad_uscc_checksum" in planted and seller.tax_id:
        seller = Party(seller.name, corrupt_check_digit(seller.tax_id), seller.address, seller.bank)
    if digital:
        title = "电子发票（增值税专用发票）" if special else "电子发票（普通发票）"
        code, machine, check = None, None, None
        number = f"{issued.year % 100:02d}{region[3]}{rng.choice('0123')}" + _digits(rng, 15)
    elif kind in PAPER_KINDS:
        title = f"{region[1]}增值税{'专用' if special else '普通'}发票"
        code_year = max(issued.year - rng.randrange(0, 2), 2018)
        if special:  # 10 digits: region, year, batch, kind (pos 8 = 1), copies, version
            code = f"{region[0]}{code_year % 100:02d}{rng.choice('0123')}1{rng.choice('36')}0"
        else:  # 12 digits ending in 04 (普票, 2 copies)
            code = f"0{region[0]}{code_year % 100:02d}{_digits(rng, 3)}04"
        number, machine = _digits(rng, 8), "6619" + _digits(rng, 8)
        check = None if special else _digits(rng, 20)
    else:
        title = f"{region[1]}增值税电子{'专用' if special else '普通'}发票"
        code_year = max(issued.year - rng.randrange(0, 2), 2018)
        code = f"0{region[0]}{code_year % 100:02d}{_digits(rng, 3)}{'13' if special else '11'}"
        number, machine, check = _digits(rng, 8), "6619" + _digits(rng, 8), _digits(rng, 20)
    remark = f"订单号:{_digits(rng, 12)}" if rng.random() < 0.6 else ""
    if red:
        remark = f"被红冲蓝字发票号码：{_digits(rng, 20 if digital else 8)}"
    return SyntheticInvoice(
        seed=seed,
        kind=kind,
        title=title,
        code=code,
        number=number,
        issue_date=issued,
        check_code=check,
        machine_no=machine,
        buyer=buyer,
        seller=seller,
        items=items,
        amount=amount,
        tax=tax,
        total=total,
        words=words,
        remark=remark,
        clerks=(person_name(rng), person_name(rng), person_name(rng)),
        cipher=["".join(rng.choice("0123456789+-*/<>") for _ in range(28)) for _ in range(4)],
        planted=tuple(planted),
        red=red,
        style={
            "colon": "：" if digital or rng.random() < 0.5 else ":",
            "split_runs": rng.random() < 0.5,
            "spaced_check_code": rng.random() < 0.7,
        },
    )


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _items(rng: random.Random, *, special: bool, sign: int) -> list[LineItem]:
    small_scale_rate = None if special or rng.random() < 0.6 else rng.choice(("0.01", "0.03"))
    out = []
    for entry in rng.sample(_CATALOGUE, rng.randint(1, 4)):
        category, product, spec, unit, rate_text, (low, high), goods = entry
        rate = Decimal(small_scale_rate or rate_text)
        if goods or rng.random() < 0.5:
            most = max(1, min(500, 40000 // high))
            qty = (
                Decimal(rng.randint(1, most))
                if rng.random() < 0.7
                else Decimal(rng.randint(1000, most * 1000)) / 1000
            )
            gross = Decimal(rng.randint(low * 100, high * 100)) / 100
            price = _printed_price(gross / (1 + rate))
            amount = (qty * price).quantize(_CENT, rounding=ROUND_HALF_UP)
            quantity, price_text = format((sign * qty).normalize(), "f"), format(price, "f")
        else:
            amount = (Decimal(rng.randint(low * 100, high * 100)) / 100 / (1 + rate)).quantize(
                _CENT, ROUND_HALF_UP
            )
            quantity, price_text, unit, spec = None, None, "", ""
        tax = (amount * rate).quantize(_CENT, rounding=ROUND_HALF_UP)
        out.append(
            LineItem(
                name=f"*{category}*{product}",
                spec=spec,
                unit=unit,
                quantity=quantity,
                price=price_text,
                amount=sign * amount,
                tax_rate=f"{format((rate * 100).normalize(), 'f')}%",
                tax=sign * tax,
            )
        )
    return out


def _printed_price(price: Decimal) -> Decimal:
    """A unit price as printed by the tax system: up to 8 decimals, at most 11 characters, no trailing 0."""
    integer_digits = len(str(int(price)))
    places = max(2, min(8, 10 - integer_digits))
    return price.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()


def write_sample(
    directory: Path, name: str, kind: str, seed: int, *, planted: tuple[str, ...] = (), red: bool = False
) -> Path:
    """Generate and render ``<name>.pdf`` with ``<name>.pdf.truth.json``; return the PDF path."""
    from idp.synth._invoice_pdf import render

    directory.mkdir(parents=True, exist_ok=True)
    invoice = generate(kind, seed, planted=planted, red=red)
    pdf = directory / f"{name}.pdf"
    render(invoice, pdf)
    truth = json.dumps(invoice.truth(pdf.name), ensure_ascii=False, indent=2) + "\n"
    (directory / f"{name}.pdf.truth.json").write_text(truth, encoding="utf-8")
    return pdf
