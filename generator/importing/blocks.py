"""A .docx body as plain blocks: paragraphs (text, links, pictures, embedded files, the automatic
numbering's label, alignment, size, colour, outline level) and tables, in document order.

Read straight from the WordprocessingML that python-docx has parsed, because python-docx's own
`text` skips tracked insertions, content controls, fields and text boxes, and has no numbering.
Field instructions and page breaks are left out. What the page would show otherwise than Word does
is counted for the editor (`Unseen`): hidden text (w:vanish, set on the run, its character style or
its paragraph's style: Word neither shows nor prints it) is left out, as are tracked deletions (the
import takes the document with every change accepted), comments, footnotes and endnotes, charts and
SmartArt; text Word
draws white or smaller than 4 points, which no one reading the document sees, is kept (the page shows
it) and counted, so that the editor reads it before it is reviewed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from ..invisible import without_controls
from ..office_text import symbol_char
from ..values import int_or
from .numbering import Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = qn("r:id")
R_EMBED = qn("r:embed")
R_LINK = qn("r:link")
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
O_OLE = "{urn:schemas-microsoft-com:office:office}OLEObject"
M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
TEXT_BOX = W + "txbxContent"
A_GRAPHIC_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DIAGRAM_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"  # SmartArt

MAX_INSTRUCTION = 8192  # characters of a field's instruction kept: HYPERLINK "an address a browser takes"
MAX_DEPTH = 40  # nested tables and text boxes deeper than this are hostile, not documents


class LineBreak:
    """A manual line break (Shift+Enter) inside a paragraph."""


BREAK = LineBreak()


@dataclass(frozen=True)
class Link:
    target: str  # the URL as written in the document
    text: str


@dataclass(frozen=True)
class Media:
    """A picture or an embedded file, by relationship id; `external` pictures are only linked."""

    kind: str  # "image" | "embedded" | "chunk"
    rid: str
    alt: str = ""
    external: bool = False


Piece = str | Link | Media | LineBreak


@dataclass
class Paragraph:
    pieces: list[Piece] = field(default_factory=list)
    label: str = ""  # Word's automatic numbering, e.g. "一、"
    label_format: str = ""  # its numFmt, e.g. "chineseCounting", "bullet"
    align: str = ""  # "center", "right", "left", "both" …
    outline: int = 0  # 1 … 9 for heading styles, 0 for body text
    size: float = 0.0  # the largest font size in points
    red: bool = False  # some text is red (the 红头)

    @property
    def text(self) -> str:
        """Plain text with the numbering label, link texts, and line breaks as newlines."""
        out = [self.label]
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
            elif isinstance(piece, Link):
                out.append(piece.text)
            elif isinstance(piece, LineBreak):
                out.append("\n")
        return "".join(out)

    @property
    def media(self) -> list[Media]:
        return [piece for piece in self.pieces if isinstance(piece, Media)]


@dataclass
class Cell:
    paragraphs: list[Paragraph]
    span: int = 1  # grid columns covered
    continued: bool = False  # the lower part of a vertically merged cell


@dataclass
class Table:
    rows: list[list[Cell]]


Block = Paragraph | Table

FAINT_POINTS = 4.0  # text drawn smaller than this is unreadable in Word (and in print)


@dataclass
class Unseen:
    """What Word shows otherwise than the page will: counted pieces, and the first words of each kind."""

    hidden: int = 0  # runs of hidden text, left out
    deleted: int = 0  # tracked deletions (and moves away), left out
    comments: int = 0  # comments, left out
    notes: int = 0  # footnotes and endnotes, left out
    faint: int = 0  # runs drawn white or tiny, kept
    too_deep: int = 0  # tables, text boxes or content controls nested past MAX_DEPTH, left out
    charts: int = 0  # charts and SmartArt, left out
    controls: int = 0  # control characters and bidirectional controls, dropped (an item may not hold them)
    samples: dict[str, str] = field(default_factory=dict)  # kind → the first such text (at most 20 characters)

    def saw(self, kind: str, text: str = "") -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if text.strip() and kind not in self.samples:
            self.samples[kind] = text.strip()[:20]


class DocumentReader:
    """Reads blocks out of one python-docx Document (keeps numbering counters and style lookups)."""

    def __init__(self, document) -> None:
        self.document = document
        self.numbering = Numbering.of(document)
        self.styles = {style.get(qn("w:styleId")): style for style in document.styles.element.iterchildren(qn("w:style"))}
        # What a paragraph without a style of its own takes (Word's default paragraph style, "Normal"), and the
        # document's defaults under every style: hidden there, every plain paragraph is hidden.
        self._default_style = next((key for key, style in self.styles.items() if style.get(W + "type") == "paragraph"
                                    and style.get(W + "default") in ("1", "true", "on")), None)
        defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self._defaults_hidden = bool(_flag(defaults, "vanish"))
        self._defaults_size = max(int_or(_val(defaults, "sz"), 0), 0) / 2
        self.hyperlinks = {rid: rel.target_ref for rid, rel in document.part.rels.items() if rel.is_external}
        self.unseen = Unseen()
        self._style_answers: dict[tuple[str, str], dict[str, Any]] = {}  # (group, tag) → style → what it inherits
        self._around_answers: dict[Callable, dict[Any, Any]] = {}  # question → element → its answer (`_around`)
        self._paragraph_styles: list[str | None] = []  # the style of each paragraph being read, innermost last

    def blocks(self) -> list[Block]:
        return list(self._blocks(self.document.element.body, 0))

    def _blocks(self, container, depth: int) -> Iterator[Block]:
        if depth > MAX_DEPTH:
            if any(t.text and t.text.strip() for t in container.iter(W + "t")):
                self.unseen.saw("too_deep", "".join(t.text or "" for t in container.iter(W + "t")))
            return
        for child in container.iterchildren():
            tag = child.tag
            if tag == W + "p":
                yield self._paragraph(child, depth)
            elif tag == W + "tbl":
                yield self._table(child, depth)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from self._blocks(content, depth + 1)
            elif tag in (W + "customXml", W + "ins", W + "moveTo"):
                yield from self._blocks(child, depth + 1)
            elif tag == W + "altChunk":
                yield Paragraph([Media("chunk", child.get(R_ID) or "")])

    # ---- paragraphs -------------------------------------------------------------------------

    def _paragraph(self, p, depth: int) -> Paragraph:
        paragraph = Paragraph()
        p_pr = p.find(W + "pPr")
        style = _val(p_pr, "pStyle") if p_pr is not None else None
        paragraph.align = _val(p_pr, "jc") or self._style_value(style, "pPr", "jc") or ""
        outline = _val(p_pr, "outlineLvl") or self._style_value(style, "pPr", "outlineLvl")
        if 0 <= (level := int_or(outline, 9)) < 9:
            paragraph.outline = level + 1
        num_id, ilvl = self._numbering_of(p_pr, style)
        if num_id:
            label, paragraph.label_format = self.numbering.label(num_id, ilvl)
            paragraph.label = self._readable(label)
        base_size = self._style_size(style or self._default_style) or self._defaults_size
        state = _FieldState()
        self._paragraph_styles.append(style)  # what its runs inherit (a text box in it reads its own paragraphs)
        try:
            self._inline(p, paragraph, state, depth, base_size)
        finally:
            self._paragraph_styles.pop()
        return paragraph

    def _numbering_of(self, p_pr, style: str | None) -> tuple[str, int]:
        num_pr = p_pr.find(W + "numPr") if p_pr is not None else None
        if num_pr is None:  # numbering set by the paragraph style
            num_pr = self._inherited(style, ("pPr", "numPr"), _style_numbering)
        if num_pr is None:
            return "", 0
        ilvl = _val(num_pr, "ilvl")
        return _val(num_pr, "numId") or "", max(int_or(ilvl, 0), 0)

    def _style_value(self, style: str | None, group: str, tag: str) -> str | None:
        return self._inherited(style, (group, tag), lambda element: _val(properties, tag)
                               if (properties := element.find(W + group)) is not None else None)

    def _inherited(self, style: str | None, what: tuple[str, str], own: Callable[[Any], Any]) -> Any:
        """What `own` finds on the style or the nearest style it is based on (None: none), each style's answer to `what`
        kept: a chain of styles is walked once, not once a paragraph (4,000 styles each based on the one before, under
        1,000 paragraphs, took 80 s to import)."""
        known = self._style_answers.setdefault(what, {})
        chain: list[str] = []
        seen: set[str] = set()
        found = None
        name = style
        while name and name not in seen:
            if name in known:
                found = known[name]
                break
            chain.append(name)
            seen.add(name)
            element = self.styles.get(name)
            if element is None:
                break
            found = own(element)
            if found is not None:
                break
            name = _val(element, "basedOn")
        for visited in chain:
            known[visited] = found
        return found

    def _around(self, element, own: Callable[[Any], Any]) -> Any:
        """What `own` finds on the element or the nearest element around it (None: none), each element's answer kept:
        the paragraphs, cells and tables around a run are looked at once, not once a run (100,000 white runs in tables
        nested 38 deep took 9 s, each run walking up past the 76 tables and cells around it)."""
        known = self._around_answers.setdefault(own, {})
        chain: list[Any] = []  # the elements from `element` up to the first one answered, innermost first
        node = element
        while node is not None and node not in known:
            chain.append(node)
            node = node.getparent()
        found = None if node is None else known[node]
        for node in reversed(chain):  # outermost first: each takes its own answer, else the answer around it
            if (mine := own(node)) is not None:
                found = mine
            known[node] = found
        return found

    def _style_size(self, style: str | None) -> float:
        size = self._style_value(style, "rPr", "sz")
        return max(int_or(size, 0), 0) / 2

    def _readable(self, text: str) -> str:
        """Document text without what an item may not hold (GK009, GK016): a U+202E that shows a title reversed."""
        readable, dropped = without_controls(text)
        self.unseen.controls += dropped
        return readable

    def _inline(self, element, paragraph: Paragraph, state: _FieldState, depth: int, base_size: float) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == W + "r":
                self._run(child, paragraph, state, depth, base_size)
            elif tag == W + "hyperlink":
                inner = Paragraph()
                self._inline(child, inner, _FieldState(), depth + 1, base_size)
                paragraph.size, paragraph.red = max(paragraph.size, inner.size), paragraph.red or inner.red
                target = self.hyperlinks.get(child.get(R_ID) or "", "")
                _add_link(paragraph, target, inner)
            elif tag == W + "fldSimple":
                inner = Paragraph()
                self._inline(child, inner, _FieldState(), depth + 1, base_size)
                _add_link(paragraph, _hyperlink_target(child.get(W + "instr") or ""), inner)
            elif tag in (W + "ins", W + "moveTo", W + "smartTag", W + "customXml", W + "sdt", W + "sdtContent", W + "dir", W + "bdo"):
                self._inline(child, paragraph, state, depth + 1, base_size)
            elif tag in (W + "del", W + "moveFrom"):  # a tracked change: taken as accepted
                self.unseen.saw("deleted", "".join(t.text or "" for t in child.iter(W + "delText", W + "t")))
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is not None:
                    self._inline(choice, paragraph, state, depth + 1, base_size)
            elif tag == "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath" or tag.endswith("}oMathPara"):
                paragraph.pieces.append(self._readable("".join(t.text or "" for t in child.iter(M_T))))

    def _run(self, run, paragraph: Paragraph, state: _FieldState, depth: int, base_size: float) -> None:
        r_pr = run.find(W + "rPr")
        size = base_size
        color = None
        narrow = r_pr is not None and 0 < int_or(_val(r_pr, "w"), 100) < NARROW_PERCENT  # characters squeezed to a sliver
        if r_pr is not None:
            if (sz := int_or(_val(r_pr, "sz"), 0)) > 0:
                size = sz / 2
            color = _drawn_colour(r_pr.find(W + "color"))
            if _is_red(color):
                paragraph.red = True
        hidden = run.tag == W + "r" and self._hidden(run, r_pr)
        if hidden and not state.in_instruction:
            text = "".join(t.text or "" for t in run.iter(W + "t"))
            if text.strip() or run.find(f".//{A_BLIP}") is not None:
                self.unseen.saw("hidden", text)
        elif run.tag == W + "r" and ((_is_white(color) and not _on_colour(run, r_pr, self._around)) or 0 < size < FAINT_POINTS
                                     or narrow or _lost_in_ground(run, r_pr, color, self._around)):
            text = "".join(t.text or "" for t in run.iterchildren(W + "t"))
            if text.strip() and not state.in_instruction:
                self.unseen.saw("faint", text)
        for child in run.iterchildren():
            tag = child.tag
            if tag == W + "fldChar":
                state.char(child.get(W + "fldCharType") or "", paragraph)
            elif tag == W + "instrText":
                state.instruct(child.text or "")
            elif state.in_instruction or hidden:  # a hidden run's field characters still open and close its field
                continue
            elif tag == W + "t":
                if child.text:
                    state.append(paragraph, self._readable(child.text))
                    paragraph.size = max(paragraph.size, size)
            elif tag in (W + "tab", W + "ptab"):
                state.append(paragraph, " ")
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") not in ("page", "column"):
                    state.append(paragraph, BREAK)
            elif tag == W + "noBreakHyphen":
                state.append(paragraph, "-")
            elif tag == W + "sym":
                if drawn := self._readable(symbol_char(child.get(W + "char"), child.get(W + "font"))):
                    state.append(paragraph, drawn)
            elif tag == W + "commentReference":
                self.unseen.saw("comments")
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                self.unseen.saw("notes")
            elif tag in (W + "drawing", W + "pict"):
                self._drawing(child, paragraph, depth)
            elif tag == W + "object":
                ole = next(child.iter(O_OLE), None)
                if ole is not None:
                    paragraph.pieces.append(Media("embedded", ole.get(R_ID) or ""))
                else:
                    self._drawing(child, paragraph, depth)
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is not None:
                    fake_run = choice  # its children are run content (w:drawing …)
                    self._run(fake_run, paragraph, state, depth + 1, base_size)

    def _hidden(self, run, r_pr) -> bool:
        """Whether Word hides the run: w:vanish on it, else on its character style, else on its paragraph's style (the
        default paragraph style for a paragraph without one), else in the document's defaults."""
        own = _flag(r_pr, "vanish")
        if own is not None:
            return own
        style = _val(r_pr, "rStyle") if r_pr is not None else None
        if style and (by_style := self._style_hidden(style)) is not None:
            return by_style
        p_style = (self._paragraph_styles[-1] if self._paragraph_styles else None) or self._default_style
        by_paragraph = self._style_hidden(p_style) if p_style else None
        return self._defaults_hidden if by_paragraph is None else by_paragraph

    def _style_hidden(self, style: str) -> bool | None:
        """w:vanish as the style (or the nearest style it is based on) sets it; None when none does."""
        hidden: bool | None = self._inherited(style, ("rPr", "vanish"), lambda element: _flag(element.find(W + "rPr"), "vanish"))
        return hidden

    def _drawing(self, element, paragraph: Paragraph, depth: int) -> None:
        """Pictures (DrawingML blip or VML imagedata) and the text of text boxes: this drawing's own, not
        those of a text box inside one of its text boxes, which that box's paragraphs read (read here too,
        a box nested n deep was read 2ⁿ⁻¹ times: 16 deep, 32,768 copies of its text)."""
        own = _own(element)
        alt = ""
        for doc_pr in own[WP_DOCPR]:
            alt = doc_pr.get("descr") or doc_pr.get("title") or ""
        for graphic in own[A_GRAPHIC_DATA]:
            if graphic.get("uri") in (CHART_URI, DIAGRAM_URI):  # data Word draws that is neither a picture nor text
                self.unseen.saw("charts", alt)
        for blip in own[A_BLIP]:
            if blip.get(R_EMBED):
                paragraph.pieces.append(Media("image", blip.get(R_EMBED) or "", alt))
            elif blip.get(R_LINK):
                paragraph.pieces.append(Media("image", blip.get(R_LINK) or "", alt, external=True))
        for data in own[V_IMAGEDATA]:
            rid = data.get(R_ID) or data.get(qn("r:href")) or ""
            if rid:
                paragraph.pieces.append(Media("image", rid, data.get("{urn:schemas-microsoft-com:office:office}title") or alt))
        for box in own[TEXT_BOX]:
            for block in self._blocks(box, depth + 1):
                if isinstance(block, Paragraph) and block.text.strip():
                    paragraph.pieces += [BREAK, *block.pieces]

    # ---- tables -----------------------------------------------------------------------------

    def _table(self, tbl, depth: int) -> Table:
        rows: list[list[Cell]] = []
        for tr in tbl.iterchildren(W + "tr"):
            row: list[Cell] = []
            for tc in tr.iterchildren(W + "tc"):
                tc_pr = tc.find(W + "tcPr")
                span = int_or(_val(tc_pr, "gridSpan") if tc_pr is not None else None, 1)
                merge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
                continued = merge is not None and merge.get(W + "val") in (None, "continue")
                paragraphs: list[Paragraph] = []
                for block in self._blocks(tc, depth + 1):
                    if isinstance(block, Paragraph):
                        paragraphs.append(block)
                    else:  # a nested table: its cells' text, row by row
                        paragraphs += [p for line in block.rows for cell in line for p in cell.paragraphs]
                row.append(Cell(paragraphs, span if 0 < span < 64 else 1, continued))
            rows.append(row)
        return Table(rows)


