"""The printed period, from whatever label prints it; never from the rows (issue 14: an unseen layout's period
start and end were not found)."""

from __future__ import annotations

import pytest

from extractors.statement.layouts import fallback_layout
from extractors.statement.period import UNLABELLED, UNLABELLED_RANGE, find_period
from tests.statement_helpers import row


def _period(*rows) -> tuple[str, str, float] | None:
    found = find_period(list(rows), fallback_layout(), base=0.99)
    return (found.start, found.end, found.confidence) if found else None


@pytest.mark.parametrize(
    "text",
    [
        "查询期间：2024-01-01至2024-06-30",
        "查询期间: 2024-01-01 至 2024-06-30",
        "账单周期 2024.01.01-2024.06.30",
        "交易日期范围：2024/01/01 ~ 2024/06/30",
        "起止日期：20240101-20240630",
        "对账期间：2024年01月01日至2024年06月30日",
        "Statement Period: 2024-01-01 to 2024-06-30",
        "查询期间：2024-01-01 00:00:00 至 2024-06-30 23:59:59",
    ],
)
def test_a_labelled_range_in_any_phrasing(text: str):
    assert _period(row((20, "户名：甲公司")), row((20, text), y=120)) == ("2024-01-01", "2024-06-30", 0.99)


def test_start_and_end_under_their_own_labels():
    found = _period(row((20, "起始日期：2024/01/01"), (200, "终止日期：2024/06/30")))
    assert found == ("2024-01-01", "2024-06-30", 0.99)
    found = _period(row((20, "开始日期：2024-01-01")), row((20, "结束日期：2024-06-30"), y=120))
    assert found == ("2024-01-01", "2024-06-30", 0.99)


def test_labels_on_one_row_and_the_values_under_them():
    labels = row((20, "户名"), (200, "起始日期"), (320, "终止日期"))
    values = row((20, "甲公司"), (200, "2024/01/01"), (320, "2024/06/30"), y=114)
    assert _period(labels, values) == ("2024-01-01", "2024-06-30", 0.99)


def test_a_range_under_a_label_no_list_has_is_taken_and_says_so():
    found = _period(row((20, "查询时间段：2024-01-01至2024-06-30")))
    assert found == ("2024-01-01", "2024-06-30", UNLABELLED_RANGE)
    found = _period(row((20, "交易日期：自2024年1月1日至2024年6月30日")))
    assert found == ("2024-01-01", "2024-06-30", UNLABELLED_RANGE)


def test_no_period_printed_gives_none_whatever_the_other_dates():
    assert _period(row((20, "户名：甲公司")), row((20, "打印日期：2024-07-02 10:11:12"), y=120)) is None
    assert _period(row((20, "打印时间：2024-07-02 至 2024-07-03"))) is None
    assert _period(row((20, "开户日期：2019-05-06"), (200, "账号：6222001234567890"))) is None


def test_a_period_ending_before_it_starts_is_kept_but_doubtful():
    found = find_period([row((20, "查询期间：2024-06-30至2024-01-01"))], fallback_layout(), base=0.99)
    assert found is not None and found.confidence <= 0.5
    assert any("晚于" in e for e in found.evidence)


def test_start_and_end_under_labels_no_list_has_say_from_and_to_with_less_confidence():
    found = _period(row((20, "交易起始日：2024-01-01"), (220, "交易截至日：2024-06-30")))
    assert found == ("2024-01-01", "2024-06-30", UNLABELLED)
    assert _period(row((20, "开户日：2019-01-01"), (220, "打印日：2024-06-30"))) is None
