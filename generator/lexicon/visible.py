"""Text as a reader sees it, for the lexicon: what the page shows, with a map back to the source.

A word the reader sees whole must match whole, however it was typed: full-width letters and digits
(ＡＰＰ, １２３４５), Kangxi radicals and compatibility ideographs that look like ordinary characters
(⼀ for 一), invisible format characters (zero-width spaces, soft hyphens, direction marks), HTML
entities (&#x5F20;), and what joins Chinese characters without showing: a line break inside a
paragraph (张军\\n卫), spaces used to pad names (王　芳), emphasis markers (张**军卫**) and inline
tags. A blank line ends a paragraph and is kept, so nothing matches across paragraphs.

Every change keeps a map from the visible text back to the source, so a finding is reported at
its line and column in the file. Most text needs no change at all; that case costs one regex scan.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.entities import html5

# Characters between which spaces, line breaks and inline markup vanish: CJK ideographs and punctuation.
_CJK = "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# Format characters (Unicode category Cf and the invisible fillers) a reader never sees.
_FORMAT = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
_TAG = r"</?[A-Za-z][^<>\n]{0,100}>"
_INLINE = rf"(?:[ \t\u3000\u00a0*_~]|{_TAG})"
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
# Starting with a lookahead on the first character lets the regex engine skip ahead quickly: in
# ordinary Chinese text it stops only at spaces, line breaks and markup.
_EDITS = re.compile(
    rf"(?=[{_FORMAT}&<\n \t\u3000\u00a0*_~])"
    rf"(?:(?P<format>[{_FORMAT}]+)|(?P<entity>{_ENTITY})"
    rf"|(?<=[{_CJK}])(?:{_INLINE}+(?:\n[ \t>]*{_INLINE}*)?|\n[ \t>]*{_INLINE}*)(?=[{_CJK}]))"
)
# Characters whose compatibility form is one other character (full-width ASCII, Kangxi radicals,
# CJK compatibility ideographs): mapped in place, so offsets do not move.
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2f00-\u2fdf\u2e80-\u2eff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _width_table() -> dict[int, str]:
    table = {}
    for low, high in ((0xFF10, 0xFF5A), (0x2E80, 0x2FDF), (0xF900, 0xFAFF)):
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


@dataclass(frozen=True)
class Visible:
    """The visible text and, where it differs from the source, the points where offsets shift."""

    text: str
    _visible_at: tuple[int, ...] = ()  # visible offsets where a shift starts …
    _source_at: tuple[int, ...] = ()  # … and the source offset each of them stands for

    def source_offset(self, offset: int) -> int:
        """The source offset of the visible character at `offset`; `len(text)` gives the source's length."""
        index = bisect.bisect_right(self._visible_at, offset) - 1
        if index < 0:
            return offset
        return self._source_at[index] + offset - self._visible_at[index]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of visible [start, end): up to where the next visible character starts."""
        return self.source_offset(start), self.source_offset(end)


def visible(source: str) -> Visible:
    """What a reader of `source` sees, with the map back to `source`."""
    text = source.translate(_width_table()) if _WIDE.search(source) else source
    pieces: list[str] = []
    visible_at: list[int] = []
    source_at: list[int] = []
    last = 0
    length = 0
    for found in _EDITS.finditer(text):
        start, end = found.span()
        replacement = ""
        if found["entity"]:
            entity = found["entity"]
            if not entity.startswith("&#") and entity[1:] not in html5:
                continue  # not an entity: Markdown escapes the & and the page shows it as written
            replacement = html.unescape(entity)
            replacement = replacement.translate(_width_table())
        pieces.append(text[last:start])
        length += start - last
        if replacement:
            visible_at.append(length)
            source_at.append(start)
            pieces.append(replacement)
            length += len(replacement)
        visible_at.append(length)
        source_at.append(end)
        last = end
    if not visible_at:
        return Visible(text)
    pieces.append(text[last:])
    return Visible("".join(pieces), tuple(visible_at), tuple(source_at))
