"""AnnualReport → a Word document in the national layout (国办公开办函〔2021〕30号), typeset after
GB/T 9704-2012《党政机关公文格式》 as far as python-docx reaches.

- Page: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (bottom 35 mm, right 26 mm); 22 lines a page
  (exact line spacing 225 mm / 22); body 3号 (16 pt) 仿宋 with a two-character first-line indent.
- Title 2号 (22 pt) 方正小标宋简体, centred; 一级标题 (一、 to 六、) 3号 黑体. Fonts a machine may lack
  carry alternates in the font table (w:altName), which Word and WPS try before guessing:
  小标宋 → 黑体, 仿宋_GB2312 → 仿宋.
- Page numbers 4号 宋体 “— 1 —” below the 版心: odd pages right, even pages left, one character in.
- Tables: the template's rows and columns with its merged header cells, 五号 (10.5 pt); the header
  rows of table 三 repeat on a new page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICANT_COLUMNS,
    APPLICANT_HEADER,
    ARTICLE_20_1,
    BALANCE_NOTE,
    BY_CATEGORY_HEADER,
    BY_DEPARTMENT_HEADER,
    CARRIED_FORWARD,
    CARRIED_OVER,
    CONTENT_HEADER,
    COUNT_HEADER,
    DOCUMENT_COLUMNS,
    FIGURES,
    GRANTED,
    LITIGATION_HEADER,
    NEW,
    NORMATIVE,
    ORGANISATION_HEADER,
    PARTIAL,
    REGULATION,
    RESULT_GROUPS,
    RESULT_ROWS,
    RESULTS_HEADER,
    RESULTS_TOTAL,
    REVIEW_HEADER,
    SECTION_ACTIVE,
    SECTION_APPEALS,
    SECTION_APPLICATIONS,
    SECTION_OTHER,
    SECTION_OVERVIEW,
    SECTION_PROBLEMS,
    TOTAL_COLUMN,
    Row,
)
from .markdown import PREAMBLE, paragraphs
from .model import AnnualReport, format_amount

# GB/T 9704-2012 §5.2.1 (A4) and §5.2.2 (版心); 字号: 2号 22 pt, 3号 16 pt, 4号 14 pt, 五号 10.5 pt.
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM = 156
LINE = Length(Mm(225) // 22)  # 22 lines on the 225 mm 版心
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(14), Pt(10.5)

# Font → alternates tried first when it is not installed (GB2312 charset 0x86).
TITLE_FONT, HEADING_FONT, BODY_FONT, NUMBER_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312", "宋体"
ALTERNATES = {TITLE_FONT: "黑体,SimHei", HEADING_FONT: "SimHei", BODY_FONT: "仿宋,FangSong", NUMBER_FONT: "SimSun"}

TABLE_TEXT, TABLE_HEAD = "表格文字", "表格表头"


def render_docx(report: AnnualReport) -> bytes:
    """The report as the bytes of a .docx file."""
    document = Document()
    _page(document)
    _styles(document)
    _font_table(document)
    _page_numbers(document)
    document.core_properties.title = report.title
    document.core_properties.author = report.org_name
    document.core_properties.comments = ""

    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(PREAMBLE + report.period)
    _section(document, SECTION_OVERVIEW, report.overview)
    document.add_paragraph(SECTION_ACTIVE, style="Heading 1")
    _active_table(document, report)
    _counts(document, report)
    document.add_paragraph(SECTION_APPLICATIONS, style="Heading 1")
    _applications_table(document, report)
    document.add_paragraph(SECTION_APPEALS, style="Heading 1")
    _appeals_table(document, report)
    _section(document, SECTION_PROBLEMS, report.main_problems)
    _section(document, SECTION_OTHER, report.other_matters)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _section(document: DocumentType, title: str, text: str) -> None:
    document.add_paragraph(title, style="Heading 1")
    for paragraph in paragraphs(text).split("\n\n"):
        document.add_paragraph(paragraph)


# ---- page, styles, fonts, page numbers ------------------------------------------------------


def _page(document: DocumentType) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    # The page number's 一字线 stands 7 mm below the 版心 (§7.5): footer text 4号 high.
    section.footer_distance = Length(BOTTOM - Mm(7) - PAGE_NUMBER_SIZE)
    section.header_distance = Mm(15)


def _fonts(element, name: str) -> None:
    """Set one font for every script on a style's or run's rPr, dropping theme fonts."""
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), name)


def _style(style: ParagraphStyle, font: str, size: Length, *, align: WD_PARAGRAPH_ALIGNMENT,
           indent: Length | None = None, line: Length | None = LINE) -> None:
    _fonts(style.element, font)
    style.font.size = size
    style.font.bold = False
    style.font.color.rgb = None
    r_pr = style.element.get_or_add_rPr()
    for unwanted in ("w:color", "w:spacing", "w:kern"):
        for child in r_pr.findall(qn(unwanted)):
            r_pr.remove(child)
    p_pr = style.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    form = style.paragraph_format
    form.alignment = align
    form.first_line_indent = indent
    form.space_before = form.space_after = Pt(0)
    if line is None:
        form.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        form.line_spacing = line


def _styles(document: DocumentType) -> None:
    styles = document.styles
    justify, centre = WD_PARAGRAPH_ALIGNMENT.JUSTIFY, WD_PARAGRAPH_ALIGNMENT.CENTER
    _style(styles["Normal"], BODY_FONT, BODY_SIZE, align=justify, indent=Pt(32))
    _style(styles["Title"], TITLE_FONT, TITLE_SIZE, align=centre, line=Pt(36))
    styles["Title"].paragraph_format.space_after = LINE  # one blank line before the text
    _style(styles["Heading 1"], HEADING_FONT, BODY_SIZE, align=justify, indent=Pt(32))
    _style(styles["Footer"], NUMBER_FONT, PAGE_NUMBER_SIZE, align=WD_PARAGRAPH_ALIGNMENT.RIGHT, line=None)
    for name, font in ((TABLE_TEXT, BODY_FONT), (TABLE_HEAD, HEADING_FONT)):
        style = styles.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
        style.base_style = styles["Normal"]
        _style(style, font, TABLE_SIZE, align=centre, indent=Pt(0), line=None)


def _font_table(document: DocumentType) -> None:
    """Declare our fonts with alternates (ECMA-376 §17.8.3.1 altName) in word/fontTable.xml."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for name, alternates in ALTERNATES.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alternates), ("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        fonts.append(font)
    # python-docx keeps parts it does not model as bytes; there is no public setter.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)  # noqa: SLF001


