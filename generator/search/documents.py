"""What the site hands to the search index, and what building it reports."""

from __future__ import annotations

from dataclasses import dataclass

# Characters of a body's text the index takes (a long regulation has 50,000). Past the item size limit nothing
# bounded it: a signed body of 1.2 million distinct CJK characters (3.6 MB) cost a build 59 s and Pagefind 961 MB,
# three such items 198 s and 2.3 GB — linear, so a few more stopped every daily build, takedowns included.
INDEXED_CHARACTERS = 100_000


# Characters of text the index takes past a body's Markdown length: a page's text is shorter than its Markdown (no
# markup) but for a few additions (footnotes' back links, an admonition's title). A shard is planned by the Markdown's
# length (shards.weight), before the pages are rendered; `[TOC]` markers printed 1.8 KB of Markdown as 110,000
# characters of text, 50 times what a shard of such documents was bounded to.
BEYOND_MARKDOWN = 1_000


def indexed_text(text: str, size: int | None = None) -> str:
    """The part of a body's plain text the search index takes: its whole lines within the first INDEXED_CHARACTERS
    characters (and, given the Markdown's length `size`, within `size` + BEYOND_MARKDOWN). No line is cut: the scans
    judge the whole text line by line (no number or mark runs across a line break), and a cut line ended in what they
    never judged — the first 11 digits of a 12-digit run, a mobile number of its own; 内部发行 of 内部发行量, a mark —
    in the index, its vocabulary and the text its excerpts show."""
    most = INDEXED_CHARACTERS if size is None else min(INDEXED_CHARACTERS, size + BEYOND_MARKDOWN)
    if len(text) <= most:
        return text
    end = text.rfind("\n", 0, most + 1)
    return text[:end] if end >= 0 else ""


@dataclass(frozen=True)
class SearchDocument:
    url: str  # site-relative URL of the item page, e.g. "items/2021/00003/"
    title: str
    date: str  # "YYYY-MM-DD" (published)
    year: str  # "2021"
    category: str  # leaf category name, e.g. "农村危房改造"
    department: str  # e.g. "村镇建设股"
    index_no: str  # 索引号
    doc_no: str  # 文号, "" if none
    text: str  # plain text of the body, paragraphs separated by "\n"
    size: int = 0  # characters of the body's Markdown: known when shards are planned, before the text is


@dataclass(frozen=True)
class IndexStats:
    documents: int
    shards: int
    bytes: int  # total size of the files written under <site>/pagefind/
    files: int
    seconds: float
    peak_rss_bytes: int  # largest resident set of one Pagefind run
