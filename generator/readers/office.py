"""DOCX, XLSX, OFD and loose XML: every XML part of the package, streamed, and the files embedded in it.

Office files are read as the zip of XML parts they are, so nothing depends on what a library chooses
to expose: body, tables, text boxes, every kind of header and footer, comments, footnotes, endnotes,
tracked insertions *and* deletions, field codes, charts, link targets, document properties; every
sheet (hidden and very hidden too), cells' cached values and formulas (an arithmetic one saved without its
result computed), comments, headers and footers, data validation, shared strings no cell uses any more, pivot
caches. What the reader is shown is read besides what is stored: a sheet's rows under their number formats without
hidden cells and in their direction, a paragraph without hidden or tiny runs, with a blank for a run drawn in the
colour behind it (white on the page), and in its direction. XML with a DTD
is refused (entity bombs); parts are streamed and freed as they are read.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import itertools
import math
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from .. import symbol_fonts
from ..attachments import suffix_of
from ..office_text import symbol_char, unescape_xstring
from ..values import int_or
from .archive import Counted, as_stored, declared, member_bytes, open_zip, read_unlisted
from .core import AS_SHOWN, Reading, Refused, host_of, keywords, named, read, refuse_if_hostile, worth_reading
from .fields import COMPUTED_BESIDE_DIGITS, LIST_NUMBER_BESIDE_DIGITS, RECOMPUTED, computed_beside_digits, field_kind, field_symbol
from .number_formats import shown, writes_digits
from .pictures import picture_texts
from .text import arithmetic, calls_out, formula_shows

_NOISE_ATTRIBUTE = re.compile(r"^(?:rsid\w*|\w*[iI]d|uid|guid)$")
# Eleven digits in a row: no id Office writes holds them (small numbers, 8 hexadecimal digits, a GUID's groups of at
# most 12), a mobile or 身份证号 does (a custom XML part's `<申请人 id="110105198701201243"/>`).
_LONG_DIGITS = re.compile(r"\d{11}")


def local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace_of(tag: Any) -> str:
    return tag[1:tag.find("}")] if isinstance(tag, str) and tag.startswith("{") else ""


def xml_events(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reading: Reading) -> Iterator[tuple[str, Any]]:
    """(event, element) of one XML part, streamed; a DTD (entity bombs) is refused."""
    from lxml import etree

    declared(info, reading)
    with archive.open(info) as raw:
        counted = Counted(raw, info.filename, reading)
        stream = io.BufferedReader(counted)
        head = stream.peek(4096)[:4096]
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise Refused(f"“{info.filename}”含有 DTD（Office 文件从不使用，可能是实体炸弹），未读取")
        parser = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                 huge_tree=False, load_dtd=False, remove_comments=False)
        try:
            for event, element in parser:
                yield event, element
                if event == "end":  # its text is taken: free it, so a large part costs little memory
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except etree.LxmlError:
            if counted.refusal is not None:
                raise counted.refusal from None
            raise


_TEXT = frozenset(("t", "delText", "instrText", "v", "f"))
_REVISION = {"ins": "ins", "del": "del", "moveFrom": "del", "moveTo": "ins"}
_BLOCKS = frozenset(("p", "si", "comment", "threadedComment", "definedName", "sheet", "property", "pt", "tx"))


# Elements whose values are codes in hexadecimal, not text: revision and list ids, a font's PANOSE and code pages.
_CODES = frozenset(("rsid", "rsidRoot", "nsid", "tmpl", "panose1", "sig"))
# Layout numbers, not text: OFD's boxes, positions and glyph advances (lists of numbers by the page).
_GEOMETRY = frozenset(("PhysicalBox", "ApplicationBox", "ContentBox", "BleedBox", "Boundary", "CTM", "DeltaX", "DeltaY",
                       "AbbreviatedData", "X", "Y", "Size", "LineWidth", "Glyphs", "Area", "StartPoint", "EndPoint"))


def _telling(name: str, value: str) -> bool:
    """An attribute worth scanning: not an id or a layout number unless it holds eleven digits in a row, and Chinese or
    long enough to hold a number; a number format's code always (a chart's `"139"0` writes its literal text beside
    every value it labels)."""
    return name == "formatCode" or (bool(_LONG_DIGITS.search(value)) or name not in _GEOMETRY
                                    and not _NOISE_ATTRIBUTE.search(name)) and worth_reading(value)


def _xml_lines(events: Iterator[tuple[str, Any]], styles: _WordStyles | None = None) -> Iterator[tuple[str, str]]:
    """(kind, text) of an XML part: "block" per block element (its runs joined), "before" for the same
    block as it was before tracked changes when they differ, "shown" for it without the runs its reader hides or
    draws too small to read (and as `_Layout` says it is drawn), "rtl" for a right-to-left paragraph in the order it is
    drawn, "guide" for a ruby's guide texts (drawn above the line), "listed" for a paragraph whose list number touches
    its digits, "branch" for it as an application draws markup compatibility's alternatives, "deep" once when a field
    is nested past `_FIELD_DEPTH`, "attribute" and "loose" for the rest. `styles`: the document's styles (the run
    properties each gives, whether it sets a paragraph right to left), defaults and theme fonts, and its list levels.
    A DrawingML field (`a:fld`: a slide number, a date) and an auto-number drawn before its paragraph (`a:buAutoNum`)
    are computed pieces, as Word's {PAGE} is; `a:pPr rtl="1"` is `w:bidi`."""
    styles = styles or _WordStyles()
    stack: list[_Block] = []
    revision: list[str] = []
    run = _Run(styles)
    fields = _Fields(styles.updates_fields)
    bound: list[bool] = []  # the content controls (w:sdt) open, whether each is bound to a custom XML part's data
    bound_open = 0  # how many of them are (counted: nested controls by the thousand cost a look at each for each text)
    deep = False  # a field nested past _FIELD_DEPTH was named (once a part)
    compatibility = _Compatibility()
    drawn_fields = 0  # the DrawingML fields (a:fld) open: their text is what the slide shows as it is drawn
    layout = _Layout()
    levels = dataclasses.replace(styles.drawing)  # and those of the part's own list styles, as they are read
    table_styles: list[str] = []  # the style of each table open (w:tblStyle)
    for event, element in events:
        name = local(element.tag)
        namespace = namespace_of(element.tag)
        compatibility.see(event, name, namespace, element)
        if event == "start" and namespace == _DRAWING:
            levels.see(name, element)
        if event == "start" and name == "background" and namespace == _WORD and not stack:  # the page's colour
            styles = dataclasses.replace(styles, page=_colour_of("background", element) or styles.page)
        if stack:
            layout.see(event, name, namespace, element, stack, revision[-1] if revision else "", run.hidden)
        if (name in ("fldChar", "fldSimple", "instrText") and stack
                and fields.see(event, name, element, stack[-1], revision[-1] if revision else "", run.hidden) and not deep):
            deep = True
            yield "deep", ""
        if event == "start":
            if name in _REVISION:
                revision.append(_REVISION[name])
            if name in _BLOCKS:
                stack.append(_Block())
                if name == "p" and namespace == _DRAWING:
                    stack[-1].styled_right_to_left = levels.right_to_left
                    if levels.numbered:  # an auto-number its list style draws before it
                        stack[-1].add("", revision[-1] if revision else "", False, "computed")
            if name == "tbl" and namespace == _WORD:
                table_styles.append("")
            elif name == "tblStyle" and table_styles and _under(element, "tblPr", "tbl"):
                table_styles[-1] = _attribute(element, "val")
            if name == "r":
                run = _Run(styles, stack[-1].style if stack else None, table_styles[-1] if table_styles else "")
                if namespace == _DRAWING:
                    run.fonts.update((f"defRPr{number}", font) for number, font in enumerate(levels.fonts))
            run.see(name, element)
            if name == "bidi" and stack and _under(element, "pPr"):
                stack[-1].right_to_left = _switched_on(element)
            elif name == "pStyle" and stack and _under(element, "pPr"):
                stack[-1].style = _attribute(element, "val")
                stack[-1].styled_right_to_left = _attribute(element, "val") in styles.right_to_left
                stack[-1].styled_list = styles.numbering.get(_attribute(element, "val"), ("", ""))
            elif name == "numId" and stack and _under(element, "numPr", "pPr", "p"):
                stack[-1].list_id = _attribute(element, "val")
            elif name == "ilvl" and stack and _under(element, "numPr", "pPr", "p"):
                stack[-1].list_level = _attribute(element, "val")
            elif name == "pPr" and stack and element.get("rtl") is not None:  # DrawingML's paragraph direction
                stack[-1].right_to_left = _true(element.get("rtl"))
            elif name == "fld":  # drawn as the slide is: a slide number, a date (the stored text may be ‹#›)
                drawn_fields += 1
                if stack:
                    stack[-1].add("", revision[-1] if revision else "", run.hidden, "computed")
            elif name == "buAutoNum" and stack and _under(element, "pPr") and not _NUMBER_APART.search(_attribute(element, "type")):
                stack[-1].add("", revision[-1] if revision else "", False, "computed")  # its number touches the text
            if name == "sdt":
                bound.append(False)
            elif name == "dataBinding" and bound and not bound[-1] and _under(element, "sdtPr"):
                bound[-1] = True
                bound_open += 1
            if name == "sym" and stack:  # a character Word draws from a code, in its place among the runs
                stack[-1].add(symbol_char(_attribute(element, "char"), _attribute(element, "font") or run.symbol_font),
                              revision[-1] if revision else "", run.hidden)
            for key, value in element.attrib.items() if name not in _CODES else ():
                shown = unescape_xstring(_number_text(value)) if isinstance(value, str) else ""  # a pivot cache's <n v="1.39E10"/>
                if shown and _telling(local(key), shown):
                    yield "attribute", shown
            continue
        if name in _REVISION and revision:
            revision.pop()
        if element.text and (name in _TEXT or len(element) == 0) and name not in _GEOMETRY and name != "rPh":
            text = unescape_xstring(_number_text(element.text))  # a chart's cached 1.3912345678E10
            if name == "t" and namespace == _WORD:  # Word draws a line feed or tab written inside a run as a space
                text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
            if stack:
                kind = fields.kind(name) or ("recomputed" if bound_open else "computed" if drawn_fields else "") or layout.kind()
                stack[-1].add(run.shown(text), revision[-1] if revision else "", run.hidden, kind, text, run.raised,
                              compatibility.branch)
            elif text.strip():  # a document's keywords (cp:keywords) item by item, as its properties show them
                yield from (("loose", line) for line in (keywords(text) if name == "keywords" else [text]))
        if name == "r":
            run = _Run(styles)
        elif name == "tbl" and namespace == _WORD and table_styles:
            table_styles.pop()
        elif name == "fld" and drawn_fields:
            drawn_fields -= 1
        if name == "sdt" and bound and bound.pop():  # Word fills it from the custom XML part as it opens the file
            bound_open -= 1
            if stack:
                stack[-1].add("", revision[-1] if revision else "", run.hidden, "recomputed")
            else:
                yield "recomputed", ""
        if name in _BLOCKS and stack:
            block = stack.pop()
            yield from block.lines()
            if block.listed_flush(styles.flush_levels):
                yield "listed", ""
            if stack:  # a text box's paragraph drawn in the line of the paragraph its shape stands in
                layout.closed(block, stack[-1], len(stack))


# DrawingML auto-number schemes that draw a mark between the number and the text (`1.`, `1)`, `(1)`, `1-`); the others
# (`arabicPlain` "139" before 12345678, `circleNumDbPlain`, `ea1ChsPlain` …) draw the number touching it.
_NUMBER_APART = re.compile(r"(?:Period|ParenR|ParenBoth|Minus)$")
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
_LEVEL = re.compile(r"^(?:lvl[1-9]pPr|defPPr)$")
_LEVEL_FONTS = 8  # fonts kept (symbol fonts, the theme's two): more are the same pictures again


@dataclass
class _DrawingLevels:
    """What DrawingML paragraphs inherit from the levels of a text list style (a shape's `a:lstStyle`, a slide layout's
    or master's `p:txStyles`, the presentation's `p:defaultTextStyle`): a right-to-left direction (`a:lvl1pPr
    rtl="1"`), an auto-number touching the text (`a:buAutoNum`), a symbol font (`a:defRPr`'s `a:latin` …; a chart's text
    gives it in its paragraph's `a:pPr`). Which paragraph a level reaches is not worked out: any level's is read into
    every paragraph, which only adds readings."""

    right_to_left: bool = False
    numbered: bool = False
    fonts: tuple[str, ...] = ()  # symbol fonts and theme fonts ("@minor") a level gives its runs

    def see(self, name: str, element: Any) -> None:
        if _LEVEL.match(name):
            self.right_to_left = self.right_to_left or _true(element.get("rtl"))
        elif name == "buAutoNum" and (parent := element.getparent()) is not None and _LEVEL.match(local(parent.tag)):
            self.numbered = self.numbered or not _NUMBER_APART.search(_attribute(element, "type"))
        elif name in ("latin", "ea", "cs", "sym") and (parent := element.getparent()) is not None \
                and local(parent.tag) == "defRPr" and (grand := parent.getparent()) is not None \
                and (_LEVEL.match(local(grand.tag)) or local(grand.tag) == "pPr"):  # a chart text's paragraph's too
            typeface = _attribute(element, "typeface")
            typeface = _THEME_FONT.get(typeface[:4], typeface)
            if (typeface.startswith("@") or symbol_fonts.symbol_font(typeface)) and typeface not in self.fonts \
                    and len(self.fonts) < _LEVEL_FONTS:
                self.fonts += (typeface,)


