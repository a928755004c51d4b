"""Amount and balance columns whose labels a photo lost are found by the running balance, and only then."""

from __future__ import annotations

from extractors.statement.layouts import fallback_layout
from extractors.statement.unlabelled import with_unlabelled_money
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
    found = with_unlabelled_money(header, rows, body)
    assert found is not None
    x0, x1 = found.labels["balance"]
    assert x0 >= 320 and x1 <= 420 and found.labels["debit"] == header.labels["debit"]


def test_an_unlabelled_amount_column_that_does_not_chain_is_left_alone():
    header, rows, body = _page(["11,000.00", "9,300.00", "12,850.50", "4,000.00"])
    assert with_unlabelled_money(header, rows, body) is None


def test_with_no_amount_label_either_the_amount_and_the_balance_are_the_two_that_chain():
    """交易金额 and 联机余额 read as 交品金银 and 联机会银 on a photo: both labels lost."""
    rows = [row((10, "记账日期"), (90, "货币"), (170, "交品金银"), (270, "联机会银"), (350, "交基换要"),
                (420, "对方户名"), y=100)]
    signed = [("2024-03-04", "1,000.00", "11,000.00"), ("2024-03-05", "-200.00", "10,800.00"),
              ("2024-03-07", "50.50", "10,850.50"), ("2024-03-09", "-850.50", "10,000.00")]
    for k, (day, amount, balance) in enumerate(signed):
        rows.append(row((10, day), (90, "CNY"), (180, amount), (280, balance), (350, "货款"), (420, "甲公司"),
                        y=120 + 20 * k))
    header = find_header(rows, fallback_layout().columns, required=("date",), min_columns=2, cover=0.25)
    assert header is not None and not {"amount", "balance"} & set(header.labels)
    found = with_unlabelled_money(header, rows, list(range(1, len(rows))))
    assert found is not None
    assert found.labels["amount"][1] <= found.labels["balance"][0]
