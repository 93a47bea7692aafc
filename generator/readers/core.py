"""What every reader of an attachment format shares: what it yields, the budgets, the dispatch by type.

Readers run in the reading process (`readers.extract`). A reader gets the file's bytes, a `prefix`
naming the file it is embedded in ("" at the top) and the `Reading` that collects text and unread
parts for the whole attachment, with the budgets its embedded files share.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urlsplit

from ..attachments import TYPES
from ..file_heads import is_text
from ..text_lines import line_at

PART_BYTES = 64 * 1024 * 1024  # one decompressed part
TOTAL_BYTES = 256 * 1024 * 1024  # all decompressed parts of one file, embedded files included
TEXT_CHARS = 32 * 1024 * 1024  # text returned for one file
MAX_MEMBERS = 10_000  # entries of one zip
MAX_DEPTH = 3  # files embedded in files embedded in …


@dataclass(frozen=True)
class Segment:
    """A piece of text and where it is; `{line}` in `where` is replaced by the line within `text`."""

    where: str  # e.g. "第 3 页", "工作表“名单”第 {line} 行"
    text: str

    def locate(self, offset: int) -> str:
        return self.where.replace("{line}", str(line_at(self.text, offset))) if "{line}" in self.where else self.where


@dataclass(frozen=True)
class Unread:
    part: str  # "" for the whole file, else e.g. "批注（word/comments.xml）"
    reason: str  # Chinese


@dataclass(frozen=True)
class Extraction:
    segments: tuple[Segment, ...] = ()
    unread: tuple[Unread, ...] = ()
    failure: str = ""  # the file exceeded a time, memory or decompression bound (Chinese); nothing was scanned
    located: tuple[str, ...] = ()  # pictures (named like `Unread.part`) that say where they were taken (GPS)
    formulas: tuple[str, ...] = ()  # table cells a spreadsheet runs as a formula calling something (`text.read_csv`)
    remote: tuple[str, ...] = ()  # what Word or Excel loads from elsewhere when the file is opened (`office`)
    scripts: tuple[str, ...] = ()  # what a PDF runs: JavaScript, an action that launches a program (`pdf`)

    @property
    def skipped(self) -> str:
        """Why the file, or some part of it, went unread; "" when all of it was read."""
        return self.failure or next((unread.reason for unread in self.unread), "")


MAX_FORMULAS = 20  # cells, or parts loaded from elsewhere, named for one file
MAX_UNREAD = 50  # parts not read named for one file


class Refused(Exception):
    """A budget ran out or the file is built to attack the reader (a DTD): refused, not partly read."""


@dataclass
class Reading:
    """What one file yields while it is read, with the budgets shared by its embedded files."""

    segments: list[Segment] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    located: list[str] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    unread_more: int = 0  # parts not read past the first MAX_UNREAD named
    inflated: int = 0  # decompressed bytes so far
    chars: int = 0
    laid_out: int = 0  # a PDF's drawing operations laid out as drawn so far (`pdf.LAID_OUT`)

    def add(self, where: str, text: str) -> None:
        if not text.strip():
            return
        self.chars += len(text)
        if self.chars > TEXT_CHARS:
            raise Refused(f"文字超过 {TEXT_CHARS // 1024 // 1024}M 字，无法在限定内存内扫描；请拆分文件")
        self.segments.append(Segment(where, text))

    def skip(self, part: str, reason: str) -> None:
        """Name a part that is not read (GK305): the first `MAX_UNREAD` of a file, then only how many more (a 23 KB zip of
        zips nested past `MAX_DEPTH` named 160,000 parts, 69 MB of warnings that buried every other finding)."""
        if len(self.unread) < MAX_UNREAD:
            self.unread.append(Unread(part, reason))
        else:
            self.unread_more += 1

    def unread_parts(self) -> tuple[Unread, ...]:
        more = (Unread(f"另外 {self.unread_more} 个部分", "同样无法自动读取（未逐一列出）"),) if self.unread_more else ()
        return (*self.unread, *more)

    def formula(self, where: str) -> None:
        """Name a table cell a spreadsheet runs when the file is opened (one is enough to refuse the file)."""
        if len(self.formulas) < MAX_FORMULAS:
            self.formulas.append(where)

    def loads(self, what: str) -> None:
        """Name a part the file's program loads from another address when the file is opened."""
        if len(self.remote) < MAX_FORMULAS:
            self.remote.append(what)

    def runs(self, what: str) -> None:
        """Name what the file's reader runs (a script, a program it launches)."""
        if len(self.scripts) < MAX_FORMULAS and what not in self.scripts:
            self.scripts.append(what)


