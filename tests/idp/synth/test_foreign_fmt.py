"""How the foreign generator prints values: amounts in words read back to the amount, four date styles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idp.synth.foreign import fmt


@given(cents=st.integers(min_value=1, max_value=10**12), yuan=st.sampled_from("元圆"), whole=st.sampled_from("整正"))
def test_amount_in_words_reads_back_to_the_amount(cents: int, yuan: str, whole: str) -> None:
    value = Decimal(cents) / 100
    text = fmt.words(value, yuan=yuan, whole=whole)
    assert fmt.words_value(text) == value
    assert ("元" in text) == (yuan == "元" and value >= 1) and not any(ch.isdigit() for ch in text)


def test_words_of_known_amounts() -> None:
    assert fmt.words(Decimal("1005.07")) == "壹仟零伍元零柒分"
    assert fmt.words(Decimal("100000"), yuan="圆", whole="正") == "壹拾万圆正"
    with pytest.raises(ValueError):
        fmt.words(Decimal("-1"))


@pytest.mark.parametrize(
    ("style", "expected"),
    [("cn", "2024年3月5日"), ("cn_padded", "2024年03月05日"), ("iso", "2024-03-05"), ("dot", "2024.3.5"),
     ("slash", "2024/03/05"), ("compact", "20240305"), ("hanzi", "二〇二四年三月五日")],
)
def test_date_styles(style: str, expected: str) -> None:
    assert fmt.day(date(2024, 3, 5), style) == expected


def test_hanzi_dates_with_tens() -> None:
    assert fmt.day(date(2023, 10, 10), "hanzi") == "二〇二三年十月十日"
    assert fmt.day(date(2024, 12, 31), "hanzi") == "二〇二四年十二月三十一日"
    with pytest.raises(ValueError):
        fmt.day(date(2024, 1, 1), "roman")


def test_money_with_and_without_separators() -> None:
    assert fmt.money(Decimal("1234567.5"), thousands=True, yen="¥") == "¥1,234,567.50"
    assert fmt.money(Decimal("-1234.5")) == "-1234.50"
    assert fmt.price(Decimal("3.125")) == "3.125" and fmt.price(Decimal("40")) == "40.00"
    assert fmt.quantity(Decimal("12.500")) == "12.5"
