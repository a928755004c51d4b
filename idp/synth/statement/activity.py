"""What an account does: the rows of ordinary business (a company's sales, purchases, wages and taxes; a
person's salary, card spending and transfers), the red-flag patterns that can be planted, and longer
descriptions with references. Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from idp.synth._parties import Party, person_name

_CENT = Decimal("0.01")
INCOME = ("货款", "销售回款", "收到货款", "往来款")
SPEND = ("支付货款", "采购付款", "材料款", "运费")


@dataclass
class Txn:
    when: datetime
    description: str
    amount: Decimal
    balance: Decimal = Decimal("0.00")
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    voucher: str = ""
    channel: str = "网银"



def digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def month_end(start: date, months: int) -> date:
    y, m = divmod(start.month - 1 + months, 12)
    return date(start.year + y, m + 1, 1) - timedelta(days=1)


def _at(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))


def ordinary(rng: random.Random, day: date, partners: list[Party], accounts: dict[str, str]) -> Txn:
    roll = rng.random()
    when = _at(rng, day)
    if roll < 0.42:
        p = rng.choice(partners[:4])
        amount = Decimal(rng.randint(3_000, 180_000)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(
            when, rng.choice(INCOME), amount, counterparty_name=p.name, counterparty_account=accounts[p.name]
        )
    if roll < 0.8:
        p = rng.choice(partners[4:])
        amount = Decimal(rng.randint(2_000, 120_000)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(
            when, rng.choice(SPEND), -amount, counterparty_name=p.name, counterparty_account=accounts[p.name]
        )
    if roll < 0.88:
        return Txn(
            when,
            "代发工资",
            -(Decimal(rng.randint(8_000, 60_000)) + Decimal(rng.randint(0, 99)) / 100),
            counterparty_name=f"{person_name(rng)}等{rng.randint(3, 20)}人",
        )
    if roll < 0.94:
        return Txn(
            when,
            "税费扣缴",
            -(Decimal(rng.randint(300, 9_000)) + Decimal(rng.randint(0, 99)) / 100),
            counterparty_name="国家金库",
            counterparty_account=digits(rng, 12),
        )
    if roll < 0.98:
        return Txn(when, "手续费", -Decimal(rng.choice(("5.00", "10.00", "15.00", "20.50"))))
    return Txn(when, "结息", Decimal(rng.randint(1, 300)) + Decimal(rng.randint(0, 99)) / 100)


_SHOPS = ("财付通-美团外卖", "支付宝-淘宝", "京东支付", "银联消费-超市", "财付通-滴滴出行", "支付宝-饿了么")
_MERCHANTS = ("财付通支付科技有限公司", "支付宝（中国）网络技术有限公司", "网银在线（北京）科技有限公司",
              "中国银联股份有限公司")


def personal(rng: random.Random, day: date, partners: list[Party], accounts: dict[str, str]) -> Txn:
    """A private account's row: salary, transfers, card spending, cash, fees and interest."""
    roll = rng.random()
    when = _at(rng, day)
    if roll < 0.12:
        p = partners[0]
        pay = Decimal(rng.randint(8_000, 30_000)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(when, "工资", pay, counterparty_name=p.name, counterparty_account=accounts[p.name])
    if roll < 0.3:
        amount = Decimal(rng.randint(200, 6_000)) + Decimal(rng.randint(0, 99)) / 100
        sign = 1 if rng.random() < 0.5 else -1
        return Txn(when, "转账", sign * amount, counterparty_name=person_name(rng),
                   counterparty_account=digits(rng, rng.choice((16, 19))))
    if roll < 0.8:
        amount = Decimal(rng.randint(5, 900)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(when, rng.choice(_SHOPS), -amount, counterparty_name=rng.choice(_MERCHANTS),
                   counterparty_account=digits(rng, 15))
    if roll < 0.88:
        return Txn(when, "ATM取款", -Decimal(rng.choice((500, 1000, 2000))))
    if roll < 0.95:
        amount = Decimal(rng.randint(50, 600)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(when, rng.choice(("水电费代扣", "话费充值", "燃气费")), -amount,
                   counterparty_name=rng.choice(("国网电力", "中国移动", "燃气公司")))
    return Txn(when, "利息", Decimal(rng.randint(1, 60)) + Decimal(rng.randint(0, 99)) / 100)


def lengthen(rng: random.Random, txns: list[Txn]) -> None:
    """Descriptions as some banks print them: the purpose with a reference (they wrap in narrow columns)."""
    for t in txns:
        ref = rng.choice(("合同号HT{y}{n:04d}", "{y}年{m}月", "发票号{n:08d}", "订单{n:06d}", ""))
        extra = ref.format(y=t.when.year, m=t.when.month, n=rng.randint(1, 99_999_999) % 10 ** 8)
        t.description = f"{t.description}{'-' if extra else ''}{extra}"


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(0, max(1, (end - start).days - 2)))


def fast_in_out(
    rng: random.Random, start: date, end: date, partners: list[Party], accounts: dict[str, str]
) -> list[Txn]:
    day = _random_day(rng, start, end)
    amount = Decimal(rng.randint(300, 900)) * 1000 + Decimal(rng.randint(0, 99)) / 100
    a, b = partners[0], partners[6]
    t_in = datetime(day.year, day.month, day.day, 9, rng.randint(0, 30), rng.randint(0, 59))
    t_out = t_in + timedelta(hours=rng.randint(1, 5))
    return [
        Txn(t_in, "往来款", amount, counterparty_name=a.name, counterparty_account=accounts[a.name]),
        Txn(
            t_out,
            "往来款",
            -(amount - Decimal(rng.randint(0, 50))),
            counterparty_name=b.name,
            counterparty_account=accounts[b.name],
        ),
    ]


def round_pair(
    rng: random.Random, start: date, end: date, partners: list[Party], accounts: dict[str, str]
) -> list[Txn]:
    day = _random_day(rng, start, end)
    out = []
    for i in range(3):
        p = partners[1 + i]
        when = datetime(day.year, day.month, day.day, 10 + i, rng.randint(0, 59), 0)
        amount = Decimal(rng.randint(5, 30) * 10_000)
        out.append(
            Txn(
                when,
                "转账",
                amount if i % 2 == 0 else -amount,
                counterparty_name=p.name,
                counterparty_account=accounts[p.name],
            )
        )
    return out


def self_transfer(rng: random.Random, start: date, end: date, holder: Party) -> list[Txn]:
    """Money out to the holder's own account and back a week later (对倒; slower than 快进快出)."""
    day = _random_day(rng, start, end - timedelta(days=10))
    when = datetime(day.year, day.month, day.day, 14, rng.randint(0, 59), rng.randint(0, 59))
    amount = Decimal(rng.randint(10, 80) * 10_000)
    own = digits(rng, 16)
    return [
        Txn(when, "内部转账", amount, counterparty_name=holder.name, counterparty_account=own),
        Txn(
            when + timedelta(days=rng.randint(5, 9)),
            "内部转账",
            -amount,
            counterparty_name=holder.name,
            counterparty_account=own,
        ),
    ]


def jump(
    rng: random.Random, end: date, partners: list[Party], accounts: dict[str, str], opening: Decimal
) -> Txn:
    day = end - timedelta(days=rng.randint(1, 3))
    p = partners[2]
    amount = max(opening, Decimal(500_000)) * rng.randint(4, 8)
    return Txn(
        _at(rng, day),
        "往来款",
        amount.quantize(_CENT),
        counterparty_name=p.name,
        counterparty_account=accounts[p.name],
    )


def insert(txns: list[Txn], extra: list[Txn]) -> None:
    txns.extend(extra)
    txns.sort(key=lambda t: t.when)
