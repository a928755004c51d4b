"""Synthetic purchase-sale contracts (购销合同) of many layout families: parties, goods, 大写, seals, signatures.

Deterministic by seed. A family (``idp/synth/contract_layout/families/*.toml``) decides the look: which role
words head the party blocks (甲方 may buy or sell), how blocks and tables are drawn, how the total is phrased,
how dates, amounts and numbers are printed; the seed decides the values. Errors can be planted (total ≠ lines,
大写 ≠ 小写, a missing seal); the truth lists the rule ids they trip and leaves out what the family does not print.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from idp.synth._parties import REGIONS, Party, company, person_name
from idp.synth.contract_layout.family import Family, families, family
from validators.amount_words import to_words

#: The first four families (the layouts bundles draw from: keep their order for reproducible bundles).
LAYOUTS = ("jiayi", "maimai", "gongxu", "caigou")
#: Planted error → the rule id that must report it.
PLANTED_ERRORS = {
    "total_mismatch": "contract.items_total",
    "amount_words_mismatch": "contract.amount_words",
    "missing_seal": "contract.seal_missing",
}
_CENT = Decimal("0.01")
#: (name, spec, unit, price range, brand, origin) of goods; some names are long enough to wrap in a cell.
_GOODS = (
    ("螺纹钢", "HRB400E Φ20", "吨", (3600, 4600), "沙钢", "江苏张家港"),
    ("热轧卷板", "Q235B 3.0*1500", "吨", (3800, 4500), "宝钢", "上海"),
    ("贴片电阻", "0603 10KΩ", "盘", (18, 60), "风华", "广东肇庆"),
    ("A4复印纸", "70g 500张/包", "箱", (120, 220), "得力", "浙江宁波"),
    ("工业触摸屏", "TPC7062 7寸", "台", (900, 1800), "昆仑通态", "北京"),
    ("伺服电机", "MS1H2-75B30", "台", (1500, 3200), "汇川", "江苏苏州"),
    ("聚乙烯包装膜", "1.2m*500m", "卷", (300, 900), "金田", "广东佛山"),
    ("不锈钢管", "304 Φ32*2.0", "米", (30, 90), "久立", "浙江湖州"),
    ("铝合金型材", "6063-T5", "千克", (20, 32), "忠旺", "辽宁辽阳"),
    ("LED面板灯", "600*600 40W", "套", (80, 260), "欧普", "广东中山"),
    ("交流接触器", "CJX2-1810 220V", "只", (45, 120), "正泰", "浙江温州"),
    ("小型断路器", "DZ47-63 C32 3P", "个", (25, 80), "德力西", "浙江乐清"),
    ("工业级以太网交换机", "8口千兆 导轨式", "台", (1200, 2600), "华为", "广东深圳"),
    ("镀锌角钢", "50*50*5 L=6m", "根", (90, 160), "首钢", "北京"),
    ("耐高温硅胶密封条", "D型 12*10mm", "米", (6, 18), "中鼎", "安徽宁国"),
    ("变频器", "VFD-M 7.5KW", "台", (2100, 4200), "台达", "江苏吴江"),
    ("阻燃电力电缆", "ZR-YJV 4*25+1*16", "米", (110, 190), "远东", "江苏宜兴"),
    ("PVC排水管", "DN110 3.2mm", "根", (38, 75), "联塑", "广东佛山"),
    ("液压油", "L-HM46 200L/桶", "桶", (1500, 2300), "长城", "北京"),
    ("实木办公桌", "1600*800*760", "张", (1100, 2400), "震旦", "上海"),
    ("激光打印机", "HP M404dn", "台", (1900, 2800), "惠普", "上海"),
    ("冷轧钢板", "SPCC 1.0*1250*2500", "吨", (4300, 5200), "鞍钢", "辽宁鞍山"),
)
_PLACES = ("上海市浦东新区", "杭州市西湖区", "苏州市吴中区", "广州市天河区", "北京市海淀区", "成都市武侯区",
           "武汉市洪山区", "南京市江宁区", "宁波市鄞州区", "深圳市南山区")
_PAYMENTS = (
    "合同签订后3个工作日内，{buyer}向{seller}支付合同总金额的30%作为预付款，货到验收合格后30日内付清余款。",
    "货到验收合格并收到{seller}开具的增值税专用发票后，{buyer}于45日内以银行转账方式一次性付清全部货款。",
    "{buyer}以银行承兑汇票或电汇方式，于每批货物验收合格后60日内支付该批货款。",
)
_REMARKS = ("含运费", "含包装", "分批交货", "原厂质保", "", "现货")


@dataclass(frozen=True)
class Item:
    name: str
    spec: str
    unit: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    brand: str = ""
    origin: str = ""
    remark: str = ""


@dataclass
class ContractParty:
    party: Party
    legal_rep: str
    contact: str
    phone: str

    @property
    def name(self) -> str:
        return self.party.name

    room: str = ""  #: a building and room after the street address (…号7栋641室), where the family prints one

    @property
    def address(self) -> str:
        return self.party.address.split(" ")[0] + self.room


@dataclass
class SyntheticContract:
    """Everything printed on one synthetic contract, plus what was planted."""

    seed: int
    layout: str  #: the family name
    title: str
    number: str
    sign_date: date
    sign_place: str
    buyer: ContractParty
    seller: ContractParty
    items: list[Item]
    total: Decimal
    printed_total: Decimal
    words: str
    tax_rate: str
    delivery_date: date
    delivery_place: str
    payment: str
    valid_until: date
    seals: dict[str, bool] = field(default_factory=lambda: {"buyer": True, "seller": True})
    signatures: dict[str, bool] = field(default_factory=lambda: {"buyer": True, "seller": True})
    planted: tuple[str, ...] = ()
    #: Small amounts printed elsewhere (运费, 违约金, 定金 …) that are not the total.
    extras: dict[str, Decimal] = field(default_factory=dict)

    @property
    def family(self) -> Family:
        return family(self.layout)

    @property
    def jia_is_buyer(self) -> bool:
        return self.family.jia_is_buyer

    def truth(self, filename: str, *, form: str | None = None) -> dict[str, object]:
        """The truth JSON in the schema of shared/real/README.md (buyer = the party that buys); what the
        family does not print is null (not scored)."""
        f = self.family
        printed = {"name", *f.party_labels, *f.sign_labels}
        words_printed = f.total_row in ("words", "words_figures", "two_rows") or "{words}" in f.total_phrase
        truth: dict[str, object] = {
            "file": filename,
            "doc_type": "purchase_contract",
            "synthetic": True,
            "seed": self.seed,
            "family": self.layout,
            "layout": self.layout,
            "contract_number": self.number,
            "sign_date": self.sign_date.isoformat(),
            "sign_place": self.sign_place if f.place != "none" else None,
            "buyer": _party_truth(self.buyer, printed),
            "seller": _party_truth(self.seller, printed),
            "line_items": [
                {
                    "name": i.name,
                    "spec": i.spec if "spec" in f.columns else None,
                    "unit": i.unit if "unit" in f.columns else None,
                    "quantity": _plain(i.quantity) if "quantity" in f.columns else None,
                    "price": _plain(i.price) if "price" in f.columns else None,
                    "amount": str(i.amount),
                }
                for i in self.items
            ],
            "total_amount": str(self.printed_total),
            "total_in_words": self.words if words_printed else None,
            "tax_rate": self.tax_rate if "{tax}" in f.total_phrase else None,
            "delivery_date": self.delivery_date.isoformat() if f.delivery != "days" else None,
            "valid_until": self.valid_until.isoformat() if f.validity else None,
            "seals": dict(self.seals),
            "signatures": dict(self.signatures),
            "planted_errors": [PLANTED_ERRORS[p] for p in self.planted],
            "truth_method": "generated by idp.synth.contract (the values printed on the page)",
        }
        if form:
            truth["form"] = "text_pdf" if form == "text" else form
        return truth


def _party_truth(p: ContractParty, printed: set[str]) -> dict[str, str | None]:
    values = {
        "name": p.name,
        "tax_id": p.party.tax_id,
        "legal_rep": p.legal_rep,
        "address": p.address,
        "contact": p.contact,
        "phone": p.phone,
    }
    return {k: v if k in printed else None for k, v in values.items()}


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def generate(
    layout: str, seed: int, *, planted: tuple[str, ...] = (), items: int | None = None
) -> SyntheticContract:
    """Draw one contract of family ``layout`` from ``seed``, then the planted errors."""
    fam = family(layout)
    unknown = set(planted) - set(PLANTED_ERRORS)
    if unknown:
        raise ValueError(f"unknown planted errors {sorted(unknown)}")
    rng = random.Random(f"contract:{layout}:{seed}")
    buyer = _party(rng, rooms=fam.address_rooms)
    seller = _party(rng, rooms=fam.address_rooms)
    while seller.name == buyer.name:
        seller = _party(rng, rooms=fam.address_rooms)
    lines = []
    for name, spec, unit, (low, high), brand, origin in rng.sample(_GOODS, items or rng.randint(*fam.items)):
        qty = Decimal(rng.randint(1, 200)) if unit != "吨" else Decimal(rng.randint(50, 800)) / 10
        price = Decimal(rng.randint(low * 100, high * 100)) / 100
        amount = (qty * price).quantize(_CENT, ROUND_HALF_UP)
        lines.append(Item(name, spec, unit, qty, price, amount, brand, origin, rng.choice(_REMARKS)))
    total = sum((i.amount for i in lines), Decimal("0.00"))
    printed = total
    if "total_mismatch" in planted:
        printed = total + Decimal(rng.choice((100, 1000, 50)))
    yuan = rng.choice(("元", "圆"))
    words = to_words(printed, yuan=yuan)
    if "amount_words_mismatch" in planted:
        words = to_words(printed + Decimal(rng.choice((1000, 100, 10))), yuan=yuan)
    signed = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 540))
    number = rng.choice(fam.number_formats).format(
        y=signed.year, m=signed.month, d=signed.day, n=rng.randint(100, 9999)
    )
    contract = SyntheticContract(
        seed=seed,
        layout=layout,
        title=rng.choice(fam.titles),
        number=number,
        sign_date=signed,
        sign_place=rng.choice(_PLACES),
        buyer=buyer,
        seller=seller,
        items=lines,
        total=total,
        printed_total=printed,
        words=words,
        tax_rate=rng.choice(("13%", "13%", "9%")),
        delivery_date=signed + timedelta(days=rng.randint(10, 60)),
        delivery_place=buyer.address,
        payment=rng.choice(_PAYMENTS),
        valid_until=date(signed.year + 3, 12, 31),
        planted=tuple(planted),
        extras=_extras(rng, total),
    )
    if "missing_seal" in planted:
        contract.seals[rng.choice(("buyer", "seller"))] = False
    return contract


def _extras(rng: random.Random, total: Decimal) -> dict[str, Decimal]:
    """Amounts a contract states besides its total: freight, a fixed penalty, a deposit, a warranty retention."""
    rate = Decimal(rng.choice((10, 20, 30)))
    return {
        "freight": Decimal(rng.randint(3, 40) * 50),
        "penalty": Decimal(rng.choice((2000, 5000, 10000, 20000))),
        "deposit_rate": rate,
        "deposit": (total * rate / 100).quantize(_CENT, ROUND_HALF_UP),
        "warranty": (total * Decimal("0.05")).quantize(_CENT, ROUND_HALF_UP),
    }


def _party(rng: random.Random, *, rooms: bool = False) -> ContractParty:
    party = company(rng, rng.choice(REGIONS))
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
    room = f"{rng.randint(1, 40)}栋{rng.randint(101, 2808)}室" if rooms else ""
    return ContractParty(party, person_name(rng), person_name(rng), phone, room)


def write_sample(
    directory: Path,
    name: str,
    layout: str,
    seed: int,
    *,
    condition: str = "text",
    planted: tuple[str, ...] = (),
) -> Path:
    """Generate and render ``<name>.pdf`` (text or ``scan``) or a photo, with its ``.truth.json`` beside."""
    from idp.synth.contract_layout import render
    from idp.synth.degrade_docs import degrade_pdf

    directory.mkdir(parents=True, exist_ok=True)
    contract = generate(layout, seed, planted=planted)
    pdf = render(contract)
    if condition == "text":
        path = directory / f"{name}.pdf"
        path.write_bytes(pdf)
    else:
        data, ext = degrade_pdf(pdf, condition, seed)
        path = directory / f"{name}.{ext}"
        path.write_bytes(data)
    truth = json.dumps(contract.truth(path.name, form=condition), ensure_ascii=False, indent=2) + "\n"
    (directory / f"{path.name}.truth.json").write_text(truth, encoding="utf-8")
    return path


def write_set(
    directory: Path, *, count: int, seed: int, forms: tuple[str, ...], names: tuple[str, ...] = ()
) -> list[Path]:
    """``count`` contracts of every family in ``names`` (all by default) in every form, seeds ``seed…``."""
    chosen = names or tuple(families())
    paths = []
    for form in forms:
        for name in chosen:
            for i in range(count):
                paths.append(write_sample(directory / name, f"{form}_{name}_{i:02d}", name, seed + i, condition=form))
    return paths
