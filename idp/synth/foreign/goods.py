"""Goods by industry for contract lines: name, spec choices, unit, unit-price range (yuan), brands, origin,
and the tax-classification short name the invoice prints as ``*类别*名称``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from idp.synth.foreign.fmt import CENT


@dataclass(frozen=True)
class Article:
    name: str
    specs: tuple[str, ...]
    unit: str
    low: int
    high: int
    category: str
    brands: tuple[str, ...] = ("",)
    fractional: bool = False  #: quantities like 12.350 (tonnes, metres)


INDUSTRIES: dict[str, tuple[Article, ...]] = {
    "steel": (
        Article("热轧带肋钢筋", ("HRB400E Φ12", "HRB400E Φ16", "HRB500 Φ25"), "吨", 3300, 4300, "黑色金属冶炼压延品",
                ("沙钢", "永钢", "中天"), True),
        Article("镀锌钢管", ("DN50*3.5", "DN80*4.0", "DN100*4.0"), "吨", 4600, 5600, "黑色金属冶炼压延品",
                ("友发", "华岐"), True),
        Article("不锈钢板", ("304 2.0*1219*2438", "316L 3.0*1500*3000"), "张", 560, 2300, "黑色金属冶炼压延品",
                ("太钢", "宝钢")),
        Article("角钢", ("50*50*5", "75*75*6", "100*100*8"), "吨", 3700, 4500, "黑色金属冶炼压延品", ("",), True),
    ),
    "electrical": (
        Article("低压断路器", ("NXM-125S/3300 100A", "DZ47-63 C32", "CDM3-250S"), "台", 45, 1600, "电器机械及器材",
                ("正泰", "德力西", "施耐德")),
        Article("交联聚乙烯电力电缆", ("YJV-0.6/1kV 3*95+1*50", "YJV22-8.7/15kV 3*240"), "米", 80, 620,
                "电线电缆", ("远东", "宝胜"), True),
        Article("配电箱", ("XL-21 1800*600*400", "PZ30-20"), "台", 380, 5200, "电器机械及器材", ("",)),
        Article("LED投光灯", ("200W IP65", "400W IP66"), "套", 260, 980, "照明装置", ("欧普", "雷士")),
    ),
    "chemicals": (
        Article("工业级氢氧化钠", ("片碱 99%", "液碱 32%"), "吨", 900, 3800, "化学原料", ("",), True),
        Article("聚丙烯颗粒", ("T30S", "K8003"), "吨", 7200, 8900, "合成树脂", ("中石化", "中石油"), True),
        Article("水性环氧地坪漆", ("20kg/组", "25kg/组"), "组", 380, 760, "涂料", ("三棵树", "嘉宝莉")),
    ),
    "packaging": (
        Article("瓦楞纸箱", ("五层 600*400*400", "三层 350*250*200"), "个", 2, 14, "纸制品", ("",)),
        Article("缠绕膜", ("宽50cm 2.5kg/卷", "宽50cm 3kg/卷"), "卷", 18, 42, "塑料制品", ("",)),
        Article("木托盘", ("1200*1000 四面进叉", "1100*1100 双面"), "块", 45, 160, "木制品", ("",)),
    ),
    "office": (
        Article("台式计算机", ("i5-13400/16G/512G SSD", "i7-13700/32G/1T SSD"), "台", 3600, 7800,
                "计算机", ("联想", "戴尔", "华为")),
        Article("激光多功能一体机", ("A4 黑白 35页/分", "A3 彩色"), "台", 1800, 16000, "办公设备",
                ("惠普", "兄弟", "佳能")),
        Article("办公椅", ("网布 升降扶手", "真皮 大班椅"), "把", 260, 2200, "家具", ("",)),
        Article("复印纸", ("A4 70g 8包/箱", "A3 80g 5包/箱"), "箱", 110, 260, "纸制品", ("得力", "晨光")),
    ),
    "agri": (
        Article("玉米", ("二等 水分≤14%", "三等"), "吨", 2200, 2900, "谷物", ("",), True),
        Article("豆粕", ("蛋白≥43%", "蛋白≥46%"), "吨", 3300, 4600, "饲料", ("",), True),
        Article("复合肥", ("15-15-15 50kg/袋", "N-P-K 26-10-12"), "吨", 2500, 3600, "肥料", ("史丹利", "心连心"),
                True),
    ),
    "machinery": (
        Article("离心水泵", ("IS80-65-160 7.5kW", "ISG100-200 15kW"), "台", 1600, 9800, "通用设备",
                ("南方", "格兰富")),
        Article("三相异步电动机", ("YE3-132M-4 7.5kW", "YE3-180L-4 22kW"), "台", 1700, 8800, "电机",
                ("大中", "卧龙")),
        Article("叉车轮胎", ("6.50-10 实心", "28*9-15 充气"), "条", 380, 1500, "橡胶制品", ("双钱", "玲珑")),
        Article("液压油", ("L-HM46 200L/桶", "L-HM68 18L/桶"), "桶", 260, 3200, "润滑油", ("长城", "昆仑")),
    ),
}


@dataclass(frozen=True)
class Line:
    """One contract line as agreed (price includes tax)."""

    name: str
    spec: str
    unit: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    category: str
    brand: str
    origin: str


def pick_lines(rng: random.Random, industry: str, n: int, origin: str = "") -> list[Line]:
    """``n`` lines of ``industry`` (repeating articles with other specs when n exceeds the catalogue)."""
    articles = INDUSTRIES[industry]
    out: list[Line] = []
    used: set[tuple[str, str]] = set()
    while len(out) < n:
        a = rng.choice(articles)
        spec = rng.choice(a.specs)
        if (a.name, spec) in used and len(used) < sum(len(x.specs) for x in articles):
            continue
        used.add((a.name, spec))
        if a.fractional and rng.random() < 0.6:
            qty = Decimal(rng.randint(1000, 60000)) / 1000
        else:
            most = max(2, 300_000 // a.high)
            qty = Decimal(rng.randint(1, min(most, 800)))
        price = Decimal(rng.randint(a.low * 100, a.high * 100)) / 100
        if rng.random() < 0.5:
            price = price.to_integral_value()
        amount = (qty * price).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(Line(a.name, spec, a.unit, qty, price, amount, a.category, rng.choice(a.brands), origin))
    return out