@dataclass
class _FieldState:
    """Complex fields (w:fldChar): the instruction is skipped, a HYPERLINK's result becomes a link."""

    depth: int = 0
    instruction: str = ""
    in_instruction: bool = False
    link: str = ""
    collected: Paragraph | None = None

    def char(self, kind: str, paragraph: Paragraph) -> None:
        if kind == "begin":
            self.depth += 1
            self.in_instruction, self.instruction = True, ""
        elif kind == "separate" and self.depth:
            self.in_instruction = False
            self.link = _hyperlink_target(self.instruction)
            self.collected = Paragraph() if self.link and self.depth == 1 else None
        elif kind == "end" and self.depth:
            self.depth -= 1
            self.in_instruction = False
            if self.collected is not None and self.depth == 0:
                _add_link(paragraph, self.link, self.collected)
                self.collected, self.link = None, ""

    def instruct(self, text: str) -> None:
        """A piece of the field's instruction: only its start is read (HYPERLINK "address"), and only that is
        kept — added up piece by piece, an instruction split into 20,000 pieces took two minutes (each copied
        all before it)."""
        if len(self.instruction) < MAX_INSTRUCTION:
            self.instruction = (self.instruction + text)[:MAX_INSTRUCTION]

    def append(self, paragraph: Paragraph, piece: Piece) -> None:
        (self.collected or paragraph).pieces.append(piece)


