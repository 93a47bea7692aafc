"""Word's fields, in a DOCX (`w:fldChar`, `w:fldSimple`) and in an RTF (`\\field`) alike: what a field's result is to a
reader (Word works some out again as it lays out the page or opens the file, whatever result the file stores), and
whether one worked out as the page is laid out touches a digit. One judgement for both readers: the RTF reader had
none of its own, so `{PAGE}12345678` from page 139 passed in a .doc that is RTF while the DOCX reader named it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from ..office_text import symbol_char

# Fields whose result is computed again as the document is laid out, printed or opened: page numbers and counts,
# sequence and list numbers, dates, formulas, and a header's STYLEREF (the text of the page's paragraph of a style).
COMPUTED = frozenset(("PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "PAGEREF", "SEQ", "LISTNUM", "AUTONUM", "AUTONUMLGL",
                      "AUTONUMOUT", "NOTEREF", "REVNUM", "NUMWORDS", "NUMCHARS", "EDITTIME", "=", "DATE", "TIME",
                      "PRINTDATE", "CREATEDATE", "SAVEDATE", "FILESIZE", "STYLEREF"))
# Of those, the ones whose result is the page's layout or the clock, never the document's own text; with a link,
# whose shown text updating keeps, the fields a dirty mark or updating on opening leaves as they are read.
LAID_OUT = (COMPUTED - {"="}) | {"HYPERLINK"}

# What the reviewer is told of a paragraph holding such a field (GK305), in either reader.
COMPUTED_BESIDE_DIGITS = ("有页码、日期等显示时才计算的域紧挨着数字，显示出的数字无法预先读取（例如页码从 139 起时，"
                          "“{PAGE}12345678”显示为一个手机号码）")
LIST_NUMBER_BESIDE_DIGITS = ("列表的项目编号由程序计算，编号格式中的数字或很大的起始编号与编号连在一起显示，显示出的数字无法预先读取"
                             "（例如编号格式“139%1”从 12345678 起编号，第一项显示为一个手机号码）")
RECOMPUTED = ("有打开文件时由 Word 重新计算或填入的内容（标记为待更新的域，或绑定到自定义 XML 数据的内容控件），"
              "显示出的文字不是文件中保存的文字，无法预先读取")


def field_name(code: str) -> str:
    """A field's name, from its code: its first word in capitals, "=" for a formula (`=139*10`)."""
    words = code.split()
    return "" if not words else "=" if words[0].startswith("=") else words[0].upper()


def field_kind(code: str, recomputed: bool) -> str:
    """What a field's result is to a reader: "symbol" (SYMBOL's character), "recomputed" (worked out again as Word opens
    the file, by a rule of its own), "computed" (the page's layout or the clock), or "" (as stored). `recomputed`: the
    field is marked dirty, or the document has Word update every field as it opens."""
    name = field_name(code)
    if name == "SYMBOL":
        return "symbol"
    laid_out = name in COMPUTED
    if (recomputed and name not in LAID_OUT) or ((laid_out or recomputed) and picture_writes_digits(code)):
        return "recomputed"
    return "computed" if laid_out else ""


class Drawn(Protocol):
    """A stretch of a paragraph as drawn, and what part of a field it is (`field_kind`, "" for none)."""

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...


def computed_beside_digits(drawn: Sequence[Drawn]) -> bool:
    """Whether a field whose result Word or WPS computes as the page is laid out or printed (a page number, a count, a
    date) touches a digit: `{PAGE}12345678` in a section whose pages start at 139 shows 13912345678 on its first page,
    whatever result the file stores."""
    text = "".join(piece.text for piece in drawn)
    at = 0
    # Stretch by stretch (each piece once: measured from each field's start on a copy of the rest of the paragraph,
    # 100,000 fields took 16 s).
    for computed, stretch in itertools.groupby(drawn, key=lambda piece: piece.kind == "computed"):
        end = at + sum(len(piece.text) for piece in stretch)
        if computed and (text[at - 1:at].isdigit() or text[end:end + 1].isdigit()):
            return True
        at = end
    return False


# A field's picture switch, quoted or a word: `\\# "'139'0"`, `\\@ "yyyy'年'"`.
_PICTURE = re.compile(r'\\([#@])\s*(?:"([^"]*)"?|(\S+))')


def picture_writes_digits(instruction: str) -> bool:
    """Whether a field's numeric (`\\#`) or date (`\\@`) picture writes digits of its own into the result: a quoted
    literal holding one (`'1391234567'0`), or a digit that is no placeholder (in a numeric picture only 0 is one, in a
    date picture none). Word shows `{ PAGE \\# "'1391234567'0" }` on page 1 as 13912345671, a number neither the
    stored result nor the code holds."""
    for found in _PICTURE.finditer(instruction):
        picture = found[2] if found[2] is not None else found[3]
        placeholders = "0" if found[1] == "#" else ""
        if any(char.isdigit() and (quoted or char not in placeholders) for char, quoted in _picture_chars(picture)):
            return True
    return False


def _picture_chars(picture: str) -> Iterator[tuple[str, bool]]:
    """A picture's characters, each with whether it stands inside 'quotes' (literal text)."""
    quoted = False
    for char in picture:
        if char == "'":
            quoted = not quoted
        else:
            yield char, quoted


_SYMBOL_NUMBER = re.compile(r"(?i)^\s*SYMBOL\s+(0x[0-9a-f]+|\d+)")
_SYMBOL_FONT = re.compile(r'(?i)\\f\s*(?:"([^"]*)"?|(\S+))')


def field_symbol(instruction: str) -> str:
    """The character `SYMBOL 49 \\f "Arial"` draws: a decimal or 0x hexadecimal code, in its font (`SYMBOL 171 \\f
    "Wingdings"` is ★)."""
    found = _SYMBOL_NUMBER.match(instruction)
    if not found:
        return ""
    value = int(found[1], 16) if found[1].lower().startswith("0x") else int(found[1]) if len(found[1]) < 8 else -1
    font = _SYMBOL_FONT.search(instruction, found.end())
    return symbol_char(f"{value:X}", font and (font[1] if font[1] is not None else font[2])) if value >= 0 else ""
