"""ZIP: every member and every member's name."""

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
    planted,
)


def test_zip_members_and_their_names_are_read(site):
    inner = office_zip({"名单.csv": f"张三,{planted(1)}\n".encode(), f"张三{planted(2)}.txt": MARK.encode(),
                        "扫描件.jpg": b"\xff\xd8"})
    mobiles, marks = findings(site, "a.zip", inner)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages and "文件名" in messages
    assert marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "扫描件.jpg" in unread.message


def _renamed_in_its_header(data: bytes, name: str, other: str) -> bytes:
    """The zip with `name` changed to `other` in the member's own header only (the directory keeps `name`)."""
    at = data.index(name.encode())  # the first occurrence is the member's header
    return data[:at] + other.encode() + data[at + len(other.encode()):]


def test_comments_and_every_form_of_a_members_name_are_read(site):
    import struct
    import zlib

    out = io.BytesIO()
    unicode_name = f"张三{planted(3)}.txt".encode()
    with zipfile.ZipFile(out, "w") as archive:
        archive.comment = f"联系人 {planted(1)} {MARK}".encode("gb18030")  # unzip tools show it on opening
        member = zipfile.ZipInfo("a.txt")
        member.comment = planted(2).encode()
        archive.writestr(member, "正文")
        named = zipfile.ZipInfo("b.txt")  # the name 7-Zip and unzip show is the Unicode field's
        named.extra = struct.pack("<HHBI", 0x7075, 5 + len(unicode_name), 1, zlib.crc32(b"b.txt")) + unicode_name
        archive.writestr(named, "正文")
    mobiles, marks = findings(site, "a.zip", out.getvalue())
    messages = " ".join(p.message for p in mobiles)
    assert all(pii.mask(planted(n)) in messages for n in (1, 2, 3)), messages
    assert marks and "注释" in marks[0].message


def test_a_damaged_member_does_not_hide_the_others(site):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("c.txt", b"x" * 100)  # its data will not match its checksum
        archive.writestr("aaaa.txt", f"联系人 {planted(1)}")  # its header will name it otherwise: unzip extracts it all the same
        archive.writestr("b.txt", f"联系人 {planted(2)}")
    data = _renamed_in_its_header(out.getvalue(), "aaaa.txt", "zzzz.txt").replace(b"x" * 100, b"y" * 100)
    mobiles, _ = findings(site, "a.zip", data)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages, messages
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "c.txt" in unread.message


def _member_alone(name: str, text: str) -> bytes:
    """A member's header and data as a zip writes them, without a directory that lists it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    data = out.getvalue()
    return data[:data.index(b"PK\x01\x02")]


@pytest.mark.parametrize("name, where", [("a.zip", "before"), ("a.zip", "after"), ("a.docx", "before")])
def test_what_the_directory_does_not_list_is_read(site, name, where):
    """A tool that reads a zip front to back extracts a member its directory does not list; bytes after the end
    record can be cut out and opened."""
    listed = docx_with("正文", "无") if name == "a.docx" else office_zip({"说明.txt": "正文".encode()})
    hidden = _member_alone("名单.txt", f"张三 {planted(1)}")
    # Before: the directory's offsets are relative to its end, so zip tools still list the rest. After: past the end record.
    data = hidden + listed if where == "before" else listed + f"张三 {planted(2)}".encode()
    mobiles, _ = findings(site, name, data)
    number = planted(1) if where == "before" else planted(2)
    assert any(pii.mask(number) in p.message and "目录之外" in p.message for p in mobiles), [p.message for p in mobiles]