def _drawing_levels(package: _Package, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
                    reading: Reading) -> _DrawingLevels:
    """The levels a presentation's slide masters, layouts and the presentation itself give every slide's paragraphs."""
    levels = _DrawingLevels()
    for path, info in sorted(names.items()):
        kinds = package.reached.get(path.lower(), set())
        if kinds & _LEVELED or _LEVELED_TYPE.search(package.content_type(path)) or _LEVELED_PATH.search(path):
            for event, element in xml_events(archive, info, reading):
                if event == "start":
                    levels.see(local(element.tag), element)
    return levels


_LEVELED = frozenset(("slidemaster", "slidelayout", "notesmaster", "handoutmaster"))
_LEVELED_TYPE = re.compile(r"(?:slidemaster|slidelayout|notesmaster|handoutmaster|presentation\.main|template\.main|slideshow\.main)\+xml")
_LEVELED_PATH = re.compile(r"(?i)(?:^|/)(?:slideMasters|slideLayouts|notesMasters|handoutMasters)/[^/]*\.xml$|(?:^|/)presentation\.xml$")


@dataclass
class _Piece:
    """A stretch of a block's text: as drawn (`text`), as stored (`stored`: lower case under `w:caps`), its tracked
    revision, whether its run is hidden, and what part of a field it is (`_Fields.kind`)."""

    text: str
    revision: str
    hidden: bool
    kind: str = ""
    stored: str | None = None
    raised: bool = False  # drawn raised or lowered (superscript, subscript, a raised position): a note's place
    branch: int = 0  # where it stands in markup compatibility's alternatives (_FIRST_CHOICE, _OTHER_CHOICE, _IGNORABLE)


@dataclass
class _Block:
    """A paragraph (or a shared string, a comment …) being read: its pieces in order."""

    pieces: list[_Piece] = field(default_factory=list)
    right_to_left: bool | None = None  # as the paragraph says (`<w:bidi/>`), else as its style says
    style: str | None = None  # its paragraph style (w:pStyle), None for the document's default
    styled_right_to_left: bool = False
    styled_list: tuple[str, str] = ("", "")  # the list (numId, ilvl) its paragraph style numbers it in
    list_id: str | None = None  # as the paragraph's own numPr says, over its style's
    list_level: str | None = None
    # Ruby guide texts (拼音指南), drawn above the line: those of rubies one after another as one text
    guides: list[str] = field(default_factory=list)
    ruby_end: int = -1  # how many pieces the block had as its last ruby ended

    def add(self, text: str, revision: str, hidden: bool, kind: str = "", stored: str | None = None,
            raised: bool = False, branch: int = 0) -> None:
        self.pieces.append(_Piece(text, revision, hidden, kind, stored, raised, branch))
        if kind == "guide" and self.guides and not hidden and revision != "del":
            self.guides[-1] += text

    def open_ruby(self) -> None:
        if self.ruby_end != len(self.pieces) or not self.guides:  # text between: a guide text of its own
            self.guides.append("")

    def close_ruby(self) -> None:
        self.ruby_end = len(self.pieces)

    def drawn(self) -> list[_Piece]:
        """The pieces Word draws in the line: not deleted, hidden, a field's code or a ruby's guide text."""
        return [piece for piece in self.pieces
                if piece.revision != "del" and not piece.hidden and piece.kind not in ("instruction", "replaced", "guide")]

    def listed_flush(self, levels: _FlushLevels) -> bool:
        """Whether its list number is drawn touching its text (`_flush_levels`) and the text begins with a digit."""
        number = self.list_id if self.list_id is not None else self.styled_list[0]
        level = self.list_level if self.list_level is not None else self.styled_list[1] or "0"
        return (number, level) in levels and "".join(piece.text for piece in self.drawn()).lstrip()[:1].isdigit()

    def lines(self) -> Iterator[tuple[str, str]]:
        # Drawn, not stored: a SYMBOL field's character, a direction's controls, an inline shape's text
        stored = [(piece.text if piece.stored is None else piece.stored, piece.revision)
                  for piece in self.pieces if piece.kind not in ("symbol", "control", "inline")]
        final = "".join(text for text, revision in stored if revision != "del")
        before = "".join(text for text, revision in stored if revision != "ins")
        drawn = self.drawn()
        visible = "".join(piece.text for piece in drawn)
        yield "block", final
        for guide in self.guides:
            if guide.strip():
                yield "guide", guide
        if before != final:
            yield "before", before
        if visible != final:
            yield "shown", visible
        if computed_beside_digits(drawn):
            yield "computed", visible
        if any(piece.kind == "recomputed" for piece in self.pieces):
            yield "recomputed", visible
        rtl = self.styled_right_to_left if self.right_to_left is None else self.right_to_left
        if rtl and (reordered := _drawn_right_to_left(visible)) != visible:
            yield "rtl", reordered
        if (noted := _notes_read_past(drawn)) != visible:
            yield "noted", noted
        if any(piece.branch for piece in drawn):
            yield from _alternatives(drawn, visible)


def _alternatives(drawn: list[_Piece], visible: str) -> Iterator[tuple[str, str]]:
    """("branch", text) for the block as each application draws it: Word the first alternative it understands (every
    Office version since 2010 the first), an older or another one the fallback, and neither the content of a namespace
    it may ignore. Joined, `139` + a choice of `12345678` + a fallback of `9` read as 12 digits."""
    seen = {visible}
    for dropped in (_OTHER_CHOICE, _FIRST_CHOICE, _OTHER_CHOICE | _IGNORABLE, _FIRST_CHOICE | _IGNORABLE):
        text = "".join(piece.text for piece in drawn if not piece.branch & dropped)
        if text not in seen:
            seen.add(text)
            yield "branch", text


_FIRST_CHOICE, _OTHER_CHOICE, _IGNORABLE = 1, 2, 4
_COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"


class _Compatibility:
    """Where a text stands in markup compatibility (ECMA-376 Part 3): inside an `mc:AlternateContent`'s first `Choice`,
    another choice or its `Fallback` (an application draws one of them), or inside an element of a namespace a part
    says may be ignored (`mc:Ignorable`: an application that does not know it drops the element with its text)."""

    def __init__(self) -> None:
        self.open: list[int] = []  # the alternatives open: how many choices each has seen
        self.within: list[int] = []  # per open element that sets a branch, the branch it set
        self.ignorable: set[str] = set()
        self.branch = 0
        self._counts = {_FIRST_CHOICE: 0, _OTHER_CHOICE: 0, _IGNORABLE: 0}

    def see(self, event: str, name: str, namespace: str, element: Any) -> None:
        if event == "start":
            declared = element.get(f"{{{_COMPATIBILITY}}}Ignorable")
            if declared:
                self.ignorable.update(uri for prefix in declared.split() if (uri := element.nsmap.get(prefix)))
            sets = 0
            if namespace == _COMPATIBILITY and name == "AlternateContent":
                self.open.append(0)
            elif namespace == _COMPATIBILITY and name in ("Choice", "Fallback") and self.open:
                sets = _FIRST_CHOICE if name == "Choice" and self.open[-1] == 0 else _OTHER_CHOICE
                self.open[-1] += 1
            elif namespace in self.ignorable:
                sets = _IGNORABLE
            self.within.append(sets)
            if sets:
                self._counts[sets] += 1
        elif self.within:
            sets = self.within.pop()
            if sets:
                self._counts[sets] -= 1
            if namespace == _COMPATIBILITY and name == "AlternateContent" and self.open:
                self.open.pop()
        self.branch = sum(flag for flag, count in self._counts.items() if count)


_VML = "urn:schemas-microsoft-com:vml"
_WORD_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_VML_SHAPES = frozenset(("shape", "rect", "roundrect", "oval", "line", "polyline", "curve", "arc", "image", "group"))
_ABSOLUTE = re.compile(r"(?i)position\s*:\s*absolute")
# A bidirectional override (w:bdo) or embedding (w:dir) right to left, as the Unicode controls it stands for (RLO,
# RLE; PDF at its end), which the scans reorder as they do those written in the text
_DIRECTIONS = {("bdo", "rtl"): "\u202e", ("dir", "rtl"): "\u202b"}
_POP_DIRECTION = "\u202c"


@dataclass
class _Shape:
    """A drawing or VML shape open in a paragraph: whether Word draws it in the line like a character, how many blocks
    are open around it (its paragraph's depth), and its run's revision and hiddenness."""

    inline: bool
    depth: int
    revision: str
    hidden: bool
    spliced: bool = False  # a text of it was read into its paragraph's line already


class _Layout:
    """What Word draws in a paragraph otherwise than it stores it: a ruby's guide text (`w:rt`; a spreadsheet string's
    phonetic guide, `rPh`) above the line, not in it; runs a bidirectional override or embedding (`w:bdo`, `w:dir`)
    draws right to left; the text of a shape drawn in the line like a character (`wp:inline`, a VML shape not placed
    absolutely: its text box's paragraphs, its WordArt string) in its place in the line. 联系电话 + an inline box of
    1391234 + 5678 shows 联系电话13912345678."""

    def __init__(self) -> None:
        self.guide = 0  # ruby guide texts open
        self.directions: list[bool] = []  # for each bdo or dir open, whether a control was read for it
        self.shapes: list[_Shape] = []
        self.fallback = 0  # mc:Fallback branches open: Word draws their mc:Choice, whose shapes are read in the line

    def kind(self) -> str:
        """The kind of a text read here: a ruby's guide text, or "" for one in the line."""
        return "guide" if self.guide else ""

    def see(self, event: str, name: str, namespace: str, element: Any, stack: list[_Block], revision: str,
            hidden: bool) -> None:
        start = event == "start"
        if namespace == _WORD and name == "rt" and _under(element, "ruby"):
            self.guide += 1 if start else -1
        elif namespace == _WORD and name == "ruby" and start:
            stack[-1].open_ruby()
        elif namespace == _WORD and name == "ruby":
            stack[-1].close_ruby()
        elif name == "rPh":  # a spreadsheet string's phonetic guide: shown above the cell, if at all, never in it
            self.guide += 1 if start else -1
            if start:
                stack[-1].open_ruby()
            else:
                stack[-1].close_ruby()
        elif namespace == _WORD and name in ("bdo", "dir") and start:
            control = _DIRECTIONS.get((name, _attribute(element, "val").lower()), "")
            self.directions.append(bool(control))
            if control:
                stack[-1].add(control, revision, False, "control")
        elif namespace == _WORD and name in ("bdo", "dir") and self.directions and self.directions.pop():
            stack[-1].add(_POP_DIRECTION, revision, False, "control")
        elif namespace == _COMPATIBILITY and name == "Fallback":
            self.fallback += 1 if start else -1
        elif (namespace == _WORD_DRAWING and name in ("inline", "anchor")) or (namespace == _VML and name in _VML_SHAPES):
            if not start:
                if self.shapes:
                    self.shapes.pop()
                return
            # A group's member is placed as its group is
            outer = self.shapes[-1] if self.shapes and self.shapes[-1].depth == len(stack) else None
            inline = outer.inline if outer else name == "inline" if namespace == _WORD_DRAWING else not _ABSOLUTE.search(
                _attribute(element, "style"))
            self.shapes.append(_Shape(inline and not self.fallback, len(stack), revision, hidden))
        elif namespace == _VML and name == "textpath" and start and (text := _attribute(element, "string")):
            self.splice(stack[-1], len(stack), text)

    def closed(self, block: _Block, outer: _Block, depth: int) -> None:
        """A paragraph ended inside the paragraph `outer` (`depth` blocks open): read into its line where it stands if
        it is an inline shape's."""
        if self.inline(depth):
            self.splice(outer, depth, "".join(piece.text for piece in block.drawn()))

    def inline(self, depth: int) -> bool:
        """Whether the innermost shape open is drawn in the line of the paragraph `depth` blocks deep."""
        return bool(self.shapes) and self.shapes[-1].inline and self.shapes[-1].depth == depth

    def splice(self, block: _Block, depth: int, text: str) -> None:
        if not self.inline(depth):
            return
        shape = self.shapes[-1]
        block.add(("\n" if shape.spliced else "") + text, shape.revision, shape.hidden, "inline")  # a box's lines apart
        shape.spliced = True


def _notes_read_past(drawn: list[_Piece]) -> str:
    """The pieces' text without each stretch of raised or lowered runs that reads as a note (`note_like`), as the site's
    <sup> and <sub> are read past: 机¹密★, 台湾¹总统 and 139¹12345678 drawn so were read as written and passed; a raised
    piece that is no note (机¹密 with ★ raised) is kept."""
    out: list[str] = []
    for raised, group in itertools.groupby(drawn, key=lambda piece: piece.raised):
        text = "".join(piece.text for piece in group)
        out.append("" if raised and note_like(text) else text)
    return "".join(out)


_NOTE_LIKE_MARKS = frozenset("*†‡()[]")
_NOTE_LENGTH = 3


def note_like(text: str) -> bool:
    """Raised or lowered text a reader reads past as a note: up to `_NOTE_LENGTH` digits, Latin letters, note marks
    (① ⑴ ¹ …), asterisks, daggers and brackets."""
    from ..reader_text import notes_read_past

    bare = text.strip()
    return 0 < len(bare) <= _NOTE_LENGTH and all(
        char.isascii() and char.isalnum() or char in _NOTE_LIKE_MARKS or notes_read_past(char) is not None for char in bare)


_FIELD_DEPTH = 32


