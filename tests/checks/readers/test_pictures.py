"""Pictures: their text metadata is scanned, their pixels are left to the reviewer (GK305)."""

from __future__ import annotations

import pytest

from gongkai.checks import privacy

from ..samples import (
    MARK,
    findings,
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
