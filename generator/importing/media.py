"""Pictures, embedded files and links of an imported .docx: what may go to the site and under
which name.

File names come from the new item's 索引号 (2025-00007-tu1.png), never from the document, so a
part named like a path (../../x, C:\\x, a very long or control-character name) cannot choose where
a file lands; every file is buffered and written only by `commit`, inside content/attachments/.
Only PNG and JPEG pictures whose bytes are what they claim and whose size in pixels is sane are
kept (browsers decode them; an SVG can carry script), only PDF, DOCX and XLSX embedded files;
external pictures are never fetched; links keep only http, https and mailto targets.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..invisible import without_controls
from ..markdown_text import escape
from ..writer import WriteRefused, make_folders, write_new
from .blocks import Link, Media
from .package import MB, ImportRefused, PackageLimits, check_package

MAX_SIDE = 20000  # pixels
MAX_PIXELS = 50_000_000
IMAGE_BYTES = 20 * MB
LINK_SCHEMES = ("http", "https", "mailto")
EMBEDDED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


@dataclass(frozen=True)
class Saved:
    title: str
    file: str  # relative to content/attachments/


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) from a PNG or JPEG header, without decoding the picture."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data.startswith(b"\xff\xd8\xff"):
        at = 2
        while at + 9 < len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            if marker == 0xFF:  # fill byte
                at += 1
                continue
            length = struct.unpack(">H", data[at + 2:at + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[at + 5:at + 9])
                return "jpg", width, height
            if length < 2:
                return None
            at += 2 + length
    return None


def one_line(text: str, limit: int = 60) -> str:
    """A title from document text: no control characters, one line, at most `limit` characters."""
    return re.sub(r"\s+", " ", without_controls(text)[0]).strip()[:limit]


@dataclass
class AttachmentWriter:
    """Collects the files an import keeps and the notes about what it left out."""

    document: object  # python-docx Document
    attachments_dir: Path
    year: int
    serial: str
    limits: PackageLimits
    item_depth: int = 2  # content/items/<year>/x.md → ../../attachments/
    saved: list[Saved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pending: dict[str, bytes] = field(default_factory=dict)
    embedded_titles: list[str] = field(default_factory=list)  # from the 附件说明, in order
    _counts: dict[str, int] = field(default_factory=dict)
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)
    # Each picture or embedded file once, however often the text shows it: a part named by many references
    # was hashed, noted and (embedded files) written again for each, so a 40 KB document wrote a gigabyte.
    _pictures: dict[str, tuple[str, str]] = field(default_factory=dict)  # part (or reference) → (file kept or "", alt)
    _embedded_parts: set[str] = field(default_factory=set)
    _noted: set[str] = field(default_factory=set)

    def _name(self, stem: str, ext: str) -> str:
        self._counts[stem] = self._counts.get(stem, 0) + 1
        number = 1
        while True:
            name = f"{self.year}/{self.year}-{self.serial}-{stem}{self._counts[stem] if stem != 'yuanwen' else ''}"
            name += f"-{number}.{ext}" if number > 1 else f".{ext}"
            if name not in self.pending and not os.path.lexists(self.attachments_dir / name):  # a link, dangling too
                return name
            number += 1

    def _part(self, media: Media):
        rels = self.document.part.rels  # type: ignore[attr-defined]
        relationship = rels.get(media.rid)
        if relationship is None or relationship.is_external:
            return None
        return relationship.target_part

    def media(self, media: Media) -> str:
        """The Markdown for a picture or an embedded file ("" when it is left out, with a note)."""
        if media.kind == "image":
            return self._image(media)
        if media.kind == "embedded":
            return self._embedded(media)
        self._note("文档中嵌入的其他文档片段（altChunk）未导入：请把其内容复制为正文或另作附件")
        return ""

    def _note(self, note: str) -> None:
        if note not in self._noted:
            self._noted.add(note)
            self.notes.append(note)

    def _key(self, media: Media) -> str:
        """What a reference shows: its part (two references may name one), else the reference itself."""
        part = None if media.external else self._part(media)
        return f"part:{part.partname}" if part is not None else f"reference:{media.external}:{media.rid}"

    def _image(self, media: Media) -> str:
        key = self._key(media)
        if key not in self._pictures:
            self._pictures[key] = self._picture(media)
        name, first_alt = self._pictures[key]
        if not name:
            return ""
        return f"![{escape(one_line(media.alt) or first_alt)}]({'../' * self.item_depth}attachments/{name})"

    def _picture(self, media: Media) -> tuple[str, str]:
        """The file a picture is kept as ("" with a note when it is left out), and its alt text."""
        number = len([s for s in self.saved if "-tu" in s.file]) + 1
        alt = one_line(media.alt) or f"图{number}"
        if media.external:
            self._note(f"图片“{alt}”链接到文档之外的地址，未下载：请把图片本身插入文档，或另作附件")
            return "", alt
        part = self._part(media)
        if part is None:
            self._note(f"图片“{alt}”在文档中找不到，未导入")
            return "", alt
        data = part.blob
        if len(data) > IMAGE_BYTES:
            self._note(f"图片“{alt}”有 {len(data) // MB} MB，超过 {IMAGE_BYTES // MB} MB，未导入：请压缩后另作附件")
            return "", alt
        found = image_size(data)
        if found is None:
            kind = part.partname.ext.lower() if hasattr(part, "partname") else "?"
            self._note(f"图片“{alt}”是 {kind.upper()} 格式，网站只接受 PNG 和 JPEG，未导入：请在 Word 中另存为 PNG 后作为附件")
            return "", alt
        fmt, width, height = found
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_PIXELS):
            self._note(f"图片“{alt}”尺寸为 {width}×{height} 像素，过大（可能是恶意文件），未导入")
            return "", alt
        key = ("image", hashlib.sha256(data).hexdigest())
        name = self._seen.get(key)
        if name is None:
            name = self._name("tu", fmt)
            self.pending[name] = data
            self.saved.append(Saved(alt, name))
            self._seen[key] = name
        return name, alt

    def _embedded(self, media: Media) -> str:
        key = self._key(media)
        if key in self._embedded_parts:
            return ""  # listed once already
        self._embedded_parts.add(key)
        part = self._part(media)
        index = len([s for s in self.saved if "-fujian" in s.file])
        title = self.embedded_titles[index] if index < len(self.embedded_titles) else f"附件{index + 1}"
        if part is None:
            self._note(f"嵌入的文件“{title}”在文档中找不到，未导入")
            return ""
        ext = EMBEDDED_TYPES.get(part.content_type)
        data = part.blob
        if ext is None:
            self._note(
                f"嵌入的对象“{title}”（{part.partname.ext}）不是 PDF、DOCX 或 XLSX 文件，未导入：请在 Word 中打开该对象，"
                "另存为文件后作为附件"
            )
            return ""
        if ext == "pdf" and not data.startswith(b"%PDF"):
            self._note(f"嵌入的文件“{title}”不是有效的 PDF，未导入")
            return ""
        if ext in ("docx", "xlsx"):
            try:
                check_package(data, f"嵌入的文件“{title}”", self.limits)
            except ImportRefused as exc:
                self._note(f"{exc}（该文件未导入）")
                return ""
        name = self._name("fujian", ext)
        self.pending[name] = data
        self.saved.append(Saved(title, name))
        return ""  # listed as an attachment of the item; the page shows attachments under the body

    def original(self, source: Path, title: str) -> None:
        """Keep the .docx itself as an attachment (--attach-original)."""
        name = self._name("yuanwen", "docx")
        self.pending[name] = source.read_bytes()
        self.saved.append(Saved(one_line(f"{title}（Word 原文）", 80), name))

    def link(self, link: Link) -> str:
        text = escape(link.text)
        target = link.target.strip()
        try:
            parts = urlsplit(target)
        except ValueError:
            parts = urlsplit("")
        scheme = parts.scheme.lower()
        # A web address names its host (`http:javascript:alert(1)` is no address the check's GK503 lets through).
        web_without_host = scheme in ("http", "https") and not parts.hostname
        if scheme not in LINK_SCHEMES or web_without_host or re.search(r"[\x00-\x20\x7f]", target):
            if target:
                self._note(f"链接“{one_line(link.text, 30)}”的地址不是 http、https 或 mailto，只保留了文字")
            return text
        return f"[{text}]({quote(target, safe=':/?#@!$&*+,;=%~-._')})"

    def commit(self, content_dir: Path) -> list[Path]:
        """Write the buffered files; every one must land inside content/attachments/."""
        written: list[Path] = []
        outside = (f"{self.attachments_dir} 或其下的年份目录是符号链接或不是文件夹（可能指向 content/ 之外），"
                   "没有写入任何文件：请改正目录后再导入")
        try:
            for name, data in self.pending.items():
                target = self.attachments_dir / name
                try:  # every folder on the way a real one, made here if missing
                    make_folders(content_dir, target.parent)
                except WriteRefused:
                    raise ImportRefused(outside) from None
                write_new(target, data)  # the whole file or none
                written.append(target)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return written
