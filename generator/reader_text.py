"""What readers see: rendered HTML → plain text, and any text → the characters a reader reads.

One pipeline for the privacy and secrecy scans and the search index, so that what is scanned is
what is indexed and shown:

- `visible(html)` walks the rendered (sanitised) HTML: one unit per block and per table cell, inline
  markup and comments joined into their line, `<br>` a line break inside its unit (and, for the scans,
  the unit once more with its lines joined, and without its struck-through text), `alt` and `title` texts
  as units of their own; element ids apart (a heading's id is made of its text without its Chinese:
  `## 电话139甲1234乙5678` has `id="13912345678"`, which the table of contents puts in the address bar).
  `ReaderText.text` is what the search index holds.
- `fold(text)` is what a reader reads in a string, whatever its encoding tricks: character references
  decoded, NFKC (full-width and mathematical forms, circled and superscript digits), format and
  combining characters (U+200B, U+2060, U+00AD, U+FEFF, variation selectors …) and U+FFFC removed, CJK radicals and
  strokes the ideographs they are drawn like (U+2EA0 is 民), every
  Unicode digit made an ASCII digit, every space a space and every dash a hyphen (and what is drawn as one), and every
  traditional or variant Chinese character its simplified form (機密 is 机密, 台灣總統 is 台湾总统: OpenCC's
  t2s table, one character at a time, so that offsets stay).
  `fold_mapped` gives the same text with each character's offset in the input, for line and column.
- `template_html(source)` is a Jinja template's HTML as it prints whatever the values: statements and
  comments print nothing, an expression prints something unknown (never digits that join the text around it);
  `css_shown(source)` is a stylesheet with its escapes decoded (`content: "\\673A\\5BC6"` shows 机密).
"""

from __future__ import annotations

import binascii
import functools
import html
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, unquote_to_bytes

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import lookalikes, simplified_forms, symbol_fonts
from .bmp_regex import BmpFirst
from .invisible import IGNORABLE_UNASSIGNED

# Elements that start a new unit; everything else (strong, a, span …) runs on inside its line,
# so that a phrase split by markup (`农村<b>危房</b>改造`, `139<b>1234</b>5678`) stays one string.
BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
     "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
     "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"]
)
SKIPPED = frozenset(("script", "style", "template"))
# Units a reader reads in one line: a row's cells, a list's items, a definition list's terms and definitions (and a
# table's caption, the line above its first row).
_GROUPS = frozenset(("tr", "ul", "ol", "dl", "caption"))
_ROWS = frozenset(("tr", "caption"))
# Elements the theme draws in capitals (Material's `.md-typeset h5 { text-transform: uppercase }`): a small letter shows
# as its capital, and some capitals are drawn like digits (I, Ƨ, Ꮾ).
CAPITALISED = frozenset(("h5",))
_LISTS = frozenset(("ol", "ul", "menu"))  # what numbers an item, or draws a bullet before it
# Elements whose accessible name is their text with the blocks inside joined by a space (what a screen reader says):
# headings, links, table cells and headers, terms, and a table's caption (which names the table).
_NAMED = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "a", "td", "th", "dt", "caption"))
# A row's last cells also read on into the next row's first (a number split at the row's end, between the header and
# the body, down a column of two rows), but only cells of at least four digits at that break: a table of small counts
# (0 0 1 0 2 …, nine columns a row) read on from row to row held a valid 身份证号 every thousand rows.
_LONG_DIGITS = 4
# Tried only where a run of digits starts, and read without giving back: a cell of 100,000 digits and a letter is one try.
_ENDS_LONG = re.compile(rf"(?<![0-9])[0-9]{{{_LONG_DIGITS},}}+[Xx×]?$")
_STARTS_LONG = re.compile(rf"^[0-9]{{{_LONG_DIGITS},}}")
_ALL_DIGITS = re.compile(rf"^[0-9]{{{_LONG_DIGITS},}}[Xx×]?$")
# Struck-through text: readers read past it, so the scans also read each unit without it.
STRUCK = frozenset(("del", "s", "strike"))
# A footnote's reference: a small raised number readers read past too (139[^1]12345678 shows 139¹12345678); and any
# text raised or lowered so (机密<sup>1</sup>★, 北朝<sub>2</sub>鲜 read on as 机密★, 北朝鲜).
_READ_PAST_CLASSES = frozenset(("footnote-ref",))
_READ_PAST_TAGS = frozenset(("sup", "sub"))
# A ruby's guide text, drawn above its base, and the brackets around it no browser shows: off the line, so each unit is
# also read without them (139<ruby>1234<rp>(</rp><rt>注</rt><rp>)</rp></ruby>5678 shows 13912345678) and the guide
# texts of a ruby apart (the line drawn above).
_RUBY_ANNOTATIONS = frozenset(("rt", "rp"))
# What raised or lowered text a reader takes for a note's mark: a few digits, letters or note symbols, or 注 — not a
# star or a word's character (机<sup>1</sup>密<sup>★</sup> reads 机密★, 台<sup>1</sup>湾总<sup>统</sup> 台湾总统).
# Matched on the text with its white space folded to single spaces and stripped, so that no two runs of it meet.
_NOTE_LIKE = re.compile(r"[\[(（]? ?(?:注 ?[0-9]{0,3}|(?:(?![\u3400-\u9fff])[^\W_]){1,3}|[*†‡§¶#]{1,3}) ?[\])）]?")
# Attributes a reader sees: image descriptions and tooltips; what a form field shows in it (a placeholder, a button's
# value), an option's label, what a screen reader says for an element; link targets show in the status bar. (A body
# keeps only alt, title, href and src: the others are a template's.)
_SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "aria-placeholder", "aria-roledescription",
                     "aria-valuetext", "placeholder", "value", "label")
# A page's description and keywords, which search engines show under its title.
_META_NAMES = frozenset(("description", "keywords", "author", "application-name", "apple-mobile-web-app-title"))
_LINK_ATTRIBUTES = ("href", "src", "srcset", "poster", "data", "background", "xlink:href")
_SPACE = re.compile(r"\s+")
_LINE_BREAK = "\x00"  # stands for <br> while whitespace collapses (a text node cannot hold NUL)
_BREAKS = re.compile(r" ?(?:\x00 ?)+")
# What makes a browser lay text out right to left: the controls (embedding, override, isolate, the marks) and
# the letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko … and their presentation forms).
# Digit groups beside them show in reverse order (א 5678 1234 139 shows as 139 1234 5678); under an override
# every character does.
RIGHT_TO_LEFT = BmpFirst("[\u202b\u202e\u2067\u200f\u061c\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe"
                           "\U00010800-\U00010fff\U0001e800-\U0001efff]")