@dataclass
class _OpenField:
    """A field being read: its code so far, whether its result has begun (past `separate`), its paragraph."""

    code: str
    in_result: bool
    block: _Block
    recomputed: bool = False  # marked dirty: Word works its result out again as it opens the file
    judged: str | None = None  # `shown_as` once its code is whole (past `separate`): judged once, not for every run

    @property
    def shown_as(self) -> str:
        if not self.in_result:
            return field_kind(self.code, self.recomputed)
        if self.judged is None:
            self.judged = field_kind(self.code, self.recomputed)
        return self.judged


class _Fields:
    """The fields open in a paragraph: what part of a field a text is (its code, which no reader shows; a computed
    result), and a SYMBOL field's character, which LibreOffice and WPS draw in place of the stored result."""

    def __init__(self, updated_on_opening: bool = False) -> None:
        self.updated_on_opening = updated_on_opening  # every field is (Word asks, and a reader says yes)
        self.open: list[_OpenField] = []
        # Fields open past _FIELD_DEPTH are counted, not followed: all their text is read as code, which is not shown,
        # until each one's end (dropped, their code was read as the outer field's shown result and their end closed it).
        self.deeper = 0

    def kind(self, name: str) -> str:
        if not self.open:
            return ""
        if name == "instrText" or self.deeper or not self.open[-1].in_result:
            return "instruction"
        shown_as = self.open[-1].shown_as
        return "replaced" if shown_as == "symbol" else shown_as

    def see(self, event: str, name: str, element: Any, block: _Block, revision: str, hidden: bool) -> bool:
        """Follow a field's mark; True when a field opens past `_FIELD_DEPTH`."""
        opening = event == "start" and (name == "fldSimple" or
                                        (name == "fldChar" and _attribute(element, "fldCharType") == "begin"))
        closing = (name == "fldSimple" and event == "end") or (
            name == "fldChar" and event == "start" and _attribute(element, "fldCharType") == "end")
        if opening and len(self.open) >= _FIELD_DEPTH:
            self.deeper += 1
            return True
        if self.deeper:  # inside a field past the bound: only its end counts
            if closing:
                self.deeper -= 1
            return False
        if name == "instrText":
            if event == "end" and self.open and not self.open[-1].in_result:
                self.open[-1].code += element.text or ""
        elif name == "fldSimple" and opening:
            self.open.append(_OpenField(_attribute(element, "instr"), True, block, self.updated_on_opening or _dirty(element)))
        elif opening:
            self.open.append(_OpenField("", False, block, self.updated_on_opening or _dirty(element)))
        elif closing and self.open:
            self._close(block, revision, hidden)
        elif name == "fldChar" and event == "start" and _attribute(element, "fldCharType") == "separate" and self.open:
            self.open[-1].in_result = True
            if self.open[-1].shown_as == "recomputed":  # named where it begins: its result may end in another paragraph
                block.add("", revision, hidden, "recomputed")
        return False

    def _close(self, block: _Block, revision: str, hidden: bool) -> None:
        field_ = self.open.pop()
        shown_as = field_.shown_as
        if shown_as == "recomputed":  # wherever it began: a field across paragraphs shows its result where it ends
            block.add("", revision, hidden, "recomputed")
        elif field_.block is not block:  # a field across paragraphs: its parts were read where they stand
            return
        elif shown_as == "symbol":
            block.add(field_symbol(field_.code), revision, hidden, "symbol")
        elif shown_as == "computed":
            block.add("", revision, hidden, "computed")  # a field without a stored result still shows one


class _Run:
    """Whether a run's text is hidden from the reader: hidden text (Word's vanish, specVanish, webHidden) or a size too
    small to read (below 3 points; Word counts half-points, a workbook's rich text points); whether it is drawn in
    capitals (`w:caps`, `w:smallCaps`); the symbol font it is drawn in. Word takes each property from the run, else its
    character style, else its paragraph's style, else its table's style (`w:tblStyle`), else the document's defaults
    (`w:docDefaults`), each style with the styles it is based on; a font may be the theme's (`w:asciiTheme="minorHAnsi"`)."""

    def __init__(self, styles: _WordStyles | None = None, paragraph_style: str | None = None, table_style: str = "") -> None:
        self.styles = styles or _WordStyles()
        self.paragraph_style = self.styles.paragraph_default if paragraph_style is None else paragraph_style
        self.table_style = table_style
        self.character_style = self.styles.character_default
        self.vanish: bool | None = None  # as the run says, else as its styles say
        self.caps: bool | None = None
        self.fonts: dict[str, str] = {}  # the run's own fonts by script ("ascii" …; a theme's "@minor")
        self.other = self.narrow = self.raised = False
        self.tiny: bool | None = None  # drawn too small to read (w:sz), None: as its styles say
        self.colour: str | None = None  # its text's colour ("RRGGBB", "" automatic), None: as its styles say
        self.behind: str | None = None  # its highlight's or shading's colour, None: as its styles say

    def inherited(self, what: str) -> Any:
        """A property as the run's character style, its paragraph's style or the document's defaults give it."""
        for source in (self.styles.runs.get(self.character_style), self.styles.runs.get(self.paragraph_style),
                       self.styles.runs.get(self.table_style), self.styles.defaults):
            if source and what in source:
                return source[what]
        return None

    @property
    def hidden(self) -> bool:
        tiny = self.inherited("tiny") if self.tiny is None else self.tiny
        return bool(self.inherited("vanish") if self.vanish is None else self.vanish) or self.other or bool(tiny) or self.narrow

    @property
    def symbol_font(self) -> str | None:
        """A symbol font it is drawn in (Wingdings …: « is drawn as ★), for any of its scripts: over-reading a code as a
        picture only ever adds a reading."""
        for slot in _FONT_SLOTS:
            font = self.fonts.get(slot) or self.inherited(slot)
            if font and (table := self.styles.symbol_font(font)):
                return table
        return next((table for font in self.fonts.values() if (table := self.styles.symbol_font(font))), None)

    @property
    def blank(self) -> bool:
        """Whether it is drawn in the colour behind it (its highlight's, its shading's, else the page's): white on the
        white page. The reader sees a gap there, not its text."""
        colour = self.inherited("colour") if self.colour is None else self.colour
        behind = self.inherited("behind") if self.behind is None else self.behind
        return bool(colour) and colour == (behind or self.styles.page)

    def shown(self, text: str) -> str:
        """`text` as the run draws it: a blank where it is drawn in the colour behind it."""
        if self.blank and text:
            return " "
        text = text.upper() if (self.inherited("caps") if self.caps is None else self.caps) else text
        return symbol_fonts.drawn(text, self.symbol_font)

    def see(self, name: str, element: Any) -> None:
        if name in _DRAWN_COLOURS and (_under(element, "solidFill", "rPr", "r") or _under(element, "highlight", "rPr", "r")):
            colour = _colour_of(name, element)  # DrawingML's: a:solidFill (the text's) or a:highlight holds it
            if local(element.getparent().tag) == "solidFill":
                self.colour = colour
            else:
                self.behind = colour
            return
        if name not in _RUN_PROPERTIES or not _under(element, "rPr", "r"):
            return
        if name == "vanish":
            self.vanish = _switched_on(element)
        elif name in ("caps", "smallCaps"):
            self.caps = bool(self.caps) or _switched_on(element)
        elif name == "rStyle":
            self.character_style = _attribute(element, "val")
        elif name == "sz":
            self.tiny = _tiny(element)
        elif name == "w":  # Word's horizontal scale, in per cent: at 1 % a character is a hairline
            self.narrow = int_or(_attribute(element, "val").rstrip("%"), 100) < _NARROWEST
        elif name == "vertAlign":  # Word's w:vertAlign and a workbook's rich-text run alike
            self.raised = _attribute(element, "val") in ("superscript", "subscript")
        elif name == "position":  # raised or lowered by half-points
            self.raised = int_or(_attribute(element, "val"), 0) != 0
        elif name in _FONTS:
            self.fonts.update(_fonts_of(name, element))
        elif name in _COLOURS:
            self.colour = _colour_of(name, element)
        elif name in _BEHIND:
            self.behind = _colour_of(name, element)
        else:
            self.other = self.other or _switched_on(element)


def _fonts_of(name: str, element: Any) -> dict[str, str]:
    """The fonts a font element names, by script: Word's w:rFonts (a theme's font, `w:asciiTheme="minorHAnsi"`, as
    "@minor", over the font named beside it), a workbook's rFont, DrawingML's a:latin …"""
    if name != "rFonts":  # DrawingML's theme fonts: +mn-lt, +mj-ea …
        return {f"{name}:{key}": _THEME_FONT.get(value[:4], value) for key in _FONTS[name] if (value := _attribute(element, key))}
    fonts = {}
    for slot in _FONT_SLOTS:
        theme = _attribute(element, "cstheme" if slot == "cs" else f"{slot}Theme")
        font = f"@{theme[:5].lower()}" if theme else _attribute(element, slot)
        if font:
            fonts[slot] = font
    return fonts


_FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_FONT = {"+mn-": "@minor", "+mj-": "@major"}
# A run's fonts: Word's w:rFonts (each script's), a workbook's rich-text rFont, DrawingML's a:latin, a:ea, a:cs, a:sym
_FONTS = {"rFonts": ("ascii", "hAnsi", "eastAsia", "cs"), "rFont": ("val",), "latin": ("typeface",),
          "ea": ("typeface",), "cs": ("typeface",), "sym": ("typeface",)}
_COLOURS = frozenset(("color",))  # a run's text colour: Word's w:color, a workbook's color
_DRAWN_COLOURS = frozenset(("srgbClr", "schemeClr"))  # DrawingML's colours (in a run's a:solidFill or a:highlight)
_BEHIND = frozenset(("highlight", "shd"))  # what is drawn behind a run's text: Word's highlight and shading
_NARROWEST = 20  # per cent of a character's width: text scaled narrower is no text a reader reads
_RUN_PROPERTIES = frozenset(("vanish", "specVanish", "webHidden", "rStyle", "sz", "w", "caps", "smallCaps", "vertAlign", "position",
                             *_FONTS, *_COLOURS, *_BEHIND))
# Colours by name: Word's highlights (ST_HighlightColor), the theme's light colours (white in every theme Office ships)
# and dark ones by their names in Word (w:themeColor), DrawingML (a:schemeClr) and a workbook (its `theme` index,
# 0 and 1 swapped), and a workbook's indexed colours 0-9.
_NAMED_COLOURS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF", "red": "FF0000",
    "yellow": "FFFF00", "white": "FFFFFF", "darkblue": "000080", "darkcyan": "008080", "darkgreen": "008000",
    "darkmagenta": "800080", "darkred": "800000", "darkyellow": "808000", "darkgray": "808080", "lightgray": "C0C0C0",
    "background1": "FFFFFF", "light1": "FFFFFF", "bg1": "FFFFFF", "lt1": "FFFFFF", "text1": "000000", "dark1": "000000",
    "tx1": "000000", "dk1": "000000"}
_THEME_INDEX = {"0": "FFFFFF", "1": "000000"}
_INDEXED = {"0": "000000", "1": "FFFFFF", "8": "000000", "9": "FFFFFF"}
_HEX_COLOUR = re.compile(r"(?:[0-9A-Fa-f]{2})?([0-9A-Fa-f]{6})")


def _colour_of(name: str, element: Any) -> str:
    """The colour a run property gives ("RRGGBB"), "" for automatic, none or one not known here. Word's w:color
    (its theme colour over its value), w:highlight, w:shd's fill; a workbook's color (rgb "AARRGGBB", theme, indexed);
    DrawingML's a:srgbClr and a:schemeClr."""
    if name == "schemeClr":
        return _NAMED_COLOURS.get(_attribute(element, "val").lower(), "")
    if (theme := _attribute(element, "themeColor")) and theme.lower() != "none":
        if _attribute(element, "themeShade") or _attribute(element, "themeTint"):  # the theme's colour darker or lighter
            return ""
        return _NAMED_COLOURS.get(theme.lower(), "")
    if name == "color" and not str(element.tag).startswith("{" + _WORD):  # a workbook's
        if (index := element.get("theme")) is not None:
            return _THEME_INDEX.get(index, "")
        if (index := element.get("indexed")) is not None:
            return _INDEXED.get(index, "")
        value = element.get("rgb") or ""
    elif name == "highlight":
        return _NAMED_COLOURS.get(_attribute(element, "val").lower(), "")
    else:
        value = _attribute(element, {"shd": "fill", "background": "color"}.get(name, "val"))
    found = _HEX_COLOUR.fullmatch(value)
    return found[1].upper() if found else ""


@dataclass
class _WordStyles:
    """A Word document's styles as they bear on what is drawn: each style's run properties (hidden, capitals, fonts),
    its own and those of the styles it is based on; the document's default run properties and default paragraph and
    character styles; the theme's fonts; the paragraph styles that set a right-to-left direction."""

    right_to_left: frozenset[str] = frozenset()
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)  # style → its run properties ("vanish", "caps", fonts)
    defaults: dict[str, Any] = field(default_factory=dict)  # the document's (w:docDefaults)
    paragraph_default: str = ""
    character_default: str = ""
    theme: dict[str, str] = field(default_factory=dict)  # "@major", "@minor" → a symbol font's table among its fonts
    updates_fields: bool = False  # the settings have Word update every field as it opens the file (w:updateFields)
    numbering: dict[str, tuple[str, str]] = field(default_factory=dict)  # paragraph style → the list (numId, ilvl) it gives
    flush_levels: _FlushLevels = field(default_factory=lambda: _FlushLevels())  # list levels whose number touches the text
    drawing: _DrawingLevels = field(default_factory=lambda: _DrawingLevels())  # a presentation's masters' and layouts'
    page: str = "FFFFFF"  # the page's colour (w:background), behind text without a highlight or shading of its own

    def symbol_font(self, font: str) -> str | None:
        return self.theme.get(font) if font.startswith("@") else symbol_fonts.symbol_font(font)