def _page_numbers(document: DocumentType) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align, side in (
        (section.footer, WD_PARAGRAPH_ALIGNMENT.RIGHT, "right"),
        (section.even_page_footer, WD_PARAGRAPH_ALIGNMENT.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = align
        if side == "right":
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        paragraph.add_run("— ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)  # noqa: SLF001  # python-docx has no API for fields
        paragraph.add_run(" —")


# ---- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    head: bool = False  # 黑体 header cell
    rows: int = 1
    cols: int = 1
    left: bool = False  # a row label of table 三 or a name in the counts, aligned left


def _head(text: str, rows: int = 1, cols: int = 1) -> Cell:
    return Cell(text, head=True, rows=rows, cols=cols)


def _label(text: str, rows: int = 1, cols: int = 1) -> Cell:
    return Cell(text, rows=rows, cols=cols, left=True)


def _numbers(values: Iterable[object]) -> list[Cell]:
    return [Cell(str(value)) for value in values]


def _table(document: DocumentType, widths_mm: Sequence[float], rows: list[list[Cell]], header_rows: int = 0) -> Table:
    """A table laid out like HTML: each row's cells fill the next free grid positions, spans merge."""
    table = document.add_table(rows=len(rows), cols=len(widths_mm))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            taken |= {(r + i, c + j) for i in range(cell.rows) for j in range(cell.cols)}
            target = table.cell(r, c)
            if cell.rows > 1 or cell.cols > 1:
                target = target.merge(table.cell(r + cell.rows - 1, c + cell.cols - 1))
            _fill(target, cell, document)
            c += cell.cols
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):  # noqa: SLF001
        column.w = Mm(width)  # the grid decides the layout in LibreOffice and WPS; cell widths in Word
    for r, row in enumerate(table.rows):
        if r < header_rows:  # repeat on every page the table runs onto
            flag = OxmlElement("w:tblHeader")
            row._tr.get_or_add_trPr().append(flag)  # noqa: SLF001
        for c, width in enumerate(widths_mm):
            row.cells[c].width = Mm(width)
    return table


def _fill(target, cell: Cell, document: DocumentType) -> None:
    paragraph: Paragraph = target.paragraphs[0]
    paragraph.style = document.styles[TABLE_HEAD if cell.head else TABLE_TEXT]
    if cell.left:
        paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.LEFT
    paragraph.add_run(cell.text)
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _active_table(document: DocumentType, report: AnnualReport) -> None:
    width = 1 + len(DOCUMENT_COLUMNS)
    rows: list[list[Cell]] = [
        [_head(ARTICLE_20_1, cols=width)],
        [_head(CONTENT_HEADER), *(_head(c.label) for c in DOCUMENT_COLUMNS)],
    ]
    for label, counts in ((REGULATION.label, report.regulations), (NORMATIVE.label, report.normative_documents)):
        rows.append([Cell(label), *_numbers((counts.made, counts.repealed, counts.valid))])
    for article, group in groupby(FIGURES, key=lambda figure: figure.article):
        figures = list(group)  # 第二十条第（六）项 holds two rows
        rows.append([_head(article, cols=width)])
        rows.append([_head(CONTENT_HEADER), _head(figures[0].header, cols=width - 1)])
        for figure in figures:
            rows.append([Cell(figure.label), Cell(format_amount(report.figures[figure.key]), cols=width - 1)])
    _table(document, [50, 35.3, 35.3, 35.4], rows)


def _counts(document: DocumentType, report: AnnualReport) -> None:
    document.add_paragraph(f"本年主动公开政府信息{report.proactive_total}条，按主题分类和发布机构统计如下。")
    for header, pairs in ((BY_CATEGORY_HEADER, report.by_category), (BY_DEPARTMENT_HEADER, report.by_department)):
        rows: list[list[Cell]] = [[_head(header.removeprefix("按")), _head(COUNT_HEADER)]]
        rows += [[_label(name), Cell(str(count))] for name, count in pairs]
        rows.append([_head("合计"), Cell(str(report.proactive_total))])
        _table(document, [100, 56], rows, header_rows=1)
        document.add_paragraph()


def _applications_row(report: AnnualReport, row: Row) -> list[Cell]:
    values = report.applications[row.key]
    return _numbers(values[c.key] for c in (*APPLICANT_COLUMNS, TOTAL_COLUMN))


def _applications_table(document: DocumentType, report: AnnualReport) -> None:
    organisations = len(APPLICANT_COLUMNS) - 1
    rows: list[list[Cell]] = [
        [_head(BALANCE_NOTE, rows=3, cols=3), _head(APPLICANT_HEADER, cols=len(APPLICANT_COLUMNS) + 1)],
        [_head(APPLICANT_COLUMNS[0].label, rows=2), _head(ORGANISATION_HEADER, cols=organisations),
         _head(TOTAL_COLUMN.label, rows=2)],
        [_head(c.label) for c in APPLICANT_COLUMNS[1:]],
    ]
    for row in (NEW, CARRIED_OVER):
        rows.append([_label(row.label, cols=3), *_applications_row(report, row)])
    results = _label(RESULTS_HEADER, rows=len(RESULT_ROWS) + 1)
    rows.append([results, _label(GRANTED.label, cols=2), *_applications_row(report, GRANTED)])
    rows.append([_label(PARTIAL.label, cols=2), *_applications_row(report, PARTIAL)])
    for group in RESULT_GROUPS:
        for index, row in enumerate(group.rows):
            head = [_label(group.label, rows=len(group.rows))] if index == 0 else []
            rows.append([*head, _label(row.label), *_applications_row(report, row)])
    rows.append([_label(RESULTS_TOTAL.label, cols=2), *_applications_row(report, RESULTS_TOTAL)])
    rows.append([_label(CARRIED_FORWARD.label, cols=3), *_applications_row(report, CARRIED_FORWARD)])
    _table(document, [12, 17, 43, *([12] * 7)], rows, header_rows=3)


def _appeals_table(document: DocumentType, report: AnnualReport) -> None:
    width = len(APPEAL_COLUMNS)
    _review, *litigation = APPEAL_ROWS
    rows: list[list[Cell]] = [
        [_head(REVIEW_HEADER, cols=width), _head(LITIGATION_HEADER, cols=width * len(litigation))],
        [*(_head(c.label, rows=2) for c in APPEAL_COLUMNS), *(_head(kind.label, cols=width) for kind in litigation)],
        [_head(c.label) for _ in litigation for c in APPEAL_COLUMNS],
        _numbers(report.appeals[row.key][c.key] for row in APPEAL_ROWS for c in APPEAL_COLUMNS),
    ]
    columns = width * len(APPEAL_ROWS)
    _table(document, [TEXT_WIDTH_MM / columns] * columns, rows, header_rows=3)