@dataclass(frozen=True)
class ReaderText:
    """The units of one rendered page body: blocks and table cells in reading order."""

    units: tuple[str, ...]
    extra: tuple[str, ...] = ()  # scanned, not indexed: alt/title/link texts, reversed runs, <br> joined, unstruck
    # Each table row's cells and each list's items joined by spaces: for numbers whose own check digit tells
    # them from neighbouring figures (a 身份证号 split across cells); a table of counts would read as phone numbers.
    joined: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()  # element ids (headings', footnotes'): scanned, shown in the address bar
    # Units as a browser draws them: each numbered list item's number before it, and, when pictures do not load, each
    # one's alt text in its place (scanned apart from `extra`, which holds each alt text alone: a number in an alt text
    # is one finding, not two).
    unloaded: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The plain text the search index holds: one line per unit (joined when asked, not kept: the
        check holds every body's units at once, and a second copy of each would double that)."""
        return "\n".join(self.units)

    def scanned(self) -> tuple[str, ...]:
        return self.units + self.extra + self.unloaded


def visible(rendered: str, depth: int = 0) -> ReaderText:
    """The text of rendered HTML as a reader sees it, unit by unit. `depth`: how many `data:` documents it is within."""
    parsed = LexborHTMLParser(rendered)
    # The head too, where a template's HTML puts its <title> (the browser's tab) and <meta> description (search
    # engines' results); a body's sanitised HTML has none.
    roots = [root for root in (parsed.head, parsed.body) if root is not None]
    units: list[str] = []
    extra: list[str] = []
    current: list[str] = []
    unstruck: list[str] = []  # the unit without its struck-through text: 139<del>0000</del>12345678 reads on
    struck = [0, False]  # struck-through elements open, and whether the unit has had one
    # The unit as it shows when its pictures do not load: a browser draws each one's alt text in its place, so that
    # 139<img alt="1234" src="broken.png">5678 reads 13912345678.
    unloaded: list[str] = []
    drawn: list[str] = []
    joined: list[str] = []
    anchors: list[str] = []
    groups: list[int] = []  # for each open row, list or table, the number of units before it
    joins = _GroupJoins(units)
    names = _GroupJoins(units)  # the same for headings, links, cells and terms named with the blocks inside
    named: list[int] = []  # for each open heading or link, the number of units before it
    # For each open table, the end of its last row that may read on into the next (its last cells, at most `_EDGE`
    # characters of them); and for each open row, the units of the tables nested in its cells, which are not its own.
    rows: list[str] = []
    tables: list[int] = []  # for each open table, the number of units before it
    nested: list[list[tuple[int, int]]] = []
    # For each open right-to-left element (a <bdo>, dir="rtl"), its text as drawn: its own text reversed, and each one
    # inside it by the edges of its own drawn text (a subtree copied at every level: 2,500 nested <bdo> in a 50 KB
    # template held a check for 16 s).
    reversing: list[list[str]] = []
    notes = _note_marks_raised(roots)  # the <sup> and <sub> readers read past, judged once each
    # For each open list, the number the browser draws before its next item (`<ol start="139">` then
    # `<li>12345678</li>` shows 139. 12345678), None for a list of bullets: drawn, not text, so it joins the unit in
    # `unloaded`. An item is the nearest list's, whatever elements stand between (`<ol><div><li>` is numbered too).
    numbers: list[int | None] = []
    # The numbers drawn before items whose text has not come yet: the browser draws an item's number on the line of
    # its first text, in whatever block that is (`<li><p>`, a loose list's item, a footnote), so it waits for it.
    markers: list[str] = []
    preformatted = [0]  # <pre> elements open: their text keeps its line breaks, drawn as <br> draws them
    guides: list[list[str]] = []  # for each open <ruby>, its guide texts (<rt>) so far
    guiding = [0]  # <rt> elements open
    capitals = [0]  # CAPITALISED elements open

    def flush() -> None:
        unit = _unit(current)
        if unit:
            units.append(unit)
        if "\n" in unit:  # a number or a mark split by <br> still reads as one: 139<br>1234<br>5678
            extra.append(unit.replace("\n", " "))
        if capitals[0] and (upper := unit.upper()) != unit:  # the theme draws it so: ı39ı2345678 shows I39I2345678
            extra.append(upper)
        if struck[1] and (read_on := _unit(unstruck).replace("\n", " ")) and read_on != unit:
            extra.append(read_on)
        pictured = len(unloaded) > len(current)  # alt texts drawn in the place of pictures
        if unit or pictured:  # else the numbers wait for the text they are drawn beside
            if (markers or pictured) and (shown := _unit(markers + unloaded).replace("\n", " ")):
                drawn.append(shown)
            markers.clear()
        current.clear()
        unstruck.clear()
        unloaded.clear()
        struck[1] = bool(struck[0])

    # Depth first with a stack of its own, not recursion: a hostile body nests thousands of elements.
    # An entry (False, node) visits a node; (True, node) ends it once its descendants are done.
    stack: list[tuple[bool, LexborNode]] = [(False, child) for root in reversed(roots) for child in _children(root)]
    while stack:
        done, child = stack.pop()
        tag = child.tag
        if done:
            if tag in BLOCKS:
                flush()
            if tag == "li":
                markers.clear()  # an item without text: its number is drawn alone (a 32-bit number is no finding)
            if tag == "table" and rows:
                rows.pop()
                start = tables.pop()
                if nested:  # the row around it takes none of its units as its own cells
                    nested[-1].append((start, len(units)))
            # A screen reader names it with its blocks joined: <h2>电话139<div>12345678</div>. Without a block inside, its
            # name is its line's text, read already (and the line is not joined again at each of its thousand links).
            if tag in _NAMED and named:
                first = named.pop()
                inside = names.close(first, least=1)
                # Its line's text after the blocks inside, by its start (the line is a unit of its own): links nested
                # in an <svg> named the whole line again at each level.
                if inside is not None and (tail := _unit(_within_edge(current))[:_EDGE]):
                    extra.append(f"{inside} {tail}")
                elif inside is not None and len(units) - first > 1:
                    extra.append(inside)
            if tag in _GROUPS and groups:
                first = groups.pop()
                if (group := joins.close(first)) is not None:
                    joined.append(group)
                if tag in _ROWS and rows:
                    members = _own_units(units, first, nested.pop())
                    if rows[-1] and (head := _leading(members)):
                        joined.append(f"{rows[-1]} {' '.join(_within_edge(head))[:_EDGE]}")
                    rows[-1] = " ".join(_within_edge(_trailing(members)[::-1])[::-1])[-_EDGE:]
                elif tag in _ROWS:
                    nested.pop()
            if tag in STRUCK or _read_past(child, notes):
                struck[0] -= 1
            if tag in _LISTS and numbers:
                numbers.pop()
            if tag == "pre":
                preformatted[0] -= 1
            if tag == "rt":
                guiding[0] -= 1
            if tag == "ruby" and guides and (guide := "".join(guides.pop()).strip()):
                extra.append(guide)
            if tag in CAPITALISED:
                capitals[0] -= 1
            if reversing and _right_to_left(child):
                shown = "".join(reversed(reversing.pop()))
                extra.append(shown)
                if reversing:
                    reversing[-1].append(_edges_of(shown))
            continue
        if tag == "-text":
            raw = child.text_content or ""
            if reversing:
                reversing[-1].append(raw[::-1])
            if guiding[0] and guides:
                guides[-1].append(raw)
            text = raw.replace(_LINE_BREAK, "")
            current.append(text.replace("\n", _LINE_BREAK) if preformatted[0] else text)
            unloaded.append(current[-1])
            if not struck[0]:
                unstruck.append(current[-1])
            continue
        if tag in SKIPPED or tag == "_comment" or tag == "-comment":
            continue
        _attribute_texts(child, extra, depth)
        if anchor := child.attributes.get("id"):
            anchors.append(anchor)
        stack.append((True, child))
        if _right_to_left(child):
            reversing.append([])
        if tag == "br":
            current.append(_LINE_BREAK)
            unstruck.append(_LINE_BREAK)
            unloaded.append(_LINE_BREAK)
            continue
        if tag == "img" and (alt := child.attributes.get("alt")):
            unloaded.append(alt)
        if tag in BLOCKS:
            flush()
        if tag == "pre":
            preformatted[0] += 1
        if tag == "ruby":
            guides.append([])
        if tag == "rt":
            guiding[0] += 1
        if tag in CAPITALISED:
            capitals[0] += 1
        if tag in _LISTS:
            numbers.append(_list_start(child.attributes.get("start")) if tag == "ol" else None)
        elif tag == "li" and numbers and (number := numbers[-1]) is not None:
            if (value := child.attributes.get("value")) is not None and _INTEGER.match(value):
                number = _list_start(value)  # a template's <li value="139"> draws 139 and counts on from it
            markers.append(f"{number}. ")  # the item's number, which the browser draws before its text
            numbers[-1] = number + 1
        if tag in _NAMED:
            named.append(len(units))
        if tag in _GROUPS:
            groups.append(len(units))
        if tag in _ROWS:
            nested.append([])
        if tag == "table":
            rows.append("")
            tables.append(len(units))
        if tag in STRUCK or _read_past(child, notes):
            struck[0] += 1
            struck[1] = True
        stack.extend((False, grandchild) for grandchild in (_drawn_order(child) if tag == "table" else _children(child)))
    flush()
    return ReaderText(tuple(units), tuple(extra), tuple(joined), tuple(anchors), tuple(drawn))


class _GroupJoins:
    """Each row's, list's and table's units joined by spaces, for a number split between its cells or items (and, in a
    second one, each named element's). A group inside one closed before stands in it by its edges only, the characters
    within `_EDGE` of its ends, where a number may run on across it: joined whole, a body of lists (or headings) nested
    500 deep held 500 copies of its text (2 GB for 800 KB)."""

    def __init__(self, units: list[str]) -> None:
        self.units = units
        self._closed: list[tuple[int, int]] = []  # the units of each closed group not inside another closed one

    def close(self, first: int, least: int = 2) -> str | None:
        """The units of the group that began at unit `first` and ends here, joined; None for fewer than `least`."""
        end = len(self.units)
        inner: list[tuple[int, int]] = []
        while self._closed and self._closed[-1][0] >= first:
            inner.append(self._closed.pop())
        self._closed.append((first, end))
        if end - first < least:
            return None
        pieces: list[str] = []
        at = first
        for start, stop in reversed(inner):
            pieces += self.units[at:start]
            pieces.append(self._edges(start, stop))
            at = stop
        pieces += self.units[at:end]
        return " ".join(pieces)

    def _edges(self, start: int, stop: int) -> str:
        """Units [start, stop) joined, or only their first and last `_EDGE` characters, a line apart (no number or
        mark reads across a line break here: one that reaches deeper in lies within the group, which read it)."""
        head: list[str] = []
        size = 0
        for index in range(start, stop):  # not a slice: a deep group would copy its units at every level
            unit = self.units[index]
            head.append(unit)
            size += len(unit) + 1
            if size > 2 * _EDGE:
                break
        else:
            return " ".join(head)
        tail: list[str] = []
        size = 0
        for index in range(stop - 1, start - 1, -1):
            unit = self.units[index]
            tail.append(unit)
            size += len(unit) + 1
            if size > _EDGE:
                break
        return " ".join(head)[:_EDGE] + "\n" + " ".join(reversed(tail))[-_EDGE:]


# Characters of a group's text kept at each end where it stands inside another: more than the longest number (19
# digits, three separators between each two) or mark reaches.
_EDGE = 128


def _edges_of(text: str) -> str:
    """`text`, or only its first and last `_EDGE` characters, a line apart (as `_GroupJoins._edges`)."""
    return text if len(text) <= 2 * _EDGE else text[:_EDGE] + "\n" + text[-_EDGE:]


def _within_edge(cells: list[str]) -> list[str]:
    """The first of `cells` that reach `_EDGE` characters (blanks aside): all a number read on across their end spans."""
    size = 0
    for count, cell in enumerate(cells, 1):
        size += len(cell.strip()) + 1
        if size > _EDGE:
            return cells[:count]
    return cells


def _own_units(units: list[str], first: int, inside: list[tuple[int, int]]) -> list[str]:
    """The units from `first` on but those of the tables nested in them (`inside`, in order): a row's own cells."""
    own: list[str] = []
    at = first
    for start, stop in inside:
        own += units[at:start]
        at = stop
    own += units[at:]
    return own


def _right_to_left(node: LexborNode) -> bool:
    """Whether the browser draws `node`'s text reversed: a <bdo> (as the scans read it) or any element dir="rtl"."""
    return node.tag == "bdo" or (node.attributes.get("dir") or "").lower() == "rtl"


def rows_read_on(rows: Iterable[list[str]]) -> Iterator[tuple[int, str]]:
    """(index of the upper row, the text) of each break between two rows, given as their cells, that a number may be
    read across: the upper row's last cells and the lower's first, as a page's table is read (`_trailing`, `_leading`)."""
    before = ""
    for index, cells in enumerate(rows):
        if before and (head := _leading(cells)):
            yield index - 1, f"{before} {' '.join(_within_edge(head))[:_EDGE]}"
        before = " ".join(_within_edge(_trailing(cells)[::-1])[::-1])[-_EDGE:]


def _trailing(cells: list[str]) -> list[str]:
    """The cells a row ends with that may read on into the next row: its last, ending in a long run of digits, and the
    cells of long runs of digits alone before it, with the one before them that ends in one."""
    count = 0
    for cell in map(_squeezed, reversed(cells)):
        if count and not _ALL_DIGITS.match(cell):
            count += bool(_ENDS_LONG.search(cell))
            break
        if not _ENDS_LONG.search(cell):
            break
        count += 1
    return cells[len(cells) - count:] if count else []


def _leading(cells: list[str]) -> list[str]:
    """The cells a row starts with that the row before may read on into: the mirror of `_trailing`."""
    count = 0
    for cell in map(_squeezed, cells):
        if count and not _ALL_DIGITS.match(cell):
            count += bool(_STARTS_LONG.match(cell))
            break
        if not _STARTS_LONG.match(cell):
            break
        count += 1
    return cells[:count]


def _read_past(node: LexborNode, notes: set[int]) -> bool:
    """Whether readers read past `node` as past struck-through text (a footnote's reference, raised or lowered text
    that `_note_marks_raised` found note-like)."""
    if node.tag in _READ_PAST_TAGS:
        return node.mem_id in notes
    if node.tag in _RUBY_ANNOTATIONS:
        return True
    return node.tag == "a" and not _READ_PAST_CLASSES.isdisjoint((node.attributes.get("class") or "").split())


# Longer raised text is no note's mark (`_NOTE_LIKE` matches at most nine characters).
_NOTE_CHARS = 32


def _note_marks_raised(roots: list[LexborNode]) -> set[int]:
    """The <sup> and <sub> elements below `roots` whose text, its white space folded, is `_NOTE_LIKE`. Each one's text
    is read once, up to `_NOTE_CHARS` characters, and the ones inside by what was read of them: read whole at every
    level, 500 nested <sup> copied their text 500 times."""
    raised = [node for root in roots for node in root.css("sup, sub")]
    texts: dict[int, str | None] = {}  # folded text, None when too long for a note
    for node in reversed(raised):  # the document's order reversed: the ones inside come first
        pieces: list[str] = []
        size = 0
        stack = _children(node)
        while stack and size <= _NOTE_CHARS:
            inner = stack.pop()
            if inner.tag == "-text":
                piece: str | None = _folded_blanks(inner.text_content or "")
            elif inner.tag in _READ_PAST_TAGS:
                piece = texts.get(inner.mem_id)
            else:
                stack.extend(_children(inner))
                continue
            if piece is None:
                size = _NOTE_CHARS + 1
                break
            if pieces and pieces[-1].endswith(" ") and piece.startswith(" "):
                piece = piece[1:]
            pieces.append(piece)
            size += len(piece)
        texts[node.mem_id] = "".join(pieces) if size <= _NOTE_CHARS else None
    return {key for key, text in texts.items() if text is not None and _NOTE_LIKE.fullmatch(text.strip(" ")) is not None}


def _folded_blanks(text: str) -> str:
    """`text` with each run of white space one space, a blank kept at either end where it has one."""
    words = " ".join(text.split())
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + words + (" " if text[-1].isspace() else "")


_INTEGER = re.compile(r"[\t\n\f\r ]*([-+]?)(?=[0-9])0*([0-9]*)")
_LONG = range(-(2**31), 2**31)  # the browser reads `start` as a 32-bit integer: 1 when it is none


def _list_start(start: str | None) -> int:
    """The first number of a numbered list, read from its `start` as HTML reads an integer, 1 where the browser
    takes none (no digits, or beyond a 32-bit integer: `start="13912345678"` draws 1.). Never int() of thousands
    of digits, which Python refuses."""
    found = _INTEGER.match(start or "")
    if not found or len(found[2]) > 10:
        return 1
    number = int(found[1] + (found[2] or "0"))
    return number if number in _LONG else 1


def _squeezed(cell: str) -> str:
    """A cell as `_trailing` and `_leading` read it: folded, without blanks (folded one at a time: they stop early)."""
    return fold(cell).replace(" ", "")


def _unit(pieces: list[str]) -> str:
    joined = _SPACE.sub(" ", "".join(pieces)).strip(" \x00")
    # Most units hold no break: the pattern, which may start with a space, would be tried at every position.
    return _BREAKS.sub("\n", joined) if "\x00" in joined else joined


def _children(node: LexborNode) -> list[LexborNode]:
    """The children of `node`, text included, last first (so a stack pops them in document order)."""
    return list(node.iter(include_text=True))[::-1]


def _drawn_order(table: LexborNode) -> list[LexborNode]:
    """The children of a table in the order a browser draws them, last first as `_children`: its caption above
    the table, its first <thead> at the top and its first <tfoot> at the bottom, wherever the HTML writes them (a
    <thead> written after the body still shows above it, and a number split between them reads on from the top)."""
    children = _children(table)[::-1]
    caption = next((node for node in children if node.tag == "caption"), None)
    head = next((node for node in children if node.tag == "thead"), None)
    foot = next((node for node in children if node.tag == "tfoot"), None)
    placed = [node for node in (caption, head) if node is not None]
    ordered = placed + [node for node in children if node is not caption and node is not head and node is not foot]
    if foot is not None:
        ordered.append(foot)
    return ordered[::-1]


def _attribute_texts(node: LexborNode, into: list[str], depth: int = 0) -> None:
    attributes = node.attributes
    if not attributes:
        return
    for name in _SHOWN_ATTRIBUTES:
        value = attributes.get(name)
        if value:
            into.append(value)
    named = (attributes.get("name") or attributes.get("property") or "").lower().split(":")[-1]
    if node.tag == "meta" and named in _META_NAMES and (content := attributes.get("content")):
        into.append(content)
    if style := attributes.get("style"):  # a picture drawn as a background
        into.extend(filter(None, (data_url_text(address, depth) for _, address in css_urls(style) if address[:5].lower() == "data:")))
    for name in _LINK_ATTRIBUTES:
        value = attributes.get(name)
        if not value:
            continue
        into.extend(filter(None, (data_url_text(found[0], depth) for found in _DATA_URL.finditer(value))))
        if not value.lstrip().lower().startswith("data:"):
            into.append(shown_address(value))
            dialled = _DIALLED.match(value)
            if dialled and _LETTERS.search(value, dialled.end()):
                into.append(unquote(value[dialled.end():]).translate(_KEYPAD))


# A host's label in punycode: a browser's status bar and address bar show it in Unicode (xn--v6q620co42arbd.cn is
# 内部资料.cn), mailto: domains too.
PUNYCODE = re.compile(r"(?i)(?<![a-z0-9-])xn--[a-z0-9-]{1,59}")


def shown_address(address: str) -> str:
    """An address as a browser shows it: %-escapes decoded, punycode labels in Unicode."""
    return PUNYCODE.sub(_unicode_label, unquote(address))


def _unicode_label(label: re.Match[str]) -> str:
    try:
        return label[0][4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label[0]


# A `data:` address: the picture, page or text is in it (`data:image/svg+xml;base64,…` draws an SVG's <text>).
_DATA_URL = re.compile(r"(?i)data:[^,\s]{0,256},[^\s\"']*")
_DATA_DEPTH = 4  # data: documents within data: documents read; deeper ones are not drawn by any template we ship


def data_url_text(address: str, depth: int = 0) -> str:
    """The text a `data:` address draws: a text's own, an SVG's or an HTML page's every text (read as `visible`
    reads a page); "" for a raster picture, whose pixels are not read."""
    header, _, payload = address[len("data:"):].partition(",")
    kind, *parameters = (part.strip().lower() for part in header.split(";"))
    data = unquote_to_bytes(payload)
    if "base64" in parameters:
        data = re.sub(rb"[^A-Za-z0-9+/]", b"", data.replace(b"-", b"+").replace(b"_", b"/"))
        data = binascii.a2b_base64(data[:len(data) - len(data) % 4] if len(data) % 4 == 1 else data + b"=" * (-len(data) % 4))
    text = data.decode("utf-8", errors="replace")
    if kind in ("", "text/plain", "text/css"):
        return text
    if (kind.endswith("xml") or kind.endswith("html")) and depth < _DATA_DEPTH:
        return "\n".join(visible(text, depth + 1).scanned())
    return ""


# A phone dials the letters of a tel: link as its keypad has them (tel:139ADGJMPTW calls 139 2345 6789): clicked, the
# link calls a number nobody sees on the page or in the status bar.
_DIALLED = re.compile(r"[\x00-\x20]*tel:", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]")
_KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "22233344455566677778889999" * 2)


# --- folding ---------------------------------------------------------------------------------

# Invisible letters and blanks that are not format characters by category but show as a gap. Not U+180E (Mongolian
# vowel separator): a format character since Unicode 6.3 that the browser draws as nothing, so 13\u180e912345678
# reads 13912345678 (as a blank, the groups 13 and 912345678 were no number).
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_LINE_BREAKS = frozenset("\r\u2028\u2029\x0b\x0c\x85")
_IGNORABLE_UNASSIGNED = re.compile(f"[{IGNORABLE_UNASSIGNED}]")  # drawn as nothing though no category says so
# Symbols drawn as a dash or a slash that are none by category (box drawing's horizontals, the horizontal line
# extension; the fraction, division and big slashes; the lowest blocks, drawn as an underscore): 139─1234─5678 and
# 139⁄1234⁄5678 read as 139-1234-5678.
_DRAWN = {**dict.fromkeys("─━┄┅┈┉╌╍⎯", "-"), **dict.fromkeys("⁄∕⧸", "/"), **dict.fromkeys("▁▂", "_")}
# Kana drawn as an ideograph, in full width and (NFKC's first) in half width: 一三九一ニ三四五六七ハ is a mobile number to a
# reader, and 暴カ the word 暴力.
_KANA_IDEOGRAPHS = lookalikes.ideographs()
# Bopomofo letters drawn as the ideograph they were made from (Unicode lists none of them as confusable): ㄧ is a 一 to a
# reader (电话ㄧ三九ㄧ二三四五六七八), ㄠ a 幺, and a word written with ㄌ or ㄦ reads 力 or 儿.
_BOPOMOFO = {"ㄧ": "一", "ㄠ": "幺", "ㄦ": "儿", "ㄌ": "力", "ㄏ": "厂", "ㄚ": "丫", "ㄡ": "又", "ㄨ": "乂", "ㄈ": "匚",
             "ㄇ": "冂", "ㄙ": "厶"}
# Full-width punctuation kept as written: NFKC would make it ASCII, which changes nothing a scan reads.
_KEPT = frozenset("，：；！？（）")


def _ranges(start: int, end: int, left_out: dict[str, str]) -> str:
    """A regex class body for the code points [start, end) but those in `left_out`."""
    parts, low = [], start
    for code in [*sorted(ord(char) for char in left_out if start <= ord(char) < end), end]:
        if code > low:
            parts.append(f"{chr(low)}-{chr(code - 1)}" if code - 1 > low else chr(low))
        low = code + 1
    return "".join(parts)


_SIMPLIFIED = simplified_forms.load()  # ≈ 5,100 characters
# Characters that folding leaves as they are (ASCII, simplified CJK ideographs, common Chinese punctuation): a
# text made of nothing else is its own fold, which spares the per-character table for most of a site's text.
_AS_READ = re.compile(
    r"[^\t\n\x20-\x7e\u00b7\u00d7\u2018-\u201f\u3001\u3002\u3008-\u3011\u3014-\u301b"
    + "".join(sorted(_KEPT)) + _ranges(0x4E00, 0xA000, _SIMPLIFIED) + "]"
)


class _FoldTable(dict):
    """Code point → what a reader reads there (str, or None when invisible); filled on first use."""

    def __init__(self, numerals: bool) -> None:
        super().__init__()
        self.numerals = numerals

    def __missing__(self, code: int) -> str | None:
        value = _fold_char(chr(code), self.numerals)
        self[code] = value
        return value


def _fold_char(char: str, numerals: bool = True) -> str | None:
    read = _read_char(char, numerals)
    return read if read is None or not any(part in _SIMPLIFIED for part in read) else \
        "".join(_SIMPLIFIED.get(part, part) for part in read)


def _read_char(char: str, numerals: bool) -> str | None:
    if char in "\t\n" or char in _KEPT:
        return char
    if char == "\ufffc":  # the object replacement character: drawn as nothing (measured in Chromium)
        return None
    if char in _LINE_BREAKS:
        return "\n"
    if char in _BLANKS:
        return " "
    if char in _DRAWN:
        return _DRAWN[char]
    if ord(char) in lookalikes.EQUIVALENT:
        return chr(lookalikes.EQUIVALENT[ord(char)])
    if (pictured := symbol_fonts.unfonted().get(ord(char))) is not None:  # U+F0AB: Wingdings ★ in a copied text or a PDF
        return _read_char(pictured, numerals)
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me", "Cc", "Cs") or category == "Cn" and _IGNORABLE_UNASSIGNED.match(char):
        return None
    if category == "No" and numerals and unicodedata.numeric(char, -1) in range(10):
        return str(int(unicodedata.numeric(char)))  # ⒈ ⑴ 🄂 are one digit to a reader, not "1." or "(1)"
    if numerals and (drawn := _enclosed_number(char)) is not None:
        return drawn
    out = []
    for part in unicodedata.normalize("NFKC", char):
        kind = unicodedata.category(part)
        if kind in ("Mn", "Me", "Cf"):
            continue
        if kind == "Nd":
            out.append(str(unicodedata.decimal(part)))
        elif part in _KANA_IDEOGRAPHS:
            out.append(_KANA_IDEOGRAPHS[part])
        elif part in _BOPOMOFO:
            out.append(_BOPOMOFO[part])
        elif kind in ("Nl", "No") and numerals and unicodedata.numeric(part, -1) in range(10):
            out.append(str(int(unicodedata.numeric(part))))
        elif kind == "Zs":
            out.append(" ")
        elif kind == "Pd":
            out.append("-")
        else:
            out.append(part)
    return "".join(out)


# The blocks of numbers drawn in a circle, in parentheses or with a full stop: each shows its decimal digits (❿ ⓫ ㉈ ⒑).
_ENCLOSED = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3248, 0x325F), (0x32B1, 0x32BF), (0x1F100, 0x1F10C))


