"""Transactions of a bank statement: the table on every page, read row by row through a bank layout.

A page's columns come from its own header row (or the previous page's when it repeats none); a row is a
transaction when it has a date in the date column and an amount; wrapped text rows join their transaction.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.statement.layouts import BankLayout
from extractors.statement.values import account, flag_sign, is_money, parse_date, parse_money, parse_time
from extractors.text.table import Cell, Row, attach_wrapped, join_cells, page_rows
from extractors.text.table_columns import Column, Header, assign, columns_from, find_header
from idp.models import PageText

logger = logging.getLogger(__name__)

#: Columns a transaction table must have: a date, a balance, and some amount.
REQUIRED = ("date", "balance", "amount|debit|credit")
_MONEY_KEYS = ("amount", "debit", "credit", "balance")


@dataclass
class Transaction:
    """One statement row, values normalised; ``cells`` keeps what was read for boxes and confidence."""

    page: int
    date: str
    time: str | None = None
    description: str | None = None
    debit: Decimal | None = None
    credit: Decimal | None = None
    amount: Decimal | None = None
    balance: Decimal | None = None
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    sign_derived: bool = False
    cells: dict[str, list[Cell]] = field(default_factory=dict)


@dataclass
class TableRead:
    """Everything read from the pages' tables, plus the rows outside them (for header fields)."""

    transactions: list[Transaction] = field(default_factory=list)
    outside: list[Row] = field(default_factory=list)
    opening_rows: list[tuple[Decimal, Row]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    pages_with_table: list[int] = field(default_factory=list)


def read_tables(pages: list[PageText], layout: BankLayout) -> TableRead:
    """Read every page's transaction table with ``layout``; pages without a header reuse the last one's."""
    out = TableRead()
    columns: list[Column] | None = None
    opening = _pattern(layout.opening_rows)
    skip = _pattern(layout.skip_rows)
    for page in pages:
        rows = page_rows(page)
        header = find_header(rows, layout.columns, required=REQUIRED)
        start = header.row + 1 if header else 0
        if header is None and columns is None:
            out.outside += rows
            continue
        h = _text_height(rows)
        if header is not None:
            body = _body(rows, header, start, layout, h)
            if body:
                data = [rows[i] for i in range(body[0], body[-1] + 1)]
                columns = columns_from(header, data, text_height=_text_height(data))
                out.columns = [c.key for c in columns]
        if columns is None:
            out.outside += rows
            continue
        assigned = {i: assign(rows[i], columns) for i in range(start, len(rows))}
        anchors = []
        for i in range(start, len(rows)):
            cells = assigned[i]
            if (
                _date_in(cells, layout)
                and any(_money(cells.get(k)) is not None for k in _MONEY_KEYS)
                and not skip.match(rows[i].cells[0].text)
            ):
                anchors.append(i)
        if not anchors:
            out.outside += rows
            continue
        out.pages_with_table.append(page.page_no)
        out.outside += rows[: header.row if header else 0]
        anchor_set = set(anchors)
        candidates = [
            i for i in range(start, len(rows)) if i in anchor_set or not _is_footer(rows[i], skip, layout)
        ]
        position = {i: k for k, i in enumerate(candidates)}
        groups = attach_wrapped([rows[i] for i in candidates], [position[a] for a in anchors])
        taken = {id(r) for g in groups.values() for r in g}
        out.outside += [r for r in rows[start:] if id(r) not in taken]
        by_id = {id(rows[i]): assigned[i] for i in assigned}
        for idx in sorted(groups):
            members = groups[idx]
            cells: dict[str, list[Cell]] = {}
            for row in members:
                for key, found in by_id[id(row)].items():
                    cells.setdefault(key, []).extend(found)
            if opening.search("".join(c.text for c in cells.get("description", []))) and not any(
                _money(cells.get(k)) for k in ("amount", "debit", "credit")
            ):
                balance = _money(cells.get("balance"))
                if balance is not None:
                    out.opening_rows.append((balance, members[0]))
                continue
            tx = _transaction(page.page_no, cells, layout)
            if tx is not None:
                out.transactions.append(tx)
    return out


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words) or r"(?!x)x")


