"""Header and footer fields of a bank statement (户名, 账号, 开户行, 币种, 期初/期末余额, 合计) and the bank.

Rows outside the transaction table are cut at every known label (the layout's, i.e. the schema's synonyms,
and the labels of values we do not keep), so ``户名:某公司 账号:123 币种:人民币`` on one row gives three values;
labels are compared without spaces. The period is read by :mod:`extractors.statement.period`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.statement.labelled import labelled_values
from extractors.statement.layouts import BankLayout
from extractors.statement.values import account, currency, parse_money
from extractors.text.table import Row
from idp.models.schema import bank_statement as vocabulary
from idp.models.schema import schema_for
from idp.models.schema.values import find_money, normalise_name

#: A bank's name in a title: Chinese characters up to the first 银行 / 信用社 (中国银行 in 中国银行股份有限公司…).
_BANK_NAME = re.compile(r"([\u4e00-\u9fff]{2,16}?(?:银行|信用合作联社|信用社))")
#: Words of statement titles (the title row names the bank).
_TITLE_WORDS = re.compile(r"对账单|明细|流水|月结单|交易清单|回单|账单")
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
    label: str = ""


def read_header(rows: list[Row], layout: BankLayout) -> list[HeaderValue]:
    """Every labelled value in ``rows`` (in order; a key may repeat, e.g. per-page totals)."""
    schema = schema_for("bank_statement")
    assert schema is not None
    ends = [
        s for name in ("period_start", "period_end") for s in schema.field(name).synonyms if len(s) >= 2  # type: ignore[union-attr]
    ]
    own = [(alias, "" if key == "period" else key) for key, aliases in layout.header.items() for alias in aliases]
    labels = sorted(
        [(alias, key) for alias, key in own if alias]
        + [(a, "") for a in (*vocabulary.OTHER_HEADER_LABELS, *vocabulary.PERIOD_LABELS, *ends)],
        key=lambda t: -len(t[0]),
    )
    out: list[HeaderValue] = []
    for found in labelled_values(rows, labels):
        parsed = _normalise(found.key, found.value, layout)
        if parsed is not None:
            sub = found.key in ("total_debit", "total_credit") and "本页" in found.rows[0].compact
            out.append(HeaderValue(found.key, parsed, found.value, found.rows[-1], sub, found.label))
    return out


def _normalise(key: str, value: str, layout: BankLayout) -> str | None:
    if key == "account_number":
        return account(value)
    if key == "currency":
        return currency(value)
    if key in _AMOUNT_KEYS:
        found = find_money(value)
        amount = found[0][0] if found else parse_money(value)
        return None if amount is None else str(amount)
    if key in ("account_holder", "bank_branch"):
        text = normalise_name(value) or ""
        return text if len(text) >= 2 else None
    return value


def bank_name(rows: list[Row], layout: BankLayout) -> str | None:
    """The bank: the layout's name, else the ``…银行`` that starts the title (the tallest of the top rows that
    names a bank, preferring one with a statement word), else the first ``…银行`` in the top rows."""
    if layout.bank:
        return layout.bank
    top = [r for r in rows[:6] if _BANK_NAME.search(r.compact)]
    if not top:
        return None
    titled = [r for r in top if _TITLE_WORDS.search(r.compact) and "：" not in r.compact and ":" not in r.compact]
    row = max(titled or top, key=lambda r: r.h)
    m = _BANK_NAME.search(row.compact)
    return m.group(1) if m else None