def read(data: bytes, suffix: str, prefix: str, reading: Reading, depth: int) -> None:
    """Read `data` of type `suffix`; `prefix` names the containing file for embedded ones."""
    note_programs(data, suffix, prefix, reading)
    sniffed = sniff(data)
    if sniffed == "zip" and (suffix not in READERS or suffix in LEGACY) and b"[Content_Types].xml" in data:
        # An Office Open XML package named .xls, .doc or .wps opens in Excel, Word and WPS all the same: read as a
        # plain zip, its number formats were never applied (a cell's `"11010119900"0` format wrote an ID number).
        sniffed = "docx"
    # A text reader never fails, so a zip or a PDF named .csv, .txt or .html is read as what it is from the start.
    reader = READERS.get(sniffed if sniffed in _UNMISTAKABLE and suffix in _TEXTS else suffix) or READERS.get(sniffed)
    if reader is None:
        reading.skip(prefix, f"{type_name(suffix)}的文字无法自动读取")
        return
    if depth > MAX_DEPTH:
        reading.skip(prefix, f"嵌套超过 {MAX_DEPTH} 层，未读取")
        return
    failure = _attempt(reader, data, prefix, reading, depth)
    if failure is None:
        return
    # A file named for another type (a web page or an RTF saved as .docx, a zip named .pdf) opens all the same in
    # the program that sniffs it: read it as what it is.
    actual = READERS.get(sniffed)
    if actual is not None and actual is not reader:
        failure = _attempt(actual, data, prefix, reading, depth)
    if failure is not None:
        reading.skip(prefix, f"文件无法解析（{type(failure).__name__}），可能已损坏或扩展名与实际格式不符")


# What runs when a reader opens it: a program or a script (by its name, in a zip: Windows runs a .js or a .lnk on a
# double click), or a Word, Excel or WPS file with macros (its VBA storage, in the file or embedded in one).
PROGRAMS = frozenset((
    "exe", "com", "scr", "pif", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "msi", "msp",
    "msix", "appx", "lnk", "url", "scf", "inf", "reg", "jar", "dll", "cpl", "chm", "apk", "sh", "app", "dmg", "iso", "img",
    "vhd", "vhdx", "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "xll", "slk", "iqy", "one", "msc", "ws",
    "gadget", "application", "appref-ms", "library-ms", "searchconnector-ms", "settingcontent-ms", "website", "diagcab",
    "desktop", "command", "pkg"))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Letters other than an ASCII one's two cases that a compound file or olefile takes for it (by upper or lower case).
_FOLDS = {"i": "ı", "k": "\u212a", "s": "ſ"}


def _ole_name(name: str) -> re.Pattern[bytes]:
    """`name` in an OLE directory (UTF-16) in any case: a compound file compares names case-insensitively (MS-CFB
    2.6.4), so Excel opens a stream named `WORKBOOK` as its Workbook (a byte search for `Workbook` let its macro sheet
    pass), and `_vba_project` is the VBA storage."""
    def spellings(char: str) -> list[str]:
        return sorted({char, char.lower(), char.upper(), *_FOLDS.get(char.lower(), "")})
    return re.compile(b"".join(b"(?:" + b"|".join(re.escape(spelt.encode("utf-16-le")) for spelt in spellings(char)) + b")"
                               for char in name))