def _text_height(rows: list[Row]) -> float:
    heights = sorted(r.h for r in rows) or [10.0]
    return heights[len(heights) // 2]


def _body(rows: list[Row], header: Header, start: int, layout: BankLayout, h: float) -> list[int]:
    """Rows under the header with a date under the date label and an amount: the rows whose gutters define
    the columns (a footer such as 打印日期 has a date but no amount)."""
    lx0, lx1 = header.labels["date"]
    found = []
    for i in range(start, len(rows)):
        cells = rows[i].cells
        dated = any(
            c.x1 > lx0 - 2 * h and c.x0 < lx1 + 2 * h and parse_date(c.text, layout.date_formats)
            for c in cells
        )
        if dated and any(is_money(c.text) for c in cells):
            found.append(i)
    return found


def _is_footer(row: Row, skip: re.Pattern[str], layout: BankLayout) -> bool:
    """A totals or balance line under the table (never glued to a transaction as wrapped text)."""
    compact = row.compact
    if skip.search(compact):
        return True
    keys = ("opening_balance", "closing_balance", "total_debit", "total_credit", "period")
    return any(alias and alias in compact for key in keys for alias in layout.header.get(key, ()))


def _date_in(cells: dict[str, list[Cell]], layout: BankLayout) -> bool:
    return bool(cells.get("date")) and parse_date(join_cells(cells["date"]), layout.date_formats) is not None


def _money(cells: list[Cell] | None) -> Decimal | None:
    if not cells:
        return None
    return parse_money(join_cells(cells))


def _text(cells: list[Cell] | None) -> str | None:
    if not cells:
        return None
    text = join_cells(cells)
    return text or None


def _transaction(page: int, cells: dict[str, list[Cell]], layout: BankLayout) -> Transaction | None:
    date_text = join_cells(cells["date"])
    date = parse_date(date_text, layout.date_formats)
    if date is None:
        return None
    time_text = _text(cells.get("time"))
    time = parse_time(time_text, allow_compact=True) if time_text else parse_time(date_text)
    debit, credit = _money(cells.get("debit")), _money(cells.get("credit"))
    raw_amount = _money(cells.get("amount"))
    amount: Decimal | None = None
    derived = False
    style = layout.style
    if style == "infer":
        if "dc_flag" in cells and raw_amount is not None:
            style = "flag"
        elif raw_amount is not None:
            style = "signed"
        else:
            style = "debit_credit"
    if style == "debit_credit":
        if debit is not None or credit is not None:
            debit = abs(debit) if debit else None
            credit = abs(credit) if credit else None
            amount = (credit or Decimal("0.00")) - (debit or Decimal("0.00"))
    elif style == "flag":
        sign = flag_sign(_text(cells.get("dc_flag")) or "", layout.debit_flags, layout.credit_flags)
        if raw_amount is not None:
            if sign == 0 and raw_amount < 0:
                sign = -1
            derived = sign == 0
            amount = abs(raw_amount) * (sign or 1)
    elif raw_amount is not None:
        amount = raw_amount
    if amount is not None and style != "debit_credit":
        debit = -amount if amount < 0 else None
        credit = amount if amount > 0 else None
    name = _text(cells.get("counterparty_name"))
    acct_text = _text(cells.get("counterparty_account"))
    return Transaction(
        page=page,
        date=date,
        time=time,
        description=_text(cells.get("description")),
        debit=debit,
        credit=credit,
        amount=amount,
        balance=_money(cells.get("balance")),
        counterparty_name=name,
        counterparty_account=account(acct_text) if acct_text else None,
        sign_derived=derived,
        cells=cells,
    )
