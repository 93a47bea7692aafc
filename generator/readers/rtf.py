"""RTF (a Word altChunk, an embedded or zipped file): the text of every group a reader can show or reveal.

Headers, footers, notes, comments, field codes and document properties are text a reader of the file
sees or reveals, so they are kept — a converter for display drops them. Skipped as text are the groups
that hold no text but data (fonts, colours, styles, embedded objects in hex), whose long runs of hex
digits would read as numbers; an embedded object is named as not read (GK305). A picture's data (in hex
or after `\\bin`) is the file a reader saves from the document: it is read as a picture attached (its
metadata, what follows its end), its properties (a description, an alt text) as text. Raw bytes after
`\\bin` elsewhere are read as the file they are: a text editor shows them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from itertools import islice

from .core import OLE, Reading, named, note_programs, packaged_program, read_appended
from .pictures import picture_texts

# One token at a time; the alternatives start with different characters, so matching is linear.
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S
)
# Groups of data, not text.
_DATA = frozenset((
    "fonttbl", "colortbl", "stylesheet", "listtable", "listoverridetable", "themedata", "colorschememapping",
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
    they come) and the raw bytes `\\bin` writes outside a picture."""

    text: str
    objects: bool
    pictures: list[bytes] = field(default_factory=list)
    recomputed: bool = False  # a field marked dirty (flddirty): Word works its result out again as it opens the file
    binaries: list[bytes] = field(default_factory=list)


_NOT_HEX = re.compile(rb"[^0-9a-fA-F]+")


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
    stack: list[tuple[bool, bool, int, bytearray | None, bytearray | None, bool, str, bool]] = []
    in_picture = False  # the current group is the \pict group itself
    found = RtfContent("", False)
    position = 0

    def flush() -> None:
        if pending:
            out.append(pending.decode(encoding, errors="replace"))
            pending.clear()

    while position < len(data):
        token = _TOKEN.match(data, position)
        if token is None:  # a lone "\" at the end
            break
        position = token.end()
        word, parameter, hexa, symbol, brace, run = token.groups()
        if brace == b"{":
            stack.append((skip, part, uc, picture, raw_picture, in_picture, encoding, in_fonts))
            part = in_picture = False
            continue
        if brace == b"}":
            flush()
            if part:
                out.append("\n")
            if in_picture and picture is not None and raw_picture is not None:
                found.pictures.append(bytes(raw_picture) or _from_hex(picture))
            if stack:
                leaving_fonts = in_fonts
                skip, part, uc, picture, raw_picture, in_picture, encoding, in_fonts = stack.pop()
                if leaving_fonts and not in_fonts:  # the text that names no font is in the default one's (\deff)
                    encoding = fonts.get(default_font, encoding)
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
            if in_fonts and name == "f" and parameter:
                defining = int(parameter)
            elif in_fonts and name == "fcharset" and parameter and defining is not None:
                page = _CHARSET_PAGES.get(int(parameter))
                fonts[defining] = _codec(page) if page else document_encoding
            elif name == "flddirty" and not skip:
                found.recomputed = True
            elif name == "deff" and parameter:
                default_font = int(parameter)
            elif name == "plain" and not skip:
                flush()
                encoding = fonts.get(default_font, document_encoding)
            elif name == "f" and parameter and not skip:  # a run in another font: its bytes in that font's code page
                flush()
                encoding = fonts.get(int(parameter), document_encoding)
            elif name == "pict" and not skip:
                flush()
                picture, raw_picture, in_picture = bytearray(), bytearray(), True
            elif name in _DATA:
                found.objects = found.objects or name == "objdata"
                in_fonts = in_fonts or name == "fonttbl"
                skip = True
            elif name in _PARTS and not part:
                flush()
                out.append("\n")
                part = True
            elif name == "ansicpg" and parameter:
                flush()
                encoding = document_encoding = _codec(int(parameter))
            elif name == "uc" and parameter:
                uc = max(0, int(parameter))
            elif name == "u" and parameter and not skip and not in_picture:
                flush()
                out.append(chr(int(parameter) % 65536))
                skip_chars = uc
            elif name in _BREAKS and not skip and not in_picture:
                flush()
                out.append(_BREAKS[name])
            continue
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
                out.append(_SYMBOLS[symbol])
        elif run:
            dropped = min(skip_chars, len(run))
            skip_chars -= dropped
            pending.extend(run[dropped:])
    flush()
    found.text = "".join(out)
    return found


def read_rtf(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    found = rtf_text(data)
    reading.add(named(prefix, "第 {line} 行"), found.text)
    if found.objects:
        reading.skip(named(prefix, "嵌入的对象"), "RTF 中嵌入的对象（其他文件）无法自动读取")
    if found.recomputed:
        reading.skip(named(prefix, "标记为待更新的域"),
                     "打开文件时由 Word 重新计算域的结果，显示出的文字不是文件中保存的文字，无法预先读取")
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
