"""Fictional companies and people: names from their own pools, valid USCCs (GB 32100 check character and the
GB 11714 organisation-code check digit), addresses, phones and bank accounts. Seeded by the caller's RNG.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from stdnum.cn import uscc as std_uscc

#: (province, city, district, 6-digit region code of the district)
PLACES = (
    ("河南省", "郑州市", "金水区", "410105"),
    ("山东省", "济南市", "历下区", "370102"),
    ("山东省", "青岛市", "黄岛区", "370211"),
    ("福建省", "厦门市", "思明区", "350203"),
    ("湖南省", "长沙市", "岳麓区", "430104"),
    ("安徽省", "合肥市", "蜀山区", "340104"),
    ("江西省", "南昌市", "青山湖区", "360111"),
    ("河北省", "石家庄市", "裕华区", "130108"),
    ("辽宁省", "沈阳市", "铁西区", "210106"),
    ("陕西省", "西安市", "雁塔区", "610113"),
    ("重庆市", "重庆市", "渝北区", "500112"),
    ("广西壮族自治区", "南宁市", "青秀区", "450103"),
    ("云南省", "昆明市", "官渡区", "530111"),
    ("江苏省", "无锡市", "新吴区", "320214"),
    ("浙江省", "宁波市", "鄞州区", "330212"),
    ("广东省", "佛山市", "顺德区", "440606"),
)
_WORDS = ("永信", "润通", "德茂", "盛邦", "泰和", "锦程", "汇川", "新桥", "弘毅", "丰源", "晟达", "凯联",
          "华拓", "汇丰源", "昌隆", "卓越", "联创", "宝晶", "正阳", "浩宇", "益康", "信诚", "东方红", "利民")
_LINES = ("实业", "工贸", "机电", "化工", "五金", "包装材料", "建筑材料", "电气设备", "农业开发", "医疗器械",
          "印务", "环保科技", "纺织品", "冷链物流", "工程机械", "办公设备")
_SUFFIXES = ("有限公司", "有限公司", "有限责任公司", "股份有限公司", "商贸行")
_STREETS = ("花园路", "经三路", "英雄山路", "长江西路", "湖滨南路", "麓山南路", "北京东路", "友谊大街",
            "兴华大街", "小寨东路", "金开大道", "民族大道", "春城路", "清源路", "天童南路", "容桂大道")
_SURNAMES = ("郑", "冯", "蒋", "沈", "韩", "曹", "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡", "贾", "丁",
             "魏", "薛", "叶", "阎", "余", "杜", "钟", "汪")
_GIVEN = ("建国", "志强", "秀英", "海燕", "国庆", "丽华", "文博", "晓东", "玉兰", "永康", "春梅", "立新",
          "宏伟", "雪", "鹏", "凯", "婷", "斌", "琳", "浩", "瑶", "峰", "蕾", "晖")
#: Banks whose branch names appear on contracts and statements (full names as printed).
BANKS = ("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "上海浦东发展银行",
         "中信银行", "中国民生银行", "平安银行", "兴业银行", "中国邮政储蓄银行")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Company:
    """A fictional company as the registry holds it (``name``) and as documents print it (``printed``)."""

    name: str
    tax_id: str
    legal_rep: str
    address: str
    phone: str
    contact: str
    bank: str
    account: str
    city: str
    district: str
    printed: str = ""

    @property
    def shown(self) -> str:
        """The name documents print (a variant when a trap or a plant says so)."""
        return self.printed or self.name

    def renamed(self, printed: str) -> Company:
        return replace(self, printed=printed)


def org_check(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(_ORG_ALPHABET.index(c) * w if c.isdigit() else (ord(c) - 55) * w
                for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return "X" if digit == 10 else "0" if digit == 11 else str(digit)


def make_uscc(rng: random.Random, region: str) -> str:
    """A USCC (9 = registered by market regulation, 1 = enterprise) valid in both check characters."""
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    if rng.random() < 0.4:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + region + body + org_check(body)
    return first17 + std_uscc.calc_check_digit(first17)


def person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + "".join(rng.choice("0123456789") for _ in range(9))


def account_number(rng: random.Random, bank: str) -> str:
    """A corporate account number with a length typical of ``bank``."""
    length = {"中国工商银行": 19, "中国建设银行": 20, "中国农业银行": 17, "中国银行": 12, "交通银行": 21,
              "招商银行": 15, "上海浦东发展银行": 16}.get(bank, 18)
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))


def company(rng: random.Random, *, taken: set[str] | None = None) -> Company:
    """A fictional company somewhere in :data:`PLACES`; ``taken`` names are avoided (and the new one added)."""
    taken = taken if taken is not None else set()
    while True:
        province, city, district, region = rng.choice(PLACES)
        prefix = city.removesuffix("市") if rng.random() < 0.5 else city
        name = prefix + rng.choice(_WORDS) + rng.choice(_LINES) + rng.choice(_SUFFIXES)
        if name not in taken:
            break
    taken.add(name)
    bank = rng.choice(BANKS)
    street = rng.choice(_STREETS)
    address = f"{province if province != city else ''}{city}{district}{street}{rng.randint(1, 399)}号"
    if rng.random() < 0.4:
        address += f"{rng.randint(1, 28)}栋{rng.randint(101, 2408)}室"
    area = f"0{rng.randint(10, 999)}"
    phone = f"{area}-{rng.randint(5000000, 89999999)}" if rng.random() < 0.6 else mobile(rng)
    return Company(
        name=name,
        tax_id=make_uscc(rng, region),
        legal_rep=person(rng),
        address=address,
        phone=phone,
        contact=person(rng),
        bank=f"{bank}{city.removesuffix('市')}{district.removesuffix('区')}支行",
        account=account_number(rng, bank),
        city=city,
        district=district,
    )
