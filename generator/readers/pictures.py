"""Pictures: their pixels cannot be read (a reviewer looks), their text metadata can — EXIF, XMP, IPTC and the
other application segments, PNG text chunks, JPEG comments, GIF comments and application blocks, WebP's and TIFF's
metadata, an icon's pictures, an SVG's every text — and so can a file appended after the picture."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from .core import PART_BYTES, Reading, binary_strings, keywords, named, read, read_appended, sniff
from .text import decode_text

_strings = binary_strings


def _png(data: bytes) -> tuple[list[str], int, bool]:
    """The text of a PNG's chunks (its text chunks, EXIF, and whatever any other chunk but the picture's own holds),
    where the PNG ends (after IEND), and whether its EXIF says where it was taken."""
    texts: list[str] = []
    located = False
    at = 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        at += 12 + length
        key, _, rest = body.partition(b"\0")
        raw: bytes | None = None
        if kind == b"tEXt":
            raw = rest
        elif kind == b"zTXt":
            raw = _inflate(rest[1:])
        elif kind == b"iTXt":  # flag, method, language\0, translated keyword\0, text
            fields = rest[2:].split(b"\0", 2)
            raw = fields[2] if len(fields) == 3 else b""
            raw = _inflate(raw) if rest[:1] == b"\1" else raw
        if raw is not None:
            profile = _raw_profile(key, raw)
            if profile is None:  # the keyword, then its value alone (keywords item by item) as properties show them
                texts.extend([_text(key), *(keywords(_text(raw)) if key.lower() == b"keywords" else [_text(raw)])])
            else:  # read as the block it is, not as hexadecimal digits (which read as card and phone numbers)
                texts.extend(_strings(profile))
                located = located or (key.endswith(b"exif") and has_position(profile.removeprefix(b"Exif\0\0")))
        elif kind == b"eXIf":
            texts.extend(_strings(body))
            located = located or has_position(body)
        elif kind == b"IEND":
            break
        elif kind == b"iCCP":  # a colour profile: its name, and the descriptions it holds
            texts.extend([_text(key), *_strings(_inflate(rest[1:]))])
        elif kind not in _PNG_PIXELS:  # a private chunk, or one no viewer shows: anyone reads its bytes
            texts.extend(_strings(body[:PRIVATE_BYTES]))
            if len(body) > PRIVATE_BYTES:
                texts.append(_UNREAD)
    return texts, min(at, len(data)), located


# ImageMagick keeps a picture's EXIF, IPTC, XMP or ICC block in a PNG text chunk as "Raw profile type NAME" holding
# "\nNAME\n  LENGTH\n" and the block's bytes in hexadecimal.
_RAW_PROFILE = re.compile(rb"\s*[A-Za-z0-9_-]{1,32}\s+([0-9]{1,10})\s+([0-9A-Fa-f\s]*)")


def _raw_profile(key: bytes, text: bytes) -> bytes | None:
    """The block an ImageMagick raw profile holds; None for any other text."""
    found = _RAW_PROFILE.fullmatch(text) if key.startswith(b"Raw profile type ") else None
    if found is None:
        return None
    digits = re.sub(rb"\s", b"", found[2])
    return bytes.fromhex(digits.decode()) if len(digits) % 2 == 0 else None


# Of a private chunk, this much is read: an editing program's own data (Fireworks keeps megabytes of it) read in the
# six decodings gives 2.5 characters a byte, and a 13 MB one passed the text budget and the picture could not be read.
PRIVATE_BYTES = 1 << 20
_UNREAD = "\0"  # in place of a text: a private chunk's part past PRIVATE_BYTES was not read
_UNFINISHED = "\1"  # in place of a text: a walk of directories or entries stopped at its bound, the rest not read

# The chunks that draw the picture (APNG's frames too): what they hold is pixels, which a reviewer looks at.
_PNG_PIXELS = frozenset((b"IHDR", b"PLTE", b"IDAT", b"tRNS", b"acTL", b"fcTL", b"fdAT"))


def _jpeg(data: bytes) -> tuple[list[str], int, bool]:
    """The comment and every application segment's text of a JPEG (EXIF, XMP, IPTC, and the APPn others use),
    where the JPEG ends (after EOI), and whether its EXIF says where it was taken."""
    texts: list[str] = []
    located = False
    at = 2
    while at + 2 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xD9:  # end of image
            return texts, at + 2, located
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if at + 4 > len(data):
            break
        length = int.from_bytes(data[at + 2:at + 4], "big")
        body = data[at + 4:at + 2 + length]
        at += 2 + length
        if marker == 0xFE:  # comment
            texts.append(_text(body))
        elif 0xE0 <= marker <= 0xEF:
            texts.extend(_strings(body))
            located = located or (marker == 0xE1 and body.startswith(b"Exif\0\0") and has_position(body[6:]))
        if marker == 0xDA:  # a scan: its coded data runs to the next marker that is not a stuffed 0 or a restart
            at = _after_scan(data, at)
    return texts, min(at, len(data)), located


def _after_scan(data: bytes, at: int) -> int:
    while True:
        at = data.find(b"\xff", at)
        if at == -1 or at + 1 >= len(data):
            return len(data)
        following = data[at + 1]
        if following != 0 and not 0xD0 <= following <= 0xD7 and following != 0xFF:
            return at
        at += 2 if following != 0xFF else 1


def _text(raw: bytes) -> str:
    """A metadata text as written: UTF-8, else GB18030 (a Chinese tool's), else Latin-1 as the PNG standard says."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _inflate(data: bytes) -> bytes:
    """zlib data, never more than one part's budget (a PNG text chunk can be a bomb too)."""
    return zlib.decompressobj().decompress(data, PART_BYTES)


# XMP's copy of the position (exif:GPSLatitude="39,54.1N"), which editors keep when they drop the EXIF.
_XMP_POSITION = re.compile(r"GPSLatitude[\"'>=\s]+[0-9]")
_TIFF_ENTRY = 12
_GPS_IFD, _LATITUDE, _LONGITUDE = 0x8825, 2, 4
_MAX_ENTRIES = 1000


class _TooMany(Exception):
    """A directory of more than _MAX_ENTRIES entries."""


def has_position(tiff: bytes) -> bool:
    """Whether EXIF data (a TIFF structure) holds a GPS latitude and longitude, not both zero."""
    order = {b"II": "little", b"MM": "big"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return False

    def number(at: int, size: int) -> int:
        return int.from_bytes(tiff[at:at + size], order)  # type: ignore[arg-type]

    def entries(offset: int) -> dict[int, int]:
        """Tag → where its value (or the offset of its value) is, of the IFD at `offset`."""
        count = number(offset, 2) if offset + 2 <= len(tiff) else 0
        if count > _MAX_ENTRIES:
            raise _TooMany
        return {number(offset + 2 + index * _TIFF_ENTRY, 2): offset + 2 + index * _TIFF_ENTRY + 8 for index in range(count)
                if offset + 2 + (index + 1) * _TIFF_ENTRY <= len(tiff)}

    try:
        pointer = entries(number(4, 4)).get(_GPS_IFD)
        if pointer is None:
            return False
        position = entries(number(pointer, 4))
    except _TooMany:  # a directory of more entries than are read may hold the position past them: said to hold one
        return True
    coordinates = [position.get(_LATITUDE), position.get(_LONGITUDE)]
    if None in coordinates:
        return False
    # Each is three rationals (degrees, minutes, seconds) stored at an offset: a numerator that is not zero places it.
    return any(number(number(value, 4) + 8 * part, 4) for value in coordinates if value is not None for part in range(3))


def _gif(data: bytes) -> tuple[list[str], int, bool]:
    """The comments, plain texts and application blocks (XMP, an editor's data) of a GIF, and where it ends (after its
    trailer). Its blocks are walked as a decoder walks them; a picture's coded data is skipped."""
    texts: list[str] = []
    at = 13
    if len(data) > 10 and data[10] & 0x80:  # the global colour table
        at += 3 << ((data[10] & 7) + 1)
    while at < len(data):
        kind = data[at]
        if kind == 0x3B:  # trailer
            return texts, at + 1, False
        if kind == 0x2C:  # a picture: its descriptor, local colour table, code size, then its data blocks
            flags = data[at + 9] if at + 9 < len(data) else 0
            at += 10 + ((3 << ((flags & 7) + 1)) if flags & 0x80 else 0) + 1
            at = _gif_blocks(data, at)[1]
        elif kind == 0x21 and at + 1 < len(data):
            label = data[at + 1]
            blocks, end = _gif_blocks(data, at + 2)
            if label in (0xFE, 0x01):  # a comment; plain text drawn over the picture (its 12-byte header first)
                texts.append(_text(blocks[12:] if label == 0x01 else blocks))
            elif data[at + 2:at + 14] == b"\x0bXMP DataXMP":  # XMP: the packet raw, then a 258-byte "magic trailer"
                texts.append(_text(data[at + 14:max(at + 14, end - 258)]))
            elif label != 0xF9:  # another application's block, or an unknown extension
                texts.extend(_strings(blocks))
            at = end
        else:
            break
    return texts, min(at, len(data)), False


def _gif_blocks(data: bytes, at: int) -> tuple[bytes, int]:
    """The data of the sub-blocks from `at` joined, and where they end (after the empty block)."""
    parts = []
    while at < len(data) and data[at]:
        parts.append(data[at + 1:at + 1 + data[at]])
        at += 1 + data[at]
    return b"".join(parts), at + 1


_WEBP_PIXELS = frozenset((b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"))


def _webp(data: bytes) -> tuple[list[str], int, bool]:
    """The EXIF, XMP and any other chunk but the picture's own of a WebP (a RIFF file), and where it ends."""
    texts: list[str] = []
    located = False
    end = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    at = 12
    while at + 8 <= end:
        kind, length = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "little")
        body = data[at + 8:at + 8 + length]
        at += 8 + length + (length & 1)
        if kind == b"EXIF":
            texts.extend(_strings(body))
            tiff = body.removeprefix(b"Exif\0\0")
            located = located or has_position(tiff)
        elif kind == b"XMP ":
            texts.append(_text(body))
        elif kind not in _WEBP_PIXELS:
            texts.extend(_strings(body[:PRIVATE_BYTES]))
            if len(body) > PRIVATE_BYTES:
                texts.append(_UNREAD)
    return texts, end, located


_TIFF_TYPES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8}
_TIFF_TEXT_TYPES = (1, 2, 6, 7)  # bytes, ASCII, signed bytes, undefined: where a text can be
_TIFF_SUB_IFDS = (0x8769, 0x8825, 0xA005, 0x014A)  # EXIF, GPS, interoperability, SubIFDs
_TIFF_PIXELS = ((0x0111, 0x0117), (0x0144, 0x0145))  # strip offsets and sizes, tile offsets and sizes
_MAX_IFDS = 64
_MAX_ICONS = 256  # pictures of one icon read
_XMP_TAG = 700


def _tiff(data: bytes) -> tuple[list[str], int, bool]:
    """The text of every directory entry of a TIFF that can hold one (descriptions, artist, XMP, IPTC, EXIF's texts),
    and where the last thing it points at ends: what follows is appended."""
    order = "little" if data[:2] == b"II" else "big"
    texts: list[str] = []
    end = 8

    def number(at: int, size: int) -> int:
        return int.from_bytes(data[at:at + size], order)  # type: ignore[arg-type]

    pending, seen = [number(4, 4)], set[int]()
    done: set[tuple[int, int]] = set()
    budget = 8 * PRIVATE_BYTES
    while pending and len(seen) < _MAX_IFDS:
        offset = pending.pop()
        if offset in seen or not 8 <= offset < len(data) - 2:
            continue
        seen.add(offset)
        count = min(number(offset, 2), _MAX_ENTRIES)
        if number(offset, 2) > _MAX_ENTRIES:
            texts.append(_UNFINISHED)
        entries: dict[int, list[int]] = {}
        for index in range(count):
            at = offset + 2 + index * _TIFF_ENTRY
            if at + _TIFF_ENTRY > len(data):
                break
            tag, kind, many = number(at, 2), number(at + 2, 2), number(at + 4, 4)
            size = _TIFF_TYPES.get(kind, 1) * many
            where = at + 8 if size <= 4 else number(at + 8, 4)
            end = max(end, min(len(data), where + size))
            value = data[where:where + min(size, PRIVATE_BYTES)] if kind in _TIFF_TEXT_TYPES and (where, size) not in done else b""
            done.add((where, size))  # entries pointing at one block are read once (60,000 of them at 1 MB)
            budget -= len(value)
            if budget < 0:  # overlapping blocks of a megabyte each: the rest is named, not read
                texts.append(_UNREAD)
                break
            if kind == 2 or tag == _XMP_TAG:  # text as written (ASCII, or in practice UTF-8 or GB18030); XMP's packet
                texts.append(_text(value.rstrip(b"\0")))
            elif value:  # bytes that may hold a text in any encoding (Windows' XPComment, EXIF's UserComment)
                texts.extend(_strings(value))
            if kind in (3, 4) and many <= 10_000:
                width = 2 if kind == 3 else 4
                entries[tag] = [number(where + width * n, width) for n in range(many)]
            if tag in _TIFF_SUB_IFDS and kind in (4, 13):
                pending.extend(number(where + 4 * n, 4) for n in range(min(many, _MAX_IFDS + 1)))
        end = max(end, offset + 2 + count * _TIFF_ENTRY + 4)
        for offsets, sizes in _TIFF_PIXELS:
            for start, size in zip(entries.get(offsets, []), entries.get(sizes, []), strict=False):
                end = max(end, min(len(data), start + size))
        pending.append(number(offset + 2 + count * _TIFF_ENTRY, 4))
    if any(offset not in seen and 8 <= offset < len(data) - 2 for offset in pending):  # a 65th page's description
        texts.append(_UNFINISHED)
    return texts, end, has_position(data)


def _icon(data: bytes) -> tuple[list[str], int, bool]:
    """An icon (.ico): the metadata of each picture it holds (PNG pictures carry text chunks), and where the last ends."""
    texts: list[str] = []
    located = False
    end = 6
    done: set[tuple[int, int]] = set()
    if int.from_bytes(data[4:6], "little") > _MAX_ICONS:
        texts.append(_UNFINISHED)
    for index in range(min(int.from_bytes(data[4:6], "little"), _MAX_ICONS)):
        entry = 6 + 16 * index
        size, start = int.from_bytes(data[entry + 8:entry + 12], "little"), int.from_bytes(data[entry + 12:entry + 16], "little")
        end = max(end, entry + 16, min(len(data), start + size))
        picture = data[start:start + size]
        if picture.startswith(_PNG) and (start, size) not in done:
            done.add((start, size))
            found, _, where = _png(picture)
            texts.extend(found)
            located = located or where
    return texts, end, located


def _bitmap(data: bytes) -> tuple[list[str], int, bool]:
    """A BMP holds no text: where it ends, by the size its header gives."""
    return [], max(14, min(len(data), int.from_bytes(data[2:6], "little"))), False


def _metafile(data: bytes) -> tuple[list[str], int, bool]:
    """A Windows metafile (EMF, WMF) draws its texts and keeps comments as records: their strings."""
    texts = _strings(data[:PRIVATE_BYTES])
    return [*texts, _UNREAD] if len(data) > PRIVATE_BYTES else texts, len(data), False


def _kind(data: bytes, first: bool) -> Callable[[bytes], tuple[list[str], int, bool]] | None:
    """The reader of the picture `data` starts with, by its first bytes; None if it is none we know. After the first
    picture only a signature no text starts with counts (`BM…` appended is read as the text it may be)."""
    if data.startswith(_PNG):
        return _png
    if data.startswith(_JPEG):
        return _jpeg
    if data.startswith((b"GIF87a", b"GIF89a")):
        return _gif
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp
    if data.startswith((b"II*\0", b"MM\0*")):
        return _tiff
    if not first:
        return None
    if data.startswith(b"\0\0\1\0") and 0 < int.from_bytes(data[4:6], "little") <= 256:
        return _icon
    if data.startswith(b"BM") and len(data) >= 14:
        return _bitmap
    if data[40:44] == b" EMF" or data.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return _metafile
    return None


MAX_PICTURES = 16  # pictures appended one after another (a phone's depth map, a thumbnail) that are read


def read_picture(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    picture_texts(data, prefix, reading, depth)
    reading.skip(prefix, "图片中的文字无法自动读取（已扫描图片的说明信息）")


def picture_texts(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """The picture's text metadata; what is appended after the picture's end (a zip, a text, another picture),
    which viewers ignore and anyone can cut off and open, is read as a file of its own."""
    texts: list[str] = []
    pictures = 0
    while pictures < MAX_PICTURES and (reader := _kind(data, not pictures)) is not None:
        found, end, located = reader(data)
        if _UNREAD in found:
            reading.skip(named(prefix, "图片的私有数据块"), f"超过 {PRIVATE_BYTES // 1024 // 1024} MB 的部分未读取")
        if _UNFINISHED in found:
            reading.skip(named(prefix, "图片的说明信息"), f"图片的页、目录或项太多（超过 {_MAX_IFDS} 页或目录、"
                                                    f"一个目录 {_MAX_ENTRIES} 项、一个图标 {_MAX_ICONS} 张），其余的未读取")
        texts.extend(text for text in found if text not in (_UNREAD, _UNFINISHED))
        if (located or any(_XMP_POSITION.search(text) for text in found)) and prefix not in reading.located:
            reading.located.append(prefix)
        data = data[end:]
        pictures += 1
    reading.add(named(prefix, "图片的说明信息（EXIF、XMP、注释）第 {line} 项"), "\n".join(texts))
    appended = data.lstrip(b"\0\r\n\t ")
    if pictures and appended:
        read_appended(appended, named(prefix, "图片数据之后附加的内容："), reading, depth)
    elif not pictures and sniff(data) == "svg":  # drawn from text: its texts, titles, descriptions, comments, attributes
        from .web import html_text

        html_text(decode_text(data), named(prefix, "SVG 图片中的文字："), reading)
    elif not pictures and sniff(data):  # not a picture at all: a zip, a PDF or a text named as a picture
        read(data, "", named(prefix, "文件的实际内容（不是图片）："), reading, depth + 1)


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8"
