"""党政机关公文 (GB/T 9704-2012) as a bureau's Word files look, made with python-docx for the tests:
红头, 发文字号, 标题, 主送, 正文 with 一、（一）1.（1） levels, a table, 附件说明, 落款 and 成文日期, 版记.
Pictures, embedded files, hyperlinks and Word's automatic numbering are added by the helpers."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import docx
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

TITLE = "关于做好2025年农村危房改造工作的通知"
DOC_NO = "青住建〔2025〕7号"
BODY = [
    "为做好2025年农村危房改造工作，现将有关事项通知如下。",
    "一、工作目标",
    "2025年完成农村危房改造120户，年底前全部竣工验收。",
    "二、主要任务",
    "（一）精准认定改造对象",
    "1.严格对象认定。各乡镇要对照认定标准逐户核实。",
    "2.规范公示程序。认定结果在村务公开栏公示7日。",
    "（1）公示内容包括户主姓名和补助标准。",
    "（二）加强资金管理",
    "补助资金实行专账核算，专款专用。",
]
SIGNATURE = "青禾县住房和城乡建设局"
DATE_LINE = "二〇二五年三月五日"


def _align(paragraph, how: WD_PARAGRAPH_ALIGNMENT):
    paragraph.alignment = how
    return paragraph


def gongwen(*, body: list[str] | None = None, table: bool = True, date_line: str = DATE_LINE,
            doc_no: str | None = DOC_NO, title: str = TITLE, masthead: bool = True) -> docx.document.Document:
    document = docx.Document()
    if masthead:
        head = _align(document.add_paragraph(), WD_PARAGRAPH_ALIGNMENT.CENTER)
        run = head.add_run("青禾县住房和城乡建设局文件")
        run.font.size, run.font.color.rgb = Pt(36), RGBColor(0xFF, 0x00, 0x00)
        document.add_paragraph()
    if doc_no:
        _align(document.add_paragraph(doc_no), WD_PARAGRAPH_ALIGNMENT.CENTER)
        document.add_paragraph()
    # A long title breaks over two centred lines, as 公文 titles do.
    middle = len(title) // 2
    for part in (title[:middle], title[middle:]):
        _align(document.add_paragraph(part), WD_PARAGRAPH_ALIGNMENT.CENTER).runs[0].font.size = Pt(22)
    document.add_paragraph()
    document.add_paragraph("各乡镇人民政府，县直有关单位：")
    for text in body if body is not None else BODY:
        document.add_paragraph("\u3000\u3000" + text)
    if table:
        grid = document.add_table(rows=4, cols=3)
        grid.style = document.styles["Table Grid"]
        grid.cell(0, 0).merge(grid.cell(0, 1)).text = "乡镇"
        grid.cell(0, 2).text = "户数"
        for row, (town, count) in enumerate((("禾兴镇", "45"), ("青山乡", "38"), ("合计", "83")), 1):
            grid.cell(row, 0).text = town
            grid.cell(row, 1).text = "—"
            grid.cell(row, 2).text = count
    document.add_paragraph("\u3000\u3000附件：1．2025年农村危房改造任务分配表")
    document.add_paragraph("\u3000\u3000\u3000\u3000\u30002．农村危房改造申请表")
    _align(document.add_paragraph(SIGNATURE), WD_PARAGRAPH_ALIGNMENT.RIGHT)
    _align(document.add_paragraph(date_line), WD_PARAGRAPH_ALIGNMENT.RIGHT)
    document.add_paragraph("抄送：县人民政府办公室。")
    document.add_paragraph("青禾县住房和城乡建设局办公室\u3000\u3000\u30002025年3月5日印发")
    return document


def save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a huge size (a decompression bomb for whoever decodes it)."""
    return png()[:16] + struct.pack(">II", width, height) + png()[24:]


def add_picture(document, data: bytes, *, alt: str = "危房改造前后对比") -> None:
    document.add_picture(io.BytesIO(data))
    doc_pr = document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", alt)


def add_raw_image(document, data: bytes, partname: str, content_type: str) -> None:
    """A picture part whose bytes python-docx does not check (any type, any header)."""
    part = Part(PackURI(partname), content_type, data, document.part.package)
    rid = document.part.relate_to(part, RT.IMAGE)
    _drawing_paragraph(document, f'<a:blip r:embed="{rid}"/>')


def add_external_image(document, url: str) -> None:
    rid = document.part.relate_to(url, RT.IMAGE, is_external=True)
    _drawing_paragraph(document, f'<a:blip r:link="{rid}"/>')


def _drawing_paragraph(document, blip: str) -> None:
    xml = (
        f'<w:r {nsdecls("w", "wp", "a", "pic", "r")}><w:drawing><wp:inline><wp:extent cx="100" cy="100"/>'
        '<wp:docPr id="9" name="图片"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="9" name="x"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>{blip}</pic:blipFill>'
        '<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )
    document.add_paragraph()._p.append(parse_xml(xml))


def add_embedded(document, data: bytes, partname: str, content_type: str) -> None:
    """An embedded file (an OLE object icon in the text), as Word writes an embedded workbook."""
    part = Part(PackURI(partname), content_type, data, document.part.package)
    rid = document.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package")
    office = 'xmlns:o="urn:schemas-microsoft-com:office:office"'
    xml = (
        f'<w:r {nsdecls("w", "r")} {office}><w:object><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" '
        f'ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" r:id="{rid}"/></w:object></w:r>'
    )
    document.add_paragraph()._p.append(parse_xml(xml))


def add_hyperlink(document, text: str, url: str) -> None:
    paragraph = document.add_paragraph("详见：")
    rid = document.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def auto_numbered(texts: list[tuple[int, str]]) -> docx.document.Document:
    """Paragraphs numbered by Word itself: level 0 “一、”, level 1 “（一）”, level 2 “1.”, level 3 “（1）”."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate((("chineseCounting", "%1、"), ("chineseCounting", "（%2）"),
                                         ("decimal", "%3."), ("decimal", "（%4）")))
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    _align(document.add_paragraph(TITLE), WD_PARAGRAPH_ALIGNMENT.CENTER)
    for level, text in texts:
        paragraph = document.add_paragraph(text)
        num_pr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        paragraph._p.get_or_add_pPr().append(num_pr)
    return document
