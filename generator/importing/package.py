"""Open a .docx from outside without trusting it: the zip is measured before any part is read.

A DOCX is a zip of XML parts and media. python-docx reads every part into memory when it opens
the file, so a zip bomb (a few MB that inflate to GB) or thousands of parts would cost unbounded
memory. The central directory is checked first: member count, every member's declared size and
their sum. CPython's zipfile never inflates a member past its declared size (it fails the CRC
instead), so the declared sizes bound the memory python-docx can spend. XML is parsed by lxml
without entity expansion or network access (python-docx's parser), so entity bombs stay inert.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocumentType

from ..problems import printable

MB = 1024 * 1024
_ENCRYPTED = 0x1  # general purpose flag bit 0
_CHUNK = 1 << 20
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps and password-protected .docx


class ImportRefused(Exception):
    """The file cannot be imported; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class PackageLimits:
    file_bytes: int = 50 * MB  # the .docx itself
    members: int = 2000  # parts in the zip
    member_bytes: int = 50 * MB  # one part, inflated
    total_bytes: int = 200 * MB  # all parts, inflated
    # Elements of the XML parts, counted before python-docx parses them: 50 MB of `<w:p/>` (a 100 KB file) are
    # 7 million paragraphs, which took python-docx 950 MB and the import minutes. A long 公文 has a few thousand
    # paragraphs; the sample's longest report, 600.
    paragraphs: int = 100_000
    elements: int = 1_500_000  # a 300-page 公文 with rich formatting: about 300,000


def check_package(data: bytes | Path, name: str, limits: PackageLimits) -> None:
    """ImportRefused unless `data` is an OOXML zip within `limits` (also used for embedded packages)."""
    try:
        with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(f"{name} 不是有效的 Word 文档（.docx）：文件可能已损坏，或扩展名与实际格式不符") from None
    if len(infos) > limits.members:
        raise ImportRefused(f"{name} 内含 {len(infos)} 个部件，超过上限 {limits.members}：这不像正常的 Word 文档，已拒绝导入")
    total = 0
    for info in infos:
        if info.file_size > limits.member_bytes:
            raise ImportRefused(
                f"{name} 中的 {info.filename[:80]} 解压后有 {info.file_size // MB} MB，超过上限 {limits.member_bytes // MB} MB："
                "可能是压缩炸弹或过大的图片，已拒绝导入；请压缩图片后另存再试"
            )
        total += info.file_size
    if total > limits.total_bytes:
        raise ImportRefused(
            f"{name} 解压后共 {total // MB} MB，超过上限 {limits.total_bytes // MB} MB：可能是压缩炸弹，已拒绝导入"
        )
    _inflate_all(data, name, infos)


def _inflate_all(data: bytes | Path, name: str, infos: list[zipfile.ZipInfo]) -> None:
    """ImportRefused unless every part inflates and matches its checksum: a part that is encrypted, compressed in a way
    zipfile cannot read (Deflate64, which Windows' own zip tool writes, or AES) or damaged would otherwise fail wherever
    a reader first touches it. The sizes were checked first, so this costs at most `total_bytes` of inflating."""
    with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as package:
        for info in infos:
            if info.flag_bits & _ENCRYPTED:
                raise ImportRefused(f"{name} 加了密码（{printable(info.filename[:80])} 已加密）：请在 Word 或 WPS 中去掉密码，"
                                    "另存为 .docx 后再导入")
            try:
                with package.open(info) as stream:
                    while stream.read(_CHUNK):
                        pass
            except NotImplementedError:
                raise ImportRefused(f"{name} 中的 {printable(info.filename[:80])} 使用了无法读取的压缩方式（编号 {info.compress_type}）："
                                    "请用 Word 或 WPS 打开后“另存为 .docx”再导入") from None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
                raise ImportRefused(f"{name} 中的 {printable(info.filename[:80])} 已损坏（无法解压或校验不符）："
                                    "请用 Word 或 WPS 打开、修复后另存为 .docx 再导入") from None


def open_docx(path: Path, limits: PackageLimits) -> DocumentType:
    """The python-docx Document of `path`, or ImportRefused saying in Chinese why not."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(8)
    except OSError as exc:
        from ..writer import system_reason

        raise ImportRefused(f"无法读取 {name}：{system_reason(exc)}") from None
    if head == OLE_SIGNATURE:
        raise ImportRefused(
            f"{name} 是旧版 Word（.doc）、WPS 文字（.wps）或加了密码的文档：请在 Word 或 WPS 中去掉密码并“另存为 .docx”后再导入"
        )
    if size > limits.file_bytes:
        raise ImportRefused(f"{name} 有 {size // MB} MB，超过导入上限 {limits.file_bytes // MB} MB：请压缩其中的图片后再试")
    check_package(path, name, limits)
    _count_elements(path, name, limits)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile):
        raise ImportRefused(f"{name} 不是 Word 文档（.docx）：缺少正文部件，可能是其他格式改了扩展名") from None
    except Exception as exc:  # lxml and python-docx raise many kinds on malformed parts (and on templates)
        raise ImportRefused(
            f"{name} 的内容无法解析（{type(exc).__name__}）：文件可能已损坏，或是模板、宏文档；请用 Word 或 WPS 另存为普通的 .docx 再试"
        ) from None
    return document


_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _count_elements(path: Path, name: str, limits: PackageLimits) -> None:
    """ImportRefused when the XML parts hold more paragraphs or elements than a document has: counted as they
    stream by, each element dropped once counted, so the count costs no more memory than one part's deepest path."""
    from lxml import etree

    paragraphs = elements = 0
    with zipfile.ZipFile(path) as package:
        # Every part, whatever its name: python-docx finds parts by relationship and type, and a main part named
        # `word/document.dat` held 8 million paragraphs uncounted (105 s, 2.8 GB). A part that is not XML stops at
        # its first bytes.
        for info in package.infolist():
            with package.open(info) as stream:
                events = etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True,
                                         load_dtd=False, huge_tree=False, remove_comments=True)
                try:
                    for _, element in events:
                        elements += 1
                        if element.tag == _W_P:
                            paragraphs += 1
                        if paragraphs > limits.paragraphs or elements > limits.elements:
                            what = (f"超过 {limits.paragraphs:,} 个段落" if paragraphs > limits.paragraphs
                                    else f"超过 {limits.elements:,} 个 XML 元素（{info.filename[:80]}）")
                            raise ImportRefused(
                                f"{name} 中有{what}：这不像一份公文（很长的公文也只有几千个段落），可能是恶意构造的文件，"
                                "已拒绝导入；大量数据请另作附件（如 Excel 表格），正文另存为单独的 Word 文档后再导入")
                        element.clear(keep_tail=False)
                        parent = element.getparent()
                        while parent is not None and element.getprevious() is not None:
                            del parent[0]
                except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError):
                    continue  # python-docx says what is wrong with it, or does not read it
