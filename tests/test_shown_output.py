"""What every command writes shows as itself: nothing acts on the terminal, nothing is a CI runner's command."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.problems import NOT_SHOWN
from gongkai.shown_output import ShownOnly

letters = st.characters() | st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]) | st.sampled_from("#[:vsoVSO \r\n")
RUNNER_COMMAND = re.compile(r"##(?:vso)?\[", re.I)


def acts(text: str, annotating: bool = False) -> list[str]:
    """What in `text` a terminal or a CI runner would obey."""
    found = [f"character {char!r}" for char in NOT_SHOWN.findall(text.replace("\r\n", "\n")) if char not in "\n\t"]
    found += [f"command {hit!r}" for hit in RUNNER_COMMAND.findall(text)]
    for line in text.split("\n"):
        # The runner trims every white space before it looks for "::" (.NET's TrimStart): a line indented with
        # 全角空格 or a no-break space is a command too (rt30 R2). Python's lstrip() takes at least those.
        if line.lstrip().startswith("::") and not (annotating and re.match(r"::(error|warning|notice) file=", line)):
            found.append(f"line {line!r}")
    return found


@given(st.lists(st.text(letters, max_size=30), max_size=8), st.booleans())
def test_whatever_is_written_and_however_it_is_split_nothingacts(writes: list[str], annotating: bool):
    out = io.StringIO()
    stream = ShownOnly(out)
    stream.annotating = annotating
    for text in writes:
        stream.write(text)
    assert acts(out.getvalue(), annotating) == [], out.getvalue()


def test_what_shows_as_itself_is_left_alone():
    out = io.StringIO()
    text = "content/items/2021/a.md:3:1: GK303 error: 电话 139****5678\t（第 2 段）\r\n共 1 个问题。 # 注 [1]\n"
    ShownOnly(out).write(text)
    assert out.getvalue() == text


def test_only_the_checks_own_annotations_open_a_line_with_two_colons():
    out = io.StringIO()
    stream = ShownOnly(out)
    stream.annotating = True
    stream.write("::error file=a.md,line=1,col=1,title=GK303::x\n::add-mask::x\n  ::stop-commands::t\n")
    assert out.getvalue().split("\n")[:3] == ["::error file=a.md,line=1,col=1,title=GK303::x", "\\x3a:add-mask::x",
                                              "  \\x3a:stop-commands::t"]


def test_a_line_indented_with_any_white_space_is_no_command():
    out = io.StringIO()
    ShownOnly(out).write("\u3000\u3000::stop-commands::t\n\u00a0::error file=b.md::伪造\n\u2003 ::add-mask::x\n")
    assert acts(out.getvalue()) == [] and out.getvalue().count("\\x3a") == 3, out.getvalue()


def test_a_command_split_across_writes_is_written_out_as_one_would_be():
    """Hypothesis found `:` and `:` written apart (a line's start in one write, the rest in the next): the second
    write cannot take back the first, so the end of a write that could start a command waits for the next one."""
    for writes, shown in ((":", ":x"), ("\\x3a:x",)), (("#", "#[add-mask]"), ("#\\u0023#[add-mask]",)), \
            ((" \u3000", ":", ":x"), (" \u3000\\x3a:x",)), (("ok\r", "\n"), ("ok\r\n",)), (("a#",), ("a#",)):
        out = io.StringIO()
        stream = ShownOnly(out)
        for text in writes:
            stream.write(text)
        stream.release()
        assert (out.getvalue(),) == shown and acts(out.getvalue()) == []
