"""The text inside attachments, read whole, for the privacy and secrecy scans.

Most real leaks were name lists attached to a 公示, so attachments are read, not just listed — every
part a reader of the file can see or reveal:

- DOCX and XLSX are read as the zip of XML parts they are, part by part, so nothing depends on what a
  library chooses to expose: body, tables, text boxes, every kind of header and footer, comments,
  footnotes, endnotes, tracked insertions *and* deletions, field codes, charts, document properties;
  every sheet (hidden and very hidden too), cells' cached values and formulas, comments, headers and
  footers, shared strings no cell uses any more, pivot caches. Embedded documents are read in turn.
- PDF: the text of every page, annotations, form fields (AcroForm and XFA), embedded files,
  bookmarks and metadata.
- CSV and text files in UTF-8, UTF-16/32 (BOM or not) and GB18030, detected (charset-normalizer).
- ZIP: every member and the members' names.

A part that cannot be read is named in `Extraction.unread` (GK305). Hostile files cost bounded time
and memory: a file is read in a separate process with an address-space limit and a deadline
(`Extraction.failure`, GK307); decompression is counted and stopped at a budget (zip bombs); XML
with a DTD is refused (entity bombs).
"""

from __future__ import annotations

import atexit
import codecs
import csv
import io
import logging
import os
import posixpath
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from ..attachments import TYPES, open_regular, suffix_of

SECONDS = 8.0  # per file, so that a hostile file ends in an error within 10 s
MEMORY = 768 * 1024 * 1024  # address space of the reading process
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
        return self.where.replace("{line}", str(self.text.count("\n", 0, offset) + 1))


@dataclass(frozen=True)
class Unread:
    part: str  # "" for the whole file, else e.g. "批注（word/comments.xml）"
    reason: str  # Chinese


@dataclass(frozen=True)
class Extraction:
    segments: tuple[Segment, ...] = ()
    unread: tuple[Unread, ...] = ()
    failure: str = ""  # the file exceeded a time, memory or decompression bound (Chinese); nothing was scanned


class Refused(Exception):
    """A budget ran out or the file is built to attack the reader (a DTD): refused, not partly read."""


# --- running the readers in a child process ----------------------------------------------------

def extract(file: Path, suffix: str) -> Extraction:
    """The text of `file` by type, read in the reading process."""
    if suffix not in _READERS:
        return Extraction(unread=(Unread("", f"{_type_name(suffix)}的文字无法自动读取"),))
    return _SANDBOX.run(file, suffix)


def _type_name(suffix: str) -> str:
    return f"{TYPES.get(suffix, '文件')}（.{suffix}）" if suffix else "无扩展名的文件"


class _Sandbox:
    """One long-lived reading process, a fresh interpreter (not a fork, not multiprocessing's spawn, which
    re-runs the caller's script) that sets its own limits; killed and replaced after a failure."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.requests: Connection | None = None
        self.replies: Connection | None = None

    def run(self, file: Path, suffix: str) -> Extraction:
        try:
            requests, replies = self._connections()
            requests.send((str(file), suffix))
            if not replies.poll(SECONDS):
                self.stop()
                return Extraction(failure=f"读取超过 {SECONDS:g} 秒仍未完成（文件可能是为耗尽时间而构造的）")
            status, result = replies.recv()
        except (EOFError, OSError):
            self.stop()
            return Extraction(failure=f"读取时超出内存上限（{MEMORY // 1024 // 1024} MB）或读取进程意外退出")
        if status == "ok":
            return result
        return Extraction(failure=result)

    def _connections(self) -> tuple[Connection, Connection]:
        if self.process is None or self.process.poll() is not None or self.requests is None or self.replies is None:
            self.stop()
            request_read, request_write = os.pipe()
            reply_read, reply_write = os.pipe()
            code = f"from gongkai.checks.extract import serve; serve({request_read}, {reply_write}, {MEMORY}, {SECONDS})"
            environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
            self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(request_read, reply_write),
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=environment)
            os.close(request_read)
            os.close(reply_write)
            self.requests = Connection(request_write, readable=False)
            self.replies = Connection(reply_read, writable=False)
        return self.requests, self.replies

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        for connection in (self.requests, self.replies):
            if connection is not None:
                connection.close()
        self.process = self.requests = self.replies = None


_SANDBOX = _Sandbox()
atexit.register(_SANDBOX.stop)


def serve(request_fd: int, reply_fd: int, memory: int, seconds: float) -> None:
    """The reading process: limits first, then one request after another until the pipe closes."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = max(60, int(seconds) * 60)  # a backstop if the parent is gone; the parent's deadline is the limit
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, ValueError, OSError):  # pragma: no cover - systems without these limits
        pass
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints about sloppy PDFs are noise
    requests, replies = Connection(request_fd, writable=False), Connection(reply_fd, readable=False)
    while True:
        try:
            path, suffix = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", read_file(Path(path), suffix))
        except MemoryError:
            reply = ("failure", f"读取时超出内存上限（{memory // 1024 // 1024} MB，文件可能是为耗尽内存而构造的）")
        except Refused as exc:
            reply = ("failure", str(exc))
        replies.send(reply)


