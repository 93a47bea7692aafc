"""What a symbol font draws at each code (symbol_fonts): every star, digit and check mark of the tables a reader sees."""

from __future__ import annotations

import pytest

from gongkai import symbol_fonts
from gongkai.checks import marks
from gongkai.reader_text import fold


@pytest.mark.parametrize("name, table", [
    ("Wingdings", "wingdings"), ("Wingdings 2", "wingdings 2"), ("ABCDEF+Wingdings3", "wingdings 3"),
    ("/Wingdings-Regular", "wingdings"), ("Webdings", "webdings"), ("SymbolMT", "symbol"),
    ("ZapfDingbats", "zapf dingbats"), ("ITC Zapf Dingbats", "zapf dingbats"), ('"Wingdings"', "wingdings"),
    ("宋体", None), ("Arial", None), ("Symbolic", None), ("", None), (None, None),
])
def test_a_fonts_name_names_its_table(name, table):
    assert symbol_fonts.symbol_font(name) == table


@pytest.mark.parametrize("table", ["wingdings", "wingdings 2", "webdings", "zapf dingbats"])
def test_every_star_a_symbol_font_draws_after_a_level_is_a_mark(table):
    """Each code its font draws as a star: 机密 + that code, read in the font, is GK401's mark."""
    stars = [code for code in range(0x20, 0x100) if (char := symbol_fonts.drawn_char(code, table))
             and char in marks._STARS]
    assert stars
    for code in stars:
        assert list(marks.find("机密" + symbol_fonts.drawn(chr(code), table))), (table, hex(code))
        assert list(marks.find("机密" + symbol_fonts.drawn(chr(0xF000 + code), table))), (table, hex(code))


def test_wingdings_draws_its_stars_digits_and_check_mark():
    drawn = symbol_fonts.drawn("«©µ¶\x81\x89ü«", "wingdings")
    assert drawn[:4] == "★🟁✪✰" and fold(drawn[4:6]) == "19" and drawn[6] == "✓"
    assert symbol_fonts.drawn("«", None) == "«" and symbol_fonts.drawn("机密", "wingdings") == "机密"


def test_a_symbol_fonts_codes_read_without_their_font_give_only_stars_and_digits():
    """U+F0xx read through Wingdings where no font is known, only where Wingdings draws a star or a digit: other
    programs' private characters (old Big5-HKSCS ideographs) are not read as pictures."""
    assert fold("机密\uf0ab") == "机密★" and fold("\uf081\uf089") == "19"
    assert fold("\uf0b7\uf0fc\uf041") == "\uf0b7\uf0fc\uf041"
    assert list(marks.find("机密\uf0ab1年"))
