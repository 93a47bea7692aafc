"""RTF (a Word altChunk, an embedded or zipped file): the text of every group a reader can show or reveal.

Headers, footers, notes, comments, field codes and document properties are text a reader of the file
sees or reveals, so they are kept — a converter for display drops them. The text is read as Word draws it too:
fields' results among the words around them, judged as the DOCX reader judges fields (`fields.py`). Skipped as text are the groups
that hold no text but data (fonts, colours, styles, embedded objects in hex), whose long runs of hex
digits would read as numbers; an embedded object is named as not read (GK305). A picture's data (in hex
or after `\\bin`) is the file a reader saves from the document: it is read as a picture attached (its
metadata, what follows its end), its properties (a description, an alt text) as text. Raw bytes after
`\\bin` elsewhere are read as the file they are: a text editor shows them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

from .. import symbol_fonts
from .core import AS_SHOWN, OLE, Reading, named, note_programs, packaged_program, read_appended
from .fields import COMPUTED_BESIDE_DIGITS, LIST_NUMBER_BESIDE_DIGITS, RECOMPUTED, computed_beside_digits, field_kind, field_symbol
from .pictures import picture_texts

# One token at a time; the alternatives start with different characters, so matching is linear.
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S
)
# Groups of data, not text.
_DATA = frozenset((
    "fonttbl", "colortbl", "stylesheet", "listoverridetable", "themedata", "colorschememapping",
    "datastore", "latentstyles", "rsidtbl", "blipuid", "panose", "fontemb", "fontfile", "passwordhash", "objdata",
    "bkmkend", "xmlnstbl", "wgrffmtfilter", "generator", "mmodsoudldata",
    "datafield", "protusertbl", "revtbl", "filetbl",
))
# Groups that are parts of their own (a header, a note, a property, a field's code): a line apart from the text
# around them. Formatting groups ({\\b …}) run on in their line, so a number split by them stays one.
_PARTS = frozenset((
    "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation",
    "atnauthor", "atnid", "info", "title", "subject", "author", "operator", "keywords", "comment", "doccomm", "company",
    "manager", "category", "hlinkbase", "fldinst", "fldrslt", "shptxt", "sn", "sv", "txe", "xe", "tc", "propname",
    "staticval", "userprops", "docvar", "ffname", "ffdeftext", "ffhelptext", "ffstattext", "ffl", "bkmkstart",
    "leveltext", "listname",  # what a list level draws before each of its paragraphs (\listtable): Word draws it
))
_BREAKS = {"par": "\n", "line": "\n", "row": "\n", "sect": "\n", "page": "\n", "cell": "\t", "nestcell": "\t",
           "tab": "\t", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’",
           "ldblquote": "“", "rdblquote": "”", "emspace": " ", "enspace": " ", "qmspace": " "}
_SYMBOLS = {b"~": " ", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n"}


def _codec(page: int) -> str:
    try:
        return codecs.lookup(f"cp{page}").name
    except LookupError:
        return "gb18030"


# A font's \fcharset → the code page its \'hh bytes are read in (Word's table; 0 and 1 are the document's \ansicpg).
_CHARSET_PAGES = {128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255,
                  178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250, 255: 437}


@dataclass
class RtfContent:
    """What an RTF file holds for a reader: its text, whether it embeds objects, the pictures' bytes (in the order
    they come) and the raw bytes `\\bin` writes outside a picture; its text as Word draws it (`shown`: fields' results
    among the words around them, their codes left out), and the lines of that text whose fields Word works out itself
    (`fields.field_kind`): as the page is laid out, touching a digit (`computed`), or as it opens the file (`recomputed`)."""

    text: str
    objects: bool
    pictures: list[bytes] = field(default_factory=list)
    recomputed: list[int] = field(default_factory=list)
    binaries: list[bytes] = field(default_factory=list)
    shown: str = ""
    computed: list[int] = field(default_factory=list)
    styled: str = ""  # the text with the runs no font names read in the symbol font their style sheet entry gives


class _Drawn(NamedTuple):
    """A stretch of the text as drawn and what part of a field it is (`fields.field_kind`, "" for none)."""

    text: str
    kind: str


@dataclass
class _Field:
    """A `\\field` group being read, judged as the DOCX reader judges a `w:fldChar` field: its code (`\\fldinst`), whether
    it is marked dirty (`\\flddirty`), which of its groups is being read and how deep each group lies."""

    depth: int
    dirty: bool = False
    code: list[str] = field(default_factory=list)
    reading: str = ""  # "instruction" within \fldinst, "result" within \fldrslt
    reading_depth: int = 0
    judged: str | None = None  # its kind, judged once (as its result begins, its code read): no code is read after

    @property
    def kind(self) -> str:
        if self.judged is None:
            self.judged = field_kind("".join(self.code), self.dirty)
        return self.judged

    @property
    def result_kind(self) -> str:
        """What its stored result is to a reader: SYMBOL's is "replaced" by the character it draws."""
        kind = self.kind
        return "replaced" if kind == "symbol" else kind