def _enclosed_number(char: str) -> str | None:
    """The digits an enclosed number of 10 or more shows (❿ is 10, ⓫ 11, ⒑ 10 without its full stop, 🔟 10), or None."""
    if char == "\U0001f51f":  # the keycap ten
        return "10"
    value = unicodedata.numeric(char, -1)
    if value >= 10 and value == int(value) and any(low <= ord(char) <= high for low, high in _ENCLOSED):
        return str(int(value))
    return None


_TABLE = _FoldTable(numerals=True)
_WORDS_TABLE = _FoldTable(numerals=False)
# Exactly the references html.unescape decodes (numeric, hexadecimal, named; `;` optional as in HTML).
REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def fold(text: str, *, numerals: bool = True) -> str:
    """What a reader reads in `text` (see the module's doc); linear, C speed after the first use of a character.

    `numerals=False` keeps numerals that are not digits as written (二〇二五 stays, where the scans for
    numbers read 二0二五): for wording, where “〇” and “0” are different words."""
    if "&" in text:
        text = html.unescape(text)
    if _AS_READ.search(text) is None:
        return text
    return text.translate(_TABLE if numerals else _WORDS_TABLE)


class _DrawnTable(dict):
    """`_TABLE`, but each character drawn like a digit or a separator of digit groups (lookalikes.py) read as what it
    is drawn like: Ꮾ as 6, ৪ (a Bengali four) as 8, ᐧ as ·."""

    def __missing__(self, code: int) -> str | None:
        value = _LOOKALIKES.get(chr(code)) or _TABLE[code]
        self[code] = value
        return value


