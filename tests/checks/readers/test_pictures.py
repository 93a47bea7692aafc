"""Pictures: their text metadata is scanned, their pixels are left to the reviewer (GK305)."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.checks import pii, privacy

from ..samples import (
    MARK,
    docx_with,
    findings,
    office_zip,
    pdf_with_text,
    planted,
)


def _png_with_text(text: str) -> bytes:
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + b"\0\0\0\0"

    utf8 = b"Description\0\x01\x00zh\0\0" + __import__("zlib").compress(text.encode())
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes(13)) + chunk(b"iTXt", utf8) + chunk(b"IEND", b"")


def _jpeg_with_comment(text: str) -> bytes:
    body = text.encode()
    return b"\xff\xd8\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body + b"\xff\xda\x00\x02"


@pytest.mark.parametrize("name, make", [("a.png", _png_with_text), ("a.jpg", _jpeg_with_comment)])
def test_picture_metadata_is_scanned_and_the_picture_still_needs_eyes(site, name, make):
    mobiles, marks = findings(site, name, make(f"联系人{planted(1)} {MARK}"))
    assert mobiles and marks and "说明信息" in mobiles[0].message
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "图片中的文字" in unread.message


def _jpeg_with_exif(tag: int, kind: int, value: bytes, *, big_endian: bool, odd: bool) -> bytes:
    """A JPEG whose EXIF holds one tag; `odd` puts its value at an odd offset (allowed, if unusual)."""
    import struct

    order = ">" if big_endian else "<"
    offset = 8 + 2 + 12 + 4 + (1 if odd else 0)
    tiff = ((b"MM" if big_endian else b"II") + struct.pack(order + "HI", 42, 8) + struct.pack(order + "H", 1)
            + struct.pack(order + "HHII", tag, kind, len(value), offset) + b"\0\0\0\0" + (b"\0" if odd else b"") + value)
    app1 = b"Exif\0\0" + tiff
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + b"\xff\xda\x00\x02"


@pytest.mark.parametrize("tag, kind, encode, big_endian, odd", [
    (0x9286, 7, lambda text: b"UNICODE\0" + text.encode("utf-16-be"), True, False),  # UserComment in a big-endian file
    (0x9286, 7, lambda text: b"UNICODE\0" + text.encode("utf-16-le"), False, True),
    (0x9C9C, 1, lambda text: text.encode("utf-16-le") + b"\0\0", False, True),  # Windows' XPComment at an odd offset
    (0x010E, 2, lambda text: text.encode("gb18030") + b"\0", False, False),  # a Chinese camera's description
])
def test_exif_text_is_read_in_every_encoding_and_alignment(site, tag, kind, encode, big_endian, odd):
    data = _jpeg_with_exif(tag, kind, encode(f"联系人{planted(1)}{MARK}"), big_endian=big_endian, odd=odd)
    mobiles, marks = findings(site, "a.jpg", data)
    assert mobiles and marks


def _jpeg() -> bytes:
    """A JPEG to its end of image: a JFIF header, one scan whose coded data holds a stuffed 0xFF."""
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x12\x34\xff\x00\x56\xff\xd9")


@pytest.mark.parametrize("name, appended", [
    ("a.jpg", lambda: office_zip({"名单.csv": f"张三,{planted(1)},{MARK}\n".encode()})),  # a zip behind a picture
    ("a.jpg", lambda: f"张三 {planted(1)} {MARK}".encode("gb18030")),
    ("a.png", lambda: _jpeg() + f"张三 {planted(1)} {MARK}".encode()),  # a picture, another, then text
])
def test_what_is_appended_after_a_picture_is_read(site, name, appended):
    picture = _png_with_text("说明") if name.endswith("png") else _jpeg()
    mobiles, marks = findings(site, name, picture + appended())
    assert mobiles and marks and "图片数据之后附加的内容" in mobiles[0].message


def test_every_application_segment_and_the_pictures_inside_office_files_are_read(site):
    import struct

    ducky = b"Ducky\x00" + f"联系人{planted(1)}".encode()  # a comment some editors keep in APP12
    picture = b"\xff\xd8\xff\xec" + struct.pack(">H", len(ducky) + 2) + ducky + _jpeg()[2:]
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
    parts["word/media/image1.jpeg"] = picture
    parts["word/media/image2.png"] = _png_with_text(f"{planted(2)} {MARK}")
    parts["docProps/thumbnail.jpeg"] = _jpeg() + f"{planted(3)}".encode()  # a picture of page one, and more
    mobiles, marks = findings(site, "a.docx", office_zip(parts))
    messages = " ".join(p.message for p in mobiles)
    assert all(pii.mask(planted(n)) in messages for n in (1, 2, 3)) and "image1.jpeg" in messages, messages
    assert marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)  # the pixels still need eyes
    assert "2 张图片" in unread.message


def _exif_with_position(latitude: tuple[int, int, int], longitude: tuple[int, int, int], *, big_endian: bool) -> bytes:
    """EXIF (a TIFF structure) whose GPS IFD holds a latitude and a longitude, in either byte order."""
    import struct

    order = ">" if big_endian else "<"
    gps_at, values_at = 26, 26 + 2 + 2 * 12 + 4
    ifd0 = struct.pack(order + "H", 1) + struct.pack(order + "HHII", 0x8825, 4, 1, gps_at) + b"\0\0\0\0"
    gps = (struct.pack(order + "H", 2) + struct.pack(order + "HHII", 2, 5, 3, values_at)
           + struct.pack(order + "HHII", 4, 5, 3, values_at + 24) + b"\0\0\0\0")
    rationals = b"".join(struct.pack(order + "II", value, 1) for value in (*latitude, *longitude))
    return (b"MM\0*" if big_endian else b"II*\0") + struct.pack(order + "I", 8) + ifd0 + gps + rationals


@pytest.mark.parametrize("container", ["jpeg", "png", "docx"])
@pytest.mark.parametrize("big_endian", [False, True])
def test_a_photo_that_says_where_it_was_taken_is_named(site, container, big_endian):
    import struct

    exif = _exif_with_position((39, 54, 30), (116, 23, 10), big_endian=big_endian)
    if container == "png":
        chunk = struct.pack(">I", len(exif)) + b"eXIf" + exif + b"\0\0\0\0"
        picture = _png_with_text("说明")
        data, name = picture[:33] + chunk + picture[33:], "a.png"
    else:
        app1 = b"Exif\0\0" + exif
        data, name = b"\xff\xd8\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + _jpeg()[2:], "a.jpg"
    if container == "docx":
        with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
            parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
        parts["word/media/image1.jpeg"] = data
        data, name = office_zip(parts), "a.docx"
    site.attach(name, data)
    site.item(attachments=[{"title": "现场照片", "file": name}])
    [problem] = site.problems(privacy.LOCATED.code)
    assert problem.severity == "warning" and name in problem.message and "删除位置信息" in problem.message
    assert container != "docx" or "image1.jpeg" in problem.message


def test_a_photo_without_a_position_is_not_named(site):
    import struct

    app1 = b"Exif\0\0" + _exif_with_position((0, 0, 0), (0, 0, 0), big_endian=False)  # cameras write zeros without a fix
    site.attach("a.jpg", b"\xff\xd8\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + _jpeg()[2:])
    site.item(attachments=[{"title": "现场照片", "file": "a.jpg"}])
    assert site.problems(privacy.LOCATED.code) == []


def _png_with_chunk(kind: bytes, body: bytes) -> bytes:
    import struct

    picture = _png_with_text("说明")
    return picture[:33] + struct.pack(">I", len(body)) + kind + body + b"\0\0\0\0" + picture[33:]


def test_a_chunk_no_viewer_shows_is_read(site):
    """A private chunk (any name a viewer does not know) is skipped by every viewer and published with the file."""
    mobiles, marks = findings(site, "a.png", _png_with_chunk(b"prVt", f"联系人{planted(1)} {MARK}".encode()))
    assert mobiles and marks and "说明信息" in mobiles[0].message


def test_an_imagemagick_raw_profile_is_read_as_the_block_it_holds(site):
    """ImageMagick keeps EXIF as hexadecimal text in a PNG text chunk: read as text, its digits were card and phone
    numbers (every such picture failed the check), and the EXIF inside — a description, a position — went unread."""
    exif = _exif_with_position((39, 54, 30), (116, 23, 10), big_endian=False)
    block = b"Exif\0\0" + exif + bytes.fromhex("139000000991") + f"联系人{planted(1)}".encode() + b"\0"
    digits = block.hex()
    text = f"\nexif\n{len(block):8d}\n" + "\n".join(digits[at:at + 72] for at in range(0, len(digits), 72)) + "\n"
    assert "13900000099" in text
    mobiles, _ = findings(site, "a.png", _png_with_chunk(b"tEXt", b"Raw profile type exif\0" + text.encode()))
    assert mobiles and all(pii.mask(planted(1)) in p.message for p in mobiles), [p.message for p in mobiles]
    assert site.problems(privacy.LOCATED.code)


@pytest.mark.long
def test_a_private_chunk_of_megabytes_is_read_to_a_bound_and_the_rest_named(site, monkeypatch):
    """An editing program's own data (Fireworks keeps megabytes of it): read whole, 13 MB passed the text budget and
    the picture could not be read at all (GK307). Its first megabyte is read; the rest is named for the reviewer."""
    from gongkai.checks import attached
    from gongkai.readers.extract import SlowFiles
    from gongkai.readers.pictures import PRIVATE_BYTES

    # A megabyte read as text takes the scans seconds of CPU (random bytes, 2.5M characters of every script, ≈ 8 s: 30 s
    # of the suite, so the filler is plain ASCII): on a loaded machine the scan's 20 s wall-clock bound could speak first
    # (GK307), or spend the run's budget for slow files: the bounds' business, not this test's.
    monkeypatch.setattr(attached, "SCAN_SECONDS", 120.0)
    monkeypatch.setattr(SlowFiles, "BUDGET_SECONDS", 600.0)

    body = f"联系人{planted(1)} ".encode() + b"0123456789abcdef" * (3 << 16)
    site.attach("a.png", _png_with_chunk(b"mkBF", body))
    site.item(attachments=[{"title": "材料", "file": "a.png"}])
    problems = site.check()  # once: each check of the megabyte takes seconds
    assert any(p.code == privacy.MOBILE.code for p in problems)
    assert not [p for p in problems if p.code == privacy.UNREADABLE.code]
    assert any("私有数据块" in p.message for p in problems if p.code == privacy.NOT_SCANNED.code)
    assert len(body) > PRIVATE_BYTES


def _gif(*blocks: bytes) -> bytes:
    """A 1×1 GIF with a global colour table of two colours, the given extension blocks before its picture."""
    picture = b"\x2c" + bytes(4) + b"\x01\x00\x01\x00\x00" + b"\x02\x02\x44\x01\x00"
    return b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(6) + b"".join(blocks) + picture + b"\x3b"


def _sub_blocks(data: bytes) -> bytes:
    return b"".join(bytes([len(data[at:at + 255])]) + data[at:at + 255] for at in range(0, len(data), 255)) + b"\0"


def _gif_comment(text: str) -> bytes:
    return _gif(b"\x21\xfe" + _sub_blocks(text.encode()))


def _gif_xmp(text: str) -> bytes:
    """XMP as Adobe writes it into a GIF: the packet raw, then a 'magic trailer' that makes the lengths add up."""
    packet = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>{text}</dc:description></x:xmpmeta>'.encode()
    return _gif(b"\x21\xff\x0bXMP DataXMP" + packet + b"\x01" + bytes(range(255, -1, -1)) + b"\0")


def _webp(kind: bytes, body: bytes) -> bytes:
    chunks = b"VP8L" + (5).to_bytes(4, "little") + b"\x2f\0\0\0\0\0" + kind + len(body).to_bytes(4, "little") + body
    chunks += b"\0" if len(body) % 2 else b""
    return b"RIFF" + (4 + len(chunks)).to_bytes(4, "little") + b"WEBP" + chunks


def _tiff(text: str) -> bytes:
    """A little-endian TIFF whose one directory holds an ImageDescription (tag 270, ASCII) written after it."""
    value = text.encode() + b"\0"
    entries = (1).to_bytes(2, "little") + (270).to_bytes(2, "little") + (2).to_bytes(2, "little")
    entries += len(value).to_bytes(4, "little") + (26).to_bytes(4, "little") + bytes(4)
    return b"II*\0" + (8).to_bytes(4, "little") + entries + value


def _icon(text: str) -> bytes:
    png = _png_with_text(text)
    return b"\0\0\1\0\1\0" + bytes(8) + len(png).to_bytes(4, "little") + (22).to_bytes(4, "little") + png


def _svg(text: str) -> bytes:
    return (f'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><desc>{text}</desc>'
            '<rect width="1" height="1"/></svg>').encode()


def _emf(text: str) -> bytes:
    """An EMF's header record (its signature at byte 40) and a comment record holding `text` in UTF-16."""
    header = (1).to_bytes(4, "little") + (88).to_bytes(4, "little") + bytes(32) + b" EMF" + bytes(44)
    comment = text.encode("utf-16-le")
    return header + (70).to_bytes(4, "little") + (12 + len(comment)).to_bytes(4, "little") + len(comment).to_bytes(4, "little") + comment