_NOT_HEX = re.compile(rb"[^0-9a-fA-F]+")


_STYLE_DEPTH = 20  # style sheet entries followed through the entries they are based on


def _from_hex(text: bytes | bytearray) -> bytes:
    """The bytes an RTF group writes in hex, whatever lies between its digits (line breaks, spaces)."""
    digits = _NOT_HEX.sub(b"", text)
    return bytes.fromhex(digits[:len(digits) & ~1].decode())


def rtf_text(data: bytes) -> RtfContent:
    """The text of an RTF file, whether it embeds objects that were not read, and the files it holds as data."""
    out: list[str] = []
    pending = bytearray()  # \'hh bytes and raw bytes, decoded together (a GBK character is two of them)
    encoding = document_encoding = "cp936"  # Word writes \ansicpg; Chinese files without it are GBK
    skip = False
    part = False  # the group is a part of its own (_PARTS)
    picture: bytearray | None = None  # the hex data of the \pict group being read (its own runs, not its subgroups')
    raw_picture: bytearray | None = None  # its data written raw, after \bin
    skip_chars = 0  # characters still to drop after a \uN (its fallback)
    uc = 1
    fonts: dict[int, str] = {}  # a font's number → the codec of its \fcharset (Word reads a run's bytes in its font's)
    in_fonts = False  # within the font table
    defining: int | None = None  # the font the table's entry being read defines
    default_font = 0
    # A symbol font's runs (Wingdings …: named so, or \fcharset2) are codes the font draws pictures at, not text in a
    # code page: \'ab in Wingdings is ★. The font's table (`symbol_fonts`), "" for a \fcharset2 font of another name.
    names: dict[int, bytearray] = {}  # a font's number → its name as the table writes it
    symbol_charset: set[int] = set()
    entry_depth = 0  # how deep the font table's entry being read lies (its name; not its \panose or \falt)
    drawn_in: str | None = None  # the current run's font's, None for a font of text
    # The style sheet (\\stylesheet): each entry's (\\s paragraph, \\cs character …) font and the entry it is based on.
    # A writer repeats a style's properties where it applies it, and Word reads those; a reader that applies the style's
    # own (LibreOffice) draws a run without a font in its style's: such runs are read in a symbol font a style gives too.
    style_fonts: dict[tuple[str, int], int] = {}
    style_based: dict[tuple[str, int], tuple[str, int]] = {}
    styles_depth = 0  # how deep the style sheet lies while it is read
    entry: tuple[str, int] = ("s", 0)
    applied: dict[str, int] = {"s": 0, "cs": -1}  # the paragraph and character styles applied
    applied_stack: list[tuple[int, int, bool]] = []
    style_tables: dict[tuple[int, int], str | None] = {}  # (paragraph, character style) → `style_symbol`, worked out once
    styled_out: list[str] = []  # `out` with the runs no font names read in their style's symbol font
    font_named = False  # a run's font named since the group began or its style was applied

    def symbol_of(number: int) -> str | None:
        table = symbol_fonts.symbol_font(bytes(names.get(number, b"")).decode("latin-1").split(";")[0].strip())
        return table if table is not None else "" if number in symbol_charset else None

    stack: list[tuple[bool, bool, int, bytearray | None, bytearray | None, bool, str, bool, str | None]] = []
    in_picture = False  # the current group is the \pict group itself
    found = RtfContent("", False)
    position = 0
    fields: list[_Field] = []  # the fields open, innermost last
    result_kind = ""  # the innermost open field's result's (judged once, as its result begins)
    drawn: list[str] = []  # the text as Word draws it, stretch by stretch
    kinds: dict[int, str] = {}  # the stretches of a field's result Word works out itself or draws otherwise, by index

    def style_symbol() -> str | None:
        """The symbol font's table of the character style applied, else the paragraph style's (through its bases)."""
        key = (applied["s"], applied["cs"])
        if key not in style_tables:
            style_tables[key] = style_symbol_of()
        return style_tables[key]

    def style_symbol_of() -> str | None:
        for kind in ("cs", "s"):
            key = (kind, applied[kind])
            for _ in range(_STYLE_DEPTH):
                if key in style_fonts:
                    if table := symbol_of(style_fonts[key]):
                        return table
                    break
                if key not in style_based:
                    break
                key = style_based[key]
        return None

    def put(text: str, apart: bool = False, styled: str | None = None) -> None:
        """Add text; `apart`: the line a field's code or result is read on apart, which Word does not draw; `styled`:
        the text read in its style's symbol font, where that differs."""
        out.append(text)
        styled_out.append(text if styled is None else styled)
        if not fields:
            drawn.append(text)
        elif fields[-1].reading == "result" and not apart and result_kind != "replaced":
            if result_kind:
                kinds[len(drawn)] = result_kind
            drawn.append(text)
        elif fields[-1].reading == "instruction" and not apart:
            fields[-1].code.append(text)

    def flush() -> None:
        if pending:
            styled = style_symbol() if drawn_in is None and not font_named else None
            put(pending.decode(encoding, errors="replace") if drawn_in is None else as_drawn(pending.decode("latin-1")),
                styled=symbol_fonts.drawn(pending.decode("latin-1"), styled) if styled else None)
            pending.clear()

    def as_drawn(text: str) -> str:
        """A symbol font's codes as it draws them; an unknown one's as its codes (F0xx), which `fold` reads for stars."""
        if drawn_in:
            return symbol_fonts.drawn(text, drawn_in)
        return "".join(chr(0xF000 + ord(char)) if 0x20 <= ord(char) <= 0xFF else char for char in text)

    def close_field() -> str:
        """End the innermost field: what Word draws for it besides its stored result; the kind of the result around."""
        closed = fields.pop()
        kind = closed.kind
        if kind in ("symbol", "computed", "recomputed"):  # a field without a stored result still shows one
            kinds[len(drawn)] = kind
            drawn.append(field_symbol("".join(closed.code)) if kind == "symbol" else "")
        return fields[-1].result_kind if fields and fields[-1].reading == "result" else ""

    while position < len(data):
        token = _TOKEN.match(data, position)
        if token is None:  # a lone "\" at the end
            break
        position = token.end()
        word, parameter, hexa, symbol, brace, run = token.groups()
        if brace == b"{":
            stack.append((skip, part, uc, picture, raw_picture, in_picture, encoding, in_fonts, drawn_in))
            applied_stack.append((applied["s"], applied["cs"], font_named))
            if styles_depth:
                entry = ("s", 0)
            part = in_picture = False
            continue
        if brace == b"}":
            flush()
            if part:
                put("\n", apart=bool(fields) and fields[-1].reading_depth == len(stack))
            if fields and fields[-1].reading_depth == len(stack):
                fields[-1].reading = ""
                fields[-1].reading_depth = 0
            if fields and fields[-1].depth == len(stack):
                result_kind = close_field()
            if in_picture and picture is not None and raw_picture is not None:
                found.pictures.append(bytes(raw_picture) or _from_hex(picture))
            if applied_stack:
                applied["s"], applied["cs"], font_named = applied_stack.pop()
            if styles_depth and len(stack) <= styles_depth:
                styles_depth = 0
            if stack:
                leaving_fonts = in_fonts
                skip, part, uc, picture, raw_picture, in_picture, encoding, in_fonts, drawn_in = stack.pop()
                if leaving_fonts and not in_fonts:  # the text that names no font is in the default one's (\deff)
                    encoding = fonts.get(default_font, encoding)
                    drawn_in = symbol_of(default_font)
            else:
                part, picture, raw_picture, in_picture = False, None, None, False
            skip_chars = 0
            continue
        if word is not None:
            name = word.decode("ascii")
            if name == "bin" and parameter:  # raw binary data follows: never text, but a picture's or a file's bytes
                length = max(0, int(parameter))
                raw = data[position:position + length]
                position += length
                if in_picture and raw_picture is not None:
                    raw_picture.extend(raw)
                elif not skip and raw:
                    found.binaries.append(raw)
                continue
            if styles_depth:
                if name in ("s", "cs", "ds", "ts") and parameter:
                    entry = (name if name in ("s", "cs") else "other", int(parameter))
                elif name == "f" and parameter:
                    style_fonts[entry] = int(parameter)
                    style_tables.clear()
                elif name == "sbasedon" and parameter:
                    style_based[entry] = (entry[0], int(parameter))
                    style_tables.clear()
            elif name in ("s", "cs") and parameter and not skip:
                flush()
                applied[name] = int(parameter)
                font_named = False
            elif name in ("pard", "plain") and not skip:
                flush()
                applied["s" if name == "pard" else "cs"] = 0 if name == "pard" else -1
            if name == "stylesheet":
                styles_depth = len(stack)
            if in_fonts and name == "f" and parameter:
                defining = int(parameter)
                entry_depth = len(stack)
            elif in_fonts and name == "fcharset" and parameter and defining is not None:
                if int(parameter) == 2:
                    symbol_charset.add(defining)
                page = _CHARSET_PAGES.get(int(parameter))
                fonts[defining] = _codec(page) if page else document_encoding
            elif name == "field" and not skip:
                flush()
                fields.append(_Field(len(stack)))
            elif name == "flddirty" and fields:
                fields[-1].dirty = True
            elif (name in ("fldinst", "fldrslt") and fields and not fields[-1].reading and not skip
                  and (name == "fldrslt" or fields[-1].judged is None)):
                flush()
                fields[-1].reading = "instruction" if name == "fldinst" else "result"
                fields[-1].reading_depth = len(stack)
                if name == "fldrslt":
                    result_kind = fields[-1].result_kind
                if not part:  # a part of its own (_PARTS), read on a line apart
                    put("\n", apart=True)
                    part = True
            elif name == "deff" and parameter:
                default_font = int(parameter)
            elif name == "plain" and not skip:
                flush()
                encoding = fonts.get(default_font, document_encoding)
                drawn_in = symbol_of(default_font)
            elif name == "f" and parameter and not skip:  # a run in another font: its bytes in that font's code page
                flush()
                font_named = True
                encoding = fonts.get(int(parameter), document_encoding)
                drawn_in = symbol_of(int(parameter))
            elif name == "pict" and not skip:
                flush()
                picture, raw_picture, in_picture = bytearray(), bytearray(), True
            elif name in _DATA:
                found.objects = found.objects or name == "objdata"
                in_fonts = in_fonts or name == "fonttbl"
                skip = True
            elif name in _PARTS and not part:
                flush()
                put("\n")
                part = True
            elif name == "ansicpg" and parameter:
                flush()
                encoding = document_encoding = _codec(int(parameter))
            elif name == "uc" and parameter:
                uc = max(0, int(parameter))
            elif name == "u" and parameter and not skip and not in_picture:
                flush()
                char = chr(int(parameter) % 65536)
                styled = style_symbol() if drawn_in is None and not font_named else None
                put(char if drawn_in is None else as_drawn(char), styled=symbol_fonts.drawn(char, styled) if styled else None)
                skip_chars = uc
            elif name in _BREAKS and not skip and not in_picture:
                flush()
                put(_BREAKS[name])
            continue
        if in_fonts and run and defining is not None and len(stack) == entry_depth:
            names.setdefault(defining, bytearray()).extend(run[:256])
        if skip:
            continue
        if in_picture and picture is not None:  # the picture's data, in hex
            if run:
                picture.extend(run)
            continue
        if hexa is not None:
            if skip_chars:
                skip_chars -= 1
            else:
                pending.append(int(hexa, 16))
        elif symbol is not None:
            if symbol != b"*" and symbol in _SYMBOLS:
                flush()
                put(_SYMBOLS[symbol])
        elif run:
            dropped = min(skip_chars, len(run))
            skip_chars -= dropped
            pending.extend(run[dropped:])
    flush()
    while fields:  # a file cut short: its fields end with it
        close_field()
    found.text = "".join(out)
    found.styled = "".join(styled_out)
    found.shown = "".join(drawn)
    for number, line in _lines_with_fields(drawn, kinds):
        if computed_beside_digits(line):
            found.computed.append(number)
        if any(piece.kind == "recomputed" for piece in line):
            found.recomputed.append(number)
    return found