# Only characters whose fold is one character of its own, so that the drawn view keeps every offset of `fold`'s; and
# only where the fold reads something else (a Bengali four is a 4 to `fold`, an 8 to a reader).
_LOOKALIKES = {char: drawn for char, drawn in {**lookalikes.digits(), **lookalikes.separators()}.items()
               if len(_TABLE[ord(char)] or "") == 1 and _TABLE[ord(char)] != drawn}
_LOOKALIKE_CHARS = BmpFirst("[" + "".join(re.escape(char) for char in sorted(_LOOKALIKES)) + "]")
_DRAWN_TABLE = _DrawnTable()


# Zeros the Arabic script draws as a dot (٠ ۰) between two ideographs or before a star: 机٠密★ reads 机·密★, 北٠朝٠鲜
# 北·朝·鲜. Folding makes them 0; beside a digit they are one.
_ZEROS_AS_DOTS = re.compile(f"(?<=[\u3400-\u9fff])[\u0660\u06f0]+(?=[\u3400-\u9fff{re.escape(lookalikes.stars())}★☆])")


def zeros_as_dots(text: str) -> str:
    """`text` with the zeros drawn as a dot between ideographs written as that dot, character for character."""
    if "\u0660" not in text and "\u06f0" not in text:
        return text
    return _ZEROS_AS_DOTS.sub(lambda zeros: "·" * len(zeros[0]), text)