_DEFAULTS = "\0defaults"  # where the document's default run properties are gathered as a style's


def _word_styles(part: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: Reading,
                 theme: str = "") -> _WordStyles:
    """The styles of `part` (the document's styles): each style's run properties (`_WordStyles`), themselves or by the
    style they are based on; `theme` the theme part its fonts are read from."""
    info = names.get(part)
    if info is None:
        return _WordStyles(theme=_theme_fonts(theme, archive, names, reading))
    based: dict[str, str] = {}
    own: dict[tuple[str, str], Any] = {}  # (style, property) → its value, as the style itself says
    listed: dict[tuple[str, str], str] = {}  # (style, "numId" or "ilvl") → its value, as the style itself says
    defaults = {"paragraph": "", "character": ""}
    style = ""
    for event, element in xml_events(archive, info, reading):
        name = local(element.tag)
        if event != "start":
            continue
        if name == "style":
            style = _attribute(element, "styleId")
            kind = _attribute(element, "type") or "paragraph"
            if _switched_on_value(_attribute(element, "default")) and kind in defaults and not defaults[kind]:
                defaults[kind] = style
        elif name == "rPrDefault":
            style = _DEFAULTS
        elif name == "basedOn" and _under(element, "style"):
            based[style] = _attribute(element, "val")
        elif name == "vanish" and _run_properties(element) or name == "bidi" and _under(element, "pPr", "style"):
            own[(style, name)] = _switched_on(element)
        elif name in ("caps", "smallCaps") and _run_properties(element):
            own[(style, "caps")] = own.get((style, "caps"), False) or _switched_on(element)
        elif name == "rFonts" and _run_properties(element):
            own.update({(style, slot): font for slot, font in _fonts_of(name, element).items()})
        elif name == "sz" and _run_properties(element):
            own[(style, "tiny")] = _tiny(element)
        elif name in _COLOURS and _run_properties(element):
            own[(style, "colour")] = _colour_of(name, element)
        elif name in _BEHIND and _run_properties(element):
            own[(style, "behind")] = _colour_of(name, element)
        elif name in ("numId", "ilvl") and _under(element, "numPr", "pPr", "style"):
            listed[(style, name)] = _attribute(element, "val")

    def resolved(style: str, what: str) -> Any:
        chain: list[str] = []
        while (style, what) not in own and style in based and len(chain) < _STYLE_DEPTH:  # a loop ends here
            chain.append(style)
            style = based[style]
        value = own.get((style, what))
        for name in chain:  # each style of the chain is worked out once
            own[(name, what)] = value
        return value

    def inherited(style: str, what: str) -> str:
        for _ in range(_STYLE_DEPTH):
            if (style, what) in listed or style not in based:
                break
            style = based[style]
        return listed.get((style, what), "")

    styles = ({style for style, _ in own} | set(based)) - {_DEFAULTS}
    runs = {}
    for name in styles:
        properties = {what: value for what in _STYLED if (value := resolved(name, what)) is not None}
        if properties:
            runs[name] = properties
    numbered = {style for style, _ in listed} | set(based)
    return _WordStyles(frozenset(name for name in styles if resolved(name, "bidi")), runs,
                       {what: value for (style, what), value in own.items() if style == _DEFAULTS},
                       defaults["paragraph"], defaults["character"], _theme_fonts(theme, archive, names, reading),
                       numbering={name: (inherited(name, "numId"), inherited(name, "ilvl")) for name in numbered})


_STYLED = ("vanish", "caps", "tiny", "colour", "behind", *_FONT_SLOTS)  # the run properties followed through styles


def _run_properties(element: Any) -> bool:
    """Whether a style's element is one of its run properties (a style's or the document's defaults')."""
    return _under(element, "rPr", "style") or _under(element, "rPr", "rPrDefault")


def _switched_on_value(value: str) -> bool:
    return value.lower() in ("1", "true", "on")


def _theme_fonts(part: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: Reading) -> dict[str, str]:
    """A theme's major and minor fonts ("@major", "@minor") → the table of a symbol font among their scripts' fonts."""
    info = names.get(part) if part else None
    fonts: dict[str, str] = {}
    for event, element in xml_events(archive, info, reading) if info is not None else ():
        name = local(element.tag)
        if event == "start" and name in ("latin", "ea", "cs", "font") and (
                _under(element, "majorFont") or _under(element, "minorFont")):
            scheme = "@major" if _under(element, "majorFont") else "@minor"
            table = symbol_fonts.symbol_font(_attribute(element, "typeface"))
            if table and scheme not in fonts:  # any script's: over-reading only adds a reading
                fonts[scheme] = table
    return fonts


_STYLE_DEPTH = 20
_THEME_PART = re.compile(r"(?i)(?:^|/)theme/theme\d*\.xml$")
_DRAWN_LEVELS = 1_000  # level texts in a symbol font read as drawn (a list has nine levels)
# The number formats that draw digits (Arabic, full-width, circled …; a format of its own), and a level's text ending in
# a level's number: with nothing or a space after it, the number touches the paragraph's text
_DIGIT_FORMATS = re.compile(r"^(?:decimal\w*|ordinal|custom|)$")
_ENDS_IN_NUMBER = re.compile(r"%[1-9]\s*$")


def _flush_levels(part: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: Reading) -> _FlushLevels:
    """The list levels (numId, ilvl) of `part` (the document's numbering) whose number Word draws touching the text:
    followed by nothing or a space (`w:suff`; a tab is the default), its text ending in a number in digits. A level
    starting at 139 followed by nothing shows 13912345678 before the paragraph 12345678."""
    info = names.get(part)
    if info is None:
        return _FlushLevels()
    flush: dict[tuple[str, str, str], bool] = {}  # ("abstract" or "num", its id, ilvl) → whether its number touches
    abstract: dict[str, str] = {}  # numId → abstractNumId
    drawn: list[str] = []  # level texts drawn in a symbol font, as drawn
    owner = ("", "")
    level: dict[str, str] = {}
    for event, element in xml_events(archive, info, reading):
        name = local(element.tag)
        if event == "end":
            if name == "lvl" and level:
                if (table := level.get("font")) and (text := level.get("lvlText", "")) and \
                        (looks := symbol_fonts.drawn(text, table)) != text and len(drawn) < _DRAWN_LEVELS:
                    drawn.append(looks)
                flush[(*owner, level["ilvl"])] = (
                    level.get("suff", "tab") in ("nothing", "space") and bool(_ENDS_IN_NUMBER.search(level.get("lvlText", "")))
                    and bool(_DIGIT_FORMATS.match(level.get("numFmt", ""))))
                level = {}
            continue
        if name == "abstractNum":
            owner = ("abstract", _attribute(element, "abstractNumId"))
        elif name == "num":
            owner = ("num", _attribute(element, "numId"))
        elif name == "abstractNumId" and _under(element, "num"):
            abstract[owner[1]] = _attribute(element, "val")
        elif name == "lvl":
            level = {"ilvl": _attribute(element, "ilvl") or "0"}
        elif name in ("suff", "lvlText", "numFmt") and level and _under(element, "lvl"):
            level[name] = _attribute(element, "val")
        elif name == "isLgl" and level and _switched_on(element):  # Arabic digits whatever the format
            level["numFmt"] = "decimal"
        elif name == "rFonts" and level and _under(element, "rPr", "lvl") and "font" not in level:
            level["font"] = next((table for font in _fonts_of(name, element).values()
                                  if (table := symbol_fonts.symbol_font(font))), "")
    return _FlushLevels(abstract, frozenset((source, ilvl) for (kind, source, ilvl), touches in flush.items()
                                            if kind == "abstract" and touches),
                        {(number, ilvl): touches for (kind, number, ilvl), touches in flush.items() if kind == "num"},
                        tuple(drawn))


@dataclass(frozen=True)
class _FlushLevels:
    """The list levels whose number Word draws touching the paragraph's text (`_flush_levels`)."""

    abstract: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    flush: frozenset[tuple[str, str]] = frozenset()  # (abstractNumId, ilvl)
    overridden: dict[tuple[str, str], bool] = field(default_factory=dict)  # (numId, ilvl) → a list's own level's
    drawn: tuple[str, ...] = ()  # the level texts drawn in a symbol font (w:lvl's w:rPr), as drawn before each item

    def __contains__(self, level: tuple[str, str]) -> bool:
        number, ilvl = level
        if level in self.overridden:
            return self.overridden[level]
        return number in self.abstract and (self.abstract[number], ilvl) in self.flush


def _tiny(element: Any) -> bool:
    size = _number(_attribute(element, "val"))
    half_points = str(element.tag).startswith("{" + _WORD)
    return size is not None and size < (_SMALLEST * 2 if half_points else _SMALLEST)


def _under(element: Any, *names: str) -> bool:
    """Whether the element's parent, grandparent … have these local names."""
    for name in names:
        element = element.getparent()
        if element is None or local(element.tag) != name:
            return False
    return True


_HIDING = frozenset(("vanish", "specVanish", "webHidden"))
_SMALLEST = 3  # points: text drawn smaller is no text a reader reads
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _dirty(element: Any) -> bool:
    """Whether a field is marked for Word to work its result out again as the file opens (`w:dirty`)."""
    return _attribute(element, "dirty").lower() in ("1", "true", "on")


def _switched_on(element: Any) -> bool:
    """A Word on/off property: on unless its val says off."""
    return _attribute(element, "val").lower() not in ("0", "false", "off")


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _drawn_right_to_left(text: str) -> str:
    """A paragraph with a right-to-left base direction (`<w:bidi/>`) as Unicode's algorithm draws it: `5678 1234 139`
    shows as 139 1234 5678."""
    from bidi import get_display

    return str(get_display(_SURROGATE.sub("\u200b", text), base_dir="R"))


def _without_number(name: str) -> str:
    """`sheet12.xml` → `sheet`; a name not ending in .xml as it is. By hand: `\\d*\\.xml$` tries every digit of a
    long run at each of its positions, and a part's name is the file's to choose (a run of 26,000 digits: seconds)."""
    if not name.endswith(".xml"):
        return name
    end = len(name) - len(".xml")
    while end and name[end - 1].isdecimal():
        end -= 1
    return name[:end]


def _part_label(path: str, kinds: dict[str, str]) -> str:
    name = posixpath.basename(path)
    if name.endswith(".rels"):
        return "链接和引用的地址"
    base = _without_number(name)
    labels = {
        "document": "正文", "comments": "批注", "commentsExtended": "批注", "commentsExtensible": "批注",
        "footnotes": "脚注", "endnotes": "尾注", "core": "文档属性", "app": "文档属性", "custom": "自定义属性",
        "sharedStrings": "共享字符串", "workbook": "工作簿（工作表名称、定义的名称）", "chart": "图表",
        "drawing": "绘图中的文字", "threadedComment": "批注", "person": "批注作者",
        "pivotCacheRecords": "数据透视表缓存", "pivotCacheDefinition": "数据透视表缓存", "externalLink": "外部链接缓存",
        "Content": "页面内容", "Document": "文档信息", "OFD": "文档属性", "Annotation": "批注", "Annotations": "批注",
        "Attachments": "附件列表", "CustomTags": "自定义标引",
        "styles": "样式", "stylesWithEffects": "样式", "numbering": "项目编号格式（显示在列表各项之前）",
        "settings": "文档设置（含文档变量）", "webSettings": "网页设置", "theme": "主题", "fontTable": "字体表",
        "vbaData": "宏数据",
    }
    if name.endswith(".rels"):
        return "链接和引用的地址"
    if base in ("header", "footer"):
        kind = {"first": "首页", "even": "偶数页", "default": "奇数页及默认"}.get(kinds.get(path, ""), "")
        return ("页眉" if base == "header" else "页脚") + (f"（{kind}）" if kind else "")
    return labels.get(base, "文件内部部件")


# What holds no text at all, by content type and by the type of every relationship that reaches the part (never by
# its name: Word finds the main document by relationship and type, and one named `word/calcChain.xml`, `document.ttf`
# or `itemProps1.xml` went unread): calculation chains, custom XML properties, printer settings, fonts. Styles, list
# numbering, settings, themes and font tables are read: their names show in Word's menus, a list level's text
# (`<w:lvlText w:val="第%1条"/>`) is drawn before each item, settings keep document variables.
_TEXTLESS_TYPES = frozenset((
    "application/vnd.openxmlformats-officedocument.spreadsheetml.calcchain+xml",
    "application/vnd.openxmlformats-officedocument.customxmlproperties+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.printersettings",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.printersettings",
    "application/vnd.openxmlformats-officedocument.presentationml.printersettings",
    "application/vnd.openxmlformats-officedocument.obfuscatedfont", "application/x-fontdata", "application/x-font-ttf",
    "application/x-font-otf", "application/x-font-truetype", "application/x-font-opentype", "application/vnd.ms-opentype",
    "application/font-sfnt", "application/font-woff", "font/ttf", "font/otf", "font/sfnt", "font/collection", "font/woff",
    "font/woff2"))
