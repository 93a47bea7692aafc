"""Working days: the State Council's holidays and 调休 from chinesecalendar, weekdays for other years;
counted, not walked: any span within the date range costs the same."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays import WorkCalendar

D = dt.date


def naive_workday(day: dt.date) -> bool:
    """An independent reading: chinesecalendar's own answer, Monday to Friday where it has none."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def naive_add(start: dt.date, days: int) -> dt.date:
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= naive_workday(day)
    return day


@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 10, 1), False),   # 国庆节
    (D(2025, 9, 28), True),    # 星期日，国庆调休上班
    (D(2025, 10, 11), True),   # 星期六，国庆调休上班
    (D(2026, 1, 1), False),    # 元旦
    (D(2026, 1, 4), True),     # 星期日，元旦调休上班
    (D(2024, 2, 18), True),    # 星期日，春节调休上班
    (D(2024, 9, 14), True),    # 星期六，中秋调休上班
    (D(2024, 9, 16), False),   # 星期一，中秋节
    (D(2025, 3, 8), False),    # an ordinary Saturday
    (D(2025, 3, 10), True),    # an ordinary Monday
])
def test_holidays_and_adjusted_working_days(day, working):
    assert WorkCalendar().is_workday(day) is working


def test_a_year_chinesecalendar_does_not_ship_is_monday_to_friday_and_said_so():
    calendar = WorkCalendar()
    year = max(y for y in range(2020, 2100) if calendar.known(y)) + 1
    assert not calendar.known(year)
    first = D(year, 1, 1)
    assert all(calendar.is_workday(first + dt.timedelta(days=n)) == ((first + dt.timedelta(days=n)).weekday() < 5) for n in range(366))
    assert calendar.assumed(D(year - 1, 12, 1), D(year, 1, 20)) == (year,)
    assert calendar.assumed(D(year - 1, 1, 1), D(year - 1, 12, 31)) == ()


def test_add_never_counts_the_start_day():
    calendar = WorkCalendar()
    assert calendar.add(D(2025, 3, 10), 1) == D(2025, 3, 11)  # Monday → Tuesday
    assert calendar.add(D(2025, 3, 7), 1) == D(2025, 3, 10)   # Friday → Monday
    assert calendar.add(D(2025, 3, 8), 1) == D(2025, 3, 10)   # received on a Saturday: day 1 is Monday
    assert calendar.add(D(2025, 4, 30), 1) == D(2025, 5, 6)   # 劳动节 1–5 May
    with pytest.raises(ValueError):
        calendar.add(D(2025, 3, 10), 0)


@settings(max_examples=100, deadline=None)
@given(st.dates(D(2003, 6, 1), D(2029, 12, 31)), st.integers(1, 60))
def test_add_agrees_with_a_day_by_day_count(start, days):
    calendar = WorkCalendar()
    due = calendar.add(start, days)
    assert due == naive_add(start, days)
    assert calendar.is_workday(due)
    assert calendar.count(start, due) == days


@settings(max_examples=60, deadline=None)
@given(st.dates(D(2003, 6, 1), D(2029, 12, 31)), st.integers(-5, 1200))
def test_count_agrees_with_a_day_by_day_count(after, span):
    until = after + dt.timedelta(days=span)
    expected = sum(naive_workday(after + dt.timedelta(days=n)) for n in range(1, (until - after).days + 1))
    assert WorkCalendar().count(after, until) == expected


def test_counting_far_apart_dates_is_cheap_and_exact():
    calendar = WorkCalendar()
    assert calendar.count(D(1, 1, 1), D(9999, 12, 31)) > 2_000_000
    assert calendar.count(D(2025, 12, 31), D(2025, 1, 1)) == 0


def _walked(after: dt.date, until: dt.date) -> tuple[int, bool]:
    """Day by day: the working days in (after, until], and whether some year had no schedule."""
    count, fell_back, day = 0, False, after + dt.timedelta(days=1)
    while day <= until:
        try:
            count += chinese_calendar.is_workday(day)
        except NotImplementedError:
            fell_back = True
            count += day.weekday() < 5
        day += dt.timedelta(days=1)
    return count, fell_back


@settings(max_examples=300, deadline=None)
@given(after=st.dates(D(1998, 1, 1), D(2030, 12, 31)), span=st.integers(-5, 800))
def test_counting_equals_walking_the_calendar(after, span):
    until = after + dt.timedelta(days=span)
    calendar = WorkCalendar()
    assumed = calendar.assumed(after + dt.timedelta(days=1), until)
    assert (calendar.count(after, until), bool(assumed)) == _walked(after, until)


def test_the_whole_date_range_is_one_count():
    calendar = WorkCalendar()
    first, last = D(1949, 1, 1), D(2100, 12, 31)
    assert calendar.assumed(first, last) and 39_000 < calendar.count(first, last) < 40_000


def test_working_days_use_the_holiday_calendar():
    # 2021-10-01 … 10-29: the National Day week (10-01 … 10-07) is off, Saturday 10-09 is a 调休 working day;
    # plain weekdays would give 21.
    calendar = WorkCalendar()
    assert calendar.count(D(2021, 9, 30), D(2021, 10, 29)) == 17 and not calendar.assumed(D(2021, 10, 1), D(2021, 10, 29))
    assert calendar.count(D(2099, 1, 1), D(2099, 1, 31)) == 21  # 2099-01-02 … 01-31: weekdays only
    assert calendar.assumed(D(2099, 1, 2), D(2099, 1, 31)) == (2099,)
