"""Rows, cells and transactions for statement-reader tests, built from texts at given positions."""

from __future__ import annotations

from decimal import Decimal

from extractors.statement.rows import Transaction
from extractors.text.table import Cell, Row

#: Text height (page units) of the rows these helpers build.
H = 10.0


def row(*runs: tuple[float, str], y: float = 100.0, page: int = 1, conf: float = 1.0) -> Row:
    """A row of cells: each run is (x, text); a character is H wide (CJK) or H/2 (ASCII)."""
    cells = []
    for x, text in runs:
        width = sum(H if ord(ch) > 0x2E80 else H / 2 for ch in text)
        cells.append(Cell(text, x, y, x + width, y + H, conf))
    return Row(cells, page)


def tx(
    date: str,
    amount: str | None,
    balance: str | None,
    *,
    sign: str = "sign",
    amount_text: str | None = None,
    balance_text: str | None = None,
    tokens: tuple[str, ...] = (),
) -> Transaction:
    """A transaction as the table reader would give it, with the printed texts of its amount and balance."""
    a = Decimal(amount) if amount is not None else None
    b = Decimal(balance) if balance is not None else None
    cells = {}
    if amount_text or amount is not None:
        cells["amount"] = [Cell(amount_text or str(amount), 100, 0, 150, H)]
    if balance_text or balance is not None:
        cells["balance"] = [Cell(balance_text or str(balance), 160, 0, 210, H)]
    found = tuple(Decimal(t) for t in tokens) or tuple(v for v in (a, b) if v is not None)
    return Transaction(
        page=1,
        date=date,
        amount=a,
        balance=b,
        debit=-a if a is not None and a < 0 else None,
        credit=a if a is not None and a > 0 else None,
        sign_source=sign,
        sign_derived=sign == "none",
        cells=cells,
        tokens=found,
    )
