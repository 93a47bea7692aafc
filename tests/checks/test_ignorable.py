"""Code points Unicode reserves as default-ignorable but has not assigned (U+2065, U+FFF0–FFF8, most of the tag
plane): browsers draw each as nothing already, so one inside a number, a 密级 mark or a 错敏 word leaves it whole
to a reader. The scans read them as nothing, and no text value may hold one."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata

import pytest

from gongkai.checks import marks, pii
from gongkai.invisible import CONTROL, IGNORABLE_UNASSIGNED, INVISIBLE
from gongkai.reader_text import fold

from .test_wording import LEXICON, lexicon

# Every code point through the class at once (a class matches one character): a fullmatch a code point took 0.7 s of
# each worker's collection, this 0.14 s.
IGNORABLE = re.findall(f"[{IGNORABLE_UNASSIGNED}]", "".join(map(chr, range(sys.maxunicode + 1))))


def test_the_set_is_unicodes_unassigned_default_ignorables():
    """DerivedCoreProperties.txt's Default_Ignorable_Code_Point ranges, less what this Python has assigned."""
    ranges = [(0x2065, 0x2065), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF)]
    wanted = {chr(code) for low, high in ranges for code in range(low, high + 1) if unicodedata.category(chr(code)) == "Cn"}
    assert set(IGNORABLE) == wanted and len(IGNORABLE) > 3_500


def test_every_one_is_read_as_nothing_and_refused_in_values():
    assert [char for char in IGNORABLE if fold(f"机{char}密") != "机密"] == []
    assert [char for char in IGNORABLE if not (CONTROL.match(char) and INVISIBLE.match(char))] == []


def test_every_one_inside_a_number_or_a_mark_is_found():
    today = dt.date(2021, 12, 31)
    assert [char for char in IGNORABLE if [f.kind for f in pii.find(f"联系电话139{char}12345678。", today)] != ["mobile"]] == []
    assert [char for char in IGNORABLE if len(list(marks.find(f"本文件机{char}密★1年。"))) != 1] == []


@pytest.mark.parametrize("char", ["\u2065", "\ufff3", "\U000e0080", "\U000e0fff"])
@pytest.mark.parametrize("where", ["body", "title", "page"])
def test_a_forbidden_word_split_by_one_is_found_wherever_a_reader_sees_it(site, char, where):
    lexicon(site, LEXICON)
    text = f"报道中出现台湾{char}总统一词"
    if where == "page":
        (site.content / "pages").mkdir(exist_ok=True)
        (site.content / "pages" / "about.md").write_text(f"---\ntitle: 关于\n---\n\n{text}。\n", encoding="utf-8")
    elif where == "body":
        site.item(body=f"{text}。\n")
    else:  # a front-matter value holding one is refused before any scan: it would not even be signed
        path = site.item(title=text, signed=False)
        assert any(p.path == site.rel(path) and p.is_error and f"U+{ord(char):04X}" in p.message for p in site.check())
        return
    assert any(p.code == "GK462" for p in site.check()), (where, hex(ord(char)))
