"""Pictures: their pixels cannot be read (a reviewer looks), their text metadata can — EXIF, XMP, IPTC,
PNG text chunks, JPEG comments."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from .core import PART_BYTES, Reading, named, worth_reading

_RUN = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f\ufffd]{4,}")


# How a text in a binary block may be encoded: UTF-8 or GB18030 (a Chinese camera's ASCII fields), UTF-16 in
# either byte order (Windows' XPComment is little-endian; a UserComment follows the file's byte order) and
# starting at either byte, since a value's offset need not be even.
_DECODINGS = (("utf-8", 0), ("gb18030", 0), ("utf-16-le", 0), ("utf-16-le", 1), ("utf-16-be", 0), ("utf-16-be", 1))


def _strings(blob: bytes) -> list[str]:
    """Text runs in a binary block (EXIF, IPTC), read in every encoding such a block may use."""
    runs = [run for encoding, start in _DECODINGS for run in _RUN.findall(blob[start:].decode(encoding, "replace"))]
    return list(dict.fromkeys(run for run in runs if worth_reading(run)))


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


def read_picture(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    reading.add(named(prefix, "图片的说明信息（EXIF、XMP、注释）第 {line} 项"), "\n".join(_picture_texts(data)))
    reading.skip(prefix, "图片中的文字无法自动读取（已扫描图片的说明信息）")
