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


# Unicode's Bidi_Control (PropList.txt): every character that reorders how a line is displayed.
BIDI_CONTROL = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_every_bidi_control_is_written_out():
    """The Arabic letter mark (U+061C) reorders a line as LRM and RLM do: it was printed as is (and a file named
    with it was read), while the check's YAML refused it as a control."""
    from gongkai.content_files import odd_name_problem
    from gongkai.invisible import CONTROL
    from gongkai.problems import printable

    for char in BIDI_CONTROL:
        assert printable(f"甲{char}乙") == f"甲\\u{ord(char):04x}乙"
        assert printable_json(f"甲{char}乙") == f'"甲\\u{ord(char):04x}乙"'
        assert NOT_SHOWN.search(char) and CONTROL.search(char)
        assert "\\u" in odd_name_problem(f"content/items/2021/a{char}.md").path
