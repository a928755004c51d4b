"""Business time on the Chinese calendar: weekends, public holidays, 调休 Saturdays, and the 2027 fallback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idp.models.calendar import (
    CalendarSource,
    WorkingCalendar,
    add_business_time,
    business_elapsed,
    next_business_instant,
    official_knows,
)
from tests.queue_world import SHANGHAI, local

CAL = WorkingCalendar()


def test_the_calendar_facts_these_tests_rely_on():
    assert chinese_calendar.is_holiday(date(2026, 10, 1)) and chinese_calendar.is_holiday(date(2026, 10, 7))
    assert chinese_calendar.is_workday(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5  # 调休 Saturday
    assert chinese_calendar.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5
    assert not official_knows(2027) and official_knows(2026)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 3, 1))


def test_time_stops_over_the_weekend():
    friday = local(2026, 3, 6, 17, 0)
    assert add_business_time(friday, 2, CAL) == local(2026, 3, 9, 10, 0)
    assert business_elapsed(friday, local(2026, 3, 9, 10, 0), CAL) == timedelta(hours=2)


def test_time_stops_over_the_lunch_break_and_the_night():
    assert add_business_time(local(2026, 3, 2, 11, 0), 2, CAL) == local(2026, 3, 2, 14, 0)
    assert add_business_time(local(2026, 3, 2, 20, 0), 1, CAL) == local(2026, 3, 3, 10, 0)
    # four hours from 14:00 fill the afternoon exactly: due at 18:00, not at 09:00 the next morning
    assert add_business_time(local(2026, 3, 2, 14, 0), 4, CAL) == local(2026, 3, 2, 18, 0)


def test_the_national_day_holiday_is_skipped():
    eve = local(2026, 9, 30, 17, 0)
    assert add_business_time(eve, 2, CAL) == local(2026, 10, 8, 10, 0)
    assert business_elapsed(eve, local(2026, 10, 8, 9, 0), CAL) == timedelta(hours=1)


def test_a_make_up_saturday_counts_as_a_working_day():
    friday = local(2026, 2, 13, 17, 0)
    assert add_business_time(friday, 2, CAL) == local(2026, 2, 14, 10, 0)  # Saturday 2026-02-14 is a workday
    assert CAL.source(date(2026, 2, 14)) == CalendarSource.OFFICIAL
    ordinary_saturday = local(2026, 3, 7, 10, 0)
    assert add_business_time(ordinary_saturday, 1, CAL) == local(2026, 3, 9, 10, 0)


def test_a_year_chinese_calendar_lacks_falls_back_to_weekends_fixed_holidays_and_overrides():
    assert CAL.source(date(2027, 3, 1)) == CalendarSource.FALLBACK
    # 2027-01-01 (a Friday) is a fixed-date statutory holiday; then the weekend
    assert add_business_time(local(2026, 12, 31, 17, 0), 2, CAL) == local(2027, 1, 4, 10, 0)
    assert CAL.uses_fallback(local(2026, 12, 31, 17, 0), local(2027, 1, 4, 10, 0))
    assert not CAL.uses_fallback(local(2026, 12, 1, 9, 0), local(2026, 12, 31, 18, 0))
    # the override list adds a lunar holiday and a 调休 Saturday for the unknown year
    spring = WorkingCalendar(holidays=frozenset({date(2027, 2, 8)}), workdays=frozenset({date(2027, 2, 20)}))
    assert add_business_time(local(2027, 2, 5, 17, 0), 2, spring) == local(2027, 2, 9, 10, 0)
    assert add_business_time(local(2027, 2, 19, 17, 0), 2, spring) == local(2027, 2, 20, 10, 0)
    assert spring.source(date(2027, 2, 8)) == CalendarSource.OVERRIDE


def test_a_complete_override_year_is_not_a_fallback_and_overrides_win_over_chinese_calendar():
    cal = WorkingCalendar(complete_years=frozenset({2027}), holidays=frozenset({date(2026, 3, 2)}))
    assert not cal.uses_fallback(local(2027, 1, 4, 9, 0), local(2027, 1, 5, 9, 0))
    assert not cal.is_workday(date(2026, 3, 2))  # an ordinary Monday, closed by the override


def test_bad_inputs_are_refused_not_looped_on():
    with pytest.raises(ValueError):
        add_business_time(local(2026, 3, 2, 9, 0), -1, CAL)
    with pytest.raises(ValueError):
        WorkingCalendar(hours=((datetime(2026, 1, 1, 13).time(), datetime(2026, 1, 1, 12).time()),))
    closed = WorkingCalendar(holidays=frozenset(date(2026, 1, 1) + timedelta(days=i) for i in range(1200)))
    with pytest.raises(ValueError):
        add_business_time(local(2026, 1, 1, 9, 0), 1, closed)


def test_next_business_instant_and_zero_hours():
    assert next_business_instant(local(2026, 3, 2, 12, 30), CAL) == local(2026, 3, 2, 13, 0)
    assert next_business_instant(local(2026, 3, 2, 10, 0), CAL) == local(2026, 3, 2, 10, 0)
    at = local(2026, 3, 7, 23, 0)
    assert add_business_time(at, 0, CAL) == at
    assert add_business_time(at, 0, CAL).tzinfo == UTC


_instants = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1)).map(
    lambda d: d.replace(tzinfo=SHANGHAI))
_durations = st.integers(min_value=0, max_value=120 * 3600 * 1000).map(lambda ms: timedelta(milliseconds=ms))


@settings(max_examples=150, deadline=None)
@given(start=_instants, duration=_durations)
def test_adding_then_measuring_business_time_gives_the_same_duration(start, duration):
    end = add_business_time(start, duration, CAL)
    assert end >= start
    assert business_elapsed(start, end, CAL) == duration


@settings(max_examples=150, deadline=None)
@given(start=_instants, end=_instants)
def test_measuring_then_adding_lands_on_or_before_the_end(start, end):
    elapsed = business_elapsed(start, end, CAL)
    back = add_business_time(start, elapsed, CAL)
    assert back <= max(start, end)
    assert business_elapsed(back, max(start, end), CAL) == timedelta(0)
