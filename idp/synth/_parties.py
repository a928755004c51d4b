"""Fictional parties for synthetic documents: companies with valid USCCs, addresses, bank accounts, clerks.

Everything is drawn from a ``random.Random`` the caller seeds, so a seed always gives the same parties.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from validators import uscc

#: Regions: (invoice-code region, province name as printed in titles, USCC region code, 数电 province code).
REGIONS = (
    ("1100", "北京", "110108", "11", "北京", "海淀"),
    ("1200", "天津", "120116", "12", "天津", "滨海新"),
    ("3100", "上海", "310115", "31", "上海", "浦东新"),
    ("3300", "浙江", "330106", "33", "杭州", "西湖"),
    ("3200", "江苏", "320506", "32", "苏州", "吴中"),
    ("4200", "湖北", "420106", "42", "武汉", "武昌"),
    ("4400", "广东", "440106", "44", "广州", "天河"),
    ("5100", "四川", "510107", "51", "成都", "武侯"),
)
_CORES = (
    "恒达",
    "云帆",
    "瑞丰",
    "华信",
    "中晟",
    "金桥",
    "博远",
    "鑫泰",
    "安和",
    "嘉禾",
    "启明",
    "同创",
    "睿拓",
    "宏图",
)
_TRADES = ("科技", "贸易", "电子", "物流", "建材", "食品", "信息技术", "机械设备", "供应链管理", "商贸")
_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_ROADS = ("文三", "长江", "黄河", "人民", "建设", "中山", "解放", "科技园", "创业", "东湖")
_BANKS = ("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "招商银行", "交通银行")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平")


@dataclass(frozen=True)
class Party:
    name: str
    tax_id: str | None
    address: str
    bank: str


def make_uscc(rng: random.Random, region6: str, authority: str = "9", category: str = "1") -> str:
    """A USCC whose inner organisation code and final check character are both correct."""
    body = "".join(rng.choice("0123456789") for _ in range(2)) + "".join(
        rng.choice(uscc.ALPHABET) for _ in range(6)
    )
    org = body + uscc.calc_org_check_digit(body)
    first17 = authority + category + region6 + org
    return first17 + uscc.calc_check_digit(first17)


def corrupt_check_digit(number: str) -> str:
    """The same USCC with a different (wrong) check character from the valid charset."""
    alphabet = uscc.ALPHABET
    return number[:17] + alphabet[(alphabet.index(number[17]) + 7) % len(alphabet)]


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def company(rng: random.Random, region: tuple[str, ...]) -> Party:
    """A fictional company registered in ``region`` (one row of :data:`REGIONS`)."""
    city, district = region[4], region[5]
    prefix = city if city in ("北京", "天津", "上海") else city + "市"
    name = prefix + rng.choice(_CORES) + rng.choice(_TRADES) + rng.choice(_FORMS)
    phone = f"0{rng.randint(10, 999)}-{rng.randint(60000000, 89999999)}"
    address = f"{prefix}{district}区{rng.choice(_ROADS)}路{rng.randint(1, 999)}号 {phone}"
    account = "".join(rng.choice("0123456789") for _ in range(rng.choice((12, 16, 19))))
    bank = f"{rng.choice(_BANKS)}{city}{rng.choice(_ROADS)}支行 {account}"
    return Party(name=name, tax_id=make_uscc(rng, region[2]), address=address, bank=bank)


def individual() -> Party:
    """A private buyer (个人): no tax id, no address."""
    return Party(name="个人", tax_id=None, address="", bank="")
