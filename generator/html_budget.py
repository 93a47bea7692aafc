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

The written HTML's nesting is bounded too (`too_deep`): raw HTML nests as deep as its tags say, and the
HTML parsers after the render (the sanitiser's, the reader text's) take time quadratic in the depth:
`<ol><li>` written 100,000 times in a 1.8 MB body held a check for 8 minutes. Chromium itself stops
nesting at 512 levels (deeper elements become siblings), so a deeper body is not even what its readers
would see.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

# A 1,400-character notice renders to ≈ 5,000 characters of HTML, the largest item a site accepts (5 MB)
# to a few million; sixteen million characters is beyond any honest body and within the memory of a check.
HTML_CHARS = 16_000_000

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What Material writes around one entry of a table of contents (list item, link, label), measured.
TOC_ENTRY_CHARS = 100


# Elements of one body's HTML. Every scan after the render (the sanitiser, the reader's text, the privacy scan's
# numbers chained across table cells) costs time and memory per element: a 2.2 MB table of 50,000 columns × 20 rows
# (a million cells) held a check for 32 s and 1.07 GB, under every other budget. A 公示 名单 of 5,000 rows × 8
# columns is 45,000 elements; longer lists belong in an attachment (a spreadsheet).
MAX_ELEMENTS = 100_000
_OPENING_TAG = re.compile(r"<[A-Za-z]")


class TooLarge(ValueError):
    """Markup whose HTML would be longer than `HTML_CHARS` (one definition used thousands of times), or hold more
    than `MAX_ELEMENTS` elements (a table of a million cells)."""


class HtmlBudgetProcessor(Treeprocessor):
    def run(self, root: Element) -> None:
        total = 0
        # Raw HTML waits in the stash as text, to be pasted into the output: its tags are elements all the same.
        elements = sum(len(_OPENING_TAG.findall(block)) for block in self.md.htmlStash.rawHtmlBlocks if isinstance(block, str))
        for element in root.iter():  # a subtree used at several places is walked, and counted, at each
            elements += 1
            if elements > MAX_ELEMENTS:
                raise TooLarge
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


# Chromium's parser nests no deeper (HTMLConstructionSite's maximum DOM depth).
MAX_DEPTH = 512
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>?")
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
                   "track", "wbr", "html", "head", "body"))  # the last three: the page's own, never opened again
# Elements a parser closes when another of these opens right after them (an <li> ends the <li> before it, a cell the
# cell before it). Left open otherwise: counted deeper than the parser may build, never shallower.
_ENDED_BY = {
    "li": frozenset(("li",)), "dt": frozenset(("dt", "dd")), "dd": frozenset(("dt", "dd")), "p": frozenset(("p",)),
    "option": frozenset(("option",)), "td": frozenset(("td", "th")), "th": frozenset(("td", "th")),
    "tr": frozenset(("tr", "td", "th")), "tbody": frozenset(("tbody", "thead", "tfoot", "tr", "td", "th")),
    "thead": frozenset(("tbody", "thead", "tfoot", "tr", "td", "th")),
    "tfoot": frozenset(("tbody", "thead", "tfoot", "tr", "td", "th")),
}
# How an end tag closes elements, as the HTML parser does it (or counted as closing fewer: never more). Its own element
# when it is the innermost open. A few levels up (`<div><span>…</div>`): a block's end across any elements but these
# formatting ones, which the parser reopens later, and the boundaries it does not look past (`</div>` across a table
# is ignored); any other element's end across none of those nor any block either (`</span>` across a <div> is
# ignored); a formatting element's end across formatting elements only, which are reopened before the next text or
# element unless their own end comes first (`<b><i>…</b></i>` nests nothing, `<b><i></b>x` repeated nests deeper and
# deeper). Across a block it moves elements about (the adoption agency): counted as closing nothing.
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "listing", "main", "menu", "nav", "ol", "pre", "search",
    "section", "summary", "ul",
))
_SPECIAL = _BLOCKS | frozenset(("li", "dd", "dt", "p", "tr", "tbody", "thead", "tfoot"))  # what `</span>` stops at
_REOPENED = frozenset(("a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"))
_BOUNDARIES = frozenset(("table", "template", "applet", "object", "marquee", "select", "svg", "math", "button", "form",
                         "h1", "h2", "h3", "h4", "h5", "h6", "iframe", "noscript", "script", "style", "textarea", "title",
                         "caption", "td", "th"))
_REACH = 4


def too_deep(html: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the elements of `html` nest deeper than `limit` as its tags are written, counted in one pass. Where it
    says no, a parser's tree is no deeper than twice `limit` (a table opens a body and a row unwritten)."""
    if html.count("<") <= limit:  # most bodies: too few tags to nest that deep
        return False
    stack: list[str] = []
    reopened: list[str] = []
    end = 0
    foreign = False  # after <svg> or <math>, where elements nest as written (a <source> or a <tbody> too)
    for match in _TAG.finditer(html):
        name, closing = match[2].lower(), bool(match[1])
        if reopened and (match.start() > end or not closing):
            stack += reopened
            reopened.clear()
        end = match.end()
        if not closing:
            foreign = foreign or name in ("svg", "math")
            if not foreign:
                if name in _VOID:
                    continue
                if stack and stack[-1] in _ENDED_BY and name in _ENDED_BY[stack[-1]]:
                    stack.pop()
            stack.append(name)
        elif name in reopened:
            reopened.remove(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            reopened += _closed_across(stack, name)
        if len(stack) > limit:
            return True
    return False


def _closed_across(stack: list[str], name: str) -> list[str]:
    """Pop `name`'s element from `stack` where an end tag a few levels above the innermost closes it (see _BLOCKS);
    the formatting elements the parser reopens after it. The end of a list item, a paragraph or a table's part is
    ignored where the parser did not open one (counted as closing only the innermost)."""
    if name in _ENDED_BY or name in _BOUNDARIES:
        return []
    for back in range(2, min(_REACH, len(stack)) + 1):
        above = stack[-back + 1]
        if above in _BOUNDARIES or (above in _REOPENED) != (name in _REOPENED) or (name not in _BLOCKS and above in _SPECIAL):
            return []
        if stack[-back] == name:
            closed = stack[-back + 1:]
            del stack[-back:]
            return closed if name in _REOPENED else []
    return []