_TEXTLESS_RELATIONSHIPS = frozenset(("calcchain", "customxmlprops", "printersettings", "font"))
# A font an OFD (a package without content types) carries: known by its first bytes, whatever its name.
_FONT_HEADS = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1", b"ttcf", b"wOFF", b"wOF2")
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.I)
_THUMBNAIL = re.compile(r"(?:^|/)thumbnail\.\w+$")


def read_office(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """DOCX or XLSX (or any OOXML): every XML part, embedded documents, images counted."""
    archive = open_zip(data)
    entries = [as_stored(data, info) for info in archive.infolist()]
    names = {info.filename: info for info in entries}  # of two entries of one name, the last (as zipfile reads them)
    # What the parts are read with: a damaged one is named, and the parts are read without it (its own text as a part).
    nothing: dict[str, str] = {}
    package = _prepared(partial(_package, prefix), archive, names, "[Content_Types].xml", prefix, reading, _Package())
    document, workbook = package.main("wordprocessingml", "word/document.xml"), package.main("spreadsheetml", "xl/workbook.xml")
    header_kinds = _prepared(partial(_header_kinds, document), archive, names, document, prefix, reading, nothing)
    sheets = _prepared(partial(_sheet_names, workbook), archive, names, workbook, prefix, reading, nothing)
    recalculated = _prepared(partial(_setting, workbook, "calcPr", _recalculates_on_open), archive, names, workbook, prefix,
                             reading, False)
    theme = package.related(document, "theme", "word/theme/theme1.xml")
    if theme not in names:  # a presentation's or a workbook's: its first (its masters' themes differ rarely)
        theme = next((path for path in sorted(names) if _THEME_PART.search(path)), "")
    word_styles = _prepared(partial(_word_styles, package.related(document, "styles", "word/styles.xml"),
                                    theme=theme), archive, names,
                            "word/styles.xml", prefix, reading, _WordStyles())
    settings = package.related(document, "settings", "word/settings.xml")
    # Word updates every field as it opens the file (it asks first)
    if _prepared(partial(_setting, settings, "updateFields", _switched_on), archive, names, settings, prefix, reading, False):
        word_styles = dataclasses.replace(word_styles, updates_fields=True)
    word_styles = dataclasses.replace(word_styles, drawing=_prepared(partial(_drawing_levels, package), archive, names,
                                                                     "ppt/presentation.xml", prefix, reading, _DrawingLevels()))
    numbering = package.related(document, "numbering", "word/numbering.xml")
    word_styles = dataclasses.replace(word_styles, flush_levels=_prepared(partial(_flush_levels, numbering), archive, names,
                                                                          numbering, prefix, reading, _FlushLevels()))
    reading.add(named(prefix, f"项目编号格式第 {{line}} 项{AS_SHOWN}"), "\n".join(word_styles.flush_levels.drawn))
    # Excel finds the shared strings by the workbook's relationship: any other part of that name is read as a part
    strings = package.related(workbook, "sharedstrings", "xl/sharedStrings.xml")
    shared: list[tuple[str, str]] | None = _prepared(partial(_shared_strings, strings, prefix), archive, names, strings, prefix,
                                                     reading, None)
    formats = _prepared(partial(_cell_formats, workbook, package.related(workbook, "styles", "xl/styles.xml"),
                                theme=word_styles.theme), archive,
                        names, "xl/styles.xml", prefix, reading, _Formats())
    images = []
    used_strings: set[int] = set()
    for path, info in sorted(names.items()):
        if info.is_dir() or package.textless(path, archive, info):
            continue
        if path.endswith(".rels"):
            _note_relationships(archive, info, prefix, reading)
        if path.endswith((".xml", ".rels")) or package.typed_xml(path):
            # the main part by its role, whatever it is named (a document named calcChain.xml is the 正文)
            where = named(prefix, _part_label({document: "document.xml", workbook: "workbook.xml"}.get(path, path),
                                              header_kinds))
            try:
                if path in sheets:
                    _sheet(archive, info, named(prefix, f"工作表“{sheets[path]}”"), shared or [], used_strings, formats,
                           reading, recalculated)
                elif path != strings or shared is None:
                    _part(archive, info, where, reading, word_styles)
            except (Refused, MemoryError):
                raise
            except Exception as exc:  # one damaged part: say which, read the others
                refuse_if_hostile(exc, f"{where}（{path}）")
                reading.skip(f"{where}（{path}）", f"无法解析（{type(exc).__name__}）")
        elif _IMAGE.search(path):
            if not _THUMBNAIL.search(path):  # the thumbnail pictures the first page, whose text is read
                images.append(path)
            # its text metadata (an SVG's texts) and anything appended to it, as a picture attached
            picture_texts(member_bytes(archive, info, reading), named(prefix, f"图片“{path}”："), reading, depth + 1)
        else:
            embedded = named(prefix, f"内嵌文件“{path}”")
            read(member_bytes(archive, info, reading), suffix_of(path), f"{embedded}：", reading, depth + 1)
    _read_namesakes(entries, names, archive, prefix, reading, word_styles)
    hidden = read_unlisted(data, archive, prefix, reading, depth)
    reading.add(named(prefix, "未列入文件目录的部件名称第 {line} 个"), "\n".join(hidden))
    unused = [text for index, (text, _) in enumerate(shared or []) if index not in used_strings]
    if unused:
        reading.add(named(prefix, "共享字符串中未被单元格使用的第 {line} 项"), "\n".join(unused))
    if images:
        reading.skip(named(prefix, f"{len(images)} 张图片（{'、'.join(images[:3])}{' 等' if len(images) > 3 else ''}）"),
                     "图片中的文字无法自动读取")


def _read_namesakes(entries: list[zipfile.ZipInfo], names: dict[str, zipfile.ZipInfo], archive: zipfile.ZipFile,
                    prefix: str, reading: Reading, styles: _WordStyles) -> None:
    """A package that lists two parts of one name (in any case, as OPC compares names) is damaged, and which one an
    application takes is its own: LibreOffice's repair keeps the first, zipfile and so the reading above the last. The
    others are read too (as plain XML), and the reviewer is told."""
    seen: dict[str, int] = {}
    for info in entries:
        seen[info.filename.lower()] = seen.get(info.filename.lower(), 0) + 1
        if names.get(info.filename) is not info and not info.is_dir():
            where = named(prefix, f"同名的另一个部件“{info.filename}”")
            try:
                _part(archive, info, where, reading, styles)
            except (Refused, MemoryError):
                raise
            except Exception as exc:
                refuse_if_hostile(exc, where)
                reading.skip(where, f"无法解析（{type(exc).__name__}）")
    twice = sorted(name for name, count in seen.items() if count > 1)
    if twice:
        reading.skip(named(prefix, f"部件“{twice[0]}”{' 等' if len(twice) > 1 else ''}"),
                     "文件中有同名的部件（文件已损坏），不同的程序打开时显示的可能是其中不同的一个；各个部件的文字都已读取，"
                     "请用常用的办公软件打开核对，最好重新保存后再附上")


_T = TypeVar("_T")


def _prepared(prepare: Callable[[zipfile.ZipFile, dict[str, zipfile.ZipInfo], Reading], _T], archive: zipfile.ZipFile,
              names: dict[str, zipfile.ZipInfo], part: str, prefix: str, reading: Reading, fallback: _T) -> _T:
    try:
        return prepare(archive, names, reading)
    except (Refused, MemoryError):
        raise
    except Exception as exc:
        refuse_if_hostile(exc, named(prefix, part))
        reading.skip(named(prefix, f"“{part}”或它引用的部件"), f"无法解析（{type(exc).__name__}），其余部件照常读取")
        return fallback


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, reading: Reading, styles: _WordStyles) -> None:
    """One XML part: Word paragraphs are numbered (段) and table rows named (表格、行); other parts by line. Readings
    as displayed follow their place's stored text, after all of a table row's cells (read across them as a row)."""
    tables: list[int] = []  # the outermost open table's number, once per open table
    counts = {"tbl": 0, "tr": 0, "p": 0}
    lines: list[str] = []
    label = where
    reaching = _Reaching(where, reading)
    chart = _ChartLabels()
    page_text = _OfdText()  # an OFD page's text as laid out
    shown: list[tuple[str, str]] = []  # readings as displayed of the current place, added when the place changes
    row = _TableRow()
    numbered = [False]  # whether a list's computed numbers were named already

    def counting(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
        for event, element in events:
            name = local(element.tag)
            reaching.see(event, name, element)
            chart.see(event, name, element)
            page_text.see(event, name, element)
            if name == "tbl" and event == "start":
                counts["tbl"] += 1
                tables.append(tables[0] if tables else counts["tbl"])
                counts["tr"] = counts["tr"] if len(tables) > 1 else 0
                row.right_to_left = row.right_to_left if len(tables) > 1 else False
            elif name == "tbl":
                tables.pop()
            elif name == "tr" and event == "start" and len(tables) == 1:
                counts["tr"] += 1
                row.cells = []
            elif name == "tr" and len(tables) == 1 and row.right_to_left:  # drawn from right to left
                text = "\t".join(" ".join(cell) for cell in row.cells[::-1])
                shown.append((f"{where}第 {tables[0]} 个表格第 {counts['tr']} 行{AS_SHOWN}", text))
            elif name == "tc" and event == "start" and len(tables) == 1:
                row.cells.append([])
            elif name == "bidiVisual" and event == "start" and len(tables) == 1 and _switched_on(element):
                row.right_to_left = _under(element, "tblPr", "tbl")
            elif name in ("lvlText", "start", "startOverride") and event == "start" and not numbered[0] and _computed_number(name, element):
                numbered[0] = True
                reading.skip(where, LIST_NUMBER_BESIDE_DIGITS)
            yield event, element

    for kind, text in _xml_lines(counting(xml_events(archive, info, reading)), styles):
        if kind == "block":
            place = f"{where}第 {tables[0]} 个表格第 {counts['tr']} 行" if tables else f"{where}第 {counts['p'] + 1} 段"
            if place != label:
                _add_all(reading, shown)
            label = place
            counts["p"] += 0 if tables else 1
            if tables and row.cells:
                row.cells[-1].append(text)
        elif kind == "before":
            reading.add(f"{label}（修订前的文字）", text)
            continue
        elif kind == "deep":
            reading.skip(where, f"域嵌套超过 {_FIELD_DEPTH} 层，更深的域没有读到底（其中的文字都按不显示的域代码读取），"
                                "显示出的文字无法确认")
            continue
        elif kind == "computed":
            reading.skip(label, COMPUTED_BESIDE_DIGITS)
            continue
        elif kind == "recomputed":
            reading.skip(label or where, RECOMPUTED)
            continue
        elif kind == "listed":
            reading.skip(label, "列表项的编号之后不是制表符（“编号之后”为“不特别标注”或“空格”），编号与以数字开头的文字连在一起"
                                "显示，显示出的数字无法预先读取（例如从 139 起编号、编号之后不特别标注的列表项“12345678”显示为"
                                "一个手机号码）；请把编号之后改为制表符，或核对显示出的文字")
            continue
        elif kind in ("shown", "rtl", "noted", "guide", "branch"):
            if kind == "shown" and tables and row.cells and row.cells[-1]:
                row.cells[-1][-1] = text
            shown.append((f"{label}{AS_SHOWN}", text))
            continue
        else:
            lines.append(text)
            continue
        reading.add(label, text)
    _add_all(reading, shown)
    reading.add(f"{where}第 {{line}} 项", "\n".join(lines))
    chart.add(where, reading)
    page_text.add(where, reading)


_BESIDE_PLACEHOLDER = re.compile(r"\d%[1-9]|%[1-9]\d")
_LARGEST_PLAIN_START = 999  # a list numbered from 1000 on draws four digits or more before each item


def _computed_number(name: str, element: Any) -> bool:
    """Whether a list level draws a number beside digits: its text writes a digit next to a level's number
    (`139%1`), or a level starts past `_LARGEST_PLAIN_START`."""
    value = _attribute(element, "val")
    if name == "lvlText":
        return bool(_BESIDE_PLACEHOLDER.search(value))
    return (_under(element, "lvl") or _under(element, "lvlOverride")) and int_or(value, 0) > _LARGEST_PLAIN_START


@dataclass
class _TableRow:
    """The cells of the outermost table's current row (their paragraphs' texts, as displayed), and whether the table
    is drawn from right to left (`<w:bidiVisual/>`)."""

    cells: list[list[str]] = field(default_factory=list)
    right_to_left: bool = False


def _add_all(reading: Reading, texts: list[tuple[str, str]]) -> None:
    for where, text in texts:
        reading.add(where, text)
    texts.clear()


class _ChartLabels:
    """A chart's numbers as its data labels and axes draw them: each cached value (`c:numCache`, `c:numLit`) under every
    number format that may apply to it (its point's and its cache's `formatCode`, which a label or an axis linked to
    the source uses; its point's, its series' and the chart's data labels' `c:numFmt`; the axes'), read as shown:
    12345678 labelled `"139"0` shows 13912345678. A format not worked out that may show digits, and an axis format
    writing digits into the tick values the program works out, are named."""

    def __init__(self) -> None:
        self.series = -1  # the series being read (its number in the part)
        self.label = -1  # the point the data label being read is for (`c:dLbl`'s `c:idx`)
        self.point, self.point_code, self.cache_code = -1, "", ""
        # (series, point) → the label formats given for it; -1 for a whole series, (-1, -1) for the whole chart
        self.codes: dict[tuple[int, int], set[str]] = {}
        self.values: list[tuple[int, int, str, str]] = []  # (series, point, value, its own format)
        self.unworked = False

    def see(self, event: str, name: str, element: Any) -> None:
        if name not in _CHART_ELEMENTS:
            return
        if event == "end":
            if name == "formatCode" and (_under(element, "numCache") or _under(element, "numLit")):
                self.cache_code = element.text or ""
            elif name == "v" and (_under(element, "pt", "numCache") or _under(element, "pt", "numLit")):
                self.values.append((self.series, self.point, (element.text or "").strip(), self.point_code or self.cache_code))
            return
        if name == "ser":
            self.series += 1
        elif name in ("numCache", "numLit"):
            self.cache_code = ""
        elif name == "pt":
            self.point, self.point_code = int_or(element.get("idx") or "", -1), element.get("formatCode") or ""
        elif name == "idx" and _under(element, "dLbl"):
            self.label = int_or(element.get("val") or "", -1)
        elif name == "numFmt":
            parent = element.getparent()
            within = local(parent.tag) if parent is not None else ""
            code = element.get("formatCode") or ""
            if within in ("valAx", "serAx") and writes_digits(code):  # its ticks are the program's to work out
                self.unworked = True
            in_series = _under(element, within, "dLbls", "ser") if within == "dLbl" else _under(element, within, "ser")
            if within in ("dLbl", "dLbls", "valAx", "catAx", "dateAx", "serAx"):
                point = self.label if within == "dLbl" else -1
                codes = self.codes.setdefault((self.series, point) if in_series else (-1, -1), set())
                if len(codes) < _CHART_FORMATS:
                    codes.add(code)
                else:  # past the bound the formats are not tried on every value
                    self.unworked = True

    def add(self, where: str, reading: Reading) -> None:
        lines: dict[str, None] = {}  # each text once, in order
        wide = self.codes.get((-1, -1), set())
        for series, point, value, own in self.values:
            for code in {own, *self.codes.get((series, point), ()), *self.codes.get((series, -1), ()), *wide} - {""}:
                looks = shown(value, code)
                if looks is None:
                    self.unworked = self.unworked or _may_matter(value, code)
                elif looks != _number_text(value):
                    lines[looks] = None
        reading.add(f"{where}数据标签和坐标轴第 {{line}} 项{AS_SHOWN}", "\n".join(lines))
        if self.unworked:
            reading.skip(where, "图表的数字格式带有数字或日期，无法自动换算成数据标签或坐标轴显示的文字（例如数字格式"
                                "“\"139\"0”把 12345678 显示为一个手机号码）")


_CHART_ELEMENTS = frozenset(("ser", "numCache", "numLit", "formatCode", "pt", "v", "idx", "numFmt"))
_CHART_FORMATS = 16  # label formats kept for one point, one series or the whole chart


class _Reaching:
    """What a part makes Word, Excel or an OFD reader fetch or run when the file is opened or its fields updated: a
    field code (DDE and DDEAUTO start a program; INCLUDEPICTURE, INCLUDETEXT, LINK and IMPORT fetch from an address),
    a workbook's external data connections (a web query, a database, a text file elsewhere), and an OFD action that
    opens an address as the document or a page opens (GB/T 33190 `Action Event="DO"`/`"PO"`)."""

    def __init__(self, where: str, reading: Reading) -> None:
        self.where, self.reading = where, reading
        # The fields open at this point, innermost last: each one's code as read so far, whether a field is nested in
        # it (Word computes the inner first and hands its result to the outer: an address written as a nested field),
        # and whether its code was judged (at its separate mark, or its end where it has none).
        self.fields: list[_FieldCode] = []
        self.action = ""  # the event of the OFD action being read (DO: the document opens, PO: a page opens)

    def see(self, event: str, name: str, element: Any) -> None:
        if event == "end":
            if name == "instrText" and self.fields and not self.fields[-1].judged:
                self.fields[-1].code.append(element.text or "")
            elif name == "Action":
                self.action = ""
            return
        if name == "Action":
            self.action = _attribute(element, "Event")
        elif name == "URI" and self.action in ("DO", "PO"):  # an OFD reader opens it by itself
            self.reading.loads(f"{self.where}中打开时自动访问网址的动作（地址在 {host_of(_attribute(element, 'URI'))}）")
        if name == "fldChar":
            kind = _attribute(element, "fldCharType")
            if kind == "begin":
                if self.fields:
                    self.fields[-1].nested = True
                self.fields.append(_FieldCode())
            elif self.fields:
                field = self.fields[-1]
                if not field.judged:
                    self._field("".join(field.code), field.nested)
                    field.judged = True
                if kind == "end":
                    self.fields.pop()
        elif name == "fldSimple":
            self._field(_attribute(element, "instr"))
        elif name in _CONNECTIONS:
            value = _attribute(element, _CONNECTIONS[name])
            if value:
                source = _DATA_SOURCE.search(value)
                self.reading.loads(f"{self.where}中的外部数据连接（地址在 {host_of(source[1] if source else value)}）")

    def _field(self, instruction: str, nested: bool = False) -> None:
        words = instruction.split()
        code = words[0].upper() if words else ""
        if code in ("DDE", "DDEAUTO"):
            self.reading.runs(f"{self.where}中的域代码 {code}（启动其他程序）")
        elif code in _FETCHING:  # the address: quoted or not, after LINK's class name (LINK Excel.Sheet.12 "…")
            remote = next((arg for arg in [*_QUOTED.findall(instruction), *words[1:]] if _REMOTE.match(arg)), None)
            if remote is not None:
                self.reading.loads(f"{self.where}中的域代码 {code}（地址在 {host_of(remote.strip())}）")
            elif nested:  # its address is a nested field's result, computed as the document opens
                self.reading.loads(f"{self.where}中的域代码 {code}（地址由其中嵌套的域算出，无法确认它不从外部加载）")


@dataclass
class _FieldCode:
    """A field's code between its begin and end marks (`_Reaching.fields`)."""

    code: list[str] = field(default_factory=list)
    nested: bool = False
    judged: bool = False


def _attribute(element: Any, name: str) -> str:
    """An attribute by its local name, whatever its namespace (w:instr, instr)."""
    return next((value for key, value in element.attrib.items() if local(key) == name), "")


_QUOTED = re.compile(r'"([^"]*)"')
_FETCHING = frozenset(("INCLUDEPICTURE", "INCLUDETEXT", "LINK", "IMPORT"))
_REMOTE = re.compile(r"(?i)\s*(?:[a-z][a-z0-9+.-]*://|\\\\|//|mhtml:)")
_CONNECTIONS = {"webPr": "url", "dbPr": "connection", "textPr": "sourceFile", "olapPr": "connection"}
_DATA_SOURCE = re.compile(r"(?i)data source\s*=\s*([^;]+)")


_HEADER_SECTION = re.compile(r"&[LCR]")  # left, centre and right: three texts
_HEADER_CODE = re.compile(r'&(?:"[^"\n]{0,64}"|K[0-9A-Fa-f]{6}|K\d\d[+-]\d{3}|\d{1,3}|[PNDTFAZGBIUESXYH&])')
_PAGE_BESIDE_DIGITS = re.compile(r"\d\0|\0[+-]?\d")


def _page_number(code: re.Match[str]) -> str:
    """A header's code as drawn here: the page number and count (&P, &N) as a mark, every other code as nothing."""
    return "\0" if code[0] in ("&P", "&N") else ""


_HEADER_PIECES = re.compile(f"({_HEADER_SECTION.pattern}|{_HEADER_CODE.pattern})")


def _header_fonts(text: str) -> str:
    """A header's or footer's text with what it writes in a symbol font (`&"Wingdings,常规"«`) read as that font draws
    it (★); its codes as they are. A section (&L, &C, &R) begins in the default font; `&"-,Bold"` keeps the font."""
    font: str | None = None
    out = []
    for number, piece in enumerate(_HEADER_PIECES.split(text)):
        if number % 2 == 0:
            out.append(symbol_fonts.drawn(piece, font))
            continue
        out.append(piece)
        if _HEADER_SECTION.fullmatch(piece):
            font = None
        elif piece.startswith('&"') and (name := piece[2:-1].split(",")[0].strip()) != "-":
            font = symbol_fonts.symbol_font(name)
    return "".join(out)


_HEADER_PARTS = {"oddHeader": "页眉（奇数页及默认）", "evenHeader": "页眉（偶数页）", "firstHeader": "页眉（首页）",
                 "oddFooter": "页脚（奇数页及默认）", "evenFooter": "页脚（偶数页）", "firstFooter": "页脚（首页）"}


def _sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, shared: list[tuple[str, str]], used: set[int],
           formats: _Formats, reading: Reading, recalculated: bool = False) -> None:
    """One worksheet: a line per row (cells by tab, then the formulas), headers and footers apart; and where it
    differs, the row as it is displayed (`_Display`). `recalculated`: the workbook has every formula computed again as
    it opens, whatever value the file stores."""
    rows: list[str] = []
    row_number = 0
    cells: list[str] = []
    formulas: list[str] = []
    display = _Display(formats)
    cell: list[str] = []
    visible: list[str] = []  # the cell's text without rich-text runs too small to read
    noted: list[str | None] = []  # its own rich text (None for a note) without raised or lowered runs that read as notes (`note_like`)
    run = _Run()
    cell_type = cell_style = cell_name = ""
    formula: str | None = None  # the cell's formula ("" when it shares another cell's), None when it has none
    cached = False  # whether the cell holds the value its formula last computed
    uncomputed: list[int] = []  # rows of formulas without a computed value whose result is not worked out here
    recomputed: list[int] = []  # rows of formulas computed again on opening whose result is not worked out here
    others: list[str] = []  # data validation lists, hyperlinks' texts, conditional formulas …
    conditional: list[str] = []  # the ranges of conditional formats whose number format writes digits
    for event, element in xml_events(archive, info, reading):
        name = local(element.tag)
        if event == "start":
            others.extend(unescape_xstring(value) for key, value in element.attrib.items()
                          if isinstance(value, str) and _telling(local(key), unescape_xstring(value)))
            if name == "cfRule" and int_or(element.get("dxfId") or "", -1) in formats.digits_by_condition:
                conditional.append(_attribute(element.getparent(), "sqref") if _under(element, "conditionalFormatting") else "")
            if name == "row":
                number = element.get("r") or ""
                row_number = int_or(number, row_number + 1)
                cells, formulas = [], []
                display.start_row(element)
            elif name == "c":
                cell_type, cell, visible, noted, formula, cached = element.get("t") or "", [], [], [], None, False
                cell_style, cell_name = element.get("s") or "", element.get("r") or ""
            else:
                display.see(name, element)
            run = _Run() if name == "r" else run
            run.see(name, element)
            continue
        text = unescape_xstring(element.text or "")
        if name == "v" and cell_type == "s" and (index := int_or(text, -1)) >= 0:
            used.add(index)
            stored, looks = shared[index] if index < len(shared) else ("", "")
            cell.append(stored)
            visible.append(looks)
        elif name == "v":
            cell.append(_number_text(text))
            visible.append(cell[-1])
            cached = bool(text) or cell_type == "str"  # a formula's empty text result is cached as t="str" and <v/>
        elif name == "t" and _under(element, "rPh"):  # a phonetic guide, above the cell if shown at all
            others.append(text)
        elif name == "t":
            cell.append(text)
            visible.append(("" if run.hidden else run.shown(text)) if _under(element, "r") else text)
            noted.append(None if run.raised and _under(element, "r") and note_like(text) else visible[-1])
        elif name == "f":
            formula = text
            if text:
                formulas.append("=" + text)
            if text and (joined := formula_shows(text)):
                formulas.append(joined)
            if calls_out(text):
                reading.formula(f"{where}第 {row_number} 行的公式")
        elif name == "c":
            if formula is not None and not cached:  # Excel and LibreOffice compute it as they open the file
                if (value := arithmetic(formula)) is not None:
                    cell.append(value)
                    visible.append(value)
                else:
                    uncomputed.append(row_number)
            elif formula:
                # Excel computes again, as it opens the file, a workbook another program or an older Excel calculated
                # last (its calcPr's calcId), and every one that says fullCalcOnLoad: the value shown may not be the one
                # stored. What is worked out here is read as well; the rest is named where the file says so.
                if (value := arithmetic(formula)) is not None:
                    if value != "".join(cell):
                        others.append(value)
                elif recalculated:
                    recomputed.append(row_number)
            cells.append("".join(cell))
            if None in noted:  # the cell without its notes
                others.append("".join(piece for piece in noted if piece is not None))
            display.cell(cell_name, cells[-1], "".join(visible), cell_type, cell_style, row_number)
        elif name == "row":
            rows.extend([""] * max(0, min(row_number, 1_048_576) - 1 - len(rows)))
            rows.append("\t".join(cells + formulas))
            display.end_row(len(rows), "\t".join(cells))
        elif name in _HEADER_PARTS and text:
            drawn = _HEADER_CODE.sub(_page_number, _HEADER_SECTION.sub("\t", _header_fonts(text)))
            if _PAGE_BESIDE_DIGITS.search(drawn):
                reading.skip(f"{where}{_HEADER_PARTS[name]}", "页码（&P、&N）紧挨着数字，打印时显示的数字无法预先读取"
                                                            "（例如起始页码为 139 时，“&P12345678”印出一个手机号码）")
            reading.add(f"{where}{_HEADER_PARTS[name]}", drawn.replace("\0", ""))
        elif text.strip() and len(element) == 0:
            others.append(text)
    reading.add(f"{where}第 {{line}} 行", "\n".join(rows))
    reading.add(f"{where}第 {{line}} 行{AS_SHOWN}", "\n".join(display.rows))
    if uncomputed:
        which = f"第 {uncomputed[0]} 行等 {len(uncomputed)} 个公式" if len(uncomputed) > 1 else f"第 {uncomputed[0]} 行的公式"
        reading.skip(where, f"{which}没有保存计算结果（打开时由表格程序计算）")
    if recomputed:
        which = f"第 {recomputed[0]} 行等 {len(recomputed)} 个公式" if len(recomputed) > 1 else f"第 {recomputed[0]} 行的公式"
        reading.skip(where, f"工作簿设置为打开时重新计算全部公式（fullCalcOnLoad），{which}显示的结果不是文件中保存的值，无法预先算出")
    if conditional:
        reading.skip(f"{where}{conditional[0][:40]} 等单元格" if len(conditional) > 1 else f"{where}{conditional[0][:40]} 单元格",
                     "条件格式的数字格式带有数字，满足条件时单元格显示的数字与保存的不同，无法预先读取")
    if display.unworked:
        reading.skip(where, f"第 {display.unworked[0]} 行等 {len(display.unworked)} 个单元格的数字格式无法自动换算成显示的文字")
    reading.add(f"{where}的其他文字（数据验证、超链接等）第 {{line}} 项", "\n".join(others))


