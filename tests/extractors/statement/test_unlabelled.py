"""A balance column whose label a photo lost is found by the running balance, and only then."""

from __future__ import annotations

from extractors.statement.layouts import fallback_layout
from extractors.statement.unlabelled import with_unlabelled_balance
from extractors.text.table_columns import find_header
from tests.statement_helpers import row

_ROWS = [("2024-03-04", "", "1,000.00"), ("2024-03-05", "200.00", ""), ("2024-03-07", "", "50.50"),
         ("2024-03-09", "850.50", "")]


def _page(balances: list[str]):
    rows = [row((10, "日期"), (90, "摘要"), (170, "借方"), (250, "贷方"), (420, "对方户名"), y=100)]
    for k, ((day, debit, credit), balance) in enumerate(zip(_ROWS, balances, strict=True)):
        cells = [(10, day), (90, "货款")] + [(x, v) for x, v in ((170, debit), (250, credit)) if v]
        rows.append(row(*cells, (330, balance), (420, "甲公司"), y=120 + 20 * k))
    header = find_header(rows, fallback_layout().columns, required=("date", "amount|debit|credit"))
    assert header is not None and "balance" not in header.labels
    return header, rows, list(range(1, len(rows)))


def test_the_unlabelled_amount_column_the_running_balance_continues_on_is_the_balance():
    header, rows, body = _page(["11,000.00", "10,800.00", "10,850.50", "10,000.00"])
    found = with_unlabelled_balance(header, rows, body)
    assert found is not None
    x0, x1 = found.labels["balance"]
    assert x0 >= 320 and x1 <= 420 and found.labels["debit"] == header.labels["debit"]


def test_an_unlabelled_amount_column_that_does_not_chain_is_left_alone():
    header, rows, body = _page(["11,000.00", "9,300.00", "12,850.50", "4,000.00"])
    assert with_unlabelled_balance(header, rows, body) is None
