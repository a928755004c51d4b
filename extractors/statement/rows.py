"""Transactions of a bank statement: the table on every page, read row by row through a bank layout.

A page's columns come from its own header row (or the previous page's when it repeats none); a row is a
transaction when it has a date in the date column and an amount; wrapped text rows join their transaction;
opening and carried-balance rows (期初余额, 承前页) are kept apart and total rows (本页合计, 过次页) skipped. The sign
convention is inferred from the columns found (借/贷 columns, a 借贷 flag, one signed amount) and each row
records how sure its sign is, so the running-balance chain (:mod:`extractors.statement.chain`) may re-read it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.statement.cells import assign_row, join_lines
from extractors.statement.layouts import BankLayout
from extractors.statement.unlabelled import with_unlabelled_money
from extractors.statement.values import (
    CellAmount,
    account,
    cell_amount,
    flag_sign,
    is_money,
    parse_date,
    parse_money,
    parse_time,
)
from extractors.text.table import Cell, Row, attach_wrapped, page_rows
from extractors.text.table_columns import Column, Header, columns_from, find_header
from idp.models import PageText
from idp.models.schema.values import find_money

logger = logging.getLogger(__name__)

#: A counterparty name followed (on the next line) by an account number of eight or more digits.
_NAME_ACCOUNT = re.compile(r"^(?P<name>.*?\D)[\s/|]*(?P<account>\d[\d*\s-]{6,}\d)$")
_ACCOUNT_NAME = re.compile(r"^(?P<account>\d[\d*\s-]{6,}\d)[\s/|]*(?P<name>\D.*)$")
#: A page with fewer rows than this under a repeated header keeps the columns found on the page before (a few
#: narrow cells say little about where the columns are).
_FEW_ROWS = 8
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
    #: Where the sign came from: column (借/贷 columns), flag (a 借贷 column), mark (借/CR beside the number),
    #: sign (printed minus, brackets, plus), none (an unsigned amount: taken as a credit, the chain decides).
    sign_source: str = "none"
    #: The amount or balance was found only by searching its cell's text (the cell holds more than one amount).
    loose: bool = False
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    #: Every amount printed in the row's cells (re-reading candidates for the running-balance chain).
    tokens: tuple[Decimal, ...] = ()


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
    last_header: Header | None = None
    opening = _pattern(layout.opening_rows)
    carry = _pattern(layout.carry_rows)
    skip = _pattern(layout.skip_rows)
    for page in pages:
        rows = page_rows(page)
        header = find_header(rows, layout.columns, required=REQUIRED) or _columns_by_chain(rows, layout)
        start = header.end if header else 0
        if header is None and columns is None:
            out.outside += rows
            continue
        h = _text_height(rows)
        if header is not None:
            body = _body(rows, header, start, layout, h)
            if body and not (columns is not None and len(body) < _FEW_ROWS and _same_header(header, last_header, h)):
                data = [rows[i] for i in range(body[0], body[-1] + 1)]
                columns = columns_from(header, data, text_height=_text_height(data))
                out.columns = [c.key for c in columns]
                last_header = header
        if columns is None:
            out.outside += rows
            continue
        assigned = {i: assign_row(rows[i], columns) for i in range(start, len(rows))}
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
            i
            for i in range(start, len(rows))
            if i in anchor_set or not (_is_footer(rows[i], skip, layout) or _balance_row(rows[i], opening, carry))
        ]
        position = {i: k for k, i in enumerate(candidates)}
        groups = attach_wrapped([rows[i] for i in candidates], [position[a] for a in anchors])
        taken = {id(r) for g in groups.values() for r in g}
        out.outside += [r for r in rows[start:] if id(r) not in taken]
        by_id = {id(rows[i]): assigned[i] for i in assigned}
        for i in range(start, len(rows)):  # 承前页 / 上日余额 rows without a date: a balance carried in
            if i not in anchor_set and opening.search(rows[i].compact):
                balance = _money(assigned[i].get("balance"))
                if balance is not None:
                    out.opening_rows.append((balance, rows[i]))
        for idx in sorted(groups):
            members = groups[idx]
            cells: dict[str, list[Cell]] = {}
            for row in members:
                for key, found in by_id[id(row)].items():
                    cells.setdefault(key, []).extend(found)
            words = "".join(c.text for key, found in cells.items() if key not in _MONEY_KEYS for c in found)
            unpaid = not any(_money(cells.get(k)) for k in ("amount", "debit", "credit"))
            no_amount = not any(cells.get(k) for k in ("amount", "debit", "credit"))
            if unpaid and (opening.search(words) or carry.search(words) or no_amount):
                # 期初余额 / 上年结转 (any words: a dated row with a balance and no amount), 承前页 / 过次页
                balance = _money(cells.get("balance"))
                if balance is not None and not carry.search(words):
                    out.opening_rows.append((balance, members[0]))
                continue
            tx = _transaction(page.page_no, cells, layout)
            if tx is not None:
                out.transactions.append(tx)
    mark_unsigned(out.transactions)
    return out


#: How little of a header row its labels may cover when the running balance is to name the rest of its columns.
_GARBLED_COVER = 0.25


def _columns_by_chain(rows: list[Row], layout: BankLayout) -> Header | None:
    """A header read with its date label but no balance label (nor, perhaps, an amount label), completed by
    the columns the running balance continues on (see :mod:`extractors.statement.unlabelled`)."""
    partial = find_header(rows, layout.columns, required=("date",), min_columns=2, cover=_GARBLED_COVER)
    if partial is None:
        return None
    return with_unlabelled_money(partial, rows, _body(rows, partial, partial.end, layout, _text_height(rows)))


def _same_header(header: Header, other: Header | None, h: float) -> bool:
    """The header repeats the previous page's, label for label at the same places (the table continues)."""
    if other is None or header.labels.keys() != other.labels.keys():
        return False
    return all(abs(header.labels[k][0] - other.labels[k][0]) < 0.5 * h for k in header.labels)