# --- reading, in the child process ---------------------------------------------------------------


@dataclass
class _Reading:
    """What one file yields while it is read, with the budgets shared by its embedded files."""

    segments: list[Segment] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    inflated: int = 0  # decompressed bytes so far
    chars: int = 0

    def add(self, where: str, text: str) -> None:
        if not text.strip():
            return
        self.chars += len(text)
        if self.chars > TEXT_CHARS:
            raise Refused(f"文字超过 {TEXT_CHARS // 1024 // 1024}M 字，无法在限定内存内扫描；请拆分文件")
        self.segments.append(Segment(where, text))

    def skip(self, part: str, reason: str) -> None:
        self.unread.append(Unread(part, reason))


def read_file(path: Path, suffix: str) -> Extraction:
    """The whole text of one attachment (in the reading process); never raises for a damaged file."""
    reading = _Reading()
    with open(open_regular(path), "rb") as stream:
        data = stream.read()
    _read(data, suffix, "", reading, 0)
    return Extraction(tuple(reading.segments), tuple(reading.unread))


def _read(data: bytes, suffix: str, prefix: str, reading: _Reading, depth: int) -> None:
    """Read `data` of type `suffix`; `prefix` names the containing file for embedded ones."""
    reader = _READERS.get(suffix) or _READERS.get(_sniff(data))
    if reader is None:
        reading.skip(prefix, f"{_type_name(suffix)}的文字无法自动读取")
        return
    if depth > MAX_DEPTH:
        reading.skip(prefix, f"嵌套超过 {MAX_DEPTH} 层，未读取")
        return
    try:
        reader(data, prefix, reading, depth)
    except (Refused, MemoryError):
        raise
    except Exception as exc:  # parsers of outside files raise anything; a damaged file is a finding, not a crash
        reading.skip(prefix, f"文件无法解析（{type(exc).__name__}），可能已损坏或扩展名与实际格式不符")


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


def _named(prefix: str, where: str) -> str:
    return f"{prefix}{where}" if prefix else where


