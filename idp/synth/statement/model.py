"""Synthetic corporate bank statements (对公流水): transactions with running balances and counterparties.

Deterministic by seed. Errors (a balance break, a month without rows) and red-flag patterns (快进快出, round
transfers, 对倒 to the holder itself, a balance jump) can be planted; the truth lists what was planted.
The layout (bank, title, columns, formats) is a family read from ``families/*.toml``
(:mod:`idp.synth.statement.families`); a family also says whether the holder is a company (对公) or a person
(个人), the account number's length and how long descriptions run. Rendering is in
:mod:`idp.synth.statement.render`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from idp.synth._parties import REGIONS, Party, company, person_name
from idp.synth.statement.families import Family, load_family

#: The four bank styles of the first generator (families too); application bundles draw from these.
STYLES = ("icbc", "ccb", "abc", "cmb")
#: Planted error → the rule id that must report it.
PLANTED_ERRORS = {
    "balance_break": "statement.balance_continuity",
    "period_gap": "statement.period_gap",
    "footer_total_mismatch": "statement.totals_mismatch",
    "mixed_fonts": "pdf.mixed_fonts",
}
#: Red-flag pattern → the rule id that must report it.
RED_FLAGS = {
    "fast_in_out": "statement.fast_in_out",
    "round_amounts": "statement.round_amounts",
    "self_transfer": "statement.self_transfer",
    "balance_jump": "statement.balance_jump",
}
_CENT = Decimal("0.01")
_INCOME = ("货款", "销售回款", "收到货款", "往来款")
_SPEND = ("支付货款", "采购付款", "材料款", "运费")


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


@dataclass
class SyntheticStatement:
    """Everything printed on one synthetic statement, plus what was planted."""

    seed: int
    style: str
    holder: Party
    account_number: str
    branch: str
    period_start: date
    period_end: date
    opening: Decimal
    txns: list[Txn]
    planted: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    printed_amounts: dict[int, Decimal] = field(default_factory=dict)
    footer_delta: Decimal = Decimal("0.00")
    tampered_row: int | None = None

    @property
    def family(self) -> Family:
        """The layout family (``style``) with its per-seed choices."""
        return load_family(self.style, self.seed)

    @property
    def bank(self) -> str:
        return self.family.bank

    @property
    def closing(self) -> Decimal:
        return self.txns[-1].balance if self.txns else self.opening

    def amount_printed(self, i: int) -> Decimal:
        return self.printed_amounts.get(i, self.txns[i].amount)

    def truth(self, filename: str, form: str = "text_pdf") -> dict[str, object]:
        """The truth JSON, in the schema of shared/real/statements/*.truth.json (rows in time order): only what
        the family prints (no period when none is printed, no time without a time column)."""
        fam = self.family
        masked = fam.account_style == "masked"
        printed = {key: fam.has(key) for key in ("description", "name", "account")}
        return {
            "file": filename,
            "doc_type": "bank_statement",
            "synthetic": True,
            "seed": self.seed,
            "family": fam.id,
            "layout": self.style,
            "form": form,
            "bank": self.bank,
            "account_holder": self.holder.name,
            "account_number": None if masked else self.account_number,
            "account_number_masked": mask_account(self.account_number) if masked else None,
            "bank_branch": self.branch,
            "currency": "CNY",
            "period_start": self.period_start.isoformat() if fam.prints_period else None,
            "period_end": self.period_end.isoformat() if fam.prints_period else None,
            "opening_balance": str(self.opening),
            "closing_balance": str(self.closing),
            "transactions": [
                {
                    "date": t.when.date().isoformat(),
                    "time": printed_time(t.when, fam.time_format) if fam.prints_time else None,
                    "description": t.description if printed["description"] else None,
                    "amount": str(self.amount_printed(i)),
                    "balance": str(t.balance),
                    "counterparty_name": t.counterparty_name if printed["name"] else None,
                    "counterparty_account": t.counterparty_account if printed["account"] else None,
                }
                for i, t in enumerate(self.txns)
            ],
            "planted_errors": [PLANTED_ERRORS[p] for p in self.planted],
            "red_flags": [RED_FLAGS[f] for f in self.flags],
            "truth_method": "generated by idp.synth.statement (the values printed on the page)",
        }


def printed_time(when: datetime, fmt: str) -> str:
    """The time as printed, in canonical ``HH:MM:SS`` (a time printed without seconds reads ``HH:MM:00``)."""
    shown = when.strftime(fmt)
    return when.strftime("%H:%M:%S") if "%S" in fmt else f"{when:%H:%M}:00" if shown else ""


def mask_account(number: str) -> str:
    """``6217001234567890`` → ``6217 **** **** 7890`` (first and last four digits shown)."""
    return f"{number[:4]} **** **** {number[-4:]}"


def generate(
    style: str,
    seed: int,
    *,
    months: int = 2,
    per_month: int = 14,
    planted: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
) -> SyntheticStatement:
    """Draw one statement of family ``style`` from ``seed``: ``months`` months with about ``per_month`` rows
    each (a person's account: fewer, smaller rows)."""
    fam = load_family(style, seed)
    unknown = (set(planted) - set(PLANTED_ERRORS)) | (set(flags) - set(RED_FLAGS))
    if unknown:
        raise ValueError(f"unknown planted errors or flags {sorted(unknown)}")
    rng = random.Random(f"statement:{style}:{seed}")
    region = rng.choice(REGIONS)
    personal = fam.holder == "person"
    holder = Party(person_name(rng), None, "", "") if personal else company(rng, region)
    partners = [company(rng, rng.choice(REGIONS)) for _ in range(8)]
    accounts = {p.name: _digits(rng, rng.choice((12, 15, 16, 19))) for p in partners}
    row = _personal if personal else _ordinary
    start = date(2024, rng.randint(1, 6), 1)
    end = _month_end(start, months)
    opening = Decimal(rng.randint(20_000, 400_000)) + Decimal(rng.randint(0, 99)) / 100
    gap_month = rng.randrange(1, months - 1) if "period_gap" in planted and months >= 3 else None
    txns: list[Txn] = []
    rate = per_month / 21.7  # rows per working day
    day = start
    while day <= end:
        month_index = (day.year - start.year) * 12 + day.month - start.month
        if month_index != gap_month and day.weekday() < 5:
            for _ in range(int(rate) + (1 if rng.random() < rate - int(rate) else 0)):
                txns.append(row(rng, day, partners, accounts))
        day += timedelta(days=1)
    if "fast_in_out" in flags:
        _insert(txns, _fast_in_out(rng, start, end, partners, accounts))
    if "round_amounts" in flags:
        _insert(txns, _round_pair(rng, start, end, partners, accounts))
    if "self_transfer" in flags:
        _insert(txns, _self_transfer(rng, start, end, holder))
    if "balance_jump" in flags:
        _insert(txns, [_jump(rng, end, partners, accounts, opening)])
    for t in txns:
        t.voucher = _digits(rng, 8)
        t.channel = rng.choice(
            ("网银", "柜面", "手机银行", "批量代发") if "工资" in t.description else ("网银", "柜面")
        )
    if fam.long_descriptions:
        _lengthen(random.Random(f"statement-text:{style}:{seed}"), txns)
    balance_rows(txns, opening)
    stmt = SyntheticStatement(
        seed,
        style,
        holder,
        _digits(rng, fam.account_digits),
        f"{fam.bank}{region[4]}{rng.choice(('分行营业部', '高新支行', '城东支行'))}",
        start,
        end,
        opening,
        txns,
        tuple(planted),
        tuple(flags),
    )
    if "balance_break" in planted and len(txns) > 4:
        k = rng.randrange(2, len(txns) - 1)
        stmt.printed_amounts[k] = txns[k].amount + Decimal(rng.choice((100, 1000, 10))) * (
            1 if txns[k].amount > 0 else -1
        )
    if "mixed_fonts" in planted and txns:
        stmt.tampered_row = rng.randrange(0, len(txns))
    if "footer_total_mismatch" in planted:
        stmt.footer_delta = Decimal(rng.choice((100, 500, 1000)))
    return stmt


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def _month_end(start: date, months: int) -> date:
    y, m = divmod(start.month - 1 + months, 12)
    return date(start.year + y, m + 1, 1) - timedelta(days=1)


def _at(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))


def _ordinary(rng: random.Random, day: date, partners: list[Party], accounts: dict[str, str]) -> Txn:
    roll = rng.random()
    when = _at(rng, day)
    if roll < 0.42:
        p = rng.choice(partners[:4])
        amount = Decimal(rng.randint(3_000, 180_000)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(
            when, rng.choice(_INCOME), amount, counterparty_name=p.name, counterparty_account=accounts[p.name]
        )
    if roll < 0.8:
        p = rng.choice(partners[4:])
        amount = Decimal(rng.randint(2_000, 120_000)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(
            when, rng.choice(_SPEND), -amount, counterparty_name=p.name, counterparty_account=accounts[p.name]
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
            counterparty_account=_digits(rng, 12),
        )
    if roll < 0.98:
        return Txn(when, "手续费", -Decimal(rng.choice(("5.00", "10.00", "15.00", "20.50"))))
    return Txn(when, "结息", Decimal(rng.randint(1, 300)) + Decimal(rng.randint(0, 99)) / 100)


_SHOPS = ("财付通-美团外卖", "支付宝-淘宝", "京东支付", "银联消费-超市", "财付通-滴滴出行", "支付宝-饿了么")
_MERCHANTS = ("财付通支付科技有限公司", "支付宝（中国）网络技术有限公司", "网银在线（北京）科技有限公司",
              "中国银联股份有限公司")


def _personal(rng: random.Random, day: date, partners: list[Party], accounts: dict[str, str]) -> Txn:
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
                   counterparty_account=_digits(rng, rng.choice((16, 19))))
    if roll < 0.8:
        amount = Decimal(rng.randint(5, 900)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(when, rng.choice(_SHOPS), -amount, counterparty_name=rng.choice(_MERCHANTS),
                   counterparty_account=_digits(rng, 15))
    if roll < 0.88:
        return Txn(when, "ATM取款", -Decimal(rng.choice((500, 1000, 2000))))
    if roll < 0.95:
        amount = Decimal(rng.randint(50, 600)) + Decimal(rng.randint(0, 99)) / 100
        return Txn(when, rng.choice(("水电费代扣", "话费充值", "燃气费")), -amount,
                   counterparty_name=rng.choice(("国网电力", "中国移动", "燃气公司")))
    return Txn(when, "利息", Decimal(rng.randint(1, 60)) + Decimal(rng.randint(0, 99)) / 100)


def _lengthen(rng: random.Random, txns: list[Txn]) -> None:
    """Descriptions as some banks print them: the purpose with a reference (they wrap in narrow columns)."""
    for t in txns:
        ref = rng.choice(("合同号HT{y}{n:04d}", "{y}年{m}月", "发票号{n:08d}", "订单{n:06d}", ""))
        extra = ref.format(y=t.when.year, m=t.when.month, n=rng.randint(1, 99_999_999) % 10 ** 8)
        t.description = f"{t.description}{'-' if extra else ''}{extra}"


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(0, max(1, (end - start).days - 2)))


def _fast_in_out(
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


def _round_pair(
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


def _self_transfer(rng: random.Random, start: date, end: date, holder: Party) -> list[Txn]:
    """Money out to the holder's own account and back a week later (对倒; slower than 快进快出)."""
    day = _random_day(rng, start, end - timedelta(days=10))
    when = datetime(day.year, day.month, day.day, 14, rng.randint(0, 59), rng.randint(0, 59))
    amount = Decimal(rng.randint(10, 80) * 10_000)
    own = _digits(rng, 16)
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


def _jump(
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


def _insert(txns: list[Txn], extra: list[Txn]) -> None:
    txns.extend(extra)
    txns.sort(key=lambda t: t.when)


def balance_rows(txns: list[Txn], opening: Decimal) -> None:
    """Running balances; a debit that would overdraw the account is turned into a credit."""
    txns.sort(key=lambda t: t.when)
    balance = opening
    for t in txns:
        t.amount = t.amount.quantize(_CENT)
        if balance + t.amount < 0:
            t.amount = -t.amount
            if t.description in _SPEND:
                t.description = "退款"
        balance += t.amount
        t.balance = balance


def write_sample(
    directory: Path, name: str, style: str, seed: int, *, condition: str = "text", **kw: object
) -> Path:
    """Generate and render ``<name>.pdf`` (text, or ``scan``) or ``.jpg`` (``photo``), with its truth."""
    from idp.synth.statement.render import render

    directory.mkdir(parents=True, exist_ok=True)
    stmt = generate(style, seed, **kw)  # type: ignore[arg-type]
    pdf_bytes = render(stmt)
    path = _write_condition(directory, name, pdf_bytes, condition, seed)
    form = {"text": "text_pdf"}.get(condition, condition)
    truth = json.dumps(stmt.truth(path.name, form), ensure_ascii=False, indent=2) + "\n"
    (directory / f"{path.name}.truth.json").write_text(truth, encoding="utf-8")
    return path


def _write_condition(directory: Path, name: str, pdf: bytes, condition: str, seed: int) -> Path:
    from idp.synth.degrade_docs import degrade_pdf

    if condition == "text":
        path = directory / f"{name}.pdf"
        path.write_bytes(pdf)
        return path
    data, ext = degrade_pdf(pdf, condition, seed)
    path = directory / f"{name}.{ext}"
    path.write_bytes(data)
    return path
