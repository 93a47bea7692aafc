"""The text inside attachments (PDF, DOCX, XLSX, CSV), for the privacy and secrecy scans.

Most real leaks were name lists attached to a 公示, so attachments are read, not just listed.
Extraction is cached by the file's content hash for the life of the process: several items may
attach the same file, and the privacy and secrecy families both read it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..digest import attachment_hash


@dataclass(frozen=True)
class Segment:
    """A piece of text and where it is; `{line}` in `where` is replaced by the line within `text`."""

    where: str  # e.g. "第 3 页", "工作表“名单”第 {line} 行"
    text: str

    def locate(self, offset: int) -> str:
        return self.where.replace("{line}", str(self.text.count("\n", 0, offset) + 1))


@dataclass(frozen=True)
class Extraction:
    segments: tuple[Segment, ...] = ()
    skipped: str = ""  # why the text could not be read (Chinese); "" when it was


UNREADABLE = {
    "ofd": "OFD 版式文件",
    "wps": "WPS 文字文件",
    "doc": "旧版 Word（.doc）文件",
    "xls": "旧版 Excel（.xls）文件",
    "zip": "压缩包",
    "jpg": "图片",
    "jpeg": "图片",
    "png": "图片",
}

_cache: dict[str, Extraction] = {}


def extract(file: Path, suffix: str, content_hash: str) -> Extraction:
    """The text of `file` by type; cached by content hash."""
    key = f"{suffix}:{content_hash}"
    if key not in _cache:
        _cache[key] = _extract(file, suffix)
    return _cache[key]


def _extract(file: Path, suffix: str) -> Extraction:
    reader = _READERS.get(suffix)
    if reader is None:
        kind = UNREADABLE.get(suffix, f".{suffix} 文件")
        return Extraction(skipped=f"{kind}的文字无法自动读取")
    try:
        return reader(file)
    except Exception as exc:  # parsers of outside files raise anything; a damaged file is a finding, not a crash
        return Extraction(skipped=f"文件无法解析（{type(exc).__name__}），可能已损坏或扩展名与实际格式不符")


def _pdf(file: Path) -> Extraction:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about sloppy PDFs are noise here
    reader = PdfReader(file)
    if reader.is_encrypted and not reader.decrypt(""):
        return Extraction(skipped="PDF 已加密，无法读取文字")
    segments = tuple(Segment(f"第 {number} 页", page.extract_text() or "") for number, page in enumerate(reader.pages, 1))
    if not any(segment.text.strip() for segment in segments):
        return Extraction(skipped="PDF 没有文字层（可能是扫描件或图片）")
    return Extraction(segments)


def _docx(file: Path) -> Extraction:
    import docx

    document = docx.Document(str(file))
    segments = [Segment("正文第 {line} 段", "\n".join(p.text for p in document.paragraphs))]
    for number, table in enumerate(document.tables, 1):
        rows = ("\t".join(cell.text for cell in row.cells) for row in table.rows)
        segments.append(Segment(f"第 {number} 个表格第 {{line}} 行", "\n".join(rows)))
    for section in document.sections:
        for part, name in ((section.header, "页眉"), (section.footer, "页脚")):
            text = "\n".join(p.text for p in part.paragraphs)
            if text.strip():
                segments.append(Segment(name, text))
    return Extraction(tuple(segments))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(file: Path) -> Extraction:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        segments = tuple(
            Segment(
                f"工作表“{sheet.title}”第 {{line}} 行",
                "\n".join("\t".join(_cell(value) for value in row) for row in sheet.iter_rows(values_only=True)),
            )
            for sheet in workbook.worksheets
        )
    finally:
        workbook.close()
    return Extraction(segments)


def _csv(file: Path) -> Extraction:
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")  # Excel in China saves CSV as GBK
    return Extraction((Segment("第 {line} 行", text.replace("\r\n", "\n")),))


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "csv": _csv}


@dataclass(frozen=True)
class AttachedText:
    index: int  # position in the item's `attachments` list
    title: str
    file: str
    extraction: Extraction

    @property
    def name(self) -> str:
        return f"附件《{self.title}》（{self.file}）" if self.title else f"附件 {self.file}"


def attached_texts(meta: dict[str, Any], attachments_dir: Path) -> Iterator[AttachedText]:
    """The extracted text of each attachment that exists inside the folder (references reports the rest)."""
    entries = meta.get("attachments")
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
            continue
        file = entry["file"]
        content_hash = attachment_hash(attachments_dir, file)
        if content_hash == "missing":
            continue
        title = entry.get("title")
        suffix = Path(file).suffix.lower().lstrip(".")
        yield AttachedText(index, title.strip() if isinstance(title, str) else "", file,
                           extract(attachments_dir / file, suffix, content_hash))
