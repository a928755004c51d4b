"""Normalisers for invoice values: the text printed beside a label → the field's value, or None if unfit.

Each returns the normalised form used in ``ExtractedField.value`` (ISO dates, plain decimals, compact ids).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

#: Turns the text found beside a label into the field's normalised value, or None if it does not fit.
Normaliser = Callable[[str], str | None]

DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})")
MONEY = re.compile(r"(?<![\d.])[-−－]?\s?[¥￥]?\s?[-−－]?\d[\d,]*\.\d{2}(?![\d%])")
_WORDS_CHARS = re.compile(r"^[(（]?负?数?[)）]?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]+$")
#: Marks printed before the 大写 amount (⊗, ⓧ; NFKC folds ⓧ to "x").
_NOISE_MARKS = re.compile(r"^[xX]|[⊗ⓧ⒳Ⓧ✕×\s]")
#: OCR reads the ⊗ mark as "8", "®", "O"...: what comes before the first numeral (or 负) is not the amount.
_LEADING_JUNK = re.compile(
    r"^(?:[^零壹贰叁肆伍陆柒捌玖拾佰仟万亿负(（]{1,3}\s+|[0-9A-Za-z®⑧]\s*)(?=[零壹贰叁肆伍陆柒捌玖负(（])"
)
_CJK = "\u3400-\u9fff（）"
#: An ASCII bracket next to a Chinese character (readers may fold （） to ()).
_CJK_OPEN = re.compile(rf"\((?=[{_CJK}])|(?<=[{_CJK}])\(")
_CJK_CLOSE = re.compile(rf"\)(?=[{_CJK}])|(?<=[{_CJK}])\)")


def digits(lengths: tuple[int, ...]) -> Normaliser:
    """A normaliser keeping the leading run of digits (spaces ignored) if it has one of ``lengths``."""

    def normalise(text: str) -> str | None:
        compact = re.sub(r"\s", "", text)
        m = re.match(r"\d+", compact)
        return m.group(0) if m and len(m.group(0)) in lengths else None

    return normalise


def iso_date(text: str) -> str | None:
    """``"2019 年 07 月 20 日"`` or ``"2019-07-20"`` → ``"2019-07-20"``."""
    m = DATE.search(text)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def money(text: str) -> str | None:
    """``"￥ -1,234.50"`` → ``"-1234.50"``; None if ``text`` holds no amount."""
    m = MONEY.search(text)
    if not m:
        return None
    raw = re.sub(r"[\s¥￥,]", "", m.group(0)).replace("−", "-").replace("－", "-")
    negative = raw.count("-") % 2 == 1
    try:
        value = Decimal(raw.replace("-", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return str(-value if negative else value)


def squash(text: str) -> str:
    """Drop spaces except between two ASCII letters or digits (company names in Chinese have none)."""
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", text.strip())


def cjk_text(text: str) -> str:
    """Chinese text in its printed form: spaces squashed, brackets around Chinese full-width (（北京）).

    Names registered in China use full-width brackets; readers that fold punctuation to ASCII would
    otherwise make the same name compare unequal.
    """
    text = squash(text)
    for _ in range(2):  # a bracket may become adjacent to a converted one: 科技((北京)) → 科技（（北京））
        text = _CJK_CLOSE.sub("）", _CJK_OPEN.sub("（", text))
    return text


#: Capital numerals in their traditional forms, and 参 (OCR's reading of 叁 in a small or blurred print): the
#: numeral as the tax system prints it.
_NUMERAL_FORMS = str.maketrans({"參": "叁", "参": "叁", "貳": "贰", "陸": "陆", "圓": "圆", "萬": "万", "億": "亿"})


def amount_words(text: str) -> str | None:
    """The 大写 amount as printed, without ⊗/ⓧ marks and spaces; None if it is not one."""
    text = text.translate(_NUMERAL_FORMS)
    compact = cjk_text(_NOISE_MARKS.sub("", _LEADING_JUNK.sub("", text.strip())))
    if not _WORDS_CHARS.match(compact) or not re.search(r"[元圆角分]", compact):
        return None
    return compact


#: A signature scribbled right after a printed name, which OCR read with it as a few letters (委托代理人 | 魏春梅 +
#: a scribble → ``魏春梅a``, ``蔡峰aaa``).
SCRIBBLE_AFTER_NAME = re.compile(r"(?<=[\u4e00-\u9fff])\s*[A-Za-z]{1,4}$")

#: A surname OCR reads as a character nobody is named by (阎 as 间): a person's name starting with the one is
#: the other.
_SURNAME_MISREADS = {"间": "阎"}
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}")


def person_name(text: str | None) -> str | None:
    """A person's name (two to four Chinese characters) with a misread surname put back; anything else as is."""
    if text and _PERSON.fullmatch(text) and text[0] in _SURNAME_MISREADS:
        return _SURNAME_MISREADS[text[0]] + text[1:]
    return text
