"""The running-balance chain: it orders the rows, re-reads a row only when one reading closes a break on both
sides (sign never printed, another amount in the row, an OCR digit), and leaves real breaks to be reported."""

from __future__ import annotations

from decimal import Decimal

from extractors.statement.chain import BROKEN, CORRECTED, INFERRED, REREAD, resolve
from tests.statement_helpers import tx


def _chained() -> list:
    return [
        tx("2024-03-01", "1000.00", "11000.00"),
        tx("2024-03-02", "-200.00", "10800.00"),
        tx("2024-03-04", "50.50", "10850.50"),
        tx("2024-03-05", "-850.50", "10000.00"),
    ]


def test_a_continuous_chain_keeps_every_row_and_says_why():
    chain = resolve(_chained(), ocr=False)
    assert [v.status for v in chain.verdicts] == ["chained"] * 4
    assert all(v.cap == 1.0 for v in chain.verdicts)
    assert chain.opening == Decimal("10000.00")
    assert "上笔余额11000.00 − 200.00 = 10800.00" in chain.verdicts[1].evidence[0]


def test_newest_first_prints_are_walked_oldest_first():
    chain = resolve(_chained()[::-1], ocr=False)
    assert chain.newest_first and chain.order == [3, 2, 1, 0]
    assert chain.opening == Decimal("10000.00")
    assert all(v.status == "chained" for v in chain.verdicts)


def test_rows_of_one_day_are_put_in_the_order_that_chains():
    rows = [
        tx("2024-03-01", "1000.00", "11000.00"),
        tx("2024-03-02", "50.00", "10850.00"),  # printed before the row it follows
        tx("2024-03-02", "-200.00", "10800.00"),
        tx("2024-03-03", "100.00", "10950.00"),
    ]
    chain = resolve(rows, ocr=False)
    assert chain.order == [0, 2, 1, 3]
    assert all(v.status == "chained" for v in chain.verdicts)


def test_a_sign_never_printed_is_decided_by_the_balance_change():
    rows = _chained()
    rows[1] = tx("2024-03-02", "200.00", "10800.00", sign="none")  # 借贷 flag not found
    chain = resolve(rows, ocr=False)
    assert rows[1].amount == Decimal("-200.00") and rows[1].debit == Decimal("200.00")
    assert chain.verdicts[1].status == "inferred" and chain.verdicts[1].cap == INFERRED
    assert any("收支方向未印出或未识别" in e for e in chain.verdicts[1].evidence)


def test_a_printed_sign_against_the_chain_is_reread_with_lower_confidence():
    rows = _chained()
    rows[2] = tx("2024-03-04", "-50.50", "10850.50", sign="column")  # the amount landed in the 借 column
    chain = resolve(rows, ocr=False)
    assert rows[2].amount == Decimal("50.50")
    assert chain.verdicts[2].cap == REREAD
    assert any("相反" in e for e in chain.verdicts[2].evidence)


def test_a_balance_split_across_a_gutter_is_taken_from_the_row_amounts_that_chain():
    rows = _chained()
    rows[2] = tx("2024-03-04", "50.50", "850.50", balance_text="850.50", tokens=("50.50", "850.50", "10850.50"))
    chain = resolve(rows, ocr=False)
    assert rows[2].balance == Decimal("10850.50")
    assert chain.verdicts[2].status == "reread" and chain.verdicts[2].fields == ("balance",)
    assert all(v.status != "broken" for v in chain.verdicts)


def test_an_ocr_digit_confusion_is_corrected_on_scans_only():
    def rows() -> list:
        return [
            tx("2024-03-01", "1000.00", "11000.00"),
            tx("2024-03-02", "-800.00", "10700.00", amount_text="-800.00"),  # -300.00: the 3 read as 8
            tx("2024-03-04", "50.50", "10750.50"),
        ]

    scanned = rows()
    chain = resolve(scanned, ocr=True)
    assert scanned[1].amount == Decimal("-300.00")
    assert chain.verdicts[1].cap == CORRECTED
    assert any("易混数字" in e for e in chain.verdicts[1].evidence)
    printed = rows()
    chain = resolve(printed, ocr=False)
    assert printed[1].amount == Decimal("-800.00")
    assert chain.verdicts[1].status == "broken" and chain.verdicts[1].cap == BROKEN


def test_an_amount_altered_by_a_power_of_ten_is_never_taken_for_an_ocr_misread():
    for printed, true in (("150.50", "50.50"), ("1050.50", "50.50"), ("60.50", "50.50")):
        rows = _chained()
        rows[2] = tx("2024-03-04", printed, "10850.50")
        chain = resolve(rows, ocr=True)
        assert rows[2].amount == Decimal(printed) != Decimal(true)
        assert chain.verdicts[2].status == "broken"


def test_a_real_break_is_left_for_the_balance_rule_with_low_confidence():
    rows = _chained()
    rows[2] = tx("2024-03-04", "150.50", "10850.50")  # printed amount 100 more than the balance moved
    chain = resolve(rows, ocr=True)
    assert rows[2].amount == Decimal("150.50")
    assert chain.verdicts[2].status == "broken" and chain.verdicts[2].cap == BROKEN
    assert any("余额不连续" in e for e in chain.verdicts[2].evidence)


def test_two_readings_that_both_close_a_break_choose_neither():
    rows = [
        tx("2024-03-01", "1000.00", "11000.00"),
        tx("2024-03-02", "100.00", "10900.00", sign="none", tokens=("100.00", "10900.00", "11100.00")),
    ]
    # flipping the sign (10900) and taking the other balance (11100) both close the break, one side each
    chain = resolve(rows, ocr=False)
    assert chain.verdicts[1].status == "broken"
    assert rows[1].amount == Decimal("100.00") and rows[1].balance == Decimal("10900.00")


def test_the_printed_opening_balance_checks_the_first_row():
    rows = _chained()
    rows[0] = tx("2024-03-01", "1000.00", "11000.00", sign="none")
    chain = resolve(rows, ocr=False, opening=Decimal("12000.00"))
    assert rows[0].amount == Decimal("-1000.00")
    assert chain.verdicts[0].status == "inferred"