_VBA = _ole_name("_VBA_PROJECT")  # the VBA storage's stream name, in the OLE directory


def note_programs(data: bytes, suffix: str, prefix: str, reading: Reading) -> None:
    where = prefix.rstrip("：")
    inside = f"{where}中的" if where else ""
    if data.startswith(OLE):
        if _VBA.search(data):
            reading.runs(f"{inside}宏（VBA）")
        sheets = workbook_sheets(data) or set()
        for kind in sorted(sheets & _MACRO_SHEETS.keys()):
            reading.runs(f"{inside}{_MACRO_SHEETS[kind]}")
        if _ENCRYPTED in sheets:
            reading.skip(where, "工作簿已加密，无法检查有无宏表")
        if _UNFINISHED in sheets:  # no workbook Excel writes has as many: refused as a macro sheet would be (GK317)
            reading.runs(f"{inside}无法确认有无宏表的工作簿（工作簿的全局记录超过 {_MAX_RECORDS} 条，没有读完）")
        if _DAMAGED in sheets:  # no workbook Excel writes is one olefile cannot read: refused as a macro sheet would be
            reading.runs(f"{inside}无法确认有无宏表的工作簿（文件结构已损坏，无法读出工作表列表）")
        if _PACKAGE.search(data) and (name := packaged_program(data)):
            reading.runs(f"{inside}嵌入的程序或脚本“{name}”（双击图标即运行）")
    if where and (suffix in PROGRAMS or _executable(data)):
        reading.runs(f"{where}（程序、脚本或快捷方式）")


# An Excel 97–2003 workbook's stream, by its name in the OLE directory: "Workbook", or "Book" in Excel 5 (which
# "Workbook" holds; its NUL end is not looked for: olefile takes a name's length from its entry, not from the NUL).
_WORKBOOK = _ole_name("Book")
_MACRO_SHEETS = {1: "Excel 4.0 宏表（XLM）", 6: "宏（Excel 5.0 的 VBA 模块）"}  # by BIFF sheet type
_ENCRYPTED = -1
_UNFINISHED = -2  # the globals run past _MAX_RECORDS: a macro sheet listed after them would go unseen
_DAMAGED = -3  # a workbook's name is there but olefile cannot open the file or read the stream
_MAX_RECORDS = 100_000


def workbook_sheets(data: bytes) -> set[int] | None:
    """The types of the sheets an XLS file's workbook stream lists (its BOUNDSHEET records), with `_ENCRYPTED` when
    what follows is encrypted, `_UNFINISHED` when the list was not read to its end and `_DAMAGED` when a workbook's
    stream is named but olefile cannot read it; None when it is no workbook."""
    import olefile

    if not _WORKBOOK.search(data):
        return None
    try:
        with olefile.OleFileIO(data) as ole:
            stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            book = ole.openstream(stream).read() if stream else None
    except Exception:  # Excel may open what olefile cannot: what it holds is not known (GK317, as `_UNFINISHED`)
        return {_DAMAGED}
    if book is None:
        return None
    types: set[int] = set()
    at = 0
    for _ in range(_MAX_RECORDS):
        if at + 4 > len(book):
            break
        kind, size = int.from_bytes(book[at:at + 2], "little"), int.from_bytes(book[at + 2:at + 4], "little")
        if kind == 0x002F:  # FILEPASS: the records after it are encrypted
            types.add(_ENCRYPTED)
            break
        if kind == 0x0085 and size >= 6:  # BOUNDSHEET: position (4), visibility, type
            types.add(book[at + 9])
        if kind == 0x000A:  # EOF of the workbook's globals, which list the sheets
            break
        at += 4 + size
    else:
        types.add(_UNFINISHED)
    return types


# An OLE "Package" object (Office's "insert object → from file") holds a file shown as an icon that runs when the
# reader double-clicks it: its stream, and the file's name, NUL-ended, in the stream's header.
_PACKAGE = _ole_name("\x01Ole10Native")
_PACKAGED = re.compile(rb"\.(" + b"|".join(name.encode() for name in sorted(PROGRAMS)) + rb")\x00", re.I)