def fold_drawn(text: str) -> str | None:
    """`fold(text)` with every character drawn like a digit or a separator read as what it is drawn like, offset for
    offset; None when `text` holds no such character (most texts: the scans read no second copy of them)."""
    if "&" in text:
        text = html.unescape(text)
    if _LOOKALIKE_CHARS.search(text) is None:
        return None
    return text.translate(_DRAWN_TABLE)


# Numerals drawn as a note mark or an index beside digits: ① ⑴ ⒈ ❶ ⑩ ² ₂ ㊀. `fold` reads each as its digits (a number
# written wholly in them is read), which glued one to a number beside it: 13912345678① became twelve digits, no number,
# where a reader sees a mobile number and a note mark. The Chinese numerals 〇 and 〡–〩 are digits in a number.
# Where they are: all but the ideographs' own blocks (no numeral there is drawn as a mark; tested against all of them).
NOTE_MARK_BLOCKS = (range(0x80, 0x3000), range(0x3030, 0x3400), range(0xA000, 0x20000))


@functools.cache
def _note_marks() -> tuple[dict[int, str], BmpFirst]:
    """Each such numeral → a comma for each digit `fold` reads in it, and a pattern finding them (made on first use: a
    walk of the code points that every command would otherwise pay for at start)."""
    marks = {code: "," * len(read) for code in itertools.chain(*NOTE_MARK_BLOCKS)
             if unicodedata.category(chr(code)) in ("No", "Nl") and (read := _TABLE[code]) and read.isascii() and read.isdigit()}
    return marks, BmpFirst("[" + "".join(re.escape(chr(code)) for code in sorted(marks)) + "]")


