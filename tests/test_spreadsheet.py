"""CSV for spreadsheets: no cell a committer wrote is taken for a formula when the file is opened."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gongkai.spreadsheet import csv_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = st.from_regex(r"\A[+-]?[0-9]+(\.[0-9]+)?\Z")


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


BLANKS = " \u3000\xa0\ufeff\u200b\x0b\x0c\x1c"
SIGNS = "=+-@＝＋－＠﹦﹢﹣"
# Text built from what a formula may start with: blanks, signs in every width, line breaks, digits.
formula_text = st.lists(st.sampled_from([*BLANKS, *SIGNS, "\t", "\r", "\n", "1", ".", ",", "A", "HYPERLINK(", "cmd|"]),
                        max_size=8).map("".join)


def _first_sign(text: str) -> str:
    """The first character after any blanks, as a spreadsheet's import reads its width."""
    rest = text
    while rest != (rest := rest.lstrip().lstrip("\ufeff\u200b")):
        pass
    return unicodedata.normalize("NFKC", rest[:1])[:1] if rest else ""


@given(st.lists(st.one_of(st.text(), formula_text), min_size=1, max_size=4))
@example(["=HYPERLINK(\"http://evil.example\")", " =1+1", "\u3000=1+1", "＝1+1", "＠SUM(A1)", "－1+1", "\n=1"])
def test_a_cell_that_would_start_a_formula_is_text(cells):
    [header, row] = _read(csv_text(["甲"] * len(cells), [cells]))
    for written, read in zip(cells, row, strict=True):
        sign = _first_sign(written)
        if written.startswith(("\t", "\r", "\n")) or sign in ("=", "@"):
            assert read == "'" + written
        elif sign in ("+", "-"):  # a sign written first before nothing but digits, points and commas is no formula
            plain = written[:1] in "+-" and all(c in "0123456789.," for c in written[1:])
            assert read == (written if plain else "'" + written)
        else:
            assert read == written


@pytest.mark.parametrize("cell", [" =HYPERLINK(\"http://evil.example\")", "\u3000=1+1", "＝1+1", "＋1+1", "－A1", "＠SUM(A1)",
                                  "﹦1", "\n=1+1", "\ufeff=1", "\xa0@SUM(A1)"])
def test_a_formula_behind_blanks_or_in_full_width_is_text(cell):
    [_, row] = _read(csv_text(["名称"], [[cell]]))
    assert row == ["'" + cell]


@given(PLAIN_NUMBER)
def test_a_signed_number_stays_a_number(number):
    [_, row] = _read(csv_text(["数值"], [[number]]))
    assert row == [number]
