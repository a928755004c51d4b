"""大写金额: parsing the forms printed on invoices, and to_words → parse round trips for any amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idp.errors import InvalidFormat
from validators.amount_words import is_valid, parse, to_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("⊗壹万壹仟叁佰元整", "11300.00"),
        ("ⓧ壹万壹仟叁佰圆正", "11300.00"),
        ("壹佰玖拾元零壹角玖分", "190.19"),
        ("叁拾捌元零叁分", "38.03"),
        ("伍拾叁圆肆角", "53.40"),
        ("贰拾柒圆整", "27.00"),
        ("壹佰万零壹仟元壹角", "1001000.10"),
        ("壹佰万壹仟元壹角", "1001000.10"),  # the optional 零 left out
        ("壹元伍角整", "1.50"),
        ("伍分", "0.05"),
        ("零元整", "0.00"),
        ("拾元整", "10.00"),
        ("（负数）壹佰壹拾叁圆整", "-113.00"),
        ("负壹佰壹拾叁元整", "-113.00"),
        ("¥ 壹 仟 元 整", "1000.00"),
    ],
)
def test_parse(text: str, value: str):
    assert parse(text) == Decimal(value)
    assert is_valid(text)


@pytest.mark.parametrize(
    "text",
    ["", "元整", "壹贰元", "壹佰元零", "壹元伍分整", "佰元整", "壹佰零零伍元", "one hundred", "壹佰元整整"],
)
def test_parse_rejects(text: str):
    with pytest.raises(InvalidFormat):
        parse(text)
    assert not is_valid(text)


def test_to_words_follows_the_tax_system():
    assert to_words(Decimal("190.19"), yuan="元") == "壹佰玖拾元零壹角玖分"
    assert to_words(Decimal("38.03"), yuan="元") == "叁拾捌元零叁分"
    assert to_words(Decimal("53.40")) == "伍拾叁圆肆角"
    assert to_words(Decimal("27")) == "贰拾柒圆整"
    assert to_words(Decimal("0")) == "零圆整"
    assert to_words(Decimal("-113"), negative="（负数）") == "（负数）壹佰壹拾叁圆整"


@given(
    amount=st.decimals(
        min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
    ),
    yuan=st.sampled_from(["元", "圆"]),
    negative=st.sampled_from(["负", "（负数）", "(负数)"]),
    mark=st.sampled_from(["", "⊗", "ⓧ"]),
)
def test_round_trip(amount: Decimal, yuan: str, negative: str, mark: str):
    words = to_words(amount, yuan=yuan, negative=negative)
    assert parse(mark + words) == amount
