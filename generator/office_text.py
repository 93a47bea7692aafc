"""Characters Office XML writes other than as text, read as the reader sees them.

- `<w:sym w:char="0038"/>`: WordprocessingML draws the character of that code in the run (ECMA-376 Part 1,
  §17.3.3.30); codes F000–F0FF are the legacy symbol-font range, drawn as the character of code − F000, or in a
  symbol font (`w:font="Wingdings"`) as the picture that font draws there (`symbol_fonts`).
- `_xHHHH_` in SpreadsheetML strings (ST_Xstring, §22.9.2.19) stands for one character; `_x005F_` for an
  underscore, which keeps the escape after it literal.

Both were read as nothing, or as the escape itself: a phone number or 机密★ written with one such character
passed the scans while Word and Excel showed it whole.
"""

from __future__ import annotations

import re

from . import symbol_fonts

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SYMBOL_FONT_RANGE = range(0xF000, 0xF100)


def symbol_char(code: str | None, font: str | None = None) -> str:
    """What `<w:sym w:font=font w:char=code>` draws; "" for a code that is not one. In a symbol font (Wingdings …)
    the character that font draws there (`symbol_fonts`): Wingdings F0AB is ★, not «."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    if (pictured := symbol_fonts.drawn_char(value, symbol_fonts.symbol_font(font))) is not None:
        return pictured
    if value in _SYMBOL_FONT_RANGE:
        value -= 0xF000
    if not 0x20 <= value <= 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return ""
    return chr(value)


def _unescaped(found: re.Match[str]) -> str:
    value = int(found[1], 16)
    return found[0] if 0xD800 <= value <= 0xDFFF else chr(value)


def unescape_xstring(text: str) -> str:
    """`text` with its `_xHHHH_` escapes read as the characters they stand for."""
    return _ESCAPE.sub(_unescaped, text) if "_x" in text else text