# --- text files ---


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes) -> str:
    """Text of a CSV or TXT file: BOM, else UTF-8, else UTF-16 by its NUL bytes, else detected (GB18030 …)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(0) * 4 >= len(sample) > 0:  # UTF-16 without a BOM: a NUL byte in every ASCII character
        even_nuls = sample[0::2].count(0)
        return data.decode("utf-16-be" if even_nuls > sample[1::2].count(0) else "utf-16-le", errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    return data.decode(best.encoding if best else "gb18030", errors="replace")


def _csv(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = ["\t".join(row) for row in csv.reader(io.StringIO(text))]
    except csv.Error:  # not really comma-separated: read it as lines
        rows = text.split("\n")
    reading.add(_named(prefix, "第 {line} 行"), "\n".join(rows))


def _txt(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    reading.add(_named(prefix, "第 {line} 行"), decode_text(data).replace("\r\n", "\n"))


# --- zip containers ---


def _member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # Windows zip tools in China write names in GBK, which zipfile read as cp437
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _open_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if len(archive.infolist()) > MAX_MEMBERS:
        raise Refused(f"压缩包内有超过 {MAX_MEMBERS} 个文件，未读取（可能是为耗尽资源而构造的）")
    return archive


class _Counted(io.RawIOBase):
    """A zip member's stream that stops the file once the decompression budget is spent."""

    def __init__(self, stream: IO[bytes], name: str, reading: _Reading) -> None:
        self.stream, self.name, self.reading, self.read_here = stream, name, reading, 0
        self.refusal: Refused | None = None  # kept: a parser reading from here may turn the exception into its own

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.stream.read(min(len(buffer), 1 << 16))
        self.read_here += len(chunk)
        self.reading.inflated += len(chunk)
        if self.read_here > PART_BYTES or self.reading.inflated > TOTAL_BYTES:
            self.refusal = Refused(f"“{self.name}”解压后超过 {PART_BYTES // 1024 // 1024} MB（单个部件）或"
                                   f" {TOTAL_BYTES // 1024 // 1024} MB（全部），未读取（可能是压缩炸弹）")
            raise self.refusal
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _declared(info: zipfile.ZipInfo, reading: _Reading) -> None:
    """Refuse at once what the zip itself says is too large (what it hides is counted while reading)."""
    if info.file_size > PART_BYTES or reading.inflated + info.file_size > TOTAL_BYTES:
        raise Refused(f"“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，超过 {PART_BYTES // 1024 // 1024} MB"
                      f"（单个部件）或 {TOTAL_BYTES // 1024 // 1024} MB（全部），未读取（可能是压缩炸弹）")


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reading: _Reading) -> bytes:
    _declared(info, reading)
    with archive.open(info) as stream:
        return io.BufferedReader(_Counted(stream, info.filename, reading)).read()


