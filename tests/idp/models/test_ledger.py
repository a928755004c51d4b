"""The running balance both the statement reader and the balance rule use: the time order within a day is the one
in which the balances chain, whatever order the bank printed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from idp.models.ledger import chains, in_time_order, printed_newest_first


@dataclass(frozen=True)
class Row:
    date: date | None
    amount: Decimal | None
    balance: Decimal | None


def _ledger(opening: Decimal, days: list[list[Decimal]]) -> list[Row]:
    out, balance = [], opening
    for d, amounts in enumerate(days, start=1):
        for amount in amounts:
            balance += amount
            out.append(Row(date(2024, 3, d), amount, balance))
    return out


_CENTS = st.integers(min_value=-500_000, max_value=500_000).filter(bool).map(lambda c: Decimal(c) / 100)


@given(opening=st.integers(0, 10_000_000).map(lambda c: Decimal(c) / 100),
       days=st.lists(st.lists(_CENTS, min_size=1, max_size=5), min_size=1, max_size=5),
       seed=st.integers(0, 1000))
def test_rows_shuffled_within_their_day_are_put_back_in_an_order_that_chains(opening, days, seed):
    rows = _ledger(opening, days)
    rng = random.Random(seed)
    printed: list[Row] = []
    for d in sorted({r.date for r in rows}):
        day = [r for r in rows if r.date == d]
        rng.shuffle(day)
        printed += day
    ordered = in_time_order(printed, opening)
    assert sorted(map(id, ordered)) == sorted(map(id, printed))
    assert chains(opening, ordered)


def test_without_an_opening_balance_the_first_day_starts_from_the_row_that_can_start_it():
    rows = _ledger(Decimal("100.00"), [[Decimal("50.00"), Decimal("-20.00"), Decimal("5.00")]])
    printed = [rows[2], rows[0], rows[1]]
    ordered = in_time_order(printed)
    assert ordered == rows


def test_a_day_no_order_can_chain_keeps_its_printed_order():
    rows = _ledger(Decimal("100.00"), [[Decimal("50.00")], [Decimal("-20.00"), Decimal("5.00")]])
    broken = [rows[0], Row(rows[1].date, Decimal("-20.00"), Decimal("999.00")), rows[2]]
    assert in_time_order(broken, Decimal("100.00")) == broken


def test_the_print_direction_comes_from_the_dates_else_from_the_balances():
    rows = _ledger(Decimal("0.00"), [[Decimal("1.00")], [Decimal("2.00")], [Decimal("3.00")]])
    assert not printed_newest_first(rows) and printed_newest_first(rows[::-1])
    one_day = _ledger(Decimal("0.00"), [[Decimal("1.00"), Decimal("2.00"), Decimal("3.00")]])
    assert printed_newest_first(one_day[::-1]) and not printed_newest_first(one_day)


def test_amounts_that_cancel_out_do_not_lead_the_order_astray():
    rows = _ledger(Decimal("100.00"), [[Decimal("5.00"), Decimal("-5.00"), Decimal("3.00")]])
    printed = [rows[2], rows[1], rows[0]]  # 100 + 3 = 103 also follows from 100, and leads nowhere
    assert chains(Decimal("100.00"), in_time_order(printed, Decimal("100.00")))
