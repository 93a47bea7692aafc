"""PDF: every page's text, annotations (their texts, link targets and what they draw), form fields (AcroForm and
XFA), embedded files, bookmarks, page labels and metadata (Info and XMP), in the PDF as it is and in each earlier
revision an incremental save kept; pages without a text layer are named."""

from __future__ import annotations

import bisect
import contextlib
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import Any

from .. import symbol_fonts
from ..attachments import suffix_of
from .core import AS_SHOWN, TOTAL_BYTES, Reading, Refused, host_of, keywords, named, read, read_appended, refuse_if_hostile, worth_reading
from .text import decode_text

MAX_REVISIONS = 8  # earlier revisions of an incrementally saved PDF that are read; more are named as unread
_END = re.compile(rb"%%EOF[ \t]*(?:\r\n|\r|\n)?")


def read_pdf(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """The PDF as it shows now, then each earlier revision it still holds (an incremental save appends its
    changes and keeps what it replaced: cutting the file at an earlier %%EOF shows that revision again), then
    whatever else its bytes hold that no revision shows (`_unshown`); a file pypdf had to mend as it read is named."""
    with _mended() as mends:
        _read_pdf(data, prefix, reading, depth)
    if mends:
        reading.skip(prefix, f"PDF 的结构有错误（{'；'.join(sorted(mends))}），pypdf 读取时自行修补，而各种阅读软件的修补方式不同，"
                             "显示的可能是另外的内容（另一页、另一种字体编码），无法确认读到的就是显示的；请用常用的阅读软件打开核对，"
                             "最好重新导出后再附上")


# What pypdf says as it mends a file where viewers each mend it their own way: a dictionary holding a key twice (pypdf
# keeps the first value, pdf.js and PDFium the last: another font's encoding, another page tree, another catalog), an
# object found by searching the bytes (a reference whose generation the table does not list: PDFium takes the table's
# object of that number, pypdf the first `5 0 obj` it finds), a catalog searched for.
_MENDS = (("Multiple definitions in dictionary", "同一字典中重复的键"), ("ref repaired", "交叉引用表中对象的位置有误"),
          (" found", "交叉引用表中没有列出的对象"), ("Searching object with", "找不到文档目录"),
          ("Possible root found", "找不到文档目录"))


class _Mends(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.msg if isinstance(record.msg, str) else ""
        self.said.update(meaning for words, meaning in _MENDS if words in message)


@contextlib.contextmanager
def _mended() -> Iterator[set[str]]:
    """The mends pypdf makes while the block runs (its warnings, silenced for the rest of the process)."""
    logger = logging.getLogger("pypdf")
    handler, level, propagate = _Mends(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler.said
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _read_pdf(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    first = len(reading.segments)
    readers = [_read_revision(data, prefix, reading, depth)]
    now = {line for segment in reading.segments[first:] for line in segment.text.splitlines()}
    ends = [end.end() for end in _END.finditer(data)]
    appended = data[ends[-1]:].lstrip(b"\0\r\n\t ") if ends else b""
    if appended:  # after the last %%EOF: viewers ignore it, anyone can cut it off and open it (a zip, a text)
        read_appended(appended, named(prefix, "文件结束标记（%%EOF）之后附加的内容："), reading, depth)
    earlier = ends[:-1]  # the last %%EOF closes the file as it is now
    if len(earlier) > MAX_REVISIONS:
        reading.skip(named(prefix, f"最早的 {len(earlier) - MAX_REVISIONS} 个版本（增量保存前的内容）"),
                     f"PDF 保存了 {len(earlier)} 个早先版本，只读取了最近的 {MAX_REVISIONS} 个")
        earlier = earlier[-MAX_REVISIONS:]
    for number, end in enumerate(reversed(earlier), 1):
        revision = Reading(inflated=reading.inflated, chars=reading.chars, laid_out=reading.laid_out)
        try:
            readers.append(_read_revision(data[:end], named(prefix, f"第 {number} 个早先版本（增量保存前）的"), revision, depth))
        except (Refused, MemoryError):
            raise
        except Exception:  # not a revision pypdf can read (a linearised file's first part): nothing to add
            continue
        reading.inflated, reading.laid_out = revision.inflated, revision.laid_out
        for segment in revision.segments:  # only what differs from the PDF as it is now
            if any(line not in now for line in segment.text.splitlines()):
                reading.add(segment.where, segment.text)
    if len(ends) - 1 <= MAX_REVISIONS:  # what follows the last %%EOF is read above, as the file it is
        shown = data[:ends[-1]] if ends else data
        read_so_far = _read_so_far(reading.segments[first:])
        _guarded(reading, named(prefix, "未显示的内容"),
                 lambda: _unshown(shown, readers, prefix, reading, depth, read_so_far))
    else:  # its objects are not all read, but whether any runs a script is still asked
        _guarded(reading, named(prefix, "脚本和动作"),
                 lambda: _note_actions(_suspect_objects(data, readers[0]), prefix, reading))


def _read_so_far(segments: list[Any]) -> set[str]:
    """Each line, and each tab-separated value of a line, of what the file's parts gave (a property is read as
    `Title\tvalue`): a string of an object that is one of them was read already."""
    known: set[str] = set()
    for segment in segments:
        for line in segment.text.splitlines():
            known.add(line.strip())
            known.update(value.strip() for value in line.split("\t"))
    return known


def _read_revision(data: bytes, prefix: str, reading: Reading, depth: int) -> Any:
    """Reads one revision; its reader."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        reading.skip(prefix, "PDF 已加密，无法读取文字")
        return reader
    blank = []
    total = 0
    for number, page in enumerate(reader.pages, 1):
        total = number
        try:
            symbols = _SymbolFonts()
            parsed = _parsed(page)
            with _contents_as(page, parsed):  # parsed once, for the text as shown and as drawn (`_read_as_drawn`)
                text = page.extract_text(visitor_text=symbols.see) or ""
        except (Refused, MemoryError):
            raise
        except Exception as exc:
            refuse_if_hostile(exc, named(prefix, f"第 {number} 页"))
            reading.skip(named(prefix, f"第 {number} 页"), f"文字无法读取（{type(exc).__name__}）")
            continue
        if text.strip():
            reading.add(named(prefix, f"第 {number} 页第 {{line}} 行"), text)
            if (drawn := symbols.text()) is not None and drawn != text:
                reading.add(named(prefix, f"第 {number} 页第 {{line}} 行{AS_SHOWN}"), drawn)
        else:
            blank.append(number)
        _guarded(reading, named(prefix, f"第 {number} 页"), partial(_read_cut_images, page, text, number, prefix, reading))
        _guarded(reading, named(prefix, f"第 {number} 页按显示位置排列的文字"),
                 partial(_read_as_drawn, page, parsed, text, number, prefix, reading))
        where = named(prefix, f"第 {number} 页的批注")
        _guarded(reading, where, partial(_annotations, page, where, reading, depth))
    _guarded(reading, named(prefix, "页面树"), lambda: _read_unlisted_pages(reader, prefix, reading, depth))
    if blank and len(blank) == total:
        reading.skip(prefix, "PDF 没有文字层（可能是扫描件或图片）")
    elif blank:
        reading.skip(named(prefix, f"第 {'、'.join(map(str, blank[:10]))}{' 等' if len(blank) > 10 else ''} 页"),
                     "没有文字层（可能是扫描件或图片）")
    _guarded(reading, named(prefix, "表单域"), lambda: _form_fields(reader, named(prefix, "表单域"), reading))
    _guarded(reading, named(prefix, "XFA 表单"), lambda: _xfa(reader, named(prefix, "XFA 表单"), reading))
    _guarded(reading, named(prefix, "书签"), lambda: reading.add(named(prefix, "书签第 {line} 个"),
                                                                "\n".join(_outline(reader.outline))))
    _guarded(reading, named(prefix, "页码标签"), lambda: reading.add(named(prefix, "页码标签第 {line} 个"),
                                                                  "\n".join(_page_labels(reader))))
    _guarded(reading, named(prefix, "替代文字"), lambda: reading.add(named(prefix, "替代文字（无障碍阅读和复制时读出的文字）第 {line} 项"),
                                                                  "\n".join(_alternate_texts(reader))))
    _guarded(reading, named(prefix, "文档属性"), lambda: _metadata(reader, named(prefix, "文档属性"), reading))
    _guarded(reading, named(prefix, "内嵌文件"), lambda: _pdf_files(reader, prefix, reading, depth))
    return reader


class Unfinished(Exception):
    """A walk of a file's objects reached its bound before its end: what it did not reach went unread (GK305), never
    passed over in silence (a macro sheet listed after 100,000 records went unreported)."""


class _SymbolFonts:
    """A page's text as pypdf's extraction gives it, piece by piece, with what a symbol font draws (a BaseFont of
    Wingdings, Symbol …) read as that font draws it: a Word-made PDF's Wingdings ★ is U+F0AB in its ToUnicode, or,
    without one, the code 0xAB read in the standard encoding (« or ‹ …). None from `text` when no symbol font draws."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.found = False
        # a font's id → the font (kept, so that its id stays its own), its table, its encoding reversed
        self.fonts: dict[int, tuple[Any, str | None, dict[str, int]]] = {}

    def see(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        table, codes = self._font(font)
        if table is not None and text:
            self.found = True
            text = symbol_fonts.drawn("".join(chr(codes[char]) if char in codes else char for char in text), table)
        self.pieces.append(text)

    def _font(self, font: Any) -> tuple[str | None, dict[str, int]]:
        if font is None or not hasattr(font, "get"):
            return None, {}
        if id(font) not in self.fonts:
            table = symbol_fonts.symbol_font(str(font.get("/BaseFont") or ""))
            codes: dict[str, int] = {}
            if table is not None:
                from pypdf._cmap import get_encoding

                with contextlib.suppress(Exception):  # a font pypdf cannot read: its text as pypdf gave it
                    encoding, _ = get_encoding(font)
                    if isinstance(encoding, dict):
                        codes = {char: code for code, char in sorted(encoding.items(), reverse=True)
                                 if isinstance(char, str) and len(char) == 1 and 0x20 <= code <= 0xFF}
            self.fonts[id(font)] = (font, table, codes)
        return self.fonts[id(font)][1:]

    def text(self) -> str | None:
        return "".join(self.pieces) if self.found else None


def _guarded(reading: Reading, part: str, read: Callable[[], None]) -> None:
    try:
        read()
    except (Refused, MemoryError):
        raise
    except Unfinished as exc:
        reading.skip(part, str(exc))
    except Exception as exc:
        refuse_if_hostile(exc, part)
        reading.skip(part, f"无法读取（{type(exc).__name__}）")


def _pdf_text(value: Any, depth: int = 0) -> str:
    """A PDF object as text: strings, names, numbers, arrays of them — each also as a reference to one, and a text
    stream as its text (a comment's rich text /RC, a field's /V or /RV may be either: a viewer shows both)."""
    from pypdf.generic import IndirectObject, StreamObject

    if depth > 8:  # arrays of references to arrays: the text a viewer shows is never this deep, a cycle is
        raise Unfinished("对象嵌套超过 8 层，没有读完")
    if isinstance(value, IndirectObject):
        return _pdf_text(value.get_object(), depth + 1)
    if isinstance(value, StreamObject):
        return decode_text(value.get_data())
    if isinstance(value, (list, tuple)):
        return "\t".join(_pdf_text(item, depth + 1) for item in value)
    if isinstance(value, bytes):
        return decode_text(value)
    return "" if value is None else str(value)


def _annotations(page: Any, where: str, reading: Reading, depth: int) -> None:
    lines = []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        for key in ("/Contents", "/T", "/Subj", "/TU", "/V", "/DV", "/CA", "/NM"):
            if key in annotation:
                lines.append(_pdf_text(annotation[key]))
        action = annotation.get("/A")
        if action is not None and "/URI" in action.get_object():  # a link's address shows when pointed at
            lines.append(_pdf_text(action.get_object()["/URI"]))
        lines.extend(_appearances(annotation))
        for key in ("/RC", "/RV"):  # rich text (a comment's, a rich-text field's widget): XHTML
            if key in annotation:
                from ..reader_text import visible

                lines.extend(visible(_pdf_text(annotation[key])).scanned())
        if annotation.get("/Subtype") == "/FileAttachment" and "/FS" in annotation:
            spec = annotation["/FS"].get_object()
            name = _pdf_text(spec.get("/UF") or spec.get("/F") or "附件")
            stream = (spec.get("/EF") or {}).get("/F")
            if stream is not None:
                read(stream.get_object().get_data(), suffix_of(name), f"{where}中的附件“{name}”：", reading, depth + 1)
    reading.add(where + "第 {line} 条", "\n".join(line for line in lines if line))


def _appearances(annotation: Any) -> Iterator[str]:
    """What an annotation shows on the page (a stamp, a field's value as drawn): the text of its appearance
    streams, which need not say what its /Contents says."""
    from pypdf.generic import StreamObject

    appearance = annotation.get("/AP")
    if appearance is None:
        return
    appearance = appearance.get_object()
    for key in ("/N", "/R", "/D"):
        value = appearance.get(key)
        value = value.get_object() if value is not None else None
        streams = [value] if isinstance(value, StreamObject) else [state.get_object() for state in (value or {}).values()]
        for stream in streams:
            if isinstance(stream, StreamObject):
                yield _drawn(stream, stream.get("/Resources"))


def _drawn(stream: Any, resources: Any) -> str:
    """The text a content stream other than a page's draws, read as pypdf reads a page."""
    from pypdf import PageObject
    from pypdf.generic import NameObject

    page = PageObject.create_blank_page(width=1, height=1)
    if resources is not None:
        page[NameObject("/Resources")] = resources.get_object()
    page[NameObject("/Contents")] = stream
    return page.extract_text() or ""


def _label_number(style: Any, start: Any) -> str:
    """The number a page label shows on the first page of its range: `/St` (1 by default) in the style `/S` (decimal,
    Roman, letters; none without a style). `/P (Tel 139) /S /D /St 12345678` labels that page Tel 13912345678."""
    number = int(start) if isinstance(start, int) and 0 < start < 10**30 else 1
    if style == "/D":
        return str(number)
    if style in ("/R", "/r") and number < 4000:
        roman = _roman(number)
        return roman if style == "/R" else roman.lower()
    if style in ("/A", "/a"):
        letter = chr(ord("A") + (number - 1) % 26) * min((number - 1) // 26 + 1, 64)
        return letter if style == "/A" else letter.lower()
    return ""


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                           (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


# The page tree as the viewers walk it. pypdf lets a node's /Type decide: a /Pages node without /Kids is no page, a
# /Page node's /Kids are never walked, and a page inherits /Resources from the nodes whose /Kids list it. PDFium takes
# any node with /Kids for a node and any other for a page; pdf.js any node typed /Page, or without /Kids, for a page;
# both inherit through the page's /Parent. A page hidden in either way showed its number and passed (rt44 F2).
_MAX_PAGE_TREE_DEPTH = 100  # pypdf's own bound on the page tree's depth, and pdf.js's on a /Parent chain


def _read_unlisted_pages(reader: Any, prefix: str, reading: Reading, depth: int) -> None:
    """The text of every dictionary of the page tree a viewer may show as a page, with every /Resources a viewer may
    draw it with, that pypdf's page list did not read so (read as pypdf reads a page; one that cannot be, named)."""
    from pypdf.generic import DictionaryObject

    pages = list(reader.pages)
    read = {(id(_resolved_object(page.get("/Contents"))), id(_resolved_object(page.get("/Resources")))) for page in pages}
    contents_read = {contents for contents, _ in read}
    for node, resources in _viewer_pages(reader.trailer["/Root"].get_object().get("/Pages")):
        contents = _resolved_object(node.get("/Contents"))
        if contents is None or (id(contents), id(resources)) in read:
            continue
        number = getattr(getattr(node, "indirect_reference", None), "idnum", None)
        listed = id(contents) in contents_read
        why = "按 /Parent 链继承的资源（字体等）读出，查看器这样显示" if listed else "查看器把它当作页面显示，pypdf 的页面列表中没有"
        where = named(prefix, f"页面树中{f'对象 {number} ' if number is not None else '的一个'}页面（{why}）")
        _guarded(reading, where, partial(lambda contents, resources, where: reading.add(
            where + "第 {line} 行", _drawn(contents, resources)), contents, resources, where))
        if not listed and isinstance(node, DictionaryObject):
            _guarded(reading, where + "的批注", partial(_annotations, node, where + "的批注", reading, depth))


def _viewer_pages(root: Any) -> Iterator[tuple[Any, Any]]:
    """(page, resources) for each dictionary of the page tree under `root` that pdf.js or PDFium shows as a page, with
    the /Resources inherited from the nodes that list it and, where they differ, those of its /Parent chain; each node
    walked once (no cycle), Unfinished past _MAX_NODES nodes or _MAX_PAGE_TREE_DEPTH levels."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending: list[tuple[Any, Any, int]] = [(_resolved_object(root), None, 0)]
    seen: set[int] = set()
    while pending:
        node, inherited, level = pending.pop()
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > _MAX_NODES:
            raise Unfinished(f"页面树的节点超过 {_MAX_NODES:,} 个，没有读完")
        if level > _MAX_PAGE_TREE_DEPTH:
            raise Unfinished(f"页面树嵌套超过 {_MAX_PAGE_TREE_DEPTH} 层，没有读完")
        own = _resolved_object(node.get("/Resources"))
        listing = own if own is not None else inherited
        kids = _resolved_object(node.get("/Kids"))
        if isinstance(kids, ArrayObject):
            pending.extend((_resolved_object(kid), listing, level + 1) for kid in reversed(kids))
        if "/Kids" not in node or _resolved_object(node.get("/Type")) == "/Page":
            parents = _parent_resources(node)
            yield from ((node, resources) for resources in {id(listing): listing, id(parents): parents}.values())


def _parent_resources(node: Any) -> Any:
    """The /Resources a page has or inherits through its /Parent chain, as the viewers read it; None if none."""
    from pypdf.generic import DictionaryObject

    seen: set[int] = set()
    for _ in range(_MAX_PAGE_TREE_DEPTH + 1):
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            return None
        seen.add(id(node))
        resources = _resolved_object(node.get("/Resources"))
        if resources is not None:
            return resources
        node = _resolved_object(node.get("/Parent"))
    raise Unfinished(f"页面的 /Parent 链超过 {_MAX_PAGE_TREE_DEPTH} 层，没有读完")


# An inline image (BI … ID data EI). pypdf and PDFium take the unfiltered data's length from /W, /H and /BPC; pdf.js
# ends it at the first EI followed by a blank whose next 15 bytes look like text and whose next tokens make a known
# operator with its operands. Text written after that EI but within the declared length is shown by Firefox and read
# by neither (rt44 F5): the page is read again with each image cut where pdf.js cuts it.
_OPERATOR_BEFORE = rb"(?<![^\0\t\n\f\r \[\]()<>{}])"  # an operator, not the end of a name or a word
_INLINE_START = re.compile(rb"[(%]|" + _OPERATOR_BEFORE + rb"BI(?![^\0\t\n\f\r \[\]()<>{}/%])")
_INLINE_DATA = re.compile(rb"[(%]|" + _OPERATOR_BEFORE + rb"ID")
_INLINE_FILTER = re.compile(rb"/(?:F|Filter)[\0\t\n\f\r ]*\[?[\0\t\n\f\r ]*/(?:DCT|DCTDecode|A85|ASCII85Decode|AHx|ASCIIHexDecode)"
                            rb"(?![^\0\t\n\f\r \[\]()<>{}/%])")
# pdf.js's content operators: (operands, whether fewer are taken too); and the other words its lexer knows, which a
# longer word is split after (`BDC` is read whole, `Qx` as Q and x; `true`, `false` and `null` are operands).
_PDFJS_OPERATORS: dict[str, tuple[int, bool]] = {
    **dict.fromkeys(("q", "Q", "h", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "W", "W*", "BT", "ET", "T*", "BI",
                     "ID", "EMC", "BX", "EX"), (0, False)),
    **dict.fromkeys(("w", "J", "j", "M", "ri", "i", "gs", "Tc", "Tw", "Tz", "TL", "Tr", "Ts", "Tj", "TJ", "'", "CS", "cs",
                     "G", "g", "sh", "EI", "Do", "MP", "BMC"), (1, False)),
    **dict.fromkeys(("d", "m", "l", "Tf", "Td", "TD", "d0", "DP", "BDC"), (2, False)),
    **dict.fromkeys(('"', "RG", "rg"), (3, False)),
    **dict.fromkeys(("v", "y", "re", "K", "k"), (4, False)),
    **dict.fromkeys(("cm", "c", "Tm", "d1"), (6, False)),
    "SC": (4, True), "sc": (4, True), "SCN": (33, True), "scn": (33, True)}
_PDFJS_WORDS = frozenset((*_PDFJS_OPERATORS, "BM", "BD", "true", "fa", "fal", "fals", "false", "nu", "nul", "null"))
_PDFJS_TOKEN = re.compile(rb"(?P<blank>[\0\t\n\f\r ]+|%[^\r\n]*)|(?P<operand>[+\-]*(?:[0-9]+\.?[0-9]*|\.[0-9]*)"
                          rb"|/[^\0\t\n\f\r \[\]()<>{}/%]*)|<<|>>|[^\0\t\n\f\r \[\]()<>{}/%]+|.", re.S)


def _read_cut_images(page: Any, text: str, number: int, prefix: str, reading: Reading) -> None:
    """What a page shows in Firefox past an inline image pypdf reads as longer: the lines its content, each inline
    image cut where pdf.js ends it, gives beyond `text` (the page as read). Nothing is done for a page without one."""
    from pypdf.generic import DecodedStreamObject

    content = _content_of(page.get("/Contents"))
    cut = _pdfjs_cut(content) if b"BI" in content else None
    if cut is None:
        return
    stream = DecodedStreamObject()
    stream.set_data(cut)
    try:
        shown = _drawn(stream, page.get("/Resources"))
    except (Refused, MemoryError):
        raise
    except Exception as exc:
        refuse_if_hostile(exc, named(prefix, f"第 {number} 页"))
        reading.skip(named(prefix, f"第 {number} 页"),
                     "内嵌图像的声明长度与其结束标记 EI 不一致，图像之后的内容按 Firefox 的读法无法读取")
        return
    known = {line.strip() for line in text.splitlines()}
    reading.add(named(prefix, f"第 {number} 页（内嵌图像在 Firefox 所认的 EI 处结束时）第 {{line}} 行"),
                "\n".join(line for line in shown.splitlines() if line.strip() not in known))


def _parsed(page: Any) -> Any:
    """The page's content parsed (its streams one after another), None for a page without one."""
    from pypdf.generic import ContentStream

    contents = _resolved_object(page.get("/Contents"))
    return None if contents is None else ContentStream(contents, page.pdf, "bytes")


@contextlib.contextmanager
def _contents_as(page: Any, parsed: Any) -> Iterator[None]:
    """The page with its content as `parsed` while the block runs: pypdf reads the operations parsed already."""
    from pypdf.generic import NameObject

    if parsed is None:
        yield
        return
    key = NameObject("/Contents")
    written = page.raw_get(key)  # the reference as written, not the object it names
    page[key] = parsed
    try:
        yield
    finally:
        page[key] = written


def _read_as_drawn(page: Any, parsed: Any, text: str, number: int, prefix: str, reading: Reading) -> None:
    """The page's lines as they are drawn, beyond `text` (the page as read, in the order its content shows them): each
    piece at its place, top to bottom and left to right, without the text the reader does not see there (drawn
    invisibly, in white, too small: `_unseen`). A line's pieces drawn in another order (`198701201243` first, `110105`
    before it), each character moved to its place, or `110105`, a white `x`, `198701201243` were read as
    198701201243110105, one digit a line, 110105x198701201243, and passed while the page shows the number."""
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject, NameObject

    if parsed is None:
        return
    differs: list[bool] = []
    fonts = DictionaryObject()  # the fonts of the forms drawn in the page, for those the page's own resources lack
    operations = list(_seen(_inlined(parsed.operations, page.get("/Resources"), page.pdf, fonts, [_INLINED]), differs,
                            _graphics_states(page.get("/Resources"))))
    if not differs:  # drawn in the order it is shown, all of it seen: as read (laying a page out costs as much again)
        return
    reading.laid_out += len(operations)
    if reading.laid_out > LAID_OUT:  # a page's layout costs as much as its reading again: bounded for the whole file
        if reading.laid_out - len(operations) <= LAID_OUT:  # named once, at the first page past the bound
            reading.skip(named(prefix, f"第 {number} 页起的页面"),
                         f"按显示位置排列文字超出上限（全文件 {LAID_OUT:,} 个绘制操作），只按内容中的顺序读取：乱序绘制或"
                         "夹有看不见的文字的号码可能读不出")
        return
    if fonts:
        resources = _resolved_object(page.get("/Resources"))
        resources = DictionaryObject(resources) if isinstance(resources, DictionaryObject) else DictionaryObject()
        own = _resolved_object(resources.get("/Font"))
        fonts.update(own if isinstance(own, DictionaryObject) else {})
        resources[NameObject("/Font")] = fonts
        page = PageObject.create_blank_page(page.pdf, width=1, height=1)
        page[NameObject("/Resources")] = resources
    known = {"".join(line.split()) for line in text.splitlines()}
    lines = (_SPACES.sub(" ", line).strip() for line in _laid_out(page, operations))  # a tab between cells kept
    reading.add(named(prefix, f"第 {number} 页第 {{line}} 行{AS_SHOWN}"),
                "\n".join(line for line in lines if line and "".join(line.split()) not in known))


_INLINED = 100_000  # operations of forms drawn in one page that are laid out with it
LAID_OUT = 40_000  # operations of the pages of one file laid out as drawn (about 3 s: 300 pages of 50 lines took 8 s)
_TEXT_SHOWN = re.compile(rb"T[jJ]|['\"]")


def _inlined(operations: Iterable[tuple[Any, bytes]], resources: Any, pdf: Any, fonts: Any, budget: list[int],
             depth: int = 0) -> Iterator[tuple[Any, bytes]]:
    """`operations` with each form XObject that shows text drawn in place of its `Do` (saved, in its /Matrix), to
    `_FORM_DEPTH` forms deep and up to `budget` operations in all; `fonts` gains the forms' fonts. A line's pieces drawn
    by forms in another order than the line reads were read in the order the forms are drawn."""
    from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, FloatObject, NameObject, StreamObject

    resources = _resolved_object(resources)
    forms = _resolved_object(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
    for operands, operator in operations:
        form = _resolved_object(forms.get(operands[0])) if (
            operator == b"Do" and operands and isinstance(forms, DictionaryObject) and depth < _FORM_DEPTH) else None
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form" or budget[0] <= 0 or not _TEXT_SHOWN.search(
                form.get_data()):
            yield operands, operator
            continue
        inner = ContentStream(form, pdf, "bytes").operations
        budget[0] -= len(inner)
        own = _resolved_object(form.get("/Resources"))
        named_fonts = _resolved_object(own.get("/Font")) if isinstance(own, DictionaryObject) else None
        if isinstance(named_fonts, DictionaryObject):
            for name, font in named_fonts.items():
                fonts.setdefault(NameObject(name), font)
        matrix = _resolved_object(form.get("/Matrix"))
        yield [], b"q"
        if isinstance(matrix, ArrayObject) and len(matrix) == 6:
            yield [FloatObject(_float(value)) for value in matrix], b"cm"
        yield from _inlined(inner, own if isinstance(own, DictionaryObject) else resources, pdf, fonts, budget, depth + 1)
        yield [], b"Q"


_FORM_DEPTH = 3


def _laid_out(page: Any, operations: list[tuple[Any, bytes]]) -> list[str]:
    """The lines `operations` draw on the page: each show's strings at the places pypdf's layout mode works out for them
    (a TJ array's strings each at its own), grouped by baseline from the top, each line's from the left, apart by a
    space where a gap parts them. pypdf's own layout joins a text object's shows in the order they come while the pen
    moves back less than five spaces: an ID drawn last digit first, each moved back an em, read reversed. Cells of a
    table drawn column by column are apart by a tab, as a sheet's: its row of counts is no phone number."""
    from pypdf._text_extraction._layout_mode import _fixed_width_page as layout

    fonts = page._layout_mode_fonts()
    state = layout.TextStateManager()
    shows: list[Any] = []
    remaining = iter(operations)
    for operands, operator in remaining:
        if operator in (b"BT", b"q"):
            shows.extend(layout.recurse_to_target_op(remaining, state, b"ET" if operator == b"BT" else b"Q", fonts, True)[1])
        elif operator == b"Tf":
            layout.set_font_operation(state, fonts, operands)
        else:
            state.set_state_param(operator, operands)
    placed = sorted(((-show.ty, show.tx, show) for show in shows
                     if show.text and not show.rotated and show.font.interpretable), key=lambda item: item[:2])
    lines: list[list[Any]] = []
    for _, _, show in placed:
        if lines and abs(lines[-1][0].ty - show.ty) <= 0.3 * max(show.font_height, 1.0):
            lines[-1].append(show)
        else:
            lines.append([show])
    texts = []
    for line in lines:
        pieces: list[str] = []
        end = None
        for show in sorted(line, key=lambda show: show.tx):
            if end is not None and show.tx - end > 0.2 * show.font_height:  # a column's gap: a tab, as an OFD's reads
                pieces.append("\t" if show.tx - end > _COLUMN * show.font_height else " ")
            pieces.append(show.text)
            end = show.displaced_tx
        texts.append("".join(pieces))
    return texts


_SPACES = re.compile(r"[^\S\t\n]+")
_COLUMN = 3  # a gap wider than this many font heights parts a table's cells, not words: read apart by a tab


_SHOWS = frozenset((b"Tj", b"TJ", b"'", b'"'))
_FILLS = frozenset((b"g", b"rg", b"k", b"sc", b"scn"))
_STROKES = frozenset((b"G", b"RG", b"K", b"SC", b"SCN"))
_SMALLEST = 2.0  # points: a glyph drawn smaller is a dot, no text a reader reads


def _graphics_states(resources: Any) -> dict[str, Any]:
    """The page's graphics state parameter dictionaries (ExtGState), by name."""
    from pypdf.generic import DictionaryObject

    resources = _resolved_object(resources)
    states = _resolved_object(resources.get("/ExtGState")) if isinstance(resources, DictionaryObject) else None
    return {str(name): _resolved_object(state) for name, state in states.items()} if isinstance(states, DictionaryObject) else {}


def _seen(operations: Iterable[tuple[Any, bytes]], differs: list[bool],
          graphics: dict[str, Any] | None = None) -> Iterator[tuple[Any, bytes]]:
    """A content's operations without the text shows the reader does not see (`_unseen`), each move of the text's place
    as a text object of its own (`_placed`). The graphics state they depend on is followed through q and Q. `differs`
    gains an item when a show is left out or `_placed` finds the text drawn out of the order it is shown in."""
    state = {"render": 0, "fill": False, "stroke": False, "clear fill": False, "clear stroke": False, "size": 12.0,
             "matrix": 1.0, "scale": 1.0}
    saved: list[dict[str, Any]] = []
    beyond = 0  # saves past the bound, which restore nothing
    for operands, operator in _placed(operations, differs):
        if operator == b"q":
            if len(saved) < 1000:
                saved.append(dict(state))
            else:
                beyond += 1
        elif operator == b"Q":
            if beyond:
                beyond -= 1
            elif saved:
                state = saved.pop()
        elif operator == b"Tr" and operands:
            state["render"] = int(_float(operands[0]))
        elif operator in _FILLS or operator in (b"cs", b"CS") or operator in _STROKES:
            state["stroke" if operator in _STROKES or operator == b"CS" else "fill"] = _white(operator, operands)
        elif operator == b"Tf" and len(operands) >= 2:
            state["size"] = abs(_float(operands[1]))
        elif operator == b"gs" and operands:  # a graphics state's fill and stroke opacity (/ca, /CA): 0 paints nothing
            found: Any = (graphics or {}).get(str(operands[0]))
            for key, paint in (("/ca", "clear fill"), ("/CA", "clear stroke")):
                if hasattr(found, "get") and found.get(key) is not None:
                    state[paint] = _float(_resolved_object(found.get(key))) <= 0.02
        elif operator == b"Tm" and len(operands) >= 6:
            state["matrix"] = _scale(operands)
        elif operator == b"BT":
            state["matrix"] = 1.0
        elif operator == b"cm" and len(operands) >= 6:
            state["scale"] *= _scale(operands)
        if operator in _SHOWS and _unseen(state):
            if not differs:
                differs.append(True)
            continue
        yield operands, operator


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _placed(operations: Iterable[tuple[Any, bytes]], differs: list[bool]) -> Iterator[tuple[Any, bytes]]:
    """The operations with each move of the text's place inside a text object (Tm, Td, TD, T*, and those of `'` and `"`)
    made a new text object at that place (ET, BT, and the place as a Tm): the same drawing, since a text object sets
    only the place, and laid out by where each is drawn. Read in one object, pieces drawn out of order by small moves
    back (each digit of an ID placed by its own Tm, in shuffled order) were joined in the order they are shown. `differs`
    gains an item where a show is drawn up the page or back along the line from the show before (by the text's place
    and the transformation, `cm`, it is drawn in), a show moved back past half an em (a TJ array's number past
    500) or letters spaced or scaled backwards (Tc, Tz)."""
    from pypdf.generic import ArrayObject, FloatObject

    line: tuple[float, ...] = _IDENTITY
    leading, within = 0.0, False
    transform: tuple[float, ...] = _IDENTITY  # the current transformation matrix, followed through q and Q
    saved: list[tuple[float, ...]] = []
    last: tuple[float, float] | None = None  # where the last show was drawn
    wandered = False  # the text's place left the last show's line since (pypdf reads a line break there)
    for operands, operator in operations:
        if operator == b"q" and len(saved) < 1000:
            saved.append(transform)
        elif operator == b"Q" and saved:
            transform = saved.pop()
        elif operator == b"cm" and len(operands) >= 6:
            transform = _product(tuple(_float(operand) for operand in operands[:6]), transform)
        if differs:
            pass
        elif operator in _SHOWS:
            x, y = line[4], line[5]
            place = (x * transform[0] + y * transform[2] + transform[4], x * transform[1] + y * transform[3] + transform[5])
            back = operator == b"TJ" and bool(operands) and isinstance(operands[0], ArrayObject) and any(
                isinstance(item, (int, float)) and item > 500 for item in operands[0])
            if back or last is not None and (place[1] > last[1] + 1 or abs(place[1] - last[1]) <= 1 and (
                    place[0] < last[0] - 1 or wandered)):
                differs.append(True)
            last, wandered = place, False
        elif operator in (b"Tc", b"Tz") and operands and _float(operands[0]) < (-1 if operator == b"Tc" else 1):
            differs.append(True)
        if operator == b"BT":
            line, within = _IDENTITY, True
        elif operator == b"ET":
            within = False
        elif operator == b"TL" and operands:
            leading = _float(operands[0])
        if not within or operator not in (b"Tm", b"Td", b"TD", b"T*", b"'", b'"'):
            yield operands, operator
            continue
        if operator == b"Tm" and len(operands) >= 6:
            line = tuple(_float(operand) for operand in operands[:6])
        elif operator in (b"Td", b"TD") and len(operands) >= 2:
            x, y = _float(operands[0]), _float(operands[1])
            leading = -y if operator == b"TD" else leading
            line = (*line[:4], x * line[0] + y * line[2] + line[4], x * line[1] + y * line[3] + line[5])
        else:  # T*, ' and ": to the next line
            line = (*line[:4], -leading * line[2] + line[4], -leading * line[3] + line[5])
        if last is not None and abs(line[4] * transform[1] + line[5] * transform[3] + transform[5] - last[1]) > 1:
            wandered = True
        if operator == b'"' and len(operands) >= 3:
            yield from (([operands[0]], b"Tw"), ([operands[1]], b"Tc"))
        yield from (([], b"ET"), ([], b"BT"), ([FloatObject(value) for value in line], b"Tm"))
        if operator in (b"'", b'"') and operands:
            yield [operands[-1]], b"Tj"


def _product(first: tuple[float, ...], second: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix `first` × `second` (a b c d e f, as PDF writes them)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = second
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _unseen(state: dict[str, Any]) -> bool:
    """Text the reader does not see: drawn invisibly (render modes 3 and 7: clipping only), filled or stroked in white
    on the white page or fully transparent (as its mode paints it), or smaller than `_SMALLEST`."""
    render = state["render"] % 8
    painted = {0: ("fill",), 1: ("stroke",), 2: ("fill", "stroke"), 4: ("fill",), 5: ("stroke",), 6: ("fill", "stroke")}
    invisible = render in (3, 7) or all(state[paint] or state[f"clear {paint}"] for paint in painted[render])
    return invisible or state["size"] * state["matrix"] * state["scale"] < _SMALLEST


def _white(operator: bytes, operands: Any) -> bool:
    """Whether a colour operator sets white: gray 1, RGB 1 1 1, CMYK 0 0 0 0, by a colour space's components alike (by
    their count); a pattern or a new colour space (its initial colour is black) is not."""
    values = [_float(operand) for operand in operands if isinstance(operand, (int, float))]
    if operator in (b"cs", b"CS") or len(values) != len(operands) or len(values) not in (1, 3, 4):
        return False
    return all(value <= 0.02 for value in values) if len(values) == 4 else all(value >= 0.98 for value in values)


def _scale(operands: Any) -> float:
    """How much a matrix (a b c d e f) scales an area's side: the square root of its determinant."""
    a, b, c, d = (_float(operand) for operand in operands[:4])
    return float(abs(a * d - b * c)) ** 0.5


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _pdfjs_cut(content: bytes) -> bytes | None:
    """`content` with each inline image taken out up to the EI where pdf.js ends it (one filtered with DCT, A85 or AHx
    is left for pypdf, which ends it at its filter's end mark as pdf.js does); None if it holds no inline image."""
    out, at, done, found = bytearray(), 0, 0, False
    while (start := _INLINE_START.search(content, at)) is not None:
        if start[0] in (b"(", b"%"):  # a string or a comment: no operator
            at = _past_string_or_comment(content, start.start())
            continue
        data = start.end()
        while (marker := _INLINE_DATA.search(content, data)) is not None and marker[0] in (b"(", b"%"):
            data = _past_string_or_comment(content, marker.start())
        if marker is None:
            break
        found = True
        if _INLINE_FILTER.search(content, start.end(), marker.start()):
            at = marker.end()
            continue
        out += content[done:start.start()] + b" "
        at = done = _pdfjs_image_end(content, marker.start() + 3)  # the data starts a byte after ID
    return bytes(out + content[done:]) if found else None


def _past_string_or_comment(content: bytes, at: int) -> int:
    if content[at:at + 1] == b"%":
        line_end = _LINE_END.search(content, at)
        return line_end.start() if line_end else len(content)
    string = _string_at(content, at)
    return string[1] if string else at + 1


def _pdfjs_image_end(content: bytes, at: int) -> int:
    """Where pdf.js reads on after an unfiltered inline image whose data starts at `at` (its findDefaultInlineStreamEnd):
    past the first `E`, `I` and blank it meets in that order whose next 15 bytes are text and next tokens an operator;
    failing that, past the last such `EI` and blank, or at the content's end."""
    last = None
    while (e := content.find(b"E", at)) >= 0 and e + 2 < len(content):
        if content[e + 1] != 0x49:  # not I: that byte resets the search (an E too)
            at = e + 2
            continue
        at = e + 3
        if content[e + 2] not in b" \n\r":
            continue
        last = at
        following = content[at:at + 15]
        if not following:
            break
        if all(byte in b"\n\r" or 0x20 <= byte <= 0x7F or (byte == 0 and following[index + 1:index + 2] != b"\0")
               for index, byte in enumerate(following)) and _pdfjs_operator_follows(content[at:at + 75]):
            return at
    return last if last is not None else len(content)


def _pdfjs_operator_follows(data: bytes) -> bool:
    """pdf.js's check after a possible EI: its next tokens (75 bytes) make a known operator with its operands."""
    operands, at = 0, 0
    while at < len(data):
        if data[at:at + 1] == b"(" or (data[at:at + 1] == b"<" and data[at + 1:at + 2] != b"<"):  # a string, to its end
            close = data.find(b">", at) + 1 if data[at:at + 1] == b"<" else _past_string_or_comment(data, at)
            at = close if close > 0 else len(data)
            operands += 1
            continue
        token = _PDFJS_TOKEN.match(data, at)
        assert token is not None  # `.` matches any byte
        at = token.end()
        if token["blank"]:
            continue
        word = _pdfjs_command(token[0].decode("latin-1")) if not token["operand"] else ""
        at -= len(token[0]) - len(word) if word else 0
        if not word or word in ("true", "false", "null"):
            operands += 1
            continue
        known = _PDFJS_OPERATORS.get(word)
        if known is None:
            return False
        if operands <= known[0] if known[1] else operands == known[0]:
            return True
        operands = 0
    return False


def _pdfjs_command(word: str) -> str:
    """The word pdf.js's lexer reads at the start of `word`: it stops where a word it knows would become unknown."""
    name = word[:1]
    for char in word[1:]:
        if name in _PDFJS_WORDS and name + char not in _PDFJS_WORDS:
            break
        name += char
    return name


def _page_labels(reader: Any) -> Iterator[str]:
    """The page labels a viewer shows in place of page numbers, as it shows them on each range's first page: the
    prefix and the number (a number tree, walked to a bound)."""
    root = reader.trailer["/Root"].get_object()
    labels = root.get("/PageLabels")
    pending = [(labels.get_object(), 0)] if labels is not None else []
    seen = 0
    while pending:
        if seen == 10_000:
            raise Unfinished("页码标签的节点超过 10,000 个，没有读完")
        node, level = pending.pop()
        seen += 1
        numbers = node.get("/Nums") or []
        for label in list(numbers)[1::2]:
            label = label.get_object()
            if hasattr(label, "get"):
                prefix = _pdf_text(label["/P"]) if label.get("/P") is not None else ""
                yield prefix + _label_number(label.get("/S"), label.get("/St"))
        kids = node.get("/Kids") or []
        if kids and level == 16:
            raise Unfinished("页码标签嵌套超过 16 层，没有读完")
        pending.extend((kid.get_object(), level + 1) for kid in kids)


_ALTERNATES = ("/Alt", "/ActualText", "/E", "/T")  # what a screen reader reads, what copying gives, expansions, titles
_MAX_NODES = 100_000
_MAX_ACTION_NODES = 2_000_000  # values of all objects walked for scripts: a 2,000-page text PDF has about 300,000
# Marked content in a page's own content stream: <</ActualText (…)>> BDC, the text copied instead of the glyphs drawn.
# Any name followed by a string, past blanks (NUL among them) and comments: the key may be written with #xx escapes
# (`/Actual#54ext`), each read as the character it stands for.
_MARKED = re.compile(rb"/([^\0\t\n\f\r ()<>\[\]{}/%]{1,64})(?:[\0\t\n\f\r ]|%[^\r\n]*+)*+(?=[(<])")
_MARKED_KEYS = frozenset((b"ActualText", b"Alt", b"E"))
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _alternate_texts(reader: Any) -> Iterator[str]:
    """The structure tree's alternate and actual texts (a tagged PDF's figure described as 张三的身份证 131…), and those
    of marked content in the pages: a screen reader reads them, copying the text gives them."""
    from pypdf.generic import ContentStream, IndirectObject, StreamObject, TextStringObject

    root = reader.trailer["/Root"].get_object()
    for node in _tree(root.get("/StructTreeRoot"), "/K", "结构树的节点"):
        for key in _ALTERNATES:
            value = node.get(key)
            if isinstance(value, IndirectObject):  # `get` leaves a reference as it is (`[]` follows it)
                value = value.get_object()
            if isinstance(value, TextStringObject | str | bytes | StreamObject):
                yield _pdf_text(value)
    for page in reader.pages:
        contents = page.get_contents()
        data = contents.get_data() if isinstance(contents, ContentStream) or hasattr(contents, "get_data") else b""
        yield from _marked_texts(data or b"")


def _marked_texts(data: bytes) -> Iterator[str]:
    """The strings after /ActualText, /Alt and /E in a content stream, each read whole (a number after 512 blanks is
    copied too); a key inside a string already read is not read again, so the stream is read in linear time."""
    read_to = 0
    for key in _MARKED.finditer(data):
        if key.start() < read_to or _NAME_ESCAPE.sub(lambda code: bytes.fromhex(code[1].decode()), key[1]) not in _MARKED_KEYS:
            continue
        string = _string_at(data, key.end())
        read_to = string[1] if string else key.end()
        if string:
            yield _pdf_text(string[0])


def _form_fields(reader: Any, where: str, reading: Reading) -> None:
    lines = []
    for name, spec in (reader.get_fields() or {}).items():
        values = [name] + [_pdf_text(spec.get(key)) for key in ("/V", "/DV", "/TU", "/Opt") if spec.get(key) is not None]
        lines.append("\t".join(values))
    lines.extend(_rich_values(reader))
    reading.add(where + "第 {line} 个", "\n".join(lines))


def _rich_values(reader: Any) -> Iterator[str]:
    """The rich values (/RV, XHTML) of the form's fields, which a viewer shows in a rich-text field: pypdf's
    `get_fields` leaves them out."""
    from ..reader_text import visible

    form = reader.trailer["/Root"].get_object().get("/AcroForm")
    for node in _tree(form.get_object().get("/Fields") if form is not None else None, "/Kids", "表单的域"):
        if node.get("/RV") is not None:
            yield from visible(_pdf_text(node["/RV"])).scanned()


def _tree(start: Any, children: str, what: str) -> Iterator[Any]:
    """The dictionaries of a tree whose nodes hold their children under `children` (the structure tree's /K, the
    form's /Kids), each once however often it is referred to, up to _MAX_NODES (Unfinished past them, `what`)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    pending = [start]
    seen: set[tuple[int, int]] = set()
    nodes = 0
    while pending:
        if nodes == _MAX_NODES:
            raise Unfinished(f"{what}超过 {_MAX_NODES:,} 个，没有读完")
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        nodes += 1
        if isinstance(node, ArrayObject):
            pending.extend(node)
        elif isinstance(node, DictionaryObject):
            yield node
            pending.append(node.get(children))


_XFA_SCRIPT = re.compile(rb"<(?:[\w.-]+:)?script\b", re.I)


def _xfa(reader: Any, where: str, reading: Reading) -> None:
    from lxml import etree

    for name, packet in (reader.xfa or {}).items():
        if not isinstance(packet, bytes):
            continue
        if b"<!DOCTYPE" in packet[:4096] or b"<!ENTITY" in packet:  # not parsed (entities), but its scripts named
            if _XFA_SCRIPT.search(packet):
                reading.runs(f"{where}中的脚本")
            continue
        root = etree.fromstring(packet, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        if any((script.text or "").strip() for script in root.iter("{*}script", "script")):
            reading.runs(f"{where}中的脚本")
        texts = [text.strip() for text in root.itertext() if text.strip()]
        texts += [value for element in root.iter() for value in element.attrib.values() if worth_reading(value)]
        reading.add(f"{where}（{name}）第 {{line}} 项", "\n".join(texts))


def _outline(entries: Any) -> Iterator[str]:
    for entry in entries or []:
        if isinstance(entry, list):
            yield from _outline(entry)
        else:
            yield _pdf_text(entry.get("/Title", ""))


def _metadata(reader: Any, where: str, reading: Reading) -> None:
    info = reader.metadata or {}
    for key, value in info.items():  # each alone (a viewer's tab shows the title alone), keywords item by item
        text = _pdf_text(value)
        reading.add(f"{where}“{key.lstrip('/')}”", "\n".join(keywords(text) if key == "/Keywords" else [text]))
    root = reader.trailer["/Root"].get_object()
    if "/Metadata" in root:
        from lxml import etree

        packet = root["/Metadata"].get_object().get_data()
        if b"<!DOCTYPE" not in packet and b"<!ENTITY" not in packet:
            xml = etree.fromstring(packet, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True))
            if xml is not None:
                reading.add(where + "（XMP）", "\n".join(text.strip() for text in xml.itertext() if text.strip()))


def _pdf_files(reader: Any, prefix: str, reading: Reading, depth: int) -> None:
    for name, contents in (reader.attachments or {}).items():
        for number, content in enumerate(contents, 1):
            where = named(prefix, f"内嵌文件“{name}”" + (f"（第 {number} 个版本）" if len(contents) > 1 else ""))
            reading.inflated += len(content)
            if reading.inflated > TOTAL_BYTES:
                raise Refused(f"内嵌文件解压后超过 {TOTAL_BYTES // 1024 // 1024} MB，未读取（可能是压缩炸弹）")
            read(content, suffix_of(name), f"{where}：", reading, depth + 1)


# What a file's bytes hold beyond what any revision shows: objects no page, form, outline or property reaches (an
# object the cross-reference table does not list, or lists while nothing refers to it), and the text between objects
# (comments, stray lines). No viewer shows them, but the file is published byte for byte: anyone opens it in a
# text editor, or inflates its streams, and reads them.
_OBJECT = re.compile(rb"(?<![0-9])([0-9]{1,10})[\0\t\n\f\r ]+([0-9]{1,5})[\0\t\n\f\r ]+obj(?![A-Za-z0-9])[\0\t\n\f\r ]*")
_XREF_TABLE = re.compile(rb"xref[\r\n]+(?:[0-9]+ [0-9]+[ \r\n]+(?:[0-9]{10} [0-9]{5} [fn][ \r\n]{1,2})*)+")
_TRAILER = re.compile(rb"trailer[\0\t\n\f\r ]*(?=<<)")
_STARTXREF = re.compile(rb"startxref[\0\t\n\f\r ]+[0-9]+|%%EOF|%PDF-[0-9.]+")
_OPENERS = re.compile(rb"[(<%]")
# A number written outside any string of a stream no viewer draws (a token, not text): read as it stands.
_BARE_NUMBER = re.compile(rb"[0-9]{7,}[Xx]?")
_LINE_END = re.compile(rb"[\r\n]")
# Objects of one file parsed to find those nothing reaches: ≈ 0.2 ms each, 1,000 in a ten-page printed web page; a
# file with more is named as not read through (a 96-page one of 27,800 took 26 s, past the reading's time limit).
_MAX_OBJECTS = 5_000
_MAX_SUSPECTS = 20_000  # of those, objects parsed for scripts (with the objects of the object streams among them)
_NOT_TEXT = ("/Image", "/Type1C", "/CIDFontType0C", "/OpenType")  # pictures and font programs: no text to read


def _unshown(data: bytes, readers: list[Any], prefix: str, reading: Reading, depth: int, read_so_far: set[str]) -> None:
    """Every object of the file is parsed once; those no revision reaches from its trailer, and the text between the
    objects, are read; of those it reaches, every string none of the parts read above gave (a key of the catalog, a
    page or an annotation that no viewer shows — `/Secret (…)`, a `/PieceInfo` of an editing program — but anyone
    who opens the file in a text editor or a PDF inspector reads)."""
    objects, covered = _objects(data, readers[0], prefix)
    if objects is None:
        reading.skip(named(prefix, "不显示的对象"), f"PDF 的对象超过 {_MAX_OBJECTS:,} 个，其中不被页面引用、不显示的内容未逐一读取")
        _note_actions(_suspect_objects(data, readers[0]), prefix, reading)
        return
    in_streams: dict[int, dict[int, Any]] = {}  # an object stream's objects, by the stream's offset
    reached, reached_inside = _reached(readers, objects, in_streams)
    texts: list[str] = []
    for offset, (number, value) in objects.items():
        if _is_object_stream(value):  # nothing refers to the stream itself, only to the objects in it
            inside = in_streams.get(offset)
            if inside is None:
                inside = in_streams[offset] = _stream_objects(value, readers[0])
            texts.extend(text for inner, found in inside.items() if (inner, offset) not in reached_inside
                         for text in _strings_of(found))
        elif offset not in reached:
            texts.extend(_object_texts(value, prefix, reading, depth, number))
    numbered = {number: value for number, value in objects.values()}
    for inside in in_streams.values():
        numbered.update(inside)
    _note_actions(numbered, prefix, reading)
    texts.extend(_between(data, covered))
    reading.add(named(prefix, "未显示的内容（不被任何页面、表单或属性引用的对象、对象之间的文字）第 {line} 行"),
                "\n".join(text for text in texts if text.strip()))
    values = [objects[offset][1] for offset in reached]
    values += [in_streams[offset].get(number) for number, offset in reached_inside]
    painted = _painted(readers)
    drawn_streams = painted | _drawing_streams(readers, values)
    strings = [text for value in values for text in _strings_of(value)]
    strings += [text for offset in reached for text in _private_stream_texts(*objects[offset], drawn_streams, reading)]
    others = dict.fromkeys(line.strip() for text in strings for line in text.splitlines())
    unpainted = [objects[offset][1] for offset in reached if objects[offset][0] not in painted]
    unpainted += [in_streams[offset].get(number) for number, offset in reached_inside if number not in painted]
    drawn = dict.fromkeys(line.strip() for text in _drawn_elsewhere(unpainted, reading) for line in text.splitlines())
    reading.add(named(prefix, "页面之外绘制的文字（图案、Type 3 字形、蒙版等）第 {line} 行"),
                "\n".join(line for line in drawn if line and line not in read_so_far))
    reading.add(named(prefix, "对象中查看器不显示的其他文字（自定义的键、编辑程序的私有数据等）第 {line} 行"),
                "\n".join(line for line in others if line and line not in read_so_far))


def _drawing_streams(readers: list[Any], values: list[Any]) -> set[int]:
    """The numbers of the streams read as drawing elsewhere: the pages' contents and Type 3 glyph procedures."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    numbers: set[int] = set()
    for reader in readers:
        for page in reader.pages:
            contents = page.get("/Contents")
            if isinstance(contents, IndirectObject):
                numbers.add(contents.idnum)
            contents = _resolved_object(contents)
            if isinstance(contents, ArrayObject):
                numbers.update(part.idnum for part in contents if isinstance(part, IndirectObject))
    for value in values:
        if isinstance(value, DictionaryObject) and value.get("/Subtype") == "/Type3":
            procedures = _resolved_object(value.get("/CharProcs"))
            if isinstance(procedures, DictionaryObject):
                numbers.update(item.idnum for item in procedures.values() if isinstance(item, IndirectObject))
    return numbers


def _private_stream_texts(number: int, value: Any, drawn: set[int], reading: Reading) -> list[str]:
    """The strings written in a stream the file uses for no drawing, picture, font, metadata or embedded file (an
    editing program's private data under /PieceInfo, a text stream a key of no viewer's holds): read as the same
    stream would be if nothing used it."""
    from pypdf.generic import StreamObject

    if (not isinstance(value, StreamObject) or number in drawn or _is_object_stream(value) or "/PatternType" in value
            or value.get("/Subtype") in (*_NOT_TEXT, "/Form", "/XML") or value.get("/Type") in ("/XRef", "/Metadata", "/EmbeddedFile")
            or any(key in value for key in ("/Length1", "/Length2", "/Length3"))):
        return []
    content = _inflated(value, reading)
    return _stream_texts(content)


def _painted(readers: list[Any]) -> set[int]:
    """The numbers of the forms the pages' text was read with — those a page's content paints (`/X1 Do`), and those
    they paint in turn: pypdf's extract_text reads them — and the annotations' appearances (read with them). A form a
    page only lists is not one: no viewer paints it there."""
    from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

    painted: set[int] = set()
    pending: list[tuple[Any, bytes]] = []  # (resources, the content that uses them)
    for reader in readers:
        for page in reader.pages:
            pending.append((page.get("/Resources"), _content_of(page.get("/Contents"))))
            for annotation in page.get("/Annots") or []:
                annotation = _resolved_object(annotation)
                appearance = annotation.get("/AP") if isinstance(annotation, DictionaryObject) else None
                appearance = _resolved_object(appearance)
                for state in (appearance.values() if isinstance(appearance, DictionaryObject) else ()):
                    if isinstance(state, IndirectObject):
                        painted.add(state.idnum)
                    elif isinstance(state, DictionaryObject):
                        painted.update(value.idnum for value in state.values() if isinstance(value, IndirectObject))
    walked = 0
    while pending and walked < _MAX_NODES:
        resources, content = pending.pop()
        walked += 1
        resources = resources.get_object() if resources is not None else None
        forms = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        forms = forms.get_object() if forms is not None else {}
        for name in dict.fromkeys(_name(found[1]) for found in _PAINTS.finditer(content)):
            form = forms.get(name) if isinstance(forms, DictionaryObject) else None
            if isinstance(form, IndirectObject) and form.idnum not in painted:
                painted.add(form.idnum)
                stream = form.get_object()
                if isinstance(stream, StreamObject):
                    pending.append((stream.get("/Resources"), stream.get_data()))
    return painted


def _content_of(contents: Any) -> bytes:
    """A page's content: its stream, or its streams one after another."""
    from pypdf.generic import ArrayObject, StreamObject

    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(stream.get_data() for stream in map(_resolved_object, streams) if isinstance(stream, StreamObject))


def _resolved_object(value: Any) -> Any:
    return value.get_object() if value is not None else None


_PAINTS = re.compile(rb"/([^\0\t\n\f\r /\[\]()<>{}%]+)[\0\t\n\f\r ]*Do(?![A-Za-z])")


def _name(written: bytes) -> str:
    """A name as a content stream writes it (`X#31` is X1) as pypdf keys a dictionary with it."""
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda code: bytes([int(code[1], 16)]), written).decode("latin-1")


def _drawn_elsewhere(values: list[Any], reading: Reading) -> Iterator[str]:
    """What the content streams no page paints draw: a tiling pattern's cell, a Type 3 font's glyph procedures, a
    form no page's resources list (a soft mask's group). Every viewer paints them; pypdf's extract_text reads a page
    and the forms it paints, never a pattern, a glyph procedure or a mask."""
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    pending, walked = list(values), 0
    while pending:
        if walked == _MAX_NODES:
            raise Unfinished(f"页面之外绘制的内容超过 {_MAX_NODES:,} 个对象值，没有读完")
        value = pending.pop()
        walked += 1
        if isinstance(value, StreamObject) and (value.get("/PatternType") == 1 or value.get("/Subtype") == "/Form"):
            yield _read_drawn(value, value.get("/Resources"), reading)
        elif isinstance(value, DictionaryObject):
            procedures = value.get("/CharProcs") if value.get("/Subtype") == "/Type3" else None
            for procedure in (procedures.get_object() if procedures is not None else {}).values():
                if isinstance(procedure.get_object(), StreamObject):
                    yield _read_drawn(procedure.get_object(), value.get("/Resources"), reading)
            pending.extend(item for item in value.values() if isinstance(item, DictionaryObject | ArrayObject))
        elif isinstance(value, ArrayObject):
            pending.extend(item for item in value if isinstance(item, DictionaryObject | ArrayObject))


def _read_drawn(stream: Any, resources: Any, reading: Reading) -> str:
    _inflated(stream, reading)
    return _drawn(stream, resources)


def _inflated(stream: Any, reading: Reading) -> bytes:
    """A stream's data, counted against what the file may inflate to in all (Refused past TOTAL_BYTES)."""
    content: bytes = stream.get_data()
    reading.inflated += len(content)
    if reading.inflated > TOTAL_BYTES:
        raise Refused(f"PDF 的对象解压后超过 {TOTAL_BYTES // 1024 // 1024} MB，未读取（可能是压缩炸弹）")
    return content


def _objects(data: bytes, reader: Any, prefix: str) -> tuple[dict[int, tuple[int, Any]] | None, list[tuple[int, int]]]:
    """Each object of the file as it stands, by offset: (number, value); and the parts of the file that objects,
    cross-reference tables and trailers take. None past _MAX_OBJECTS."""
    from pypdf.generic import read_object

    stream = io.BytesIO(data)
    objects: dict[int, tuple[int, Any]] = {}
    covered: list[tuple[int, int]] = []
    if next(islice(_OBJECT.finditer(data), _MAX_OBJECTS, None), None) is not None:
        return None, covered
    end = 0
    for found in _OBJECT.finditer(data):
        if found.start() < end:  # inside the object before (a stream's bytes)
            continue
        stream.seek(found.end())
        try:
            value = read_object(stream, reader)
        except (Refused, MemoryError):
            raise
        except Exception as exc:  # not an object pypdf can read: its bytes stay text between objects
            refuse_if_hostile(exc, named(prefix, f"对象 {found[1].decode()}"))
            continue
        end = stream.tell()
        closing = data.find(b"endobj", end, end + 64)
        end = closing + len(b"endobj") if closing >= 0 else end
        covered.append((found.start(), end))
        objects[found.start()] = (int(found[1]), value)
    for pattern in (_XREF_TABLE, _TRAILER):
        for found in pattern.finditer(data):
            if pattern is _TRAILER:
                stream.seek(found.end())  # at its dictionary's <<
                try:
                    read_object(stream, reader)
                except Exception:
                    continue
                covered.append((found.start(), stream.tell()))
            else:
                covered.append(found.span())
    return objects, covered


def _reached(readers: list[Any], objects: dict[int, tuple[int, Any]],
             in_streams: dict[int, dict[int, Any]]) -> tuple[set[int], set[tuple[int, int]]]:
    """What some revision reaches from its trailer, through the objects as parsed here: the offsets of those that stand
    in the file, (number, the object stream's offset) of those inside an object stream."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    starts = sorted(objects)
    reached: set[int] = set()
    reached_inside: set[tuple[int, int]] = set()
    for reader in readers:
        seen: set[tuple[int, int]] = set()
        pending: list[Any] = [reader.trailer]
        while pending:
            value = pending.pop()
            if isinstance(value, IndirectObject):
                key = (value.idnum, value.generation)
                if key in seen:
                    continue
                seen.add(key)
                value = _resolve(reader, key, objects, starts, in_streams, reached, reached_inside)
            if isinstance(value, DictionaryObject):  # streams too
                pending.extend(value.values())
            elif isinstance(value, ArrayObject):
                pending.extend(value)
    return reached, reached_inside


def _resolve(reader: Any, key: tuple[int, int], objects: dict[int, tuple[int, Any]], starts: list[int],
             in_streams: dict[int, dict[int, Any]], reached: set[int], reached_inside: set[tuple[int, int]]) -> Any:
    """The object a revision's cross-reference table gives for `key`, as parsed here, marked reached; None if none."""
    number, generation = key
    start = _start(reader.xref.get(generation, {}).get(number), number, objects, starts)
    if start is not None:
        reached.add(start)
        return objects[start][1]
    if number not in reader.xref_objStm:
        return None
    stream_number = reader.xref_objStm[number][0]
    start = _start(reader.xref.get(0, {}).get(stream_number), stream_number, objects, starts)
    if start is None or not _is_object_stream(objects[start][1]):
        return None
    inside = in_streams.get(start)
    if inside is None:
        inside = in_streams[start] = _stream_objects(objects[start][1], reader)
    reached_inside.add((number, start))
    return inside.get(number)


def _start(offset: int | None, number: int, objects: dict[int, tuple[int, Any]], starts: list[int]) -> int | None:
    """Where object `number`, which a cross-reference table places at `offset`, starts as parsed here (a table may
    point at the blank before it); None if it is not there."""
    at = bisect.bisect_left(starts, offset) if offset is not None else len(starts)
    if offset is None or at == len(starts) or starts[at] - offset > 16 or objects[starts[at]][0] != number:
        return None
    return starts[at]


def _is_object_stream(value: Any) -> bool:
    from pypdf.generic import StreamObject

    return isinstance(value, StreamObject) and value.get("/Type") == "/ObjStm"


def _object_texts(value: Any, prefix: str, reading: Reading, depth: int, number: int) -> list[str]:
    """The texts of an object nothing reaches: its strings, those of its stream, an embedded file read as the file it
    is, a metadata stream as its text."""
    from pypdf.generic import StreamObject

    if isinstance(value, StreamObject) and value.get("/Type") == "/XRef":  # offsets, and the file's random /ID
        return []
    texts = list(_strings_of(value))
    if not isinstance(value, StreamObject):
        return texts
    if value.get("/Subtype") in _NOT_TEXT or any(key in value for key in ("/Length1", "/Length2", "/Length3")):
        return texts
    content = _inflated(value, reading)
    if value.get("/Type") == "/EmbeddedFile":
        read(content, "", named(prefix, f"不被引用的内嵌文件（对象 {number}）："), reading, depth + 1)
    elif value.get("/Type") == "/Metadata" or value.get("/Subtype") == "/XML":
        texts.append(decode_text(content))
    else:
        texts.extend(_stream_texts(content))
    return texts


_TEXT_OBJECT = re.compile(rb"(?<![A-Za-z0-9])(?:BT|ET)(?![A-Za-z0-9])")


def _stream_texts(content: bytes) -> list[str]:
    """What a stream no viewer draws holds (`_stream_strings`), and the strings of each of its text objects (BT … ET)
    joined as a page would draw them: `(Tel 1391) Tj (2345678) Tj` of a page no tree lists was two short numbers."""
    texts = [_pdf_text(string) for string in _stream_strings(content)]
    begun: int | None = None
    for mark in _TEXT_OBJECT.finditer(content):
        if mark[0] == b"BT":
            begun = mark.end()
        elif begun is not None:
            shown = [_pdf_text(string) for string in _stream_strings(content[begun:mark.start()])]
            if len(shown) > 1:
                texts.append("".join(shown))
            begun = None
    return texts


def _stream_strings(content: bytes) -> list[bytes]:
    """The strings written in a stream, (literal) or <hex>, each as the bytes it stands for, the long numbers written
    outside them, and comments as they stand (`%` to the end of its line: no string's start, as `%(` made a later hex
    string read as its digits)."""
    found: list[bytes] = []
    at = 0
    while (opener := _OPENERS.search(content, at)) is not None:
        found.extend(_BARE_NUMBER.findall(content, at, opener.start()))
        if opener[0] == b"%":  # read as it stands: a text editor shows it
            line_end = _LINE_END.search(content, opener.end())
            at = line_end.start() if line_end else len(content)
            found.append(content[opener.end():at])
            continue
        string = _string_at(content, opener.start())
        found.extend([string[0]] if string else [])
        at = string[1] if string else opener.end()
    found.extend(_BARE_NUMBER.findall(content, at))
    return found


# A PDF string as ISO 32000-1 §7.3.4.2 and §7.3.4.3 define it — the one reader of every string this module finds by
# hand. A literal's parts: text, a run of one-character escapes, an octal escape, an escaped end of line (a line
# continuation: nothing), a lone backslash at the data's end, runs of parentheses (balanced ones nest), an end of line.
_LITERAL_PART = re.compile(
    rb"[^\\()\r]+|(?:\\[^0-7\r\n])+|\\[0-7]{1,3}|\\(?:\r\n?|\n)?|\(+|\)+|\r\n?")
# A one-character escape's meaning; any other character stands for itself (its backslash is dropped).
_ESCAPED = bytes.maketrans(b"nrtbf", b"\n\r\t\b\f")
_OCTAL = b"01234567"
_HEX_STRING = re.compile(rb"<[0-9A-Fa-f\0\t\n\f\r ]*>")
_PDF_BLANKS = b"\0\t\n\f\r "


def _string_at(data: bytes, start: int) -> tuple[bytes, int] | None:
    """The string whose `(` or `<` is at `start`, as the bytes it stands for, and the offset after it; None for a `<`
    that opens no hex string (a dictionary's `<<`). A literal never closed runs to the data's end, as a parser reads
    it. Each byte is looked at once, runs of parentheses and of escapes in one step (a pattern matching nested
    parentheses took minutes on 200 KB of `(\\`, backtracking at every start). Read otherwise than the format says,
    `(Tel(office)139…)` ended at the first `)` and `(139\\<EOL>12345678)` kept its line break: the number a reader
    copies was read as two short ones."""
    if data[start:start + 1] == b"<":
        hexadecimal = _HEX_STRING.match(data, start)
        if hexadecimal is None:
            return None
        digits = hexadecimal[0][1:-1].translate(None, _PDF_BLANKS)
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()), hexadecimal.end()
    out, depth, at = bytearray(), 1, start + 1
    while depth and (part := _LITERAL_PART.match(data, at)) is not None:
        token, at = part[0], part.end()
        first = token[:1]
        if first == b"(":
            depth += len(token)
            out += token
        elif first == b")":
            if len(token) >= depth:  # the string ends at the parenthesis that balances its first
                out += token[:depth - 1]
                at = part.start() + depth
                depth = 0
            else:
                depth -= len(token)
                out += token
        elif first == b"\r":  # an end of line written CR or CR LF is one LF
            out += b"\n"
        elif first != b"\\":
            out += token
        elif len(token) == 1 or token[1] in b"\r\n":  # a line continuation, or a backslash at the data's end
            continue
        elif token[1] in _OCTAL:  # \ddd, high-order overflow ignored
            out.append(int(token[1:], 8) % 256)
        else:  # \( \) \\ \n …, each backslash dropped
            out += token[1::2].translate(_ESCAPED)
    return bytes(out), at


def _stream_objects(value: Any, reader: Any) -> dict[int, Any]:
    """The objects of an object stream, by number."""
    from pypdf.generic import read_object

    content = value.get_data()
    first = int(value.get("/First", 0))
    numbers = content[:first].split()
    buffer = io.BytesIO(content)
    found: dict[int, Any] = {}
    for index in range(0, min(len(numbers), 2 * _MAX_OBJECTS) - 1, 2):
        try:
            inner, offset = int(numbers[index]), int(numbers[index + 1])
            buffer.seek(first + offset)
            found[inner] = read_object(buffer, reader)
        except (Refused, MemoryError):
            raise
        except Exception:
            continue
    return found


def _strings_of(value: Any) -> Iterator[str]:
    """The strings in an object, its dictionaries and arrays walked to a bound."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    pending, walked = [value], 0
    while pending:
        if walked == _MAX_NODES:
            raise Unfinished(f"一个对象中的值超过 {_MAX_NODES:,} 个，没有读完")
        value = pending.pop()
        walked += 1
        if isinstance(value, DictionaryObject):
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)
        elif isinstance(value, str | bytes) and not isinstance(value, NameObject):  # TextStringObject, ByteStringObject
            yield _pdf_text(value)


def _note_actions(objects: dict[int, Any] | None, prefix: str, reading: Reading) -> None:
    """`objects`: the file's objects by number (None: too many to parse)."""
    for kind, what in _actions(objects) if objects is not None else (("", ""),):
        if kind == "runs":
            reading.runs(named(prefix, what))
        elif kind == "loads":
            reading.loads(named(prefix, what))
        else:
            reading.skip(named(prefix, "脚本和动作"), "对象过多，未全部检查有无脚本和启动程序的动作")


# What an object that may hold a script or a launch holds in its bytes: the names (a `#` may spell one), or an
# object stream, whose objects are compressed.
_SUSPECT = re.compile(rb"/JS|/JavaScript|/Launch|/OnInstantiate|/RichMedia|/ObjStm|/OpenAction|/AA|/URI|/SubmitForm|/GoToR|/ImportData"
                      rb"|/[^/\s<>\[\]()]*#")


def _suspect_objects(data: bytes, reader: Any) -> dict[int, Any] | None:
    """The objects, by number, of a file of too many objects to parse all (`_MAX_OBJECTS`) whose bytes may hold a
    script, a launch or an action that fetches, object streams opened; None past _MAX_SUSPECTS."""
    from pypdf.generic import read_object

    starts = list(_OBJECT.finditer(data))
    stream = io.BytesIO(data)
    values: dict[int, Any] = {}
    for index, found in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(data)
        if not _SUSPECT.search(data, found.end(), end):
            continue
        if len(values) >= _MAX_SUSPECTS:
            return None
        stream.seek(found.end())
        try:
            value = values[int(found[1])] = read_object(stream, reader)
            if _is_object_stream(value):
                values.update(_stream_objects(value, reader))
        except (Refused, MemoryError):
            raise
        except Exception:
            continue
    return values


def _actions(objects: dict[int, Any]) -> Iterator[tuple[str, str]]:
    """What a PDF reader runs or fetches of these objects (by number): ("runs", …) for JavaScript (an action's /JS, a
    /JavaScript name tree) and actions that launch a program, wherever they are; ("loads", …) for an action that opens
    an address, submits a form, opens another file or imports data, run by itself as the file opens or closes, a page
    opens or the pointer passes (/OpenAction, /AA; a link the reader clicks is not one). Every object is walked, those
    no revision reaches too, and their keys as pypdf decoded them (`/J#61vaScript` is /JavaScript); ("", "") when there
    were more values than a walk takes."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending, walked = list(objects.values()), 0
    while pending:
        value = pending.pop()
        walked += 1
        if walked > _MAX_ACTION_NODES:
            yield "", ""  # not all walked: said as a part unread
            return
        if isinstance(value, DictionaryObject):
            kind = dict.get(value, "/S")
            if "/JS" in value or "/JavaScript" in value or kind == "/JavaScript":
                yield "runs", "脚本（JavaScript）"
            if kind == "/Launch":
                yield "runs", "启动其他程序的动作（Launch）"
            if "/OnInstantiate" in value:  # a 3D model's script
                yield "runs", "三维模型中的脚本（JavaScript）"
            if dict.get(value, "/Subtype") == "/RichMedia":
                yield "runs", "嵌入的 Flash 等多媒体（RichMedia，可带脚本）"
            for action in _triggered(value, objects):
                yield "loads", action
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)


# Actions that reach another address, by type: what the message calls them and where each keeps the address.
_FETCHING = {"/URI": ("自动打开网址的动作", "/URI"), "/SubmitForm": ("自动提交表单的动作", "/F"),
             "/GoToR": ("自动打开其他文件的动作", "/F"), "/ImportData": ("自动导入数据的动作", "/F")}


def _triggered(value: Any, objects: dict[int, Any]) -> Iterator[str]:
    """The fetching actions a dictionary's /OpenAction and additional actions (/AA) run by themselves, each with the
    actions it chains (/Next), references followed through `objects`, to a bound."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending = [dict.get(value, "/OpenAction")]
    triggers = _resolved(dict.get(value, "/AA"), objects)
    if isinstance(triggers, DictionaryObject):
        pending.extend(dict.values(triggers))
    for _ in range(64):
        if not pending:
            return
        action = _resolved(pending.pop(), objects)
        if isinstance(action, ArrayObject):
            pending.extend(action)
        elif isinstance(action, DictionaryObject):
            kind = dict.get(action, "/S")
            if kind in _FETCHING:
                name, key = _FETCHING[kind]
                yield f"{name}（地址在 {host_of(_address(_resolved(dict.get(action, key), objects), objects))}）"
            pending.append(dict.get(action, "/Next"))
    if any(action is not None for action in pending):  # refused as what it may hide would be: a URI at step 65 passed
        yield "打开时自动执行的动作超过 64 个，没有全部检查（其后可能有自动打开网址的动作）"


def _resolved(value: Any, objects: dict[int, Any]) -> Any:
    from pypdf.generic import IndirectObject

    return objects.get(value.idnum) if isinstance(value, IndirectObject) else value


def _address(value: Any, objects: dict[int, Any]) -> str:
    """An action's address: a string, or a file specification's /URL, /UF or /F."""
    from pypdf.generic import DictionaryObject

    if isinstance(value, DictionaryObject):
        value = next((_resolved(dict.get(value, key), objects) for key in ("/URL", "/UF", "/F") if key in value), "")
    return _pdf_text(value) if isinstance(value, str | bytes) else ""


def _between(data: bytes, covered: list[tuple[int, int]]) -> Iterator[str]:
    """The text of the file outside its objects, cross-reference tables and trailers, but its header, startxref and
    %%EOF lines: comments and stray lines."""
    start = 0
    for begin, end in sorted(covered):
        if begin > start:
            yield _STARTXREF.sub(b" ", data[start:begin]).decode("latin-1")
        start = max(start, end)
    yield _STARTXREF.sub(b" ", data[start:]).decode("latin-1")
