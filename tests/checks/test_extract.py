"""Attachments read whole: a number and a secrecy mark planted in every part of every type are found,
unreadable parts are named (GK305), hostile files end in GK307 within their bounds."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from gongkai.checks import extract, pii, privacy, secrecy

from .samples import (
    DOCX_PARTS,
    MARK,
    XLSX_PARTS,
    docx_everywhere,
    office_zip,
    pdf_everywhere,
    pdf_with_text,
    planted,
    xlsx_everywhere,
)

PDF_PARTS = {"page": "第 1 页", "annotation": "批注", "form-field": "表单域", "embedded-file": "内嵌文件“名单.csv”",
             "metadata": "文档属性"}


def _findings(site, name: str, data: bytes) -> tuple[list, list]:
    site.attach(name, data)
    site.item(attachments=[{"title": "材料", "file": name}])
    problems = site.check()
    return [p for p in problems if p.code == privacy.MOBILE.code], [p for p in problems if p.code == secrecy.CLASSIFIED.code]


@pytest.mark.parametrize("name, make, parts", [("a.docx", docx_everywhere, DOCX_PARTS), ("a.xlsx", xlsx_everywhere, XLSX_PARTS),
                                               ("a.pdf", pdf_everywhere, PDF_PARTS)])
def test_a_number_in_every_part_is_found_where_it_is(site, name, make, parts):
    data, numbers = make()
    mobiles, _ = _findings(site, name, data)
    messages = [p.message for p in mobiles]
    for kind, where in parts.items():
        masked = pii.mask(numbers[kind])
        assert any(masked in message and where in message for message in messages), (kind, where, messages)
    assert all(number not in message for message in messages for number in numbers.values())


@pytest.mark.parametrize("name, make, parts", [("a.docx", docx_everywhere, DOCX_PARTS), ("a.xlsx", xlsx_everywhere, XLSX_PARTS),
                                               ("a.pdf", pdf_everywhere, PDF_PARTS)])
def test_a_secrecy_mark_in_every_part_is_found(site, name, make, parts):
    data, _ = make()
    _, marks = _findings(site, name, data)
    messages = " ".join(p.message for p in marks)
    for where in parts.values():
        assert where.split("第")[0] in messages, where


def test_docx_table_cell_mark_and_tracked_changes(site):
    data, numbers = docx_everywhere()
    mobiles, marks = _findings(site, "a.docx", data)
    assert any("第 1 个表格第 1 行" in p.message and "“机密”" in p.message for p in marks)  # cells 密级 | 机密
    deleted = pii.mask(numbers["deleted"])
    assert any(deleted in p.message and "修订前的文字" in p.message for p in mobiles)


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""), ("gb18030", b""),
                                           ("utf-32-le", codecs.BOM_UTF32_LE)])
def test_csv_in_every_encoding(site, encoding, bom):
    text = f"姓名,联系电话,备注\n张三,{planted(1)},{MARK}\n"
    mobiles, marks = _findings(site, "a.csv", bom + text.encode(encoding))
    assert [p.message for p in mobiles] and "第 2 行" in mobiles[0].message
    assert marks


def test_decode_text_detects_encodings():
    text = "关于公布2021年农村危房改造补助对象名单的公示，联系人张三。" * 3
    for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be", "big5"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        decoded = extract.decode_text(data)
        assert "农村危房改造" in decoded or encoding == "big5" and decoded


def test_zip_members_and_their_names_are_read(site):
    inner = office_zip({"名单.csv": f"张三,{planted(1)}\n".encode(), f"张三{planted(2)}.txt": MARK.encode(),
                        "扫描件.jpg": b"\xff\xd8"})
    mobiles, marks = _findings(site, "a.zip", inner)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages and "文件名" in messages
    assert marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "扫描件.jpg" in unread.message


def test_docx_embedded_in_a_pdf_in_a_zip(site):
    data, numbers = docx_everywhere()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("cover"))))
    writer.add_attachment("原件.docx", data)
    out = io.BytesIO()
    writer.write(out)
    mobiles, _ = _findings(site, "a.zip", office_zip({"通知.pdf": out.getvalue()}))
    assert any(pii.mask(numbers["header-first"]) in p.message and "原件.docx" in p.message for p in mobiles)


def test_unreadable_parts_are_named(site):
    data, _ = docx_everywhere()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/comments.xml"] = b"<w:comments><broken"
    parts["word/media/image1.png"] = b"\x89PNG"
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0"
    site.attach("a.docx", office_zip(parts))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    messages = [p.message for p in site.problems(privacy.NOT_SCANNED.code)]
    assert any("批注（word/comments.xml）" in m for m in messages)
    assert any("1 张图片" in m and "image1.png" in m for m in messages)
    assert any("oleObject1.bin" in m for m in messages)
    assert site.problems(privacy.MOBILE.code)  # the other parts were still read


def test_pdf_pages_without_text_are_named(site):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Page one"))))
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    site.attach("a.pdf", out.getvalue())
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "第 2 页" in problem.message and "文字层" in problem.message


def _bomb_part(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, archive.open("word/document.xml", "w") as stream:
        stream.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
        block = b" " * (1 << 20)
        for _ in range(size >> 20):
            stream.write(block)
        stream.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def test_zip_bomb_is_refused(site):
    bomb = _bomb_part(extract.PART_BYTES + (8 << 20))
    assert len(bomb) < extract.PART_BYTES // 100
    site.attach("bomb.docx", bomb)
    site.item(attachments=[{"title": "材料", "file": "bomb.docx"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert problem.severity == "error" and "bomb.docx" in problem.message and "压缩炸弹" in problem.message


def test_xml_entity_bomb_is_refused(site):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";" if n > 1 else "&lol;") * 10}">' for n in range(1, 10))
              + ']><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    site.attach("a.docx", office_zip({"word/document.xml": laughs}))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert "DTD" in problem.message


def _heavy_pdf(size: int) -> bytes:
    """A small PDF whose page content inflates to `size` bytes of one string."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 720 Td (" + b"0" * size + b") Tj ET")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(content.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_file_that_takes_too_long_ends_in_an_error(site, monkeypatch):
    monkeypatch.setattr(extract, "SECONDS", 0.5)  # the deadline, short for the test (8 s in use)
    site.attach("a.pdf", _heavy_pdf(40 << 20))  # seconds of work for pypdf
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert "秒" in problem.message and "a.pdf" in problem.message


def test_a_file_that_needs_too_much_memory_ends_in_an_error(site, monkeypatch):
    monkeypatch.setattr(extract, "MEMORY", 128 * 1024 * 1024)  # the reading process's bound, small for the test
    extract._SANDBOX.stop()
    try:
        site.attach("a.pdf", _heavy_pdf(70 << 20))
        site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
        [problem] = site.problems(privacy.UNREADABLE.code)
        assert "内存" in problem.message and "a.pdf" in problem.message
    finally:
        extract._SANDBOX.stop()  # the next reading process starts with the normal bound


def test_the_reading_process_survives_a_failure(site, monkeypatch):
    site.attach("bomb.docx", _bomb_part(extract.PART_BYTES + (8 << 20)))
    site.attach("a.csv", f"张三,{planted(1)}\n".encode())
    site.item(attachments=[{"title": "炸弹", "file": "bomb.docx"}, {"title": "名单", "file": "a.csv"}])
    assert site.problems(privacy.UNREADABLE.code) and site.problems(privacy.MOBILE.code)


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
    mobiles, marks = _findings(site, name, make(f"联系人{planted(1)} {MARK}"))
    assert mobiles and marks and "说明信息" in mobiles[0].message
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "图片中的文字" in unread.message


def test_ofd_text_codes_are_read_and_the_reviewer_still_looks(site):
    content = ('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:TextObject Boundary="0 0 100 10">'
               f'<ofd:TextCode X="0" Y="5" DeltaX="3 3 3">联系人{planted(1)}</ofd:TextCode></ofd:TextObject>'
               f"<ofd:TextObject><ofd:TextCode>{MARK}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    mobiles, marks = _findings(site, "a.ofd", office_zip({"OFD.xml": "<OFD/>", "Doc_0/Pages/Page_0/Content.xml": content}))
    assert mobiles and "页面内容" in mobiles[0].message and marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "OFD" in unread.message


def test_link_targets_in_a_docx_are_read(site):
    data, _ = docx_everywhere()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="l" Target="tel:{planted(99)}" TargetMode="External"/></Relationships>'.encode())
    mobiles, _ = _findings(site, "a.docx", office_zip(parts))
    assert any(pii.mask(planted(99)) in p.message and "链接" in p.message for p in mobiles)
