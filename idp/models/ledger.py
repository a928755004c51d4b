"""The running balance of an account statement, as one rule both the reader and the checks apply: in time order
each row's balance is the balance before it plus its signed amount, exact to the cent.

A statement prints rows newest or oldest first, and within one day not always in time order (a bank sorts by
amount, or by the order postings cleared). The time order is the one in which the balances chain; this module
finds it, so the statement reader (which re-reads rows where the chain breaks) and the balance rule (which
reports the breaks that remain) agree on what "in order" means.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar


class Posting(Protocol):
    """A statement row as far as the running balance sees it (``date`` is any value that orders by time)."""

    @property
    def date(self) -> Any: ...

    @property
    def amount(self) -> Decimal | None: ...

    @property
    def balance(self) -> Decimal | None: ...


P = TypeVar("P", bound=Posting)


def follows(before: Decimal | None, row: Posting) -> bool:
    """Whether ``row``'s balance is ``before`` plus its amount."""
    return before is not None and row.amount is not None and row.balance is not None and (
        before + row.amount == row.balance)


def chains(start: Decimal, rows: Sequence[Posting]) -> bool:
    """Whether ``rows``, in this order, continue a balance of ``start``."""
    balance: Decimal | None = start
    for row in rows:
        if not follows(balance, row):
            return False
        balance = row.balance
    return True


def links(rows: Sequence[Posting]) -> int:
    """How many neighbours in ``rows`` chain (the later one's balance follows from the earlier one's)."""
    return sum(1 for a, b in zip(rows, rows[1:], strict=False) if follows(a.balance, b))


def printed_newest_first(rows: Sequence[Posting]) -> bool:
    """Whether the print runs newest first: by the dates where they fall one way more often than the other,
    else (one day) by which way more balances chain."""
    dated = [r.date for r in rows if r.date is not None]
    down = sum(1 for a, b in zip(dated, dated[1:], strict=False) if b < a)
    up = sum(1 for a, b in zip(dated, dated[1:], strict=False) if b > a)
    if down != up:
        return down > up
    return links(rows[::-1]) > links(rows)


def in_time_order(rows: Sequence[P], opening: Decimal | None = None) -> list[P]:
    """``rows`` (oldest day first) with each day's rows in the order that makes the balances chain, where the
    printed order does not and one order does; the first day starts from ``opening``, else from whichever row
    can start it."""
    out: list[P] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].date == rows[i].date:
            j += 1
        day = list(rows[i:j])
        start = out[-1].balance if out else opening
        if len(day) > 1 and start is not None:
            if not chains(start, day):
                day = _chained(start, day) or day
        elif len(day) > 1 and not _chains_from_first(day):
            for first in day:
                if first.amount is not None and first.balance is not None:
                    better = _chained(first.balance - first.amount, day)
                    if better:
                        day = better
                        break
        out += day
        i = j
    return out


def _chains_from_first(day: Sequence[Posting]) -> bool:
    first = day[0]
    return first.amount is not None and first.balance is not None and chains(first.balance - first.amount, day)


#: Orders tried per day before giving up (a day of many equal amounts could otherwise take long).
_BUDGET = 20_000


def _chained(start: Decimal, day: Sequence[P]) -> list[P] | None:
    """The day's rows in an order that continues ``start``, or None: depth first, rows in printed order (a
    row may follow the running balance and still lead nowhere, when amounts cancel out)."""
    budget = [_BUDGET]

    def extend(balance: Decimal, left: list[P]) -> list[P] | None:
        if not left:
            return []
        for k, row in enumerate(left):
            budget[0] -= 1
            if budget[0] < 0:
                return None
            if follows(balance, row):
                rest = extend(row.balance, left[:k] + left[k + 1:])  # type: ignore[arg-type]
                if rest is not None:
                    return [row, *rest]
        return None

    return extend(start, list(day))
