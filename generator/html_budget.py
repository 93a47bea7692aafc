"""A Python-Markdown extension that refuses a body whose HTML would be far larger than any notice's.

Markdown can repeat one piece of text without repeating it in the source: a reference link's address
and title are written once and used at every `[a]`, an abbreviation's title at every occurrence of the
word (`abbr`), the table of contents at every `[TOC]` marker. Python-Markdown keeps one copy of each in
its tree but writes it out once per use, so a 1 MB body with a 100 KB address used 10,000 times became
1 GB of HTML, and the sanitiser needed several gigabytes before the render's deadline came. This tree
processor runs after every other one, just before the tree is written out, and adds up what would be
written (text, attribute values and tags), stopping at the budget. The page prints each heading twice
more, in the theme's two tables of contents (150,000 short headings made a 31 MB page in 19 s): those
entries count too.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

# A 1,400-character notice renders to ≈ 5,000 characters of HTML, the largest item a site accepts (5 MB)
# to a few million; sixteen million characters is beyond any honest body and within the memory of a check.
HTML_CHARS = 16_000_000

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What Material writes around one entry of a table of contents (list item, link, label), measured.
TOC_ENTRY_CHARS = 100


class TooLarge(ValueError):
    """Markup whose HTML would be longer than `HTML_CHARS` (one definition used thousands of times)."""


class HtmlBudgetProcessor(Treeprocessor):
    def run(self, root: Element) -> None:
        total = 0
        for element in root.iter():  # a subtree used at several places is walked, and counted, at each
            total += 2 * len(element.tag) + 5 if isinstance(element.tag, str) else 0
            if element.tag in HEADINGS:  # its two entries in the page's tables of contents
                total += 2 * (TOC_ENTRY_CHARS + len(element.get("id", "")) + sum(map(len, element.itertext())))
            for text in (element.text, element.tail, *element.attrib.values()):
                if text:
                    total += len(text)
            if total > HTML_CHARS:
                raise TooLarge


class HtmlBudget(Extension):
    """Register after every extension's tree processors (priority below all of Python-Markdown's and PyMdown's)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(HtmlBudgetProcessor(md), "gongkai_html_budget", -1000)