def packaged_program(data: bytes) -> str:
    """The name of a program or script packaged in an OLE file (the first of its first 100 names so ended, or, when none
    of them reads as a name, a note that one is there: 100 undecodable ones first hid the real `evil.bat`), or ""."""
    found_any = False
    for found in islice(_PACKAGED.finditer(data), 100):
        found_any = True
        earliest = max(0, found.start() - 255)  # a name is at most 255 bytes
        start = max(earliest, *(data.rfind(sep, earliest, found.start()) + 1 for sep in (b"\x00", b"\\", b"/")))
        name = data[start:found.end() - 1].decode("gb18030", "replace").strip()
        if name and "\ufffd" not in name:
            return name[:80]
    return "名称无法读出的程序" if found_any else ""


def _executable(data: bytes) -> bool:
    """A Windows program (MZ…PE), a Linux one (ELF) or a macOS one (Mach-O), whatever its name."""
    if data.startswith(b"MZ") and len(data) >= 64:
        at = int.from_bytes(data[60:64], "little")
        return data[at:at + 4] == b"PE\0\0"
    return data.startswith((b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"))


# Word, Excel and WPS files of the 97-2003 binary format (a compound file): their text is not parsed, only its runs read.
LEGACY = frozenset(("doc", "xls", "wps"))
# The streams that hold a legacy file's text: Word's and WPS's document, Excel's workbook (its shared strings). Not the
# pictures and embedded objects (ObjectPool, Data), whose bytes read as runs of random characters.
_TEXT_STREAMS = ("WordDocument", "Workbook", "Book")


def read_legacy(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """A .doc, .xls or .wps compound file: the text runs of its document or workbook stream, in every encoding such a
    file writes (`binary_strings`: UTF-16 for Chinese, one byte a letter for an all-ASCII stretch) — a name list's
    身份证号 written as text is found — and the file named as read only so far (GK305): its format is not parsed, so
    text split across the file's pieces is not read. A workbook's cells that hold numbers (a phone number typed in) are
    read besides, row by row (`_biff_numbers`)."""
    import olefile

    if not data.startswith(OLE):
        raise ValueError("not a compound file")  # an RTF, a web page or a zip so named: read as what it is (`read`)
    with olefile.OleFileIO(data) as ole:
        streams = [name for name in _TEXT_STREAMS if ole.exists(name)]
        sizes = [ole.get_size(name) for name in streams]
        for name in streams:
            with ole.openstream(name) as stream:
                stored = stream.read(LEGACY_BYTES)
            reading.add(named(prefix, f"{name} 流中读出的文字片段"), "\n".join(binary_strings(stored)))
            if name != "WordDocument":
                reading.add(named(prefix, "工作簿中以数字保存的单元格第 {line} 行"), "\n".join(_biff_numbers(stored)))
    reading.skip(prefix, "97–2003 版的二进制格式无法完整解析，只扫描了其中能读出的文字片段和以数字保存的单元格（分段保存的文字、"
                         "数字格式显示出的样子读不出）" + (f"，且只读了前 {LEGACY_BYTES // 1024 // 1024} MB" if any(
                             ole_size > LEGACY_BYTES for ole_size in sizes) else ""))


LEGACY_BYTES = 4 << 20  # of a legacy file's text stream read for text runs (six decodings: 2.5 characters a byte)


def _biff_numbers(book: bytes) -> list[str]:
    """The numbers an Excel 97–2003 workbook stream's cells hold (NUMBER, RK and MULRK records, and the values formulas
    last computed), one row a line in the order the records come, cells apart by tabs: 13912345678 typed into a cell is
    a number, not text, and no text run holds it."""
    import struct

    rows: dict[tuple[int, int], list[str]] = {}  # (sheet, row) → its cells' numbers
    sheet = at = 0
    while at + 4 <= len(book):
        kind, size = struct.unpack_from("<HH", book, at)
        body = book[at + 4:at + 4 + size]
        at += 4 + size
        if kind == 0x0809:  # BOF: the next sheet's records
            sheet += 1
        elif kind in (0x0203, 0x0006) and len(body) >= 14:  # NUMBER, FORMULA (its cached value, a number unless 0xFFFF)
            if kind == 0x0006 and body[12:14] == b"\xff\xff":
                continue
            rows.setdefault((sheet, struct.unpack_from("<H", body)[0]), []).append(_figure(struct.unpack_from("<d", body, 6)[0]))
        elif kind == 0x027E and len(body) >= 10:  # RK
            rows.setdefault((sheet, struct.unpack_from("<H", body)[0]), []).append(_figure(_rk(struct.unpack_from("<I", body, 6)[0])))
        elif kind == 0x00BD and len(body) >= 6:  # MULRK: a row's run of RK cells
            cells = rows.setdefault((sheet, struct.unpack_from("<H", body)[0]), [])
            cells.extend(_figure(_rk(struct.unpack_from("<I", body, offset + 2)[0])) for offset in range(4, len(body) - 2 - 5, 6))
    return ["\t".join(cells) for cells in rows.values()]


def _rk(value: int) -> float:
    """An RK number: a 30-bit integer or the top of a double, either divided by 100 when its lowest bit says so."""
    import struct

    number = float(value >> 2) if value & 2 else struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))[0]
    if value & 2 and value & 0x80000000:  # the integer is signed
        number -= 1 << 30
    return number / 100 if value & 1 else number


def _figure(value: float) -> str:
    """A number as a cell in General format shows it: a whole one without a decimal point."""
    return str(int(value)) if value == value and abs(value) < 1e21 and value == int(value) else repr(value)


def read_appended(data: bytes, where: str, reading: Reading, depth: int) -> None:
    """Bytes a file holds past its own end (after a picture's end, a PDF's last %%EOF, raw `\\bin` data): read as
    the file they are when their first bytes say what that is, else as the text runs anyone sees in a hex editor or
    with `strings`, and named for the eye."""
    if sniff(data):
        read(data, "", where, reading, depth + 1)
        return
    reading.add(named(where, "第 {line} 段文字"), "\n".join(binary_strings(data[:APPENDED_BYTES])))
    reading.skip(where, "附加的二进制数据无法解析，只扫描了其中能读出的文字"
                 + (f"（前 {APPENDED_BYTES // 1024 // 1024} MB）" if len(data) > APPENDED_BYTES else ""))


APPENDED_BYTES = 1 << 20  # of unknown appended bytes read for text runs: six decodings give 2.5 characters a byte

_RUN = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f\ufffd]{4,}")
# How a text in a binary block may be encoded: UTF-8 or GB18030 (a Chinese camera's ASCII fields), UTF-16 in
# either byte order (Windows' XPComment is little-endian; a UserComment follows the file's byte order) and
# starting at either byte, since a value's offset need not be even.
_DECODINGS = (("utf-8", 0), ("gb18030", 0), ("utf-16-le", 0), ("utf-16-le", 1), ("utf-16-be", 0), ("utf-16-be", 1))


