"""Whether a web font an agency adds (`assets/agency/*.woff2`) is only a font: no bytes the font itself does not use.

A font's tables are Brotli-compressed and hold only what the font draws with and its names, so they are not read
(as a picture's pixels are not). What a WOFF2 file may carry besides them is refused: an extended-metadata block
and a private-data block (both free for any bytes, by the format's own design), and anything after the compressed
tables. The layout is that of the W3C WOFF2 recommendation (section 3): a 48-byte header, the table directory, a
collection directory for a font collection, then the compressed tables, padded to four bytes.
"""

from __future__ import annotations

import struct

_HEADER = struct.Struct(">4s4sIHHIIHHIIIII")
# The known tags glyf and loca (numbers 10 and 11 of the format's table): their transform version 0 is their
# transform, 3 none; for every other table 0 is none.
_TRANSFORMED_WHEN_ZERO = (10, 11)
_ARBITRARY_TAG = 63
_FIX = "请用字体软件重新导出为不含元数据和私有数据的 .woff2 文件"


class _Truncated(ValueError):
    pass


def woff2_fault(data: bytes) -> str:
    """Why the WOFF2 file `data` must not be published, in Chinese ("" when it is a font and nothing besides)."""
    if len(data) < _HEADER.size:
        return f"不是完整的 WOFF2 字体文件；{_FIX}"
    (signature, flavor, length, tables, _reserved, _sfnt_size, compressed, _major, _minor,
     _meta_offset, meta_length, _meta_original, _private_offset, private_length) = _HEADER.unpack_from(data)
    if signature != b"wOF2":
        return f"不是 WOFF2 字体文件；{_FIX}"
    if length != len(data):
        return f"的长度（{len(data)} 字节）与文件头所写的（{length} 字节）不符，字体之外还夹带了数据；{_FIX}"
    if meta_length or private_length:
        return f"带有元数据或私有数据块，其中的文字不会被扫描，却会随网站发布；{_FIX}"
    try:
        end = _directory_end(data, tables, flavor == b"ttcf") + compressed
    except _Truncated:
        return f"的表目录不完整；{_FIX}"
    if len(data) < end:
        return f"的压缩字体数据不完整；{_FIX}"
    if len(data) > end + 3:  # the compressed tables, then at most the padding to four bytes
        return f"在压缩的字体数据之后还有 {len(data) - end} 字节的其他数据；{_FIX}"
    return ""


def _directory_end(data: bytes, tables: int, collection: bool) -> int:
    """Where the table directory (and the collection directory of a font collection) ends."""
    offset = _HEADER.size
    for _ in range(tables):
        flags, offset = _byte(data, offset), offset + 1
        tag = flags & 0x3F
        if tag == _ARBITRARY_TAG:
            offset += 4
        _original, offset = _base128(data, offset)
        version = flags >> 6
        if (version == 0) == (tag in _TRANSFORMED_WHEN_ZERO):  # transformed: its transformed length follows
            _transformed, offset = _base128(data, offset)
    if collection:
        offset += 4  # the collection's version
        fonts, offset = _255_short(data, offset)
        for _ in range(fonts):
            count, offset = _255_short(data, offset)
            offset += 4  # the font's flavor
            for _ in range(count):
                _index, offset = _255_short(data, offset)
    if offset > len(data):
        raise _Truncated
    return offset


def _byte(data: bytes, offset: int) -> int:
    if offset >= len(data):
        raise _Truncated
    return data[offset]


def _base128(data: bytes, offset: int) -> tuple[int, int]:
    value = 0
    for _ in range(5):
        byte, offset = _byte(data, offset), offset + 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, offset
    raise _Truncated


def _255_short(data: bytes, offset: int) -> tuple[int, int]:
    code, offset = _byte(data, offset), offset + 1
    if code == 253:
        return (_byte(data, offset) << 8) | _byte(data, offset + 1), offset + 2
    if code == 255:
        return _byte(data, offset) + 253, offset + 1
    if code == 254:
        return _byte(data, offset) + 506, offset + 1
    return code, offset
