"""A long text scanned a window at a time, so that what a scan holds per character is bounded by the window.

The scans keep several values per character of what they read (folded views, offsets, digit groups): a few
kilobytes of zip inflated to 24M characters held 2–4 GB while they read it whole. Windows overlap, and each owns the
findings that start in its part of the overlap's middle: a finding up to `OVERLAP // 2` characters long (a number of
19 digits with separators, a secrecy mark, a lexicon word) is seen whole, with as much context before it, by the one
window that names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

WINDOW = 1 << 18  # characters read at once: ≈ 60–80 MB of the scans' working memory
OVERLAP = 512


@dataclass(frozen=True)
class Window:
    start: int  # offset of the window's first character in the text
    text: str
    owned_from: int  # the findings starting at these offsets of `text` are this window's to name
    owned_to: int

    def owns(self, offset: int) -> bool:
        return self.owned_from <= offset < self.owned_to


def windows(text: str, size: int = WINDOW, overlap: int = OVERLAP) -> Iterator[Window]:
    """The text in windows of `size` characters, each sharing `overlap` with the next (the text itself if it fits)."""
    if len(text) <= size:
        yield Window(0, text, 0, len(text))
        return
    stride, half = size - overlap, overlap // 2
    if stride < overlap:
        raise ValueError("a window must be more than twice its overlap")
    start = 0
    while True:
        last = start + size >= len(text)
        yield Window(start, text[start:start + size], half if start else 0, len(text) - start if last else stride + half)
        if last:
            return
        start += stride
