"""Periods and due rules: every `every`, every rule of the grammar, year ends and month lengths."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.periods import DEFAULT_DUE, EVERY, LAST_YEAR, Period, parse_due, parse_period, period_of

D = dt.date


@pytest.mark.parametrize(("text", "every", "first", "last", "label"), [
    ("2026", "year", D(2026, 1, 1), D(2026, 12, 31), "2026年"),
    ("2026H1", "half", D(2026, 1, 1), D(2026, 6, 30), "2026年上半年"),
    ("2026H2", "half", D(2026, 7, 1), D(2026, 12, 31), "2026年下半年"),
    ("2026Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31), "2026年第1季度"),
    ("2026Q4", "quarter", D(2026, 10, 1), D(2026, 12, 31), "2026年第4季度"),
    ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), "2024年2月"),
    ("2026-02", "month", D(2026, 2, 1), D(2026, 2, 28), "2026年2月"),
    ("2026-12", "month", D(2026, 12, 1), D(2026, 12, 31), "2026年12月"),
    ("2026W01", "week", D(2025, 12, 29), D(2026, 1, 4), "2026年第1周"),
    ("2026W53", "week", D(2026, 12, 28), D(2027, 1, 3), "2026年第53周"),
])
def test_periods_of_every_kind(text, every, first, last, label):
    period = parse_period(text, every)
    assert period is not None
    assert (period.first_day, period.last_day, period.label, str(period)) == (first, last, label, text)


@pytest.mark.parametrize(("text", "every"), [
    ("2026Q5", "quarter"), ("2026Q3", "month"), ("2026-13", "month"), ("2026H3", "half"), ("2025W53", "week"),
    ("26Q1", "quarter"), ("0026", "year"), ("2026年", "year"), ("", "year"), ("2026-00", "month"),
])
def test_what_is_not_a_period(text, every):
    assert parse_period(text, every) is None


def test_lenient_spellings_name_the_canonical_period():
    assert str(parse_period("２０２６ｑ３", "quarter")) == "2026Q3"
    assert str(parse_period("2026-3", "month")) == "2026-03"
    assert str(parse_period("2026-W09", "week")) == "2026W09"


def period(text: str, kind: str) -> Period:
    parsed = parse_period(text, kind)
    assert parsed is not None, text
    return parsed


def test_next_crosses_year_ends():
    assert period("2026Q4", "quarter").next() == parse_period("2027Q1", "quarter")
    assert period("2026-12", "month").next() == parse_period("2027-01", "month")
    assert period("2026H2", "half").next() == parse_period("2027H1", "half")
    assert period("2026W53", "week").next() == parse_period("2027W01", "week")
    assert period("2025W52", "week").next() == parse_period("2026W01", "week")


def due(rule: str, period: str, every: str) -> dt.date:
    parsed = parse_due(rule)
    assert parsed is not None, rule
    found = parse_period(period, every)
    assert found is not None
    return parsed.date(found)


@pytest.mark.parametrize(("rule", "period", "every", "expected"), [
    # The seed's 公开时限: 年度 in next year's first quarter, 半年/季度 the month after, 月度 by the 10th.
    ("次年一季度", "2026", "year", D(2027, 3, 31)),
    ("次年第一季度", "2026", "year", D(2027, 3, 31)),
    ("次年第一季度末", "2026", "year", D(2027, 3, 31)),
    ("次月底", "2026H1", "half", D(2026, 7, 31)),
    ("次月底", "2026H2", "half", D(2027, 1, 31)),
    ("次月底", "2026Q1", "quarter", D(2026, 4, 30)),
    ("次月底", "2026Q3", "quarter", D(2026, 10, 31)),
    ("次月底", "2026Q4", "quarter", D(2027, 1, 31)),
    ("次月末", "2023-12", "month", D(2024, 1, 31)),
    ("次月底", "2024-01", "month", D(2024, 2, 29)),
    ("次月10日", "2026-11", "month", D(2026, 12, 10)),
    ("次月10日", "2026-12", "month", D(2027, 1, 10)),
    ("次月十日", "2026-12", "month", D(2027, 1, 10)),
    ("次月10号", "2026-06", "month", D(2026, 7, 10)),
    ("次月十日内", "2026-12", "month", D(2027, 1, 10)),  # the seed's words
    ("次月10日前", "2026-06", "month", D(2026, 7, 10)),
    ("次月", "2026Q3", "quarter", D(2026, 10, 31)),  # 在季度结束的次月公开
    ("次年一季度内", "2026", "year", D(2027, 3, 31)),
    ("次月31日", "2026-03", "month", D(2026, 4, 30)),  # a shorter month: its last day
    ("次月三十一日", "2025-01", "month", D(2025, 2, 28)),
    ("次月10日", "2026W53", "week", D(2027, 2, 10)),  # the week ends on 2027-01-03
    ("次年3月底", "2026Q4", "quarter", D(2027, 3, 31)),
    ("次年1月31日", "2026", "year", D(2027, 1, 31)),
    ("次年二月二十九日", "2023", "year", D(2024, 2, 29)),
    ("次年2月29日", "2024", "year", D(2025, 2, 28)),
    ("当年3月底", "2026", "year", D(2026, 3, 31)),  # a budget: before its year ends
    ("当年12月31日", "2026Q2", "quarter", D(2026, 12, 31)),
    ("期末后20天", "2026", "year", D(2027, 1, 20)),
    ("期末后15日", "2026Q4", "quarter", D(2027, 1, 15)),
    ("期满后7天", "2026W52", "week", D(2027, 1, 3)),
    ("期末后1天", "2024-02", "month", D(2024, 3, 1)),
    # 调休 as chinesecalendar knows them: 2024-10-01..07 off, 2024-10-12 (Saturday) worked.
    ("期末后3个工作日", "2024Q3", "quarter", D(2024, 10, 10)),
    ("期末后1个工作日", "2024-12", "month", D(2025, 1, 2)),
])
def test_every_due_rule(rule, period, every, expected):
    assert due(rule, period, every) == expected


@pytest.mark.parametrize(("every", "period", "expected"), [
    ("year", "2026", D(2027, 3, 31)),
    ("half", "2026H2", D(2027, 1, 31)),
    ("quarter", "2026Q4", D(2027, 1, 31)),
    ("month", "2026-12", D(2027, 1, 10)),
    ("week", "2026W53", D(2027, 1, 10)),
])
def test_the_default_rule_of_each_every(every, period, expected):
    assert due(DEFAULT_DUE[every], period, every) == expected


@pytest.mark.parametrize("rule", [
    "", "月底", "下月底", "次月前前", "内", "次月0日", "次月32日", "次年13月底", "次年0月1日", "期末后0天", "期末后367天",
    "期末后61个工作日", "次月十十日", "次月10", "次季度末", "30天",
])
def test_what_is_not_a_rule(rule):
    assert parse_due(rule) is None


@given(st.text(max_size=30))
def test_any_text_is_a_rule_or_refused(text):
    rule = parse_due(text)
    if rule is not None:
        assert rule.date(Period(2026, 4, "quarter")) >= D(2026, 1, 1)


@given(st.sampled_from(EVERY), st.dates(min_value=D(1949, 1, 8), max_value=D(2100, 12, 24)))
def test_a_day_lies_in_its_period_and_the_period_reads_back(every, day):
    period = period_of(day, every)
    assert period.first_day <= day <= period.last_day
    assert parse_period(str(period), every) == period
    assert period.next().first_day == period.last_day + dt.timedelta(days=1)


def test_every_due_date_of_a_weekly_series_from_1949_to_2100_is_cheap():
    """期末后60个工作日 for each of 7,931 weeks: counted, not walked day by day (which took half a minute)."""
    rule = parse_due("期末后60个工作日")
    assert rule is not None
    period, started, due = Period(1949, 1, "week"), time.process_time(), []
    while period.year <= LAST_YEAR:
        due.append(rule.date(period))
        period = period.next()
    assert time.process_time() - started < 5
    assert due[0] == dt.date(1949, 4, 1) and len(due) == 7931
