"""大写金额 (amount in Chinese capital numerals), as printed in 价税合计(大写): parse it to compare with 小写.

Accepts 元 or 圆, an optional 零 between units (壹佰万零壹仟), 角/分, a closing 整 or 正 (never after 分),
a leading ⊗/ⓧ mark and ``¥``, and a negative marker ``负`` or ``(负数)`` for red invoices.
cn2an parses the integer numerals; it cannot parse 元/角/分 strings (domain.md §2.4), hence this module.

>>> parse('⊗壹万壹仟叁佰元整')
Decimal('11300.00')
>>> parse('壹佰玖拾元零壹角玖分')
Decimal('190.19')
>>> to_words(Decimal('190.19'))
'壹佰玖拾圆零壹角玖分'
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

from idp.errors import InvalidFormat

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = "拾佰仟万亿"
#: Marks printed before the amount that carry no value.
_NOISE = re.compile(r"[⊗ⓧ⒳Ⓧ✕×¥￥\s:：]")
_NEGATIVE = re.compile(r"^(?:[(（]负数[)）]|负数|负|-|－)")
_PATTERN = re.compile(
    rf"^(?:(?P<int>[{_DIGITS}{_UNITS}]+)[元圆])?"
    rf"(?:零?(?P<jiao>[{_DIGITS}])角)?"
    rf"(?:零?(?P<fen>[{_DIGITS}])分)?"
    r"(?P<whole>[整正])?$"
)
_CENT = Decimal("0.01")
#: Integer numerals cn2an would accept but nobody prints: two digits in a row, 零零, a trailing 零.
_MALFORMED = re.compile(r"[壹贰叁肆伍陆柒捌玖]{2}|零零|零$")


def compact(text: str) -> str:
    """Drop the marks that carry no value (⊗, ⓧ, ¥, spaces, colons)."""
    return _NOISE.sub("", str(text))


def parse(text: str) -> Decimal:
    """Return the amount written in ``text`` as a Decimal with 2 places; raise InvalidFormat if malformed."""
    body = compact(text)
    sign = 1
    match_neg = _NEGATIVE.match(body)
    if match_neg:
        sign, body = -1, body[match_neg.end() :]
    m = _PATTERN.match(body)
    if not body or not m or not (m["int"] or m["jiao"] or m["fen"]):
        raise InvalidFormat(f"无法解析大写金额「{text}」 (cannot parse amount in words)", code="amount_words")
    if m["whole"] and m["fen"] and m["fen"] != "零":
        raise InvalidFormat(f"大写金额「{text}」在分后写了整 (整 after 分)", code="amount_words")
    yuan = _parse_integer(m["int"], text) if m["int"] else 0
    jiao = _DIGITS.index(m["jiao"]) if m["jiao"] else 0
    fen = _DIGITS.index(m["fen"]) if m["fen"] else 0
    value = Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100
    return (sign * value).quantize(_CENT)


def _parse_integer(numerals: str, text: str) -> int:
    if numerals == "零":
        return 0
    if _MALFORMED.search(numerals) or numerals[0] in _UNITS.replace("拾", ""):
        raise InvalidFormat(
            f"大写金额「{text}」整数部分格式错误 (malformed integer part)", code="amount_words"
        )
    try:
        value = cn2an.cn2an(numerals, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise InvalidFormat(
            f"大写金额「{text}」整数部分无法解析 (bad integer part)", code="amount_words"
        ) from exc
    if int(value) != value:
        raise InvalidFormat(f"大写金额「{text}」整数部分不是整数 (not an integer)", code="amount_words")
    return int(value)


def is_valid(text: str) -> bool:
    """Check if ``text`` is a well-formed amount in words; never raises."""
    try:
        parse(text)
    except (InvalidFormat, TypeError):
        return False
    return True


def to_words(amount: Decimal, *, yuan: str = "圆", negative: str = "负") -> str:
    """Write ``amount`` as the tax system prints it (零 before 角/分 when the 元 digit is 0, 整 without 分).

    ``yuan`` may be 元 or 圆; ``negative`` is the prefix of a negative amount (e.g. ``(负数)``).
    """
    try:
        value = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise InvalidFormat(f"金额「{amount}」无效 (invalid amount)") from exc
    prefix = negative if value < 0 else ""
    cents = int(abs(value) * 100)
    integer, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words = cn2an.an2cn(integer, "up") + yuan if integer else ""
    if jiao == 0 and fen == 0:
        return prefix + (words or "零" + yuan) + "整"
    if jiao:
        words += ("零" if integer and integer % 10 == 0 else "") + _DIGITS[jiao] + "角"
    if fen:
        words += ("零" if integer and not jiao else "") + _DIGITS[fen] + "分"
    return prefix + words
