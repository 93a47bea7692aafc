"""The search page's excerpts never start or end inside a run the scans read as one number (search.js's RUN): every
Han character any view of the scans reads as a digit must be in RUN, or an excerpt cut before it showed the first
digits of a longer run as a number of their own (幺参九幺二参四五六七八洞, twelve digits, cut before 洞)."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.checks import pii
from gongkai.reader_text import fold

SEARCH_JS = Path(__file__).resolve().parents[2] / "theme_overrides" / "assets" / "gongkai-search" / "search.js"
# Script=Han, as the browser's \p{Script=Han} that RUN leaves out of a run (ideographs, radicals, 々 〇 〡–〩 〸–〻).
HAN = re.compile("[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                 "\U00020000-\U000323af]")


def _numerals_in_run() -> set[str]:
    source = SEARCH_JS.read_text(encoding="utf-8")
    literal = re.search(r"^const RUN = /.*\|\[([^\]]*)\]/u;$", source, re.M)
    assert literal, "search.js's RUN is no longer `/[^…]|[numerals]/u`"
    return set(re.sub(r"\\u\{([0-9a-f]+)\}|\\u([0-9a-f]{4})", lambda code: chr(int(code[1] or code[2], 16)), literal[1]))


def test_every_han_character_the_scans_read_as_a_digit_is_in_a_run():
    read_as_digits = {chr(code) for code in range(0x2E80, 0x32400)
                      if HAN.match(chr(code)) and (read := fold(chr(code))) and set(read) <= pii.NUMERAL_DIGITS}
    assert {"洞", "拐", "勾", "參", "貳", "陸", "丨", "\uf96b"} <= read_as_digits
    assert sorted(read_as_digits - _numerals_in_run()) == []