def _zip(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    archive = _open_zip(data)
    names = []
    for info in archive.infolist():
        name = _member_name(info)
        names.append(name)
        if info.is_dir():
            continue
        where = _named(prefix, f"压缩包内“{name}”")
        if info.flag_bits & 0x1:
            reading.skip(where, "已加密，无法读取")
            continue
        _read(_member_bytes(archive, info, reading), suffix_of(name), f"{where}：", reading, depth + 1)
    reading.add(_named(prefix, "压缩包内的文件名第 {line} 个"), "\n".join(names))


# --- XML parts of DOCX and XLSX ---

_NOISE_ATTRIBUTE = re.compile(r"^(?:rsid\w*|\w*[iI]d|uid|guid)$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_events(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reading: _Reading) -> Iterator[tuple[str, Any]]:
    """(event, element) of one XML part, streamed; a DTD (entity bombs) is refused."""
    from lxml import etree

    _declared(info, reading)
    with archive.open(info) as raw:
        counted = _Counted(raw, info.filename, reading)
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


# Layout numbers, not text: OFD's boxes, positions and glyph advances (lists of numbers by the page).
_GEOMETRY = frozenset(("PhysicalBox", "ApplicationBox", "ContentBox", "BleedBox", "Boundary", "CTM", "DeltaX", "DeltaY",
                       "AbbreviatedData", "X", "Y", "Size", "LineWidth", "Glyphs", "Area", "StartPoint", "EndPoint"))


def _telling(name: str, value: str) -> bool:
    """An attribute worth scanning: not an id or a layout number, and Chinese or long enough to hold a number."""
    return name not in _GEOMETRY and not _NOISE_ATTRIBUTE.search(name) and _worth_reading(value)


def _worth_reading(value: str) -> bool:
    """An attribute value that may be text a reader sees: Chinese, or a number of 7 digits or more."""
    return bool(_HAN.search(value)) or sum(ch.isdigit() for ch in value) >= 7


def _xml_lines(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, str]]:
    """(kind, text) of an XML part: "block" per block element (its runs joined), "before" for the same
    block as it was before tracked changes when they differ, "attribute" and "loose" for the rest."""
    stack: list[list[tuple[str, str]]] = []
    revision: list[str] = []
    for event, element in events:
        name = _local(element.tag)
        if event == "start":
            if name in _REVISION:
                revision.append(_REVISION[name])
            if name in _BLOCKS:
                stack.append([])
            for key, value in element.attrib.items():
                if isinstance(value, str) and _telling(_local(key), value):
                    yield "attribute", value
            continue
        if name in _REVISION and revision:
            revision.pop()
        if element.text and (name in _TEXT or len(element) == 0) and name not in _GEOMETRY and name != "rPh":
            if stack:
                stack[-1].append((element.text, revision[-1] if revision else ""))
            elif element.text.strip():
                yield "loose", element.text
        if name in _BLOCKS and stack:
            pieces = stack.pop()
            final = "".join(text for text, kind in pieces if kind != "del")
            before = "".join(text for text, kind in pieces if kind != "ins")
            yield "block", final
            if before != final:
                yield "before", before


def _part_label(path: str, kinds: dict[str, str]) -> str:
    name = posixpath.basename(path)
    if name.endswith(".rels"):
        return "链接和引用的地址"
    base = re.sub(r"\d*\.xml$", "", name)
    labels = {
        "document": "正文", "comments": "批注", "commentsExtended": "批注", "commentsExtensible": "批注",
        "footnotes": "脚注", "endnotes": "尾注", "core": "文档属性", "app": "文档属性", "custom": "自定义属性",
        "sharedStrings": "共享字符串", "workbook": "工作簿（工作表名称、定义的名称）", "chart": "图表",
        "drawing": "绘图中的文字", "threadedComment": "批注", "person": "批注作者",
        "pivotCacheRecords": "数据透视表缓存", "pivotCacheDefinition": "数据透视表缓存", "externalLink": "外部链接缓存",
        "Content": "页面内容", "Document": "文档信息", "OFD": "文档属性", "Annotation": "批注", "Annotations": "批注",
        "Attachments": "附件列表", "CustomTags": "自定义标引",
    }
    if name.endswith(".rels"):
        return "链接和引用的地址"
    if base in ("header", "footer"):
        kind = {"first": "首页", "even": "偶数页", "default": "奇数页及默认"}.get(kinds.get(path, ""), "")
        return ("页眉" if base == "header" else "页脚") + (f"（{kind}）" if kind else "")
    return labels.get(base, "文件内部部件")


# Parts that hold no text a reader sees: formatting, relations, fonts, printer settings, the thumbnail
# (a picture of the first page, whose text is read anyway).
_SKIPPED_PARTS = re.compile(
    r"(?:^|/)(?:\[Content_Types\]\.xml|styles\.xml|stylesWithEffects\.xml|fontTable\.xml|webSettings\.xml"
    r"|settings\.xml|numbering\.xml|theme\d*\.xml|calcChain\.xml|vbaData\.xml|itemProps\d*\.xml|thumbnail\.\w+"
    r"|printerSettings\d*\.bin|[^/]*\.(?:odttf|ttf|fntdata))$"
)
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.I)


