"""The text of Word's automatic numbering (一、 （一） 1. （1）), which lives in numbering.xml and
not in the paragraph: without it an imported 公文 would lose its outline.

Counters run per list definition (w:abstractNum) and level; a level's counter restarts when a
higher level advances, as Word does by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

from ..values import int_or

CHINESE_DIGITS = "〇一二三四五六七八九"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
MAX_LEVELS = 9


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (counting style, as Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    gap = False
    for value, unit in units:
        digit = n // value % 10
        if digit:
            if gap and parts:
                parts.append("零")
            parts.append(("" if (value == 10 and digit == 1 and not parts) else CHINESE_DIGITS[digit]) + unit)
            gap = False
        elif parts:
            gap = True
    return "".join(parts)


# Word's own bounds: a list starts at 0 … 32,767 (w:start and w:startOverride) and a label's text is short.
# A file is not held to them: a start of 10¹² in lowerLetter made one label a 38 GB string, in roman a loop
# of 10⁹ steps, and a level text of a megabyte was written out at every numbered paragraph.
MAX_START = 32767
MAX_LABEL_TEXT = 64
LETTERS_AND_ROMAN_UP_TO = 1000  # beyond it (aaaa…, mmmm…) the label is the number itself


def _roman(n: int) -> str:
    numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, text in numerals:
        while n >= value:
            out += text
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital"):
        return chinese_number(n)
    if fmt == "ideographTraditional":
        return HEAVENLY_STEMS[(n - 1) % 10]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(n))
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman") and not 1 <= n <= LETTERS_AND_ROMAN_UP_TO:
        return str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)  # decimal, decimalZero and anything unknown


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Turns (numId, ilvl) into label text, counting as it goes through the document in order."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId → level → Level
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # (numId, ilvl) → startOverride
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstractNumId → counter per level

    @classmethod
    def of(cls, document) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels: dict[int, Level] = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                ilvl = int_or(lvl.get(qn("w:ilvl")), 0)
                levels[ilvl] = Level(
                    _val(lvl, "w:numFmt") or "decimal",
                    (_val(lvl, "w:lvlText") or "")[:MAX_LABEL_TEXT],
                    _start(_val(lvl, "w:start")),
                )
            numbering.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"), "")
            numbering.abstract_of[num_id] = _val(num, "w:abstractNumId") or ""
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    numbering.starts[(num_id, int_or(override.get(qn("w:ilvl")), 0))] = _start(start)
        return numbering

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """(label text, numFmt) for the next paragraph of list `num_id` at level `ilvl`; ("", "") if none."""
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "")
        if num_id == "0" or not levels or not 0 <= ilvl < MAX_LEVELS:
            return "", ""
        level = levels.get(ilvl, Level())
        counters = self.counters.setdefault(abstract or "", [0] * MAX_LEVELS)
        start = self.starts.get((num_id, ilvl), level.start)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, MAX_LEVELS):
            counters[deeper] = 0
        if level.fmt == "bullet":
            return "•", "bullet"

        def number(found: re.Match[str]) -> str:
            at = int(found[1]) - 1
            if not 0 <= at <= ilvl:
                return ""
            fmt = levels.get(at, Level()).fmt
            value = counters[at] or levels.get(at, Level()).start
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", number, level.text), level.fmt


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


def _start(text: str | None) -> int:
    return min(max(int_or(text, 1), 0), MAX_START)

