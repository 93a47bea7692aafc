"""Every date gongkai reads lies between 1949-01-01 and 2100-12-31."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.values import EARLIEST, LATEST, date_problem, parse_date, shown


@pytest.mark.parametrize("text, expected", [
    ("2021-06-18", dt.date(2021, 6, 18)), ("1949-01-01", EARLIEST), ("2100-12-31", LATEST), (" 2021-06-18 ", dt.date(2021, 6, 18)),
    ("1948-12-31", None), ("2101-01-01", None), ("0001-01-01", None), ("9999-12-31", None), ("2021-02-30", None),
    ("2021-6-18", None), ("2021-06-18\n", dt.date(2021, 6, 18)), ("２０２１-06-18", None), (20210618, None), (None, None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, words, out_of_range", [
    ("0001-01-01", ["不在可用的范围内", "1949-01-01"], True), ("9999-12-31", ["2100-12-31"], True),
    ("2021-02-30", ["不是真实存在的日期"], False), ("2021年6月18日", ["YYYY-MM-DD"], False),
])
def test_date_problem_says_why(text, words, out_of_range):
    found = date_problem(text)
    assert found is not None
    reason, ranged = found
    assert all(word in reason for word in words) and ranged is out_of_range


@given(st.dates())
def test_any_date_is_either_in_range_or_refused(date):
    parsed = parse_date(date.isoformat())
    assert parsed == (date if EARLIEST <= date <= LATEST else None)
    assert (date_problem(date.isoformat()) is None) == (parsed is not None)


def test_shown_bounds_what_a_message_quotes():
    assert shown("短") == "短" and shown("长" * 1000) == "长" * 40 + "…"


def test_a_date_in_other_digits_is_named_a_format_problem():
    """２０２６-１２-０１ or ٢٠٢٦-١٢-٠١ is no date (it is not the day it looks like to Python's parser either); the message
    said it was a date that does not exist, and sent the editor to the calendar instead of the keyboard."""
    from gongkai.values import date_problem, parse_date

    for text in ("２０２６-１２-０１", "2026－12－01", "٢٠٢٦-١٢-٠١"):
        assert parse_date(text) is None
        reason, out_of_range = date_problem(text) or ("", True)
        assert "半角" in reason and not out_of_range
    assert "半角" not in (date_problem("2026-02-29") or ("",))[0]
