"""Every character a reader takes for a dot or a dash (Unicode's confusables, and the symbols named a dot, a bullet, a
ring, a ratio or a box-drawing line) separates digit groups for the privacy scan, and is read as nothing between the
characters of a 密级 mark or a 错敏 word, as the reader reads 139ㆍ1234ㆍ5678, 机ꞏ密★1年 and 人民−政府."""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata

import pytest

from gongkai import lookalikes
from gongkai.checks import marks, pii
from gongkai.reader_text import fold

SEPARATORS = sorted(lookalikes.separators())
visible = importlib.import_module("gongkai.lexicon.visible").visible


@pytest.mark.parametrize("name", ["HANGUL LETTER ARAEA", "RATIO", "RING OPERATOR", "BOX DRAWINGS LIGHT LEFT",
                                  "MIDLINE HORIZONTAL ELLIPSIS", "WHITE BULLET", "Z NOTATION SPOT", "TRICOLON",
                                  "RAISED DOT", "BOX DRAWINGS HEAVY RIGHT", "FULLWIDTH VERTICAL LINE", "BROKEN BAR",
                                  "MODIFIER LETTER LOW MACRON", "DOUBLE LOW LINE", "MODIFIER LETTER MACRON",
                                  "TIBETAN MARK INTERSYLLABIC TSHEG", "MONGOLIAN COMMA", "MONGOLIAN FULL STOP"])
def test_the_symbols_drawn_as_a_dot_or_a_line_are_separators(name):
    assert unicodedata.lookup(name) in SEPARATORS


def test_every_separator_splits_a_number_into_groups_the_scan_still_reads():
    today = dt.date(2021, 12, 31)
    missed = [char for char in SEPARATORS
              if [f.kind for f in pii.find(f"联系电话：139{char}1234{char}5678。", today)] != ["mobile"]]
    assert missed == []


def test_every_separator_inside_a_mark_or_before_its_star_is_read_as_nothing():
    # An ideograph (a radical, a stroke) is a word, and a digit drawn as a dot (۰) a digit, not a dot between words.
    dots = [char for char in SEPARATORS if not "\u3400" <= fold(char) <= "\u9fff" and not fold(char).isdecimal()]
    assert [char for char in dots if len(list(marks.find(f"本文件机{char}密★1年。"))) != 1
            or len(list(marks.find(f"本文件绝密{char}★长期。"))) != 1] == []


def test_every_dot_between_the_characters_of_a_word_is_read_as_nothing():
    dots = [char for char in SEPARATORS if unicodedata.category(char) not in ("Lo", "Lm")
            and not "\u3400" <= fold(char) <= "\u9fff" and not fold(char).isdecimal()]  # as for marks
    assert [char for char in dots if visible(f"人民{char}政府").text != "人民政府"] == []
    assert visible("北ㆍ朝").text == "北朝" and visible("台丿湾").text == "台丿湾"  # 丿 is a character of its own


def test_every_numeral_the_scan_knows_survives_the_fold():
    """參 was listed but never met: the fold makes it 参 first, which was not listed."""
    numerals = pii._NUMERALS
    assert [char for char in numerals if fold(char) not in numerals and fold(char) != numerals[char]] == []


def test_a_miswritten_secret_is_a_mark():
    assert len(list(marks.find("本文件袐密★1年。"))) == 1