def _office(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    """DOCX or XLSX (or any OOXML): every XML part, embedded documents, images counted."""
    archive = _open_zip(data)
    names = {info.filename: info for info in archive.infolist()}
    header_kinds = _header_kinds(archive, names, reading)
    sheets = _sheet_names(archive, names, reading)
    images = []
    used_strings: set[int] = set()
    shared = _shared_strings(archive, names, reading)
    for path, info in sorted(names.items()):
        if info.is_dir() or _SKIPPED_PARTS.search(path):
            continue
        if path.endswith((".xml", ".rels")):
            where = _named(prefix, _part_label(path, header_kinds))
            try:
                if path in sheets:
                    _sheet(archive, info, _named(prefix, f"工作表“{sheets[path]}”"), shared, used_strings, reading)
                elif not path.endswith("sharedStrings.xml"):
                    _part(archive, info, where, reading)
            except (Refused, MemoryError):
                raise
            except Exception as exc:  # one damaged part: say which, read the others
                reading.skip(f"{where}（{path}）", f"无法解析（{type(exc).__name__}）")
        elif _IMAGE.search(path):
            images.append(path)
        else:
            embedded = _named(prefix, f"内嵌文件“{path}”")
            _read(_member_bytes(archive, info, reading), suffix_of(path), f"{embedded}：", reading, depth + 1)
    unused = [text for index, text in enumerate(shared) if index not in used_strings]
    if unused:
        reading.add(_named(prefix, "共享字符串中未被单元格使用的第 {line} 项"), "\n".join(unused))
    if images:
        reading.skip(_named(prefix, f"{len(images)} 张图片（{'、'.join(images[:3])}{' 等' if len(images) > 3 else ''}）"),
                     "图片中的文字无法自动读取")


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, reading: _Reading) -> None:
    """One XML part: Word paragraphs are numbered (段) and table rows named (表格、行); other parts by line."""
    tables: list[int] = []  # the outermost open table's number, once per open table
    counts = {"tbl": 0, "tr": 0, "p": 0}
    lines: list[str] = []
    label = where

    def counting(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
        for event, element in events:
            name = _local(element.tag)
            if name == "tbl" and event == "start":
                counts["tbl"] += 1
                tables.append(tables[0] if tables else counts["tbl"])
                counts["tr"] = counts["tr"] if len(tables) > 1 else 0
            elif name == "tbl":
                tables.pop()
            elif name == "tr" and event == "start" and len(tables) == 1:
                counts["tr"] += 1
            yield event, element

    for kind, text in _xml_lines(counting(_xml_events(archive, info, reading))):
        if kind == "block" and tables:
            label = f"{where}第 {tables[0]} 个表格第 {counts['tr']} 行"
        elif kind == "block":
            counts["p"] += 1
            label = f"{where}第 {counts['p']} 段"
        elif kind == "before":
            reading.add(f"{label}（修订前的文字）", text)
            continue
        else:
            lines.append(text)
            continue
        reading.add(label, text)
    reading.add(f"{where}第 {{line}} 项", "\n".join(lines))


_HEADER_SECTION = re.compile(r"&[LCR]")  # left, centre and right: three texts
_HEADER_CODE = re.compile(r'&(?:"[^"\n]{0,64}"|K[0-9A-Fa-f]{6}|K\d\d[+-]\d{3}|\d{1,3}|[PNDTFAZGBIUESXYH&])')
_HEADER_PARTS = {"oddHeader": "页眉（奇数页及默认）", "evenHeader": "页眉（偶数页）", "firstHeader": "页眉（首页）",
                 "oddFooter": "页脚（奇数页及默认）", "evenFooter": "页脚（偶数页）", "firstFooter": "页脚（首页）"}


def _sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, shared: list[str], used: set[int],
           reading: _Reading) -> None:
    """One worksheet: a line per row (cells by tab, then the formulas), headers and footers apart."""
    rows: list[str] = []
    row_number = 0
    cells: list[str] = []
    formulas: list[str] = []
    cell: list[str] = []
    cell_type = ""
    others: list[str] = []  # data validation lists, hyperlinks' texts, conditional formulas …
    for event, element in _xml_events(archive, info, reading):
        name = _local(element.tag)
        if event == "start":
            others.extend(value for key, value in element.attrib.items() if isinstance(value, str) and _telling(_local(key), value))
            if name == "row":
                number = element.get("r") or ""
                row_number = int(number) if number.isdigit() else row_number + 1
                cells, formulas = [], []
            elif name == "c":
                cell_type, cell = element.get("t") or "", []
            continue
        text = element.text or ""
        if name == "v" and cell_type == "s" and text.strip().isdigit():
            index = int(text)
            used.add(index)
            cell.append(shared[index] if index < len(shared) else "")
        elif name == "v":
            cell.append(_number_text(text))
        elif name == "t":
            cell.append(text)
        elif name == "f" and text:
            formulas.append("=" + text)
        elif name == "c":
            cells.append("".join(cell))
        elif name == "row":
            rows.extend([""] * max(0, min(row_number, 1_048_576) - 1 - len(rows)))
            rows.append("\t".join(cells + formulas))
        elif name in _HEADER_PARTS and text:
            reading.add(f"{where}{_HEADER_PARTS[name]}", _HEADER_CODE.sub("", _HEADER_SECTION.sub("\t", text)))
        elif text.strip() and len(element) == 0:
            others.append(text)
    reading.add(f"{where}第 {{line}} 行", "\n".join(rows))
    reading.add(f"{where}的其他文字（数据验证、超链接等）第 {{line}} 项", "\n".join(others))


