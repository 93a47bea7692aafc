"""Working days (工作日) with the State Council's holidays and 调休, from chinesecalendar.

chinesecalendar ships the schedules of the years it knows (published each December for the next
year). For any other year every Monday to Friday counts as a working day, and the callers are told
which years were assumed, so that a deadline computed that way is said to be provisional.

Each year is turned once into a running count of its working days, so counting the working days
between two dates far apart costs one subtraction per year, not one lookup per day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class _Year:
    known: bool  # chinesecalendar has this year's schedule
    running: tuple[int, ...]  # running[i]: working days from 1 January to day i (0-based) inclusive


def _is_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Working days of every year a caller asks about, computed once per year."""

    def __init__(self) -> None:
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            known = _is_known(year)
            day, total, running = dt.date(year, 1, 1), 0, []
            while day.year == year:
                total += chinese_calendar.is_workday(day) if known else day.weekday() < 5
                running.append(total)
                if day == dt.date.max:
                    break
                day += _ONE_DAY
            table = self._years[year] = _Year(known, tuple(running))
        return table

    def known(self, year: int) -> bool:
        """Whether the year's holidays and 调休 are known (otherwise Monday to Friday are assumed)."""
        return self._year(year).known

    def is_workday(self, day: dt.date) -> bool:
        running = self._year(day.year).running
        index = day.timetuple().tm_yday - 1
        return running[index] > (running[index - 1] if index else 0)

    def _through(self, day: dt.date) -> int:
        """Working days from 1 January of `day`'s year to `day` inclusive."""
        return self._year(day.year).running[day.timetuple().tm_yday - 1]

    def _total(self, year: int) -> int:
        """Working days in a whole year; for a year chinesecalendar does not know, without building it."""
        if year in self._years or _is_known(year):
            return self._year(year).running[-1]
        first = dt.date(year, 1, 1)
        days = (dt.date(year, 12, 31) - first).days + 1
        weeks, rest = divmod(days, 7)
        return weeks * 5 + sum((first.weekday() + n) % 7 < 5 for n in range(rest))

    def count(self, after: dt.date, until: dt.date) -> int:
        """Working days in (after, until]; 0 when until ≤ after."""
        if until <= after:
            return 0
        total = self._through(until) - self._through(after)
        for year in range(after.year, until.year):
            total += self._total(year)
        return total

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself is never counted); days ≥ 1.
        ValueError when it would fall after the last day a date can hold (9999-12-31)."""
        if days < 1:
            raise ValueError("days must be at least 1")
        day, counted = start, 0
        while counted < days:
            if day == dt.date.max:
                raise ValueError("no such day: past 9999-12-31")
            day += _ONE_DAY
            counted += self.is_workday(day)
        return day

    def assumed(self, first: dt.date, last: dt.date) -> tuple[int, ...]:
        """The years from `first` to `last` whose schedule is unknown (weekdays were assumed)."""
        return tuple(year for year in range(first.year, last.year + 1) if not self.known(year))
