"""The one parser per value type: money, quantities, dates, rates, ids and 大写 read the same everywhere."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idp.models.schema import values as v
from idp.models.schema.words import clean_words, parse_words, words_of, words_value
from validators import uscc

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


@given(amounts)
def test_money_printed_in_any_common_form_parses_back_to_itself(amount: Decimal):
    plain = v.format_money(amount)
    grouped = f"{amount:,.2f}"
    assert v.parse_money(plain) == amount
    assert v.parse_money(f"¥{grouped}") == amount
    assert v.parse_money(f"人民币{grouped}元") == amount
    assert v.parse_money(grouped.replace(",", "，")) == amount


@given(amounts)
def test_money_found_in_running_text_is_every_amount_with_two_decimals(amount: Decimal):
    text = f"合计 ¥{amount:,.2f} 数量 3 税率13%"
    assert [value for value, _, _ in v.find_money(text)] == [amount]


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "--5", "¥", "12a"])
def test_what_is_not_money_is_none(text: str):
    assert v.parse_money(text) is None


def test_accounting_brackets_and_trailing_minus_signs_are_negative():
    assert v.parse_money("(12.00)") == Decimal("-12.00")
    assert v.parse_money("￥-1,234.5") == Decimal("-1234.50")
    assert v.parse_money("-¥3") == Decimal("-3.00")


@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999"), places=6))
def test_a_decimal_keeps_its_value_and_drops_only_trailing_zeros(number: Decimal):
    text = v.format_decimal(number)
    assert v.parse_decimal(text) == number and (not text.endswith("0") or "." not in text)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_in_every_printed_form_are_the_same_day(day: date):
    for text in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日", f"{day.year}/{day.month}/{day.day}",
                 f"{day:%Y.%m.%d}", f"{day:%Y%m%d}", f"签订日期: {day.year} 年 {day.month:02d} 月 {day.day:02d} 日"):
        assert v.parse_date(text) == day, text


@pytest.mark.parametrize(("text", "day"), [
    ("二〇二四年三月五日", date(2024, 3, 5)), ("二○二三年十一月二十日", date(2023, 11, 20)),
    ("二〇二五年一月三十一日", date(2025, 1, 31)), ("2024-02-30", None), ("合同编号 20249999", None),
])
def test_dates_in_chinese_numerals_and_impossible_days(text: str, day: date | None):
    assert v.parse_date(text) == day


@pytest.mark.parametrize(("text", "rate"), [("13%", "13%"), ("6 ％", "6%"), ("免税", "免税"), ("***", "***"),
                                            ("9.0%", "9%"), ("税率", None)])
def test_rates(text: str, rate: str | None):
    assert v.parse_rate(text) == rate


def test_names_keep_chinese_brackets_full_width():
    assert v.normalise_name("聚光科技(杭州) 股份有限公司") == "聚光科技（杭州）股份有限公司"


@given(amounts)
def test_amount_in_words_round_trips(amount: Decimal):
    assert parse_words(words_of(amount)) == amount


def test_printed_words_are_cleaned_of_marks_and_junk():
    assert clean_words("⊗ 壹万壹仟叁佰元整") == "壹万壹仟叁佰元整"
    assert clean_words("(负数)壹佰元整") == "（负数）壹佰元整"
    assert clean_words("12.00") is None
    assert words_value("壹佰万零壹仟元壹角") == Decimal("1001000.10")
    assert words_value("贰贰元") is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["%d-%b-%Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y-%b-%d", "%d%b%Y"]),
       st.sampled_from([str.upper, str.lower, str]))
def test_dates_with_english_month_names_parse_in_any_case(day: date, fmt: str, case):
    assert v.parse_date(case(day.strftime(fmt))) == day


@given(amounts, st.sampled_from(["CNY", "RMB", "USD", "HKD", "EUR"]), st.booleans())
def test_money_with_a_currency_code_before_or_after_it(amount: Decimal, code: str, before: bool):
    grouped = f"{amount:,.2f}"
    assert v.parse_money(f"{code} {grouped}" if before else f"{grouped} {code}") == amount


def test_an_impossible_month_name_date_is_none():
    assert v.parse_date("30-Feb-2024") is None
    assert v.parse_date("31 Apr 2024") is None


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(body: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


@given(st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet=_USCC_ALPHABET, min_size=9, max_size=9), st.data())
def test_a_uscc_read_with_a_letter_no_uscc_holds_is_the_digit_it_looks_like(region: str, org: str, data):
    code = _uscc("91" + region + org)
    assert uscc.is_valid(code)
    lookalike = {"0": "O", "1": "I", "2": "Z", "5": "S"}
    spots = [i for i, c in enumerate(code) if i >= 2 and c in lookalike]
    misread = code
    for i in data.draw(st.lists(st.sampled_from(spots), unique=True)) if spots else ():
        misread = misread[:i] + lookalike[code[i]] + misread[i + 1:]
    assert v.parse_tax_id(misread.lower()) == code


def test_taxpayer_ids_of_other_shapes_keep_their_letters():
    assert v.parse_tax_id("440301ZS1234567") == "440301ZS1234567"  # 15 characters: an old taxpayer id
    assert v.parse_tax_id("91110000600037341L 其他") == "91110000600037341L"
    assert v.parse_tax_id("91AB01123456789O0S") == "91AB01123456789O0S"  # no region where a USCC has one


@pytest.mark.parametrize(("read", "name"), [
    ("_浙江天成制造有限公司", "浙江天成制造有限公司"),  # a box's edge read before the name
    ("：上海甲贸易有限公司|", "上海甲贸易有限公司"),
    ("正元(西安)包装制品有限公司", "正元（西安）包装制品有限公司"),
    ("ACME Trading Ltd.", "ACME Trading Ltd."),
    ("买买提·艾力", "买买提·艾力"),
    ("四川明远金属材料有限公", "四川明远金属材料有限公司"),  # the 司 under a stamp: no name ends in 有限公
    ("杭州华信钢材有限责任公", "杭州华信钢材有限责任公司"),
    ("某某公共交通有限公司", "某某公共交通有限公司"),
])
def test_a_name_loses_the_marks_ocr_reads_at_its_edges_and_keeps_its_own(read: str, name: str):
    assert v.normalise_name(read) == name