def fold_notes_apart(text: str) -> str | None:
    """`fold(text)` with each numeral drawn as a note mark or an index (`_note_marks`) read as commas, one for each digit
    `fold` reads in it, offset for offset: the digits beside it are a number of their own. None when `text` holds none."""
    if "&" in text:
        text = html.unescape(text)
    marks, found = _note_marks()
    if found.search(text) is None:
        return None
    return text.translate(marks).translate(_TABLE)


# What else is drawn as a note's mark beside a word: letters circled, raised or in small capitals (ⓐ ᵃ ⁱ ⁿ), roman
# numerals (ⅰ Ⅱ), and a letter or digit under a combining enclosing mark or as a keycap (1⃝ 1️⃣).
_NOTE_LETTERS = "\u24b6-\u24e9\u1d2c-\u1d6a\u1d9c-\u1dbf\u2071\u207f\u2090-\u209c\u02b0-\u02b8\u02e0-\u02e4\u2160-\u2188"
_UNDER_ENCLOSING = "[0-9A-Za-z]\ufe0f?[\u20dd-\u20e4]"


@functools.cache
def _notes_read_past_pattern() -> tuple[BmpFirst, BmpFirst]:
    """A quick look for any such mark (most texts hold none), and the marks to read past (a `BmpFirst`: the marks'
    class holds astral numerals, which `re` tried against each character of a text without any, a third of the time
    of a check of `1①` runs)."""
    marks = "".join(re.escape(chr(code)) for code in sorted(_note_marks()[0]))
    # Only after a letter, a digit or an ideograph, where a note's mark stands: one after punctuation or at a line's
    # start numbers a list (密级：①绝密、②机密 is prose).
    return (BmpFirst(f"[{marks}{_NOTE_LETTERS}\u20dd-\u20e4]"),
            BmpFirst(f"(?<=\\w)(?:[{marks}{_NOTE_LETTERS}]|{_UNDER_ENCLOSING})+"))


# The number, mark and lexicon scans each read the same text past its note marks: read once (a megabyte of `1①`
# runs took a check 10 s, 6 of them in this reading).
@functools.lru_cache(maxsize=4)
def notes_read_past(text: str) -> str | None:
    """`text` with each mark of a note drawn beside a word or a number (`_note_marks`' numerals, `_NOTE_LETTERS`,
    `_UNDER_ENCLOSING`) written as U+0001, which `fold` reads past, character for character: a word, a mark or a number read
    on across it (机密①★, 北①朝鲜, 机²密, 139¹12345678), as a reader reads on past a footnote's reference. None when
    `text` holds none."""
    quick, marks = _notes_read_past_pattern()
    if quick.search(text) is None:
        return None
    marked = marks.sub(lambda found: "\x01" * len(found[0]), text)
    return None if marked == text else marked


def fold_mapped(text: str, *, numerals: bool = True) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the offset in `text` it came from."""
    table = _TABLE if numerals else _WORDS_TABLE
    pieces: list[str] = []
    origins: list[int] = []
    position = 0
    references = REFERENCE.finditer(text) if "&" in text else iter(())
    for reference in references:
        raw = reference[0]
        unescaped = html.unescape(raw)
        if unescaped == raw:
            continue  # not a reference: its characters are folded one by one with the text around it
        # A legacy reference without ";" decodes only its head (&notanentity; → ¬anentity;): the
        # characters after it stay where they are.
        tail = len(os.path.commonprefix([raw[::-1], unescaped[::-1]]))
        tail = max(0, min(tail, len(unescaped) - 1, len(raw) - 1))  # a reference may decode to nothing (&#3)
        _fold_span(text, position, reference.start(), pieces, origins, table)
        decoded = unescaped[: len(unescaped) - tail].translate(table)
        pieces.append(decoded)
        origins.extend([reference.start()] * len(decoded))
        position = reference.end() - tail
    _fold_span(text, position, len(text), pieces, origins, table)
    return "".join(pieces), origins


def _fold_span(text: str, start: int, end: int, pieces: list[str], origins: list[int], table: _FoldTable) -> None:
    # Only the characters folding changes go through the table; the runs between them are their own fold (one
    # character for one, as `fold` relies on). Character by character, a 30 MB CSV with one mobile number in its
    # last line took a minute to place it.
    at = start
    for count, found in enumerate(_AS_READ.finditer(text, start, end)):
        offset = found.start()
        if count >= DENSE_AFTER and (offset - start) < DENSE_SPACING * count:
            _fold_dense(text, at, end, pieces, origins, table)
            return
        if offset > at:
            pieces.append(text[at:offset])
            origins.extend(range(at, offset))
        folded = table[ord(text[offset])]
        if folded:
            pieces.append(folded)
            origins.extend([offset] * len(folded))
        at = offset + 1
    if end > at:
        pieces.append(text[at:end])
        origins.extend(range(at, end))


# A span in which folding changes at least one character in DENSE_SPACING, found after its first DENSE_AFTER such
# characters, is folded at once (`_fold_dense`): binary data read as text (a picture's private chunk) changes nearly
# every character, and a megabyte of it took seconds a scan character by character.
DENSE_AFTER = 256
DENSE_SPACING = 8


class _ResizeProbe(dict):
    """Code point → "\x01" where folding makes it other than one character (nothing, or several), else "\x00"."""

    def __init__(self, table: _FoldTable) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, code: int) -> str:
        folded = self.table[code]
        value = self[code] = "\x00" if folded is not None and len(folded) == 1 else "\x01"
        return value


_PROBES = {id(_TABLE): _ResizeProbe(_TABLE), id(_WORDS_TABLE): _ResizeProbe(_WORDS_TABLE)}
_RESIZED = re.compile("\x01")


def _fold_dense(text: str, start: int, end: int, pieces: list[str], origins: list[int], table: _FoldTable) -> None:
    """`_fold_span` of a span folding changes throughout: the span translated at once, and the origins of the
    characters folded one for one taken as ranges between those it deletes or expands (`_ResizeProbe`)."""
    span = text[start:end]
    pieces.append(span.translate(table))
    at = 0
    for resized in _RESIZED.finditer(span.translate(_PROBES[id(table)])):
        offset = resized.start()
        origins.extend(range(start + at, start + offset))
        folded = table[ord(span[offset])]
        if folded:
            origins.extend([start + offset] * len(folded))
        at = offset + 1
    origins.extend(range(start + at, end))


def source_end(text: str, offset: int) -> int:
    """End of the source character, or character reference, at `offset` of `text`."""
    if text[offset] == "&":
        reference = REFERENCE.match(text, offset)
        if reference:
            return reference.end()
    return offset + 1


def right_to_left(text: str) -> bool:
    """Whether `text` holds a control or a letter that makes readers see part of it reversed."""
    return RIGHT_TO_LEFT.search(text) is not None


# Bidirectional text is drawn in the order Unicode's algorithm (UAX #9) gives each line, left to right as the theme
# sets every block: "\u202e年1★密机" shows 机密★1年, "电话\u200f5678\u200f1234\u200f138" (marks alone) 电话138 1234 5678, and
# "电话139 א 5678 1234" (a Hebrew letter) 电话139 1234 5678 א. (`<bdo dir="rtl">` is read by `visible`.)
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINES = re.compile("[^\n\r\u2028\u2029\x85]*[\n\r\u2028\u2029\x85]?")


def displayed(text: str) -> tuple[str, list[int]] | None:
    """`text` in the order readers see it where bidirectional text reorders it, with an offset in `text` for each
    character; None when nothing in it is. A line's characters that keep their place keep their offsets; those that
    move, between the first and the last, are given that stretch's offsets back to front (exact for an override's
    run), so a finding there is placed on its stretch of the line."""
    moved = list(reordered_lines(text))
    if not moved:
        return None
    pieces: list[str] = []
    origins: list[int] = []
    at = 0
    for start, shown, stretch in moved:
        pieces += [text[at:start], shown]
        first, last = start + stretch.start, start + stretch.stop
        origins += [*range(at, first), *range(last - 1, first - 1, -1), *range(last, start + len(shown))]
        at = start + len(shown)
    pieces.append(text[at:])
    origins += range(at, len(text))
    return "".join(pieces), origins


def reordered_lines(text: str) -> Iterator[tuple[int, str, range]]:
    """(offset, the line as shown, the stretch of it between the first and the last character moved) of each line of
    `text` that Unicode's bidirectional algorithm shows in another order."""
    if RIGHT_TO_LEFT.search(text) is None:
        return
    from bidi import get_display  # only for the rare text that needs it

    for line in _LINES.finditer(text):
        written = line[0]
        if RIGHT_TO_LEFT.search(written) is None:
            continue
        # A lone surrogate (a text decoded leniently may hold one) is no character the library takes: read as nothing.
        shown = get_display(_SURROGATE.sub("\u200b", written), base_dir="L")
        if shown == written or len(shown) != len(written):  # the algorithm keeps every character
            continue
        head = _common_length(written, shown)
        tail = _common_length(written[::-1], shown[::-1])
        yield line.start(), shown, range(head, len(written) - tail)