def _add_link(paragraph: Paragraph, target: str, inner: Paragraph) -> None:
    text = "".join(piece for piece in inner.pieces if isinstance(piece, str))
    if target and text.strip():
        paragraph.pieces.append(Link(target, text))
    else:
        paragraph.pieces += inner.pieces


def _hyperlink_target(instruction: str) -> str:
    found = re.match(r'\s*HYPERLINK\s+"([^"]*)"', instruction)
    return found[1] if found else ""


_DRAWN = (WP_DOCPR, A_GRAPHIC_DATA, A_BLIP, V_IMAGEDATA, TEXT_BOX)  # what a drawing's reader takes from it


def _own(element) -> dict[str, list]:
    """The elements of each `_DRAWN` tag below `element` that are not inside a text box below it, in document order:
    the drawing walked once, its text boxes not entered (a walk up from each element to the drawing, for each tag,
    took 42 s on 400,000 pictures 200 elements deep, a 150 KB file)."""
    found: dict[str, list] = {tag: [] for tag in _DRAWN}
    stack = [iter(element)]  # the children still to visit at each level, innermost last
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        if (kept := found.get(node.tag)) is not None:
            kept.append(node)
        if node.tag != TEXT_BOX:  # a text box's own drawings are read with its paragraphs
            stack.append(iter(node))
    return found