@dataclass
class _Formats:
    """A workbook's number formats by cell style (the index a cell's `s` names), and its date system."""

    by_style: dict[int, str] = field(default_factory=dict)
    date1904: bool = False
    digits_by_condition: frozenset[int] = frozenset()  # the conditional formats (dxf) whose number format writes digits
    right_to_left: frozenset[int] = frozenset()  # the styles whose text is drawn right to left (`readingOrder="2"`)
    symbol_fonts: dict[int, str] = field(default_factory=dict)  # style → the symbol font it draws in (its font's table)


class _Display:
    """A sheet's rows as they are displayed, where that differs from the cells as stored: each cell as its number format
    shows it (dates, scaling, rounding) and in its own direction (a style's right-to-left reading order), without hidden
    columns and rows and cells whose format shows nothing, and in reverse order on a right-to-left sheet."""

    def __init__(self, formats: _Formats) -> None:
        self.formats = formats
        self.hidden_columns: list[tuple[int, int]] = []  # ranges as listed, merged and sorted before the first row
        self.merged: tuple[list[int], list[int]] | None = None
        self.right_to_left = False
        self.rows: list[str] = []  # line for line with the stored rows ("" where they are the same)
        self.unworked: list[int] = []  # rows of cells whose format is not worked out where it may matter
        self.row_hidden = False
        self.shown: list[str] = []
        self.column = 0

    def see(self, name: str, element: Any) -> None:
        if name == "col" and _true(element.get("hidden")):
            self.hidden_columns.append((int_or(element.get("min") or "", 0), int_or(element.get("max") or "", 0)))
        elif name == "sheetView" and _true(element.get("rightToLeft")):
            self.right_to_left = True

    def start_row(self, element: Any) -> None:
        self.row_hidden, self.shown, self.column = _true(element.get("hidden")), [], 0

    def cell(self, name: str, stored: str, visible: str, kind: str, style: str, row: int) -> None:
        self.column = _column(name) or self.column + 1
        code = self.formats.by_style.get(int_or(style, -1))
        looks = visible
        if code is not None and kind not in ("b", "e"):
            formatted = shown(visible, code, text=kind in ("s", "str", "inlineStr"), date1904=self.formats.date1904)
            if formatted is None and kind in ("", "n") and _may_matter(visible, code):
                self.unworked.append(row)
            looks = visible if formatted is None else formatted
        looks = symbol_fonts.drawn(looks, self.formats.symbol_fonts.get(int_or(style, -1)))  # « in Wingdings is ★
        if int_or(style, -1) in self.formats.right_to_left:  # `5678 1234 139` drawn right to left shows 139 1234 5678
            looks = _drawn_right_to_left(looks)
        if not self._hidden(self.column) and (looks or not stored):  # a cell truly empty still stands between its neighbours
            self.shown.append(looks)

    def _hidden(self, column: int) -> bool:
        """Whether a column is hidden: looked up among the ranges merged, however many a sheet lists."""
        if self.merged is None:
            starts: list[int] = []
            ends: list[int] = []
            for low, high in sorted(self.hidden_columns):
                if ends and low <= ends[-1] + 1:
                    ends[-1] = max(ends[-1], high)
                else:
                    starts.append(low)
                    ends.append(high)
            self.merged = starts, ends
        starts, ends = self.merged
        at = bisect.bisect_right(starts, column) - 1
        return at >= 0 and column <= ends[at]

    def end_row(self, line: int, stored: str) -> None:
        shown = self.shown[::-1] if self.right_to_left else self.shown
        if not self.row_hidden and "\t".join(shown) != stored:
            self.rows.extend([""] * (line - 1 - len(self.rows)))
            self.rows.append("\t".join(shown))