def binary_strings(blob: bytes) -> list[str]:
    """Text runs in a binary block (EXIF, IPTC, bytes appended to a file), read in every encoding such a block may use."""
    runs = [run for encoding, start in _DECODINGS for run in _RUN.findall(blob[start:].decode(encoding, "replace"))]
    return list(dict.fromkeys(run for run in runs if worth_reading(run)))


def _attempt(reader: Callable[[bytes, str, Reading, int], None], data: bytes, prefix: str, reading: Reading,
             depth: int) -> Exception | None:
    try:
        reader(data, prefix, reading, depth)
    except (Refused, MemoryError):
        raise
    except Exception as exc:  # parsers of outside files raise anything; a damaged file is a finding, not a crash
        refuse_if_hostile(exc, prefix)
        return exc
    return None


_UNMISTAKABLE = frozenset(("pdf", "zip"))  # types known by their first bytes beyond doubt
_TEXTS = frozenset(("csv", "txt", "css", "htm", "html", "xhtml", "mht", "mhtml"))  # readers that take any bytes


def refuse_if_hostile(exc: Exception, part: str) -> None:
    """Raise Refused when a parser's error says the file was built to exhaust it, not merely damaged."""
    where = part.rstrip("：") or "文件"
    if isinstance(exc, RecursionError):
        raise Refused(f"{where}的结构嵌套过深，未读取（可能是为耗尽资源而构造的）") from None
    if type(exc).__name__ == "LimitReachedError":  # pypdf's decompression and size limits
        raise Refused(f"{where}解压后超出读取程序的上限，未读取（可能是压缩炸弹）") from None


