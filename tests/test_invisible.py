"""The written-out ranges of invisible characters match Unicode's categories in this Python."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from gongkai.invisible import CONTROL, IGNORABLE_UNASSIGNED, INVISIBLE, ODD_SPACE, describe, without_controls


def test_every_control_format_and_separator_character_is_invisible():
    wanted = {chr(code) for code in range(sys.maxunicode + 1)
              if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp")
              or re.fullmatch(f"[{IGNORABLE_UNASSIGNED}]", chr(code))} - {"\t", "\n"}
    assert {char for char in wanted if not INVISIBLE.match(char)} == set()
    assert {char for char in map(chr, range(0x20, 0x3000 + 1)) if INVISIBLE.match(char)} <= wanted


def test_controls_are_a_subset_and_spaces_are_not_controls():
    assert all(INVISIBLE.match(chr(code)) for code in range(0x110000) if CONTROL.match(chr(code)))
    assert not CONTROL.match("\u200b") and CONTROL.match("\u202e") and CONTROL.match("\x00")
    assert ODD_SPACE.match("\u3000") and ODD_SPACE.match("\u00a0") and not ODD_SPACE.match(" ")


def test_descriptions_name_the_character():
    assert describe("\u200b") == "U+200B（零宽空格）" and describe("\x01") == "U+0001（控制字符）"
    assert describe("\u3000") == "U+3000（全角空格）" and "格式字符" in describe("\u2061")


def test_tag_characters_are_controls():
    """Unicode's tag characters spell ASCII drawn as nothing: a personal number in them reached the page, unseen."""
    tags = [chr(0xE0001), *map(chr, range(0xE0020, 0xE0080))]
    assert all(CONTROL.match(char) and "标签字符" in describe(char) for char in tags)
    assert without_controls("身份证" + "".join(chr(0xE0000 + ord(c)) for c in "110101") + "号") == ("身份证号", 6)


def test_noncharacters_are_controls():
    """U+FFFE, U+FFFF and the other noncharacters are not text: XML (feeds, a Word report) cannot hold some."""
    nonchars = [chr(code) for code in range(0x110000)
                if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE]
    assert len(nonchars) == 66 and all(CONTROL.match(char) for char in nonchars)
    assert "非字符" in describe("\uffff") and not CONTROL.match("\ufffd")


@given(st.text(st.one_of(st.characters(), st.sampled_from("\x00\x0b\r\x85\u2028\u202e\u2066\ufeff\ufffe\U000e0001"))))
def test_text_brought_in_keeps_every_character_but_those_an_item_may_not_hold(text: str):
    """What `gongkai import` writes from a Word file: nothing the loader (GK009) or the front matter (GK016) refuses,
    the line-like controls a space, every other character kept in order, and the dropped ones counted."""
    readable, dropped = without_controls(text)
    assert not CONTROL.search(readable) and "\ufeff" not in readable
    kept = [char for char in text if not (CONTROL.match(char) or char == "\ufeff")]
    assert readable.replace(" ", "") == "".join(kept).replace(" ", "")
    assert dropped == len(text) - len(kept)
