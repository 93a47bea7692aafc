"""Every regular expression that reads content in the reading, YAML and schema code runs in linear time:
fuzzed with hypothesis on long inputs made of the characters they care about, under a time limit, the way
the code calls it (anchored ones with `match` at a line's start, the others with `search`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import catalog, click_chinese, invisible, loading, values, yaml_messages, yaml_reading
from gongkai.checks import schema

PATTERNS = {
    f"{module.__name__.rsplit('.', 1)[-1]}.{name}": pattern
    for module in (yaml_messages, yaml_reading, loading, invisible, values, catalog, schema, click_chinese)
    for name, pattern in vars(module).items()
    if isinstance(pattern, re.Pattern)
}
# Called with search, sub or finditer over a whole text; all others are called with match or fullmatch.
SEARCHED = {"loading._FENCE", "loading._FENCE_LIKE", "loading._CONTROL", "invisible.INVISIBLE", "invisible.ODD_SPACE",
            "schema._WRONG_BRACKETS", "schema._BLANK_LINE", "click_chinese._EXTRA"}
ALPHABET = list(" \t\n-—－:：#'\"[]{}(),，、a_Z09０.+eE　\u00a0\u200b|>*&!?%@`\\〔〕年") + ["title", "2021", "- ", ": "]


def test_the_patterns_are_known():
    assert len(PATTERNS) >= 20 and set(PATTERNS) >= SEARCHED


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=25, deadline=dt.timedelta(seconds=2))
@given(unit=st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=12), repeat=st.integers(1000, 10000),
       tail=st.sampled_from(["", "x", "\n", ":", "#", "]", "\x00"]))
def test_long_inputs_cost_linear_time(name, unit, repeat, tail):
    pattern = PATTERNS[name]
    text = "".join(unit) * repeat + tail  # up to some hundred thousand characters
    pattern.match(text)
    pattern.fullmatch(text)
    if name in SEARCHED:
        pattern.search(text)
        for _ in pattern.finditer(text):
            pass