def _true(value: str | None) -> bool:
    return value in ("1", "true")


def _column(name: str) -> int:
    """A cell reference's column number (B7 → 2), 0 when it names none."""
    number = 0
    for char in name[:3]:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def _may_matter(value: str, code: str) -> bool:
    """Whether a format not worked out may show digits that matter: it writes digits or dates of its own, or a fraction
    of a value long enough to be part of a number (13912345678.5 as `# ?/?` shows 13912345678 1/2). An exponent never
    shows more digits than the value has."""
    bare = _QUOTED_OR_BRACKETED.sub("", code)
    return writes_digits(code) or bool(_DATE_LETTERS.search(bare)) or "/" in bare and sum(char.isdigit() for char in value) >= 7


_DATE_LETTERS = re.compile(r"[yYmMdDhHsSbBgG]|[eE](?![+-])")
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*+"|\[[^\][]*+\]')  # a bracket ends at the next one: linear in "[[[…"


def _number_text(value: str) -> str:
    """Cached values as Excel shows integers: 1.3912345678E10 → 13912345678."""
    if ("E" in value or "e" in value) and len(value) < 32:
        try:
            number = float(value)
            if number.is_integer() and abs(number) < 1e20:
                return str(int(number))
        except ValueError:
            pass
    return value


# The built-in number formats that change what a cell shows (ids without a format code in the file), as a Chinese
# Excel writes them: 14 and 22 follow the system's date order, yyyy/m/d in China.
_BUILT_IN_FORMATS = {
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm",
    21: "h:mm:ss", 22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0",
}


def _cell_formats(workbook: str, part: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
                  reading: Reading, theme: dict[str, str] | None = None) -> _Formats:
    """Cell style (the index a cell's `s` names) → its number format, the workbook's own (`part`) or a built-in one;
    the styles that draw a cell's text right to left, and those whose font is a symbol font (Wingdings: « is ★)."""
    formats = _Formats(date1904=_date1904(workbook, archive, names, reading))
    info = names.get(part)
    if info is None:
        return formats
    codes: dict[int, str] = dict(_BUILT_IN_FORMATS)
    in_cell_styles = False
    count = 0
    conditions = -1
    digits: set[int] = set()
    right_to_left: set[int] = set()
    fonts: list[str | None] = []  # each font's symbol font table, None for a font of text
    for event, element in xml_events(archive, info, reading):
        name = local(element.tag)
        if name == "cellXfs":
            in_cell_styles = event == "start"
        elif event == "start" and name == "font" and _under(element, "fonts"):
            fonts.append(None)
        elif event == "start" and name == "name" and _under(element, "font", "fonts") and fonts:
            fonts[-1] = fonts[-1] or symbol_fonts.symbol_font(_attribute(element, "val"))
        elif event == "start" and name == "scheme" and _under(element, "font", "fonts") and fonts:  # the theme's font
            fonts[-1] = fonts[-1] or (theme or {}).get("@" + _attribute(element, "val")[:5])
        elif event == "start" and name == "dxf":
            conditions += 1
        elif event == "start" and name == "numFmt" and _under(element, "dxf"):
            if writes_digits(element.get("formatCode") or ""):
                digits.add(conditions)
        elif event == "start" and name == "numFmt":
            codes[int_or(element.get("numFmtId") or "", -1)] = element.get("formatCode") or ""
        elif event == "start" and name == "xf" and in_cell_styles:
            code = codes.get(int_or(element.get("numFmtId") or "", 0))
            if code is not None:
                formats.by_style[count] = code
            font = int_or(element.get("fontId") or "", 0)
            if 0 <= font < len(fonts) and (table := fonts[font]):
                formats.symbol_fonts[count] = table
            count += 1
        elif event == "start" and name == "alignment" and in_cell_styles and element.get("readingOrder") == "2":
            right_to_left.add(count - 1)  # the xf it is in, counted at its start
    formats.digits_by_condition = frozenset(digits)
    formats.right_to_left = frozenset(right_to_left)
    return formats


def _date1904(workbook: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: Reading) -> bool:
    """Whether the workbook counts days from 1904 (a damaged workbook part is named where its sheets are listed)."""
    if workbook not in names:
        return False
    try:
        for event, element in xml_events(archive, names[workbook], reading):
            if event == "start" and local(element.tag) == "workbookPr":
                return _true(element.get("date1904"))
    except (Refused, MemoryError):
        raise
    except Exception:
        return False
    return False


def _shared_strings(part: str, prefix: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
                    reading: Reading) -> list[tuple[str, str]]:
    """Each shared string of `part`, and as it is displayed (without rich-text runs too small to read); a string with
    raised or lowered runs that read as notes is read past them too (`_notes_read_past`), apart."""
    info = names.get(part)
    if info is None:
        return []
    strings: list[tuple[str, str]] = []
    noted: list[str] = []  # line for line with the strings ("" where there is nothing to read past)
    branches: list[str] = []  # a string as another application draws its alternatives, and phonetic guides
    for kind, text in _xml_lines(xml_events(archive, info, reading)):
        if kind == "block":
            strings.append((text, text))
        elif kind == "shown" and strings:
            strings[-1] = (strings[-1][0], text)
        elif kind == "noted" and strings:
            noted.extend([""] * (len(strings) - 1 - len(noted)))
            noted.append(text)
        elif kind in ("branch", "guide") and strings:
            branches.append(text)
    reading.add(named(prefix, f"共享字符串第 {{line}} 项{AS_SHOWN}"), "\n".join(noted))
    reading.add(named(prefix, "共享字符串中按其他程序显示的文字和注音第 {line} 项"), "\n".join(branches))
    return strings


# What Word and Excel load by a relationship to an address when the file is opened, by its type's last segment.
# A template by address ran its macros (template injection); an object by address ran `mhtml:` (Follina); a
# picture, a frame or a workbook by address is fetched too, and from `\\host\share` it hands the reader's Windows
# password hash to that host. A hyperlink is followed only when clicked.
_LOADED = {"attachedtemplate": "远程模板", "oleobject": "外部对象", "image": "链接的图片", "frame": "外部框架",
           "subdocument": "外部子文档", "externallinkpath": "外部工作簿", "package": "外部嵌入文件"}


# Parts Excel or Word runs when the file opens (a macro sheet's formulas run macros, as VBA does; an ActiveX
# control is a program), by relationship type (its last segment, compared in any case as OPC compares names).
_RUN_PARTS = {"xlmacrosheet": "Excel 4.0 宏表（XLM）", "xlintlmacrosheet": "Excel 4.0 宏表（XLM）", "control": "ActiveX 控件"}


def _note_relationships(archive: zipfile.ZipFile, info: zipfile.ZipInfo, prefix: str, reading: Reading) -> None:
    """What a part's relationships make the program run, or load from elsewhere (a hyperlink waits for a click)."""
    for event, element in xml_events(archive, info, reading):
        if event != "start" or local(element.tag) != "Relationship":
            continue
        kind = (element.get("Type") or "").rsplit("/", 1)[-1].lower()
        if kind in _RUN_PARTS:
            reading.runs(named(prefix, _RUN_PARTS[kind]))
        if (element.get("TargetMode") or "").lower() == "external" and kind != "hyperlink":
            reading.loads(named(prefix, f"{_LOADED.get(kind, '外部部件')}（地址在 {host_of(element.get('Target') or '')}）"))



def _relationships(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], part: str,
                   reading: Reading) -> dict[str, str]:
    """Relationship id → target part path, for one part."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in names:
        return {}
    targets = {}
    for event, element in xml_events(archive, names[rels], reading):
        if event == "start" and local(element.tag) == "Relationship":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            targets[element.get("Id", "")] = posixpath.normpath(path)
    return targets


def _header_kinds(document: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
                  reading: Reading) -> dict[str, str]:
    """Word header/footer part → "default", "first" or "even" (from the sections' references in `document`)."""
    if document not in names:
        return {}
    targets = _relationships(archive, names, document, reading)
    kinds = {}
    for event, element in xml_events(archive, names[document], reading):
        if event == "start" and local(element.tag) in ("headerReference", "footerReference"):
            values = {local(key): value for key, value in element.attrib.items()}
            target = targets.get(values.get("id", ""))
            if target:
                kinds[target] = values.get("type", "default")
    return kinds


@dataclass
class _Package:
    """What an OOXML package says of its parts, by part name compared in any case (OPC names are case-insensitive):
    each one's content type (`[Content_Types].xml`), the types of the relationships that reach it (the last segment,
    lower-cased), and each part's targets by relationship type. Word and python-docx find the main document by
    relationship and type, whatever it is named."""

    defaults: dict[str, str] = field(default_factory=dict)  # extension → content type, lower-cased
    overrides: dict[str, str] = field(default_factory=dict)  # part name, lower-cased → content type, lower-cased
    reached: dict[str, set[str]] = field(default_factory=dict)  # part name, lower-cased → relationship types
    targets: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, type), lower-cased → first target
    names: dict[str, str] = field(default_factory=dict)  # part name, lower-cased → as stored

    def content_type(self, path: str) -> str:
        return self.overrides.get(path.lower()) or self.defaults.get(posixpath.splitext(path)[1].lstrip(".").lower(), "")

    def typed_xml(self, path: str) -> bool:
        """Typed as XML whatever the name ends in: `word/document.dat` was read as a text file, tags and all."""
        return self.content_type(path).split(";")[0].strip().endswith("xml")

    def textless(self, path: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
        """A part that holds no text: its content type says so and nothing reaches it as anything else; in a package
        without content types (OFD), a font by its first bytes. The package's own `[Content_Types].xml` is read
        for the types."""
        if path == "[Content_Types].xml":
            return True
        kind = self.content_type(path)
        if kind:
            return kind.split(";")[0].strip() in _TEXTLESS_TYPES and self.reached.get(path.lower(), set()) <= _TEXTLESS_RELATIONSHIPS
        if self.defaults or self.overrides:
            return False  # untyped in a typed package: read (or named) as what its bytes are
        with archive.open(info) as stream:
            return stream.read(4).startswith(_FONT_HEADS)

    def related(self, source: str, kind: str, fallback: str) -> str:
        """The part `source` relates to by type `kind` (lower-cased last segment), as stored; `fallback` when none."""
        target = self.targets.get((source.lower(), kind))
        return self.names.get(target, fallback) if target else fallback

    def main(self, family: str, fallback: str) -> str:
        """The package's main part when its content type is of `family` (wordprocessingml, spreadsheetml; a macro
        file's ms-word, ms-excel), else the part of the usual name."""
        main = self.related("", "officedocument", "")
        kind = self.content_type(main) if main else ""
        other = {"wordprocessingml": "ms-word.", "spreadsheetml": "ms-excel."}[family]
        return main if family in kind or other in kind else fallback


def _package(prefix: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: Reading) -> _Package:
    package = _Package(names={path.lower(): path for path in names})
    info = names.get("[Content_Types].xml")
    for event, element in xml_events(archive, info, reading) if info is not None else ():
        name = local(element.tag)
        if event == "start" and name == "Default":
            package.defaults[(element.get("Extension") or "").lower()] = (element.get("ContentType") or "").lower()
        elif event == "start" and name == "Override":
            package.overrides[(element.get("PartName") or "").lstrip("/").lower()] = (element.get("ContentType") or "").lower()
    for path, info in names.items():
        folder, name = posixpath.split(path)
        if not name.endswith(".rels") or posixpath.basename(folder) != "_rels":
            continue
        source = posixpath.join(posixpath.dirname(folder), name[:-len(".rels")]) if name != ".rels" else ""
        try:  # a damaged one is named, and the others still say what the parts are
            _relate(package, source, archive, info, reading)
        except (Refused, MemoryError):
            raise
        except Exception as exc:
            refuse_if_hostile(exc, named(prefix, path))
            reading.skip(named(prefix, f"“{path}”或它引用的部件"), f"无法解析（{type(exc).__name__}），其余部件照常读取")
    return package


def _relate(package: _Package, source: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, reading: Reading) -> None:
    """The relationships of `source` (the package's own: "") into `package`, read from its .rels part `info`."""
    base = posixpath.dirname(source)
    for event, element in xml_events(archive, info, reading):
        if event != "start" or local(element.tag) != "Relationship" or (element.get("TargetMode") or "").lower() == "external":
            continue
        target = element.get("Target") or ""
        target = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)).lower()
        kind = (element.get("Type") or "").rsplit("/", 1)[-1].lower()
        package.reached.setdefault(target, set()).add(kind)
        package.targets.setdefault((source.lower(), kind), target)


def _recalculates_on_open(element: Any) -> bool:
    """A workbook's `<calcPr fullCalcOnLoad="1"/>`: Excel computes every formula again as it opens the file."""
    return _attribute(element, "fullCalcOnLoad").lower() in ("1", "true")


def _setting(part: str, name: str, judge: Callable[[Any], bool], archive: zipfile.ZipFile,
             names: dict[str, zipfile.ZipInfo], reading: Reading) -> bool:
    """What `judge` says of the first `name` element of `part` (a workbook's calcPr, a document's updateFields); False
    without one."""
    if part not in names:
        return False
    for event, element in xml_events(archive, names[part], reading):
        if event == "start" and local(element.tag) == name:
            return judge(element)
    return False


def _sheet_names(workbook: str, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
                 reading: Reading) -> dict[str, str]:
    """Worksheet part → its name (hidden and very hidden sheets included), from `workbook`."""
    if workbook not in names:
        return {}
    targets = _relationships(archive, names, workbook, reading)
    sheets = {}
    for event, element in xml_events(archive, names[workbook], reading):
        if event == "start" and local(element.tag) == "sheet":
            values = {local(key): value for key, value in element.attrib.items()}
            target = targets.get(values.get("id", ""))
            if target:
                state = {"hidden": "，隐藏", "veryHidden": "，深度隐藏"}.get(values.get("state", ""), "")
                sheets[target] = values.get("name", "") + state
    return sheets


@dataclass(frozen=True)
class _OfdObject:
    """Where a text object draws (GB/T 33190): its Boundary's origin on the page, its CTM (a b c d e f, object space to
    the boundary's), its font size (mm, object space) and horizontal scale, and whether it is drawn at all."""

    x: float
    y: float
    ctm: tuple[float, ...]
    size: float
    hscale: float
    visible: bool

    @classmethod
    def of(cls, element: Any) -> _OfdObject:
        box = _ofd_numbers(element.get("Boundary"), 2)
        ctm = _ofd_numbers(element.get("CTM"), 6)
        size = _ofd_numbers(element.get("Size"), 1)
        hscale = _ofd_numbers(element.get("HScale"), 1)
        return cls(box[0] if len(box) == 2 else 0.0, box[1] if len(box) == 2 else 0.0,
                   tuple(ctm) if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
                   size[0] if size and size[0] > 0 else _OFD_SIZE, hscale[0] if hscale and hscale[0] > 0 else 1.0,
                   (element.get("Visible") or "").strip().lower() != "false")


class _OfdText:
    """An OFD page's text as laid out: each glyph of its text codes placed on the page (the object's Boundary and CTM,
    the code's X and Y, each glyph's DeltaX and DeltaY, the font's advance guessed where none is given), grouped by
    baseline and ordered by x, so that a line a converter writes one glyph or one run per object (`机` `密` `★`,
    `139` `1234` `5678` side by side) is read as the line drawn. Glyphs closer than about a character run together, a
    wider gap reads as a blank and a column's (`_OFD_COLUMN`) as a tab, so a table row's cells are not read as one
    number. Objects not drawn (`Visible="false"`) and glyphs too small to read are left out; past `_OFD_GLYPHS`
    glyphs a part's rest is named, not laid out."""

    def __init__(self) -> None:
        self.glyphs: list[tuple[float, float, int, float, float, str]] = []  # (y, x, order, width, size, character)
        self.codes: list[tuple[int, str]] = []  # each text code's first glyph (its number in `glyphs`) and text
        self.object: _OfdObject | None = None
        self.pen = (0.0, 0.0)  # a text code without X or Y takes the one before it
        self.full = False
        self.unseen = False  # the text object open is painted in white, transparent, or not painted at all

    def see(self, event: str, name: str, element: Any) -> None:
        if name == "TextObject":
            self.object = _OfdObject.of(element) if event == "start" else None
            self.pen = (0.0, 0.0)
            # filled unless Fill="false", stroked only if Stroke="true" (GB/T 33190 CT_Text)
            self.unseen = event == "start" and (element.get("Fill") or "").strip().lower() == "false" and (
                element.get("Stroke") or "").strip().lower() != "true"
        elif name == "FillColor" and event == "start" and self.object is not None and _under(element, "TextObject"):
            self.unseen = self.unseen or _ofd_unseen_colour(element)
        elif name == "TextCode" and event == "end" and self.object is not None and element.text:
            self.place(self.object, element.text, element)

    def place(self, drawn: _OfdObject, text: str, element: Any) -> None:
        x, y = _ofd_numbers(element.get("X"), 1) or [self.pen[0]], _ofd_numbers(element.get("Y"), 1) or [self.pen[1]]
        self.pen = (x[0], y[0])
        if not drawn.visible or self.unseen or self.full:  # a gap where it stands
            return
        if len(self.glyphs) + len(text) > _OFD_GLYPHS:
            self.full = True
            return
        a, b, c, d, e, f = drawn.ctm
        scale = abs(a * d - b * c) ** 0.5
        size = drawn.size * scale
        if size < _SMALLEST * _MM_PER_POINT:
            return
        deltas_x, deltas_y = _ofd_numbers(element.get("DeltaX"), len(text) - 1), _ofd_numbers(element.get("DeltaY"), len(text) - 1)
        self.codes.append((len(self.glyphs), text))
        u, v = self.pen
        for index, char in enumerate(text):
            width = drawn.size * drawn.hscale * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5)
            self.glyphs.append((drawn.y + b * u + d * v + f, drawn.x + a * u + c * v + e, len(self.glyphs), width * scale,
                                size, " " if char in "\r\n" else char))
            u += deltas_x[index] if index < len(deltas_x) else width
            v += deltas_y[index] if index < len(deltas_y) else 0.0

    def add(self, where: str, reading: Reading) -> None:
        code_of = [0] * len(self.glyphs)  # the text code each glyph is of
        for number, (first, text) in enumerate(self.codes):
            code_of[first:first + len(text)] = [number] * len(text)
        lines: list[str] = []
        line: list[tuple[float, float, int, float, float, str]] = []
        for glyph in sorted(self.glyphs):
            if line and glyph[0] - line[0][0] > _OFD_BASELINE * max(line[0][4], glyph[4]):
                lines.append(self.joined(line, code_of))
                line = []
            line.append(glyph)
        if line:
            lines.append(self.joined(line, code_of))
        reading.add(f"{where}第 {{line}} 行{AS_SHOWN}", "\n".join(lines))
        if self.full:
            reading.skip(where, f"页面上的文字超过 {_OFD_GLYPHS:,} 个字，其余的文字只按存储的顺序读取，没有按显示的位置连成行")

    def joined(self, line: list[tuple[float, float, int, float, float, str]], code_of: list[int]) -> str:
        """One baseline's glyphs from left to right; "" when that is one text code's own text, read already."""
        line.sort(key=lambda glyph: (glyph[1], glyph[2]))
        text, end = [], line[0][1]
        for _, x, _, width, size, char in line:
            gap = x - end
            text.append(("\t" if gap > _OFD_COLUMN * size else " " if gap > size else "") + char)
            end = max(end, x + width)
        joined = "".join(text)
        codes = {code_of[glyph[2]] for glyph in line}
        return "" if len(codes) == 1 and joined == self.codes[codes.pop()][1] else joined