def _common_length(one: str, other: str) -> int:
    """The length of the longest common prefix of two different strings of one length, in C-speed comparisons."""
    low, high = 0, len(one)
    while low < high:
        middle = (low + high + 1) // 2
        if one[:middle] == other[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


# --- what templates and stylesheets print -------------------------------------------------------

_JINJA_OPEN = re.compile(r"\{[{%#]")
_JINJA_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_JINJA_ENDRAW = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\f]?|\r\n|(.))", re.DOTALL)


# What template_html prints for a value: a private-use character, drawn as a box where a font has no picture for it,
# so never digits or a mark joining the text around it. (Not U+FFFC, which Chromium draws as nothing: fold drops it.)
VALUE = "\ue000"


def template_html(source: str, unprinted: str = "", holds: bool = False) -> str:
    """The HTML a Jinja template prints around its values (see the module's doc); linear in `source`.
    `unprinted`: a condition false where the text is shown (`{% if <it> %}…{% else %}` prints nothing but the else);
    with `holds`, that condition is true instead (the `if` branch is printed, not the `else`)."""
    return "".join(source[start:end] if kind == _TEXT else VALUE if kind == _VALUE else ""
                   for start, end, kind in _template_spans(source, unprinted, holds))


def template_source(source: str, unprinted: str = "", holds: bool = False) -> str:
    """`source` with the branches `template_html` does not print blanked (line breaks kept, so offsets stay those of
    the file)."""
    return "".join(_BLANKED.sub(" ", source[start:end]) if kind == _UNPRINTED else source[start:end]
                   for start, end, kind in _template_spans(source, unprinted, holds))


_TEXT, _VALUE, _NOTHING, _UNPRINTED = range(4)
_BLANKED = re.compile(r"[^\n]")


def _template_spans(source: str, unprinted: str, holds: bool = False) -> Iterator[tuple[int, int, int]]:
    """(start, end, kind) of consecutive spans covering `source`: text, an expression (prints a value), a statement
    or comment (prints nothing), or a part of a branch not printed; an unclosed tag prints nothing to the end."""
    position = 0
    depth = 0  # `if` blocks open
    skipping = -1  # the depth of the unprinted branch being skipped, -1 if none
    condition = -1  # the depth of the `if` on `unprinted` open, -1 if none
    while (opened := _JINJA_OPEN.search(source, position)) is not None:
        if opened.start() > position:
            yield position, opened.start(), _TEXT if skipping < 0 else _UNPRINTED
        close = source.find(_JINJA_CLOSE[opened[0]], opened.end())
        if close == -1:  # Jinja refuses the template
            yield opened.start(), len(source), _NOTHING
            return
        position = close + 2
        kind = _NOTHING
        if opened[0] == "{{":
            kind = _VALUE
        elif opened[0] == "{%":
            statement = source[opened.end():close].strip("-+ \t\r\n")
            keyword = statement.split(None, 1)[0] if statement else ""
            if keyword == "raw":  # what lies between it and endraw is printed as written, tags and all
                yield opened.start(), position, _NOTHING if skipping < 0 else _UNPRINTED
                ended = _JINJA_ENDRAW.search(source, position)
                if ended is None:  # Jinja refuses the template
                    yield position, len(source), _NOTHING
                    return
                if ended.start() > position:
                    yield position, ended.start(), _TEXT if skipping < 0 else _UNPRINTED
                yield ended.start(), ended.end(), _NOTHING if skipping < 0 else _UNPRINTED
                position = ended.end()
                continue
            if keyword == "if":
                depth += 1
                if skipping < 0 and condition < 0 and unprinted and statement[2:].strip() == unprinted:
                    condition = depth
                    skipping = -1 if holds else depth
            elif keyword == "endif":
                if skipping == depth:
                    skipping = -1
                if condition == depth:
                    condition = -1
                depth = max(0, depth - 1)
            elif keyword in ("else", "elif") and condition == depth:
                skipping = depth if holds else -1
        yield opened.start(), position, kind if skipping < 0 else _UNPRINTED
    if position < len(source):
        yield position, len(source), _TEXT if skipping < 0 else _UNPRINTED


_CSS_FETCHING = frozenset(("url", "image-set", "-webkit-image-set", "src"))  # what loads what it names (src: @font-face)


def css_pictures(source: str) -> tuple[str, ...]:
    """The texts of the pictures a stylesheet draws from `data:` addresses (an SVG background's <text>)."""
    return tuple(text for _, address in css_urls(source) if address[:5].lower() == "data:" and (text := data_url_text(address)))


def css_urls(source: str) -> Iterator[tuple[int, str]]:
    """(offset, address as the browser reads it) of everything a stylesheet loads: `url(…)` quoted or not, the strings
    of `image-set(…)` and `src(…)`, `@import "…"`; escapes decoded (`\\2f\\2f host` is `//host`), comments and strings
    read as the browser tokenises them (a `/*` inside a string starts no comment). One pass over the tokens: each
    belongs to the innermost open function (a stylesheet of 20,000 unclosed `url(` was read in linear time)."""
    tokens = [token for token in _CSS_TOKEN.finditer(source) if not token[0].startswith("/*") and not token[0].isspace()]
    opened: list[tuple[str, re.Match, list[re.Match]]] = []  # each open function: its name ("" if it loads nothing)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        text = token[0]
        following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
        if text == "@" and css_shown(following).lower() == "import" and index + 2 < len(tokens):
            target = tokens[index + 2]
            if target[0][:1] in "\"'":
                yield target.start(), _css_string(target[0])
        if following == "(":
            name = css_shown(text).lower()
            opened.append((name if name in _CSS_FETCHING else "", token, []))
            index += 2
            continue
        if text == "(":
            opened.append(("", token, []))
        elif text == ")" and opened:
            yield from _loaded(*opened.pop())
        elif opened:
            opened[-1][2].append(token)
        index += 1
    while opened:  # a function left open at the end reads to it
        yield from _loaded(*opened.pop())


