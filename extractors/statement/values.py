"""Cell values of bank statements: dates and times in a layout's formats, amounts, 借/贷 flags, accounts.

Each parser returns the normalised text form (ISO dates, ``HH:MM:SS``, plain decimals) or None. Amounts in
cells are read by the schema's one money parser (:func:`cell_amount`); :func:`parse_money` (the first amount
anywhere in a text) stays for the contract reader that still calls it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from idp.models.schema import values as schema_values

#: A date, or one whose OCR lost one of its two separators (202401-05, 2024-0105: month and day keep two digits
#: each, so the split is not a guess).
_DATE_TOKEN = re.compile(
    r"(?<!\d)(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|(?:19|20)\d{6}"
    r"|(?:19|20)\d{2}(?:\d{2}[-/.]\d{2}|[-/.]\d{4}))(?!\d)"
)
_DATE_PARTS = re.compile(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})|(\d{4})\D?(\d{2})\D?(\d{2})")
_TIME_TOKEN = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])|(?<!\d)([01]\d|2[0-3])([0-5]\d)([0-5]\d)(?!\d)"
)
_MONEY = re.compile(r"[-−+(（]?\s*[¥￥]?\s*\d[\d,，]*(?:\.\d+)?\s*[)）]?")
_CENT = Decimal("0.01")
#: Currency names as printed → ISO code.
CURRENCIES = {
    "人民币": "CNY", "CNY": "CNY", "RMB": "CNY", "本币": "CNY", "美元": "USD", "USD": "USD",
    "欧元": "EUR", "EUR": "EUR", "港币": "HKD", "港元": "HKD", "HKD": "HKD", "日元": "JPY", "JPY": "JPY",
    "英镑": "GBP", "GBP": "GBP",
}  # fmt: skip


#: A currency name or code at either end of an amount's text (spaces already removed).
_CURRENCY_AROUND = re.compile(
    "^(?:{0})|(?:{0})$".format("|".join(sorted((*CURRENCIES, "元", "圆"), key=len, reverse=True))), re.IGNORECASE
)


def parse_date(text: str, formats: tuple[str, ...] = ()) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD``, tried against ``formats`` first, then any common form
    (``2024-03-05``, ``20240305``, ``2024年3月5日``, ``05-Mar-2024``, ``Mar 5, 2024``)."""
    found = find_dates(text, formats)
    return found[0][0] if found else None


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Date-like tokens in ``text`` (numeric ones spaces removed, month-name ones as printed), in order."""
    out = [(re.sub(r"\s", "", m.group(1)), m.start(), m.end()) for m in _DATE_TOKEN.finditer(text)]
    for m in schema_values.DATE_MONTH_NAME.finditer(text):
        if not any(a < m.end() and m.start() < b for _, a, b in out):
            out.append((m.group(0), m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


@lru_cache(maxsize=4096)
def _parse_token(token: str, formats: tuple[str, ...]) -> str | None:
    for fmt in formats:
        try:
            return datetime.strptime(token, fmt).date().isoformat()
        except ValueError:
            continue
    if any(ch.isalpha() for ch in token):
        named = schema_values.parse_date(token)
        return named.isoformat() if named else None
    parts = _DATE_PARTS.search(token)
    if not parts:
        return None
    nums = [g for g in parts.groups() if g is not None]
    try:
        return datetime(int(nums[0]), int(nums[1]), int(nums[2])).date().isoformat()
    except ValueError:
        return None


def parse_time(text: str, *, allow_compact: bool = False) -> str | None:
    """``10:23`` / ``10:23:11`` (or ``102311`` in a time column) → ``HH:MM:SS``."""
    text = schema_values.DATE_MONTH_NAME.sub(" ", _DATE_TOKEN.sub(" ", text))
    m = _TIME_TOKEN.search(text)
    if not m:
        return None
    if m.group(1) is not None:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    elif allow_compact:
        h, mi, s = int(m.group(4)), int(m.group(5)), int(m.group(6))
    else:
        return None
    if h > 23 or mi > 59 or s > 59:
        return None
    return f"{h:02d}:{mi:02d}:{s:02d}"


@dataclass(frozen=True)
class CellAmount:
    """An amount cell read: the value (signed as printed), whether a sign was printed, and a 借/贷 mark found
    beside the number (``DR``, ``贷``, …: -1 debit, +1 credit, 0 none)."""

    value: Decimal
    signed: bool
    mark: int = 0


def cell_amount(
    text: str, debit_marks: tuple[str, ...] = (), credit_marks: tuple[str, ...] = ()
) -> CellAmount | None:
    """The amount a table cell holds: ``-6,800.00``, ``(12.00)``, ``+1,000.00``, ``¥1,234.50``, ``1,234.50-``,
    ``1,234.50 CR``, ``借 500.00``; None when the cell is not one amount (an id, a date, words)."""
    compact = _without_currency(re.sub(r"\s", "", schema_values.nfkc(text)))
    if not compact or not any(ch.isdigit() for ch in compact):
        return None
    mark = 0
    for words, sign in ((debit_marks, -1), (credit_marks, 1)):
        for word in sorted((w for w in words if len(w) > 1 or not w.isascii()), key=len, reverse=True):
            if compact.upper().startswith(word.upper()) or compact.upper().endswith(word.upper()):
                stripped = compact[len(word):] if compact.upper().startswith(word.upper()) else compact[: -len(word)]
                stripped = _without_currency(stripped)
                if stripped and (stripped[0].isdigit() or stripped[0] in "-+(¥￥") and stripped[-1:].isdigit():
                    compact, mark = stripped, sign
                    break
        if mark:
            break
    compact = _without_currency(compact)  # 1,200.00 CNY DR
    trailing = compact.endswith(("-", "−", "－")) and compact[:-1][-1:].isdigit()
    body = compact[:-1] if trailing else compact.lstrip("+")
    if not re.fullmatch(r"[-−－(（]?[¥￥]?[-−－]?[\d,，]*\d(?:\.\d{1,2})?[)）]?", body):
        return None
    whole = body.split(".")[0]
    if (re.search(r"\d{4,}", whole) and "," in body) or len(re.sub(r"\D", "", whole)) > 12:
        return None  # 12345,678.00 or an account number: not an amount
    body = body.replace("（", "(").replace("）", ")")
    if body.startswith("(") != body.endswith(")"):  # OCR often reads an accounting bracket's mate apart
        body = f"({body.strip('()')})"
    value = schema_values.parse_money(body)
    if value is None:
        return None
    value = -value if trailing else value
    return CellAmount(value, value < 0 or compact.startswith("+"), mark)


def _without_currency(compact: str) -> str:
    """An amount's text without the currency printed before or after it (``CNY1,234.50``, ``1,234.50元``)."""
    out = _CURRENCY_AROUND.sub("", compact)
    return out if any(ch.isdigit() for ch in out) else compact


