"""Regular expressions whose classes name characters beyond the Basic Multilingual Plane, kept fast on the texts
that hold none.

`re` tests a character missing from a class's BMP bitmap against each of the class's astral items in turn, so on
Chinese text (every character outside an ASCII-and-controls class) the 34 astral noncharacters made the control
character scan of 10,000 items cost 6–10 s of CPU instead of 0.3–0.5 s, and one astral range (CJK extension B and
later) doubled the search tokenizer's time. Texts almost never hold an astral character: each pattern is compiled
twice, and the one without astral items serves every text that has none (the same matches there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_ASTRAL = 0x10000


def _without_astral(pattern: str) -> str:
    """`pattern` with its astral characters and ranges left out, a range reaching past the BMP cut at U+FFFF.
    Only for patterns whose astral characters all stand, as themselves, inside character classes."""
    kept: list[str] = []
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if at + 2 < len(pattern) and pattern[at + 1] == "-" and ord(pattern[at + 2]) >= _ASTRAL:
            if ord(char) < _ASTRAL:
                kept.append(f"{char}-\uffff")
            at += 3
            continue
        if ord(char) < _ASTRAL:
            kept.append(char)
        at += 1
    return "".join(kept)


def _has_astral(text: str) -> bool:
    # UTF-16 writes an astral character as two units: C speed, where max(text) walks the text in Python objects.
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


class BmpFirst:
    """A compiled pattern (`full`) and its form for texts without astral characters (`bmp`), each text matched
    by the one that fits it."""

    __slots__ = ("bmp", "full", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.full = re.compile(pattern)
        self.bmp = re.compile(_without_astral(pattern))

    def _for(self, text: str) -> re.Pattern[str]:
        return self.full if _has_astral(text) else self.bmp

    def search(self, text: str) -> re.Match[str] | None:
        return self._for(text).search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._for(text).match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._for(text).finditer(text)

    def findall(self, text: str) -> list:
        return self._for(text).findall(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._for(text).sub(replacement, text)
