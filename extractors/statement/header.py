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
#: Words that start an account kind or a generic phrase ending in 银行 (单位银行, 个人银行, 网上银行, 手机银行).
_NOT_BANK = ("单位", "个人", "对公", "企业", "网上", "手机", "电子", "开户", "对方", "本行")
#: Words of statement titles (the title row names the bank).
_TITLE_WORDS = re.compile(r"对账单|明细|流水|月结单|交易清单|回单|账单|Statement|Transaction", re.IGNORECASE)
#: The rest of a bilingual label no synonym list has, before the value (``户名 Name of Account：某公司`` read
#: by ``户名``): Latin words ending in a colon at the start of a value.
_GLOSS = re.compile(r"^[A-Za-z][A-Za-z .,'/&()-]*[:：]\s*")
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
        + [("".join(a.split()), "") for a in (*vocabulary.OTHER_HEADER_LABELS, *vocabulary.PERIOD_LABELS, *ends)],
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
    value = _GLOSS.sub("", value) or value
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


def bank_name(rows: list[Row], layout: BankLayout) -> tuple[str | None, bool]:
    """The bank and whether it is sure: the layout's name; else the ``…银行`` that starts the title (the
    tallest of the top rows that names a bank, preferring one with a statement word) — sure when the title
    row begins with it; else the first ``…银行`` in the top rows (not sure). An account kind (单位银行结算账户)
    names no bank."""
    if layout.bank:
        return layout.bank, True
    named = [(r, m) for r in rows[:6] for m in [_bank_in(r.compact)] if m is not None]
    if not named:
        return None, False
    titled = [(r, m) for r, m in named if _TITLE_WORDS.search(r.compact) and not re.search(r"[:：]", r.compact)]
    row, m = max(titled or named, key=lambda t: t[0].h)
    return m.group(1), bool(titled) and m.start() == 0


def _bank_in(text: str) -> re.Match[str] | None:
    for m in _BANK_NAME.finditer(text):
        if not m.group(1).startswith(_NOT_BANK):
            return m
    return None
