"""Text as a reader sees it, for the lexicon: `reader_text.fold` (the characters every scan reads),
with what joins Chinese characters without showing left out, and a map back to the source.

A word the reader sees whole must match whole, however it was typed. The folding is the privacy and
secrecy scans' own (`reader_text.fold_mapped`: character references, full-width and compatibility
forms, Kangxi radicals, invisible format characters), but for numerals (二〇 is not 二0). On top of it, between two Chinese characters
or Chinese punctuation marks, a line break inside a paragraph (张军\\n卫), spaces used to pad names
(王　芳), emphasis markers (张**军卫**), inline tags and the marks typed to split a word (北-朝-鲜, 台湾·总统)
vanish. A blank line ends a paragraph and is kept, so nothing matches across paragraphs.

Every change keeps a map from the visible text back to the source, so a finding is reported at
its line and column in the file. Most text needs no change at all; that case costs two regex scans.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .. import lookalikes
from ..reader_text import displayed, fold, fold_mapped, notes_read_past, zeros_as_dots

# Characters between which spaces, line breaks and inline markup vanish: CJK ideographs and punctuation.
_CJK = "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_TAG = r"</?[A-Za-z][^<>\n]{0,100}>"
# Blanks, emphasis and code markers (a title or a code block shows 北`朝鲜 as written), and the marks typed between
# characters to split a word a reader still reads whole (北-朝-鲜, 台湾·总统), as the secrecy scan reads 机·密;
# 。 and the other sentence marks keep their sentences apart.
# The dots and dashes the number scans read between digit groups count too (ꞏ ㆍ ∘ ╴ ⸱ −), but not a letter or an
# ideograph drawn like a stroke (丿 ノ ㅡ): those are words of their own.
# Read in the folded text: each also as the fold writes it (ㆍ is ᆞ to NFKC).
_SPLITTERS = re.escape("".join(sorted({*"-.·・‧•∙⋅/\\ー", *(
    form for char in lookalikes.separators() for form in (char, fold(char)) if len(form) == 1
    and not form.isdecimal() and not re.match(f"[{_CJK}]", form)  # ۰ is a dot drawn, a 0 folded
    and (unicodedata.category(char) not in ("Lo", "Lm") or "DOT" in unicodedata.name(char, "") or char == "ㆍ"))})))
_INLINE = rf"(?:[ \t*_~`{_SPLITTERS}]|{_TAG})"
# Starting with a lookahead on the first character lets the regex engine skip ahead quickly: in
# ordinary Chinese text it stops only at spaces, line breaks and markup. The runs are possessive: a
# space is both `[ \t>]` and inline, and giving characters back between the two cost quadratic time on a
# long run of blanks (100,000 spaces after a line break took minutes); what follows a run is a Chinese
# character, which no part of a run starts with, so giving back could never make a match.
_JOINS = re.compile(
    rf"(?=[<\n \t*_~`{_SPLITTERS}])(?<=[{_CJK}])(?:{_INLINE}++(?:\n[ \t>]*+{_INLINE}*+)?|\n[ \t>]*+{_INLINE}*+)(?=[{_CJK}])"
)


@dataclass(frozen=True)
class Visible:
    """The visible text and the way back to the source: where the joins left characters out, and,
    when folding changed the text, each folded character's source offset."""

    text: str
    _visible_at: tuple[int, ...] = ()  # visible offsets where a shift starts …
    _folded_at: tuple[int, ...] = ()  # … and the folded offset each of them stands for
    _origins: tuple[int, ...] | None = None  # folded offset → source offset; None: folding changed nothing

    def source_offset(self, offset: int) -> int:
        """The source offset of the visible character at `offset`; `len(text)` gives the source's length."""
        index = bisect.bisect_right(self._visible_at, offset) - 1
        folded = offset if index < 0 else self._folded_at[index] + offset - self._visible_at[index]
        return folded if self._origins is None else self._origins[folded]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of visible [start, end): up to where the next visible character starts."""
        return self.source_offset(start), self.source_offset(end)


def visible(source: str) -> Visible:
    """What a reader of `source` sees, with the map back to `source`: in the order shown where a right-to-left
    override reverses it (`reader_text.displayed`)."""
    shown = displayed(source)
    if shown is not None:
        reordered, order = shown
        text, mapped = fold_mapped(zeros_as_dots(reordered), numerals=False)
        return _joined(text, (*(order[offset] for offset in mapped), len(source)))
    dotted = zeros_as_dots(source)
    text = fold(dotted, numerals=False)
    origins: tuple[int, ...] | None = None
    if text != source:
        text, mapped = fold_mapped(dotted, numerals=False)
        origins = (*mapped, len(source))
    return _joined(text, origins)


def seen_views(source: str) -> Iterator[Visible]:
    """What a reader of `source` sees (`visible`) and, where it holds a numeral drawn as a note mark or an index, the
    same read past each of them (北①朝鲜, 台湾²总统), as past a footnote's reference; both map back to `source`."""
    yield visible(source)
    apart = notes_read_past(source)
    if apart is not None:
        yield visible(apart)


def _joined(text: str, origins: tuple[int, ...] | None) -> Visible:
    """`text` (folded) with what joins Chinese characters without showing left out."""
    pieces: list[str] = []
    visible_at: list[int] = []
    folded_at: list[int] = []
    last = length = 0
    for found in _JOINS.finditer(text):
        start, end = found.span()
        pieces.append(text[last:start])
        length += start - last
        visible_at.append(length)
        folded_at.append(end)
        last = end
    if not visible_at:
        return Visible(text, _origins=origins)
    pieces.append(text[last:])
    return Visible("".join(pieces), tuple(visible_at), tuple(folded_at), origins)
