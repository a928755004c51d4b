"""Amount and balance columns whose labels the page lost (a photo's bold header read as 交品金银 / 联机会银, or
with 余额 missing), found by the constraint every statement keeps: down the rows, each balance is the one
above plus or minus the row's amount.

Only amounts under no label are considered: the rightmost of them in each row is the balance (right of the
labelled amount columns when there are some, else the amount sits just left of it), and the reading is taken
only when the balance continues that way on most rows of the page. Anything else leaves the header as it was
(and the page "layout unknown").
"""

from __future__ import annotations

from decimal import Decimal

from extractors.statement.values import is_money, parse_money
from extractors.text.table import Cell, Row
from extractors.text.table_columns import Header

_AMOUNT_KEYS = ("amount", "debit", "credit")
#: Rows (pairs of neighbours) that must chain on the column, and the share of them that must.
_MIN_LINKS, _SHARE = 3, 0.8


def with_unlabelled_money(header: Header, rows: list[Row], body: list[int]) -> Header | None:
    """``header`` with ``balance`` (and ``amount`` when no amount column is labelled) over the unlabelled
    amount columns the running balance continues on, or None."""
    if "balance" in header.labels:
        return None
    labelled = any(k in header.labels for k in _AMOUNT_KEYS)
    right_of = max((x1 for k, (_, x1) in header.labels.items() if k in _AMOUNT_KEYS), default=float("-inf"))
    spans = list(header.labels.values())
    picked: list[tuple[Cell, Cell | None, list[Decimal]]] = []  # (balance cell, amount cell, the row's amounts)
    for i in body:
        money = [c for c in rows[i].cells if is_money(c.text) and any(ch in c.text for ch in ".,")]
        free = sorted((c for c in money if c.x0 > right_of and not any(a <= c.cx <= b for a, b in spans)),
                      key=lambda c: c.x0)
        if labelled and free:
            amounts = [v for c in money if c is not free[-1] and (v := parse_money(c.text)) is not None]
            picked.append((free[-1], None, amounts))
        elif not labelled and len(free) == 2 and (v := parse_money(free[0].text)) is not None:
            picked.append((free[1], free[0], [v]))
    if not _chains(picked):
        return None
    labels = {**header.labels, "balance": _middle([b for b, _, _ in picked])}
    if not labelled:
        labels["amount"] = _middle([a for _, a, _ in picked if a is not None])
    return Header(header.row, labels, header.rows)


def _chains(picked: list[tuple[Cell, Cell | None, list[Decimal]]]) -> bool:
    balances = [parse_money(b.text) for b, _, _ in picked]
    links = chained = 0
    for k in range(1, len(picked)):
        before, after, amounts = balances[k - 1], balances[k], picked[k][2]
        if before is None or after is None or not amounts:
            continue
        links += 1
        chained += any(abs(after - before) == abs(a) for a in amounts)
    return links >= _MIN_LINKS and chained >= _SHARE * links


def _middle(cells: list[Cell]) -> tuple[float, float]:
    return sorted(c.x0 for c in cells)[len(cells) // 2], sorted(c.x1 for c in cells)[len(cells) // 2]
