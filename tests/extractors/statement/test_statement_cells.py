"""Cells into columns: an amount is never cut in two, text never lands in an amount column, and wrapped text
is joined top line first."""

from __future__ import annotations

from extractors.statement.cells import assign_row, join_lines, presplit
from extractors.text.table import Cell
from extractors.text.table_columns import Column
from tests.statement_helpers import row

_COLUMNS = [
    Column("date", 0, 60, (0, 60)),
    Column("balance", 100, 175, (120, 160)),
    Column("description", 170, 260, (180, 220)),
]


def test_an_amount_and_text_in_one_ocr_box_become_two_cells():
    cell = Cell("256,064.49代发工资", 100, 0, 220, 10)
    left, right = presplit(cell)
    assert (left.text, right.text) == ("256,064.49", "代发工资")
    assert left.x1 == right.x0 and cell.x0 < left.x1 < cell.x1
    assert [c.text for c in presplit(Cell("代发工资256.00", 0, 0, 80, 10))] == ["代发工资", "256.00"]
    assert presplit(Cell("发票号06983620", 0, 0, 80, 10)) == [Cell("发票号06983620", 0, 0, 80, 10)]


def test_a_balance_run_into_the_account_number_beside_it_is_cut_after_its_two_decimals():
    """A scan read 2756409.95 and the counterparty's account as one box: the balance had been read as .90."""
    for text, amount in (("2756409.954085880416578191", "2756409.95"), ("1,204.006222021234567890", "1,204.00")):
        left, right = presplit(Cell(text, 100, 0, 300, 10))
        assert (left.text, right.text) == (amount, text[len(amount):])
    assert presplit(Cell("6222021234567890", 0, 0, 80, 10)) == [Cell("6222021234567890", 0, 0, 80, 10)]
    assert presplit(Cell("12.3456789", 0, 0, 80, 10)) == [Cell("12.3456789", 0, 0, 80, 10)]


def test_an_amount_crossing_into_the_next_column_stays_whole():
    got = assign_row(row((110, "256,064.49"), (178, "代发工资")), _COLUMNS)
    assert [c.text for c in got["balance"]] == ["256,064.49"]
    assert [c.text for c in got["description"]] == ["代发工资"]


def test_text_under_an_amount_column_goes_to_the_text_column_beside_it():
    got = assign_row(row((150, "司")), _COLUMNS)
    assert "balance" not in got and [c.text for c in got["description"]] == ["司"]


def test_a_closing_bracket_read_apart_rejoins_its_amount():
    got = assign_row(row((100, "(69,139.91"), (151, ")"), (180, "国家金库")), _COLUMNS)
    assert [c.text for c in got["balance"]] == ["(69,139.91)"]


def test_wrapped_lines_join_top_first_whatever_their_heights():
    top = Cell("采购付款-发票号06983", 400, 645, 613, 677)
    below = Cell("620", 401, 669, 452, 705)  # a taller box whose centre rounds to another line
    assert join_lines([below, top]) == "采购付款-发票号06983620"


def test_an_amount_right_of_its_label_and_touching_the_next_text_goes_to_its_money_column():
    columns = [
        Column("balance", 1266, 1310, (1266, 1310)),  # the column cut gave the balance no data
        Column("counterparty_name", 1325, 1764, (1573, 1705)),
    ]
    got = assign_row(row((1327, "416,724.52"), (1429, "苏州市启明建材有限责任公司")), columns)
    assert [c.text for c in got["balance"]] == ["416,724.52"]
    assert [c.text for c in got["counterparty_name"]] == ["苏州市启明建材有限责任公司"]


def test_a_name_with_digits_under_an_amount_column_is_still_text():
    got = assign_row(row((110, "罗杰等18人")), _COLUMNS)
    assert "balance" not in got and [c.text for c in got["description"]] == ["罗杰等18人"]


def test_two_amounts_run_together_are_two_cells():
    left, right = presplit(Cell("1,000.0011,000.00", 100, 0, 185, 10))
    assert (left.text, right.text) == ("1,000.00", "11,000.00")
    assert presplit(Cell("11,000.00", 100, 0, 145, 10)) == [Cell("11,000.00", 100, 0, 145, 10)]


def test_a_date_and_its_time_read_as_one_box_read_as_a_date_then_a_time():
    """``2023-10-1012:41:10`` (OCR dropped the space) parsed as no date, and the row was glued to the one above."""
    got = assign_row(row((2, "2023-10-1012:41:10"), (110, "279,362.44")), _COLUMNS)
    assert join_lines(got["date"], " ") == "2023-10-10 12:41:10"
    assert [c.text for c in presplit(Cell("2023年10月10日09:05", 0, 0, 90, 10))] == ["2023年10月10日", "09:05"]
    assert [c.text for c in presplit(Cell("20231010124110", 0, 0, 90, 10))] == ["20231010124110"]