PICTURES = {
    "gif": _gif_comment, "gif-xmp": _gif_xmp, "webp": lambda text: _webp(b"XMP ", text.encode()),
    "webp-exif": lambda text: _webp(b"EXIF", b"Exif\0\0II*\0" + text.encode("utf-16-le")),
    "tiff": _tiff, "ico": _icon, "svg": _svg, "emf": _emf,
}


@pytest.mark.parametrize("kind", sorted(PICTURES))
@pytest.mark.parametrize("container", ["docx", "zip", "named .jpg"])
def test_the_metadata_of_every_picture_format_is_read(site, kind, container):
    """GIF comments and XMP, WebP's XMP and EXIF, a TIFF's description, an icon's PNG, an SVG's description, an EMF's
    comment: a reader's tool shows each, in a Word document's pictures, a zip's or an attachment named as a JPEG."""
    picture = PICTURES[kind](f"联系人{planted(1)} {MARK}")
    suffix = kind.split("-")[0]
    if container == "docx":
        with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
            parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
        parts[f"word/media/image9.{suffix}"] = picture
        name, data = "a.docx", office_zip(parts)
    elif container == "zip":
        name, data = "a.zip", office_zip({f"图.{suffix}": picture})
    else:
        name, data = "a.jpg", picture
    mobiles, marks = findings(site, name, data)
    assert len(mobiles) == 1 and marks, (kind, container)
    assert site.problems(privacy.NOT_SCANNED.code)  # the pixels still need the eye


