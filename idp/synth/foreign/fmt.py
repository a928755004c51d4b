"""How values are printed: money with or without thousands separators and ¥, dates in four national styles,
and amounts in words (大写) through cn2an, with the 元/圆 and 整/正 variants real documents use.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import cn2an

CENT = Decimal("0.01")
#: Date styles a family may name.
DATE_STYLES = ("cn", "cn_padded", "iso", "dot", "slash", "compact", "hanzi")
_HANZI_DIGITS = "〇一二三四五六七八九"


def money(value: Decimal, *, thousands: bool = False, yen: str = "", places: int = 2) -> str:
    """``Decimal("12345.6")`` → ``"12,345.60"`` / ``"¥12345.60"``; negative values keep their sign."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(q):,.{places}f}" if thousands else f"{abs(q):.{places}f}"
    return ("-" if q < 0 else "") + yen + text


def price(value: Decimal, *, thousands: bool = False, yen: str = "") -> str:
    """A unit price: two decimals unless the price really has more (up to four)."""
    places = 2 if value == value.quantize(CENT) else min(4, -value.normalize().as_tuple().exponent)
    return money(value, thousands=thousands, yen=yen, places=places)


def quantity(value: Decimal) -> str:
    """``Decimal("12.500")`` → ``"12.5"``, ``Decimal("40")`` → ``"40"``."""
    text = format(value.normalize(), "f")
    return text


def _hanzi_number(n: int) -> str:
    """Month or day in the 二〇二四年三月五日 style: 十, 十一, 二十, 二十五, 三十一."""
    if n < 10:
        return _HANZI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _HANZI_DIGITS[tens]) + "十" + (_HANZI_DIGITS[ones] if ones else "")


def day(value: date, style: str) -> str:
    """A date as printed in ``style`` (one of :data:`DATE_STYLES`)."""
    if style == "cn":
        return f"{value.year}年{value.month}月{value.day}日"
    if style == "cn_padded":
        return f"{value.year}年{value.month:02d}月{value.day:02d}日"
    if style == "iso":
        return value.isoformat()
    if style == "dot":
        return f"{value.year}.{value.month}.{value.day}"
    if style == "slash":
        return f"{value.year}/{value.month:02d}/{value.day:02d}"
    if style == "compact":
        return f"{value:%Y%m%d}"
    if style == "hanzi":
        year = "".join(_HANZI_DIGITS[int(d)] for d in str(value.year))
        return f"{year}年{_hanzi_number(value.month)}月{_hanzi_number(value.day)}日"
    raise ValueError(f"unknown date style {style!r}; expected one of {DATE_STYLES}")


def words(value: Decimal, *, yuan: str = "元", whole: str = "整") -> str:
    """An amount in capital numerals: ``Decimal("1005.07")`` → ``"壹仟零伍元零柒分"``; whole yuan end in
    ``whole`` (整 or 正)."""
    if value < 0:
        raise ValueError("amounts in words are positive here")
    text = cn2an.an2cn(format(value.quantize(CENT), "f"), "rmb")
    if text.endswith("元整"):
        text = text[:-1] + whole
    return text.replace("元", yuan)


def words_value(text: str) -> Decimal:
    """Read an amount in words back (for self-checks): 圆/正 variants are folded to what cn2an reads."""
    folded = text.replace("圆", "元").replace("正", "整")
    return _rmb(folded)


def _rmb(text: str) -> Decimal:
    yuan, _, rest = text.partition("元") if "元" in text else ("", "", text)
    whole = Decimal(int(cn2an.cn2an(yuan, "strict"))) if yuan else Decimal(0)
    fen = Decimal(0)
    digits = "零壹贰叁肆伍陆柒捌玖"
    for unit, scale in (("角", Decimal("0.1")), ("分", Decimal("0.01"))):
        if unit in rest:
            before, rest = rest.split(unit, 1)
            fen += digits.index(before[-1]) * scale
    return (whole + fen).quantize(CENT)