# The theme's colours Word draws as the page's own (w:themeColor wins over w:val, which only older readers use).
_PAGE_THEME_COLOURS = frozenset(("background1", "light1"))
NARROW_PERCENT = 20  # characters scaled (w:w) narrower than this are unreadable


def _drawn_colour(element) -> str | None:
    """The colour a run's w:color draws: white for the page's theme colour without a shade, else its w:val."""
    if element is None:
        return None
    if element.get(W + "themeColor") in _PAGE_THEME_COLOURS and element.get(W + "themeShade") is None:
        return "FFFFFF"
    return element.get(W + "val")


def _val(element, tag: str) -> str | None:
    if element is None:
        return None
    child = element.find(W + tag)
    return None if child is None else child.get(W + "val")


def _flag(properties, tag: str) -> bool | None:
    """An on/off property (w:vanish): True when set, False when set off (w:val="0"/"false"/"off"), None when absent."""
    if properties is None:
        return None
    element = properties.find(W + tag)
    if element is None:
        return None
    return element.get(W + "val") not in ("0", "false", "off")


Around = Callable[[Any, Callable[[Any], Any]], Any]  # DocumentReader._around


def _on_colour(run, r_pr, around: Around) -> bool:
    """Whether the run is drawn on a coloured ground, where white text is read (a table's header row): its highlight
    or shading, its paragraph's or table cell's shading, or a table style (whose shading is not read here)."""
    highlighted = r_pr is not None and (_val(r_pr, "highlight") or "none") not in ("none", "white")
    if highlighted or (r_pr is not None and _dark(r_pr.find(W + "shd"))):
        return True
    return bool(around(run.getparent(), _coloured))


