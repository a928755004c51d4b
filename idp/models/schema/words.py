"""大写金额 (amounts in Chinese capital numerals) and small Chinese numerals, in the core: extractors choose a
total by its 大写, validators check 大写 = 小写, and both must read the words the same way.

Accepts 元 or 圆, an optional 零 between units (壹佰万零壹仟), 角/分, a closing 整 or 正 (never after 分), a
leading ⊗/ⓧ mark and ``¥``, and a negative marker ``负`` or ``(负数)`` for red invoices. cn2an parses the integer
numerals; it cannot parse 元/角/分 strings (domain.md §2.4), hence this module.

>>> parse_words('⊗壹万壹仟叁佰元整')
Decimal('11300.00')
>>> parse_words('壹佰玖拾元零壹角玖分')
Decimal('190.19')
>>> words_of(Decimal('190.19'))
'壹佰玖拾圆零壹角玖分'
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = "拾佰仟万亿"
#: Marks printed around the amount that carry no value.
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
#: The characters a 大写 amount is written with (and the marks around it).
WORDS_CHARS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正"
_WORDS_ONLY = re.compile(rf"^[(（]?负?数?[)）]?[{WORDS_CHARS}]+$")
#: OCR reads the ⊗ mark as "8", "®", "O"...: what comes before the first numeral (or 负) is not the amount.
_LEADING_JUNK = re.compile(
    r"^(?:[^零壹贰叁肆伍陆柒捌玖拾佰仟万亿负(（]{1,3}\s+|[0-9A-Za-z®⑧]\s*)(?=[零壹贰叁肆伍陆柒捌玖负(（])"
)
_NOISE_MARKS = re.compile(r"^[xX]|[⊗ⓧ⒳Ⓧ✕×\s]")
_SMALL = "零一二三四五六七八九"


def parse_words(text: str) -> Decimal:
    """The amount written in ``text`` with 2 places; ``ValueError`` with a Chinese reason if malformed."""
    body = _NOISE.sub("", str(text))
    sign = 1
    negative = _NEGATIVE.match(body)
    if negative:
        sign, body = -1, body[negative.end():]
    m = _PATTERN.match(body)
    if not body or not m or not (m["int"] or m["jiao"] or m["fen"]):
        raise ValueError(f"无法解析大写金额「{text}」 (cannot parse amount in words)")
    if m["whole"] and m["fen"] and m["fen"] != "零":
        raise ValueError(f"大写金额「{text}」在分后写了整 (整 after 分)")
    yuan = _integer(m["int"], text) if m["int"] else 0
    jiao = _DIGITS.index(m["jiao"]) if m["jiao"] else 0
    fen = _DIGITS.index(m["fen"]) if m["fen"] else 0
    value = Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100
    return (sign * value).quantize(_CENT)


def words_value(text: str | None) -> Decimal | None:
    """``parse_words`` that answers None instead of raising."""
    try:
        return parse_words(text) if text else None
    except ValueError:
        return None


def _integer(numerals: str, text: str) -> int:
    if numerals == "零":
        return 0
    if _MALFORMED.search(numerals) or numerals[0] in _UNITS.replace("拾", ""):
        raise ValueError(f"大写金额「{text}」整数部分格式错误 (malformed integer part)")
    try:
        value = cn2an.cn2an(numerals, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"大写金额「{text}」整数部分无法解析 (bad integer part)") from exc
    if int(value) != value:
        raise ValueError(f"大写金额「{text}」整数部分不是整数 (not an integer)")
    return int(value)


def words_of(amount: Decimal, *, yuan: str = "圆", negative: str = "负") -> str:
    """Write ``amount`` as the tax system prints it (零 before 角/分 when the 元 digit is 0, 整 without 分)."""
    try:
        value = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"金额「{amount}」无效 (invalid amount)") from exc
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


def clean_words(text: str | None) -> str | None:
    """The 大写 amount as printed, without ⊗/ⓧ marks, leading OCR junk and spaces; None if it is not one."""
    if not text:
        return None
    body = _NOISE_MARKS.sub("", _LEADING_JUNK.sub("", str(text).strip()))
    body = body.replace("(", "（").replace(")", "）")
    if not _WORDS_ONLY.match(body) or not re.search(r"[元圆角分]", body):
        return None
    return body


def cjk_digits_to_int(text: str) -> int | None:
    """Small Chinese numerals as in dates: 三 → 3, 十二 → 12, 二十 → 20, 三十一 → 31."""
    if not text or any(c not in _SMALL + "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(_SMALL.index(c)) for c in text))
    tens, _, ones = text.partition("十")
    return (_SMALL.index(tens) if tens else 1) * 10 + (_SMALL.index(ones) if ones else 0)