def _ofd_unseen_colour(element: Any) -> bool:
    """Whether an OFD colour (CT_Color) paints nothing a reader sees on the white page: transparent (Alpha 0) or white,
    as gray (255), RGB (255 255 255) or CMYK (0 0 0 0) components."""
    if _ofd_numbers(element.get("Alpha"), 1) == [0.0]:
        return True
    values = _ofd_numbers(element.get("Value"), 4)
    return bool(values) and (all(value <= 0 for value in values) if len(values) == 4 else all(value >= 255 for value in values))


def _ofd_numbers(value: str | None, count: int) -> list[float]:
    """Up to `count` finite numbers of an OFD array (`g 3 2.5` is 2.5 three times); as many as are readable."""
    words = (value or "").split()
    if "g" not in words:  # the common case, at once
        try:
            numbers = [float(word) for word in words[:count]]
            if all(map(math.isfinite, numbers)):
                return numbers
        except ValueError:
            pass
    tokens = iter(words)
    numbers = []
    try:
        for token in tokens:
            if len(numbers) >= count:
                break
            repeat, number = (int(next(tokens)), float(next(tokens))) if token == "g" else (1, float(token))
            if not math.isfinite(number):
                break
            numbers.extend([number] * max(0, min(repeat, count - len(numbers))))
    except (ValueError, StopIteration):
        pass
    return numbers


_OFD_GLYPHS = 100_000  # glyphs of one part laid out (a full page holds a few thousand)
_OFD_SIZE = 3.7  # mm: an object without a font size is taken as drawn in 五号 (10.5 points)
_OFD_BASELINE = 0.3  # glyphs whose baselines differ by less than this part of the font size stand in one line
_OFD_COLUMN = 3  # a gap wider than this many characters parts columns (a table's cells), read apart by a tab
_MM_PER_POINT = 25.4 / 72


def read_ofd(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """OFD (GB/T 33190) is a zip of XML parts too: its text codes are read, as stored and as laid out on the page
    (`_OfdText`), but text drawn from glyph indexes or outlines is not, so the reviewer is still told to look."""
    read_office(data, prefix, reading, depth)
    reading.skip(prefix, "OFD 文件中以字形或图形表示的文字无法自动读取（已扫描能读出的文字）")


def read_xml(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """A loose XML file (in a zip or embedded): every text and telling attribute, one per line."""
    read_office(_single_part("part.xml", data), prefix, reading, depth)


def _single_part(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    return out.getvalue()
