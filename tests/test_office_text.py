"""Characters Office XML writes other than as text: `w:sym` codes and SpreadsheetML's `_xHHHH_` escapes."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.office_text import symbol_char, unescape_xstring


def _excel_escaped(text: str) -> str:
    """`text` as Excel may write it: any character as `_xHHHH_`, and a literal `_x` kept by escaping its `_`."""
    out = []
    for index, char in enumerate(text):
        if char == "_" and text[index + 1:index + 2] == "x":
            out.append("_x005F_")
        elif ord(char) < 0x10000 and not 0xD800 <= ord(char) <= 0xDFFF and index % 2:
            out.append(f"_x{ord(char):04X}_")
        else:
            out.append(char)
    return "".join(out)


@given(st.text(alphabet=st.sampled_from("_x0123456789ABCDEFabcdef机密★ 电话")))
def test_an_escaped_string_reads_back_as_written(text):
    assert unescape_xstring(_excel_escaped(text)) == text


@given(st.text())
def test_a_string_without_an_escape_is_left_alone(text):
    if "_x" not in text:
        assert unescape_xstring(text) == text


def test_escapes_that_stand_for_no_character_stay_as_written():
    assert unescape_xstring("_xD83D__x0038_") == "_xD83D_8"
    assert unescape_xstring("_x005F_x0038_") == "_x0038_"


def test_a_symbol_code_is_the_character_word_draws():
    assert [symbol_char(code) for code in ("0038", "F038", "5bc6", "F0A7", "", "zz", "0007", "D800", "110000")] == \
        ["8", "8", "密", "§", "", "", "", "", ""]


@given(st.text())
def test_a_symbol_code_never_draws_a_control_or_a_lone_surrogate(code):
    drawn = symbol_char(code)
    assert drawn == "" or (len(drawn) == 1 and ord(drawn) >= 0x20 and not 0xD800 <= ord(drawn) <= 0xDFFF)


@pytest.mark.parametrize("piece", ["_x", "_x000", "_x005F_", "_xD800_", "__x0041_", "_x0041"])
def test_escapes_cost_time_linear_in_the_text(piece):
    """A text of a part may be megabytes of near-escapes: each is looked at once."""
    started = time.process_time()
    unescape_xstring(piece * 400_000)
    assert time.process_time() - started < 2
