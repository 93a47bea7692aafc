"""JSON a command prints for a person or a log shows as itself and reads back unchanged."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from gongkai.problems import NOT_SHOWN, printable_json

# Controls, format characters (bidirectional marks), line separators and lone surrogates (a file name's bytes
# that are not UTF-8) among ordinary text.
letters = st.characters() | st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"])
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(letters),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(values, st.sampled_from([None, 2]))
def test_printable_json_reads_back_and_holds_nothing_that_acts_on_a_terminal(data: object, indent: int | None):
    text = printable_json(data, indent=indent)
    assert json.loads(text) == data
    assert not NOT_SHOWN.search(text.replace("\n", ""))
