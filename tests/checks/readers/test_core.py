"""What every reader shares: dispatch by type or content, nesting and text budgets, damaged files."""

from __future__ import annotations

import pytest

from gongkai.readers import core
from gongkai.readers.core import Reading, Refused, read

from ..samples import office_zip, ole_file, pdf_with_text


def test_dispatch_by_suffix_and_by_content():
    reading = Reading()
    read(pdf_with_text("Notice 13912345678"), "bin", "", reading, 0)  # a PDF whatever its name says
    assert [segment.text for segment in reading.segments] == ["Notice 13912345678"]


def test_unknown_and_damaged_files_are_named_not_raised():
    reading = Reading()
    read(b"\x00\x01", "doc", "内嵌“a.doc”：", reading, 1)
    read(b"%PDF-1.4 broken", "pdf", "内嵌“b.pdf”：", reading, 1)
    assert [unread.part for unread in reading.unread] == ["内嵌“a.doc”：", "内嵌“b.pdf”："]
    assert "无法解析" in reading.unread[1].reason


def test_nesting_is_bounded():
    data = b"13912345678"
    for _ in range(core.MAX_DEPTH + 2):
        data = office_zip({"inner.zip" if data.startswith(b"PK") else "a.txt": data})
    reading = Reading()
    read(data, "zip", "", reading, 0)
    assert any("嵌套" in unread.reason for unread in reading.unread)


def test_parts_not_read_are_named_up_to_a_bound_then_counted():
    """Zips of 8 zips nested four deep: each zip past the bound was one GK305 line, 4,096 here (160,000, 69 MB of
    warnings, from a 23 KB file of 20 a level), burying every other finding of the check."""
    data = office_zip({"a.txt": b"x"})
    for _ in range(core.MAX_DEPTH + 1):
        data = office_zip({f"{n}.zip": data for n in range(8)})
    reading = Reading()
    read(data, "zip", "", reading, 0)
    parts = reading.unread_parts()
    assert len(parts) == core.MAX_UNREAD + 1 and reading.unread_more == 8 ** 4 - core.MAX_UNREAD
    assert parts[-1].part == f"另外 {8 ** 4 - core.MAX_UNREAD} 个部分" and "未逐一列出" in parts[-1].reason


def test_text_budget(monkeypatch):
    monkeypatch.setattr(core, "TEXT_CHARS", 10)
    with pytest.raises(Refused):
        Reading().add("第 1 行", "x" * 11)


@pytest.mark.parametrize("suffix, data", [
    ("docx", b"<html><body><p>13912345678</p></body></html>"),  # a web page saved as .docx: Word opens it
    ("doc", b"{\\rtf1\\ansi 13912345678}"),  # many .doc files are RTF
    ("pdf", office_zip({"a.txt": "13912345678"})),
    ("xlsx", b"MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>13912345678</p>"),
    ("jpg", office_zip({"a.txt": "13912345678"})),  # a zip named as a picture
    ("png", "名单 13912345678".encode("gb18030")),
    ("csv", office_zip({"a.txt": "13912345678"})),  # a text reader would read any bytes without failing
])
def test_a_file_named_for_another_type_is_read_as_what_it_is(suffix, data):
    reading = Reading()
    read(data, suffix, "", reading, 0)
    assert any("13912345678" in segment.text for segment in reading.segments), (reading.segments, reading.unread)
    assert not any("无法解析" in unread.reason for unread in reading.unread)


def test_a_doc_file_is_read_in_the_reading_process_by_its_content(site):
    from gongkai.checks import privacy

    site.attach("a.doc", b"{\\rtf1\\ansi\\ansicpg936 13912345678}")
    site.item(attachments=[{"title": "通知", "file": "a.doc"}])
    assert site.problems(privacy.MOBILE.code) and not site.problems(privacy.NOT_SCANNED.code)


@pytest.mark.parametrize("name, stream", [("a.doc", "WordDocument"), ("a.wps", "WordDocument"), ("a.xls", "Workbook")])
def test_a_legacy_office_files_text_runs_are_scanned(site, name, stream):
    """A .doc, .wps or .xls name list with a 身份证号 written as text (UTF-16, as Word, WPS and Excel write Chinese) was
    only named as unread (GK305) and published: its text runs are scanned now, and the file is still named as not
    wholly read."""
    from gongkai.checks import privacy

    text = "申请人身份证号 110105198701201243，电话 13912345678".encode("utf-16-le")
    site.attach(name, ole_file({stream: bytes(32) + text}))
    site.item(attachments=[{"title": "名单", "file": name}])
    problems = site.check()
    assert {p.code for p in problems if p.is_error} >= {privacy.ID18.code, privacy.MOBILE.code}
    assert any("只扫描了其中能读出的文字片段" in p.message for p in problems if p.code == privacy.NOT_SCANNED.code)


def _biff(kind: int, body: bytes) -> bytes:
    import struct

    return struct.pack("<HH", kind, len(body)) + body


def test_the_numbers_a_legacy_workbooks_cells_hold_are_scanned(site):
    """13912345678 typed into an .xls cell is a number (a NUMBER record's double, or the value a FORMULA record last
    computed), not text: no text run holds it. RK and MULRK records hold smaller numbers (30-bit integers, hundredths)."""
    import struct

    from gongkai.checks import pii, privacy

    book = (_biff(0x0809, bytes(16)) + _biff(0x0203, struct.pack("<HHHd", 1, 0, 15, 13912345678.0))
            + _biff(0x0006, struct.pack("<HHHd", 2, 0, 15, 13812345678.0) + bytes(8))
            + _biff(0x027E, struct.pack("<HHHI", 3, 0, 15, (1234 << 2) | 3))
            + _biff(0x00BD, struct.pack("<HHHIHIH", 4, 0, 15, (12345678 << 2) | 2, 15, (1370000 << 2) | 2, 1))
            + _biff(0x000A, b""))
    assert core._biff_numbers(book) == ["13912345678", "13812345678", "12.34", "12345678\t1370000"]
    site.attach("a.xls", ole_file({"Workbook": book}))
    site.item(attachments=[{"title": "名单", "file": "a.xls"}])
    found = " ".join(p.message for p in site.problems(privacy.MOBILE.code))
    assert pii.mask("13912345678") in found and pii.mask("13812345678") in found, found
