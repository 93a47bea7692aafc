"""Line and column of a character offset in a text, in time proportional to the distance from the offset asked last.

Findings are placed one after another in the same text (a body, an attachment's part, a register): counting the
lines from the start for each cost time quadratic in their number — 350,000 mobile numbers in a 4.5 MB body
took more than five minutes to place — so the last place asked is remembered and counting goes on from there.
"""

from __future__ import annotations

# (text, offset, line, start of that line) of the last place asked; one tuple, so that threads asking at
# the same time never read one place's line with another's offset.
_last: tuple[str, int, int, int] = ("", 0, 1, 0)


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of `offset` in `text`, both from 1; the column counts characters."""
    global _last
    last_text, last_offset, line, line_start = _last
    if last_text is not text or offset < last_offset // 2:  # another text, or nearer its start: from the start
        last_offset, line, line_start = 0, 1, 0
    if offset >= last_offset:
        breaks = text.count("\n", last_offset, offset)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", last_offset, offset) + 1
    else:  # a little way back
        breaks = text.count("\n", offset, last_offset)
        if breaks:
            line -= breaks
            line_start = text.rfind("\n", 0, offset) + 1
    _last = (text, offset, line, line_start)
    return line, offset - line_start + 1


def line_at(text: str, offset: int) -> int:
    """The line (from 1) of `offset` in `text`."""
    return position(text, offset)[0]



# (text, line, offset) of the two line starts asked last (a value's first line and the end of the front matter, asked
# for each finding in turn); the next is counted on from the nearer one before it.
_starts: list[tuple[str, int, int]] = [("", 1, 0), ("", 1, 0)]


def line_offset(text: str, line: int) -> int:
    """The offset where `line` (from 1) begins in `text`; the text's end when it has fewer lines."""
    global _starts
    known = [(abs(counted - line), counted, at) for known_text, counted, at in _starts if known_text is text]
    _, counted, at = min(known, default=(line - 1, 1, 0))
    if counted > line and counted - line > line - 1:  # nearer the start than the place known
        counted, at = 1, 0
    while counted > line:  # back, line by line (values are met in any order)
        at, counted = text.rfind("\n", 0, at - 1) + 1, counted - 1
    while counted < line:
        found = text.find("\n", at)
        if found < 0:
            return len(text)
        at, counted = found + 1, counted + 1
    _starts = [_starts[-1], (text, line, at)]
    return at
