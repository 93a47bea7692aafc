"""file_heads: a published file begins as its name says, and never as a web page (a browser told no type guesses
it from the first bytes: a page named 名单.ofd runs its script at the agency's address)."""

from __future__ import annotations

import codecs
import io
import zipfile

import docx
import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pypdf import PdfWriter

from gongkai.attachments import TYPES
from gongkai.file_heads import CHECKED, HEAD_BYTES, head_fault

# Tags and declarations a browser's sniffer takes for a page, and others it may learn: the check refuses any tag.
_OPENINGS = ("<!DOCTYPE html>", "<html>", "<head>", "<script>alert(1)</script>", "<iframe src=x>", "<h1>", "<div>",
             "<font>", "<table>", "<a href=x>", "<style>", "<title>", "<b>", "<body onload=x>", "<br>", "<p>",
             "<!-- x -->", "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "<svg onload=x>",
             "<img src=x onerror=y>", "<object>", "<embed>", "<meta http-equiv=refresh>", "</p>")
_ENCODINGS = (("", "utf-8"), (codecs.BOM_UTF8.decode("latin-1"), "utf-8"), ("\ufeff", "utf-16-le"), ("\ufeff", "utf-16-be"))


def _encoded(text: str, encoding: tuple[str, str]) -> bytes:
    bom, codec = encoding
    return bom.encode("latin-1") + text.encode(codec) if codec == "utf-8" else (bom + text).encode(codec)


@given(suffix=st.sampled_from(sorted(CHECKED)), opening=st.sampled_from(_OPENINGS),
       space=st.text(alphabet=" \t\r\n\f\v", max_size=40), encoding=st.sampled_from(_ENCODINGS),
       case=st.sampled_from((str.upper, str.lower, str.title)), rest=st.binary(max_size=200))
@example(suffix=".pdf", opening="<html>", space="\v", encoding=_ENCODINGS[0], case=str.lower, rest=b"")  # rt29
def test_a_web_page_under_any_name_is_refused(suffix, opening, space, encoding, case, rest):
    """Chromium's sniffer skips ASCII white space, the vertical tab too, before it looks for a tag."""
    head = _encoded(space + case(opening), encoding) + rest
    assert "网页" in head_fault(suffix, head) or "SVG" in head_fault(suffix, head) or "XML" in head_fault(suffix, head)


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于做好2024年防汛工作的通知")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "金额"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _zip(name: str = "a.txt") -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(name, "公开")
    return stream.getvalue()


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
# What the programs that make each type write (an OFD is a zip of XML; .doc, .xls and .wps are OLE files).
REAL = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "zip": _zip, "ofd": lambda: _zip("OFD.xml"), "doc": lambda: _OLE,
        "xls": lambda: _OLE, "wps": lambda: _OLE, "csv": lambda: "姓名,金额\n张三,100\n".encode("gb18030"),
        "jpg": lambda: b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg": lambda: b"\xff\xd8\xff\xdb", "png": lambda: b"\x89PNG\r\n\x1a\n",
        "gif": lambda: b"GIF89a\1\0\1\0", "webp": lambda: b"RIFF\x1a\0\0\0WEBPVP8 ", "ico": lambda: b"\0\0\1\0\1\0",
        "woff2": lambda: b"wOF2\0\1\0\0"}


def test_every_attachment_type_is_known_and_real_files_of_it_pass():
    assert set(TYPES) <= CHECKED and set(REAL) == CHECKED
    for suffix, make in REAL.items():
        assert head_fault(suffix, make()[:HEAD_BYTES]) == "", suffix


@pytest.mark.parametrize(("suffix", "data", "said"), [
    ("pdf", _OLE, "旧版 Office"), ("ofd", b"%PDF-1.7", "PDF"), ("docx", _OLE, "旧版 Office"), ("doc", b"%PDF-1.4", "PDF"),
    ("xls", b"{\\rtf1", "RTF"), ("zip", b"\x7fELF\2\1", "可执行程序"), ("png", b"MZ\x90\0", "可执行程序"),
    ("jpg", b"BM\x36\0\0\0\0\0", "无法识别"), ("csv", b"\0\1\2\3", "无法识别"), ("woff2", b"wOFF", "网页字体"),
    ("xlsx", "姓名,金额".encode(), "是文本"),
])
def test_a_file_of_another_type_than_its_name_is_refused_and_named(suffix, data, said):
    assert said in head_fault(suffix, data)


@pytest.mark.parametrize(("data", "refused"), [
    (b'ID;PWXL;N;E\r\nC;X1;Y1;EEXEC("calc")\r\nE\r\n', True), (b"ID\r\n1\r\n", True), (b"ID", True),
    (b"ID,\xe5\xa7\x93\xe5\x90\x8d\r\n", False), (b"id;name\n", False), (b"\xef\xbb\xbfID;P\n", False), (b"IDX;1\n", False),
])
def test_a_table_excel_opens_as_sylk_is_refused(data, refused):
    """Excel opens a table whose first bytes are the SYLK record "ID" as SYLK, which runs Excel 4.0 macro formulas;
    "ID," opens as a table, and a byte-order mark or lower case keeps Excel from trying."""
    assert ("SYLK" in head_fault("csv", data)) is refused


@given(st.sampled_from(sorted(CHECKED)))
def test_an_empty_file_is_refused(suffix):
    assert "空文件" in head_fault(suffix, b"")


@given(text=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1)
       .filter(lambda t: not t.lstrip().startswith("<") and not t.startswith("ID;")),
       encoding=st.sampled_from(("utf-8", "gb18030", "utf-16", "utf-16-le", "utf-16-be")))
def test_any_text_that_is_no_markup_is_a_csv(text, encoding):
    try:
        data = (text + ",\r\n").encode(encoding)  # a CSV's lines end with a line end
    except UnicodeEncodeError:
        return
    assert head_fault("csv", data[:HEAD_BYTES]) == ""


@given(suffix=st.sampled_from(("jpg", "jpeg", "png", "gif", "webp")), picture=st.sampled_from(("jpg", "png", "gif", "webp")),
       rest=st.binary(max_size=64))
def test_a_picture_saved_under_another_picture_name_is_shown_all_the_same(suffix, picture, rest):
    assert head_fault(suffix, REAL[picture]() + rest) == ""
