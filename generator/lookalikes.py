"""Characters drawn like a digit, a separator, a star or an ideograph that are none of them: what a reader takes each for.

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

# CJK radicals and strokes that show as the ideograph they are drawn like (Unicode's EquivalentUnifiedIdeograph.txt,
# the CJK Radicals Supplement and CJK Strokes lines; the Kangxi radicals are NFKC's already): U+2EA0 is 民, U+2EE2 马,
# U+2ED3 长. NFKC keeps them, so 中华民国 written with U+2EA0 passed the 错敏 lexicon, 马龙 written with U+2EE2 U+2EF0
# was a second reviewer and a second department, and a PDF whose text maps a character to its radical hid the word.
EQUIVALENT = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E87: 0x20628,
    0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F, 0x2E8D: 0x5C0F, 0x2E8E: 0x5140,
    0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x5F50,
    0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C, 0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708,
    0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B,
    0x2EA5: 0x722B, 0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x76EE,
    0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52,
    0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C, 0x2EB8: 0x2634B,
    0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951, 0x2EBE: 0x8279, 0x2EBF: 0x8279,
    0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2,
    0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6,
    0x2ECE: 0x8FB6, 0x2ECF: 0x9091, 0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8,
    0x2ED5: 0x28E0F, 0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE1: 0x29810, 0x2EE2: 0x9A6C,
    0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364, 0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4,
    0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F, 0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99,
    0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F, 0x31C6: 0x200CC, 0x31CF: 0x4E40, 0x31D0: 0x4E00, 0x31D1: 0x4E28,
    0x31D2: 0x4E3F, 0x31D3: 0x4E3F, 0x31D4: 0x4E36, 0x31D5: 0x200CD, 0x31D6: 0x4E5B, 0x31D7: 0x200CA,
    0x31D8: 0x200CE, 0x31D9: 0x2010C, 0x31DA: 0x4E85, 0x31DB: 0x21FE8, 0x31DC: 0x200CB, 0x31DD: 0x4E40,
    0x31DE: 0x200D1, 0x31DF: 0x4E5A, 0x31E0: 0x4E59, 0x31E1: 0x2010E,
}

FILE = Path(__file__).with_name("lookalikes.json")
# What a confusable may look like, and the digit or separator a reader then reads.
_DIGITS = {**{digit: digit for digit in "0123456789"}, "O": "0", "o": "0", "l": "1", "I": "1"}
_SEPARATORS = frozenset("-.·~_/\\ー")  # each one the number scans read between digit groups (checks/pii.py)
# Asterisks a text may hold for Markdown's sake: a star only before a period (checks/marks.py), never one alone.
ASTERISKS = "*∗⁎﹡＊"
_STAR_NAME = re.compile(r"\bSTARS?\b|PENTAGRAM|ASTERISK|SPARKLE")
# Symbols the confusables do not list that a reader still takes for a dot or a line between digit groups or between
# the characters of 机密 (139ㆍ1234ㆍ5678, 139╴1234╴5678, 机∘密★), found by their names.
_DOT_NAME = re.compile(r"\b(?:DOTS?|BULLET|SPOT|RATIO|TRICOLON|ARAEA|DEGREE SIGN|RING OPERATOR|MIDLINE HORIZONTAL ELLIPSIS"
                       r"|BLACK CIRCLE|TSHEG|MONGOLIAN (?:COMMA|FULL STOP))\b")  # ་ and ᠂ ᠃: dots as drawn
_LINE_NAME = re.compile(r"^BOX DRAWINGS (?:LIGHT|HEAVY) (?:LEFT|RIGHT|HORIZONTAL|VERTICAL|UP|DOWN)$|VERTICAL LINE$|BROKEN BAR$"
                        r"|^MODIFIER LETTER MACRON$")
_BACKSLASH_NAME = re.compile(r"^BOX DRAWINGS LIGHT DIAGONAL UPPER LEFT TO LOWER RIGHT$")  # ╲, as ╱ is a slash
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
        elif not as_digits and as_separators and char not in _SEPARATORS and _drawn_as(char) not in ("一", "丶"):
            # 一, and ⼀ ㇐ that fold makes it: the scans' third view reads it as a dash; 丶 (⼂ ㇔), listed as a
            # backslash, is what some input methods type for 、, which lists numbers rather than joining one
            separators[char] = as_separators[0]
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
            elif _BACKSLASH_NAME.search(name):
                separators[char] = "\\"
            elif _DOT_NAME.search(name):
                separators[char] = "·"
    return {"digits": digits, "ideographs": ideographs, "separators": separators, "stars": stars}


def _drawn_as(char: str) -> str:
    """The ideograph a radical or a stroke is drawn as (reader_text.fold's reading), else `char` in NFKC."""
    return chr(EQUIVALENT[ord(char)]) if ord(char) in EQUIVALENT else unicodedata.normalize("NFKC", char)


def dumps(table: dict[str, dict[str, str]]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
