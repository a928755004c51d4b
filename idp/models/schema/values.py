"""Value types of document fields and their one parser each: printed text → typed value → canonical text.

Every layer reads values through these (extractors to recognise a value, validators to compute with it, scoring
to compare it, the API to type it), so "what is a money amount" is decided once. Canonical text forms are
what ``ExtractedField.value`` holds: amounts ``"1234.50"``, dates ``"2024-03-05"``, ids upper case without spaces.

>>> parse_money("￥ -1,234.5元")
Decimal('-1234.50')
>>> parse_date("二〇二四年三月五日")
datetime.date(2024, 3, 5)
>>> parse_rate("13 %")
'13%'
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from idp.models.schema.words import cjk_digits_to_int


class ValueType(StrEnum):
    """What kind of value a field holds; decides its parser, its comparison and how a person edits it."""

    TEXT = "text"  #: free text (clauses, remarks): whitespace squashed
    NAME = "name"  #: a company or person name: Chinese brackets full-width, no spaces between CJK
    MONEY = "money"  #: an amount of money, 2 places
    DECIMAL = "decimal"  #: a quantity or unit price, as many places as printed
    RATE = "rate"  #: a tax rate: "13%", or 免税 / 不征税 / ***
    DATE = "date"
    TIME = "time"
    TAX_ID = "tax_id"  #: 统一社会信用代码 or 15-20 character 纳税人识别号
    DIGITS = "digits"  #: a digit string of fixed lengths (invoice code, number, check code)
    IDENTIFIER = "identifier"  #: as printed without spaces (contract numbers, accounts, phones)
    WORDS = "words"  #: an amount in Chinese capital numerals (大写)
    FLAG = "flag"  #: yes/no, canonically "true"/"false"
    COUNT = "count"  #: a whole number
    CODE = "code"  #: one of an enumerated set (invoice kind, currency)


_CENT = Decimal("0.01")
#: An amount as printed in running text: two decimals, optional sign, currency mark and thousands commas.
MONEY_IN_TEXT = re.compile(r"(?<![\d.])[-−－]?\s?[¥￥]?\s?[-−－]?\d{1,3}(?:[,，]\d{3})+\.\d{2}(?![\d%])"
                           r"|(?<![\d.,])[-−－]?\s?[¥￥]?\s?[-−－]?\d+\.\d{2}(?![\d%])")
_CURRENCY_WORDS = re.compile(r"人民币|RMB|CNY|USD|EUR|HKD|JPY|GBP|US\$|HK\$|元整?|圆整?|¥|￥|\$|:|：", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?$")
_DATE_NUMERIC = re.compile(r"((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_DATE_CJK = re.compile(r"([〇○零一二三四五六七八九Ｏ0]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                       r"\s*([一二三四五六七八九十]{1,3})\s*[日号]")
#: English month names as printed on statements and contracts (``Mar``, ``March``, ``Sept``).
MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for m in names}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
#: ``05-Mar-2024``, ``5 March 2024``, ``05/Mar/2024``; ``Mar 5, 2024``; ``2024-Mar-05``. Only digits bound
#: it: labels and joiners are read with their spaces dropped (``Period:01-Jun-2024to30-Jun-2024``).
DATE_MONTH_NAME = re.compile(
    rf"(?<!\d)(?:(?P<d1>\d{{1,2}})[\s\-/.]*{_MONTH}[\s\-/.,]*(?P<y1>(?:19|20)\d{{2}})"
    rf"|{_MONTH.replace('mon', 'mon2')}[\s\-/.]*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[\s,]+"
    rf"(?P<y2>(?:19|20)\d{{2}})"
    rf"|(?P<y3>(?:19|20)\d{{2}})[\s\-/.]*{_MONTH.replace('mon', 'mon3')}[\s\-/.]*(?P<d3>\d{{1,2}}))(?!\d)",
    re.IGNORECASE,
)
_CJK_YEAR_DIGITS = {**dict.fromkeys("〇○零Ｏ0", 0), **{c: i for i, c in enumerate("一二三四五六七八九", start=1)}}
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:：]([0-5]\d)(?:[:：]([0-5]\d))?(?![\d:])")
_RATE = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)\s*[%％]")
_RATE_WORDS = ("免税", "不征税", "***", "＊＊＊")
_CJK = "\u3400-\u9fff（）"
_CJK_OPEN = re.compile(rf"\((?=[{_CJK}])|(?<=[{_CJK}])\(")
_CJK_CLOSE = re.compile(rf"\)(?=[{_CJK}])|(?<=[{_CJK}])\)")
_TRUE = frozenset({"true", "1", "yes", "y", "是", "有"})
_FALSE = frozenset({"false", "0", "no", "n", "否", "无"})


def nfkc(text: str) -> str:
    """NFKC without folding the characters Chinese forms rely on (（） stay full-width for names)."""
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """Drop spaces except between two ASCII letters or digits (Chinese text has none between characters)."""
    text = " ".join(text.split())
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", text)


def parse_money(text: str | None) -> Decimal | None:
    """An amount of money in ``text`` (the whole text, currency words allowed), 2 places; None if not one.

    Accepts ``¥``/``￥``/人民币/元, thousands commas (also full-width), a sign (also ``−``/``－``) before or after
    the currency mark, and accounting brackets ``(12.00)`` for a negative.
    """
    if text is None:
        return None
    raw = nfkc(str(text)).strip()
    negative = raw.startswith("(") and raw.endswith(")")
    body = _CURRENCY_WORDS.sub("", raw.strip("()")).replace("，", ",").replace("−", "-").replace("－", "-")
    body = "".join(body.split())
    if body.count("-") > 1:
        return None
    if body.startswith("-"):
        negative, body = not negative, body[1:]
    if not body or not _NUMBER.match(body) or not any(c.isdigit() for c in body):
        return None
    try:
        value = Decimal(body.replace(",", "")).quantize(_CENT)
    except InvalidOperation:
        return None
    return -value if negative else value


def find_money(text: str) -> list[tuple[Decimal, int, int]]:
    """Every amount printed with two decimals in running text: ``(value, start, end)`` in order."""
    out = []
    for m in MONEY_IN_TEXT.finditer(text):
        value = parse_money(m.group(0))
        if value is not None:
            out.append((value, m.start(), m.end()))
    return out


def format_money(value: Decimal) -> str:
    """The canonical text of an amount: ``"1234.50"``, ``"-3.00"``."""
    return str(Decimal(value).quantize(_CENT))


def parse_decimal(text: str | None) -> Decimal | None:
    """A quantity or unit price as printed (``"1,000"``, ``"52.708738"``, ``"0.5"``); None if not a number."""
    if text is None:
        return None
    body = "".join(nfkc(str(text)).replace("，", ",").split()).replace("−", "-").replace("－", "-")
    if not body or not _NUMBER.match(body) or not any(c.isdigit() for c in body):
        return None
    try:
        value = Decimal(body.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def format_decimal(value: Decimal) -> str:
    """Without trailing zeros after the point: ``Decimal("2.500")`` → ``"2.5"``, ``Decimal("3.00")`` → ``"3"``."""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_date(text: str | None) -> date | None:
    """The first date in ``text``: ``2024年3月5日``, ``2024-03-05``, ``2024/3/5``, ``2024.03.05``, ``20240305``,
    ``二〇二四年三月五日``, ``05-Mar-2024`` or ``Mar 5, 2024``; None if there is none or it is not a real day."""
    if text is None:
        return None
    text = nfkc(str(text))
    found: list[tuple[int, tuple[int, int, int]]] = []
    for pattern in (_DATE_NUMERIC, _DATE_COMPACT):
        m = pattern.search(text)
        if m:
            found.append((m.start(), (int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    m = DATE_MONTH_NAME.search(text)
    if m:
        found.append((m.start(), month_name_date(m)))
    m = _DATE_CJK.search(text)
    if m:
        year = int("".join(str(_CJK_YEAR_DIGITS[c]) for c in m.group(1)))
        month, day = cjk_digits_to_int(m.group(2)), cjk_digits_to_int(m.group(3))
        if month is not None and day is not None:
            found.append((m.start(), (year, month, day)))
    for _, (year, month, day) in sorted(found):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def month_name_date(m: re.Match[str]) -> tuple[int, int, int]:
    """(year, month, day) of a :data:`DATE_MONTH_NAME` match."""
    for n in ("1", "2", "3"):
        if m.group(f"y{n}"):
            month = MONTHS[m.group("mon" if n == "1" else f"mon{n}").lower()]
            return int(m.group(f"y{n}")), month, int(m.group(f"d{n}"))
    raise ValueError(m.group(0))


def parse_time(text: str | None) -> str | None:
    """``10:23`` or ``10:23:11`` → ``"10:23:11"``."""
    m = _TIME.search(nfkc(text or ""))
    if not m:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}:{m.group(3) or '00'}"


def parse_rate(text: str | None) -> str | None:
    """A tax rate: ``"13%"``, ``"6 %"`` → ``"13%"``, ``"6%"``; 免税, 不征税 and *** as printed."""
    if text is None:
        return None
    text = nfkc(str(text)).strip()
    for word in _RATE_WORDS:
        if word in text:
            return "***" if "*" in word or "＊" in word else word
    m = _RATE.search(text)
    if not m:
        return None
    return format_decimal(Decimal(m.group(1))) + "%"


def rate_fraction(rate: str | None) -> Decimal | None:
    """``"13%"`` → ``Decimal("0.13")``; 免税/不征税/*** → 0; None if not a rate."""
    parsed = parse_rate(rate)
    if parsed is None:
        return None
    if not parsed.endswith("%"):
        return Decimal(0)
    return Decimal(parsed[:-1]) / 100


#: Letters a USCC never holds (GB 32100 leaves out I, O, S, Z and V), as the digit OCR took for them.
_USCC_LOOKALIKES = str.maketrans("OIZS", "0125")
#: An 18-character code shaped as a USCC: a registration authority, an organisation type, six digits of region.
_USCC_SHAPE = re.compile(r"[1-9ANY][0-9A-Z][0-9OIZS]{6}[0-9A-Z]{10}")


def parse_tax_id(text: str | None) -> str | None:
    """A 15-20 character taxpayer id (USCC included) at the start of ``text``, upper case, spaces removed.

    In a USCC-shaped code, a letter no USCC holds (O, I, Z, S) is the digit it looks like (``…GY0L`` read as
    ``…GYOL``); whether the result is the code is the check character's business, not this parser's.

    >>> parse_tax_id("91610113MAA504GYOL")
    '91610113MAA504GY0L'
    """
    compact = "".join(nfkc(text or "").split()).upper()
    m = re.match(r"[0-9A-Z]{15,20}(?![0-9A-Z])", compact)
    if not m:
        return None
    code = m.group(0)
    return code.translate(_USCC_LOOKALIKES) if _USCC_SHAPE.fullmatch(code) else code


def parse_digits(text: str | None, lengths: tuple[int, ...]) -> str | None:
    """The leading run of digits (spaces ignored) if its length is one of ``lengths``."""
    compact = "".join(nfkc(text or "").split())
    m = re.match(r"\d+", compact)
    return m.group(0) if m and len(m.group(0)) in lengths else None


def parse_identifier(text: str | None) -> str | None:
    """As printed, NFKC, without whitespace, upper case; None when empty."""
    return "".join(nfkc(text or "").split()).upper() or None


def normalise_name(text: str | None) -> str | None:
    """A company or person name in its registered form: spaces squashed, brackets around Chinese full-width.

    Names registered in China use full-width brackets; readers that fold punctuation to ASCII would otherwise
    make the same name compare unequal. No registered name ends in 有限公: the 司 a stamp or a box's edge hid
    is given back.

    >>> normalise_name("四川明远金属材料有限公")
    '四川明远金属材料有限公司'
    """
    if not text:
        return None
    out = _CUT_SUFFIX.sub(r"\1公司", _NAME_EDGE_JUNK.sub("", squash(str(text).strip())))
    for _ in range(2):  # a bracket may become adjacent to a converted one: 科技((北京)) → 科技（（北京））
        out = _CJK_CLOSE.sub("）", _CJK_OPEN.sub("（", out))
    return out or None


_CUT_SUFFIX = re.compile(r"(有限(?:责任)?)公$")
#: Marks no name starts or ends with, which OCR reads from a box's edge or a field's rule (_浙江…公司, 公司|).
_NAME_EDGE_JUNK = re.compile(r"^[_|丨:：;；,，.。、·\-—~]+|[_|丨:：;；,，、·\-—~]+$")


def normalise_text(text: str | None) -> str | None:
    """Free text with whitespace squashed; None when empty."""
    return squash(str(text)) if text and str(text).strip() else None


def parse_flag(text: str | None) -> bool | None:
    """``"true"``/``"是"``/``"有"`` → True, ``"false"``/``"否"``/``"无"`` → False, else None."""
    key = nfkc(str(text or "")).strip().lower()
    return True if key in _TRUE else False if key in _FALSE else None


def parse_count(text: str | None) -> int | None:
    m = re.fullmatch(r"\s*(\d{1,9})\s*", nfkc(text or ""))
    return int(m.group(1)) if m else None
