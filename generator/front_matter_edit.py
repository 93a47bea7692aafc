"""Rewriting one top-level entry of an item's front matter in place (`review`, `withdrawn`): the entry's
lines are replaced by line range, using the YAML marks; every other byte (line endings, BOM, comments,
key order) stays as it was, and a comment line inside the entry is kept before it; the caller writes the file
whole (`writer.write_whole`)."""

from __future__ import annotations

from .loading import SourceDocument


class EditRefused(Exception):
    """The front matter cannot be edited automatically; the message is Chinese."""


def replace_entry(text: str, document: SourceDocument, key: str, block: list[str], before: str | None = None) -> str:
    """`text` with its top-level `key:` entry replaced by the lines of `block`; without one, `block` goes
    before the `before:` entry if there is one, else at the end of the front matter."""
    lines = text.split("\n")  # a CRLF file keeps its '\r' at each line's end
    eol = "\r" if document.crlf else ""
    top_level = sorted(mark.line for name, mark in document.keys.items() if len(name) == 1)
    if any(document.keys[name].col != 1 for name in document.keys if len(name) == 1):
        raise EditRefused("front matter 的格式无法自动写入：顶层键必须从行首开始（块格式 YAML）")
    closing = document.body_line - 1  # 1-based line of the closing '---'
    rendered = [line + eol for line in block]
    mark = document.keys.get((key,))
    if mark is None:
        following = document.keys.get((before,)) if before else None
        if following is None and top_level and _spans_lines(lines, top_level[-1], closing):
            # Before the last entry, not after it: a block scalar written last (`summary: |`) ends where the front
            # matter ends, so a line after it would change its value (its final line break), and the edit be refused.
            following = document.keys[next(name for name, m in document.keys.items()
                                            if len(name) == 1 and m.line == top_level[-1])]
        insert_at = following.line - 1 if following is not None else closing - 1  # 0-based
        return "\n".join(lines[:insert_at] + rendered + lines[insert_at:])
    start = mark.line  # 1-based
    after = [line for line in top_level if line > start]
    end = (after[0] if after else closing) - 1  # last line of the entry, 1-based
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    # The entry is written anew from its values; a note someone left on a line of its own inside it stays, just
    # before it, at the line's start (indented, it would join a block scalar written before the entry).
    notes = [line.lstrip() for line in lines[start:end] if line.lstrip().startswith("#")]
    return "\n".join(lines[: start - 1] + notes + rendered + lines[end:])



def _spans_lines(lines: list[str], start: int, closing: int) -> bool:
    """Whether the top-level entry on line `start` (1-based) goes on past its first line, comments and blank
    lines apart, before the closing line."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in lines[start:closing - 1])
