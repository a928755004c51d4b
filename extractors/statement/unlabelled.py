"""A balance column whose label the page lost (a photo's bold header read with 余额 missing), found by the
constraint every statement keeps: down the rows, each balance is the one above plus or minus the row's amount.

Only a column of amounts under no label, to the right of the amount columns, that continues that way on most
rows of the page is taken; anything else leaves the header as it was (and the page "layout unknown").
"""

from __future__ import annotations

from decimal import Decimal

from extractors.statement.values import is_money, parse_money
from extractors.text.table import Cell, Row
from extractors.text.table_columns import Header

_AMOUNT_KEYS = ("amount", "debit", "credit")
#: Rows (pairs of neighbours) that must chain on the column, and the share of them that must.
_MIN_LINKS, _SHARE = 3, 0.8


def with_unlabelled_balance(header: Header, rows: list[Row], body: list[int]) -> Header | None:
    """``header`` with a ``balance`` label over the unlabelled amount column that chains, or None."""
    if "balance" in header.labels or not any(k in header.labels for k in _AMOUNT_KEYS):
        return None
    right_of = max(x1 for k, (_, x1) in header.labels.items() if k in _AMOUNT_KEYS)
    labelled = list(header.labels.values())
    picked: list[tuple[Cell, list[Decimal]]] = []  # per data row: its rightmost unlabelled amount, the others
    for i in body:
        money = [c for c in rows[i].cells if is_money(c.text) and any(ch in c.text for ch in ".,")]
        free = [c for c in money if c.x0 > right_of and not any(a <= c.cx <= b for a, b in labelled)]
        if not free:
            continue
        cell = max(free, key=lambda c: c.x1)
        others = [v for c in money if c is not cell and (v := parse_money(c.text)) is not None]
        picked.append((cell, others))
    balances = [parse_money(c.text) for c, _ in picked]
    links = chained = 0
    for (before, after), (_, amounts) in zip(zip(balances, balances[1:], strict=False), picked[1:], strict=False):
        if before is None or after is None or not amounts:
            continue
        links += 1
        chained += any(abs(after - before) == abs(a) for a in amounts)
    if links < _MIN_LINKS or chained < _SHARE * links:
        return None
    x0 = sorted(c.x0 for c, _ in picked)[len(picked) // 2]
    x1 = sorted(c.x1 for c, _ in picked)[len(picked) // 2]
    return Header(header.row, {**header.labels, "balance": (x0, x1)}, header.rows)