def _number_text(value: str) -> str:
    """Cached values as Excel shows integers: 1.3912345678E10 → 13912345678."""
    if "E" in value or "e" in value:
        try:
            number = float(value)
            if number.is_integer() and abs(number) < 1e20:
                return str(int(number))
        except ValueError:
            pass
    return value


def _shared_strings(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: _Reading) -> list[str]:
    info = next((info for path, info in names.items() if path.endswith("sharedStrings.xml")), None)
    if info is None:
        return []
    strings: list[str] = []
    for kind, text in _xml_lines(_xml_events(archive, info, reading)):
        if kind == "block":
            strings.append(text)
    return strings


def _relationships(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], part: str,
                   reading: _Reading) -> dict[str, str]:
    """Relationship id → target part path, for one part."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in names:
        return {}
    targets = {}
    for event, element in _xml_events(archive, names[rels], reading):
        if event == "start" and _local(element.tag) == "Relationship":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            targets[element.get("Id", "")] = posixpath.normpath(path)
    return targets


def _header_kinds(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: _Reading) -> dict[str, str]:
    """Word header/footer part → "default", "first" or "even" (from the sections' references)."""
    if "word/document.xml" not in names:
        return {}
    targets = _relationships(archive, names, "word/document.xml", reading)
    kinds = {}
    for event, element in _xml_events(archive, names["word/document.xml"], reading):
        if event == "start" and _local(element.tag) in ("headerReference", "footerReference"):
            values = {_local(key): value for key, value in element.attrib.items()}
            target = targets.get(values.get("id", ""))
            if target:
                kinds[target] = values.get("type", "default")
    return kinds


def _sheet_names(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], reading: _Reading) -> dict[str, str]:
    """Worksheet part → its name (hidden and very hidden sheets included)."""
    if "xl/workbook.xml" not in names:
        return {}
    targets = _relationships(archive, names, "xl/workbook.xml", reading)
    sheets = {}
    for event, element in _xml_events(archive, names["xl/workbook.xml"], reading):
        if event == "start" and _local(element.tag) == "sheet":
            values = {_local(key): value for key, value in element.attrib.items()}
            target = targets.get(values.get("id", ""))
            if target:
                state = {"hidden": "，隐藏", "veryHidden": "，深度隐藏"}.get(values.get("state", ""), "")
                sheets[target] = values.get("name", "") + state
    return sheets


# --- PDF ---


