"""Statement rows as typed records, in time order, and the running-balance chain the statement rules share.

Banks print oldest-first or newest-first; rows of one day may be printed in any order. :func:`chain` puts the
rows in time order (reversing newest-first prints, reordering a day's rows when that makes the balance
continuous) and reports every row whose balance does not follow from the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from idp.models import ExtractedDocument
from idp.models.ledger import in_time_order, printed_newest_first
from validators.rules._common import to_decimal

#: A statement that prints no period covers at least its first to its last row; it is taken to cover this many
#: days more on each side (an account has no row on a window's first days when nothing happened then), so a
#: period only implied by the rows is not reported short for the days before its first transaction.
IMPLIED_PERIOD_SLACK = timedelta(days=10)


def implied_period(rows: list[date]) -> tuple[date | None, date | None]:
    """The period a statement without a printed one covers: its rows' first and last dates, with the slack."""
    if not rows:
        return None, None
    return min(rows) - IMPLIED_PERIOD_SLACK, max(rows) + IMPLIED_PERIOD_SLACK


@dataclass(frozen=True)
class StatementRow:
    """One transaction; ``n`` is its 1-based position as printed."""

    n: int
    date: date | None
    time: str | None
    amount: Decimal | None
    balance: Decimal | None
    description: str
    counterparty_name: str | None
    counterparty_account: str | None

    @property
    def label(self) -> str:
        return f"第{self.n}行（{self.date or '日期不明'} {self.description}）"


@dataclass
class Chain:
    """Rows in time order, whether the print was newest-first, the derived opening balance, the breaks."""

    rows: list[StatementRow]
    newest_first: bool
    opening: Decimal | None
    breaks: list[tuple[StatementRow, StatementRow, Decimal]] = field(default_factory=list)
    incomplete: list[StatementRow] = field(default_factory=list)


def rows_of(doc: ExtractedDocument) -> list[StatementRow]:
    out = []
    for n, item in enumerate(doc.items, start=1):

        def text(key: str, item: dict = item) -> str | None:
            f = item.get(key)
            return f.value if f is not None and f.value not in (None, "") else None

        raw_date = text("date")
        try:
            day = date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            day = None
        out.append(
            StatementRow(
                n,
                day,
                text("time"),
                to_decimal(text("amount")),
                to_decimal(text("balance")),
                text("description") or "",
                text("counterparty_name"),
                text("counterparty_account"),
            )
        )
    return out


def time_order(rows: list[StatementRow]) -> tuple[list[StatementRow], bool]:
    """(rows oldest first, True if printed newest first): by dates, else by which way the balances chain."""
    newest_first = printed_newest_first(rows)
    return (rows[::-1] if newest_first else list(rows)), newest_first


def chain(rows: list[StatementRow]) -> Chain:
    """Check ``bal[i] = bal[i-1] + amount[i]`` in time order, exact to the cent. When the dates do not say
    which way the print runs (one day), the direction with fewer breaks wins."""
    ordered, newest_first = time_order(rows)
    result = _walk(in_time_order(ordered), newest_first)
    dated = {r.date for r in rows if r.date is not None}
    if len(dated) <= 1 and result.breaks:
        other = _walk(in_time_order(ordered[::-1]), not newest_first)
        if len(other.breaks) < len(result.breaks):
            result = other
    return result


def _walk(ordered: list[StatementRow], newest_first: bool) -> Chain:
    result = Chain(ordered, newest_first, None)
    prev: StatementRow | None = None
    for row in ordered:
        if row.amount is None or row.balance is None:
            result.incomplete.append(row)
            prev = None
            continue
        if result.opening is None and prev is None and not result.breaks and row is ordered[0]:
            result.opening = row.balance - row.amount
        if prev is not None and prev.balance is not None and prev.balance + row.amount != row.balance:
            result.breaks.append((prev, row, prev.balance + row.amount))
        prev = row
    return result