def _coloured(element) -> bool | None:
    """True for a paragraph, table cell or table shaded in a colour, or a table with a style; None otherwise."""
    if element.tag not in (W + "p", W + "tc", W + "tbl"):
        return None
    first = next(element.iterchildren(), None)  # pPr, tcPr and tblPr come first (len() counts every run)
    if first is None or first.tag not in (W + "pPr", W + "tcPr", W + "tblPr"):
        return None
    if _dark(first.find(W + "shd")) or (first.tag == W + "tblPr" and first.find(W + "tblStyle") is not None):
        return True
    return None


# Word's highlight colours (w:highlight), as the colour each draws.
_HIGHLIGHTS = {"black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
               "red": "FF0000", "yellow": "FFFF00", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
               "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080",
               "lightGray": "C0C0C0"}
_NEAR = 0x40  # channels closer than this on every side: the text does not stand out from its ground


def _lost_in_ground(run, r_pr, color: str | None, around: Around) -> bool:
    """Whether the run's text is drawn in the colour of what it is drawn on: its highlight or shading, or its
    paragraph's or table cell's shading (black on a black highlight: the careless 涂黑 of a name). "auto" text is black."""
    ground = None
    if r_pr is not None:
        ground = _HIGHLIGHTS.get(_val(r_pr, "highlight") or "") or _fill(r_pr.find(W + "shd"))
    if ground is None:
        ground = around(run.getparent(), _ground)
    if ground is None:
        return False
    text = color if color and re.fullmatch(r"[0-9A-Fa-f]{6}", color) else "000000"
    return all(abs(int(text[at:at + 2], 16) - int(ground[at:at + 2], 16)) < _NEAR for at in (0, 2, 4))


