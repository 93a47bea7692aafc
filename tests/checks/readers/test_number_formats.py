"""What a cell shows under its number format: digits the format writes, scaling, rounding, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.readers.number_formats import shown, writes_digits


@pytest.mark.parametrize("value, code, looks", [
    ("12345678", '"139"00000000', "13912345678"),
    ("5678", '"139-1234-"0000', "139-1234-5678"),
    ("5678", "\\1\\3\\9\\-1234\\-0000", "139-1234-5678"),
    ("-5678", '0;"1391234"0000', "13912345678"),
    ("0", '0;0;"13912345678"', "13912345678"),
    ("12345678", '[Red][>0]"139"00000000;"x"', "13912345678"),
    ("1234.5", '"139"#,##0.00', "1391,234.50"),
    ("0.5", '"139"0%', "13950%"),
    ("12345678", '"139"@', "13912345678"),
])
def test_formats_that_write_digits(value, code, looks):
    assert writes_digits(code)
    assert shown(value, code, text=code.endswith("@")) == looks


@pytest.mark.parametrize("code", ["0", "0.00", "#,##0", "000-0000-0000", "yyyy-mm-dd", "0%", "@", "General", '"元"0.00'])
def test_ordinary_formats_write_no_digits(code):
    assert not writes_digits(code)


@pytest.mark.parametrize("value, code, looks", [
    ("13912345678000", "0,", "13912345678"),
    ("13912345678.4", "0", "13912345678"),
    ("139123456.78", "0%", "13912345678%"),
    ("13912345678", "#,##0", "13,912,345,678"),
    ("5555", ";;;", ""),
    ("-5555", "0;;", ""),
])
def test_formats_without_digits_of_their_own_change_the_digits_shown(value, code, looks):
    assert shown(value, code) == looks


@pytest.mark.parametrize("value, code, looks, date1904", [
    ("32939", '"110101"yyyymmdd"0038"', "110101199003070038", False),
    ("32939", "yyyymmdd", "19900307", False),
    ("32939", 'yyyy"年"m"月"d"日"', "1990年3月7日", False),
    ("32939", "yyyy.m.d", "1990.3.7", False),
    ("32939", "yy/mm/dd ddd", "90/03/07 Wed", False),
    ("60", "yyyy-mm-dd", "1900-02-29", False),  # the day that never was, kept from Lotus 1-2-3
    ("61", "yyyy-mm-dd", "1900-03-01", False),
    ("1", "yyyy-mm-dd", "1904-01-02", True),
    ("45000.75", "yyyy-mm-dd hh:mm:ss", "2023-03-15 18:00:00", False),
    ("45000.75", "h:mm AM/PM", "6:00 PM", False),
    ("0.5006944444", "mm:ss", "01:00", False),  # m before s is minutes
    ("0.0000115741", "h:m:s", "0:0:1", False),
])
def test_dates_and_times_are_shown(value, code, looks, date1904):
    assert shown(value, code, date1904=date1904) == looks


@pytest.mark.parametrize("value, code", [("45000", 'ggge"年"'), ("0.5", '"139"# ?/?'), ("1.5", "[h]:mm"), ("0.5", "ss.00"),
                                         ("13912345678", "0.00E+00")])
def test_eras_fractions_elapsed_times_and_exponents_are_left_alone(value, code):
    assert shown(value, code) is None


def test_a_text_under_a_format_of_four_sections_shows_its_fourth():
    assert shown("5555", ";;;", text=True) == ""
    assert shown("5555", '0;0;0;"139"@', text=True) == "1395555"
    assert shown("5555", "0.00", text=True) is None  # shown as it is


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)), seconds=st.integers(0, 86399))
def test_a_serial_number_shows_the_day_and_time_it_stands_for(day, seconds):
    serial = (day - dt.date(1899, 12, 30)).days + seconds / 86400
    time = f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"
    assert shown(repr(serial), "yyyymmddhhmmss") == day.strftime("%Y%m%d") + time


@settings(max_examples=200, deadline=None)
@given(literal=st.text("0123456789-", min_size=1, max_size=10), width=st.integers(1, 12), value=st.integers(0, 10**12))
def test_a_literal_before_digit_placeholders(literal, width, value):
    code = f'"{literal}"' + "0" * width
    assert shown(str(value), code) == literal + str(value).rjust(width, "0")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=20))
def test_any_format_and_value_are_read_without_error(code, value):
    writes_digits(code)
    shown(value, code)
    shown(value, code, text=True)
