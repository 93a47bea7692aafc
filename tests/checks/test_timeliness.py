"""Working days are counted, not walked: any span within the date range costs the same."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks.timeliness import working_days


def _walked(after: dt.date, until: dt.date) -> tuple[int, bool]:
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
@given(after=st.dates(dt.date(1998, 1, 1), dt.date(2030, 12, 31)), span=st.integers(-5, 800))
def test_counting_equals_walking_the_calendar(after, span):
    until = after + dt.timedelta(days=span)
    assert working_days(after, until) == _walked(after, until)


def test_the_whole_date_range_is_one_count(site):
    count, fell_back = working_days(dt.date(1949, 1, 1), dt.date(2100, 12, 31))
    assert fell_back and 39_000 < count < 40_000
    site.item(written="1949-01-01", published="2100-12-31", index_no=f"{site.ORG_CODE}/2100-00001")
    assert "GK701" in site.codes(today=dt.date(2100, 12, 31))


def test_dates_out_of_range_are_gk121_and_never_reach_the_arithmetic(site):
    path = site.item(written="0001-01-01", published="9999-12-31", withdrawn={"date": "9999-12-31", "reason": "有误"})
    codes = site.codes(path)
    assert codes.count("GK121") == 3 and "GK701" not in codes
