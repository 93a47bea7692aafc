"""Working days (工作日) with the State Council's holidays and 调休, from chinesecalendar: the one
calendar of statutory deadlines (registers) and of the 20-working-day publication rule (timeliness).

chinesecalendar ships the schedules of the years it knows (published each December for the next
year). For any other year every Monday to Friday counts as a working day, and `assumed` tells the
callers which years were, so that a deadline computed that way is said to be provisional.

Counted, not walked: weekdays by arithmetic on ordinals, corrected by the holidays that fall on
weekdays and the working weekends, found by bisection. The cost does not grow with the span (a date
typed as 0001-01-01 once made a day-by-day count take half a minute).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class _Schedule:
    first: int  # the years chinesecalendar knows
    last: int
    off: tuple[dt.date, ...]  # its holidays on Monday to Friday, sorted
    on: tuple[dt.date, ...]  # its working Saturdays and Sundays (调休), sorted
    off_days: frozenset[dt.date]
    on_days: frozenset[dt.date]


@functools.cache
def _schedule() -> _Schedule:
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    years = [day.year for day in holidays]
    off = tuple(sorted(day for day in holidays if day.weekday() < 5 and day not in workdays))
    on = tuple(sorted(day for day in workdays if day.weekday() >= 5))
    return _Schedule(min(years), max(years), off, on, frozenset(off), frozenset(on))


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) to `day`, both included."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _between(days: tuple[dt.date, ...], after: dt.date, until: dt.date) -> int:
    return bisect.bisect_right(days, until) - bisect.bisect_right(days, after)


class WorkCalendar:
    """Which days are working days, and counts and sums of them."""

    def known(self, year: int) -> bool:
        """Whether the year's holidays and 调休 are known (otherwise Monday to Friday are assumed)."""
        schedule = _schedule()
        return schedule.first <= year <= schedule.last

    def is_workday(self, day: dt.date) -> bool:
        if not self.known(day.year):
            return day.weekday() < 5
        schedule = _schedule()
        return day in schedule.on_days or (day.weekday() < 5 and day not in schedule.off_days)

    def count(self, after: dt.date, until: dt.date) -> int:
        """Working days in (after, until]; 0 when until ≤ after."""
        if until <= after:
            return 0
        schedule = _schedule()
        count = _weekdays_through(until) - _weekdays_through(after)
        return count + _between(schedule.on, after, until) - _between(schedule.off, after, until)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself is never counted); days ≥ 1.
        ValueError when it would fall after the last day a date can hold (9999-12-31).

        Found by bisection on `count`, not walked: 定期公开 asks it for every period of every series (a weekly
        series started in 1949 has 4,000), and a day-by-day walk of 60 working days made 300 such series take minutes."""
        if days < 1:
            raise ValueError("days must be at least 1")
        return _nth_after(start, days)

    def assumed(self, first: dt.date, last: dt.date) -> tuple[int, ...]:
        """The years from `first` to `last` whose schedule is unknown (weekdays were assumed)."""
        if last < first:
            return ()
        schedule = _schedule()
        before = range(first.year, min(last.year, schedule.first - 1) + 1)
        after = range(max(first.year, schedule.last + 1), last.year + 1)
        return (*before, *after)


@functools.lru_cache(maxsize=1 << 16)  # every series of a kind asks for the same periods' due dates
def _nth_after(start: dt.date, days: int) -> dt.date:
    """WorkCalendar.add: the smallest day whose count of working days after `start` reaches `days`."""
    calendar, last = WorkCalendar(), dt.date.max
    if calendar.count(start, last) < days:
        raise ValueError("no such day: past 9999-12-31")
    span = days * 2 + 14  # more than any run of holidays needs; doubled until it is enough
    high = start + dt.timedelta(days=min(span, last.toordinal() - start.toordinal()))
    while calendar.count(start, high) < days:
        span *= 2
        high = start + dt.timedelta(days=min(span, last.toordinal() - start.toordinal()))
    low = start  # count(start, low) < days <= count(start, high)
    while (high - low).days > 1:
        middle = low + (high - low) // 2
        if calendar.count(start, middle) < days:
            low = middle
        else:
            high = middle
    return high