def _ground(element) -> str | None:
    """The fill of a paragraph's or table cell's shading; None for another element or without one."""
    if element.tag not in (W + "p", W + "tc"):
        return None
    first = next(element.iterchildren(), None)  # pPr and tcPr come first (len() counts every run: quadratic)
    return _fill(first.find(W + "shd")) if first is not None and first.tag in (W + "pPr", W + "tcPr") else None


def _fill(shading) -> str | None:
    """A shading's fill colour (w:shd w:fill) when it names one."""
    fill = (shading.get(W + "fill") or "") if shading is not None else ""
    return fill if re.fullmatch(r"[0-9A-Fa-f]{6}", fill) else None


def _dark(shading) -> bool:
    """A shading (w:shd) whose fill is a colour other than white."""
    fill = (shading.get(W + "fill") or "") if shading is not None else ""
    return bool(fill) and fill.lower() != "auto" and not _is_white(fill)


def _is_white(color: str | None) -> bool:
    """A colour no one reads on white paper: every channel at least 0xF0."""
    if not color or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    return all(int(color[at:at + 2], 16) >= 0xF0 for at in (0, 2, 4))


def _is_red(color: str | None) -> bool:
    if not color or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    red, green, blue = int(color[:2], 16), int(color[2:4], 16), int(color[4:], 16)
    return red >= 0xB0 and green <= 0x60 and blue <= 0x60


def _style_numbering(element: Any) -> Any:
    """A style's own numbering (its w:pPr/w:numPr), or None."""
    properties = element.find(W + "pPr")
    return properties.find(W + "numPr") if properties is not None else None