def _balance_row(row: Row, opening: re.Pattern[str], carry: re.Pattern[str]) -> bool:
    return bool(opening.search(row.compact) or carry.search(row.compact))


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` in a row's compact text (spaces dropped, English in any case)."""
    return re.compile("|".join(re.escape("".join(w.split())) for w in words) or r"(?!x)x", re.IGNORECASE)


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
        near = " ".join(c.text for c in cells if c.x1 > lx0 - 2 * h and c.x0 < lx1 + 2 * h)  # 05 Mar 2024: 3 words
        dated = parse_date(near, layout.date_formats) is not None
        if dated and any(is_money(c.text) and any(ch in c.text for ch in ".,") for c in cells):  # not "Page 1 / 1"
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
    return bool(cells.get("date")) and parse_date(join_lines(cells["date"]), layout.date_formats) is not None


def _money(cells: list[Cell] | None) -> Decimal | None:
    if not cells:
        return None
    return parse_money(join_lines(cells))


def _text(cells: list[Cell] | None) -> str | None:
    if not cells:
        return None
    text = join_lines(cells)
    return text or None


def _read(cells: list[Cell] | None, layout: BankLayout) -> tuple[CellAmount | None, bool]:
    """(the amount in a cell, True when only found by searching a cell that holds more than one amount)."""
    if not cells:
        return None, False
    text = join_lines(cells)
    found = cell_amount(text, layout.debit_flags, layout.credit_flags)
    if found is not None:
        return found, False
    loose = parse_money(text)
    return (CellAmount(loose, loose < 0), True) if loose is not None else (None, False)


def _tokens(cells: dict[str, list[Cell]]) -> tuple[Decimal, ...]:
    """Every two-decimal amount printed in the row outside its date, time and id columns."""
    out: list[Decimal] = []
    for key, found in cells.items():
        if key in ("date", "time", "counterparty_account", "voucher", "seq"):
            continue
        out += [value for value, _, _ in find_money(join_lines(found))]
    return tuple(dict.fromkeys(out))


def _transaction(page: int, cells: dict[str, list[Cell]], layout: BankLayout) -> Transaction | None:
    date_text = join_lines(cells["date"], " ")
    date = parse_date(date_text, layout.date_formats)
    if date is None:
        return None
    time_text = join_lines(cells["time"], " ") if cells.get("time") else None
    time = parse_time(time_text, allow_compact=True) if time_text else parse_time(date_text)
    debit_read, loose_d = _read(cells.get("debit"), layout)
    credit_read, loose_c = _read(cells.get("credit"), layout)
    raw, loose_a = _read(cells.get("amount"), layout)
    balance, loose_b = _read(cells.get("balance"), layout)
    amount, source = _signed(debit_read, credit_read, raw, cells, layout)
    debit = -amount if amount is not None and amount < 0 else None
    credit = amount if amount is not None and amount > 0 else None
    if debit_read is not None and credit_read is not None and debit_read.value and credit_read.value:
        debit, credit = abs(debit_read.value), abs(credit_read.value)
    name, acct_text = _text(cells.get("counterparty_name")), _text(cells.get("counterparty_account"))
    if name and not acct_text:  # one 对方户名/账号 column: the name and its account
        m = _NAME_ACCOUNT.match(name) or _ACCOUNT_NAME.match(name)
        if m:
            name, acct_text = m.group("name"), m.group("account")
    elif acct_text and not name:  # one 对方账号与户名 column: 6222…/张三, or a name without an account
        m = _ACCOUNT_NAME.match(acct_text)
        if m:
            name, acct_text = m.group("name"), m.group("account")
        elif not any(ch.isdigit() for ch in acct_text):
            name, acct_text = acct_text, None
    return Transaction(
        page=page,
        date=date,
        time=time,
        description=_text(cells.get("description")),
        debit=debit,
        credit=credit,
        amount=amount,
        balance=balance.value if balance is not None else None,
        counterparty_name=name,
        counterparty_account=account(acct_text) if acct_text else None,
        sign_derived=source == "none",
        sign_source=source,
        loose=loose_d or loose_c or loose_a or loose_b,
        cells=cells,
        tokens=_tokens(cells),
    )


def _signed(
    debit: CellAmount | None,
    credit: CellAmount | None,
    raw: CellAmount | None,
    cells: dict[str, list[Cell]],
    layout: BankLayout,
) -> tuple[Decimal | None, str]:
    """The row's signed amount (+ in, − out) and where its sign came from, by the columns the row has."""
    style = layout.style
    if style == "infer":
        by_column = debit is not None or credit is not None
        style = "debit_credit" if by_column else "flag" if "dc_flag" in cells else "signed"
    if style == "debit_credit" and (debit is not None or credit is not None):
        out = abs(credit.value) if credit is not None else Decimal("0.00")
        return out - (abs(debit.value) if debit is not None else Decimal("0.00")), "column"
    if raw is None:
        return None, "none"
    if style == "flag":
        sign = flag_sign(_text(cells.get("dc_flag")) or "", layout.debit_flags, layout.credit_flags)
        if sign:
            return abs(raw.value) * sign, "flag"
    if raw.mark:
        return abs(raw.value) * raw.mark, "mark"
    if raw.signed:
        return raw.value, "sign"
    return raw.value, "none" if style == "flag" else "sign"


def mark_unsigned(transactions: list[Transaction]) -> None:
    """A signed-amount column with no minus, bracket or mark in any row is really unsigned (its 借/贷 flag was
    not found): its signs are unknown, for the running-balance chain to decide."""
    signed = [t for t in transactions if t.sign_source in ("sign", "mark")]
    if signed and not any(t.amount is not None and t.amount < 0 for t in signed):
        for t in signed:
            if t.sign_source == "sign" and not join_lines(t.cells.get("amount", [])).lstrip().startswith("+"):
                t.sign_source, t.sign_derived = "none", True