def test_text_appended_after_a_picture_that_reads_as_another_format_is_read(site):
    """After the picture, only an unmistakable signature starts another: `BM…` appended is text, not a bitmap."""
    mobiles, _ = findings(site, "a.jpg", _gif_comment("x") + f"BM 联系人{planted(1)}".encode())
    assert len(mobiles) == 1


@pytest.mark.parametrize(("name", "make"), [
    ("a.png", lambda text: _png_with_text("x") + b"\0\0\0\x20tEXt" + b"Comment\0" + text.encode() + b"\0\0\0\0"),
    ("a.jpg", lambda text: _jpeg_with_comment("x") + b"\xff\xd9\x00\x01\x02" + text.encode() + b"\x00\x05"),
    ("a.pdf", lambda text: pdf_with_text("hello") + b"\x00\x01\x02" + text.encode() + b"\x00"),
])
def test_binary_bytes_past_the_end_of_a_file_are_read_for_their_text(site, name, make):
    """A chunk after a PNG's IEND, bytes after a JPEG's EOI or a PDF's last %%EOF that are no file of a known kind:
    `strings` shows their text, so the scans read it, and the part is still named for the eye."""
    mobiles, _ = findings(site, name, make(f"Tel {planted(1)}"))
    assert len(mobiles) == 1 and "附加的内容" in mobiles[0].message
    assert any("附加的" in p.message for p in site.problems(privacy.NOT_SCANNED.code))