def _pdf(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        reading.skip(prefix, "PDF 已加密，无法读取文字")
        return
    blank = []
    total = 0
    for number, page in enumerate(reader.pages, 1):
        total = number
        try:
            text = page.extract_text() or ""
        except (Refused, MemoryError):
            raise
        except Exception as exc:
            reading.skip(_named(prefix, f"第 {number} 页"), f"文字无法读取（{type(exc).__name__}）")
            continue
        if text.strip():
            reading.add(_named(prefix, f"第 {number} 页第 {{line}} 行"), text)
        else:
            blank.append(number)
        where = _named(prefix, f"第 {number} 页的批注")
        _guarded(reading, where, partial(_annotations, page, where, reading, depth))
    if blank and len(blank) == total:
        reading.skip(prefix, "PDF 没有文字层（可能是扫描件或图片）")
    elif blank:
        reading.skip(_named(prefix, f"第 {'、'.join(map(str, blank[:10]))}{' 等' if len(blank) > 10 else ''} 页"),
                     "没有文字层（可能是扫描件或图片）")
    _guarded(reading, _named(prefix, "表单域"), lambda: _form_fields(reader, _named(prefix, "表单域"), reading))
    _guarded(reading, _named(prefix, "XFA 表单"), lambda: _xfa(reader, _named(prefix, "XFA 表单"), reading))
    _guarded(reading, _named(prefix, "书签"), lambda: reading.add(_named(prefix, "书签第 {line} 个"),
                                                                "\n".join(_outline(reader.outline))))
    _guarded(reading, _named(prefix, "文档属性"), lambda: _metadata(reader, _named(prefix, "文档属性"), reading))
    _guarded(reading, _named(prefix, "内嵌文件"), lambda: _pdf_files(reader, prefix, reading, depth))


def _guarded(reading: _Reading, part: str, read: Callable[[], None]) -> None:
    try:
        read()
    except (Refused, MemoryError):
        raise
    except Exception as exc:
        reading.skip(part, f"无法读取（{type(exc).__name__}）")


def _pdf_text(value: Any) -> str:
    """A PDF object as text: strings, names, numbers, arrays of them."""
    if isinstance(value, (list, tuple)):
        return "\t".join(_pdf_text(item) for item in value)
    if isinstance(value, bytes):
        return decode_text(value)
    return "" if value is None else str(value)


def _annotations(page: Any, where: str, reading: _Reading, depth: int) -> None:
    lines = []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        for key in ("/Contents", "/T", "/Subj", "/TU", "/V", "/DV", "/CA", "/NM"):
            if key in annotation:
                lines.append(_pdf_text(annotation[key].get_object() if hasattr(annotation[key], "get_object") else annotation[key]))
        action = annotation.get("/A")
        if action is not None and "/URI" in action.get_object():  # a link's address shows when pointed at
            lines.append(_pdf_text(action.get_object()["/URI"]))
        if "/RC" in annotation:  # rich text: XHTML
            from ..reader_text import visible

            lines.extend(visible(_pdf_text(annotation["/RC"])).scanned())
        if annotation.get("/Subtype") == "/FileAttachment" and "/FS" in annotation:
            spec = annotation["/FS"].get_object()
            name = _pdf_text(spec.get("/UF") or spec.get("/F") or "附件")
            stream = (spec.get("/EF") or {}).get("/F")
            if stream is not None:
                _read(stream.get_object().get_data(), suffix_of(name), f"{where}中的附件“{name}”：", reading, depth + 1)
    reading.add(where + "第 {line} 条", "\n".join(line for line in lines if line))


def _form_fields(reader: Any, where: str, reading: _Reading) -> None:
    lines = []
    for name, spec in (reader.get_fields() or {}).items():
        values = [name] + [_pdf_text(spec.get(key)) for key in ("/V", "/DV", "/TU", "/Opt") if spec.get(key) is not None]
        lines.append("\t".join(values))
    reading.add(where + "第 {line} 个", "\n".join(lines))


def _xfa(reader: Any, where: str, reading: _Reading) -> None:
    from lxml import etree

    for name, packet in (reader.xfa or {}).items():
        if not isinstance(packet, bytes) or b"<!DOCTYPE" in packet[:4096] or b"<!ENTITY" in packet:
            continue
        root = etree.fromstring(packet, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        texts = [text.strip() for text in root.itertext() if text.strip()]
        texts += [value for element in root.iter() for value in element.attrib.values() if _worth_reading(value)]
        reading.add(f"{where}（{name}）第 {{line}} 项", "\n".join(texts))


def _outline(entries: Any) -> Iterator[str]:
    for entry in entries or []:
        if isinstance(entry, list):
            yield from _outline(entry)
        else:
            yield str(entry.get("/Title", ""))


def _metadata(reader: Any, where: str, reading: _Reading) -> None:
    info = reader.metadata or {}
    reading.add(where, "\n".join(f"{key.lstrip('/')}\t{_pdf_text(value)}" for key, value in info.items()))
    root = reader.trailer["/Root"].get_object()
    if "/Metadata" in root:
        from lxml import etree

        packet = root["/Metadata"].get_object().get_data()
        if b"<!DOCTYPE" not in packet and b"<!ENTITY" not in packet:
            xml = etree.fromstring(packet, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True))
            if xml is not None:
                reading.add(where + "（XMP）", "\n".join(text.strip() for text in xml.itertext() if text.strip()))


def _pdf_files(reader: Any, prefix: str, reading: _Reading, depth: int) -> None:
    for name, contents in (reader.attachments or {}).items():
        for number, content in enumerate(contents, 1):
            where = _named(prefix, f"内嵌文件“{name}”" + (f"（第 {number} 个版本）" if len(contents) > 1 else ""))
            reading.inflated += len(content)
            if reading.inflated > TOTAL_BYTES:
                raise Refused(f"内嵌文件解压后超过 {TOTAL_BYTES // 1024 // 1024} MB，未读取（可能是压缩炸弹）")
            _read(content, suffix_of(name), f"{where}：", reading, depth + 1)


def _ofd(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    """OFD (GB/T 33190) is a zip of XML parts too: its text codes are read, but text drawn from glyph
    indexes or outlines is not, so the reviewer is still told to look."""
    _office(data, prefix, reading, depth)
    reading.skip(prefix, "OFD 文件中以字形或图形表示的文字无法自动读取（已扫描能读出的文字）")


def _xml(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    """A loose XML file (in a zip or embedded): every text and telling attribute, one per line."""
    _office(_single_part("part.xml", data), prefix, reading, depth)


def _single_part(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


# --- pictures: their pixels cannot be read, their text metadata can ---

_RUN = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f\ufffd]{4,}")


def _strings(blob: bytes) -> list[str]:
    """Text runs in a binary block (EXIF, IPTC): as UTF-8 and as UTF-16 (Windows' XPComment …)."""
    runs = _RUN.findall(blob.decode("utf-8", "replace")) + _RUN.findall(blob.decode("utf-16-le", "replace"))
    return [run for run in runs if _worth_reading(run)]


def _picture_texts(data: bytes) -> Iterator[str]:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        at = 8
        while at + 8 <= len(data):
            length = int.from_bytes(data[at:at + 4], "big")
            kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
            at += 12 + length
            key, _, rest = body.partition(b"\0")
            if kind == b"tEXt":
                yield key.decode("latin-1") + "\t" + rest.decode("latin-1")
            elif kind == b"zTXt":
                yield key.decode("latin-1") + "\t" + _inflate(rest[1:]).decode("latin-1")
            elif kind == b"iTXt":  # flag, method, language\0, translated keyword\0, text
                fields = rest[2:].split(b"\0", 2)
                raw = fields[2] if len(fields) == 3 else b""
                yield key.decode("utf-8", "replace") + "\t" + (_inflate(raw) if rest[:1] == b"\1" else raw).decode("utf-8", "replace")
            elif kind == b"eXIf":
                yield from _strings(body)
    elif data.startswith(b"\xff\xd8"):
        at = 2
        while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] != 0xDA:  # up to the picture itself
            length = int.from_bytes(data[at + 2:at + 4], "big")
            marker, body = data[at + 1], data[at + 4:at + 2 + length]
            at += 2 + length
            if marker == 0xFE:  # comment
                yield body.decode("utf-8", "replace")
            elif marker in (0xE1, 0xED):  # EXIF or XMP; IPTC
                yield from _strings(body)


def _inflate(data: bytes) -> bytes:
    """zlib data, never more than one part's budget (a PNG text chunk can be a bomb too)."""
    return zlib.decompressobj().decompress(data, PART_BYTES)


def _picture(data: bytes, prefix: str, reading: _Reading, depth: int) -> None:
    reading.add(_named(prefix, "图片的说明信息（EXIF、XMP、注释）第 {line} 项"), "\n".join(_picture_texts(data)))
    reading.skip(prefix, "图片中的文字无法自动读取（已扫描图片的说明信息）")


_READERS: dict[str, Callable[[bytes, str, _Reading, int], None]] = {
    "pdf": _pdf, "docx": _office, "xlsx": _office, "docm": _office, "xlsm": _office, "pptx": _office, "ofd": _ofd,
    "csv": _csv, "txt": _txt, "xml": _xml, "zip": _zip, "png": _picture, "jpg": _picture, "jpeg": _picture,
}
