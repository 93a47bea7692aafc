"""Blocks → the Markdown of an item's body, in the site's conventions.

- The 公文 outline: a short paragraph starting 一、 becomes `## 一、…`, one starting （一） becomes
  `### （一）…` (run-in headings followed by text stay paragraphs); Word heading styles become
  headings one level down (the page title is the only `#`). Paragraphs starting 1. / 1． / 1、
  become an ordered list that keeps its numbers; （1） stays as written; bullets become `- `.
- Tables become pipe tables (first row as header; merged cells are written once, the cells they
  cover stay empty); a one-cell table is a framed paragraph and is written as paragraphs.
- Every character of the text stays text: Markdown and HTML syntax in it is escaped, and so is what
  only an extension mkdocs.yml may enable reads as markup (~~, ==, {--, $, :emoji:, !!!, ///, a `Key:`
  first line), so nothing in a Word file can become markup on the site or be hidden from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..markdown_text import escape
from .blocks import Block, Cell, LineBreak, Link, Media, Paragraph, Piece, Table

HEADING_2 = re.compile(r"^[一二三四五六七八九十百]+、")
HEADING_3 = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
LIST_ITEM = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?=\S)")
ATTACHMENT_MORE = re.compile(r"^\d{1,3}\s*[.．、]")  # the 2nd, 3rd … line of a 附件说明
SHORT = 40
MAX_COLUMNS = 63  # Word's widest table; a wider grid (merged cells spanning 63 columns each) is written row by row
# A hard line break with the blanks around it. Tried only where a run of blanks starts: from every blank of
# a long run (a paragraph of 100,000 spaces) each try scanned the rest of the run (quadratic time).
_HARD_BREAK = re.compile(r"(?<![ \t\u3000])[ \t\u3000]*  \n[ \t\u3000]*")

MediaWriter = Callable[[Media], str]
LinkWriter = Callable[[Link], str]


def _joined(pieces: Sequence[Piece]) -> list[Piece]:
    """The pieces with each run of text as one: Word splits text into runs anywhere, and markup split over two
    runs (`~` `~删~~`, `:smi` `le:`) is markup once they are written side by side."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _is_heading_text(text: str) -> bool:
    return len(text) <= SHORT and not re.search(r"[。；！？]", text[:-1])


class MarkdownWriter:
    def __init__(self, media: MediaWriter, link: LinkWriter) -> None:
        self.media = media
        self.link = link

    def render(self, blocks: Sequence[Block]) -> str:
        out: list[str] = []
        previous_list = in_note = False
        for block in blocks:
            if isinstance(block, Table):
                text, is_list = self._table(block), False
            elif in_note and ATTACHMENT_MORE.match(block.text.strip(" \t\u3000")):
                text, is_list = self._inline(block), False  # 2．申请表 under 附件：1．…, as written
            else:
                text, is_list = self._paragraph(block)
            if isinstance(block, Paragraph):
                stripped = block.text.strip(" \t\u3000")
                in_note = stripped.startswith("附件") or (in_note and bool(ATTACHMENT_MORE.match(stripped)))
            if not text:
                continue
            if out and not (is_list and previous_list):
                out.append("")
            out.append(text)
            previous_list = is_list
        return "\n".join(out) + "\n"

    def _inline(self, paragraph: Paragraph, skip: int = 0) -> str:
        """The paragraph's content (without its numbering label) as inline Markdown; `skip` drops
        that many leading characters of its text."""
        parts: list[str] = []
        for piece in _joined(paragraph.pieces):
            if isinstance(piece, str):
                piece, skip = piece[skip:], max(0, skip - len(piece))
                parts.append(escape(piece) if piece.strip() else piece)
            elif isinstance(piece, Link):
                parts.append(self.link(piece))
            elif isinstance(piece, Media):
                parts.append(self.media(piece))
            elif isinstance(piece, LineBreak):
                parts.append("  \n")
        return _HARD_BREAK.sub("  \n", "".join(parts)).strip(" \t\u3000\n")

    def _paragraph(self, paragraph: Paragraph) -> tuple[str, bool]:
        label = paragraph.label.strip()
        body = self._inline(paragraph)
        if not body and not label:
            return "", False
        if paragraph.label_format == "bullet":
            return "- " + body, True
        raw = paragraph.text[len(paragraph.label):]
        gap = "" if not label or label.endswith(("、", "．", ".", "）", ")")) else " "
        plain = label + gap + raw.strip(" \t\u3000\n")
        head = escape(label) + gap if label else ""
        if paragraph.outline:
            return "#" * min(paragraph.outline + 1, 6) + " " + head + body, False
        if not paragraph.media and _is_heading_text(plain):
            if HEADING_2.match(plain):
                return "## " + head + body, False
            if HEADING_3.match(plain):
                return "### " + head + body, False
        item = LIST_ITEM.match(plain)
        if item and label:
            return f"{int(item[1])}. " + body, True
        if item:
            stripped = raw.lstrip(" \t\u3000\n")
            found = LIST_ITEM.match(stripped)
            assert found is not None
            return f"{int(item[1])}. " + self._inline(paragraph, skip=len(raw) - len(stripped) + found.end()), True
        return head + body, False

    def _cell(self, cell: Cell) -> str:
        if cell.continued:
            return ""
        texts = [escape(p.label) + self._inline(p) if p.label else self._inline(p) for p in cell.paragraphs]
        return "<br>".join(text.replace("  \n", "<br>") for text in texts if text)

    def _table(self, table: Table) -> str:
        grid: list[list[str]] = []
        for row in table.rows:
            line: list[str] = []
            for cell in row:
                line.append(self._cell(cell))
                line.extend([""] * (cell.span - 1))
            grid.append(line)
        grid = [line for line in grid if any(line)] or []
        if not grid:
            return ""
        width = max(len(line) for line in grid)
        if width == 1:  # a framed paragraph or a one-column layout table
            return "\n\n".join(line[0].replace("<br>", "  \n") for line in grid)
        if width > MAX_COLUMNS:  # not a table Word makes: every row padded to its width was rows × width cells
            return "\n\n".join("\u3000".join(cell.replace("<br>", "  \n") for cell in line if cell) for line in grid)
        grid = [line + [""] * (width - len(line)) for line in grid]
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(line) + " |" for line in grid[1:]]
        return "\n".join(lines)
