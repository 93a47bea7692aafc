"""text_lines: a finding's line and column, in time that does not grow with the findings before it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.text_lines import line_at, line_offset, position


def _naive(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


texts = st.text(alphabet=st.sampled_from(list("ab\n中 ")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.lists(st.tuples(st.integers(0, 2), st.integers(0, 70)), max_size=40))
def test_any_order_of_places_in_any_texts_is_placed_as_counting_from_the_start(pool, asked):
    for which, offset in asked:
        text = pool[which % len(pool)]
        offset = min(offset, len(text))
        assert position(text, offset) == _naive(text, offset)
        assert line_at(text, offset) == _naive(text, offset)[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.lists(st.tuples(st.integers(0, 2), st.integers(1, 30)), max_size=40))
def test_line_starts_asked_in_any_order_are_those_counted_from_the_start(pool, asked):
    for which, line in asked:
        text = pool[which % len(pool)]
        starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        assert line_offset(text, line) == (starts[line - 1] if line <= len(starts) else len(text))


def test_placing_many_findings_costs_time_linear_in_the_text():
    """200,000 findings in a 4 MB body or attachment part, as every family places them: counted from the start
    each time, this took minutes (a body with 350,000 mobile numbers was checked in five minutes)."""
    code = textwrap.dedent("""
        from gongkai.checks.base import body_position
        from gongkai.checks.published import Text
        from gongkai.readers.core import Segment
        from gongkai.model import Item
        line = "13900000000 " + "，" * 8
        body = "标题\\n\\n" + line * 200_000
        offsets = [4 + index * len(line) for index in range(200_000)]
        text, segment = Text("a.md", "正文", body, None), Segment("第 {line} 行", body)
        for offset in offsets:
            assert text.position(offset, "") == (3, offset - 3)
            assert segment.locate(offset) == "第 3 行"
        item = Item.__new__(Item)
        object.__setattr__(item, "body", body)
        object.__setattr__(item, "body_line", 9)
        assert [body_position(item, offset) for offset in offsets][-1] == (11, offsets[-1] - 3)
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=20)
