"""Characters drawn like a digit, a separator or a star that are none of them: what a reader takes each for.

A reader sees 13912345Ꮾ78 (a Cherokee letter), 139ᐧ1234ᐧ5678 (a Canadian syllabics dot) and 机密🟊5年 (a
heavy five-pointed star) as a mobile number and a secrecy mark, and 一三九一ニ三四五六七ハ (katakana ニ and ハ) as
a number in Chinese numerals; the scans must too. The digits, separators and kana drawn as ideographs
are Unicode's confusables (UTS #39: Ꮞ looks like 4, ৪ — a Bengali four — like 8, Ӡ like 3, ᐧ like ·); the stars
are the symbols Unicode names a star, a pentagram, a sparkle or an asterisk. Computing them reads 9,600
confusables and every code point's name (≈ 0.4 s), which every gongkai process would pay at start, so the table
ships as `lookalikes.json`: `scripts/lookalikes.py` writes it from the confusable_homoglyphs package installed
with the test tools, and a test checks that the file is what that package and this Python's Unicode give.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("lookalikes.json")
# What a confusable may look like, and the digit or separator a reader then reads.
_DIGITS = {**{digit: digit for digit in "0123456789"}, "O": "0", "o": "0", "l": "1", "I": "1"}
_SEPARATORS = frozenset("-.·~_/ー")  # each one the number scans read between digit groups (checks/pii.py)
# Asterisks a text may hold for Markdown's sake: a star only before a period (checks/marks.py), never one alone.
ASTERISKS = "*∗⁎﹡＊"
_STAR_NAME = re.compile(r"\bSTARS?\b|PENTAGRAM|ASTERISK|SPARKLE")
# Symbols the confusables do not list that a reader still takes for a dot or a line between digit groups or between
# the characters of 机密 (139ㆍ1234ㆍ5678, 139╴1234╴5678, 机∘密★), found by their names.
_DOT_NAME = re.compile(r"\b(?:DOTS?|BULLET|SPOT|RATIO|TRICOLON|ARAEA|DEGREE SIGN|RING OPERATOR|MIDLINE HORIZONTAL ELLIPSIS"
                       r"|BLACK CIRCLE|TSHEG|MONGOLIAN (?:COMMA|FULL STOP))\b")  # ་ and ᠂ ᠃: dots as drawn
_LINE_NAME = re.compile(r"^BOX DRAWINGS (?:LIGHT|HEAVY) (?:LEFT|RIGHT|HORIZONTAL|VERTICAL|UP|DOWN)$|VERTICAL LINE$|BROKEN BAR$"
                        r"|^MODIFIER LETTER MACRON$")
_LOW_LINE_NAME = re.compile(r"\bLOW (?:LINE|MACRON)$")  # ˍ ‗ ﹏: drawn as an underscore
_DRAWN_CATEGORIES = frozenset(("Po", "Pd", "Sm", "So", "Sk", "Lm"))


@cache
def load() -> dict[str, dict[str, str]]:
    """The shipped table: {"digits": {char: digit}, "ideographs": {char: ideograph}, "separators": {char: separator},
    "stars": {char: char}}."""
    loaded: dict[str, dict[str, str]] = json.loads(FILE.read_text(encoding="utf-8"))
    return loaded


def digits() -> dict[str, str]:
    """Characters other than ASCII drawn like a digit (or like O and l), each with that digit."""
    return load()["digits"]


def separators() -> dict[str, str]:
    """Characters drawn like a separator of digit groups, each with that separator."""
    return load()["separators"]


def named_like_a_dot(char: str) -> bool:
    """Whether Unicode's name for `char` says it is a dot (a bullet, a spot, ARAEA …): ㆍ folds to the jamo ᆞ, a letter
    by category that a reader still sees as the dot between a name's parts."""
    return bool(_DOT_NAME.search(unicodedata.name(char, "")))


def ideographs() -> dict[str, str]:
    """Kana drawn like an ideograph (ニ 二, ハ 八, カ 力, ロ 口), each with that ideograph."""
    return load()["ideographs"]


def stars() -> str:
    """Every symbol drawn as a star (★ 🟊 ⚝ ✡ …), the asterisks of `ASTERISKS` excepted."""
    return "".join(load()["stars"])


def compute() -> dict[str, dict[str, str]]:
    """The table from confusable_homoglyphs (installed with the test tools) and unicodedata."""
    from importlib import resources

    data = json.loads((resources.files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    digits: dict[str, str] = {}
    separators: dict[str, str] = {}
    ideographs: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue  # ASCII letters are words: O and l are read as digits by the scans' own second view
        looks = {homoglyph["c"] for homoglyph in homoglyphs}
        as_ideographs = {look for look in looks if len(look) == 1 and unicodedata.name(look, "").startswith("CJK UNIFIED")}
        if unicodedata.name(char, "").startswith("KATAKANA LETTER") and len(as_ideographs) == 1:
            ideographs[char] = as_ideographs.pop()  # not ー, the long mark: typed for a dash (a separator) or for 一
        as_digits = {_DIGITS[look] for look in looks if look in _DIGITS}
        as_separators = sorted(look for look in looks if look in _SEPARATORS)
        if len(as_digits) == 1 and char not in _DIGITS:
            digits[char] = as_digits.pop()
        elif not as_digits and as_separators and char not in _SEPARATORS and _drawn_as(char) != "一":
            separators[char] = as_separators[0]  # 一, and ⼀ ㇐ that fold makes it: the scans' third view reads it as a dash
    stars = {}
    for code in range(0x110000):
        char = chr(code)
        name, category = unicodedata.name(char, ""), unicodedata.category(char)
        if category in ("So", "Sm", "Po") and char not in ASTERISKS and _STAR_NAME.search(name):
            stars[char] = char
        elif (not char.isascii() and char not in separators and char not in digits and char not in _SEPARATORS
              and (category in _DRAWN_CATEGORIES or name == "HANGUL LETTER ARAEA")
              and not name.startswith("BRAILLE PATTERN") and code < 0x1F000):  # dot patterns, pictures with dots
            if _LOW_LINE_NAME.search(name):
                separators[char] = "_"
            elif _LINE_NAME.search(name):
                separators[char] = "-"
            elif _DOT_NAME.search(name):
                separators[char] = "·"
    return {"digits": digits, "ideographs": ideographs, "separators": separators, "stars": stars}


def _drawn_as(char: str) -> str:
    """The ideograph a radical or a stroke is drawn as (reader_text.fold's reading), else `char` in NFKC."""
    from .reader_text import _EQUIVALENT

    return chr(_EQUIVALENT[ord(char)]) if ord(char) in _EQUIVALENT else unicodedata.normalize("NFKC", char)


def dumps(table: dict[str, dict[str, str]]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