def _loaded(name: str, function: re.Match, inside: list[re.Match]) -> Iterator[tuple[int, str]]:
    """The addresses a function of `css_urls` loads, from the tokens directly inside it."""
    if not name:
        return
    strings = [token for token in inside if token[0][:1] in "\"'"]
    if name == "url" and not strings:
        yield function.start(), css_shown("".join(token[0] for token in inside))
    for string in strings:
        yield string.start(), _css_string(string[0])


def _css_string(token: str) -> str:
    """A string token's value (its quotes off, escapes decoded)."""
    closed = len(token) > 1 and token[-1] == token[0] and not _escaped_end(token)
    return css_shown(token[1:-1] if closed else token[1:])


def css_shown(source: str) -> str:
    """`source` with its CSS escapes decoded, as `content:` shows them (an escaped line break is nothing)."""
    return _CSS_ESCAPE.sub(_css_character, source) if "\\" in source else source


def _css_character(escape: re.Match) -> str:
    code, other = escape.groups()
    if code is None:
        return other if other is not None and other not in "\r\n\f" else ""
    value = int(code, 16)
    return chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"


# A stylesheet read as declarations: comments, strings (escapes kept), the characters that end or open a block, an
# identifier (escapes allowed: `cont\65nt` is `content`), anything else one character at a time. Linear: each
# alternative starts with a character the others cannot, and none backtracks past its own run; an escape takes its
# hex digits atomically, as CSS does (as many as there are, up to six): `\1a` read as `\1` and `a` too made a run of
# them exponential wherever the run could not end the match (a `fullmatch`).
_CSS_TOKEN = re.compile(
    r"/\*.*?(?:\*/|\Z)"
    r"|\"(?:[^\"\\\n]|\\.)*(?:\"|\Z|(?=\n))|'(?:[^'\\\n]|\\.)*(?:'|\Z|(?=\n))"
    r"|[;{}:]"
    r"|(?:[-\w]|\\(?>[0-9a-fA-F]{1,6}[ \t\f]?|.))++"
    r"|\s+|.",
    re.DOTALL,
)


@dataclass(frozen=True)
class Declaration:
    """One `property: value` of a stylesheet: the property's name as the browser reads it (escapes decoded, lower case),
    its value's words (escapes decoded, comments left out) and the texts of its strings, and where the name starts."""

    name: str
    words: tuple[str, ...]
    strings: tuple[str, ...]
    offset: int
    sequence: tuple[tuple[bool, str], ...] = ()  # the words and strings in their order, (True, text) for a string


def css_declarations(source: str) -> Iterator[Declaration]:
    """Every declaration of a stylesheet, in the file's order (selectors and at-rules' preludes are not declarations)."""
    name: str | None = None  # the identifier last read at declaration level, before its colon
    start = 0
    current: tuple[str, int] | None = None  # the property being read and its offset
    words: list[str] = []
    strings: list[str] = []
    sequence: list[tuple[bool, str]] = []
    for token in _CSS_TOKEN.finditer(source):
        text = token[0]
        if text.startswith("/*") or text.isspace():
            continue
        if current is None:
            if text == ":" and name is not None:
                current, words, strings, sequence = (name, start), [], [], []
            elif text[0] in "-_\\" or text[0].isalnum():
                name, start = css_shown(text).lower(), token.start()
            else:
                name = None  # `{`, `;`, `}`, a string or a sign: a selector or a prelude goes on, no property yet
            continue
        if text in (";", "{", "}"):
            if text != "{":  # `a:hover {` was a selector
                yield Declaration(current[0], tuple(words), tuple(strings), current[1], tuple(sequence))
            current, name = None, None
        elif text[0] in "\"'":
            closed = len(text) > 1 and text[-1] == text[0] and not _escaped_end(text)
            strings.append(css_shown(text[1:-1] if closed else text[1:]))
            sequence.append((True, strings[-1]))
        else:
            words.append(css_shown(text).lower())
            sequence.append((False, words[-1]))
    if current is not None:
        yield Declaration(current[0], tuple(words), tuple(strings), current[1], tuple(sequence))


def _escaped_end(text: str) -> bool:
    """Whether the last character of a string token is escaped (an unclosed string ending in `\\"`)."""
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return backslashes % 2 == 1


# Properties whose strings the page shows: generated content, the quotation marks `<q>` and open-quote draw, a list's
# marker written as a string, and the prefix and suffix of an @counter-style's markers (its symbols, which a marker may
# join, are read in the stylesheet's own text; an agency's may hold no digit: GK532).
_SHOWING = frozenset(("content", "quotes", "list-style", "list-style-type", "prefix", "suffix", "pad", "negative"))
GENERATING = _SHOWING  # (for the theme family, which refuses digits there: GK532)
# An @counter-style's symbols: an alphabetic, numeric or additive system joins several in one marker.
COUNTER_SYMBOLS = frozenset(("symbols", "additive-symbols"))
_COUNTERS = frozenset(("counter-reset", "counter-set"))
# What draws letters other than those the page holds: capitals (ı drawn as I), small capitals, full-width forms. By
# property, the values that do; None for any value but the initial one.
_RECASING: dict[str, frozenset[str] | None] = {
    "text-transform": None,
    "font-variant": frozenset(("small-caps", "all-small-caps", "petite-caps", "all-petite-caps", "unicase", "titling-caps")),
    "font-variant-caps": None,
    "font-feature-settings": frozenset(("smcp", "c2sc", "pcap", "c2pc", "unic", "titl", "case")),
}
_NOT_SET = frozenset(("none", "normal", "initial", "inherit", "unset", "revert", "revert-layer", "!", "important"))


def recases(declaration: Declaration) -> bool:
    """Whether a declaration draws letters in another case or width than the page holds them."""
    refused = _RECASING.get(re.sub(r"^-(?:webkit|moz|ms|o)-", "", declaration.name), frozenset())
    words = {word.lower() for word in (*declaration.words, *declaration.strings)} - _NOT_SET
    return bool(words) if refused is None else bool(refused & words)


_INTEGER_WORD = re.compile(r"[-+]?[0-9]+")


def css_generated(source: str) -> tuple[str, ...]:
    """What a stylesheet writes into pages: each declaration's strings joined as the browser draws them
    (`content: "139" "1234" "5678"` shows 13912345678), a counter drawn (`counter(n)`) as each value the stylesheet
    sets it to, and all of them in the file's order joined (a `::before` and an `::after` around an empty element show
    as one run)."""
    declarations = list(css_declarations(source))
    values: dict[str, list[str]] = {}  # a counter's name → the numbers the stylesheet sets it to
    for declaration in declarations:
        if declaration.name in _COUNTERS:
            words = declaration.words
            for index, word in enumerate(words):
                if index + 1 < len(words) and _INTEGER_WORD.fullmatch(words[index + 1]) and not _INTEGER_WORD.fullmatch(word):
                    values.setdefault(word, []).append(words[index + 1].lstrip("+"))
    shown = []
    for declaration in declarations:
        if declaration.name not in _SHOWING:
            continue
        sequence = declaration.sequence
        drawn = [text if is_string else values.get(sequence[index + 2][1], [""])[0]
                 for index, (is_string, text) in enumerate(sequence)
                 if is_string or (text in ("counter", "counters") and index + 2 < len(sequence) and sequence[index + 1][1] == "(")]
        if "".join(drawn):
            shown.append("".join(drawn))
    return (*shown, "".join(shown)) if len(shown) > 1 else tuple(shown)
