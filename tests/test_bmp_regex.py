"""A pattern compiled twice finds in every text what the pattern as written finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai import invisible, loading, reader_text
from gongkai.bmp_regex import BmpFirst, _without_astral
from gongkai.search import tokens

PATTERNS = [invisible.INVISIBLE, invisible.CONTROL, loading._CONTROL, reader_text.RIGHT_TO_LEFT, tokens._SEGMENT,
            tokens._HAN_CHAR]
# Ordinary text with the characters the patterns name: controls, format characters, noncharacters, right-to-left
# letters, CJK ideographs of the BMP and beyond it, lone surrogates.
letters = st.characters() | st.sampled_from("\x00\x0b\x85\u200b\u202e\u0627\u4e00\ufdd0\ufffe\ud800\U0001fffe"
                                            "\U00020000\U000323af\U000323b0\U000e0001\U00010800\U0010ffff")


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: ascii(pattern.pattern)[:40])
@given(text=st.text(letters, max_size=40))
def test_it_matches_as_the_pattern_as_written(pattern: BmpFirst, text: str):
    written = re.compile(pattern.pattern)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in written.finditer(text)]
    assert pattern.sub("*", text) == written.sub("*", text)
    assert bool(pattern.match(text)) == bool(written.match(text))
    assert pattern.findall(text) == written.findall(text)


def test_astral_items_are_left_out_and_a_range_into_them_is_cut():
    assert _without_astral("[a\U0001fffe\U00020000-\U000323af\ue000-\U0010ffffz]") == "[a\ue000-\uffffz]"
    assert _without_astral("([^\u4e00-\u9fff\U00020000-\U000323af ]+)") == "([^\u4e00-\u9fff ]+)"
