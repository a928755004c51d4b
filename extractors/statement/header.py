"""Header and footer fields of a bank statement (户名, 账号, 开户行, 币种, 查询期间, 期初/期末余额, 合计).

Rows outside the transaction table are cut at every known label (the layout's and a few common ones), so
``户名:某公司 账号:123 币种:人民币`` on one row gives three values; labels are compared without spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.statement.layouts import BankLayout
from extractors.statement.values import account, currency, parse_date, parse_money
from extractors.text.labels import split_labelled
from extractors.text.patterns import cjk_text
from extractors.text.table import Row, row_chars

#: Labels that end a header value but are not fields we keep.
_OTHER_LABELS = (
    "打印日期", "打印时间", "账户类型", "客户号", "页码", "开户日期", "钞汇标志", "账户性质", "查询时间",
    "交易笔数", "笔数", "打印机构", "柜员", "Page", "币别", "联系电话", "地址",
)  # fmt: skip
_PERIOD = re.compile(
    r"(\d{4}\D{0,2}\d{1,2}\D{0,2}\d{1,2}日?)\s*(?:至|到|to|TO|~|～|-|—|－)\s*(\d{4}\D{0,2}\d{1,2}\D{0,2}\d{1,2}日?)"
)
_BANK_NAME = re.compile(r"(中国[\u4e00-\u9fff]{2,4}?银行|[\u4e00-\u9fff]{2,6}?银行)")
#: Header keys whose value is an amount.
_AMOUNT_KEYS = ("opening_balance", "closing_balance", "total_debit", "total_credit")


@dataclass(frozen=True)
class HeaderValue:
    """A header value, its raw text, the row it came from and that row's confidence."""

    key: str
    value: str
    raw: str
    row: Row
    page_subtotal: bool = False


def read_header(rows: list[Row], layout: BankLayout) -> list[HeaderValue]:
    """Every labelled value in ``rows`` (in order; a key may repeat, e.g. per-page totals)."""
    labels = sorted(
        [(alias, key) for key, aliases in layout.header.items() for alias in aliases if alias]
        + [(a, "") for a in _OTHER_LABELS],
        key=lambda t: -len(t[0]),
    )
    out: list[HeaderValue] = []
    for row in rows:
        text = "".join(ch for ch, _, _ in row_chars(row))
        for key, value in _segments(text, labels):
            parsed = _normalise(key, value, layout)
            if parsed is not None:
                sub = key in ("total_debit", "total_credit") and "本页" in text
                out.append(HeaderValue(key, parsed, value, row, sub))
    return out


def _segments(text: str, labels: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, value) for each labelled segment of ``text``; value = text up to the next label."""
    return [(key, value) for key, _, value in split_labelled(text, labels)]


def _normalise(key: str, value: str, layout: BankLayout) -> str | None:
    if key == "account_number":
        return account(value)
    if key == "currency":
        return currency(value)
    if key == "period":
        m = _PERIOD.search(value)
        if not m:
            return None
        start, end = parse_date(m.group(1), layout.date_formats), parse_date(m.group(2), layout.date_formats)
        return f"{start}/{end}" if start and end else None
    if key in _AMOUNT_KEYS:
        amount = parse_money(value)
        return None if amount is None else str(amount)
    if key in ("account_holder", "bank_branch"):
        text = cjk_text(value)
        return text if len(text) >= 2 else None
    return value


def bank_name(rows: list[Row], layout: BankLayout) -> str | None:
    """The bank: the layout's name, else the first ``…银行`` in the top rows."""
    if layout.bank:
        return layout.bank
    for row in rows[:6]:
        m = _BANK_NAME.search(row.compact)
        if m:
            return m.group(1)
    return None
