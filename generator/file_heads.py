"""What a published file's first bytes say it is, against what its name says.

A browser given a file without a type it knows guesses the type from the first bytes: Apache sends no
Content-Type for `.ofd` (nor for any extension its mime.types lacks), and a web page named `名单.ofd` then runs
its script at the agency's address. Every attachment and every picture or font an agency adds to the theme must
therefore begin as its type does, and none may begin as a web page, whatever the server is told.
"""

from __future__ import annotations

import codecs
import re

HEAD_BYTES = 1024  # what browsers read to guess a type (Chromium's sniffer: 1,024 bytes)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel and WPS files before the zip formats
_ZIP = b"PK\x03\x04"
_RTF = b"{\\rtf"
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG"  # as browsers' sniffers match it (Chromium: four bytes)
_ICO = b"\x00\x00\x01\x00"

# The beginnings each published document type may have. An old-format name may hold a newer file (a .docx saved
# as .doc, an RTF saved as .doc or .wps): Word and WPS open those, and no browser takes them for a page.
BEGINNINGS: dict[str, tuple[bytes, ...]] = {
    "ofd": (_ZIP,),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "zip": (_ZIP, b"PK\x05\x06"),  # an empty archive is only its end record
    "doc": (_OLE, _ZIP, _RTF),
    "wps": (_OLE, _ZIP, _RTF),
    "xls": (_OLE, _ZIP),
    "woff2": (b"wOF2",),
}
# A picture may be any format every browser shows whatever its name (a PNG saved as .jpg shows as a PNG).
PICTURE_TYPES = frozenset(("jpg", "jpeg", "png", "gif", "webp", "ico"))
TEXT_TYPES = frozenset(("csv",))
CHECKED = frozenset((*BEGINNINGS, "pdf", *PICTURE_TYPES, *TEXT_TYPES))  # the types head_fault knows

# What a head is, for the message: the first pattern that matches names it.
_KNOWN: tuple[tuple[re.Pattern[bytes], str], ...] = tuple((re.compile(pattern, re.S), name) for pattern, name in (
    (rb"%PDF", "PDF 文件"),
    (rb"PK\x03\x04|PK\x05\x06", "ZIP 压缩包（或 DOCX、XLSX、OFD 等以 ZIP 打包的文件）"),
    (re.escape(_OLE), "旧版 Office 或 WPS 文件（DOC、XLS、WPS）"),
    (re.escape(_RTF), "RTF 文档"),
    (re.escape(_JPEG), "JPEG 图片"),
    (re.escape(_PNG), "PNG 图片"),
    (rb"GIF8[79]a", "GIF 图片"),
    (rb"RIFF....WEBP", "WebP 图片"),
    (re.escape(_ICO), "ICO 图标"),
    (rb"wOF2|wOFF", "网页字体"),
    (rb"\x7fELF|MZ", "可执行程序"),
))


def head_fault(suffix: str, head: bytes) -> str:
    """Why a file named `.suffix` whose first bytes are `head` must not be published, in Chinese ("" when it may):
    it begins as a web page, or not as its type."""
    if not head:
        return "是空文件（0 字节）"
    markup = _markup(head)
    if markup:
        return f"的内容是{markup}，不是扩展名所说的格式（没有设置类型的网站服务器会让浏览器把它当作网页打开，运行其中的脚本）"
    if suffix in TEXT_TYPES and opens_as_sylk(head):
        return "的开头是“ID”，Excel 会把它当作 SYLK 格式打开，而 SYLK 文件能执行宏公式（把第一格改为“编号”等其他文字）"
    if suffix in TEXT_TYPES:
        return "" if is_text(head) or _utf16_without_bom(head) else f"的内容{_what(head)}，不是文本"
    if suffix == "pdf":  # readers, like Acrobat, look for the header in the first kilobyte
        return "" if b"%PDF" in head[:HEAD_BYTES] else f"的内容{_what(head)}，不是 PDF 文件"
    if suffix in PICTURE_TYPES:
        shown = _picture(head) or (suffix == "ico" and head.startswith(_ICO))
        return "" if shown else f"的内容{_what(head)}，不是网页能显示的图片（JPEG、PNG、GIF、WebP）"
    if head.startswith(BEGINNINGS.get(suffix, ())):
        return ""
    return f"的内容{_what(head)}，与扩展名 .{suffix} 不符"


# Excel opens a table whose first two bytes are "ID" as SYLK, a format of cells that may hold Excel 4.0 macro
# formulas; an SYLK record is "ID" then ";" or the line's end ("ID,姓名" fails as SYLK and opens as a table).
_SYLK = re.compile(rb"ID(?:;|\r|\n|$)")


def opens_as_sylk(head: bytes) -> bool:
    return bool(_SYLK.match(head))


def _picture(head: bytes) -> bool:
    return head.startswith((_JPEG, _PNG, b"GIF87a", b"GIF89a")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def _utf16_without_bom(head: bytes) -> bool:
    """UTF-16 text with no byte-order mark, as some programs save "Unicode" tables: it decodes in one byte order,
    holds no control character, and has the commas, tabs or line ends of a table."""
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if not _CONTROLS.search(text.encode("utf-8")) and any(ch in text for ch in ",\t\n"):
            return True
    return False


def _what(head: bytes) -> str:
    for pattern, name in _KNOWN:
        if pattern.match(head):
            return f"是{name}"
    return "是文本" if is_text(head) else "无法识别"


# What browsers take for markup at a file's start: a tag or a comment, in any case, after white space and an
# optional byte-order mark; as UTF-16 too, which a browser decodes when the BOM says so.
_MARKUP_START = re.compile(rb"<(?:[!?/]|[a-z])", re.I)
_WHITE = b" \t\r\n\f\v"  # ASCII white space, which Chromium's sniffer skips (the vertical tab too)


def _markup(head: bytes) -> str:
    text = head
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, "replace").encode("utf-8", "replace")
            break
    text = text.removeprefix(codecs.BOM_UTF8).lstrip(_WHITE)
    if not _MARKUP_START.match(text):
        return ""
    lowered = text[:HEAD_BYTES].lower()
    if b"<svg" in lowered:
        return "SVG 图形（可带脚本）"
    if lowered.startswith(b"<?xml"):
        return "XML 文件（可带脚本）"
    return "网页（HTML）"


_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def is_text(head: bytes) -> bool:
    """Whether a file's first bytes are text (UTF-8, UTF-16 with a BOM or GB18030) rather than binary data."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if not head or _CONTROLS.search(head):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False