def sniff(data: bytes) -> str:
    """The type of a file whose name does not say it (an altChunk, a zipped .dat): by its first bytes."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return "rtf"
    lowered = head.lower()
    if lowered.startswith((b"mime-version:", b"content-type: multipart/")) or _mime_headed(data):
        return "mht"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:512]:
        return "html"
    if lowered.startswith((b"<svg", b"<?xml", b"<!doctype svg", b"<!--")) and b"<svg" in lowered:
        return "svg"
    return "txt" if is_text(data[:4096]) else ""


_HEADER_LINE = re.compile(rb"[!-9;-~]+:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*\r?\n")  # `Name: value`, folded lines too
_HEADER_BYTES = 1 << 16


def _mime_headed(data: bytes) -> bool:
    """Whether the file opens with mail headers, one of them `MIME-Version` (however many `Received:` lines come first,
    as in an e-mail saved as .eml): read as text, its base64 parts held what a mail client shows."""
    at, head = 0, data[:_HEADER_BYTES]
    while (line := _HEADER_LINE.match(head, at)) is not None:
        if line[0][:13].lower() == b"mime-version:":
            return True
        at = line.end()
    return False


def host_of(target: str) -> str:
    """Where an address points, for the message: its host (a share's server), not the whole address."""
    if target.startswith(("\\\\", "//")):  # a share; a field code doubles its backslashes
        return target.replace("\\", "/").lstrip("/").split("/", 1)[0][:80] or "未知位置"
    try:
        parsed = urlsplit(target.split(":", 1)[-1] if target.lower().startswith("mhtml:") else target)
    except ValueError:  # a malformed address ("http://[")
        return "无法解析的地址"
    return parsed.netloc[:80] or (f"{parsed.scheme}: 地址" if parsed.scheme else "本机或共享文件夹")


def named(prefix: str, where: str) -> str:
    return f"{prefix}{where}" if prefix else where


def type_name(suffix: str) -> str:
    return f"{TYPES.get(suffix, '文件')}（.{suffix}）" if suffix else "无扩展名的文件"


_LIST_SEPARATORS = re.compile(r"[;；,，、|]")


def keywords(value: str) -> list[str]:
    """A document's keywords property (`通知;机密;2021`) item by item, each alone as a property dialog lists it (a title
    or a subject is prose, read whole: “秘密、机密、绝密” is no list of marks)."""
    return [item for item in map(str.strip, _LIST_SEPARATORS.split(value)) if item] or [value]


def worth_reading(value: str) -> bool:
    """An attribute value that may be text a reader sees: Chinese, or a number of 7 digits or more."""
    return bool(HAN.search(value)) or sum(ch.isdigit() for ch in value) >= 7




HAN = re.compile(r"[\u3400-\u9fff]")

# Ends the place of a second reading of a text, as its reader displays it (a sheet's row under its number formats,
# without hidden cells …): a number found at the place already is not named again (`attached._scan`).
AS_SHOWN = "（按显示的样子）"

# suffix → reader; filled by the package, so that readers of containers can read what they contain.
READERS: dict[str, Callable[[bytes, str, Reading, int], None]] = {}
