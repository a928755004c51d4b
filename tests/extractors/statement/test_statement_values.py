"""Amount cells as banks print them, read by the schema's money parser (hypothesis over formats)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from extractors.statement.values import cell_amount, find_dates
from idp.models.schema.bank_statement import CREDIT_MARKS, DEBIT_MARKS

_AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


def _read(text: str):
    return cell_amount(text, DEBIT_MARKS, CREDIT_MARKS)


@given(_AMOUNTS, st.booleans(), st.sampled_from(["", "¥", "￥"]))
def test_unsigned_amounts_in_every_grouping(value: Decimal, thousands: bool, mark: str):
    text = mark + (f"{value:,.2f}" if thousands else f"{value:.2f}")
    found = _read(text)
    assert found is not None and found.value == value and not found.signed


@given(_AMOUNTS, st.sampled_from(["-{}", "({})", "{}-", "−{}", "（{}）", "({}"]))
def test_negative_amounts_however_printed(value: Decimal, form: str):
    found = _read(form.format(f"{value:,.2f}"))
    assert found is not None and found.value == -value and found.signed


@given(_AMOUNTS, st.sampled_from([("{} CR", 1), ("{}DR", -1), ("借 {}", -1), ("贷{}", 1), ("支出{}", -1)]))
def test_marks_beside_an_amount(value: Decimal, form: tuple[str, int]):
    found = _read(form[0].format(f"{value:,.2f}"))
    assert found is not None and found.value == value and found.mark == form[1]


def test_things_that_are_not_amounts():
    for text in ("2024-01-05", "6217001234567890123", "12345,678.00", "1.234.56", "货款", "", "10:23:11"):
        assert _read(text) is None, text


def test_plus_signed_credit_is_signed():
    found = _read("+1,000.00")
    assert found is not None and found.value == Decimal("1000.00") and found.signed


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"]),
)
def test_dates_in_every_format_are_found(day: date, fmt: str):
    text = f"期间 {day.strftime(fmt)} 至 {day.strftime(fmt)}"
    assert [d for d, _, _ in find_dates(text)] == [day.isoformat()] * 2


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["%Y%m-%d", "%Y-%m%d"]))
def test_a_date_whose_ocr_lost_one_separator_is_still_that_date(day: date, fmt: str):
    """A scanned row's 2024-01-05 read as 202401-05 had no date, and the row merged into the one above."""
    assert [d for d, _, _ in find_dates(f"{day.strftime(fmt)} 货款")] == [day.isoformat()]


def test_digits_with_one_separator_that_make_no_date_are_no_date():
    for text in ("202413-05", "2024-1305", "123456-78", "2024-12345"):
        assert find_dates(text) == [], text
