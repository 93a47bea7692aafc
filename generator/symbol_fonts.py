"""What a symbol font draws at each code: the character a reader sees, not the byte it is stored as.

Wingdings, Webdings, Symbol and Zapf Dingbats draw their own pictures at the codes of ordinary letters: Word's
插入 → 符号 in Wingdings stores ★ as `<w:sym w:font="Wingdings" w:char="F0AB"/>` or as « (0xAB) in a Wingdings run, a
Word-made PDF gives it as U+F0AB, an RTF as \\'ab in a `\\fcharset2` font. Read as stored, 机密★ was 机密« and passed.
`symbol_fonts.json` holds each font's table (codes 0x20–0xFF, only those drawn as another character): Unicode's
mapping of Wingdings 1–3 and Webdings (Unicode 7.0, L2/11-052, as published in the dingbat-to-unicode package),
Symbol's, and Adobe's Zapf Dingbats encoding. A code the table does not hold stays as it is. Codes F020–F0FF are the
same codes as a symbol font's cmap gives them (Word, PDF ToUnicode).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from . import lookalikes

_SYMBOL_RANGE = 0xF000  # a symbol font's codes moved to the private use area (F020–F0FF)
# A font's name as written → its table: "Wingdings 2", "Wingdings-Regular", "ABCDEF+Wingdings2", "Wingdings,常规",
# "SymbolMT", "ZapfDingbats", "ITC Zapf Dingbats".
_NAMED = re.compile(r"(?i)^(?:[A-Z]{6}\+)?(?:itc)?(wingdings|webdings|symbol|zapfdingbats|dingbats)(2|3)?"
                    r"(?:mt|ps|std)?(?:[-,].*)?$")


@cache
def _tables() -> dict[str, dict[int, str]]:
    raw = json.loads(Path(__file__).with_name("symbol_fonts.json").read_text(encoding="utf-8"))
    return {font: {int(code, 16): char for code, char in table.items()} for font, table in raw.items()}


def symbol_font(name: object) -> str | None:
    """The table of the symbol font `name` names ("wingdings 2" …), or None for another font (or none)."""
    if not isinstance(name, str) or not name:
        return None
    found = _NAMED.match(re.sub(r"[\s_]+", "", name.strip().strip('"').lstrip("/")))
    if found is None:
        return None
    family = found[1].lower()
    if family in ("zapfdingbats", "dingbats"):
        return "zapf dingbats"
    if found[2]:
        return f"{family} {found[2]}" if family == "wingdings" else None
    return family


def drawn_char(code: int, font: str | None) -> str | None:
    """What `font` (a table's name) draws at `code` (0x20–0xFF, or F020–F0FF); None when its table does not hold it."""
    if font is None:
        return None
    if _SYMBOL_RANGE + 0x20 <= code <= _SYMBOL_RANGE + 0xFF:
        code -= _SYMBOL_RANGE
    return _tables()[font].get(code)


def drawn(text: str, font: str | None) -> str:
    """`text` as `font` draws it: each code its table holds read as the character drawn there."""
    if font is None:
        return text
    table = _tables()[font]
    out = []
    for char in text:
        code = ord(char)
        if _SYMBOL_RANGE + 0x20 <= code <= _SYMBOL_RANGE + 0xFF:
            code -= _SYMBOL_RANGE
        out.append(table.get(code, char) if code <= 0xFF else char)
    return "".join(out)


@cache
def unfonted() -> dict[int, str]:
    """U+F0xx codes read through Wingdings where no font is known (a copied text, a PDF's text read without its font):
    only those Wingdings draws as a star or a digit, what the scans look for. Other programs use this private use range
    too (Big5-HKSCS's old mappings put ideographs there), so no other code is read as a picture it may not be."""
    stars = set(lookalikes.stars()) | set("★☆✪✰")
    picked = {}
    for code, char in _tables()["wingdings"].items():
        if code >= 0x20 and (char in stars or unicodedata.numeric(char, -1) in range(11)):
            picked[_SYMBOL_RANGE + code] = char
    return picked
