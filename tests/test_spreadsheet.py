"""CSV for spreadsheets: no cell a committer wrote is taken for a formula when the file is opened."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from gongkai.spreadsheet import csv_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = st.from_regex(r"\A[+-]?[0-9]+(\.[0-9]+)?\Z")


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_a_cell_that_would_start_a_formula_is_text(cells):
    [header, row] = _read(csv_text(["甲"] * len(cells), [cells]))
    for written, read in zip(cells, row, strict=True):
        if written.startswith(("=", "@", "\t", "\r")):
            assert read == "'" + written
        elif written.startswith(("+", "-")):  # a sign before nothing but digits, points and commas is no formula
            assert read == "'" + written or (read == written and all(c in "0123456789.," for c in written[1:]))
        else:
            assert read == written


@given(PLAIN_NUMBER)
def test_a_signed_number_stays_a_number(number):
    [_, row] = _read(csv_text(["数值"], [[number]]))
    assert row == [number]