def find_dates(text: str, formats: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """Every date in ``text`` as ``(YYYY-MM-DD, start, end)``, in order."""
    out = []
    for token, start, end in _tokens(text):
        day = _parse_token(token, formats)
        if day:
            out.append((day, start, end))
    return out


def parse_money(text: str) -> Decimal | None:
    """``"-6,800.00"``, ``"¥1,234.5"``, ``"(12.00)"`` → Decimal with 2 places; None if no amount."""
    compact = re.sub(r"\s", "", text).replace("，", ",").replace("−", "-")
    m = _MONEY.search(compact)
    if not m:
        return None
    raw = m.group(0)
    negative = raw.startswith("-") or (raw.startswith(("(", "（")) and raw.endswith((")", "）")))
    digits = re.sub(r"[^\d.]", "", raw)
    if digits.count(".") > 1:
        return None
    try:
        value = Decimal(digits).quantize(_CENT)
    except InvalidOperation:
        return None
    return -value if negative else value


def is_money(text: str) -> bool:
    """The whole cell is one amount (with separators and sign), not an id or a date."""
    compact = re.sub(r"\s", "", text).replace("，", ",")
    return bool(
        re.fullmatch(r"[-−+(（]?[¥￥]?\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?[)）]?|[-−+]?[¥￥]?\d+\.\d{2}", compact)
    )


def flag_sign(text: str, debit_flags: tuple[str, ...], credit_flags: tuple[str, ...]) -> int:
    """-1 for a debit flag (借, 支出), +1 for a credit flag (贷, 收入), 0 when neither."""
    compact = re.sub(r"\s", "", text)
    if not compact:
        return 0
    for flag in sorted(debit_flags + credit_flags, key=len, reverse=True):
        if compact == flag or (len(flag) > 1 and flag in compact):
            return -1 if flag in debit_flags else 1
    if compact[0] in "".join(f for f in debit_flags if len(f) == 1):
        return -1
    if compact[0] in "".join(f for f in credit_flags if len(f) == 1):
        return 1
    return 0


def account(text: str) -> str | None:
    """An account number as printed without spaces (digits, ``*`` masks and dashes); None if too short."""
    compact = re.sub(r"[\s]", "", text)
    m = re.search(r"\d[\d*\-]{5,40}\d|\d[\d*]{3,}", compact)
    return m.group(0) if m and sum(ch.isdigit() for ch in m.group(0)) >= 4 else None


def currency(text: str) -> str | None:
    """``人民币`` / ``CNY`` / ``RMB`` → ``CNY`` (and the other common currencies)."""
    compact = re.sub(r"\s", "", text).upper()
    for name, code in CURRENCIES.items():
        if name.upper() in compact:
            return code
    return None


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_CENT))


def currency_in(text: str) -> str | None:
    """A currency code printed beside an amount (``CNY 38500.00``, ``人民币``) anywhere in ``text``."""
    m = re.search(r"(?<![A-Z])(CNY|RMB|USD|EUR|HKD)(?![A-Z])|人民币", text.upper())
    return currency(m.group(0)) if m else None