def _lines_with_fields(drawn: list[str], kinds: dict[int, str]) -> Iterator[tuple[int, list[_Drawn]]]:
    """The lines of the text as drawn (a paragraph, a cell) that hold a field's result Word works out itself, each
    with its number and its stretches (those across lines cut where the lines end); the other lines are only counted."""
    number = 1
    first, skipped = 0, 0  # the current line's first stretch, and how much of it lies on the lines before
    holds = False  # the current line holds a field's result
    for index, text in enumerate(drawn) if kinds else ():
        holds = holds or index in kinds
        if "\n" not in text:
            continue
        breaks = text.count("\n")
        if holds:
            yield number, _stretches(drawn, kinds, first, skipped, index, text.index("\n"))
        if breaks > 1 and index in kinds:  # a result over whole lines: each of them is one
            yield from ((number + line, [_Drawn(part, kinds[index])]) for line, part in enumerate(text.split("\n")[1:-1], 1))
        number += breaks
        first, skipped, holds = index, text.rindex("\n") + 1, index in kinds
    if holds:
        yield number, _stretches(drawn, kinds, first, skipped, len(drawn) - 1, len(drawn[-1]))


def _stretches(drawn: list[str], kinds: dict[int, str], first: int, skipped: int, last: int, kept: int) -> list[_Drawn]:
    """The stretches from `first` (but its `skipped` characters) to `last` (its `kept` first characters)."""
    if first == last:
        return [_Drawn(drawn[first][skipped:kept], kinds.get(first, ""))]
    return [_Drawn(drawn[first][skipped:], kinds.get(first, "")),
            *(_Drawn(drawn[index], kinds.get(index, "")) for index in range(first + 1, last)),
            _Drawn(drawn[last][:kept], kinds.get(last, ""))]


