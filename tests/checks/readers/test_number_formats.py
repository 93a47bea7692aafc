"""What a cell shows under a number format that writes digits of its own."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks.readers.number_formats import shown, writes_digits


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


def test_dates_and_fractions_are_left_alone():
    assert shown("45000", 'yyyy"139"') is None
    assert shown("0.5", '"139"# ?/?') is None


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
