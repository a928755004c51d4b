"""How a family prints values: amounts (thousands commas, ¥, 元), dates (2024年3月5日, 2024-03-05, 2024.3.5,
二〇二四年三月五日) and clause numbers (第一条, 一、, 1., （一）)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

_CN_DIGITS = "〇一二三四五六七八九"


def money(value: Decimal, style: str) -> str:
    """``value`` as the family prints an amount in tables and sentences."""
    comma, plain = f"{value:,.2f}", f"{value:.2f}"
    return {"comma": comma, "plain": plain, "yen": "¥" + comma, "yen_plain": "¥" + plain,
            "comma_yuan": comma}[style]


def bare_money(value: Decimal, style: str) -> str:
    """The amount without a currency mark (for sentences that print 人民币…元 around it)."""
    return f"{value:,.2f}" if style in ("comma", "yen", "comma_yuan") else f"{value:.2f}"


def quantity(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _cn_number(n: int) -> str:
    """一 … 三十一 (days and months)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def day(d: date, style: str) -> str:
    """A date in one of the family date styles."""
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "cn_padded":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "iso":
        return d.isoformat()
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "cn_upper":
        year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
        return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"
    raise ValueError(f"unknown date style {style!r}")


def clause_number(n: int, style: str) -> str:
    """The heading number of clause ``n`` (1-based)."""
    if style == "第一条":
        return f"第{_cn_number(n)}条 "
    if style == "一、":
        return f"{_cn_number(n)}、"
    if style == "1.":
        return f"{n}. "
    if style == "（一）":
        return f"（{_cn_number(n)}）"
    raise ValueError(f"unknown clause numbering {style!r}")
