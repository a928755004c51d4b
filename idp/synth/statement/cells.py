"""What a family prints for each value: amounts (separators, signs, brackets, ¥), dates and times, 借/贷 flags,
account numbers, the period phrase and the header items. The renderer only places these texts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from idp.synth.statement.families import Family
from idp.synth.statement.model import SyntheticStatement, Txn, mask_account

#: Cell keys whose text is an amount (right-aligned, drawn in the family's number font).
MONEY_KEYS = ("debit", "credit", "amount", "amount_abs", "balance", "amount_mark")
#: Cell keys drawn in the number font besides amounts.
NUMBER_KEYS = (*MONEY_KEYS, "date", "time", "datetime", "seq", "voucher", "account")


def money(value: Decimal, fam: Family, *, signed: bool = False) -> str:
    """An amount as the family prints it; ``signed``: a signed-amount column (minus or brackets, maybe +)."""
    body = f"{abs(value):,.2f}" if fam.thousands else f"{abs(value):.2f}"
    body, unit = fam.currency_mark + body, fam.currency_suffix  # the code after the sign: (1,078.00) CNY
    if value < 0 and (signed or fam.negative == "minus"):
        return (f"({body})" if signed and fam.negative == "brackets" else f"-{body}") + unit
    if value > 0 and signed and fam.plus_sign:
        return f"+{body}{unit}"
    return body + unit


def plain_money(value: Decimal, fam: Family) -> str:
    """A balance or total (never bracketed, minus only when negative)."""
    body = fam.currency_mark + (f"{abs(value):,.2f}" if fam.thousands else f"{abs(value):.2f}") + fam.currency_suffix
    return f"-{body}" if value < 0 else body


def day(d: date, fmt: str) -> str:
    return d.strftime(fmt)


def account_text(number: str, fam: Family) -> str:
    if fam.account_style == "masked":
        return mask_account(number)
    if fam.account_style == "grouped":
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def cell(key: str, i: int, t: Txn, s: SyntheticStatement, fam: Family, seq: int) -> str:
    """The text of column ``key`` in transaction row ``i`` (``seq``: its printed row number)."""
    amount = s.amount_printed(i)
    if key in ("debit", "credit"):
        show = (key == "debit" and amount < 0) or (key == "credit" and amount > 0)
        return money(abs(amount), fam) if show else fam.empty_amount
    if key == "amount":
        return money(amount, fam, signed=True)
    if key == "amount_abs":
        return money(abs(amount), fam)
    if key == "amount_mark":
        mark = fam.mark_words[0] if amount < 0 else fam.mark_words[1]
        return f"{mark} {money(abs(amount), fam)}" if fam.mark_before else f"{money(abs(amount), fam)} {mark}"
    if key == "flag":
        return fam.flag_words[0] if amount < 0 else fam.flag_words[1]
    if key == "balance":
        return plain_money(t.balance, fam)
    if key == "date":
        return t.when.strftime(fam.date_format)
    if key == "time":
        return t.when.strftime(fam.time_format)
    if key == "datetime":
        sep = "\n" if fam.datetime_lines else " "
        return f"{t.when.strftime(fam.date_format)}{sep}{t.when.strftime(fam.time_format)}"
    if key == "name_account":
        return "\n".join(x for x in (t.counterparty_name, t.counterparty_account) if x)
    if key == "account_name":
        return "/".join(x for x in (t.counterparty_account, t.counterparty_name) if x)
    return {
        "seq": str(seq),
        "voucher": t.voucher,
        "description": t.description,
        "name": t.counterparty_name or "",
        "account": t.counterparty_account or "",
        "counterparty_bank": _counterparty_bank(t),
        "channel": t.channel,
        "currency": fam.currency_text,
        "note": "",
    }[key]


def _counterparty_bank(t: Txn) -> str:
    if not t.counterparty_account:
        return ""
    banks = ("中国工商银行", "中国建设银行", "招商银行", "中国农业银行", "交通银行", "中国银行")
    n = int(t.counterparty_account[-3:])
    return f"{banks[n % len(banks)]}{('上海', '杭州', '成都', '武汉')[n % 4]}{('分行营业部', '高新支行')[n % 2]}"


def period_items(s: SyntheticStatement, fam: Family) -> list[tuple[str, str]]:
    """(label, value) pairs that print the period: one for a range phrase, two for start/end labels."""
    p = fam.period
    fmt = p.get("date", fam.date_format)
    start, end = s.period_start.strftime(fmt), s.period_end.strftime(fmt)
    style = p.get("style", "none")
    if style == "split":
        return [(p["start"], start), (p["end"], end)]
    if style == "range":
        return [(p["label"], f"{p.get('prefix', '')}{start}{p.get('joiner', ' 至 ')}{end}")]
    return []


def header_items(key: str, s: SyntheticStatement, fam: Family) -> list[tuple[str, str]]:
    """(label, value) pairs of header item ``key``."""
    if key == "period":
        return period_items(s, fam)
    debit = sum((-s.amount_printed(i) for i in range(len(s.txns)) if s.amount_printed(i) < 0), Decimal("0.00"))
    credit = sum((s.amount_printed(i) for i in range(len(s.txns)) if s.amount_printed(i) > 0), Decimal("0.00"))
    printed = s.period_end + timedelta(days=1 + s.seed % 5)
    values = {
        "holder": s.holder.name,
        "account": account_text(s.account_number, fam),
        "branch": s.branch,
        "currency": fam.currency_text,
        "opening": plain_money(s.opening, fam),
        "closing": plain_money(s.closing, fam),
        "print_date": printed.strftime(fam.date_format) + f" {9 + s.seed % 8:02d}:{s.seed % 60:02d}:{s.seed % 47:02d}",
        "customer_no": f"{(s.seed * 7919) % 10 ** 10:010d}",
        "account_type": "个人结算账户" if fam.holder == "person" else "基本存款账户",
        "total_debit": plain_money(debit + s.footer_delta, fam),
        "total_credit": plain_money(credit, fam),
        "count": str(len(s.txns)),
    }
    return [(fam.labels.get(key, key), values[key])]
