"""Business time on the Chinese working-day calendar (holidays and 调休 make-up workdays from chinese-calendar).

chinese-calendar only knows the years the State Council has published; for any other year the calendar falls
back to weekends, the fixed-date statutory holidays and an override list, says so
(:meth:`WorkingCalendar.source`), and never raises.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 09:00–12:00 and 13:00–18:00, the usual working day with a lunch break.
DEFAULT_HOURS: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13), time(18)))
#: Days searched for working time before giving up (only a calendar without any workday gets there).
_MAX_DAYS = 3 * 366
#: Statutory holidays on fixed Gregorian dates (全国年节及纪念日放假办法, 2025): 元旦, 劳动节 5/1-2, 国庆 10/1-3.
#: The lunar ones (春节, 清明, 端午, 中秋) and every 调休 must come from the override list in a fallback year.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})
#: Years already reported as unknown to chinese-calendar (logged once per process).
_WARNED: set[int] = set()


class CalendarSource(StrEnum):
    """Where a day's working/non-working status came from."""

    OFFICIAL = "chinese_calendar"
    OVERRIDE = "override"
    FALLBACK = "fallback"  #: a year chinese-calendar lacks: weekends, fixed-date holidays and overrides only


@lru_cache(maxsize=64)
def official_knows(year: int) -> bool:
    """True if the installed chinese-calendar has the State Council schedule for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class WorkingCalendar:
    """Working periods of a day (local time) and which days are working days."""

    hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS
    tz: tzinfo = SHANGHAI
    holidays: frozenset[date] = frozenset()  #: extra days off (win over chinese-calendar)
    workdays: frozenset[date] = frozenset()  #: extra working days, e.g. 调休 Saturdays of an unknown year
    complete_years: frozenset[int] = frozenset()  #: years the overrides list in full (not a fallback)
    _cache: dict[date, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        previous = time(0)
        for start, end in self.hours:
            if not previous <= start < end:
                raise ValueError(f"working periods must be ordered and not overlap: {self.hours}")
            previous = end
        if not self.hours:
            raise ValueError("a working calendar needs at least one working period")

    def source(self, day: date) -> CalendarSource:
        if day in self.holidays or day in self.workdays or day.year in self.complete_years:
            return CalendarSource.OVERRIDE
        return CalendarSource.OFFICIAL if official_knows(day.year) else CalendarSource.FALLBACK

    def is_workday(self, day: date) -> bool:
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self._is_workday(day)
        return cached

    def _is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        if day.year not in self.complete_years and official_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        if day.year not in self.complete_years and day.year not in _WARNED:
            _WARNED.add(day.year)
            logger.warning("chinese-calendar has no schedule for %d: using weekends, fixed holidays and "
                           "overrides", day.year)
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS

    def uses_fallback(self, start: datetime, end: datetime) -> bool:
        """True if any day between the two instants lies in a year known only by the fallback."""
        first, last = start.astimezone(self.tz).year, end.astimezone(self.tz).year
        return any(not official_knows(y) and y not in self.complete_years for y in range(first, last + 1))

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's working periods as aware local datetimes (empty on a day off)."""
        if not self.is_workday(day):
            return []
        return [(datetime.combine(day, s, self.tz), datetime.combine(day, e, self.tz)) for s, e in self.hours]

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one."""
        for offset in range(_MAX_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_workday(candidate):
                return candidate
        raise ValueError(f"no working day within {_MAX_DAYS} days of {day}")


def add_business_time(start: datetime, hours: float | timedelta, cal: WorkingCalendar) -> datetime:
    """The instant when ``hours`` of working time have passed since ``start`` (UTC).

    Time outside the working periods does not count; an amount that exactly fills a period ends at the
    period's end (18:00), not at the next morning.
    """
    remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
    if remaining < timedelta(0):
        raise ValueError("business time to add must not be negative")
    if remaining == timedelta(0):
        return start.astimezone(UTC)
    current = start.astimezone(cal.tz)
    day = current.date()
    for _ in range(_MAX_DAYS):
        for begin, end in cal.periods(day):
            if current >= end:
                continue
            begin = max(begin, current)
            available = end - begin
            if remaining <= available:
                return (begin + remaining).astimezone(UTC)
            remaining -= available
            current = end
        day += timedelta(days=1)
    raise ValueError(f"no working time within {_MAX_DAYS} days of {start.isoformat()}")


def business_elapsed(start: datetime, end: datetime, cal: WorkingCalendar) -> timedelta:
    """Working time between two instants (zero if ``end`` is not after ``start``)."""
    if end <= start:
        return timedelta(0)
    lo, hi = start.astimezone(cal.tz), end.astimezone(cal.tz)
    total = timedelta(0)
    day = lo.date()
    while day <= hi.date():
        for begin, finish in cal.periods(day):
            a, b = max(begin, lo), min(finish, hi)
            if b > a:
                total += b - a
        day += timedelta(days=1)
    return total


def next_business_instant(at: datetime, cal: WorkingCalendar) -> datetime:
    """``at`` if it lies in working time, else the start of the next working period (UTC)."""
    current = at.astimezone(cal.tz)
    day = current.date()
    for _ in range(_MAX_DAYS):
        for begin, end in cal.periods(day):
            if current < end:
                return max(begin, current).astimezone(UTC)
        day += timedelta(days=1)
    raise ValueError(f"no working time within {_MAX_DAYS} days of {at.isoformat()}")