# A list level's text (\leveltext) holds its levels' numbers as the characters 0 to 8, which no other text holds.
_LEVEL_NUMBER_BESIDE_DIGIT = re.compile(r"\d[\x00-\x08]|[\x00-\x08]\d")


def read_rtf(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    found = rtf_text(data)
    reading.add(named(prefix, "第 {line} 行"), found.text)
    if found.shown != found.text:  # fields' results read among the words around them, as Word draws them
        reading.add(named(prefix, f"第 {{line}} 行{AS_SHOWN}"), found.shown)
    if found.styled != found.text:  # runs in the symbol font of their style sheet entry
        reading.add(named(prefix, "第 {line} 行（按样式的字体显示）"), found.styled)
    if found.objects:
        reading.skip(named(prefix, "嵌入的对象"), "RTF 中嵌入的对象（其他文件）无法自动读取")
    for number in found.computed:  # the same judgement and words as a Word document's (fields.py)
        reading.skip(named(prefix, f"第 {number} 行{AS_SHOWN}"), COMPUTED_BESIDE_DIGITS)
    for number in found.recomputed:
        reading.skip(named(prefix, f"第 {number} 行{AS_SHOWN}"), RECOMPUTED)
    if _LEVEL_NUMBER_BESIDE_DIGIT.search(found.text):  # a list level's text: `139` beside its number's placeholder
        reading.skip(named(prefix, "列表编号"), LIST_NUMBER_BESIDE_DIGITS)
    for number, picture in enumerate(found.pictures, 1):  # metadata, what follows the picture: as a picture attached
        picture_texts(picture, named(prefix, f"第 {number} 张图片："), reading, depth + 1)
    if found.pictures:
        reading.skip(named(prefix, f"{len(found.pictures)} 张图片"), "图片中的文字无法自动读取")
    blobs = _objects(data)
    for number, blob in enumerate(blobs, 1):
        _embedded(blob, named(prefix, f"第 {number} 个嵌入对象"), reading)
    if len(blobs) == MAX_OBJECTS and next(islice(_OBJECT_DATA.finditer(data), MAX_OBJECTS, None), None):  # a 101st
        reading.runs(named(prefix, f"超过 {MAX_OBJECTS} 个的嵌入对象（没有逐一检查其中有无公式编辑器 3.0 对象或程序）"))
    for number, raw in enumerate(found.binaries, 1):  # \bin outside a picture: bytes a text editor shows
        read_appended(raw, named(prefix, f"第 {number} 段二进制数据（\\bin）："), reading, depth)


# An embedded object's data (OLE 1.0: version, format, the class's name, then the object's own bytes), in hex.
_OBJECT_DATA = re.compile(rb"\\objdata(?![A-Za-z])([0-9a-fA-F\s]*)")
MAX_OBJECTS = 100
# Equation Editor 3.0, removed from Office in 2018 for its holes and still opened by old readers: an object of its
# class in a published document is what an attack on the reader's computer looks like (CVE-2017-11882).
_EQUATION = frozenset(("Equation.3", "Equation.2", "Equation", "Equation.DSMT4"))


def _objects(data: bytes) -> list[bytes]:
    """The bytes of each object an RTF file embeds (its first MAX_OBJECTS)."""
    blobs = []
    for found in _OBJECT_DATA.finditer(data):
        blobs.append(_from_hex(found[1]))
        if len(blobs) >= MAX_OBJECTS:
            break
    return blobs


def _embedded(blob: bytes, where: str, reading: Reading) -> None:
    """What an embedded object runs: Equation Editor, a packaged program, or a document inside it (its macros)."""
    length = int.from_bytes(blob[8:12], "little") if len(blob) >= 12 else 0
    kind = blob[12:12 + length].rstrip(b"\0").decode("latin-1") if 0 < length <= 256 else ""
    if kind in _EQUATION:
        reading.runs(f"{where}（公式编辑器 3.0 对象：这个已停用的程序常被用来攻击读者的电脑）")
    elif kind == "Package" and (name := packaged_program(blob)):
        reading.runs(f"{where}中嵌入的程序或脚本“{name}”（双击图标即运行）")
    inside = blob.find(OLE)
    if inside >= 0:  # the object's own file (a workbook, a document): its macros, a program it packages
        note_programs(blob[inside:], "", f"{where}：", reading)
