"""Sample numbers and attachment files made in the test itself (no binary fixtures in git)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import cast

from stdnum import luhn


def make_id(region: str = "131122", birth: str = "19900307", sequence: str = "204") -> str:
    """An 18-digit 身份证号 with its GB 11643 check character, computed here independently."""
    body = region + birth + sequence
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(body))
    return body + "10X98765432"[total % 11]


def make_card(prefix: str = "622202123456789012") -> str:
    return prefix + luhn.calc_check_digit(prefix)


ID = make_id()
CARD = make_card()


def pdf_with_text(text: str, catalog: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    """A minimal valid PDF whose single page shows `text` (ASCII) in Helvetica; `catalog`: more entries of its
    catalog, `more`: objects after its own (6 0 obj onwards)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *more,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_with(paragraph: str, cell: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("危房改造补助对象名单")
    document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text, table.cell(1, 1).text = "张三", cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_with(value: object) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "联系电话"])
    sheet.append(["张三", value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- attachments with something planted in every part -----------------------------------------

MARK = "机密★1年"


def planted(number: int) -> str:
    """A distinct valid mobile number per part, so a test can tell which part a finding came from."""
    return f"139000000{number:02d}"


def office_zip(parts: Mapping[str, str | bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            # A fixed date: the bytes name parametrized tests, and each test worker must collect the same names.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


# Word parts: name → (label the finding names, the part's XML). Each holds planted(n) and MARK.
DOCX_PARTS = {
    "body": "正文第 1 段",
    "table": "第 1 个表格第 1 行",
    "textbox": "正文第",
    "inserted": "正文第",
    "deleted": "修订前的文字",
    "header-default": "页眉（奇数页及默认）",
    "header-first": "页眉（首页）",
    "header-even": "页眉（偶数页）",
    "footer-default": "页脚（奇数页及默认）",
    "footer-first": "页脚（首页）",
    "footer-even": "页脚（偶数页）",
    "comment": "批注",
    "footnote": "脚注",
    "endnote": "尾注",
    "core-property": "文档属性",
    "custom-property": "自定义属性",
}


def docx_everywhere() -> tuple[bytes, dict[str, str]]:
    """A DOCX with a number (planted(n)) and MARK in every kind of part; returns it and part → number."""
    numbers = {kind: planted(index) for index, kind in enumerate(DOCX_PARTS, 1)}
    split = f"{numbers['body'][:3]}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{numbers['body'][3:]}"  # runs split a number
    body = (
        _para(f"正文{split}") + _para(MARK)
        + f"<w:tbl><w:tr><w:tc>{_para('张三')}</w:tc><w:tc>{_para(numbers['table'])}</w:tc>"
          f"<w:tc>{_para('密级')}</w:tc><w:tc>{_para('机密')}</w:tc></w:tr></w:tbl>"
        + "<w:p><w:r><w:pict><v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:textbox><w:txbxContent>"
          f"{_para(numbers['textbox'])}{_para(MARK)}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
        + f'<w:p><w:ins w:id="1" w:author="a"><w:r><w:t>新增{numbers["inserted"]}{MARK}</w:t></w:r></w:ins></w:p>'
        + f'<w:p><w:r><w:t>保留</w:t></w:r><w:del w:id="2" w:author="a"><w:r><w:delText>{numbers["deleted"]}'
          f'</w:delText></w:r></w:del></w:p><w:p><w:del w:id="3" w:author="a"><w:r><w:delText>{MARK}</w:delText></w:r></w:del></w:p>'
        + '<w:sectPr>'
        + "".join(f'<w:{kind}Reference w:type="{which}" r:id="{kind}-{which}"/>'
                  for kind in ("header", "footer") for which in ("default", "first", "even"))
        + "</w:sectPr>"
    )
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": f"<?xml version=\"1.0\"?><w:document {_W}><w:body>{body}</w:body></w:document>",
    }
    relations = []
    for kind in ("header", "footer"):
        for number, which in enumerate(("default", "first", "even"), 1):
            target = f"{kind}{number}.xml"
            relations.append(f'<Relationship Id="{kind}-{which}" Target="{target}"/>')
            text = numbers[f"{kind}-{which}"]
            parts[f"word/{target}"] = f"<w:{kind[0]}dr {_W}>{_para(text)}{_para(MARK)}</w:{kind[0]}dr>"
    parts["word/_rels/document.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(relations) + "</Relationships>")
    parts["word/comments.xml"] = f'<w:comments {_W}><w:comment w:id="0">{_para(numbers["comment"])}{_para(MARK)}</w:comment></w:comments>'
    parts["word/footnotes.xml"] = (f'<w:footnotes {_W}><w:footnote w:id="1">{_para(numbers["footnote"])}{_para(MARK)}</w:footnote>'
                                   "</w:footnotes>")
    parts["word/endnotes.xml"] = f'<w:endnotes {_W}><w:endnote w:id="1">{_para(numbers["endnote"])}{_para(MARK)}</w:endnote></w:endnotes>'
    parts["docProps/core.xml"] = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{numbers["core-property"]}</dc:title>'
        f"<dc:subject>{MARK}</dc:subject></cp:coreProperties>")
    parts["docProps/custom.xml"] = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property name="联系人"><vt:lpwstr>{numbers["custom-property"]}</vt:lpwstr></property>'
        f'<property name="密级"><vt:lpwstr>{MARK}</vt:lpwstr></property></Properties>')
    return office_zip(parts), numbers


XLSX_PARTS = {
    "shared-string": "工作表“名单”第 2 行",
    "inline-string": "工作表“名单”第 3 行",
    "number": "工作表“名单”第 4 行",
    "formula": "工作表“名单”第 5 行",
    "hidden-sheet": "工作表“备用，隐藏”",
    "very-hidden-sheet": "工作表“底稿，深度隐藏”",
    "header": "页眉（首页）",
    "footer": "页脚（偶数页）",
    "comment": "批注",
    "unused-shared-string": "共享字符串中未被单元格使用",
    "defined-name": "工作簿",
}

_X = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def xlsx_everywhere() -> tuple[bytes, dict[str, str]]:
    """An XLSX with a number and MARK in every kind of part (hidden sheets too); returns it and part → number."""
    numbers = {kind: planted(index) for index, kind in enumerate(XLSX_PARTS, 1)}
    shared = [f"张三{numbers['shared-string']}", MARK, f"{numbers['unused-shared-string']}{MARK}"]
    sheet = (
        f"<worksheet {_X}><sheetData>"
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'
        f'<row r="3"><c r="A3" t="inlineStr"><is><r><t>{numbers["inline-string"][:5]}</t></r>'
        f'<r><t>{numbers["inline-string"][5:]}</t></r></is></c></row>'
        f'<row r="4"><c r="A4"><v>{float(numbers["number"]):.10E}</v></c></row>'
        f'<row r="5"><c r="A5"><f>IF(A1="",{numbers["formula"]},0)</f><v>0</v></c></row>'
        "</sheetData>"
        f'<headerFooter differentFirst="1" differentOddEven="1"><firstHeader>&amp;L&amp;"宋体,常规"&amp;12 {numbers["header"]}'
        f"&amp;C{MARK}</firstHeader><evenFooter>&amp;R{numbers['footer']} {MARK}</evenFooter></headerFooter></worksheet>"
    )
    hidden = (f'<worksheet {_X}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{numbers["hidden-sheet"]}{MARK}</t></is></c>'
              "</row></sheetData></worksheet>")
    very = f'<worksheet {_X}><sheetData><row r="1"><c r="A1"><v>{numbers["very-hidden-sheet"]}</v></c>' \
           f'<c r="B1" t="inlineStr"><is><t>{MARK}</t></is></c></row></sheetData></worksheet>'
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": (
            f'<workbook {_X}><sheets><sheet name="名单" sheetId="1" r:id="rId1"/>'
            '<sheet name="备用" sheetId="2" state="hidden" r:id="rId2"/><sheet name="底稿" sheetId="3" state="veryHidden" r:id="rId3"/>'
            f'</sheets><definedNames><definedName name="联系">"{numbers["defined-name"]}"</definedName>'
            f"<definedName name=\"x\">\"{MARK}\"</definedName></definedNames></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/>'
            '<Relationship Id="rId3" Target="worksheets/sheet3.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/worksheets/sheet2.xml": hidden,
        "xl/worksheets/sheet3.xml": very,
        "xl/sharedStrings.xml": f"<sst {_X}>" + "".join(f"<si><t>{text}</t></si>" for text in shared) + "</sst>",
        "xl/comments1.xml": (f"<comments {_X}><authors><author>a</author></authors><commentList><comment ref=\"A1\" authorId=\"0\">"
                             f"<text><r><t>{numbers['comment']}</t></r></text></comment><comment ref=\"A2\" authorId=\"0\">"
                             f"<text><t>{MARK}</t></text></comment></commentList></comments>"),
    }
    return office_zip(parts), numbers


def pdf_everywhere() -> tuple[bytes, dict[str, str]]:
    """A PDF with a number and MARK in its page text, an annotation, a form field, an embedded file, metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    kinds = ("page", "annotation", "form-field", "embedded-file", "metadata")
    numbers = {kind: planted(index) for index, kind in enumerate(kinds, 1)}
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text(f"Tel {numbers['page']}"))))
    page = writer.pages[0]
    # A font whose codes A, B, C show 机, 密, ★ (through its ToUnicode map), to plant the mark in the page text.
    cmap = DecodedStreamObject()
    cmap.set_data(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /M def "
                  b"1 begincodespacerange <00> <FF> endcodespacerange 3 beginbfchar <41> <673A> <42> <5BC6> <43> <2605> "
                  b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/ToUnicode"): writer._add_object(cmap)})
    resources = cast(DictionaryObject, page["/Resources"])
    cast(DictionaryObject, resources["/Font"])[NameObject("/F2")] = writer._add_object(font)
    original = page.get_contents()
    assert original is not None
    contents = DecodedStreamObject()
    contents.set_data(original.get_data() + b"\nBT /F2 12 Tf 72 700 Td (ABC1) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(contents)
    writer.add_annotation(0, Text(text=f"批注 {numbers['annotation']} {MARK}", rect=(10, 10, 50, 50)))
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("联系电话"),
        NameObject("/V"): TextStringObject(f"{numbers['form-field']} {MARK}"),
        NameObject("/Rect"): ArrayObject([]),
    })
    reference = writer._add_object(field)
    cast(ArrayObject, page[NameObject("/Annots")]).append(reference)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([reference])})
    writer.add_attachment("名单.csv", f"姓名,电话\n张三,{numbers['embedded-file']}\n{MARK}\n".encode())
    writer.add_metadata({"/Title": f"名单{numbers['metadata']}", "/Subject": MARK})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), numbers


def findings(site, name: str, data: bytes) -> tuple[list, list]:
    """Attach `data` as `name` to an item and check: (GK303 problems, GK401 problems)."""
    from gongkai.checks import marks, privacy

    site.attach(name, data)
    site.item(attachments=[{"title": "材料", "file": name}])
    problems = site.check()
    return [p for p in problems if p.code == privacy.MOBILE.code], [p for p in problems if p.code == marks.CLASSIFIED.code]


def bomb_docx(size: int) -> bytes:
    """A small DOCX whose document.xml inflates to `size` bytes (and says so in the zip)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, archive.open("word/document.xml", "w") as stream:
        stream.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
        block = b" " * (1 << 20)
        for _ in range(size >> 20):
            stream.write(block)
        stream.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def heavy_pdf(size: int) -> bytes:
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


def write_troubled_items(site) -> None:
    """A project with a problem for most families, spread over the items so that any split of them into
    halves or chunks parts the duplicate 索引号 and the links from their targets."""
    number = site.next_index_no()
    policy = site.meta(published="2021-06-10")
    site.item("2021/01.md", index_no=number)
    site.item("2021/02.md", index_no=number)
    site.item("2021/03.md", **policy)
    site.item("2021/04.md", category="政策解读", interprets=policy["index_no"], body="见[文件](03.md)。\n")
    site.item("2021/05.md", body=f"身份证号{ID}\n", doc_no="测[2021]1号")
    site.item("2021/06.md", disclosure="不予公开", signed=False)
    site.item("2021/07.md", body="见[不公开](06.md)和[丢失](11.md)。\n")
    site.item("2021/08.md", attachments=[{"title": "没有的", "file": "2021/没有.pdf"}])
    site.write("2021/09.md", "---\ntitle: [坏\n---\n")
    site.write("2021/10.md", b"")
    (site.content / "pages").mkdir()
    (site.content / "pages" / "guide.md").write_text("---\norder: x\n---\n", encoding="utf-8")


def ole_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file (the container of .doc, .xls and .wps) holding `streams` at its root, as Office writes one:
    512-byte sectors, one FAT sector, one directory sector; each stream padded to 4,096 bytes so it lives in
    regular sectors (a smaller one would be read from the mini stream). Written here because no maintained library
    writes one."""
    import struct

    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    assert len(streams) <= 3
    data = [body + bytes(max(0, 4096 - len(body))) for body in streams.values()]
    data = [body + bytes(-len(body) % 512) for body in data]
    fat = [fat_sector, end]
    starts = []
    for body in data:
        starts.append(len(fat))
        count = len(body) // 512
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end)
    assert len(fat) <= 128
    fat_bytes = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, free, right, child)
                + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, free, 1 if names else free, end, 0)
    for index, (name, body) in enumerate(zip(names, data, strict=True)):
        right = index + 2 if index + 1 < len(names) else free
        directory += entry(name, 2, right, free, starts[index], len(body))
    directory = directory.ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    return header + fat_bytes + directory + b"".join(data)


def xls_with_sheets(*sheets: tuple[str, int], stream: str = "Workbook") -> bytes:
    """An Excel 97–2003 workbook listing `sheets` (name, BIFF sheet type: 0 worksheet, 1 Excel 4.0 macro sheet), in
    a stream named `stream`."""
    import struct

    records = [struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0206)]
    for name, kind in sheets:
        body = struct.pack("<IBBBB", 0, 0, kind, len(name), 1) + name.encode("utf-16-le")
        records.append(struct.pack("<HH", 0x0085, len(body)) + body)
    records.append(struct.pack("<HH", 0x000A, 0))
    return ole_file({stream: b"".join(records)})
